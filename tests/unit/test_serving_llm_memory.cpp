// LLM serving that fits the device's memory (issue 17): the KV cache a token adds, the requests whose
// weights + KV cache + activations fit (the rest queue), what a decode step batches, and a prefill
// run once a beam where the runtime copies the prompt to every beam (transformers' generate). Every
// figure is worked by hand below.
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

// A server with a per-request and a per-sequence cost, and the same with transformers' beam search
// (the prompt copied to every beam before the prefill).
const std::string kModel = footprint_test::kMinimalModelHead + R"(runtimes:
  - id: server
    name: a continuous-batching server
    llm_only: true
    fuses_elementwise: true
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    query_overhead_s: {low: 0.002, expected: 0.002, high: 0.002}
    sequence_overhead_s: {low: 1.0e-4, expected: 1.0e-4, high: 1.0e-4}
  - id: paged
    name: a server that pages its KV cache and admits requests as blocks free up
    llm_only: true
    fuses_elementwise: true
    paged_kv_cache: t
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    query_overhead_s: {low: 0.002, expected: 0.002, high: 0.002}
    sequence_overhead_s: {low: 1.0e-4, expected: 1.0e-4, high: 1.0e-4}
  - id: f16cache
    name: a runtime that keeps its KV cache at fp16 whatever the precision
    llm_only: true
    fuses_elementwise: true
    kv_cache_fp16: t
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    query_overhead_s: {low: 0.002, expected: 0.002, high: 0.002}
    sequence_overhead_s: {low: 1.0e-4, expected: 1.0e-4, high: 1.0e-4}
  - id: hf
    name: a generate() loop that expands the prompt to every beam
    fuses_elementwise: true
    beam_search: {support: prefill-per-beam, source: t, year: 2025}
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    query_overhead_s: {low: 0.002, expected: 0.002, high: 0.002}
    sequence_overhead_s: {low: 1.0e-4, expected: 1.0e-4, high: 1.0e-4}
)";

// An 80 GB GPU: 1 PFLOP/s fp16, 2 TB/s, 700 W, its own system (no host share, no PUE).
sml::hw::Device gpu_80gb() {
  sml::hw::Device d;
  d.id = "gpu80";
  d.name = "an 80 GB GPU";
  d.device_class = "edge-board";
  d.peak_flops["fp16"].value = 1e15;
  d.memory_bandwidth_bytes_per_s.value = 2e12;
  d.memory_bytes.value = 80e9;
  d.tdp_w.value = 700;
  return d;
}

// Llama-2-7B's geometry exactly: 32 layers of width 4096, N = 12 · 32 · 4096² = 6,442,450,944
// (the code's N ≈ 12 · layers · d_model², so d_model comes back as 4096).
constexpr double kLlama7bGeometry = 12.0 * 32 * 4096 * 4096;

// The plan every case here serves Llama-2-7B with: fp16 on a server, a 128-token prompt, 32 layers.
sml::footprint::ServingPlan llama7b_plan(int output_tokens, int concurrency = 1) {
  auto plan = serving_test::plan_on("server", "fp16");
  plan.prompt_tokens = 128;
  plan.output_tokens = output_tokens;
  plan.layers = 32;
  plan.concurrency = concurrency;
  return plan;
}

}  // namespace

