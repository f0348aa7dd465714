#!/usr/bin/env bash
# Prints issue 9's measurements of the release build in headless Chromium on this machine, against the targets:
# time from navigation to an interactive page with a cold cache (≤ 1.5 s), the gzip size of everything the page
# loads (≤ 2 MB), and the time to render the Method Execution view and a 1,000-item table (each ≤ 50 ms).
# Usage: bash scripts/measure.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"

bash scripts/setup.sh --browser >/dev/null
echo "== release build sizes (scripts/size-report.sh)"
bash scripts/size-report.sh
echo
echo "== headless Chromium ($(/usr/bin/chromium --version 2>/dev/null)), $(nproc) cores"
cargo run --quiet --example browser_tools -- measure
