#!/usr/bin/env bash
# Runs Switchboard's benchmarks on release builds: the server under load (idle visitors,
# chatting pairs, memory per connection, latency percentiles) and the desktop app (cold start,
# memory with open chats beside a bare Tauri window). Prints the figures; the README records
# them with the machine they were taken on. Extra arguments go to the server benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
npm --prefix widget run build
npm --prefix ui run build
cargo build --release -p switchboard-server -p switchboard-desktop -p switchboard-bench --bins
cargo build --release -p switchboard-desktop --example bare_window

printf '\n==== server: 10,000 idle visitors, 1,000 chatting pairs at 1,000 msg/s ====\n'
target/release/switchboard-bench --idle 10000 --pairs 1000 --rate 1000 --seconds 20 "$@"

printf '\n==== desktop app: cold start and memory ====\n'
scripts/desktop-session.sh target/release/switchboard-desktop-bench
