#!/usr/bin/python3
"""Regenerate the malformed-input corpus (issue 9): bad files for every reader of sml-estimate.

    /usr/bin/python3 tests/malformed/make_malformed.py

Writes the files next to this script and cases.tsv, one line per case: FILE<TAB>ROLE, where ROLE
says how tests/malformed/run.sh hands the file to the tool: model (the ONNX argument), regression
(an ONNX file that once crashed the tool: it may load or be refused, but never crash), baseline
(--baseline), device (--device FILE, an hwprofile), hw (a device file in --hw DIR/devices),
regions (--catalog DIR/regions.yaml) or footprint (--catalog DIR/footprint.yaml). Every case must
exit 2 with one line on stderr naming the file, and write no output. Files found by fuzzing
(tests/fuzz/run.sh) are kept here by hand and listed in cases.tsv too.
"""
import os
import random
import shutil

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(os.path.dirname(HERE), "models")
cases = []


def write(name, data, role, expect=None):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    cases.append((name, role, expect))


def write_cases(folder, role, texts, good=None):
    """Writes each NAME: TEXT of TEXTS as FOLDER/NAME. Where the cases are mutations of GOOD, a
    mutation whose anchor no longer matches would silently write GOOD again: refuse that here.
    A TEXT may be a pair (TEXT, EXPECT): EXPECT is cases.tsv's third column, what the message must
    also say ("FILE:LINE|KEY")."""
    for name, text in texts.items():
        text, expect = text if isinstance(text, tuple) else (text, None)
        assert text != good, "%s/%s: the mutation did not apply to the good file" % (folder, name)
        write(folder + "/" + name, text, role, expect)


def model_bytes(nodes, inputs, outputs, inits=(), opset=17, ir=8):
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = ir
    return m.SerializeToString()


def vi(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


# --- ONNX: truncations of a real export, inside its graph -------------------------------------
resnet = open(os.path.join(MODELS, "resnet18.onnx"), "rb").read()
for i, frac in enumerate([0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
                          0.8, 0.85, 0.9, 0.95]):
    write("onnx/truncated-%02d.onnx" % i, resnet[: int(len(resnet) * frac)], "model")
# --- ONNX: not ONNX at all --------------------------------------------------------------------
write("onnx/empty.onnx", b"", "model")
write("onnx/text.onnx", "this is not a model\n", "model")
write("onnx/task-yaml.onnx", "sml: task/v1\ntask:\n  id: image-classification\n", "model")
write("onnx/json.onnx", '{"graph": {"node": []}}', "model")
write("onnx/zip.onnx", b"PK\x03\x04" + bytes(60), "model")
write("onnx/png.onnx", b"\x89PNG\r\n\x1a\n" + bytes(40), "model")
rng = random.Random(7)
for i in range(8):
    write("onnx/random-%d.onnx" % i, bytes(rng.randrange(256) for _ in range(rng.randrange(16, 400))), "model")
write("onnx/field-zero.onnx", b"\x00\x01", "model")
write("onnx/overlong-varint.onnx", b"\x08" + b"\xff" * 11, "model")
write("onnx/bad-wire-type.onnx", b"\x0f\x01", "model")
write("onnx/graph-as-varint.onnx", b"\x08\x08\x38\x05", "model")
write("onnx/length-past-end.onnx", b"\x08\x08\x3a\xff\xff\x03abc", "model")
write("onnx/no-graph.onnx", helper.make_model(helper.make_graph([], "g", [], [])).SerializeToString()[:4], "model")
m = helper.make_model(helper.make_graph([], "g", [], []))
m.ir_version = 0
write("onnx/ir-version-0.onnx", m.SerializeToString(), "model")
# --- ONNX: well-formed protobuf, broken graph --------------------------------------------------
x, y = vi("x", [1, 4]), vi("y", [1, 4])
write("onnx/cycle.onnx", model_bytes([helper.make_node("Add", ["x", "b"], ["a"], name="first"),
                                      helper.make_node("Relu", ["a"], ["b"], name="second")], [x], [y]), "model")
write("onnx/dangling-input.onnx", model_bytes([helper.make_node("Add", ["x", "ghost"], ["y"], name="adder")], [x], [y]), "model")
write("onnx/duplicate-output.onnx", model_bytes([helper.make_node("Relu", ["x"], ["y"], name="r1"),
                                                 helper.make_node("Relu", ["x"], ["y"], name="r2")], [x], [y]), "model")
write("onnx/output-shadows-input.onnx", model_bytes([helper.make_node("Relu", ["x"], ["x"], name="r")], [x], [y]), "model")
n = helper.make_node("Relu", ["x"], ["y"])
n.op_type = ""
write("onnx/no-op-type.onnx", model_bytes([n], [x], [y]), "model")
t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[-3, 4])
write("onnx/negative-dim.onnx", model_bytes([helper.make_node("MatMul", ["x", "W"], ["y"])], [x], [y], [t]), "model")
t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[1 << 40, 1 << 40])
write("onnx/huge-dims.onnx", model_bytes([helper.make_node("MatMul", ["x", "W"], ["y"])], [x], [y], [t]), "model")
t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[1] * 100)
write("onnx/rank-100.onnx", model_bytes([helper.make_node("Identity", ["W"], ["y"])], [x], [y], [t]), "model")
v = vi("x", [1] * 100)
write("onnx/input-rank-100.onnx", model_bytes([helper.make_node("Relu", ["x"], ["y"])], [v], [y]), "model")
# Deeply nested If: then-branch of each holds the next.
inner = helper.make_graph([], "leaf", [], [])
for d in range(40):
    node = helper.make_node("If", ["c"], ["o"], then_branch=inner, else_branch=helper.make_graph([], "leaf", [], []))
    inner = helper.make_graph([node], "g%d" % d, [], [])
