// Hierarchical vision backbones after ViT: ConvNeXt stages (Liu et al. 2022) and Swin
// Transformer stages with shifted windows (Liu et al. 2021), plus the channels-first LayerNorm and
// axis permutation they need. Layer for layer as torchvision's convnext_* and swin_* (v1).
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// LayerNorm over the channels of an (N, C, H, W) map: to channels-last, normalise, back.
Value layer_norm_2d(GraphBuilder& b, const Value& x, float eps, const std::string& scope) {
  Scope s(b, scope);
  return b.transpose(b.layer_norm(b.transpose(x, {0, 2, 3, 1}), eps), {0, 3, 1, 2});
}

Value core_layer_norm_2d(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  return layer_norm_2d(b, x, static_cast<float>(a.number("eps", 1e-6)), "norm");
}

Value core_permute(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  const std::vector<std::int64_t> perm = a.integers("perm", {});
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<std::int64_t>(i)) sorted.clear();
  if (sorted.empty() || static_cast<int>(perm.size()) != x.rank())
    throw InputError(a.where + ": permute perm: expected a permutation of 0.." + std::to_string(x.rank() - 1));
  return b.transpose(x, perm);
}

// ConvNeXt stage: optional downsampling (LayerNorm, 2×2 stride-2 convolution), then blocks of
// depthwise 7×7, LayerNorm, 4× MLP with GELU, per-channel layer scale, residual.
Value core_convnext_stage(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "a feature map (N, C, H, W)");
  const std::int64_t dim = channels(a, "out", c), k = a.integer("kernel", 7);
  const float eps = static_cast<float>(a.number("eps", 1e-6));
  Value x = x0;
  if (a.flag("downsample", x.dim(1) != dim)) {
    Scope s(b, "downsample");
    x = layer_norm_2d(b, x, eps, "0");
    Scope cv(b, "1");
    x = b.conv(x, dim, {2}, {2}, {0}, 1, true);
  }
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    Value y;
    {
      Scope d(b, "dwconv");
      y = b.conv(x, dim, {k}, {1}, {(k - 1) / 2}, dim, true);
    }
    y = b.transpose(y, {0, 2, 3, 1});  // channels last for the norm and the MLP
    {
      Scope n(b, "norm");
      y = b.layer_norm(y, eps);
    }
    {
      Scope f(b, "pwconv1");
      y = b.activation(b.linear(y, 4 * dim), "gelu");
    }
    {
      Scope f(b, "pwconv2");
      y = b.linear(y, dim);
    }
    if (a.flag("layer_scale", true)) y = b.mul(y, b.weight("layer_scale", {dim}, Fill::kOnes));
    x = b.add(x, b.transpose(y, {0, 3, 1, 2}));
  }
  return x;
}

// Swin's cyclic shift: ROLL positions along AXIS (negative: towards the start), as torch.roll.
Value roll(GraphBuilder& b, const Value& x, std::int64_t axis, std::int64_t shift) {
  const std::int64_t n = x.dim(static_cast<int>(axis)), s = ((shift % n) + n) % n;
  if (s == 0) return x;
  return b.concat({b.slice(x, axis, n - s, n), b.slice(x, axis, 0, n - s)}, axis);
}

// (B, H, W, C) ↔ (B·windows, w·w, C).
Value to_windows(GraphBuilder& b, const Value& x, std::int64_t w) {
  const std::int64_t B = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  return b.reshape(b.transpose(b.reshape(x, {B, H / w, w, W / w, w, C}), {0, 1, 3, 2, 4, 5}), {B * (H / w) * (W / w), w * w, C});
}
Value from_windows(GraphBuilder& b, const Value& x, const Shape& shape, std::int64_t w) {
  const std::int64_t B = shape[0], H = shape[1], W = shape[2], C = shape[3];
  return b.reshape(b.transpose(b.reshape(x, {B, H / w, W / w, w, w, C}), {0, 1, 3, 2, 4, 5}), {B, H, W, C});
}

