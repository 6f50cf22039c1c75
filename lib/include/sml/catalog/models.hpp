// The knowledge-core catalogue (catalog/models/**/*.yaml, model/v1): reusable pretrained models
// with their tasks, size, work, published quality, where the weights live, and what they are
// made of. Every figure carries its source; a missing one is null with a reason.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sml::catalog {

struct Quality {
  std::string metric;
  double value = 0;
  std::string dataset;
  std::string scale;       // "" for fractions in [0, 1]; otherwise the published scale
  std::string source;
  bool higher_is_better = true;
};

struct SegmentRef {
  std::string name;        // stem, backbone, encoder, head…
  std::string core;        // the reusable core it is
};

struct CatalogModel {
  std::string id, name, family, file;
  std::map<std::string, std::string> family_scale;
  std::vector<std::string> tasks;
  std::optional<double> params, macs, flops_per_token;
  std::string params_source, macs_source;
  std::vector<Quality> quality;
  std::vector<std::string> pretrained;   // "where:id"
  std::optional<double> training_device_hours;
  std::string training_device, training_cost_source;
  std::vector<SegmentRef> segments;
  std::string arch;                      // sml-compose architecture name, when buildable
  std::optional<double> num_classes;
};

// Reads every *.yaml under DIR (one level of area folders). InputError (file:line) for a
// malformed entry or a duplicate id.
std::vector<CatalogModel> load_models(const std::string& dir);

}  // namespace sml::catalog
