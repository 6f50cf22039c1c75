// LLM serving on continuous-batching runtimes (issue 17): the per-sequence step overhead and the
// serving power drawn from a device generation's own observations, checked against hand-derived figures.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "sml/compose/composition.hpp"
#include "sml/compose/decode.hpp"
#include "sml/compose/derive.hpp"
#include "sml/cost/passes.hpp"
#include "sml/cost/profile.hpp"
#include "sml/footprint/kernels.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "footprint_fixture.hpp"
#include "serving_fixture.hpp"

namespace {

const std::string kModel = footprint_test::kMinimalModelHead + R"(serving_power:
  observations:
    - {what: board one at a time, device: "Jetson AGX Orin devkit", value: 0.4, basis: single-stream, source: t}
    - {what: board offline, device: "Jetson AGX Orin devkit", value: 0.6, basis: batched, source: t}
    - {what: gpu batch 8, device: "NVIDIA H100 SXM", value: 0.7, basis: batched, source: t}
    - {what: gpu batch 64, device: "NVIDIA H100 SXM", value: 0.8, basis: batched, source: t}
    - {what: gpu batch 256, device: "NVIDIA H100 SXM", value: 0.9, basis: batched, source: t}
runtimes:
  - id: server
    name: a continuous-batching server
    llm_only: true
    fuses_elementwise: true
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    query_overhead_s: {low: 0.002, expected: 0.002, high: 0.002}
    sequence_overhead_s: {low: 1.0e-4, expected: 1.0e-4, high: 1.0e-4}
)";

// The H100-like GPU of the decode and beam cases: 1 PFLOP/s fp16, 1 TB/s, 1000 W, its own system
// (edge-board class: no host share, no PUE), so every figure below is worked by hand.
sml::hw::Device h100_like() {
  sml::hw::Device d;
  d.id = "gpu";
  d.name = "NVIDIA H100 SXM5 80GB";
  d.device_class = "edge-board";
  d.peak_flops["fp16"].value = 1e15;
  d.memory_bandwidth_bytes_per_s.value = 1e12;
  d.tdp_w.value = 1000;
  return d;
}

}  // namespace

