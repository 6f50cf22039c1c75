#!/usr/bin/env bash
# Per-input speed of a fuzz harness without the clang fuzz build (which recompiles everything):
# its entry point compiled with the host compiler at -O2 against a build's libsml.a, replayed over
# its kept corpus. Compare two trees' builds by alternating them (issue 20; tests/fuzz/run.sh).
#   bash bench/fuzz_replay.sh BUILD_DIR TARGET ROUNDS [INPUT…]   (default inputs: tests/fuzz/corpus/TARGET/*)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd) target=$2 rounds=$3
shift 3
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")  # the tree that build is of
# The libraries sml-estimate links, as that build links them.
libs=$(tr ' ' '\n' < "$build/tools/CMakeFiles/sml-estimate.dir/link.txt" | grep -E '\.(so|a)(\.[0-9.]+)?$' | sed "s|^\.\./|$build/|")
bin=$build/fuzz_replay_$target
g++ -O2 -g -std=c++17 -DFMT_SHARED -DSML_SOURCE_DATA_DIR="\"$src\"" -I"$src/lib/include" -I"$src/tests/fuzz" "$here/bench/fuzz_replay.cpp" \
  "$src/tests/fuzz/fuzz_$target.cpp" $libs -o "$bin"
[ $# -gt 0 ] || set -- "$here"/tests/fuzz/corpus/"$target"/*
# The rounds' CPU-s count this process and the children it reaps; a harness whose children fork
# their own (fuzz_import's libonnx server) is measured whole by perf stat, initialisation included.
if perf stat -x, -e task-clock -o /dev/null true 2>/dev/null; then
  stat=$(mktemp)
  perf stat -x, -e task-clock -o "$stat" "$bin" "$rounds" "$@" 2>/dev/null
  awk -F, '$3 == "task-clock" { printf "all processes, start to end: %.2f CPU-s\n", $1 / 1000 }' "$stat"
  rm -f "$stat"
else
  "$bin" "$rounds" "$@" 2>/dev/null
fi
