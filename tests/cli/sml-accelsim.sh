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
expect_in onnx-vector-work "$tmp/out" "vector_work:"
expect_in onnx-vector-relu "$tmp/out" "op: Relu"
# coverage (issue 18): the profile's, as sml-estimate's profile.coverage. dynamic_det.onnx has every
# input dim dynamic; at 1x3x64x64 its convs are 32x32x8 outputs x 27 and x 72 taps = 811,008 MACs.
cov=$models/coverage
check coverage-full 0 "$tool" -q "$cov/dynamic_det.onnx" --input-shape x=1x3x64x64 --format json -o "$tmp/cov.json"
check coverage-full-doc 0 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["coverage"]
assert c["complete"] is True and c["nodes_counted"] == c["nodes_total"] == 3, c
assert c["macs_counted"] == d["total"]["macs"] == 811008 and not c["defaulted_dims"] and not c["assumed_branches"], (c, d["total"])' "$tmp/cov.json"
# resnet18's batch is symbolic: defaulted to 1, said so although every MAC is simulated.
check coverage-defaulted 0 "$tool" -q "$models/resnet18.onnx" --format json -o "$tmp/cov.json"
check coverage-defaulted-doc 0 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["coverage"]
assert c["complete"] is False and d["total"]["coverage"] == 1, (c, d["total"])
assert [(x["input"], x["dim"], x["value"], x["symbol"]) for x in c["defaulted_dims"]] == [("input", 0, 1, "batch")], c' "$tmp/cov.json"
# ... and says so on stderr, where a user who reads only the totals looks; a complete run says nothing.
check coverage-defaulted-warns 0 "$tool" "$models/resnet18.onnx" -o "$tmp/cov.yaml"
expect_in coverage-defaulted-stderr "$tmp/err" "warning: the profile simulated is incomplete (input 'input' dim 0 ('batch') defaulted to 1)"
check coverage-full-silent 0 "$tool" "$cov/dynamic_det.onnx" --input-shape x=1x3x64x64 -o "$tmp/cov.yaml"
expect_true coverage-full-no-warning [ ! -s "$tmp/err" ]
# An If on the sample rate without --input-value: both branches assumed, the simulated share alone hides it.
check coverage-branch 0 "$tool" -q "$cov/sample_rate_if.onnx" --input-shape input=1x512 --format json -o "$tmp/cov.json"
check coverage-branch-doc 0 /usr/bin/python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["coverage"]
assert c["complete"] is False and c["assumed_branches"] == ["rate_switch"], c' "$tmp/cov.json"
check coverage-branch-chosen 0 "$tool" -q "$cov/sample_rate_if.onnx" --input-shape input=1x512 --input-value sr=16000 --format json -o "$tmp/cov.json"
check coverage-branch-chosen-doc 0 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["coverage"]["complete"] is True and d["total"]["macs"] == 15360, d["coverage"]' "$tmp/cov.json"
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

# The SystemC model (one simulation per process, so one run per case): fold by fold, a
# double-buffered pipeline of F folds with fetch time x and compute time c per fold takes
# x + F·c when compute-bound and F·x + c when memory-bound; the array waits (after the first
# fetch) exactly when x > c, i.e. when the bandwidth is below the demand the closed form uses.
printf 'Layer, M, N, K,\nA, 2000, 64, 512,\n' >"$tmp/one.csv"
for bw in 4 16 17 64; do
  check "systemc-$bw" 0 "${systemc_env[@]}" "$tool" "$tmp/one.csv" --gemm --bandwidth "$bw" --systemc -o "$tmp/sc-$bw.yaml"
