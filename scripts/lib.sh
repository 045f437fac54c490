# Shared by demo.sh, test.sh and bench scripts: installs what Tessera needs
# on Debian 12 and sets up the build environment. Source it, don't run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'tessera: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

# System packages: the WebKitGTK stack for the Tauri app, the WebDriver for
# it, Xvfb for a display, Postgres server binaries for the storage tests,
# ImageMagick for screenshots of the display.
SYSTEM_PACKAGES=(
  build-essential pkg-config curl ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  webkit2gtk-driver xvfb xauth xdotool imagemagick postgresql
)

install_system_packages() {
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  command -v cargo >/dev/null || die "cargo is missing: install the Rust toolchain (rustup) first"
}

build_web() {
  log "npm ci && npm run build (web/)"
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
}

# Example widgets written with a framework or an npm library are built from
# their own package.json and lock file; the sidecar serves the build output.
build_widgets() {
  local pkg dir
  for pkg in "$ROOT"/widgets/*/package.json; do
    [ -e "$pkg" ] || continue
    dir="$(dirname "$pkg")"
    log "npm ci && npm run build (widgets/$(basename "$dir")/)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
  done
}

install_tauri_driver() {
  if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
    log "cargo install tauri-driver"
    cargo install tauri-driver --version 2.1.0 --locked --quiet
  fi
}

# kubernetes-validate (offline Kubernetes schemas) in a venv of our own.
DEPLOY_VENV="$HOME/.cache/tessera/deploy-venv"
DEPLOY_PYTHON="$DEPLOY_VENV/bin/python"
install_deploy_checker() {
  if ! "$DEPLOY_PYTHON" -c 'import kubernetes_validate, yaml' 2>/dev/null; then
    log "pip install kubernetes-validate (into $DEPLOY_VENV)"
    python3 -m venv "$DEPLOY_VENV"
    "$DEPLOY_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/deploy-requirements.txt"
  fi
}

bins_dir() { echo "$CARGO_TARGET_DIR/${1:-debug}"; }
