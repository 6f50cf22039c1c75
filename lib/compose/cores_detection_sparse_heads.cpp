// Sparse detection heads: predictions for a stated number of regions or object queries rather than
// for every cell: the two-stage R-CNN heads (an RPN, then per region a box head, optionally mask and
// keypoint heads) and DETR (a transformer decoding learned object queries). Split from
// cores_detection.cpp (the necks and the helpers these heads use); the dense heads are in
// cores_detection_dense_heads.cpp.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "cores_detection.hpp"
#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

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

void add_sparse_detection_heads(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
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
