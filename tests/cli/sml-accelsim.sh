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
finish
