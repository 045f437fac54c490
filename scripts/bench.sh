#!/usr/bin/env bash
# Benchmarks with release binaries on this machine. Usage:
#   ./scripts/bench.sh            # all of the below
#   ./scripts/bench.sh registry   # heartbeats/s, list and discovery latency, expiry, pgbench ratio
#   ./scripts/bench.sh sidecar    # run → registered, idle RSS and CPU
#   ./scripts/bench.sh gateway    # a 50-file widget through the server (cold, warm) vs. from its sidecar
#   ./scripts/bench.sh layouts    # 100,000 stored layouts: load/save latency and rate, pgbench ratio
#   ./scripts/bench.sh bus        # broadcast latency and rate, private-channel round trips, open → context, in the real app under Xvfb
#   ./scripts/bench.sh tracker    # 1,000,000 stored hits: histogram and top-pages p50/p99, pixel hits/s (SQLite, Postgres)
#   ./scripts/bench.sh idle       # 15,000 idle connections: /healthz still answers, all cut off
#   ./scripts/bench.sh startup    # the desktop app's start to the sign-in screen, the demo layout and a 50-panel layout
#   ./scripts/bench.sh pss        # the app's PSS/RSS with one widget, the demo layout, and 10 different widgets
#   ./scripts/bench.sh memory [MINUTES]  # the app's PSS/RSS each minute through a busy session (default 30; not in "all")
# Postgres: DATABASE_URL if set, else a throwaway cluster (initdb + pg_ctl).
source "$(dirname "$0")/lib.sh"

install_system_packages
cd "$ROOT"
log "cargo build --release (registry, sidecar, bench)"
cargo build --release --locked -p tessera-server -p tessera-sidecar -p tessera-bench
BIN="$(bins_dir release)"
what="${1:-all}"
if [ "$what" = all ] || [ "$what" = registry ]; then
  "$BIN/tessera-bench" --bin-dir "$BIN" registry
  echo
fi
if [ "$what" = all ] || [ "$what" = sidecar ]; then
  "$BIN/tessera-bench" --bin-dir "$BIN" sidecar
  echo
fi
if [ "$what" = all ] || [ "$what" = gateway ]; then
  "$BIN/tessera-bench" --bin-dir "$BIN" gateway
  echo
fi
if [ "$what" = all ] || [ "$what" = layouts ]; then
  log "cargo build --release (layouts benchmark)"
  cargo build --release --locked -p tessera-layouts --features bench --bin tessera-layouts-bench
  "$BIN/tessera-layouts-bench"
  echo
fi
if [ "$what" = all ] || [ "$what" = tracker ]; then
  log "cargo build --release (the tracker)"
  cargo build --release --locked -p tessera-tracker
  "$BIN/tessera-bench" --bin-dir "$BIN" tracker
  echo
fi
if [ "$what" = all ] || [ "$what" = idle ]; then
  dir="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "$BIN/tessera-server" serve --listen "127.0.0.1:$port" --database-url "sqlite://$dir/r.db" \
    --max-connections 3000 --header-timeout 10 >"$dir/log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  (ulimit -n "$(ulimit -Hn)"; python3 "$ROOT/scripts/idle-connections.py" "$port" 15000 12)
  kill "$server"; rm -rf "$dir"
  echo
fi
if [ "$what" = all ] || [ "$what" = bus ]; then
  install_tauri_driver
  build_web
  log "cargo build --release (desktop app, bus benchmark)"
  cargo build --release --locked -p tessera -p tessera-e2e -p tessera-server -p tessera-sidecar
  "$BIN/bus-bench"
fi
if [ "$what" = all ] || [ "$what" = startup ]; then
  build_web
  build_widgets
  log "cargo build --release (desktop app, start-up benchmark, the market-data and tracker backends its demo widgets use)"
  cargo build --release --locked -p tessera -p tessera-e2e -p tessera-server -p tessera-sidecar -p tessera-market-data -p tessera-tracker
  "$BIN/startup-bench"
fi
if [ "$what" = all ] || [ "$what" = memory ] || [ "$what" = pss ]; then
  build_web
  build_widgets
  log "cargo build --release (desktop app, memory benchmark, the market-data and tracker backends its demo widgets use)"
  cargo build --release --locked -p tessera -p tessera-e2e -p tessera-server -p tessera-sidecar -p tessera-market-data -p tessera-tracker
  if [ "$what" != memory ]; then "$BIN/memory-bench" widgets; fi
  if [ "$what" = memory ]; then "$BIN/memory-bench" "${2:-30}"; fi
fi
