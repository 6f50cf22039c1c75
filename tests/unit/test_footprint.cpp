// The footprint arithmetic pinned on hand-derived cases, with made-up test devices and
// parameters (tests/data/) so that every expected number follows from the formulas alone:
//   time     = ideal time / utilisation (range from observations 0.25, 0.5: 0.25 / 0.375 / 0.5)
//   power    = TDP × system multiple (observations 1, 2: 1 / 1.5 / 2) for hosted accelerators,
//              between idle and TDP for a board
//   energy   = device-hours × power × PUE;   CO2e = energy × intensity
//   embodied = embodied kg × device-time / lifetime (observations 4, 6 years: 4 / 5 / 6)
// This file: accounting, predictive training, regions, gates and bad plans (estimate() end to end);
// test_footprint_serving.cpp and _serving_transformers.cpp one query's cost; test_footprint_model.cpp
// the footprint model's observations and bands and the shipped catalogues.
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
    const std::string path = testing::written_file("footprint-test.onnx", b.bytes());
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

// In the footprint-serving suite (ctest's unit.footprint-serving shard), where it was written.
TEST_SUITE("footprint-serving") {
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