done
# With a DRAM latency of 2,000 cycles per fold's burst, 64 words per cycle no longer keep up.
check systemc-latency 0 "${systemc_env[@]}" "$tool" "$tmp/one.csv" --gemm --bandwidth 64 --dram-latency 2000 --systemc -o "$tmp/sc-lat.yaml"
check systemc-agrees 0 /usr/bin/python3 - "$tmp" <<'PY'
import sys, yaml
for bw, latency, name in ((4, 0, "4"), (16, 0, "16"), (17, 0, "17"), (64, 0, "64"), (64, 2000, "lat")):
    d = yaml.safe_load(open("%s/sc-%s.yaml" % (sys.argv[1], name)))
    l, s = d["layers"][0], d["systemc"]
    assert d["config"]["dram_latency_cycles"] == latency
    F = l["folds"]
    c = (l["cycles"]["compute"] + 1) / F
    words = sum(l["traffic_words"]["dram"].values())
    x = latency + words / F / bw
    want = F * x + c if x > c else x + F * c
    # SystemC's time resolution (1 ps of a 1 ns cycle) once or twice per fold, and the document's
    # six significant digits.
    tol = 0.002 * F + 1e-5 * want
    assert abs(s["total_cycles"] - want) < tol, (bw, s["total_cycles"], want)
    assert abs(s["stall_cycles"] - (F - 1) * max(0.0, x - c)) < tol, bw
    # Both models stall at once; without latency, exactly when the bandwidth is below the demand.
    assert (s["stall_cycles"] > 0) == (l["cycles"]["stall"] > 0), bw
    if latency == 0:
        assert (l["cycles"]["stall"] > 0) == (bw < l["dram_demand_words_per_cycle"]), bw
    else:
        assert l["cycles"]["stall"] > 0 and 64 > l["dram_demand_words_per_cycle"]  # the latency alone stalls it
    # They differ by the pipeline's fill and drain: at most one fold's fetch or compute (and a ceiling).
    closed = l["cycles"]["compute"] + 1 + l["cycles"]["stall"]
    assert abs(s["total_cycles"] - closed) <= max(x, c) + 1, (bw, s["total_cycles"], closed)
print("systemc ok")
PY
expect_in systemc-agrees-ok "$tmp/out" "systemc ok"
check systemc-needs-bandwidth 2 "${systemc_env[@]}" "$tool" "$tmp/one.csv" --gemm --systemc
# Issue 20 item 11: the SystemC run is bounded before it starts. A 10000^3 GEMM on a 1x1 array is
# 10^8 folds by the tool's own count, past the 10^7 it simulates.
printf 'Layer, M, N, K,\nA, 10000, 10000, 10000,\n' >"$tmp/huge.csv"
check systemc-too-many-folds 2 "${systemc_env[@]}" "$tool" "$tmp/huge.csv" --gemm --array 1x1 --bandwidth 64 --systemc
expect_in systemc-too-many-folds-says "$tmp/err" "100000000 folds, more than the 10000000"
check systemc-model 0 "${systemc_env[@]}" "$tool" "$models/resnet18.onnx" --accel tpu-v1 --systemc
expect_in systemc-model-runs "$tmp/out" "transactions:"

# Sweeps: sharded runs merged equal the whole sweep; merge refuses gaps, doubles and strangers.
sweep=(--accel tpu-v1 --sweep array=16x16,64x64,256x256 --sweep dataflow=os,ws,is --sweep sram=64,1024 --sweep bandwidth=16,64)
check sweep 0 "$tool" "$models/resnet18.onnx" "${sweep[@]}" -o "$tmp/sweep.yaml"
expect_in sweep-kind "$tmp/sweep.yaml" "sml: accelsweep/v1"
expect_in sweep-total "$tmp/sweep.yaml" "points_total: 36"
expect_in sweep-coverage "$tmp/sweep.yaml" "coverage: 1"
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
# Issue 18: every op with MACs runs on the array, with the MACs lib/cost's profile counts (hand-
# derived in make_op_fixtures.py from the ONNX operator definitions); the rest on the vector unit.
estimate=$(dirname "$tool")/sml-estimate
/usr/bin/python3 "$(dirname "$0")/../accelsim/make_op_fixtures.py" "$tmp" >"$tmp/want.json"
for f in convinteger qlinear recurrent_deconv grouped_conv attention; do
  check "ops-$f" 0 "$tool" "$tmp/$f.onnx" -o "$tmp/$f.yaml"
  "$estimate" "$tmp/$f.onnx" --no-layers --format json >"$tmp/$f.est.json" 2>/dev/null
  check "ops-$f-macs" 0 /usr/bin/python3 - "$tmp" "$f" <<'PY'
