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
