#!/usr/bin/python3
"""Third-party ONNX files through the tools (issue 17/20, session 37): every model.onnx of Debian's
libonnx-testdata (ONNX's own node, pytorch-converted, pytorch-operator and simple test models) and
the exports bench/thirdparty_make.py writes with Debian's torch/torchvision (opsets other than our
fixtures', dynamic axes, external data, control flow, quantized ops, local functions) go through
sml-estimate, sml-accelsim and sml-compose --import.

For each file it records the exit codes and checks what a user would be misled by:
  crash      exit 4, a signal, or a message-less failure
  silent-0   sml-estimate says coverage complete with 0 MACs where an independent count
             (python3-onnx's shape inference + the textbook MAC formula of Conv, ConvTranspose,
             Gemm, MatMul and their integer / QLinear forms) finds MACs
  wrong-macs coverage complete but total MACs differ from that independent count
  complete?  coverage says complete while uncounted_nodes is not empty (or the reverse)
  compose    sml-compose --import (no edit) fails on a file sml-estimate reads, or writes a file
             python3-onnx's checker refuses
The independent count is only made where every MAC-bearing node is one of those ops, outside
subgraphs, with shapes python3-onnx infers; otherwise the MAC column says "n/a".

Usage: bench/thirdparty_onnx.py BUILD_TOOLS_DIR [--exports DIR] [--testdata DIR] [--tsv FILE]
       [--only SUBSTRING] [--no-accelsim] [--no-compose]
Prints one line per file with a finding and a summary; exit 0 whatever it finds (a benchmark).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import onnx
from onnx import numpy_helper, shape_inference

MAC_OPS = {"Conv", "ConvTranspose", "Gemm", "MatMul", "QLinearConv", "ConvInteger", "QLinearMatMul",
           "MatMulInteger"}
# Ops whose MACs this reference does not count (other rules exist for them in lib/cost); a model
# holding one is "n/a" for the MAC comparison.
OTHER_MAC_OPS = {"LSTM", "GRU", "RNN", "Einsum", "Attention", "MultiHeadAttention", "DeformConv",
                 "LayerNormalization", "BatchNormalization", "InstanceNormalization",
                 "GroupNormalization", "LpNormalization", "ReduceSum", "Softmax", "Trilu"}


def shape_of(name, shapes):
    s = shapes.get(name)
    if s is None or any(d is None for d in s):
        return None
    return s


def prod(v):
    out = 1
    for x in v:
        out *= x
    return out


def reference_macs(path):
    """MACs of Conv/Gemm/MatMul-family nodes by python3-onnx's shape inference, or (None, why)."""
    try:
        model = onnx.load(path)
        inferred = shape_inference.infer_shapes(model, data_prop=True)
    except Exception as e:  # noqa: BLE001 - the reference declines, it does not judge
        return None, "onnx: " + str(e).splitlines()[0][:60]
    g = inferred.graph
    shapes = {}
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        t = vi.type.tensor_type
        if not t.HasField("shape"):
            continue
        shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
    total = 0
    for n in g.node:
        if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for a in n.attribute):
            return None, "subgraph"
        if n.domain not in ("", "ai.onnx"):
            if n.domain == "ai.onnx.ml":
                continue
            return None, "domain " + n.domain
        if n.op_type in OTHER_MAC_OPS:
            return None, n.op_type
        if n.op_type not in MAC_OPS:
            continue
        if n.op_type in ("Conv", "ConvInteger", "QLinearConv"):
            w = shape_of(n.input[3 if n.op_type == "QLinearConv" else 1], shapes)
            y = shape_of(n.output[0], shapes)
            if w is None or y is None:
                return None, "shape of " + n.op_type
            total += prod(y) * prod(w[1:])
        elif n.op_type == "ConvTranspose":
            x, w = shape_of(n.input[0], shapes), shape_of(n.input[1], shapes)
            if x is None or w is None:
                return None, "shape of ConvTranspose"
            total += prod(x) * prod(w[1:])
        elif n.op_type == "Gemm":
            a, y = shape_of(n.input[0], shapes), shape_of(n.output[0], shapes)
            if a is None or y is None:
                return None, "shape of Gemm"
            trans_a = any(at.name == "transA" and at.i for at in n.attribute)
            total += prod(y) * (a[0] if trans_a else a[1])
        else:  # MatMul, MatMulInteger, QLinearMatMul
            a = shape_of(n.input[0], shapes)
            y = shape_of(n.output[0], shapes)
            if a is None or y is None:
                return None, "shape of " + n.op_type
            total += prod(y) * a[-1]
    return total, ""


def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", "", ""


def crashed(rc):
    return rc == "timeout" or (isinstance(rc, int) and (rc < 0 or rc == 4 or rc > 4))


def one_line(err):
    lines = [l for l in err.splitlines() if l.strip() and "warning" not in l]
    return (lines[-1] if lines else "")[:140]


