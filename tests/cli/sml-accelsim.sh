#!/usr/bin/env bash
# Command-line behaviour of sml-accelsim: SCALE-Sim's formats in, its COMPUTE_REPORT out.
set -u
. "$(dirname "$0")/lib.sh"
tool=$1
models=$2
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1,  224, 224,    11, 11,    3,      96,     4,\n' >"$tmp/alexnet.csv"
printf '[general]\nrun_name = golden\n[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\nDataflow : ws\n' >"$tmp/golden.cfg"
check help 0 "$tool" --help
check version 0 "$tool" --version
check golden 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg" --format scalesim
expect_in golden-cycles "$tmp/out" "0, 112283, 0, 91.683096506149"
check yaml 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg"
expect_in yaml-kind "$tmp/out" "sml: accelsim/v1"
expect_in yaml-total "$tmp/out" "total: 112283"
check override 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg" --array 8x16 --format scalesim
expect_in override-cycles "$tmp/out" "0, 843179, 0,"
check shipped-config 0 "$tool" "$tmp/alexnet.csv" --accel tpu-v1
expect_in tpu-array "$tmp/out" "array: 256x256"
expect_in tpu-latency "$tmp/out" "latency_s:"
check onnx 0 "$tool" "$models/resnet18.onnx" --accel scalesim-default
expect_in onnx-conv "$tmp/out" "op: Conv"
check bad-array 1 "$tool" "$tmp/alexnet.csv" --array 0x4
check bad-dataflow 2 "$tool" "$tmp/alexnet.csv" --dataflow rs
check missing 2 "$tool" "$tmp/none.csv"
check unknown-accel 2 "$tool" "$tmp/alexnet.csv" --accel no-such-npu
printf 'h\nConv1, 224, 224, 11, 11, 3, 96, 4\n' >"$tmp/notrailing.csv"
check no-trailing-comma 2 "$tool" "$tmp/notrailing.csv"
expect_in names-line "$tmp/err" "notrailing.csv:2"
# The loop DESIGN.md draws: an accelerator profile feeds sml-estimate as a device.
check hwprofile 0 "$tool" "$models/resnet18.onnx" --accel tpu-v1 --emit-hwprofile "$tmp/tpu.yaml"
expect_in hwprofile-kind "$tmp/tpu.yaml" "sml: hwprofile/v1"
# 2 x 256 x 256 MACs x 700 MHz (Jouppi et al. 2017 quote 92 TOPS).
expect_in hwprofile-peak "$tmp/tpu.yaml" "int8: 91750400000000"
check hwprofile-no-clock 2 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg" --emit-hwprofile "$tmp/x.yaml"
estimate=$(dirname "$tool")/sml-estimate
check estimate-on-profile 0 "$estimate" "$models/resnet18.onnx" --device "$tmp/tpu.yaml" --precision int8 --train-samples 10k --region FR --no-layers
expect_in estimate-device "$tmp/out" "device: tpu-v1 256x256 ws"
finish
