// Detection cores: necks that merge feature maps of several resolutions (FPN, YOLOv5's
// upsample/concat PAN, C3 and SPPF blocks) and multi-scale heads (SSD/SSDlite, YOLOv5's Detect,
// RetinaNet, FCOS). Heads read several earlier feature maps by name (`features: c4,c5,x1`, or
// the name of a core that produced several levels, such as an FPN) and write one output per
// kind of prediction: class scores first (`output`), box offsets next (`output_2`), then any
// further map (FCOS's centerness, `output_3`). Anchor decoding and non-maximum suppression are
// post-processing, not part of the network, and are not built (nor costed).
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"
#include "sml/compose/composition.hpp"
#include "sml/io/text.hpp"

namespace sml::compose::detail {
namespace {

// The feature maps named by `features` (in order); a name that an earlier multi-level core
// registered (NAME.0, NAME.1, …) stands for all its levels. Without the key: the core's input.
std::vector<Value> feature_maps(const BuildContext& c, const CoreArgs& a, const Value& x) {
  if (!a.has("features")) return {x};
  std::vector<Value> out;
  for (const auto& name : split(a.text("features", ""), ",/")) {
    if (name.empty()) continue;
    const std::size_t before = out.size();
    for (int i = 0;; ++i) {  // the levels of a multi-level core, before its own (finest) output
      auto lv = c.named.find(name + "." + std::to_string(i));
      if (lv == c.named.end()) break;
      out.push_back(lv->second);
    }
    if (out.size() > before) continue;
    if (auto it = c.named.find(name); it != c.named.end()) {
      out.push_back(it->second);
      continue;
    }
    throw InputError(a.where + ": " + a.core + " features '" + name + "': no earlier core has that name");
  }
  for (const auto& f : out)
    if (f.rank() != 4) throw InputError(a.where + ": " + a.core + " expects feature maps (N, C, H, W)");
  if (out.empty()) throw InputError(a.where + ": " + a.core + " features: no names given");
  return out;
}

// Per-level counts (anchors per cell): one value for every level, or one per level.
std::vector<std::int64_t> per_level(const CoreArgs& a, const char* key, std::int64_t fallback, std::size_t levels) {
  std::vector<std::int64_t> v = a.integers(key, {fallback});
  if (v.size() == 1) v.assign(levels, v[0]);
  if (v.size() != levels)
    throw InputError(a.where + ": " + a.core + " " + key + ": " + std::to_string(v.size()) + " values for " + std::to_string(levels) + " feature maps");
  for (auto n : v)
    if (n < 1) throw InputError(a.where + ": " + a.core + " " + key + ": expected positive counts");
  return v;
}

// (N, A·K, H, W) → (N, H·W·A, K): one row per anchor box, as torchvision's SSD/RetinaNet heads order them.
Value rows_per_anchor(GraphBuilder& b, const Value& y, std::int64_t anchors, std::int64_t k) {
  const std::int64_t B = y.dim(0), cells = y.dim(2) * y.dim(3);
  return b.reshape(b.transpose(b.reshape(y, {B, anchors, k, cells}), {0, 3, 1, 2}), {B, cells * anchors, k});
}

Value conv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, bool bias, const std::string& scope) {
  Scope sc(b, scope);
  return b.conv(x, out, {k}, {s}, {(k - 1) / 2}, 1, bias);
}

}  // namespace

// GroupNorm (opset 17 has no GroupNormalization): statistics over each group of C/G channels,
// then a per-channel scale and shift (2·C parameters, as torch.nn.GroupNorm).
Value group_norm(GraphBuilder& b, const Value& x, std::int64_t groups, float eps) {
  const std::int64_t B = x.dim(0), C = x.dim(1);
  if (C % groups) throw InputError(b.scoped("group_norm") + ": " + std::to_string(C) + " channels do not split into " + std::to_string(groups) + " groups");
  Value g = b.reshape(x, {B, groups, x.dim(1) / groups * x.dim(2) * x.dim(3)});
  Value d = b.add(g, b.unary("Neg", b.reduce_mean(g, 2)));
  Value var = b.reduce_mean(b.mul(d, d), 2);
  Value y = b.reshape(b.mul(d, b.unary("Reciprocal", b.unary("Sqrt", b.add(var, b.scalar(eps))))), x.shape);
  y = b.mul(y, b.weight("weight", {C, 1, 1}, Fill::kOnes));
  return b.add(y, b.weight("bias", {C, 1, 1}, Fill::kZeros));
}

