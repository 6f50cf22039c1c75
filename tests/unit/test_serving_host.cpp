// The host of a serving accelerator (issue 17): a one-accelerator server's host charged to its
// accelerator (--host-accelerators, catalog/footprint.yaml serving_host_power) against the
// per-accelerator share of a multi-accelerator node (system_power). Figures derived by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "footprint_fixture.hpp"
#include "serving_fixture.hpp"

namespace {

using doctest::Approx;

// system_power 1.1 (the fixture): a node's host adds 0.1 x TDP per accelerator. Two one-accelerator
// servers' hosts, 200 and 240 W: range 200 / 220 (the median of two) / 240.
const std::string kModel = footprint_test::kMinimalModelHead + R"(serving_host_power:
  observations:
    - {what: a, device: server A, value: 200, source: t}
    - {what: b, device: server B, value: 240, source: t}
)";

sml::hw::Device gpu(double tdp) {
  auto d = serving_test::device("gpu", "a PCIe inference card", "datacenter-gpu");
  d.tdp_w.value = tdp;
  return d;
}

sml::footprint::FootprintModel model(const std::string& text = kModel) {
  return sml::footprint::FootprintModel::parse(sml::parse_yaml(text, "test.yaml"));
}

// What serving_power gives a TDP-watt card under kModel, its host shared by HOST accelerators
// (--host-accelerators HOST).
sml::footprint::ServingPower on_host(double tdp, std::int64_t host) {
  sml::footprint::ServingPlan plan;
  plan.host_accelerators = host;
  return sml::footprint::serving_power(gpu(tdp), model(), plan);
}

}  // namespace

TEST_SUITE("serving_host") {
  TEST_CASE("without --host-accelerators an accelerator carries a node's share: 72 W + 0.1 x 72 W") {
    const auto m = model();
    const auto p = sml::footprint::serving_power(gpu(72), m, sml::footprint::ServingPlan{});
    REQUIRE(p.device_w);
    REQUIRE(p.system_w);
    CHECK(p.device_w->expected == Approx(72));
    CHECK(p.system_w->low == Approx(79.2));
    CHECK(p.system_w->high == Approx(79.2));
  }

  TEST_CASE("a one-accelerator server charges its whole host to the accelerator: 72 W + 200 / 220 / 240 W") {
    const auto p = on_host(72, 1);
    REQUIRE(p.system_w);
    CHECK(p.device_w->expected == Approx(72));  // the device boundary is unchanged
    CHECK(p.system_w->low == Approx(272));
    CHECK(p.system_w->expected == Approx(292));
    CHECK(p.system_w->high == Approx(312));
    CHECK(p.basis.find("--host-accelerators") != std::string::npos);
  }

  TEST_CASE("a host shared by 8 small cards: 220 / 8 = 27.5 W each, above the node share of 7.2 W") {
    const auto p = on_host(72, 8);
    CHECK(p.system_w->low == Approx(72 + 25.0));
    CHECK(p.system_w->expected == Approx(72 + 27.5));
    CHECK(p.system_w->high == Approx(72 + 30.0));
    CHECK(sml::footprint::serving_host_share(model(), 8).expected == Approx(27.5));
  }

  TEST_CASE("a large accelerator in an 8-way node keeps the node share: 0.1 x 700 W = 70 W > 27.5 W") {
    const auto p = on_host(700, 8);
    CHECK(p.system_w->low == Approx(770));
    CHECK(p.system_w->high == Approx(770));
  }

  TEST_CASE("--host-accelerators is refused below 1, on a device that is its own system, and without the parameter") {
    const auto m = model();
    sml::footprint::ServingPlan plan;
    plan.host_accelerators = 0;
    CHECK_THROWS_AS(sml::footprint::serving_power(gpu(72), m, plan), sml::InputError);
    plan.host_accelerators = 1;
    sml::hw::Device board = gpu(60);
    board.device_class = "edge-board";
    CHECK_THROWS_WITH_AS(sml::footprint::serving_power(board, m, plan), doctest::Contains("its own system"), sml::InputError);
    const auto bare = model(footprint_test::kMinimalModelHead);
    CHECK_THROWS_WITH_AS(sml::footprint::serving_power(gpu(72), bare, plan), doctest::Contains("serving_host_power"),
                         sml::InputError);
    // Without the flag the parameter is not needed.
    CHECK(sml::footprint::serving_power(gpu(72), bare, sml::footprint::ServingPlan{}).system_w->expected == Approx(79.2));
  }

  TEST_CASE("the catalogue's one-accelerator hosts: 395.5 W - 150 W (XE2420 + A10) and 264 W - 60 W (XR12 + A2)") {
    const std::string root = SML_SOURCE_DATA_DIR;
    const auto m = sml::footprint::FootprintModel::load(root + "/catalog/footprint.yaml");
    REQUIRE(m.serving_host_power);
    CHECK(m.serving_host_power->observations.size() == 2);
    CHECK(m.serving_host_power->range.low == Approx(264 - 60));
    CHECK(m.serving_host_power->range.high == Approx(395.5 - 150));
    CHECK(m.serving_host_power->range.expected == Approx((204 + 245.5) / 2));
  }
}
