#!/usr/bin/python3
"""Fit the conditioned training utilisation (catalog/footprint.yaml, training_utilization:) on the
fit rows of training_footprints.yaml, and print what it predicts for every row.

    /usr/bin/python3 tests/validation/fit_training_utilization.py

Model (issue 17), per whole run: achieved model-FLOPs utilisation
    u = generation[g] x kind[k] x (N_active / 10e9) ^ size_exponent
  generation[g]  geometric mean, over the dense fit rows on generation g, of u / size term
  size_exponent  least squares of log u on log N with one intercept per generation (dense fit rows)
  kind[moe]      geometric mean of u / (dense prediction) over the mixture-of-experts fit rows
  spread         min and max of u_observed / u_predicted over all fit rows (the band)
Whole-run u = training FLOPs / (device-seconds x dense peak at the run's precision); FLOPs are the
published figure, else 6 x active params x tokens plus the attention scores and values (12 x layers
x seq len x attention width per token, PaLM's model FLOPs) where the row states its architecture and
training sequence length (validate_training.training_flops, what sml-estimate is given); device-
seconds the published device-hours, else devices x days. Peaks are read from hw/devices (the catalogue id validate_training.py uses).

Activation recomputation (6 Dec, training12): a fit row may state the recomputation its run used
(recompute: full | selective | none, with recompute_source). A generation whose fit rows all state
the same one carries it (catalogue generations[].recompute); a row stated otherwise is predicted at
FULL_OVER_NONE (3/4) or its inverse, as sml-estimate --activation-recompute does. Not fitted: the
factor is FLOP accounting (full recomputation runs each layer's forward again: 8ND hardware FLOPs
for 6ND model FLOPs). --no-recompute prints the predictions without it.
utilization_conditions.py prints the other conditions (device count, parameters per device,
sequence length) against these fit rows' residuals.

--6nd fits the same model with every row's FLOPs as 6ND alone (catalog training_utilization_6nd:,
for runs given without their shape): a utilisation is a ratio to a FLOP count, so each run is priced
with the fit made under the count its own FLOPs follow.

Which rows fit (the rule, fixed before fitting): the runs fitted before issue 17 (FITTED in
validate_training.py) stay fit rows; of the rows added for issue 17, per source family the first
released model of each kind fits (Phi-3-mini and Phi-3-medium, April 2024, for dense H100 runs;
Phi-3.5-MoE, the first MoE with a published H100 count and duration; MPT-7B for the A100 40GB) and
every later one validates (Phi-3.5-mini, Phi-4, GRIN MoE, TinyLlama, Pythia). Rows fitted never
check the fit: validate_training.py reports them apart.

CNN kind (training_cnn_runs.yaml; --cnn prints its fit): a profiled network is costed per layer,
so its utilisation is measured against that ideal, not FLOPs / peak:
    u = per-layer roofline time of the training run (sml-estimate's ideal) / published time to train
  cell[generation, precision]  u of the cell's 1-GPU fit row (one device's utilisation; precision
                               class 16-bit: fp16/bf16; 32-bit: fp32 on Volta, tf32 on Ampere)
  scaling_per_doubling         (published 8-GPU strong scaling / 8)^(1/3), from the same README's
                               throughput table: u at N GPUs = cell x scaling_per_doubling^log2(N)
  spread       min and max over the 8 fit rows of u / the prediction from the other row of its
               cell through the scaling
  cell_spread  min and max of the cell values over their median (a generation or precision with no cell)
Which CNN rows fit (the rule, fixed before fitting, before any CNN row was costed): the first
table of NVIDIA DeepLearningExamples' ResNet-50 v1.5, its PyTorch README (8 rows: A100 and V100,
1 and 8 GPUs, mixed and 32-bit precision); every other framework's ResNet-50 (MXNet, TensorFlow)
and every other architecture (EfficientNet-B0/B4, TensorFlow 2) validates.
Cells are also keyed by the training stack (validate_training.cnn_stack: reference, or optimised
for NVIDIA's MLPerf implementation). The optimised cells (added 6 Dec, fourth stop) are fitted on
one 8-GPU MLPerf row per chip, the earliest round with an NVIDIA MXNet submission on it (v1.1 DGX
A100, v2.1 DGX H100 preview), taken back to one device through the MXNet README's scaling; every
later round and every other submitter validates.
"""
import math
import os
import statistics
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from validate_training import DEVICES, FITTED, role_of, kind_of, cnn_estimates, cnn_stack, training_flops, attention_args  # noqa: E402

