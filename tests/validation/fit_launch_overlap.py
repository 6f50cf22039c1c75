#!/usr/bin/python3
"""Fit the host-launched GPU runtimes whose per-kernel launch overlaps the kernel before it
(catalog/footprint.yaml: pytorch, tensorrt without a build and tensorrt@paddle; kernel_overhead_overlaps: true)
on their fit rows, and print the figures.

    /usr/bin/python3 tests/validation/fit_launch_overlap.py [path/to/sml-estimate]

Model (lib/footprint/serving.cpp, cost_pass): a pass costs the sum over its kernels of
max(kernel time / efficiency, kernel_overhead_s), the kernel time being max(compute at peak, memory at
bandwidth). Each fit row (role: fit in tests/validation/serving_measurements.yaml) gives one value of
one parameter: the script bisects that parameter (low = expected = high) until sml-estimate's expected
latency equals the published one, the other parameter at its current expected value, and repeats
the round until the figures settle (the batch-256 rows hide almost all launches, the batch-1 rows
almost all kernel time, so two rounds suffice). The band is the fits' range; expected is their
median (the mean of two), as the entries have always been read.
  pytorch     efficiency        dle-v100-fp32-b256, dle-v100-amp-b256 (ResNet-50, V100, DeepLearningExamples)
              kernel_overhead_s dle-v100-fp32-b1, dle-v100-amp-b1, tv-v100-fp32-b1, tv-v100-fp16-b1
  tensorrt    kernel_overhead_s trt-v100-fp32-b1, trt-v100-fp16-b1
  tensorrt@paddle efficiency    ptrt-{a100,a10}-{tf32,fp16,int8}-b256 (ResNet-50, Paddle-TRT, DeepLearningExamples)
              kernel_overhead_s ptrt-{a100,a10}-{tf32,fp16,int8}-b1
The plain entry's efficiency is not fitted here: its fit rows cannot identify it. Every kernel of the
two V100 batch-1 passes is shorter than the overhead, so their latency is 56 x the overhead whatever
the efficiency. NVIDIA's Paddle-TRT tables (8 Dec 2026, serving31) identify both parameters (their
batch-256 kernels outlast the overhead, their batch-1 rows pin it on the same GPUs and precisions),
but fitted to the plain entry they gave 0.472-0.590 where the MLPerf and demo/BERT validation rows
run near its 0.714 (validation latency 78 -> 65 of 96 in band, throughput 111 -> 97 of 147), so they
fit their own build, tensorrt@paddle (catalog/footprint.yaml, its derivation). A large-batch row of
TensorRT driven by a C++ harness, marked role: fit, is what the plain entry's refit needs.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/tools/sml-estimate")
FITS = {
    "pytorch": {"efficiency": ["dle-v100-fp32-b256", "dle-v100-amp-b256"],
                "kernel_overhead_s": ["dle-v100-fp32-b1", "dle-v100-amp-b1", "tv-v100-fp32-b1", "tv-v100-fp16-b1"]},
    "tensorrt": {"kernel_overhead_s": ["trt-v100-fp32-b1", "trt-v100-fp16-b1"]},
    "tensorrt@paddle": {"efficiency": ["ptrt-%s-%s-b256" % (d, p) for d in ("a100", "a10") for p in ("tf32", "fp16", "int8")],
                        "kernel_overhead_s": ["ptrt-%s-%s-b1" % (d, p) for d in ("a100", "a10") for p in ("tf32", "fp16", "int8")]},
}


def entry_span(text, runtime):
    """Start and end of footprint.yaml's runtime entry RUNTIME: `ID` is the first `- id: ID` entry
    (the plain one), `ID@BUILD` the one whose next line is `build: "BUILD"`."""
    rid, _, build = runtime.partition("@")
    head = "  - id: %s\n" % rid + ('    build: "%s"\n' % build if build else "")
    start = text.index(head)
    end = text.index("\n  - id: ", start + 1)
    return start, end


def set_range(text, runtime, key, rng):
    start, end = entry_span(text, runtime)
    block = re.sub(r"(\n    %s: )\{[^}]*\}" % key, r"\1{low: %.6g, expected: %.6g, high: %.6g}" % rng, text[start:end], count=1)
    return text[:start] + block + text[end:]


def latency(catalog, row):
    runtime = row["runtime"] + ("@" + row["build"] if row.get("build") else "")
    out = subprocess.run([TOOL, os.path.join(ROOT, "tests/models", row["model"]), "--device", row["device"], "--runtime", runtime,
                          "--precision", row["precision"], "--serve-batch", str(row.get("batch", 1)), "--no-layers",
                          "--catalog", catalog, "--format", "json", "-q"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["inference"]["latency_s"]["expected"]


def solve(catalog, text, runtime, key, row, hi):
    lo = 0.0
    for _ in range(36):
        x = (lo + hi) / 2
        with open(os.path.join(catalog, "footprint.yaml"), "w") as f:
            f.write(set_range(text, runtime, key, (x, x, x)))
        slower = latency(catalog, row) > row["value"]
        # More efficiency is faster; more overhead is slower.
        if (key == "efficiency") == slower:
            lo = x
        else:
            hi = x
    return (lo + hi) / 2


def main():
    rows = {r["id"]: r for r in yaml.safe_load(open(os.path.join(HERE, "serving_measurements.yaml")))["rows"]}
    text = open(os.path.join(ROOT, "catalog", "footprint.yaml")).read()
    with tempfile.TemporaryDirectory() as tmp:
        catalog = os.path.join(tmp, "catalog")
        shutil.copytree(os.path.join(ROOT, "catalog"), catalog)
        for runtime, params in FITS.items():
            for round_ in range(2):
                for key, ids in params.items():
                    fits = []
                    for row_id in ids:
                        row = rows[row_id]
                        assert row["role"] == "fit" and (row["runtime"], row.get("build", "")) == tuple(runtime.partition("@")[::2]), row_id
                        fits.append(solve(catalog, text, runtime, key, row, 1.0 if key == "efficiency" else row["value"]))
                        if round_ == 1:
                            print("%s %s: %s, %.4g ms published -> %.4g" % (runtime, key, row_id, row["value"] * 1e3, fits[-1]))
                    rng = (min(fits), statistics.median(fits), max(fits))
                    text = set_range(text, runtime, key, rng)
                    if round_ == 1:
                        print("%s %s: {low: %.4g, expected: %.4g, high: %.4g}" % ((runtime, key) + rng))


if __name__ == "__main__":
    main()
