#!/usr/bin/python3
"""What the CPU serving rows say about the two CPU figures sml-estimate prices with (serving13, 6 Dec 2026).

    /usr/bin/python3 tests/validation/cpu_serving_check.py [path/to/sml-estimate]

A check, not a fit: it changes nothing and fits nothing the estimate uses. It runs every CPU row of
serving_measurements.yaml the way validate_serving.py does and prints:

1. llama.cpp decode on CPUs: the bandwidth each row achieved (published tokens/s x the bytes the
   estimate reads per token) as a share of the device's datasheet bandwidth (what the CPU entry's
   0.614 multiplies) and, where one is published, of a measured memory bandwidth (MEASURED below,
   each with its source). Then the rule "decode at e_s x the measured bandwidth", e_s taken from the
   one fit device with a measured figure (the i5-6500), scored on the rows that have one, in the
   estimate's own relative band.
2. ONNX Runtime on CPUs (ResNet-50 Offline): the FLOP rate each row achieved as a share of the
   profile's fp32 peak at base clock (what the CPU entry's 0.344, fitted on the Xeon Gold 6240R,
   multiplied until serving21; the entry is now 0.682 of the 256-bit FMA rate, peak_flops.fp32_256bit
   where a profile states one, since these per core-cycle figures agree across AVX-512 and 256-bit
   cores), and per core-cycle at that clock.
"""
import os
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import validate_serving as vs  # noqa: E402  (args_for, run_tool, predicted: the same estimate the validator asks for)

# Measured memory bandwidths in the STREAM convention (bytes read + bytes written per second).
# tinymembench's copy figures count bytes copied once ('adding together read and written bytes would
# have provided twice higher numbers', its own header), so they are doubled here. Single-thread
# figures are marked: on a chip whose one core cannot fill the memory bus they understate it.
MEASURED = {
    "devices/core-i5-6500.yaml": (20.02e9, "all cores?", "ggml-org/llama.cpp issue 34, eiery's comment of 2023-05-16 (the fit row's own post): "
                                  "'Memory bandwidth: 20.023501 GB/s'; tool and threads not stated"),
    "raspberry-pi-4b": (5.527e9, "1 thread", "sci-pi.org.uk 'Stream' (undated, Pi 4): STREAM Copy best rate 5527.3 MB/s, gcc -O3 without OpenMP; "
                        "geerlingguy/sbc-reviews issue 110 (2026, Pi 4 1.25 GHz edition): tinymembench C copy 2776.9 MB/s (x2 = 5.55 GB/s)"),
    "raspberry-pi-5": (9.741e9, "1 thread", "geerlingguy/sbc-reviews issue 21 (2023, Pi 5 8GB): tinymembench C copy 4870.3 MB/s, x2"),
}
# Rows on a Pi 5-class board with their own board's tinymembench (same SoC and LPDDR4X, a different board).
MEASURED_BY_ROW = {
    "ollama-pi500plus-llama32-3b-q4-tps": (11.788e9, "1 thread", "geerlingguy/sbc-reviews issue 81 (2025, Pi 500+): tinymembench C copy 5894.2 MB/s, x2"),
    "sbc60-pi500-llama32-3b-q4-tps": (11.202e9, "1 thread", "geerlingguy/sbc-reviews issue 60 (2024, Pi 500): tinymembench C copy 5601.0 MB/s, x2"),
    "sbc60-pi500-llama31-8b-q4-tps": (11.202e9, "1 thread", "geerlingguy/sbc-reviews issue 60 (2024, Pi 500): tinymembench C copy 5601.0 MB/s, x2"),
}
DECODE_SHARE = 0.614  # catalog/footprint.yaml, llama.cpp processor: cpu, efficiency expected
# Cores, base clock and nominal fp32 FLOPs per cycle per core of the ONNX Runtime CPU devices, as their
# profiles derive their peaks (hybrid parts: none, the two core kinds differ).
CORE_CYCLE = {
    "devices/xeon-gold-6240r.yaml": (24, 2.4e9, 64),
    "devices/gcp-n2-standard-80.yaml": (40, 2.8e9, 64),
    "amd-ryzen-9-7950x": (16, 4.5e9, 32),
}


