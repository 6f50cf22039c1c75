// Dense (one-stage) detection heads: a prediction at every cell, and every anchor, of every feature
// map (SSD/SSDlite, YOLOv5's Detect, RetinaNet, FCOS), with per-level towers whose weights are shared
// across pyramid levels where the detector shares them. Split from cores_detection.cpp (the necks
// and the helpers these heads use); the sparse heads are in cores_detection_sparse_heads.cpp.
#include <string>
#include <vector>

#include "cores_detection.hpp"
#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

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

}  // namespace

void add_dense_detection_heads(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
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
  });
}

}  // namespace sml::compose::detail