# Generation names as the devices' device/v1 generation spells them (FootprintModel matches them exactly).
GENERATION = {"nvidia-v100": "Volta", "nvidia-a100-40gb": "Ampere", "nvidia-a100-80gb": "Ampere",
              "nvidia-h100": "Hopper", "google-tpu-v3": "TPU v3", "google-tpu-v4": "TPU v4"}
N_REF = 10e9
# Model-FLOPs utilisation under full activation recomputation over none, at the same hardware
# utilisation: the backward pass runs each layer's forward again, 8ND of hardware FLOPs for 6ND of
# model FLOPs (Korthikanti et al. 2022, arXiv:2205.05198, Section 5 and Table 4's MFU/HFU; PaLM,
# arXiv:2204.02311, Appendix B). Selective recomputation costs a few per cent: counted as none.
FULL_OVER_NONE = 0.75


def peak(device_id, precision):
    d = yaml.safe_load(open(os.path.join(ROOT, "hw/devices", device_id + ".yaml")))
    return float(d["peak_flops"][precision]["value"])


def whole_run_utilization(run):
    flops = training_flops(run)
    if "--6nd" in sys.argv and not run.get("train_flops"):
        # catalog/footprint.yaml training_utilization_6nd: the same fit with FLOPs as 6ND alone.
        n = run.get("active_params") or run.get("params")
        flops = 6 * n * run["train_tokens"] if n and run.get("train_tokens") else None
    if run.get("device_hours"):
        seconds = run["device_hours"] * 3600
    elif run.get("device_count") and run.get("duration_days"):
        seconds = run["device_count"] * run["duration_days"] * 86400
    else:
        return None
    if not flops or run["device"] not in DEVICES:
        return None
    device_id, precision = DEVICES[run["device"]]
    return flops / (seconds * peak(device_id, precision))


def fit_model(fit):
    """(size exponent, {generation: centre}, moe factor) from the fit rows FIT."""
    dense = [r for r in fit if r["kind"] == "dense-lm"]
    # Size exponent: within-generation least squares (generation fixed effects), dense fit rows.
    gens = sorted({r["g"] for r in dense})
    xs, ys = [], []
    for g in gens:
        sel = [r for r in dense if r["g"] == g]
        if len(sel) < 2:
            continue
        mx = statistics.mean(math.log(r["n"] / N_REF) for r in sel)
        my = statistics.mean(math.log(r["u"]) for r in sel)
        xs += [math.log(r["n"] / N_REF) - mx for r in sel]
        ys += [math.log(r["u"]) - my for r in sel]
    b = sum(x * y for x, y in zip(xs, ys)) / sum(x * x for x in xs)
    gen = {g: math.exp(statistics.mean(math.log(r["u"] / (r["n"] / N_REF) ** b) for r in dense if r["g"] == g)) for g in gens}
    moe_fit = [r for r in fit if r["kind"] == "moe-lm" and r["g"] in gen]
    moe = math.exp(statistics.mean(math.log(r["u"] / (gen[r["g"]] * (r["n"] / N_REF) ** b)) for r in moe_fit))
    return b, gen, moe, len(xs)


GEN_RECOMPUTE = {}


def recompute_factor(r):
    """As sml-estimate applies --activation-recompute: only against a generation whose fit runs all
    state theirs, full against none/selective moves the centre by FULL_OVER_NONE (or its inverse)."""
    fit_rc = GEN_RECOMPUTE.get(r["g"], "")
    if "--no-recompute" in sys.argv or not r.get("rc") or not fit_rc or (r["rc"] == "full") == (fit_rc == "full"):
        return 1
    return FULL_OVER_NONE if r["rc"] == "full" else 1 / FULL_OVER_NONE


def predictor(b, gen, moe):
    return lambda r: (gen.get(r["g"], statistics.median(gen.values())) * (r["n"] / N_REF) ** b *
                      (moe if r["kind"] == "moe-lm" else 1) * recompute_factor(r))


