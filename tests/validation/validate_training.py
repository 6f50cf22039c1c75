#!/usr/bin/python3
"""Check sml-estimate against published training footprints (training_footprints.yaml).

    /usr/bin/python3 tests/validation/validate_training.py [path/to/sml-estimate] [--markdown]

For each run the script asks sml-estimate twice:
  predictive  from what is known before training: parameters (active ones for mixture-of-experts)
              and tokens, or the published training FLOPs; device type and count; precision.
  accounting  from the published device-hours (or devices x days x 24 when only those are given).
Both are given the run's published PUE and grid intensity when known (they describe where the run
happened, not the model), else our defaults. It prints, per run and quantity, the expected value,
the low-high range and the published figure, then per quantity: how often the published figure
lies within low-high (coverage) and the median of |expected / published - 1|.

Energy is compared like with like: each row's energy_method says how its source counted
(measured system power with the host, or TDP x device-hours as model cards count, or an assumed
power, which is listed and not scored), and the matching figure of ours is compared (the system
figure, or the card figure of --accounting-method card); where a source gives energy before PUE
(energy_includes_pue: false), our energy and CO2e are divided by the PUE we used. CO2e is compared only
where the source gives the grid intensity it used (else the comparison would test our default
intensity, not the model) and the figure is location-based or unspecified (not net of
clean-energy purchases).
Runs on devices missing from hw/devices are listed and skipped.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = next((a for a in sys.argv[1:] if not a.startswith("--")), os.path.join(ROOT, "build/tools/sml-estimate"))
MARKDOWN = "--markdown" in sys.argv

# Validation-set device families -> catalogue ids and the precision such runs train in.
DEVICES = {
    "nvidia-v100": ("nvidia-v100-sxm2-32gb", "fp16"),
    "nvidia-a100-40gb": ("nvidia-a100-sxm4-40gb", "bf16"),
    "nvidia-a100-80gb": ("nvidia-a100-sxm4-80gb", "bf16"),
    "nvidia-h100": ("nvidia-h100-sxm5-80gb", "bf16"),
    "google-tpu-v3": ("google-tpu-v3", "bf16"),
    "google-tpu-v4": ("google-tpu-v4", "bf16"),
    # Pascal has no tensor cores and neither P100 source states a precision; Transformer (Big) on
    # 8 P100s (Vaswani et al. 2017, tensor2tensor) predates mixed-precision training
    # (Micikevicius et al., arXiv Oct 2017). Chosen before these rows were scored.
    # (Patterson et al. 2021 measured 6.7 TFLOPS per P100: 0.63 of the fp32 peak, 0.32 of half2.)
    "nvidia-p100": ("nvidia-p100-sxm2-16gb", "fp32"),
    "google-tpu-v2": ("google-tpu-v2", "bf16"),
    "google-tpu-v5e": ("google-tpu-v5e", "bf16"),
    # The H200 is the H100's GH100 with HBM3e (its own catalogue entry). Added with the fresh-22
    # rows, before they were scored. The H800 SXM (the H100 SXM's GH100 with NVLink cut to 400 GB/s)
    # and the HGX B200 have their own entries since 7 Dec (devices12); until then the H800 was
    # priced as the H100 SXM and the B200 row was not estimable. No fitted figure changed with them.
    # Since 7 Dec (training17) the estimate matches fitted generations by the device file's
    # generation (device/v1), not its name: the H200 and H800 are Hopper, as the H100.
    "nvidia-h200": ("nvidia-h200-sxm-141gb", "bf16"),
    "nvidia-h800": ("nvidia-h800-sxm5-80gb", "bf16"),
    "nvidia-b200": ("nvidia-b200", "bf16"),
}


# Runs whose published figures supplied an observation in catalog/footprint.yaml (utilisation or
# system power): their comparisons are in-sample and summarised apart from the held-out runs.
FITTED = {"gpt-3", "gopher-280b", "palm-540b", "opt-175b", "llama-3.1-405b", "bloom-176b",
          "t5-11b", "meena", "gshard-600b", "switch-transformer-1500b"}
# Mixture-of-experts runs that publish no active-parameter count (so the tool is not told).
MOE_WITHOUT_ACTIVE = {"gshard-600b", "switch-transformer-1500b", "llama-4-scout", "llama-4-maverick"}


def attention_args(run):
    """The flags that count attention score and value FLOPs, where the row states the architecture
    and the sequence length it trained at (arch_source); nothing otherwise (never guessed)."""
    if run.get("layers") and run.get("attention_width") and run.get("seq_len"):
        return ["--layers", str(run["layers"]), "--attention-width", str(run["attention_width"]),
                "--train-seq-len", str(run["seq_len"])]
    return []


def kind_args(run):
    """--model-kind for a row that states a kind the tool cannot infer from its sizes
    (encoder-decoder: a sequence-to-sequence transformer); dense-lm and moe-lm follow from the
    parameter counts as before."""
    return ["--model-kind", run["kind"]] if run.get("kind") == "encoder-decoder" else []


def training_flops(run):
    """Training FLOPs as sml-estimate counts them for the row: the published figure, else
    6 x active params x tokens plus, where the row states layers, attention width and sequence
    length, 12 x layers x seq len x width per token (attention scores and values, forward and
    backward: PaLM's model FLOPs, arXiv:2204.02311 Appendix B)."""
    if run.get("train_flops"):
        return run["train_flops"]
    n = run.get("active_params") or run.get("params")
    if not n or not run.get("train_tokens"):
        return None
    attention = 12 * run["layers"] * run["seq_len"] * run["attention_width"] if attention_args(run) else 0
    return (6 * n + attention) * run["train_tokens"]


def role_of(run):
    """fit: the run supplied an observation to catalog/footprint.yaml; validation: it never did.
    Rows added for issue 17 say so themselves (role:); older rows by the FITTED list."""
    return run.get("role") or ("fit" if run["id"] in FITTED else "validation")


def kind_of(run):
    """dense-lm or moe-lm (every run here is a transformer)."""
    if run.get("kind"):
        return run["kind"]
    moe = run["id"] in MOE_WITHOUT_ACTIVE or (run.get("active_params") and run.get("params")
                                               and run["active_params"] < run["params"])
    return "moe-lm" if moe else "dense-lm"


# CNN rows (training_cnn_runs.yaml): device families -> catalogue ids; amp is costed at fp16.
CNN_DEVICES = {"nvidia-v100": "nvidia-v100-sxm2-32gb", "nvidia-a100-40gb": "nvidia-a100-sxm4-40gb",
               "nvidia-a100-80gb": "nvidia-a100-sxm4-80gb", "nvidia-h100": "nvidia-h100-sxm5-80gb",
               "nvidia-h200": "nvidia-h200-sxm-141gb"}
CNN_PRECISION = {"amp": "fp16", "fp32": "fp32", "tf32": "tf32"}


def cnn_stack(run):
    """The training software the row's run used (sml-estimate --train-stack): as the row records it,
    else optimised for an MLPerf submission (NVIDIA's MLPerf implementations: NHWC, fused batch
    norm, DALI), else reference (a framework's stock training script)."""
    return run.get("stack") or ("optimised" if str(run.get("source", "")).startswith("mlperf") else "reference")


def model_input(path):
    """The first graph input's name and declared dims (sml-estimate's own JSON profile lists them)."""
    out = subprocess.run([TOOL, "--format", "json", "-q", path], capture_output=True, text=True, check=True)
    first = json.loads(out.stdout)["profile"]["inputs"][0]
    return first["name"], [int(d) for d in first["shape"]]


def cnn_estimates(tool=None):
    """Per CNN row: the row, sml-estimate's training document for it (the architecture composed by
    sml-compose and profiled: per-layer roofline of a training step x the conditioned utilisation),
    and the published hours."""
    tool = tool or TOOL
    compose = os.path.join(os.path.dirname(tool), "sml-compose")
    doc = yaml.safe_load(open(os.path.join(HERE, "training_cnn_runs.yaml")))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        built, built_input = {}, {}
        for run in doc["runs"]:
            arch = run["arch"]
            if arch not in built:
                built[arch] = os.path.join(tmp, arch + ".onnx")
                subprocess.run([compose, "--arch", arch, "--weights", "zeros", "-q", "-o", built[arch]], check=True)
                built_input[arch] = model_input(built[arch])
            # Costed at the run's per-GPU batch: sml-compose fixes the input's leading dim at 1.
            shape = "%s=%dx%s" % (built_input[arch][0], run["batch"], "x".join(str(d) for d in built_input[arch][1][1:]))
            args = [built[arch], "--batch", str(run["batch"]), "--input-shape", shape, "--train-samples", str(doc["imagenet_train_images"]), "--epochs", str(run["epochs"]),
                    "--device", CNN_DEVICES[run["device"]], "--devices", str(run["devices"]),
                    "--precision", CNN_PRECISION[run["precision"]], "--train-stack", cnn_stack(run), "--region", "WORLD"]
            res = subprocess.run([tool, "--format", "json", "-q"] + args, capture_output=True, text=True)
            if res.returncode != 0:
                raise RuntimeError(" ".join(args) + ": " + res.stderr.strip())
            out.append((run, json.loads(res.stdout)["training"], run["hours"]))
    return out


def run_tool(args):
    out = subprocess.run([TOOL, "--format", "json", "-q"] + args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(" ".join(args) + ": " + out.stderr.strip())
    return json.loads(out.stdout)


def compare(rows, mode, key, ours, published, method=None):
    if ours is None or published is None:
        return
    low, exp, high = ours
    # A card figure from published device-hours is exact (low = high): "within" then allows the
    # rounding of a published figure to four significant digits (BLOOM's 24.69 t: 5e-4 of it), and
    # no more; a band is a band.
    slack = 5e-4 * published if low == high else 0
    rows.append({"mode": mode, "key": key, "expected": exp, "low": low, "high": high, "published": published,
                 "error": exp / published - 1, "covered": low - slack <= published <= high + slack,
                 "method": method})



# How each source counted its energy (the row's energy_method, cited in its energy_method_source),
# and which of our figures counts the same way:
#   measured-system  measured average power per accelerator including the host share (CPU, memory,
#                    network, fans) x hours (x PUE): our system figure, training.energy_kwh.
#   card             the accelerator's TDP x device-hours (x PUE), as model cards count: our card
#                    figure, training.card (sml-estimate --accounting-method card).
#   assumed          an assumed average power per device x hours: neither a measurement nor a
#                    rating of the run's devices;
#   measured-other-hardware  power measured on other devices than the run's (Strubell et al. 2019
#                    measured one Titan X and scaled it to the P100 and V100 fleets of the papers).
# No figure of ours counts as those two do: they are printed beside our system figure, marked
# "not scored", and left out of the summaries.
ENERGY_METHODS = {"measured-system": "training", "card": "training.card", "assumed": None,
                  "measured-other-hardware": None}


def method_args(run):
    """--accounting-method card for a row whose source counted TDP x hours (its card figure is
    compared); nothing otherwise."""
    return ["--accounting-method", "card"] if run.get("energy_method") == "card" else []


def compare_energy_and_co2(rows, mode, doc, run):
    """Energy against the reported kWh, with our figure that counts as the source did (its
    energy_method), taken back out of the PUE where the report leaves the facility out; CO2e only
    where the report uses a location-based grid factor, out of the PUE likewise (it is that energy
    x the intensity)."""
    method = run.get("energy_method", "measured-system")
    where = ENERGY_METHODS[method] or "training"
    if ENERGY_METHODS[method] is None:
        method += ", not scored"
    e, c = triple(doc, where + ".energy_kwh"), triple(doc, where + ".co2e_kg")
    if run.get("energy_includes_pue") is False:
        pue = doc["training"]["assumptions"]["pue"]["value"]
        e = e and tuple(x / pue for x in e)
        c = c and tuple(x / pue for x in c)
    compare(rows, mode, "energy_kwh", e, run.get("energy_kwh"), method)
    if run.get("kg_per_kwh") and run.get("co2e_basis") in ("location-based", "unspecified"):
        compare(rows, mode, "co2e_kg", c, run.get("co2e_kg"), method)

def triple(doc, path):
    d = doc
    for p in path.split("."):
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    if not isinstance(d, dict):
        return None  # null: e.g. training energy where the device has no power figure
    return (d["low"], d["expected"], d["high"])


def main():
    runs = yaml.safe_load(open(os.path.join(HERE, "training_footprints.yaml")))["runs"]
    results, skipped, failed = [], [], []
    for run in runs:
        if run["device"] not in DEVICES:
            skipped.append((run["id"], "device %s not in hw/devices" % run["device"]))
            continue
        device, precision = DEVICES[run["device"]]
        # A row that states the precision its run trained in (MLPerf's FP8 and int8 runs) is priced
        # at it; the others at their device family's usual 16-bit (or fp32) training precision.
        precision = run.get("precision") or precision
        place = []
        if run.get("pue"):
            place += ["--pue", str(run["pue"])]
        if run.get("kg_per_kwh"):
            place += ["--carbon-intensity", str(run["kg_per_kwh"])]
        else:
            place += ["--region", "WORLD"]
        count = run.get("device_count")
        rows = []
        # Predictive.
        n = run.get("active_params") or run.get("params")
        size = ["--params", str(n)] + kind_args(run)
        if run.get("active_params") and run.get("params") and run["active_params"] < run["params"]:
            size = ["--params", str(run["params"]), "--active-params", str(run["active_params"])] + kind_args(run)
        work = None
        if run.get("train_flops"):
            work = ["--train-flops", str(run["train_flops"])]
        elif run.get("train_tokens") and n:
            work = ["--train-tokens", str(run["train_tokens"])] + attention_args(run)
        if work and run.get("recompute"):
            # Activation recomputation the row's source states (recompute_source), never guessed.
            work += ["--activation-recompute", run["recompute"]]
        try:
            if work and n and not count and run.get("device_hours"):
                # No device count published: device-hours do not depend on it (one device stands in).
                doc = run_tool(size + ["--device", device, "--devices", "1", "--precision", precision] + work + place)
                compare(rows, "predictive", "device_hours", triple(doc, "training.device_hours"), run.get("device_hours"))
            if work and count and n:
                doc = run_tool(size + ["--device", device, "--devices", str(count), "--precision", precision] + work + place
                               + method_args(run))
                days = run.get("duration_days")
                compare(rows, "predictive", "time_days", tuple(x / 86400 for x in triple(doc, "training.time_s")), days)
                compare(rows, "predictive", "device_hours", triple(doc, "training.device_hours"), run.get("device_hours"))
                compare_energy_and_co2(rows, "predictive", doc, run)
            # Accounting.
            hours = run.get("device_hours")
            if not hours and count and run.get("duration_days"):
                hours = count * run["duration_days"] * 24
            if hours:
                doc = run_tool(["--params", str(run.get("params") or 1), "--device", device, "--devices", str(count or 1),
                                "--device-hours", str(hours)] + place + method_args(run))
                compare_energy_and_co2(rows, "accounting", doc, run)
        except RuntimeError as err:
            failed.append((run["id"], str(err)))
            continue
        for r in rows:
            r["run"] = run["id"]
        results += rows

    def fmt(x):
        return "%.3g" % x

    if MARKDOWN:
        print("| run | mode | quantity | published | expected (low–high) | error | in range |")
        print("|---|---|---|---|---|---|---|")
    for r in results:
        cells = [r["run"], r["mode"], r["key"] + ("" if not r.get("method") else " [%s]" % r["method"]), fmt(r["published"]), "%s (%s–%s)" % (fmt(r["expected"]), fmt(r["low"]), fmt(r["high"])),
                 "%+.0f%%" % (100 * r["error"]), "yes" if r["covered"] else "no"]
        print(("| " + " | ".join(cells) + " |") if MARKDOWN else "  ".join(cells))
    print()
    results = [r for r in results if not (r.get("method") or "").endswith("not scored")]
    print("summary (coverage = published within low–high; error = median |expected/published − 1|):")
    roles = {run["id"]: role_of(run) for run in runs}
    for subset, keep in (("all", lambda r: True), ("held-out", lambda r: roles[r["run"]] == "validation"),
                         ("fitted", lambda r: roles[r["run"]] == "fit")):
        for mode in ("predictive", "accounting"):
            for key in ("time_days", "device_hours", "energy_kwh", "co2e_kg"):
                sel = [r for r in results if r["mode"] == mode and r["key"] == key and keep(r)]
                if not sel:
                    continue
                cov = sum(r["covered"] for r in sel)
                narrow = sum(r["high"] <= 3 * r["low"] for r in sel)
                med = statistics.median(abs(r["error"]) for r in sel)
                print("  %-8s %-10s %-12s runs %2d  coverage %2d/%-2d  bands <= 3x %2d/%-2d  median error %3.0f%%"
                      % (subset, mode, key, len(sel), cov, len(sel), narrow, len(sel), 100 * med))
    run_length = {}
    # Run length, one figure per run: the published device-hours where there are some, else the
    # wall-clock days (for a given device count the two carry the same relative error).
    for subset, role in (("held-out", "validation"), ("fitted", "fit")):
        per_run = {}
        for r in results:
            if r["mode"] == "predictive" and r["key"] in ("device_hours", "time_days") and roles[r["run"]] == role:
                if r["key"] == "device_hours" or r["run"] not in per_run:
                    per_run[r["run"]] = r
        sel = list(per_run.values())
        run_length[role] = [(r["low"] <= r["published"] <= r["high"], abs(r["error"])) for r in sel]
        if sel:
            print("  %-8s predictive run length (device-hours, else days) runs %2d  coverage %2d/%-2d  bands <= 3x %2d/%-2d  median error %3.0f%%"
                  % (subset, len(sel), sum(r["covered"] for r in sel), len(sel), sum(r["high"] <= 3 * r["low"] for r in sel),
                     len(sel), 100 * statistics.median(abs(r["error"]) for r in sel)))
    # CNN rows: the predictive run length of each published table cell (time to train, hours).
    cnn = cnn_estimates()
    for run, t, hours in cnn:
        low, exp, high = (t["time_s"][k] / 3600 for k in ("low", "expected", "high"))
        print("  ".join([run["id"], run["role"], "hours", fmt(hours), "%s (%s–%s)" % (fmt(exp), fmt(low), fmt(high)),
                         "%+.0f%%" % (100 * (exp / hours - 1)), "yes" if low <= hours <= high else "no"]))
    for subset, role in (("held-out", "validation"), ("fitted", "fit")):
        for arch in sorted({run["arch"] for run, _, _ in cnn}) + ["all"]:
            sel = [(t, h) for run, t, h in cnn if run["role"] == role and arch in ("all", run["arch"])]
            if not sel:
                continue
            cov = sum(t["time_s"]["low"] <= 3600 * h <= t["time_s"]["high"] for t, h in sel)
            narrow = sum(t["time_s"]["high"] <= 3 * t["time_s"]["low"] for t, h in sel)
            med = statistics.median(abs(t["time_s"]["expected"] / (3600 * h) - 1) for t, h in sel)
            print("  %-8s CNN %-15s time to train runs %2d  coverage %2d/%-2d  bands <= 3x %2d/%-2d  median error %3.0f%%"
                  % (subset, arch, len(sel), cov, len(sel), narrow, len(sel), 100 * med))
    # Every run once (LLM run length and CNN time to train together), per role.
    for subset, role in (("held-out", "validation"), ("fitted", "fit")):
        sel = run_length.get(role, []) + [(t["time_s"]["low"] <= 3600 * h <= t["time_s"]["high"],
                                           abs(t["time_s"]["expected"] / (3600 * h) - 1)) for run, t, h in cnn if run["role"] == role]
        if sel:
            print("  %-8s every run (LLM run length, CNN time to train) runs %3d  coverage %2d/%-2d  median error %4.1f%%"
                  % (subset, len(sel), sum(c for c, _ in sel), len(sel), 100 * statistics.median(e for _, e in sel)))
    # Named held-out groups (group:, e.g. fresh-22: written and scored before the round's changes),
    # each summarised apart as well as inside held-out.
    # "no group": the held-out rows outside every named group (the set as it stood before them).
    named = sorted({r.get("group") for r in runs + [c[0] for c in cnn] if r.get("group")})
    for group in named + (["no group"] if named else []):
        member = (lambda r: r.get("group") == group) if group != "no group" else \
                 (lambda r: not r.get("group") and r.get("role", role_of(r)) == "validation")
        ids = {r["id"] for r in runs if member(r)}
        sel = [r for r in results if r["run"] in ids]
        for key in ("time_days", "device_hours", "energy_kwh"):
            part = [r for r in sel if r["mode"] == "predictive" and r["key"] == key]
            if part:
                print("  %-8s predictive %-12s runs %2d  coverage %2d/%-2d  bands <= 3x %2d/%-2d  median error %3.0f%%"
                      % (group, key, len(part), sum(r["covered"] for r in part), len(part),
                         sum(r["high"] <= 3 * r["low"] for r in part), len(part), 100 * statistics.median(abs(r["error"]) for r in part)))
        per_run = {}
        for r in sel:
            if r["mode"] == "predictive" and r["key"] in ("device_hours", "time_days"):
                if r["key"] == "device_hours" or r["run"] not in per_run:
                    per_run[r["run"]] = r
        every = [(r["low"] <= r["published"] <= r["high"], abs(r["error"]), r["high"] <= 3 * r["low"]) for r in per_run.values()]
        every += [(t["time_s"]["low"] <= 3600 * h <= t["time_s"]["high"], abs(t["time_s"]["expected"] / (3600 * h) - 1),
                   t["time_s"]["high"] <= 3 * t["time_s"]["low"]) for run, t, h in cnn if member(run)]
        unpriced = sorted(i for i, _ in skipped + failed if i in ids)
        if every:
            print("  %-8s every run (LLM run length, CNN time to train) runs %3d  coverage %2d/%-2d  bands <= 3x %2d/%-2d  median error %4.1f%%%s"
                  % (group, len(every), sum(c for c, _, _ in every), len(every), sum(n for _, _, n in every), len(every),
                     100 * statistics.median(e for _, e, _ in every), ("; not estimable: " + ", ".join(unpriced)) if unpriced else ""))
    for run in runs:
        if run.get("energy_kwh") and ENERGY_METHODS[run.get("energy_method", "measured-system")] is None:
            print("energy not scored %s: %s (%s)" % (run["id"], run["energy_method"], run.get("energy_method_source", "")))
    for run_id, why in skipped:
        print("skipped %s: %s" % (run_id, why))
    for run_id, why in failed:
        print("FAILED %s: %s" % (run_id, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
