// Issue 14: every catalogue entry, neural or not, must give sml-suggest a training and a serving
// CO2e. It needs the work of one forward pass (derived or published MACs, FLOPs per token for a
// decoder, or a cost model of its own such as a tree ensemble's) and a size (parameters, or the
// cost model's stored values). This walks catalog/models/** and fails on an entry with neither,
// unless tests/unit/catalog-uncosted.txt lists it (the entries still being built); it also fails
// on a listed entry that has become costed, so the list only shrinks.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "sml/catalog/models.hpp"

namespace {
const std::string kSource = SML_SOURCE_DATA_DIR;

std::map<std::string, std::string> exceptions() {
  std::map<std::string, std::string> out;
  std::ifstream in(kSource + "/tests/unit/catalog-uncosted.txt");
  REQUIRE(in.good());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string id;
    s >> id;
    std::getline(s, out[id]);
  }
  return out;
}

// What lib/suggest/costing.cpp needs to cost training and serving without assuming a figure.
bool costed(const sml::catalog::CatalogModel& m) {
  const bool work = m.macs || m.flops_per_token || m.cost_model;
  return work && m.params;
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("every catalogue entry has MACs (derived or published) or its own cost model, and a size") {
    auto listed = exceptions();
    int costed_count = 0;
    for (const auto& m : sml::catalog::load_models(kSource + "/catalog/models")) {
      CAPTURE(m.file);
      const bool ok = costed(m);
      costed_count += ok;
      const bool excepted = listed.erase(m.id) > 0;
      if (!ok)
        CHECK_MESSAGE(excepted, (m.id + " has " + (m.macs || m.flops_per_token ? "" : "no MACs (derived or published), ") +
                                 (m.params ? "" : "no parameter count, ") +
                                 "and no cost model: sml-suggest cannot give it a training and serving CO2e "
                                 "(give it an architecture, a published figure with its source, or a cost_model)"));
      else
        CHECK_MESSAGE(!excepted, (m.id + " is costed now: remove it from tests/unit/catalog-uncosted.txt"));
    }
    for (const auto& [id, why] : listed) CHECK_MESSAGE(false, ("tests/unit/catalog-uncosted.txt lists " + id + ", which is not in the catalogue"));
    MESSAGE(costed_count << " catalogue entries costed");
  }
}
