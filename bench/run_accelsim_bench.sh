#!/usr/bin/env bash
# sml-accelsim's wall time and peak memory (GNU time) on ResNet-50 and a transformer encoder
# (BERT-base at 128 tokens, built by sml-compose) on SCALE-Sim's 32×32 and a TPU-v1-like 256×256
# array: the closed-form model, the SystemC model, and a 90-point design sweep. Prints a table;
# never passes or fails on timing. Run after the README's build:  bash bench/run_accelsim_bench.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SML_BIN:-$here/build/tools}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin/sml-compose" --arch bert_base --weights zeros -q -o "$out/bert_base.onnx"
read -r -a axes <"$here/examples/hpc/sweep.axes"
measure() {  # LABEL COMMAND...: one run, then "label | seconds | peak MiB"
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null
  read -r secs kib <"$out/time"
  printf '| %s | %s | %.1f |\n' "$label" "$secs" "$(echo "$kib / 1024" | bc -l)"
}
echo "| run | wall s | peak MiB |"
echo "|---|---|---|"
for model in "$here/tests/models/resnet50.onnx" "$out/bert_base.onnx"; do
  name=$(basename "$model" .onnx)
  measure "$name on 32x32 (closed form)" "$bin/sml-accelsim" "$model" --accel scalesim-default
  measure "$name on 256x256 (closed form)" "$bin/sml-accelsim" "$model" --accel tpu-v1
  measure "$name on 32x32 (SystemC)" "$bin/sml-accelsim" "$model" --accel scalesim-default --systemc
  measure "$name on 256x256 (SystemC)" "$bin/sml-accelsim" "$model" --accel tpu-v1 --systemc
  measure "$name, 90-point sweep" "$bin/sml-accelsim" "$model" "${axes[@]}" -q
done
