#!/usr/bin/python3
"""Which run conditions explain the LLM fit rows' utilisation beyond generation, kind and size?
(issue 17; fit rows only: no validation row is read.)

    /usr/bin/python3 tests/validation/utilization_conditions.py

For each fit row of training_footprints.yaml it prints u (model FLOPs / device-seconds x peak,
fit_training_utilization.py's) over the fitted model's prediction, and the conditions the row
itself states: device count, active parameters per device, training sequence length, the year of
its source (the first year its source field names) and its activation recomputation
(recompute_source). Per condition it prints the least-squares slope of ln(observed / predicted) on
ln(condition) within each generation holding two or more rows that state it: a condition that
explains the spread has slopes of one sign across generations and moves ln u by more than the
leave-one-out spread. Recomputation is the one condition with a mechanism of a known size (full
recomputation: 6ND model FLOPs of 8ND hardware FLOPs), so it is not fitted here.
"""
import math
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fit_training_utilization as F  # noqa: E402
from validate_training import kind_of, role_of  # noqa: E402


def main():
    runs = yaml.safe_load(open(os.path.join(HERE, "training_footprints.yaml")))["runs"]
    rows = []
    for r in runs:
        u = F.whole_run_utilization(r)
        if u is None or r["device"] not in F.GENERATION or role_of(r) != "fit":
            continue
        n = r.get("active_params") or r.get("params")
        year = re.search(r"\b(19|20)\d\d\b", str(r.get("source", "")))
        rows.append(dict(id=r["id"], u=u, g=F.GENERATION[r["device"]], kind=kind_of(r), role="fit", n=n, rc=r.get("recompute") or "",
                         devices=r.get("device_count"), per_device=n / r["device_count"] if r.get("device_count") else None,
                         seq=r.get("seq_len"), year=int(year.group(0)) if year else None))
    b, gen, moe, _ = F.fit_model(rows)
    predict = F.predictor(b, gen, moe)
    print("%-26s %-7s %6s %9s %9s %6s %5s %-9s %s" % ("fit row", "gen", "u", "obs/pred", "devices", "N/dev", "seq", "src year", "recompute"))
    for r in rows:
        r["res"] = math.log(r["u"] / predict(r))
        print("%-26s %-7s %6.3f %9.3f %9s %6s %5s %-9s %s" % (
            r["id"], r["g"], r["u"], math.exp(r["res"]), r["devices"] or "-",
            "%.2g" % r["per_device"] if r["per_device"] else "-", r["seq"] or "-", r["year"] or "-", r["rc"] or "-"))
    print()
    # The year column is the first year a row's source names (often a later paper about the run, e.g.
    # Patterson et al. 2021 for T5, Meena, GShard, Switch and GPT-3): within a generation the runs
    # span at most two years, so the stack's generation cannot be told apart from the chip's here.
    for cond in ("devices", "per_device", "seq"):
        slopes = []
        for g in sorted(gen):
            sel = [r for r in rows if r["g"] == g and r[cond]]
            xs = [math.log(r[cond]) for r in sel]
            if len(sel) < 2 or max(xs) == min(xs):
                continue
            mx = sum(xs) / len(xs)
            my = sum(r["res"] for r in sel) / len(sel)
            sxx = sum((x - mx) ** 2 for x in xs)
            slope = sum((x - mx) * (r["res"] - my) for x, r in zip(xs, sel)) / sxx
            slopes.append("%s %+.3f (%d rows)" % (g, slope, len(sel)))
        print("%-10s slope of ln(obs/pred) on ln(condition) within generation: %s" % (cond, "; ".join(slopes) or "no generation with two values"))


if __name__ == "__main__":
    main()
