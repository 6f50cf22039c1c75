// Serving on CPU cores, the vector width a runtime's efficiency is a share of (issue 17, serving21):
// a runtime fitted on 256-bit FMA work (catalog fp32_vector_bits: 256, ONNX Runtime's CPU provider)
// runs fp32 on a core with a second 512-bit FMA unit at the core's 256-bit rate
// (peak_flops.fp32_256bit), not at the 512-bit peak. Reference figures from the vendors' documents,
// not from the estimate: Intel ARK (Xeon Platinum 8380: 40 cores, 2.30 GHz base) and the Intel 64
// and IA-32 Optimization Reference Manual (ports 0 and 1 each a 256-bit FMA, fused into one 512-bit
// FMA, the second 512-bit unit on port 5): 32 FP32 FLOPs per core-cycle with 256-bit vectors, 64
// with 512-bit vectors on both units.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "footprint_estimate_fixture.hpp"
#include "footprint_fixture.hpp"
#include "onnx_builder.hpp"
#include "scratch_file.hpp"
#include "serving_fixture.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

using doctest::Approx;

namespace {

const std::string kRoot = SML_SOURCE_DATA_DIR;

// x[4096,1000] · W[1000,1000]: 8.192e9 FLOPs; 36.8 MB moved (x, W and y at 4 B), compute-bound on a
// server CPU (0.18 ms at 204.8 GB/s against 2.8 ms at 2.944 TFLOP/s).
std::string big_matmul() {
  testing::ModelBuilder b;
  b.input("x", {"4096", "1000"});
  b.weight("W", {1000, 1000});
  b.node("MatMul", {"x", "W"}, {"y"});
  b.output("y");
  return testing::written_file("cpu-vectors.onnx", b.bytes());
}

using footprint_estimate_test::num;

sml::footprint::EstimateOptions on(const std::string& device, const std::string& runtime) {
  auto o = serving_test::catalog_estimate(big_matmul(), device, "fp32");  // as --precision fp32: it rules serving too
  o.serving.runtime = runtime;
  return o;
}

const std::string kCores = footprint_test::kMinimalModelHead + R"(runtimes:
  - id: cores
    name: an LLM runtime on CPU cores, fitted on 256-bit FMA work
    processor: cpu
    llm_only: true
    fp32_vector_bits: 256
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    compute_efficiency: {low: 1, expected: 1, high: 1}
    query_overhead_s: {low: 0, expected: 0, high: 0}
  - id: plain
    name: the same, with no vector width stated
    processor: cpu
    llm_only: true
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    compute_efficiency: {low: 1, expected: 1, high: 1}
    query_overhead_s: {low: 0, expected: 0, high: 0}
)";

// One socket of 16 cores at 2 GHz with two 512-bit FMA units: 2.048 TFLOP/s fp32 with 512-bit
// vectors, 1.024 with 256-bit vectors (16 x 2e9 x 64, x 32).
sml::hw::Device avx512_server(bool states_256bit) {
  auto d = serving_test::device("avx512-server", "a two-FMA AVX-512 server CPU", "server-cpu");
  d.peak_flops["fp32"].value = 16 * 2e9 * 64;
  if (states_256bit) d.peak_flops["fp32_256bit"].value = 16 * 2e9 * 32;
  d.memory_bandwidth_bytes_per_s.value = 1e11;
  d.tdp_w.reason = "no figure";
  return d;
}

// The prefill of a 1e9-parameter model over a 1000-token prompt on D under RUNTIME: 2e12 FLOPs of
// GEMMs + causal attention 2 x 10 layers x 1000² x d_model (sqrt(1e9 / 120)).
double prefill_s(const sml::hw::Device& d, const std::string& runtime, sml::footprint::InferenceEstimate* out = nullptr) {
  const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(kCores, "test.yaml"));
  serving_test::Dense model{1e9};
  auto plan = serving_test::plan_on(runtime, "fp32");
  plan.layers = 10;
  plan.kv_bytes_per_token = 1e4;
  plan.prompt_tokens = 1000;
  plan.output_tokens = 1;
  const auto ctx = serving_test::own_system(d, m);
  auto r = sml::footprint::estimate_serving_query(model.work, plan, ctx);
  if (out) *out = r;
  REQUIRE(r.prefill_s);
  return r.prefill_s->expected;
}

