#!/usr/bin/python3
"""Small ONNX models for the ops sml-accelsim once left out (issue 18), written with python3-onnx
into the folder given, and the MACs of each derived by hand from the ONNX operator definitions
(printed as JSON, so the CLI test compares the tools with these and not with each other).

    make_op_fixtures.py OUTDIR  ->  OUTDIR/*.onnx, and {"file": macs, ...} on stdout
"""
import json
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

out = sys.argv[1]
macs = {}


def model(name, nodes, inputs, outputs, inits=(), opset=17):
    g = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="sml-tests")
    m.ir_version = 8
    save(m, "%s/%s.onnx" % (out, name))


def t(name, elem, dims):
    return helper.make_tensor_value_info(name, elem, dims)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


# 1. Integer convolution and matmul (what a quantised export holds): ConvInteger 3->16, 3x3,
#    32x32 out (pads 1); MatMulInteger [1,16*32*32] x [16384, 10].
w = np.ones((16, 3, 3, 3), np.int8)
model("convinteger", [
    helper.make_node("ConvInteger", ["x", "w"], ["y"], pads=[1, 1, 1, 1], name="conv_int"),
    helper.make_node("Cast", ["y"], ["yf"], to=TensorProto.FLOAT, name="cast"),
    helper.make_node("Relu", ["yf"], ["r"], name="relu"),
    helper.make_node("Reshape", ["r", "shape"], ["flat"], name="flatten"),
    helper.make_node("QuantizeLinear", ["flat", "s", "z"], ["q"], name="quant"),
    helper.make_node("MatMulInteger", ["q", "fc"], ["logits"], name="fc_int"),
], [t("x", TensorProto.UINT8, [1, 3, 32, 32])], [t("logits", TensorProto.INT32, [1, 10])],
    [const("w", w), const("shape", np.array([1, 16384], np.int64)), const("s", np.float32(0.1)),
     const("z", np.uint8(0)), const("fc", np.ones((16384, 10), np.uint8))])
macs["convinteger"] = 16 * 32 * 32 * 3 * 3 * 3 + 16384 * 10

# 2. QLinearConv (weights at input 3) and QLinearMatMul (B at input 3).
model("qlinear", [
    helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"], strides=[2, 2], name="qconv"),
    helper.make_node("Reshape", ["y", "shape"], ["flat"], name="flatten"),
    helper.make_node("QLinearMatMul", ["flat", "ys", "yz", "fc", "ws", "wz", "ys", "yz"], ["out"], name="qfc"),
], [t("x", TensorProto.UINT8, [1, 8, 17, 17])], [t("out", TensorProto.UINT8, [1, 4])],
    [const("xs", np.float32(0.1)), const("xz", np.uint8(0)), const("w", np.ones((32, 8, 3, 3), np.uint8)),
     const("ws", np.float32(0.1)), const("wz", np.uint8(0)), const("ys", np.float32(0.1)), const("yz", np.uint8(0)),
     const("shape", np.array([1, 32 * 8 * 8], np.int64)), const("fc", np.ones((2048, 4), np.uint8))])
macs["qlinear"] = 32 * 8 * 8 * 8 * 3 * 3 + 2048 * 4

