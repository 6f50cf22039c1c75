// What the array's buffers and DRAM do for one layer (issue 7, second part), at fold granularity
// and in closed form (tests/accelsim/MEMORY-MODEL.md states every formula and assumption):
//  - SRAM traffic per operand: what the dataflow streams through the array, fold by fold;
//  - DRAM traffic: each operand once when its working set fits its buffer, re-fetched per fold
//    of the other operand when it does not; partial sums spilled when they do not fit;
//  - stalls: double-buffered prefetch hides DRAM time behind compute, so a layer stalls for
//    max(0, ceil(DRAM words / bandwidth) − compute cycles): exactly when the bandwidth is below
//    the layer's demand (DRAM words per compute cycle);
//  - energy: MACs, SRAM accesses and DRAM bytes times per-access energies (energy.yaml).
#pragma once
#include <cstdint>
#include <string>

#include "sml/accel/systolic.hpp"

namespace sml::accel {

// Words moved for one layer, all repeats. A is the ifmap operand (M×K), B the filter (K×N), C the
// ofmap (M×N), as the layer is mapped (GemmLayer).
struct Traffic {
  double sram_ifmap_reads = 0, sram_filter_reads = 0, sram_ofmap_reads = 0, sram_ofmap_writes = 0;
  double dram_ifmap_reads = 0, dram_filter_reads = 0, dram_ofmap_reads = 0, dram_ofmap_writes = 0;
  double sram_accesses() const { return sram_ifmap_reads + sram_filter_reads + sram_ofmap_reads + sram_ofmap_writes; }
  double dram_words() const { return dram_ifmap_reads + dram_filter_reads + dram_ofmap_reads + dram_ofmap_writes; }
};

Traffic layer_traffic(const GemmLayer& layer, const ArrayConfig& config);

// DRAM ↔ buffer bandwidth in words per cycle: the configuration's own (SCALE-Sim's Bandwidth), or
// dram_gbps at the clock and word size; 0 when neither is known (then no stalls are modelled).
double bandwidth_words_per_cycle(const ArrayConfig& config);

// Stall cycles of a layer that moves DRAM_WORDS in COMPUTE_CYCLES at BANDWIDTH words per cycle,
// in FETCHES fetches (one per fold) of LATENCY cycles each before their words flow.
std::int64_t stall_cycles(double dram_words, std::int64_t compute_cycles, double bandwidth, double fetches = 0, double latency = 0);

// Per-access energies for the configuration's word size and buffer sizes (picojoules).
struct EnergyTable {
  double mac_pj = 0;
  double rf_pj_per_access = 0;  // a PE register-file word: Eyeriss's RF/MAC ratio (1x) times mac_pj
  double ifmap_pj_per_word = 0, filter_pj_per_word = 0, ofmap_pj_per_word = 0;
  double dram_pj_per_word = 0, dram_pj_per_word_high = 0;
  double vector_op_pj = 0;  // one vector-lane operation: the add of the word size
  std::string vector_op;
  std::string mac_op;   // which entry of energy.yaml
  std::string source;   // what the figures are, for the document
};
// From hw/accelerators/energy.yaml (Horowitz, ISSCC 2014, 45 nm): the MAC of the word size; an
// SRAM word access as the 64-bit cache access of that capacity scaled by word/8 bytes, the
// capacity interpolated in log2 between the published 8 KB, 32 KB and 1 MB points (ours, said
// so in the document); DRAM per word from the 64-bit access, low and high ends of its range.
EnergyTable load_energy_table(const std::string& hw_dir, const ArrayConfig& config);

struct LayerEnergy {
  double mac_j = 0, rf_j = 0, sram_j = 0, dram_j = 0, dram_j_high = 0;
  double total_j() const { return mac_j + rf_j + sram_j + dram_j; }
  double total_j_high() const { return mac_j + rf_j + sram_j + dram_j_high; }
};
// Register-file accesses per MAC: two operands read, one partial sum updated (our assumption).
constexpr double kRfAccessesPerMac = 3;
LayerEnergy layer_energy(double macs, const Traffic& traffic, const EnergyTable& table);

}  // namespace sml::accel
