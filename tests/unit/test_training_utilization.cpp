// The conditioned training utilisation (issue 17) pinned on hand-derived cases: a made-up model
// with round numbers, so that every expected value follows from
//   u = generation × kind × (active params / reference) ^ size_exponent,  band = u × spread
// and the fallbacks (another generation, another kind, another precision) by hand.
// This file: the LLM kinds (generation, kind, size, precision, the 6ND fit) and the shipped
// model's refusals; test_training_utilization_cnn.cpp the CNN cells, _encdec.cpp the
// encoder-decoder cells (the shared model: training_utilization_fixture.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "training_utilization_fixture.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/hw/device.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

// In the footprint suite, so ctest's unit.footprint shard runs these cases (a file with no suite
// is run by no shard: until 6 Dec this one ran only when the binary was called by hand).
TEST_SUITE_BEGIN("footprint");

using doctest::Approx;
using sml::footprint::FootprintModel;
using sml::footprint::UtilizationQuery;
using namespace training_utilization_test;

TEST_CASE("training utilisation: generation, kind and size multiply; the band is the fitted spread") {
  const FootprintModel m = model();
  REQUIRE(m.training_utilization);
  const auto& u = *m.training_utilization;
  // H100, dense, at the reference size: the generation's value, band 0.25 × 0.5 to 0.25 × 1.5.
  auto c = condition_utilization(u, query("Hopper", "dense-lm", 10e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  CHECK(c->range.low == Approx(0.125));
  CHECK(c->range.high == Approx(0.375));
  CHECK(c->fitted_on == std::vector<std::string>{"h1", "h2"});
  CHECK(c->source == "s");
  // H100, mixture of experts with 100e9 active: 0.25 × 0.8 × 10^0.1 = 0.2 × 1.258925 = 0.251785.
  c = condition_utilization(u, query("Hopper", "moe-lm", 100e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.2 * std::pow(10.0, 0.1)));
  CHECK(c->range.high == Approx(0.2 * std::pow(10.0, 0.1) * 1.5));
  CHECK(c->fitted_on == std::vector<std::string>{"h1", "h2", "m1"});
  // A100 dense at 1e9 active: 0.4 × 0.1^0.1 = 0.4 × 0.794328 = 0.317731.
  c = condition_utilization(u, query("Ampere", "dense-lm", 1e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.4 * std::pow(0.1, 0.1)));
  // No size known: no size term.
  c = condition_utilization(u, query("Ampere", "dense-lm", 0));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.4));
}

TEST_CASE("training utilisation: an unfitted generation is wide, an unfitted kind is not answered") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  // L4: no generation matches. Centre = median of {0.25, 0.4} = 0.325; spread 0.5 × 0.8 = 0.4 to
  // 1.5 × 1.25 = 1.875: band 0.13 to 0.609375 (4.7× wide against 3× for a fitted generation).
  auto c = condition_utilization(u, query("Ada Lovelace", "dense-lm", 10e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.325));
  CHECK(c->range.low == Approx(0.13));
  CHECK(c->range.high == Approx(0.609375));
  CHECK(c->fitted_on.size() == 3);
  // A CNN (or any kind the model was not fitted on): no answer, the caller falls back.
  CHECK_FALSE(condition_utilization(u, query("Hopper", "other", 25e6)));
}

TEST_CASE("training utilisation: a precision no fit run used reaches to the 16-bit run's FLOP/s") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  // fp8 on H100: peak twice bf16 (ratio 0.5). Expected stays 0.25; low 0.125 × 0.5 = 0.0625 (no
  // speed-up from fp8 at all); high 0.375 (the full speed-up).
  auto c = condition_utilization(u, query("Hopper", "dense-lm", 10e9, "fp8", 0.5));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  CHECK(c->range.low == Approx(0.0625));
  CHECK(c->range.high == Approx(0.375));
  // fp32 at 1/15 of the bf16 peak: high 0.375 × 15 capped at 1; low unchanged.
  c = condition_utilization(u, query("Hopper", "dense-lm", 10e9, "fp32", 15));
  REQUIRE(c);
  CHECK(c->range.low == Approx(0.125));
  CHECK(c->range.high == Approx(1.0));
  // A fitted precision ignores the ratio.
  c = condition_utilization(u, query("Hopper", "dense-lm", 10e9, "fp16", 0.5));
  REQUIRE(c);
  CHECK(c->range.low == Approx(0.125));
}

