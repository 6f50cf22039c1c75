// The footprint model's observations and bands pinned on hand-derived cases (training utilisation
// from whole runs, serving power by load, an hwprofile's power modes, ranges), and the shipped
// catalogues (devices, regions, the Orin's MaxQ clocks and serving power).
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

TEST_SUITE("footprint-serving") {
  TEST_CASE("training utilisation: whole-run observations, centred on the generation, spread of all runs") {
    const std::string text = R"(sml: footprint-model/v1
training_flops_factor: {value: 3, source: t}
utilization:
  observations:
    - {run: p, device: "NVIDIA A100", generation: Ampere, value: 0.6, source: t}
    - {run: a, device: "NVIDIA A100", generation: Ampere, value: 0.3, basis: run, source: t}
    - {run: b, device: "NVIDIA A100", generation: Ampere, value: 0.5, basis: run, source: t}
    - {run: c, device: "NVIDIA V100", generation: Volta, value: 0.2, basis: run, source: t}
    - {run: d, device: "Google TPU v3", generation: "TPU v3", value: 0.4, basis: run, source: t}
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
    const auto a100 = m.utilization_for("Ampere");
    CHECK(a100.range.expected == Approx(0.4));
    CHECK(a100.range.low == Approx(0.4 * 0.2 / 0.35));
    CHECK(a100.range.high == Approx(0.4 * 0.5 / 0.35));
    // One V100 run sets the centre at 0.2: band 0.2 × (0.2 / 0.35) to 0.2 × (0.5 / 0.35).
    const auto v100 = m.utilization_for("Volta");
    CHECK(v100.range.expected == Approx(0.2));
    CHECK(v100.range.high == Approx(0.2 * 0.5 / 0.35));
    // A generation without a run, or none stated: all whole-run observations; a device name is no
    // generation (matched by the generation: key, not by the device text).
    CHECK(m.utilization_for("").range.expected == Approx(0.35));
    CHECK(m.utilization_for("NVIDIA A100 SXM4 80GB").range.expected == Approx(0.35));
    const auto h100 = m.utilization_for("Hopper");
    CHECK(h100.range.expected == Approx(0.35));
    CHECK(h100.range.low == Approx(0.2));
    CHECK(h100.range.high == Approx(0.5));
    // A malformed spread is refused with the file.
    CHECK_THROWS_AS(sml::footprint::FootprintModel::parse(sml::parse_yaml(
                        text.substr(0, text.find("serving_spread")) + "serving_spread: {low: 1.2, high: 0.9}\n", "bad.yaml")),
                    sml::InputError);
    // A launch that overlaps the kernels is the host's: it cannot also be spent on the device.
    CHECK_THROWS_WITH_AS(sml::footprint::FootprintModel::parse(sml::parse_yaml(
                             footprint_test::kMinimalModelHead + "runtimes:\n  - id: x\n    efficiency: {low: 0.5, expected: 0.5, high: 0.5}\n"
                             "    kernel_overhead_s: {low: 1.0e-3, expected: 1.0e-3, high: 1.0e-3}\n"
                             "    kernel_overhead_on_device: true\n    kernel_overhead_overlaps: true\n",
                             "bad.yaml")),
                         doctest::Contains("kernel_overhead_overlaps"), sml::InputError);
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