write("onnx/nested-if-40.onnx", model_bytes(inner.node, [vi("c", [])], [vi("o", [])]), "model")
# External data that leaves the model's folder, or is missing, or too short.
def external(location, offset=0, length=None):
    t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[4, 4])
    t.data_location = TensorProto.EXTERNAL
    for k, val in (("location", location), ("offset", str(offset))) + ((("length", str(length)),) if length else ()):
        e = t.external_data.add()
        e.key, e.value = k, val
    return model_bytes([helper.make_node("MatMul", ["x", "W"], ["y"])], [x], [y], [t])
write("onnx/external-dotdot/model.onnx", external("../secret.bin"), "model")
write("onnx/external-dotdot-deep/model.onnx", external("a/../../secret.bin"), "model")
write("onnx/external-absolute/model.onnx", external("/etc/passwd"), "model")
write("onnx/external-missing/model.onnx", external("weights.bin"), "model")
write("onnx/external-short/model.onnx", external("weights.bin", 40), "model")
write("onnx/external-short/weights.bin", bytes(64), None)
write("onnx/external-bad-offset/model.onnx", external("weights.bin", "x"), "model")
write("onnx/external-bad-offset/weights.bin", bytes(64), None)
write("onnx/external-backslash/model.onnx", external("..\\secret.bin"), "model")
write("onnx/external-empty-location/model.onnx", external(""), "model")

# --- YAML documents given where an estimate/v1 baseline is expected ----------------------------
bad_yaml = {
    "wrong-kind.yaml": "sml: task/v1\ntask: {id: x}\n",
    "no-kind.yaml": "profile: {total: {macs: 1}}\n",
    "syntax-error.yaml": "sml: estimate/v1\nprofile: [1, 2\n",
    "bad-indent.yaml": "sml: estimate/v1\nprofile:\n  total:\n macs: 1\n",
    "unterminated-quote.yaml": "sml: estimate/v1\nmodel: {file: \"abc}\n",
    "alias-bomb.yaml": "sml: estimate/v1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
    "deep-nesting.yaml": "sml: estimate/v1\nx: " + "[" * 200 + "]" * 200 + "\n",
    "deep-block-nesting.yaml": "sml: estimate/v1\n" + "".join("  " * i + "k%d:\n" % i for i in range(100)) + "  " * 100 + "v: 1\n",
    "binary.yaml": "\x00\x01\x02sml: estimate/v1\n",
    "empty.yaml": "",
    "tab-indent.yaml": "sml: estimate/v1\nprofile:\n\ttotal: 1\n",
    "top-level-list.yaml": "- sml: estimate/v1\n",
    "duplicate-anchor-merge.yaml": "sml: estimate/v1\nbase: &b {x: 1}\nmore:\n  <<: *b\n",
}
write_cases("baseline", "baseline", bad_yaml)

# --- hwprofile/v1 given as --device FILE -------------------------------------------------------
good_profile = {"sml": "hwprofile/v1", "name": "npu", "peak_flops": "{fp32: 1.0e+12}",
                "memory_bandwidth_bytes_per_s": "1.0e+10", "power_w": "{idle: 1, typical: 5, max: 10}", "source": "test"}
def profile(**changes):
    fields = dict(good_profile)
    fields.update(changes)
    return "".join("%s: %s\n" % (k, v) for k, v in fields.items() if v is not None)
