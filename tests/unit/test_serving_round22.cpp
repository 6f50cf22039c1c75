// Serving, round 22 (issue 17): the Jetson Xavier NX's int8 figures (the module's and the GPU's own)
// and the steps estimate_serving_query is split into, each checked against figures derived by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/yaml_file.hpp"
#include "footprint_fixture.hpp"
#include "serving_fixture.hpp"

namespace {

using doctest::Approx;

const std::string kModel = footprint_test::kMinimalModelHead + R"(runtimes:
  - id: engine
    name: an engine for transformers given by their parameters
    llm_only: true
    fuses_elementwise: true
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    query_overhead_s: {low: 0.002, expected: 0.002, high: 0.002}
    sequence_overhead_s: {low: 1.0e-4, expected: 1.0e-4, high: 1.0e-4}
  - id: graphs
    name: an engine launched as one graph per query (its per-kernel cost is GPU time)
    fuses_elementwise: true
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    kernel_overhead_s: {low: 1.0e-5, expected: 1.0e-5, high: 1.0e-5}
    kernel_overhead_on_device: true
    query_overhead_s: {low: 0, expected: 0, high: 0}
)";

// A board of its own system (no host share, no PUE) whose int8 figure counts engines beside the GPU.
sml::hw::Device board() {
  sml::hw::Device d;
  d.id = "board";
  d.name = "a board with two convolution engines";
  d.device_class = "edge-board";
  d.peak_flops["int8"].value = 2e14;      // GPU and engines together
  d.peak_flops["int8_gpu"].value = 1e14;  // the GPU alone
  d.memory_bandwidth_bytes_per_s.value = 1e12;
  d.tdp_w.value = 100;
  return d;
}

}  // namespace