def main():
    runs = yaml.safe_load(open(os.path.join(HERE, "training_footprints.yaml")))["runs"]
    rows = []
    for r in runs:
        u = whole_run_utilization(r)
        if u is None or r["device"] not in GENERATION:
            continue
        n = r.get("active_params") or r.get("params")
        rows.append(dict(id=r["id"], u=u, g=GENERATION[r["device"]], kind=kind_of(r), role=role_of(r), n=n,
                         rc=r.get("recompute") or ""))
    fit = [r for r in rows if r["role"] == "fit"]
    dense = [r for r in fit if r["kind"] == "dense-lm"]
    b, gen, moe, nslope = fit_model(fit)
    # A generation's recomputation: the one every fit run on it states (catalogue recompute:), else none known.
    for g in sorted(gen):
        states = {r["rc"] for r in fit if r["g"] == g}
        GEN_RECOMPUTE[g] = states.pop() if len(states) == 1 and "" not in states else ""
        print("generation %-7s recompute %s  (fit runs: %s)" % (g, GEN_RECOMPUTE[g] or "not stated by all",
              ", ".join("%s %s" % (r["id"], r["rc"] or "-") for r in fit if r["g"] == g)))
    gens = sorted(gen)
    moe_fit = [r for r in fit if r["kind"] == "moe-lm" and r["g"] in gen]
    predict = predictor(b, gen, moe)
    resid = [r["u"] / predict(r) for r in fit]
    # Predictive spread: leave each fit row out, refit, predict it. Rows whose generation has no
    # other fit row measure the unknown-generation case instead (kept apart).
    loo, loo_other = [], []
    for r in fit:
        rest = [x for x in fit if x is not r]
        if not any(x["kind"] == "moe-lm" for x in rest) or not any(x["kind"] == "dense-lm" and x["g"] == r["g"] for x in rest):
            loo_other.append((r["id"], r["u"] / predictor(*fit_model(rest)[:3])(r)) if any(x["kind"] == "moe-lm" for x in rest) else (r["id"], None))
            continue
        loo.append(r["u"] / predictor(*fit_model(rest)[:3])(r))
    print("leave-one-out observed / predicted over %d fit rows: %s" % (len(loo), " ".join("%.3f" % x for x in sorted(loo))))
    print("  min %.3f max %.3f; rows alone on their generation: %s" % (min(loo), max(loo), loo_other))
    med = statistics.median(gen.values())
    print("generation centres around their median %.4f: min x%.3f max x%.3f" % (med, min(gen.values()) / med, max(gen.values()) / med))
    print("size_exponent %.4f (on %d dense fit rows in generations with two or more)" % (b, nslope))
    for g in gens:
        print("generation %-7s %.4f  fitted on %s" % (g, gen[g], ", ".join("%s %.3f" % (r["id"], r["u"]) for r in dense if r["g"] == g)))
    print("moe factor %.4f  fitted on %s" % (moe, ", ".join("%s %.3f" % (r["id"], r["u"]) for r in moe_fit)))
    print("spread (fit rows, observed / predicted) min %.3f max %.3f" % (min(resid), max(resid)))
    print()
    for r in rows:
        p = predict(r)
        print("%-10s %-26s %-8s %-7s u %.3f  predicted %.3f  device-hours error %+4.0f%%" %
              (r["role"], r["id"], r["kind"], r["g"], r["u"], p, 100 * (r["u"] / p - 1)))
    val = [abs(r["u"] / predict(r) - 1) for r in rows if r["role"] == "validation"]
    print("validation rows %d, median |error| %.1f%%" % (len(val), 100 * statistics.median(val)))
    if "--6nd" in sys.argv:
        return
    # As sml-estimate prices them: a row whose FLOPs are 6ND alone (no published figure, no stated
    # shape) with the --6nd fit (catalog training_utilization_6nd), the others with this one.
    sys.argv.append("--6nd")
    rows6 = {r["id"]: r for r in (dict(x, u=whole_run_utilization(run)) for x, run in
                                  ((x, next(q for q in runs if q["id"] == x["id"])) for x in rows))}
    sys.argv.remove("--6nd")
    predict6 = predictor(*fit_model([r for r in rows6.values() if r["role"] == "fit"])[:3])
    six = lambda run: not run.get("train_flops") and not attention_args(run)
    matched = []
    for r in rows:
        run = next(q for q in runs if q["id"] == r["id"])
        p = predict6(r) if six(run) else predict(r)
        if r["role"] == "validation":
            matched.append(abs(r["u"] / p - 1))
            print("matched    %-26s %s u %.3f predicted %.3f  device-hours error %+4.0f%%" % (
                r["id"], "6ND fit      " if six(run) else "attention fit", r["u"], p, 100 * (r["u"] / p - 1)))
    print("validation rows %d priced with the fit of their own FLOP count, median |error| %.1f%%" % (
        len(matched), 100 * statistics.median(matched)))