def device_figure(device, key):
    if device.startswith("devices/"):
        doc = yaml.safe_load(open(os.path.join(HERE, device)))
        v = doc.get(key) if key != "fp32" else doc["peak_flops"]["fp32"]
    else:
        doc = yaml.safe_load(open(os.path.join(ROOT, "hw/devices", device + ".yaml")))
        v = (doc.get(key) if key != "fp32" else doc["peak_flops"]["fp32"])["value"]
    return v


def main():
    rows = yaml.safe_load(open(os.path.join(HERE, "serving_measurements.yaml")))["rows"]
    with tempfile.TemporaryDirectory() as scratch:
        llm = [r for r in rows if r.get("runtime") == "llama.cpp" and r["quantity"] == "tokens_per_s" and not r["device"].startswith("nvidia")
               and "a100" not in r["device"] and "orin" not in r["device"]]
        print("1. llama.cpp decode on CPUs (published tokens/s; bytes per token from the estimate at the datasheet bandwidth x %.3f)" % DECODE_SHARE)
        print("%-40s %-5s %9s %9s %8s %8s  %s" % ("row", "role", "GB/token", "achieved", "/peak", "/meas.", "measured figure"))
        data = []
        for r in llm:
            low, exp, high = vs.predicted(r, vs.run_tool(vs.args_for(r, scratch))["inference"])
            peak = device_figure(r["device"], "memory_bandwidth_bytes_per_s")
            per_token = DECODE_SHARE * peak / exp
            achieved = r["value"] * per_token
            meas = MEASURED_BY_ROW.get(r["id"]) or MEASURED.get(r["device"])
            data.append((r, low / exp, high / exp, per_token, meas))
            print("%-40s %-5s %9.3f %8.2fG %8.3f %8s  %s" % (r["id"][:40], r["role"][:5], per_token / 1e9, achieved / 1e9, achieved / peak,
                                                          "%.3f" % (achieved / meas[0]) if meas else "-", (meas[1] if meas else "none found")))
        fit = [d for d in data if d[0]["role"] == "fit" and d[4]]
        e_s = fit[0][0]["value"] * fit[0][3] / fit[0][4][0]
        print("\nRule tried: decode at e_s x measured bandwidth, e_s = %.3f from %s (the only fit row with a measured figure)" % (e_s, fit[0][0]["id"]))
        for r, lo, hi, per_token, meas in data:
            if not meas or r["role"] == "fit":
                continue
            exp_b = e_s * meas[0] / per_token
            err_a = DECODE_SHARE * device_figure(r["device"], "memory_bandwidth_bytes_per_s") / per_token / r["value"] - 1
            inside = lo * exp_b <= r["value"] <= hi * exp_b
            print("  %-40s datasheet x 0.614 %+5.0f%%   measured x e_s %+5.0f%% %s" % (r["id"][:40], 100 * err_a, 100 * (exp_b / r["value"] - 1),
                                                                                  "in band" if inside else "OUT"))
        print("\nSources of the measured figures:")
        for key, (v, threads, src) in list(MEASURED.items()) + list(MEASURED_BY_ROW.items()):
            print("  %-36s %6.2f GB/s (%s): %s" % (key[:36], v / 1e9, threads, src))

        print("\n2. ONNX Runtime on CPUs, ResNet-50 Offline (published images/s x %s FLOPs per image from the estimate's profile)" % "8.21e9")
        print("%-42s %-5s %10s %8s %12s" % ("row", "role", "TFLOP/s", "/peak", "FLOP/core-cycle (nominal)"))
        for r in rows:
            if r.get("runtime") != "onnxruntime" or r["quantity"] != "throughput_per_s" or r["device"] in ("nvidia-rtx-3090", "nvidia-t4"):
                continue
            doc = vs.run_tool(vs.args_for(r, scratch))
            flops = doc["profile"]["total"]["flops"] / doc["profile"]["inputs"][0]["shape"][0]
            rate = r["value"] * flops
            peak = device_figure(r["device"], "fp32")
            cc = CORE_CYCLE.get(r["device"])
            print("%-42s %-5s %10.3f %8.3f %12s" % (r["id"][:42], r["role"][:5], rate / 1e12, rate / peak,
                                                  "%.1f (%d)" % (rate / (cc[0] * cc[1]), cc[2]) if cc else "- (hybrid)"))


if __name__ == "__main__":
    main()
