"""make_fixtures.py's independent MAC count: plain Python over onnx.shape_inference on the ORIGINAL
export (Conv, Gemm, MatMul), at the export's dynamic batch and at a fixed batch 1."""
import onnx
from onnx import helper

from fixture_onnx import numel

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
