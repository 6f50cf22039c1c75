// The fold-level systolic model against SCALE-Sim v2's published golden outputs (its repository's
// test/golden_trace folders, read for tests/accelsim/SCALESIM-MODEL.md) and its formats' parsers.
#include <doctest/doctest.h>

#include "sml/accel/accelsim.hpp"
#include "sml/accel/scalesim_io.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

using sml::accel::ArrayConfig;
using sml::accel::GemmLayer;

namespace {
ArrayConfig array(std::int64_t r, std::int64_t c, const char* dataflow) {
  ArrayConfig a;
  a.rows = r;
  a.cols = c;
  a.dataflow = dataflow;
  return a;
}
const char* kAlexNetConv1 =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
    "Conv1,  224, 224,    11, 11,    3,      96,     4,\n";
}  // namespace

TEST_SUITE("accel") {
  TEST_CASE("AlexNet Conv1 on SCALE-Sim's 32x32 ws array: its golden 112,283 cycles") {
    const auto layers = sml::accel::parse_topology_csv(kAlexNetConv1, "alexnet.csv", false);
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].m == 55 * 55);  // ofmap size rounds up: ceil((224 - 11) / 4) + 1 = 55
    CHECK(layers[0].k == 11 * 11 * 3);
    CHECK(layers[0].n == 96);
    const auto t = sml::accel::time_layer(layers[0], array(32, 32, "ws"));
    CHECK(t.cycles == 112283);
    // COMPUTE_REPORT.csv of the same golden run: Overall Util 91.68309650614964 %, Mapping
    // Efficiency 94.53125 %, Compute Util 90.78000992063485 %.
    CHECK(t.utilization * 100 == doctest::Approx(91.68309650614964).epsilon(1e-12));
    CHECK(t.mapping_efficiency * 100 == doctest::Approx(94.53125).epsilon(1e-12));
    CHECK(t.compute_utilization * 100 == doctest::Approx(90.78000992063485).epsilon(1e-12));
  }

  TEST_CASE("GEMM 256x128x256 on 32x32: cycles without stalls of SCALE-Sim's three golden runs") {
    // Golden USER-bandwidth runs: Total − Stall equals the stall-free count for each dataflow.
    const GemmLayer g{"Test 1", "Gemm", 256, 128, 256, 1};
    CHECK(sml::accel::time_layer(g, array(32, 32, "os")).cycles == 10175);
    CHECK(sml::accel::time_layer(g, array(32, 32, "ws")).cycles == 11199);
    CHECK(sml::accel::time_layer(g, array(32, 32, "is")).cycles == 14207);
    CHECK(sml::accel::time_layer(g, array(32, 32, "os")).compute_utilization * 100 == doctest::Approx(80.50314465408806).epsilon(1e-12));
    CHECK(sml::accel::time_layer(g, array(32, 32, "is")).compute_utilization * 100 == doctest::Approx(50.59288537549407).epsilon(1e-12));
  }

  TEST_CASE("rows are ArrayHeight: a non-square array is not symmetric (derived from the formulas)") {
    const auto g = sml::accel::parse_topology_csv(kAlexNetConv1, "a.csv", false)[0];
    // ws on 8 rows × 16 columns: folds ceil(363/8) × ceil(96/16) = 46 × 6, each 2·8 + 16 + 3025 − 2.
    CHECK(sml::accel::time_layer(g, array(8, 16, "ws")).cycles == 46 * 6 * (2 * 8 + 16 + 3025 - 2) - 1);
    CHECK(sml::accel::time_layer(g, array(16, 8, "ws")).cycles == 23 * 12 * (2 * 16 + 8 + 3025 - 2) - 1);
  }

  TEST_CASE("hostile sizes: huge layers are timed at once or refused, never looped over or overflowed") {
    // Found by fuzzing: a 2^31-row GEMM on a 1x1 array has 2^31 folds.
    const GemmLayer huge{"huge", "Gemm", 2147483647, 1, 1, 1};
    CHECK(sml::accel::time_layer(huge, array(1, 1, "os")).cycles == 2147483647LL * 1 - 1);
    const GemmLayer overflow{"overflow", "Gemm", 2147483647, 2147483647, 2147483647, 1};
    CHECK_THROWS_WITH_AS(sml::accel::time_layer(overflow, array(1, 1, "ws")), doctest::Contains("too large"), sml::InputError);
  }

  TEST_CASE("SCALE-Sim's .cfg: sections ignored, keys any case, ':' or '='; errors name the line") {
    const auto c = sml::accel::parse_scalesim_cfg(
        "[general]\nrun_name = golden\n[architecture_presets]\narrayheight: 16\nArrayWidth = 8\n"
        "IfmapSramSzkB: 128\nDataflow : WS\n# comment\n", "x.cfg");
    CHECK(c.rows == 16);
    CHECK(c.cols == 8);
    CHECK(c.dataflow == "ws");
    CHECK(c.ifmap_kib == 128);
    CHECK(c.name == "golden");
    CHECK_THROWS_WITH_AS(sml::accel::parse_scalesim_cfg("ArrayHeight: 0\n", "bad.cfg"), doctest::Contains("bad.cfg:1"), sml::InputError);
    CHECK_THROWS_WITH_AS(sml::accel::parse_scalesim_cfg("Dataflow: rs\n", "bad.cfg"), doctest::Contains("expected os, ws or is"), sml::InputError);
    CHECK_THROWS_AS(sml::accel::parse_scalesim_cfg("just words\n", "bad.cfg"), sml::InputError);
  }

  TEST_CASE("topology CSVs: the trailing comma matters, depthwise layers run per channel") {
    CHECK_THROWS_WITH_AS(sml::accel::parse_topology_csv("h\nConv1, 224, 224, 11, 11, 3, 96, 4\n", "t.csv", false),
                         doctest::Contains("t.csv:2"), sml::InputError);  // no trailing comma: the stride is lost
    CHECK_THROWS_AS(sml::accel::parse_topology_csv("h\nConv1, 10, 10, 11, 11, 3, 96, 4,\n", "t.csv", false), sml::InputError);
    CHECK_THROWS_AS(sml::accel::parse_topology_csv("h\n", "t.csv", false), sml::InputError);
    CHECK_THROWS_AS(sml::accel::parse_topology_csv("h\nG, 1, 2\n", "g.csv", true), sml::InputError);
    const auto dw = sml::accel::parse_topology_csv("h\nConvDP1, 56, 56, 3, 3, 1, 32, 1,\n", "t.csv", false)[0];
    CHECK(dw.repeat == 32);
    CHECK(dw.n == 1);
    const auto g = sml::accel::parse_topology_csv("Layer Name, M, N, K,\nTest 1, 256, 128, 256,\n", "g.csv", true)[0];
    CHECK(g.m == 256);
    CHECK(g.n == 128);
    CHECK(g.k == 256);
  }

  TEST_CASE("an ONNX model maps to the same MACs the profiler counts") {
    const std::string path = std::string(SML_TEST_MODELS) + "/mobilenet_v2.onnx";
    double vector_elements = 0;
    const auto layers = sml::accel::gemms_of_model(path, {}, vector_elements);
    double macs = 0;
    bool depthwise = false;
    for (const auto& l : layers) {
      macs += static_cast<double>(l.m) * static_cast<double>(l.n) * static_cast<double>(l.k) * static_cast<double>(l.repeat);
      depthwise = depthwise || (l.op == "Conv" && l.repeat > 1 && l.n == 1);
    }
    const auto profile = sml::cost::profile_model(sml::graph::load_model(path), {});
    CHECK(macs == profile.macs);
    CHECK(depthwise);  // MobileNetV2's depthwise convolutions run group by group
    CHECK(vector_elements > 0);
  }
}
