// Video cores over (N, C, T, H, W) clips: the 3-D ResNet blocks of Tran et al. 2018 (R3D, MC3,
// R(2+1)D; arXiv:1711.11248) and S3D's separable inception blocks (Xie et al. 2018,
// arXiv:1712.04851), as torchvision.models.video builds them.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

using Dims = std::vector<std::int64_t>;

// One of torchvision's conv builders with BatchNorm after it: "3d" a 3×3×3 convolution
// (Conv3DSimple), "2d" a 1×3×3 one that leaves time alone (Conv3DNoTemporal, MC3), "2plus1d" a
// 1×3×3 spatial convolution to MID channels, BN, ReLU, then a 3×1×1 temporal one (Conv2Plus1D).
Value video_conv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t mid, std::int64_t stride, const std::string& kind,
                 const std::string& act, const std::string& scope) {
  Scope s(b, scope);
  if (kind == "3d") return conv_bn(b, x, out, Dims{3, 3, 3}, Dims{stride}, 1, act, 1e-5f);
  if (kind == "2d") return conv_bn(b, x, out, Dims{1, 3, 3}, Dims{1, stride, stride}, 1, act, 1e-5f);
  Value y = conv_bn(b, x, mid, Dims{1, 3, 3}, Dims{1, stride, stride}, 1, "relu", 1e-5f, true, false, "spatial");
  return conv_bn(b, y, out, Dims{3, 1, 1}, Dims{stride, 1, 1}, 1, act, 1e-5f, true, false, "temporal");
}

Value core_video_basic_block(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 5, "a clip (N, C, T, H, W)");
  const std::int64_t out = channels(a, "out", c);
  const std::string kind = a.text("conv", "3d");
  if (kind != "3d" && kind != "2d" && kind != "2plus1d")
    throw InputError(a.where + ": video_basic_block conv '" + kind + "': expected 3d, 2d or 2plus1d");
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t in = x.dim(1), stride = i == 0 ? a.integer("stride", 1) : 1;
    // R(2+1)D keeps the parameters of the 3×3×3 block it factorises (the paper's eq. 1), once per block.
    const std::int64_t mid = in * out * 27 / (in * 9 + 3 * out);
    Value y = video_conv(b, x, out, mid, stride, kind, "relu", "1");
    y = video_conv(b, y, out, mid, 1, kind, "none", "2");
    Value skip = x;
    if (stride != 1 || in != out) {  // 1×1×1 projection; MC3's keeps time, as its convolutions do
      const Dims ds = kind == "2d" ? Dims{1, stride, stride} : Dims{stride};
      skip = conv_bn(b, x, out, Dims{1}, ds, 1, "none", 1e-5f, true, false, "downsample");
    }
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

// S3D's TemporalSeparableConv: a 1×k×k spatial and a k×1×1 temporal conv-BN-ReLU.
Value separable(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t stride, float eps, const std::string& scope) {
  Scope s(b, scope);
  Value y = conv_bn(b, x, out, Dims{1, k, k}, Dims{1, stride, stride}, 1, "relu", eps, true, false, "spatial");
  return conv_bn(b, y, out, Dims{k, 1, 1}, Dims{stride, 1, 1}, 1, "relu", eps, true, false, "temporal");
}

Value core_temporal_sep_conv(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 5, "a clip (N, C, T, H, W)");
  return separable(b, x, channels(a, "out", c), a.integer("kernel", 3), a.integer("stride", 1), static_cast<float>(a.number("eps", 1e-3)), "");
}

