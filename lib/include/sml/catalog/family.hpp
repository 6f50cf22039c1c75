// Model families that scale (ResNet depths, EfficientNet B0–B7, ViT sizes…): a least-squares fit
// of published quality against log10(MACs) over a family's members, so that a shrunk or expanded
// core gets an interpolated quality estimate, marked as such.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sml/catalog/models.hpp"

namespace sml::catalog {

struct FamilyFit {
  std::string family, metric, dataset;
  double intercept = 0, slope = 0;   // quality = intercept + slope × log10(MACs)
  double r2 = 0;
  double min_macs = 0, max_macs = 0;
  std::vector<std::string> members;

  double at(double macs) const;
  bool inside(double macs) const { return macs >= min_macs && macs <= max_macs; }
};

// The fit over FAMILY's members with a MAC count and a METRIC figure on DATASET (the first such
// figure of each model); nullopt with fewer than three members.
std::optional<FamilyFit> fit_family(const std::vector<CatalogModel>& models, const std::string& family,
                                    const std::string& metric, const std::string& dataset);

}  // namespace sml::catalog
