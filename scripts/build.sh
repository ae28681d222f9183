#!/usr/bin/env bash
# Builds every Switchboard binary into the shared target/ (debug): the server, the agent CLI,
# the benchmark and the desktop app with the built UI embedded. Expects widget/dist and ui/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --workspace --bins