CNN_CLASS = {"amp": "16-bit", "fp32": "32-bit", "tf32": "32-bit"}


# Published data-parallel strong scaling of the fit source (PyTorch ResNet-50 v1.5 README,
# 'Training performance results': throughput at 8 GPUs / 1 GPU, 'Strong Scaling' columns):
# DGX A100 mixed precision 6.72x, TF32 7.72x; DGX-1 16GB mixed precision 6.93x, FP32 7.76x.
# The optimised stack (NVIDIA's MXNet ResNet-50 with DALI) from DeepLearningExamples'
# MxNet/Classification/RN50v1.5/README.md (commit 134510b, mxnet-20.12 container, 'Training
# performance: NVIDIA DGX A100 (8x A100 80GB)'): mixed precision 2,180 img/s on 1 GPU, 16,925 on 8,
# 7.76x. No H100 table is published: the H100 cell takes the DGX A100 figure (same NVSwitch box
# design); its one fit row is at 8 GPUs, so the figure moves only other device counts.
STRONG_SCALING_8 = {("Ampere", "16-bit", "reference"): 6.72, ("Ampere", "32-bit", "reference"): 7.72,
                    ("Volta", "16-bit", "reference"): 6.93, ("Volta", "32-bit", "reference"): 7.76,
                    ("Ampere", "16-bit", "optimised"): 7.76, ("Hopper", "16-bit", "optimised"): 7.76}


def cnn_main():
    """Fit the cnn kind's cells on the CNN fit rows, with the tool's own ideal (the estimate's
    expected time x the utilisation it assumed), and print observed u for every row.
    Cell value: u of the cell's 1-GPU fit row; scaling_per_doubling: (strong scaling at 8 / 8)^(1/3),
    so u at N GPUs = value x scaling_per_doubling^log2(N)."""
    rows = []
    for run, t, hours in cnn_estimates():
        ideal_h = t["time_s"]["expected"] * t["assumptions"]["utilization"]["expected"] / 3600
        rows.append(dict(id=run["id"], role=run["role"], g=GENERATION[run["device"]], p=CNN_CLASS[run["precision"]],
                         s=cnn_stack(run), arch=run["arch"], n=run["devices"], u=ideal_h / hours))
    fit = [r for r in rows if r["role"] == "fit"]
    cells = {}
    for r in fit:
        cells.setdefault((r["g"], r["p"], r["s"]), []).append(r)
    scaling = {k: (STRONG_SCALING_8[k] / 8) ** (1 / 3) for k in cells}

    def one_device(k, rs):
        return math.exp(statistics.mean(math.log(r["u"] / scaling[k] ** math.log2(r["n"])) for r in rs))

    # The cell is one device's utilisation: the 1-GPU fit row. --both-rows prints the alternative
    # (both rows taken back to one device through the scaling; their times to train at 8 GPUs hold
    # start-up and evaluation the throughput table leaves out): held-out 34 rows 26.6% against 20.0%.
    # A cell with no 1-GPU fit row (the optimised stack: MLPerf submits 8 GPUs) takes its row back
    # to one device through the scaling.
    value = {k: ([r["u"] for r in v if r["n"] == 1] or [one_device(k, v)])[0] for k, v in cells.items()}
    if "--both-rows" in sys.argv:
        value = {k: one_device(k, v) for k, v in cells.items()}
    # Spread: each fit row predicted from the other row of its cell (through the scaling).
    loo = []
    for k, v in cells.items():
        for r in v:
            rest = [x for x in v if x is not r]
            if not rest:
                continue
            loo.append(r["u"] / (one_device(k, rest) * scaling[k] ** math.log2(r["n"])))
    print("cnn spread (leave-one-out within a cell) min %.3f max %.3f: %s" % (min(loo), max(loo), " ".join("%.3f" % x for x in sorted(loo))))

    reference = {k: x for k, x in value.items() if k[2] == "reference"}

    def predict(r):
        # As sml-estimate conditions it: the cell of generation, precision and stack; an optimised
        # stack without one takes the reference cell; else the median of the reference cells.
        for k in ((r["g"], r["p"], r["s"]), (r["g"], r["p"], "reference")):
            if k in value:
                return value[k] * scaling[k] ** math.log2(r["n"])
        return statistics.median(reference.values()) * statistics.median(scaling[k] for k in reference) ** math.log2(r["n"])

    med = statistics.median(reference.values())
    for k in sorted(value):
        print("cnn cell %-5s %-6s %-9s value %.4f scaling_per_doubling %.4f  fitted on %s" % (
            k[0], k[1], k[2], value[k], scaling[k], ", ".join("%s %.4f" % (r["id"], r["u"]) for r in cells[k])))
    resid = [r["u"] / predict(r) for r in fit if r["n"] > 1 and len(cells[(r["g"], r["p"], r["s"])]) > 1]
    print("cnn multi-GPU fit rows, observed / predicted u: %s" % " ".join("%.3f" % x for x in sorted(resid)))
    print("cnn cell_spread of the reference cells around their median %.4f: min x%.3f max x%.3f" % (med, min(reference.values()) / med, max(reference.values()) / med))
    errs = {"fit": [], "validation": []}
    for r in rows:
        p = predict(r)
        errs[r["role"]].append(abs(r["u"] / p - 1))
        print("%-10s %-24s %-15s %-5s %-6s n %2d u %.3f  predicted %.3f  time error %+4.0f%%" %
              (r["role"], r["id"], r["arch"], r["g"], r["p"], r["n"], r["u"], p, 100 * (r["u"] / p - 1)))
    for role, e in errs.items():
        print("%s rows %d, median |time error| %.1f%%" % (role, len(e), 100 * statistics.median(e)))


