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

The parts, one job each: fixture_models.py (the model list), fixture_torch.py (seeded weights and
inputs, the export, the MACs PyTorch executes), fixture_onnx.py (what an export stores, the
shape-only copy), fixture_reference.py (the independent MAC count); this file drives them.
"""
import json
import os
import sys
import traceback

import onnx

from fixture_models import BN_VARIANT, MODELS, ON_REQUEST, SegOut
from fixture_onnx import compact_names, make_shape_only, op_counts, stored_elements
from fixture_reference import reference_macs
from fixture_torch import OPSET, export, randomise, rpn_proposals, torch_dispatch_macs, torch_stats  # noqa: F401 (make_reference.py imports torch_dispatch_macs from here)

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "manifest.json")
COMPACT_ABOVE = 256 * 1024  # shape-only files larger than this get short names


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------

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
