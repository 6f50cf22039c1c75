#include "shape_rules.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <unordered_map>

namespace sml::graph {
namespace {

using Dims = std::vector<std::int64_t>;
using Values = std::vector<double>;

bool known(const Dims& d) {
  return std::all_of(d.begin(), d.end(), [](std::int64_t v) { return v >= 0; });
}
std::int64_t product(const Dims& d) {
  std::int64_t n = 1;
  for (auto v : d)
    if (__builtin_mul_overflow(n, v, &n)) return -1;
  return n;
}
bool is_int_type(int t) {
  return t == kInt64 || t == kInt32 || t == kInt16 || t == kInt8 || t == kUint8 || t == kUint16 ||
         t == kUint32 || t == kUint64 || t == kBool;
}

bool has_rank(const ValueState* v) { return v && v->rank_known; }
bool has_shape(const ValueState* v) { return v && v->shape_known(); }
bool has_value(const ValueState* v) { return v && v->value.has_value() && v->shape_known(); }

std::optional<Dims> int_values(const ValueState* v) {
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

// Normalises a possibly negative axis; -1 when out of range.
std::int64_t norm_axis(std::int64_t a, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (a < 0) a += r;
  return (a >= 0 && a < r) ? a : -1;
}

ValueState& set(RuleContext& c, std::size_t i, int dtype, Dims dims) {
  static ValueState sink;
  if (i >= c.out.size()) { sink = {}; return sink; }
  ValueState& v = c.out[i];
  v.dtype = dtype;
  v.rank_known = true;
  v.dims = std::move(dims);
  return v;
}

// A value whose contents may be folded: known shape, no overflow, within the limit.
bool foldable(const RuleContext& c, const ValueState& v) {
  const std::int64_t n = v.elements();
  return n >= 0 && n <= c.constant_limit;
}

// Keeps VALUES only when the output is small enough to fold.
void set_value(RuleContext& c, ValueState& v, Values values) {
  if (foldable(c, v) && static_cast<std::int64_t>(values.size()) == v.elements()) {
    if (is_int_type(v.dtype))
      for (auto& x : values) x = std::trunc(x);
    v.value = std::move(values);
  }
}

int in_dtype(const RuleContext& c, std::size_t i) {
  const ValueState* v = c.input(i);
  return v ? v->dtype : kUndefined;
}

// Strides of a row-major shape.
Dims strides_of(const Dims& d) {
  Dims s(d.size(), 1);
  for (std::size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

// Value of A (shape AD) at the flat index I of the broadcast output shape OD.
double broadcast_at(const Values& a, const Dims& ad, const Dims& od, std::int64_t i) {
  const Dims os = strides_of(od), as = strides_of(ad);
  std::int64_t idx = 0;
  const std::size_t off = od.size() - ad.size();
  for (std::size_t k = 0; k < od.size(); ++k) {
    const std::int64_t coord = (i / os[k]) % od[k];
    if (k >= off && ad[k - off] != 1) idx += coord * as[k - off];
  }
  return a[static_cast<std::size_t>(idx)];
}

// ---- rule families ---------------------------------------------------------------------

void same_shape(RuleContext& c, int dtype = -1) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  set(c, 0, dtype >= 0 ? dtype : x->dtype, x->dims);
}

using UnaryFn = double (*)(double);
void unary(RuleContext& c, UnaryFn fn, int dtype = -1) {
  same_shape(c, dtype);
  const ValueState* x = c.input(0);
  if (fn && has_value(x) && !c.out.empty() && c.out[0].rank_known) {
    Values v = *x->value;
    for (auto& e : v) e = fn(e);
    set_value(c, c.out[0], std::move(v));
  }
}

using BinaryFn = double (*)(double, double, bool integer);
void nary(RuleContext& c, BinaryFn fn, int out_dtype = -1) {
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

void where_rule(RuleContext& c) {
  const ValueState *cond = c.input(0), *a = c.input(1), *b = c.input(2);
  if (!has_rank(cond) || !has_rank(a) || !has_rank(b)) return;
  auto s = broadcast_shapes(cond->dims, a->dims);
  if (s) s = broadcast_shapes(*s, b->dims);
  if (!s) return;
  ValueState& o = set(c, 0, a->dtype, *s);
  if (has_value(cond) && has_value(a) && has_value(b) && foldable(c, o)) {
    Values v(static_cast<std::size_t>(o.elements()));
    for (std::int64_t i = 0; i < o.elements(); ++i)
      v[static_cast<std::size_t>(i)] = broadcast_at(*cond->value, cond->dims, o.dims, i) != 0
                                           ? broadcast_at(*a->value, a->dims, o.dims, i)
                                           : broadcast_at(*b->value, b->dims, o.dims, i);
    set_value(c, o, std::move(v));
  }
}

// Axes given by attribute (older opsets) or by input INPUT_INDEX (newer ones).
std::optional<Dims> axes_of(const RuleContext& c, std::size_t input_index, const char* attr = "axes") {
  if (const Attribute* a = c.node.attr(attr)) return a->ints;
  if (c.node.has_input(input_index)) return int_values(c.input(input_index));
  return Dims{};
}

void cast_rule(RuleContext& c) {
  const int to = static_cast<int>(c.node.attr_int("to", kFloat));
  unary(c, [](double x) { return x; }, to);
  if (!c.out.empty() && c.out[0].value && is_int_type(to)) {
    for (auto& x : *c.out[0].value) x = (to == kBool) ? (x != 0) : std::trunc(x);
  }
}

void shape_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const auto r = static_cast<std::int64_t>(x->dims.size());
  std::int64_t start = c.node.attr_int("start", 0), end = c.node.attr_int("end", r);
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = std::clamp<std::int64_t>(start, 0, r);
  end = std::clamp<std::int64_t>(end, start, r);
  ValueState& o = set(c, 0, kInt64, {end - start});
  Dims part(x->dims.begin() + start, x->dims.begin() + end);
  if (known(part)) set_value(c, o, Values(part.begin(), part.end()));
}

void size_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  ValueState& o = set(c, 0, kInt64, {});
  if (has_shape(x)) set_value(c, o, {static_cast<double>(x->elements())});
}

void reshape_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  Dims target;
  if (c.opset < 5 || (!c.node.has_input(1) && c.node.attr("shape"))) {
    target = c.node.attr_ints("shape");
  } else {
    auto v = int_values(c.input(1));
    if (!v) {
      // Rank is still known from the shape tensor's length.
      const ValueState* s = c.input(1);
      if (has_shape(s) && s->dims.size() == 1) set(c, 0, x ? x->dtype : kUndefined, Dims(static_cast<std::size_t>(s->dims[0]), -1));
      return;
    }
    target = *v;
  }
  if (!x) return;
  const bool allowzero = c.node.attr_int("allowzero", 0) != 0;
  Dims out = target;
  std::int64_t infer_at = -1, known_product = 1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allowzero) {
      if (!x->rank_known || i >= x->dims.size()) return;
      out[i] = x->dims[i];
    }
    if (out[i] == -1) {
      if (infer_at >= 0) return;  // two -1: malformed
      infer_at = static_cast<std::int64_t>(i);
    } else if (out[i] < -1) {
      return;
    } else if (out[i] >= 0) {
      known_product *= std::max<std::int64_t>(out[i], 1);
    }
  }
  if (infer_at >= 0) {
    if (has_shape(x) && known_product > 0 && x->elements() % known_product == 0)
      out[static_cast<std::size_t>(infer_at)] = x->elements() / known_product;
    else
      out[static_cast<std::size_t>(infer_at)] = -1;
  }
  ValueState& o = set(c, 0, x->dtype, out);
  if (has_value(x) && o.shape_known() && o.elements() == x->elements()) set_value(c, o, *x->value);
}

