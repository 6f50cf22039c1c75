#!/usr/bin/python3
"""Fit the encoder-decoder training-utilisation cells of catalog/footprint.yaml.

    /usr/bin/python3 tests/validation/fit_encoder_decoder_utilization.py

Reads training_encdec_runs.yaml (every row role fit) and hw/devices for the peaks, and prints
u = tokens/s per GPU x 6 x params / peak for each row, each cell (the 8-GPU row of its chip and
precision, marked cell: true) and the spread: the other rows' u over their cell's. Then the TPU rows
(tpu_runs: MLPerf Training v0.6 times to train): u per result file from its epochs and seconds, the
median per system, and the cell (the system marked cell: true). No validation row
(training_footprints.yaml, kind encoder-decoder) is read.
"""
import os
import statistics

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PRECISION = {"amp": "fp16", "fp32": "fp32", "tf32": "tf32", "bf16": "bf16"}


def peak(device, precision):
    d = yaml.safe_load(open(os.path.join(ROOT, "hw/devices", device + ".yaml")))
    return d["peak_flops"][PRECISION[precision]]["value"]


def main():
    doc = yaml.safe_load(open(os.path.join(HERE, "training_encdec_runs.yaml")))
    flops_per_token = 6 * doc["params"]
    rows = []
    for r in doc["runs"]:
        u = r["tokens_per_s"] / r["gpus"] * flops_per_token / peak(r["device"], r["precision"])
        rows.append(dict(r, u=u))
        print("%-36s %-9s %2d GPUs %-4s u %.4f" % (r["id"], r["system"], r["gpus"], r["precision"], u))
    cells = {(r["device"], r["precision"]): r["u"] for r in rows if r.get("cell")}
    for (device, precision), u in sorted(cells.items()):
        print("cell %-22s %-4s %.4f" % (device, precision, u))
    ratios = sorted(r["u"] / cells[(r["device"], r["precision"])] for r in rows if not r.get("cell"))
    print("spread (other rows / their cell): %.3f to %.3f over %d rows" % (ratios[0], ratios[-1], len(ratios)))
    same = cells[("nvidia-a100-sxm4-40gb", "amp")] / cells[("nvidia-v100-sxm2-32gb", "amp")]
    print("A100 / V100 mixed-precision cells: %.3f" % same)
    # TPU rows: token slots trained / time to train, per chip, over the chip's bf16 peak.
    tpu_cells = {}
    for r in doc.get("tpu_runs", []):
        slots_per_epoch = r["steps_per_epoch"] * r["global_batch"] * doc["packed_length"]
        us = [epochs * slots_per_epoch * flops_per_token / (seconds * r["chips"] * peak(r["device"], r["precision"]))
              for epochs, seconds in r["results"]]
        u = statistics.median(us)
        print("%-38s %-11s %4d chips %5d tokens/core u %.4f (runs %.4f to %.4f)%s"
              % (r["id"], r["system"], r["chips"], r["global_batch"] * doc["packed_length"] // r["cores"], u,
                 min(us), max(us), "  <- cell" if r.get("cell") else ""))
        if r.get("cell"):
            tpu_cells[(r["device"], r["precision"])] = u
    for (device, precision), u in sorted(tpu_cells.items()):
        print("cell %-22s %-4s %.4f" % (device, precision, u))


if __name__ == "__main__":
    main()
