// The shape-rule registry: one entry per op type, filled by the families in shape_rules_*.cpp
// (math, nn, tensor, generator), as ONNX's defs/ keep one folder per family. Control flow (If,
// Loop, Scan) and model-local functions are the walker's (infer.cpp).
#include "shape_rules.hpp"

#include "shape_rules_common.hpp"

namespace sml::graph {
namespace {

const rules::RuleTable& table() {
  static const rules::RuleTable t = [] {
    rules::RuleTable r;
    rules::add_math_rules(r);
    rules::add_nn_rules(r);
    rules::add_tensor_rules(r);
    rules::add_generator_rules(r);
    return r;
  }();
  return t;
}

}  // namespace

std::optional<std::vector<std::int64_t>> broadcast_shapes(const std::vector<std::int64_t>& a,
                                                          const std::vector<std::int64_t>& b) {
  const std::size_t r = std::max(a.size(), b.size());
  std::vector<std::int64_t> out(r);
  for (std::size_t i = 0; i < r; ++i) {
    const std::int64_t x = i < r - a.size() ? 1 : a[i - (r - a.size())];
    const std::int64_t y = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (x == 1) out[i] = y;
    else if (y == 1) out[i] = x;
    else if (x < 0 || y < 0) out[i] = (x < 0 && y < 0) ? -1 : std::max(x, y);  // the known one wins
    else if (x == y) out[i] = x;
    else return std::nullopt;
  }
  return out;
}

RuleResult apply_shape_rule(RuleContext& ctx) {
  if (!is_default_domain(ctx.node.domain)) return RuleResult::kUnknownOp;
  const auto& t = table();
  auto it = t.find(ctx.node.op_type);
  if (it == t.end()) return RuleResult::kUnknownOp;
  it->second(ctx);
  return RuleResult::kApplied;
}

}  // namespace sml::graph