void flatten_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  std::int64_t axis = c.node.attr_int("axis", 1);
  if (axis < 0) axis += static_cast<std::int64_t>(x->dims.size());
  if (axis < 0 || axis > static_cast<std::int64_t>(x->dims.size())) return;
  Dims a(x->dims.begin(), x->dims.begin() + axis), b(x->dims.begin() + axis, x->dims.end());
  ValueState& o = set(c, 0, x->dtype, {known(a) ? product(a) : -1, known(b) ? product(b) : -1});
  if (has_value(x)) set_value(c, o, *x->value);
}

void squeeze_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  auto axes = axes_of(c, 1);
  if (!axes) return;
  std::vector<bool> drop(x->dims.size(), false);
  if (axes->empty()) {
    for (std::size_t i = 0; i < x->dims.size(); ++i) {
      if (x->dims[i] < 0) return;  // cannot tell which dims are 1
      drop[i] = x->dims[i] == 1;
    }
  }
  for (auto a : *axes) {
    const auto k = norm_axis(a, x->dims.size());
    if (k < 0) return;
    drop[static_cast<std::size_t>(k)] = true;
  }
  Dims out;
  for (std::size_t i = 0; i < x->dims.size(); ++i)
    if (!drop[i]) out.push_back(x->dims[i]);
  ValueState& o = set(c, 0, x->dtype, out);
  if (has_value(x)) set_value(c, o, *x->value);
}

void unsqueeze_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  auto axes = axes_of(c, 1);
  if (!axes) return;
  const std::size_t rank = x->dims.size() + axes->size();
  std::vector<bool> inserted(rank, false);
  for (auto a : *axes) {
    const auto k = norm_axis(a, rank);
    if (k < 0 || inserted[static_cast<std::size_t>(k)]) return;
    inserted[static_cast<std::size_t>(k)] = true;
  }
  Dims out;
  std::size_t j = 0;
  for (std::size_t i = 0; i < rank; ++i) out.push_back(inserted[i] ? 1 : x->dims[j++]);
  ValueState& o = set(c, 0, x->dtype, out);
  if (has_value(x)) set_value(c, o, *x->value);
}

void transpose_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const std::size_t r = x->dims.size();
  Dims perm = c.node.attr_ints("perm");
  if (perm.empty())
    for (std::size_t i = 0; i < r; ++i) perm.push_back(static_cast<std::int64_t>(r - 1 - i));
  if (perm.size() != r) return;
  Dims out(r);
  std::vector<bool> seen(r, false);
  for (std::size_t i = 0; i < r; ++i) {
    const auto p = norm_axis(perm[i], r);
    if (p < 0 || seen[static_cast<std::size_t>(p)]) return;
    seen[static_cast<std::size_t>(p)] = true;
    out[i] = x->dims[static_cast<std::size_t>(p)];
  }
  ValueState& o = set(c, 0, x->dtype, out);
  if (has_value(x) && o.shape_known()) {
    const Dims is = strides_of(x->dims), os = strides_of(out);
    Values v(x->value->size());
    for (std::int64_t i = 0; i < o.elements(); ++i) {
      std::int64_t src = 0;
      for (std::size_t k = 0; k < r; ++k) src += ((i / os[k]) % out[k]) * is[static_cast<std::size_t>(norm_axis(perm[k], r))];
      v[static_cast<std::size_t>(i)] = (*x->value)[static_cast<std::size_t>(src)];
    }
    set_value(c, o, std::move(v));
  }
}

