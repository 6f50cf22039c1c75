#!/usr/bin/env bash
# Does check_onnx answer the same through libonnx's fork server (fuzz_import) as through a child
# forked from the caller (sml-compose)? Over every .onnx file of tests/models and tests/malformed and
# the onnx and import fuzz corpora (or the files given): the error message, or the warnings and the
# model after inference, compared. Prints each difference and a count; exits 1 on any difference.
#   bash bench/compare_libonnx_server.sh BUILD_DIR [INPUT…]   (BUILD_DIR: a gcc build's libsml.a)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
shift
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
libs=$(tr ' ' '\n' < "$build/tools/CMakeFiles/sml-estimate.dir/link.txt" | grep -E '\.(so|a)(\.[0-9.]+)?$' | sed "s|^\.\./|$build/|")
bin=$build/compare_libonnx_server
g++ -O2 -g -std=c++17 -DFMT_SHARED -I"$src/lib/include" "$here/bench/compare_libonnx_server.cpp" $libs -o "$bin"
if [ $# -eq 0 ]; then
  mapfile -t models < <(find "$here/tests/models" "$here/tests/malformed" -name '*.onnx' | sort; find "$here/tests/fuzz/corpus/onnx" "$here/tests/fuzz/corpus/import" -type f | sort)
  set -- "${models[@]}"
fi
"$bin" "$@" 2>/dev/null
