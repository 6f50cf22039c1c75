#!/usr/bin/python3
"""Writes ONNX files nobody in this project wrote by hand, for bench/thirdparty_onnx.py: Debian's
torch/torchvision exporter (python3-torch, python3-torchvision) at opsets other than the fixtures'
17, with dynamic axes, external data, control flow (TorchScript If/Loop), quantized ops (torch's
own QLinear export) and model-local functions (export_modules_as_functions). Untrained weights
(weights=None): the tools count shapes, not values.

Usage: /usr/bin/python3 bench/thirdparty_make.py OUTDIR   (writes OUTDIR/*.onnx and OUTDIR/index.json)
Each index entry: file, what, and input_shape (NAME: DIMS) where the export has symbolic dims.
"""
import json
import os
import sys
import warnings

import onnx
import torch
import torchvision

warnings.filterwarnings("ignore")
torch.manual_seed(0)


def export(model, args, path, opset, **kw):
    """Exports unless the file is there (rerunning after a failure is quick). Gradients stay on:
    with them off, torch 1.13's TransformerEncoderLayer takes a fused path the exporter lacks."""
    if os.path.exists(path):
        return
    model.eval()
    torch.onnx.export(model, args, path, opset_version=opset, do_constant_folding=True, **kw)


class Scripted(torch.nn.Module):
    """Control flow TorchScript keeps: an If on a data-dependent value and a Loop over a dim."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(16, 16)

    def forward(self, x):
        h = self.fc(x)
        if h.sum() > 0:
            h = torch.relu(h)
        else:
            h = -h
        for _ in range(x.size(0)):
            h = self.fc(h)
        return h


class Quant(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q = torch.ao.quantization.QuantStub()
        self.conv = torch.nn.Conv2d(3, 8, 3)
        self.fc = torch.nn.Linear(8 * 30 * 30, 10)
        self.dq = torch.ao.quantization.DeQuantStub()

    def forward(self, x):
        x = self.conv(self.q(x))
        x = torch.flatten(x, 1)
        return self.dq(self.fc(x))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    index = []

    def add(file, what, **shape):
        index.append({"file": file, "what": what, "input_shape": shape})
        print(file, "-", what, flush=True)

    img = torch.randn(1, 3, 224, 224)
    tv = torchvision.models
    export(tv.resnet18(weights=None), img, os.path.join(out, "resnet18_op9.onnx"), 9)
    add("resnet18_op9.onnx", "torchvision resnet18, opset 9 (BatchNormalization folded by the exporter)")
    export(tv.mobilenet_v2(weights=None), img, os.path.join(out, "mobilenet_v2_op11_dynbatch.onnx"), 11,
           input_names=["input"], dynamic_axes={"input": {0: "batch"}})
    add("mobilenet_v2_op11_dynbatch.onnx", "torchvision mobilenet_v2, opset 11, symbolic batch (no --input-shape)")
    index.append({"file": "mobilenet_v2_op11_dynbatch.onnx", "what": "same, batch fixed at 4",
                  "input_shape": {"input": "4x3x224x224"}})
    export(tv.squeezenet1_1(weights=None), img, os.path.join(out, "squeezenet1_1_op13.onnx"), 13)
    add("squeezenet1_1_op13.onnx", "torchvision squeezenet1_1, opset 13")
    export(tv.shufflenet_v2_x0_5(weights=None), img, os.path.join(out, "shufflenet_v2_x0_5_op15.onnx"), 15)
    add("shufflenet_v2_x0_5_op15.onnx", "torchvision shufflenet_v2_x0_5, opset 15")
    export(tv.googlenet(weights=None, aux_logits=False, init_weights=False), img,
           os.path.join(out, "googlenet_op10.onnx"), 10)
    add("googlenet_op10.onnx", "torchvision googlenet, opset 10")
    export(tv.regnet_y_400mf(weights=None), img, os.path.join(out, "regnet_y_400mf_op12.onnx"), 12)
    add("regnet_y_400mf_op12.onnx", "torchvision regnet_y_400mf, opset 12")
    # External data: the weights beside the graph.
    path = os.path.join(out, "mnasnet0_5_op16_external.onnx")
    export(tv.mnasnet0_5(weights=None), img, path, 16)
    m = onnx.load(path)
    if not m.graph.initializer[0].external_data:
        onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location="mnasnet0_5_op16_external.data", size_threshold=1024)
    add("mnasnet0_5_op16_external.onnx", "torchvision mnasnet0_5, opset 16, weights in external data")
    # Segmentation/detection-style: upsampling (Resize) at opset 11.
    export(tv.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None), torch.randn(1, 3, 256, 256),
           os.path.join(out, "lraspp_mobilenet_v3_op11.onnx"), 11)
    add("lraspp_mobilenet_v3_op11.onnx", "torchvision lraspp_mobilenet_v3_large, opset 11 (Resize, HardSigmoid)")
    # Transformers and RNNs with symbolic batch and sequence.
    enc = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(64, 4, 128, batch_first=True), 2)
    export(enc, torch.randn(2, 10, 64), os.path.join(out, "transformer_encoder_op14_dynseq.onnx"), 14,
           input_names=["src"], dynamic_axes={"src": {0: "batch", 1: "seq"}})
    add("transformer_encoder_op14_dynseq.onnx", "torch TransformerEncoder (2 layers, d=64), opset 14, symbolic batch and seq")
    index.append({"file": "transformer_encoder_op14_dynseq.onnx", "what": "same, 1x32x64",
                  "input_shape": {"src": "1x32x64"}})
    lstm = torch.nn.LSTM(32, 64, num_layers=2, batch_first=True, bidirectional=True)
    export(lstm, torch.randn(1, 20, 32), os.path.join(out, "lstm_bi_op11_dynseq.onnx"), 11,
           input_names=["x"], dynamic_axes={"x": {0: "batch", 1: "seq"}})
    add("lstm_bi_op11_dynseq.onnx", "torch LSTM 2 layers bidirectional, opset 11, symbolic batch/seq")
    index.append({"file": "lstm_bi_op11_dynseq.onnx", "what": "same, 1x20x32", "input_shape": {"x": "1x20x32"}})
    gru = torch.nn.GRU(32, 48, batch_first=True)
    export(gru, torch.randn(1, 20, 32), os.path.join(out, "gru_op9.onnx"), 9)
    add("gru_op9.onnx", "torch GRU, opset 9")
    # Control flow.
    scripted = torch.jit.script(Scripted())
    export(scripted, torch.randn(4, 16), os.path.join(out, "scripted_if_loop_op13.onnx"), 13,
           input_names=["x"], dynamic_axes={"x": {0: "n"}})
    add("scripted_if_loop_op13.onnx", "TorchScript If on a data value and a Loop over dim 0, opset 13")
    index.append({"file": "scripted_if_loop_op13.onnx", "what": "same, n=4", "input_shape": {"x": "4x16"}})
    # Quantized (torch's eager static quantization, fbgemm): QuantizeLinear, QLinearConv, QLinearMatMul...
    try:
        q = Quant().eval()
        q.qconfig = torch.ao.quantization.get_default_qconfig("fbgemm")
        torch.ao.quantization.prepare(q, inplace=True)
        q(torch.randn(1, 3, 32, 32))
        torch.ao.quantization.convert(q, inplace=True)
        export(q, torch.randn(1, 3, 32, 32), os.path.join(out, "quantized_conv_fc_op13.onnx"), 13)
        add("quantized_conv_fc_op13.onnx", "torch eager static quantization (fbgemm) exported, opset 13")
    except Exception as e:  # noqa: BLE001
        print("quantized export failed:", str(e).splitlines()[0], file=sys.stderr)
    # Model-local functions.
    try:
        layer = torch.nn.TransformerEncoderLayer(32, 2, 64, batch_first=True)
        export(layer, torch.randn(1, 8, 32), os.path.join(out, "encoder_layer_functions_op15.onnx"), 15,
               export_modules_as_functions={torch.nn.Linear, torch.nn.LayerNorm})
        add("encoder_layer_functions_op15.onnx", "torch TransformerEncoderLayer with Linear/LayerNorm as local functions, opset 15")
    except Exception as e:  # noqa: BLE001
        print("function export failed:", str(e).splitlines()[0], file=sys.stderr)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)


if __name__ == "__main__":
    main()
