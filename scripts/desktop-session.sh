#!/usr/bin/env bash
# Runs a command inside a desktop test session: a display (Xvfb when there is none), a D-Bus
# session bus, a fresh HOME, an unlocked gnome-keyring (the Secret Service the desktop app keeps
# its login in) and a notification daemon. Usage: scripts/desktop-session.sh COMMAND [ARGS...]
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# 1. A display and a session bus: re-run this script under them when they are missing.
if [ -z "${DISPLAY:-}" ] && [ -z "${SWITCHBOARD_DESKTOP_SESSION:-}" ]; then
  export NO_AT_BRIDGE=1 SWITCHBOARD_DESKTOP_SESSION=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  export NO_AT_BRIDGE=1
  exec dbus-run-session -- "$0" "$@"
fi
export NO_AT_BRIDGE=1

# 2. A fresh HOME, so no keyring or config of the real user is read or written. Toolchains
#    found through HOME keep working.
real_home="${HOME:-/root}"
export CARGO_HOME="${CARGO_HOME:-$real_home/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$real_home/.rustup}"
export PATH="$CARGO_HOME/bin:$PATH"
session_home=$(mktemp -d -t switchboard-desktop-home.XXXXXX)
export HOME="$session_home"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$HOME/.runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

daemons=()
cleanup() {
  local pid
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$session_home"
}
trap cleanup EXIT

# 3. An unlocked keyring. The password must not be empty (an empty one makes it prompt). It
#    prints the variables to export (none when its socket is in XDG_RUNTIME_DIR).
keyring_env=$(printf '%s' "switchboard-test-keyring" | gnome-keyring-daemon --unlock --components=secrets)
while IFS= read -r line; do
  case "$line" in
    *=*) export "${line?}" ;;
  esac
done <<< "$keyring_env"

# 4. A notification daemon, when one is installed.
if command -v dunst >/dev/null 2>&1; then
  dunst >/dev/null 2>&1 &
  daemons+=("$!")
fi

# Not `exec`: the cleanup above must run when the command ends.
"$@"
