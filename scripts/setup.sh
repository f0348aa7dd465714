#!/usr/bin/env bash
# Installs what building and testing the site needs, skipping whatever is already there:
#   - the rustfmt and clippy components and the wasm32-unknown-unknown target,
#   - Trunk 0.21.14,
#   - wasm-bindgen-cli at the version of the wasm-bindgen crate in Cargo.lock (Trunk runs offline and uses it),
#   - wasm-opt from binaryen 132 (npm's `binaryen` package, a WebAssembly build run by Node.js; Debian's binaryen
#     108 cannot read the table.fill instructions Rust emits), into $CARGO_HOME/bin; release builds run it (-Oz),
#   - with --browser: Debian's chromium and chromium-driver (for tests/e2e_browser.rs).
# Usage: bash scripts/setup.sh [--browser]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "usage: $0 [--browser]" >&2; exit 2 ;;
  esac
done

export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"
say() { echo "setup: $*"; }

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^${component}"; then
    say "adding the ${component} component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qF "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes a few minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

[ -f Cargo.lock ] || cargo generate-lockfile
wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$wbg_version" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version (takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

binaryen_major="${BINARYEN_VERSION%%.*}"
if [ "$(wasm-opt --version 2>/dev/null || true)" != "wasm-opt version ${binaryen_major} (version_${binaryen_major})" ]; then
  if ! command -v npm >/dev/null; then
    say "installing nodejs and npm (for wasm-opt)"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
  fi
  say "installing wasm-opt (binaryen ${BINARYEN_VERSION} from npm)"
  npm install --global --prefix "${CARGO_HOME:-${HOME:-/root}/.cargo}" --no-audit --no-fund "binaryen@${BINARYEN_VERSION}" >/dev/null
fi

if [ "$want_browser" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  say "installing chromium and chromium-driver"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

say "ok: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)$([ "$want_browser" = 1 ] && echo ", $(/usr/bin/chromium --version 2>/dev/null)")"
