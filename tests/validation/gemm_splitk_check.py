#!/usr/bin/python3
"""Wave quantization with the tile choice modelled (issue 17; serving11, 6 Dec 2026): would small GEMMs at
batch 1 explain the TensorRT encoder misses? The rule, fixed before it was computed:
- tiles: the cuBLAS tile shapes of NVIDIA's Matrix Multiplication Background User's Guide (DU-09799-001,
  2023, section 2.3): 256x128, 128x256, 128x128, 128x64, 64x128, 64x64;
- split K: a tile's K loop may be divided among s thread blocks (CUTLASS "Split-K" / cuBLASLt
  CUBLASLT_ALGO_CONFIG_SPLITK_NUM), each at least one 32-deep k-tile (CUTLASS's SM80 tensor-op kernels,
  e.g. 128x128_32x3), s <= K / 32;
- TensorRT times its tactics when it builds an engine and keeps the fastest, so the kernel run is the
  best (tile, s): the share of SMs busy is max over them of c / (ceil(c / SMs) x SMs), c = tiles x s,
  every tile taken as equally efficient per MAC and the split's reduction as free (a lower bound).
For each --params prefill or encoder row on a GPU with sm_count it prints the FLOP-weighted slowdown of
the weight GEMMs (QKV, output, MLP up and down: 3:1:4:4) beside the one-128x128-tile rule serving10 tried.
    /usr/bin/python3 tests/validation/gemm_splitk_check.py
Result: 1.000-1.023 on every row, so this rule cannot move any estimate by more than 2.3% of its
compute term, and it was not put into sml-estimate.
"""
import math, yaml, os, re
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
rows = yaml.safe_load(open(ROOT + "/tests/validation/serving_measurements.yaml"))["rows"]
def sm_of(dev):
    p = os.path.join(ROOT, "tests/validation", dev) if dev.startswith("devices/") else os.path.join(ROOT, "hw/devices", dev + ".yaml")
    t = open(p).read()
    m = re.search(r"^sm_count:\s*(?:\{value:\s*)?([0-9.]+|null)", t, re.M)
    return float(m.group(1)) if m and m.group(1) != "null" else None
TILES = [(256, 128), (128, 256), (128, 128), (128, 64), (64, 128), (64, 64)]
def busy(M, N, K, sm):
    best = 0
    for tm, tn in TILES:
        t = math.ceil(M / tm) * math.ceil(N / tn)
        for s in range(1, max(1, int(K // 32)) + 1):
            c = t * s
            best = max(best, c / (math.ceil(c / sm) * sm))
    return best
def tile128(M, N, sm):
    t = math.ceil(M / 128) * math.ceil(N / 128); return t / (math.ceil(t / sm) * sm)
for r in rows:
    if "params" not in r or "prompt_tokens" not in r or "output_tokens" in r and r["workload"] != "encoder": continue
    sm = sm_of(r["device"])
    if not sm: continue
    L = r.get("layers"); N = r.get("active_params", r["params"])
    d = 64 * round(math.sqrt(N / (12 * L)) / 64)
    tokens = r.get("mean_tokens", r["prompt_tokens"]) * r.get("batch", 1)
    g = [(3, 3 * d, d), (1, d, d), (4, 4 * d, d), (4, d, 4 * d)]
    sk = sum(w / busy(tokens, n, k, sm) for w, n, k in g) / 12
    one = sum(w / tile128(tokens, n, sm) for w, n, k in g) / 12
    print("%-44s sm %3d rows %6d d %5d  split-K/autotuned slowdown %.3f   (one 128x128 tile: %.2f)" % (r["id"], sm, tokens, d, sk, one))