namespace {

// ---- necks -----------------------------------------------------------------------------------

Value core_upsample(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t s = std::max<std::int64_t>(1, a.integer("scale", 2));
  return b.resize_to(x, x.dim(2) * s, x.dim(3) * s, "nearest");
}

Value core_concat(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  std::vector<Value> xs{x};
  for (const auto& name : split(a.text("with", ""), ",/")) {
    if (name.empty()) continue;
    auto it = c.named.find(name);
    if (it == c.named.end()) throw InputError(a.where + ": concat with '" + name + "': no earlier core has that name");
    if (it->second.rank() != x.rank() || (x.rank() == 4 && (it->second.dim(2) != x.dim(2) || it->second.dim(3) != x.dim(3))))
      throw InputError(a.where + ": concat with '" + name + "': shape " + shape_text(it->second.shape) + " does not match " + shape_text(x.shape));
    xs.push_back(it->second);
  }
  if (xs.size() < 2) throw InputError(a.where + ": concat needs 'with': the names of earlier cores");
  return b.concat(xs, 1);
}

// YOLOv5's C3 (CSP bottleneck with 3 convolutions): two 1×1 branches of out·e channels, one
// through N bottlenecks (1×1, 3×3, skip), concatenated and mixed by a third 1×1.
Value core_c3(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = channels(a, "out", c), hidden = static_cast<std::int64_t>(static_cast<double>(out) * a.number("e", 0.5));
  const std::string act = a.text("act", "silu");
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  const bool shortcut = a.flag("shortcut", true);
  Value y = conv_bn(b, x, hidden, 1, 1, 1, act, eps, true, false, "cv1");
  {
    Scope m(b, "m");
    for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
      Scope s(b, std::to_string(i));
      Value z = conv_bn(b, y, hidden, 1, 1, 1, act, eps, true, false, "cv1");
      z = conv_bn(b, z, hidden, 3, 1, 1, act, eps, true, false, "cv2");
      y = shortcut ? b.add(y, z) : z;
    }
  }
  Value side = conv_bn(b, x, hidden, 1, 1, 1, act, eps, true, false, "cv2");
  return conv_bn(b, b.concat({y, side}, 1), out, 1, 1, 1, act, eps, true, false, "cv3");
}

// SPPF: one 1×1 to half the channels, three chained k×k max pools (the receptive fields of
// SPP's 5/9/13 pools at a third of the cost), the four maps concatenated and mixed by a 1×1.
Value core_sppf(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = channels(a, "out", c), k = a.integer("kernel", 5);
  const std::string act = a.text("act", "silu");
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  Value y = conv_bn(b, x, x.dim(1) / 2, 1, 1, 1, act, eps, true, false, "cv1");
  std::vector<Value> maps{y};
  for (int i = 0; i < 3; ++i) maps.push_back(b.max_pool(maps.back(), {k}, {1}, {k / 2}));
  return conv_bn(b, b.concat(maps, 1), out, 1, 1, 1, act, eps, true, false, "cv2");
}

// Feature pyramid (Lin et al. 2017, torchvision's FeaturePyramidNetwork): a 1×1 lateral per
// input level, top-down nearest upsampling and addition, a 3×3 output per level; extra levels
// P6/P7 (stride-2 3×3 convolutions, RetinaNet/FCOS) or P6 by max pooling (Faster R-CNN).
// Registers its levels as NAME.0 (finest) … for the heads, and returns the finest.
Value core_fpn(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  if (!a.has("name")) throw InputError(a.where + ": fpn needs a name: the heads read its levels by it");
  const std::vector<Value> in = feature_maps(c, a, x);
  const std::int64_t out = channels(a, "out", c, 256);
  const std::string norm = a.text("norm", "none");
  if (norm != "none" && norm != "bn") throw InputError(a.where + ": fpn norm '" + norm + "': expected none or bn");
  auto block = [&](const Value& v, std::int64_t k, const std::string& scope) {  // with BatchNorm: no bias (v2)
    return norm == "bn" ? conv_bn(b, v, out, k, 1, 1, "none", 1e-5f, true, false, scope) : conv(b, v, out, k, 1, true, scope);
  };
  std::vector<Value> lateral(in.size()), levels(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) lateral[i] = block(in[i], 1, "inner_blocks." + std::to_string(i));
  Value top = lateral.back();
  levels.back() = block(top, 3, "layer_blocks." + std::to_string(in.size() - 1));
  for (std::size_t i = in.size() - 1; i-- > 0;) {
    top = b.add(lateral[i], b.resize_to(top, lateral[i].dim(2), lateral[i].dim(3), "nearest"));
    levels[i] = block(top, 3, "layer_blocks." + std::to_string(i));
  }
  const std::string extra = a.text("extra", "none");
  if (extra == "p6p7" || extra == "p6p7_c5") {  // from P5 (RetinaNet v1, FCOS) or from C5 (RetinaNet v2)
    Value p6 = conv(b, extra == "p6p7" ? levels.back() : in.back(), out, 3, 2, true, "extra_blocks.p6");
    levels.push_back(p6);
    levels.push_back(conv(b, b.activation(p6, "relu"), out, 3, 2, true, "extra_blocks.p7"));
  } else if (extra == "pool") {
    levels.push_back(b.max_pool(levels.back(), {1}, {2}, {0}));
  } else if (extra != "none") {
    throw InputError(a.where + ": fpn extra '" + extra + "': expected none, p6p7, p6p7_c5 or pool");
  }
  const std::string name = a.text("name", "");
  for (std::size_t i = 0; i < levels.size(); ++i) c.named[name + "." + std::to_string(i)] = levels[i];
  return levels.front();
}

