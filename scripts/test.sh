#!/usr/bin/env bash
# Installs what is needed and runs every check and test: formatting, lints,
# the front end's type check and unit tests, the Rust unit and integration
# tests (storage on SQLite and on a real Postgres started by the harness), and
# the end-to-end tests of the real desktop app under Xvfb through tauri-driver.
source "$(dirname "$0")/lib.sh"

install_system_packages
install_tauri_driver
build_web    # includes the TypeScript type check (tsc --noEmit)
build_widgets
for pkg in "$ROOT"/widgets/*/package.json; do
  if grep -q '"test":' "$pkg"; then
    log "npm test (widgets/$(basename "$(dirname "$pkg")")/: the element against a fake backend, happy-dom)"
    (cd "$(dirname "$pkg")" && npm test --silent)
  fi
done
log "npm test (web/: the front end's unit tests, vitest)"
(cd "$ROOT/web" && npm test --silent)

cd "$ROOT"
log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --features tessera-layouts/bench --locked -- -D warnings
log "cargo build (binaries the end-to-end tests start)"
cargo build --workspace --bins --locked
log "deploy/: Kubernetes manifests against the schemas and the real binaries"
install_deploy_checker
"$DEPLOY_PYTHON" "$ROOT/scripts/check-deploy.py" "$(bins_dir)"
log "cargo test (Postgres: ${DATABASE_URL:-throwaway cluster started by the harness})"
cargo test --workspace --locked --no-fail-fast --exclude tessera-e2e
# One desktop app at a time: each runs its own Xvfb, WebKit processes and
# services, and two cores are shared with everything else.
log "cargo test -p tessera-e2e (the real app under Xvfb)"
cargo test -p tessera-e2e --locked --no-fail-fast -- --test-threads=1
