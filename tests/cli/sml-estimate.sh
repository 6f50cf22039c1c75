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

# Training is costed per step at the profiled batch. --batch sets only a symbolic leading dim, so
# on a model that fixes it at 1 (as sml-compose writes) a training run keeps batch-1 steps: the time
# must equal the plain run's, not a quarter of it (issue 17: the steps were divided by --batch).
/usr/bin/python3 -c 'import onnx, sys
m = onnx.load(sys.argv[1]); d = m.graph.input[0].type.tensor_type.shape.dim[0]; d.Clear(); d.dim_value = 1
onnx.save(m, sys.argv[2])' "$models/resnet18.onnx" "$tmp/fixed1.onnx"
train_time() { /usr/bin/python3 -c 'import json, sys; print("%.6g" % json.load(open(sys.argv[1]))["training"]["time_s"]["expected"])' "$tmp/out"; }
train_plan=(--device a100 --train-samples 1000 --format json -q)
check fixed-batch-plain 0 "$tool" "$tmp/fixed1.onnx" "${train_plan[@]}"
plain=$(train_time)
check fixed-batch-4 0 "$tool" "$tmp/fixed1.onnx" "${train_plan[@]}" --batch 4
expect_eq fixed-batch-4-same-time "$(train_time)" "$plain"
# ... and says so: a --batch that cannot take effect is named, not silently dropped.
check fixed-batch-4-warns 0 "$tool" "$tmp/fixed1.onnx" --device a100 --train-samples 1000 --batch 4 --no-layers
expect_in fixed-batch-4-warning "$tmp/err" "--batch 4 ignored for input 'input': the model fixes its dim 0 to 1"
check symbolic-batch-4-quiet 0 "$tool" "$models/resnet18.onnx" --device a100 --train-samples 1000 --batch 4 --no-layers
expect_true symbolic-batch-4-no-warning bash -c '! grep -q "ignored for input" "$1"' _ "$tmp/err"
# A symbolic batch of 4 is profiled at 4: 250 steps of 4 samples, each reading the weights once,
# so the run is shorter than 1000 batch-1 steps, and a sample's FLOPs are unchanged.
check symbolic-batch-4 0 "$tool" "$models/resnet18.onnx" "${train_plan[@]}" --batch 4
expect_true symbolic-batch-4-shorter /usr/bin/python3 -c 'import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))' "$(train_time)" "$plain"

# Footprint plans: exit 3 is a verdict, with the document and the JUnit report still written.
plan=(--device a100 --region FR --train-samples 50k --epochs 2 --no-layers)
check plan 0 "$tool" "$models/resnet18.onnx" "${plan[@]}"
expect_in plan-training "$tmp/out" "energy_kwh:"
expect_in plan-lifecycle "$tmp/out" "lifecycle:"
check gate-fail 3 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-co2 0.1g -o "$tmp/gated.yaml" --junit "$tmp/junit.xml"
expect_in gate-verdict "$tmp/err" "gate co2"
expect_in gate-doc "$tmp/gated.yaml" "passed: false"
expect_in gate-junit "$tmp/junit.xml" "<failure"
expect_in gate-reason-limit "$tmp/gated.yaml" "reason: limit"
check gate-pass 0 "$tool" "$models/resnet18.onnx" "${plan[@]}" --batch 1 --max-co2 1t --max-latency 1s
check gate-unit 1 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-co2 5lb
check gate-bare 1 "$tool" "$models/resnet18.onnx" "${plan[@]}" --max-time 3
expect_in gate-bare-why "$tmp/err" "give a unit"
check gate-no-plan 1 "$tool" "$models/resnet18.onnx" --device a100 --max-co2 5kg

