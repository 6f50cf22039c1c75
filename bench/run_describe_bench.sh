#!/usr/bin/env bash
# sml-describe's CPU time per statement, start-up included (one process per statement, its user +
# system time from getrusage, so a busy machine's waiting is not counted; GNU time, used before,
# counted in steps of 10 ms), over the held-out and dev
# statements: one line per statement (set, id, misspelt or not, CPU ms), then the median, the 90th
# and 95th percentiles and the slowest, for statements read as they are and for misspelt ones.
# Prints figures; never passes or fails on timing. Issue #16's bound: under 50 ms per statement.
#   bash bench/run_describe_bench.sh [path/to/sml-describe] [--summary] [--all]
#   --summary: no per-statement lines; --all: every describe set but the clean ones (heldout-26,
#   heldout-27), instead of the six sets the figures in the README were taken on.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
summary=0 all=0
tool=$here/build/tools/sml-describe
for a in "$@"; do
  case $a in
    --summary) summary=1 ;;
    --all) all=1 ;;
    *) tool=$a ;;
  esac
done
/usr/bin/python3 - "$tool" "$here/tests/validation/describe" "$summary" "$all" <<'PY'
import glob, os, resource, subprocess, sys, yaml
tool, folder, summary, every = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1"
names = ["heldout", "heldout-none", "heldout-2", "heldout-3", "heldout-4", "dev"]
if every:
    clean = {"heldout-26", "heldout-27"}  # never read for tuning, so not timed either
    names = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(folder, "*.yaml")))
    names = [n for n in names if n not in clean]
groups = {"as written": [], "misspelt": []}
for name in names:
    doc = yaml.safe_load(open(os.path.join(folder, name + ".yaml")))
    for p in (doc.get("problems") or []) if isinstance(doc, dict) else []:
        if not isinstance(p, dict) or not p.get("text"):
            continue
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([tool, p["text"]], stdout=subprocess.DEVNULL, check=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        ms = 1000 * (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        label = "misspelt" if p.get("typo") else "as written"
        groups[label].append(ms)
        if not summary:
            print("%-12s %-5s %-10s %5.1f ms" % (name, p.get("id", ""), label, ms))
groups["all"] = groups["as written"] + groups["misspelt"]
print("| statements | n | median CPU ms | p90 CPU ms | p95 CPU ms | slowest CPU ms |")
print("|---|---|---|---|---|---|")
for label, ms in groups.items():
    ms.sort()
    if ms:
        print("| %s | %d | %.1f | %.1f | %.1f | %.1f |" % (label, len(ms), ms[len(ms) // 2], ms[int(len(ms) * 0.9)], ms[int(len(ms) * 0.95)], ms[-1]))
PY