void concat_rule(RuleContext& c) {
  const ValueState* first = nullptr;
  for (auto* v : c.in) {
    if (!v) continue;
    if (!has_rank(v)) return;
    if (!first) first = v;
  }
  if (!first) return;
  const std::size_t r = first->dims.size();
  const auto axis = norm_axis(c.node.attr_int("axis", 0), r);
  if (axis < 0) return;
  Dims out = first->dims;
  out[static_cast<std::size_t>(axis)] = 0;
  for (auto* v : c.in) {
    if (!v) continue;
    if (v->dims.size() != r) return;
    auto& d = out[static_cast<std::size_t>(axis)];
    const auto vd = v->dims[static_cast<std::size_t>(axis)];
    d = (d < 0 || vd < 0) ? -1 : d + vd;
    for (std::size_t k = 0; k < r; ++k)
      if (static_cast<std::int64_t>(k) != axis && out[k] < 0) out[k] = v->dims[k];
  }
  ValueState& o = set(c, 0, first->dtype, out);
  if (!foldable(c, o)) return;
  for (auto* v : c.in)
    if (v && !has_value(v)) return;
  // Row-major concat: for each outer index, append each input's block along the axis.
  std::int64_t outer = 1;
  for (std::int64_t k = 0; k < axis; ++k) outer *= out[static_cast<std::size_t>(k)];
  Values acc;
  acc.reserve(static_cast<std::size_t>(o.elements()));
  for (std::int64_t i = 0; i < outer; ++i)
    for (auto* v : c.in) {
      if (!v || v->elements() == 0) continue;
      const std::int64_t block = v->elements() / outer;
      acc.insert(acc.end(), v->value->begin() + i * block, v->value->begin() + (i + 1) * block);
    }
  set_value(c, o, std::move(acc));
}

void gather_rule(RuleContext& c) {
  const ValueState *x = c.input(0), *idx = c.input(1);
  if (!has_rank(x) || !has_rank(idx)) return;
  const auto axis = norm_axis(c.node.attr_int("axis", 0), x->dims.size());
  if (axis < 0) return;
  Dims out(x->dims.begin(), x->dims.begin() + axis);
  out.insert(out.end(), idx->dims.begin(), idx->dims.end());
  out.insert(out.end(), x->dims.begin() + axis + 1, x->dims.end());
  ValueState& o = set(c, 0, x->dtype, out);
  if (has_value(x) && has_value(idx) && foldable(c, o)) {
    const std::int64_t axis_len = x->dims[static_cast<std::size_t>(axis)];
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t k = 0; k < axis; ++k) outer *= x->dims[static_cast<std::size_t>(k)];
    for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < x->dims.size(); ++k) inner *= x->dims[k];
    Values v;
    for (std::int64_t i = 0; i < outer; ++i)
      for (double jd : *idx->value) {
        auto j = static_cast<std::int64_t>(jd);
        if (j < 0) j += axis_len;
        if (j < 0 || j >= axis_len) return;
        for (std::int64_t k = 0; k < inner; ++k)
          v.push_back((*x->value)[static_cast<std::size_t>((i * axis_len + j) * inner + k)]);
      }
    set_value(c, o, std::move(v));
  }
}

void gather_nd_rule(RuleContext& c) {
  const ValueState *x = c.input(0), *idx = c.input(1);
  if (!has_rank(x) || !has_rank(idx) || idx->dims.empty()) return;
  const auto b = static_cast<std::size_t>(c.node.attr_int("batch_dims", 0));
  const std::int64_t last = idx->dims.back();
  if (last < 0 || b + static_cast<std::size_t>(last) > x->dims.size()) return;
  Dims out(idx->dims.begin(), idx->dims.end() - 1);
  out.insert(out.end(), x->dims.begin() + static_cast<std::ptrdiff_t>(b + static_cast<std::size_t>(last)), x->dims.end());
  set(c, 0, x->dtype, out);
}

