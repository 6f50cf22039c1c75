// Monocular depth cores: the RefineNet-style fusion decoder of MiDaS (Ranftl et al. 2020,
// arXiv:1907.01341) and DPT (Ranftl et al. 2021, arXiv:2103.13413), and their depth head, as the
// isl-org/MiDaS code builds them (midas/blocks.py: _make_scratch, ResidualConvUnit_custom,
// FeatureFusionBlock_custom; the output_conv of midas_net_custom.py and dpt_depth.py); DPT's
// reassembly of ViT tokens into maps (midas/backbones/vit.py) and the BiT ResNet stages of its
// ViT-hybrid encoder (timm's ResNetV2 without pre-activation: GroupNorm, weight-standardised
// convolutions).
#include "cores_common.hpp"

#include <cmath>

#include "sml/io/error.hpp"
#include "sml/io/text.hpp"

namespace sml::compose::detail {
namespace {

Value conv_bias(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, bool bias, const std::string& scope) {
  Scope s(b, scope);
  return b.conv(x, out, {k}, {1}, {(k - 1) / 2}, 1, bias);
}

// ResidualConvUnit_custom without BatchNorm: ReLU, 3×3, ReLU, 3×3 (both with bias), plus the input.
Value residual_conv_unit(GraphBuilder& b, const Value& x, const std::string& scope) {
  Scope s(b, scope);
  Value y = conv_bias(b, b.activation(x, "relu"), x.dim(1), 3, true, "conv1");
  y = conv_bias(b, b.activation(y, "relu"), x.dim(1), 3, true, "conv2");
  return b.add(y, x);
}

// The decoder: each encoder map (finest first) projected by a 3×3 convolution without bias to
// OUT channels (`expand`: OUT, 2·OUT, 4·OUT, 8·OUT, MiDaS small), then fused coarsest first.
// A fusion block adds a residual unit of its map to the path from below, runs a second unit,
// upsamples bilinearly to the next finer map (×2 for the finest) and mixes with a 1×1
// convolution (halving the channels when expanded, but not in the finest block). PyTorch's
// coarsest block also holds a first residual unit it never calls (it has no path from below):
// MiDaS counts its parameters in published sizes, the network does not run it, so it is not built.
Value core_refinenet_decoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  std::vector<Value> maps;
  for (const auto& name : split(a.text("features", ""), ",/")) {
    if (name.empty()) continue;
    auto it = c.named.find(name);
    if (it == c.named.end()) throw InputError(a.where + ": refinenet_decoder features '" + name + "': no earlier core has that name");
    if (it->second.rank() != 4) throw InputError(a.where + ": refinenet_decoder expects feature maps (N, C, H, W)");
    maps.push_back(it->second);
  }
  if (maps.empty()) maps.push_back(x);
  const std::int64_t out = channels(a, "out", c, 256);
  const bool expand = a.flag("expand", false);
  std::vector<Value> rn;
  for (std::size_t i = 0; i < maps.size(); ++i)
    rn.push_back(conv_bias(b, maps[i], expand ? out << i : out, 3, false, "layer" + std::to_string(i + 1) + "_rn"));
  Value path;
  for (std::size_t i = maps.size(); i-- > 0;) {
    Scope s(b, "refinenet" + std::to_string(i + 1));
    Value y = i + 1 == maps.size() ? rn[i] : b.add(path, residual_conv_unit(b, rn[i], "resConfUnit1"));
    y = residual_conv_unit(b, y, "resConfUnit2");
    const std::int64_t h = i > 0 ? rn[i - 1].dim(2) : 2 * y.dim(2), w = i > 0 ? rn[i - 1].dim(3) : 2 * y.dim(3);
    y = b.resize_to(y, h, w);
    path = conv_bias(b, y, expand && i > 0 ? y.dim(1) / 2 : y.dim(1), 1, true, "out_conv");
  }
  return path;
}

// The depth head (output_conv): 3×3 to half the channels, bilinear ×2, 3×3 to HIDDEN, ReLU, 1×1
// to one channel, ReLU (non-negative inverse depth); the channel axis squeezed: (N, H, W).
Value core_depth_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  Value y = conv_bias(b, x, x.dim(1) / 2, 3, true, "0");
  y = b.resize_to(y, 2 * y.dim(2), 2 * y.dim(3));
  y = b.activation(conv_bias(b, y, channels(a, "hidden", c, 32), 3, true, "2"), "relu");
  y = conv_bias(b, y, 1, 1, true, "4");
  if (a.flag("non_negative", true)) y = b.activation(y, "relu");
  return b.reshape(y, {y.dim(0), y.dim(2), y.dim(3)});
}

// BiT's convolutions standardise their weights (mean 0, variance 1 per output channel) before
// use: a reparameterisation of the same weights, with no effect on parameters or MACs; the
// graph convolves with the stored weights directly.
Value gn_conv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, bool act, const std::string& conv_scope,
              const std::string& norm_scope) {
  Value y;
  {
    Scope c(b, conv_scope);
    y = b.conv(x, out, {k}, {s}, {(k - 1) / 2}, 1, false);
  }
  Scope n(b, norm_scope);
  y = group_norm(b, y, 32, 1e-5f);
  return act ? b.activation(y, "relu") : y;
}

