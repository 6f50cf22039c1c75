// Shape rules: shapes, reshaping, indexing, slicing, padding, resizing (the ops that move data
// without arithmetic), with their constant folding.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "shape_rules_common.hpp"

namespace sml::graph::rules {
namespace {

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
  bool unknown_copy = false, zero_dim = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allowzero) {
      if (!x->rank_known || i >= x->dims.size()) return;
      out[i] = x->dims[i];
      if (out[i] < 0) { unknown_copy = true; continue; }  // copied, not to be inferred
    }
    if (out[i] == -1) {
      if (infer_at >= 0) return;  // two -1: malformed
      infer_at = static_cast<std::int64_t>(i);
    } else if (out[i] < -1) {
      return;
    } else {
      zero_dim = zero_dim || out[i] == 0;
      known_product *= std::max<std::int64_t>(out[i], 1);
    }
  }
  // The element count must survive the reshape: a target that does not hold the input's elements
  // (a batch of 1 baked into the target of an 8-sample input) is refused, not counted.
  const std::int64_t n = x->elements();
  auto refuse = [&](const std::string& why) {
    c.fail("cannot reshape " + x->shape_string() + " (" + std::to_string(n) + " elements) to [" + dims_text(target) + "]: " + why);
  };
  if (infer_at >= 0) {
    if (has_shape(x) && !unknown_copy && !zero_dim && known_product > 0 && n % known_product != 0)
      return refuse(std::to_string(n) + " is not a multiple of " + std::to_string(known_product));
    if (has_shape(x) && known_product > 0 && !zero_dim && n % known_product == 0 && !unknown_copy)
      out[static_cast<std::size_t>(infer_at)] = n / known_product;
    else
      out[static_cast<std::size_t>(infer_at)] = -1;
  } else if (has_shape(x) && known(out) && product(out) >= 0 && product(out) != n) {
    return refuse("that holds " + std::to_string(product(out)) + " elements");
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
  // Every input has the same rank and the same dims off the axis; unknown dims cannot be checked.
  for (auto* v : c.in) {
    if (!v) continue;
    if (v->dims.size() != r)
      return c.fail("inputs of rank " + std::to_string(r) + " and " + std::to_string(v->dims.size()) + " (" + first->shape_string() +
                    ", " + v->shape_string() + ")");
    auto& d = out[static_cast<std::size_t>(axis)];
    const auto vd = v->dims[static_cast<std::size_t>(axis)];
    d = (d < 0 || vd < 0) ? -1 : d + vd;
    for (std::size_t k = 0; k < r; ++k) {
      if (static_cast<std::int64_t>(k) == axis) continue;
      if (out[k] >= 0 && v->dims[k] >= 0 && out[k] != v->dims[k])
        return c.fail("inputs " + first->shape_string() + " and " + v->shape_string() + " differ in dim " + std::to_string(k) +
                      ", off the concatenation axis " + std::to_string(axis));
      if (out[k] < 0) out[k] = v->dims[k];
    }
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
  if (!out) return c.fail("cannot expand " + x->shape_string() + " to [" + dims_text(*shape) + "]: dims differ and neither is 1");
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
  if (reps && reps->size() != x->dims.size())
    return c.fail("repeats [" + dims_text(*reps) + "] do not match the rank " + std::to_string(x->dims.size()) + " of its input " +
                  x->shape_string());
  if (reps && std::any_of(reps->begin(), reps->end(), [](std::int64_t r) { return r < 0; }))
    return c.fail("negative repeats [" + dims_text(*reps) + "]");
  if (!reps) { set(c, 0, x->dtype, Dims(x->dims.size(), -1)); return; }
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
      const double scale = (*scales)[i];
      // NaN, negative or huge scales have no output size (converting them is undefined): refused.
      if (!std::isfinite(scale) || scale < 0 || (d >= 0 && static_cast<double>(d) * scale > 4.5e15))
        return c.fail("scale " + std::to_string(scale) + " on axis " + std::to_string(k) + " gives no valid output size");
      if (d >= 0) d = static_cast<std::int64_t>(std::floor(static_cast<double>(d) * scale + 1e-9));
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

}  // namespace

void add_tensor_rules(RuleTable& t) {
  auto plain = [](RuleContext& c) { same_shape(c); };
  for (const char* op : {"ReverseSequence", "ScatterND", "ScatterElements", "Scatter", "CenterCropPad", "SequenceEmpty"})
    t[op] = plain;
  t["Cast"] = cast_rule;
  t["CastLike"] = [](RuleContext& c) { unary(c, [](double x) { return x; }, in_dtype(c, 1)); };
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
  t["Resize"] = resize_rule;
  t["Upsample"] = resize_rule;
  t["DepthToSpace"] = [](RuleContext& c) { depth_space_rule(c, true); };
  t["SpaceToDepth"] = [](RuleContext& c) { depth_space_rule(c, false); };
  t["OneHot"] = onehot_rule;
  t["NonZero"] = nonzero_rule;
}

}  // namespace sml::graph::rules
