// The fold-level model of a systolic array (issue 7, first part): each layer as a matrix product
// M×K · K×N, mapped onto R×C processing elements by the dataflow, cut into folds, and timed
// exactly as SCALE-Sim v2's stall-free (CALC) model counts it (tests/accelsim/SCALESIM-MODEL.md):
//   os: rows M, columns N, time K;  ws: rows K, columns N, time M;  is: rows K, columns M, time N
//   cycles = folds × rows per fold − 1 (the index of the last cycle, SCALE-Sim's convention),
//   rows per fold = T + R + C − 2 (os) or 2R + C + T − 2 (ws, is).
// Memory traffic, stalls and energy: sml/accel/memory.hpp. The SystemC model comes next.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sml::accel {

struct ArrayConfig {
  std::string name;
  std::int64_t rows = 32, cols = 32;  // ArrayHeight × ArrayWidth
  std::string dataflow = "os";        // os | ws | is
  double ifmap_kib = 64, filter_kib = 64, ofmap_kib = 64;
  double clock_mhz = 0;               // 0: unknown (no latency in seconds)
  double dram_gbps = 0;               // 0: unknown
  double bandwidth_words = 0;         // DRAM ↔ buffers, words per cycle (SCALE-Sim's Bandwidth); 0: unknown
  double dram_latency_cycles = 0;     // fixed cost of each fold's fetch, before its words flow
  double power_w = 0, tdp_w = 0;      // 0: unknown
  std::int64_t word_bytes = 1;
  double vector_lanes = 0;            // elementwise operations per cycle of the vector unit; 0: derived
  std::string vector_lanes_source;
  std::string source;
};

// One matrix product as the array sees it; REPEAT runs it that many times (convolution groups,
// batched MatMul).
struct GemmLayer {
  std::string name, op;
  std::int64_t m = 0, n = 0, k = 0;
  std::int64_t repeat = 1;
  double macs() const {
    return static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) * static_cast<double>(repeat);
  }
};

struct LayerTiming {
  std::int64_t folds = 0;
  std::int64_t cycles = 0;            // SCALE-Sim's Total Cycles (last cycle index), all repeats
  double utilization = 0;             // MACs / (cycles × R × C), SCALE-Sim's Overall Util / 100
  double mapping_efficiency = 0;      // mean over folds of used PEs / (R × C)
  double compute_utilization = 0;     // SCALE-Sim's Compute Util / 100
};

LayerTiming time_layer(const GemmLayer& layer, const ArrayConfig& config);

}  // namespace sml::accel
