// Dense-prediction cores: DeepLabV3's atrous spatial pyramid pooling head, SegFormer's
// Mix-Transformer stages and all-MLP decoder (segmentation).
// The FCN and LR-ASPP heads are in cores_heads.cpp; dilated backbones are the bottleneck and
// inverted_residual cores with a `dilation` key.
#include "cores_common.hpp"

#include "sml/io/error.hpp"
#include "sml/io/text.hpp"

namespace sml::compose::detail {
namespace {

// Chen et al. 2017 (arXiv:1706.05587) as torchvision.models.segmentation.deeplabv3.DeepLabHead:
// ASPP (a 1×1 branch, one 3×3 branch per atrous rate, an image-pooling branch; each conv-BN-ReLU
// to OUT channels), concatenated and projected 1×1 with dropout, then 3×3 conv-BN-ReLU, a 1×1
// classifier with bias, and bilinear upsampling to the input.
Value core_deeplabv3_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = channels(a, "out", c, 256), n = classes(a, c);
  const auto rates = a.integers("rates", {12, 24, 36});
  std::vector<Value> branches;
  {
    Scope s(b, "aspp");
    branches.push_back(conv_bn(b, x, out, 1, 1, 1, "relu", 1e-5f, true, false, "0"));
    for (std::size_t i = 0; i < rates.size(); ++i) {
      if (rates[i] < 1) throw InputError(a.where + ": deeplabv3_head rates: expected whole numbers of at least 1");
      branches.push_back(conv_bn(b, x, out, 3, 1, 1, "relu", 1e-5f, true, false, std::to_string(i + 1), rates[i]));
    }
    Value pooled = b.global_avg_pool(x);
    pooled = conv_bn(b, pooled, out, 1, 1, 1, "relu", 1e-5f, true, false, "pooling");
    branches.push_back(b.resize_to(pooled, x.dim(2), x.dim(3)));
    Value y = conv_bn(b, b.concat(branches, 1), out, 1, 1, 1, "relu", 1e-5f, true, false, "project");
    branches = {b.dropout(y, static_cast<float>(a.number("dropout", 0.5)))};
  }
  Value y = conv_bn(b, branches[0], out, 3, 1, 1, "relu", 1e-5f, true, false, "conv");
  {
    Scope s(b, "classifier");
    y = b.conv(y, n, {1}, {1}, {0}, 1, true);
  }
  if (c.input_shape.size() == 4) y = b.resize_to(y, c.input_shape[2], c.input_shape[3]);
  return y;
}

// (N, D, H, W) ↔ (N, H·W, D): SegFormer works on tokens but convolves on maps.
Value to_tokens(GraphBuilder& b, const Value& map) {
  return b.transpose(b.reshape(map, {map.dim(0), map.dim(1), map.dim(2) * map.dim(3)}), {0, 2, 1});
}
Value to_map(GraphBuilder& b, const Value& tokens, std::int64_t h, std::int64_t w) {
  return b.reshape(b.transpose(tokens, {0, 2, 1}), {tokens.dim(0), tokens.dim(2), h, w});
}

// One Mix-Transformer stage (Xie et al. 2021, arXiv:2105.15203) as Hugging Face's
// SegformerEncoder builds it: an overlapping patch embedding (k×k convolution with bias, stride,
// padding k/2, LayerNorm), DEPTH blocks of efficient self-attention (keys and values from the map
// reduced by an sr×sr strided convolution and a LayerNorm) and Mix-FFN (linear, 3×3 depthwise
// convolution, GELU, linear), pre-norm with residuals, then a LayerNorm. Returns the map.
Value core_mit_stage(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t dim = channels(a, "dim", c), heads = std::max<std::int64_t>(1, a.integer("heads", 1));
  const std::int64_t k = a.integer("patch", 3), sr = std::max<std::int64_t>(1, a.integer("sr", 1));
  const std::int64_t hidden = dim * std::max<std::int64_t>(1, a.integer("mlp_ratio", 4));
  const float eps = static_cast<float>(a.number("eps", 1e-6));
  if (dim % heads) throw InputError(a.where + ": mit_stage: dim " + std::to_string(dim) + " does not split into " + std::to_string(heads) + " heads");
  Value map;
  {
    Scope s(b, "patch_embed");
    {
      Scope cv(b, "proj");
      map = b.conv(x, dim, {k}, {a.integer("stride", 2)}, {k / 2}, 1, true);
    }
  }
  const std::int64_t H = map.dim(2), W = map.dim(3);
  Value t;
  {
    Scope s(b, "patch_embed.norm");
    t = b.layer_norm(to_tokens(b, map), eps);
  }
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, "block" + std::to_string(i));
    Value y;
    {
      Scope n1(b, "norm1");
      y = b.layer_norm(t, eps);
    }
    Value kv = y;
    if (sr > 1) {
      Scope r(b, "sr");
      {
        Scope cv(b, "conv");
        kv = to_tokens(b, b.conv(to_map(b, y, H, W), dim, {sr}, {sr}, {0}, 1, true));
      }
      Scope nr(b, "norm");
      kv = b.layer_norm(kv, eps);
    }
    {
      Scope at(b, "attn");
      t = b.add(t, multi_head_attention(b, y, kv, heads));
    }
    {
      Scope n2(b, "norm2");
      y = b.layer_norm(t, eps);
    }
    Scope f(b, "ffn");
    {
      Scope l(b, "fc1");
      y = b.linear(y, hidden);
    }
    {
      Scope d(b, "dwconv");
      y = to_tokens(b, b.conv(to_map(b, y, H, W), hidden, {3}, {1}, {1}, hidden, true));
    }
    y = b.activation(y, "gelu");
    {
      Scope l(b, "fc2");
      y = b.linear(y, dim);
    }
    t = b.add(t, y);
  }
  Scope s(b, "norm");
  return to_map(b, b.layer_norm(t, eps), H, W);
}

