#!/usr/bin/env bash
# sml-describe's CPU time per statement, start-up included (one process per statement, GNU time's
# user + system seconds, so a busy machine's waiting is not counted), over the held-out statements:
# the median and the 90th percentile, for statements read as they are and for misspelt ones (which
# load Hunspell's dictionary). Prints figures; never passes or fails on timing.
#   bash bench/run_describe_bench.sh [path/to/sml-describe]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tool=${1:-$here/build/tools/sml-describe}
/usr/bin/python3 - "$tool" "$here/tests/validation/describe" <<'PY'
import os, subprocess, sys, tempfile, yaml
tool, folder = sys.argv[1], sys.argv[2]
groups = {"as written": [], "misspelt": []}
for name in ("heldout.yaml", "heldout-none.yaml", "heldout-2.yaml"):
    for p in yaml.safe_load(open(os.path.join(folder, name)))["problems"]:
        groups["misspelt" if p.get("typo") else "as written"].append(p["text"])
with tempfile.NamedTemporaryFile() as t:
    print("| statements | n | median CPU ms | p90 CPU ms |")
    print("|---|---|---|---|")
    for label, texts in groups.items():
        ms = []
        for text in texts:
            subprocess.run(["/usr/bin/time", "-f", "%U %S", "-o", t.name, tool, text], stdout=subprocess.DEVNULL, check=True)
            u, s = map(float, open(t.name).read().split()[-2:])
            ms.append(1000 * (u + s))
        ms.sort()
        print("| %s | %d | %.0f | %.0f |" % (label, len(ms), ms[len(ms) // 2], ms[int(len(ms) * 0.9)]))
PY
