#!/usr/bin/env bash
# Schema fuzzing of the server's /openapi.json with schemathesis (from PyPI,
# pinned in scripts/fuzz-requirements.txt, into a venv under ~/.cache/tessera),
# on SQLite and on a throwaway Postgres, bounded in time:
#   ./scripts/fuzz.sh [SECONDS_PER_ENGINE]    (default 180)
# Checks: no 5xx, answers match the documented schemas, status codes and
# content types. Exits non-zero when either engine has a failure.
source "$(dirname "$0")/lib.sh"

SECONDS_PER_ENGINE="${1:-180}"
install_system_packages
cd "$ROOT"
log "cargo build (tessera-server)"
cargo build --locked -p tessera-server
BIN="$(bins_dir)"
VENV="$HOME/.cache/tessera/fuzz-venv"
if ! "$VENV/bin/schemathesis" --version >/dev/null 2>&1; then
  log "pip install schemathesis (into $VENV)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/fuzz-requirements.txt"
fi

work="$(mktemp -d)"
chmod 755 "$work" # the Postgres cluster inside belongs to the postgres user
pg_pid_dir=""
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  if [ -n "$pg_pid_dir" ]; then pg_run pg_ctl -D "$pg_pid_dir" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
# initdb refuses root: the cluster belongs to the postgres user then.
pg_run() { local tool="$1"; shift; if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PG_BIN/$tool" "$@"; else "$PG_BIN/$tool" "$@"; fi; }

start_postgres() {
  local dir="$work/pg" port
  port="$(free_port)"
  mkdir -p "$dir"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  pg_run initdb -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  pg_run pg_ctl -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
  pg_pid_dir="$dir/data"
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

failed=0
for engine in sqlite postgres; do
  if [ "$engine" = sqlite ]; then db="sqlite://$work/fuzz.db"; else db="$(start_postgres)"; fi
  export TESSERA_FUZZ_USER_TOKEN TESSERA_FUZZ_PUBLISHER_TOKEN
  TESSERA_FUZZ_USER_TOKEN="$("$BIN/tessera-server" user add fuzzer --admin --database-url "$db" 2>/dev/null)"
  TESSERA_FUZZ_PUBLISHER_TOKEN="$("$BIN/tessera-server" publisher add fuzz --database-url "$db" 2>/dev/null)"
  port="$(free_port)"
  "$BIN/tessera-server" serve --listen "127.0.0.1:$port" --database-url "$db" --rate-limit 100000 >"$work/server-$engine.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  log "schemathesis on $engine for ${SECONDS_PER_ENGINE} s"
  # One worker: with two, hypothesis parses lambdas' source (ast) in both
  # threads at once, and CPython 3.11's ast is not safe for that ("SystemError:
  # AST constructor recursion depth mismatch", seen on the operations whose
  # schemas state limits).
  # Run from the scratch folder: schemathesis keeps a cache where it runs.
  # Its own crashes ("Runtime Error", e.g. a Python SystemError inside its
  # generator) are reported but are not answers from the server; a failed
  # check (its "Failures:" summary) is.
  out="$work/schemathesis-$engine.log"
  (cd "$work" && "$VENV/bin/schemathesis" --config-file "$ROOT/scripts/fuzz.toml" run "http://127.0.0.1:$port/openapi.json" \
      --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
      --phases examples,coverage,fuzzing --max-time "$SECONDS_PER_ENGINE" --workers 1 \
      --suppress-health-check all --warnings off) 2>&1 | tee "$out" | awk 'length($0) <= 2000' || true
  if grep -q "^Failures:" "$out"; then
    failed=1
    log "failures on $engine; server log: $CARGO_TARGET_DIR/fuzz-server-$engine.log"
    cp "$work/server-$engine.log" "$CARGO_TARGET_DIR/fuzz-server-$engine.log"
  fi
  if grep -q "Runtime Error" "$out"; then
    log "schemathesis itself crashed on $engine (a tool error, not a server answer; see above)"
  fi
  if grep -q "panicked" "$work/server-$engine.log"; then
    failed=1; log "the server panicked on $engine"; grep -m3 panicked "$work/server-$engine.log"
  fi
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
exit "$failed"
