#!/usr/bin/python3
"""Fit the eager runtime's per-kernel overhead of a decode step (catalog/footprint.yaml, runtime
pytorch, step_kernel_overhead_s) on the one fit row for it, and print the figures.

    /usr/bin/python3 tests/validation/fit_step_kernel_overhead.py

Fit row (role: fit in serving_measurements.yaml): eager-a10g-llama7b-fp16-tps, HF transformers
generate(), LLaMA-7B fp16, batch 1, prompt 1000, 200 new tokens, 23.150 tok/s on an A10G.
Model (lib/footprint/serving.cpp, the --params path), per generated token:
    time = (weights + passes x KV cache at the mean context) / bandwidth / efficiency
           + step_kernel_overhead_s x layers x (kernels per layer + 2 if the cache is concatenated)
  weights     params x 2 bytes (fp16)
  KV cache    kv_bytes_per_token x (prompt + output / 2) tokens; passes = 3 where the runtime
              concatenates the cache (kv_cache_concat: read by attention, read and written by
              torch.cat), else 1
  bandwidth   hw/devices/nvidia-a10.yaml (the A10G has the A10's 600 GB/s)
  efficiency  the runtime's expected efficiency (fitted on ResNet-50 batch 256)
  kernels     kEagerKernelsPerDecoderLayer in lib/include/sml/footprint/kernels.hpp (the eager rule
              applied to one layer of a built Llama-2-7B decode step; test_eager_kernels.cpp)
The band is the relative spread of the batch-1 kernel_overhead_s fits (low / median and high /
median), an assumption: one row cannot give a spread.
"""
import os
import re

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ROW = "eager-a10g-llama7b-fp16-tps"


def main():
    rows = yaml.safe_load(open(os.path.join(HERE, "serving_measurements.yaml")))
    rows = rows["rows"]
    row = next(r for r in rows if r["id"] == ROW)
    assert row["role"] == "fit"
    fp = yaml.safe_load(open(os.path.join(ROOT, "catalog", "footprint.yaml")))
    rt = next(r for r in fp["runtimes"] if r["id"] == row["runtime"])
    device = yaml.safe_load(open(os.path.join(ROOT, "hw", "devices", row["device"] + ".yaml")))
    header = open(os.path.join(ROOT, "lib", "include", "sml", "footprint", "kernels.hpp")).read()
    per_layer = float(re.search(r"kEagerKernelsPerDecoderLayer = (\d+)", header).group(1))

    bw = float(device["memory_bandwidth_bytes_per_s"]["value"])
    eff = rt["efficiency"]["expected"]
    concat = bool(rt.get("kv_cache_concat"))
    passes = 3 if concat else 1
    weights = row["params"] * 2
    context = row["prompt_tokens"] + row["output_tokens"] / 2
    cache = row["kv_bytes_per_token"] * context
    roofline = (weights + passes * cache) / bw / eff
    measured = 1 / row["value"]
    kernels = row["layers"] * (per_layer + (2 if concat else 0))
    per_kernel = (measured - roofline) / kernels
    k = rt["kernel_overhead_s"]
    low, high = k["low"] / k["expected"], k["high"] / k["expected"]
    print(f"row {ROW}: {row['value']} tok/s = {measured * 1e3:.2f} ms per token")
    print(f"roofline: ({weights / 1e9:.2f} GB weights + {passes} x {cache / 1e9:.3f} GB KV cache at context {context:g})"
          f" / {bw / 1e9:g} GB/s / {eff} = {roofline * 1e3:.2f} ms")
    print(f"kernels per step: {row['layers']} layers x ({per_layer:g}{' + 2 cache concatenations' if concat else ''}) = {kernels:g}")
    print(f"per-kernel overhead: ({measured * 1e3:.2f} - {roofline * 1e3:.2f}) ms / {kernels:g} = {per_kernel * 1e6:.3f} us")
    print(f"step_kernel_overhead_s: {{low: {per_kernel * low:.3g}, expected: {per_kernel:.3g}, high: {per_kernel * high:.3g}}}"
          f"  (band x{low:.3f} to x{high:.3f}: the batch-1 kernel_overhead_s fits' spread)")


if __name__ == "__main__":
    main()
