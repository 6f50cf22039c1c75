#!/usr/bin/python3
"""Regenerate the shape-only ONNX fixtures in tests/models/ and manifest.json.

Run with Debian's python (torch 1.13, torchvision 0.14, onnx 1.12):

    /usr/bin/python3 tests/models/make_fixtures.py [model ...]

No network access is needed: every model is built with random weights.

For every model the script
  1. builds the torchvision model in eval() mode and overwrites every float
     parameter/buffer with seeded random values (so the exporter cannot merge
     equal tensors, e.g. all-zero biases);
  2. exports it with torch.onnx.export (opset 17, input "input", output
     "output", dynamic batch dimension "batch");
  3. converts the export to a "shape-only" copy: every stored tensor with more
     than SMALL_LIMIT elements (initializers and Constant-node tensors) is
     replaced by a ConstantOfShape node (output = original name, input = a
     1-D int64 initializer "<name>__shape" holding the dims, value = a
     1-element tensor of the same dtype holding 0.01); graph.value_info is
     cleared;
  4. records reference figures in manifest.json. The MAC count there is an
     independent, deliberately plain Python computation on the ORIGINAL
     (full) export using onnx.shape_inference.infer_shapes.

If a model is given on the command line only that model is (re)built and
the other manifest entries are kept.

The models in ON_REQUEST (a detection model and a small seq2seq Transformer)
are built only when named on the command line; a full run keeps their
manifest entries as they are. They are exported with a fixed batch (their
graphs hold data-dependent shapes), with their own input and output names;
int64 inputs are random token ids in [0, VOCAB).
"""

import io
import json
import os
import sys
import traceback

import numpy as np
import onnx
import torch
import torchvision
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.json")
SMALL_LIMIT = 64          # tensors with <= this many elements are kept
COMPACT_ABOVE = 256 * 1024  # shape-only files larger than this get short names
FILL_VALUE = 0.01
SEED = 0
VOCAB = 1000              # token ids of the int64 (seq2seq) inputs

try:
    from torch.onnx import _constants as _onnx_constants
    OPSET = min(17, _onnx_constants.ONNX_MAX_OPSET)
except Exception:  # pragma: no cover - very old torch
    OPSET = 13


# ---------------------------------------------------------------------------
# model list
# ---------------------------------------------------------------------------

class SegOut(torch.nn.Module):
    """Segmentation models return a dict; export only out["out"]."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def _classification(name):
    return lambda: getattr(torchvision.models, name)(weights=None)


def _segmentation(name):
    return lambda: getattr(torchvision.models.segmentation, name)(
        weights=None, weights_backbone=None)


# (file stem, torchvision name, builder, input shape, is_segmentation)
MODELS = [
    ("resnet18", "resnet18", _classification("resnet18"), [1, 3, 224, 224], False),
    ("resnet50", "resnet50", _classification("resnet50"), [1, 3, 224, 224], False),
    ("mobilenet_v2", "mobilenet_v2", _classification("mobilenet_v2"), [1, 3, 224, 224], False),
    ("mobilenet_v3_large", "mobilenet_v3_large", _classification("mobilenet_v3_large"), [1, 3, 224, 224], False),
    ("efficientnet_b0", "efficientnet_b0", _classification("efficientnet_b0"), [1, 3, 224, 224], False),
    ("vit_b_16", "vit_b_16", _classification("vit_b_16"), [1, 3, 224, 224], False),
    ("convnext_tiny", "convnext_tiny", _classification("convnext_tiny"), [1, 3, 224, 224], False),
    ("squeezenet1_0", "squeezenet1_0", _classification("squeezenet1_0"), [1, 3, 224, 224], False),
    ("densenet121", "densenet121", _classification("densenet121"), [1, 3, 224, 224], False),
    ("deeplabv3_mobilenet_v3_large", "deeplabv3_mobilenet_v3_large",
     _segmentation("deeplabv3_mobilenet_v3_large"), [1, 3, 520, 520], True),
]
if hasattr(torchvision.models, "swin_t"):
    MODELS.append(("swin_t", "swin_t", _classification("swin_t"), [1, 3, 224, 224], False))

# resnet18 exported a second time with BatchNormalization kept unfolded.
BN_VARIANT = ("resnet18_bn", "resnet18", _classification("resnet18"), [1, 3, 224, 224], False)


class DetOut(torch.nn.Module):
    """Detection models return a list of dicts (one per image); export the
    boxes, scores and labels of the single image."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        out = self.model(x)[0]
        return out["boxes"], out["scores"], out["labels"]


