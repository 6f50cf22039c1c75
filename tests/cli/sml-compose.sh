#!/usr/bin/env bash
# Command-line behaviour of sml-compose: building, editing, the describe → suggest → compose pipe,
# compose → estimate → describe round trips, and Debian's python3-onnx as an independent reader.
set -u
. "$(dirname "$0")/lib.sh"
tools=$1
models=$2
compose=$tools/sml-compose estimate=$tools/sml-estimate describe=$tools/sml-describe suggest=$tools/sml-suggest
param_count() { grep -m1 '^    params:' "$1" | awk '{print $2}'; }

check help 0 "$compose" --help
expect_in help-arch "$tmp/out" "--replace-head"
check version 0 "$compose" --version
check list-archs 0 "$compose" --list archs
for a in resnet18 resnet50 mobilenet_v2 mobilenet_v3_small mobilenet_v3_large efficientnet_b0 vit_b_16 bert_base distilbert kws_cnn; do
  expect_in "list-$a" "$tmp/out" "$a"
done
check list-cores 0 "$compose" --list cores
expect_in list-cores-why "$tmp/out" "why: the skip connection"
check list-bad 1 "$compose" --list gpus

# Build, then estimate and describe what was built (the round trip).
check arch 0 "$compose" --arch resnet18 -o "$tmp/r18.onnx"
expect_in arch-report "$tmp/err" "built resnet18 (width 1, depth 1): 11,689,512 parameters in 7 cores"
check estimate-composed 0 "$estimate" "$tmp/r18.onnx"
expect_eq estimate-params "$(param_count "$tmp/out")" 11689512
expect_in estimate-producer "$tmp/out" "producer: sml-compose"
check describe-composed 0 "$describe" "$tmp/r18.onnx"
expect_in describe-stem "$tmp/out" "role: stem"
expect_in describe-head "$tmp/out" "role: head"
check stdout-pipe 0 bash -c "\"$compose\" -q --arch mobilenet_v2 --weights zeros | \"$estimate\" -"
expect_eq pipe-params "$(param_count "$tmp/out")" 3504872

# Edits on a composition: a new head, a narrower model, fp16.
check replace-head 0 "$compose" --arch resnet18 --replace-head classifier:num_classes=10 -o "$tmp/r18-10.onnx"
"$estimate" "$tmp/r18-10.onnx" >"$tmp/est10"
expect_eq replace-head-params "$(param_count "$tmp/est10")" $((11689512 - 513000 + 5130))
check width 0 "$compose" --arch mobilenet_v2 --width 0.5 -o "$tmp/mv2-half.onnx"
"$estimate" "$tmp/mv2-half.onnx" >"$tmp/esth"
expect_eq width-params "$(param_count "$tmp/esth")" 1968680
check fp16 0 "$compose" --arch kws_cnn --precision fp16 -o "$tmp/kws16.onnx"
check width-bad 1 "$compose" --arch resnet18 --width 0
check unknown-arch 2 "$compose" --arch resnet19
expect_in unknown-arch-lists "$tmp/err" "nearest: resnet18"

# A composition file with a mistake: exit 2, file and line named, nothing written.
printf 'sml: composition/v1\ninput: {shape: [1, 3, 32, 32]}\ncores:\n  - {core: conv_bn_act, out: 8}\n  - {core: basic_block, outt: 8}\n' >"$tmp/bad.yaml"
check bad-key 2 "$compose" "$tmp/bad.yaml" -o "$tmp/bad.onnx"
expect_in bad-key-where "$tmp/err" "bad.yaml:5"
expect_true bad-key-writes-nothing [ ! -e "$tmp/bad.onnx" ]
printf 'sml: composition/v1\ninput: {shape: [1, 3, 32, 32]}\nnum_classes: 4\ncores:\n  - {core: ds_conv, out: 16, stride: 2, repeat: 2}\n  - {core: classifier}\n' >"$tmp/mine.yaml"
check own-composition 0 "$compose" "$tmp/mine.yaml" -o "$tmp/mine.onnx"
check own-composition-stdin 0 bash -c "\"$compose\" - < \"$tmp/mine.yaml\" > \"$tmp/mine2.onnx\""

