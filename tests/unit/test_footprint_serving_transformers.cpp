// One query of a transformer pinned on hand-derived cases (made-up test devices in tests/data/): LLM
// serving from the parameter count (prefill and decode), the peaks a runtime reaches by precision and
// architecture, BERT under TensorRT, and encoder passes by --params, with --mean-tokens.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "onnx_builder.hpp"
#include "scratch_file.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/range.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "footprint_estimate_fixture.hpp"
#include "footprint_fixture.hpp"

using doctest::Approx;
using sml::footprint::EstimateOptions;
using namespace footprint_estimate_test;

TEST_SUITE("footprint-serving") {
  TEST_CASE("LLM serving from the parameter count: prefill compute-bound, decode reads weights and KV cache") {
    EstimateOptions o = base();
    o.model_path.clear();
    o.parametric = dense_model(1e9);
    o.device = "test-gpu";
    o.plan.precision = "bf16";
    o.precision_given = true;  // as sml-estimate --precision bf16 sets it: bf16 then rules serving too
    o.serving.runtime = "llm";
    o.serving.prompt_tokens = 100;
    o.serving.output_tokens = 10;
    o.serving.kv_bytes_per_token = 1000;
    // 1e9 bf16 weights are 2e9 B, past test-gpu's 1e9 B of memory: not served (exit 2).
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("the weights alone take 2000000000 B"), sml::InputError);
    o.parametric = dense_model(1e8);
    auto r = sml::footprint::estimate(o);
    // Prefill: 2 × 1e8 × 100 = 2e10 FLOPs (+ 1.6e8 of attention) at 1e12 = 0.02 s, but reading 2e8 B
    // of weights at 1e9 B/s takes 0.2 s: 0.2 s / compute efficiency 0.25 + 1 ms step overhead = 0.801 s.
    // Decode step: (2e8 B weights + 1000 B × (100 + 10/2) tokens of KV) / 1e9 / 0.5 + 1 ms.
    const double step = (2e8 + 1000 * 105.0) / 1e9 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.time_to_first_token_s.expected") == Approx(0.801));
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(0.801 + 10 * step));
    CHECK(num(r.doc, "inference.tokens_per_s.expected") == Approx(1 / step));
    CHECK(num(r.doc, "inference.energy_kwh_per_1k_tokens.expected") ==
          Approx(num(r.doc, "inference.energy_kwh_per_query.expected") * 100));
    // int4 weights: 4.5 bits each (GGML Q4_0 blocks), arithmetic at the fp16/bf16 path.
    o.serving.precision = "int4";
    o.serving.prompt_tokens.reset();
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("inference.precision")->as_string() == "int4");
    // test-gpu has no fp16 peak: int4 computes at fp32 (1e12 too).
    CHECK(num(r.doc, "inference.tokens_per_s.expected") == Approx(1 / ((1e8 * 0.5625 + 1000 * 5.0) / 1e9 / 0.5 + 1e-3)));
    // Concurrency 4: one weight read serves four requests; each adds its KV cache.
    o.serving.concurrency = 4;
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.tokens_per_s.expected") ==
          Approx(4 / ((1e8 * 0.5625 + 4 * 1000 * 5.0) / 1e9 / 0.5 + 1e-3)));
    // An LLM-only runtime refuses a graph; an unfitted runtime says why.
    o.serving.runtime = "unfitted";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("test: no measurement"), sml::InputError);
    o.serving.runtime = "warp";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("pytorch, fused, llm, arch-llm, llm16, unfused-llm, unfitted"), sml::InputError);
  }

  TEST_CASE("prefill of a runtime that accumulates fp16 runs at the device's fp16-accumulate peak") {
    EstimateOptions o = prefill(1e8, "test-geforce");
    o.serving.precision = "fp16";
    // 2 × 1e8 × 10000 = 2e12 FLOPs + causal attention (1.63e12): about 3.6 s at the 1e12 fp16 peak
    // (the 2e8 B of weights take 0.2 s), / compute efficiency 0.25 + 1 ms step overhead.
    const double flops = 2e12 + prefill_attention(1e8);
    o.serving.runtime = "llm";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 1e12 / 0.25 + 1e-3));
    // llm16 accumulates in fp16: 2e12 FLOP/s, half the time.
    o.serving.runtime = "llm16";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 2e12 / 0.25 + 1e-3));
    // On a device without an fp16-accumulate figure the fp16 peak stays (test-gpu: bf16 1e12).
    o.device = "test-gpu";
    o.serving.precision = "bf16";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 1e12 / 0.25 + 1e-3));
  }

  TEST_CASE("a transformer by --params runs int8 at the GPU's own peak where the device's int8 figure counts CNN engines") {
    EstimateOptions o = prefill(1e8, "test-geforce");
    o.serving.runtime = "llm";
    o.serving.precision = "int8";
    // 2e12 GEMM FLOPs + causal attention at int8_gpu 1e12, not the 4e12 of GPU and CNN engine together
    // (the 1e8 B of int8 weights take 0.1 s), / 0.25 + 1 ms.
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") ==
          Approx((2e12 + prefill_attention(1e8)) / 1e12 / 0.25 + 1e-3));
  }

  TEST_CASE("a runtime fitted apart on an architecture computes at that architecture's share of the peak") {
    // 2e12 GEMM FLOPs + causal attention at the fp16 peak 1e12 (compute-bound: 2e8 B of weights take
    // 0.2 s), / the share, + 1 ms per query: test-geforce matches the runtime's prefix test-gef (0.125),
    // test-gpu does not (its compute_efficiency 0.25; bf16 at 1e12, the same peak).
    const double flops = 2e12 + prefill_attention(1e8);
    EstimateOptions o = prefill(1e8, "test-geforce");
    o.serving.runtime = "arch-llm";
    o.serving.precision = "fp16";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 1e12 / 0.125 + 1e-3));
    o.device = "test-gpu";
    o.serving.precision = "bf16";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 1e12 / 0.25 + 1e-3));
  }

  TEST_CASE("TensorRT runs BERT-large at Hopper's fitted share of the int8 peak, not the entry's 0.714") {
    // The shipped catalogue: MLPerf BERT-99 offline on one H100 SXM, batch 1280 at SQuAD's mean 177
    // tokens. Per sequence 2 x 302e6 x 177 GEMM FLOPs + encoder attention 4 x 24 x 177^2 x 1024
    // (d_model = sqrt(302e6 / (12 x 24)) = 1024.0), at 1.9789e15 int8 OP/s / 0.519, + 24 layers x 7 fused
    // kernels x 30.18 us (the --params path adds the launches). (The weights, 340 MB at 3.35 TB/s, take 0.1 ms: compute-bound.)
    EstimateOptions o;
    o.hw_dir = std::string(SML_SOURCE_DATA_DIR) + "/hw";
    o.catalog_dir = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
    o.layers = false;
    sml::footprint::ParametricModel m;
    m.params = 340e6;
    m.active_params = 302e6;
    o.parametric = m;
    o.device = "nvidia-h100-sxm5-80gb";
    o.serving.runtime = "tensorrt";
    o.serving.precision = "int8";
    o.serving.layers = 24;
    o.serving.prompt_tokens = 384;
    o.serving.mean_tokens = 177;
    o.serving.concurrency = 1280;
    const double d_model = std::sqrt(302e6 / (12 * 24));
    const double flops = 1280 * (2 * 302e6 * 177 + 4 * 24 * 177.0 * 177 * d_model);
    const double latency = flops / 1.9789e15 / 0.519 + 24 * 7 * 3.018e-5;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.throughput_per_s.expected") == Approx(1280 / latency).epsilon(1e-4));
  }

  TEST_CASE("NVIDIA's BERT demo at batch 1 is costed as the CUDA-graph launch path it was measured on") {
    // The shipped catalogue: BERT-base, 128 tokens, batch 1, fp16 on an A100 40GB under
    // tensorrt@cuda-graphs. Memory-bound: 110e6 x 2 B of weights at 1.555 TB/s = 0.1415 ms (the GEMMs and
    // attention, 2.24e10 FLOPs, take 0.072 ms at 312 TFLOP/s), / 0.714, + 12 layers x 7 fused kernels x
    // 10,071 GPU cycles (the median of the L40S ResNet-50's and this demo's 12,222 and 7,920) at the
    // A100's 1.41 GHz peak clock = 7.14 us each.
    EstimateOptions o;
    o.hw_dir = std::string(SML_SOURCE_DATA_DIR) + "/hw";
    o.catalog_dir = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
    o.layers = false;
    sml::footprint::ParametricModel m;
    m.params = 110e6;
    m.active_params = 85e6;
    o.parametric = m;
    o.device = "nvidia-a100-sxm4-40gb";
    o.serving.runtime = "tensorrt@cuda-graphs";
    o.serving.precision = "fp16";
    o.serving.layers = 12;
    o.serving.prompt_tokens = 128;
    const double expected = 110e6 * 2 / 1.555e12 / 0.714 + 84 * 10071 / 1.41e9;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") * 1e3 == Approx(expected * 1e3).epsilon(1e-3).scale(0));
  }

  TEST_CASE("an encoder pass from --params counts attention, and an unfused runtime's score matrices") {
    EstimateOptions o = base();
    o.model_path.clear();
    o.parametric = dense_model(12 * 256 * 256);  // one layer: N = 12 · d², so d_model 256 and 256 / 64 = 4 heads
    o.device = "test-gpu";
    o.serving.runtime = "llm";
    o.serving.precision = "fp32";
    o.serving.layers = 1;
    o.serving.prompt_tokens = 10000;
    // 2 · 786,432 · 1e4 = 1.573e10 GEMM FLOPs + attention 4 · 1 · 1e4² · 256 = 1.024e11 at 1e12 FLOP/s
    // (longer than the 3.1 MB of weights at 1e9 B/s), / 0.25 + 1 ms.
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx((1.572864e10 + 1.024e11) / 1e12 / 0.25 + 1e-3));
    // 1,000 tokens: 2.6e9 FLOPs take 2.6 ms, the 3,145,728 B of weights 3.1 ms; an unfused runtime also
    // writes and reads 4 heads × 1e6 scores × 4 B four times, 6.4e7 B: 64 ms more at 1e9 B/s.
    o.serving.prompt_tokens = 1000;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(3.145728e-3 / 0.25 + 1e-3));
    o.serving.runtime = "unfused-llm";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx((3.145728e-3 + 0.064) / 0.25));
    // --heads 8 (heads of 32): twice the score matrices.
    o.serving.heads = 8;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx((3.145728e-3 + 0.128) / 0.25));
    // A generation's prefill is causal: token i attends to the i before it, half the encoder's count,
    // 2 · 1 layer · 1e4² · 256 = 5.12e10 FLOPs beside the 1.573e10 of GEMMs at 1e4 prompt tokens.
    o.serving.output_tokens = 1;
    o.serving.kv_bytes_per_token = 1000;
    o.serving.runtime = "llm";
    o.serving.prompt_tokens = 10000;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") ==
          Approx((1.572864e10 + 5.12e10) / 1e12 / 0.25 + 1e-3));
  }

  TEST_CASE("variable-length encoder inputs (--mean-tokens): GEMMs and attention at the mean, not the padded length") {
    EstimateOptions o = base();
    o.model_path.clear();
    o.parametric = dense_model(12 * 256 * 256);  // one layer of d_model 256
    o.device = "test-gpu";
    o.serving.runtime = "llm";
    o.serving.precision = "fp32";
    o.serving.layers = 1;
    o.serving.prompt_tokens = 10000;
    o.serving.mean_tokens = 5000;
    // 2 · 786,432 · 5,000 = 7.86432e9 GEMM FLOPs + attention 4 · 1 · 5,000² · 256 = 2.56e10, at 1e12 / 0.25 + 1 ms
    // (padded to 1e4 tokens it was 1.573e10 + 1.024e11).
    auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx((7.86432e9 + 2.56e10) / 1e12 / 0.25 + 1e-3));
    // An encoder pass keeps no KV cache: no note about one.
    for (const auto& n : r.doc.path("inference.assumptions.notes")->as_list()) CHECK(n.as_string().find("KV cache") == std::string::npos);
    // The mean cannot pass the padded length, and a generation has no padding to skip.
    o.serving.mean_tokens = 20000;
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("longer than --prompt-tokens"), sml::UsageError);
    o.serving.mean_tokens = 5000;
    o.serving.output_tokens = 10;
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("prices an encoder pass"), sml::UsageError);
  }
}
