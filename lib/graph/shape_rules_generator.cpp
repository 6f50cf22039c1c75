// Shape rules: Constant, ConstantOfShape, Range, EyeLike, random tensors and window functions.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "shape_rules_common.hpp"

namespace sml::graph::rules {
namespace {

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
  // Kept as (count, fill) until read; an integer type's fill truncated, as set_value does each element.
  if (foldable(c, o)) o.value = FoldedValues::repeated(static_cast<std::size_t>(o.elements()), is_int_type(dtype) ? std::trunc(fill) : fill);
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
  const double span = std::ceil((limit - start) / delta);
  // A NaN or infinite start, limit or delta has no element count (converting it is undefined).
  if (!std::isfinite(span))
    return c.fail("start " + std::to_string(start) + ", limit " + std::to_string(limit) + " and delta " + std::to_string(delta) +
                  " give no finite element count");
  const double count = std::max(span, 0.0);
  if (count > 1e15) return;
  ValueState& o = set(c, 0, dtype, {static_cast<std::int64_t>(count)});
  if (count <= static_cast<double>(c.constant_limit)) {
    Values v;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i) v.push_back(start + static_cast<double>(i) * delta);
    set_value(c, o, std::move(v));
  }
}

void eyelike_rule(RuleContext& c) {
  const ValueState* x = c.input(0);
  if (!has_rank(x)) return;
  set(c, 0, static_cast<int>(c.node.attr_int("dtype", x->dtype)), x->dims);
}

// Window functions: a 1-D window whose length is the (constant) size input.
void window_rule(RuleContext& c) {
  auto size = int_values(c.input(0));
  const int dtype = static_cast<int>(c.node.attr_int("output_datatype", kFloat));
  set(c, 0, dtype, {(size && size->size() == 1) ? (*size)[0] : -1});
}

}  // namespace

void add_generator_rules(RuleTable& t) {
  auto plain = [](RuleContext& c) { same_shape(c); };
  for (const char* op : {"Bernoulli", "RandomNormalLike", "RandomUniformLike"}) t[op] = plain;
  t["ConstantOfShape"] = constant_of_shape_rule;
  t["Constant"] = constant_rule;
  t["Range"] = range_rule;
  t["EyeLike"] = eyelike_rule;
  for (const char* op : {"HannWindow", "HammingWindow", "BlackmanWindow"}) t[op] = window_rule;
  t["RandomNormal"] = [](RuleContext& c) { set(c, 0, static_cast<int>(c.node.attr_int("dtype", kFloat)), c.node.attr_ints("shape")); };
  t["RandomUniform"] = t["RandomNormal"];
}

}  // namespace sml::graph::rules
