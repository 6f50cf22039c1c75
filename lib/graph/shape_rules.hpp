// Per-operator shape and constant-folding rules (internal to lib/graph). One entry per op type,
// looked up by name; control flow (If, Loop, Scan) and functions are handled by the walker.
#pragma once
#include <cstdint>
#include <vector>

#include "sml/graph/infer.hpp"

namespace sml::graph {

struct RuleContext {
  const Node& node;
  const std::vector<const ValueState*>& in;   // nullptr for omitted inputs
  std::vector<ValueState>& out;               // sized to node.outputs, all unknown on entry
  std::int64_t opset;
  std::int64_t constant_limit;

  const ValueState* input(std::size_t i) const { return i < in.size() ? in[i] : nullptr; }
};

enum class RuleResult { kUnknownOp, kApplied };

// Fills ctx.out from the inputs. Never throws on inconsistent shapes: what cannot be derived
// stays unknown, and the caller reports the node as uncounted.
RuleResult apply_shape_rule(RuleContext& ctx);

// Numpy broadcasting of two shapes; nullopt when incompatible or a rank is unknown.
std::optional<std::vector<std::int64_t>> broadcast_shapes(const std::vector<std::int64_t>& a,
                                                          const std::vector<std::int64_t>& b);

}  // namespace sml::graph
