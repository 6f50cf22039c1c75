#!/usr/bin/python3
"""The kernels eager PyTorch runs for one inference of torchvision models: the independent reference
for the eager kernel rule of lib/footprint/kernels.cpp (tests/unit/test_eager_kernels.cpp).

Each model is built as tests/models/make_fixtures.py builds it (torchvision, weights=None, eval()),
and one forward pass of a 1x3x224x224 input runs under torch.no_grad() inside a TorchDispatchMode
that logs every aten op reaching the dispatcher's Python key. That is below autograd and below the
CompositeImplicitAutograd decompositions, so what it sees is what a backend (CPU here, CUDA the
same dispatch) executes: F.linear arrives as addmm, adaptive_avg_pool2d(1) as mean, nn.BatchNorm2d
as native_batch_norm (cudnn_batch_norm on CUDA: one kernel either way), Dropout and StochasticDepth
in eval mode as nothing. Ops that only make a view (view, _reshape_alias, t, expand, ...: PyTorch's
"Tensor Views" list, pytorch.org/docs/stable/tensor_view.html) launch no kernel and are not counted;
allocations without a fill (empty) launch none either; every other op is counted as one kernel.

Not seen at this level (each at most a few per model, stated in the fixture): on CUDA a convolution
with a bias runs cuDNN's convolution and then an add of the bias (aten/src/ATen/native/Convolution.cpp
in 1.13), and addmm at batch 1 may copy the bias into the output before the GEMM; both are kernels
inside one dispatched op.

Run: /usr/bin/python3 tests/validation/eager_kernel_reference.py > tests/validation/eager_kernels_torch.json
"""
import collections
import json
import sys

import torch
import torchvision
from torch.utils._python_dispatch import TorchDispatchMode

MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "squeezenet1_0", "densenet121"]

# aten ops that return a view of their input (no kernel). Names as func.overloadpacket.__name__.
VIEWS = {"view", "_unsafe_view", "_reshape_alias", "reshape", "flatten", "t", "transpose", "permute", "expand",
         "squeeze", "unsqueeze", "slice", "select", "split", "split_with_sizes", "chunk", "narrow", "as_strided",
         "alias", "detach", "unbind", "view_as", "expand_as", "unfold", "diagonal", "lift_fresh"}
# Allocations without a fill (CPU native_batch_norm asks for its save_mean / save_invstd this way; on
# CUDA cudnn_batch_norm allocates inside the op): memory, no kernel.
ALLOCATIONS = {"empty", "empty_like", "empty_strided", "new_empty"}


class OpLog(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = collections.Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops[func.overloadpacket.__name__] += 1
        return func(*args, **(kwargs or {}))


def count(name):
    torch.manual_seed(0)
    net = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    log = OpLog()
    with torch.no_grad(), log:
        net(x)
    kernels = {op: n for op, n in sorted(log.ops.items()) if op not in VIEWS and op not in ALLOCATIONS}
    views = {op: n for op, n in sorted(log.ops.items()) if op in VIEWS}
    allocations = {op: n for op, n in sorted(log.ops.items()) if op in ALLOCATIONS}
    return {"kernels": sum(kernels.values()), "kernel_ops": kernels, "not_kernels": {"views": views, "allocations": allocations}}


def main():
    out = {
        "provenance": {
            "what": "aten ops eager PyTorch dispatches for one batch-1 forward pass in eval mode under torch.no_grad() (TorchDispatchMode), views and allocations not counted",
            "command": "/usr/bin/python3 tests/validation/eager_kernel_reference.py > tests/validation/eager_kernels_torch.json",
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "source": "Debian python3-torch / python3-torchvision",
            "input": [1, 3, 224, 224],
            "not_counted": "kernels inside one dispatched op (on CUDA: the bias add after a convolution with a bias; a bias copy before addmm at batch 1)",
        },
        "models": {name: count(name) for name in MODELS},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
