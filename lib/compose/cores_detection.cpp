// Detection cores: necks that merge feature maps of several resolutions (FPN, YOLOv5's
// upsample/concat PAN, C3 and SPPF blocks) and multi-scale heads (SSD/SSDlite, YOLOv5's Detect,
// RetinaNet, FCOS). Heads read several earlier feature maps by name (`features: c4,c5,x1`, or
// the name of a core that produced several levels, such as an FPN) and write one output per
// kind of prediction: class scores first (`output`), box offsets next (`output_2`), then any
// further map (FCOS's centerness, `output_3`). Anchor decoding and non-maximum suppression are
// post-processing, not part of the network, and are not built (nor costed).
//
// This file holds the necks and the helpers the heads share (cores_detection.hpp); the heads are in
// cores_detection_dense_heads.cpp (a prediction at every cell of every level: SSD, YOLO, RetinaNet,
// FCOS) and cores_detection_sparse_heads.cpp (a stated number of regions or object queries: the
// two-stage R-CNN heads, DETR), split by detector family as the file passed 600 lines.
#include "cores_detection.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"
#include "sml/compose/composition.hpp"
#include "sml/io/text.hpp"

namespace sml::compose::detail {

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

// (N, A·K, H, W) → (N, H·W·A, K): one row per anchor box, as torchvision's SSD/RetinaNet heads order them.
Value rows_per_anchor(GraphBuilder& b, const Value& y, std::int64_t anchors, std::int64_t k) {
  const std::int64_t B = y.dim(0), cells = y.dim(2) * y.dim(3);
  return b.reshape(b.transpose(b.reshape(y, {B, anchors, k, cells}), {0, 3, 1, 2}), {B, cells * anchors, k});
}

Value conv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, bool bias, const std::string& scope) {
  Scope sc(b, scope);
  return b.conv(x, out, {k}, {s}, {(k - 1) / 2}, 1, bias);
}

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
  });
  add_dense_detection_heads(lib);
  add_sparse_detection_heads(lib);
}

}  // namespace sml::compose::detail
