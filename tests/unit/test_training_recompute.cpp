// Activation recomputation in the conditioned training utilisation (issue 17), on a made-up model
// with round numbers: a run that recomputes every layer's forward pass spends 8ND hardware FLOPs
// for 6ND model FLOPs, so against a generation whose fit runs all recompute in full, a run stated
// without it (or with selective recomputation) reaches 4/3 of the centre; against a generation
// whose fit runs do not state theirs nothing moves, and the basis says so.
#include <doctest/doctest.h>

#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

TEST_SUITE_BEGIN("footprint");

using doctest::Approx;
using sml::footprint::FootprintModel;
using sml::footprint::UtilizationQuery;

namespace {

const std::string kModel = R"(sml: footprint-model/v1
training_flops_factor: {value: 3, source: t}
utilization:
  observations:
    - {run: a, device: "NVIDIA A100", value: 0.3, basis: run, source: t}
system_power:
  observations: [{value: 1.1, source: t}]
lifetime_years:
  observations: [{value: 5, source: t}]
training_utilization:
  derivation: d
  source: s
  size_exponent: {value: 0, reference_params: 10.0e+9}
  recompute: {full_over_none: 0.75, source: k}
  generations:
    - {match: "Hopper", value: 0.25, fitted_on: [h1, h2]}
    - {match: "Ampere", value: 0.3, fitted_on: [a1, a2], recompute: full}
  kinds:
    - {kind: dense-lm, factor: 1}
    - {kind: moe-lm, factor: 0.8, fitted_on: [m1]}
  precisions: [bf16, fp16]
  spread: {low: 0.5, high: 1.5}
  generation_spread: {low: 0.8, high: 1.25}
)";

FootprintModel model(const std::string& text = kModel) { return FootprintModel::parse(sml::parse_yaml(text, "test.yaml")); }

UtilizationQuery query(const std::string& device, const std::string& recompute, const std::string& kind = "dense-lm") {
  UtilizationQuery q;
  q.device_generation = device;
  q.kind = kind;
  q.active_params = 10e9;
  q.precision = "bf16";
  q.recompute = recompute;
  return q;
}

}  // namespace

TEST_CASE("training utilisation: a run without full recomputation against fit runs with it reaches 4/3 of the centre") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  // Unstated, or stated as the fit runs recompute: the generation's 0.3 (band 0.15 to 0.45).
  for (const char* r : {"", "full"}) {
    auto c = condition_utilization(u, query("Ampere", r));
    REQUIRE(c);
    CHECK(c->range.expected == Approx(0.3));
    CHECK(c->range.high == Approx(0.45));
  }
  // None and selective: 0.3 / 0.75 = 0.4, the band with it (0.2 to 0.6); a MoE run too (× 0.8).
  for (const char* r : {"none", "selective"}) {
    auto c = condition_utilization(u, query("Ampere", r));
    REQUIRE(c);
    CHECK(c->range.expected == Approx(0.4));
    CHECK(c->range.low == Approx(0.2));
    CHECK(c->range.high == Approx(0.6));
    CHECK(c->basis.find("activation recomputation " + std::string(r)) != std::string::npos);
  }
  auto c = condition_utilization(u, query("Ampere", "none", "moe-lm"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.4 * 0.8));
  // Unstated: the basis says what a statement would do.
  c = condition_utilization(u, query("Ampere", ""));
  CHECK(c->basis.find("--activation-recompute none or selective") != std::string::npos);
}

TEST_CASE("training utilisation: a generation whose fit runs do not state their recomputation is not moved") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  for (const char* r : {"none", "full"}) {
    auto c = condition_utilization(u, query("Hopper", r));
    REQUIRE(c);
    CHECK(c->range.expected == Approx(0.25));
    CHECK(c->basis.find("not applied") != std::string::npos);
  }
  // A device of no fitted generation: the median centre, unmoved.
  auto c = condition_utilization(u, query("Ada Lovelace", "none"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.275));
}

TEST_CASE("training utilisation: a malformed recompute entry is refused with the file") {
  const auto bad = [](const std::string& from, const std::string& to) {
    std::string t = kModel;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK_THROWS_AS(model(bad("recompute: full}", "recompute: partial}")), sml::InputError);
  CHECK_THROWS_AS(model(bad("full_over_none: 0.75", "full_over_none: 1.5")), sml::InputError);
  // The shipped catalogue: A100's fit runs recompute in full, at 3/4.
  const FootprintModel shipped = FootprintModel::load(std::string(SML_SOURCE_DATA_DIR) + "/catalog/footprint.yaml");
  REQUIRE(shipped.training_utilization);
  CHECK(shipped.training_utilization->full_recompute_ratio == Approx(0.75));
}

TEST_SUITE_END();
