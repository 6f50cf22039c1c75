#!/usr/bin/env bash
# Profile vit_b_16 with its full weights (~350 MB), inline and as external data, against a plain
# protobuf parse of the same file. Needs python3-torchvision and python3-onnx to make the model
# once (apt-get install python3-torchvision python3-onnx).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${SML_BENCH_DIR:-/tmp/sml-bench}
[ -f "$out/vit_b_16.onnx" ] || /usr/bin/python3 "$here/bench/make_full_model.py" "$out"
bench=${SML_BUILD_DIR:-$here/build}/bench/profile_bench
"$bench" "$out/vit_b_16.onnx" 3
echo
"$bench" "$out/external/vit_b_16.onnx" 3
echo
[ -f "$out/big_external/model.onnx" ] || /usr/bin/python3 "$here/bench/make_big_external.py" "$out"
"$bench" "$out/big_external/model.onnx" 3
