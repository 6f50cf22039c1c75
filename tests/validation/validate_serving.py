#!/usr/bin/python3
"""Check sml-estimate's serving estimates against published measurements (serving_measurements.yaml).

    /usr/bin/python3 tests/validation/validate_serving.py [path/to/sml-estimate] [--markdown] [--group NAME]

For each row the script asks sml-estimate for the inference section of the row's model on the row's
device, runtime, precision and batch (ONNX models from tests/models, or `arch:` composed by sml-compose; the MLPerf Tiny ResNet-8 is
built here with python3-onnx; transformers by their parameter count), then compares the published
figure with the low-high range and the expected value. Rows marked role: fit supplied a parameter
of catalog/footprint.yaml and are summarised apart from the validation rows. Per quantity class
(latency, throughput, energy) it prints: rows, how many published figures lie within low-high,
how many bands are at most 3x wide (high / low), and the median of |expected / published - 1|.
It exits 1 only when an estimate fails to run: the figures are reported, not pinned. A row that
states not_estimable (why: a device figure the catalogue lacks) is listed as NOT ESTIMABLE when the
estimate refuses it or leaves the row's quantity null (energy on a device without a power figure), and scored like any other row once it runs.
--group NAME scores only the rows with that `group:` (a held-out set added in one round, e.g. fresh-36).
--check-spread (all rows; refused with --group) also exits 1 when catalog/footprint.yaml's serving_spread is not the
5th / 95th percentile this run computes by its rule (SPREAD_LEFT_OUT below), to its 3 decimals: a
refit that moves the fit rows must carry the band it implies into the catalogue.
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
if sys.argv[-1] == "--group":
    sys.exit("validate_serving.py: --group needs a group name (e.g. --group fresh-36)")
GROUP = sys.argv[sys.argv.index("--group") + 1] if "--group" in sys.argv[:-1] else None
TOOL = next((a for a in sys.argv[1:] if not a.startswith("--") and a != GROUP), os.path.join(ROOT, "build/tools/sml-estimate"))
MARKDOWN = "--markdown" in sys.argv
CHECK_SPREAD = "--check-spread" in sys.argv
if CHECK_SPREAD and GROUP:
    # serving_spread is fitted on all fit rows; a group's subset cannot check it.
    sys.exit("validate_serving.py: --check-spread checks serving_spread over all fit rows; it does not go with --group")
# Fit rows that serving_spread leaves out, and why (catalog/footprint.yaml, the comment above
# serving_spread): their residuals are zero or a least-squares fit's own, by construction.
SPREAD_LEFT_OUT = (("mle-h100-qwen3-8b-", "vLLM: residuals of a two-parameter least squares on these same 7 rows"),
                   ("ort-6240r-resnet50-", "ONNX Runtime CPU: an exact two-parameter solve on these 2 rows"))
CLASS = {"latency_s": "latency", "throughput_per_s": "throughput", "tokens_per_s": "throughput",
         "prefill_tokens_per_s": "throughput", "energy_j_per_query": "energy"}


def build_resnet8(path):
    """The MLPerf Tiny image-classification model (Banbury et al. 2021): ResNet-8 on 32x32x3,
    three stacks of 16, 32, 64 channels; about 12.5 M MACs. Weights are zeros: only shapes count."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []

    def conv(x, cin, cout, k, stride, name, relu):
        w = numpy_helper.from_array(np.zeros((cout, cin, k, k), np.float32), name + "_w")
        b = numpy_helper.from_array(np.zeros((cout,), np.float32), name + "_b")
        inits.extend([w, b])
        nodes.append(helper.make_node("Conv", [x, w.name, b.name], [name], kernel_shape=[k, k],
                                      strides=[stride, stride], pads=[k // 2] * 4))
        if relu:
            nodes.append(helper.make_node("Relu", [name], [name + "_r"]))
            return name + "_r"
        return name

    x = conv("input", 3, 16, 3, 1, "c0", True)
    for i, (cin, cout, stride) in enumerate([(16, 16, 1), (16, 32, 2), (32, 64, 2)]):
        y = conv(x, cin, cout, 3, stride, "s%da" % i, True)
        y = conv(y, cout, cout, 3, 1, "s%db" % i, False)
        short = x if stride == 1 else conv(x, cin, cout, 1, stride, "s%dsc" % i, False)
        nodes.append(helper.make_node("Add", [y, short], ["s%dadd" % i]))
        nodes.append(helper.make_node("Relu", ["s%dadd" % i], ["s%dout" % i]))
        x = "s%dout" % i
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"]))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"]))
    w = numpy_helper.from_array(np.zeros((10, 64), np.float32), "fc_w")
    b = numpy_helper.from_array(np.zeros((10,), np.float32), "fc_b")
    inits.extend([w, b])
    nodes.append(helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], transB=1))
    graph = helper.make_graph(nodes, "resnet8", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 32, 32])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def args_for(row, scratch):
    device = row["device"]
    if device.startswith("devices/"):
        device = os.path.join(HERE, device)
    runtime = row["runtime"] + ("@" + row["build"] if row.get("build") else "")  # the build the row was measured on
    a = ["--device", device, "--runtime", runtime, "--precision", row["precision"], "--no-layers"]
    if "arch" in row:  # a catalogue architecture sml-compose builds (zero weights: only shapes count)
        row = dict(row, model=compose_arch(row["arch"], scratch))
        if row.get("batch", 1) > 1 and not row.get("input_shape"):
            # sml-compose fixes its inputs' batch dim at 1, which --serve-batch cannot change: the
            # row's batch goes in through --input-shape, as a user would give it.
            row["input_shapes"] = batched_input_shapes(row["model"], row["batch"])
    if "model" in row:
        model = os.path.join(scratch, "resnet8.onnx") if row["model"] == "resnet8" else os.path.join(ROOT, "tests/models", row["model"])
        a = [model] + a + ["--serve-batch", str(row.get("batch", 1))]
        if row.get("input_shape"):
            a += ["--input-shape", row["input_shape"]]
        for shape in row.get("input_shapes", []):
            a += ["--input-shape", shape]
    else:
        a += ["--params", str(row["params"]), "--concurrency", str(row.get("batch", 1))]
        if row.get("workload") == "llm" and "prompt_tokens" in row and "output_tokens" not in row:
            # A decoder's first-token latency or prompt rate is its (causal) prefill: ask for a
            # generation of one token and read time_to_first_token_s; a prompt alone is an encoder pass.
            a += ["--output-tokens", "1"]
        for key, flag in (("active_params", "--active-params"), ("experts", "--experts"), ("experts_per_token", "--experts-per-token"),
                          ("layers", "--layers"), ("heads", "--heads"), ("kv_bytes_per_token", "--kv-bytes-per-token"),
                          ("prompt_tokens", "--prompt-tokens"), ("mean_tokens", "--mean-tokens"), ("output_tokens", "--output-tokens"),
                          ("beam_width", "--beam-width")):
            if key in row:
                a += [flag, str(row[key])]
    if "power_mode" in row:  # the setting the measurement ran under (MLPerf MaxQ: device/v1 power_modes)
        a += ["--power-mode", row["power_mode"]]
    if "power_cap" in row:  # the submission's own per-GPU power limit (MLPerf MaxQ configs: power_limit)
        a += ["--power-cap", str(row["power_cap"])]
    if "host_accelerators" in row:  # accelerators in the measured server (MLPerf system name ...x1): its host's share
        a += ["--host-accelerators", str(row["host_accelerators"])]
    if "pue" in row:
        a += ["--pue", str(row["pue"])]
    a += ["--power-boundary", row.get("boundary", "system")]
    return a


