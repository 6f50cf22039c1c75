// Training round 24 (issue 17, 7 Dec, training18): the FP8 precision cell read at the devices that do
// the fit runs' per-device work (reference_params), lent to a generation with no FP8 cell of its
// own (borrow), and the attention scores and values of an FP8 run priced at the 16-bit peak.
// Hand-derived from round numbers (a made-up model) and from the shipped catalogue's cell.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sml/footprint/estimate.hpp"
#include "training_utilization_fixture.hpp"

TEST_SUITE_BEGIN("footprint");

using doctest::Approx;
using namespace training_utilization_test;

namespace {

// The fixture's model with one FP8 cell on Hopper: u = 0.8 x 0.9^log2(devices), the devices read
// at devices x 100e9 / active params and held to 4..1024; lent to datacenter GPUs with the band
// widened by x0.8 .. x1.25.
const std::string kFp8Model = kModel + R"(  precision_cells:
    - {match: "Hopper", precision: fp8, value: 0.8, scaling_per_doubling: 0.9, min_devices: 4, max_devices: 1024, reference_params: 100.0e+9, borrow: {device_class: datacenter-gpu, spread: {low: 0.8, high: 1.25}, source: lent}, spread: {low: 0.5, high: 1.5}, fitted_on: [f1], source: fp8-runs}
)";

UtilizationQuery fp8_query(const std::string& generation, const std::string& device_class, double active, double devices) {
  UtilizationQuery q = query(generation, "dense-lm", active, "fp8");
  q.device_class = device_class;
  q.devices = devices;
  return q;
}

double at(const sml::footprint::EstimateResult& r, const std::string& path) { return *r.doc.path(path)->as_number(); }

std::string from(const sml::footprint::EstimateResult& r) { return r.doc.path("training.assumptions.utilization.from")->as_string(); }

}  // namespace

TEST_CASE("fp8 cell: strong scaling read at the devices doing the fit runs' per-device work") {
  const auto m = model(kFp8Model);
  // The fit runs' size (100e9) on 16 devices: read at 16; u = 0.8 x 0.9^4 = 0.52488, x size (10)^0.1.
  const auto same = sml::footprint::condition_utilization(*m.training_utilization, fp8_query("Hopper", "datacenter-gpu", 100e9, 16));
  REQUIRE(same);
  CHECK(same->range.expected == Approx(0.52488 * std::pow(10.0, 0.1)));
  CHECK(same->range.low == Approx(0.5 * 0.52488 * std::pow(10.0, 0.1)));
  // A quarter of the size on 16 devices does the per-device work of the fit model on 64:
  // u = 0.8 x 0.9^6 = 0.4251528, x size (2.5)^0.1.
  const auto small = sml::footprint::condition_utilization(*m.training_utilization, fp8_query("Hopper", "datacenter-gpu", 25e9, 16));
  REQUIRE(small);
  CHECK(small->range.expected == Approx(0.4251528 * std::pow(2.5, 0.1)));
  CHECK(small->basis.find("the per-device work of 64") != std::string::npos);
  // Four times the size on 16 devices: read at 4, the fitted floor (0.8 x 0.9^2 = 0.648), x 40^0.1.
  const auto big = sml::footprint::condition_utilization(*m.training_utilization, fp8_query("Hopper", "datacenter-gpu", 400e9, 16));
  REQUIRE(big);
  CHECK(big->range.expected == Approx(0.648 * std::pow(40.0, 0.1)));
  // Held at the ceiling: 1e9 params on 64 devices reads as 6,400, held to 1024: 0.8 x 0.9^10.
  const auto tiny = sml::footprint::condition_utilization(*m.training_utilization, fp8_query("Hopper", "datacenter-gpu", 1e9, 64));
  REQUIRE(tiny);
  CHECK(tiny->range.expected == Approx(0.8 * std::pow(0.9, 10) * std::pow(0.1, 0.1)));
  CHECK(tiny->basis.find("held to the fitted 4–1024") != std::string::npos);
}

