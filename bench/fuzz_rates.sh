#!/usr/bin/env bash
# Executions per second of the fuzz harnesses (issue 20), for comparing builds on the same load:
# each harness of each build given runs SECONDS (default 45) from the same seed corpus into an empty
# folder, one run at a time, with run.sh's options (tests/fuzz/options.sh) and a fixed -seed, and
# prints executions, wall and CPU seconds (perf stat's task-clock over the harness and every process
# under it; GNU time's user + system where perf cannot count) and both rates, with the load
# average when it started. Runs of the builds alternate per harness so they share the load. Prints
# figures; never passes or fails on timing.
#   bash bench/fuzz_rates.sh [SECONDS] [--targets "onnx yaml …"] [--seeds DIR] [BUILD_DIR …]
# BUILD_DIR holds tests/fuzz/fuzz_* (default build-fuzz, as tests/fuzz/run.sh builds it) and, for an
# older build run as it was run then, its own options.sh (else tests/fuzz/options.sh). The seed
# corpus is DIR/TARGET (default: a copy of build-fuzz/corpus taken once into build-fuzz/bench-seeds,
# so run it after one `tests/fuzz/run.sh 1`, and later runs of run.sh do not change what is measured).
# Measured 2026-12-05 (`bash bench/fuzz_rates.sh 40 build-fuzz/before build-fuzz`, load 13-15 on 2
# shared cores, so per CPU-second is the figure to compare; before = commit 3999ff6 run with its
# run.sh options, after = edit_distance_within in the typo search, malloc_context_size=5, no
# symbolizer in fuzz_import):
#   harness   before exec/s  exec/CPU-s   after exec/s  exec/CPU-s
#   yaml              86.4       374.3          116.4       490.5   (+31% per CPU-s)
#   describe           5.3        19.6            8.9        32.7   (+67%; LLVMFuzzerInitialize's
#                                                                    ~100 s at this load included)
#   import    311 seeds in 62.9 wall-s, 13.6 CPU-s  ->  in 43.8 wall-s, 13.1 CPU-s (the seed phase
#             outlasted 40 s; the symbolizer ran in processes of its own, outside the CPU figure)
#   onnx            505.5      1013.1          584.0      1057.5   (+4% per CPU-s, load 6.5: only
#                                                                    malloc_context_size applies; the 3x
#         measured with seeds capped at 64 KiB is not taken, tests/fuzz/options.sh says why)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=45 targets="onnx yaml describe import" seeds=$here/build-fuzz/bench-seeds builds=()
while [ $# -gt 0 ]; do
  case $1 in
    --targets) targets=$2; shift ;;
    --seeds) seeds=$2; shift ;;
    [0-9]*) seconds=$1 ;;
    *) builds+=("$1") ;;
  esac
  shift
done
[ ${#builds[@]} -gt 0 ] || builds=("$here/build-fuzz")
export SML_CACHE_DIR=$here/build-fuzz/cache  # as run.sh: fuzz_describe's profiles stay warm
if [ ! -d "$seeds" ]; then
  [ -d "$here/build-fuzz/corpus" ] || { echo "fuzz_rates.sh: no seed corpus; run tests/fuzz/run.sh 1 first" >&2; exit 1; }
  cp -r "$here/build-fuzz/corpus" "$seeds"
fi
work=$(mktemp -d)
# CPU time of the harness and every process under it: perf stat counts the children of children
# (fuzz_import's libonnx checks run in children of a fork server, which GNU time's rusage misses:
# they are not the harness's own children). GNU time where perf cannot count.
if perf stat -x, -e task-clock -o /dev/null true 2>/dev/null; then
  timer=(perf stat -x, -e task-clock -o "$work/time")
else
  timer=(/usr/bin/time -f '%U %S' -o "$work/time")
fi
trap 'rm -rf "$work"' EXIT
printf '%-9s %-28s %6s %10s %7s %7s %9s %11s\n' harness build load executions wall-s CPU-s exec/s exec/CPU-s
for t in $targets; do
  for b in "${builds[@]}"; do
    rm -rf "$work/new" && mkdir "$work/new"
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    options=$here/tests/fuzz/options.sh
    [ -f "$b/options.sh" ] && options=$b/options.sh
    # shellcheck source=../tests/fuzz/options.sh
    unset -f fuzz_bind_now  # an older options.sh has none: its harness ran with lazy binding
    . "$options"
    declare -F fuzz_bind_now >/dev/null || fuzz_bind_now() { echo ""; }
    ASAN_OPTIONS=$(fuzz_asan_options "$t") LD_BIND_NOW=$(fuzz_bind_now "$t") "${timer[@]}" \
      "$b/tests/fuzz/fuzz_$t" "$work/new" "$seeds/$t" -max_total_time="$seconds" -seed=1 -max_len="$(fuzz_max_len "$t")" \
      -rss_limit_mb=2048 -timeout=300 -artifact_prefix="$work/" -print_final_stats=1 >"$work/log" 2>&1 || true
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    n=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
    if [ "${timer[0]}" = perf ]; then cpu=$(awk -F, '$3 == "task-clock" { print $1 / 1000 }' "$work/time"); else cpu=$(awk '{print $1 + $2}' "$work/time" | tail -1); fi
    printf '%-9s %-28s %6s %10s %7.1f %7.1f %9.1f %11.1f\n' "$t" "$(basename "$(dirname "$b")")/$(basename "$b")" "$load" "$n" \
      "$wall" "$cpu" "$(echo "$n / $wall" | bc -l)" "$(echo "$n / $cpu" | bc -l)"
  done
done
