#!/usr/bin/python3
"""Export torchvision's vit_b_16 with its full (random) weights for bench/profile_bench.

    /usr/bin/python3 bench/make_full_model.py OUT_DIR

writes OUT_DIR/vit_b_16.onnx (weights inside, ~350 MB) and OUT_DIR/external/vit_b_16.onnx with
its weights in OUT_DIR/external/vit_b_16.weights (ONNX external data). Needs Debian's
python3-torchvision and python3-onnx; no network.
"""
import os
import sys

import onnx
import torch
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sml-bench"
os.makedirs(os.path.join(out, "external"), exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.vit_b_16(weights=None).eval()
path = os.path.join(out, "vit_b_16.onnx")
# Grad on: torch 1.13 cannot export the fused attention fast path taken under no_grad.
torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=17,
                  input_names=["input"], output_names=["output"])
m = onnx.load(path)
onnx.save(m, os.path.join(out, "external", "vit_b_16.onnx"), save_as_external_data=True,
          all_tensors_to_one_file=True, location="vit_b_16.weights", size_threshold=1024)
print(path)