# Wrong kinds are named.
check wrong-kind 2 bash -c "\"$estimate\" \"$tmp/r18.onnx\" | \"$compose\""
expect_in wrong-kind-says "$tmp/err" "expected a composition or suggestions document or an ONNX model, got estimate/v1 from <stdin>"
# Every tool names the kind it was handed where another belongs (issue 8).
printf 'sml: estimate/v1\ngenerator: x\n' >"$tmp/est-kind.yaml"
check estimate-wrong-kind 2 bash -c "\"$estimate\" - < \"$tmp/est-kind.yaml\""
expect_in estimate-wrong-kind-says "$tmp/err" "expected an ONNX model, got estimate/v1 from <stdin>"
check accelsim-wrong-kind 2 bash -c "\"$tools/sml-accelsim\" - < \"$tmp/est-kind.yaml\""
expect_in accelsim-wrong-kind-says "$tmp/err" "expected an ONNX model, got estimate/v1 from <stdin>"
check describe-wrong-kind 2 bash -c "\"$describe\" - < \"$tmp/est-kind.yaml\""
expect_in describe-wrong-kind-says "$tmp/err" "expected a problem in words or an ONNX model, got estimate/v1 from <stdin>"
check suggest-given-onnx 2 bash -c "\"$suggest\" - < \"$tmp/r18.onnx\""
expect_in suggest-given-onnx-says "$tmp/err" "binary data (an ONNX model?)"
check describe-onnx-stdin 0 bash -c "\"$describe\" - < \"$tmp/r18.onnx\""
expect_in describe-onnx-stdin-kind "$tmp/out" "sml: modelinfo/v1"
check pick-on-composition 1 "$compose" "$tmp/mine.yaml" --pick 1

