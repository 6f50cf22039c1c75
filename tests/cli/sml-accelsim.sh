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
# Memory, derived by hand for the golden layer on 32x32 ws with 64 KiB (65,536-word) buffers:
# M = 55·55 = 3,025 output pixels, K = 11·11·3 = 363, N = 96; 12 row folds (K), 3 column folds (N).
# Ifmap (im2col) 3,025·363 = 1,098,075 words does not fit, so it streams once per column fold:
# 3,294,225; filters 363·96 = 34,848 once; partial sums of a column block 3,025·32 = 96,800 do
# not fit either, so they spill: written 12 × 290,400 = 3,484,800, read back 11 × = 3,194,400.
# DRAM total 10,008,273 words in 112,284 compute cycles (SCALE-Sim's 112,283 is the last cycle's
# index): a demand of 89.13 words per cycle.
check bandwidth-enough 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg" --bandwidth 90 --format scalesim
expect_in bandwidth-enough-cycles "$tmp/out" "0, 112283, 0,"
check bandwidth-short 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg" --bandwidth 89 --format scalesim
expect_in bandwidth-short-stalls "$tmp/out" "0, 112452, 169,"  # ceil(10,008,273 / 89) = 112,453 − 112,284
check traffic 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg"
expect_in traffic-ifmap "$tmp/out" "ifmap_reads: 3294225"
expect_in traffic-psum "$tmp/out" "ofmap_reads: 3194400"
check no-stalls 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg" --bandwidth 1 --no-stalls --format scalesim
expect_in no-stalls-golden "$tmp/out" "0, 112283, 0,"
check energy 0 "$tool" "$tmp/alexnet.csv" --accel "$tmp/golden.cfg"
expect_in energy-total "$tmp/out" "energy_j:"
expect_in energy-source "$tmp/out" "Horowitz, ISSCC 2014"

# The PE-level mode on small GEMMs agrees with the fold model in every dataflow; big layers are refused.
printf 'Layer, M, N, K,\nA, 20, 12, 9,\nB, 5, 40, 33,\n' >"$tmp/small.csv"
for df in os ws is; do
  check "pe-level-$df" 0 "$tool" "$tmp/small.csv" --gemm --array 8x4 --dataflow "$df" --pe-level
  expect_in "pe-level-$df-agrees" "$tmp/out" "agrees: true"
  expect_in "pe-level-$df-exact" "$tmp/out" "product_exact: true"
done
check pe-level-too-big 2 "$tool" "$models/resnet18.onnx" --pe-level
expect_in pe-level-too-big-says "$tmp/err" "too large for the PE-level mode"

# Sweeps: sharded runs merged equal the whole sweep; merge refuses gaps, doubles and strangers.
sweep=(--accel tpu-v1 --sweep array=16x16,64x64,256x256 --sweep dataflow=os,ws,is --sweep sram=64,1024 --sweep bandwidth=16,64)
check sweep 0 "$tool" "$models/resnet18.onnx" "${sweep[@]}" -o "$tmp/sweep.yaml"
expect_in sweep-kind "$tmp/sweep.yaml" "sml: accelsweep/v1"
expect_in sweep-total "$tmp/sweep.yaml" "points_total: 36"
for i in 0 1 2 3; do "$tool" "$models/resnet18.onnx" "${sweep[@]}" --shard "$i/4" -o "$tmp/shard-$i.yaml" 2>/dev/null; done
expect_in shard-says "$tmp/shard-1.yaml" "shard: 1/4"
check merge 0 "$tool" merge "$tmp"/shard-[0-3].yaml -o "$tmp/merged.yaml"
check merge-equals-whole 0 diff <(grep -v '^generator' "$tmp/merged.yaml") <(grep -v '^generator' "$tmp/sweep.yaml")
check merge-gap 2 "$tool" merge "$tmp/shard-0.yaml" "$tmp/shard-2.yaml"
expect_in merge-gap-says "$tmp/err" "18 of 36 points missing"
check merge-double 2 "$tool" merge "$tmp/shard-0.yaml" "$tmp/shard-0.yaml"
"$tool" "$tmp/alexnet.csv" --sweep array=8x8,16x16 -o "$tmp/other.yaml"
check merge-stranger 2 "$tool" merge "$tmp/shard-0.yaml" "$tmp/other.yaml"
expect_in merge-stranger-says "$tmp/err" "a shard of another sweep"
check shard-bad 1 "$tool" "$models/resnet18.onnx" "${sweep[@]}" --shard 4/4
check shard-without-sweep 1 "$tool" "$models/resnet18.onnx" --shard 0/2
check sweep-bad-axis 1 "$tool" "$models/resnet18.onnx" --sweep colour=red
/usr/bin/python3 - "$tmp/sweep.yaml" >"$tmp/front.out" <<'PY'
import sys, yaml
pts = yaml.safe_load(open(sys.argv[1]))["points"]
key = lambda p: (p["cycles"], p["energy_j"], p["pes"], p["sram_kib"])
def dominates(q, p):
    return all(a <= b for a, b in zip(key(q), key(p))) and any(a < b for a, b in zip(key(q), key(p)))
for p in pts:  # the front is exactly the non-dominated points
    assert p["pareto"] == (not any(dominates(q, p) for q in pts if q is not p)), p["index"]
print("front ok", sum(p["pareto"] for p in pts))
PY
expect_in sweep-front "$tmp/front.out" "front ok"
finish