// Window attention of one Swin block: multi-head self-attention inside w×w windows, a learned
// relative position bias ((2w−1)² × heads table) and, for shifted windows, the mask that keeps
// positions from different image regions apart (−100, as torchvision).
Value window_attention(GraphBuilder& b, const Value& x, std::int64_t heads, std::int64_t w, std::int64_t sh, std::int64_t sw) {
  const std::int64_t B = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3), N = w * w, nW = (H / w) * (W / w), d = C / heads;
  Value y = roll(b, roll(b, x, 1, -sh), 2, -sw);
  y = to_windows(b, y, w);
  const std::int64_t Bw = y.dim(0);
  Value qkv;
  {
    Scope s(b, "qkv");
    qkv = b.transpose(b.reshape(b.linear(y, 3 * C), {Bw, N, 3, heads, d}), {2, 0, 3, 1, 4});  // 3, Bw, h, N, d
  }
  auto part = [&](std::int64_t i) { return b.reshape(b.slice(qkv, 0, i, i + 1), {Bw, heads, N, d}); };
  Value scores = b.matmul(b.mul(part(0), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d))))), b.transpose(part(1), {0, 1, 3, 2}));
  {
    std::vector<std::int64_t> index(static_cast<std::size_t>(N * N));
    for (std::int64_t i = 0; i < N; ++i)
      for (std::int64_t j = 0; j < N; ++j)
        index[static_cast<std::size_t>(i * N + j)] = (i / w - j / w + w - 1) * (2 * w - 1) + (i % w - j % w + w - 1);
    const Value table = b.weight("relative_position_bias_table", {(2 * w - 1) * (2 * w - 1), heads}, Fill::kNormal002);
    scores = b.add(scores, b.transpose(b.reshape(b.gather(table, b.ints(index), 0), {N, N, heads}), {2, 0, 1}));
  }
  if (sh || sw) {
    // Region of each position of the shifted map: 3 bands per shifted axis (torchvision's slices).
    auto band = [&](std::int64_t p, std::int64_t L, std::int64_t s) { return s == 0 ? 0 : p < L - w ? 0 : p < L - s ? 1 : 2; };
    std::vector<std::int64_t> mask(static_cast<std::size_t>(nW * N * N));
    for (std::int64_t win = 0; win < nW; ++win)
      for (std::int64_t i = 0; i < N; ++i)
        for (std::int64_t j = 0; j < N; ++j) {
          auto region = [&](std::int64_t p) {
            const std::int64_t r = (win / (W / w)) * w + p / w, col = (win % (W / w)) * w + p % w;
            return band(r, H, sh) * 3 + band(col, W, sw);
          };
          mask[static_cast<std::size_t>((win * N + i) * N + j)] = region(i) == region(j) ? 0 : -100;
        }
    const Value m = b.to_float(b.ints(mask, {1, nW, 1, N, N}));
    scores = b.reshape(b.add(b.reshape(scores, {B, nW, heads, N, N}), m), {Bw, heads, N, N});
  }
  Value ctx = b.matmul(b.softmax(scores, -1), part(2));
  ctx = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {Bw, N, C});
  {
    Scope s(b, "proj");
    ctx = b.linear(ctx, C);
  }
  ctx = from_windows(b, ctx, x.shape, w);
  return roll(b, roll(b, ctx, 1, sh), 2, sw);
}