void slice_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  std::optional<Dims> starts, ends, axes, steps;
  if (c.opset < 10) {
    starts = c.node.attr_ints("starts");
    ends = c.node.attr_ints("ends");
    axes = c.node.attr_ints("axes");
    steps = Dims{};
  } else {
    starts = int_values(c.input(1));
    ends = int_values(c.input(2));
    axes = c.node.has_input(3) ? int_values(c.input(3)) : Dims{};
    steps = c.node.has_input(4) ? int_values(c.input(4)) : Dims{};
  }
  const std::size_t r = x->dims.size();
  if (!starts || !ends || !axes || !steps) {
    // The sliced axes are unknown: keep the rank, and dims that cannot change.
    if (axes && !axes->empty()) {
      Dims out = x->dims;
      for (auto a : *axes) {
        const auto k = norm_axis(a, r);
        if (k < 0) return;
        out[static_cast<std::size_t>(k)] = -1;
      }
      set(c, 0, x->dtype, out);
    } else {
      set(c, 0, x->dtype, Dims(r, -1));
    }
    return;
  }
  if (starts->size() != ends->size()) return;
  if (axes->empty())
    for (std::size_t i = 0; i < starts->size(); ++i) axes->push_back(static_cast<std::int64_t>(i));
  if (steps->empty()) steps->assign(starts->size(), 1);
  if (axes->size() != starts->size() || steps->size() != starts->size()) return;
  Dims out = x->dims;
  Dims begin(r, 0), step(r, 1);
  for (std::size_t i = 0; i < r; ++i) out[i] = x->dims[i];
  for (std::size_t i = 0; i < starts->size(); ++i) {
    const auto k = norm_axis((*axes)[i], r);
    if (k < 0 || (*steps)[i] == 0) return;
    const std::int64_t dim = x->dims[static_cast<std::size_t>(k)];
    if (dim < 0) { out[static_cast<std::size_t>(k)] = -1; continue; }
    std::int64_t s = (*starts)[i], e = (*ends)[i];
    const std::int64_t st = (*steps)[i];
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (st > 0) {
      s = std::clamp<std::int64_t>(s, 0, dim);
      e = std::clamp<std::int64_t>(e, 0, dim);
      out[static_cast<std::size_t>(k)] = e > s ? (e - s + st - 1) / st : 0;
    } else {
      s = std::clamp<std::int64_t>(s, 0, dim - 1);
      e = std::clamp<std::int64_t>(e, -1, dim - 1);
      out[static_cast<std::size_t>(k)] = s > e ? (s - e - st - 1) / (-st) : 0;
    }
    begin[static_cast<std::size_t>(k)] = s;
    step[static_cast<std::size_t>(k)] = st;
  }
  ValueState& o = set(c, 0, x->dtype, out);
  if (has_value(x) && foldable(c, o)) {
    const Dims is = strides_of(x->dims), os = strides_of(out);
    Values v(static_cast<std::size_t>(o.elements()));
    for (std::int64_t i = 0; i < o.elements(); ++i) {
      std::int64_t src = 0;
      for (std::size_t k = 0; k < r; ++k) src += (begin[k] + ((i / os[k]) % out[k]) * step[k]) * is[k];
      v[static_cast<std::size_t>(i)] = (*x->value)[static_cast<std::size_t>(src)];
    }
    set_value(c, o, std::move(v));
  }
}

void split_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const auto axis = norm_axis(c.node.attr_int("axis", 0), x->dims.size());
  if (axis < 0) return;
  std::optional<Dims> parts;
  if (const Attribute* a = c.node.attr("split")) parts = a->ints;
  else if (c.node.has_input(1)) parts = int_values(c.input(1));
  const std::int64_t dim = x->dims[static_cast<std::size_t>(axis)];
  const std::size_t n = c.out.size();
  if (!parts || parts->empty()) {
    if (!parts && c.node.has_input(1)) return;
    parts = Dims();
    if (dim < 0 || n == 0) {
      parts->assign(n, -1);
    } else {
      const std::int64_t chunk = (dim + static_cast<std::int64_t>(n) - 1) / static_cast<std::int64_t>(n);
      for (std::size_t i = 0; i < n; ++i)
        parts->push_back(std::max<std::int64_t>(0, std::min(chunk, dim - chunk * static_cast<std::int64_t>(i))));
    }
  }
  if (parts->size() != n) return;
  for (std::size_t i = 0; i < n; ++i) {
    Dims d = x->dims;
    d[static_cast<std::size_t>(axis)] = (*parts)[i];
    set(c, i, x->dtype, d);
  }
}

void expand_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  auto shape = int_values(c.input(1));
  if (!has_rank(x)) return;
  if (!shape) {
    const ValueState* s = c.input(1);
    if (has_shape(s) && s->dims.size() == 1)
      set(c, 0, x->dtype, Dims(std::max<std::size_t>(x->dims.size(), static_cast<std::size_t>(s->dims[0])), -1));
    return;
  }
  auto out = broadcast_shapes(x->dims, *shape);
  if (!out) return;
  ValueState& o = set(c, 0, x->dtype, *out);
  if (has_value(x) && foldable(c, o)) {
    Values v(static_cast<std::size_t>(o.elements()));
    for (std::int64_t i = 0; i < o.elements(); ++i) v[static_cast<std::size_t>(i)] = broadcast_at(*x->value, x->dims, o.dims, i);
    set_value(c, o, std::move(v));
  }
}

void tile_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  auto reps = int_values(c.input(1));
  if (!has_rank(x)) return;
  if (!reps || reps->size() != x->dims.size()) { set(c, 0, x->dtype, Dims(x->dims.size(), -1)); return; }
  Dims out = x->dims;
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = out[i] < 0 ? -1 : out[i] * (*reps)[i];
  set(c, 0, x->dtype, out);
}

void pad_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  std::optional<Dims> pads;
  if (c.opset < 11) pads = c.node.attr_ints("pads");
  else pads = int_values(c.input(1));
  const std::size_t r = x->dims.size();
  Dims out = x->dims;
  if (!pads) { set(c, 0, x->dtype, Dims(r, -1)); return; }
  Dims axes;
  if (c.node.has_input(3)) {
    auto a = int_values(c.input(3));
    if (!a) { set(c, 0, x->dtype, Dims(r, -1)); return; }
    axes = *a;
  } else {
    for (std::size_t i = 0; i < r; ++i) axes.push_back(static_cast<std::int64_t>(i));
  }
  if (pads->size() != 2 * axes.size()) return;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const auto k = norm_axis(axes[i], r);
    if (k < 0) return;
    auto& d = out[static_cast<std::size_t>(k)];
    if (d >= 0) d += (*pads)[i] + (*pads)[i + axes.size()];
  }
  set(c, 0, x->dtype, out);
}