hw_cases = {
    "wrong-kind.yaml": profile(sml="device/v1"),
    "no-name.yaml": profile(name=None),
    "peak-is-text.yaml": profile(peak_flops="{fp32: fast}"),
    "peak-is-list.yaml": profile(peak_flops="[1, 2]"),
    "peak-nan.yaml": profile(peak_flops="{fp32: .nan}"),
    "peak-inf.yaml": profile(peak_flops="{fp32: .inf}"),
    "peak-negative.yaml": profile(peak_flops="{fp32: -1.0e+12}"),
    "bandwidth-negative.yaml": profile(memory_bandwidth_bytes_per_s="-5"),
    "bandwidth-text.yaml": profile(memory_bandwidth_bytes_per_s="lots"),
    "bandwidth-missing.yaml": profile(memory_bandwidth_bytes_per_s=None),
    "power-list.yaml": profile(power_w="[1, 2]"),
    "power-negative.yaml": profile(power_w="{idle: 1, typical: 5, max: -10}"),
    "no-precision.yaml": profile(peak_flops="{}"),
    "syntax.yaml": "sml: hwprofile/v1\nname: [npu\n",
    "alias.yaml": profile(source="*x"),
    "typical-text.yaml": profile(power_w="{idle: 1, typical: abc, max: 10}"),
    "energy-per-mac-negative.yaml": profile(energy_per_mac_j="-1"),
}
write_cases("hwprofile", "device", hw_cases)

# --- hw/devices/*.yaml catalogue entries ----------------------------------------------------------
good_device = open(os.path.join(os.path.dirname(HERE), "data/hw/devices/test-gpu.yaml")).read()
device_cases = {
    "bare-number.yaml": good_device.replace('tdp: {value: 100, source: "test fixture", year: 2026}', "tdp: 100"),
    "no-source.yaml": good_device.replace('tdp: {value: 100, source: "test fixture", year: 2026}', "tdp: {value: 100}"),
    "negative-tdp.yaml": good_device.replace("tdp: {value: 100,", "tdp: {value: -100,"),
    "wrong-kind.yaml": good_device.replace("sml: device/v1", "sml: hwprofile/v1"),
    "no-id.yaml": good_device.replace("id: test-gpu\n", ""),
    "no-class.yaml": good_device.replace("class: datacenter-gpu\n", ""),
    "aliases-map.yaml": good_device.replace("aliases: [tgpu]", "aliases: {a: b}"),
    "alias-nested.yaml": good_device.replace("aliases: [tgpu]", "aliases: [[tgpu]]"),
    "peak-list.yaml": good_device.replace("peak_flops:\n", "peak_flops: [1, 2]\nunused:\n"),
    "syntax.yaml": good_device.replace("name: Test GPU", "name: [Test GPU"),
    "value-text.yaml": good_device.replace("bf16: {value: 1.0e+12,", "bf16: {value: many,"),
    "nan.yaml": good_device.replace("bf16: {value: 1.0e+12,", "bf16: {value: .nan,"),
}
write_cases("devices", "hw", device_cases, good=good_device)

# --- catalog/regions.yaml ----------------------------------------------------------------------
good_regions = open(os.path.join(os.path.dirname(HERE), "data/catalog/regions.yaml")).read()
region_cases = {
    "intensity-5.yaml": good_regions.replace("kg_per_kwh: 0.5, year", "kg_per_kwh: 5, year", 1),
    "intensity-negative.yaml": good_regions.replace("kg_per_kwh: 0.5, year", "kg_per_kwh: -0.5, year", 1),
    "no-source.yaml": good_regions.replace(', source: "test fixture"}', "}", 1).replace("pue:\n", "pue:\n", 1),
    "duplicate-id.yaml": good_regions.replace("id: BB", "id: AA"),
    "regions-map.yaml": good_regions.replace("regions:\n", "regions:\n  x: 1\nunused:\n"),
    "wrong-kind.yaml": good_regions.replace("sml: regions/v1", "sml: region/v2"),
    "no-regions.yaml": good_regions.split("regions:")[0],
    "pue-no-value.yaml": good_regions.replace("hyperscale: {value: 1.25,", "hyperscale: {"),
    "providers-list.yaml": good_regions.replace("pue:\n", "pue:\n  providers: [aws]\n"),
    "syntax.yaml": good_regions.replace("name: Test land", "name: [Test land"),
    "region-scalar.yaml": good_regions.replace("regions:\n", "regions:\n  - just-a-name\n"),
}
write_cases("regions", "regions", region_cases, good=good_regions)

# --- catalog/footprint.yaml -------------------------------------------------------------------
good_fp = open(os.path.join(os.path.dirname(HERE), "data/catalog/footprint.yaml")).read()
fp_cases = {
    "utilization-2.yaml": good_fp.replace("value: 0.5,", "value: 2.0,"),
    "no-observations.yaml": good_fp.replace("utilization:\n  observations:\n    - {run: a, value: 0.25, source: \"test fixture\", year: 2026}\n    - {run: b, value: 0.5, source: \"test fixture\", year: 2026}\n", "utilization:\n  observations: []\n"),
    "observations-map.yaml": good_fp.replace("lifetime_years:\n  observations:\n", "lifetime_years:\n  observations:\n    x: 1\n  unused:\n"),
    "observation-scalar.yaml": good_fp.replace("lifetime_years:\n  observations:\n", "lifetime_years:\n  observations:\n    - 4\n"),
    "no-factor.yaml": good_fp.replace('training_flops_factor: {value: 3, source: "test fixture", year: 2026}\n', ""),
    "wrong-kind.yaml": good_fp.replace("sml: footprint-model/v1", "sml: footprint/v9"),
    "lifetime-100.yaml": good_fp.replace("- {value: 6,", "- {value: 100,"),
    "no-source.yaml": good_fp.replace('- {run: a, value: 0.25, source: "test fixture", year: 2026}', "- {run: a, value: 0.25}"),
}
write_cases("footprint", "footprint", fp_cases, good=good_fp)

