#pragma once
// The rates one serving query is costed at (QueryRates, set up in serving.cpp) and the LLM path
// costed from a parameter count (serving_llm.cpp): shared by the two halves of the serving estimate.
#include <algorithm>
#include <optional>
#include <string>

#include "sml/footprint/serving.hpp"

namespace sml::footprint::serving_detail {

// IDEAL seconds of work at a runtime's achieved fraction EFF of the roofline (high share: fastest).
inline Range at(double ideal, const Range& eff) { return Range{ideal / eff.high, ideal / eff.expected, ideal / eff.low}; }

// What every path of one query is costed with: the device, the runtime chosen for it, the serving
// precision and power, and the rates and per-kernel costs they give (set_up_query).
struct QueryRates {
  const hw::Device* d = nullptr;
  RuntimeChoice choice;
  const Runtime* rt = nullptr;
  std::string precision, compute;  // the serving precision, and the one the arithmetic runs at
  ServingPower power;
  double sustained = 1;            // the clock share held under continuous tensor work (power_limited)
  double single_stream = 1;        // the clock share held serving one query after another (1: not applied)
  double peak = 0;                 // compute peak at `compute` under the mode or cap (0: the device states none)
  std::string widened;             // why `compute` is fp32 though the serving precision is not (a CPU)
  std::string vector_note;         // why the fp32 peak is the core's 256-bit rate (fp32_vector_bits)
  double bw_share = 1;             // the runtime's share of the theoretical memory bandwidth
  std::optional<double> bw;        // memory bandwidth the runtime reaches
  std::optional<double> measured_bw;  // the device's measured sustained read rate (decode steps)
  Range eff;                       // the runtime's achieved fraction of the roofline
  double kernel_clock = 1;         // per-kernel overhead multiple under a lowered clock
  bool cycles = false;             // per-kernel overhead counted in GPU cycles / the device's clock
  Range kernel, step_kernel, fixed;  // per kernel, per decode-step kernel, per query
  bool read_capped = false;        // a decode step held to measured_bw (noted once)

  // LATENCY at the boost clock, of which COMPUTE_TIME (already / the achieved share) is tensor work.
  Range power_limited(const Range& latency, const Range& compute_time) const {
    if (sustained >= 1) return latency;
    return Range{std::max(latency.low, compute_time.low / sustained), std::max(latency.expected, compute_time.expected / sustained),
                 std::max(latency.high, compute_time.high / sustained)};
  }
  // T, but no faster than FLOOR seconds (a decode step's bytes at the measured read rate).
  Range at_least(const Range& t, double floor) {
    read_capped = read_capped || floor > t.low;
    return Range{std::max(t.low, floor), std::max(t.expected, floor), std::max(t.high, floor)};
  }
};

// A decoder (or encoder) LLM known by its parameters: prefill, decode steps and KV cache, at the
// requests that fit the device's memory. Returns the requests its latency serves (--concurrency):
// those that do not fit wait in it.
double cost_llm(InferenceEstimate& r, QueryRates& q, const ParametricModel& m, const ServingPlan& plan, const Context& ctx);

}  // namespace sml::footprint::serving_detail
