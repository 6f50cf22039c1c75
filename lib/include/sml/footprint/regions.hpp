// Grid regions with their location-based carbon intensity, and PUE defaults by data-centre
// setting (catalog/regions.yaml), every figure with its source and year.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sml/io/yaml_file.hpp"

namespace sml::footprint {

struct SourcedValue {
  double value = 0;
  std::string source;
  int year = 0;
};

struct Region {
  std::string id;
  std::string name;
  std::string kind;          // country, subdivision, world, union, cloud
  std::string grid;          // for cloud regions: the grid region they draw from
  std::optional<SourcedValue> intensity;   // kg CO2e per kWh, location-based
  std::string basis;         // lifecycle or direct
  std::string null_reason;
  std::optional<SourcedValue> pue;         // the provider's published PUE, when known
};

class RegionCatalog {
 public:
  static RegionCatalog load(const std::string& path);
  static RegionCatalog parse(const YamlFile& file);
  // By id (case-insensitive for ISO codes); InputError with the nearest ids otherwise.
  const Region& find(const std::string& id) const;
  // PUE default for SETTING: hyperscale, enterprise or unknown. InputError for other names.
  const SourcedValue& pue(const std::string& setting) const;
  const std::vector<Region>& all() const { return regions_; }

 private:
  std::vector<Region> regions_;
  std::map<std::string, SourcedValue> pue_;
};

}  // namespace sml::footprint