// SSD's L2Norm (Liu et al. 2016, after ParseNet): each position's channel vector scaled to unit
// length, then by a learned per-channel scale (initialised to 20 in torchvision's SSD300).
Value core_l2_norm(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t C = x.dim(1);
  Value sumsq = b.mul(b.reduce_mean(b.mul(x, x), 1), b.scalar(static_cast<float>(C)));
  Value y = b.mul(x, b.unary("Reciprocal", b.unary("Sqrt", sumsq)));
  return b.mul(y, b.weight("scale_weight", {C, 1, 1}, Fill::kOnes));
}

// SSD300's extra feature layers: a 1×1 reduction and a 3×3 convolution (stride 2 and padding 1,
// or stride 1 without padding for the last, 3×3 and 1×1, maps), both with bias and ReLU.
Value core_ssd_extra(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  Value y = b.activation(conv(b, x, channels(a, "mid", c), 1, 1, true, "0"), "relu");
  Scope s(b, "2");
  return b.activation(b.conv(y, channels(a, "out", c), {3}, {a.integer("stride", 2)}, {a.integer("pad", 1)}, 1, true), "relu");
}

// ---- heads -----------------------------------------------------------------------------------

// SSD (Liu et al. 2016) and SSDlite (Sandler et al. 2018) multi-scale heads, as torchvision's
// SSDHead/SSDLiteHead: per feature map a box predictor (4 per anchor) and a class predictor
// (num_classes per anchor, background included): a 3×3 convolution with bias (ssd) or a
// depthwise 3×3-BN-ReLU6 followed by a 1×1 with bias (ssdlite).
Value core_ssd_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::vector<Value> maps = feature_maps(c, a, x);
  const std::vector<std::int64_t> anchors = per_level(a, "anchors", 6, maps.size());
  const std::string style = a.text("style", "ssdlite");
  if (style != "ssd" && style != "ssdlite") throw InputError(a.where + ": ssd_head style '" + style + "': expected ssd or ssdlite");
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  auto branch = [&](const char* name, std::int64_t per_anchor) {
    Scope s(b, name);
    std::vector<Value> rows;
    for (std::size_t i = 0; i < maps.size(); ++i) {
      Scope l(b, std::to_string(i));
      const Value& f = maps[i];
      Value y;
      if (style == "ssd") {
        y = conv(b, f, anchors[i] * per_anchor, 3, 1, true, "conv");
      } else {
        y = conv_bn(b, f, f.dim(1), 3, 1, f.dim(1), "relu6", eps, true, false, "depthwise");
        y = conv(b, y, anchors[i] * per_anchor, 1, 1, true, "pointwise");
      }
      rows.push_back(rows_per_anchor(b, y, anchors[i], per_anchor));
    }
    return rows.size() == 1 ? rows[0] : b.concat(rows, 1);
  };
  c.extra_outputs.push_back(branch("regression_head", 4));
  return branch("classification_head", classes(a, c));
}

// YOLOv5's Detect: a 1×1 convolution per level to anchors × (4 box + 1 objectness + classes),
// rows per anchor (N, A·H·W summed over levels, 5 + classes). The grid/anchor decoding that
// Detect applies at inference (sigmoid, offsets, anchor sizes) is post-processing.
Value core_yolo_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::vector<Value> maps = feature_maps(c, a, x);
  const std::vector<std::int64_t> anchors = per_level(a, "anchors", 3, maps.size());
  const std::int64_t k = 5 + classes(a, c);
  Scope s(b, "m");
  std::vector<Value> rows;
  for (std::size_t i = 0; i < maps.size(); ++i) {
    Value y = conv(b, maps[i], anchors[i] * k, 1, 1, true, std::to_string(i));
    const std::int64_t B = y.dim(0), cells = y.dim(2) * y.dim(3);
    rows.push_back(b.reshape(b.transpose(b.reshape(y, {B, anchors[i], k, cells}), {0, 1, 3, 2}), {B, anchors[i] * cells, k}));
  }
  return rows.size() == 1 ? rows[0] : b.concat(rows, 1);
}