# Coverage (issue 18): a gate on a profile that left nodes uncounted or defaulted a dim cannot
# pass. dynamic_det.onnx has every input dim dynamic, as PaddleOCR's detector: without
# --input-shape its convolutions are uncounted and the CO2e is far under the limit, yet exit 3.
cov=$models/coverage
det_plan=(--device a100 --train-samples 100k --epochs 50 --region DE --max-co2 1kg)
check coverage-gate 3 "$tool" "$cov/dynamic_det.onnx" "${det_plan[@]}" --format markdown -o "$tmp/det.md" --junit "$tmp/det.xml"
expect_in coverage-verdict "$tmp/err" "FAILED (coverage: 3 of 3 nodes uncounted; input 'x' dim 0 ('p2o.DynamicDimension.0') defaulted to 1"
expect_eq coverage-md-first-lines "$(sed -n 3p "$tmp/det.md")" "> **Coverage incomplete**: 0 of 3 nodes counted; the figures below are lower bounds or hold only for the inputs assumed."
expect_in coverage-md-uncounted "$tmp/det.md" "> - uncounted: Conv × 2 (shapes unknown (set --input-shape?))"
expect_in coverage-md-defaulted "$tmp/det.md" "> - defaulted: input \`x\` dim 0 = 1"
expect_in coverage-md-gate "$tmp/det.md" "| co2 (kg) | "
expect_in coverage-md-gate-why "$tmp/det.md" "**failed** (coverage incomplete)"
expect_in coverage-junit "$tmp/det.xml" 'failures="1"'
expect_in coverage-junit-why "$tmp/det.xml" 'but not trusted: profile coverage incomplete: 3 of 3 nodes uncounted'
check coverage-yaml 3 "$tool" "$cov/dynamic_det.onnx" "${det_plan[@]}" --no-layers
expect_in coverage-complete-false "$tmp/out" "complete: false"
expect_in coverage-nodes "$tmp/out" "nodes_counted: 0"
expect_in coverage-reason "$tmp/out" "reason: coverage"
check coverage-allow-partial 0 "$tool" "$cov/dynamic_det.onnx" "${det_plan[@]}" --no-layers --allow-partial
expect_in coverage-accepted "$tmp/out" "incomplete, accepted (--allow-partial)"
# Given its inputs, the profile is complete (conv1 27 x 1x8x32x32 + conv2 72 x 1x8x32x32 MACs) and
# the gate judges the figure itself.
check coverage-full 0 "$tool" "$cov/dynamic_det.onnx" "${det_plan[@]}" --input-shape x=1x3x64x64 --no-layers
expect_in coverage-full-macs "$tmp/out" "macs: 811008"
expect_in coverage-full-complete "$tmp/out" "complete: true"
check coverage-full-md 0 "$tool" "$cov/dynamic_det.onnx" "${det_plan[@]}" --input-shape x=1x3x64x64 --format markdown
expect_eq coverage-md-complete "$(sed -n 3p "$tmp/out")" "Coverage: complete (3 of 3 nodes counted)."

