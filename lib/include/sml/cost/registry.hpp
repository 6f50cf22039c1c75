// One registry of per-operator cost rules (issue 2): each op type has one entry saying what it
// costs in multiply-accumulates and other floating-point operations, and which inputs are weights.
// Ops without an entry are reported as uncounted, never as zero. Convention: 1 MAC = 2 FLOPs;
// `flops` of a node = 2 × macs + its other operations (bias adds, activations, normalisation…).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sml/graph/infer.hpp"

namespace sml::cost {

struct OpCost {
  double macs = 0;
  double other_flops = 0;   // operations that are not multiply-accumulates
  double flops() const { return 2 * macs + other_flops; }
};

struct CostRule {
  std::string op;
  std::string counts;            // how the cost is counted, for --list ops and sml-formats.5
  std::vector<int> weight_slots; // inputs that hold trainable weights when stored (-1: any input)
  std::vector<int> buffer_slots; // inputs that hold non-trainable buffers (BatchNorm mean/var)
  // Cost for one execution; nullopt when the shapes it needs are unknown.
  std::optional<OpCost> (*cost)(const graph::NodeEvent&) = nullptr;
};

// The rule for an op in the default ONNX domain; nullptr for unknown ops and other domains.
const CostRule* find_rule(const graph::Node& node);
// Ops that only relabel a tensor (Reshape, Squeeze, Identity, Shape…): they move no data.
bool is_view(const graph::Node& node);
// Every rule, sorted by op name.
const std::vector<CostRule>& all_rules();

}  // namespace sml::cost
