// Per-operator shape and constant-folding rules (internal to lib/graph). One entry per op type,
// looked up by name; control flow (If, Loop, Scan) and functions are handled by the walker.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/graph/infer.hpp"

namespace sml::graph {

struct RuleContext {
  const Node& node;
  const std::vector<const ValueState*>& in;   // nullptr for omitted inputs
  std::vector<ValueState>& out;               // sized to node.outputs, all unknown on entry
  std::int64_t opset;
  std::int64_t constant_limit;
  std::string error{};                         // set by fail(): the inputs contradict the op

  const ValueState* input(std::size_t i) const { return i < in.size() ? in[i] : nullptr; }
  // The inputs cannot be what the op needs (element counts differ): the walker names the node.
  void fail(std::string why) { if (error.empty()) error = std::move(why); }
};

enum class RuleResult { kUnknownOp, kApplied };

// Fills ctx.out from the inputs. Never throws: what cannot be derived stays unknown, and the
// caller reports the node as uncounted; inputs that contradict the op (element counts of
// Reshape, Expand, Tile, Concat) set ctx.error through fail().
RuleResult apply_shape_rule(RuleContext& ctx);

// Numpy broadcasting of two shapes; nullopt when incompatible or a rank is unknown.
std::optional<std::vector<std::int64_t>> broadcast_shapes(const std::vector<std::int64_t>& a,
                                                          const std::vector<std::int64_t>& b);

}  // namespace sml::graph
