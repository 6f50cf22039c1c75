// Helpers shared by the shape-rule families (shape_rules_*.cpp): shape arithmetic, setting an
// output, folding small constant values. Internal to lib/graph.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "shape_rules.hpp"

namespace sml::graph::rules {

using Dims = std::vector<std::int64_t>;
using Values = std::vector<double>;

inline bool known(const Dims& d) {
  return std::all_of(d.begin(), d.end(), [](std::int64_t v) { return v >= 0; });
}
inline std::int64_t product(const Dims& d) {
  std::int64_t n = 1;
  for (auto v : d)
    if (__builtin_mul_overflow(n, v, &n)) return -1;
  return n;
}
inline bool is_int_type(int t) {
  return t == kInt64 || t == kInt32 || t == kInt16 || t == kInt8 || t == kUint8 || t == kUint16 ||
         t == kUint32 || t == kUint64 || t == kBool;
}

inline bool has_rank(const ValueState* v) { return v && v->rank_known; }
inline bool has_shape(const ValueState* v) { return v && v->shape_known(); }
inline bool has_value(const ValueState* v) { return v && v->value.has_value() && v->shape_known(); }

inline std::optional<Dims> int_values(const ValueState* v) {
  if (!has_value(v)) return std::nullopt;
  Dims out;
  out.reserve(v->value->size());
  // Exporters write INT64_MAX/MIN for "to the end" in Slice; saturating at ±2^62 keeps those
  // meanings while leaving room for arithmetic without overflow.
  constexpr double kLimit = 4611686018427387904.0;
  for (double x : *v->value) {
    if (std::isnan(x)) return std::nullopt;
    out.push_back(static_cast<std::int64_t>(std::clamp(x, -kLimit, kLimit)));
  }
  return out;
}

// "1, 128, 12, 64": dims for messages.
inline std::string dims_text(const Dims& d) {
  std::string s;
  for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
  return s;
}

// Normalises a possibly negative axis; -1 when out of range.
inline std::int64_t norm_axis(std::int64_t a, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (a < 0) a += r;
  return (a >= 0 && a < r) ? a : -1;
}

inline ValueState& set(RuleContext& c, std::size_t i, int dtype, Dims dims) {
  static ValueState sink;
  if (i >= c.out.size()) { sink = {}; return sink; }
  ValueState& v = c.out[i];
  v.dtype = dtype;
  v.rank_known = true;
  v.dims = std::move(dims);
  return v;
}

// A value whose contents may be folded: known shape, no overflow, within the limit.
inline bool foldable(const RuleContext& c, const ValueState& v) {
  const std::int64_t n = v.elements();
  return n >= 0 && n <= c.constant_limit;
}

// Keeps VALUES only when the output is small enough to fold.
inline void set_value(RuleContext& c, ValueState& v, Values values) {
  if (foldable(c, v) && static_cast<std::int64_t>(values.size()) == v.elements()) {
    if (is_int_type(v.dtype))
      for (auto& x : values) x = std::trunc(x);
    v.value = std::move(values);
  }
}

inline int in_dtype(const RuleContext& c, std::size_t i) {
  const ValueState* v = c.input(i);
  return v ? v->dtype : kUndefined;
}

// Strides of a row-major shape.
inline Dims strides_of(const Dims& d) {
  Dims s(d.size(), 1);
  for (std::size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

// Value of A (shape AD) at the flat index I of the broadcast output shape OD.
inline double broadcast_at(const Values& a, const Dims& ad, const Dims& od, std::int64_t i) {
  const Dims os = strides_of(od), as = strides_of(ad);
  std::int64_t idx = 0;
  const std::size_t off = od.size() - ad.size();
  for (std::size_t k = 0; k < od.size(); ++k) {
    const std::int64_t coord = (i / os[k]) % od[k];
    if (k >= off && ad[k - off] != 1) idx += coord * as[k - off];
  }
  return a[static_cast<std::size_t>(idx)];
}

inline void same_shape(RuleContext& c, int dtype = -1) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  set(c, 0, dtype >= 0 ? dtype : x->dtype, x->dims);
}

using UnaryFn = double (*)(double);
inline void unary(RuleContext& c, UnaryFn fn, int dtype = -1) {
  same_shape(c, dtype);
  const ValueState* x = c.input(0);
  if (fn && has_value(x) && !c.out.empty() && c.out[0].rank_known) {
    Values v = *x->value;
    for (auto& e : v) e = fn(e);
    set_value(c, c.out[0], std::move(v));
  }
}

using BinaryFn = double (*)(double, double, bool integer);
inline void nary(RuleContext& c, BinaryFn fn, int out_dtype = -1) {
  std::optional<Dims> shape;
  int dtype = kUndefined;
  for (std::size_t i = 0; i < c.in.size(); ++i) {
    const ValueState* v = c.input(i);
    if (!has_rank(v)) return;
    if (dtype == kUndefined) dtype = v->dtype;
    shape = shape ? broadcast_shapes(*shape, v->dims) : v->dims;
    if (!shape) return;
  }
  if (!shape) return;
  ValueState& o = set(c, 0, out_dtype >= 0 ? out_dtype : dtype, *shape);
  if (!fn || !foldable(c, o)) return;
  for (auto* v : c.in)
    if (!has_value(v)) return;
  const bool integer = is_int_type(dtype);
  Values acc(static_cast<std::size_t>(o.elements()));
  for (std::int64_t i = 0; i < o.elements(); ++i) {
    double r = broadcast_at(*c.in[0]->value, c.in[0]->dims, o.dims, i);
    for (std::size_t k = 1; k < c.in.size(); ++k)
      r = fn(r, broadcast_at(*c.in[k]->value, c.in[k]->dims, o.dims, i), integer);
    acc[static_cast<std::size_t>(i)] = r;
  }
  set_value(c, o, std::move(acc));
}

// Axes given by attribute (older opsets) or by input INPUT_INDEX (newer ones).
inline std::optional<Dims> axes_of(const RuleContext& c, std::size_t input_index, const char* attr = "axes") {
  if (const Attribute* a = c.node.attr(attr)) return a->ints;
  if (c.node.has_input(input_index)) return int_values(c.input(input_index));
  return Dims{};
}

using Rule = std::function<void(RuleContext&)>;
using RuleTable = std::unordered_map<std::string, Rule>;

// Each family adds the rules of its ops, as ONNX's defs/ keep one folder per family.
void add_math_rules(RuleTable& t);        // elementwise, logical, reductions, matmul, einsum
void add_nn_rules(RuleTable& t);          // convolution, pooling, normalisation, recurrent, losses, quantisation
void add_tensor_rules(RuleTable& t);      // shape, reshape and indexing ops, resize
void add_generator_rules(RuleTable& t);   // Constant, ConstantOfShape, Range, random, windows

}  // namespace sml::graph::rules