TEST_SUITE("serving_llm") {
  TEST_CASE("serving power: a generation's own observations set centre and spread") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    // H100, batched: its three observations, median 0.8, 0.7 to 0.9 (the board's 0.6 left out).
    const auto gpu = m.serving_power_for("NVIDIA H100 SXM5 80GB", true);
    CHECK(gpu.range.expected == doctest::Approx(0.8));
    CHECK(gpu.range.low == doctest::Approx(0.7));
    CHECK(gpu.range.high == doctest::Approx(0.9));
    // Orin, batched: its own 0.6, widened to the spread of its two loads (0.4 and 0.6, median 0.5):
    // 0.6 × 0.8 = 0.48 to 0.6 × 1.2 = 0.72. The H100 figures do not move it.
    const auto board = m.serving_power_for("NVIDIA Jetson AGX Orin 64GB", true);
    CHECK(board.range.expected == doctest::Approx(0.6));
    CHECK(board.range.low == doctest::Approx(0.48));
    CHECK(board.range.high == doctest::Approx(0.72));
    // Orin one at a time: 0.4 × 0.8 = 0.32 to 0.4 × 1.2 = 0.48.
    const auto single = m.serving_power_for("NVIDIA Jetson AGX Orin 64GB", false);
    CHECK(single.range.expected == doctest::Approx(0.4));
    CHECK(single.range.high == doctest::Approx(0.48));
  }

  TEST_CASE("decode step: memory-bound ideal / efficiency + per-step + per-sequence overhead") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = h100_like();
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("server", "fp16");
    plan.output_tokens = 100;
    plan.concurrency = 10;
    plan.kv_bytes_per_token = 1e5;
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    // Per step: weights 2e9 B + 10 sequences × 1e5 B × 50 tokens (mean context of 100 outputs)
    // = 2.05e9 B at 1e12 B/s = 2.05 ms (compute 2e10 FLOP at 1e15: 0.02 ms, so memory-bound);
    // / 0.5 = 4.1 ms, + 2 ms per step + 10 × 0.1 ms per sequence = 7.1 ms. Ten sequences per step:
    // 10 / 7.1 ms = 1408.5 tokens/s.
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == doctest::Approx(10 / 7.1e-3));
    // Energy per request: 100 steps × 7.1 ms / 10 requests = 71 ms of device time at 0.8 × 1000 W
    // (the H100 observations, batched) = 56.8 J.
    plan.boundary = "device";
    const auto e = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(e.energy_kwh_per_query);
    CHECK(e.energy_kwh_per_query->expected == doctest::Approx(0.071 * 800 / 3.6e6));
  }

  TEST_CASE("beam search: each step decodes requests × beams sequences, reads the weights once, yields a token a request") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = h100_like();
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("server", "fp16");
    plan.output_tokens = 100;
    plan.concurrency = 10;
    plan.kv_bytes_per_token = 1e5;
    plan.layers = 10;
    plan.beam_width = 4;
    const auto ctx = serving_test::own_system(d, m);
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    // Per step: weights 2e9 B once + 40 sequences (10 requests × 4 beams) × 1e5 B × 50 tokens = 2.2e9 B
    // at 1e12 B/s = 2.2 ms (compute 8e10 FLOP at 1e15: 0.08 ms); / 0.5 = 4.4 ms, + 2 ms per step
    // + 40 sequences × 0.1 ms = 10.4 ms. One token a request a step: 10 / 10.4 ms = 961.5 tokens/s
    // (greedy, the case above: 10 / 7.1 ms).
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == doctest::Approx(10 / 10.4e-3));
    CHECK(serving_test::noted(r, "beam search: 4 beams a request"));
    // Weights once, not per beam: 40 requests at one beam each run the same step (10.4 ms) but
    // yield 40 tokens a step, four times the tokens per second.
    plan.beam_width = 1;
    plan.concurrency = 40;
    const auto wide = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(wide.tokens_per_s);
    CHECK(wide.tokens_per_s->expected == doctest::Approx(4 * r.tokens_per_s->expected));
    // The prompt is prefilled once a request: the first token's time does not move with the beams.
    plan.concurrency = 10;
    plan.prompt_tokens = 500;
    const auto greedy = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    plan.beam_width = 4;
    const auto beams = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(greedy.prefill_s);
    REQUIRE(beams.prefill_s);
    CHECK(beams.prefill_s->expected == doctest::Approx(greedy.prefill_s->expected));
    CHECK(beams.latency_s.expected > greedy.latency_s.expected);
  }

  TEST_CASE("beam search: refused without generated tokens, and for a model not given by its parameters") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = h100_like();
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("server", "fp16");
    plan.prompt_tokens = 500;
    plan.layers = 10;
    plan.beam_width = 4;
    const auto ctx = serving_test::own_system(d, m);
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(llm.work, plan, ctx), doctest::Contains("--beam-width needs --output-tokens"),
                         sml::UsageError);
    plan.output_tokens = 10;
    sml::footprint::ServingWork none;  // neither a graph nor --params
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(none, plan, ctx), doctest::Contains("--beam-width prices beam search"),
                         sml::UsageError);
    const sml::cost::Profile graph;  // an ONNX model's profiled pass: refused before it is costed
    sml::footprint::ServingWork onnx;
    onnx.profile = &graph;
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(onnx, plan, ctx), doctest::Contains("--beam-width prices beam search"),
                         sml::UsageError);
  }

  TEST_CASE("beam search: beams are a batch for serving power; the beam width is range-checked once (exit 2)") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d;
    d.id = "board";
    d.name = "NVIDIA Jetson AGX Orin 64GB";
    d.device_class = "edge-board";
    d.peak_flops["fp16"].value = 1e14;
    d.memory_bandwidth_bytes_per_s.value = 2e11;
    d.tdp_w.value = 100;
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("server", "fp16");
    plan.prompt_tokens = 100;
    plan.output_tokens = 10;
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    // One request, one beam: the board's single-stream observation, 0.4 × 100 W.
    const auto greedy = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(greedy.power_w);
    CHECK(greedy.power_w->expected == doctest::Approx(40));
    // One request, four beams: four sequences each step, as four requests are: the batched 0.6 × 100 W.
    plan.beam_width = 4;
    const auto beams = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(beams.power_w);
    CHECK(beams.power_w->expected == doctest::Approx(60));
    CHECK(beams.beam_width == 4);
    plan.beam_width = 1;
    plan.concurrency = 4;
    CHECK(plan.sequences() == 4);
    const auto requests = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(requests.power_w);
    CHECK(requests.power_w->expected == doctest::Approx(beams.power_w->expected));
    // Out of range: InputError (exit 2), above the sanity bound as below 1.
    plan.concurrency = 1;
    plan.beam_width = 0;
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(llm.work, plan, ctx), doctest::Contains("--beam-width 0"), sml::InputError);
    plan.beam_width = sml::footprint::kMaxBeamWidth + 1;
    CHECK_THROWS_AS(sml::footprint::estimate_serving_query(llm.work, plan, ctx), sml::InputError);
    plan.beam_width = sml::footprint::kMaxBeamWidth;
    CHECK_NOTHROW(sml::footprint::estimate_serving_query(llm.work, plan, ctx));
  }

  TEST_CASE("decode step: a measured sustained read bandwidth caps the runtime's share of the theoretical rate") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d;
    d.id = "board";
    d.name = "an LPDDR board";
    d.device_class = "edge-board";
    d.peak_flops["fp16"].value = 1e15;
    d.memory_bandwidth_bytes_per_s.value = 1e12;
    d.tdp_w.value = 100;
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("server", "fp16");
    plan.output_tokens = 100;
    plan.concurrency = 10;
    plan.kv_bytes_per_token = 1e5;
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    // As the case above: 2.05e9 B a step at 1e12 B/s × efficiency 0.5 = 4.1 ms, + 2 + 10 × 0.1 ms.
    // A measured rate above the runtime's share (0.6e12 > 0.5e12) changes nothing.
    d.memory_bandwidth_measured_bytes_per_s.value = 0.6e12;
    const auto above = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(above.tokens_per_s);
    CHECK(above.tokens_per_s->expected == doctest::Approx(10 / 7.1e-3));
    // Measured 0.4e12 B/s, below the 0.5e12 the efficiency allows: the step reads its 2.05e9 B at
    // 0.4e12 = 5.125 ms (not 4.1), + 3 ms of overhead = 8.125 ms; 10 / 8.125 ms = 1230.8 tokens/s.
    d.memory_bandwidth_measured_bytes_per_s.value = 0.4e12;
    const auto capped = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(capped.tokens_per_s);
    CHECK(capped.tokens_per_s->expected == doctest::Approx(10 / 8.125e-3));
    CHECK(serving_test::noted(capped, "memory_bandwidth_measured_bytes_per_s"));
  }

  TEST_CASE("memory_bandwidth_measured_bytes_per_s is read from hwprofile/v1 and device/v1, absent as null") {
    const auto p = sml::hw::parse_hwprofile(sml::parse_yaml(R"(sml: hwprofile/v1
name: "board"
peak_flops: {fp16: 1.0e+12}
memory_bandwidth_bytes_per_s: 2.0e+11
memory_bandwidth_measured_bytes_per_s: 1.5e+11
power_w: {max: 10}
)", "p.yaml"));
    REQUIRE(p.memory_bandwidth_measured_bytes_per_s.value);
    CHECK(*p.memory_bandwidth_measured_bytes_per_s.value == doctest::Approx(1.5e11));
    const auto d = sml::hw::parse_device(sml::parse_yaml(R"(sml: device/v1
id: b
class: edge-board
peak_flops: {fp16: {value: 1.0e+12, source: s, year: 2024}}
memory_bytes: {value: 8.0e+9, source: s, year: 2024}
memory_bandwidth_bytes_per_s: {value: 2.0e+11, source: s, year: 2024}
power_w: {tdp: {value: 10, source: s, year: 2024}}
)", "d.yaml"));
    CHECK_FALSE(d.memory_bandwidth_measured_bytes_per_s.value);
  }

  TEST_CASE("mixture of experts: a decode step reads the shared weights and the distinct experts its batch touches") {
    // Expected distinct experts per layer when B tokens each pick k of E uniformly: enumerate every
    // routing (the reference), against E·(1 − (1 − k/E)^B).
    const auto enumerated = [](int E, int k, int B) {
      std::vector<std::vector<int>> choices;  // every k-subset of E as a bit mask
      for (int m = 0; m < (1 << E); ++m)
        if (__builtin_popcount(m) == k) choices.push_back({m});
      double total = 0, count = 0;
      std::vector<std::size_t> pick(B, 0);
      while (true) {
        int mask = 0;
        for (int b = 0; b < B; ++b) mask |= choices[pick[b]][0];
        total += __builtin_popcount(mask);
        ++count;
        int b = 0;
        while (b < B && ++pick[b] == choices.size()) pick[b++] = 0;
        if (b == B) break;
      }
      return total / count;
    };
    CHECK(enumerated(4, 1, 2) == doctest::Approx(1.75));   // 4 · (1 − (3/4)²)
    CHECK(enumerated(4, 2, 2) == doctest::Approx(3.0));    // 4 · (1 − (1/2)²)
    CHECK(enumerated(8, 2, 3) == doctest::Approx(8 * (1 - 0.75 * 0.75 * 0.75)));
    // 10 parameters, 4 active, 4 experts of which 1 per token: routed weights P_e = (10 − 4) / (1 −
    // 1/4) = 8, two per expert; shared 2. Batch 1 reads the active 4; batch 2 touches 1.75 experts:
    // 2 + 1.75 × 2 = 5.5; batch 3: 2 + 4 · (1 − 27/64) × 2 = 6.625; a large batch all 10.
    sml::footprint::ParametricModel moe;
    moe.params = 10;
    moe.active_params = 4;
    moe.experts = 4;
    moe.experts_per_token = 1;
    CHECK(sml::footprint::params_read_per_step(moe, 1) == doctest::Approx(4));
    CHECK(sml::footprint::params_read_per_step(moe, 2) == doctest::Approx(2 + enumerated(4, 1, 2) * 2));
    CHECK(sml::footprint::params_read_per_step(moe, 3) == doctest::Approx(6.625));
    CHECK(sml::footprint::params_read_per_step(moe, 1000) == doctest::Approx(10));
    // Without the routing: the bound min(params, active × batch).
    moe.experts.reset();
    moe.experts_per_token.reset();
    CHECK(sml::footprint::params_read_per_step(moe, 2) == doctest::Approx(8));
    CHECK(sml::footprint::params_read_per_step(moe, 3) == doctest::Approx(10));
  }
}

namespace {

// An eager runtime whose decode steps have their own per-kernel overhead (step_kernel_overhead_s),
// and one without it, whose decode steps fall back to kernel_overhead_s.
const std::string kEager = footprint_test::kMinimalModelHead + R"(runtimes:
  - id: eager
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    kernel_overhead_s: {low: 9.0e-5, expected: 9.0e-5, high: 9.0e-5}
    step_kernel_overhead_s: {low: 1.0e-5, expected: 1.0e-5, high: 1.0e-5}
    query_overhead_s: {low: 0, expected: 0, high: 0}
  - id: eager-concat
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    kernel_overhead_s: {low: 9.0e-5, expected: 9.0e-5, high: 9.0e-5}
    step_kernel_overhead_s: {low: 1.0e-5, expected: 1.0e-5, high: 1.0e-5}
    query_overhead_s: {low: 0, expected: 0, high: 0}
    kv_cache_concat: "a test source"
  - id: eager-one-figure
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    kernel_overhead_s: {low: 9.0e-5, expected: 9.0e-5, high: 9.0e-5}
    query_overhead_s: {low: 0, expected: 0, high: 0}
)";

sml::hw::Device eager_gpu() {
  sml::hw::Device d;
  d.id = "gpu";
  d.name = "a GPU";
  d.device_class = "edge-board";
  d.peak_flops["fp16"].value = 1e15;
  d.memory_bandwidth_bytes_per_s.value = 1e12;
  d.tdp_w.value = 1000;
  return d;
}

}  // namespace