// The conv towers of RetinaNet and FCOS: `convs` 3×3 convolutions with ReLU, with bias and no
// norm (RetinaNet v1), or GroupNorm(32) with bias (FCOS) or without (RetinaNet v2).
Value tower(GraphBuilder& b, const Value& f, std::int64_t convs, const std::string& norm, bool bias) {
  Scope s(b, "conv");
  Value y = f;
  for (std::int64_t i = 0; i < convs; ++i) {
    Scope l(b, std::to_string(i));
    y = conv(b, y, f.dim(1), 3, 1, bias, "0");
    if (norm == "group") {
      Scope n(b, "1");
      y = group_norm(b, y, 32, 1e-5f);
    }
    y = b.activation(y, "relu");
  }
  return y;
}

std::string head_norm(const CoreArgs& a) {
  const std::string norm = a.text("norm", "none");
  if (norm != "none" && norm != "group") throw InputError(a.where + ": " + a.core + " norm '" + norm + "': expected none or group");
  return norm;
}

// Builds BODY once per level under the same names with the builder sharing weights: one set
// of weights applied to every pyramid level, stored (and counted) once, its MACs per level.
template <typename F>
std::vector<Value> shared_levels(GraphBuilder& b, const std::vector<Value>& maps, F body) {
  std::vector<Value> out;
  const bool was = b.sharing_weights();
  b.share_weights(true);
  for (const auto& f : maps) out.push_back(body(f));
  b.share_weights(was);
  return out;
}

// RetinaNet (Lin et al. 2017): on every pyramid level, with weights shared across levels, a
// class tower ending in a 3×3 to anchors × classes and a box tower ending in a 3×3 to anchors × 4.
Value core_retinanet_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::vector<Value> maps = feature_maps(c, a, x);
  const std::int64_t A = a.integer("anchors", 9), n = classes(a, c), convs = a.integer("convs", 4);
  const std::string norm = head_norm(a);
  auto branch = [&](const char* name, const char* last, std::int64_t per_anchor) {
    Scope s(b, name);
    std::vector<Value> rows = shared_levels(b, maps, [&](const Value& f) {
      Value y = tower(b, f, convs, norm, norm == "none");
      return rows_per_anchor(b, conv(b, y, A * per_anchor, 3, 1, true, last), A, per_anchor);
    });
    return rows.size() == 1 ? rows[0] : b.concat(rows, 1);
  };
  c.extra_outputs.push_back(branch("regression_head", "bbox_reg", 4));
  return branch("classification_head", "cls_logits", n);
}

// FCOS (Tian et al. 2019): anchor-free; per level (shared weights) a class tower to classes and a
// box tower to 4 distances and 1 centerness, towers of 3×3 convolutions with GroupNorm.
Value core_fcos_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::vector<Value> maps = feature_maps(c, a, x);
  const std::int64_t n = classes(a, c), convs = a.integer("convs", 4);
  const std::string norm = a.has("norm") ? head_norm(a) : "group";
  std::vector<Value> boxes, centers, scores;
  {
    Scope s(b, "regression_head");
    shared_levels(b, maps, [&](const Value& f) {
      Value y = tower(b, f, convs, norm, true);
      boxes.push_back(rows_per_anchor(b, conv(b, y, 4, 3, 1, true, "bbox_reg"), 1, 4));
      centers.push_back(rows_per_anchor(b, conv(b, y, 1, 3, 1, true, "bbox_ctrness"), 1, 1));
      return y;
    });
  }
  {
    Scope s(b, "classification_head");
    scores = shared_levels(b, maps, [&](const Value& f) {
      return rows_per_anchor(b, conv(b, tower(b, f, convs, norm, true), n, 3, 1, true, "cls_logits"), 1, n);
    });
  }
  auto joined = [&](const std::vector<Value>& v) { return v.size() == 1 ? v[0] : b.concat(v, 1); };
  c.extra_outputs.push_back(joined(boxes));
  c.extra_outputs.push_back(joined(centers));
  return joined(scores);
}


