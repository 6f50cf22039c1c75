#!/usr/bin/env bash
# sml-describe's CPU time per statement, start-up included (one process per statement, its user +
# system time from getrusage, so a busy machine's waiting is not counted; GNU time, used before,
# counted in steps of 10 ms), over the held-out and dev
# statements: one line per statement (set, id, misspelt or not, CPU ms), then the median, the 90th
# percentile and the slowest, for statements read as they are and for misspelt ones. Prints
# figures; never passes or fails on timing.
#   bash bench/run_describe_bench.sh [path/to/sml-describe] [--summary]   (--summary: no per-statement lines)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
summary=0
tool=$here/build/tools/sml-describe
for a in "$@"; do
  if [ "$a" = --summary ]; then summary=1; else tool=$a; fi
done
/usr/bin/python3 - "$tool" "$here/tests/validation/describe" "$summary" <<'PY'
import os, resource, subprocess, sys, yaml
tool, folder, summary = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
groups = {"as written": [], "misspelt": []}
for name in ("heldout", "heldout-none", "heldout-2", "heldout-3", "heldout-4", "dev"):
    for p in yaml.safe_load(open(os.path.join(folder, name + ".yaml")))["problems"]:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([tool, p["text"]], stdout=subprocess.DEVNULL, check=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        ms = 1000 * (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        label = "misspelt" if p.get("typo") else "as written"
        groups[label].append(ms)
        if not summary:
            print("%-12s %-5s %-10s %5.1f ms" % (name, p["id"], label, ms))
print("| statements | n | median CPU ms | p90 CPU ms | slowest CPU ms |")
print("|---|---|---|---|---|")
for label, ms in groups.items():
    ms.sort()
    print("| %s | %d | %.1f | %.1f | %.1f |" % (label, len(ms), ms[len(ms) // 2], ms[int(len(ms) * 0.9)], ms[-1]))
PY
