#include "sml/accel/op_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sml/cost/registry.hpp"

namespace sml::accel {
namespace {

using graph::NodeEvent;
using graph::ValueState;

const ValueState* shaped(const std::vector<const ValueState*>& list, std::size_t i) {
  return i < list.size() && list[i] && list[i]->shape_known() ? list[i] : nullptr;
}

std::int64_t prod(const std::vector<std::int64_t>& d, std::size_t from, std::size_t to) {
  std::int64_t p = 1;
  for (std::size_t i = from; i < to && i < d.size(); ++i) p *= d[i];
  return p;
}

bool is_op(const graph::Node& n, std::initializer_list<const char*> ops) {
  if (!graph::is_default_domain(n.domain)) return false;
  return std::any_of(ops.begin(), ops.end(), [&](const char* op) { return n.op_type == op; });
}

// Conv family: W is [Cout, Cin/group, k…], Y is [N, Cout, spatial…].
std::vector<GemmLayer> conv(const NodeEvent& e, const std::string& name, std::size_t w_index, std::string& why) {
  const ValueState *w = shaped(e.inputs, w_index), *y = shaped(e.outputs, 0);
  if (!w || !y || y->dims.size() < 3 || w->dims.size() < 2) return why = "weight or output shape unknown", std::vector<GemmLayer>{};
  const std::int64_t groups = std::max<std::int64_t>(1, e.node.attr_int("group", 1));
  if (y->dims[1] % groups != 0) return why = "output channels not divisible by group", std::vector<GemmLayer>{};
  const std::int64_t pixels = y->dims[0] * prod(y->dims, 2, y->dims.size());
  return {{name, e.node.op_type, pixels, y->dims[1] / groups, prod(w->dims, 1, w->dims.size()), groups}};
}

// ConvTranspose: W is [Cin, Cout/group, k…]; every input pixel's Cin/group values are multiplied
// into a (Cout/group × kernel) patch of the output (col2im), group by group.
std::vector<GemmLayer> conv_transpose(const NodeEvent& e, const std::string& name, std::string& why) {
  const ValueState *x = shaped(e.inputs, 0), *w = shaped(e.inputs, 1);
  if (!x || !w || x->dims.size() < 3 || w->dims.size() < 2) return why = "input or weight shape unknown", std::vector<GemmLayer>{};
  const std::int64_t groups = std::max<std::int64_t>(1, e.node.attr_int("group", 1));
  if (w->dims[0] % groups != 0) return why = "input channels not divisible by group", std::vector<GemmLayer>{};
  const std::int64_t pixels = x->dims[0] * prod(x->dims, 2, x->dims.size());
  return {{name, "ConvTranspose", pixels, prod(w->dims, 1, w->dims.size()), w->dims[0] / groups, groups}};
}

// MatMul family (numpy semantics): the output's last two dims are the matrix, the rest batch.
std::vector<GemmLayer> matmul(const NodeEvent& e, const std::string& name, std::string& why) {
  const ValueState *a = shaped(e.inputs, 0), *y = shaped(e.outputs, 0);
  if (!a || !y || a->dims.empty() || y->dims.empty()) return why = "input or output shape unknown", std::vector<GemmLayer>{};
  std::int64_t k = a->dims.back();
  if (e.node.op_type == "Gemm" && e.node.attr_int("transA", 0) && a->dims.size() == 2) k = a->dims[0];
  const std::size_t r = y->dims.size();
  const std::int64_t cols = y->dims.back(), rows = r >= 2 ? y->dims[r - 2] : 1;
  return {{name, e.node.op_type, rows, cols, k, r >= 2 ? prod(y->dims, 0, r - 2) : 1}};
}

// Einsum: with two operands a batched matrix product over the index classes; with more, one
// product of the output's indices by all the others per extra operand (the registry's count).
std::vector<GemmLayer> einsum(const NodeEvent& e, const std::string& name, std::string& why) {
  std::string eq = e.node.attr_string("equation", "");
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  const auto arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> terms(1);
  for (char ch : lhs) {
    if (ch == ',') terms.emplace_back();
    else terms.back() += ch;
  }
  std::map<char, std::int64_t> size;
  std::map<char, int> seen;
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const ValueState* v = shaped(e.inputs, t);
    if (!v || v->dims.size() != terms[t].size()) return why = "operand shape unknown or '...' in the equation", std::vector<GemmLayer>{};
    for (std::size_t i = 0; i < terms[t].size(); ++i) {
      auto& s = size[terms[t][i]];
      s = std::max(s, v->dims[i]);
      ++seen[terms[t][i]];
    }
  }
  std::set<char> out;
  if (arrow != std::string::npos) out.insert(eq.begin() + static_cast<std::ptrdiff_t>(arrow) + 2, eq.end());
  else
    for (auto& [ch, count] : seen)
      if (count == 1) out.insert(ch);  // implicit output: indices that appear once
  if (terms.size() < 2) return why = "one operand: no multiply-accumulates", std::vector<GemmLayer>{};
  if (terms.size() > 2) {
    std::int64_t m = 1, k = 1;
    for (auto& [ch, s] : size) (out.count(ch) ? m : k) *= s;
    return {{name, "Einsum", m, 1, k, static_cast<std::int64_t>(terms.size() - 1)}};
  }
  std::int64_t batch = 1, m = 1, n = 1, k = 1;
  for (auto& [ch, s] : size) {
    const bool in_a = terms[0].find(ch) != std::string::npos, in_b = terms[1].find(ch) != std::string::npos;
    if (in_a && in_b) (out.count(ch) ? batch : k) *= s;
    else (in_a ? m : n) *= s;
  }
  return {{name, "Einsum", m, n, k, batch}};
}

// LSTM (4 gates), GRU (3), RNN (1): X is [seq, batch, input] (layout 0) or [batch, seq, input].
std::vector<GemmLayer> recurrent(const NodeEvent& e, const std::string& name, std::string& why) {
  const ValueState* x = shaped(e.inputs, 0);
  const std::int64_t hidden = e.node.attr_int("hidden_size", -1);
  if (!x || x->dims.size() != 3 || hidden <= 0) return why = "input shape or hidden_size unknown", std::vector<GemmLayer>{};
  const std::int64_t gates = e.node.op_type == "LSTM" ? 4 : e.node.op_type == "GRU" ? 3 : 1;
  const std::int64_t dirs = e.node.attr_string("direction", "forward") == "bidirectional" ? 2 : 1;
  const bool batch_first = e.node.attr_int("layout", 0) == 1;
  const std::int64_t seq = batch_first ? x->dims[1] : x->dims[0], batch = batch_first ? x->dims[0] : x->dims[1];
  return {{name + "/input", e.node.op_type, seq * batch, gates * hidden, x->dims[2], dirs},
          {name + "/recurrent", e.node.op_type, batch, gates * hidden, hidden, seq * dirs}};
}

double macs_of(const std::vector<GemmLayer>& g) {
  double m = 0;
  for (const auto& l : g) m += l.macs();
  return m;
}

}  // namespace

