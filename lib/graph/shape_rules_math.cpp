// Shape rules: elementwise and logical ops, reductions, MatMul, Gemm, Einsum, TopK, Det.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "shape_rules_common.hpp"

namespace sml::graph::rules {
namespace {

double add_(double a, double b, bool) { return a + b; }
double sub_(double a, double b, bool) { return a - b; }
double mul_(double a, double b, bool) { return a * b; }
double div_(double a, double b, bool integer) {
  if (b == 0) return integer ? 0 : a / b;
  return integer ? std::trunc(a / b) : a / b;
}
double pow_(double a, double b, bool) { return std::pow(a, b); }
double mod_(double a, double b, bool) { return b == 0 ? 0 : a - b * std::floor(a / b); }
double max_(double a, double b, bool) { return std::max(a, b); }
double min_(double a, double b, bool) { return std::min(a, b); }
double eq_(double a, double b, bool) { return a == b; }
double lt_(double a, double b, bool) { return a < b; }
double gt_(double a, double b, bool) { return a > b; }
double le_(double a, double b, bool) { return a <= b; }
double ge_(double a, double b, bool) { return a >= b; }
double and_(double a, double b, bool) { return (a != 0) && (b != 0); }
double or_(double a, double b, bool) { return (a != 0) || (b != 0); }
double xor_(double a, double b, bool) { return (a != 0) != (b != 0); }

double fold_sum(double a, double b) { return a + b; }
double fold_prod(double a, double b) { return a * b; }
double fold_min(double a, double b) { return std::min(a, b); }
double fold_max(double a, double b) { return std::max(a, b); }

// Reductions: axes from an attribute (older opsets) or input 1 (ReduceSum 13+, others 18+).
void reduce_rule(RuleContext& c, double (*fold)(double, double), double init) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const bool keep = c.node.attr_int("keepdims", 1) != 0;
  auto axes = axes_of(c, 1);
  if (!axes) {
    if (keep) set(c, 0, x->dtype, Dims(x->dims.size(), -1));
    return;
  }
  const std::size_t r = x->dims.size();
  std::vector<bool> reduced(r, axes->empty() && c.node.attr_int("noop_with_empty_axes", 0) == 0);
  for (auto a : *axes) {
    const auto k = norm_axis(a, r);
    if (k < 0) return;
    reduced[static_cast<std::size_t>(k)] = true;
  }
  Dims out;
  for (std::size_t i = 0; i < r; ++i) {
    if (!reduced[i]) out.push_back(x->dims[i]);
    else if (keep) out.push_back(1);
  }
  ValueState& o = set(c, 0, x->dtype, out);
  if (fold && has_value(x) && o.shape_known()) {
    Values v(static_cast<std::size_t>(o.elements()), init);
    const Dims is = strides_of(x->dims);
    // Map each input element to its output slot (reduced coords dropped or set to 0).
    Dims kept_dims;
    for (std::size_t i = 0; i < r; ++i) kept_dims.push_back(reduced[i] ? 1 : x->dims[i]);
    const Dims ks = strides_of(kept_dims);
    for (std::int64_t i = 0; i < x->elements(); ++i) {
      std::int64_t slot = 0;
      for (std::size_t k = 0; k < r; ++k)
        if (!reduced[k]) slot += ((i / is[k]) % x->dims[k]) * ks[k];
      auto& acc = v[static_cast<std::size_t>(slot)];
      acc = fold(acc, (*x->value)[static_cast<std::size_t>(i)]);
    }
    set_value(c, o, std::move(v));
  }
}

void argreduce_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const auto axis = norm_axis(c.node.attr_int("axis", 0), x->dims.size());
  if (axis < 0) return;
  Dims out = x->dims;
  if (c.node.attr_int("keepdims", 1)) out[static_cast<std::size_t>(axis)] = 1;
  else out.erase(out.begin() + axis);
  set(c, 0, kInt64, out);
}

