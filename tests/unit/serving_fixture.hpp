// The set-up the serving suites share (test_serving_llm.cpp, test_serving_round22.cpp,
// test_serving_cpu_round23.cpp, test_serving_cpu_vectors.cpp, test_serving_host.cpp,
// test_runtime_choice.cpp): a made-up device, a device and a footprint model as a system of their
// own, estimate() options over the shipped catalogue, a plan on a runtime at a precision, a dense
// model given by its parameters as a query's work, and a look through an estimate's notes.
#pragma once
#include <string>

#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"

namespace serving_test {

// A made-up device ID (NAME, of DEVICE_CLASS) with no figure yet: each test states those it needs.
inline sml::hw::Device device(const std::string& id, const std::string& name, const std::string& device_class) {
  sml::hw::Device d;
  d.id = id;
  d.name = name;
  d.device_class = device_class;
  return d;
}

// estimate() of the ONNX model at MODEL_PATH on DEVICE (an id of the shipped hw/) at PRECISION, as
// `sml-estimate MODEL --device DEVICE --precision PRECISION --no-layers` runs it with the source
// tree's catalog/ and hw/: the precision given, so it rules serving too.
inline sml::footprint::EstimateOptions catalog_estimate(const std::string& model_path, const std::string& device,
                                                        const std::string& precision) {
  const std::string root = SML_SOURCE_DATA_DIR;
  sml::footprint::EstimateOptions o;
  o.hw_dir = root + "/hw";
  o.catalog_dir = root + "/catalog";
  o.layers = false;
  o.model_path = model_path;
  o.device = device;
  o.plan.precision = precision;
  o.precision_given = true;
  return o;
}

// estimate() of an LLM known by PARAMS (all active) on DEVICE at PRECISION, served by RUNTIME, as
// `sml-estimate --params P --device D --precision P --runtime R --no-layers` runs it with the source
// tree's catalog/ and hw/; the caller sets the serving plan's tokens and geometry.
inline sml::footprint::EstimateOptions catalog_params(double params, const std::string& device, const std::string& precision,
                                                      const std::string& runtime) {
  const std::string root = SML_SOURCE_DATA_DIR;
  sml::footprint::EstimateOptions o;
  o.hw_dir = root + "/hw";
  o.catalog_dir = root + "/catalog";
  o.layers = false;
  sml::footprint::ParametricModel m;
  m.params = m.active_params = params;
  o.parametric = m;
  o.device = device;
  o.plan.precision = precision;
  o.precision_given = true;
  o.serving.runtime = runtime;
  return o;
}

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
