// The made-up footprint model and helpers of the training-utilisation tests
// (test_training_utilization.cpp, test_training_utilization_cnn.cpp and
// test_training_utilization_encdec.cpp): round numbers, so that every expected value follows from
//   u = generation × kind × (active params / reference) ^ size_exponent,  band = u × spread.
#pragma once
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/yaml_file.hpp"

namespace training_utilization_test {

using sml::footprint::FootprintModel;
using sml::footprint::UtilizationQuery;

inline const std::string kModel = R"(sml: footprint-model/v1
training_flops_factor: {value: 3, source: t}
utilization:
  observations:
    - {run: a, device: "NVIDIA A100", generation: Ampere, value: 0.3, basis: run, source: t}
    - {run: b, device: "NVIDIA A100", generation: Ampere, value: 0.5, basis: run, source: t}
    - {run: c, device: "NVIDIA H100", generation: Hopper, value: 0.2, basis: run, source: t}
system_power:
  observations: [{value: 1.1, source: t}]
lifetime_years:
  observations: [{value: 5, source: t}]
training_utilization:
  derivation: d
  source: s
  size_exponent: {value: 0.1, reference_params: 10.0e+9}
  generations:
    - {match: "Hopper", value: 0.25, fitted_on: [h1, h2]}
    - {match: "Ampere", value: 0.4, fitted_on: [a1]}
  kinds:
    - {kind: dense-lm, factor: 1}
    - {kind: moe-lm, factor: 0.8, fitted_on: [m1]}
    - kind: cnn
      basis: roofline
      source: cnn-runs
      spread: {low: 0.8, high: 1.2}
      cell_spread: {low: 0.5, high: 2}
      cells:
        - {match: "Volta", precisions: [fp16, bf16], value: 0.6, fitted_on: [v16]}
        - {match: "Volta", precisions: [fp32], value: 0.9, fitted_on: [v32]}
        - {match: "Ampere", precisions: [fp16, bf16], value: 0.3, fitted_on: [a16]}
  precisions: [bf16, fp16]
  spread: {low: 0.5, high: 1.5}
  generation_spread: {low: 0.8, high: 1.25}
)";

// A profiled network of one Conv layer of 1 GFLOP: the cnn kind.
inline sml::cost::Profile one_conv() {
  sml::cost::Profile net;
  net.layers.resize(1);
  net.layers[0].op = "Conv";
  net.layers[0].flops = 1e9;
  return net;
}

inline FootprintModel model(const std::string& text = kModel) {
  return FootprintModel::parse(sml::parse_yaml(text, "test.yaml"));
}

inline UtilizationQuery query(const std::string& device, const std::string& kind, double active, const std::string& precision = "bf16",
                       double peak_ratio = 1) {
  UtilizationQuery q;
  q.device_generation = device;
  q.kind = kind;
  q.active_params = active;
  q.precision = precision;
  q.peak_ratio = peak_ratio;
  return q;
}

// A datacenter GPU known only by its generation (which the cells match on; its name too) and,
// where given, one peak.
inline sml::hw::Device device(const char* id, const char* name, const char* precision = nullptr, double peak = 0) {
  sml::hw::Device d;
  d.id = id;
  d.name = name;
  d.generation = name;
  d.device_class = "datacenter-gpu";
  if (precision) d.peak_flops[precision].value = peak;
  return d;
}

}  // namespace training_utilization_test
