"""The torch side of make_fixtures.py: seeded random weights and inputs, the ONNX export, and the
cross-check that counts the MACs PyTorch itself executes (torch_dispatch_macs, also used by
tests/compose/make_reference.py)."""
import io

import onnx
import torch

from fixture_onnx import numel

SEED = 0
VOCAB = 1000              # token ids of the int64 (seq2seq) inputs

try:
    from torch.onnx import _constants as _onnx_constants
    OPSET = min(17, _onnx_constants.ONNX_MAX_OPSET)
except Exception:  # pragma: no cover - very old torch
    OPSET = 13


# ---------------------------------------------------------------------------
# torch side
# ---------------------------------------------------------------------------

def randomise(model):
    """Overwrite every float parameter and buffer with seeded random values."""
    torch.manual_seed(SEED)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if not t.is_floating_point():
                continue                      # e.g. num_batches_tracked
            torch.nn.init.normal_(t, mean=0.0, std=0.05)
            if name.endswith("running_var"):
                t.abs_().add_(0.5)            # keep variances positive
    return model


def torch_stats(model):
    params = sum(p.numel() for p in model.parameters())
    bn_channels = 0
    bn_buffers = 0
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            bn_channels += m.num_features
            if m.running_mean is not None:
                bn_buffers += m.running_mean.numel()
            if m.running_var is not None:
                bn_buffers += m.running_var.numel()
    return params, bn_channels, bn_buffers


def make_inputs(inputs):
    """Seeded example inputs for [(name, shape, dtype)]: float32 from randn,
    int64 random token ids in [0, VOCAB)."""
    torch.manual_seed(SEED)
    xs = []
    for _name, shape, dtype in inputs:
        if dtype == "int64":
            xs.append(torch.randint(0, VOCAB, shape, dtype=torch.int64))
        else:
            xs.append(torch.randn(*shape))
    return tuple(xs)


def export(model, input_shape, keep_bn=False, dynamic_batch=True,
           inputs=None, output_names=None):
    """Export to an in-memory onnx.ModelProto. `inputs` ([(name, shape,
    dtype)]) replaces the single float input "input" of `input_shape`."""
    if inputs is None:
        inputs = [("input", input_shape, "float32")]
    xs = make_inputs(inputs)
    f = io.BytesIO()
    kwargs = dict(
        opset_version=OPSET,
        input_names=[i[0] for i in inputs],
        output_names=output_names or ["output"],
    )
    if dynamic_batch:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
    if keep_bn:
        # PRESERVE + eval(): the exporter skips its eval-mode Conv+BN fusion
        # pass, and the BatchNormalization nodes are emitted in inference form
        # (training_mode=0, one output).
        kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
        kwargs["do_constant_folding"] = False
    # Not under torch.no_grad(): with grad enabled nn.MultiheadAttention
    # (vit_b_16) does not take its fused fast path, whose op
    # aten::_native_multi_head_attention has no ONNX symbolic in torch 1.13.
    torch.onnx.export(model, xs, f, **kwargs)
    return onnx.load_from_string(f.getvalue())


# aten ops counted by the torch-side cross-check: MACs of one call
def _mm_macs(args, out):
    a, b = args[0], args[1]
    return a.shape[0] * a.shape[1] * b.shape[1]


def _addmm_macs(args, out):
    return _mm_macs(args[1:], out)


def _bmm_macs(args, out):
    a, b = args[0], args[1]
    return a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]


def _conv_macs(args, out):
    w = args[1]
    transposed = args[6] if len(args) > 6 else False
    if transposed:  # every input element meets Cout/groups * k kernels
        x = args[0]
        return x.numel() * numel(w.shape[1:])
    return out.numel() * numel(w.shape[1:])


def torch_dispatch_macs(model, input_shape, inputs=None, by_op=None):
    """Independent cross-check on the torch side: run the model once and add
    up the MACs of every aten mm/addmm/bmm/convolution call (nn.Linear,
    torch.matmul, attention, convolutions all end up there). A dict passed as
    `by_op` receives the MACs per aten op."""
    from torch.utils._python_dispatch import TorchDispatchMode
    aten = torch.ops.aten
    table = {
        aten.mm.default: _mm_macs,
        aten.addmm.default: _addmm_macs,
        aten.bmm.default: _bmm_macs,
        aten.convolution.default: _conv_macs,
    }

    class Counter(TorchDispatchMode):
        total = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            fn = table.get(func)
            if fn is not None:
                n = int(fn(args, out))
                Counter.total += n
                if by_op is not None:
                    key = str(func.overloadpacket.__name__)
                    by_op[key] = by_op.get(key, 0) + n
            return out

    xs = make_inputs(inputs or [("input", input_shape, "float32")])
    # grad stays enabled so that nn.MultiheadAttention takes its plain path
    # (in_proj/out_proj as addmm, attention as bmm) instead of the fused
    # aten::_native_multi_head_attention kernel, which this table cannot see.
    with Counter():
        model(*xs)
    return Counter.total


def rpn_proposals(model, inputs):
    """Proposals per image that a two-stage detector's RPN passes on to the
    box head in one run on the seeded inputs."""
    counts = []

    def hook(_module, _args, out):
        counts.extend(int(b.shape[0]) for b in out[0])

    handle = model.rpn.register_forward_hook(hook)
    try:
        with torch.no_grad():
            model(*make_inputs(inputs))
    finally:
        handle.remove()
    return counts
