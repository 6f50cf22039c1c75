// Training at a precision no fit run used, on the shipped catalogue (issue 17): MLPerf's GPT-3 runs
// train in FP8 on H100s (tests/validation/training_footprints.yaml, mlperf3*-gpt3 rows), which the
// H100 file could not express until it carried the whitepaper's dense FP8 peak. Hand-derived: the
// conditioned utilisation keeps its centre at the faster peak (twice bf16's, so half the time) and
// widens its slow end to the FLOP/s a bf16 run reaches (so the slow end is bf16's own).
#include <doctest/doctest.h>

#include <string>

#include "sml/footprint/estimate.hpp"
#include "sml/hw/device.hpp"

TEST_SUITE_BEGIN("footprint");

using doctest::Approx;

namespace {

sml::footprint::EstimateOptions shipped(const std::string& precision) {
  sml::footprint::EstimateOptions o;
  o.hw_dir = std::string(SML_SOURCE_DATA_DIR) + "/hw";
  o.catalog_dir = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
  o.layers = false;
  sml::footprint::ParametricModel m;
  m.params = m.active_params = 7e9;
  o.parametric = m;
  o.device = "h100";
  o.region = "US";
  o.plan.devices = 8;
  o.plan.train_tokens = 1e11;
  o.plan.precision = precision;
  return o;
}

double at(const sml::footprint::EstimateResult& r, const std::string& path) { return *r.doc.path(path)->as_number(); }

}  // namespace

TEST_CASE("training at fp8 on the shipped H100: centre at twice the bf16 speed, slow end no faster than bf16") {
  const auto catalog = sml::hw::DeviceCatalog::load(std::string(SML_SOURCE_DATA_DIR) + "/hw/devices");
  const auto& h100 = catalog.find("h100");
  // NVIDIA H100 whitepaper (2022), dense: FP8 1,978.9 TFLOPS = INT8 = 2 x BF16 989.4.
  REQUIRE(h100.peak("fp8"));
  CHECK(*h100.peak("fp8") == Approx(1.9789e15));
  CHECK(*h100.peak("fp8") == Approx(2 * *h100.peak("bf16")).epsilon(1e-3));
  const auto bf16 = sml::footprint::estimate(shipped("bf16"));
  const auto fp8 = sml::footprint::estimate(shipped("fp8"));
  CHECK(at(fp8, "training.flops") == Approx(at(bf16, "training.flops")));
  // Same utilisation of a peak 2.0002x bf16's: the expected and fast ends take half the time.
  const double ratio = *h100.peak("bf16") / *h100.peak("fp8");
  CHECK(at(fp8, "training.time_s.expected") == Approx(at(bf16, "training.time_s.expected") * ratio));
  CHECK(at(fp8, "training.time_s.low") == Approx(at(bf16, "training.time_s.low") * ratio));
  // The slow end: the bf16 run's lowest utilisation x (bf16 / fp8 peak), at the fp8 peak: bf16's time.
  CHECK(at(fp8, "training.time_s.high") == Approx(at(bf16, "training.time_s.high")));
  // An undeclared precision on a device without it is still refused, naming the file.
  auto o = shipped("fp8");
  o.device = "a100-80gb";
  CHECK_THROWS_WITH(sml::footprint::estimate(o), doctest::Contains("has no fp8 peak"));
}

TEST_SUITE_END();
