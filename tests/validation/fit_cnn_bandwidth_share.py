#!/usr/bin/python3
"""Fit the share of a GPU's memory bandwidth that the memory-bound layers of a stock PyTorch
training step reach (the cnn kind's memory_bandwidth_share in catalog/footprint.yaml, issue 17).

    /usr/bin/python3 tests/validation/fit_cnn_bandwidth_share.py [path/to/sml-estimate]

Rows: tests/validation/training_cnn_throughput.yaml (timm's training-throughput table, one RTX 3090,
23 CNNs of very different shapes, all role fit). Each architecture is composed by sml-compose and
profiled by sml-estimate at the row's batch and image size; per layer, a training step does
training_flops_factor x its FLOPs at the device's fp16 peak and moves training_flops_factor x its
elements at the bandwidth x share, and takes the longer of the two (the per-layer roofline of
lib/hw/roofline.cpp with the bandwidth held to the share). For each share s on a grid, each row's
u(s) = roofline step time(s) / measured step time (batch / samples per second); the fitted share is
the one whose u(s) vary least across the architectures (the least standard deviation of ln u): a
single u then stands for networks whose time is mostly arithmetic (VGG, ResNet) and mostly data
movement (MobileNet, RegNet, DenseNet) alike. Without the share (s = 1) the same rows' u differ by
the share of their roofline that is memory-bound, which is the EfficientNet miss of the cnn cells.
"""
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
TOOL = next((a for a in sys.argv[1:] if not a.startswith("--")), os.path.join(ROOT, "build/tools/sml-estimate"))
sys.path.insert(0, HERE)
from validate_training import model_input  # noqa: E402


def profiles(doc):
    compose = os.path.join(os.path.dirname(TOOL), "sml-compose")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in doc["runs"]:
            path = os.path.join(tmp, run["arch"] + ".onnx")
            subprocess.run([compose, "--arch", run["arch"], "--weights", "zeros", "-q", "-o", path], check=True)
            name, dims = model_input(path)
            shape = "%s=%dx%s" % (name, run["batch"], "x".join(str(d) for d in [dims[1], run["image"], run["image"]]))
            res = subprocess.run([TOOL, "--format", "json", "-q", path, "--batch", str(run["batch"]), "--input-shape", shape],
                                 capture_output=True, text=True, check=True)
            out[run["id"]] = json.loads(res.stdout)["profile"]["layers"]
    return out


def step_time(layers, factor, peak, bandwidth, bpe, share):
    return sum(max(factor * l["flops"] / peak, factor * l.get("elements_moved", 0) * bpe / (bandwidth * share)) for l in layers)


def main():
    doc = yaml.safe_load(open(os.path.join(HERE, "training_cnn_throughput.yaml")))
    catalog = yaml.safe_load(open(os.path.join(ROOT, "catalog/footprint.yaml")))
    factor = catalog["training_flops_factor"]["value"]
    dev = yaml.safe_load(open(os.path.join(ROOT, "hw/devices", doc["device"] + ".yaml")))
    peak = dev["peak_flops"][doc["precision"]]["value"]
    bandwidth = dev["memory_bandwidth_bytes_per_s"]["value"]
    bpe = 2
    layers = profiles(doc)
    measured = {r["id"]: r["batch"] / r["samples_per_s"] for r in doc["runs"]}

    def us(share):
        return {i: step_time(layers[i], factor, peak, bandwidth, bpe, share) / measured[i] for i in layers}

    grid = [s / 1000 for s in range(50, 1001, 5)]
    table = {s: us(s) for s in grid}
    scored = [(statistics.pstdev(math.log(u) for u in table[s].values()), s) for s in grid]
    sd, best = min(scored)
    print("share  sd(ln u)")
    for s_sd, s in scored[::10]:
        print("%.3f  %.4f" % (s, s_sd))
    print()
    for share in (1.0, best):
        u = us(share)
        med = statistics.median(u.values())
        print("share %.3f: sd(ln u) %.4f, median u %.4f, u / median min x%.3f max x%.3f" % (
            share, statistics.pstdev(math.log(x) for x in u.values()), med, min(u.values()) / med, max(u.values()) / med))
        for i in sorted(u, key=u.get):
            print("   %-26s u %.4f  (x%.3f of the median)" % (i, u[i], u[i] / med))
    # Leave-one-out: the share fitted without each row, so a reader sees how firmly the rows fix it.
    loo = []
    for leave in layers:
        rest = [i for i in layers if i != leave]
        loo.append(min((statistics.pstdev(math.log(table[s][i]) for i in rest), s) for s in grid)[1])
    print("fitted memory_bandwidth_share %.3f (sd of ln u %.4f); leave-one-out shares %.3f-%.3f" % (best, sd, min(loo), max(loo)))


if __name__ == "__main__":
    sys.exit(main())