// Two-stage detectors (Ren et al. 2015; He et al. 2017), as torchvision's GeneralizedRCNN with an
// FPN: an RPN shared across levels (3×3 convolution(s), 1×1 objectness and box deltas per
// anchor), then per region of interest a box head and predictor, optionally a mask head
// (Mask R-CNN) and a keypoint head (Keypoint R-CNN). Which regions survive the RPN's NMS depends
// on the image: the network is built, and costed, for a stated count of regions (`proposals`,
// torchvision's rpn_post_nms_top_n_test = 1000; `detections` for the mask and keypoint heads,
// its box_detections_per_img = 100), fixed boxes standing in for them; the regions are pooled
// from the finest level (RoIAlign has no MACs; which level a box maps to changes no count).
Value core_rcnn_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::vector<Value> maps = feature_maps(c, a, x);
  const std::int64_t A = a.integer("anchors", 3), P = a.integer("proposals", 1000), n = classes(a, c);
  const std::int64_t D = a.integer("detections", 100), keypoints = a.integer("keypoints", 0), rep = a.integer("representation", 1024);
  if (P < 1 || P > 100000 || D < 1 || D > 100000) throw InputError(a.where + ": rcnn_head proposals and detections: 1 to 100000");
  const std::string box_head = a.text("box_head", "mlp");
  if (box_head != "mlp" && box_head != "conv") throw InputError(a.where + ": rcnn_head box_head '" + box_head + "': expected mlp or conv");
  std::vector<Value> objectness, deltas;
  {
    Scope s(b, "rpn");
    shared_levels(b, maps, [&](const Value& f) {
      Value y = f;
      for (std::int64_t i = 0, k = a.integer("rpn_convs", 1); i < k; ++i) y = b.activation(conv(b, y, f.dim(1), 3, 1, true, "conv." + std::to_string(i)), "relu");
      objectness.push_back(rows_per_anchor(b, conv(b, y, A, 1, 1, true, "cls_logits"), A, 1));
      deltas.push_back(rows_per_anchor(b, conv(b, y, 4 * A, 1, 1, true, "bbox_pred"), A, 4));
      return y;
    });
  }
  const Value& fine = maps.front();
  const float scale = c.input_shape.size() == 4 ? static_cast<float>(fine.dim(2)) / static_cast<float>(c.input_shape[2]) : 1.0f;
  auto regions = [&](const char* leaf, std::int64_t count) {  // fixed boxes, 64 px squares, in input pixels
    std::vector<float> v;
    for (std::int64_t i = 0; i < count; ++i) v.insert(v.end(), {0, 0, 64, 64});
    return b.fixed_floats(leaf, {count, 4}, std::move(v));
  };
  Value y;
  {
    Scope s(b, "roi_heads");
    y = b.roi_align(fine, regions("proposals", P), 7, scale, 2);
    Scope h(b, "box_head");
    if (box_head == "conv") {  // FastRCNNConvFCHead (v2): four 3×3 conv-BN-ReLU, one fc
      for (int i = 0; i < 4; ++i) y = conv_bn(b, y, fine.dim(1), 3, 1, 1, "relu", 1e-5f, true, false, std::to_string(i));
      Scope f(b, "fc");
      y = b.activation(b.linear(b.flatten(y), rep), "relu");
    } else {  // TwoMLPHead
      y = b.flatten(y);
      for (const char* fc : {"fc6", "fc7"}) {
        Scope f(b, fc);
        y = b.activation(b.linear(y, rep), "relu");
      }
    }
  }
  Value scores;
  {
    Scope s(b, "roi_heads.box_predictor");
    {
      Scope f(b, "cls_score");
      scores = b.linear(y, n);
    }
    Scope f(b, "bbox_pred");
    c.extra_outputs.push_back(b.linear(y, 4 * n));
  }
  c.extra_outputs.push_back(objectness.size() == 1 ? objectness[0] : b.concat(objectness, 1));
  c.extra_outputs.push_back(deltas.size() == 1 ? deltas[0] : b.concat(deltas, 1));
  if (a.flag("mask", false)) {  // MaskRCNNHeads: four 3×3 + ReLU at 14×14; predictor: 2×2 deconvolution, 1×1 to classes
    Scope s(b, "roi_heads.mask");
    Value m = b.roi_align(fine, regions("detections", D), 14, scale, 2);
    for (int i = 0; i < 4; ++i) m = b.activation(conv(b, m, 256, 3, 1, true, "mask_head." + std::to_string(i)), "relu");
    {
      Scope d(b, "mask_predictor.conv5_mask");
      m = b.activation(b.conv_transpose(m, 256, 2, 2, 0, true), "relu");
    }
    c.extra_outputs.push_back(conv(b, m, n, 1, 1, true, "mask_predictor.mask_fcn_logits"));
  }
  if (keypoints > 0) {  // KeypointRCNNHeads: eight 3×3 + ReLU of 512; predictor: 4×4 deconvolution, ×2 bilinear
    Scope s(b, "roi_heads.keypoint");
    Value k = b.roi_align(fine, regions("detections", D), 14, scale, 2);
    for (int i = 0; i < 8; ++i) k = b.activation(conv(b, k, 512, 3, 1, true, "keypoint_head." + std::to_string(i)), "relu");
    Scope d(b, "keypoint_predictor.kps_score_lowres");
    k = b.conv_transpose(k, keypoints, 4, 2, 1, true);
    c.extra_outputs.push_back(b.resize_to(k, k.dim(2) * 2, k.dim(3) * 2));
  }
  return scores;
}

