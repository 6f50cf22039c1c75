// The footprint arithmetic pinned on hand-derived cases, with made-up test devices and
// parameters (tests/data/) so that every expected number follows from the formulas alone:
//   time     = ideal time / utilisation (range from observations 0.25, 0.5: 0.25 / 0.375 / 0.5)
//   power    = TDP × system multiple (observations 1, 2: 1 / 1.5 / 2) for hosted accelerators,
//              between idle and TDP for a board
//   energy   = device-hours × power × PUE;   CO2e = energy × intensity
//   embodied = embodied kg × device-time / lifetime (observations 4, 6 years: 4 / 5 / 6)
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
#include "footprint_fixture.hpp"

using doctest::Approx;
using sml::footprint::EstimateOptions;

namespace {

const std::string kData = std::string(SML_TEST_DATA);

EstimateOptions base() {
  EstimateOptions o;
  o.hw_dir = kData + "/hw";
  o.catalog_dir = kData + "/catalog";
  o.layers = false;
  return o;
}

// A dense model of `params` parameters with nothing else stated (every optional field empty).
sml::footprint::ParametricModel dense_model(double params) {
  sml::footprint::ParametricModel m;
  m.params = m.active_params = params;
  return m;
}

// A prefill of 10,000 prompt tokens and one output token by a dense model of `params` parameters
// given by count (no ONNX model), 1,000 B of KV cache a token, on `device`.
EstimateOptions prefill(double params, const std::string& device) {
  EstimateOptions o = base();
  o.model_path.clear();
  o.parametric = dense_model(params);
  o.device = device;
  o.serving.prompt_tokens = 10000;
  o.serving.output_tokens = 1;
  o.serving.kv_bytes_per_token = 1000;
  return o;
}

// The causal attention of prefill(params, …)'s 1e4-token prompt, 2 · layers · 1e4² · d_model FLOPs
// (token i attends to the i before it), where no --layers is given: layers = ∛(N / (12 · 128²)), so
// that N = 12 · layers · d_model² with d_model = 128 · layers.
double prefill_attention(double params) {
  const double layers = std::cbrt(params / (12 * 128.0 * 128));
  return 2 * layers * 1e8 * (128 * layers);
}

double num(const sml::Doc& d, const std::string& path) {
  const sml::Doc* v = d.path(path);
  REQUIRE_MESSAGE(v, "missing " << path);
  return *v->as_number();
}

}  // namespace

