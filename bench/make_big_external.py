#!/usr/bin/python3
"""Make a model whose weights (4 GiB in all) live in one external-data file, for
bench/profile_bench: OUT_DIR/big_external/model.onnx and model.weights (a sparse file, so it
costs no disk). Four MatMuls of [1, 16384] x [16384, 16384] fp32 weights (1 GiB each).
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

out = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "/tmp/sml-bench", "big_external")
os.makedirs(out, exist_ok=True)
n, layers = 16384, 4
size = n * n * 4
nodes, inits = [], []
prev = "x"
for i in range(layers):
    w = helper.make_tensor_value_info("w%d" % i, TensorProto.FLOAT, [n, n])
    t = TensorProto(name="w%d" % i, data_type=TensorProto.FLOAT, dims=[n, n])
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "model.weights"), ("offset", str(i * size)), ("length", str(size))):
        e = t.external_data.add()
        e.key, e.value = k, v
    inits.append(t)
    nodes.append(helper.make_node("MatMul", [prev, "w%d" % i], ["h%d" % i]))
    prev = "h%d" % i
graph = helper.make_graph(nodes, "big", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n])],
                          [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [1, n])], initializer=inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
with open(os.path.join(out, "model.onnx"), "wb") as f:
    f.write(model.SerializeToString())
with open(os.path.join(out, "model.weights"), "wb") as f:
    f.truncate(layers * size)
print(os.path.join(out, "model.onnx"))