// S3D's SepInceptionBlock3D: 1×1×1; 1×1×1 then separable 3; 1×1×1 then separable 3;
// 3×3×3 max-pool then 1×1×1; concatenated on channels.
Value core_sep_inception3d(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 5, "a clip (N, C, T, H, W)");
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  auto ch = [&](const char* key) { return channels(a, key, c); };
  std::vector<Value> br;
  br.push_back(conv_bn(b, x, ch("b0"), 1, 1, 1, "relu", eps, true, false, "branch0"));
  for (const char* k : {"1", "2"}) {
    Scope s(b, std::string("branch") + k);
    const std::string p = std::string("b") + k;
    Value y = conv_bn(b, x, ch((p + "_mid").c_str()), 1, 1, 1, "relu", eps, true, false, "0");
    br.push_back(separable(b, y, ch((p + "_out").c_str()), 3, 1, eps, "1"));
  }
  {
    Scope s(b, "branch3");
    br.push_back(conv_bn(b, b.max_pool(x, {3}, {1}, {1}), ch("b3"), 1, 1, 1, "relu", eps, true, false, "1"));
  }
  return b.concat(br, 1);
}

// Pooling with a window per axis (1×3×3, 2×2×2…): `max_pool` takes one size for every axis.
Value core_pool3d(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  const Dims k = a.integers("kernel", {2});
  const Dims s = a.integers("stride", k), p = a.integers("pad", {0});
  const std::string kind = a.text("kind", "max");
  if (kind == "max") return b.max_pool(x, k, s, p);
  if (kind == "avg") return b.avg_pool(x, k, s, p);
  throw InputError(a.where + ": pool3d kind '" + kind + "': expected max or avg");
}

// S3D's classifier: average pool over a fixed window, dropout, a 1×1×1 convolution with bias to
// the classes, then the mean over what is left of time and space.
Value core_conv_classifier(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  Value y = x;
  if (a.has("pool")) y = b.avg_pool(y, a.integers("pool", {1}), {1}, {0});
  y = b.dropout(y, static_cast<float>(a.number("dropout", 0)));
  {
    Scope s(b, "conv");
    y = b.conv(y, classes(a, c), {1}, {1}, {0}, 1, true);
  }
  return b.flatten(b.global_avg_pool(y));
}

// MViT (Fan et al. 2021, arXiv:2104.11227) as torchvision.models.video.mvit_v1_b builds it.
// The patch embedding: a 3×7×7 convolution with bias, stride 2×4×4, flattened to tokens; a class
// token; separable positional embeddings (one per spatial cell, one per frame, one for the class).
Value core_mvit_embed(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 5, "a clip (N, C, T, H, W)");
  const std::int64_t dim = channels(a, "dim", c, 96);
  const Dims k = a.integers("kernel", {3, 7, 7}), s = a.integers("stride", {2, 4, 4});
  Dims pads;
  for (auto kk : k) pads.push_back(kk / 2);
  Value y;
  {
    Scope sc(b, "conv_proj");
    y = b.conv(x, dim, k, s, pads, 1, true);
  }
  const std::int64_t B = x.dim(0), T = y.dim(2), HW = y.dim(3) * y.dim(4);
  y = b.transpose(b.reshape(y, {B, dim, T * HW}), {0, 2, 1});
  Scope pe(b, "pos_encoding");
  Value cls = b.weight("class_token", {1, 1, dim}, Fill::kNormal002);
  y = b.concat({B == 1 ? cls : b.expand(cls, {B, 1, dim}), y}, 1);
  const std::string positions = a.text("positions", "separable");
  if (positions == "none") return y;  // MViT v2: positions are relative, inside each block's attention
  if (positions != "separable") throw InputError(a.where + ": mvit_embed positions '" + positions + "': expected separable or none");
  // pos[t·HW + i] = temporal[t] + spatial[i], after the class token's own.
  Value grid = b.add(b.weight("temporal_pos", {T, 1, dim}, Fill::kNormal002), b.weight("spatial_pos", {1, HW, dim}, Fill::kNormal002));
  Value pos = b.concat({b.weight("class_pos", {1, 1, dim}, Fill::kNormal002), b.reshape(grid, {1, T * HW, dim})}, 1);
  return b.add(y, pos);
}