TEST_SUITE("serving_round22") {
  TEST_CASE("Jetson Xavier NX: int8 is the module's 21 TOPS, int8_gpu the GPU's 48 Tensor Cores x 256 ops x 1100 MHz") {
    const std::string root = SML_SOURCE_DATA_DIR;
    const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
    const auto& nx = catalog.find("nvidia-jetson-xavier-nx");
    REQUIRE(nx.peak("int8"));
    REQUIRE(nx.peak("int8_gpu"));
    CHECK(*nx.peak("int8") == Approx(21e12));
    CHECK(*nx.peak("int8_gpu") == Approx(48.0 * 256 * 1.1e9).epsilon(1e-4));  // 13.5168 TOPS
    // Twice the GPU's fp16 tensor rate (48 x 128 x 1.1 GHz), the INT8/FP16 ratio of the Xavier GPU.
    REQUIRE(nx.peak("fp16"));
    CHECK(*nx.peak("int8_gpu") == Approx(2 * *nx.peak("fp16")).epsilon(1e-3));
    // The GPU alone is less than the module: the rest (7.5 TOPS) is the two NVDLA engines.
    CHECK(*nx.peak("int8_gpu") < *nx.peak("int8"));
  }

  TEST_CASE("an encoder given by its parameters runs at the GPU's own int8 peak where the board's counts other engines") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = board();
    const serving_test::Dense enc(1e9);
    auto plan = serving_test::plan_on("engine", "int8");
    plan.prompt_tokens = 100;  // no output: an encoder pass
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    const auto r = sml::footprint::estimate_serving_query(enc.work, plan, ctx);
    // GEMMs 2 x 1e9 x 100 = 2e11 FLOP; attention 4 x 10 layers x 100² x d_model, d_model =
    // sqrt(1e9 / (12 x 10)) = 2886.75: 1.1547e9 FLOP. 2.011547e11 at the GPU's 1e14 = 2.0115 ms
    // (the 1e9 int8 weights read once at 1e12 B/s take 1 ms: compute-bound); / efficiency 0.5 =
    // 4.0231 ms, + 2 ms per query + 0.1 ms for the one sequence = 6.1231 ms. At the board's 2e14
    // it would be 4.1115 ms.
    const double d_model = std::sqrt(1e9 / 120.0);
    const double flops = 2e11 + 4 * 10 * 100.0 * 100.0 * d_model;
    CHECK(r.latency_s.expected == Approx(flops / 1e14 / 0.5 + 2.1e-3));
    CHECK(r.throughput_per_s.expected == Approx(1 / (flops / 1e14 / 0.5 + 2.1e-3)));
    CHECK(serving_test::noted(r, "int8 at the GPU's own peak"));
  }

  TEST_CASE("a device without a memory bandwidth: a decode step costs its compute and overheads, and says so") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d = board();
    d.memory_bandwidth_bytes_per_s.value.reset();
    d.memory_bandwidth_bytes_per_s.reason = "not published";
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("engine", "int8");
    plan.output_tokens = 10;
    plan.concurrency = 10;
    plan.kv_bytes_per_token = 1e5;
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    // A step: 2 x 1e9 x 10 sequences = 2e10 OP at the GPU's 1e14 = 0.2 ms, / 0.5 = 0.4 ms, + 2 ms
    // + 10 x 0.1 ms = 3.4 ms; 10 tokens a step: 10 / 3.4 ms.
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(10 / 3.4e-3));
    // Ten steps per request, ten requests a pass: 34 ms a pass, 3.4 ms of device time a request, at
    // the board's 100 W (no serving-power observations: the rating) = 0.34 J.
    CHECK(r.device_s_per_query.expected == Approx(3.4e-3));
    REQUIRE(r.energy_kwh_per_query);
    CHECK(r.energy_kwh_per_query->expected * 3.6e6 == Approx(0.34));
    CHECK(serving_test::noted(r, "has no memory bandwidth (not published)"));
  }

  TEST_CASE("a device without a power figure keeps its latency, with energy null and the reason") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d = board();
    d.tdp_w.value.reset();
    d.tdp_w.reason = "no vendor figure";
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("engine", "int8");
    plan.output_tokens = 10;
    plan.kv_bytes_per_token = 1e5;
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    // One sequence: weights 1e9 B + 1e5 B x 5 tokens (mean context of 10 outputs) at 1e12 B/s =
    // 1.0005 ms, / 0.5 = 2.001 ms, + 2 + 0.1 ms = 4.101 ms a token.
    REQUIRE(r.tokens_per_s);
    CHECK(r.tokens_per_s->expected == Approx(1 / 4.101e-3));
    CHECK_FALSE(r.energy_kwh_per_query);
    CHECK(r.energy_null_reason.find("no vendor figure") != std::string::npos);
  }

  TEST_CASE("single-stream clock: a batch of one under graph-launched kernels runs compute and kernel gaps at the settled clock") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d;
    d.id = "card";
    d.name = "a power-limited card";
    d.device_class = "edge-board";
    d.peak_flops["fp16"].value = 1e14;
    d.memory_bandwidth_bytes_per_s.value = 1e12;
    d.tdp_w.value = 100;
    d.single_stream_clock_ratio.value = 0.5;
    const serving_test::Dense enc(1e9);
    auto plan = serving_test::plan_on("graphs", "fp16");
    plan.prompt_tokens = 100;
    plan.layers = 10;
    const auto ctx = serving_test::own_system(d, m);
    const double flops = 2e11 + 4 * 10 * 100.0 * 100.0 * std::sqrt(1e9 / 120.0);  // GEMMs + encoder attention
    // At half the clock: 2.011547e11 FLOP at 0.5 x 1e14 = 4.023 ms (the 2e9 B of fp16 weights at 1e12 B/s
    // take 2 ms: compute-bound), / 0.5 = 8.046 ms; 10 layers x 7 fused kernels x 1e-5 s / 0.5 = 1.4 ms.
    const auto slow = sml::footprint::estimate_serving_query(enc.work, plan, ctx);
    CHECK(slow.latency_s.expected == Approx(flops / 0.5e14 / 0.5 + 70 * 2e-5));
    CHECK(serving_test::noted(slow, "single_stream_clock_ratio"));
    // Two sequences at once (not a batch of one): the boost clock, 2 x 2.0115 ms / 0.5 + 0.7 ms.
    plan.concurrency = 2;
    const auto pair = sml::footprint::estimate_serving_query(enc.work, plan, ctx);
    CHECK(pair.latency_s.expected == Approx(2 * flops / 1e14 / 0.5 + 70 * 1e-5));
    // A runtime whose per-kernel cost is host time (the "engine" above has none per kernel): the boost clock.
    plan.concurrency = 1;
    plan.runtime = "engine";
    const auto host = sml::footprint::estimate_serving_query(enc.work, plan, ctx);
    CHECK(host.latency_s.expected == Approx(flops / 1e14 / 0.5 + 2.1e-3));
  }

  TEST_CASE("power_w.single_stream_clock_ratio is read from device/v1, absent as null, and must be a share in (0, 1]") {
    const auto base = std::string(R"(sml: device/v1
id: b
class: datacenter-gpu
peak_flops: {fp16: {value: 1.0e+12, source: s, year: 2024}}
memory_bytes: {value: 8.0e+9, source: s, year: 2024}
memory_bandwidth_bytes_per_s: {value: 2.0e+11, source: s, year: 2024}
power_w:
  tdp: {value: 70, source: s, year: 2024}
)");
    const auto none = sml::hw::parse_device(sml::parse_yaml(base, "d.yaml"));
    CHECK_FALSE(none.single_stream_clock_ratio.value);
    const auto t4 = sml::hw::parse_device(sml::parse_yaml(base + "  single_stream_clock_ratio: {value: 0.566, source: s, year: 2020}\n", "d.yaml"));
    REQUIRE(t4.single_stream_clock_ratio.value);
    CHECK(*t4.single_stream_clock_ratio.value == Approx(0.566));
    CHECK_THROWS(sml::hw::parse_device(sml::parse_yaml(base + "  single_stream_clock_ratio: {value: 1.5, source: s, year: 2020}\n", "d.yaml")));
  }
}
