#!/usr/bin/env bash
# Builds the release site and prints the raw and gzip (-9) sizes of the .wasm and .js files in dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"

bash scripts/setup.sh >/dev/null
trunk build --release >/dev/null 2>&1 || trunk build --release

printf '%-48s %12s %12s\n' "file" "raw bytes" "gzip bytes"
total_raw=0
total_gz=0
shopt -s nullglob
for f in dist/*.wasm dist/*.js; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-48s %12d %12d\n' "$f" "$raw" "$gz"
done
printf '%-48s %12d %12d\n' "total" "$total_raw" "$total_gz"