// Pooling of a (B, heads, 1 + T·H·W, d) tensor over its T×H×W grid (the class token passes by):
// a depthwise 3-D convolution without bias and a LayerNorm (pooling attention), or a max-pool
// (the skip connection, no norm). GRID is updated to the pooled one.
Value pool_tokens(GraphBuilder& b, const Value& x, Dims& grid, const Dims& k, const Dims& s, bool conv, float eps, const std::string& scope) {
  Scope sc(b, scope);
  const std::int64_t B = x.dim(0), h = x.dim(1), N = x.dim(2), d = x.dim(3);
  Dims pads;
  for (auto kk : k) pads.push_back(kk / 2);
  const Value cls = b.slice(x, 2, 0, 1);
  Value m = b.reshape(b.transpose(b.slice(x, 2, 1, N), {0, 1, 3, 2}), {B * h, d, grid[0], grid[1], grid[2]});
  if (conv) {
    Scope cv(b, "pool");
    m = b.conv(m, d, k, s, pads, d, false);
  } else {
    m = b.max_pool(m, k, s, pads);
  }
  grid = {m.dim(2), m.dim(3), m.dim(4)};
  Value y = b.concat({cls, b.transpose(b.reshape(m, {B, h, d, grid[0] * grid[1] * grid[2]}), {0, 1, 3, 2})}, 2);
  if (!conv) return y;
  Scope n(b, "norm");
  return b.layer_norm(y, eps);
}

// MViT v2's decomposed relative positions (Li et al. 2022, arXiv:2112.01526, eq. 4), as
// torchvision's _add_rel_pos computes them: a table per axis (height, width, time) of 2·size − 1
// rows of head width, looked up by the query-key distance (Gather with fixed indices), each
// multiplied with the queries (torch's einsums and matmul, the same MACs), summed
// by broadcasting to (Nq − 1)·(Nk − 1): the class token has no position.
// IN is the block's input grid: the tables are sized from it as torchvision sizes them.
Value relative_positions(GraphBuilder& b, const Value& q, const Dims& in, const Dims& qg, const Dims& kg, std::int64_t sq, std::int64_t skv,
                         const std::string& where) {
  const std::int64_t B = q.dim(0), h = q.dim(1), d = q.dim(3), size = std::max(in[1], in[2]);
  const std::int64_t spatial = 2 * std::max(size / sq, size / skv) - 1, temporal = 2 * in[0] - 1;
  if (2 * std::max(qg[1], kg[1]) - 1 != spatial || 2 * std::max(qg[2], kg[2]) - 1 != spatial || 2 * std::max(qg[0], kg[0]) - 1 != temporal)
    throw InputError(where + ": mvit_block version 2: this grid needs interpolated relative-position tables, which are not built");
  // torchvision's dist: q·max(k/q, 1) − (j + 1 − k)·max(q/k, 1), truncated to an index.
  auto table = [&](const char* leaf, std::int64_t rows, std::int64_t qn, std::int64_t kn) {
    const double qr = std::max(static_cast<double>(kn) / static_cast<double>(qn), 1.0), kr = std::max(static_cast<double>(qn) / static_cast<double>(kn), 1.0);
    std::vector<std::int64_t> idx;
    for (std::int64_t i = 0; i < qn; ++i)
      for (std::int64_t j = 0; j < kn; ++j) idx.push_back(static_cast<std::int64_t>(static_cast<double>(i) * qr - (static_cast<double>(j) + 1.0 - static_cast<double>(kn)) * kr));
    return b.gather(b.weight(leaf, {rows, d}, Fill::kNormal002), b.ints(idx, {qn, kn}), 0);
  };
  const Value Rh = table("rel_pos_h", spatial, qg[1], kg[1]), Rw = table("rel_pos_w", spatial, qg[2], kg[2]), Rt = table("rel_pos_t", temporal, qg[0], kg[0]);
  const std::int64_t Nq = q.dim(2);
  const Value rq = b.reshape(b.slice(q, 2, 1, Nq), {B, h, qg[0], qg[1], qg[2], d});
  // torch's einsum("bythwc,hkc->bythwk") as a MatMul batched over the looked-up axis (onnx 1.12's
  // shape inference leaves Einsum outputs unknown): (axis, rest, c) × (axis, c, k), then back.
  auto along = [&](const Value& R, int axis) {
    std::vector<std::int64_t> perm{axis}, back(6);
    for (int i = 0; i < 6; ++i)
      if (i != axis) perm.push_back(i);
    for (int i = 0; i < 6; ++i) back[static_cast<std::size_t>(perm[static_cast<std::size_t>(i)])] = i;
    const Value t = b.transpose(rq, perm);
    const Value m = b.matmul(b.reshape(t, {t.dim(0), t.dim(1) * t.dim(2) * t.dim(3) * t.dim(4), d}), b.transpose(R, {0, 2, 1}));
    return b.transpose(b.reshape(m, {t.dim(0), t.dim(1), t.dim(2), t.dim(3), t.dim(4), R.dim(1)}), back);
  };
  const Value rh = along(Rh, 3), rw = along(Rw, 4), rt = along(Rt, 2);
  const Dims lead{B, h, qg[0], qg[1], qg[2]};
  auto with = [&](const Value& v, const Dims& tail) {
    Dims s = lead;
    s.insert(s.end(), tail.begin(), tail.end());
    return b.reshape(v, s);
  };
  Value rel = b.add(b.add(with(rh, {1, kg[1], 1}), with(rw, {1, 1, kg[2]})), with(rt, {kg[0], 1, 1}));
  return b.reshape(rel, {B, h, Nq - 1, kg[0] * kg[1] * kg[2]});
}