# --- task/v1 documents given to sml-suggest ----------------------------------------------------
task_cases = {
    "wrong-kind.yaml": "sml: estimate/v1\nprofile: {}\n",
    "no-kind.yaml": "task: {id: image-classification}\n",
    "no-task.yaml": "sml: task/v1\nmodalities: [image]\n",
    "no-id.yaml": "sml: task/v1\ntask: {name: x}\n",
    "unknown-task.yaml": "sml: task/v1\ntask: {id: mind-reading}\n",
    "id-is-map.yaml": "sml: task/v1\ntask: {id: {a: b}}\n",
    "constraints-list.yaml": "sml: task/v1\ntask: {id: image-classification}\nconstraints: [1, 2]\nmodalities: x\n",
    "latency-text.yaml": "sml: task/v1\ntask: {id: image-classification}\nconstraints: {latency_s: fast}\n",
    "modalities-map.yaml": "sml: task/v1\ntask: {id: image-classification}\nmodalities: {a: b}\n",
    # (a deployment device the catalogue lacks is not malformed: sml-suggest names it as unknown, issue 15)
    "unknown-region.yaml": "sml: task/v1\ntask: {id: image-classification}\ndeployment: {region: XX}\n",
    "syntax.yaml": "sml: task/v1\ntask: {id: [image\n",
    "alias.yaml": "sml: task/v1\ntask: &t {id: image-classification}\nagain: *t\n",
    "deep.yaml": "sml: task/v1\nx: " + "[" * 100 + "]" * 100 + "\n",
    "constraints-only-list.yaml": "sml: task/v1\ntask: {id: image-classification}\nconstraints: [1, 2]\n",
    "data-samples-negative.yaml": "sml: task/v1\ntask: {id: image-classification}\nconstraints: {data_samples: -1}\n",
    "deployment-list.yaml": "sml: task/v1\ntask: {id: image-classification}\ndeployment: [1]\n",
}
write_cases("task", "task", task_cases)
# --- problem texts and data sets given to sml-describe ----------------------------------------
write("describe/empty.txt", "", "describe")
write("describe/blank.txt", "  \n\t \n", "describe")
write("data/empty.csv", "", "data")
write("data/unknown.bin", b"\x00\x01", "data")
write("data/single.txt", "a text file is not a data set\n", "data")

# --- SCALE-Sim formats given to sml-accelsim ------------------------------------------------------
HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
topology_cases = {
    "no-trailing-comma.csv": HEADER + "Conv1, 224, 224, 11, 11, 3, 96, 4\n",
    "filter-too-big.csv": HEADER + "Conv1, 10, 10, 11, 11, 3, 96, 4,\n",
    "zero-channels.csv": HEADER + "Conv1, 224, 224, 11, 11, 0, 96, 4,\n",
    "negative-stride.csv": HEADER + "Conv1, 224, 224, 11, 11, 3, 96, -4,\n",
    "text-field.csv": HEADER + "Conv1, 224, wide, 11, 11, 3, 96, 4,\n",
    "huge-dim.csv": HEADER + "Conv1, 99999999999999999999, 224, 11, 11, 3, 96, 4,\n",
    "header-only.csv": HEADER,
    "short-row.csv": HEADER + "Conv1, 224, 224,\n",
}
write_cases("topology", "topology", topology_cases)
cfg_cases = {
    "zero-rows.cfg": "[architecture_presets]\nArrayHeight: 0\nArrayWidth: 32\n",
    "text-rows.cfg": "[architecture_presets]\nArrayHeight: many\n",
    "bad-dataflow.cfg": "[architecture_presets]\nDataflow: rs\n",
    "no-separator.cfg": "[architecture_presets]\nArrayHeight 32\n",
    "negative-sram.cfg": "[architecture_presets]\nIfmapSramSzkB: -64\n",
}
write_cases("cfg", "cfg", cfg_cases)

# Compositions (sml-compose): each refused with its file (and line where there is one), nothing built.
C = "sml: composition/v1\ninput: {shape: [1, 3, 32, 32]}\n"
TOKENS = "input: {name: input_ids, shape: [1, %d], dtype: int64}\n"
def llama(decoder, vocab=100, dim=32, length=16):
    return ("sml: composition/v1\n" + TOKENS % length + "cores:\n"
            "  - {core: token_embed, vocab: %d, dim: %d, max_positions: 0}\n  - {core: llama_decoder, %s}\n" % (vocab, dim, decoder))
