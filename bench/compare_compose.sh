#!/usr/bin/env bash
# Do two builds of sml-compose import and edit models the same way? For a change to how libonnx
# is run (its child process, lib/compose/libonnx_child.cpp): `--import M -o X` and
# `--import M --num-classes 7 -o X` (an edit: inference before and after) on every .onnx file of
# tests/models and tests/malformed and the import fuzz corpus (every STRIDE-th of the onnx one);
# stdout, stderr, exit status and the written model compared. Both read this tree's catalog/ and
# hw/. Prints the count and each difference; exits 1 on any difference.
#   bash bench/compare_compose.sh OLD_TOOLS_DIR NEW_TOOLS_DIR [JOBS] [STRIDE]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
old=$1 new=$2 jobs=${3:-2} stride=${4:-4}
/usr/bin/python3 - "$old" "$new" "$jobs" "$stride" "$here" <<'PY'
import glob, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
old, new, jobs, stride, here = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
os.environ["SML_DATA_PATH"] = here
models = []
for d in ("tests/models", "tests/malformed"):
    models += sorted(glob.glob(os.path.join(here, d, "**", "*.onnx"), recursive=True))
models += sorted(p for p in glob.glob(os.path.join(here, "tests/fuzz/corpus/import/*")) if os.path.isfile(p))
models += sorted(p for p in glob.glob(os.path.join(here, "tests/fuzz/corpus/onnx/*")) if os.path.isfile(p))[::stride]
edits = [[], ["--num-classes", "7"]]
def run(tools, model, edit):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.onnx")
        try:
            p = subprocess.run([os.path.join(tools, "sml-compose"), "--import", model, *edit, "-q", "-o", out],
                               capture_output=True, timeout=300, cwd=here)
        except subprocess.TimeoutExpired:
            return b"", b"", "timeout", b""
        written = open(out, "rb").read() if os.path.exists(out) else b""
        clean = lambda b: b.replace(here.encode(), b"HERE").replace(d.encode(), b"TMP")
        return clean(p.stdout), clean(p.stderr), p.returncode, written
def compare(item):
    model, edit = item
    a, b = run(old, model, edit), run(new, model, edit)
    if a == b:
        return None
    what = [n for n, x, y in zip(("stdout", "stderr", "exit status", "model written"), a, b) if x != y]
    return "%s %s: %s differ" % (os.path.relpath(model, here), " ".join(edit), ", ".join(what))
items = [(m, e) for m in models for e in edits]
with ThreadPoolExecutor(jobs) as pool:
    diffs = [d for d in pool.map(compare, items) if d]
for d in diffs:
    print(d)
print("%d runs of sml-compose --import (%d models, %d edits each): %d differ" % (len(items), len(models), len(edits), len(diffs)))
sys.exit(1 if diffs else 0)
PY
