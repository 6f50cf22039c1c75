#!/usr/bin/python3
"""Silero VAD: the composition sml-compose builds from catalog/archs/silero_vad.yaml against the
released ONNX file it was read from, counted by python3-onnx (an independent reader of both).

The file keeps its weights in Constant nodes inside If branches (16 kHz: then_branch of
Equal(sr, 16000)), named after the PyTorch state dict; the composition's parameters are the float
tensors feeding a Conv's weight or bias and an LSTM's W, R and B; the composition's MACs are computed here from onnx shape inference
(Conv: output elements × input channels per group × kernel; LSTM: steps × 4H × (input + H)) and
must equal catalog/derived.yaml's row. Usage: silero_vad_reference.py SML-COMPOSE SOURCE-DIR
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference

WEIGHT_SLOTS = {"Conv": (1, 2), "LSTM": (1, 2, 3)}


def graph_params(graph, tensors):
    """Elements of the tensors (by name) in weight slots, walking every subgraph."""
    used = set()

    def walk(g):
        for n in g.node:
            if n.op_type == "Constant":
                for a in n.attribute:
                    if a.type == onnx.AttributeProto.TENSOR:
                        tensors[n.output[0]] = numpy_helper.to_array(a.t)
            for slot in WEIGHT_SLOTS.get(n.op_type, ()):
                if slot < len(n.input) and n.input[slot]:
                    used.add(n.input[slot])
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    walk(a.g)

    walk(graph)
    return sum(int(tensors[name].size) for name in used if name in tensors and tensors[name].dtype == np.float32)


def state_dict_params(graph):
    """Float Constants the exporter named after PyTorch state-dict entries ("…__Inline_0__encoder.0.
    reparam_conv.weight"), not after a node ("…__Inline_0__/stft/Constant_output_0"). The LSTM's
    weights reach the LSTM node only through Slice and Concat (gate reordering), so slots cannot
    be followed in the file."""
    total = 0
    for n in graph.node:
        if n.op_type == "Constant":
            local = n.output[0].split("__Inline_0__", 1)[-1]
            for a in n.attribute:
                if a.type == onnx.AttributeProto.TENSOR and not local.startswith("/"):
                    t = numpy_helper.to_array(a.t)
                    total += int(t.size) if t.dtype == np.float32 else 0
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                total += state_dict_params(a.g)
    return total


def main():
    compose, source = sys.argv[1], sys.argv[2]
    failures = []

    def check(what, got, want):
        print(f"{'ok  ' if got == want else 'FAIL'} {what}: {got} (expected {want})")
        if got != want:
            failures.append(what)

    released = onnx.load(os.path.join(source, "tests/models/thirdparty/silero-vad/silero_vad.onnx"))
    branch = next(n for n in released.graph.node if n.op_type == "If")
    then16k = next(a.g for a in branch.attribute if a.name == "then_branch")
    file_params = state_dict_params(then16k)
    check("released file, 16 kHz branch: state-dict tensors", file_params, 309633)

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "silero_vad.onnx")
        subprocess.run([compose, "--arch", "silero-vad", "--quiet", "-o", out], check=True)
        built = onnx.load(out)
    onnx.checker.check_model(built)
    init = {t.name: numpy_helper.to_array(t) for t in built.graph.initializer}
    check("composition: parameters", graph_params(built.graph, dict(init)), file_params)

    inferred = shape_inference.infer_shapes(built, strict_mode=True).graph
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.value_info) + list(inferred.input) + list(inferred.output)}
    macs = 0
    for n in inferred.node:
        if n.op_type == "Conv":
            w = init[n.input[1]].shape  # (out, in / group, kernel…)
            macs += int(np.prod(shapes[n.output[0]])) * w[1] * int(np.prod(w[2:]))
        elif n.op_type == "LSTM":
            x, r = shapes[n.input[0]], init[n.input[2]].shape  # batch-first (layout 1): N, T, input
            hidden = r[2]
            macs += x[0] * x[1] * 4 * hidden * (x[2] + hidden)
    derived = open(os.path.join(source, "catalog/derived.yaml")).read()
    row = derived[derived.index("- id: silero-vad"):]
    row_macs = int(row[row.index("macs:") + 5:].split()[0])
    check("composition: MACs from onnx shape inference vs catalog/derived.yaml", macs, row_macs)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
