#!/usr/bin/env bash
# Builds the site in release mode and serves it on http://127.0.0.1:8080 (Ctrl-C to stop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"

bash scripts/setup.sh
trunk build --release
echo
echo "Serverless Playground: http://127.0.0.1:8080/"
echo
exec trunk serve --release --address 127.0.0.1 --port 8080