TEST_CASE("training utilisation: the one function both tools call picks the kind from what the plan knows") {
  const FootprintModel m = model();
  sml::hw::Device d = device("h", "Hopper", "bf16", 1000e12);
  d.peak_flops["fp32"].value = 100e12;
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "bf16";
  // --params 100B --active-params 10B: moe-lm at 10e9 active: 0.25 × 0.8 = 0.2.
  sml::footprint::ParametricModel moe;
  moe.params = 100e9;
  moe.active_params = 10e9;
  moe.kind = "";
  CHECK(training_utilization(plan, ctx, &moe, nullptr).range.expected == Approx(0.2));
  // Dense at 10e9: 0.25.
  sml::footprint::ParametricModel dense;
  dense.params = 10e9;
  dense.active_params = 10e9;
  dense.kind = "";
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  // fp32: peak ratio bf16 / fp32 = 10, so high = min(1, 0.375 × 10) = 1.
  plan.precision = "fp32";
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.high == Approx(1.0));
  plan.precision = "bf16";
  // sml-suggest's CNN candidates (kind other) and a profiled ONNX network: the whole-run
  // observations on the H100 (one run, 0.2), widened to the spread of all runs {0.2, 0.3, 0.5}
  // around their median 0.3: 0.2 × 0.2 / 0.3 to 0.2 × 0.5 / 0.3.
  sml::footprint::ParametricModel cnn;
  cnn.params = 25e6;
  cnn.active_params = 25e6;
  cnn.kind = "other";
  const auto other = training_utilization(plan, ctx, &cnn, nullptr);
  CHECK(other.range.expected == Approx(0.2));
  CHECK(other.range.high == Approx(0.2 * 0.5 / 0.3));
  CHECK(other.basis.find("not conditioned on kind") != std::string::npos);
  // A profiled network that is not convolutional (a MatMul carries the FLOPs): unconditioned.
  sml::cost::Profile mlp;
  mlp.layers.resize(2);
  mlp.layers[0].op = "MatMul";
  mlp.layers[0].flops = 3e9;
  mlp.layers[1].op = "Conv";
  mlp.layers[1].flops = 1e9;
  CHECK(sml::footprint::profiled_kind(mlp) == "other");
  CHECK(training_utilization(plan, ctx, &dense, &mlp).range.expected == Approx(0.2));
  CHECK(training_utilization(plan, ctx, nullptr, nullptr).range.expected == Approx(0.2));
}

TEST_CASE("training utilisation: a run whose FLOPs are 6ND alone is priced with the fit made under that count") {
  // The main fit counts attention where the fit rows state their shape; training_utilization_6nd is
  // the same model fitted with 6ND alone (here H100 0.2, no size term).
  const FootprintModel m = model(kModel + R"(training_utilization_6nd:
  derivation: d6
  source: s6
  size_exponent: {value: 0, reference_params: 10.0e+9}
  generations:
    - {match: "Hopper", value: 0.2, fitted_on: [h1, h2]}
  kinds:
    - {kind: dense-lm, factor: 1}
  precisions: [bf16, fp16]
  spread: {low: 0.5, high: 1.5}
  generation_spread: {low: 0.8, high: 1.25}
)");
  const sml::hw::Device d = device("h", "Hopper", "bf16", 1000e12);
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "bf16";
  plan.train_tokens = 1e9;
  sml::footprint::ParametricModel dense;
  dense.params = 10e9;
  dense.active_params = 10e9;
  // No shape: 6ND FLOPs, the 6ND fit (0.2), and the basis says how to count attention.
  const auto six = training_utilization(plan, ctx, &dense, nullptr);
  CHECK(six.range.expected == Approx(0.2));
  CHECK(six.basis.find("--train-seq-len") != std::string::npos);
  // The shape stated: attention counted, the main fit (H100 0.25 at the reference size).
  dense.layers = 32;
  dense.attention_width = 4096;
  dense.train_seq_len = 4096;
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  // A published per-token count, or published total FLOPs, are entered as they are: the main fit.
  dense.train_seq_len.reset();
  dense.flops_per_token = 2.5e10;
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  dense.flops_per_token.reset();
  plan.train_flops = 1e21;
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  // A catalogue without the 6ND fit: the main one serves every run.
  sml::footprint::Context plain = ctx;
  const FootprintModel m1 = model();
  plain.model = &m1;
  plan.train_flops.reset();
  CHECK(training_utilization(plan, plain, &dense, nullptr).range.expected == Approx(0.25));
}

