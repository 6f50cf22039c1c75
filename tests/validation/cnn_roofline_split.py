#!/usr/bin/python3
"""Take the CNN training rows apart layer by layer: where the per-layer roofline of a training step
spends its time, and what share of it each published run achieved.

    /usr/bin/python3 tests/validation/cnn_roofline_split.py [path/to/sml-estimate] [--depthwise K]

For each row of training_cnn_runs.yaml (the architecture composed by sml-compose and profiled by
sml-estimate at the row's per-GPU batch, as validate_training.py costs it), from the profile's
layer rows (flops, elements_moved) and the device's peak and bandwidth in hw/devices:
  split      the roofline time of one training step (training_flops_factor x each layer's FLOPs and
             elements moved, the longer of the two per layer) by op class, and the share of it in
             compute-bound layers (cb)
  u_1gpu     roofline time of the run / published time to train, taken back to one device through
             the cell's scaling_per_doubling (catalog/footprint.yaml): the utilisation one number per
             (generation, precision, stack) must stand for
  cell       the reference or optimised cell sml-estimate applies (fitted on ResNet-50); against a
             reference cell the roofline moves data at the cnn kind's memory_bandwidth_share of
             the bandwidth, as sml-estimate costs it
Op classes: conv (a Conv whose reduction per output element, MACs / output elements, is 32 or
more; Gemm, MatMul), depthwise (a Conv with less: depthwise and other thin grouped convolutions),
normalisation (BatchNormalization and the other *Normalization ops), elementwise (the ops a fusing
runtime folds into their producer, kernels.cpp fused_elementwise), other (pooling, reductions,
data movement).

--depthwise K multiplies the memory time of depthwise layers by K and reprints each EfficientNet
row's error under the cells: the per-op-class factor for depthwise convolutions, tried with
K = 2..3, the speed-up over cuDNN of the depthwise kernels of Lu et al., "Optimizing Depthwise
Separable Convolution Operations on GPUs", IEEE TPDS 33(1), 2021 (abstract: 'over 2x (up to 3x)').
"""
import collections
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEPTHWISE = None
if "--depthwise" in sys.argv:
    at = sys.argv.index("--depthwise")
    DEPTHWISE = float(sys.argv[at + 1])
    del sys.argv[at:at + 2]  # validate_training reads the tool's path from the remaining arguments
TOOL = next((a for a in sys.argv[1:] if not a.startswith("--")), os.path.join(ROOT, "build/tools/sml-estimate"))
sys.path.insert(0, HERE)
from validate_training import CNN_DEVICES, CNN_PRECISION, cnn_stack, model_input  # noqa: E402
ELEMENTWISE = {"Relu", "Clip", "Add", "Sub", "Mul", "Div", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf",
               "Gelu", "Cast", "Identity", "Dropout", "Pow", "Sqrt", "Neg", "Exp", "LeakyRelu", "PRelu", "Elu",
               "Selu", "Softplus"}


def op_class(layer):
    if layer["op"] in ("Conv", "ConvTranspose"):
        out = math.prod(layer["output_shape"]) if isinstance(layer["output_shape"], list) else 0
        return "depthwise" if out and layer["macs"] / out < 32 else "conv"
    if layer["op"] in ("Gemm", "MatMul"):
        return "conv"
    if layer["op"].endswith("Normalization"):
        return "normalisation"
    return "elementwise" if layer["op"] in ELEMENTWISE else "other"


def device(dev_id):
    d = yaml.safe_load(open(os.path.join(ROOT, "hw/devices", dev_id + ".yaml")))
    return {p: f["value"] for p, f in d["peak_flops"].items() if f.get("value")}, d["memory_bandwidth_bytes_per_s"]["value"]


