#!/usr/bin/env bash
# Command-line behaviour of sml-suggest, and the describe → suggest pipe.
set -u
. "$(dirname "$0")/lib.sh"
suggest=$1
describe=$2
check help 0 "$suggest" --help
check version 0 "$suggest" --version
check list-models 0 "$suggest" --list models
expect_in list-resnet "$tmp/out" "resnet50"
check list-tasks 0 "$suggest" --list tasks
expect_in list-asr "$tmp/out" "automatic-speech-recognition"
check list-bad 1 "$suggest" --list gpus
check pipe 0 bash -c "\"$describe\" 'classify 20k photos of 12 kinds of weeds, must run on a Raspberry Pi 5' | \"$suggest\" --top 3"
expect_in pipe-kind "$tmp/out" "sml: suggestions/v1"
expect_in pipe-rank "$tmp/out" "rank: 3"
expect_in pipe-advice "$tmp/out" "advice:"
"$describe" "transcribe 300 hours of Dutch interviews" -o "$tmp/task.yaml"
check file 0 "$suggest" "$tmp/task.yaml" --format json --top 2
expect_in file-task "$tmp/out" '"id": "automatic-speech-recognition"'
# sml-suggest --format json | sml-compose --pick N: JSON is YAML, its first key names the kind.
compose=${3:-}
if [ -n "$compose" ]; then
  printf '{\n  "sml": "suggestions/v1",\n  "task": {"id": "image-classification"},\n  "candidates": [{"rank": 1, "model": "resnet18", "composition": {"arch": "resnet18", "num_classes": 12}}]\n}\n' >"$tmp/sugg.json"
  check compose-json-pick 0 "$compose" --pick 1 "$tmp/sugg.json" -o "$tmp/pick.onnx"
  expect_in compose-json-classes "$tmp/err" "1x12"
  check compose-json-no-kind 1 bash -c "printf '{\"kind\": \"suggestions/v1\"}\n' | \"$compose\" --pick 1 - -o \"$tmp/x.onnx\""
  expect_in compose-json-no-kind-says "$tmp/err" "not an sml document"
fi
check wrong-kind 2 bash -c "printf 'sml: estimate/v1\n' | \"$suggest\""
expect_in wrong-kind-says "$tmp/err" "expected a task/v1 document"
check top-zero 2 "$suggest" "$tmp/task.yaml" --top 0
check unknown-device 2 "$suggest" "$tmp/task.yaml" --device a1000
check markdown 0 "$suggest" "$tmp/task.yaml" --format markdown --top 2
expect_in markdown-table "$tmp/out" "| # | model |"
check scale 0 bash -c "\"$describe\" 'classify photos of 5 plant diseases' | \"$suggest\" --top 300 --scale resnet50=0.5"
expect_in scale-marked "$tmp/out" "model: resnet50@0.5x"
check scale-bad 2 bash -c "\"$describe\" 'classify photos' | \"$suggest\" --scale nosuchmodel=2"
check scale-syntax 1 "$suggest" "$tmp/task.yaml" --scale resnet50
# Issue 15: declines, --anyway, an unknown device named, good-enough ranking flags.
check decline 2 bash -c "\"$describe\" 'set up a cron job to rotate nginx logs' | \"$suggest\""
expect_in decline-says "$tmp/err" "declined"
check anyway 0 bash -c "\"$describe\" 'set up a cron job to rotate nginx logs' | \"$suggest\" --anyway --top 2"
expect_in anyway-marked "$tmp/out" "level: low"
printf 'sml: task/v1\ntask: {id: image-classification, confidence: 0.9}\nmodalities: [image]\nsegments: [backbone]\nconstraints: {latency_s: 0.1}\ndeployment: {device: quantum-9000}\n' >"$tmp/qtask.yaml"
check unknown-task-device 0 "$suggest" "$tmp/qtask.yaml" --top 3
expect_in unknown-device-named "$tmp/out" "serve_device_text: quantum-9000"
expect_in unknown-device-unknown "$tmp/out" "fits: unknown"
check rank-bad 1 "$suggest" "$tmp/task.yaml" --rank biggest
check tolerance-bad 2 "$suggest" "$tmp/task.yaml" --quality-tolerance 2
check fps 0 bash -c "\"$describe\" 'Detect pedestrians in dashcam video at 30 fps on an NVIDIA Jetson Orin Nano' | \"$suggest\" --top 500"
expect_in fps-budget "$tmp/out" "latency_budget_basis: 30 frames/s"
expect_in fps-violation "$tmp/out" "(30 frames/s) on nvidia-jetson-orin-nano-8gb"
check rank-quality 0 bash -c "\"$describe\" 'classify photos of 5 plant diseases' | \"$suggest\" --rank quality --top 1"
expect_in rank-quality-plan "$tmp/out" "rank: quality"
finish
