#!/usr/bin/env bash
# Builds the Linux packages of the desktop app: a .deb and an .rpm (AppImage is left out: its
# tools are downloaded at build time, which fails offline). Builds the UI, the app in release
# mode with the UI embedded, then runs the Tauri bundler from ui's devDependencies.
# Usage: scripts/bundle.sh [--debug]   → target/{release,debug}/bundle/{deb,rpm}/
set -euo pipefail
cd "$(dirname "$0")/.."
profile=(--release)
bundle_flags=()
if [ "${1:-}" = "--debug" ]; then
  profile=()
  bundle_flags=(--debug)
fi
[ -x ui/node_modules/.bin/tauri ] || npm ci --prefix ui
npm --prefix ui run build
# the whole workspace, as scripts/build.sh builds it: building one package alone unifies
# features differently and rebuilds most dependencies
cargo build "${profile[@]}" --workspace --bins
ui/node_modules/.bin/tauri bundle "${bundle_flags[@]}" --bundles deb,rpm --ci