composition_cases = {
    "no-cores.yaml": (C, "no-cores.yaml:1|cores"),  # no list, so the document's first line
    "empty-cores.yaml": C + "cores: []\n",
    "unknown-core.yaml": C + "cores:\n  - {core: warp_drive}\n",
    "unknown-key.yaml": C + "cores:\n  - {core: conv_bn_act, out: 8, colour: red}\n",
    "no-core-name.yaml": C + "cores:\n  - {out: 8}\n",
    "core-not-a-map.yaml": C + "cores:\n  - conv_bn_act\n",
    "negative-shape.yaml": "sml: composition/v1\ninput: {shape: [1, 3, -32, 32]}\ncores:\n  - {core: global_avg_pool}\n",
    "no-shape.yaml": ("sml: composition/v1\ninput: {name: x}\ncores:\n  - {core: global_avg_pool}\n", "no-shape.yaml:2|shape"),
    "bad-dtype.yaml": "sml: composition/v1\ninput: {shape: [1, 8], dtype: complex128}\ncores:\n  - {core: token_embed}\n",
    "zero-width.yaml": (C + "width: 0\ncores:\n  - {core: conv_bn_act, out: 8}\n", "zero-width.yaml:3|width"),
    # fuzz_yaml at 2e8b058: a squeeze ratio this large made a float-to-int64 overflow (UBSan) in make_divisible.
    "huge-se-divisible.yaml": (C + "cores:\n  - {core: conv_bn_act, out: 16}\n  - {core: inverted_residual, kernel: 3, expanded: 16, out: 16, stride: 2, se: 2222222222222222222222222222222222222222222222222222222222222222222222, se_divisor: 8}\n", "huge-se-divisible.yaml:5|channel count"),
    "huge-se.yaml": (C + "cores:\n  - {core: conv_bn_act, out: 16}\n  - {core: inverted_residual, kernel: 3, expanded: 16, out: 16, stride: 2, se: 1e300, se_divisor: 1}\n", "huge-se.yaml:5|channel count"),
    "text-channels.yaml": C + "cores:\n  - {core: conv_bn_act, out: many}\n",
    "fractional-channels.yaml": C + "cores:\n  - {core: conv_bn_act, out: 8.5}\n",
    "nested-value.yaml": C + "cores:\n  - {core: conv_bn_act, out: [{a: 1}]}\n",
    "huge-channels.yaml": C + "cores:\n  - {core: conv_bn_act, out: 99999999999}\n",
    "huge-repeat.yaml": C + "cores:\n  - {core: basic_block, out: 8, repeat: 1000000000}\n",
    "too-many-downsamplings.yaml": C + "cores:\n  - {core: max_pool, kernel: 8}\n  - {core: max_pool, kernel: 8}\n",
    "from-nowhere.yaml": C + "cores:\n  - {core: conv_bn_act, out: 8, from: nowhere}\n",
    "heads-do-not-divide.yaml": "sml: composition/v1\ninput: {shape: [1, 10, 64]}\ncores:\n  - {core: transformer_encoder, heads: 7}\n",
    "rank-mismatch.yaml": C + "cores:\n  - {core: lstm, hidden: 8}\n",
    "duplicate-scope.yaml": C + "cores:\n  - {core: conv_bn_act, out: 8, scope: a}\n  - {core: conv_bn_act, out: 8, scope: a}\n",
    # Language models: settings the decoder cores refuse.
    "per-token-not-bool.yaml": "sml: composition/v1\nper_token: maybe\n" + TOKENS % 16 + "cores:\n  - {core: token_embed, vocab: 100, dim: 32}\n",
    "tie-to-nowhere.yaml": "sml: composition/v1\n" + TOKENS % 16 + "cores:\n  - {core: token_embed, vocab: 100, dim: 32, name: emb}\n  - {core: token_head, tie: embeddings}\n",
    "kv-heads-do-not-divide.yaml": llama(decoder="heads: 4, kv_heads: 3, mlp_dim: 64"),
    "odd-rotary-head.yaml": llama(dim=30, decoder="heads: 2, mlp_dim: 64"),
    "rotary-endless-sequence.yaml": llama(decoder="heads: 4, mlp_dim: 64", length=2000000000),
    "zero-kv-heads.yaml": llama(decoder="heads: 4, kv_heads: 0, mlp_dim: 64"),
    "llama-too-big-to-draw.yaml": llama(vocab=128256, dim=8192, decoder="heads: 64, kv_heads: 8, mlp_dim: 28672, repeat: 80"),
    # Past the 64 GiB of weights sml-compose builds at most (Llama 2 13B, the catalogue's largest, is 52 GB).
    "too-big-to-draw.yaml": "sml: composition/v1\ninput: {shape: [1, 200000]}\ncores:\n  - {core: classifier, num_classes: 200000}\n",
    "wrong-kind.yaml": "sml: task/v1\ntask: {id: image-classification}\n",
    "unknown-top-key.yaml": C + "layers: 3\ncores:\n  - {core: conv_bn_act, out: 8}\n",
    "zero-heads.yaml": "sml: composition/v1\ninput: {shape: [1, 10, 64]}\ncores:\n  - {core: transformer_encoder, heads: 0}\n",
}
write_cases("composition", "composition", composition_cases)