// SCORES with REL added to every entry but the class token's row and column (torch's
// attn[:, :, 1:, 1:] += rel).
Value add_inner(GraphBuilder& b, const Value& scores, const Value& rel) {
  const std::int64_t Nq = scores.dim(2), Nk = scores.dim(3);
  const Value rest = b.slice(scores, 2, 1, Nq);
  return b.concat({b.slice(scores, 2, 0, 1), b.concat({b.slice(rest, 3, 0, 1), b.add(b.slice(rest, 3, 1, Nk), rel)}, 3)}, 2);
}

// One multiscale block. MViT v1 (pre-norm, the output projection of the MLP changes the width):
// pooling attention (Q pooled by stride_q, K and V by stride_kv with 3×3×3 depthwise
// convolutions and LayerNorms), a max-pooled skip when Q is pooled, an MLP to OUT channels, and
// a linear projection of the normed input on the skip when the width changes.
// MViT v2 (`version: 2`, torchvision's mvit_v2_s settings): Q is pooled in every block (stride 1
// too), decomposed relative positions are added to the scores, the pooled queries are added to
// the attention output (residual pooling, class token excepted), and the width changes inside the
// attention (qkv to OUT; the skip is a projection of the normed input), so the MLP keeps OUT.
Value core_mvit_block(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "tokens (N, 1 + T·H·W, D)");
  const std::int64_t B = x.dim(0), N = x.dim(1), C = x.dim(2), out = channels(a, "out", c, C);
  const std::int64_t version = a.integer("version", 1);
  if (version != 1 && version != 2) throw InputError(a.where + ": mvit_block version " + std::to_string(version) + ": expected 1 or 2");
  const bool v2 = version == 2;
  const std::int64_t width = v2 ? out : C;  // the attention's and the MLP's width
  const std::int64_t heads = std::max<std::int64_t>(1, a.integer("heads", 1)), d = width / heads;
  const float eps = static_cast<float>(a.number("eps", 1e-6));
  Dims grid = a.integers("grid", {});
  if (grid.size() != 3 || grid[0] * grid[1] * grid[2] + 1 != N)
    throw InputError(a.where + ": mvit_block grid: expected [T, H, W] with T·H·W + 1 = " + std::to_string(N) + " tokens");
  if (width % heads) throw InputError(a.where + ": mvit_block: " + std::to_string(width) + " channels do not split into " + std::to_string(heads) + " heads");
  Dims stride_q = a.integers("stride_q", {1}), stride_kv = a.integers("stride_kv", {1});
  const Dims k = a.integers("kernel", {3, 3, 3});
  stride_q.resize(3, stride_q.back());
  stride_kv.resize(3, stride_kv.back());
  const bool strided_q = std::any_of(stride_q.begin(), stride_q.end(), [](auto v) { return v > 1; });
  const bool pool_q = strided_q || v2;
  Value xn;
  {
    Scope s(b, "norm1");
    xn = b.layer_norm(x, eps);
  }
  Value attn;
  Dims qgrid = grid;
  {
    Scope s(b, "attn");
    Value qkv;
    {
      Scope l(b, "qkv");
      qkv = b.linear(xn, 3 * width);
    }
    auto head = [&](std::int64_t i) { return b.transpose(b.reshape(b.slice(qkv, 2, i * width, (i + 1) * width), {B, N, heads, d}), {0, 2, 1, 3}); };
    Value q = head(0), kk = head(1), v = head(2);
    Dims kgrid = grid, vgrid = grid;
    kk = pool_tokens(b, kk, kgrid, k, stride_kv, true, eps, "pool_k");
    v = pool_tokens(b, v, vgrid, k, stride_kv, true, eps, "pool_v");
    if (pool_q) q = pool_tokens(b, q, qgrid, k, stride_q, true, eps, "pool_q");
    const std::int64_t Nq = q.dim(2);
    Value scores = b.matmul(b.mul(q, b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d))))), b.transpose(kk, {0, 1, 3, 2}));
    if (v2) scores = add_inner(b, scores, relative_positions(b, q, grid, qgrid, kgrid, stride_q[1], stride_kv[1], a.where));
    Value ctx = b.matmul(b.softmax(scores, -1), v);
    if (v2) ctx = b.concat({b.slice(ctx, 2, 0, 1), b.add(b.slice(ctx, 2, 1, Nq), b.slice(q, 2, 1, Nq))}, 2);
    attn = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {B, Nq, width});
    Scope p(b, "project");
    attn = b.linear(attn, width);
  }
  Value skip = x;
  if (v2 && out != C) {
    Scope s(b, "project");
    skip = b.linear(xn, out);
  }
  if (strided_q) {
    Dims ks, g = grid;
    for (auto sv : stride_q) ks.push_back(sv > 1 ? sv + 1 : sv);
    skip = b.reshape(pool_tokens(b, b.reshape(skip, {B, 1, N, skip.dim(2)}), g, ks, stride_q, false, eps, "pool_skip"), {B, attn.dim(1), skip.dim(2)});
  }
  Value y = b.add(skip, attn), yn;
  {
    Scope s(b, "norm2");
    yn = b.layer_norm(y, eps);
  }
  Value mlp;
  {
    Scope s(b, "mlp.0");
    mlp = b.activation(b.linear(yn, 4 * width), "gelu");
  }
  {
    Scope s(b, "mlp.3");
    mlp = b.linear(mlp, out);
  }
  if (!v2 && out != C) {
    Scope s(b, "project");
    y = b.linear(yn, out);
  }
  return b.add(y, mlp);
}

}  // namespace

