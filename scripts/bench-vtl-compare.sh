#!/usr/bin/env bash
# Side-by-side VTL rendering speed on this machine, in one go: our engine (`cargo bench --bench vtl_render` in
# compare mode), velocityjs (npm; the engine serverless-offline uses) and airspeed (PyPI; the engine LocalStack
# uses), on the same templates (benches/vtl/*.vtl) and data (benches/vtl/data.json). Each engine parses a
# template once and renders it repeatedly for about two seconds; the script prints renders per second, the
# ratios, and whether the outputs agree once whitespace is ignored (the engines gobble whitespace differently).
#
# Needs: cargo, node + npm, python3 (with venv). Installs velocityjs and airspeed into a temporary folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
templates="foreach_if set_chain string_build"

echo "=== installing velocityjs (npm) and airspeed (PyPI) into $work"
npm install --prefix "$work/npm" --no-save --no-audit --no-fund --silent velocityjs@2 >/dev/null
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check airspeed
echo "velocityjs $(node -p "require('$work/npm/node_modules/velocityjs/package.json').version"), airspeed $("$work/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("airspeed"))')"

echo "=== serverless-playground (Rust, release profile)"
VTL_COMPARE=1 VTL_COMPARE_OUT="$work" cargo bench --quiet --bench vtl_render | tee "$work/rust.txt"

echo "=== velocityjs (node $(node --version))"
cat > "$work/bench.js" <<'JS'
const Velocity = require(process.argv[2] + '/node_modules/velocityjs');
const fs = require('fs');
const [, , , root, out, ...names] = process.argv;
const data = JSON.parse(fs.readFileSync(`${root}/benches/vtl/data.json`, 'utf8'));
for (const name of names) {
  const compiled = new Velocity.Compile(Velocity.parse(fs.readFileSync(`${root}/benches/vtl/${name}.vtl`, 'utf8')));
  const output = compiled.render(data);
  fs.writeFileSync(`${out}/velocityjs-${name}.txt`, output);
  for (let i = 0; i < 500; i++) compiled.render(data); // JIT warm-up
  let renders = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 2) {
    for (let i = 0; i < 20; i++) compiled.render(data);
    renders += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  console.log(`${name} ${Math.round(renders / elapsed)} ${output.length}`);
}
JS
node "$work/bench.js" "$work/npm" "$root" "$work" $templates | tee "$work/js.txt"

echo "=== airspeed ($("$work/venv/bin/python" --version))"
cat > "$work/bench.py" <<'PY'
import json, sys, time
import airspeed
root, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
data = json.load(open(f"{root}/benches/vtl/data.json"))
for name in names:
    template = airspeed.Template(open(f"{root}/benches/vtl/{name}.vtl").read())
    output = template.merge(data)  # parses once; later merges reuse the parse
    open(f"{out}/airspeed-{name}.txt", "w").write(output)
    renders, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2:
        template.merge(data)
        renders += 1
    print(f"{name} {round(renders / (time.perf_counter() - start))} {len(output)}")
PY
"$work/venv/bin/python" "$work/bench.py" "$root" "$work" $templates | tee "$work/py.txt"

echo "=== summary (renders per second; ratio = ours / theirs)"
python3 - "$work" $templates <<'PY'
import sys
work, names = sys.argv[1], sys.argv[2:]
def rates(f):
    return {l.split()[0]: float(l.split()[1]) for l in open(f"{work}/{f}") if l.strip()}
rust, js, py = rates("rust.txt"), rates("js.txt"), rates("py.txt")
def squash(engine, name):
    return "".join(open(f"{work}/{engine}-{name}.txt").read().split())
print(f"{'template':<14}{'ours':>12}{'velocityjs':>12}{'airspeed':>12}{'x velocityjs':>14}{'x airspeed':>12}  outputs")
for n in names:
    ours = squash("rust", n)
    agree = ", ".join(f"{e} {'same' if squash(e, n) == ours else 'DIFFERENT'}" for e in ("velocityjs", "airspeed"))
    print(f"{n:<14}{rust[n]:>12.0f}{js[n]:>12.0f}{py[n]:>12.0f}{rust[n] / js[n]:>14.1f}{rust[n] / py[n]:>12.1f}  {agree}")
PY
