#!/usr/bin/python3
"""Small models for the coverage, If-branch and element-count tests (issue 18). Run with Debian's
python3-onnx: /usr/bin/python3 tests/models/coverage/make.py. Hand-derived counts are in the tests
that use them (tests/cli/sml-estimate.sh, tests/unit/test_infer.cpp)."""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(18)


def save(graph, name):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make.py")
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(HERE, name))


def weight(name, *shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)


# A detector exported with every input dim dynamic, as PaddleOCR's det model is: without
# --input-shape its convolutions cannot be counted. At x=1x3x64x64: conv1 8x3x3x3 stride 2 ->
# 1x8x32x32 = 8192 outputs x 27 = 221184 MACs; conv2 8x8x3x3 pad 1 -> 1x8x32x32 x 72 = 589824.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["p2o.DynamicDimension.0", 3, "p2o.DynamicDimension.1", "p2o.DynamicDimension.2"])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 8, "h", "w"])
save(helper.make_graph([
    helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("Conv", ["r1", "w2"], ["y"], name="conv2", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
], "dynamic_det", [x], [y], [weight("w1", 8, 3, 3, 3), weight("w2", 8, 8, 3, 3)]), "dynamic_det.onnx")


# A voice-activity model that branches on its sample rate, as Silero VAD does: 16 kHz frames of
# 512 samples go through a conv with 16 filters of 64 taps, stride 32 (then: 1x16x15 outputs x 64
# = 15360 MACs); 8 kHz frames of 256 samples through 8 filters of 32 taps, stride 16 (else:
# 1x8x15 x 32 = 3840 MACs). Each branch reshapes the frame to its own fixed length, so the 8 kHz
# branch cannot take a 16 kHz frame.
def branch(name, samples, filters, taps, stride):
    shape = numpy_helper.from_array(np.array([1, 1, samples], dtype=np.int64), f"{name}_shape")
    out = helper.make_tensor_value_info(f"{name}_out", TensorProto.FLOAT, [1, filters, 15])
    return helper.make_graph([
        helper.make_node("Reshape", ["input", f"{name}_shape"], [f"{name}_frame"], name=f"{name}_reshape"),
        helper.make_node("Conv", [f"{name}_frame", f"{name}_w"], [f"{name}_out"], name=f"{name}_conv",
                         kernel_shape=[taps], strides=[stride]),
    ], name, [], [out], [shape, weight(f"{name}_w", filters, 1, taps)])


inp = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", "samples"])
sr = helper.make_tensor_value_info("sr", TensorProto.INT64, [])
prob = helper.make_tensor_value_info("prob", TensorProto.FLOAT, [])
save(helper.make_graph([
    helper.make_node("Constant", [], ["k16000"], value=numpy_helper.from_array(np.array(16000, dtype=np.int64))),
    helper.make_node("Equal", ["sr", "k16000"], ["is16k"], name="is16k"),
    helper.make_node("If", ["is16k"], ["features"], name="rate_switch",
                     then_branch=branch("then16k", 512, 16, 64, 32), else_branch=branch("else8k", 256, 8, 32, 16)),
    helper.make_node("ReduceMean", ["features"], ["prob"], name="mean", keepdims=0),
], "sample_rate_if", [inp, sr], [prob]), "sample_rate_if.onnx")


# Imports (issue 18). A classifier whose head weights live in Constant nodes (as four
# openWakeWord models keep them), with a MatMul + Add head (as PaddleOCR's cls model):
# x [batch, 16] -> MatMul W [16, 8] -> Relu -> MatMul Wh [8, 2] + b [2] -> Softmax.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 16])
p = helper.make_tensor_value_info("p", TensorProto.FLOAT, ["batch", 2])
const = lambda out, arr: helper.make_node("Constant", [], [out], name=out + "_const", value=numpy_helper.from_array(arr, out))
save(helper.make_graph([
    const("W", rng.standard_normal((16, 8)).astype(np.float32)),
    const("Wh", rng.standard_normal((8, 2)).astype(np.float32)),
    const("bh", np.zeros(2, dtype=np.float32)),
    helper.make_node("MatMul", ["x", "W"], ["h"], name="body.MatMul"),
    helper.make_node("Relu", ["h"], ["r"], name="body.Relu"),
    helper.make_node("MatMul", ["r", "Wh"], ["logits0"], name="p2o.MatMul.0"),
    helper.make_node("Add", ["logits0", "bh"], ["logits"], name="p2o.Add.0"),
    helper.make_node("Softmax", ["logits"], ["p"], name="softmax", axis=-1),
], "constant_head", [x], [p]), "constant_head.onnx")

# A feature map reshaped by a computed target (Shape -> Gather -> Concat), which ONNX's own
# inference leaves without a shape: cutting there must still write a checked model.
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4, 3, 3])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 5])
save(helper.make_graph([
    helper.make_node("Shape", ["x"], ["s"], name="shape"),
    helper.make_node("Gather", ["s", "zero"], ["n"], name="batch", axis=0),
    helper.make_node("Concat", ["n", "minus1"], ["target"], name="target", axis=0),
    helper.make_node("Reshape", ["x", "target"], ["flat"], name="flatten"),
    helper.make_node("Gemm", ["flat", "Wc", "bc"], ["y"], name="classifier", transB=1),
], "computed_reshape", [x], [y], [numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
                                  numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus1"),
                                  weight("Wc", 5, 36), weight("bc", 5)]), "computed_reshape.onnx")