void matmul_rule(RuleContext& c, std::size_t a_index = 0, std::size_t b_index = 1, int out_dtype = -1) {
  const ValueState *a = c.input(a_index), *b = c.input(b_index);
  if (!has_rank(a) || !has_rank(b) || a->dims.empty() || b->dims.empty()) return;
  Dims ad = a->dims, bd = b->dims;
  const bool a_vec = ad.size() == 1, b_vec = bd.size() == 1;
  if (a_vec) ad.insert(ad.begin(), 1);
  if (b_vec) bd.push_back(1);
  const std::int64_t ka = ad.back(), kb = bd[bd.size() - 2];
  if (ka >= 0 && kb >= 0 && ka != kb) return;
  auto batch = broadcast_shapes(Dims(ad.begin(), ad.end() - 2), Dims(bd.begin(), bd.end() - 2));
  if (!batch) return;
  Dims out = *batch;
  if (!a_vec) out.push_back(ad[ad.size() - 2]);
  if (!b_vec) out.push_back(bd.back());
  set(c, 0, out_dtype >= 0 ? out_dtype : a->dtype, out);
}

void gemm_rule(RuleContext& c) {
  const ValueState *a = c.input(0), *b = c.input(1);
  if (!has_rank(a) || !has_rank(b) || a->dims.size() != 2 || b->dims.size() != 2) return;
  const bool ta = c.node.attr_int("transA", 0) != 0, tb = c.node.attr_int("transB", 0) != 0;
  set(c, 0, a->dtype, {ta ? a->dims[1] : a->dims[0], tb ? b->dims[0] : b->dims[1]});
}

// Einsum: output dims from the equation's letters (explicit "->" or implicit sorted form).
void einsum_rule(RuleContext& c) {
  std::string eq = c.node.attr_string("equation", "");
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  if (eq.find("...") != std::string::npos) return;  // ellipsis: left unknown
  const auto arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> terms;
  std::size_t start = 0;
  for (;;) {
    auto comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != c.in.size()) return;
  std::map<char, std::int64_t> size;
  std::map<char, int> count;
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const ValueState* v = c.input(t);
    if (!has_rank(v) || v->dims.size() != terms[t].size()) return;
    for (std::size_t i = 0; i < terms[t].size(); ++i) {
      const char ch = terms[t][i];
      ++count[ch];
      auto& s = size.emplace(ch, v->dims[i]).first->second;
      if (s < 0 || s == 1) s = v->dims[i] < 0 ? s : v->dims[i];
    }
  }
  std::string rhs;
  if (arrow != std::string::npos) rhs = eq.substr(arrow + 2);
  else
    for (auto& [ch, n] : count)
      if (n == 1) rhs += ch;
  Dims out;
  for (char ch : rhs) {
    auto it = size.find(ch);
    if (it == size.end()) return;
    out.push_back(it->second);
  }
  set(c, 0, c.input(0)->dtype, out);
}

void topk_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const auto axis = norm_axis(c.node.attr_int("axis", -1), x->dims.size());
  if (axis < 0) return;
  std::int64_t k = c.node.attr_int("k", -1);
  if (c.node.has_input(1)) {
    auto v = int_values(c.input(1));
    k = (v && v->size() == 1) ? (*v)[0] : -1;
  }
  Dims out = x->dims;
  out[static_cast<std::size_t>(axis)] = k;
  set(c, 0, x->dtype, out);
  set(c, 1, kInt64, out);
}

// Det: a batch of square matrices [*, M, M] gives [*].
void det_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x) || x->dims.size() < 2) return;
  set(c, 0, x->dtype, Dims(x->dims.begin(), x->dims.end() - 2));
}

}  // namespace