void constant_of_shape_rule(RuleContext& c) {
  auto shape = int_values(c.input(0));
  int dtype = kFloat;
  double fill = 0;
  if (const Attribute* a = c.node.attr("value"); a && !a->tensors.empty()) {
    dtype = a->tensors[0].dtype;
    if (auto v = a->tensors[0].values(1); v && !v->empty()) fill = (*v)[0];
  }
  if (!shape) {
    const ValueState* s = c.input(0);
    if (has_shape(s) && s->dims.size() == 1) set(c, 0, dtype, Dims(static_cast<std::size_t>(s->dims[0]), -1));
    return;
  }
  for (auto d : *shape)
    if (d < 0) return;
  ValueState& o = set(c, 0, dtype, *shape);
  if (foldable(c, o)) set_value(c, o, Values(static_cast<std::size_t>(o.elements()), fill));
}

void constant_rule(RuleContext& c) {
  for (const auto& a : c.node.attributes) {
    if (a.name == "value" || a.name == "sparse_value") {
      if (a.tensors.empty()) return;
      const Tensor& t = a.tensors[0];
      ValueState& o = set(c, 0, t.dtype, t.dims);
      if (a.name == "value" && t.elements() >= 0 && t.elements() <= c.constant_limit)
        if (auto v = t.values(c.constant_limit)) set_value(c, o, std::move(*v));
    } else if (a.name == "value_float") {
      set_value(c, set(c, 0, kFloat, {}), {a.f});
    } else if (a.name == "value_int") {
      set_value(c, set(c, 0, kInt64, {}), {static_cast<double>(a.i)});
    } else if (a.name == "value_floats") {
      set_value(c, set(c, 0, kFloat, {static_cast<std::int64_t>(a.floats.size())}), a.floats);
    } else if (a.name == "value_ints") {
      set_value(c, set(c, 0, kInt64, {static_cast<std::int64_t>(a.ints.size())}), Values(a.ints.begin(), a.ints.end()));
    } else if (a.name == "value_string") {
      set(c, 0, kString, {});
    } else if (a.name == "value_strings") {
      set(c, 0, kString, {static_cast<std::int64_t>(a.strings.size())});
    }
  }
}

void range_rule(RuleContext& c) {
  const ValueState *s = c.input(0), *l = c.input(1), *d = c.input(2);
  const int dtype = s ? s->dtype : kUndefined;
  if (!has_value(s) || !has_value(l) || !has_value(d) || (*d->value)[0] == 0) {
    set(c, 0, dtype, {-1});
    return;
  }
  const double start = (*s->value)[0], limit = (*l->value)[0], delta = (*d->value)[0];
  const double count = std::max(std::ceil((limit - start) / delta), 0.0);
  if (count > 1e15) return;
  ValueState& o = set(c, 0, dtype, {static_cast<std::int64_t>(count)});
  if (count <= static_cast<double>(c.constant_limit)) {
    Values v;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i) v.push_back(start + static_cast<double>(i) * delta);
    set_value(c, o, std::move(v));
  }
}

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

// Spatial output size of a sliding window (Conv, pooling), with auto_pad and ceil_mode.
std::int64_t window_out(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dil,
                        std::int64_t pad_total, const std::string& auto_pad, bool ceil_mode) {
  if (in < 0 || k < 0) return -1;
  if (stride <= 0) return -1;
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") return (in + stride - 1) / stride;
  const std::int64_t eff = dil * (k - 1) + 1;
  std::int64_t span = in + (auto_pad == "VALID" ? 0 : pad_total) - eff;
  if (span < 0) return -1;
  std::int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // ceil_mode: the last window must start inside the (left-padded) input.
  if (ceil_mode && auto_pad != "VALID" && (out - 1) * stride >= in + pad_total / 2) --out;
  return out;
}

void window_dims(const RuleContext& c, const Dims& in_spatial, const Dims& kernel, Dims& out, bool ceil_mode) {
  const std::size_t n = in_spatial.size();
  Dims strides = c.node.attr_ints("strides"), dil = c.node.attr_ints("dilations"), pads = c.node.attr_ints("pads");
  strides.resize(n, 1);
  dil.resize(n, 1);
  pads.resize(2 * n, 0);
  const std::string auto_pad = c.node.attr_string("auto_pad", "NOTSET");
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(window_out(in_spatial[i], i < kernel.size() ? kernel[i] : -1, strides[i], dil[i],
                             pads[i] + pads[i + n], auto_pad, ceil_mode));
}

void conv_rule(RuleContext& c, std::size_t x_index = 0, std::size_t w_index = 1, int out_dtype = -1) {
  const ValueState *x = c.input(x_index), *w = c.input(w_index);
  if (!has_rank(x) || !has_rank(w) || x->dims.size() < 3 || w->dims.size() != x->dims.size()) return;
  Dims kernel = c.node.attr_ints("kernel_shape");
  if (kernel.empty()) kernel.assign(w->dims.begin() + 2, w->dims.end());
  Dims out{x->dims[0], w->dims[0]};
  window_dims(c, Dims(x->dims.begin() + 2, x->dims.end()), kernel, out, false);
  set(c, 0, out_dtype >= 0 ? out_dtype : x->dtype, out);
}

