"""The ONNX side of make_fixtures.py: counting what an export stores, its shape-only copy (every
large tensor a ConstantOfShape) and short names for very large graphs."""
import numpy as np
import onnx
from onnx import helper, numpy_helper

SMALL_LIMIT = 64          # tensors with <= this many elements are kept
FILL_VALUE = 0.01


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