# accelerator/v1 configurations given to sml-accelsim --accel FILE.yaml (issue 20: mistyped values
# were replaced by defaults).
A = "sml: accelerator/v1\nid: x\narray: {rows: {value: 8, source: t, year: 2026}, cols: {value: 8, source: t, year: 2026}}\n"
write_cases("accelerator", "accel", {
    "dataflow-abc.yaml": A + "dataflow: {value: abc, source: t, year: 2026}\n",
    "clock-negative.yaml": A + "clock_mhz: {value: -200, source: t, year: 2026}\n",
    "dataflow-list.yaml": A + "dataflow: [os]\n",
})

# --- Hostile models, round 2 (issue 20) --------------------------------------------------------
# External data through symlinks (a file, a folder) that lead out of the model's folder, and an
# offset whose sum with the length overflows. Each is refused by sml-estimate and by
# sml-compose --import alike (one confined reader).
for folder, location in (("external-symlink-file", "weights.bin"), ("external-symlink-dir", "sub/weights.bin"),
                         ("external-symlink-inside", "alias.bin")):
    write("onnx/%s/model.onnx" % folder, external(location), "model")
    cases.append(("onnx/%s/model.onnx" % folder, "import", None))
def relink(path, target):
    full = os.path.join(HERE, path)
    if os.path.lexists(full):
        os.remove(full)
    os.symlink(target, full)
relink("onnx/external-symlink-file/weights.bin", "../external-short/weights.bin")
relink("onnx/external-symlink-dir/sub", "../external-short")
# Even a symlink that stays inside is refused: telling it apart needs a second look at the path.
write("onnx/external-symlink-inside/real.bin", bytes(64), None)
relink("onnx/external-symlink-inside/alias.bin", "real.bin")
write("onnx/external-offset-overflow/model.onnx", external("weights.bin", (1 << 63) - 1, 1), "model")
cases.append(("onnx/external-offset-overflow/model.onnx", "import", None))
write("onnx/external-offset-overflow/weights.bin", bytes(64), None)
# A location holding a newline and a terminal escape: the message shows them escaped, on one line.
write("onnx/external-escape/model.onnx", external("we\nird\x1b[2J.bin"), "model")
cases.append(("onnx/external-escape/model.onnx", "import", None))
for name in ("external-dotdot", "external-absolute", "external-missing", "external-short"):
    cases.append(("onnx/%s/model.onnx" % name, "import", None))

# Function-expansion bombs: a local function calling itself twice (recursion, which ONNX forbids),
# and a chain of 32 functions each calling the next twice (2^32 nodes once expanded).
def function_model(functions, call):
    g = helper.make_graph([helper.make_node(call, ["x"], ["y"], domain="local")], "g", [x], [y])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)],
                          functions=functions)
    m.ir_version = 8
    return m.SerializeToString()
