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

// Since 7 Dec (training16) FP8 on the H100 has a fitted cell of its own (test_training_round22.cpp);
// the rule for a precision no fit run used is checked on int8, whose H100 peak is FP8's.
TEST_CASE("training at an unfitted precision (int8) on the shipped H100: centre at twice the bf16 speed, slow end no faster than bf16") {
  const auto catalog = sml::hw::DeviceCatalog::load(std::string(SML_SOURCE_DATA_DIR) + "/hw/devices");
  const auto& h100 = catalog.find("h100");
  // NVIDIA H100 whitepaper (2022), dense: FP8 1,978.9 TFLOPS = INT8 = 2 x BF16 989.4.
  REQUIRE(h100.peak("fp8"));
  CHECK(*h100.peak("fp8") == Approx(1.9789e15));
  CHECK(*h100.peak("fp8") == Approx(2 * *h100.peak("bf16")).epsilon(1e-3));
  const auto bf16 = sml::footprint::estimate(shipped("bf16"));
  const auto int8 = sml::footprint::estimate(shipped("int8"));
  CHECK(*h100.peak("int8") == Approx(*h100.peak("fp8")));
  CHECK(at(int8, "training.flops") == Approx(at(bf16, "training.flops")));
  // Same utilisation of a peak 2.0002x bf16's: the expected and fast ends take half the time.
  const double ratio = *h100.peak("bf16") / *h100.peak("int8");
  CHECK(at(int8, "training.time_s.expected") == Approx(at(bf16, "training.time_s.expected") * ratio));
  CHECK(at(int8, "training.time_s.low") == Approx(at(bf16, "training.time_s.low") * ratio));
  // The slow end: the bf16 run's lowest utilisation x (bf16 / int8 peak), at the int8 peak: bf16's time.
  CHECK(at(int8, "training.time_s.high") == Approx(at(bf16, "training.time_s.high")));
  // An undeclared precision on a device without it is still refused, naming the file.
  auto o = shipped("fp8");
  o.device = "a100-80gb";
  CHECK_THROWS_WITH(sml::footprint::estimate(o), doctest::Contains("has no fp8 peak"));
}

TEST_CASE("training on a device with no TDP: the time stands, the energy is null and says why") {
  // Google publishes no TDP or measured power for TPU v5e (hw/devices/google-tpu-v5e.yaml); until
  // 7 Dec that stopped a training estimate altogether (MLPerf v3.1 GPT-3 on 4,096 v5e chips).
  auto o = shipped("bf16");
  o.device = "tpu-v5e";
  const auto r = sml::footprint::estimate(o);
  // 6 x 7e9 x 1e11 = 4.2e21 FLOPs over 8 chips at 197 TFLOP/s bf16, at the utilisation printed.
  const double u = at(r, "training.assumptions.utilization.expected");
  CHECK(at(r, "training.flops") == Approx(4.2e21));
  CHECK(at(r, "training.time_s.expected") == Approx(4.2e21 / (8 * 197e12 * u)));
  CHECK(at(r, "training.device_hours.expected") == Approx(at(r, "training.time_s.expected") * 8 / 3600));
  CHECK(r.doc.path("training.energy_kwh")->is_null());
  CHECK(r.doc.path("training.co2e_kg") == nullptr);
  CHECK(r.doc.path("training.assumptions.power_w_per_device")->is_null());
  CHECK(r.doc.path("training.energy_note")->as_string().find("has no TDP") != std::string::npos);
  CHECK(r.doc.path("lifecycle.energy_kwh")->is_null());
  // Accounting from device-hours on it: the hours as given, the energy null; the card figure
  // (TDP x hours) has no TDP to count either.
  o.plan.train_tokens.reset();
  o.plan.device_hours = 1000;
  o.plan.accounting_method = "card";
  const auto a = sml::footprint::estimate(o);
  CHECK(at(a, "training.device_hours.expected") == Approx(1000));
  CHECK(a.doc.path("training.energy_kwh")->is_null());
  CHECK(a.doc.path("training.card") == nullptr);
}

TEST_SUITE_END();