// DETR's fixed sine positions (PositionEmbeddingSine: 128 features per axis, temperature 10,000,
// normalised to 2π) for an H × W map, as (1, H·W, 256): y features first, then x.
std::vector<float> sine_positions(std::int64_t H, std::int64_t W, std::int64_t feats) {
  const double pi2 = 2 * 3.14159265358979323846, eps = 1e-6;
  std::vector<float> v;
  v.reserve(static_cast<std::size_t>(H * W * 2 * feats));
  for (std::int64_t y = 0; y < H; ++y)
    for (std::int64_t x = 0; x < W; ++x)
      for (int axis = 0; axis < 2; ++axis) {
        const double e = axis == 0 ? (y + 1) / (H + eps) * pi2 : (x + 1) / (W + eps) * pi2;
        for (std::int64_t i = 0; i < feats; ++i) {
          const double t = e / std::pow(10000.0, 2.0 * static_cast<double>(i / 2) / static_cast<double>(feats));
          v.push_back(static_cast<float>(i % 2 == 0 ? std::sin(t) : std::cos(t)));
        }
      }
  return v;
}

// nn.MultiheadAttention with separate query, key and value inputs (DETR adds positions to the
// queries and keys only): in_proj 3·(D² + D), out_proj D² + D.
Value mha(GraphBuilder& b, const Value& q_in, const Value& k_in, const Value& v_in, std::int64_t heads) {
  const std::int64_t B = q_in.dim(0), S = q_in.dim(1), T = k_in.dim(1), D = q_in.dim(2), d = D / heads;
  auto project = [&](const Value& in, const char* name, std::int64_t len) {
    Scope s(b, name);
    return b.transpose(b.reshape(b.linear(in, D), {B, len, heads, d}), {0, 2, 1, 3});  // B h len d
  };
  Value q = project(q_in, "q", S), k = b.transpose(project(k_in, "k", T), {0, 1, 3, 2}), v = project(v_in, "v", T);
  Value scores = b.mul(b.matmul(q, k), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "out_proj");
  return b.linear(ctx, D);
}

Value ffn(GraphBuilder& b, const Value& x, std::int64_t hidden) {
  Value h;
  {
    Scope s(b, "linear1");
    h = b.activation(b.linear(x, hidden), "relu");
  }
  Scope s(b, "linear2");
  return b.linear(h, x.dim(-1));
}

Value add_norm(GraphBuilder& b, const Value& x, const Value& y, const char* name) {
  Scope s(b, name);
  return b.layer_norm(b.add(x, y), 1e-5f);
}