void add_math_rules(RuleTable& t) {
  auto plain = [](RuleContext& c) { same_shape(c); };
  for (const char* op : {"Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
                         "Softplus", "Softsign", "Gelu", "Erf", "Exp", "Log", "Sin", "Cos", "Tan", "Asin",
                         "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Softmax", "LogSoftmax",
                         "Hardmax", "Clip", "Celu", "ThresholdedRelu", "Shrink", "Mish", "CumSum", "Trilu",
                         "BitwiseNot", "Round", "Sign"})
    t[op] = plain;
  t["Identity"] = [](RuleContext& c) { unary(c, [](double x) { return x; }); };
  t["Neg"] = [](RuleContext& c) { unary(c, [](double x) { return -x; }); };
  t["Abs"] = [](RuleContext& c) { unary(c, [](double x) { return std::fabs(x); }); };
  t["Floor"] = [](RuleContext& c) { unary(c, [](double x) { return std::floor(x); }); };
  t["Ceil"] = [](RuleContext& c) { unary(c, [](double x) { return std::ceil(x); }); };
  t["Round"] = [](RuleContext& c) { unary(c, [](double x) { return std::nearbyint(x); }); };
  t["Sqrt"] = [](RuleContext& c) { unary(c, [](double x) { return std::sqrt(x); }); };
  t["Reciprocal"] = [](RuleContext& c) { unary(c, [](double x) { return 1.0 / x; }); };
  t["Relu"] = [](RuleContext& c) { unary(c, [](double x) { return std::max(x, 0.0); }); };
  t["Sign"] = [](RuleContext& c) { unary(c, [](double x) { return double((x > 0) - (x < 0)); }); };
  t["Not"] = [](RuleContext& c) { unary(c, [](double x) { return double(x == 0); }, kBool); };
  t["IsNaN"] = [](RuleContext& c) { same_shape(c, kBool); };
  t["IsInf"] = [](RuleContext& c) { same_shape(c, kBool); };
  t["Add"] = [](RuleContext& c) { nary(c, add_); };
  t["Sub"] = [](RuleContext& c) { nary(c, sub_); };
  t["Mul"] = [](RuleContext& c) { nary(c, mul_); };
  t["Div"] = [](RuleContext& c) { nary(c, div_); };
  t["Pow"] = [](RuleContext& c) { nary(c, pow_); };
  t["Mod"] = [](RuleContext& c) { nary(c, mod_); };
  t["Max"] = [](RuleContext& c) { nary(c, max_); };
  t["Min"] = [](RuleContext& c) { nary(c, min_); };
  t["Sum"] = [](RuleContext& c) { nary(c, add_); };
  t["Mean"] = [](RuleContext& c) { nary(c, nullptr); };
  t["PRelu"] = [](RuleContext& c) { nary(c, nullptr); };
  t["BitShift"] = [](RuleContext& c) { nary(c, nullptr); };
  t["BitwiseAnd"] = [](RuleContext& c) { nary(c, nullptr); };
  t["BitwiseOr"] = [](RuleContext& c) { nary(c, nullptr); };
  t["BitwiseXor"] = [](RuleContext& c) { nary(c, nullptr); };
  t["Equal"] = [](RuleContext& c) { nary(c, eq_, kBool); };
  t["Less"] = [](RuleContext& c) { nary(c, lt_, kBool); };
  t["Greater"] = [](RuleContext& c) { nary(c, gt_, kBool); };
  t["LessOrEqual"] = [](RuleContext& c) { nary(c, le_, kBool); };
  t["GreaterOrEqual"] = [](RuleContext& c) { nary(c, ge_, kBool); };
  t["And"] = [](RuleContext& c) { nary(c, and_, kBool); };
  t["Or"] = [](RuleContext& c) { nary(c, or_, kBool); };
  t["Xor"] = [](RuleContext& c) { nary(c, xor_, kBool); };
  t["ReduceSum"] = [](RuleContext& c) { reduce_rule(c, fold_sum, 0); };
  t["ReduceProd"] = [](RuleContext& c) { reduce_rule(c, fold_prod, 1); };
  t["ReduceMin"] = [](RuleContext& c) { reduce_rule(c, fold_min, INFINITY); };
  t["ReduceMax"] = [](RuleContext& c) { reduce_rule(c, fold_max, -INFINITY); };
  for (const char* op : {"ReduceMean", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"})
    t[op] = [](RuleContext& c) { reduce_rule(c, nullptr, 0); };
  t["ArgMax"] = argreduce_rule;
  t["ArgMin"] = argreduce_rule;
  t["MatMul"] = [](RuleContext& c) { matmul_rule(c); };
  t["MatMulInteger"] = [](RuleContext& c) { matmul_rule(c, 0, 1, kInt32); };
  t["QLinearMatMul"] = [](RuleContext& c) { matmul_rule(c, 0, 3, in_dtype(c, 7)); };
  t["Gemm"] = gemm_rule;
  t["Einsum"] = einsum_rule;
  t["TopK"] = topk_rule;
  t["Det"] = det_rule;
}

}  // namespace sml::graph::rules
