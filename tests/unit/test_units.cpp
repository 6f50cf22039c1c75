#include <doctest/doctest.h>

#include "sml/io/error.hpp"
#include "sml/io/text.hpp"
#include "sml/io/units.hpp"

using sml::parse_quantity;
using sml::Quantity;

TEST_SUITE("units") {
  TEST_CASE("quantities convert to the document key's unit") {
    CHECK(parse_quantity("50kg", Quantity::kMass, "--max-co2") == doctest::Approx(50));
    CHECK(parse_quantity("500 g", Quantity::kMass, "x") == doctest::Approx(0.5));
    CHECK(parse_quantity("2t", Quantity::kMass, "x") == doctest::Approx(2000));
    CHECK(parse_quantity("120kWh", Quantity::kEnergy, "x") == doctest::Approx(120));
    CHECK(parse_quantity("1.5MWh", Quantity::kEnergy, "x") == doctest::Approx(1500));
    CHECK(parse_quantity("3.6MJ", Quantity::kEnergy, "x") == doctest::Approx(1));
    CHECK(parse_quantity("10ms", Quantity::kTime, "x") == doctest::Approx(0.010));
    CHECK(parse_quantity("2.5h", Quantity::kTime, "x") == doctest::Approx(9000));
    CHECK(parse_quantity("3d", Quantity::kTime, "x") == doctest::Approx(259200));
    CHECK(parse_quantity("4GiB", Quantity::kBytes, "x") == doctest::Approx(4294967296.0));
    CHECK(parse_quantity("4GB", Quantity::kBytes, "x") == doctest::Approx(4e9));
    CHECK(parse_quantity("512KiB", Quantity::kBytes, "x") == doctest::Approx(524288));
    CHECK(parse_quantity("30fps", Quantity::kRate, "x") == doctest::Approx(30));
    CHECK(parse_quantity("300W", Quantity::kPower, "x") == doctest::Approx(300));
    CHECK(parse_quantity("1.2M", Quantity::kCount, "x") == doctest::Approx(1.2e6));
    CHECK(parse_quantity("7B", Quantity::kCount, "x") == doctest::Approx(7e9));
    CHECK(parse_quantity("42", Quantity::kTime, "x") == doctest::Approx(42));
  }

  TEST_CASE("bad quantities are usage errors naming the flag") {
    CHECK_THROWS_WITH_AS(parse_quantity("50lb", Quantity::kMass, "--max-co2"),
                         doctest::Contains("--max-co2 '50lb': unknown unit 'lb'"), sml::UsageError);
    CHECK_THROWS_AS(parse_quantity("kg", Quantity::kMass, "x"), sml::UsageError);
    // A number that cannot be one is a bad value (exit 2, DESIGN.md §4), not a usage error.
    CHECK_THROWS_AS(parse_quantity("-3kg", Quantity::kMass, "x"), sml::InputError);
    CHECK_THROWS_AS(parse_quantity("1e999", Quantity::kMass, "x"), sml::InputError);
    CHECK_THROWS_AS(parse_quantity("nan", Quantity::kMass, "x"), sml::InputError);
    CHECK_THROWS_AS(parse_quantity("inf", Quantity::kMass, "x"), sml::InputError);
    CHECK_THROWS_AS(parse_quantity("5kWh", Quantity::kMass, "x"), sml::UsageError);
  }

  TEST_CASE("limits whose unit would be ambiguous need one") {
    CHECK_THROWS_WITH_AS(sml::parse_quantity_with_unit("3", Quantity::kTime, "--max-time"),
                         doctest::Contains("give a unit"), sml::UsageError);
    CHECK(sml::parse_quantity_with_unit("3d", Quantity::kTime, "--max-time") == doctest::Approx(259200));
    CHECK(sml::parse_quantity_with_unit("50 kg", Quantity::kMass, "--max-co2") == doctest::Approx(50));
  }

  TEST_CASE("counts are whole and positive") {
    CHECK(sml::parse_count("64", "--batch") == 64);
    CHECK(sml::parse_count("2k", "--batch") == 2000);
    CHECK_THROWS_AS(sml::parse_count("0", "--batch"), sml::InputError);
    CHECK_THROWS_AS(sml::parse_count("1.5", "--batch"), sml::InputError);
    CHECK_THROWS_AS(sml::parse_count("many", "--batch"), sml::UsageError);
  }

  TEST_CASE("dims") {
    CHECK(sml::parse_dims("1x3x224x224", "s") == std::vector<std::int64_t>{1, 3, 224, 224});
    CHECK(sml::parse_dims("8,128", "s") == std::vector<std::int64_t>{8, 128});
    CHECK(sml::parse_dims("0", "s") == std::vector<std::int64_t>{0});
    CHECK_THROWS_AS(sml::parse_dims("1x-3", "s"), sml::UsageError);
    CHECK_THROWS_AS(sml::parse_dims("1xx3", "s"), sml::UsageError);
    CHECK_THROWS_AS(sml::parse_dims("", "s"), sml::UsageError);
    CHECK_THROWS_AS(sml::parse_dims("99999999999999999999", "s"), sml::UsageError);
  }

  TEST_CASE("NAME=VALUE options") {
    // The last '=' splits: an ONNX input may be called "x=y", a dims list never holds '='.
    CHECK(sml::split_assignment("x=y=1x3", "--input-shape", "NAME=DIMS") == std::pair<std::string, std::string>{"x=y", "1x3"});
    CHECK_THROWS_AS(sml::split_assignment("=2", "--scale", "MODEL=FACTOR"), sml::UsageError);
    CHECK_THROWS_AS(sml::split_assignment("resnet50", "--scale", "MODEL=FACTOR"), sml::UsageError);
    std::map<std::string, std::vector<std::int64_t>> shapes;
    sml::add_input_shape("input=1x3x224x224", shapes);
    sml::add_input_shape("input=2x3x32x32", shapes);  // a later flag for the same input wins
    CHECK(shapes.size() == 1);
    CHECK(shapes["input"] == std::vector<std::int64_t>{2, 3, 32, 32});
    CHECK_THROWS_AS(sml::add_input_shape("input=1x-3", shapes), sml::UsageError);
  }

  TEST_CASE("split keeps empty pieces and takes several separators") {
    using V = std::vector<std::string>;
    CHECK(sml::split("a,,b", ",") == V{"a", "", "b"});
    CHECK(sml::split("", ",") == V{""});
    CHECK(sml::split("10/3,2", ",/") == V{"10", "3", "2"});
    CHECK(sml::split("x;", ";") == V{"x", ""});
  }
}