def twice(name, callee):
    return helper.make_function("local", name, ["a"], ["c"],
                                [helper.make_node(callee, ["a"], ["b"], domain="local"),
                                 helper.make_node(callee, ["b"], ["c"], domain="local")],
                                [helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
write("onnx/function-recursive.onnx", function_model([twice("f", "f")], "f"), "model")
chain = [twice("f%d" % i, "f%d" % (i + 1)) for i in range(32)]
chain.append(helper.make_function("local", "f32", ["a"], ["c"], [helper.make_node("Relu", ["a"], ["c"])],
                                  [helper.make_opsetid("", 17)]))
write("onnx/function-chain-32.onnx", function_model(chain, "f0"), "model")
# 2^20 nodes from 43 stored (a fuzz finding had 2^20 + 2^14 from a 2.6 KB file: 14 CPU-s and 1.7 GB
# under the old flat cap of 2,000,000): expansion is held to 64x what the file stores, above 100,000.
chain = [twice("f%d" % i, "f%d" % (i + 1)) for i in range(20)]
chain.append(helper.make_function("local", "f20", ["a"], ["c"], [helper.make_node("Relu", ["a"], ["c"])],
                                  [helper.make_opsetid("", 17)]))
write("onnx/function-chain-20.onnx", function_model(chain, "f0"), "model")
for name in ("function-recursive.onnx", "function-chain-32.onnx", "function-chain-20.onnx"):
    cases.append(("onnx/" + name, "import", None))
# A call is a node too (the walk visits it, the profile lists it as a layer): 16 functions each
# calling the next twice, then a chain of 15 functions each calling the next once, the last one
# Relu. 2^16 = 65,536 Relus, under the bound of 100,000 when only the leaves were counted, but
# 1,179,647 nodes with the calls (a fuzz input like it, 98,304 leaves and 294,911 nodes in all
# from 2.6 KB, took 3 CPU-s and 540 MB in sml-estimate): refused before anything is expanded.
def once(name, callee):
    return helper.make_function("local", name, ["a"], ["c"], [helper.make_node(callee, ["a"], ["c"], domain="local")],
                                [helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
chain = [twice("d%d" % i, "d%d" % (i + 1)) for i in range(15)] + [twice("d15", "u1")]
chain += [once("u%d" % i, "u%d" % (i + 1)) for i in range(1, 15)]
chain.append(helper.make_function("local", "u15", ["a"], ["c"], [helper.make_node("Relu", ["a"], ["c"])],
                                  [helper.make_opsetid("", 17)]))
for role in ("model", "import"):
    write("onnx/function-call-chains.onnx", function_model(chain, "d0"), role, "more than 100000 nodes")
# A layer's name carries its scope ("f0/f1/…/"): 15 functions each calling the next twice through
# nodes named with 300 bytes, 98,303 nodes (under the bound) but 32,768 Relus named with ~4.5 KB
# each, ~440 MB of names from 9 KB (names of 800 bytes, 14 deep: 24 KB gave 544 MB of YAML and
# 2.9 GB): their bytes are held to 64x the file, above 32 MiB.
def twice_named(name, callee):
    return helper.make_function("local", name, ["a"], ["c"],
                                [helper.make_node(callee, ["a"], ["b"], domain="local", name="n" * 300),
                                 helper.make_node(callee, ["b"], ["c"], domain="local", name="m" * 300)],
                                [helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
chain = [twice_named("f%d" % i, "f%d" % (i + 1)) for i in range(15)]
chain.append(helper.make_function("local", "f15", ["a"], ["c"], [helper.make_node("Relu", ["a"], ["c"], name="r" * 300)],
                                  [helper.make_opsetid("", 17)]))
for role in ("model", "import"):
    write("onnx/function-long-names.onnx", function_model(chain, "f0"), role, "bytes of layer names")
# Found by fuzz_import, kept by hand: 2.6 KB whose functions expand to 1,056,767 nodes.
if os.path.exists(os.path.join(HERE, "onnx/fuzz-function-expansion-1M-nodes.onnx")):
    cases.append(("onnx/fuzz-function-expansion-1M-nodes.onnx", "import", None))

# Models that crashed libonnx's shape inference under sml-compose --import: a ResNet-18 export with
# the first Conv's strides set to 0,0 (SIGFPE), a DeepLabV3 export with one op type mutated (SIGSEGV).
m = onnx.load(os.path.join(MODELS, "resnet18.onnx"))
conv = next(n for n in m.graph.node if n.op_type == "Conv")
for a in conv.attribute:
    if a.name == "strides":
        a.ints[:] = [0, 0]
write("onnx/import-zero-strides.onnx", m.SerializeToString(), "import")
m = onnx.load(os.path.join(MODELS, "deeplabv3_mobilenet_v3_large.onnx"))
next(n for n in m.graph.node if n.op_type == "Relu").op_type = "Rjlu"
write("onnx/import-mutated-op.onnx", m.SerializeToString(), "import")

# Files found by fuzzing, kept by hand.
for name, role in (("yaml-endless-documents.yaml", "baseline"), ("regions-list-is-a-map.yaml", "regions"),
                   ("onnx-constantofshape-overflow.onnx", "regression"), ("scalesim-timeout.csv", "topology")):
    if os.path.exists(os.path.join(HERE, name)):
        cases.append((name, role, None))

# Hostile architecture settings (issue 20): refused with the file, the line and the key.
H = "sml: composition/v1\nname: hostile\n"
HT = H + TOKENS % 16 + "cores:\n"
HX = H + "input: {name: x, shape: [1, 3, 32, 32]}\n"
hostile = {
    "llama-vocab-huge.yaml": (HT + "  - {core: token_embed, vocab: 1000000000000, dim: 64, max_positions: 0, norm: false}\n"
                              "  - {core: llama_decoder, heads: 4, kv_heads: 2, mlp_dim: 128, repeat: 2}\n", "5|vocab"),
    "size-product-overflow.yaml": (HT + "  - {core: token_embed, vocab: 2000000000, dim: 1048576, max_positions: 0, norm: false}\n", "5|vocab"),
    "rope-theta-zero.yaml": (HT + "  - {core: token_embed, vocab: 100, dim: 64, max_positions: 0, norm: false}\n"
                             "  - {core: llama_decoder, heads: 4, kv_heads: 2, mlp_dim: 128, rope_theta: 0, repeat: 2}\n", "6|rope_theta"),
    "zero-layers.yaml": (HT + "  - {core: token_embed, vocab: 100, dim: 64, max_positions: 16, norm: false}\n"
                         "  - {core: transformer_decoder, heads: 4, mlp_dim: 128, repeat: 0}\n", "6|repeat"),
    "heads-not-a-number.yaml": (HT + "  - {core: token_embed, vocab: 100, dim: 64, max_positions: 16, norm: false}\n"
                                "  - {core: transformer_encoder, heads: four, mlp_dim: 128, repeat: 2}\n", "6|heads"),
    "map-for-a-size.yaml": (HT + "  - {core: token_embed, vocab: 100, dim: {width: 64}, max_positions: 16, norm: false}\n", "5|dim"),
    "pass-frozen-not-bool.yaml": (HX + "passes:\n  - {scope: conv, runs: 2, frozen: maybe}\ncores:\n"
                                  "  - {core: conv_bn_act, out: 8, kernel: 3, scope: conv}\n", "5|frozen"),
    "negative-kernel.yaml": (HX + "cores:\n  - {core: conv_bn_act, out: 8, kernel: -3}\n", "5|kernel"),
}
write_cases("composition", "composition", {n: (t, n + ":" + e) for n, (t, e) in hostile.items()})

# Issue 13's speech, multimodal and generation settings: refused at the line of the core or key.
HE = H + TOKENS % 10 + "inputs:\n  - {name: decoder_input_ids, shape: [1, 6], dtype: int64}\n"
EMB = "cores:\n  - {core: seq2seq_embed, vocab: 50, dim: 32, positions: none, name: shared}\n"
HA = H + "input: {name: input_values, shape: [1, 16000]}\ncores:\n"
hostile13 = {
    "decode-unknown-key.yaml": (HE + "decode: {input: decoder_input_ids, bogus: 1}\n" + EMB, "6|bogus"),
    "decode-after-nowhere.yaml": (HE + "decode: {input: decoder_input_ids, after: vocoder}\n" + EMB, "6|vocoder"),
    "decode-every-step-itself.yaml": (HE + "decode: {input: decoder_input_ids, every_step: [decoder_input_ids]}\n" + EMB, "6|every_step"),
    "decode-input-nowhere.yaml": (H + TOKENS % 10 + "decode: {input: nowhere}\ncores:\n  - {core: token_embed, vocab: 50, dim: 32}\n", "4|nowhere"),
    "decode-tokens-huge.yaml": (H + TOKENS % 10 + "decode: {input: input_ids, prompt_tokens: 4, output_tokens: 1000000000000}\n"
                                "cores:\n  - {core: token_embed, vocab: 50, dim: 32}\n", "4|output_tokens"),
    "whisper-zero-positions.yaml": (H + "input: {name: input_features, shape: [1, 80, 3000]}\ncores:\n"
                                    "  - {core: whisper_conv_stem, dim: 384, max_positions: 0}\n", "5|max_positions"),
    # an int64 input to a convolution: the libonnx verdict names the node, mapped back to its core's line
    "whisper-integer-input.yaml": (H + "input: {name: input_features, shape: [1, 80, 3000], dtype: int64}\ncores:\n"
                                   "  - {core: whisper_conv_stem, dim: 384, max_positions: 1500}\n", "5|int64"),
    "wav2vec2-clip-too-short.yaml": ("sml: composition/v1\nname: hostile\ninput: {name: input_values, shape: [1, 100]}\ncores:\n"
                                     "  - {core: wav2vec2_features, channels: 512, norm: group, bias: false, dim: 768}\n", "5|wav2vec2_features"),
    "position-conv-groups.yaml": (HA + "  - {core: wav2vec2_features, channels: 512, norm: group, bias: false, dim: 768}\n"
                                  "  - {core: conv_position, kernel: 128, groups: 7}\n", "6|groups"),
    "tts-speaker-nowhere.yaml": (H + TOKENS % 10 + "inputs:\n  - {name: decoder_input_values, shape: [1, 6, 8]}\ncores:\n"
                                 "  - {core: speecht5_text_prenet, vocab: 20, dim: 32}\n"
                                 "  - {core: speecht5_encoder, heads: 4, mlp_dim: 64, max_relative: 4, name: encoder}\n"
                                 "  - {core: speecht5_speech_prenet, units: 16, dim: 32, speaker: nobody, from: decoder_input_values}\n", "9|nobody"),
    "hifigan-rates-kernels.yaml": (H + "input: {name: x, shape: [1, 80, 20]}\ncores:\n"
                                   "  - {core: hifigan, channels: 16, rates: [2, 2], kernels: [4]}\n", "5|rates"),
    "patch-larger-than-image.yaml": (HX + "cores:\n  - {core: patch_embed, patch: 300, dim: 768}\n", "5|patch"),
}
write_cases("composition", "composition", {n: (t, n + ":" + e) for n, (t, e) in hostile13.items()})

with open(os.path.join(HERE, "cases.tsv"), "w") as f:
    f.write("# file\trole (see make_malformed.py); regenerate with /usr/bin/python3 tests/malformed/make_malformed.py\n")
    for name, role, expect in cases:
        if role:
            f.write("%s\t%s%s\n" % (name, role, "\t" + expect if expect else ""))
print(sum(1 for _, r, _ in cases if r), "cases")