TEST_SUITE("footprint") {
  TEST_CASE("accounting: 100 device-hours on a board, known power, PUE and intensity") {
    EstimateOptions o = base();
    o.parametric = dense_model(1e6);
    o.model_path.clear();
    o.device = "test-board";
    o.plan.device_hours = 100;
    o.plan.pue = 1.5;
    o.plan.carbon_intensity = 0.5;
    const auto r = sml::footprint::estimate(o);
    // 100 h × (2 W idle … 10 W TDP) × 1.5 = 0.3 … 1.5 kWh
    CHECK(r.doc.path("training.mode")->as_string() == "accounting");
    CHECK(num(r.doc, "training.time_s.expected") == Approx(360000));
    CHECK(num(r.doc, "training.energy_kwh.low") == Approx(0.3));
    CHECK(num(r.doc, "training.energy_kwh.expected") == Approx(1.5));
    CHECK(num(r.doc, "training.energy_kwh.high") == Approx(1.5));
    CHECK(num(r.doc, "training.co2e_kg.expected") == Approx(0.75));
    // The board has no embodied figure: null with the reason, and the total says so.
    CHECK(r.doc.path("training.embodied_co2e_kg")->is_null());
    CHECK(r.doc.path("lifecycle.co2e_kg.embodied")->is_null());
    CHECK(r.doc.path("lifecycle.note")->as_string().find("embodied") != std::string::npos);
    CHECK(num(r.doc, "lifecycle.co2e_kg.total.expected") == Approx(0.75));
  }

  TEST_CASE("predictive from 6·N·D on a hosted accelerator, PUE from the region's default") {
    EstimateOptions o = base();
    o.parametric = dense_model(1e6);
    o.device = "tgpu";  // alias
    o.region = "aa";    // ISO ids are case-insensitive
    o.plan.precision = "bf16";
    o.plan.train_tokens = 1e6;
    const auto r = sml::footprint::estimate(o);
    // FLOPs = 6 × 1e6 × 1e6 = 6e12; ideal = 6e12 / 1e12 = 6 s; / (0.5, 0.375, 0.25) = 12, 16, 24 s.
    CHECK(num(r.doc, "training.flops") == Approx(6e12));
    CHECK(num(r.doc, "training.time_s.low") == Approx(12));
    CHECK(num(r.doc, "training.time_s.expected") == Approx(16));
    CHECK(num(r.doc, "training.time_s.high") == Approx(24));
    // Power 100 W × (1, 1.5, 2); PUE 2.0 (the region has none: 'unknown' default). Time and power
    // are independent: each end's log distance is the root sum of squares of theirs, ln(16/12) and
    // ln(150/100) below, ln(24/16) and ln(200/150) above.
    const double e = 16.0 / 3600 * 150 * 2 / 1000;
    CHECK(num(r.doc, "training.energy_kwh.low") == Approx(e * std::exp(-std::hypot(std::log(16.0 / 12), std::log(1.5)))));
    CHECK(num(r.doc, "training.energy_kwh.expected") == Approx(e));
    CHECK(num(r.doc, "training.energy_kwh.high") == Approx(e * std::exp(std::hypot(std::log(1.5), std::log(200.0 / 150)))));
    CHECK(num(r.doc, "training.co2e_kg.expected") == Approx(16.0 / 3600 * 150 * 2 / 1000 * 0.5));
    // Embodied: 100 kg × 16 s / (5 years); high pairs the longest time with the shortest life.
    const double year = 365.25 * 86400;
    CHECK(num(r.doc, "training.embodied_co2e_kg.expected") == Approx(100 * 16 / (5 * year)));
    CHECK(num(r.doc, "training.embodied_co2e_kg.high") == Approx(100 * 24 / (4 * year)));
    CHECK(num(r.doc, "training.embodied_co2e_kg.low") == Approx(100 * 12 / (6 * year)));
    CHECK(r.doc.path("training.assumptions.pue.value")->as_number() == 2.0);
  }

  TEST_CASE("attention FLOPs: counted only when layers, attention width and sequence length are all stated") {
    // Llama 3 8B's shape (meta-llama/llama-models sku_list.py: 32 layers, dim 4096 = 32 heads x 128;
    // 8k context, Llama 3 MODEL_CARD.md): attention forward per token 4 x 32 x 8192 x 4096 = 2^32
    // = 4,294,967,296 FLOPs beside 2N = 1.6e10, so the training FLOPs are 3 x (1.6e10 + 2^32) per
    // token, 1 + 2^32 / 1.6e10 = 1.268435456 times 6·N·D.
    EstimateOptions o = base();
    sml::footprint::ParametricModel m = dense_model(8e9);
    m.layers = 32;
    m.attention_width = 4096;
    m.train_seq_len = 8192;
    CHECK(sml::footprint::attention_flops_per_token(m) == 4294967296.0);
    o.parametric = m;
    o.device = "tgpu";
    o.plan.precision = "bf16";
    o.plan.train_tokens = 1e6;
    auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "training.flops") == Approx(3 * (1.6e10 + 4294967296.0) * 1e6));
    CHECK(num(r.doc, "training.flops") / (6 * 8e9 * 1e6) == Approx(1.268435456));
    // Ideal 6.0884901888e16 / 1e12 FLOP/s, / 0.375 expected utilisation.
    CHECK(num(r.doc, "training.time_s.expected") == Approx(3 * (1.6e10 + 4294967296.0) * 1e6 / 1e12 / 0.375));
    CHECK(r.doc.path("training.assumptions.flops_basis")->as_string().find("4 × layers × sequence length") != std::string::npos);
    // One of the three missing: nothing is guessed, 6·N·D alone.
    m.train_seq_len.reset();
    CHECK(sml::footprint::attention_flops_per_token(m) == 0);
    o.parametric = m;
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "training.flops") == Approx(6 * 8e9 * 1e6));
    // A published forward count per token stands as given, attention or not.
    m.train_seq_len = 8192;
    m.flops_per_token = 2e10;
    o.parametric = m;
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "training.flops") == Approx(3 * 2e10 * 1e6));
  }

  TEST_CASE("a cloud region brings its provider's PUE; --pue-setting and --pue override") {
    EstimateOptions o = base();
    o.parametric = dense_model(1e6);
    o.device = "test-gpu";
    o.plan.precision = "bf16";
    o.plan.train_tokens = 1e6;
    o.region = "test:cloud-1";
    CHECK(num(sml::footprint::estimate(o).doc, "training.assumptions.pue.value") == Approx(1.1));
    o.plan.pue_setting = "hyperscale";
    CHECK(num(sml::footprint::estimate(o).doc, "training.assumptions.pue.value") == Approx(1.25));
    o.plan.pue = 1.7;
    CHECK(num(sml::footprint::estimate(o).doc, "training.assumptions.pue.value") == Approx(1.7));
  }

  TEST_CASE("ONNX model: per-layer roofline for latency, samples × epochs for training") {
    testing::ModelBuilder b;
    b.input("x", {"1", "1000"});
    b.weight("W", {1000, 1000});
    b.node("MatMul", {"x", "W"}, {"y"});
    b.output("y");
    const std::string path = testing::scratch_file("footprint-test.onnx");
    {
      std::ofstream out(path, std::ios::binary);
      out << b.bytes();
    }
    EstimateOptions o = base();
    o.model_path = path;
    o.device = "test-gpu";
    o.region = "BB";
    o.plan.train_samples = 1000;
    o.plan.epochs = 2;
    const auto r = sml::footprint::estimate(o);
    // One pass moves 1000 + 1e6 + 1000 fp32 elements = 4.008e6 B at 1e9 B/s = 4.008 ms; its 2e6
    // FLOPs take 2 µs at 1e12: memory-bound. Serving (runtime pytorch of the test catalogue):
    // roofline / efficiency (0.5, 0.375, 0.25) + one kernel × overhead (1, 2, 3 ms).
    CHECK(num(r.doc, "inference.latency_s.low") == Approx(4.008e-3 / 0.5 + 1e-3));
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.375 + 2e-3));
    CHECK(num(r.doc, "inference.latency_s.high") == Approx(4.008e-3 / 0.25 + 3e-3));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(1 / (4.008e-3 / 0.375 + 2e-3)));
    CHECK(r.doc.path("inference.device")->as_string() == "test-gpu");
    CHECK(r.doc.path("inference.runtime")->as_string() == "pytorch");
    // Training: a step costs 3 × the pass (forward + backward); 2000 steps at batch 1.
    CHECK(num(r.doc, "training.flops") == Approx(3 * 2e6 * 2000));
    CHECK(num(r.doc, "training.time_s.expected") == Approx(3 * 4.008e-3 * 2000 / 0.375));
  }

  TEST_CASE("gates: exit-3 verdicts on the expected value, or on high with --gate-on high") {
    EstimateOptions o = base();
    o.parametric = dense_model(1e6);
    o.device = "test-board";
    o.plan.device_hours = 100;
    o.plan.pue = 1.5;
    o.plan.carbon_intensity = 0.5;
    o.gates = {{"co2", 1.0}, {"energy", 1.4}, {"time", 400000}};
    auto r = sml::footprint::estimate(o);
    CHECK(r.over_budget);  // energy 1.5 > 1.4
    REQUIRE(r.doc.find("gates")->size() == 3);
    CHECK(r.doc.find("gates")->as_list()[0].find("passed")->as_string() == "true");
    CHECK(r.doc.find("gates")->as_list()[1].find("passed")->as_string() == "false");
    o.gates = {{"co2", 0.7}};
    CHECK(sml::footprint::estimate(o).over_budget);      // 0.75 > 0.7
    o.gates = {{"co2", 0.8}};
    CHECK_FALSE(sml::footprint::estimate(o).over_budget);
    o.gates = {{"latency", 1}};
    CHECK_THROWS_AS(sml::footprint::estimate(o), sml::UsageError);  // no ONNX model: no latency
  }

  TEST_CASE("bad plans are clear errors with the nearest ids") {
    EstimateOptions o = base();
    o.parametric = dense_model(1e6);
    o.plan.train_tokens = 1e6;
    o.device = "test-gpx";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("did you mean test-gpu"), sml::InputError);
    o.device = "test-gpu";
    o.region = "AB";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("unknown region 'AB'"), sml::InputError);
    o.region.clear();
    o.plan.precision = "int8";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("has no int8 peak"), sml::InputError);
    o.plan.precision = "fp8x";
    CHECK_THROWS_AS(sml::footprint::estimate(o), sml::InputError);
    o.plan.precision = "bf16";
    o.device.clear();
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("needs --device"), sml::UsageError);
    o.device = "test-gpu";
    o.plan.train_tokens.reset();
    o.plan.queries_per_day = 10;
    CHECK_THROWS_AS(sml::footprint::estimate(o), sml::UsageError);  // --years missing
  }
}

