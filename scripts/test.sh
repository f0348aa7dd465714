#!/usr/bin/env bash
# Everything CI checks, in order: formatting, lints (native and with the web feature), tests, the release site,
# and the browser end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

start=$(date +%s)
section_start=$start
section() {
  local now
  now=$(date +%s)
  if [ -n "${current:-}" ]; then
    echo "--- ${current}: $((now - section_start)) s"
  fi
  current="$1"
  section_start=$now
  echo
  echo "=== $1"
}

section "setup (tools, chromium)"
bash scripts/setup.sh --browser

section "cargo fmt --check"
cargo fmt --check

section "cargo clippy --all-targets"
cargo clippy --all-targets -- -D warnings

section "cargo clippy --all-targets --features web"
cargo clippy --all-targets --features web -- -D warnings

section "cargo test"
cargo test

section "cargo test --features web --lib ui (UI unit tests)"
cargo test --features web --lib ui

section "trunk build --release"
trunk build --release

section "browser end-to-end tests"
cargo test --test e2e_browser -- --ignored --test-threads=1

section "done"
echo "all checks passed in $(( $(date +%s) - start )) s"