void conv_transpose_rule(RuleContext& c) {
  const ValueState *x = c.input(0), *w = c.input(1);
  if (!has_rank(x) || !has_rank(w) || x->dims.size() < 3 || w->dims.size() != x->dims.size()) return;
  const std::size_t n = x->dims.size() - 2;
  const std::int64_t group = c.node.attr_int("group", 1);
  Dims out{x->dims[0], w->dims[1] < 0 ? -1 : w->dims[1] * group};
  Dims explicit_out = c.node.attr_ints("output_shape");
  Dims kernel = c.node.attr_ints("kernel_shape");
  if (kernel.empty()) kernel.assign(w->dims.begin() + 2, w->dims.end());
  Dims strides = c.node.attr_ints("strides"), dil = c.node.attr_ints("dilations"),
       pads = c.node.attr_ints("pads"), opad = c.node.attr_ints("output_padding");
  strides.resize(n, 1); dil.resize(n, 1); pads.resize(2 * n, 0); opad.resize(n, 0); kernel.resize(n, -1);
  const std::string auto_pad = c.node.attr_string("auto_pad", "NOTSET");
  for (std::size_t i = 0; i < n; ++i) {
    if (explicit_out.size() == n) { out.push_back(explicit_out[i]); continue; }
    if (explicit_out.size() == n + 2) { out.push_back(explicit_out[i + 2]); continue; }
    const std::int64_t in = x->dims[i + 2];
    if (in < 0 || kernel[i] < 0) { out.push_back(-1); continue; }
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") { out.push_back(in * strides[i]); continue; }
    const std::int64_t pad = auto_pad == "VALID" ? 0 : pads[i] + pads[i + n];
    out.push_back(strides[i] * (in - 1) + opad[i] + ((kernel[i] - 1) * dil[i] + 1) - pad);
  }
  set(c, 0, x->dtype, out);
}

void pool_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x) || x->dims.size() < 3) return;
  const Dims kernel = c.node.attr_ints("kernel_shape");
  Dims out{x->dims[0], x->dims[1]};
  window_dims(c, Dims(x->dims.begin() + 2, x->dims.end()), kernel, out, c.node.attr_int("ceil_mode", 0) != 0);
  set(c, 0, x->dtype, out);
  if (c.out.size() > 1) set(c, 1, kInt64, out);  // MaxPool indices
}

void global_pool_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x) || x->dims.size() < 2) return;
  Dims out = x->dims;
  for (std::size_t i = 2; i < out.size(); ++i) out[i] = 1;
  set(c, 0, x->dtype, out);
}

void resize_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  const std::size_t r = x->dims.size();
  std::optional<Values> scales;
  std::optional<Dims> sizes;
  if (c.node.op_type == "Upsample") {
    if (const Attribute* a = c.node.attr("scales")) scales = a->floats;
    else if (has_value(c.input(1))) scales = *c.input(1)->value;
  } else if (c.opset < 11) {
    if (has_value(c.input(1))) scales = *c.input(1)->value;
  } else {
    const ValueState *sc = c.input(2), *sz = c.input(3);
    if (has_value(sz) && !sz->value->empty()) sizes = int_values(sz);
    else if (has_value(sc) && !sc->value->empty()) scales = *sc->value;
  }
  Dims axes = c.node.attr_ints("axes");
  if (axes.empty())
    for (std::size_t i = 0; i < r; ++i) axes.push_back(static_cast<std::int64_t>(i));
  Dims out = x->dims;
  if (sizes && sizes->size() == axes.size()) {
    // keep_aspect_ratio_policy (opset 18) changes sizes; "stretch" (the default) keeps them.
    if (c.node.attr_string("keep_aspect_ratio_policy", "stretch") != "stretch") { set(c, 0, x->dtype, Dims(r, -1)); return; }
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto k = norm_axis(axes[i], r);
      if (k < 0) return;
      out[static_cast<std::size_t>(k)] = (*sizes)[i];
    }
  } else if (scales && scales->size() == axes.size()) {
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto k = norm_axis(axes[i], r);
      if (k < 0) return;
      auto& d = out[static_cast<std::size_t>(k)];
      if (d >= 0) d = static_cast<std::int64_t>(std::floor(static_cast<double>(d) * (*scales)[i] + 1e-9));
    }
  } else {
    out.assign(r, -1);
  }
  set(c, 0, x->dtype, out);
}

// DepthToSpace: [N, C, H, W] -> [N, C/b², H·b, W·b]; SpaceToDepth the inverse.
void depth_space_rule(RuleContext& c, bool to_space) {
  const ValueState* x = c.input(0);
  const std::int64_t b = c.node.attr_int("blocksize", 1);
  if (!has_rank(x) || x->dims.size() != 4 || b <= 0 || b > (1 << 16)) return;
  const Dims& d = x->dims;
  auto up = [&](std::int64_t v, std::int64_t f) { return v < 0 ? -1 : v * f; };
  auto down = [&](std::int64_t v, std::int64_t f) { return v < 0 ? -1 : v / f; };
  if (to_space) set(c, 0, x->dtype, {d[0], down(d[1], b * b), up(d[2], b), up(d[3], b)});
  else set(c, 0, x->dtype, {d[0], up(d[1], b * b), down(d[2], b), down(d[3], b)});
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

// LSTM / GRU / RNN: Y [seq, dirs, batch, hidden], Y_h and Y_c [dirs, batch, hidden] (layout 0).
void recurrent_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x) || x->dims.size() != 3) return;
  const std::int64_t hidden = c.node.attr_int("hidden_size", -1);
  const std::int64_t dirs = c.node.attr_string("direction", "forward") == "bidirectional" ? 2 : 1;
  const bool batch_first = c.node.attr_int("layout", 0) == 1;
  const std::int64_t seq = batch_first ? x->dims[1] : x->dims[0], batch = batch_first ? x->dims[0] : x->dims[1];
  set(c, 0, x->dtype, batch_first ? Dims{batch, seq, dirs, hidden} : Dims{seq, dirs, batch, hidden});
  for (std::size_t i = 1; i < c.out.size(); ++i)
    set(c, i, x->dtype, batch_first ? Dims{batch, dirs, hidden} : Dims{dirs, batch, hidden});
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