class TinySeq2Seq(torch.nn.Module):
    """A small encoder-decoder Transformer on token ids: one embedding
    (VOCAB x 64) shared by source and target tokens, nn.Transformer
    (batch_first), and a Linear(64, VOCAB) to logits. No masks."""

    def __init__(self, d_model=64):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, d_model)
        self.transformer = torch.nn.Transformer(
            d_model=d_model, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
            dim_feedforward=128, batch_first=True)
        self.generator = torch.nn.Linear(d_model, VOCAB)

    def forward(self, src, tgt):
        return self.generator(self.transformer(self.embed(src), self.embed(tgt)))


def _detection(name):
    return lambda: getattr(torchvision.models.detection, name)(
        weights=None, weights_backbone=None)


# Built only when named on the command line.
# (file stem, model name, builder, wrapper, inputs [(name, shape, dtype)],
#  output names, note)
ON_REQUEST = [
    ("fasterrcnn_mobilenet_v3_large_320_fpn", "fasterrcnn_mobilenet_v3_large_320_fpn",
     _detection("fasterrcnn_mobilenet_v3_large_320_fpn"), DetOut,
     [("input", [1, 3, 320, 320], "float32")], ["boxes", "scores", "labels"],
     "Detection model, fixed batch 1. Its transform resizes the image by a "
     "computed scale (Resize with runtime scales), so onnx shape inference "
     "loses the spatial dims: reference_macs_conv_gemm_matmul only counts the "
     "16 squeeze-excitation Convs after GlobalAveragePool (the others are in "
     "unknown_shape_nodes). torch_dispatch_macs is one run on the seeded "
     "random input: its box-head part (addmm) scales with the proposals the RPN "
     "passes on (rpn_proposals_per_image), which depend on data and weights; "
     "torch_dispatch_macs_by_op splits it."),
    ("tiny_transformer_seq2seq", "tiny_transformer_seq2seq", TinySeq2Seq, None,
     [("src", [1, 16], "int64"), ("tgt", [1, 12], "int64")], ["output"],
     "Not a torchvision model: torchvision_params is the PyTorch parameter count "
     "of TinySeq2Seq (shared embedding counted once)."),
]


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


# ---------------------------------------------------------------------------
# onnx helpers
# ---------------------------------------------------------------------------

def numel(dims):
    n = 1
    for d in dims:
        n *= int(d)
    return n


def all_graphs(graph):
    """The graph and every subgraph (If/Loop/Scan bodies)."""
    yield graph
    for node in graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from all_graphs(a.g)
            elif a.type == onnx.AttributeProto.GRAPHS:
                for g in a.graphs:
                    yield from all_graphs(g)


def constant_node_elements(node):
    """Elements stored in a Constant node (any of its value attributes)."""
    total = 0
    for a in node.attribute:
        if a.name == "value":
            total += numel(a.t.dims)
        elif a.name == "sparse_value":
            total += numel(a.sparse_tensor.values.dims)
            total += numel(a.sparse_tensor.indices.dims)
        elif a.name in ("value_float", "value_int", "value_string"):
            total += 1
        elif a.name == "value_floats":
            total += len(a.floats)
        elif a.name == "value_ints":
            total += len(a.ints)
        elif a.name == "value_strings":
            total += len(a.strings)
    return total


def is_shape_only_node(node, shape_inits):
    return (node.op_type == "ConstantOfShape" and len(node.input) == 1
            and node.input[0] in shape_inits
            and node.input[0].endswith("__shape"))


def stored_elements(model, shape_only=False):
    """Total elements over all stored tensors: initializers + Constant nodes.
    With SHAPE_ONLY, the model is a shape-only copy: each generated ConstantOfShape
    counts as the full tensor it stands for, and its <name>__shape input is not
    counted (it does not exist in the original)."""
    total = 0
    for g in all_graphs(model.graph):
        inits = {i.name: i for i in g.initializer}
        shape_inits = set()
        if shape_only:
            for node in g.node:
                if is_shape_only_node(node, inits):
                    shape_inits.add(node.input[0])
                    total += numel(numpy_helper.to_array(inits[node.input[0]]).tolist())
        for init in g.initializer:
            if init.name not in shape_inits:
                total += numel(init.dims)
        for s in g.sparse_initializer:
            total += numel(s.values.dims) + numel(s.indices.dims)
        for node in g.node:
            if node.op_type == "Constant":
                total += constant_node_elements(node)
    return total


def op_counts(model):
    counts = {}
    for g in all_graphs(model.graph):
        for node in g.node:
            counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items()))


