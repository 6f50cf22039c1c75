// Serving on CPU cores, round 23 (issue 17): a weight format the cores state no peak for is multiplied
// at the fp32 peak, and a device with no compute peak at all still gets its memory-bound decode
// (a prompt's prefill, compute-bound, is refused naming the figure). Figures derived by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "footprint_fixture.hpp"
#include "serving_fixture.hpp"

namespace {

using doctest::Approx;

const std::string kModel = footprint_test::kMinimalModelHead + R"(runtimes:
  - id: cores
    name: an LLM runtime on CPU cores
    processor: cpu
    llm_only: true
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    compute_efficiency: {low: 0.8, expected: 0.8, high: 0.8}
    query_overhead_s: {low: 0, expected: 0, high: 0}
)";

// A four-core board: an fp32 figure only (no int8 or fp16 arithmetic stated), 10 GB/s, no power figure.
sml::hw::Device cpu_board() {
  auto d = serving_test::device("cpu-board", "a CPU board", "edge-board");
  d.peak_flops["fp32"].value = 1e11;
  d.peak_flops["int8"].reason = "not stated";
  d.peak_flops["fp16"].reason = "no fp16 arithmetic";
  d.memory_bandwidth_bytes_per_s.value = 1e10;
  d.tdp_w.reason = "no figure";
  return d;
}

// A 1e9-parameter dense model served on the cores at PRECISION on device D: 10 layers, 1e4 B of KV
// cache a token.
struct Run {
  sml::footprint::FootprintModel m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
  serving_test::Dense model{1e9};
  sml::footprint::ServingPlan plan;
  sml::footprint::Context ctx;
  Run(const sml::hw::Device& d, const std::string& precision)
      : plan(serving_test::plan_on("cores", precision)), ctx(serving_test::own_system(d, m)) {
    plan.layers = 10;
    plan.kv_bytes_per_token = 1e4;
  }
  sml::footprint::InferenceEstimate estimate() const { return sml::footprint::estimate_serving_query(model.work, plan, ctx); }
};

}  // namespace

TEST_SUITE("serving_cpu_round23") {
  TEST_CASE("int8 weights on CPU cores with no int8 peak: prefill at the fp32 peak, decode from memory") {
    const sml::hw::Device d = cpu_board();
    Run run(d, "int8");
    run.plan.prompt_tokens = 100;
    run.plan.output_tokens = 10;
    const auto r = run.estimate();
    // Prefill: 2 x 1e9 x 100 = 2e11 FLOP + causal attention 2 x 10 layers x 100² x d_model,
    // d_model = sqrt(1e9 / 120) = 2886.75: 5.7735e8 FLOP; at the fp32 1e11 = 2.00577 s (the 1e9
    // int8 weights read once at 1e10 B/s take 0.1 s: compute-bound), / 0.8 = 2.50722 s.
    const double pre = (2e11 + 2 * 10 * 100.0 * 100.0 * std::sqrt(1e9 / 120.0)) / 1e11 / 0.8;
    REQUIRE(r.prefill_s);
    CHECK(r.prefill_s->expected == Approx(pre));
    // A step: 1e9 B of weights + 1e4 B x 105 tokens (prompt + half the output) at 1e10 B/s =
    // 0.100105 s (compute 2e9 / 1e11 = 0.02 s: memory-bound), / 0.5 = 0.20021 s.
    const double step = (1e9 + 1e4 * 105) / 1e10 / 0.5;
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(1 / step));
    CHECK(r.latency_s.expected == Approx(pre + 10 * step));
    CHECK(serving_test::noted(r, "int8 work at the fp32 peak"));
    // No power figure: latency stands, energy is null with the reason.
    CHECK_FALSE(r.energy_kwh_per_query);
    CHECK(r.energy_null_reason.find("no figure") != std::string::npos);
  }

  TEST_CASE("fp16 weights on cores with no fp16 arithmetic: a compute-bound decode step runs at the fp32 peak") {
    sml::hw::Device d = cpu_board();
    d.memory_bandwidth_bytes_per_s.value = 1e12;  // so the step is compute-bound
    Run run(d, "fp16");
    run.plan.output_tokens = 10;
    const auto r = run.estimate();
    // A step: 2 x 1e9 = 2e9 FLOP at 1e11 = 0.02 s against (2e9 B + 1e4 B x 5) / 1e12 = 0.002 s: 0.02 s,
    // / 0.5 (the decode efficiency) = 0.04 s a token.
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(1 / 0.04));
    CHECK(serving_test::noted(r, "fp16 work at the fp32 peak"));
  }

  TEST_CASE("widened int8: the KV cache is kept at the activation dtype's 2 bytes, not fp32's, not int8's") {
    const sml::hw::Device d = cpu_board();
    Run run(d, "int8");
    run.plan.kv_bytes_per_token.reset();  // derived: 2 x layers x d_model x the cache's bytes
    run.plan.output_tokens = 10;
    const auto r = run.estimate();
    // d_model = sqrt(1e9 / 120) = 2886.75; KV 2 x 10 x 2886.75 x 2 B = 115470 B a token (int8
    // weights keep an fp16 cache, vLLM kv_cache_dtype auto; fp32's 4 B would be 230940). A step:
    // 1e9 + 115470 x 5 (mean context) at 1e10 B/s = 0.1000577 s, / 0.5.
    const double kv = 2 * 10 * std::sqrt(1e9 / 120.0) * 2;
    CHECK(r.kv_bytes_per_token == Approx(kv));
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(1 / ((1e9 + kv * 5) / 1e10 / 0.5)));
  }

  TEST_CASE("a peak stated at the serving precision is kept: no widening") {
    sml::hw::Device d = cpu_board();
    d.peak_flops["int8"].value = 4e11;
    d.memory_bandwidth_bytes_per_s.value = 1e12;
    Run run(d, "int8");
    run.plan.output_tokens = 10;
    const auto r = run.estimate();
    // 2e9 OP at the int8 4e11 = 5 ms against (1e9 + 5e4) / 1e12 = 1.00005 ms: 5 ms, / 0.5 = 10 ms.
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(100.0));
    CHECK_FALSE(serving_test::noted(r, "at the fp32 peak"));
  }

  TEST_CASE("no compute peak at all: decode costed from memory with a note; a prompt's prefill is refused naming the figure") {
    sml::hw::Device d = cpu_board();
    d.peak_flops.clear();
    d.peak_flops["fp32"].reason = "no CPU FLOPs figure published";
    Run run(d, "int4");
    run.plan.output_tokens = 128;
    const auto r = run.estimate();
    // int4: 0.5625 B a weight (4.5 bits, the catalogue's Q4_0 pricing: weight_bytes_per_param) would
    // be read; whatever it is, the step is bytes / (1e10 x 0.5): check against the weights' own figure.
    const double wbytes = sml::footprint::weight_bytes_per_param("int4");
    const double step = (1e9 * wbytes + 1e4 * 64) / 1e10 / 0.5;
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(1 / step));
    CHECK(r.latency_s.expected == Approx(128 * step));
    CHECK(serving_test::noted(r, "costed by their memory traffic alone"));
    run.plan.prompt_tokens = 100;
    try {
      (void)run.estimate();
      FAIL("a prompt with no compute peak must be refused");
    } catch (const sml::InputError& e) {
      const std::string what = e.what();
      CHECK(what.find("no CPU FLOPs figure published") != std::string::npos);
      CHECK(what.find("prefill is compute-bound") != std::string::npos);
    }
  }
}
