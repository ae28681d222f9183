#!/usr/bin/env bash
# Builds every Switchboard binary into the shared target/ (debug): the server, the agent CLI,
# the benchmark and the desktop app with the built UI embedded. Expects widget/dist; builds
# ui/dist first when it is missing or older than the UI's sources (the app embeds it at
# compile time).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f ui/dist/index.html ] ||
  [ -n "$(find ui/src ui/index.html ui/package.json ui/vite.config.ts -newer ui/dist/index.html -print -quit)" ]; then
  npm --prefix ui run build
fi
cargo build --workspace --bins
