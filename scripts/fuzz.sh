#!/usr/bin/env bash
# Fuzzes every target in fuzz/ for a short while (default 30 s each): the wire decoder, the
# message-text pipeline (/nosmile, emoticons, links) and resumable uploads. libFuzzer replays
# every saved input (seeds/ and corpus/) before it mutates, so a saved crash fails at once
# (the test suite replays them without fuzzing: crates/fuzz-checks). Uses a nightly toolchain with AddressSanitizer when one is
# installed; otherwise stable Rust with RUSTC_BOOTSTRAP=1 and no sanitizer (the code is safe
# Rust, and the invariant checks still run). New corpus entries go to fuzz/corpus/<target>;
# a crash lands in fuzz/artifacts/<target> and fails the script.
#
# Usage: scripts/fuzz.sh [seconds per target] [target...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-30}"
shift || true

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

if [ -z "${FUZZ_STABLE:-}" ] && rustup run nightly rustc --version >/dev/null 2>&1; then
  fuzz=(cargo +nightly fuzz run)
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz run --sanitizer none)
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "== fuzz $target for ${seconds}s"
  "${fuzz[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1
done