const double kPrefillFlops = 2e12 + 2 * 10 * 1000.0 * 1000.0 * std::sqrt(1e9 / 120.0);

}  // namespace

TEST_SUITE("serving_cpu_vectors") {
  TEST_CASE("ONNX Runtime on a Xeon Platinum 8380: fp32 at the 256-bit rate, 40 x 2.30 GHz x 32 = 2.944 TFLOP/s") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& cpu = sml::footprint::find_runtime(model, "onnxruntime", "server-cpu");
    REQUIRE(cpu.efficiency);
    CHECK(cpu.fp32_vector_bits == 256);
    auto r = sml::footprint::estimate(on("intel-xeon-platinum-8380", "onnxruntime"));
    // 2 x 4096 x 1000 x 1000 FLOPs at 40 x 2.30e9 x 32 (not the 512-bit 5.888e12), one kernel.
    const double rate256 = 40 * 2.30e9 * 32;
    CHECK(num(r.doc, "inference.latency_s.expected") ==
          Approx(8.192e9 / rate256 / cpu.efficiency->expected + cpu.kernel_overhead_s->expected));
    bool noted = false;
    if (const sml::Doc* notes = r.doc.path("inference.assumptions.notes"))
      for (const auto& n : notes->as_list()) noted = noted || n.as_string().find("256-bit FMA rate") != std::string::npos;
    CHECK(noted);
  }

  TEST_CASE("a core with no second 512-bit unit (Zen 4, 2 x 256-bit pipes) keeps its fp32 figure: 16 x 4.5 GHz x 32") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& cpu = sml::footprint::find_runtime(model, "onnxruntime", "desktop-cpu");
    auto r = sml::footprint::estimate(on("amd-ryzen-9-7950x", "onnxruntime"));
    // 36.8 MB at 83.2 GB/s = 0.44 ms against 8.192e9 / 2.304e12 = 3.56 ms: compute-bound.
    CHECK(num(r.doc, "inference.latency_s.expected") ==
          Approx(8.192e9 / (16 * 4.5e9 * 32) / cpu.efficiency->expected + cpu.kernel_overhead_s->expected));
  }

  TEST_CASE("the rule needs both sides: a runtime stating 256 bits and a device stating its 256-bit rate") {
    // 256-bit rate 1.024e12: prefill / compute efficiency 1.
    CHECK(prefill_s(avx512_server(true), "cores") == Approx(kPrefillFlops / 1.024e12));
    sml::footprint::InferenceEstimate r;
    (void)prefill_s(avx512_server(true), "cores", &r);
    CHECK(serving_test::noted(r, "fp32_vector_bits"));
    // A runtime that states no width: the device's fp32 figure, whatever width it counts.
    CHECK(prefill_s(avx512_server(true), "plain") == Approx(kPrefillFlops / 2.048e12));
    // A device that states no 256-bit rate: its fp32 figure.
    CHECK(prefill_s(avx512_server(false), "cores") == Approx(kPrefillFlops / 2.048e12));
  }

  TEST_CASE("fp32_vector_bits other than 256 or 512 is refused with file:line") {
    std::string bad = kCores;
    bad.replace(bad.find("fp32_vector_bits: 256"), 21, "fp32_vector_bits: 128");
    try {
      (void)sml::footprint::FootprintModel::parse(sml::parse_yaml(bad, "bad.yaml"));
      FAIL("128 must be refused");
    } catch (const sml::InputError& e) {
      const std::string what = e.what();
      CHECK(what.find("bad.yaml:") != std::string::npos);
      CHECK(what.find("256 or 512") != std::string::npos);
    }
  }
}