// ResNetV2's "same" stem: 7×7 stride 2, GroupNorm, ReLU, 3×3 max-pool stride 2.
Value core_bit_stem(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "an image (N, C, H, W)");
  const Value y = gn_conv(b, x, channels(a, "out", c, 64), 7, 2, true, "conv", "norm");
  return b.max_pool(y, {3}, {2}, {1});
}

// ResNetV2's bottleneck without pre-activation (BiT hybrids): 1×1, 3×3 (the stride), 1×1, each
// with GroupNorm(32), ReLU after the first two and after the sum; a 1×1 projection with GroupNorm
// on the first block's skip.
Value core_bit_bottleneck(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "a feature map (N, C, H, W)");
  const std::int64_t mid = channels(a, "mid", c), out = channels(a, "out", c, 4 * mid);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, "blocks." + std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    Value y = gn_conv(b, x, mid, 1, 1, true, "conv1", "norm1");
    y = gn_conv(b, y, mid, 3, stride, true, "conv2", "norm2");
    y = gn_conv(b, y, out, 1, 1, false, "conv3", "norm3");
    const Value skip = stride != 1 || x.dim(1) != out ? gn_conv(b, x, out, 1, stride, false, "downsample.conv", "downsample.norm") : x;
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

// DPT's reassembly of one transformer stage (vit.py act_postprocess3/4 with use_readout
// "project"): each patch token concatenated with the class token, projected back to D by a
// linear layer with GELU, laid out on the patch grid, a 1×1 convolution to OUT channels, and for
// `resample: down` a 3×3 stride-2 convolution (the coarsest map).
Value core_dpt_reassemble(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "tokens (N, 1 + H·W, D)");
  const std::int64_t B = x.dim(0), N = x.dim(1) - 1, D = x.dim(2);
  const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(N))));
  if (side * side != N) throw InputError(a.where + ": dpt_reassemble: " + std::to_string(N) + " patch tokens are not a square grid");
  const Value patches = b.slice(x, 1, 1, N + 1), cls = b.slice(x, 1, 0, 1);
  Value y;
  {
    Scope s(b, "0.project.0");
    y = b.linear(b.concat({patches, b.expand(cls, {B, N, D})}, 2), D);
  }
  y = b.activation(y, "gelu");
  y = b.reshape(b.transpose(y, {0, 2, 1}), {B, D, side, side});
  const std::int64_t out = channels(a, "out", c, D);
  {
    Scope s(b, "3");
    y = b.conv(y, out, {1}, {1}, {0}, 1, true);
  }
  const std::string resample = a.text("resample", "none");
  if (resample == "down") {
    Scope s(b, "4");
    y = b.conv(y, out, {3}, {2}, {1}, 1, true);
  } else if (resample != "none") {
    throw InputError(a.where + ": dpt_reassemble resample '" + resample + "': expected none or down");
  }
  return y;
}

}  // namespace

void add_depth_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"refinenet_decoder", "neck", "MiDaS/DPT fusion decoder: 3×3 projections of four encoder maps, residual fusion blocks, ×2 upsampling",
       "merges coarse context and fine detail, coarsest first: each step adds the next finer encoder map through residual "
       "convolution units and doubles the resolution (Ranftl et al. 2020, after RefineNet). Most of its MACs are the 3×3 "
       "convolutions at the finest levels.",
       {{"features", "names of the four encoder maps, finest first (default: the input only)"}, {"out", "channels (default 256)"},
        {"expand", "true: OUT, 2·OUT, 4·OUT, 8·OUT channels from fine to coarse (MiDaS small)"}, kScale, kDivisor},
       core_refinenet_decoder},
      {"depth_head", "head", "depth head: 3×3 to half the channels, ×2 upsampling, 3×3, ReLU, 1×1 to one channel (inverse depth)",
       "turns the decoder's features into one relative inverse depth per pixel at the input's resolution.",
       {{"hidden", "channels of the second convolution (default 32)"}, {"non_negative", "a final ReLU (default true)"}, kScale, kDivisor},
       core_depth_head},
      {"bit_stem", "stem", "BiT ResNetV2 stem: 7×7 stride-2 convolution, GroupNorm, ReLU, 3×3 max-pool",
       "the convolutional front of ViT-hybrid encoders (Kolesnikov et al. 2020): GroupNorm instead of BatchNorm, so it "
       "trains with any batch size.", {{"out", "channels (default 64)"}, kScale, kDivisor}, core_bit_stem},
      {"bit_bottleneck", "backbone", "BiT ResNetV2 bottleneck (no pre-activation): 1×1, 3×3, 1×1 with GroupNorm(32), skip",
       "ResNet's bottleneck with GroupNorm and weight-standardised convolutions (BiT), as DPT-hybrid's encoder uses three stages "
       "of them before its transformer.",
       {{"mid", "channels of the 3×3"}, {"out", "output channels (default 4·mid)"}, kStride, kRepeat, kScale, kDivisor}, core_bit_bottleneck},
      {"dpt_reassemble", "neck", "DPT reassembly: tokens with the class token projected in, laid out on the patch grid, 1×1 (and a stride-2 3×3)",
       "turns a transformer stage's tokens back into a feature map the convolutional decoder can fuse (Ranftl et al. 2021).",
       {{"out", "channels (default: the token width)"}, {"resample", "none (default) or down: a 3×3 stride-2 convolution"}, kScale, kDivisor},
       core_dpt_reassemble},
  });
}

}  // namespace sml::compose::detail