import json, sys, yaml
tmp, f = sys.argv[1:]
d = yaml.safe_load(open("%s/%s.yaml" % (tmp, f)))
want = json.load(open(tmp + "/want.json"))[f]
profiled = json.load(open("%s/%s.est.json" % (tmp, f)))["profile"]["total"]["macs"]
assert d["total"]["macs"] == want == profiled == d["total"]["profiled_macs"], (d["total"], want, profiled)
assert d["total"]["coverage"] == 1 and not d["not_simulated"] and not d["warnings"]
array = [l for l in d["layers"] if l["unit"] == "array"]
assert sum(l["macs"] for l in array) == want
assert all(l["cycles"]["total"] > 0 for l in d["layers"])  # every layer has cycles
assert d["total"]["cycles"] == d["total"]["array_cycles"] + d["total"]["vector_cycles"]
PY
done
expect_in ops-convinteger-int "$tmp/convinteger.yaml" "op: ConvInteger"
expect_in ops-matmulinteger "$tmp/convinteger.yaml" "op: MatMulInteger"
expect_in ops-qlinearmatmul "$tmp/qlinear.yaml" "op: QLinearMatMul"
expect_in ops-vector-relu "$tmp/convinteger.yaml" "unit: vector"
# LSTM as its gate GEMMs: all 50 steps' input projection at once (M = 50, N = 4 x 64, K = 40, per
# direction) and the recurrent product step by step (M = 1, K = 64, 50 x 2 times).
expect_in ops-lstm-input "$tmp/recurrent_deconv.yaml" "name: lstm/input"
expect_in ops-lstm-recurrent "$tmp/recurrent_deconv.yaml" "name: lstm/recurrent"
expect_in ops-lstm-steps "$tmp/recurrent_deconv.yaml" "repeat: 100"
expect_in ops-lstm-gates "$tmp/recurrent_deconv.yaml" "name: lstm/gates"
expect_in ops-deconv "$tmp/recurrent_deconv.yaml" "op: ConvTranspose"
check ops-unknown 2 "$tool" "$tmp/conv_unknown.onnx" -o "$tmp/unknown.yaml"
expect_in ops-unknown-says "$tmp/err" "coverage 0%"
expect_true ops-unknown-nothing-written [ ! -e "$tmp/unknown.yaml" ]
check ops-lanes 0 "$tool" "$tmp/convinteger.onnx" --vector-lanes 1
expect_in ops-lanes-relu "$tmp/out" "vector_cycles: 49152"  # Relu 16384 + Cast 16384 + QuantizeLinear 16384, one lane
check ops-scalesim-array-only 0 "$tool" "$tmp/convinteger.onnx" --format scalesim
expect_eq ops-scalesim-rows "$(wc -l <"$tmp/out")" 3  # header + the two integer layers
# Every model of tests/models: the simulated MACs are the profile's.
for m in "$models"/*.onnx; do
  n=$(basename "$m" .onnx)
  "$tool" -q "$m" --format json >"$tmp/m.json" 2>/dev/null
  "$estimate" "$m" --no-layers --format json >"$tmp/e.json" 2>/dev/null
  check "models-$n" 0 /usr/bin/python3 -c '
import json, sys
a, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["total"]["macs"] == e["profile"]["total"]["macs"] == a["total"]["profiled_macs"] > 0, (a["total"], e["profile"]["total"]["macs"])
assert a["total"]["coverage"] == 1' "$tmp/m.json" "$tmp/e.json"
done
finish