// DETR (Carion et al. 2020): a 1×1 projection of the backbone's last map to D, a post-norm
// encoder over its H·W positions (sine positions added to queries and keys), a decoder of
// `queries` learned object queries (self-attention, cross-attention to the encoder), a final
// LayerNorm; per query a linear to classes + 1 ("no object") and a 3-layer MLP to 4 box values.
// The heads run on the last decoder layer's output (the other five feed auxiliary losses).
Value core_detr_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t D = a.integer("dim", 256), heads = a.integer("heads", 8), hidden = a.integer("mlp_dim", 2048);
  const std::int64_t Q = a.integer("queries", 100), enc = a.integer("encoder_layers", 6), dec = a.integer("decoder_layers", 6);
  if (D < 1 || heads < 1 || D % heads || D % 4 || Q < 1 || Q > 100000) throw InputError(a.where + ": detr_head: dim must split into heads (and by 4); queries 1 to 100000");
  const std::int64_t B = x.dim(0), H = x.dim(2), W = x.dim(3);
  Value src;
  {
    Scope s(b, "input_proj");
    src = conv(b, x, D, 1, 1, true, "");
  }
  src = b.transpose(b.reshape(src, {B, D, H * W}), {0, 2, 1});  // (N, H·W, D)
  const Value pos = b.fixed_floats("pos_embed", {1, H * W, D}, sine_positions(H, W, D / 2));
  Value memory = src;
  {
    Scope s(b, "transformer.encoder.layers");
    for (std::int64_t i = 0; i < enc; ++i) {
      Scope l(b, std::to_string(i));
      Value qk = b.add(memory, pos);
      Value y;
      {
        Scope at(b, "self_attn");
        y = mha(b, qk, qk, memory, heads);
      }
      memory = add_norm(b, memory, y, "norm1");
      {
        Scope f(b, "ffn");
        y = ffn(b, memory, hidden);
      }
      memory = add_norm(b, memory, y, "norm2");
    }
  }
  const Value query_pos = b.weight("query_embed", {1, Q, D}, Fill::kNormal002);
  Value tgt = b.fixed_floats("tgt", {1, Q, D}, std::vector<float>(static_cast<std::size_t>(Q * D), 0.0f));  // zeros, as DETR starts
  {
    Scope s(b, "transformer.decoder");
    Value keys = b.add(memory, pos);
    for (std::int64_t i = 0; i < dec; ++i) {
      Scope l(b, "layers." + std::to_string(i));
      Value qk = b.add(tgt, query_pos), y;
      {
        Scope at(b, "self_attn");
        y = mha(b, qk, qk, tgt, heads);
      }
      tgt = add_norm(b, tgt, y, "norm1");
      {
        Scope at(b, "multihead_attn");
        y = mha(b, b.add(tgt, query_pos), keys, memory, heads);
      }
      tgt = add_norm(b, tgt, y, "norm2");
      {
        Scope f(b, "ffn");
        y = ffn(b, tgt, hidden);
      }
      tgt = add_norm(b, tgt, y, "norm3");
    }
    Scope n(b, "norm");
    tgt = b.layer_norm(tgt, 1e-5f);
  }
  Value scores;
  {
    Scope s(b, "class_embed");
    scores = b.linear(tgt, classes(a, c) + 1);  // + the "no object" class
  }
  Scope s(b, "bbox_embed");
  Value box = tgt;
  for (int i = 0; i < 3; ++i) {
    Scope l(b, "layers." + std::to_string(i));
    box = b.linear(box, i < 2 ? D : 4);
    if (i < 2) box = b.activation(box, "relu");
  }
  c.extra_outputs.push_back(b.activation(box, "sigmoid"));
  return scores;
}

}  // namespace

