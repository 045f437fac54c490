#!/usr/bin/env bash
# Runs FINOS's FDC3 2.2 conformance suite (the FDC3 repository's
# toolbox/fdc3-conformance) against Tessera: the real app under Xvfb, the
# suite's apps published unchanged as Tessera widgets.
#
#   FDC3_SRC=/path/to/FDC3 ./scripts/fdc3-conformance.sh [--all] [--packs] [--pack NAME]...
#
# FDC3_SRC   a clone of https://github.com/finos/FDC3 (a work tree or a bare
#            git directory), e.g. `git clone https://github.com/finos/FDC3`.
#            It is not copied into this repository: the suite is extracted
#            and built under $FDC3_CONFORMANCE_DIR.
# FDC3_REF   the tag or commit to take from it with `git archive` (default
#            v2.2.3, the newest 2.2 release); FDC3_REF=worktree takes the
#            work tree's files as they are.
# FDC3_CONFORMANCE_DIR  where the suite is built (default
#            ~/.cache/tessera/fdc3-conformance); each ref is built once.
# TESSERA_BIN_DIR  the built tessera, tessera-server and tessera-sidecar
#            (default $CARGO_TARGET_DIR/debug: `cargo build --workspace`).
#
# What it runs: by default the whole suite ("All", as one run) and then
# every pack of the suite's drop-down on its own, each in a fresh app;
# --all or --packs for one of the two, --pack NAME (repeatable) for chosen
# packs. It prints the passes per area (Basic, Open, User Channels, App
# Channels, Metadata, Intents: the suite's 83 automated tests; its 5 manual
# tests need a person to pick in the resolver and are not run), then each
# failure with its message. Results (JSON per run, screenshots of the
# display, the app's log) stay in the run's folder, printed at the end.
#
# Needs: node 20 and npm (npm ci from the FDC3 lock file: the npm registry),
# Xvfb, ImageMagick's import, tauri-driver and WebKitWebDriver, as the
# end-to-end tests do (./scripts/test.sh installs them).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/scripts/fdc3-conformance"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
BIN="${TESSERA_BIN_DIR:-$CARGO_TARGET_DIR/debug}"
WORK="${FDC3_CONFORMANCE_DIR:-$HOME/.cache/tessera/fdc3-conformance}"
REF="${FDC3_REF:-v2.2.3}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'fdc3-conformance: %s\n' "$*" >&2; exit 1; }

mode_all=0 mode_packs=0 packs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) mode_all=1 ;;
    --packs) mode_packs=1 ;;
    --pack) shift; packs+=("$1") ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
if [ ${#packs[@]} -eq 0 ] && [ $mode_all = 0 ] && [ $mode_packs = 0 ]; then mode_all=1 mode_packs=1; fi
# The suite's drop-down: "All", then each basic and advanced pack.
ALL_PACKS=(fdc3.basicGetAgent fdc3.basicCL1 fdc3.basicCL2 fdc3.basicIL1 fdc3.basicGI1 fdc3.basicAC1
  fdc3.basicUC1 fdc3.basicJC1 fdc3.basicRI1 fdc3.basicRI2 fdc3.open fdc3.getInfo fdc3.getAppMetadata
  fdc3.appChannels fdc3.userChannels fdc3.findInstances fdc3.findIntent fdc3.findIntentsByContext
  fdc3.raiseIntent "fdc3.raiseIntent (result)" "fdc3.raiseIntent (throws error)")
[ $mode_all = 1 ] && packs=(All "${packs[@]}")
[ $mode_packs = 1 ] && packs+=("${ALL_PACKS[@]}")

[ -n "${FDC3_SRC:-}" ] || die "set FDC3_SRC to a clone of https://github.com/finos/FDC3 (git clone https://github.com/finos/FDC3), see --help"
for b in tessera tessera-server tessera-sidecar; do
  [ -x "$BIN/$b" ] || die "$BIN/$b is missing: cargo build --workspace (or set TESSERA_BIN_DIR)"
done
DRIVER="${TAURI_DRIVER:-$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")}"
[ -x "$DRIVER" ] || die "tauri-driver is missing: cargo install tauri-driver --version 2.1.0 --locked"
for c in node npm Xvfb import WebKitWebDriver; do command -v "$c" >/dev/null || die "$c is missing"; done

# 1. The suite's sources, outside this repository.
if [ "$REF" = worktree ]; then
  [ -d "$FDC3_SRC/toolbox/fdc3-conformance" ] || die "$FDC3_SRC has no toolbox/fdc3-conformance"
  COMMIT="worktree-$(git -C "$FDC3_SRC" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  SRC="$WORK/src-worktree"
  log "copying the FDC3 work tree $FDC3_SRC to $SRC"
  rm -rf "$SRC" && mkdir -p "$SRC"
  tar -C "$FDC3_SRC" --exclude=node_modules --exclude=.git -cf - . | tar -C "$SRC" -xf -
