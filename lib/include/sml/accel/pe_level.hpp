// The PE-level cycle mode (issue 7): a layer run cycle by cycle on an R×C grid of processing
// elements, with operands actually moving between neighbours each cycle (skewed injection,
// east-flowing inputs, south-flowing partial sums or weights) and multiplied. It checks the fold-level
// model from below: the cycle count must equal time_layer's, and the numbers that come out must
// be the matrix product. Only for small layers: it costs R × C work per cycle.
#pragma once
#include <cstdint>
#include <vector>

#include "sml/accel/systolic.hpp"

namespace sml::accel {

struct PeLevelRun {
  std::int64_t cycles = 0;     // SCALE-Sim's convention: the index of the last cycle, all folds
  std::int64_t macs = 0;       // multiply-accumulates the PEs performed on real operands
  std::vector<double> output;  // M × N, row-major
};

// A is M×K, B is K×N (row-major); LAYER.repeat must be 1. InputError when the run would take
// more than MAX_PE_CYCLES (R × C × cycles).
PeLevelRun run_pe_level(const GemmLayer& layer, const ArrayConfig& config, const std::vector<double>& a,
                        const std::vector<double>& b, double max_pe_cycles = 5e7);
// The size check run_pe_level makes, for callers to make before they allocate the operands.
void require_pe_level_fits(const GemmLayer& layer, const ArrayConfig& config, double max_pe_cycles = 5e7);

}  // namespace sml::accel
