#!/usr/bin/env bash
# Runs Switchboard's benchmarks on release builds: the server under load (idle visitors,
# chatting pairs, memory per connection, latency percentiles), 100 MB file transfers beside a
# raw HTTP upload, the desktop app (cold start, memory with open chats beside a bare Tauri
# window) and the snipping tool (shortcut → overlay, capture, encode at 1920×1080). Prints the figures; the README records
# them with the machine they were taken on. Extra arguments go to the server benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
npm --prefix widget run build
npm --prefix ui run build
# one invocation: the same packages with the same features (a second `cargo build` with other
# packages would build the dependencies again)
cargo build --release -p switchboard-server -p switchboard-desktop -p switchboard-bench --bins \
  --example bare_window --example snip_encode

printf '\n==== server: 10,000 idle visitors, 1,000 chatting pairs at 1,000 msg/s ====\n'
target/release/switchboard-bench --idle 10000 --pairs 1000 --rate 1000 --seconds 20 "$@"

printf '\n==== cluster of 3 nodes on PostgreSQL + NATS: visitors and operators on different relays ====\n'
target/release/switchboard-bench --nodes 3 --idle 10000 --pairs 1000 --rate 1000 --seconds 15

printf '\n==== files: 100 MB upload and download beside a raw HTTP upload ====\n'
target/release/switchboard-bench --files

printf '\n==== desktop app: cold start and memory ====\n'
scripts/desktop-session.sh target/release/switchboard-desktop-bench

printf '\n==== snipping tool at 1920x1080 ====\n'
scripts/bench-snip.sh target/release/switchboard-desktop
target/release/examples/snip_encode