namespace {

// x[N,1000] · W[1000,1000] → Relu: a memory-bound layer and an elementwise one.
std::string matmul_relu_model() {
  testing::ModelBuilder b;
  b.input("x", {"N", "1000"});
  b.weight("W", {1000, 1000});
  b.node("MatMul", {"x", "W"}, {"y"});
  b.node("Relu", {"y"}, {"z"});
  b.output("z");
  const std::string path = testing::scratch_file("serving-test.onnx");
  std::ofstream out(path, std::ios::binary);
  out << b.bytes();
  return path;
}

}  // namespace

TEST_SUITE("footprint-serving") {
  TEST_CASE("serving batch, runtime fusion and throughput, hand-derived") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serving.runtime = "fused";
    o.serve_batch = 4;
    const auto r = sml::footprint::estimate(o);
    // Batch 4: MatMul moves 4000 + 1e6 + 4000 elements × 4 B = 4.032e6 B → 4.032 ms (8e6 FLOPs take
    // 8 µs); the Relu is fused (no kernel, no memory). Efficiency 0.5, one kernel of 1 ms.
    const double latency = 4.032e-3 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.batch") == 4);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(latency));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(4 / latency));
    CHECK(num(r.doc, "inference.assumptions.kernels_per_pass") == 1);
    // Unfused (pytorch): the Relu is a second kernel that reads and writes 4000 elements.
    o.serving.runtime = "pytorch";
    const auto e = sml::footprint::estimate(o);
    CHECK(num(e.doc, "inference.assumptions.kernels_per_pass") == 2);
    CHECK(num(e.doc, "inference.latency_s.expected") == Approx((4.032e-3 + 32e-6) / 0.375 + 2 * 2e-3));
    // --serve-batch changes the inference section; so does --batch when no --serve-batch is given.
    o.serve_batch.reset();
    o.infer.batch = 2;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.batch") == 2);
  }

  TEST_CASE("engines beside the GPU serve queries of their own: a pass is the GPU's, throughput counts them all") {
    // int8 4 TOP/s of which the GPU alone 1 (the AGX Orin's DLAs counted in int8, not int8_gpu);
    // memory fast enough that the MatMul is compute-bound: 2·N·1e6 OPs at batch N.
    const std::string path = testing::scratch_file("engines.yaml");
    std::ofstream(path) << R"(sml: hwprofile/v1
name: "board with two engines"
peak_flops: {int8: 4.0e+12, int8_gpu: 1.0e+12}
memory_bandwidth_bytes_per_s: 1.0e+12
power_w: {max: 100}
)";
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = path;
    o.serving.runtime = "fused";  // efficiency 0.5, 1 ms a kernel, one kernel (the Relu fused)
    o.serving.precision = "int8";
    // Batch 1: one query, on the GPU: 2e6 / 1e12 = 2 µs (memory 1.002e6 B / 1e12 = 1 µs) / 0.5 + 1 ms;
    // nothing else to keep the other engines busy, so the throughput is one query per latency.
    o.serve_batch = 1;
    auto r = sml::footprint::estimate(o);
    const double one = 2e-6 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(one));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(1 / one));
    // Batch 4: the pass is still the GPU's (8 µs of compute), but samples can go to every engine: the
    // throughput is at all 4 TOP/s (2 µs, above the 1.008 µs of memory), and so is a query's device time.
    o.serve_batch = 4;
    r = sml::footprint::estimate(o);
    const double gpu = 8e-6 / 0.5 + 1e-3, all = 2e-6 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(gpu));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(4 / all));
  }

  TEST_CASE("power boundaries, power modes and caps, a device without power figures") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serving.runtime = "fused";
    o.plan.pue = 1.5;
    auto r = sml::footprint::estimate(o);
    // Device power = 100 W TDP × serving fraction (0.5, 0.75, 1); system adds the host share
    // (system multiple 1, 1.5, 2 minus 1) × 100 W = 0, 50, 100 W, and the PUE.
    const double s = 4.008e-3 / 0.5 + 1e-3;  // device-seconds per query
    CHECK(num(r.doc, "inference.energy_by_boundary.device.expected") == Approx(s * 75 / 3.6e6));
    CHECK(num(r.doc, "inference.energy_by_boundary.system.expected") == Approx(s * 125 * 1.5 / 3.6e6));
    CHECK(num(r.doc, "inference.energy_kwh_per_query.high") == Approx(s * 200 * 1.5 / 3.6e6));
    CHECK(r.doc.path("inference.power_boundary")->as_string() == "system");
    o.serving.boundary = "device";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.energy_kwh_per_query.expected") == Approx(s * 75 / 3.6e6));

    // A board in its 'low' mode: 5 W budget, clock × 0.5. Compute-bound work doubles in time.
    o.device = "test-board";
    o.serving.boundary = "system";
    o.serving.power_mode = "low";
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("inference.power_mode")->as_string() == "low");
    // 2e6 FLOPs at 1e9 × 0.5 = 4 ms vs 4.008 ms of memory at 1e9 B/s: still memory-bound.
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(s));
    CHECK(num(r.doc, "inference.assumptions.power_w.expected") == Approx(std::max(2.0, 0.75 * 5)));
    CHECK(num(r.doc, "inference.energy_kwh_per_query.low") == Approx(s * 2.5 * 1.5 / 3.6e6));  // 0.5 × 5 W, above idle 2 W
    // A mode without a published clock scales the clock by the cube root of its power share.
    o.serving.power_mode = "derived";  // 1.25 W of 10 W: clock × cbrt(0.125) = 0.5; the idle floor never exceeds the budget
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.assumptions.power_w.high") == Approx(1.25));
    CHECK(r.doc.path("inference.assumptions.notes")->as_list()[0].as_string().find("× 0.5") != std::string::npos);
    o.serving.power_mode = "turbo";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("full, low, derived, clocked"), sml::InputError);
    // A mode that publishes clocks but no budget (MLPerf MaxQ): compute and memory at half speed,
    // so the memory-bound MatMul takes 4.008 ms / 0.5 = 8.016 ms; the budget is the 10 W rating
    // × the clock share 0.5 = 5 W, of which the serving fraction 0.75 is drawn (above the 2 W idle).
    o.serving.power_mode = "clocked";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(8.016e-3 / 0.5 + 1e-3));
    CHECK(num(r.doc, "inference.assumptions.power_w.expected") == Approx(0.75 * 10 * 0.5));
    // A per-kernel cost spent on the device (a graph-launched engine: kernel_overhead_on_device) runs
    // at the mode's clock too: the 1 ms kernel gap becomes 2 ms at half clock. The host-launched
    // runtime above keeps its 1 ms: the GPU clock does not move the host's launch cost.
    o.serving.runtime = "fused-graph";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(8.016e-3 / 0.5 + 1e-3 / 0.5));
    o.serving.power_mode = "full";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(s));
    o.serving.runtime = "fused";
    // A cap below the rating: 2.5 W of 10 W → clock × cbrt(0.25); the budget becomes 2.5 W.
    o.serving.power_mode.clear();
    o.serving.power_cap_w = 2.5;
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.assumptions.power_w.expected") == Approx(std::max(2.0, 0.75 * 2.5)));
    CHECK(r.doc.path("inference.power_mode")->as_string() == "cap");

    // No power figure at all: latency still, energy null with the reason (no "no TDP" stop).
    o.serving.power_cap_w.reset();
    o.device = "test-nopower";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") > 0);
    CHECK(r.doc.path("inference.energy_kwh_per_query")->is_null());
    CHECK(r.doc.path("inference.energy_note")->as_string().find("no TDP published") != std::string::npos);
    // ...and no bandwidth: compute only, said so. 2e6 FLOPs at 1e9 = 2 ms / 0.5 + 1 ms.
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(2e-3 / 0.5 + 1e-3));
    // With a load, the serving energy is unknown with the reason, and so is the life-cycle energy:
    // never a total that quietly leaves serving out.
    o.plan.queries_per_day = 10;
    o.plan.years = 1;
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("serving.energy_kwh")->is_null());
    CHECK(r.doc.path("serving.energy_note")->as_string().find("no TDP published") != std::string::npos);
    CHECK(r.doc.path("lifecycle.energy_kwh")->is_null());
    CHECK(r.doc.path("lifecycle.co2e_kg.total")->is_null());
    CHECK(r.doc.path("lifecycle.note")->as_string().find("no TDP published") != std::string::npos);
  }

  TEST_CASE("a graph-launched runtime's per-kernel cost in GPU cycles runs at the device's clock") {
    // The MatMul of matmul_relu_model on test-gpu's figures is memory-bound: 4.008e6 B / 1e9 B/s,
    // / 0.5, plus one kernel (the Relu fused). fused-cycles counts that kernel as 4e6 GPU cycles.
    const std::string path = testing::scratch_file("clocked-gpu.yaml");
    std::ofstream(path) << R"(sml: hwprofile/v1
name: "2 GHz GPU"
peak_flops: {fp32: 1.0e+12}
memory_bandwidth_bytes_per_s: 1.0e+9
peak_clock_hz: 2.0e+9
power_w: {max: 100}
)";
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = path;
    o.serving.runtime = "fused-cycles";
    auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.5 + 4e6 / 2e9));  // 2 ms a kernel, not 1
    CHECK(num(r.doc, "inference.assumptions.runtime.kernel_overhead_cycles.expected") == Approx(4e6));
    // A device with no clock figure keeps the entry's seconds (1 ms).
    o.device = "test-gpu";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.5 + 1e-3));
    // A runtime whose per-kernel cost is the host's (no kernel_overhead_on_device) ignores the clock.
    o.device = path;
    o.serving.runtime = "fused";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.5 + 1e-3));
  }

  TEST_CASE("serving on its own device: --serve-device, or --task's deployment device") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serve_device = "test-board";
    o.plan.train_samples = 10;
    auto r = sml::footprint::estimate(o);
    CHECK(r.doc.path("training.assumptions.device")->as_string() == "test-gpu");
    CHECK(r.doc.path("inference.device")->as_string() == "test-board");
    o.serve_device.clear();
    const std::string task = testing::scratch_file("serving-task.yaml");
    {
      std::ofstream t(task);
      t << "sml: task/v1\ntask: {id: image-classification}\ndeployment: {device: test-nopower}\n";
    }
    o.task_path = task;
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("inference.device")->as_string() == "test-nopower");
    // Serving alone needs no training device.
    o.device.clear();
    o.plan.train_samples.reset();
    CHECK(sml::footprint::estimate(o).doc.path("inference.device")->as_string() == "test-nopower");
  }

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
    auto r = sml::footprint::estimate(o);
    // Prefill: 2 × 1e9 × 100 = 2e11 FLOPs at 1e12 = 0.2 s, but reading 2e9 B of weights at 1e9 B/s
    // takes 2 s: 2 s / compute efficiency 0.25 + 1 ms step overhead = 8.001 s.
    // Decode step: (2e9 B weights + 1000 B × (100 + 10/2) tokens of KV) / 1e9 / 0.5 + 1 ms.
    const double step = (2e9 + 1000 * 105.0) / 1e9 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.time_to_first_token_s.expected") == Approx(8.001));
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(8.001 + 10 * step));
    CHECK(num(r.doc, "inference.tokens_per_s.expected") == Approx(1 / step));
    CHECK(num(r.doc, "inference.energy_kwh_per_1k_tokens.expected") ==
          Approx(num(r.doc, "inference.energy_kwh_per_query.expected") * 100));
    // int4 weights: 4.5 bits each (GGML Q4_0 blocks), arithmetic at the fp16/bf16 path.
    o.serving.precision = "int4";
    o.serving.prompt_tokens.reset();
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("inference.precision")->as_string() == "int4");
    // test-gpu has no fp16 peak: int4 computes at fp32 (1e12 too).
    CHECK(num(r.doc, "inference.tokens_per_s.expected") == Approx(1 / ((1e9 * 0.5625 + 1000 * 5.0) / 1e9 / 0.5 + 1e-3)));
    // Concurrency 4: one weight read serves four requests; each adds its KV cache.
    o.serving.concurrency = 4;
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.tokens_per_s.expected") ==
          Approx(4 / ((1e9 * 0.5625 + 4 * 1000 * 5.0) / 1e9 / 0.5 + 1e-3)));
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
    // kernels x 22.405 us. (The weights, 340 MB at 3.35 TB/s, take 0.1 ms: compute-bound.)
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
    const double latency = flops / 1.9789e15 / 0.519 + 24 * 7 * 2.2405e-5;
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

  TEST_CASE("a board that cannot hold its boost clock slows tensor work by how much of the pass it fills") {
    EstimateOptions o = prefill(1e8, "test-capped");
    o.serving.runtime = "llm";
    // 2e12 GEMM FLOPs + causal attention (1.63e12) at fp16 (compute-bound: the 2e8 B of weights take
    // 0.2 s): about 3.6 s at the 1e12 peak / 0.25 = 14.5 s of tensor work + 1 ms; dense work fills
    // the pass, so the clock falls to the sustained 0.5: max(C + 1 ms, C / 0.5) = C / 0.5.
    const double c = (2e12 + prefill_attention(1e8)) / 1e12 / 0.25;
    o.serving.precision = "fp16";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c / 0.5));
    // fp32 runs on CUDA cores, outside the figure: at the rated 1e12.
    o.serving.precision = "fp32";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c + 1e-3));
    // A power mode states its own clocks (0.8 of the top mode), which replace the sustained share.
    o.serving.precision = "fp16";
    o.serving.power_mode = "half";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c / 0.8 + 1e-3));
  }

  TEST_CASE("launch gaps in a pass give the power limit room: max(C + O, C / share)") {
    EstimateOptions o = prefill(1e6, "test-capped");
    o.serving.runtime = "pytorch";
    o.serving.layers = 2;
    o.serving.precision = "fp16";
    o.serving.prompt_tokens = 1000;
    // Prefill of 1,000 tokens: 2e9 GEMM FLOPs + causal attention 2 · 2 layers · 1000² · d_model
    // (d_model = √(1e6 / (12 · 2)) = 204.1): 2.82e9 FLOPs at 1e12 / 0.375 = 7.5 ms of tensor work (C;
    // the 2e6 B of weights take 2 ms); 2 layers x 44 eager kernels x 2 ms = 176 ms of launch gaps (O).
    // C / 0.5 = 15 ms < C + O: the clock holds, so the pass costs C + O as at fp32 (one clock share for
    // all work gave 15 + 176 ms).
    const double flops = 2e9 + 2 * 2 * 1e6 * std::sqrt(1e6 / 24), c = flops / 1e12 / 0.375, gaps = 2 * 44 * 2e-3;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c + gaps));
    // The same prefill where the runtime pays 1 ms a query and no launch gaps (llm, 0.25 of peak): C = 11.3 ms,
    // O = 1 ms, so tensor work fills the pass and the clock falls to the share: 11.3 ms / 0.5.
    o.serving.runtime = "llm";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 1e12 / 0.25 / 0.5));
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

  TEST_CASE("a memory-bound pass leaves the tensor cores idle and is not slowed by the power limit") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-capped";
    o.serving.runtime = "fused";
    o.serving.precision = "fp16";
    o.serve_batch = 4;
    // The MatMul's 1e6 fp16 weights, 2e6 B at 1e9 B/s = 2 ms, outlast its 8e6 FLOPs (8 us): no
    // compute-bound time, so the boost clock holds: 2 ms / 0.5 + one 1 ms kernel.
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(2e-3 / 0.5 + 1e-3));
  }

  TEST_CASE("serving roofline: activations that fit the L2 do not cross device memory, the weights do") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-capped";
    o.serving.runtime = "fused";
    o.serving.precision = "fp32";
    o.serve_batch = 4;
    // Batch 4: the MatMul's 4000 + 4000 activation elements × 4 B = 32 kB fit the 100 kB L2, so only
    // its 1e6 weights × 4 B = 4 ms cross memory (8e6 FLOPs take 8 µs); efficiency 0.5, one 1 ms kernel.
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4e-3 / 0.5 + 1e-3));
    // test-gpu has no L2 figure: every byte, 4.032e6 B, crosses memory.
    o.device = "test-gpu";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.032e-3 / 0.5 + 1e-3));
    // Batch 16: 128 kB of activations exceed the L2; all 1.032e6 elements cross memory.
    o.device = "test-capped";
    o.serve_batch = 16;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.128e-3 / 0.5 + 1e-3));
  }

  TEST_CASE("training utilisation: whole-run observations, centred on the generation, spread of all runs") {
    const std::string text = R"(sml: footprint-model/v1
training_flops_factor: {value: 3, source: t}
utilization:
  observations:
    - {run: p, device: "NVIDIA A100", value: 0.6, source: t}
    - {run: a, device: "NVIDIA A100", value: 0.3, basis: run, source: t}
    - {run: b, device: "NVIDIA A100", value: 0.5, basis: run, source: t}
    - {run: c, device: "NVIDIA V100", value: 0.2, basis: run, source: t}
    - {run: d, device: "Google TPU v3", value: 0.4, basis: run, source: t}
system_power:
  observations: [{value: 1.1, source: t}]
lifetime_years:
  observations: [{value: 5, source: t}]
serving_spread: {low: 0.8, high: 1.25}
)";
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(text, "test.yaml"));
    REQUIRE(m.serving_spread);
    CHECK(m.serving_spread->high == Approx(1.25));
    // Whole-run pool {0.2, 0.3, 0.4, 0.5}: median 0.35, spread 0.2 / 0.35 to 0.5 / 0.35 (the peak
    // figure 0.6 is left out). A100: runs 0.3 and 0.5, median 0.4; widened to 0.4 × 0.2 / 0.35 =
    // 0.2286 and 0.4 × 0.5 / 0.35 = 0.5714.
    const auto a100 = m.utilization_for("NVIDIA A100 SXM4 80GB");
    CHECK(a100.range.expected == Approx(0.4));
    CHECK(a100.range.low == Approx(0.4 * 0.2 / 0.35));
    CHECK(a100.range.high == Approx(0.4 * 0.5 / 0.35));
    // One V100 run sets the centre at 0.2: band 0.2 × (0.2 / 0.35) to 0.2 × (0.5 / 0.35).
    const auto v100 = m.utilization_for("NVIDIA V100 SXM2 32GB");
    CHECK(v100.range.expected == Approx(0.2));
    CHECK(v100.range.high == Approx(0.2 * 0.5 / 0.35));
    // A generation without a run: all whole-run observations.
    const auto h100 = m.utilization_for("NVIDIA H100 SXM5 80GB");
    CHECK(h100.range.expected == Approx(0.35));
    CHECK(h100.range.low == Approx(0.2));
    CHECK(h100.range.high == Approx(0.5));
    // A malformed spread is refused with the file.
    CHECK_THROWS_AS(sml::footprint::FootprintModel::parse(sml::parse_yaml(
                        text.substr(0, text.find("serving_spread")) + "serving_spread: {low: 1.2, high: 0.9}\n", "bad.yaml")),
                    sml::InputError);
  }

  TEST_CASE("serving power: the observations of the same load set the centre, all of them the range") {
    const std::string text = footprint_test::kMinimalModelHead + R"(serving_power:
  observations:
    - {what: one at a time, value: 0.4, basis: single-stream, source: t}
    - {what: offline, value: 0.6, basis: batched, source: t}
)";
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(text, "test.yaml"));
    sml::hw::Device board;
    board.id = "board";
    board.device_class = "edge-board";
    board.tdp_w.value = 10;
    sml::footprint::ServingPlan plan;
    // All: 0.4–0.6, median 0.5, so the spread is ×0.8 to ×1.2 around the load's own figure.
    auto p = sml::footprint::serving_power(board, m, plan);  // batch 1: single-stream 0.4 × 10 W
    REQUIRE(p.device_w);
    CHECK(p.device_w->expected == Approx(4));
    CHECK(p.device_w->low == Approx(3.2));
    CHECK(p.device_w->high == Approx(4.8));
    plan.batch = 8;  // batched: 0.6 × 10 W
    p = sml::footprint::serving_power(board, m, plan);
    CHECK(p.device_w->expected == Approx(6));
    CHECK(p.device_w->high == Approx(7.2));
    plan.batch = 1;
    plan.concurrency = 4;  // concurrent LLM requests load the device as a batch does
    CHECK(sml::footprint::serving_power(board, m, plan).device_w->expected == Approx(6));
  }

  TEST_CASE("a measured board's hwprofile states the clocks its measurement ran at (power_modes)") {
    // hwprofile/v1 reads power_modes as device/v1 does: a validation profile of an MLPerf MaxQ board
    // can then be costed at the clocks the submission set, not at its full clock.
    const auto d = sml::hw::parse_hwprofile(sml::parse_yaml(R"(sml: hwprofile/v1
name: "board at maxq"
peak_flops: {int8: 1.0e+12}
memory_bandwidth_bytes_per_s: 1.0e+9
power_w: {max: 10}
power_modes:
  maxq: {value: null, clock_ratio: 0.5, memory_ratio: 0.75, reason: "clocks, no budget", source: t}
)", "p.yaml"));
    REQUIRE(d.power_modes.size() == 1);
    CHECK(d.power_modes[0].name == "maxq");
    CHECK(*d.power_modes[0].clock_ratio == Approx(0.5));
    CHECK(*d.power_modes[0].memory_ratio == Approx(0.75));
    const auto m = sml::footprint::FootprintModel::parse(sml::parse_yaml(footprint_test::kMinimalModelHead + R"(serving_power:
  observations:
    - {what: one at a time, value: 0.4, basis: single-stream, source: t}
)", "test.yaml"));
    sml::footprint::ServingPlan plan;
    plan.power_mode = "maxq";
    const auto p = sml::footprint::serving_power(d, m, plan);
    CHECK(p.peak_scale == Approx(0.5));
    CHECK(p.memory_scale == Approx(0.75));
    CHECK(p.device_w->expected == Approx(0.4 * 10 * 0.5));  // the fraction of the clock-scaled budget
    // A clock ratio out of (0, 1] is a broken profile, as in device/v1.
    CHECK_THROWS_AS(sml::hw::parse_hwprofile(sml::parse_yaml(R"(sml: hwprofile/v1
name: b
peak_flops: {int8: 1.0e+12}
power_w: {max: 10}
power_modes:
  fast: {value: null, clock_ratio: 1.5, reason: r, source: t}
)", "p.yaml")), sml::InputError);
  }

  TEST_CASE("ranges: a floor on a serving band's width, independent uncertainties in quadrature") {
    using sml::footprint::Range;
    // A band narrower than the spread takes the spread's factors on its expected value...
    const Range narrow{9, 10, 11};
    const Range w = narrow.widened(Range{0.5, 1, 1.6});
    CHECK(w.low == Approx(5));
    CHECK(w.expected == Approx(10));
    CHECK(w.high == Approx(16));
    // ...a wider one keeps its own ends.
    const Range wide = Range{2, 10, 40}.widened(Range{0.5, 1, 1.6});
    CHECK(wide.low == Approx(2));
    CHECK(wide.high == Approx(40));
    // Time ×/÷ 2 and power ×/÷ 2 (log distance ln 2 each): the product is ×/÷ 2^√2 = 2.665,
    // not ×/÷ 4 as low × low and high × high would give.
    const Range e = Range{1, 2, 4}.product_independent(Range{5, 10, 20});
    CHECK(e.expected == Approx(20));
    CHECK(e.low == Approx(20 / std::pow(2.0, std::sqrt(2.0))));
    CHECK(e.high == Approx(20 * std::pow(2.0, std::sqrt(2.0))));
    // An exact factor adds nothing.
    const Range x = Range{1, 2, 4}.product_independent(Range::exact(3));
    CHECK(x.low == Approx(3));
    CHECK(x.high == Approx(12));
  }

  TEST_CASE("--accounting-method card: TDP × device-hours × PUE × intensity beside the system figure") {
    EstimateOptions o = base();
    o.parametric = dense_model(1e6);
    o.device = "test-gpu";
    o.plan.device_hours = 10;
    o.plan.pue = 1.5;
    o.plan.carbon_intensity = 0.5;
    o.plan.accounting_method = "card";
    const auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "training.card.energy_kwh.expected") == Approx(10 * 100 * 1.5 / 1000));
    CHECK(num(r.doc, "training.card.co2e_kg.expected") == Approx(10 * 100 * 1.5 / 1000 * 0.5));
    // The fuller estimate stays: system power 1.5 × TDP.
    CHECK(num(r.doc, "training.energy_kwh.expected") == Approx(10 * 150 * 1.5 / 1000));
    o.plan.accounting_method = "system";
    CHECK(sml::footprint::estimate(o).doc.path("training.card") == nullptr);
  }
}

TEST_SUITE("catalog") {
  TEST_CASE("the shipped catalogues load, with the devices and regions the estimate needs") {
    const std::string root = SML_SOURCE_DATA_DIR;
    const auto devices = sml::footprint::list_devices(root + "/hw");
    CHECK(devices.size() >= 30);
    const auto regions = sml::footprint::list_regions(root + "/catalog");
    CHECK(regions.size() >= 60);
    auto has = [](const std::vector<std::string>& lines, const std::string& id) {
      for (const auto& l : lines)
        if (l.compare(0, id.size() + 1, id + "\t") == 0) return true;
      return false;
    };
    for (const char* id : {"nvidia-v100-sxm2-32gb", "nvidia-a100-sxm4-40gb", "nvidia-a100-sxm4-80gb", "nvidia-h100-sxm5-80gb",
                           "nvidia-h200-sxm-141gb", "nvidia-l4", "nvidia-t4", "nvidia-a10", "amd-mi250x", "amd-mi300x",
                           "google-tpu-v3", "google-tpu-v4", "google-tpu-v5e", "nvidia-jetson-orin-nano-8gb",
                           "nvidia-jetson-agx-orin-64gb", "raspberry-pi-4b", "raspberry-pi-5"}) {
      CAPTURE(id);
      CHECK(has(devices, id));
    }
    for (const char* id : {"WORLD", "DE", "FR", "NO", "US", "US-CA", "CN", "IN", "aws:us-east-1", "gcp:europe-west1"}) {
      CAPTURE(id);
      CHECK(has(regions, id));
    }
    const auto model = sml::footprint::FootprintModel::load(root + "/catalog/footprint.yaml");
    CHECK(model.utilization.observations.size() >= 5);
    CHECK(model.utilization.range.low > 0.1);
    CHECK(model.utilization.range.high < 0.7);
    // Every serving band is at least the fit rows' spread; it brackets the expected value.
    REQUIRE(model.serving_spread);
    CHECK(model.serving_spread->low < 1);
    CHECK(model.serving_spread->high > 1);
    // The MLPerf MaxQ clocks of the AGX Orin 64GB: GPU 612 MHz of 5.3 TFLOPS / (2 × 2048 cores)
    // = 1.294 GHz, EMC 2133 of 3200 MHz (204.8 GB/s over a 256-bit bus at two transfers a clock).
    const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
    const auto& orin = catalog.find("nvidia-jetson-agx-orin-64gb");
    const sml::hw::PowerMode* maxq = nullptr;
    for (const auto& m : orin.power_modes)
      if (m.name == "maxq") maxq = &m;
    REQUIRE(maxq);
    CHECK(*maxq->clock_ratio == Approx(612e6 / (5.3e12 / (2 * 2048))).epsilon(0.002));
    CHECK(*maxq->memory_ratio == Approx(2133.0 / (204.8e9 / 32 / 2 / 1e6)).epsilon(0.002));
    CHECK_FALSE(maxq->power_w.value);
  }

  TEST_CASE("the Orin serving-power observations give back the watts they measured, at the clocks they ran at") {
    // MLPerf v3.0 MaxQ on the AGX Orin devkit (P3701-0000): 14.85 W wall single-stream and 22.6 W
    // offline at GPU 624.75 MHz (closed/NVIDIA configs, class Orin_MaxQ). Costed under those
    // clocks, the catalogue's fractions must reproduce the measured watts: a fraction divided by the
    // full rating and then multiplied by the clock share again draws the clock share too little.
    const std::string root = SML_SOURCE_DATA_DIR;
    const auto model = sml::footprint::FootprintModel::load(root + "/catalog/footprint.yaml");
    const auto kit = sml::hw::load_hwprofile(root + "/tests/validation/devices/jetson-agx-orin-32gb.yaml");
    sml::footprint::ServingPlan plan;
    plan.power_mode = "maxq";
    CHECK(sml::footprint::serving_power(kit, model, plan).device_w->expected == Approx(14.85).epsilon(0.01));
    plan.batch = 256;
    CHECK(sml::footprint::serving_power(kit, model, plan).device_w->expected == Approx(22.6).epsilon(0.01));
    // The 64GB module is the same silicon at the same 60 W rating; its MaxQ GPU clock is 612 MHz
    // (v3.1) instead of 624.75, so one query at a time draws 14.85 W x 612 / 624.75 = 14.55 W
    // (the old fractions gave 60 W x 0.473 x 0.371 = 10.5 W; v3.1 measured about 14.3 W).
    const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
    plan.batch = 1;
    const auto orin = sml::footprint::serving_power(catalog.find("nvidia-jetson-agx-orin-64gb"), model, plan);
    CHECK(orin.device_w->expected == Approx(14.85 * 612 / 624.75).epsilon(0.02));
  }
}