# ---------------------------------------------------------------------------
# shape-only conversion
# ---------------------------------------------------------------------------

def fill_tensor(data_type):
    """1-element tensor of the given dtype holding 0.01 (0 for integer types,
    False for bool)."""
    np_type = helper.tensor_dtype_to_np_dtype(data_type) \
        if hasattr(helper, "tensor_dtype_to_np_dtype") \
        else onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[data_type]
    arr = np.array([FILL_VALUE]).astype(np_type)
    return numpy_helper.from_array(arr, name="")


def constant_of_shape(out_name, dims, data_type, used_names):
    shape_name = out_name + "__shape"
    while shape_name in used_names:
        shape_name += "_"
    used_names.add(shape_name)
    shape_init = numpy_helper.from_array(np.array(dims, dtype=np.int64), name=shape_name)
    node = helper.make_node("ConstantOfShape", [shape_name], [out_name],
                            name="shape_only/" + out_name,
                            value=fill_tensor(data_type))
    return node, shape_init


def make_shape_only(model):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    if any(sub is not g for sub in all_graphs(g)):
        print("  WARNING: model has subgraphs; only the main graph is converted")

    used = set()
    for node in g.node:
        used.update(node.input)
        used.update(node.output)
    used.update(i.name for i in g.initializer)
    used.update(i.name for i in g.input)

    new_nodes = []
    kept_inits = []
    removed = set()
    for init in g.initializer:
        if numel(init.dims) > SMALL_LIMIT:
            node, shape_init = constant_of_shape(init.name, list(init.dims),
                                                 init.data_type, used)
            new_nodes.append(node)
            kept_inits.append(shape_init)
            removed.add(init.name)
        else:
            kept_inits.append(init)

    body = []
    for node in g.node:
        if node.op_type == "Constant":
            attrs = {a.name: a for a in node.attribute}
            if "value" in attrs and numel(attrs["value"].t.dims) > SMALL_LIMIT:
                t = attrs["value"].t
                cnode, shape_init = constant_of_shape(node.output[0], list(t.dims),
                                                      t.data_type, used)
                new_nodes.append(cnode)
                kept_inits.append(shape_init)
                continue
            if "sparse_value" in attrs or "value_floats" in attrs or "value_ints" in attrs:
                if constant_node_elements(node) > SMALL_LIMIT:
                    print("  WARNING: large non-tensor Constant kept:", node.output[0])
        body.append(node)

    del g.initializer[:]
    g.initializer.extend(kept_inits)
    kept_inputs = [i for i in g.input if i.name not in removed]
    del g.input[:]
    g.input.extend(kept_inputs)
    del g.node[:]
    g.node.extend(new_nodes + body)
    del g.value_info[:]
    return m


# ---------------------------------------------------------------------------
# independent MAC count (Conv, Gemm, MatMul) on the ORIGINAL export
# ---------------------------------------------------------------------------