# --input-value (issue 18): Silero-like sample-rate switch. The 16 kHz branch is 16 filters x 64
# taps x 15 positions = 15360 MACs, the 8 kHz branch 8 x 32 x 15 = 3840.
check if-both-fit 0 "$tool" "$cov/sample_rate_if.onnx" --input-shape input=1x256 --no-layers
expect_in if-both-fit-macs "$tmp/out" "macs: 3840"
check if-both 0 "$tool" "$cov/sample_rate_if.onnx" --input-shape input=1x512 --no-layers
# Both branches are counted, but the 8 kHz one cannot take a 512-sample frame: it is uncounted, with why.
expect_in if-both-macs "$tmp/out" "macs: 15360"
expect_in if-both-incomplete "$tmp/out" "complete: false"
expect_in if-both-assumed "$tmp/out" "- rate_switch"
expect_in if-both-hint "$tmp/err" "it depends on input sr: choose the branch with --input-value sr=V"
expect_in if-branch-cannot-take "$tmp/out" "cannot reshape 1x512 (512 elements) to [1, 1, 256]"
check if-16k 0 "$tool" "$cov/sample_rate_if.onnx" --input-shape input=1x512 --input-value sr=16000 --no-layers
expect_in if-16k-macs "$tmp/out" "macs: 15360"
expect_in if-16k-complete "$tmp/out" "complete: true"
check if-8k 0 "$tool" "$cov/sample_rate_if.onnx" --input-shape input=1x256 --input-value sr=8000 --no-layers
expect_in if-8k-macs "$tmp/out" "macs: 3840"
check if-8k-wrong-frame 2 "$tool" "$cov/sample_rate_if.onnx" --input-shape input=1x512 --input-value sr=8000
expect_in if-8k-wrong-frame-node "$tmp/err" "Reshape 'else8k_reshape': cannot reshape 1x512 (512 elements) to [1, 1, 256]"
check input-value-unknown 2 "$tool" "$cov/sample_rate_if.onnx" --input-value rate=16000
expect_in input-value-unknown-listed "$tmp/err" "inputs: input, sr"
check input-value-not-scalar 2 "$tool" "$cov/sample_rate_if.onnx" --input-shape input=1x512 --input-value input=1
check input-value-syntax 1 "$tool" "$cov/sample_rate_if.onnx" --input-value sr=fast
check unknown-device 2 "$tool" "$models/resnet18.onnx" --device a1000 --train-samples 10
expect_in unknown-device-nearest "$tmp/err" "did you mean nvidia-a100"
check unknown-region 2 "$tool" "$models/resnet18.onnx" --device a100 --region XX --train-samples 10
check negative 2 "$tool" "$models/resnet18.onnx" --device a100 --train-samples -5
check zero-devices 2 "$tool" "$models/resnet18.onnx" --device a100 --devices 0 --train-samples 5
check markdown 0 "$tool" "$models/resnet18.onnx" "${plan[@]}" --format markdown --compare devices=a100,h100 --compare regions=FR,DE
expect_in markdown-table "$tmp/out" "| training energy (kWh) |"
expect_in markdown-compare "$tmp/out" "| nvidia-h100-sxm5-80gb | FR |"
check llm 0 "$tool" --params 7B --train-tokens 2T --device h100 --devices 512 --precision bf16 --region US
expect_in llm-flops "$tmp/out" "flops: 8.4e+22"
# --activation-recompute: a fixed set of values (usage, exit 1); on an A100 (fit runs recompute in
# full) a run stated without recomputation says what moved its centre.
check recompute-bogus 1 "$tool" --params 7B --train-tokens 1T --device a100 --activation-recompute partial
check recompute-none 0 "$tool" --params 7B --train-tokens 1T --device a100 --precision bf16 --activation-recompute none --region US
expect_in recompute-none-basis "$tmp/out" "for activation recomputation none"
"$tool" "$models/resnet18.onnx" "${plan[@]}" -o "$tmp/old.yaml"
check baseline 0 "$tool" "$models/resnet50.onnx" "${plan[@]}" --baseline "$tmp/old.yaml"
expect_in baseline-section "$tmp/out" "baseline:"
check baseline-wrong-kind 2 "$tool" "$models/resnet50.onnx" "${plan[@]}" --baseline "$tmp/task.yaml"

# --model-kind: a fixed set of values (usage, exit 1), for a model given by --params only; an
# encoder-decoder on a P100 in fp32 borrows the V100 fp32 cell and says so.
check model-kind-bogus 1 "$tool" --params 210M --model-kind cnn --device v100 --train-tokens 1e9
check model-kind-onnx 1 "$tool" "$models/resnet18.onnx" --model-kind encoder-decoder
check model-kind-p100 0 "$tool" --params 210M --model-kind encoder-decoder --device p100 --devices 8 --precision fp32 --train-flops 1.61e19 --region WORLD
expect_in model-kind-borrowed "$tmp/out" "encoder-decoder cells in fp32"

