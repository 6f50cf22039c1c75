// The sourced parameters of the footprint model (catalog/footprint.yaml): the training-FLOPs
// factor, the utilisation real training runs achieve, the power an accelerator and its host
// share draw, and hardware lifetimes. Ranges are min / median / max of published observations.
#pragma once
#include <string>
#include <vector>

#include "sml/footprint/range.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {

struct Observation {
  double value = 0;
  std::string what;    // the run observed
  std::string device;  // the device it ran on, when stated
  std::string source;
  int year = 0;
};

struct Parameter {
  Range range;
  std::vector<Observation> observations;
  std::string meaning;
  Doc doc() const;     // range plus the sources it was drawn from
  // The observations on devices whose name contains NEEDLE (or lacks it when EXCLUDE), with
  // their range; all of them when none match.
  Parameter subset(const std::string& needle, bool exclude) const;
};

struct FootprintModel {
  double training_flops_factor = 3;   // training FLOPs per forward FLOP
  std::string training_flops_source;
  Parameter utilization;              // model-FLOPs utilisation of training runs
  Parameter system_power;             // power per accelerator incl. host share, × accelerator TDP
  // TPUs run far below their TDP, GPUs near it (Patterson et al. 2021, Table 4 caption):
  // the observations on the same kind of accelerator.
  Parameter system_power_for(bool tpu) const { return system_power.subset("TPU", !tpu); }
  Parameter lifetime_years;           // hardware lifetime for amortising embodied emissions

  static FootprintModel load(const std::string& path);
  static FootprintModel parse(const YamlFile& file);
};

}  // namespace sml::footprint
