#!/usr/bin/env bash
# Benchmarks with release binaries on this machine. Usage:
#   ./scripts/bench.sh            # all of the below
#   ./scripts/bench.sh registry   # heartbeats/s, list and discovery latency, expiry, pgbench ratio
#   ./scripts/bench.sh sidecar    # run → registered, idle RSS and CPU
#   ./scripts/bench.sh layouts    # 100,000 stored layouts: load/save latency and rate, pgbench ratio
#   ./scripts/bench.sh bus        # broadcast latency and rate in the real app under Xvfb
# Postgres: DATABASE_URL if set, else a throwaway cluster (initdb + pg_ctl).
source "$(dirname "$0")/lib.sh"

install_system_packages
cd "$ROOT"
log "cargo build --release (registry, sidecar, bench)"
cargo build --release --locked -p tessera-registry -p tessera-sidecar -p tessera-bench
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
if [ "$what" = all ] || [ "$what" = layouts ]; then
  log "cargo build --release (layouts benchmark)"
  cargo build --release --locked -p tessera-layouts --features bench --bin tessera-layouts-bench
  "$BIN/tessera-layouts-bench"
  echo
fi
if [ "$what" = all ] || [ "$what" = bus ]; then
  install_tauri_driver
  build_web
  log "cargo build --release (desktop app, bus benchmark)"
  cargo build --release --locked -p tessera -p tessera-e2e -p tessera-registry -p tessera-sidecar
  "$BIN/bus-bench"
fi
