#!/usr/bin/env bash
# CPU per input of one fuzz harness in two trees, measured the same way and alternated, without the
# clang fuzz build (issue 20; tests/fuzz/run.sh's speed notes): each tree's entry point
# (tests/fuzz/fuzz_TARGET.cpp of the tree the build is of) compiled with the host compiler at -O2
# against that build's libsml.a, with bench/fuzz_replay.cpp as its driver, then RUNS runs of each,
# A and B alternated, each run one round over the same inputs, with the environment each tree's
# tests/fuzz/options.sh gives the harness (LD_BIND_NOW where it has fuzz_bind_now). CPU-s are perf
# stat's task-clock over the process and every process under it (fuzz_import's libonnx server and
# its worker or children), initialisation included. Prints every run and the medians; never passes
# or fails on timing.
#   bash bench/fuzz_replay_ab.sh BUILD_A BUILD_B TARGET RUNS [INPUT…]   (default inputs: tests/fuzz/corpus/TARGET/*)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 4 ] || { echo "usage: fuzz_replay_ab.sh BUILD_A BUILD_B TARGET RUNS [INPUT…]" >&2; exit 1; }
a=$(cd "$1" && pwd) b=$(cd "$2" && pwd) target=$3 runs=$4
shift 4
[ $# -gt 0 ] || set -- "$here"/tests/fuzz/corpus/"$target"/*
mapfile -t inputs < <(realpath -- "$@")
set -- "${inputs[@]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SML_CACHE_DIR=$work/cache  # fuzz_describe's profiles: built in the first run of each, then read
bind_now=()
for side in a b; do
  build=${!side}
  src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
  libs=$(tr ' ' '\n' < "$build/tools/CMakeFiles/sml-estimate.dir/link.txt" | grep -E '\.(so|a)(\.[0-9.]+)?$' | sed "s|^\.\./|$build/|")
  # shellcheck disable=SC2086
  g++ -O2 -g -std=c++17 -DFMT_SHARED -DSML_SOURCE_DATA_DIR="\"$src\"" -I"$src/lib/include" -I"$src/tests/fuzz" "$here/bench/fuzz_replay.cpp" \
    "$src/tests/fuzz/fuzz_$target.cpp" $libs -o "$work/replay_$side"
  # shellcheck disable=SC1091
  bind_now+=("$( . "$src/tests/fuzz/options.sh"; if declare -F fuzz_bind_now >/dev/null; then fuzz_bind_now "$target"; fi )")
  echo "$side: $build (tree $src), LD_BIND_NOW='${bind_now[-1]}'"
done
echo "inputs: $#; load at start: $(cut -d' ' -f1 /proc/loadavg)"
for side in a b; do : >"$work/cpu_$side"; done
for i in $(seq "$runs"); do
  for side in a b; do
    [ "$side" = a ] && env=${bind_now[0]} || env=${bind_now[1]}
    # From the scratch folder: fuzz_import saves libonnx's crashers in its working folder.
    (cd "$work" && LD_BIND_NOW=$env perf stat -x, -e task-clock -o "$work/stat" "$work/replay_$side" 1 "$@" >/dev/null 2>&1)
    cpu=$(awk -F, '$3 == "task-clock" { printf "%.2f", $1 / 1000 }' "$work/stat")
    echo "$cpu" >>"$work/cpu_$side"
    echo "run $i $side: $cpu CPU-s ($(echo "$# / $cpu" | bc) exec/CPU-s, load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
for side in a b; do
  median=$(sort -n "$work/cpu_$side" | awk '{v[NR] = $1} END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  echo "median $side: $median CPU-s, $(echo "$# / $median" | bc) exec/CPU-s"
done