# Serving (issue 17): the batch changes the inference section; a board without power still gets
# latency; flags with a fixed set of values are usage errors; LLM requests from a size.
check serve-b1 0 "$tool" "$models/resnet18.onnx" --device t4 --no-layers --format json
b1=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["inference"]["throughput_per_s"]["expected"])' "$tmp/out")
check serve-b64 0 "$tool" "$models/resnet18.onnx" --device t4 --serve-batch 64 --no-layers --format json
b64=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["inference"]["throughput_per_s"]["expected"])' "$tmp/out")
expect_true serve-batch-raises-throughput /usr/bin/python3 -c "import sys; sys.exit(0 if $b64 > 3 * $b1 else 1)"
# A device with a peak but no power figure (Apple publishes no M1 TDP) gets latency, energy null.
check m1-latency-only 0 "$tool" "$models/resnet18.onnx" --device apple-m1 --no-layers
expect_in m1-energy-null "$tmp/out" "energy_kwh_per_query: null"
expect_in m1-energy-reason "$tmp/out" "no power figure"
# With a load, the same device still gets its latency gate; its life-cycle energy and CO2e are
# unknown with the reason (never the training part alone), and a CO2e gate on them fails (exit 3):
# unknown is never within a budget. Until this change the whole run stopped (exit 2).
check m1-load 3 "$tool" "$models/resnet18.onnx" "${plan[@]}" --serve-device apple-m1 --queries-per-day 1000 --years 1 --max-latency 1s --max-co2 1000kg --allow-partial --no-layers --format json
expect_true m1-load-unknown /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["lifecycle"]["energy_kwh"] is None and d["lifecycle"]["co2e_kg"]["total"] is None, d["lifecycle"]
assert "no power figure" in d["lifecycle"]["note"] and d["serving"]["energy_kwh"] is None
g = {x["name"]: x for x in d["gates"]}
assert g["latency"]["passed"] is True and g["co2"]["passed"] is False and g["co2"]["reason"] == "unknown", g
assert d["training"]["energy_kwh"]["expected"] > 0' "$tmp/out"
# The Pi 4 now carries its measured all-core draw (hw/devices, Pi Dramble 2019): energy is costed.
check pi-energy 0 "$tool" "$models/resnet18.onnx" --device rpi4 --runtime tflite --no-layers
expect_true pi-energy-known bash -c "! grep -q 'energy_kwh_per_query: null' \"\$1\"" _ "$tmp/out"
# The Edge TPU caches 8 MB of parameters; ResNet-18's 11,684,712 int8 weights leave 3,684,712 B to
# stream over USB 3.0 (500 MB/s) per inference: 7.37 ms at best, 8.13 ms at the fitted share 0.907.
check coral-streams 0 "$tool" "$models/resnet18.onnx" --device coral --runtime tflite --precision int8 --no-layers --format json
expect_in coral-streams-note "$tmp/out" "parameter cache by 3684712 B"
expect_in coral-streams-time "$tmp/out" "+0.00812505 s"
check coral-fits-cache 0 "$tool" "$models/mobilenet_v2.onnx" --device coral --runtime tflite --precision int8 --no-layers --format json
expect_true coral-no-stream-when-cached /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not any("parameter cache" in n for n in d["inference"]["assumptions"]["notes"])' "$tmp/out"
check bad-boundary 1 "$tool" "$models/resnet18.onnx" --device t4 --power-boundary wall
check unknown-mode 2 "$tool" "$models/resnet18.onnx" --device agx-orin --power-mode 99w
expect_in unknown-mode-listed "$tmp/err" "maxn"
check llm-serving 0 "$tool" --params 7B --device rtx4090 --runtime llama.cpp --serve-precision int4 --output-tokens 128
expect_in llm-tokens "$tmp/out" "tokens_per_s:"
check llm-needs-tokens 1 "$tool" --params 7B --device rtx4090 --runtime llama.cpp --queries-per-day 10 --years 1
# Markdown for an LLM: a request's latency with its queue wait named, time to first token, and the
# requests in flight, KV cache and memory held (7B fp16 on a 24 GB 4090: 14 GB of weights, 64 asked).
check llm-markdown 0 "$tool" --params 7B --device rtx4090 --runtime llama.cpp --serve-precision fp16 --prompt-tokens 512 --output-tokens 512 --concurrency 64 --format markdown
expect_in llm-markdown-latency "$tmp/out" "| latency per request, "
expect_in llm-markdown-queue "$tmp/out" "queue wait of 64 outstanding"
expect_in llm-markdown-ttft "$tmp/out" "| time to first token (s) |"
expect_in llm-markdown-kv "$tmp/out" "| KV cache of the requests in flight (B) |"
expect_in llm-markdown-memory "$tmp/out" "| memory held: weights + KV cache + activations (B) |"
# NAME@ with no build is a bad value (exit 2), not the plain entry.
check runtime-empty-build 2 "$tool" --params 7B --device h100 --runtime 'tensorrt@' --output-tokens 16
# --beam-width (DESIGN.md section 4): a bad value exits 2, a misuse (no tokens to decode, an ONNX
# model) exits 1; beams count as a batch for serving power; recorded as inference.beam_width.
beam=(--params 1.3e9 --prompt-tokens 128 --output-tokens 64 --serve-device nvidia-t4 --runtime tensorrt-llm --serve-precision fp16)
check beam-zero 2 "$tool" "${beam[@]}" --beam-width 0
check beam-word 1 "$tool" "${beam[@]}" --beam-width abc
check beam-huge 2 "$tool" "${beam[@]}" --beam-width 1e12
expect_in beam-huge-named "$tmp/err" "--beam-width"
check beam-65 2 "$tool" "${beam[@]}" --beam-width 65
check beam-onnx 1 "$tool" "$models/resnet18.onnx" --serve-device nvidia-t4 --beam-width 4
check beam-no-output 1 "$tool" --params 1.3e9 --prompt-tokens 128 --serve-device nvidia-t4 --runtime tensorrt-llm --beam-width 4
expect_in beam-no-output-named "$tmp/err" "--output-tokens"
check beam-llamacpp-cpu 2 "$tool" --params 7B --device raspberry-pi-4b --runtime llama.cpp --serve-precision int4 --output-tokens 16 --beam-width 4
expect_in beam-llamacpp-cpu-why "$tmp/err" "7736"
check beam-vllm 0 "$tool" --params 8e9 --device h100 --runtime vllm --serve-precision bf16 --output-tokens 64 --beam-width 4
expect_in beam-vllm-note "$tmp/out" "outside its serving engine"
check beam-4 0 "$tool" "${beam[@]}" --beam-width 4 --format json
cp "$tmp/out" "$tmp/beam4.json"
check conc-4 0 "$tool" "${beam[@]}" --concurrency 4 --format json
/usr/bin/python3 -c '
import json, sys
b, c = (json.load(open(p))["inference"] for p in sys.argv[1:3])
assert b["beam_width"] == 4 and b["concurrency"] == 1 and c["beam_width"] == 1 and c["concurrency"] == 4, (b.get("beam_width"), c.get("concurrency"))
# one request of 4 beams runs 4 sequences a step, as 4 requests do: the same (batched) power
assert b["assumptions"]["power_w"] == c["assumptions"]["power_w"], (b["assumptions"]["power_w"], c["assumptions"]["power_w"])' "$tmp/beam4.json" "$tmp/out" \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL beam-power: beams not a batch for power, or beam_width/concurrency not recorded"; }
# KV-cache capacity: Llama-2-7B's geometry (12 x 32 x 4096^2 parameters, 32 layers: 524,288 B of
# fp16 KV a token) at 128 + 2048 tokens on an 80e9 B H100: weights 12,884,901,888 B, a request
# 1,140,850,688 B of KV + 5,242,880 B of prefill activations; (80e9 - weights) / that = 58.56, so
# 58 of 64 requests run at once (a warning names the limit) and inference.batch is 58.
kvcap=(--params 6442450944 --layers 32 --device h100 --runtime tensorrt-llm --serve-precision fp16 --prompt-tokens 128 --output-tokens 2048)
check kv-capacity 0 "$tool" "${kvcap[@]}" --concurrency 64 --format json
expect_in kv-capacity-warned "$tmp/err" "58 request(s) run at once, the other 6 queue"
/usr/bin/python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["inference"]
assert i["kv_bytes_per_token"] == 524288, i["kv_bytes_per_token"]
assert i["concurrency"] == 64 and i["concurrency_effective"] == 58 and i["batch"] == 58, (i["concurrency"], i["concurrency_effective"], i["batch"])
assert i["kv_cache_bytes"] == 58 * 1140850688, i["kv_cache_bytes"]
assert i["memory_bytes"] == 12884901888 + 58 * 1146093568, i["memory_bytes"]' "$tmp/out" \
  && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL kv-capacity: inference.concurrency_effective/batch/kv_cache_bytes not the hand-computed 58 requests"; }