void norm_rule(RuleContext& c) {
  same_shape(c);
  // LayerNormalization's optional Mean and InvStdDev: reduced over axis.. with dims kept as 1.
  const ValueState* x = c.input(0);
  if (c.node.op_type == "LayerNormalization" && has_rank(x) && c.out.size() > 1) {
    const auto axis = norm_axis(c.node.attr_int("axis", -1), x->dims.size());
    if (axis < 0) return;
    Dims d = x->dims;
    for (std::size_t i = static_cast<std::size_t>(axis); i < d.size(); ++i) d[i] = 1;
    for (std::size_t i = 1; i < c.out.size(); ++i) set(c, i, kFloat, d);
  }
  if (c.node.op_type == "BatchNormalization" && c.out.size() > 1 && has_rank(c.input(3)))
    for (std::size_t i = 1; i < c.out.size(); ++i) set(c, i, c.input(3)->dtype, c.input(3)->dims);
}

void dropout_rule(RuleContext& c) {
  same_shape(c);
  if (c.input(0) && c.input(0)->value && !c.out.empty()) c.out[0].value = c.input(0)->value;
  if (c.out.size() > 1 && has_rank(c.input(0))) set(c, 1, kBool, c.input(0)->dims);
}

void onehot_rule(RuleContext& c) {
  const ValueState *idx = c.input(0), *depth = c.input(1), *vals = c.input(2);
  if (!has_rank(idx)) return;
  auto d = int_values(depth);
  Dims out = idx->dims;
  const std::int64_t axis = c.node.attr_int("axis", -1);
  const auto pos = norm_axis(axis, out.size() + 1);
  if (pos < 0) return;
  out.insert(out.begin() + pos, (d && d->size() == 1) ? (*d)[0] : -1);
  set(c, 0, vals ? vals->dtype : kFloat, out);
}

void nonzero_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  set(c, 0, kInt64, {static_cast<std::int64_t>(x->dims.size()), -1});  // count is data-dependent
}

void grid_sample_rule(RuleContext& c) {
  const ValueState *x = c.input(0), *g = c.input(1);
  if (!has_rank(x) || !has_rank(g) || x->dims.size() < 3 || g->dims.size() != x->dims.size()) return;
  Dims out{x->dims[0], x->dims[1]};
  out.insert(out.end(), g->dims.begin() + 1, g->dims.end() - 1);
  set(c, 0, x->dtype, out);
}

void roi_align_rule(RuleContext& c) {
  const ValueState *x = c.input(0), *rois = c.input(1);
  if (!has_rank(x) || !has_rank(rois) || x->dims.size() != 4 || rois->dims.size() != 2) return;
  set(c, 0, x->dtype, {rois->dims[0], x->dims[1], c.node.attr_int("output_height", 1), c.node.attr_int("output_width", 1)});
}

void eyelike_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  set(c, 0, static_cast<int>(c.node.attr_int("dtype", x->dtype)), x->dims);
}

void quantize_rule(RuleContext& c) {
  int dtype = kUint8;
  if (const ValueState* zp = c.input(2)) dtype = zp->dtype;
  same_shape(c, static_cast<int>(c.node.attr_int("output_dtype", 0)) ? static_cast<int>(c.node.attr_int("output_dtype", 0)) : dtype);
}

void dynamic_quantize_rule(RuleContext& c) {
  same_shape(c, kUint8);
  set(c, 1, kFloat, {});
  set(c, 2, kUint8, {});
}

// NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: the loss per target element with
// reduction "none", a scalar otherwise; SCE's optional second output is the log-probabilities.
void loss_rule(RuleContext& c) {
  const ValueState *x = c.input(0), *target = c.input(1);
  if (!has_rank(x)) return;
  if (c.node.attr_string("reduction", "mean") == "none") {
    if (has_rank(target)) set(c, 0, x->dtype, target->dims);
  } else {
    set(c, 0, x->dtype, {});
  }
  if (c.out.size() > 1) set(c, 1, x->dtype, x->dims);
}

// Det: a batch of square matrices [*, M, M] gives [*].
void det_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x) || x->dims.size() < 2) return;
  set(c, 0, x->dtype, Dims(x->dims.begin(), x->dims.end() - 2));
}

// MaxUnpool: output_shape input when given, else (in − 1) × stride + kernel − pads per axis.
void max_unpool_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x) || x->dims.size() < 3) return;
  if (c.node.has_input(2)) {
    auto shape = int_values(c.input(2));
    set(c, 0, x->dtype, shape ? *shape : Dims(x->dims.size(), -1));
    return;
  }
  const std::size_t n = x->dims.size() - 2;
  Dims k = c.node.attr_ints("kernel_shape"), st = c.node.attr_ints("strides"), pads = c.node.attr_ints("pads");
  k.resize(n, -1); st.resize(n, 1); pads.resize(2 * n, 0);
  Dims out{x->dims[0], x->dims[1]};
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t in = x->dims[i + 2];
    out.push_back(in < 0 || k[i] < 0 ? -1 : (in - 1) * st[i] + k[i] - pads[i] - pads[i + n]);
  }
  set(c, 0, x->dtype, out);
}

// Window functions: a 1-D window whose length is the (constant) size input.
void window_rule(RuleContext& c) {
  auto size = int_values(c.input(0));
  const int dtype = static_cast<int>(c.node.attr_int("output_datatype", kFloat));
  set(c, 0, dtype, {(size && size->size() == 1) ? (*size)[0] : -1});
}

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

