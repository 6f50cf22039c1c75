// device/v1 generation (issue 17): the architecture a device file states, with its source, and
// the training fits matched on it instead of on the device's name.
#include <doctest/doctest.h>

#include <string>

#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

TEST_SUITE_BEGIN("footprint");

namespace {

std::string device_text(const std::string& generation_line) {
  return "sml: device/v1\nid: x\nname: \"X\"\nclass: datacenter-gpu\nyear: 2022\n" + generation_line +
         "peak_flops:\n  bf16: {value: 1.0e+12, source: s, year: 2020}\npower_w:\n  tdp: {value: 100, source: s, year: 2020}\n";
}

}  // namespace

TEST_CASE("device generation: read with its source; a malformed one is refused with file and line") {
  const auto d = sml::hw::parse_device(sml::parse_yaml(device_text("generation: {value: Hopper, source: \"whitepaper\", year: 2022}\n"), "x.yaml"));
  CHECK(d.generation == "Hopper");
  CHECK(d.generation_source == "whitepaper");
  CHECK(d.generation_year == 2022);
  // Absent: none stated (the format keeps it optional for files written before it).
  CHECK(sml::hw::parse_device(sml::parse_yaml(device_text(""), "x.yaml")).generation.empty());
  // Line 6 of the document holds the generation; each malformation names x.yaml:6.
  for (const char* bad : {"generation: Hopper\n", "generation: {value: Hopper}\n", "generation: {value: \"\", source: s}\n",
                          "generation: {value: [Hopper], source: s}\n", "generation: {value: Hopper, source: s, year: 1800}\n"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(sml::hw::parse_device(sml::parse_yaml(device_text(bad), "x.yaml")), doctest::Contains("x.yaml:6"),
                         sml::InputError);
  }
}

TEST_CASE("device generation: every accelerator shipped in hw/devices states one, with a source") {
  const auto catalog = sml::hw::DeviceCatalog::load(std::string(SML_SOURCE_DATA_DIR) + "/hw/devices");
  int accelerators = 0;
  for (const auto& d : catalog.all()) {
    if (!d.hosted() && d.device_class != "edge-accelerator" && d.id.rfind("nvidia-jetson", 0) != 0) continue;
    CAPTURE(d.id);
    ++accelerators;
    CHECK_FALSE(d.generation.empty());
    CHECK_FALSE(d.generation_source.empty());
    CHECK(d.generation_year > 0);
  }
  CHECK(accelerators >= 29);
  // The GH100 parts share one generation whatever their names say; the B200 is the next one.
  for (const char* id : {"nvidia-h100-sxm5-80gb", "nvidia-h100-pcie-80gb", "nvidia-h200-sxm-141gb", "nvidia-h800-sxm5-80gb"})
    CHECK(catalog.find(id).generation == "Hopper");
  CHECK(catalog.find("nvidia-b200").generation == "Blackwell");
  CHECK(catalog.find("nvidia-p100-sxm2-16gb").generation == "Pascal");
}

TEST_CASE("device generation: the training utilisation of an H800 and an H200 is the H100's (same GH100), by generation") {
  // Hand-derived from catalog/footprint.yaml: the Hopper LLM generation (dense-lm, bf16) centre is
  // 0.2972 x (N / 10e9)^0.0005; at N = 10e9 exactly 0.2972, band x spread. A device whose name
  // says H800 or H200 was not matched before 7 Dec (the unfitted median of the generations).
  const std::string root = SML_SOURCE_DATA_DIR;
  const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
  const auto m = sml::footprint::FootprintModel::load(root + "/catalog/footprint.yaml");
  REQUIRE(m.training_utilization);
  for (const char* id : {"nvidia-h100-sxm5-80gb", "nvidia-h200-sxm-141gb", "nvidia-h800-sxm5-80gb"}) {
    CAPTURE(id);
    const auto& d = catalog.find(id);
    sml::footprint::UtilizationQuery q;
    q.device_generation = sml::footprint::training_generation(d);
    q.device_class = d.device_class;
    q.kind = "dense-lm";
    q.active_params = 10e9;
    q.precision = "bf16";
    const auto c = condition_utilization(*m.training_utilization, q);
    REQUIRE(c);
    CHECK(c->range.expected == doctest::Approx(0.2972));
    CHECK(c->basis.rfind("Hopper runs (0.297)", 0) == 0);
  }
  // The B200 (Blackwell) has no fitted run: the unfitted path, said so.
  sml::footprint::UtilizationQuery q;
  q.device_generation = sml::footprint::training_generation(catalog.find("nvidia-b200"));
  q.device_class = "datacenter-gpu";
  q.kind = "dense-lm";
  q.active_params = 10e9;
  q.precision = "bf16";
  const auto b = condition_utilization(*m.training_utilization, q);
  REQUIRE(b);
  CHECK(b->basis.rfind("no fitted run on this device's generation", 0) == 0);
}

TEST_SUITE_END();