check kv-capacity-none 2 "$tool" --params 70e9 --device h100 --runtime tensorrt-llm --serve-precision fp16 --output-tokens 16
expect_in kv-capacity-none-named "$tmp/err" "the weights alone take"
check beam-unused 0 "$tool" --params 7e9 --device a100 --beam-width 4
expect_in beam-unused-warned "$tmp/err" "--beam-width not applied"
check card 0 "$tool" --params 7B --device h100 --device-hours 1000 --region US --accounting-method card
expect_in card-section "$tmp/out" "card:"
# Attention FLOPs in training: all three figures stated, or none (nothing is derived from --params).
check attention-partial 1 "$tool" --params 8e9 --train-tokens 1e6 --train-seq-len 8192 --device h100 --precision bf16
expect_in attention-partial-named "$tmp/err" "go together"
check attention-and-published 1 "$tool" --params 8e9 --flops-per-token 2e10 --train-tokens 1e6 --layers 32 --attention-width 4096 --train-seq-len 8192 --device h100
check attention 0 "$tool" --params 8e9 --train-tokens 1e6 --layers 32 --attention-width 4096 --train-seq-len 8192 --device h100 --precision bf16
expect_in attention-per-token "$tmp/out" "attention_flops_per_token: 4294967296"

# Operator tables (hw/operator-support): on a Coral the Edge TPU compiler lacks ViT-B/16's
# LayerNormalization (25: 12 blocks × 2 + the final norm) and GELU's Erf (12, one per MLP), so the
# latency costed on the Edge TPU does not hold; EfficientNet-B0's 16 MBConv blocks each hold a
# squeeze-excitation gate, which the table lists as poorly mapped: the latency is unknown.
check ops-unsupported 0 "$tool" "$models/vit_b_16.onnx" --device coral --no-layers --format json
expect_true ops-unsupported-keys /usr/bin/python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))["inference"]["operator_support"]
un = {u["op"]: u["layers"] for u in o["unsupported"]}
assert un["LayerNormalization"] == 25 and un["Erf"] == 12, un
assert o["latency_holds"] == "no" and "host CPU" in o["consequence"] and o["table"] == "edgetpu-compiler"' "$tmp/out"
expect_in ops-unsupported-warned "$tmp/err" "the latency on google-coral-usb-accelerator does not hold"
check ops-se 0 "$tool" "$models/efficientnet_b0.onnx" --device coral --no-layers --format json
expect_true ops-se-keys /usr/bin/python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))["inference"]["operator_support"]
pm = {b["block"]: b["count"] for b in o["poorly_mapped"]}
assert pm["squeeze-excitation"] == 16 and o["unsupported"] == [] and o["latency_holds"] == "unknown", o' "$tmp/out"
check ops-clean 0 "$tool" "$models/mobilenet_v2.onnx" --device coral --no-layers --format json
expect_true ops-clean-holds /usr/bin/python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))["inference"]["operator_support"]
assert o["latency_holds"] == "yes" and not o["unsupported"] and not o["poorly_mapped"], o' "$tmp/out"
check ops-none-on-cpu 0 "$tool" "$models/vit_b_16.onnx" --device rpi5 --no-layers
expect_true ops-none-on-cpu-key bash -c "! grep -q operator_support \"\$1\"" _ "$tmp/out"
check ops-markdown 0 "$tool" "$models/efficientnet_b0.onnx" --device coral --format markdown
expect_in ops-markdown-line "$tmp/out" "**the latency is not known to hold**: the vendor says squeeze-excitation blocks (×16)"
# A latency gate the figure meets still fails when the operators say it does not hold.
check ops-gate 3 "$tool" "$models/vit_b_16.onnx" --device coral --no-layers --max-latency 1000s
expect_in ops-gate-reason "$tmp/out" "reason: operators"

finish