TEST_CASE("training utilisation: a malformed model is refused with the file") {
  const auto bad = [](const std::string& from, const std::string& to) {
    std::string t = kModel;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK_THROWS_AS(model(bad("value: 0.25, fitted_on: [h1, h2]", "value: 1.5, fitted_on: [h1]")), sml::InputError);
  CHECK_THROWS_AS(model(bad("value: 0.25, fitted_on: [h1, h2]", "value: 0.25, fitted_on: []")), sml::InputError);
  CHECK_THROWS_AS(model(bad("spread: {low: 0.5, high: 1.5}", "spread: {low: 1.5, high: 0.5}")), sml::InputError);
  CHECK_THROWS_AS(model(bad("value: 0.1, reference_params", "value: 3, reference_params")), sml::InputError);
  CHECK_THROWS_AS(model(bad("basis: roofline", "basis: peak")), sml::InputError);
  CHECK_THROWS_AS(model(bad("precisions: [fp32], value: 0.9", "precisions: [], value: 0.9")), sml::InputError);
  CHECK_THROWS_AS(model(bad("precisions: [fp32], value: 0.9", "precisions: [fp32], value: 1.9")), sml::InputError);
}

TEST_CASE("training utilisation: the shipped P100 and TPU v2 have no fitted generation and say so") {
  // Both entered hw/devices for the held-out Patterson / Strubell rows; no fit row ran on either.
  // Their generations (Pascal, TPU v2) must match no generation or CNN cell of the shipped model
  // (until 7 Dec names were matched, where a slip such as "100" would price a P100 as a V100): they take the
  // median of the generations' centres, with the band widened by the generations' spread.
  const std::string root = SML_SOURCE_DATA_DIR;
  const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
  const auto m = FootprintModel::load(root + "/catalog/footprint.yaml");
  REQUIRE(m.training_utilization);
  const auto& u = *m.training_utilization;
  std::vector<double> centres;
  for (const auto& g : u.generations) centres.push_back(g.value);
  const double median = sml::footprint::Range::of(centres).expected;
  const auto fitted = condition_utilization(u, query(catalog.find("v100").generation, "dense-lm", 0));
  REQUIRE(fitted);
  const auto cnn = std::find_if(u.kinds.begin(), u.kinds.end(), [](const auto& k) { return k.id == "cnn"; });
  REQUIRE(cnn != u.kinds.end());
  for (const char* id : {"p100", "tpu-v2"}) {
    CAPTURE(id);
    const auto& d = catalog.find(id);
    const auto c = condition_utilization(u, query(d.generation, "dense-lm", 0));
    REQUIRE(c);
    CHECK(c->basis.rfind("no fitted run on this device's generation", 0) == 0);
    CHECK(c->range.expected == Approx(median));
    CHECK(c->range.high / c->range.low > fitted->range.high / fitted->range.low);
    for (const auto& cell : cnn->cells) CHECK(d.generation != cell.match);
  }
  // The sourced peaks (NVIDIA Tesla P100 datasheet, NVLink column; TPU v2: 180 TFLOPS per 4 chips).
  CHECK(*catalog.find("p100").peak("fp32") == Approx(10.6e12));
  CHECK(*catalog.find("tpu-v2").peak("bf16") == Approx(45e12));
}

TEST_SUITE_END();
