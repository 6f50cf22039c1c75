#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "sml/io/doc.hpp"

namespace {
sml::Doc sample() {
  sml::Doc d = sml::new_document("estimate/v1", "sml-test");
  d["profile"]["total"].set("macs", 4089184256LL);
  d["profile"]["total"].set("ratio", 0.25);
  d["profile"].set("shape", sml::Doc::list());
  auto& shape = *const_cast<sml::Doc*>(d["profile"].find("shape"));
  for (int v : {1, 3, 224, 224}) shape.push(v);
  d["profile"]["shape"].push(sml::Doc());
  d.set("tricky", sml::Doc::list());
  for (const char* s : {"yes", "1.5", "a: b", "#x", "", "line\nbreak", "plain"}) d["tricky"].push(s);
  sml::Doc row = sml::Doc::map();
  row.set("name", "conv1");
  row.set("params", 9408);
  d["layers"].push(row);
  d["layers"].push(row);
  d.set("empty_map", sml::Doc::map());
  d.set("nothing", sml::Doc());
  return d;
}
}  // namespace

TEST_SUITE("doc") {
  TEST_CASE("YAML output reads back with yaml-cpp as the same document") {
    std::ostringstream out;
    sample().write_yaml(out);
    YAML::Node n = YAML::Load(out.str());
    CHECK(n["sml"].as<std::string>() == "estimate/v1");
    CHECK(n["profile"]["total"]["macs"].as<long long>() == 4089184256LL);
    CHECK(n["profile"]["total"]["ratio"].as<double>() == 0.25);
    CHECK(n["profile"]["shape"].size() == 5);
    CHECK(n["profile"]["shape"][2].as<int>() == 224);
    CHECK(n["profile"]["shape"][4].IsNull());
    const char* expected[] = {"yes", "1.5", "a: b", "#x", "", "line\nbreak", "plain"};
    for (int i = 0; i < 7; ++i) {
      CAPTURE(i);
      CHECK(n["tricky"][i].as<std::string>() == expected[i]);
    }
    CHECK(n["layers"].size() == 2);
    CHECK(n["layers"][1]["name"].as<std::string>() == "conv1");
    CHECK(n["layers"][1]["params"].as<int>() == 9408);
    CHECK(n["empty_map"].IsMap());
    CHECK(n["nothing"].IsNull());
  }

  TEST_CASE("JSON output carries the same values") {
    std::ostringstream out;
    sample().write_json(out);
    YAML::Node n = YAML::Load(out.str());  // JSON is valid YAML 1.2 flow syntax
    CHECK(out.str().front() == '{');
    CHECK(n["profile"]["total"]["macs"].as<long long>() == 4089184256LL);
    CHECK(n["tricky"][5].as<std::string>() == "line\nbreak");
    CHECK(n["layers"][0]["params"].as<int>() == 9408);
  }

  TEST_CASE("numbers print exactly when whole and with 6 significant digits otherwise") {
    CHECK(sml::format_number(17563828224.0) == "17563828224");
    CHECK(sml::format_number(0.123456789) == "0.123457");
    CHECK(sml::format_number(1e-9) == "1e-09");
  }
}
