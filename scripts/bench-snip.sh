#!/usr/bin/env bash
# Measures the snipping tool on a 1920×1080 screen: shortcut → overlay visible, capture time,
# and PNG (fast) encode time of a 1900x1060 selection, from the app's own timing log.
# Usage: scripts/bench-snip.sh [APP BINARY] [RUNS]
#   (default: target/release/switchboard-desktop, 10 runs; build it with
#    `cargo build --release -p switchboard-desktop` after `npm --prefix ui run build`)
set -euo pipefail
cd "$(dirname "$0")/.."
app="${1:-target/release/switchboard-desktop}"
runs="${2:-10}"

if [ -z "${SWITCHBOARD_BENCH_SESSION:-}" ]; then
  export SWITCHBOARD_BENCH_SESSION=1 NO_AT_BRIDGE=1
  exec xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- "$0" "$app" "$runs"
fi

home=$(mktemp -d -t switchboard-bench-snip.XXXXXX)
log="$home/app.log"
HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
  XDG_CACHE_HOME="$home/.cache" RUST_LOG=info SWITCHBOARD_PROFILE=bench \
  "$app" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$home"' EXIT

# wait for a log line count to reach $2 (the app writes it when the step is done)
wait_for() {
  local pattern="$1" count="$2" deadline=$((SECONDS + 30))
  while [ "$(grep -c "$pattern" "$log" 2>/dev/null || true)" -lt "$count" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "timed out waiting for '$pattern'" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
}

wait_for "snip: shortcut registered" 1
xdotool search --sync --onlyvisible --name "^Switchboard$" >/dev/null
for run in $(seq 1 "$runs"); do
  xdotool key ctrl+shift+s
  wait_for "snip: overlay visible" "$run"
  overlay=$(xdotool search --sync --onlyvisible --name "Switchboard snip ready" | head -1)
  xdotool windowfocus --sync "$overlay"
  xdotool mousemove 10 10 mousedown 1 mousemove 200 200 mousemove 1910 1070 mouseup 1
  wait_for "snip: PNG encoded" "$run"
done

summary() {
  local label="$1" pattern="$2"
  sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep "$pattern" | sed -E 's/.*ms=([0-9]+).*/\1/' | sort -n |
    awk -v label="$label" '{ v[NR] = $1 } END { printf "%-40s median %d ms, max %d ms (%d runs)\n", label, v[int((NR + 1) / 2)], v[NR], NR }'
}
echo "snipping tool at 1920x1080, $app"
summary "shortcut → overlay visible" "snip: overlay visible"
summary "capture (xcap, all monitors)" "snip: captured"
summary "PNG fast encode, 1900x1060 selection" "snip: PNG encoded"
