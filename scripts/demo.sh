#!/usr/bin/env bash
# Installs what is needed, builds Tessera and starts the demo: the server
# (tessera-server) on SQLite, a sidecar for each example widget, and the desktop app.
source "$(dirname "$0")/lib.sh"

install_system_packages
build_web
build_widgets
log "cargo build --release (server, sidecar, market-data and tracker backends, desktop app)"
cargo build --release --locked -p tessera-server -p tessera-sidecar -p tessera-market-data -p tessera-tracker -p tessera
BIN="$(bins_dir release)"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

PORT="${TESSERA_PORT:-7410}"
REGISTRY="http://127.0.0.1:$PORT"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}/tessera"
# The bundled examples are published by "tessera"; its token lives in a file.
"$BIN/tessera-server" publisher add tessera --token-file "$DATA/tessera-publisher.token" --if-missing >/dev/null
log "tessera-server on $REGISTRY (SQLite under $DATA; open $REGISTRY/ for its status page)"
"$BIN/tessera-server" serve --listen "127.0.0.1:$PORT" &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "$REGISTRY/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "$REGISTRY/readyz" >/dev/null || die "tessera-server did not start on $REGISTRY"

MARKET="${TESSERA_MARKET_DATA_LISTEN:-127.0.0.1:7420}"
log "market-data backend on http://$MARKET (the market widgets' api/)"
"$BIN/tessera-market-data" --listen "$MARKET" &
pids+=($!)

TRACKER="${TESSERA_TRACKER_LISTEN:-127.0.0.1:7430}"
if [ ! -e "$DATA/tracker.db" ]; then
  log "tracker: a week of made-up history (50,000 hits) in $DATA/tracker.db, so Page hits has something to show"
  "$BIN/tessera-tracker" seed --hits 50000 --days 7 >/dev/null
fi
log "tracker backend on http://$TRACKER (the Page hits widget's api/; the Greeting loads its pixel)"
"$BIN/tessera-tracker" --listen "$TRACKER" &
pids+=($!)

for w in "$ROOT"/widgets/*/; do
  log "sidecar for $(basename "$w")"
  backend=()
  case "$(grep '^backend' "$w/widget.toml")" in
    *:7430*) backend=(--backend "http://$TRACKER") ;;
    *backend*) backend=(--backend "http://$MARKET") ;;
  esac
  "$BIN/tessera-sidecar" run "$w" --registry "$REGISTRY" --token-file "$DATA/tessera-publisher.token" "${backend[@]}" &
  pids+=($!)
done

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  log "no display: starting Xvfb on :77 (screenshot with: DISPLAY=:77 import -window root shot.png)"
  Xvfb :77 -screen 0 1280x800x24 -nolisten tcp &
  pids+=($!)
  export DISPLAY=:77
  sleep 1
fi
log "desktop app (close its window or press Ctrl-C to stop everything)"
TESSERA_REGISTRY_URL="$REGISTRY" "$BIN/tessera"