TEST_CASE("fp8 cell: lent to a GPU generation with no cell of its own, the band widened; never to a TPU") {
  const auto m = model(kFp8Model);
  // 25e9 params on 16 devices, read at 64: u = 0.8 x 0.9^6 = 0.4251528, x size (2.5)^0.1.
  const auto lent = sml::footprint::condition_utilization(*m.training_utilization, fp8_query("Blackwell", "datacenter-gpu", 25e9, 16));
  REQUIRE(lent);
  const double u = 0.4251528 * std::pow(2.5, 0.1);
  CHECK(lent->range.expected == Approx(u));
  CHECK(lent->range.low == Approx(u * 0.5 * 0.8));
  CHECK(lent->range.high == Approx(u * 1.5 * 1.25));  // 0.8736, under the cap of 1
  CHECK(lent->basis.find("no fp8 run fitted on this device's generation: the Hopper fp8 cell") != std::string::npos);
  CHECK(lent->fitted_on == std::vector<std::string>{"f1"});
  // A TPU is not lent a GPU's cell: no generation fitted, so the median of the generations' centres
  // (0.25 and 0.4: 0.325) with the band widened by generation_spread, and the fp8 peak ratio.
  auto tpu_q = fp8_query("TPU v9", "datacenter-tpu", 100e9, 16);
  tpu_q.peak_ratio = 0.5;
  const auto tpu = sml::footprint::condition_utilization(*m.training_utilization, tpu_q);
  REQUIRE(tpu);
  CHECK(tpu->range.expected == Approx(0.325 * std::pow(10.0, 0.1)));
  CHECK(tpu->basis.find("no fitted run on this device's generation") != std::string::npos);
  // A cell of another precision is not lent: int8 on the same GPU takes the generation median too.
  auto int8 = fp8_query("Blackwell", "datacenter-gpu", 100e9, 16);
  int8.precision = "int8";
  const auto i8 = sml::footprint::condition_utilization(*m.training_utilization, int8);
  REQUIRE(i8);
  CHECK(i8->range.expected == Approx(0.325 * std::pow(10.0, 0.1)));
}

TEST_CASE("a borrow without its spread is refused with the file and line") {
  const std::string bad = kModel + R"(  precision_cells:
    - {match: "Hopper", precision: fp8, value: 0.8, scaling_per_doubling: 0.9, min_devices: 4, max_devices: 1024, borrow: {device_class: datacenter-gpu, source: lent}, spread: {low: 0.5, high: 1.5}, fitted_on: [f1], source: fp8-runs}
)";
  CHECK_THROWS_WITH(model(bad), doctest::Contains("test.yaml:"));
  const std::string negative = kModel + R"(  precision_cells:
    - {match: "Hopper", precision: fp8, value: 0.8, scaling_per_doubling: 0.9, min_devices: 4, max_devices: 1024, reference_params: -1, spread: {low: 0.5, high: 1.5}, fitted_on: [f1], source: fp8-runs}
)";
  CHECK_THROWS_WITH(model(negative), doctest::Contains("reference_params must be positive"));
}

namespace {

sml::footprint::EstimateOptions llama(const char* device, double params, int layers, int width, long devices, double tokens,
                                      const char* precision) {
  sml::footprint::EstimateOptions o;
  o.hw_dir = std::string(SML_SOURCE_DATA_DIR) + "/hw";
  o.catalog_dir = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
  o.layers = false;
  sml::footprint::ParametricModel m;
  m.params = m.active_params = params;
  m.layers = layers;
  m.attention_width = width;
  m.train_seq_len = 8192;
  o.parametric = m;
  o.device = device;
  o.region = "US";
  o.plan.devices = devices;
  o.plan.train_tokens = tokens;
  o.plan.precision = precision;
  return o;
}

}  // namespace

