#!/usr/bin/env bash
# Command-line behaviour of sml-estimate: exit codes (sml.7), stdin/stdout, atomic -o, messages.
set -u
. "$(dirname "$0")/lib.sh"
tool=$1
models=$2

check help 0 "$tool" --help
expect_in help-text "$tmp/out" "--input-shape"
check version 0 "$tool" --version
expect_in version-text "$tmp/out" "sml-estimate 0.1.0"
check unknown-flag 1 "$tool" --no-such-flag
check bad-format 1 "$tool" "$models/resnet18.onnx" --format xml
check bad-batch 2 "$tool" "$models/resnet18.onnx" --batch 0
check bad-shape-syntax 1 "$tool" "$models/resnet18.onnx" --input-shape input=1x3xax224
check missing-file 2 "$tool" "$tmp/nope.onnx"
expect_in missing-file-named "$tmp/err" "$tmp/nope.onnx"
printf 'sml: task/v1\ntask:\n  id: image-classification\n' >"$tmp/task.yaml"
check wrong-kind 2 "$tool" "$tmp/task.yaml"
expect_in wrong-kind-named "$tmp/err" "task.yaml"
check unknown-input 2 "$tool" "$models/resnet18.onnx" --input-shape image=1x3x224x224
expect_in unknown-input-listed "$tmp/err" "inputs: input"

# The main job: a model from a file, and the same from stdin.
check profile 0 "$tool" "$models/resnet18.onnx"
expect_in kind "$tmp/out" "sml: estimate/v1"
expect_in macs "$tmp/out" "macs: 1814073344"
check stdin 0 bash -c "\"$tool\" - < \"$models/resnet18.onnx\""
expect_in stdin-macs "$tmp/out" "macs: 1814073344"
check batch 0 "$tool" "$models/resnet18.onnx" --batch 4 --no-layers
expect_in batch-macs "$tmp/out" "macs: 7256293376"
check json 0 "$tool" "$models/resnet18.onnx" --format json --no-layers
if /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["profile"]["total"]["params"]==11684712' "$tmp/out"; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL json: not valid JSON with the expected params"; fi

# -o writes atomically; a failed run leaves the previous file, and -o onto the input is refused.
check output 0 "$tool" "$models/resnet18.onnx" -o "$tmp/est.yaml"
expect_in output-written "$tmp/est.yaml" "sml: estimate/v1"
cp "$tmp/est.yaml" "$tmp/before.yaml"
head -c 3000 "$models/resnet18.onnx" >"$tmp/cut.onnx"
check truncated 2 "$tool" "$tmp/cut.onnx" -o "$tmp/est.yaml"
expect_in truncated-named "$tmp/err" "cut.onnx"
if cmp -s "$tmp/est.yaml" "$tmp/before.yaml"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: failed run changed -o target"; fi
cp "$models/resnet18.onnx" "$tmp/m.onnx"
check onto-input 1 "$tool" "$tmp/m.onnx" -o "$tmp/m.onnx"
if cmp -s "$tmp/m.onnx" "$models/resnet18.onnx"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: input modified"; fi
if [ -z "$(ls -A "$tmp" | grep '^\.sml-tmp')" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: temporary files left"; fi

check list-ops 0 "$tool" --list ops
expect_in list-conv "$tmp/out" "Conv"
check list-devices 0 "$tool" --list devices
expect_in list-a100 "$tmp/out" "nvidia-a100-sxm4-40gb"
check list-regions 0 "$tool" --list regions
expect_in list-de "$tmp/out" "DE"
check list-bad 1 "$tool" --list gpus

# Footprint plans: exit 3 is a verdict, with the document and the JUnit report still written.
plan=(--device a100 --region FR --train-samples 50k --epochs 2 --no-layers)
check plan 0 "$tool" "$models/resnet18.onnx" "${plan[@]}"
expect_in plan-training "$tmp/out" "energy_kwh:"
expect_in plan-lifecycle "$tmp/out" "lifecycle:"
check gate-fail 3 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-co2 1g -o "$tmp/gated.yaml" --junit "$tmp/junit.xml"
expect_in gate-verdict "$tmp/err" "gate co2"
expect_in gate-doc "$tmp/gated.yaml" "passed: false"
expect_in gate-junit "$tmp/junit.xml" "<failure"
check gate-pass 0 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-co2 1t --max-latency 1s
check gate-unit 1 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-co2 5lb
check gate-bare 1 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-time 3
expect_in gate-bare-why "$tmp/err" "give a unit"
check gate-no-plan 1 "$tool" "$models/resnet18.onnx" --device a100 --max-co2 5kg
check unknown-device 2 "$tool" "$models/resnet18.onnx" --device a1000 --train-samples 10
expect_in unknown-device-nearest "$tmp/err" "nearest:"
check unknown-region 2 "$tool" "$models/resnet18.onnx" --device a100 --region XX --train-samples 10
check negative 2 "$tool" "$models/resnet18.onnx" --device a100 --train-samples -5
check zero-devices 2 "$tool" "$models/resnet18.onnx" --device a100 --devices 0 --train-samples 5
check markdown 0 "$tool" "$models/resnet18.onnx" "${plan[@]}" --format markdown --compare devices=a100,h100 --compare regions=FR,DE
expect_in markdown-table "$tmp/out" "| training energy (kWh) |"
expect_in markdown-compare "$tmp/out" "| nvidia-h100-sxm5-80gb | FR |"
check llm 0 "$tool" --params 7B --train-tokens 2T --device h100 --devices 512 --precision bf16 --region US
expect_in llm-flops "$tmp/out" "flops: 8.4e+22"
"$tool" "$models/resnet18.onnx" "${plan[@]}" -o "$tmp/old.yaml"
check baseline 0 "$tool" "$models/resnet50.onnx" "${plan[@]}" --baseline "$tmp/old.yaml"
expect_in baseline-section "$tmp/out" "baseline:"
check baseline-wrong-kind 2 "$tool" "$models/resnet50.onnx" "${plan[@]}" --baseline "$tmp/task.yaml"

finish