# 3. Only recurrent layers and a transposed convolution: a bidirectional LSTM over 50 frames of
#    40 features (hidden 64), a GRU and an RNN after it, and a ConvTranspose 16->8, 4x4, stride 2
#    from 8x8 to 18x18 on a second input.
T, B, F, H = 50, 1, 40, 64
model("recurrent_deconv", [
    helper.make_node("LSTM", ["frames", "W", "R"], ["h"], hidden_size=H, direction="bidirectional", name="lstm"),
    helper.make_node("Reshape", ["h", "seqshape"], ["h2"], name="merge_directions"),
    helper.make_node("GRU", ["h2", "Wg", "Rg"], ["g"], hidden_size=32, name="gru"),
    helper.make_node("Squeeze", ["g", "one"], ["g2"], name="squeeze"),
    helper.make_node("RNN", ["g2", "Wr", "Rr"], ["r"], hidden_size=16, name="rnn"),
    helper.make_node("ConvTranspose", ["img", "Wt", "bt"], ["up"], strides=[2, 2], name="deconv"),
], [t("frames", TensorProto.FLOAT, [T, B, F]), t("img", TensorProto.FLOAT, [1, 16, 8, 8])],
    [t("r", TensorProto.FLOAT, [T, 1, B, 16]), t("up", TensorProto.FLOAT, [1, 8, 18, 18])],
    [const("W", np.zeros((2, 4 * H, F), np.float32)), const("R", np.zeros((2, 4 * H, H), np.float32)),
     const("seqshape", np.array([T, B, 2 * H], np.int64)),
     const("Wg", np.zeros((1, 3 * 32, 2 * H), np.float32)), const("Rg", np.zeros((1, 3 * 32, 32), np.float32)),
     const("one", np.array([1], np.int64)),
     const("Wr", np.zeros((1, 16, 32), np.float32)), const("Rr", np.zeros((1, 16, 16), np.float32)),
     const("Wt", np.zeros((16, 8, 4, 4), np.float32)), const("bt", np.zeros(8, np.float32))])
macs["recurrent_deconv"] = (T * B * 2 * 4 * H * (F + H)          # LSTM: steps x dirs x 4 gates x H x (in + H)
                            + T * B * 3 * 32 * (2 * H + 32)      # GRU
                            + T * B * 16 * (32 + 16)             # RNN
                            + 16 * 8 * 8 * 8 * 4 * 4)            # ConvTranspose: input elements x Cout x kernel

# 4. Grouped and depthwise convolutions beside a dense one: 3->32 (3x3, stride 2), depthwise 32
#    (3x3), grouped 32->64 in 4 groups (1x1), at 16x16.
model("grouped_conv", [
    helper.make_node("Conv", ["x", "w1"], ["a"], strides=[2, 2], pads=[1, 1, 1, 1], name="dense"),
    helper.make_node("Conv", ["a", "w2"], ["b"], group=32, pads=[1, 1, 1, 1], name="depthwise"),
    helper.make_node("Conv", ["b", "w3"], ["c"], group=4, name="grouped"),
], [t("x", TensorProto.FLOAT, [1, 3, 32, 32])], [t("c", TensorProto.FLOAT, [1, 64, 16, 16])],
    [const("w1", np.zeros((32, 3, 3, 3), np.float32)), const("w2", np.zeros((32, 1, 3, 3), np.float32)),
     const("w3", np.zeros((64, 8, 1, 1), np.float32))])
macs["grouped_conv"] = 32 * 16 * 16 * 27 + 32 * 16 * 16 * 9 + 64 * 16 * 16 * 8

# 5. Attention by Einsum and by batched MatMul: 2 x 4 heads, 10 queries and keys, 16 dims; a
#    three-operand Einsum counted as two contractions.
model("attention", [
    helper.make_node("Einsum", ["q", "k"], ["s"], equation="bhqd,bhkd->bhqk", name="scores"),
    helper.make_node("Softmax", ["s"], ["p"], axis=-1, name="softmax"),
    helper.make_node("MatMul", ["p", "v"], ["o"], name="context"),
    helper.make_node("Einsum", ["o", "wo", "g"], ["y"], equation="bhqd,de,e->bhqe", name="proj3"),
], [t("q", TensorProto.FLOAT, [2, 4, 10, 16]), t("k", TensorProto.FLOAT, [2, 4, 10, 16]),
    t("v", TensorProto.FLOAT, [2, 4, 10, 16])], [t("y", TensorProto.FLOAT, [2, 4, 10, 16])],
    [const("wo", np.zeros((16, 16), np.float32)), const("g", np.zeros(16, np.float32))])
macs["attention"] = 2 * 4 * 10 * 10 * 16 + 2 * 4 * 10 * 16 * 10 + 2 * (2 * 4 * 10 * 16 * 16)

# 6. A convolution whose weights come from an input of unknown shape: nothing can be simulated.
model("conv_unknown", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")],
      [t("x", TensorProto.FLOAT, [1, 3, 8, 8]), helper.make_tensor_value_info("w", TensorProto.FLOAT, None)],
      [t("y", TensorProto.FLOAT, None)])

print(json.dumps(macs, sort_keys=True))
