#!/usr/bin/env bash
# Build the fuzz harnesses with clang (libFuzzer + ASan + UBSan) and run each for SECONDS
# (default 60) from a seed corpus made of the test fixtures. A crash is saved under
# build-fuzz/crashes/ and the script fails: add the input to tests/malformed/ as a regression.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
build=$here/build-fuzz
CC=clang-14 CXX=clang++-14 cmake -S "$here" -B "$build" -DSML_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 --target fuzz_onnx fuzz_yaml fuzz_units fuzz_describe fuzz_scalesim fuzz_import >/dev/null
corpus=$build/corpus
rm -rf "$corpus"
mkdir -p "$corpus/onnx" "$corpus/yaml" "$corpus/units" "$corpus/describe" "$corpus/scalesim" "$corpus/import" "$build/crashes"
cp "$here"/tests/models/*.onnx "$corpus/onnx/"
mapfile -t testdata < <(find /usr/share/libonnx-testdata/data/node -name model.onnx 2>/dev/null | sort)
for f in "${testdata[@]:0:200}"; do cp "$f" "$corpus/onnx/$(basename "$(dirname "$f")").onnx"; done
cp "$here"/tests/data/hw/devices/*.yaml "$here"/tests/data/catalog/*.yaml "$here"/hw/devices/nvidia-a100-sxm4-40gb.yaml "$corpus/yaml/"
for f in "$here"/catalog/archs/kws_cnn.yaml "$here"/catalog/archs/mobilenet_v3_small.yaml "$here"/examples/compositions/*.yaml; do
  cp "$f" "$corpus/yaml/composition-$(basename "$f")"
done
for u in 50kg 1.2M 30fps 10ms 2.5h 4GiB 120kWh 1x3x224x224 7B; do printf '%s' "$u" >"$corpus/units/$u"; done
/usr/bin/python3 - "$here/tests/validation/describe/problems.yaml" "$corpus/describe" <<'PY' || true
import sys, yaml
for p in yaml.safe_load(open(sys.argv[1]))["problems"][:60]:
    open(sys.argv[2] + "/" + p["id"], "w").write(p["text"])
PY
printf 'sml: task/v1\ntask: {id: image-classification}\nmodalities: [image]\nsegments: [backbone]\nconstraints: {latency_s: 0.02, data_samples: 1000}\n' >"$corpus/describe/task"
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3, 96, 4,\nConvDP2, 56, 56, 3, 3, 1, 32, 1, 2,\n' >"$corpus/scalesim/alexnet.csv"
printf 'Layer Name, M, N, K,\nTest 1, 256, 128, 256,\n' >"$corpus/scalesim/gemm.csv"
printf '[general]\nrun_name = x\n[architecture_presets]\nArrayHeight: 32\nArrayWidth = 16\nDataflow: ws\n' >"$corpus/scalesim/x.cfg"
# --import: small real exports, the malformed models (external data with symlinks and FIFOs,
# function bombs, libonnx crashers) and the corpus kept from earlier runs (tests/fuzz/corpus/).
cp "$here"/tests/models/resnet18.onnx "$here"/tests/models/squeezenet1_0.onnx "$corpus/import/"
find "$here/tests/malformed/onnx" -name '*.onnx' | while read -r f; do cp "$f" "$corpus/import/$(echo "${f#"$here"/tests/malformed/onnx/}" | tr / _)"; done
for kept in "$here"/tests/fuzz/corpus/*/; do [ -d "$kept" ] && cp "$kept"* "$corpus/$(basename "$kept")/" 2>/dev/null; done
status=0
for target in onnx yaml units describe scalesim import; do
  log=$build/fuzz_$target.log
  if "$build/tests/fuzz/fuzz_$target" "$corpus/$target" -max_total_time="$seconds" -max_len=1048576 -rss_limit_mb=2048 \
      -timeout=20 -artifact_prefix="$build/crashes/$target-" -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz_$target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') executions, no crash"
  else
    echo "fuzz_$target: FAILED"; tail -30 "$log"; status=1
  fi
done
exit $status