def main():
    catalog = yaml.safe_load(open(os.path.join(ROOT, "catalog/footprint.yaml")))
    factor = catalog["training_flops_factor"]["value"]
    cnn = next(k for k in catalog["training_utilization"]["kinds"] if k["kind"] == "cnn")
    doc = yaml.safe_load(open(os.path.join(HERE, "training_cnn_runs.yaml")))
    compose = os.path.join(os.path.dirname(TOOL), "sml-compose")
    profiles = {}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in doc["runs"]:
            key = (run["arch"], run["batch"])
            if key not in profiles:
                path = os.path.join(tmp, run["arch"] + ".onnx")
                if not os.path.exists(path):
                    subprocess.run([compose, "--arch", run["arch"], "--weights", "zeros", "-q", "-o", path], check=True)
                name, dims = model_input(path)
                shape = "%s=%dx%s" % (name, run["batch"], "x".join(str(d) for d in dims[1:]))
                out = subprocess.run([TOOL, "--format", "json", "-q", path, "--batch", str(run["batch"]), "--input-shape", shape],
                                     capture_output=True, text=True, check=True)
                profiles[key] = json.loads(out.stdout)["profile"]["layers"]
            dev_id = CNN_DEVICES[run["device"]]
            precision = CNN_PRECISION[run["precision"]]
            peaks, bandwidth = device(dev_id)
            bpe = 2 if precision in ("fp16", "bf16") else 4
            stack = cnn_stack(run)
            gen = next(g for g in ("V100", "A100", "H100") if g.lower() in run["device"])
            width = "16" if precision in ("fp16", "bf16") else "32"
            cells = [c for c in cnn["cells"] if c["match"] == gen and (c.get("stack") or "reference") == stack
                     and (("fp16" in c["precisions"]) == (width == "16"))]
            if not cells:  # an optimised plan with no optimised cell takes the reference cell
                cells = [c for c in cnn["cells"] if c["match"] == gen and (c.get("stack") or "reference") == "reference"
                         and (("fp16" in c["precisions"]) == (width == "16"))]
            cell = cells[0] if cells else None
            # A reference cell is fitted against the roofline with data movement at the kind's
            # memory_bandwidth_share of the bandwidth (as sml-estimate costs it); an optimised one at all of it.
            share = cnn.get("memory_bandwidth_share", 1) if cell and (cell.get("stack") or "reference") == "reference" else 1
            split, compute_bound = collections.defaultdict(float), 0.0
            for layer in profiles[key]:
                c = factor * layer["flops"] / peaks[precision]
                m = factor * layer.get("elements_moved", 0) * bpe / (bandwidth * share)
                cls = op_class(layer)
                if DEPTHWISE and cls == "depthwise":
                    m *= DEPTHWISE
                split[cls] += max(c, m)
                compute_bound += c if c >= m else 0
            step = sum(split.values())
            ideal_h = step * doc["imagenet_train_images"] * run["epochs"] / run["batch"] / run["devices"] / 3600
            scale = cell.get("scaling_per_doubling", 1) ** math.log2(run["devices"]) if cell else 1
            u = ideal_h / run["hours"]
            rows.append((run, split, compute_bound / step, u / scale, cell, (ideal_h / (cell["value"] * scale)) / run["hours"] - 1 if cell else None))
    classes = ["conv", "depthwise", "normalisation", "elementwise", "other"]
    print("row  role  arch  device  precision  batch  " + "  ".join(classes) + "  cb  u_1gpu  cell  error")
    for run, split, cb, u1, cell, err in rows:
        step = sum(split.values())
        print("  ".join([run["id"], run["role"], run["arch"], run["device"], run["precision"], str(run["batch"])] +
                        ["%.0f%%" % (100 * split[c] / step) for c in classes] +
                        ["%.0f%%" % (100 * cb), "%.3f" % u1, "%.3f" % cell["value"] if cell else "-",
                         "%+.0f%%" % (100 * err) if err is not None else "-"]))
    print()
    print("u_1gpu by architecture, generation and precision (median, min-max; the cell in brackets):")
    groups = collections.defaultdict(list)
    for run, split, cb, u1, cell, err in rows:
        groups[(run["arch"], run["device"].split("-")[1], run["precision"], cnn_stack(run), cell["value"] if cell else None)].append(u1)
    for (arch, gen, precision, stack, value), us in sorted(groups.items()):
        print("  %-16s %-5s %-5s %-9s runs %2d  u_1gpu %.3f (%.3f-%.3f)  [cell %s]" % (
            arch, gen, precision, stack, len(us), statistics.median(us), min(us), max(us), "%.3f" % value if value else "-"))
    # Inside the band: expected / published within the kind's spread (the u band, low..high).
    spread = cnn["spread"]
    errs = [err for run, _, _, _, _, err in rows if run["arch"] != "resnet50" and err is not None]
    inside = sum(spread["low"] <= 1 + e <= spread["high"] for e in errs)
    print("EfficientNet rows under the cells%s: inside %d/%d, median |error| %.1f%%" % (
        " with depthwise memory time x %g" % DEPTHWISE if DEPTHWISE else "", inside, len(errs),
        100 * statistics.median(abs(e) for e in errs)))


if __name__ == "__main__":
    sys.exit(main())
