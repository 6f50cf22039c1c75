// The fold-level systolic model against SCALE-Sim v2's published golden outputs (its repository's
// test/golden_trace folders, read for tests/accelsim/SCALESIM-MODEL.md) and its formats' parsers.
#include <doctest/doctest.h>

#include <array>
#include <cmath>

#include "sml/accel/accelsim.hpp"
#include "sml/accel/memory.hpp"
#include "sml/accel/pe_level.hpp"
#include "sml/accel/scalesim_io.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"
#include "onnx_builder.hpp"

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
    const auto work = sml::accel::map_model(sml::graph::load_model(path), {});
    double macs = 0;
    bool depthwise = false;
    for (const auto& l : work.gemms) {
      macs += static_cast<double>(l.m) * static_cast<double>(l.n) * static_cast<double>(l.k) * static_cast<double>(l.repeat);
      depthwise = depthwise || (l.op == "Conv" && l.repeat > 1 && l.n == 1);
    }
    const auto profile = sml::cost::profile_model(sml::graph::load_model(path), {});
    CHECK(macs == profile.macs);
    CHECK(work.profiled_macs == profile.macs);
    CHECK(work.simulated_macs == profile.macs);
    CHECK(work.not_simulated.empty());
    CHECK(depthwise);  // MobileNetV2's depthwise convolutions run group by group
    CHECK(!work.vectors.empty());
  }

  TEST_CASE("memory traffic of a small GEMM, derived by hand for each dataflow") {
    // M = 100, N = 40, K = 50 on 8×16 (R×C), word 1 byte, 64 KiB buffers (everything fits).
    GemmLayer g{"g", "MatMul", 100, 40, 50, 1};
    ArrayConfig c = array(8, 16, "os");
    // os: row folds ceil(100/8) = 13, column folds ceil(40/16) = 3. A (100×50) streams once per
    // column fold: 15,000; B (50×40) once per row fold: 26,000; C written once: 4,000.
    auto t = sml::accel::layer_traffic(g, c);
    CHECK(t.sram_ifmap_reads == 15000);
    CHECK(t.sram_filter_reads == 26000);
    CHECK(t.sram_ofmap_writes == 4000);
    CHECK(t.dram_words() == 5000 + 2000 + 4000);  // each operand once: it all fits
    // ws: B stationary (read once, 2,000), K folds ceil(50/8) = 7, column folds ceil(40/16) = 3:
    // A streams per column fold 15,000; partial sums written 7 × 4,000, read back 6 × 4,000.
    c.dataflow = "ws";
    t = sml::accel::layer_traffic(g, c);
    CHECK(t.sram_filter_reads == 2000);
    CHECK(t.sram_ifmap_reads == 15000);
    CHECK(t.sram_ofmap_writes == 28000);
    CHECK(t.sram_ofmap_reads == 24000);
    CHECK(t.dram_words() == 11000);
    // is: A stationary (5,000), column folds ceil(100/16) = 7: B streams 7 × 2,000 = 14,000.
    c.dataflow = "is";
    t = sml::accel::layer_traffic(g, c);
    CHECK(t.sram_ifmap_reads == 5000);
    CHECK(t.sram_filter_reads == 14000);
    CHECK(t.sram_ofmap_writes == 28000);
    // Buffers too small: os with a 1 KiB filter buffer re-fetches B (2,000 words) per row fold;
    // ws with a 1 KiB ofmap buffer (partial sums 100 × 16 = 1,600 words do not fit) spills them.
    c = array(8, 16, "os");
    c.filter_kib = 1;
    CHECK(sml::accel::layer_traffic(g, c).dram_filter_reads == 2000 * 13);
    c = array(8, 16, "ws");
    c.ofmap_kib = 1;
    t = sml::accel::layer_traffic(g, c);
    CHECK(t.dram_ofmap_writes == 4000 * 7);
    CHECK(t.dram_ofmap_reads == 4000 * 6);
  }

  TEST_CASE("stalls appear exactly when the bandwidth is below the layer's demand") {
    GemmLayer g{"g", "MatMul", 256, 128, 256, 1};
    const ArrayConfig c = array(32, 32, "os");
    const std::int64_t compute = sml::accel::time_layer(g, c).cycles + 1;  // a count, not the last index
    const double words = sml::accel::layer_traffic(g, c).dram_words();
    const double demand = words / static_cast<double>(compute);
    CHECK(sml::accel::stall_cycles(words, compute, demand * 1.001) == 0);
    CHECK(sml::accel::stall_cycles(words, compute, demand) == 0);  // exactly enough
    CHECK(sml::accel::stall_cycles(words, compute, demand * 0.999) > 0);
    CHECK(sml::accel::stall_cycles(words, compute, demand / 2) == static_cast<std::int64_t>(std::ceil(words / (demand / 2))) - compute);
    CHECK(sml::accel::stall_cycles(words, compute, 0) == 0);  // no bandwidth given: no stall model
    // A latency per fetch adds F × L cycles of memory time: enough bandwidth stalls again.
    CHECK(sml::accel::stall_cycles(words, compute, demand * 2, 10, 0) == 0);
    CHECK(sml::accel::stall_cycles(words, compute, demand * 2, 10, 1e5) ==
          static_cast<std::int64_t>(std::ceil(words / (demand * 2) + 10 * 1e5)) - compute);
    // GB/s at a clock: 16 GB/s at 1 GHz with 2-byte words is 8 words per cycle.
    ArrayConfig d = c;
    d.dram_gbps = 16;
    d.clock_mhz = 1000;
    d.word_bytes = 2;
    CHECK(sml::accel::bandwidth_words_per_cycle(d) == doctest::Approx(8));
  }

  TEST_CASE("energy: MACs, SRAM and DRAM accesses times Horowitz's 45 nm figures") {
    ArrayConfig c = array(32, 32, "os");
    c.word_bytes = 1;
    c.ifmap_kib = c.filter_kib = c.ofmap_kib = 32;
    const auto table = sml::accel::load_energy_table(std::string(SML_SOURCE_DATA_DIR) + "/hw", c);
    CHECK(table.mac_pj == doctest::Approx(0.23));             // mac_int8 = 0.2 + 0.03
    CHECK(table.ifmap_pj_per_word == doctest::Approx(2.5));   // 32 KB cache: 20 pJ per 64 bits, 1 byte of 8
    CHECK(table.dram_pj_per_word == doctest::Approx(162.5));  // 1.3 nJ per 64 bits
    CHECK(table.dram_pj_per_word_high == doctest::Approx(325));
    c.ifmap_kib = 64;  // halfway (in log2) from 32 KB to 1 MB is not 64 KB: one fifth of the way, 20 + 80/5 = 36 pJ
    CHECK(sml::accel::load_energy_table(std::string(SML_SOURCE_DATA_DIR) + "/hw", c).ifmap_pj_per_word == doctest::Approx(4.5));
    sml::accel::Traffic t;
    t.sram_ifmap_reads = 1000;
    t.dram_ifmap_reads = 100;
    const auto e = sml::accel::layer_energy(1e6, t, table);
    CHECK(e.mac_j == doctest::Approx(0.23e-6));
    CHECK(table.rf_pj_per_access == doctest::Approx(0.23));  // Eyeriss: an RF access costs 1x a MAC
    CHECK(e.rf_j == doctest::Approx(3 * 0.23e-6));          // two operands read, one partial sum per MAC
    CHECK(e.sram_j == doctest::Approx(2.5e-9));
    CHECK(e.dram_j == doctest::Approx(16.25e-9));
  }

  TEST_CASE("PE-level mode: operands moved PE to PE each cycle give the fold model's cycles and the matrix product") {
    // Independent of time_layer: cycles here are counted from when the last operand leaves the
    // grid, and the outputs are what the PEs accumulated.
    std::uint64_t seed = 12345;
    auto rnd = [&] {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<double>((seed >> 33) % 19) - 9;  // small integers: products are exact
    };
    const std::vector<std::array<std::int64_t, 3>> shapes = {{7, 5, 3}, {16, 16, 16}, {33, 9, 20}, {1, 1, 1}, {12, 40, 7}};
    const std::vector<std::pair<std::int64_t, std::int64_t>> arrays = {{4, 4}, {8, 3}, {5, 16}};
    int runs = 0;
    for (const auto& s : shapes)
      for (const auto& [r, c] : arrays)
        for (const char* df : {"os", "ws", "is"}) {
          const GemmLayer g{"g", "MatMul", s[0], s[1], s[2], 1};
          std::vector<double> a(static_cast<std::size_t>(g.m * g.k)), b(static_cast<std::size_t>(g.k * g.n));
          for (auto& x : a) x = rnd();
          for (auto& x : b) x = rnd();
          const ArrayConfig cfg = array(r, c, df);
          CAPTURE(df);
          CAPTURE(g.m);
          CAPTURE(g.n);
          CAPTURE(g.k);
          CAPTURE(r);
          CAPTURE(c);
          const auto pe = sml::accel::run_pe_level(g, cfg, a, b);
          CHECK(pe.cycles == sml::accel::time_layer(g, cfg).cycles);
          CHECK(pe.macs == g.m * g.n * g.k);
          bool same = true;
          for (std::int64_t i = 0; i < g.m; ++i)
            for (std::int64_t j = 0; j < g.n; ++j) {
              double y = 0;
              for (std::int64_t k = 0; k < g.k; ++k) y += a[i * g.k + k] * b[k * g.n + j];
              same = same && y == pe.output[i * g.n + j];
            }
          CHECK(same);
          ++runs;
        }
    CHECK(runs == 45);
    const GemmLayer big{"big", "MatMul", 4096, 4096, 4096, 1};
    CHECK_THROWS_AS(sml::accel::run_pe_level(big, array(32, 32, "os"), {}, {}), sml::InputError);
  }

  TEST_CASE("a quantised model simulates its integer MACs: ConvInteger and MatMulInteger on the array") {
    // ConvInteger 4->8, 3x3, no padding, 10x10 -> 8x8: 8 * 64 * 4 * 9 = 18,432 MACs; MatMulInteger
    // [1, 512] x [512, 6]: 3,072. Derived from the operator definitions, not from lib/cost.
    testing::ModelBuilder b;
    b.input("x", {"1", "4", "10", "10"}, onnx::TensorProto::UINT8).output("y");
    b.weight("w", {8, 4, 3, 3}, onnx::TensorProto::INT8).weight("fc", {512, 6}, onnx::TensorProto::INT8);
    b.ints("shape", {1, 512});
    b.node("ConvInteger", {"x", "w"}, {"c"}, "conv");
    b.node("Reshape", {"c", "shape"}, {"flat"}, "flatten");
    b.node("MatMulInteger", {"flat", "fc"}, {"y"}, "fc");
    const auto work = sml::accel::map_model(b.load(), {});
    REQUIRE(work.gemms.size() == 2);
    CHECK(work.gemms[0].op == "ConvInteger");
    CHECK(work.gemms[0].m == 64);
    CHECK(work.gemms[0].n == 8);
    CHECK(work.gemms[0].k == 36);
    CHECK(work.gemms[1].op == "MatMulInteger");
    CHECK(work.simulated_macs == 18432 + 3072);
    CHECK(work.profiled_macs == b.profile().macs);
    CHECK(work.not_simulated.empty());
  }

  TEST_CASE("ConvTranspose maps as its scatter GEMM, LSTM as input and recurrent GEMMs, with the profile's MACs") {
    testing::ModelBuilder b;
    b.input("x", {"1", "6", "5", "5"}).input("s", {"7", "2", "3"}).output("y").output("h");
    b.weight("wt", {6, 4, 3, 3}).weight("W", {1, 20, 3}).weight("R", {1, 20, 5});
    auto* ct = b.node("ConvTranspose", {"x", "wt"}, {"y"}, "up");
    testing::ModelBuilder::attr(ct, "strides", std::vector<std::int64_t>{2, 2});
    auto* lstm = b.node("LSTM", {"s", "W", "R"}, {"h"}, "lstm");
    testing::ModelBuilder::attr(lstm, "hidden_size", std::int64_t{5});
    const auto work = sml::accel::map_model(b.load(), {});
    REQUIRE(work.gemms.size() == 3);
    // ConvTranspose: 25 input pixels x (4 outputs x 9 taps) x 6 input channels.
    CHECK(work.gemms[0].m == 25);
    CHECK(work.gemms[0].n == 36);
    CHECK(work.gemms[0].k == 6);
    // LSTM, 7 steps, batch 2, input 3, hidden 5: [14 x 3] x [3 x 20] once, [2 x 5] x [5 x 20] per step.
    CHECK(work.gemms[1].m == 14);
    CHECK(work.gemms[1].k == 3);
    CHECK(work.gemms[2].m == 2);
    CHECK(work.gemms[2].k == 5);
    CHECK(work.gemms[2].repeat == 7);
    CHECK(work.simulated_macs == 25 * 36 * 6 + 7 * 2 * 4 * 5 * (3 + 5));
    CHECK(work.simulated_macs == b.profile().macs);
    REQUIRE(work.vectors.size() == 1);  // the LSTM's gates
    CHECK(work.vectors[0].name == "lstm/gates");
  }
}