void add_detection_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"upsample", "neck", "nearest-neighbour upsampling by an integer factor",
       "brings a coarse feature map to the resolution of a finer one so they can be merged (FPN, YOLO's PAN); no parameters.",
       {{"scale", "factor (default 2)"}}, core_upsample},
      {"concat", "neck", "concatenates the input with earlier named cores along channels",
       "merges feature maps of the same resolution (YOLO's PAN, U-Nets); costs nothing itself, but widens the next convolution.",
       {{"with", "names of earlier cores (same height and width)"}}, core_concat},
      {"l2_norm", "neck", "L2 normalisation across channels with a learned per-channel scale (SSD's conv4_3)",
       "puts an early, large-magnitude feature map on the scale of the deeper ones before a shared-style head reads both.",
       {}, core_l2_norm},
      {"ssd_extra", "neck", "SSD300 extra layer: 1×1 reduction, 3×3 convolution (stride 2, or unpadded), ReLU after each",
       "adds coarser maps after the backbone so the head sees large objects at a resolution that suits them.",
       {{"mid", "channels of the 1×1"}, {"out", "output channels"}, {"stride", "default 2"}, {"pad", "padding of the 3×3 (default 1)"}, kScale, kDivisor},
       core_ssd_extra},
      {"c3", "backbone", "YOLOv5 C3 block: CSP bottleneck with three 1×1 convolutions",
       "splits the channels in two, runs only one half through the bottlenecks and concatenates: a cross-stage partial block "
       "(Wang et al. 2020) that keeps gradients diverse at about half the cost of a full stack.",
       {{"out", "output channels"}, kRepeat, {"shortcut", "residual adds in the bottlenecks (default true; false in the neck)"},
        {"e", "hidden channels as a fraction of out (default 0.5)"}, {"act", "default silu"}, {"eps", "BatchNorm epsilon (default 0.001)"}, kScale, kDivisor},
       core_c3},
      {"sppf", "neck", "YOLOv5 SPPF: spatial pyramid pooling by three chained max pools",
       "widens the receptive field to the whole image at the end of the backbone for the price of two 1×1 convolutions.",
       {{"out", "output channels"}, {"kernel", "pool window (default 5)"}, {"act", "default silu"}, {"eps", "default 0.001"}, kScale, kDivisor},
       core_sppf},
      {"fpn", "neck", "feature pyramid network: lateral 1×1, top-down nearest upsampling, 3×3 per level, optional P6/P7",
       "gives every resolution the semantics of the deepest layer, so small and large objects are found on the map that suits "
       "them (Lin et al. 2017). Its levels are named NAME.0 (finest) … for the heads.",
       {{"features", "names of the backbone maps, finest first"}, {"out", "channels of every level (default 256)"},
        {"extra", "none, p6p7 (from P5), p6p7_c5 (from the last input) or pool (P6 by max pooling)"},
        {"norm", "none (default: convolutions with bias) or bn (BatchNorm, v2)"}, kScale, kDivisor},
       core_fpn},
      {"ssd_head", "head", "SSD/SSDlite multi-scale detection head: box and class predictors on every feature map",
       "predicts, for every cell and anchor of every feature map, 4 box offsets and class scores; coarse maps find large objects, "
       "fine maps small ones. SSDlite's depthwise-separable predictors keep it mobile-sized (Sandler et al. 2018).",
       {{"features", "names of the feature maps, finest first (default: the input only)"}, {"num_classes", "classes incl. background"},
        {"anchors", "anchors per cell: one value, or one per feature map (default 6)"}, {"style", "ssdlite (default) or ssd (3×3 convolutions)"},
        {"eps", "BatchNorm epsilon of ssdlite's depthwise convolutions (default 0.001)"}},
       core_ssd_head},
      {"yolo_head", "head", "YOLOv5 Detect head: a 1×1 convolution per level to anchors × (5 + classes)",
       "predicts box, objectness and class scores for every anchor of every cell at three scales; decoding and NMS follow "
       "outside the network.",
       {{"features", "names of the feature maps, finest first"}, {"num_classes", "classes"}, {"anchors", "anchors per cell, per level (default 3)"}},
       core_yolo_head},
      {"retinanet_head", "head", "RetinaNet head: class and box towers shared across pyramid levels",
       "dense one-stage detection: every anchor of every level is classified, the focal loss (training only) keeps the many "
       "easy negatives from swamping the few objects (Lin et al. 2017). Four 3×3 convolutions per tower make it most of the cost.",
       {{"features", "names of the pyramid levels (an fpn's name stands for all its levels)"}, {"num_classes", "classes"},
        {"anchors", "anchors per cell (default 9)"}, {"convs", "3×3 convolutions per tower (default 4)"}, {"norm", "none (default) or group (v2)"}},
       core_retinanet_head},
      {"fcos_head", "head", "FCOS head: anchor-free class, box and centerness predictors shared across pyramid levels",
       "predicts, for every cell, class scores, distances to the four box sides and a centerness that down-weights off-centre "
       "cells; no anchors to tune (Tian et al. 2019).",
       {{"features", "names of the pyramid levels"}, {"num_classes", "classes"}, {"convs", "3×3 convolutions per tower (default 4)"},
        {"norm", "group (default) or none"}},
       core_fcos_head},
      {"rcnn_head", "head", "two-stage R-CNN head: RPN on every level, RoIAlign, box head and predictor; optional mask and keypoint heads",
       "proposes regions first, then classifies and refines each: most accurate of the classic detectors, and its cost grows "
       "with the number of regions kept (stated: proposals, detections), not only with the image.",
       {{"features", "pyramid levels (an fpn's name), finest first"}, {"num_classes", "classes incl. background"},
        {"anchors", "RPN anchors per cell (default 3)"}, {"rpn_convs", "RPN 3×3 convolutions (default 1; v2: 2)"},
        {"proposals", "regions the box head runs on (default 1000, torchvision's rpn_post_nms_top_n_test)"},
        {"box_head", "mlp (TwoMLPHead, default) or conv (v2: four conv-BN-ReLU and one fc)"}, {"representation", "box head width (default 1024)"},
        {"mask", "true: Mask R-CNN's mask head"}, {"keypoints", "keypoints per instance (Keypoint R-CNN: 17; default 0, none)"},
        {"detections", "regions the mask/keypoint heads run on (default 100, torchvision's box_detections_per_img)"}},
       core_rcnn_head},
      {"detr_head", "head", "DETR: 1×1 projection, transformer encoder over the map, decoder of object queries, class and box heads",
       "detection as set prediction: a fixed number of learned queries each predict one object or \"no object\", so no anchors "
       "and no NMS (Carion et al. 2020); the encoder's attention over every position makes its cost grow with the square of "
       "the map's size.",
       {{"num_classes", "classes (a 'no object' class is added)"}, {"dim", "model width (default 256)"}, {"heads", "default 8"},
        {"mlp_dim", "feed-forward width (default 2048)"}, {"queries", "object queries (default 100)"},
        {"encoder_layers", "default 6"}, {"decoder_layers", "default 6"}},
       core_detr_head},
  });
}

}  // namespace sml::compose::detail