TEST_SUITE("serving_llm") {
  TEST_CASE("KV cache a token: 2 × layers × width × bytes (Llama-2-7B fp16: 524,288 B)") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = gpu_80gb();
    const serving_test::Dense llm(kLlama7bGeometry);
    auto plan = llama7b_plan(16);
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(d, m));
    // Keys and values of 32 layers at 4096 wide, 2 bytes each: 2 × 32 × 4096 × 2 = 524,288 B.
    CHECK(r.kv_bytes_per_token == doctest::Approx(524288));
    // One request at full length: (128 + 16) × 524,288 = 75,497,472 B.
    CHECK(r.kv_cache_bytes == doctest::Approx(144.0 * 524288));
    CHECK(r.concurrency_effective == 1);
    CHECK(r.batch == 1);
    CHECK(serving_test::noted(r, "assumed: multi-head attention"));
    // The cache holds activations, kept at the activation dtype whatever the weights' format
    // (vLLM kv_cache_dtype "auto"): int8 and int4 weights serve the same 524,288 B a token.
    plan.precision = "int8";
    sml::hw::Device d8 = d;
    d8.peak_flops["int8"].value = 2e15;
    const auto r8 = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(d8, m));
    CHECK(r8.kv_bytes_per_token == doctest::Approx(524288));
    plan.precision = "int4";
    const auto r4 = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(d8, m));
    CHECK(r4.kv_bytes_per_token == doctest::Approx(524288));
    // fp32 serving keeps an fp32 cache: 2 × 32 × 4096 × 4 = 1,048,576 B; a runtime that states an
    // fp16 cache (kv_cache_fp16, llama.cpp's f16 default) keeps 524,288 B even then.
    plan.precision = "fp32";
    sml::hw::Device d32 = d;
    d32.peak_flops["fp32"].value = 5e13;
    const auto r32 = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(d32, m));
    CHECK(r32.kv_bytes_per_token == doctest::Approx(1048576));
    plan.runtime = "f16cache";
    const auto f16 = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(d32, m));
    CHECK(f16.kv_bytes_per_token == doctest::Approx(524288));
  }

  TEST_CASE("smaller weights never fit fewer requests: fp16, int8, int4 at one KV cache size") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d = gpu_80gb();
    d.peak_flops["int8"].value = 2e15;
    const serving_test::Dense llm(kLlama7bGeometry);
    auto plan = llama7b_plan(2048, 200);
    const auto ctx = serving_test::own_system(d, m);
    const auto r16 = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    plan.precision = "int8";
    const auto r8 = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    plan.precision = "int4";
    const auto r4 = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    // fp16: (80e9 − 12,884,901,888) / (2176 × 524,288 + 5,242,880) = 58.56: 58 (the case below).
    CHECK(r16.concurrency_effective == 58);
    // int8: weights 6,442,450,944 B; a request 1,140,850,688 B of KV + 128 × 5 × 4096 × 1 B =
    // 2,621,440 B of activations: 73,557,549,056 / 1,143,472,128 = 64.33: 64.
    CHECK(r8.concurrency_effective == 64);
    CHECK(r8.concurrency_effective >= r16.concurrency_effective);
    CHECK(r4.concurrency_effective >= r8.concurrency_effective);
  }

  TEST_CASE("concurrency: the requests whose KV cache fits run at once, the rest queue") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = gpu_80gb();
    const serving_test::Dense llm(kLlama7bGeometry);
    auto plan = llama7b_plan(2048, 64);
    const auto ctx = serving_test::own_system(d, m);
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    // Weights 6,442,450,944 × 2 B = 12,884,901,888 B. A request: KV (128 + 2048) × 524,288 =
    // 1,140,850,688 B, + prefill activations 128 tokens × 5 × 4096 × 2 B = 5,242,880 B: 1,146,093,568 B.
    // (80e9 − 12,884,901,888) / 1,146,093,568 = 58.56: 58 requests fit, 6 queue.
    CHECK(r.concurrency == 64);
    CHECK(r.concurrency_effective == 58);
    CHECK(r.batch == 58);  // one beam each: 58 sequences a decode step
    CHECK(r.kv_cache_bytes == doctest::Approx(58 * 1140850688.0));
    CHECK(r.memory_bytes == doctest::Approx(12884901888.0 + 58 * 1146093568.0));
    CHECK(r.capacity_note.find("58 request(s) run at once, the other 6 queue") != std::string::npos);
    CHECK(serving_test::noted(r, "does not fit gpu80's memory"));
    // The same as 58 requests asked for, except that each of the 64 waits its turn: throughput and
    // tokens/s those of 58 in flight, latency × 64 / 58.
    plan.concurrency = 58;
    const auto fits = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    CHECK(fits.concurrency_effective == 58);
    CHECK(fits.capacity_note.empty());
    REQUIRE(r.tokens_per_s);
    REQUIRE(fits.tokens_per_s);
    CHECK(r.tokens_per_s->expected == doctest::Approx(fits.tokens_per_s->expected));
    CHECK(r.throughput_per_s.expected == doctest::Approx(fits.throughput_per_s.expected));
    CHECK(r.latency_s.expected == doctest::Approx(fits.latency_s.expected * 64 / 58));
    CHECK(r.device_s_per_query.expected == doctest::Approx(fits.device_s_per_query.expected));
    // A paged cache filled by requests at staggered points of their generation holds, on average,
    // the prompt and half the output: (128 + 1024) × 524,288 = 603,979,776 B + 5,242,880 B of
    // activations = 609,222,656 B a request; 67,115,098,112 / 609,222,656 = 110.16: 110 of 128.
    plan.runtime = "paged";
    plan.concurrency = 128;
    const auto paged = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    CHECK(paged.concurrency_effective == 110);
    CHECK(paged.kv_cache_bytes == doctest::Approx(110 * 603979776.0));
    CHECK(serving_test::noted(paged, "prompt + output / 2"));
    plan.runtime = "server";
    // Without a memory figure nothing is checked: all 64 in flight, and a note says so.
    sml::hw::Device unknown = d;
    unknown.memory_bytes.value.reset();
    unknown.memory_bytes.reason = "not stated";
    plan.concurrency = 64;
    const auto unchecked = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(unknown, m));
    CHECK(unchecked.concurrency_effective == 64);
    CHECK(serving_test::noted(unchecked, "memory capacity not checked"));
  }

  TEST_CASE("beams hold a KV cache each; not even one request fitting is exit 2 with the figures") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    const sml::hw::Device d = gpu_80gb();
    const serving_test::Dense llm(kLlama7bGeometry);
    auto plan = llama7b_plan(2048, 64);
    plan.beam_width = 4;
    const auto ctx = serving_test::own_system(d, m);
    // A request of 4 beams: 4 × 1,140,850,688 + 5,242,880 (the prompt prefilled once) = 4,568,645,632 B;
    // 67,115,098,112 / 4,568,645,632 = 14.69: 14 requests, 56 sequences a step.
    const auto r = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    CHECK(r.concurrency_effective == 14);
    CHECK(r.batch == 56);
    CHECK(r.kv_cache_bytes == doctest::Approx(14 * 4 * 1140850688.0));
    // 70e9 parameters at fp16 are 140e9 B: the weights alone exceed 80e9 B.
    const serving_test::Dense big(70e9);
    plan.beam_width = 1;
    plan.layers.reset();
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(big.work, plan, ctx), doctest::Contains("the weights alone take"),
                         sml::InputError);
    // One device serves it: --devices is not used, and fewer tokens cannot make the weights fit.
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(big.work, plan, ctx), doctest::Contains("--devices is not used for serving"),
                         sml::InputError);
    try {
      sml::footprint::estimate_serving_query(big.work, plan, ctx);
    } catch (const sml::InputError& e) {
      CHECK(std::string(e.what()).find("fewer tokens") == std::string::npos);
    }
    // Weights fit, one request does not: 1e9 B of memory left, a request 1,146,093,568 B.
    sml::hw::Device small = d;
    small.memory_bytes.value = 12884901888.0 + 1e9;
    plan.layers = 32;
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(small, m)),
                         doctest::Contains("not even one request fits"), sml::InputError);
    CHECK_THROWS_WITH_AS(sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(small, m)),
                         doctest::Contains("fewer tokens"), sml::InputError);
    // A device with no memory figure and one request: the note is singular.
    sml::hw::Device unknown = d;
    unknown.memory_bytes.value.reset();
    unknown.memory_bytes.reason = "not stated";
    plan.concurrency = 1;
    const auto one = sml::footprint::estimate_serving_query(llm.work, plan, serving_test::own_system(unknown, m));
    CHECK(serving_test::noted(one, "the 1 request is taken to run at once"));
  }

  TEST_CASE("transformers' beam search prefills the prompt once a beam; other runtimes once a request") {
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kModel, "test.yaml"));
    sml::hw::Device d = gpu_80gb();
    d.memory_bytes.value.reset();  // the prefill alone: no capacity limit
    const serving_test::Dense llm(1e9);
    auto plan = serving_test::plan_on("hf", "fp16");
    plan.prompt_tokens = 500;
    plan.output_tokens = 10;
    plan.layers = 10;
    plan.kv_bytes_per_token = 1e5;
    plan.concurrency = 10;
    const auto ctx = serving_test::own_system(d, m);
    // Greedy: 10 prompts of 500 tokens, 2 × 1e9 × 500 × 10 = 1e13 FLOP of GEMMs + causal attention
    // 2 × 10 layers × 500² × d_model 2886.75 (√(1e9 / 120)) × 10 = 1.443e11: 1.01443e13 FLOP at
    // 1e15 = 10.144 ms (the weights' 2e9 B at 2e12 B/s: 1 ms); / 0.5 = 20.29 ms, + 2 ms a query +
    // 10 requests × 0.1 ms = 23.29 ms.
    const auto greedy = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    const double d_model = std::sqrt(1e9 / 120);
    const double one = (1e13 + 2 * 10 * 500.0 * 500 * d_model * 10) / 1e15;
    REQUIRE(greedy.prefill_s);
    CHECK(greedy.prefill_s->expected == doctest::Approx(one / 0.5 + 0.003));
    // Four beams: transformers expands every prompt to four before the first forward, 40 prompts:
    // four times the compute, the same per-request overhead.
    plan.beam_width = 4;
    const auto hf = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(hf.prefill_s);
    CHECK(hf.prefill_s->expected == doctest::Approx(4 * one / 0.5 + 0.003));
    CHECK(serving_test::noted(hf, "the prompt is prefilled once a beam"));
    CHECK(hf.batch == 40);
    // A runtime that states nothing prefills once a request: the greedy figure.
    plan.runtime = "server";
    const auto once = sml::footprint::estimate_serving_query(llm.work, plan, ctx);
    REQUIRE(once.prefill_s);
    CHECK(once.prefill_s->expected == doctest::Approx(one / 0.5 + 0.003));
  }
}
