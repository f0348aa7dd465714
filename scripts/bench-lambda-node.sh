#!/usr/bin/env bash
# Issue 5's physical reference: the handlers of `benches/lambda_invoke.rs` run by this machine's Node.js, beside
# our engine's figures, as a ratio. Node runs each handler the way the Lambda runtime client does for a warm
# invoke (parse the event text, await the handler, stringify the result), in a loop, with console.log collected
# into an array (the playground keeps log lines; writing them to a terminal would measure the terminal). The cold
# figure is a fresh `node` process loading the handler and invoking it once, which is what a cold start costs a
# Node.js runtime before any network or sandbox work.
#
# Usage: bash scripts/bench-lambda-node.sh          (Node only, a few seconds)
#        bash scripts/bench-lambda-node.sh --engine (then `cargo bench --bench lambda_invoke` and the ratios)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/hello.js" <<'JS'
exports.handler = async (event) => {
  console.log('event', event);
  return { statusCode: 200, body: JSON.stringify({ message: 'Hello ' + event.name }) };
};
JS
cat > "$work/echo.js" <<'JS'
exports.handler = async (event) => {
  const copy = JSON.parse(JSON.stringify(event));
  return { count: copy.items.length, last: copy.items[copy.items.length - 1].id };
};
JS
# The same 880-item, 102 KB event as `event_100kb` in benches/lambda_invoke.rs.
cat > "$work/bench.js" <<'JS'
const lines = [];
console.log = (...args) => lines.push(args);
const [, , dir] = process.argv;
const items = [];
for (let i = 0; i < 880; i++) {
  items.push({ id: 'item-' + String(i).padStart(5, '0'), name: `Item number ${i} of the bench event`,
    tags: ['alpha', 'beta', 't' + (i % 7)], n: i * 3, active: i % 2 === 0 });
}
const big = JSON.stringify({ items });
async function measure(name, handler, text) {
  const once = async () => JSON.stringify(await handler(JSON.parse(text), {}));
  for (let i = 0; i < 200; i++) await once();
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < 2_000_000_000n) {
    for (let i = 0; i < 50; i++) await once();
    runs += 50;
    lines.length = 0;
    elapsed = process.hrtime.bigint() - start;
  }
  process.stdout.write(`${name} ${(Number(elapsed) / runs / 1000).toFixed(2)}\n`);
}
(async () => {
  await measure('lambda_invoke_warm', require(dir + '/hello.js').handler, '{"name":"world"}');
  await measure('lambda_invoke_warm_json_100kb', require(dir + '/echo.js').handler, big);
})();
JS
cat > "$work/cold.js" <<'JS'
require(process.argv[2] + '/hello.js').handler({ name: 'world' }).then((r) => JSON.stringify(r));
JS

echo "=== Node.js $(node --version), microseconds per invoke"
node "$work/bench.js" "$work" | tee "$work/node.txt"
runs=20
start=$(date +%s%N)
for _ in $(seq "$runs"); do node "$work/cold.js" "$work" >/dev/null; done
cold=$(( ($(date +%s%N) - start) / runs / 1000 ))
echo "lambda_invoke_cold $cold" | tee -a "$work/node.txt"

if [ "${1:-}" = "--engine" ]; then
  echo "=== serverless-playground (cargo bench --bench lambda_invoke)"
  cargo bench --quiet --bench lambda_invoke -- --noplot 2>/dev/null | tee "$work/engine.txt"
  echo "=== ratio (engine / Node.js, per invoke)"
  python3 - "$work/node.txt" "$work/engine.txt" <<'PY'
import re, sys
node = dict(line.split() for line in open(sys.argv[1]) if line.strip())
units = {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}
engine, name = {}, None
for line in open(sys.argv[2]):
    match = re.match(r"^(\S+)\s*time:\s*\[\S+ \S+ (\S+) (\S+)", line) or re.match(r"^\s+time:\s*\[\S+ \S+ (\S+) (\S+)", line)
    if line.strip() and not line.startswith(" ") and "time:" not in line:
        name = line.split()[0]
    if match:
        groups = match.groups()
        if len(groups) == 3:
            name = groups[0]
        engine[name] = float(groups[-2]) * units[groups[-1]]
for bench, reference in node.items():
    if bench in engine:
        print(f"{bench}: engine {engine[bench]:.1f} us, node {float(reference):.1f} us, ratio {engine[bench] / float(reference):.1f}x")
PY
fi