using Rule = std::function<void(RuleContext&)>;

const std::unordered_map<std::string, Rule>& rules() {
  static const std::unordered_map<std::string, Rule> table = [] {
    std::unordered_map<std::string, Rule> t;
    auto plain = [](RuleContext& c) { same_shape(c); };
    for (const char* op : {"Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
                           "Softplus", "Softsign", "Gelu", "Erf", "Exp", "Log", "Sin", "Cos", "Tan", "Asin",
                           "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Softmax", "LogSoftmax",
                           "Hardmax", "Clip", "Celu", "ThresholdedRelu", "Shrink", "Mish", "LpNormalization",
                           "InstanceNormalization", "LRN", "GroupNormalization", "MeanVarianceNormalization",
                           "CumSum", "Trilu", "BitwiseNot", "ReverseSequence", "ScatterND", "ScatterElements",
                           "Scatter", "Round", "Sign", "Erf", "Bernoulli", "CenterCropPad", "Col2Im",
                           "RandomNormalLike", "RandomUniformLike", "SequenceEmpty"})
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
    t["Cast"] = cast_rule;
    t["CastLike"] = [](RuleContext& c) { unary(c, [](double x) { return x; }, in_dtype(c, 1)); };
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
    t["Where"] = where_rule;
    t["Shape"] = shape_rule;
    t["Size"] = size_rule;
    t["Reshape"] = reshape_rule;
    t["Flatten"] = flatten_rule;
    t["Squeeze"] = squeeze_rule;
    t["Unsqueeze"] = unsqueeze_rule;
    t["Transpose"] = transpose_rule;
    t["Concat"] = concat_rule;
    t["Gather"] = gather_rule;
    t["GatherElements"] = [](RuleContext& c) {
      if (has_rank(c.input(0)) && has_rank(c.input(1))) set(c, 0, c.input(0)->dtype, c.input(1)->dims);
    };
    t["GatherND"] = gather_nd_rule;
    t["Slice"] = slice_rule;
    t["Split"] = split_rule;
    t["Expand"] = expand_rule;
    t["Tile"] = tile_rule;
    t["Pad"] = pad_rule;
    t["ConstantOfShape"] = constant_of_shape_rule;
    t["Constant"] = constant_rule;
    t["Range"] = range_rule;
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
    t["Conv"] = [](RuleContext& c) { conv_rule(c); };
    t["ConvInteger"] = [](RuleContext& c) { conv_rule(c, 0, 1, kInt32); };
    t["QLinearConv"] = [](RuleContext& c) { conv_rule(c, 0, 3, in_dtype(c, 7)); };
    t["ConvTranspose"] = conv_transpose_rule;
    t["DeformConv"] = [](RuleContext& c) { conv_rule(c); };
    for (const char* op : {"MaxPool", "AveragePool", "LpPool"}) t[op] = pool_rule;
    for (const char* op : {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"}) t[op] = global_pool_rule;
    t["MaxRoiPool"] = [](RuleContext& c) {
      const ValueState *x = c.input(0), *rois = c.input(1);
      const Dims ps = c.node.attr_ints("pooled_shape");
      if (has_rank(x) && has_rank(rois) && x->dims.size() == 4 && rois->dims.size() == 2 && ps.size() == 2)
        set(c, 0, x->dtype, {rois->dims[0], x->dims[1], ps[0], ps[1]});
    };
    t["Resize"] = resize_rule;
    t["Upsample"] = resize_rule;
    t["DepthToSpace"] = [](RuleContext& c) { depth_space_rule(c, true); };
    t["SpaceToDepth"] = [](RuleContext& c) { depth_space_rule(c, false); };
    t["Einsum"] = einsum_rule;
    for (const char* op : {"LSTM", "GRU", "RNN"}) t[op] = recurrent_rule;
    t["TopK"] = topk_rule;
    for (const char* op : {"BatchNormalization", "LayerNormalization"}) t[op] = norm_rule;
    t["Dropout"] = dropout_rule;
    t["OneHot"] = onehot_rule;
    t["NonZero"] = nonzero_rule;
    t["NonMaxSuppression"] = [](RuleContext& c) { set(c, 0, kInt64, {-1, 3}); };
    t["GridSample"] = grid_sample_rule;
    t["RoiAlign"] = roi_align_rule;
    t["EyeLike"] = eyelike_rule;
    t["QuantizeLinear"] = quantize_rule;
    t["DequantizeLinear"] = [](RuleContext& c) { same_shape(c, kFloat); };
    t["DynamicQuantizeLinear"] = dynamic_quantize_rule;
    t["NegativeLogLikelihoodLoss"] = loss_rule;
    t["SoftmaxCrossEntropyLoss"] = loss_rule;
    t["Det"] = det_rule;
    t["MaxUnpool"] = max_unpool_rule;
    for (const char* op : {"HannWindow", "HammingWindow", "BlackmanWindow"}) t[op] = window_rule;
    t["RandomNormal"] = [](RuleContext& c) { set(c, 0, static_cast<int>(c.node.attr_int("dtype", kFloat)), c.node.attr_ints("shape")); };
    t["RandomUniform"] = t["RandomNormal"];
    return t;
  }();
  return table;
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
  const auto& table = rules();
  auto it = table.find(ctx.node.op_type);
  if (it == table.end()) return RuleResult::kUnknownOp;
  it->second(ctx);
  return RuleResult::kApplied;
}

}  // namespace sml::graph