TEST_CASE("shipped catalogue: an 8B Llama in FP8 on 64 H100s, attention at the BF16 peak") {
  // MLPerf v5.1's Llama 3.1 8B shape (7.248e9 params, 32 layers, width 4096, sequence 8192),
  // 1,610,612,736 tokens. Devices read at 64 x 175e9 / 7.248e9 = 1,545.25 (log2 10.5936):
  // u = 0.8888 x 0.9185^10.5936 (0.406326) x (0.7248)^0.0005 (0.999839) = 0.361084.
  const double tokens = 1610612736.0;
  const auto r = sml::footprint::estimate(llama("h100", 7.248e9, 32, 4096, 64, tokens, "fp8"));
  const double u = 0.8888 * std::pow(0.9185, std::log2(64 * 175e9 / 7.248e9)) * std::pow(0.7248, 0.0005);
  CHECK(u == Approx(0.361084).epsilon(1e-5));
  CHECK(at(r, "training.assumptions.utilization.expected") == Approx(u).epsilon(1e-5));
  // Linear FLOPs 6 x 7.248e9 x D = 7.00423e19 at the FP8 peak 1.9789e15; attention 12 x 32 x 8192 x
  // 4096 x D = 2.07526e19 (22.9% of the FLOPs) at the BF16 peak 989.4e12:
  // (35,394.7 s + 20,974.9 s) / (64 x 0.361084) = 2,439.2 s.
  const double linear = 6 * 7.248e9 * tokens, attention = 12.0 * 32 * 8192 * 4096 * tokens;
  CHECK(at(r, "training.flops") == Approx(linear + attention).epsilon(1e-6));
  CHECK(at(r, "training.time_s.expected") == Approx((linear / 1.9789e15 + attention / 989.4e12) / (64 * u)).epsilon(1e-4));
  CHECK(at(r, "training.time_s.expected") == Approx(2439.2).epsilon(1e-3));
  CHECK(r.doc.path("training.assumptions.flops_basis")->as_string().find("22.9% of the FLOPs) at the 16-bit peak") != std::string::npos);
  // The band is the cell's own (x0.661 .. x1.591 on u): 2.41x wide in time.
  CHECK(at(r, "training.time_s.high") / at(r, "training.time_s.low") == Approx(1.591 / 0.661).epsilon(1e-3));
  // In BF16 every FLOP runs at the same peak: no split, no such sentence.
  const auto bf16 = sml::footprint::estimate(llama("h100", 7.248e9, 32, 4096, 64, tokens, "bf16"));
  CHECK(r.doc.path("training.assumptions.flops_basis")->as_string() != bf16.doc.path("training.assumptions.flops_basis")->as_string());
  CHECK(bf16.doc.path("training.assumptions.flops_basis")->as_string().find("16-bit peak") == std::string::npos);
  CHECK(at(bf16, "training.time_s.expected") ==
        Approx((linear + attention) / (64 * 989.4e12 * at(bf16, "training.assumptions.utilization.expected"))).epsilon(1e-4));
}

TEST_CASE("shipped catalogue: Llama 405B in FP8 on 256 B200s takes the H100's FP8 cell, lent") {
  // 4.027e11 params, 126 layers, width 16384; 2,415,919,104 tokens. Devices read at 256 x 175e9 /
  // 4.027e11 = 111.2, held to 256: u = 0.8888 x 0.9185^8 x (40.27)^0.0005 = 0.451066.
  const double tokens = 2415919104.0;
  const auto r = sml::footprint::estimate(llama("nvidia-b200", 4.027e11, 126, 16384, 256, tokens, "fp8"));
  const double u = 0.8888 * std::pow(0.9185, 8) * std::pow(40.27, 0.0005);
  CHECK(u == Approx(0.451066).epsilon(1e-5));
  CHECK(at(r, "training.assumptions.utilization.expected") == Approx(u).epsilon(1e-5));
  CHECK(from(r).find("no fp8 run fitted on this device's generation: the Hopper fp8 cell") != std::string::npos);
  // B200 peaks: FP8 4.5e15, BF16 2.25e15. time = (6ND / 4.5e15 + 12 x 126 x 8192 x 16384 x D /
  // 2.25e15) / (256 u) = 13,120.7 s (0.15186 days; published 0.16754: -9%).
  const double linear = 6 * 4.027e11 * tokens, attention = 12.0 * 126 * 8192 * 16384 * tokens;
  CHECK(at(r, "training.time_s.expected") == Approx((linear / 4.5e15 + attention / 2.25e15) / (256 * u)).epsilon(1e-4));
  CHECK(at(r, "training.time_s.expected") / 86400 == Approx(0.15186).epsilon(1e-3));
  // Band x 0.661 x 0.9065 .. x 1.591 x 1.1031 on u: 2.93x wide in time (8.8x before it was lent).
  CHECK(at(r, "training.time_s.high") / at(r, "training.time_s.low") == Approx(1.591 * 1.1031 / (0.661 * 0.9065)).epsilon(1e-3));
  CHECK(at(r, "training.time_s.high") / at(r, "training.time_s.low") == Approx(2.929).epsilon(1e-3));
}
