#!/usr/bin/env bash
# Runs every Switchboard test: lints, the UI and widget unit tests (vitest), and the whole Rust
# suite (unit, server integration, a cluster on real PostgreSQL and NATS, widget in headless
# Chromium, desktop app through tauri-driver under Xvfb with a real keychain), then the server
# suites once more with PostgreSQL as the database. Installs what it needs first. Exits non-zero,
# with a banner, on the first failing stage.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

stage() { printf '\n\033[1;34m==== %s ====\033[0m\n' "$*"; }
# how long each stage took, printed as it ends and all together at the end
timings=()
stage_started=$SECONDS
stage_done() {
  local took=$((SECONDS - stage_started))
  timings+=("$(printf '%4d:%02d  %s' $((took / 60)) $((took % 60)) "$current_stage")")
  printf '\033[1;34m---- %s: %d:%02d (total %d:%02d)\033[0m\n' "$current_stage" \
    $((took / 60)) $((took % 60)) $((SECONDS / 60)) $((SECONDS % 60))
}
failed() {
  local code=$?
  printf '\n\033[1;31m#### SWITCHBOARD TESTS FAILED (stage: %s, exit %s) ####\033[0m\n' "${current_stage:-setup}" "$code" >&2
  exit "$code"
}
trap failed ERR
run_stage() { current_stage="$1"; stage "$1"; shift; stage_started=$SECONDS; "$@"; stage_done; }

run_stage "setup" scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$root/test-artifacts"

run_stage "build: widget" npm --prefix widget run build
run_stage "build: ui" npm --prefix ui run build
run_stage "build: server, clients, desktop app" scripts/build.sh

run_stage "lint: rustfmt" cargo fmt --all --check
run_stage "lint: clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
run_stage "lint: widget types" npm --prefix widget run lint
run_stage "lint: ui types" npm --prefix ui run lint

run_stage "unit: widget (vitest)" npm --prefix widget test
run_stage "unit: ui (vitest)" npm --prefix ui test
run_stage "rust: all crates, server, browser and desktop e2e (nextest)" \
  scripts/desktop-session.sh cargo nextest run --workspace --no-fail-fast
run_stage "rust: the server suites again on PostgreSQL (throwaway server per test)" \
  env SWITCHBOARD_TEST_DATABASE=postgres cargo nextest run --workspace --no-fail-fast \
  -E '(binary(server_*) - binary(server_cluster)) | binary(hostile_protocol) | binary(client_agent) | (binary(stress_soak) - test(cluster))'

# The .deb installed with apt into a clean Debian 12 root and started there; skipped (77)
# where the machine cannot (not root, no Debian mirror).
install_test() {
  scripts/bundle.sh --debug
  scripts/test-install.sh target/debug/bundle/deb/*.deb || [ $? -eq 77 ]
}
run_stage "install: the .deb in a clean Debian 12 root" install_test

trap - ERR
printf '\n'
printf '%s\n' "${timings[@]}"
printf '\n\033[1;32m==== all Switchboard tests passed in %d:%02d ====\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60))