TEST_SUITE("serving_llm") {
  TEST_CASE("decode steps pay step_kernel_overhead_s per kernel, prefill and single passes kernel_overhead_s") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kEager, "test.yaml"));
    const sml::hw::Device d = eager_gpu();
    const auto ctx = serving_test::own_system(d, m);
    auto plan = serving_test::plan_on("eager", "fp16");

    // Parametric: 1e9 parameters, 10 layers (43 eager kernels each = 430, kernels.hpp), KV 1e5 B
    // per token, 100 prompt and 100 output tokens, one sequence. Step: (2e9 B of fp16 weights +
    // 1e5 B × 150 tokens of mean context) / 1e12 B/s = 2.015 ms (compute 2e9 FLOP at 1e15: 2 us),
    // / 0.5 = 4.03 ms, + 430 × 10 us = 4.3 ms: 8.33 ms. Prefill: max(2e11 FLOP / 1e15 = 0.2 ms,
    // 2e9 B / 1e12 = 2 ms) / 0.5 = 4 ms + 430 × 90 us = 38.7 ms: 42.7 ms.
    const serving_test::Dense llm(1e9);
    plan.prompt_tokens = 100;
    plan.output_tokens = 100;
    plan.kv_bytes_per_token = 1e5;
    plan.layers = 10;
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == doctest::Approx(1 / 8.33e-3));
    REQUIRE(r.prefill_s);
    CHECK(r.prefill_s->expected == doctest::Approx(42.7e-3));
    CHECK(r.latency_s.expected == doctest::Approx(42.7e-3 + 100 * 8.33e-3));
    // A runtime that concatenates the cache each step reads it and writes it again: (2e9 + 3 ×
    // 1.5e7) B / 1e12 = 2.045 ms / 0.5 = 4.09 ms, + (430 + 2 torch.cat × 10 layers) × 10 us = 4.5 ms:
    // 8.59 ms. The prefill writes the cache once, as before.
    plan.runtime = "eager-concat";
    const auto cat = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(cat.tokens_per_s);
    CHECK(cat.tokens_per_s->expected == doctest::Approx(1 / 8.59e-3));
    CHECK(cat.prefill_s->expected == doctest::Approx(42.7e-3));
    // Without the decode figure the step pays 430 × 90 us = 38.7 ms: 42.73 ms.
    plan.runtime = "eager-one-figure";
    const auto old = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(old.tokens_per_s);
    CHECK(old.tokens_per_s->expected == doctest::Approx(1 / 42.73e-3));
    REQUIRE(old.prefill_s);
    CHECK(old.prefill_s->expected == doctest::Approx(42.7e-3));

    // Graph path: a MatMul (2e9 FLOP, 1e9 elements = 2e9 B fp16) and an Add (3e6 elements = 6e6 B),
    // plus a Shape node every runtime folds and a Transpose, a view in eager PyTorch (no kernel, no bytes). Roofline 2 ms + 6 us = 2.006 ms, / 0.5 = 4.012 ms. The
    // once-per-request pass: + 2 × 90 us = 4.192 ms; each decode step: + 2 × 10 us = 4.032 ms.
    sml::cost::Profile g;
    g.layers.push_back({});
    g.layers.back().op = "MatMul";
    g.layers.back().flops = 2e9;
    g.layers.back().elements_moved = 1e9;
    g.layers.push_back({});
    g.layers.back().op = "Add";
    g.layers.back().elements_moved = 3e6;
    g.layers.push_back({});
    g.layers.back().op = "Shape";
    g.layers.back().elements_moved = 1;
    g.layers.push_back({});
    g.layers.back().op = "Transpose";
    g.layers.back().elements_moved = 1e9;
    plan.runtime = "eager";
    plan.prompt_tokens.reset();
    plan.output_tokens = 10;
    sml::footprint::ServingWork graph;
    graph.profile = &g;
    graph.step = &g;
    const auto s = sml::footprint::estimate_serving_query(graph, plan, ctx);
    REQUIRE(s.tokens_per_s);
    CHECK(s.tokens_per_s->expected == doctest::Approx(1 / 4.032e-3));
    CHECK(s.latency_s.expected == doctest::Approx(4.192e-3 + 10 * 4.032e-3));
    CHECK(s.kernels == doctest::Approx(2 + 10 * 2));

    // The same graph as a part that runs 3 times per query (sml.passes): 3 x the roofline, 4.012 ms
    // x 3 = 12.036 ms, and its 2 kernels launched 3 times, + 6 x 90 us = 12.576 ms.
    sml::cost::Profile named = g;
    for (auto& l : named.layers) l.name = "unet." + l.op;
    sml::cost::PassRun unet;
    unet.scope = "unet";
    unet.runs = 3;
    const sml::cost::Profile thrice = sml::cost::per_query_profile(named, {unet});
    sml::footprint::ServingWork pipeline;
    pipeline.profile = &thrice;
    const auto q = sml::footprint::estimate_serving_query(pipeline, plan, ctx);
    CHECK(q.kernels == doctest::Approx(6));
    CHECK(q.latency_s.expected == doctest::Approx(12.576e-3));
  }
}

