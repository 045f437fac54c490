#!/usr/bin/env bash
# Builds the desktop app's Debian package with Tauri's bundler (the Tauri CLI
# comes from npm, pinned in web/package-lock.json):
#
#   ./scripts/package-deb.sh           a release build:
#                                      $CARGO_TARGET_DIR/release/bundle/deb/Tessera_<version>_amd64.deb
#   ./scripts/package-deb.sh --debug   a debug build (faster; what the tests unpack)
#
# Install it with `sudo apt install ./Tessera_<version>_amd64.deb`: the app,
# its menu entry and icon, and the handler for tessera:// links.
source "$(dirname "$0")/lib.sh"

install_system_packages
# The test suite has built the front end already.
[ "${TESSERA_WEB_BUILT:-0}" = 1 ] || build_web
[ -x "$ROOT/web/node_modules/.bin/tauri" ] || die "the Tauri CLI is missing: run npm ci in web/"
cd "$ROOT"
# The server and the sidecar go in the package too ("Just this computer"
# starts the server; widget authors run the sidecar), built alike.
profile=release; [[ " $* " == *" --debug "* ]] && profile=debug
log "cargo build ($profile: tessera-server, tessera-sidecar)"
if [ "$profile" = release ]; then cargo build --release --locked -p tessera-server -p tessera-sidecar
else cargo build --locked -p tessera-server -p tessera-sidecar; fi
mkdir -p "$ROOT/src-tauri/packaging/bin"
cp "$(bins_dir "$profile")/tessera-server" "$(bins_dir "$profile")/tessera-sidecar" "$ROOT/src-tauri/packaging/bin/"
log "tauri build --bundles deb $*"
"$ROOT/web/node_modules/.bin/tauri" build --bundles deb --ci "$@"
