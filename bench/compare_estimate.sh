#!/usr/bin/env bash
# Do two builds of sml-estimate and sml-accelsim give the same answers? For a change that must not
# change what is counted (a faster walk, a lazier fold): sml-estimate on every .onnx file of tests/models,
# tests/malformed and the onnx and import fuzz corpora, and sml-accelsim on every STRIDE-th of them;
# stdout, stderr and exit status compared. Both read this tree's catalog/ and hw/ (SML_DATA_PATH).
# Prints the count and each difference; exits 1 on any difference.
#   bash bench/compare_estimate.sh OLD_TOOLS_DIR NEW_TOOLS_DIR [JOBS] [STRIDE]
# (a TOOLS_DIR holds sml-estimate and sml-accelsim, e.g. build/tools)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
old=$1 new=$2 jobs=${3:-2} stride=${4:-4}
/usr/bin/python3 - "$old" "$new" "$jobs" "$stride" "$here" <<'PY'
import glob, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
old, new, jobs, stride, here = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
os.environ["SML_DATA_PATH"] = here
models = []
for d in ("tests/models", "tests/malformed"):
    models += sorted(glob.glob(os.path.join(here, d, "**", "*.onnx"), recursive=True))
for d in ("tests/fuzz/corpus/onnx", "tests/fuzz/corpus/import"):
    models += sorted(p for p in glob.glob(os.path.join(here, d, "*")) if os.path.isfile(p))
inputs = [("sml-estimate", m) for m in models] + [("sml-accelsim", m) for m in models[::stride]]
def run(tool, model):
    try:
        p = subprocess.run([tool, model], capture_output=True, timeout=300, cwd=here)
        return p.stdout.replace(here.encode(), b"HERE"), p.stderr.replace(here.encode(), b"HERE"), p.returncode
    except subprocess.TimeoutExpired:
        return b"", b"", "timeout"
def compare(item):
    tool, model = item
    a, b = run(os.path.join(old, tool), model), run(os.path.join(new, tool), model)
    if a == b:
        return None
    what = [n for n, x, y in zip(("stdout", "stderr", "exit status"), a, b) if x != y]
    return "%s %s: %s differ" % (tool, os.path.relpath(model, here), ", ".join(what))
with ThreadPoolExecutor(jobs) as pool:
    diffs = [d for d in pool.map(compare, inputs) if d]
for d in diffs:
    print(d)
est = len(models)
print("%d runs (sml-estimate on %d models, sml-accelsim on %d): %d differences" % (len(inputs), est, len(inputs) - est, len(diffs)))
sys.exit(1 if diffs else 0)
PY