def batched_input_shapes(path, batch):
    """NAME=BxD1x... for every input of the ONNX file at PATH whose dim 0 is fixed at 1 (an image, a
    token sequence and its attention mask alike), that dim set to BATCH."""
    import onnx
    graph = onnx.load(path, load_external_data=False).graph
    weights = {t.name for t in graph.initializer}
    shapes = []
    for value in graph.input:
        dims = [d.dim_value for d in value.type.tensor_type.shape.dim]
        if value.name not in weights and dims and dims[0] == 1:
            shapes.append(value.name + "=" + "x".join(str(d) for d in [batch] + dims[1:]))
    return shapes


def compose_arch(arch, scratch):
    path = os.path.join(scratch, arch + ".onnx")
    if not os.path.exists(path):
        compose = os.path.join(os.path.dirname(TOOL), "sml-compose")
        out = subprocess.run([compose, "--arch", arch, "--weights", "zeros", "--precision", "fp16", "-q", "-o", path],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("sml-compose --arch " + arch + ": " + out.stderr.strip())
    return path


def run_tool(args):
    out = subprocess.run([TOOL, "--format", "json", "-q"] + args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(" ".join(args) + ": " + out.stderr.strip())
    return json.loads(out.stdout)


def triple(d):
    return (d["low"], d["expected"], d["high"]) if isinstance(d, dict) else None


def predicted(row, inference):
    q = row["quantity"]
    if q == "latency_s" and row.get("workload") == "llm" and "output_tokens" not in row:
        return triple(inference.get("time_to_first_token_s"))  # a first-token latency (see args_for)
    if q in ("latency_s", "throughput_per_s", "tokens_per_s"):
        return triple(inference.get(q))
    if q == "prefill_tokens_per_s":
        t = triple(inference.get("time_to_first_token_s"))
        return tuple(row["prompt_tokens"] * row.get("batch", 1) / x for x in reversed(t)) if t else None
    if q == "energy_j_per_query":
        e = triple(inference.get("energy_kwh_per_query"))
        return tuple(x * 3.6e6 for x in e) if e else None
    raise ValueError("unknown quantity " + q)


def main():
    rows = yaml.safe_load(open(os.path.join(HERE, "serving_measurements.yaml")))["rows"]
    if GROUP:
        rows = [r for r in rows if r.get("group") == GROUP]
        if not rows:
            print("no rows with group: " + GROUP, file=sys.stderr)
            return 1
    results, failed, unestimable = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        build_resnet8(os.path.join(scratch, "resnet8.onnx"))
        for row in rows:
            try:
                doc = run_tool(args_for(row, scratch))  # composes the row's arch first where it names one
            except RuntimeError as err:
                if row.get("not_estimable"):  # a figure the catalogue lacks, stated in the row: reported, not a failure
                    unestimable.append((row["id"], row["not_estimable"], str(err).split("sml-estimate: ")[-1]))
                else:
                    failed.append((row["id"], str(err)))
                continue
            p = predicted(row, doc["inference"])
            if p is None:
                if row.get("not_estimable"):  # the estimate ran but left this quantity null (its reason in the row)
                    unestimable.append((row["id"], row["not_estimable"], "no %s in the estimate" % row["quantity"]))
                    continue
                failed.append((row["id"], "no %s in the estimate" % row["quantity"]))
                continue
            low, exp, high = p
            v = row["value"]
            results.append({"row": row, "low": low, "expected": exp, "high": high, "published": v,
                            "error": exp / v - 1, "covered": low <= v <= high, "width": high / low if low > 0 else float("inf")})

    def fmt(x):
        return "%.3g" % x

    if MARKDOWN:
        print("| row | role | device | quantity | published | expected (low–high) | error | in band | band width |")
        print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        row = r["row"]
        cells = [row["id"], row["role"], row["device"], row["quantity"], fmt(r["published"]),
                 "%s (%s–%s)" % (fmt(r["expected"]), fmt(r["low"]), fmt(r["high"])), "%+.0f%%" % (100 * r["error"]),
                 "yes" if r["covered"] else "no", "%.2fx" % r["width"]]
        print(("| " + " | ".join(cells) + " |") if MARKDOWN else "  ".join(cells))
    print()
    print("summary (in band = published within low–high; narrow = band at most 3x; error = median |expected/published − 1|):")
    for role in ("validate", "fit"):
        for cls in ("latency", "throughput", "energy"):
            sel = [r for r in results if r["row"]["role"] == role and CLASS[r["row"]["quantity"]] == cls]
            if not sel:
                continue
            cov = sum(r["covered"] for r in sel)
            narrow = sum(r["width"] <= 3 for r in sel)
            both = sum(r["covered"] and r["width"] <= 3 for r in sel)
            med = statistics.median(abs(r["error"]) for r in sel)
            print("  %-8s %-10s rows %2d  in band %2d/%-2d  narrow %2d/%-2d  in a narrow band %2d/%-2d  median error %3.0f%%"
                  % (role, cls, len(sel), cov, len(sel), narrow, len(sel), both, len(sel), 100 * med))
    # The time ratio (published / expected time; throughput rows inverted) of the fit rows, whose
    # 5th and 95th percentiles, less the rows SPREAD_LEFT_OUT names, are catalog/footprint.yaml's
    # serving_spread (printed over all fit rows too).
    def time_ratio(r):
        return (r["published"] / r["expected"]) if CLASS[r["row"]["quantity"]] == "latency" else (r["expected"] / r["published"])

    def pct(ratios, p):
        k = (len(ratios) - 1) * p
        i = int(k)
        return ratios[i] + (ratios[min(i + 1, len(ratios) - 1)] - ratios[i]) * (k - i)

    timed = [r for r in results if r["row"]["role"] == "fit" and CLASS[r["row"]["quantity"]] != "energy"]
    ratios = sorted(time_ratio(r) for r in timed)
    spread = None
    kept = []
    if ratios:
        print("  fit rows' published / expected time: 5th percentile %.3f, 95th %.3f (all %d fit rows)"
              % (pct(ratios, 0.05), pct(ratios, 0.95), len(ratios)))
        kept = sorted(time_ratio(r) for r in timed if not any(r["row"]["id"].startswith(p) for p, _ in SPREAD_LEFT_OUT))
    if kept:  # empty when every fit row selected is one SPREAD_LEFT_OUT names (a --group of them)
        spread = (round(pct(kept, 0.05), 3), round(pct(kept, 0.95), 3))
        print("  serving_spread by its rule: 5th percentile %.3f, 95th %.3f (%d fit rows, less %s)"
              % (spread + (len(kept), "; ".join(why for _, why in SPREAD_LEFT_OUT))))
    devices = sorted({r["row"]["device"] for r in results})
    print("  devices: %d (%s)" % (len(devices), ", ".join(devices)))
    for row_id, why, message in unestimable:
        print("NOT ESTIMABLE %s: %s (%s)" % (row_id, why, message))
    for row_id, why in failed:
        print("FAILED %s: %s" % (row_id, why))
    if CHECK_SPREAD:
        stated = yaml.safe_load(open(os.path.join(ROOT, "catalog", "footprint.yaml")))["serving_spread"]
        if spread is None or abs(stated["low"] - spread[0]) > 0.0015 or abs(stated["high"] - spread[1]) > 0.0015:
            print("SPREAD catalog/footprint.yaml serving_spread is %s / %s; the fit rows give %s: recompute it"
                  % (stated["low"], stated["high"], "%.3f / %.3f" % spread if spread else "nothing"))
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
