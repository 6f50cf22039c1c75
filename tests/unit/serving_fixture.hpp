// The set-up the serving suites share (test_serving_llm.cpp, test_serving_round22.cpp,
// test_serving_cpu_round23.cpp): a device and a footprint model as a system of their own, a plan on a
// runtime at a precision, a dense model given by its parameters as a query's work, and a look
// through an estimate's notes.
#pragma once
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"

namespace serving_test {

// Device D under footprint model M, its own system: PUE 1, no region (so no grid intensity).
inline sml::footprint::Context own_system(const sml::hw::Device& d, const sml::footprint::FootprintModel& m) {
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  ctx.pue.value = 1;
  return ctx;
}

// Serving on RUNTIME (an id of the footprint model's runtimes) at PRECISION; the rest as ServingPlan has it.
inline sml::footprint::ServingPlan plan_on(const std::string& runtime, const std::string& precision) {
  sml::footprint::ServingPlan plan;
  plan.runtime = runtime;
  plan.precision = precision;
  return plan;
}

// A model known by its parameter count, all of them active (no experts), and the work of a query on it.
struct Dense {
  sml::footprint::ParametricModel llm;
  sml::footprint::ServingWork work;
  explicit Dense(double params) {
    llm.params = llm.active_params = params;
    work.llm = &llm;
  }
  Dense(const Dense&) = delete;  // work points at llm
  Dense& operator=(const Dense&) = delete;
};

// Whether one of the estimate's notes says WHAT.
inline bool noted(const sml::footprint::InferenceEstimate& r, const std::string& what) {
  for (const auto& n : r.notes)
    if (n.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace serving_test
