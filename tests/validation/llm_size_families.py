#!/usr/bin/python3
"""Does an LLM's size set its training utilisation? (issue 17, training19; a diagnosis, nothing is fitted.)

    /usr/bin/python3 tests/validation/llm_size_families.py

The Llama 3 / 3.1 8B rows run 34-41% longer than sml-estimate predicts. A size effect in the model
(utilisation conditioned on scale, a larger attention or per-layer overhead share at small width)
would show within every family that trains several sizes with one code base on one device, and at
the same size across families. For each such family of training_footprints.yaml this prints, per
row, its role, device, precision, device count, active parameters and u: the model FLOPs
(validate_training.training_flops: 6ND plus attention where the row states its shape) over
device-seconds x the device's 16-bit peak, for the FP8 rows too, so that sizes compare
(fit_training_utilization.whole_run_utilization).
Rows of every role are printed (most are validation rows); nothing here sets a parameter.
The families are chosen by id before looking at u: every row whose id starts with the prefix.
"""
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fit_training_utilization as F  # noqa: E402
from validate_training import role_of  # noqa: E402

# One code base and cluster per family (the sources named in each row).
FAMILIES = [
    ("Pythia (GPT-NeoX, A100-40GB, 300B tokens, seq 2048)", ("pythia-",)),
    ("LLaMA 1 (A100-80GB, seq 2048)", ("llama-1-",)),
    ("Llama 2 (A100-80GB, 2T tokens, seq 4096)", ("llama-2-",)),
    ("Llama 3 / 3.1 (H100, 15T tokens, seq 8192)", ("llama-3-", "llama-3.1-")),
    ("Phi (H100)", ("phi-3", "phi-4")),
    ("MLPerf Training Llama 3.1 8B / 405B in FP8 (NeMo; u against the 16-bit peak)", ("mlperf51-", "mlperf50-")),
]


def main():
    runs = yaml.safe_load(open(os.path.join(HERE, "training_footprints.yaml")))["runs"]
    for title, prefixes in FAMILIES:
        rows = []
        for r in runs:
            if not r["id"].startswith(prefixes) or r["device"] not in F.DEVICES:
                continue
            u = F.whole_run_utilization(r)
            if u is None:
                continue
            precision = r.get("precision") or F.DEVICES[r["device"]][1]
            rows.append((r.get("active_params") or r["params"], r["id"], role_of(r), r["device"], precision,
                         r.get("device_count") or "-", u))
        if not rows:
            continue
        print(title)
        for n, rid, role, device, precision, count, u in sorted(rows):
            print("  %-40s %-10s %-17s %-5s %6s  N %8.3g  u %.3f" % (rid, role, device, precision, count, n, u))
        print()


if __name__ == "__main__":
    main()
