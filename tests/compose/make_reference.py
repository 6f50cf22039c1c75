#!/usr/bin/python3
"""Independent references for sml-compose's tests, computed by PyTorch/torchvision (Debian's
python3-torchvision), written to tests/compose/reference.json.

For each entry: the trainable parameters of the torchvision model (sum of p.numel() over
parameters(): BatchNorm running statistics are buffers, not parameters) and the MACs PyTorch
executes for one 224×224 image (every aten mm/addmm/bmm/convolution call, counted by
tests/models/make_fixtures.py's torch_dispatch_macs). The multiplier variants use torchvision's
own width_mult/depth_mult and ResNet's block counts, so they check our --width/--depth rules
against the reference implementation, not against ourselves.

Run: /usr/bin/python3 tests/compose/make_reference.py   (about a minute on 2 cores)
"""
import json
import os
import sys

import torch
import torchvision
from torchvision.models import mobilenetv3, efficientnet, resnet

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "models"))
from make_fixtures import torch_dispatch_macs  # noqa: E402


def mobilenet_v3(arch, width):
    settings, last = mobilenetv3._mobilenet_v3_conf(arch, width_mult=width)
    return mobilenetv3.MobileNetV3(settings, last)


def efficientnet_b0(width, depth):
    settings, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=width, depth_mult=depth)
    return efficientnet.EfficientNet(settings, 0.2, last_channel=last)


# name: (how sml-compose builds it, torchvision constructor)
CASES = {
    "mobilenet_v3_small": ("--arch mobilenet_v3_small", lambda: torchvision.models.mobilenet_v3_small()),
    "mobilenet_v2 width 0.5": ("--arch mobilenet_v2 --width 0.5", lambda: torchvision.models.mobilenet_v2(width_mult=0.5)),
    "mobilenet_v2 width 1.4": ("--arch mobilenet_v2 --width 1.4", lambda: torchvision.models.mobilenet_v2(width_mult=1.4)),
    "mobilenet_v3_large width 0.5": ("--arch mobilenet_v3_large --width 0.5", lambda: mobilenet_v3("mobilenet_v3_large", 0.5)),
    "efficientnet_b0 depth 0.5": ("--arch efficientnet_b0 --depth 0.5", lambda: efficientnet_b0(1.0, 0.5)),
    "efficientnet_b0 width 0.5": ("--arch efficientnet_b0 --width 0.5", lambda: efficientnet_b0(0.5, 1.0)),
    # ceil(3·0.5), ceil(4·0.5), ceil(6·0.5), ceil(3·0.5) bottlenecks per stage
    "resnet50 depth 0.5": ("--arch resnet50 --depth 0.5", lambda: resnet.ResNet(resnet.Bottleneck, [2, 2, 3, 2])),
    "resnet18 depth 0.5": ("--arch resnet18 --depth 0.5", lambda: resnet.ResNet(resnet.BasicBlock, [1, 1, 1, 1])),
}


def main():
    torch.manual_seed(0)
    out = {
        "_about": "made by tests/compose/make_reference.py with torch %s, torchvision %s; params = sum of numel over "
                  "parameters(), macs = aten mm/addmm/bmm/convolution MACs for one 1x3x224x224 input" %
                  (torch.__version__, torchvision.__version__)
    }
    for name, (args, make) in CASES.items():
        model = make().eval()
        params = sum(p.numel() for p in model.parameters())
        macs = torch_dispatch_macs(model, [1, 3, 224, 224])
        out[name] = {"compose_args": args, "params": params, "macs": macs}
        print(name, params, macs, flush=True)
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
