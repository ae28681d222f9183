#!/usr/bin/env bash
# Install test of the Linux package: installs the .deb with apt into a clean Debian 12 root
# (debootstrap), checks the desktop entry and the icon, then launches the installed app under
# Xvfb inside that root and waits, through WebDriver, until it shows the login screen (a
# screenshot is saved as test-artifacts/install-login.png).
#
# Usage: scripts/test-install.sh [PATH.deb]   (default: the newest bundle under target/)
# Needs root (chroot, mounts), debootstrap, python3, and a Debian mirror (DEBIAN_MIRROR,
# default deb.debian.org). The bootstrapped base is cached (SWITCHBOARD_INSTALL_CACHE) and every
# run starts from a fresh copy of it. Exits 77 (skipped) when the machine cannot do this.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

skip() {
  echo "test-install: SKIPPED: $*" >&2
  exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root for chroot and mounts"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap)"
command -v python3 >/dev/null || skip "python3 is not installed"

deb=${1:-$(ls -t target/release/bundle/deb/*.deb target/debug/bundle/deb/*.deb 2>/dev/null | head -n1 || true)}
[ -n "$deb" ] && [ -f "$deb" ] || {
  echo "test-install: no .deb found: build one with scripts/bundle.sh" >&2
  exit 1
}
deb=$(realpath "$deb")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${SWITCHBOARD_INSTALL_CACHE:-$repo/target/install-test}
base="$cache/bookworm-minbase.tar"
driver=$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")
[ -x "$driver" ] || skip "tauri-driver is not installed (scripts/setup.sh installs it)"
mkdir -p "$cache" test-artifacts

# 1. A clean Debian 12 root: bootstrapped once, unpacked fresh for every run.
if [ ! -f "$base" ]; then
  echo "test-install: bootstrapping Debian 12 from $mirror (once)..."
  rm -rf "$cache/bootstrap"
  debootstrap --variant=minbase bookworm "$cache/bootstrap" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    skip "debootstrap failed (no mirror reachable?), see $cache/debootstrap.log"
  tar -C "$cache/bootstrap" -cf "$base.part" . && mv "$base.part" "$base"
  rm -rf "$cache/bootstrap"
fi
root=$(mktemp -d "$cache/root.XXXXXX")
mounted=()
driver_pid=""
cleanup() {
  if [ -n "$driver_pid" ]; then kill "$driver_pid" 2>/dev/null || true; fi
  # anything still running inside the root goes before the mounts do
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$base"
for fs in proc sys dev dev/pts; do
  mount --bind "/$fs" "$root/$fs"
  mounted+=("$root/$fs")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# 2. Install the package with apt, as a user would, plus what the test itself needs (and a
#    font and the Mesa drivers, which every desktop has and a minimal root does not).
cp "$deb" "$root/tmp/switchboard.deb"
echo "test-install: installing $(basename "$deb") with apt..."
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  /tmp/switchboard.deb xvfb xauth dbus dbus-x11 webkit2gtk-driver desktop-file-utils fonts-dejavu-core libgl1-mesa-dri \
  >"$cache/apt.log" 2>&1 || {
  tail -n 30 "$cache/apt.log" >&2
  echo "test-install: FAILED: apt could not install the package" >&2
  exit 1
}

# 3. The desktop entry and the icon it names.
entry="$root/usr/share/applications/Switchboard.desktop"
[ -f "$entry" ] || { echo "test-install: FAILED: no desktop entry" >&2; exit 1; }
in_root desktop-file-validate /usr/share/applications/Switchboard.desktop
grep -qx 'Exec=switchboard-desktop' "$entry" || { echo "test-install: FAILED: Exec is wrong" >&2; exit 1; }
icon=$(sed -n 's/^Icon=//p' "$entry")
ls "$root"/usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null ||
  { echo "test-install: FAILED: the icon $icon is not installed" >&2; exit 1; }
[ -x "$root/usr/bin/switchboard-desktop" ] || { echo "test-install: FAILED: no program" >&2; exit 1; }
echo "test-install: desktop entry and icon are right"

# 4. Launch the installed app under Xvfb in the root and wait for the login screen.
cp "$driver" "$root/usr/local/bin/tauri-driver"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
native=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p -m 700 "$root/run/user/0"
in_root env NO_AT_BRIDGE=1 XDG_RUNTIME_DIR=/run/user/0 \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  tauri-driver --port "$port" --native-port "$native" --native-driver /usr/bin/WebKitWebDriver \
  >"$cache/driver.log" 2>&1 &
driver_pid=$!
python3 - "$port" "$repo/test-artifacts/install-login.png" <<'PY'
import base64, json, sys, time, urllib.request

port, screenshot = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["value"]

def until(what, attempt, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return attempt()
        except Exception as error:  # not there yet
            if time.monotonic() > deadline:
                sys.exit(f"test-install: FAILED: {what}: {error}")
            time.sleep(0.2)

capabilities = {"capabilities": {"alwaysMatch": {
    "tauri:options": {"application": "/usr/bin/switchboard-desktop"}}}}
session = until("the installed app did not start", lambda: call("POST", "/session", capabilities))["sessionId"]
def login_screen_shown():
    found = call("POST", f"/session/{session}/element",
                 {"using": "css selector", "value": "[data-testid=login-screen]"})
    element = next(iter(found.values()))
    text = call("GET", f"/session/{session}/element/{element}/text")
    if not call("GET", f"/session/{session}/element/{element}/displayed") or "Log in" not in text:
        raise RuntimeError(f"the login screen is not shown yet ({text!r})")

until("no login screen", login_screen_shown)
with open(screenshot, "wb") as out:
    out.write(base64.b64decode(call("GET", f"/session/{session}/screenshot")))
call("DELETE", f"/session/{session}")
print(f"test-install: the installed app shows the login screen ({screenshot})")
PY
echo "test-install: passed"
