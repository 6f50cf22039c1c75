#!/usr/bin/env bash
# sml-compose's time per architecture: every `--arch` of `sml-compose --list archs` built with its
# default weights (random; zeros in a sparse data file past protobuf's 2 GiB) into a temporary
# folder, one process each. Prints, per architecture, CPU seconds (GNU time's user + system, so a
# busy machine's waiting is not counted), wall seconds, peak RSS and the bytes written, then the
# slowest five by CPU and by wall. Prints figures; never passes or fails on timing (issue 13's
# target: every architecture under 2 s on two cores).
#   bash bench/run_compose_bench.sh [path/to/sml-compose] [--summary] [--shape-only]
#   (--summary: no per-arch lines; --shape-only: `--weights zeros --external-data`, the build a CI or
#   suggest pipeline needs: a valid model whose weights are holes in a sparse OUTPUT.data, nothing drawn)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
summary=0
shape_only=0
tool=$here/build/tools/sml-compose
for a in "$@"; do
  if [ "$a" = --summary ]; then summary=1; elif [ "$a" = --shape-only ]; then shape_only=1; else tool=$a; fi
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 - "$tool" "$out" "$summary" "$shape_only" <<'PY'
import os, subprocess, sys, time
tool, out, summary = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
extra = ["--weights", "zeros", "--external-data"] if sys.argv[4] == "1" else []
archs = [l.split("\t")[0] for l in subprocess.run([tool, "--list", "archs"], capture_output=True, text=True, check=True).stdout.splitlines()
         if l and not l.startswith(" ")]
rows = []
t = os.path.join(out, "time")
for a in archs:
    model = os.path.join(out, "m.onnx")
    start = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", t, tool, "-q", "--arch", a, "-o", model] + extra,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    u, s, rss = open(t).read().split()[-3:]
    # Bytes on disk (allocated blocks): a sparse data file of zeros takes none.
    written = sum(os.stat(os.path.join(out, f)).st_blocks * 512 for f in os.listdir(out) if f.startswith("m.onnx"))
    rows.append((a, float(u) + float(s), wall, int(rss) / 1024, written / 1e6, r.returncode))
    if not summary:
        print("%-28s %6.2f s CPU %6.2f s wall %7.0f MB RSS %9.1f MB written%s" % (rows[-1][:5] + ("" if r.returncode == 0 else "  (exit %d)" % r.returncode,)))
    for f in os.listdir(out):
        if f.startswith("m.onnx"):
            os.remove(os.path.join(out, f))
ok = [r for r in rows if r[5] == 0]
print("%d architectures, %d built; load average %s" % (len(rows), len(ok), os.getloadavg()[0]))
for label, key in (("CPU", 1), ("wall", 2)):
    print("slowest by %s:" % label, ", ".join("%s %.2f s" % (r[0], r[key]) for r in sorted(ok, key=lambda r: -r[key])[:5]))
PY