TEST_SUITE("serving_llm") {
  TEST_CASE("graph path: a decode step reads no faster than the measured rate; a single pass is not held to it") {
    // One MatMul of 1e6 fp16 weights moving 1e6 elements (2e6 B), 2e6 FLOPs: at 1e9 B/s, 2 ms of
    // memory (compute 2 ns), / 0.5 efficiency = 4 ms, + one kernel: 10 us in a step, 90 us alone.
    sml::cost::Profile step;
    sml::cost::LayerCost mm;
    mm.name = "mm";
    mm.op = "MatMul";
    mm.flops = 2e6;
    mm.macs = 1e6;
    mm.params = 1000000;
    mm.elements_moved = 1e6;
    step.layers.push_back(mm);
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kEager, "test.yaml"));
    sml::hw::Device d = eager_gpu();
    d.memory_bandwidth_bytes_per_s.value = 1e9;
    d.memory_bandwidth_measured_bytes_per_s.value = 0.4e9;  // below 0.5 × 1e9
    const auto ctx = serving_test::own_system(d, m);
    auto plan = serving_test::plan_on("eager", "fp16");
    sml::footprint::ServingWork work;
    work.profile = &step;
    const auto single = sml::footprint::estimate_serving_query(work, plan, ctx);
    CHECK(single.latency_s.expected == doctest::Approx(4e-3 + 9e-5));  // one pass: the fitted efficiency alone
    // As a decode step: 2e6 B at the measured 0.4e9 B/s = 5 ms (not 4), + 10 us: 5.01 ms a token.
    plan.output_tokens = 4;
    work.step = &step;
    const auto gen = sml::footprint::estimate_serving_query(work, plan, ctx);
    REQUIRE(gen.tokens_per_s);
    CHECK(1 / gen.tokens_per_s->expected == doctest::Approx(5.01e-3));
  }

  TEST_CASE("kv_cache_concat in the graph path: a composed decode step's cache copied once per step, by hand") {
    // A tiny Llama: width 32, 4 query heads of 8, 2 KV heads, 2 layers. Its step at a cache of 10
    // tokens reads per layer a key and a value input (1, 2, 10, 8) and concatenates nothing.
    const sml::compose::Composition c = sml::compose::parse_composition(R"(sml: composition/v1
name: tiny_llama
input: {name: input_ids, shape: [1, 8], dtype: int64}
decode: {input: input_ids, output_tokens: 4}
cores:
  - {core: token_embed, vocab: 64, dim: 32, max_positions: 0, token_types: 0, norm: false, scope: model.embed_tokens}
  - {core: llama_decoder, heads: 4, kv_heads: 2, mlp_dim: 64, repeat: 2, scope: model.layers}
  - {core: rms_norm, scope: model.norm}
  - {core: token_head, num_classes: 64, bias: false, role: head, scope: lm_head}
)", "tiny.yaml");
    const sml::cost::Profile step = sml::compose::profile_composition(sml::compose::decode_part(c, sml::compose::DecodeMode::kStep, 10));
    // torch.cat per cache tensor reads the 10 cached rows and the new one and writes 11: 2 × 11 ×
    // (1 × 2 heads × 8) = 352 elements; 2 layers × (keys, values) = 4 tensors: 1,408 elements, 4 kernels.
    const auto cat = sml::footprint::cache_concat_work(step);
    CHECK(cat.elements_moved == 1408);
    CHECK(cat.kernels == 4);

    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kEager, "test.yaml"));
    sml::hw::Device d = eager_gpu();
    d.memory_bandwidth_bytes_per_s.value = 1e6;  // slow enough that the copied bytes show
    const auto ctx = serving_test::own_system(d, m);
    sml::footprint::ServingPlan plan;
    plan.precision = "fp16";
    plan.output_tokens = 4;
    sml::footprint::ServingWork work;
    work.profile = &step;  // any once part: only the steps differ
    work.step = &step;
    plan.runtime = "eager";
    const auto plain = sml::footprint::estimate_serving_query(work, plan, ctx);
    plan.runtime = "eager-concat";
    const auto copied = sml::footprint::estimate_serving_query(work, plan, ctx);
    REQUIRE(plain.tokens_per_s);
    REQUIRE(copied.tokens_per_s);
    // Per step: 1,408 elements × 2 B (fp16) = 2,816 B at 1e6 B/s / 0.5 efficiency = 5.632 ms, + 4
    // kernels × 10 us = 40 us: 5.672 ms more than the plain step; 4 steps launch 16 more kernels.
    CHECK(1 / copied.tokens_per_s->expected - 1 / plain.tokens_per_s->expected == doctest::Approx(5.672e-3));
    CHECK(copied.kernels - plain.kernels == 16);

    // Only self-attention caches are copied: an encoder-decoder's cross cache (.encoder.) is read as
    // it is, and a cache of unknown length is not counted.
    sml::cost::Profile s2s;
    s2s.inputs = {{"past_key_values.0.decoder.key", "1x2x5x4"}, {"past_key_values.0.encoder.key", "1x2x30x4"},
                  {"past_key_values.1.decoder.value", "1x2x?x4"}, {"input_ids", "1x1"}};
    const auto s2s_cat = sml::footprint::cache_concat_work(s2s);
    CHECK(s2s_cat.elements_moved == 2 * 6 * 8);
    CHECK(s2s_cat.kernels == 1);
  }
}