bool is_array_op(const graph::Node& n) {
  return is_op(n, {"Conv", "ConvInteger", "DeformConv", "QLinearConv", "ConvTranspose", "MatMul", "MatMulInteger",
                   "QLinearMatMul", "Gemm", "Einsum", "LSTM", "GRU", "RNN"});
}

std::vector<GemmLayer> map_to_array(const NodeEvent& e, const std::string& name, double macs, std::string& why) {
  const graph::Node& n = e.node;
  std::vector<GemmLayer> g;
  if (is_op(n, {"Conv", "ConvInteger", "DeformConv"})) g = conv(e, name, 1, why);
  else if (is_op(n, {"QLinearConv"})) g = conv(e, name, 3, why);
  else if (is_op(n, {"ConvTranspose"})) g = conv_transpose(e, name, why);
  else if (is_op(n, {"MatMul", "MatMulInteger", "QLinearMatMul", "Gemm"})) g = matmul(e, name, why);
  else if (is_op(n, {"Einsum"})) g = einsum(e, name, why);
  else if (is_op(n, {"LSTM", "GRU", "RNN"})) g = recurrent(e, name, why);
  else why = "no array mapping for " + n.op_type;
  if (g.empty()) return g;
  for (const auto& l : g)
    if (l.m < 1 || l.n < 1 || l.k < 1 || l.repeat < 1) return why = "a dimension of the product is zero or unknown", std::vector<GemmLayer>{};
  const double mapped = macs_of(g);
  if (std::abs(mapped - macs) > 1e-9 * std::max(1.0, macs)) {
    why = "the mapping gives " + std::to_string(static_cast<long long>(mapped)) + " MACs where the profile counts " +
          std::to_string(static_cast<long long>(macs));
    return {};
  }
  return g;
}