# FP8 cell (7 Dec, training16): the H100's LLM utilisation in FP8 against its FP8 peak, fitted on
# training_fp8_fit.yaml (MLPerf Training GPT-3 175B, NVIDIA's H100 submissions not held out) as
#   ln u = ln value + log2(devices) x ln scaling_per_doubling      (least squares, all fit rows)
# u = model FLOPs (6ND + attention, the rows state the shape) / (devices x seconds x FP8 peak); the
# --6nd value is the same fit with 6ND alone. The band: the LLM model's leave-one-out spread (what a
# run of another kind sees), widened where the FP8 rows' own leave-one-out ratios reach further.
GPT3 = dict(params=175e9, layers=96, attention_width=12288, seq_len=2048)


def fp8_main():
    rows = yaml.safe_load(open(os.path.join(HERE, "training_fp8_fit.yaml")))["runs"]
    fp8_peak = peak("nvidia-h100-sxm5-80gb", "fp8")
    bf16_peak = peak("nvidia-h100-sxm5-80gb", "bf16")
    six = "--6nd" in sys.argv
    pts = []
    for r in rows:
        # Since 7 Dec (training18) the attention scores and values run at the 16-bit peak in an FP8
        # run (FP8 training keeps attention in BF16: footprint/plan.cpp attention_at_16_bit), so
        # they count fp8 / bf16 peak times as long: u = ideal time / measured time.
        attention = 0 if six else 12 * GPT3["layers"] * GPT3["seq_len"] * GPT3["attention_width"]
        per_token = 6 * GPT3["params"] + attention * fp8_peak / bf16_peak
        u = per_token * r["train_tokens"] / (r["device_count"] * 60 * r["minutes"] * fp8_peak)
        pts.append((r["id"], math.log2(r["device_count"]), u))

    def fit(ps):
        xs, ys = [x for _, x, _ in ps], [math.log(u) for _, _, u in ps]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        return math.exp(my - slope * mx), math.exp(slope)

    value, scaling = fit(pts)
    print("FP8 cell (%s FLOPs): value %.4f (u at one device) scaling_per_doubling %.4f" % ("6ND" if six else "attention", value, scaling))
    loo = []
    for i, (rid, x, u) in enumerate(pts):
        v, s = fit(pts[:i] + pts[i + 1:])
        loo.append(u / (v * s ** x))
        print("  %-36s n %5d  u %.4f  predicted %.4f  leave-one-out observed / predicted %.3f" % (rid, 2 ** x, u, value * scaling ** x, loo[-1]))
    print("leave-one-out ratios: %s (min %.3f max %.3f)" % (" ".join("%.3f" % r for r in sorted(loo)), min(loo), max(loo)))


if __name__ == "__main__":
    if "--fp8" in sys.argv:
        fp8_main()
    elif "--cnn" in sys.argv:
        cnn_main()
    else:
        main()
