// The SystemC model of the accelerator (issue 7, DESIGN.md §2): modules with one role each —
// a DRAM channel (bandwidth, latency), double-buffered ifmap, filter and ofmap SRAMs (two banks
// each, one filled while the other feeds the array), a PE array (a fold's compute time) and a
// controller that walks every layer's
// folds, prefetching the next fold's data while the array computes the current one and stalling
// the array when the data is late. Fold granularity: one transaction per fold, so a whole
// ResNet-50 is a few thousand events.
//
// It checks the closed form of memory.hpp from a different angle: there, a layer stalls for
// max(0, ⌈DRAM words / bandwidth⌉ − compute cycles); here, stalls emerge from the two threads'
// handshake fold by fold (tests/accelsim/MEMORY-MODEL.md says where and by how much they may
// differ). No SystemC type appears here: only sml-accelsim and its tests link SystemC.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/io/doc.hpp"

namespace sml::accel {

// One layer as the controller sees it: FOLDS folds of FOLD_CYCLES compute each; before a fold can
// start, its ifmap and filter words and its ofmap traffic (partial sums read back, results
// written) pass between DRAM and the three buffers.
struct FoldPlan {
  std::string name;
  std::int64_t folds = 1;
  double fold_cycles = 1;
  double ifmap_words = 0, filter_words = 0, ofmap_words = 0;  // per fold
};

struct FoldSimResult {
  double prologue_cycles = 0;           // the very first fetch, before any compute can start
  std::vector<double> stall_cycles;     // per layer: the array waiting for data, after the prologue
  double total_cycles = 0;              // prologue + compute + stalls
  double dram_busy_cycles = 0, array_busy_cycles = 0;
  std::int64_t transactions = 0;        // DRAM fetches simulated
};

// Runs the plan at BANDWIDTH words per cycle (> 0), each fold's fetch starting LATENCY cycles
// after it is issued. Debian's SystemC elaborates one simulation per process (DESIGN.md §2): a
// second call throws.
FoldSimResult simulate_folds(const std::vector<FoldPlan>& plan, double bandwidth, double latency = 0);

// Adds the SystemC model's per-layer stalls and totals to an accelsim/v1 document, under
// `systemc`: the plan from the layers' folds, compute cycles and DRAM words, the bandwidth and
// latency from the document's config (so both models run on the same figures).
void add_systemc_results(Doc& accelsim);
// More folds than this in one --systemc run is refused (InputError) before the run starts.
constexpr double kMaxSystemcFolds = 1e7;

}  // namespace sml::accel