ModelWork map_model(const graph::Model& model, const graph::InferOptions& infer) {
  ModelWork w;
  graph::infer_model(model, infer, [&](const NodeEvent& e) {
    const graph::Node& n = e.node;
    const std::string name = e.scope + (n.name.empty() ? (n.outputs.empty() ? n.op_type : n.outputs[0]) : n.name);
    if (e.container) return;  // its nodes are visited on their own
    const cost::CostRule* rule = cost::find_rule(n);
    const auto cost = rule ? rule->cost(e) : std::nullopt;
    if (!cost) {
      ++w.uncounted_nodes;
      if (is_array_op(n)) ++w.mac_nodes;  // multiplies, by an amount nobody knows
      w.not_simulated.push_back({name, n.op_type, 0, !rule ? (graph::is_default_domain(n.domain) ? "no cost rule for this op" : "custom domain '" + n.domain + "'")
                                                           : "shapes unknown (set --input-shape?)", is_array_op(n)});
      return;
    }
    const double times = e.multiplier;
    const double macs = cost->macs * times;
    w.profiled_macs += macs;
    double vector_ops = cost->other_flops * times;
    if (macs > 0) {
      ++w.mac_nodes;
      std::string why;
      // A node run a whole number of times (Loop and Scan trip counts) repeats its products.
      auto g = std::floor(times) == times && times >= 1 ? map_to_array(e, name, cost->macs, why) : std::vector<GemmLayer>{};
      if (g.empty()) {
        w.not_simulated.push_back({name, n.op_type, macs, why.empty() ? "runs a fractional number of times" : why, true});
        return;
      }
      ++w.mapped_mac_nodes;
      for (auto& l : g) {
        l.repeat *= static_cast<std::int64_t>(times);
        w.simulated_macs += l.macs();
        w.gemms.push_back(l);
      }
      // Bias adds ride the accumulators; a recurrent cell's gate activations and state update do not.
      if (!is_op(n, {"LSTM", "GRU", "RNN"})) return;
    }
    if (cost::is_view(n)) return;
    const bool constant = !e.outputs.empty() && std::all_of(e.outputs.begin(), e.outputs.end(), [](const ValueState* o) {
      return o && (o->stored >= 0 || o->origin >= 0 || o->value.has_value());
    });
    if (constant) return;  // weights and folded shape arithmetic: nothing runs
    double produced = 0, read = 0;
    for (const ValueState* o : e.outputs)
      if (o && o->shape_known()) produced += static_cast<double>(o->elements());
    for (const ValueState* v : e.inputs)
      if (v && v->shape_known() && v->stored < 0 && v->origin < 0) read += static_cast<double>(v->elements());
    if (macs == 0) vector_ops = std::max(vector_ops, produced * times);  // moving an element is one lane operation
    if (vector_ops <= 0) return;
    w.vectors.push_back({macs > 0 ? name + "/gates" : name, n.op_type, vector_ops, (produced + read) * times, w.gemms.size()});
  });
  return w;
}

}  // namespace sml::accel