// SegFormer's all-MLP decoder (Hugging Face's SegformerDecodeHead): each named stage's map
// projected by a linear layer to DIM, upsampled to the first's resolution, concatenated (last stage
// first), fused by a 1×1 convolution without bias, BN, ReLU, dropout, a 1×1 classifier with bias;
// then upsampled to the input.
Value core_segformer_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::int64_t dim = channels(a, "dim", c, 256), n = classes(a, c);
  std::vector<Value> maps;
  for (const auto& name : split(a.text("features", ""), ",")) {
    auto it = c.named.find(name);
    if (it == c.named.end()) throw InputError(a.where + ": segformer_head features '" + name + "': no earlier core has that name");
    need_rank(a, it->second, 4, "feature maps (N, C, H, W)");
    maps.push_back(it->second);
  }
  if (maps.empty()) maps.push_back(x);
  const std::int64_t H = maps[0].dim(2), W = maps[0].dim(3);
  std::vector<Value> projected;
  for (std::size_t i = maps.size(); i-- > 0;) {
    Scope s(b, "linear_c" + std::to_string(i + 1));
    const Value& m = maps[i];
    Value y = to_map(b, b.linear(to_tokens(b, m), dim), m.dim(2), m.dim(3));
    projected.push_back(m.dim(2) == H && m.dim(3) == W ? y : b.resize_to(y, H, W));
  }
  Value y = conv_bn(b, b.concat(projected, 1), dim, 1, 1, 1, "relu", 1e-5f, true, false, "linear_fuse");
  y = b.dropout(y, static_cast<float>(a.number("dropout", 0.1)));
  {
    Scope s(b, "classifier");
    y = b.conv(y, n, {1}, {1}, {0}, 1, true);
  }
  if (c.input_shape.size() == 4) y = b.resize_to(y, c.input_shape[2], c.input_shape[3]);
  return y;
}

}  // namespace

void add_dense_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"deeplabv3_head", "head",
       "DeepLabV3 head: atrous spatial pyramid pooling (1×1, dilated 3×3 per rate, image pooling), 1×1 projection, 3×3, 1×1 "
       "classifier, upsample to the input",
       "sees context at several scales without losing resolution: dilated convolutions widen the field of view for the same "
       "parameters (Chen et al. 2017). Costly: every branch runs at the backbone's output stride (8 or 16), with 2048 input "
       "channels on ResNets.",
       {{"num_classes", "classes per pixel"}, {"out", "ASPP channels (default 256)"}, {"rates", "atrous rates (default [12, 24, 36])"},
        {"dropout", "after the projection (default 0.5)"}, kScale, kDivisor},
       core_deeplabv3_head},
      {"mit_stage", "backbone",
       "Mix-Transformer stage (SegFormer): overlapping patch embedding, blocks of efficient self-attention (keys/values from an "
       "sr-reduced map) and Mix-FFN (3×3 depthwise convolution between the linear layers), LayerNorm; a feature map out",
       "a hierarchical transformer without position embeddings (the depthwise convolution carries position), so it runs at any "
       "resolution; reducing keys and values by sr² keeps attention affordable on the 1/4-resolution stage (Xie et al. 2021).",
       {{"dim", "channels"}, {"heads", "attention heads"}, {"patch", "patch-embedding kernel (7 first, 3 after)"},
        {"stride", "patch-embedding stride (4 first, 2 after)"}, {"sr", "key/value reduction ratio (8, 4, 2, 1)"},
        {"mlp_ratio", "Mix-FFN expansion (default 4)"}, {"eps", "LayerNorm epsilon (default 1e-6)"}, kRepeat, kScale, kDivisor},
       core_mit_stage},
      {"segformer_head", "head",
       "SegFormer all-MLP decoder: per-stage linear projection, upsample to the finest stage, concatenate, 1×1 fuse with BN and "
       "ReLU, 1×1 classifier, upsample to the input",
       "a decoder of linear layers only: the transformer's multi-scale features already carry context, so fusion is cheap "
       "(Xie et al. 2021).",
       {{"num_classes", "classes per pixel"}, {"features", "names of the stage cores, finest first"}, {"dim", "decoder channels (default 256)"},
        {"dropout", "before the classifier (default 0.1)"}, kScale, kDivisor},
       core_segformer_head},
  });
}

}  // namespace sml::compose::detail
