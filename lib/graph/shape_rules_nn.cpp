// Shape rules: convolution, pooling, normalisation, dropout, recurrent layers, detection ops, losses,
// quantisation.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "shape_rules_common.hpp"

namespace sml::graph::rules {
namespace {

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

}  // namespace

void add_nn_rules(RuleTable& t) {
  auto plain = [](RuleContext& c) { same_shape(c); };
  for (const char* op : {"LpNormalization", "InstanceNormalization", "LRN", "GroupNormalization",
                         "MeanVarianceNormalization", "Col2Im"})
    t[op] = plain;
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
  for (const char* op : {"LSTM", "GRU", "RNN"}) t[op] = recurrent_rule;
  for (const char* op : {"BatchNormalization", "LayerNormalization"}) t[op] = norm_rule;
  t["Dropout"] = dropout_rule;
  t["NonMaxSuppression"] = [](RuleContext& c) { set(c, 0, kInt64, {-1, 3}); };
  t["GridSample"] = grid_sample_rule;
  t["RoiAlign"] = roi_align_rule;
  t["QuantizeLinear"] = quantize_rule;
  t["DequantizeLinear"] = [](RuleContext& c) { same_shape(c, kFloat); };
  t["DynamicQuantizeLinear"] = dynamic_quantize_rule;
  t["NegativeLogLikelihoodLoss"] = loss_rule;
  t["SoftmaxCrossEntropyLoss"] = loss_rule;
  t["MaxUnpool"] = max_unpool_rule;
}

}  // namespace sml::graph::rules