void add_video_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"video_basic_block", "backbone", "video ResNet basic block on clips: 3×3×3 (R3D), 1×3×3 (MC3) or (2+1)D factorised convolutions",
       "extends ResNet's two-convolution block to time (Tran et al. 2018). A 3×3×3 kernel costs 3× a 2-D one per frame; MC3 "
       "drops time from the later stages; R(2+1)D splits each 3×3×3 into a spatial and a temporal convolution with the same "
       "parameter count and an extra non-linearity.",
       {{"out", "output channels"}, kStride, kRepeat, {"conv", "3d (default), 2d (1×3×3, time untouched) or 2plus1d"}, kScale, kDivisor},
       core_video_basic_block},
      {"temporal_sep_conv", "backbone", "S3D separable convolution: 1×k×k spatial then k×1×1 temporal, each conv-BN-ReLU",
       "a 3-D convolution split into space and time: k²+k instead of k³ weights per channel pair (Xie et al. 2018).",
       {{"out", "output channels"}, {"kernel", "k (default 3)"}, {"stride", "stride in time and space"}, {"eps", "BatchNorm epsilon (default 1e-3)"}, kScale, kDivisor},
       core_temporal_sep_conv},
      {"sep_inception3d", "backbone", "S3D inception block: 1×1×1, two 1×1×1 + separable 3×3×3 branches, max-pool + 1×1×1",
       "GoogLeNet's inception block with separable 3-D convolutions (S3D): several receptive fields side by side, concatenated.",
       {{"b0", "1×1×1 branch channels"}, {"b1_mid", "branch 1 reduction"}, {"b1_out", "branch 1 output"}, {"b2_mid", "branch 2 reduction"},
        {"b2_out", "branch 2 output"}, {"b3", "pool branch channels"}, {"eps", "BatchNorm epsilon (default 1e-3)"}, kScale, kDivisor},
       core_sep_inception3d},
      {"pool3d", "backbone", "max or average pooling with a window per axis (video: 1×3×3, 3×3×3, 2×2×2)",
       "downsamples time and space separately; no parameters.",
       {{"kind", "max (default) or avg"}, {"kernel", "window, one per axis or one for all"}, {"stride", "step (default: the window)"}, {"pad", "padding"}},
       core_pool3d},
      {"pooled_conv_classifier", "head", "convolutional classifier: average pool, dropout, 1×1 convolution to the classes, mean (S3D)",
       "a classifier written as a 1×1(×1) convolution, averaged over what is left of time and space.",
       {{"num_classes", "classes"}, {"pool", "average-pool window before the convolution (one per axis)"}, {"dropout", "rate"}},
       core_conv_classifier},
      {"mvit_embed", "stem", "MViT patch embedding: 3×7×7 convolution (stride 2×4×4) to tokens, class token, separable space and time positions",
       "cuts the clip into overlapping space-time patches; positions are a table per spatial cell plus one per frame, far "
       "fewer parameters than one per token (Fan et al. 2021).",
       {{"dim", "channels (default 96)"}, {"kernel", "default [3, 7, 7]"}, {"stride", "default [2, 4, 4]"},
        {"positions", "separable (default, MViT v1) or none (MViT v2: relative positions in the blocks)"}, kScale, kDivisor},
       core_mvit_embed},
      {"mvit_block", "backbone", "MViT v1/v2 multiscale block: pooling attention (depthwise 3-D convolutions pool Q, K, V), MLP",
       "attention over pooled keys and values costs a fraction of full attention on 8×56×56 tokens; pooling the queries "
       "halves the resolution while the MLP doubles the channels, a CNN-like pyramid in a transformer (Fan et al. 2021).",
       {{"grid", "the input tokens' [T, H, W] (class token aside)"}, {"heads", "attention heads"}, {"out", "output channels (default: input)"},
        {"stride_q", "query pooling stride, e.g. [1, 2, 2] (default none)"}, {"stride_kv", "key/value pooling stride, e.g. [1, 8, 8]"},
        {"kernel", "pooling kernel (default [3, 3, 3])"}, {"eps", "LayerNorm epsilon (default 1e-6)"},
        {"version", "1 (default) or 2: MViT v2's decomposed relative positions, residual pooling, Q pooled in every block"}, kScale, kDivisor},
       core_mvit_block},
  });
}

}  // namespace sml::compose::detail
