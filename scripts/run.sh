#!/usr/bin/env bash
# Runs the Switchboard product on this machine: the server on its embedded default storage
# (SQLite in the OS data directory), the demo site with the widget, and the desktop agent app
# logged in as the demo operator. Installs and builds what it needs first. Ctrl+C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

LISTEN="${SWITCHBOARD_LISTEN:-127.0.0.1:8080}"
DEMO_EMAIL="demo@localhost"
DEMO_PASSWORD="${SWITCHBOARD_DEMO_PASSWORD:-switchboard-demo}"
server_bin="$root/target/debug/switchboard-server"
app_bin="$root/target/debug/switchboard-desktop"

scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
log "building the widget, the UI and the binaries"
npm --prefix widget run build
npm --prefix ui run build
scripts/build.sh

log "preparing the demo operator $DEMO_EMAIL"
if "$server_bin" operator list | grep -q "$DEMO_EMAIL"; then
  printf '%s\n' "$DEMO_PASSWORD" | "$server_bin" operator passwd --email "$DEMO_EMAIL" --password-stdin >/dev/null
else
  printf '%s\n' "$DEMO_PASSWORD" | "$server_bin" operator add --email "$DEMO_EMAIL" --name "Demo Operator" --password-stdin >/dev/null
fi

server_log=$(mktemp)
cleanup() { kill "${app_pid:-}" "${server_pid:-}" 2>/dev/null || true; rm -f "$server_log"; }
trap cleanup EXIT INT TERM

log "starting the server on $LISTEN"
"$server_bin" --listen "$LISTEN" --widget-dir "$root/widget/dist" > >(tee "$server_log") &
server_pid=$!
timeout 60 grep -q -m1 "listening on" <(tail -f "$server_log") || { echo "the server did not start" >&2; exit 1; }
base_url="http://$LISTEN"

log "setting $DEMO_EMAIL Online, so the demo site's chat button is live once the app connects"
printf '%s\n' "$DEMO_PASSWORD" | "$root/target/debug/switchboard-agent-cli" --server "$base_url" \
  --email "$DEMO_EMAIL" --password-stdin status online >/dev/null

log "demo site with the widget: $base_url/demo/"
command -v xdg-open >/dev/null && [ -n "${DISPLAY:-}" ] && xdg-open "$base_url/demo/" >/dev/null 2>&1 || true

log "starting the desktop app, logged in as $DEMO_EMAIL (password: $DEMO_PASSWORD)"
launcher=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  log "no display found: running the app on a virtual X display with its own session bus and keychain"
  launcher=(scripts/desktop-session.sh)
fi
SWITCHBOARD_SERVER_URL="$base_url" SWITCHBOARD_EMAIL="$DEMO_EMAIL" SWITCHBOARD_PASSWORD="$DEMO_PASSWORD" \
  "${launcher[@]}" "$app_bin" &
app_pid=$!
log "running; press Ctrl+C to stop"
wait "$app_pid"