// Swin stage on a channels-last (B, H, W, C) map: optional patch merging (2×2 neighbours
// concatenated, LayerNorm, linear 4C → 2C without bias), then blocks alternating regular and
// shifted windows.
Value core_swin_stage(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "a channels-last map (N, H, W, C)");
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  const std::int64_t w = a.integer("window", 7);
  Value x = x0;
  if (a.flag("merge", false)) {
    Scope s(b, "merge");
    const std::int64_t B = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
    if (H % 2 || W % 2) throw InputError(a.where + ": swin_stage merge: " + std::to_string(H) + "×" + std::to_string(W) + " is not even");
    // x[0::2, 0::2], x[1::2, 0::2], x[0::2, 1::2], x[1::2, 1::2] concatenated on channels.
    x = b.reshape(b.transpose(b.reshape(x, {B, H / 2, 2, W / 2, 2, C}), {0, 1, 3, 4, 2, 5}), {B, H / 2, W / 2, 4 * C});
    {
      Scope n(b, "norm");
      x = b.layer_norm(x, eps);
    }
    Scope r(b, "reduction");
    x = b.linear(x, channels(a, "out", c, 2 * C), false);
  }
  const std::int64_t H = x.dim(1), W = x.dim(2), C = x.dim(3);
  if (H % w || W % w)
    throw InputError(a.where + ": swin_stage: a " + std::to_string(H) + "×" + std::to_string(W) + " map does not split into " +
                     std::to_string(w) + "×" + std::to_string(w) + " windows (choose an input size that does)");
  std::int64_t heads = a.integer("heads", 1);
  if (c.width != 1) heads = std::max<std::int64_t>(1, std::llround(static_cast<double>(heads) * c.width));
  if (heads < 1 || C % heads) throw InputError(a.where + ": swin_stage: width " + std::to_string(C) + " does not split into " + std::to_string(heads) + " heads");
  const std::int64_t hidden = C * a.integer("mlp_ratio", 4);
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    // Odd blocks shift by half a window, except along an axis no longer than one window.
    const std::int64_t sh = i % 2 && H > w ? w / 2 : 0, sw = i % 2 && W > w ? w / 2 : 0;
    Value h;
    {
      Scope n1(b, "norm1");
      h = b.layer_norm(x, eps);
    }
    {
      Scope at(b, "attn");
      x = b.add(x, window_attention(b, h, heads, w, sh, sw));
    }
    {
      Scope n2(b, "norm2");
      h = b.layer_norm(x, eps);
    }
    Scope m(b, "mlp");
    {
      Scope f(b, "0");
      h = b.activation(b.linear(h, hidden), "gelu");
    }
    Scope f(b, "3");
    x = b.add(x, b.linear(h, C));
  }
  return x;
}

}  // namespace

void add_vit_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"layer_norm_2d", "backbone", "LayerNorm over the channels of an (N, C, H, W) map",
       "ConvNeXt normalises channels as a transformer does, not batches as BatchNorm does.", {{"eps", "default 1e-6"}},
       core_layer_norm_2d},
      {"permute", "backbone", "reorder axes (e.g. [0, 2, 3, 1]: channels last)",
       "Swin works on channels-last maps; a head that pools expects channels first. No parameters, no MACs.",
       {{"perm", "the new order of the axes"}}, core_permute},
      {"convnext_stage", "backbone", "ConvNeXt stage ([LayerNorm + 2×2 stride-2 downsampling], blocks of depthwise 7×7, LayerNorm, 4× MLP, layer scale)",
       "a ResNet modernised with transformer choices (large depthwise kernels, LayerNorm, GELU, inverted MLP): most MACs sit "
       "in the two pointwise layers, 8·C² per position (Liu et al. 2022).",
       {{"out", "channels"}, {"kernel", "depthwise kernel (default 7)"}, {"downsample", "begin with LayerNorm + 2×2/2 conv (default: when channels change)"},
        {"layer_scale", "per-channel output scale (default true)"}, {"eps", "LayerNorm epsilon (default 1e-6)"}, kRepeat, kScale, kDivisor},
       core_convnext_stage},
      {"swin_stage", "backbone", "Swin Transformer stage ([patch merging], blocks of window attention with relative position bias, shifted every other block, and MLP)",
       "attention inside w×w windows costs linearly in the image size, not quadratically; shifting the windows every other "
       "block lets information cross them (Liu et al. 2021). Works on channels-last (N, H, W, C) maps.",
       {{"heads", "attention heads"}, {"window", "window size (default 7)"}, {"merge", "begin with 2×2 patch merging (default false)"},
        {"out", "channels after merging (default 2C)"}, {"mlp_ratio", "default 4"}, {"eps", "LayerNorm epsilon (default 1e-5)"}, kRepeat, kScale, kDivisor},
       core_swin_stage}
  });
}

}  // namespace sml::compose::detail