else
  COMMIT="$(git -C "$FDC3_SRC" rev-parse --verify "$REF^{commit}" 2>/dev/null)" \
    || die "$FDC3_SRC has no $REF (git -C \$FDC3_SRC fetch --tags, or set FDC3_REF)"
  SRC="$WORK/src-$REF"
  if [ "$(cat "$SRC/.commit" 2>/dev/null)" != "$COMMIT" ]; then
    log "extracting FDC3 $REF ($COMMIT) to $SRC"
    rm -rf "$SRC" && mkdir -p "$SRC"
    git -C "$FDC3_SRC" archive "$COMMIT" | tar -x -C "$SRC"
    echo "$COMMIT" > "$SRC/.commit"
  fi
fi
SUITE="$SRC/toolbox/fdc3-conformance"
[ -f "$SUITE/package.json" ] || die "no toolbox/fdc3-conformance in FDC3 $REF"

# 2. Build it as its monorepo does: npm ci from the root lock file (only the
# workspaces the suite needs), the @finos/fdc3 packages it links to, then
# the suite (webpack, then its static pages copied into dist/).
if [ ! -f "$SUITE/dist/.built" ] || [ "$REF" = worktree ]; then
  WS=(packages/fdc3-schema packages/fdc3-context packages/fdc3-standard packages/fdc3-agent-proxy
    packages/fdc3-get-agent packages/fdc3)
  log "npm ci (FDC3 $REF: ${WS[*]} toolbox/fdc3-conformance)"
  (cd "$SRC" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts --include-workspace-root \
    $(printf -- '-w %s ' "${WS[@]}" toolbox/fdc3-conformance))
  for w in "${WS[@]}"; do
    log "npm run build ($w)"
    (cd "$SRC" && npm run build --silent -w "$w" >/dev/null)
  done
  log "npm run build (toolbox/fdc3-conformance)"
  (cd "$SUITE" && npm run build --silent >"$WORK/build.log" 2>&1) || { tail -40 "$WORK/build.log"; die "the suite's build failed"; }
  touch "$SUITE/dist/.built"
fi

# 3. A run folder: the widgets, the server's database, logs and results.
RUN="$(mktemp -d "${TMPDIR:-/tmp}/tessera-fdc3-conformance.XXXXXX")"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "widgets for the suite's apps in $RUN/widgets"
node "$HERE/make-widgets.mjs" "$SUITE/dist" "$RUN/widgets" >"$RUN/widgets.txt"
for w in "$RUN"/widgets/*/; do "$BIN/tessera-sidecar" check "$w" >/dev/null; done

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT="$(free_port)"
REGISTRY="http://127.0.0.1:$PORT"
DB="sqlite://$RUN/registry.db"
"$BIN/tessera-server" publisher add fdc3conf --database-url "$DB" --token-file "$RUN/publisher.token" >/dev/null
USER_TOKEN="$("$BIN/tessera-server" user add tester --database-url "$DB" 2>/dev/null | head -1)"
log "tessera-server serve on $REGISTRY"
"$BIN/tessera-server" serve --listen "127.0.0.1:$PORT" --database-url "$DB" \
  --file-cache-dir "$RUN/file-cache" >"$RUN/registry.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -sf "$REGISTRY/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "$REGISTRY/healthz" >/dev/null || { cat "$RUN/registry.log"; die "the registry did not start"; }

n=0
for w in "$RUN"/widgets/*/; do
  name="$(basename "$w")"
  "$BIN/tessera-sidecar" run "$w" --registry "$REGISTRY" --token-file "$RUN/publisher.token" \
    >"$RUN/sidecar-$name.log" 2>&1 &
  PIDS+=($!)
  n=$((n + 1))
done
for _ in $(seq 150); do
  [ "$(cat "$RUN"/sidecar-*.log | grep -c ' registered ')" -ge "$n" ] && break
  sleep 0.2
done
[ "$(cat "$RUN"/sidecar-*.log | grep -c ' registered ')" -ge "$n" ] || { tail "$RUN"/sidecar-*.log; die "not every sidecar registered"; }
log "$n conformance apps registered"

exec 9< <(Xvfb -displayfd 1 -screen 0 1600x1000x24 -nolisten tcp 2>"$RUN/xvfb.log")
XVFB_PID=$!
PIDS+=($XVFB_PID)
read -r -t 30 DISPLAY_NUM <&9 || die "Xvfb did not start: $(cat "$RUN/xvfb.log")"
log "Xvfb on :$DISPLAY_NUM; running ${#packs[@]} run(s) of the suite (each in a fresh app)"

RESULTS="$RUN/results"
ARGS=()
for p in "${packs[@]}"; do ARGS+=(--pack "$p"); done
node "$HERE/run-suite.mjs" --app "$BIN/tessera" --registry "$REGISTRY" --token "$USER_TOKEN" \
  --display ":$DISPLAY_NUM" --tauri-driver "$DRIVER" --out "$RESULTS" "${ARGS[@]}" >"$RUN/runs.txt"

printf '\nFDC3 conformance %s (%s) against %s\n' "$REF" "$COMMIT" "$BIN/tessera"
node "$HERE/summarize.mjs" "$RESULTS"
printf '\nResults, screenshots and logs: %s\n' "$RUN"