def check(path, label, tools, args, extra):
    row = {"model": label, "findings": []}
    rc, out, err = run([os.path.join(tools, "sml-estimate"), path, "--format", "json", "--quiet"] + extra)
    row["estimate_rc"] = rc
    ref, why = reference_macs(path)
    row["ref_macs"] = ref if ref is not None else "n/a:" + why
    if crashed(rc):
        row["findings"].append("crash: estimate exit %s %s" % (rc, one_line(err)))
    elif rc == 0:
        doc = json.loads(out)
        prof = doc["profile"]
        tot, cov = prof["total"], prof["coverage"]
        row["macs"] = tot["macs"]
        row["complete"] = cov["complete"]
        if cov["complete"] and tot["uncounted_nodes"]:
            row["findings"].append("complete? coverage complete with uncounted nodes")
        if not cov["complete"] and not tot["uncounted_nodes"] and not cov.get("defaulted_dims") \
                and not cov.get("assumed_branches") and not any(l.get("output_shape") is None for l in prof.get("layers", [])):
            row["findings"].append("complete? coverage incomplete without a reason listed")
        if ref is not None and cov["complete"]:
            if tot["macs"] == 0 and ref > 0:
                row["findings"].append("silent-0: macs 0, reference %d" % ref)
            elif tot["macs"] != ref:
                row["findings"].append("wrong-macs: %d, reference %d" % (tot["macs"], ref))
        for l in prof.get("layers", []):
            if l.get("macs") is None and cov["complete"]:
                row["findings"].append("layer %s has no macs but coverage complete" % l.get("name"))
                break
    else:
        row["message"] = one_line(err)
        if not row["message"] or ":" not in row["message"]:
            row["findings"].append("refusal without a message naming the file (exit %s)" % rc)
    if not args.no_accelsim:
        rc2, out2, err2 = run([os.path.join(tools, "sml-accelsim"), path, "--format", "json", "--quiet",
                               "--no-stalls"] + extra)
        row["accelsim_rc"] = rc2
        if crashed(rc2):
            row["findings"].append("crash: accelsim exit %s %s" % (rc2, one_line(err2)))
        elif rc2 == 0:
            t = json.loads(out2).get("total", {})
            if row.get("macs") and t.get("macs") is not None and t["macs"] > row["macs"]:
                row["findings"].append("accelsim simulates %d MACs > profiled %d" % (t["macs"], row["macs"]))
        elif rc == 0 and row.get("macs"):
            row["accelsim_msg"] = one_line(err2)
    if not args.no_compose:
        with tempfile.TemporaryDirectory() as tmp:
            out_path = os.path.join(tmp, "out.onnx")
            rc3, _, err3 = run([os.path.join(tools, "sml-compose"), "--import", path, "-o", out_path, "--quiet"])
            row["compose_rc"] = rc3
            if crashed(rc3):
                row["findings"].append("crash: compose exit %s %s" % (rc3, one_line(err3)))
            elif rc3 == 0:
                try:
                    onnx.checker.check_model(out_path)
                except Exception as e:  # noqa: BLE001
                    # Only a finding when the checker accepts the input itself.
                    try:
                        onnx.checker.check_model(path)
                        row["findings"].append("compose wrote a file the checker refuses: " + str(e).splitlines()[0][:100])
                    except Exception:  # noqa: BLE001
                        pass
            elif rc == 0:
                row["compose_msg"] = one_line(err3)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tools")
    ap.add_argument("--exports", help="folder written by bench/thirdparty_make.py (its index.json)")
    ap.add_argument("--testdata", default="/usr/share/libonnx-testdata/data")
    ap.add_argument("--tsv")
    ap.add_argument("--only")
    ap.add_argument("--no-accelsim", action="store_true")
    ap.add_argument("--no-compose", action="store_true")
    args = ap.parse_args()
    todo = []
    if os.path.isdir(args.testdata):
        for root, _, files in os.walk(args.testdata):
            if "model.onnx" in files:
                todo.append((os.path.join(root, "model.onnx"),
                             "libonnx-testdata/" + os.path.relpath(root, args.testdata), []))
    if args.exports:
        with open(os.path.join(args.exports, "index.json")) as f:
            for e in json.load(f):
                extra = []
                for k, v in e.get("input_shape", {}).items():
                    extra += ["--input-shape", "%s=%s" % (k, v)]
                todo.append((os.path.join(args.exports, e["file"]), "export/" + e["file"], extra))
    todo.sort()
    if args.only:
        todo = [t for t in todo if args.only in t[1]]
    rows = []
    for path, label, extra in todo:
        row = check(path, label, args.tools, args, extra)
        rows.append(row)
        if row["findings"] or label.startswith("export/"):
            print("%-70s est=%s acc=%s cmp=%s macs=%s ref=%s %s" % (
                label, row["estimate_rc"], row.get("accelsim_rc", "-"), row.get("compose_rc", "-"),
                row.get("macs", "-"), row["ref_macs"], "; ".join(row["findings"]) or row.get("message", "")),
                flush=True)
    n = len(rows)
    count = lambda pred: sum(1 for r in rows if pred(r))  # noqa: E731
    print("files %d; sml-estimate exit 0: %d, exit 2: %d, crashes: %d; MACs compared with the reference: %d, "
          "equal: %d; files with a finding: %d" % (
              n, count(lambda r: r["estimate_rc"] == 0), count(lambda r: r["estimate_rc"] == 2),
              count(lambda r: any(f.startswith("crash") for f in r["findings"])),
              count(lambda r: isinstance(r["ref_macs"], int) and r.get("complete")),
              count(lambda r: isinstance(r["ref_macs"], int) and r.get("complete") and r.get("macs") == r["ref_macs"]),
              count(lambda r: r["findings"])))
    if args.tsv:
        with open(args.tsv, "w") as f:
            f.write("model\testimate_rc\taccelsim_rc\tcompose_rc\tmacs\treference_macs\tfindings\n")
            for r in rows:
                f.write("\t".join(str(x) for x in (r["model"], r["estimate_rc"], r.get("accelsim_rc", "-"),
                                                   r.get("compose_rc", "-"), r.get("macs", "-"), r["ref_macs"],
                                                   "; ".join(r["findings"]))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