# describe | suggest | compose --pick N, no temporary files: N is the first buildable candidate.
"$describe" "classify 20k photos of 12 kinds of weeds" | "$suggest" --top 40 -o "$tmp/sugg.yaml"
n=$(/usr/bin/python3 -c "
import yaml,sys
d=yaml.safe_load(open('$tmp/sugg.yaml'))
print(next(c['rank'] for c in d['candidates'] if c.get('composition')))")
check pipe 0 bash -c "\"$describe\" 'classify 20k photos of 12 kinds of weeds' | \"$suggest\" --top 40 | \"$compose\" --pick $n -o \"$tmp/picked.onnx\" && \"$estimate\" \"$tmp/picked.onnx\""
expect_in pipe-estimated "$tmp/out" "producer: sml-compose"
check suggestions-need-pick 1 "$compose" "$tmp/sugg.yaml"
check pick-out-of-range 2 "$compose" "$tmp/sugg.yaml" --pick 999
n0=$(/usr/bin/python3 -c "
import yaml
d=yaml.safe_load(open('$tmp/sugg.yaml'))
print(next((c['rank'] for c in d['candidates'] if not c.get('composition')), 0))")
if [ "$n0" != 0 ]; then
  check pick-unbuildable 2 "$compose" "$tmp/sugg.yaml" --pick "$n0"
  expect_in pick-unbuildable-says "$tmp/err" "has no composition in the block library"
fi
# Tree ensembles (issue 14) are costed candidates, but no network: --pick and --arch refuse them
# in one line (exit 2) and write nothing.
"$describe" "classify customer churn from a table of 50000 rows with 20 columns" | "$suggest" -o "$tmp/sugg-tab.yaml"
nx=$(/usr/bin/python3 -c "
import yaml
d=yaml.safe_load(open('$tmp/sugg-tab.yaml'))
print(next(c['rank'] for c in d['candidates'] if c['model'] == 'xgboost-gbdt'))")
check pick-trees 2 "$compose" "$tmp/sugg-tab.yaml" --pick "$nx" -o "$tmp/trees.onnx"
expect_in pick-trees-says "$tmp/err" "not a composable network"
expect_eq pick-trees-one-line "$(wc -l < "$tmp/err")" 1
check pick-trees-nothing-written 1 test -e "$tmp/trees.onnx"
check arch-trees 2 "$compose" --arch isolation-forest -o "$tmp/trees.onnx"
expect_in arch-trees-says "$tmp/err" "not a composable network"

# Catalogue ids build their architecture (issue 13); an entry without one says why.
check arch-catalog-id 0 "$compose" --arch tinybert-4l-312d --weights zeros -o "$tmp/tinybert.onnx"
expect_in arch-catalog-id-params "$tmp/err" "built tinybert_4l_312d (width 1, depth 1): 14,350,248 parameters"
# Every network entry of the shipped catalogue names an architecture (issues 13 and 14): only the
# two with a cost model of their own (trees) do not.
null_ids=$(grep -l "composition: {arch: null" -r "$models/../../catalog/models" | xargs -r grep -L "cost_model" | xargs -r sed -n 's/^id: //p' | tr '\n' ' ')
expect_eq arch-catalog-every-network-builds "$null_ids" ""
# An entry without one says why: a copy of the catalogue with one network entry's architecture removed.
cp -r "$models/../../catalog" "$tmp/catalog-null"
sed -i '/^composition:/,/^  arch:/c composition: {arch: null, reason: "test: architecture removed"}' "$tmp/catalog-null/models/vision/midas-v21-small.yaml"
check arch-catalog-null 2 "$compose" --catalog "$tmp/catalog-null" --arch midas-v21-small -o "$tmp/none.onnx"
expect_in arch-catalog-null-why "$tmp/err" "has no architecture sml-compose can build"
check arch-catalog-null-nothing-written 1 test -e "$tmp/none.onnx"
# An entry naming an architecture that is not there: the entry's file and line, nothing written.
cp "$models/../../catalog/models/audio/whisper-tiny.yaml" "$tmp/catalog-null/models/audio/whisper-tiny.yaml"
sed -i 's/arch: whisper_tiny/arch: whisper_none/' "$tmp/catalog-null/models/audio/whisper-tiny.yaml"
line=$(grep -n "arch: whisper_none" "$tmp/catalog-null/models/audio/whisper-tiny.yaml" | cut -d: -f1)
check arch-catalog-missing 2 "$compose" --catalog "$tmp/catalog-null" --arch whisper-tiny -o "$tmp/none.onnx"
expect_in arch-catalog-missing-line "$tmp/err" "whisper-tiny.yaml:$line: whisper-tiny: composition arch 'whisper_none'"
check arch-catalog-missing-nothing-written 1 test -e "$tmp/none.onnx"
# The Llama block (RMSNorm, rotary positions, grouped-query attention, SwiGLU) and a tied head,
# written and checked by python3-onnx below: per block 2·32 + (32·32 + 32) + 2·(32·16 + 16)
# + 32·32 + 3·32·64 = 9,344; embeddings 100·32; final norm 32; the head shares the table.
cat > "$tmp/tiny_llama.yaml" <<'YAML'
sml: composition/v1
name: tiny_llama
per_token: true
input: {name: input_ids, shape: [1, 16], dtype: int64}
cores:
  - {core: token_embed, vocab: 100, dim: 32, max_positions: 0, token_types: 0, norm: false, name: emb}
  - {core: llama_decoder, heads: 4, kv_heads: 2, mlp_dim: 64, eps: 0.00001, qkv_bias: true, repeat: 2}
  - {core: rms_norm}
  - {core: token_head, tie: emb}
YAML
check tiny-llama 0 "$compose" "$tmp/tiny_llama.yaml" -o "$tmp/tiny_llama.onnx"
expect_in tiny-llama-params "$tmp/err" "built tiny_llama (width 1, depth 1): 21,920 parameters"
check derive-catalog 0 "$compose" --derive-catalog -q -o "$tmp/derived.yaml"
check derive-catalog-current 0 diff "$tmp/derived.yaml" "$(dirname "$0")/../../catalog/derived.yaml"
# A text task through the whole pipe: the smallest candidate with an architecture (a language
# model; the smallest keeps the written file, and the suite, small).
"$describe" "classify customer reviews as positive or negative" | "$suggest" --top 60 -o "$tmp/sugg-text.yaml"
nt=$(/usr/bin/python3 -c "
import yaml
d=yaml.safe_load(open('$tmp/sugg-text.yaml'))
print(min((c['params'], c['rank']) for c in d['candidates'] if c.get('composition'))[1])")
check pipe-text 0 "$compose" "$tmp/sugg-text.yaml" --pick "$nt" --weights zeros -o "$tmp/picked-text.onnx"
expect_in pipe-text-pretrained "$tmp/err" "sml.pretrained"

# Encoder-decoders (issue 13): a second input (the decoder's token ids) and T5's relative position
# buckets. A tiny T5 (D 8, 2 heads, 1+1 layers, vocabulary 20) over 300 source and 7 target tokens:
# per stack one bias table 32·2 = 64; encoder 4·64 + 2·8·16 + 2·8 = 528 + 64 + 8; decoder adds
# cross-attention 256 and a norm 8: 792 + 64 + 8; table 160 (shared, tied head). Total 1,624.
cat > "$tmp/tiny_t5.yaml" <<'YAML'
sml: composition/v1
name: tiny_t5
input: {name: input_ids, shape: [1, 300], dtype: int64}
inputs:
  - {name: decoder_input_ids, shape: [1, 7], dtype: int64}
cores:
  - {core: seq2seq_embed, vocab: 20, dim: 8, name: shared}
  - {core: t5_stack, heads: 2, d_kv: 4, mlp_dim: 16, name: encoder, scope: encoder.block}
  - {core: seq2seq_embed, tie: shared, from: decoder_input_ids}
  - {core: t5_stack, heads: 2, d_kv: 4, mlp_dim: 16, memory: encoder, tied_output_scale: true, scope: decoder.block}
  - {core: token_head, tie: shared}
YAML
check tiny-t5 0 "$compose" "$tmp/tiny_t5.yaml" -o "$tmp/tiny_t5.onnx"
expect_in tiny-t5-params "$tmp/err" "built tiny_t5 (width 1, depth 1): 1,624 parameters"
# Issue 13: the same model served as a generation: once per request, then a step per token
# (both read back by python3-onnx below), costed together by sml-estimate --decoder-step.
sed 's/^cores:$/decode: {input: decoder_input_ids}\ncores:/' "$tmp/tiny_t5.yaml" >"$tmp/tiny_t5_dec.yaml"
check decode-once 0 "$compose" "$tmp/tiny_t5_dec.yaml" --decode once -o "$tmp/tiny_t5_once.onnx"
expect_in decode-once-says "$tmp/err" "once per request: the encoder and every decoder layer's cross-attention keys and values"
check decode-step 0 "$compose" "$tmp/tiny_t5_dec.yaml" --decode step --cache 5 -o "$tmp/tiny_t5_step.onnx"
expect_in decode-step-says "$tmp/err" "1 new token against a cache of 5 tokens (of 7 generated per request)"
check decode-estimate 0 "$estimate" "$tmp/tiny_t5_once.onnx" --decoder-step "$tmp/tiny_t5_step.onnx" --output-tokens 7 --device a100 --no-layers
expect_in decode-estimate-tokens "$tmp/out" "output_tokens: 7"
expect_in decode-estimate-rate "$tmp/out" "tokens_per_s:"
check decode-estimate-no-tokens 1 "$estimate" "$tmp/tiny_t5_once.onnx" --decoder-step "$tmp/tiny_t5_step.onnx" --device a100
check decode-cache-alone 1 "$compose" "$tmp/tiny_t5_dec.yaml" --cache 5 -o "$tmp/never.onnx"
check decode-no-key 2 "$compose" --arch resnet18 --decode step -o "$tmp/never.onnx"
expect_in decode-no-key-says "$tmp/err" "no decode: key"
expect_true decode-nothing-written [ ! -e "$tmp/never.onnx" ]
# A decoder-only model (issue 13): the prefill of the 16-token prompt's first 15 and a step at a
# cache of 17 (tokens 3 of 4), read back by python3-onnx below: 2 layers × (key, value) of 2 KV heads × 8.
sed 's/^cores:$/decode: {input: input_ids, output_tokens: 4}\ncores:/' "$tmp/tiny_llama.yaml" >"$tmp/tiny_llama_dec.yaml"
check lm-prefill 0 "$compose" "$tmp/tiny_llama_dec.yaml" --decode prefill -o "$tmp/tiny_llama_prefill.onnx"
expect_in lm-prefill-says "$tmp/err" "the prefill: the decoder over the prompt's first 15 of 16 tokens"
check lm-step 0 "$compose" "$tmp/tiny_llama_dec.yaml" --decode step --cache 17 -o "$tmp/tiny_llama_step.onnx"
expect_in lm-step-says "$tmp/err" "1 new token against a cache of 17 tokens (of 4 generated per request, at caches 15 … 18)"
check lm-estimate 0 "$estimate" "$tmp/tiny_llama_prefill.onnx" --decoder-step "$tmp/tiny_llama_step.onnx" --output-tokens 4 --device a100 --no-layers
expect_in lm-estimate-tokens "$tmp/out" "output_tokens: 4"
check lm-prefill-refused 1 "$compose" "$tmp/tiny_t5_dec.yaml" --decode prefill -o "$tmp/never.onnx"
if /usr/bin/python3 -c "import onnx" 2>/dev/null; then
  check lm-onnx 0 /usr/bin/python3 - "$tmp/tiny_llama_prefill.onnx" "$tmp/tiny_llama_step.onnx" <<'PY'
import sys
import onnx
dims = lambda v: [d.dim_value for d in v.type.tensor_type.shape.dim]
prefill, step = (onnx.load(f) for f in sys.argv[1:3])
for m in (prefill, step):
    onnx.checker.check_model(m, full_check=True)
outs = [(o.name, dims(o)) for o in prefill.graph.output]
assert [n for n, _ in outs] == ["present.%d.%s" % (i, kv) for i in range(2) for kv in ("key", "value")], outs
assert all(d == [1, 2, 15, 8] for _, d in outs), outs
ins = {i.name: dims(i) for i in step.graph.input}
assert ins.pop("input_ids") == [1, 1], ins
assert ins == {"past_key_values.%d.%s" % (i, kv): [1, 2, 17, 8] for i in range(2) for kv in ("key", "value")}, ins
# optimum's names; each present is the new token's row (1 of 18), which a server appends
outs = [(o.name, dims(o)) for o in step.graph.output]
assert outs == [("output", [1, 1, 100])] + [("present.%d.%s" % (i, kv), [1, 2, 1, 8]) for i in range(2) for kv in ("key", "value")], outs
print("kv cache ok")
PY
  expect_in lm-onnx-cache "$tmp/out" "kv cache ok"
fi
if /usr/bin/python3 -c "import onnx, numpy" 2>/dev/null; then
  # The bucket ids the encoder and decoder gather their biases with equal Hugging Face's
  # _relative_position_bucket (32 buckets, max distance 128), re-implemented here in float32
  # as torch computes it, for every relative position from -299 to 299.
  check t5-buckets 0 /usr/bin/python3 - "$tmp/tiny_t5.onnx" <<'PY'
import math, sys
import numpy as np
import onnx
from onnx import numpy_helper
def bucket(rel, bidirectional, n=32, max_distance=128):
    ret = np.zeros_like(rel)
    if bidirectional:
        n //= 2
        ret += (rel > 0).astype(np.int64) * n
        rel = np.abs(rel)
    else:
        rel = -np.minimum(rel, 0)
    exact = n // 2
    safe = np.maximum(rel, 1).astype(np.float32)
    large = exact + (np.log(safe / np.float32(exact)) / np.float32(math.log(max_distance / exact)) * np.float32(n - exact)).astype(np.int64)
    return ret + np.where(rel < exact, rel, np.minimum(large, n - 1))
m = onnx.load(sys.argv[1])
inits = {i.name: i for i in m.graph.initializer}
seen = 0
for node in m.graph.node:
    if node.op_type == "Gather" and node.input[0].endswith("relative_attention_bias"):
        ids = numpy_helper.to_array(inits[node.input[1]])
        S = ids.shape[0]
        pos = np.arange(S)
        want = bucket(pos[None, :] - pos[:, None], bidirectional=not node.input[0].startswith("decoder"))
        assert (ids == want).all(), (node.input[0], np.argwhere(ids != want)[:5])
        seen += 1
assert seen == 2, seen
print("buckets ok", seen)
PY
  expect_in t5-buckets-both "$tmp/out" "buckets ok 2"
fi
check seq2seq-dup-input 2 "$compose" - -o "$tmp/dup.onnx" <<'YAML'
sml: composition/v1
input: {name: ids, shape: [1, 4], dtype: int64}
inputs:
  - {name: ids, shape: [1, 4], dtype: int64}
cores:
  - {core: seq2seq_embed, vocab: 5, dim: 8}
YAML
expect_in seq2seq-dup-input-line "$tmp/err" ":4: inputs: each further input needs a name of its own"
expect_true seq2seq-dup-input-writes-nothing [ ! -e "$tmp/dup.onnx" ]
# A forecasting problem through the whole pipe: PatchTST (81,728 parameters) and the
# encoder-decoder Chronos-T5 small (46,154,240, built with both inputs) are each composed from the
# suggestion, wherever the ranking puts them (the ranking is tested in the suggest suites).
check pipe-forecast 0 bash -c "\"$describe\" 'forecast hourly electricity demand for the next two days' | \"$suggest\" >\"$tmp/forecast.yaml\""
rank=$(awk '/^- rank:/ {r = $3} /^  model: patchtst-etth1$/ {print r; exit}' "$tmp/forecast.yaml")
check pipe-patchtst 0 "$compose" --pick "${rank:-0}" "$tmp/forecast.yaml" --weights zeros -o "$tmp/patchtst.onnx"
expect_in pipe-patchtst-params "$tmp/err" "built patchtst_etth1 (width 1, depth 1): 81,728 parameters"
rank=$(awk '/^- rank:/ {r = $3} /^  model: chronos-t5-small$/ {print r; exit}' "$tmp/forecast.yaml")
check pipe-seq2seq 0 "$compose" --pick "${rank:-0}" "$tmp/forecast.yaml" --weights zeros -o "$tmp/chronos.onnx"
expect_in pipe-seq2seq-params "$tmp/err" "built chronos_t5_small (width 1, depth 1): 46,154,240 parameters"

# Import and edit a torchvision export (shape-only fixture).
check import-classes 0 "$compose" "$models/resnet18.onnx" --num-classes 10 -o "$tmp/tv10.onnx"
expect_in import-classes-says "$tmp/err" "512 → 1000 became 512 → 10"
check import-head 0 "$compose" "$models/vit_b_16.onnx" --replace-head classifier:num_classes=3 --freeze backbone -o "$tmp/vit3.onnx"
expect_in import-freeze "$tmp/err" "froze backbone"
# A replaced head with a hidden layer stays trainable whole (issue 18): resnet50's backbone is
# 23,481,472 parameters (sml-estimate's 25,530,472 less the 2048x1000+1000 fc), the new head
# 2048x256+256 + 256x5+5 = 525,829.
check import-head-hidden 0 "$compose" "$models/resnet50.onnx" --replace-head classifier:num_classes=5,hidden=256 --freeze backbone -o "$tmp/r50h.onnx"
expect_in import-head-hidden-backbone "$tmp/err" "froze backbone: 106 tensors, 23481472 parameters"
check import-head-hidden-trainable 0 /usr/bin/python3 -c '
import onnx, sys
m = onnx.load(sys.argv[1], load_external_data=False)
frozen = {p.key: p.value for p in m.metadata_props}["sml.frozen"].split(",")
assert not [f for f in frozen if f.startswith("sml_head.")], frozen' "$tmp/r50h.onnx"
check import-head-hidden-head 0 "$compose" "$models/resnet50.onnx" --replace-head classifier:num_classes=5,hidden=256 --freeze head -o "$tmp/r50h.onnx"
expect_in import-head-hidden-head-says "$tmp/err" "froze head: 4 tensors, 525829 parameters"
check import-stdin 0 bash -c "\"$compose\" --num-classes 7 < \"$models/mobilenet_v2.onnx\" > \"$tmp/mv2-7.onnx\""
check cut-unknown 2 "$compose" "$models/resnet18.onnx" --cut-at /layer4/layer4.1/relu_9/Relu
expect_in cut-suggests "$tmp/err" "did you mean"
check import-width 1 "$compose" "$models/resnet18.onnx" --width 0.5
check weights-from 0 "$compose" --arch resnet18 --num-classes 10 --weights from:"$tmp/r18.onnx" -o "$tmp/r18-from.onnx"
expect_in weights-from-report "$tmp/err" "tensors copied"
expect_in weights-from-mismatch "$tmp/err" "2 same name, other shape"

# An IR 10 model (what recent exporters write; libonnx 1.12's checker refuses it) is written back
# as IR 8 when its opset allows.
if /usr/bin/python3 -c "import onnx" 2>/dev/null; then
  /usr/bin/python3 -c "
import onnx, sys
m = onnx.load('$tmp/r18.onnx'); m.ir_version = 10; onnx.save(m, '$tmp/ir10.model')"
  check ir10 0 "$compose" "$tmp/ir10.model" --num-classes 3 -o "$tmp/from-ir10.onnx"
  expect_in ir10-says "$tmp/err" "IR version 10 written back as IR 8"
fi

# Large models: weights beside the model as external data.
check external 0 "$compose" --arch vit_b_16 --weights zeros --external-data -o "$tmp/vit.onnx"
expect_true external-data-file [ -s "$tmp/vit.onnx.data" ]
check external-estimate 0 "$estimate" "$tmp/vit.onnx"
expect_eq external-params "$(param_count "$tmp/out")" 86567656
check external-stdout 1 "$compose" --arch kws_cnn --external-data

# Weights as holes (issue 13): zeros go to the data file as a sparse file, checked by
# python3-onnx in path form; a model past protobuf's 2 GiB gets external data and zero weights by
# default, and random weights past 16 GiB are refused before anything is written. In a folder of
# its own, so the python3-onnx pass below does not load half a gigabyte of zeros.
mkdir -p "$tmp/sparse"
check sparse 0 "$compose" --arch gpt2 --weights zeros --external-data -o "$tmp/sparse/gpt2.onnx"
expect_in sparse-says "$tmp/err" "and its weights in $tmp/sparse/gpt2.onnx.data (497.964 MB"
expect_eq sparse-apparent "$(stat -c %s "$tmp/sparse/gpt2.onnx.data")" 497964032
check sparse-estimate 0 "$estimate" "$tmp/sparse/gpt2.onnx"
expect_eq sparse-params "$(param_count "$tmp/out")" 124439808
if /usr/bin/python3 -c "import onnx" 2>/dev/null; then
  check sparse-checker-path 0 /usr/bin/python3 -c "import onnx, sys; onnx.checker.check_model(sys.argv[1]); print('path form ok')" "$tmp/sparse/gpt2.onnx"
fi
check random-refused 2 "$compose" --arch llama_2_7b --weights random -o "$tmp/sparse/r.onnx"
expect_in random-refused-says "$tmp/err" "more random weights than sml-compose draws (16 GiB)"
expect_true random-refused-nothing [ ! -e "$tmp/sparse/r.onnx" -a ! -e "$tmp/sparse/r.onnx.data" ]
check large-stdout 2 bash -c "\"$compose\" -q --arch llama_2_7b --depth 0.0625 >/dev/null"
expect_in large-stdout-says "$tmp/err" "give -o FILE"
# Where the filesystem keeps holes (a probe file of 64 MiB taking no blocks), the data files take
# (almost) none: the 2.7 GB of a two-layer Llama 2 7B built by default as well.
truncate -s 64M "$tmp/sparse/probe"
if [ "$(stat -c %b "$tmp/sparse/probe")" = 0 ]; then
  on_disk() { echo $(( $(stat -c %b "$1") * $(stat -c %B "$1") )); }
  expect_true sparse-holes [ "$(on_disk "$tmp/sparse/gpt2.onnx.data")" -lt 10000000 ]
  check large-default 0 "$compose" --arch llama_2_7b --depth 0.0625 -o "$tmp/sparse/l2.onnx"
  expect_in large-default-says "$tmp/err" "past protobuf's 2 GiB: its weights are zeros"
  expect_eq large-default-apparent "$(stat -c %s "$tmp/sparse/l2.onnx.data")" 2667700224
  expect_true large-default-holes [ "$(on_disk "$tmp/sparse/l2.onnx.data")" -lt 10000000 ]
else
  echo "this filesystem keeps no holes: sparse-file checks skipped"
fi
rm -rf "$tmp/sparse"

# Debian's python3-onnx, an independent reader: every output loads, passes onnx.checker's full
# check and strict shape inference, and carries its provenance.
if /usr/bin/python3 -c "import onnx" 2>/dev/null; then
  check python-onnx 0 /usr/bin/python3 - "$tmp" <<'PY'
import glob, os, sys, yaml
import onnx
from onnx import shape_inference
tmp = sys.argv[1]
for path in sorted(glob.glob(os.path.join(tmp, "*.onnx"))):
    m = onnx.load(path)  # external data is loaded from beside the model
    onnx.checker.check_model(m, full_check=True)
    shape_inference.infer_shapes(m, strict_mode=True)
    meta = {p.key: p.value for p in m.metadata_props}
    assert meta["sml.generator"].startswith("sml-compose "), path
    if "sml.composition" in meta:
        assert yaml.safe_load(meta["sml.composition"])["sml"] == "composition/v1", path
        assert m.ir_version == 8 and m.opset_import[0].version == 17, path
    else:
        assert "sml.source" in meta, path
    print("ok", os.path.basename(path))
PY
  expect_in python-onnx-vit "$tmp/out" "ok vit.onnx"
  expect_in python-onnx-import "$tmp/out" "ok vit3.onnx"
else
  echo "python3-onnx not installed: independent reader skipped"
fi

# Issue 18: a composed encoder runs at any batch. BERT-base at 8x128 is 8 x its 1x128 MACs; before,
# the attention reshapes baked in batch 1 and the profile accepted [8,128,768] -> [1,128,12,64].
check bert-build 0 "$compose" --arch bert_base -q -o "$tmp/bert.onnx"
check bert-1 0 "$estimate" "$tmp/bert.onnx" --input-shape input_ids=1x128 --no-layers
one=$(grep -m1 '^    macs:' "$tmp/out" | awk '{print $2}')
check bert-8 0 "$estimate" "$tmp/bert.onnx" --input-shape input_ids=8x128 --no-layers
eight=$(grep -m1 '^    macs:' "$tmp/out" | awk '{print $2}')
expect_eq bert-batch-8 "$eight" "$((8 * one))"

# Issue 18 imports: a MatMul + Add head whose weights live in Constant nodes (openWakeWord,
# PaddleOCR cls) takes --num-classes; a cut after a computed Reshape writes a shaped output.
cov=$models/coverage
check import-constant-head 0 "$compose" --import "$cov/constant_head.onnx" --num-classes 3 -o "$tmp/c3.onnx"
expect_in import-constant-head-report "$tmp/err" "head MatMul 'p2o.MatMul.0': 8 → 2 became 8 → 3"
check import-constant-head-count 0 "$estimate" "$tmp/c3.onnx" --batch 1 --no-layers
expect_in import-constant-head-macs "$tmp/out" "macs: 152"   # 16 x 8 + 8 x 3
check import-cut-computed 0 "$compose" --import "$cov/computed_reshape.onnx" --cut-at flatten -o "$tmp/cut.onnx"
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  check import-cut-checked 0 /usr/bin/python3 -c 'import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m); o=m.graph.output[0]; print(o.name, [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim])' "$tmp/cut.onnx"
  expect_in import-cut-shape "$tmp/out" "flat ['batch', 36]"
  # DESIGN.md §4: an import's refusal starts with its file, also when a node shares the file's name
  # (a file `where`, NonZero 'where'; before, the message went out with no file).
  /usr/bin/python3 - "$tmp/where" <<'PY'
import sys
from onnx import TensorProto, helper, save
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
f = helper.make_tensor_value_info("f", TensorProto.FLOAT, None)
g = helper.make_graph([helper.make_node("NonZero", ["x"], ["idx"], name="where"),
                       helper.make_node("Cast", ["idx"], ["f"], to=TensorProto.FLOAT)], "g", [x], [f])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
save(m, sys.argv[1])
PY
  check import-refusal-named 2 sh -c 'cd "$1" && exec "$2" --import where -o never.onnx' _ "$tmp" "$compose"
  expect_in import-refusal-file "$tmp/err" "sml-compose: where: neither ONNX shape inference nor libsml's own finds the full shape of 'idx' (NonZero 'where')"
fi

# Issue 18: --attention-mask gives a composed encoder the attention_mask input exported encoders
# have (int64, the ids' shape); it adds no MACs, and the model still scales with the batch.
check mask-build 0 "$compose" --arch minilm_l6_h384 --attention-mask -q -o "$tmp/mask.onnx"
check mask-1 0 "$estimate" "$tmp/mask.onnx" --input-shape input_ids=1x128 --input-shape attention_mask=1x128 --no-layers
mone=$(grep -m1 '^    macs:' "$tmp/out" | awk '{print $2}')
check mask-8 0 "$estimate" "$tmp/mask.onnx" --input-shape input_ids=8x128 --input-shape attention_mask=8x128 --no-layers
expect_eq mask-batch-8 "$(grep -m1 '^    macs:' "$tmp/out" | awk '{print $2}')" "$((8 * mone))"
check mask-plain 0 "$compose" --arch minilm_l6_h384 -q -o "$tmp/nomask.onnx"
check mask-plain-1 0 "$estimate" "$tmp/nomask.onnx" --input-shape input_ids=1x128 --no-layers
expect_eq mask-no-macs "$(grep -m1 '^    macs:' "$tmp/out" | awk '{print $2}')" "$mone"
check mask-import 1 "$compose" --import "$tmp/nomask.onnx" --attention-mask -o "$tmp/never.onnx"
check mask-vit 2 "$compose" --arch vit_b_16 --attention-mask -o "$tmp/never.onnx"
expect_in mask-vit-why "$tmp/err" "attention_mask: needs token ids"
[ ! -e "$tmp/never.onnx" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL mask: a refused build left a file"; }
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  check mask-checked 0 /usr/bin/python3 -c 'import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print([(i.name, i.type.tensor_type.elem_type, [d.dim_value for d in i.type.tensor_type.shape.dim]) for i in m.graph.input])' "$tmp/mask.onnx"
  expect_in mask-inputs "$tmp/out" "[('input_ids', 7, [1, 128]), ('attention_mask', 7, [1, 128])]"
fi
# The progress line (issue 13): silent for a quick build; past SML_PROGRESS_AFTER seconds (default
# 1) each step is said. Forced from the start (0) rather than timed; never with -q.
check progress-forced 0 env SML_PROGRESS_AFTER=0 "$compose" --arch kws_cnn -o "$tmp/progress.onnx"
expect_in progress-building "$tmp/err" "sml-compose: building kws_cnn…"
expect_in progress-writing "$tmp/err" "MB of weights to $tmp/progress.onnx…"
check progress-quick 0 env SML_PROGRESS_AFTER=1000 "$compose" --arch kws_cnn -o "$tmp/progress.onnx"
expect_true progress-quick-silent bash -c "! grep -q 'building kws_cnn\|MB of weights to' '$tmp/err'"
check progress-quiet 0 env SML_PROGRESS_AFTER=0 "$compose" -q --arch kws_cnn -o "$tmp/progress.onnx"
expect_true progress-quiet-silent [ ! -s "$tmp/err" ]
finish