def fix_batch(model, batch=1):
    """Copy of the model with every symbolic dim of the graph inputs and
    outputs set to `batch` (only the batch dim is symbolic here), so that the
    reference MAC count is per image."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    for vi in list(m.graph.input) + list(m.graph.output):
        for d in vi.type.tensor_type.shape.dim:
            if d.HasField("dim_param"):
                d.ClearField("dim_param")
                d.dim_value = batch
    return m


def known_shapes(model):
    """name -> list of ints, or None where any dim is unknown."""
    shapes = {}
    g = model.graph

    def from_vi(vi):
        if not vi.type.HasField("tensor_type"):
            return None
        tt = vi.type.tensor_type
        if not tt.HasField("shape"):
            return None
        dims = []
        for d in tt.shape.dim:
            if d.HasField("dim_value"):
                dims.append(d.dim_value)
            else:
                return None
        return dims

    for vi in list(g.input) + list(g.output) + list(g.value_info):
        s = from_vi(vi)
        if s is not None:
            shapes[vi.name] = s
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
    for node in g.node:
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    shapes[node.output[0]] = list(a.t.dims)
    return shapes


def broadcast(a, b):
    out = []
    a = list(a)
    b = list(b)
    while len(a) < len(b):
        a.insert(0, 1)
    while len(b) < len(a):
        b.insert(0, 1)
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise ValueError("cannot broadcast %r %r" % (a, b))
    return out


def reference_macs(model):
    # The exporter's own value_info is dropped first: only onnx's shape
    # inference decides what is known.
    m = fix_batch(model)
    del m.graph.value_info[:]
    inferred = onnx.shape_inference.infer_shapes(m)
    shapes = known_shapes(inferred)
    macs = 0
    unknown = 0
    unknown_nodes = []
    for node in inferred.graph.node:
        op = node.op_type
        if op not in ("Conv", "Gemm", "MatMul"):
            continue
        ins = [shapes.get(n) for n in node.input]
        out = shapes.get(node.output[0])
        if op == "Conv":
            x, w = ins[0], ins[1]
            if w is None or out is None:
                unknown += 1
                unknown_nodes.append(node.name)
                continue
            # N*Cout*Hout*Wout * (Cin/groups)*kh*kw
            macs += numel(out) * numel(w[1:])
        elif op == "Gemm":
            a, b = ins[0], ins[1]
            if a is None or b is None:
                unknown += 1
                unknown_nodes.append(node.name)
                continue
            attrs = {at.name: helper.get_attribute_value(at) for at in node.attribute}
            if attrs.get("transA", 0):
                k, m_ = a
            else:
                m_, k = a
            if attrs.get("transB", 0):
                n_, k2 = b
            else:
                k2, n_ = b
            assert k == k2, (node.name, a, b)
            macs += m_ * n_ * k
        else:  # MatMul, numpy semantics
            a, b = ins[0], ins[1]
            if a is None or b is None:
                unknown += 1
                unknown_nodes.append(node.name)
                continue
            a = list(a)
            b = list(b)
            if len(a) == 1:
                a = [1] + a
            if len(b) == 1:
                b = b + [1]
            m_, k = a[-2], a[-1]
            k2, n_ = b[-2], b[-1]
            assert k == k2, (node.name, a, b)
            batch = numel(broadcast(a[:-2], b[:-2]))
            macs += batch * m_ * n_ * k
    return macs, unknown, unknown_nodes


def compact_names(model):
    """Shorten the exporter's long value and node names ("/features/features.5/
    features.5.5/attn/Concat_32_output_0") to "v<N>" / "n<N>" so that very
    large graphs (swin_t: ~6.4k nodes) stay small. Graph inputs/outputs and
    initializer names (the weight names) are kept."""
    g = model.graph
    keep = {v.name for v in g.input} | {v.name for v in g.output}
    keep |= {i.name for i in g.initializer}
    rename = {}
    for node in g.node:
        for o in node.output:
            if o and o not in keep and o not in rename:
                rename[o] = "v%d" % len(rename)
    for i, node in enumerate(g.node):
        node.name = "n%d_%s" % (i, node.op_type)
        for k, name in enumerate(node.input):
            if name in rename:
                node.input[k] = rename[name]
        for k, name in enumerate(node.output):
            if name in rename:
                node.output[k] = rename[name]
    return model


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


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------

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


def build_one(stem, tv_name, builder, input_shape, is_seg, keep_bn=False,
              wrapper=None, inputs=None, output_names=None, note=None):
    """`wrapper`, `inputs`, `output_names` and `note` come from ON_REQUEST;
    such models are exported with a fixed batch."""
    print("== %s" % stem, flush=True)
    dynamic_batch = inputs is None
    model = builder()
    params, bn_channels, bn_buffers = torch_stats(model)
    randomise(model)
    model.eval()
    net = SegOut(model).eval() if is_seg else model
    if wrapper is not None:
        net = wrapper(model).eval()
    full = export(net, input_shape, keep_bn=keep_bn, dynamic_batch=dynamic_batch,
                  inputs=inputs, output_names=output_names)
    onnx.checker.check_model(full)

    shape_only = make_shape_only(full)
    compacted = False
    if len(shape_only.SerializeToString()) > COMPACT_ABOVE:
        compact_names(shape_only)
        compacted = True
    onnx.checker.check_model(shape_only)
    onnx.shape_inference.infer_shapes(shape_only, check_type=True, strict_mode=True)

    path = os.path.join(HERE, stem + ".onnx")
    onnx.save(shape_only, path)

    se = stored_elements(full)
    se_check = stored_elements(onnx.load(path), shape_only=True)
    if se != se_check:
        raise RuntimeError("%s: stored element mismatch %d vs %d" % (stem, se, se_check))

    macs, unknown, unknown_nodes = reference_macs(full)
    if unknown and dynamic_batch:
        # onnx's own inference cannot follow the dynamic-batch shape
        # arithmetic (Shape/Gather/Concat -> Reshape). Same count on a
        # static batch-1 export, where the exporter folded that arithmetic.
        static = export(net, input_shape, keep_bn=keep_bn, dynamic_batch=False)
        static_macs, static_unknown, _ = reference_macs(static)
    else:  # the export is already static (batch 1)
        static_macs, static_unknown = macs, unknown
    dispatch_by_op = {}
    dispatch_macs = torch_dispatch_macs(net, input_shape, inputs=inputs,
                                        by_op=dispatch_by_op)
    ops = op_counts(full)
    bn_nodes = ops.get("BatchNormalization", 0)
    if keep_bn and bn_nodes == 0:
        raise RuntimeError("%s: no BatchNormalization nodes in the export" % stem)

    entry = {
        "file": stem + ".onnx",
        "model": tv_name,
        "input_shape": input_shape,
        "torchvision_params": params,
        "bn_channels": bn_channels,
        "bn_buffers": bn_buffers,
        "stored_elements": se,
        "stored_elements_shape_only_check": se_check,
        "batchnorm_nodes": bn_nodes,
        "op_counts": ops,
        "reference_macs_conv_gemm_matmul": macs,
        "matmul_unknown_shapes": unknown,
        # extra, informational
        "reference_macs_static_batch1_export": static_macs,
        "static_export_unknown_shapes": static_unknown,
        "torch_dispatch_macs": dispatch_macs,
        "names_compacted": compacted,
        "op_counts_shape_only": op_counts(shape_only),
        "opset": OPSET,
        "export_options": ("training=PRESERVE, model.eval(), do_constant_folding=False"
                           if keep_bn else "default (eval, constant folding on)"),
        "size_bytes": os.path.getsize(path),
    }
    if unknown_nodes:
        entry["unknown_shape_nodes"] = unknown_nodes
    if inputs is not None:
        entry["export_options"] += ", fixed batch"
        entry["inputs"] = [{"name": n, "shape": sh, "dtype": dt} for n, sh, dt in inputs]
        entry["outputs"] = list(output_names)
        entry["torch_dispatch_macs_by_op"] = dict(sorted(dispatch_by_op.items()))
        if hasattr(model, "rpn"):
            entry["rpn_proposals_per_image"] = rpn_proposals(model, inputs)
        entry["note"] = note
    return entry


def build_on_request(stem, name, builder, wrapper, inputs, output_names, note):
    input_shape = inputs[0][1] if len(inputs) == 1 else None
    return build_one(stem, name, builder, input_shape, False, wrapper=wrapper,
                     inputs=inputs, output_names=output_names, note=note)


def main(argv):
    todo = MODELS + [BN_VARIANT]
    if argv:
        todo = [m for m in todo + ON_REQUEST if m[0] in argv]
        unknown = [a for a in argv if a not in {m[0] for m in todo}]
        if unknown:
            sys.exit("unknown model(s): %s" % " ".join(unknown))

    manifest = []
    if os.path.exists(MANIFEST):
        with open(MANIFEST) as f:
            manifest = json.load(f)
    if not argv:  # full run: start afresh, but keep the on-request entries
        on_request = {s[0] + ".onnx" for s in ON_REQUEST}
        manifest = [e for e in manifest if e["file"] in on_request]
    by_file = {e["file"]: e for e in manifest}

    failures = []
    for spec in todo:
        stem = spec[0]
        try:
            if spec in ON_REQUEST:
                entry = build_on_request(*spec)
            else:
                entry = build_one(*spec, keep_bn=(stem == BN_VARIANT[0]))
            by_file[entry["file"]] = entry
        except Exception as e:  # keep going, report at the end
            traceback.print_exc()
            failures.append((stem, "%s: %s" % (type(e).__name__, e)))

    order = [s[0] + ".onnx" for s in MODELS + [BN_VARIANT] + ON_REQUEST]
    entries = [by_file[f] for f in order if f in by_file]
    with open(MANIFEST, "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")

    print()
    print("%-30s %8s %10s %12s %7s %12s %12s" % (
        "file", "bytes", "params", "MACs", "unknown", "MACs static", "MACs torch"))
    for e in entries:
        print("%-30s %8d %10d %12d %7d %12d %12d" % (
            e["file"], e["size_bytes"], e["torchvision_params"],
            e["reference_macs_conv_gemm_matmul"], e["matmul_unknown_shapes"],
            e["reference_macs_static_batch1_export"], e["torch_dispatch_macs"]))
    total = sum(os.path.getsize(os.path.join(HERE, p)) for p in os.listdir(HERE))
    print("total size of %s: %d bytes" % (HERE, total))
    for stem, msg in failures:
        print("FAILED %s: %s" % (stem, msg))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
