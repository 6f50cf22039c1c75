// Hierarchical vision backbones after ViT: ConvNeXt stages (Liu et al. 2022), Swin Transformer
// stages with shifted windows (Liu et al. 2021) and MaxViT stages (Tu et al. 2022), plus the
// channels-first LayerNorm and axis permutation they need. Layer for layer as torchvision's
// convnext_*, swin_* (v1) and maxvit_t.
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

// Multi-head self-attention within groups of N = w·w positions, Y (G, N, C), with a learned
// relative position bias ((2w−1)² × heads table, indexed as Swin and MaxViT index it) and an
// optional additive MASK (G/nW, nW, 1, N, N) broadcast over the heads.
Value relative_attention(GraphBuilder& b, const Value& y, std::int64_t heads, std::int64_t w, const Value* mask, const char* qkv_name,
                         const char* proj_name) {
  const std::int64_t G = y.dim(0), N = y.dim(1), C = y.dim(2), d = C / heads;
  Value qkv;
  {
    Scope s(b, qkv_name);
    qkv = b.transpose(b.reshape(b.linear(y, 3 * C), {G, N, 3, heads, d}), {2, 0, 3, 1, 4});  // 3, G, h, N, d
  }
  auto part = [&](std::int64_t i) { return b.reshape(b.slice(qkv, 0, i, i + 1), {G, heads, N, d}); };
  Value scores = b.matmul(b.mul(part(0), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d))))), b.transpose(part(1), {0, 1, 3, 2}));
  std::vector<std::int64_t> index(static_cast<std::size_t>(N * N));
  for (std::int64_t i = 0; i < N; ++i)
    for (std::int64_t j = 0; j < N; ++j)
      index[static_cast<std::size_t>(i * N + j)] = (i / w - j / w + w - 1) * (2 * w - 1) + (i % w - j % w + w - 1);
  const Value table = b.weight("relative_position_bias_table", {(2 * w - 1) * (2 * w - 1), heads}, Fill::kNormal002);
  scores = b.add(scores, b.transpose(b.reshape(b.gather(table, b.ints(index), 0), {N, N, heads}), {2, 0, 1}));
  if (mask) {
    const std::int64_t nW = mask->dim(1);
    scores = b.reshape(b.add(b.reshape(scores, {G / nW, nW, heads, N, N}), *mask), {G, heads, N, N});
  }
  Value ctx = b.matmul(b.softmax(scores, -1), part(2));
  ctx = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {G, N, C});
  Scope s(b, proj_name);
  return b.linear(ctx, C);
}

// Window attention of one Swin block: attention inside w×w windows and, for shifted windows, the
// mask that keeps positions from different image regions apart (−100, as torchvision).
Value window_attention(GraphBuilder& b, const Value& x, std::int64_t heads, std::int64_t w, std::int64_t sh, std::int64_t sw) {
  const std::int64_t H = x.dim(1), W = x.dim(2), N = w * w, nW = (H / w) * (W / w);
  const Value y = to_windows(b, roll(b, roll(b, x, 1, -sh), 2, -sw), w);
  Value mask;
  if (sh || sw) {
    // Region of each position of the shifted map: 3 bands per shifted axis (torchvision's slices).
    auto band = [&](std::int64_t p, std::int64_t L, std::int64_t s) { return s == 0 ? 0 : p < L - w ? 0 : p < L - s ? 1 : 2; };
    std::vector<std::int64_t> m(static_cast<std::size_t>(nW * N * N));
    for (std::int64_t win = 0; win < nW; ++win)
      for (std::int64_t i = 0; i < N; ++i)
        for (std::int64_t j = 0; j < N; ++j) {
          auto region = [&](std::int64_t p) {
            const std::int64_t r = (win / (W / w)) * w + p / w, col = (win % (W / w)) * w + p % w;
            return band(r, H, sh) * 3 + band(col, W, sw);
          };
          m[static_cast<std::size_t>((win * N + i) * N + j)] = region(i) == region(j) ? 0 : -100;
        }
    mask = b.to_float(b.ints(m, {1, nW, 1, N, N}));
  }
  const Value ctx = from_windows(b, relative_attention(b, y, heads, w, sh || sw ? &mask : nullptr, "qkv", "proj"), x.shape, w);
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

// MaxViT's MBConv: pre-BatchNorm, 1×1 expand, depthwise 3×3 (the stride), squeeze-excitation
// (SiLU, sized from the output), 1×1 project with bias; the skip is pooled and projected when the
// shape changes.
Value maxvit_mbconv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t stride, const CoreArgs& a) {
  const std::int64_t in = x.dim(1), mid = static_cast<std::int64_t>(static_cast<double>(out) * a.number("expand", 4));
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  Value skip = x;
  if (stride != 1 || in != out) {
    Scope s(b, "proj");
    if (stride != 1) skip = b.avg_pool(skip, {3}, {stride}, {1});
    skip = b.conv(skip, out, {1}, {1}, {0}, 1, true);
  }
  Value y;
  {
    Scope s(b, "pre_norm");
    y = b.batch_norm(x, eps);
  }
  y = conv_bn(b, y, mid, 1, 1, 1, "gelu", eps, true, false, "conv_a");
  y = conv_bn(b, y, mid, 3, stride, mid, "gelu", eps, true, false, "conv_b");
  y = squeeze_excite(b, y, channel_count(static_cast<double>(out) * a.number("se", 0.25)), "silu");
  {
    Scope s(b, "conv_c");
    y = b.conv(y, out, {1}, {1}, {0}, 1, true);
  }
  return b.add(skip, y);
}

