#!/usr/bin/env bash
# Do two sml-describe binaries give the same answers? For a change that must not change what is
# read (an engine swap, a speed-up): every statement of the describe and suggest validation sets
# (the bench's statements are among them) and every input of the describe fuzz corpus (read with
# -f), each in the default format and with --format json; stdout, stderr and exit status compared.
# Both read this tree's catalog/ and hw/ (SML_DATA_PATH), wherever they were built: a binary finds
# its data beside the source it was built from, which may have moved on since.
# The clean sets (describe heldout-26, heldout-27) are left out: nobody reads their answers.
# Prints the count and each difference; exits 1 on any difference.
#   bash bench/compare_describe.sh OLD_BINARY NEW_BINARY [JOBS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
old=$1 new=$2 jobs=${3:-2}
/usr/bin/python3 - "$old" "$new" "$jobs" "$here" <<'PY'
import glob, os, subprocess, sys, yaml
from concurrent.futures import ThreadPoolExecutor
old, new, jobs, here = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.environ["SML_DATA_PATH"] = here
inputs = []  # (label, argv tail)
seen = set()
for path in sorted(glob.glob(here + "/tests/validation/describe/*.yaml") + glob.glob(here + "/tests/validation/suggest/*.yaml")):
    if os.path.basename(path) in ("heldout-26.yaml", "heldout-27.yaml"):
        continue
    doc = yaml.safe_load(open(path))
    for item in (doc.get("problems") or doc.get("cases") or []) if isinstance(doc, dict) else []:
        text = item.get("text") if isinstance(item, dict) else None
        if text and text not in seen:
            seen.add(text)
            inputs.append(("%s:%s" % (os.path.basename(path), item.get("id", len(inputs))), [text]))
texts = len(inputs)
for path in sorted(glob.glob(here + "/tests/fuzz/corpus/describe/*")):
    inputs.append((os.path.relpath(path, here), ["-f", path]))
def run(tool, tail):
    p = subprocess.run([tool] + tail, capture_output=True, timeout=120)
    return p.stdout, p.stderr, p.returncode
def compare(item):
    label, tail = item
    out = []
    for fmt in ([], ["--format", "json"]):
        a, b = run(old, tail + fmt), run(new, tail + fmt)
        if a != b:
            what = [n for n, x, y in zip(("stdout", "stderr", "exit status"), a, b) if x != y]
            out.append("%s %s: %s differ" % (label, " ".join(fmt) or "yaml", ", ".join(what)))
    return out
with ThreadPoolExecutor(jobs) as pool:
    diffs = [d for r in pool.map(compare, inputs) for d in r]
for d in diffs:
    print(d)
print("%d inputs (%d statements, %d fuzz corpus files), 2 formats each: %d differences" % (len(inputs), texts, len(inputs) - texts, len(diffs)))
sys.exit(1 if diffs else 0)
PY