// MaxViT's block (window) or grid attention on an (N, C, H, W) map: positions grouped into P×P
// windows, or into P×P groups spread over the whole map at a stride of H/P; in each group
// pre-norm attention with relative position bias, then a pre-norm MLP.
Value partition_attention(GraphBuilder& b, const Value& x, std::int64_t P, bool grid, const CoreArgs& a) {
  const std::int64_t B = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3), p = grid ? H / P : P, hp = H / p, wp = W / p;
  const float eps = static_cast<float>(a.number("ln_eps", 1e-5));
  const std::int64_t heads = C / a.integer("head_dim", 32);
  Value y = b.reshape(b.transpose(b.reshape(x, {B, C, hp, p, wp, p}), {0, 2, 4, 3, 5, 1}), {B, hp * wp, p * p, C});
  if (grid) y = b.transpose(y, {0, 2, 1, 3});  // P² positions per group, strided over the map
  const Shape grouped = y.shape;
  y = b.reshape(y, {grouped[0] * grouped[1], grouped[2], C});
  Value h;
  {
    Scope s(b, "attn_layer.0");
    h = b.layer_norm(y, eps);
  }
  {
    Scope s(b, "attn_layer.1");
    y = b.add(y, relative_attention(b, h, heads, P, nullptr, "to_qkv", "merge"));
  }
  {
    Scope s(b, "mlp_layer.0");
    h = b.layer_norm(y, eps);
  }
  {
    Scope s(b, "mlp_layer.1");
    h = b.activation(b.linear(h, C * a.integer("mlp_ratio", 4)), "gelu");
  }
  {
    Scope s(b, "mlp_layer.3");
    y = b.add(y, b.linear(h, C));
  }
  y = b.reshape(y, grouped);
  if (grid) y = b.transpose(y, {0, 2, 1, 3});
  return b.reshape(b.transpose(b.reshape(y, {B, hp, wp, p, p, C}), {0, 5, 1, 3, 2, 4}), {B, C, H, W});
}

// MaxViT stage (Tu et al. 2022): layers of MBConv, block attention and grid attention; the first
// layer halves the resolution.
Value core_maxvit_stage(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = channels(a, "out", c), P = a.integer("partition", 7), hd = a.integer("head_dim", 32);
  if (hd < 1 || out % hd) throw InputError(a.where + ": maxvit_stage: " + std::to_string(out) + " channels do not split into heads of " + std::to_string(hd));
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, "layers." + std::to_string(i) + ".layers");
    const std::int64_t stride = i == 0 ? a.integer("stride", 2) : 1;
    {
      Scope m(b, "MBconv");
      x = maxvit_mbconv(b, x, out, stride, a);
    }
    if (x.dim(2) % P || x.dim(3) % P)
      throw InputError(a.where + ": maxvit_stage: a " + std::to_string(x.dim(2)) + "×" + std::to_string(x.dim(3)) + " map does not split into " +
                       std::to_string(P) + "×" + std::to_string(P) + " partitions (choose an input size that does)");
    {
      Scope w(b, "window_attention");
      x = partition_attention(b, x, P, false, a);
    }
    Scope g(b, "grid_attention");
    x = partition_attention(b, x, P, true, a);
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
       core_swin_stage},
      {"maxvit_stage", "backbone", "MaxViT stage (layers of MBConv, block attention in P×P windows, grid attention over a P×P strided grid)",
       "local windows and a dilated global grid give every layer both local and global attention at linear cost in the image "
       "size (Tu et al. 2022); the MBConv adds convolutional locality and does the downsampling.",
       {{"out", "channels"}, {"partition", "window and grid size P (default 7)"}, {"head_dim", "channels per attention head (default 32)"},
        {"expand", "MBConv expansion (default 4)"}, {"se", "squeeze ratio of the output channels (default 0.25)"}, {"mlp_ratio", "default 4"},
        {"eps", "BatchNorm epsilon (default 1e-3)"}, {"ln_eps", "LayerNorm epsilon (default 1e-5)"}, {"stride", "stride of the first layer (default 2)"},
        kRepeat, kScale, kDivisor},
       core_maxvit_stage}
  });
}

}  // namespace sml::compose::detail
