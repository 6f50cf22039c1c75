// Latent diffusion cores (issue 13): Stable Diffusion's denoising UNet (Rombach et al. 2022,
// "High-Resolution Image Synthesis with Latent Diffusion Models", arXiv:2112.10752, section 3.3
// and appendix E.2; the module layout of diffusers' UNet2DConditionModel) and its KL autoencoder
// (diffusers' AutoencoderKL: Encoder, Decoder, quant_conv, post_quant_conv). Names follow
// diffusers' state dicts, so `--weights from:` can match them. One composition holds the whole
// pipeline; how often each part runs per image is the composition's `passes:` (derive.cpp).
#include "cores_common.hpp"

#include <cmath>

#include "sml/io/error.hpp"
#include "sml/compose/composition.hpp"

namespace sml::compose::detail {
namespace {

Value conv3(GraphBuilder& b, const Value& x, std::int64_t out, const char* scope, std::int64_t stride = 1) {
  Scope s(b, scope);
  return b.conv(x, out, {3}, {stride}, {1}, 1, true);
}

Value norm_act(GraphBuilder& b, const Value& x, std::int64_t groups, float eps, const char* scope) {
  Scope s(b, scope);
  return b.activation(group_norm(b, x, groups, eps), "silu");
}

// diffusers' ResnetBlock2D: GroupNorm, SiLU, 3×3; plus the projected time embedding (UNet only);
// GroupNorm, SiLU, 3×3; a 1×1 shortcut where the width changes.
Value resnet(GraphBuilder& b, const Value& x, std::int64_t out, const Value* temb, std::int64_t groups, float eps) {
  Value h = conv3(b, norm_act(b, x, groups, eps, "norm1"), out, "conv1");
  if (temb) {
    Scope s(b, "time_emb_proj");
    h = b.add(h, b.reshape(b.linear(b.activation(*temb, "silu"), out), {temb->dim(0), out, 1, 1}));
  }
  h = conv3(b, norm_act(b, h, groups, eps, "norm2"), out, "conv2");
  Value skip = x;
  if (x.dim(1) != out) {
    Scope s(b, "conv_shortcut");
    skip = b.conv(x, out, {1}, {1}, {0}, 1, true);
  }
  return b.add(skip, h);
}

// Scaled dot-product attention of X's tokens over CONTEXT's in HEADS heads: to_q, to_k, to_v
// (biased in the VAE, not in the UNet) and a biased to_out.
Value attention(GraphBuilder& b, const Value& x, const Value& context, std::int64_t heads, bool qkv_bias) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), T = context.dim(1), d = D / heads;
  auto project = [&](const Value& in, const char* name, std::int64_t len) {
    Scope s(b, name);
    return b.transpose(b.reshape(b.linear(in, D, qkv_bias), {B, len, heads, d}), {0, 2, 1, 3});  // B h len d
  };
  const Value q = project(x, "to_q", S), k = project(context, "to_k", T), v = project(context, "to_v", T);
  const Value scores = b.mul(b.matmul(q, b.transpose(k, {0, 1, 3, 2})), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  const Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "to_out.0");
  return b.linear(ctx, D);
}

Value layer_norm(GraphBuilder& b, const Value& x, const char* scope) {
  Scope s(b, scope);
  return b.layer_norm(x, 1e-5f);
}

Value tokens(GraphBuilder& b, const Value& x) {  // (B, C, H, W) → (B, H·W, C)
  return b.transpose(b.reshape(x, {x.dim(0), x.dim(1), x.dim(2) * x.dim(3)}), {0, 2, 1});
}

Value feature_map(GraphBuilder& b, const Value& t, const Shape& like) {  // (B, H·W, C) → (B, C, H, W)
  return b.reshape(b.transpose(t, {0, 2, 1}), like);
}

// diffusers' Transformer2DModel with one BasicTransformerBlock (the latent diffusion paper's
// spatial transformer): GroupNorm, proj_in (1×1 convolution, or a linear layer over the tokens
// where use_linear_projection is set: SD 2.x), self-attention, cross-attention to the text,
// GEGLU feed-forward (Shazeer 2020: a 2·4C projection, one half gating the other through GELU),
// proj_out, residual.
Value spatial_transformer(GraphBuilder& b, const Value& x, const Value& context, std::int64_t heads, bool linear, std::int64_t groups) {
  const std::int64_t C = x.dim(1);
  Value h;
  {
    Scope s(b, "norm");
    h = group_norm(b, x, groups, 1e-6f);
  }
  if (linear) {
    h = tokens(b, h);
    Scope s(b, "proj_in");
    h = b.linear(h, C);
  } else {
    {
      Scope s(b, "proj_in");
      h = b.conv(h, C, {1}, {1}, {0}, 1, true);
    }
    h = tokens(b, h);
  }
  {
    Scope blk(b, "transformer_blocks.0");
    {
      const Value n = layer_norm(b, h, "norm1");
      Scope s(b, "attn1");
      h = b.add(h, attention(b, n, n, heads, false));
    }
    {
      const Value n = layer_norm(b, h, "norm2");
      Scope s(b, "attn2");
      h = b.add(h, attention(b, n, context, heads, false));
    }
    const Value n = layer_norm(b, h, "norm3");
    Scope s(b, "ff.net");
    Value g;
    {
      Scope p(b, "0.proj");
      g = b.linear(n, 8 * C);
    }
    g = b.mul(b.slice(g, -1, 0, 4 * C), b.activation(b.slice(g, -1, 4 * C, 8 * C), "gelu"));
    Scope o(b, "2");
    h = b.add(h, b.linear(g, C));
  }
  if (linear) {
    {
      Scope s(b, "proj_out");
      h = b.linear(h, C);
    }
    h = feature_map(b, h, x.shape);
  } else {
    h = feature_map(b, h, x.shape);
    Scope s(b, "proj_out");
    h = b.conv(h, C, {1}, {1}, {0}, 1, true);
  }
  return b.add(h, x);
}

// Sinusoidal timestep features (diffusers' Timesteps with flip_sin_to_cos, shift 0: cos first),
// computed in the graph, so they are not parameters; then TimestepEmbedding (linear, SiLU, linear).
Value time_embedding(GraphBuilder& b, const Value& t, std::int64_t base, std::int64_t dim) {
  const std::int64_t half = base / 2;
  std::vector<std::int64_t> idx(static_cast<std::size_t>(half));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<std::int64_t>(i);
  const Value freq = b.unary("Exp", b.mul(b.to_float(b.ints(idx, {1, half})), b.scalar(static_cast<float>(-std::log(10000.0) / static_cast<double>(half)))));
  const Value ang = b.mul(b.reshape(t, {t.dim(0), 1}), freq);
  Value e = b.concat({b.unary("Cos", ang), b.unary("Sin", ang)}, 1);
  Scope s(b, "time_embedding");
  {
    Scope l(b, "linear_1");
    e = b.activation(b.linear(e, dim), "silu");
  }
  Scope l(b, "linear_2");
  return b.linear(e, dim);
}

std::vector<std::int64_t> per_level(const CoreArgs& a, const char* key, std::size_t levels, std::vector<std::int64_t> fallback) {
  auto v = a.integers(key, fallback);
  if (v.size() == 1) v.assign(levels, v[0]);
  if (v.size() != levels) throw InputError(a.where + ": " + a.core + " '" + key + "': expected one value or one per level (" + std::to_string(levels) + ")");
  return v;
}

// UNet2DConditionModel: conv_in; down levels of resnets (with spatial transformers where
// `attention` says), each but the last halving the map with a stride-2 3×3; a middle of
// resnet-transformer-resnet; up levels of one more resnet each, every resnet reading the
// matching down activation concatenated (the U's skips), each but the last doubling the map
// (nearest, then 3×3); GroupNorm, SiLU, conv_out.
Value core_sd_unet(GraphBuilder& b, const Value& sample, const CoreArgs& a, BuildContext& c) {
  need_rank(a, sample, 4, "a latent (N, C, H, W)");
  const auto ch = a.integers("channels", {320, 640, 1280, 1280});
  if (ch.empty() || ch.size() > 8) throw InputError(a.where + ": sd_unet 'channels': expected 1 to 8 levels");
  const std::size_t L = ch.size();
  const auto attn = per_level(a, "attention", L, {1, 1, 1, 0});
  const std::int64_t layers = a.integer("layers", 2), groups = a.integer("groups", 32);
  if (layers < 1 || layers > 16 || groups < 1) throw InputError(a.where + ": sd_unet: layers (1 to 16) and groups (at least 1) must be set sensibly");
  std::vector<std::int64_t> heads(L, 0);
  if (a.has("head_dim")) {  // SD 2.x: heads of 64 channels
    const std::int64_t d = a.integer("head_dim", 64);
    for (std::size_t i = 0; i < L; ++i) {
      if (d < 1 || ch[i] % d) throw InputError(a.where + ": sd_unet: " + std::to_string(ch[i]) + " channels do not split into heads of " + std::to_string(d));
      heads[i] = ch[i] / d;
    }
  } else {
    heads = per_level(a, "heads", L, {8});
  }
  for (std::size_t i = 0; i < L; ++i) {
    if (ch[i] < 1 || ch[i] % groups) throw InputError(a.where + ": sd_unet: " + std::to_string(ch[i]) + " channels do not split into " + std::to_string(groups) + " groups");
    if (heads[i] < 1 || ch[i] % heads[i]) throw InputError(a.where + ": sd_unet: " + std::to_string(ch[i]) + " channels do not split into " + std::to_string(heads[i]) + " heads");
  }
  const bool linear = a.flag("linear_projection", false);
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  const Value context = resolve(c, a, "context");
  if (context.rank() != 3) throw InputError(a.where + ": sd_unet context: expects the text encoder's states (N, tokens, D)");
  const Value t = resolve(c, a, "timestep");
  if (t.rank() != 1 || t.dtype != 1) throw InputError(a.where + ": sd_unet timestep: expects a float32 input of shape [N]");
  const Value temb = time_embedding(b, t, ch[0], a.integer("time_dim", 4 * ch[0]));

  auto level_block = [&](Value h, std::int64_t out, std::size_t level, const std::string& at) {
    {
      Scope s(b, "resnets." + at);
      h = resnet(b, h, out, &temb, groups, eps);
    }
    if (attn[level]) {
      Scope s(b, "attentions." + at);
      h = spatial_transformer(b, h, context, heads[level], linear, groups);
    }
    return h;
  };
  Value h = conv3(b, sample, ch[0], "conv_in");
  std::vector<Value> skips{h};
  for (std::size_t i = 0; i < L; ++i) {
    Scope s(b, "down_blocks." + std::to_string(i));
    for (std::int64_t j = 0; j < layers; ++j) skips.push_back(h = level_block(h, ch[i], i, std::to_string(j)));
    if (i + 1 < L) {
      if (h.dim(2) % 2 || h.dim(3) % 2) throw InputError(a.where + ": sd_unet: a " + shape_text(h.shape) + " map does not halve evenly (use a latent divisible by 2^(levels-1))");
      skips.push_back(h = conv3(b, h, ch[i], "downsamplers.0.conv", 2));
    }
  }
  {
    Scope s(b, "mid_block");
    {
      Scope r(b, "resnets.0");
      h = resnet(b, h, ch[L - 1], &temb, groups, eps);
    }
    {
      Scope r(b, "attentions.0");
      h = spatial_transformer(b, h, context, heads[L - 1], linear, groups);
    }
    Scope r(b, "resnets.1");
    h = resnet(b, h, ch[L - 1], &temb, groups, eps);
  }
  for (std::size_t i = 0; i < L; ++i) {
    const std::size_t level = L - 1 - i;
    Scope s(b, "up_blocks." + std::to_string(i));
    for (std::int64_t j = 0; j <= layers; ++j) {
      h = b.concat({h, skips.back()}, 1);
      skips.pop_back();
      h = level_block(h, ch[level], level, std::to_string(j));
    }
    if (i + 1 < L) h = conv3(b, b.resize_to(h, 2 * h.dim(2), 2 * h.dim(3), "nearest"), ch[level], "upsamplers.0.conv");
  }
  h = norm_act(b, h, groups, eps, "conv_norm_out");
  return conv3(b, h, a.integer("out", sample.dim(1)), "conv_out");
}

// The autoencoder's middle: resnet, single-head self-attention over the map (GroupNorm, biased
// q, k, v, out; residual), resnet — the same in its encoder and decoder.
Value vae_mid(GraphBuilder& b, Value h, std::int64_t groups) {
  Scope s(b, "mid_block");
  const std::int64_t C = h.dim(1);
  {
    Scope r(b, "resnets.0");
    h = resnet(b, h, C, nullptr, groups, 1e-6f);
  }
  {
    Scope at(b, "attentions.0");
    Value n;
    {
      Scope g(b, "group_norm");
      n = tokens(b, group_norm(b, h, groups, 1e-6f));
    }
    h = b.add(h, feature_map(b, attention(b, n, n, 1, true), h.shape));
  }
  Scope r(b, "resnets.1");
  return resnet(b, h, C, nullptr, groups, 1e-6f);
}

struct VaeSpec {
  std::vector<std::int64_t> ch;
  std::int64_t layers = 2, groups = 32, latent = 4;
};

VaeSpec vae_spec(const CoreArgs& a, const Value& x) {
  need_rank(a, x, 4, "a map (N, C, H, W)");
  VaeSpec v;
  v.ch = a.integers("channels", {128, 256, 512, 512});
  v.layers = a.integer("layers", 2);
  v.groups = a.integer("groups", 32);
  v.latent = a.integer("latent", 4);
  if (v.ch.empty() || v.ch.size() > 8 || v.layers < 1 || v.layers > 16 || v.groups < 1 || v.latent < 1)
    throw InputError(a.where + ": " + a.core + ": channels (1 to 8 levels), layers (1 to 16), groups and latent must be positive");
  for (auto c : v.ch)
    if (c < 1 || c % v.groups) throw InputError(a.where + ": " + a.core + ": " + std::to_string(c) + " channels do not split into " + std::to_string(v.groups) + " groups");
  return v;
}

// AutoencoderKL's decoder path for a latent: scaled back by 1/scaling_factor (the pipeline's
// step), post_quant_conv (1×1), conv_in, middle, up levels of layers+1 resnets (widths reversed),
// each but the last doubling the map, GroupNorm, SiLU, conv_out to RGB.
Value core_vae_decoder(GraphBuilder& b, const Value& z, const CoreArgs& a, BuildContext&) {
  const VaeSpec v = vae_spec(a, z);
  const double scaling = a.number("scaling", 0.18215);
  if (!(scaling > 0)) throw InputError(a.where + ": vae_decoder 'scaling' must be positive");
  Value h = b.mul(z, b.scalar(static_cast<float>(1 / scaling)));
  {
    Scope s(b, "post_quant_conv");
    h = b.conv(h, v.latent, {1}, {1}, {0}, 1, true);
  }
  Scope d(b, "decoder");
  h = vae_mid(b, conv3(b, h, v.ch.back(), "conv_in"), v.groups);
  const std::size_t L = v.ch.size();
  for (std::size_t i = 0; i < L; ++i) {
    Scope s(b, "up_blocks." + std::to_string(i));
    for (std::int64_t j = 0; j <= v.layers; ++j) {
      Scope r(b, "resnets." + std::to_string(j));
      h = resnet(b, h, v.ch[L - 1 - i], nullptr, v.groups, 1e-6f);
    }
    if (i + 1 < L) h = conv3(b, b.resize_to(h, 2 * h.dim(2), 2 * h.dim(3), "nearest"), h.dim(1), "upsamplers.0.conv");
  }
  return conv3(b, norm_act(b, h, v.groups, 1e-6f, "conv_norm_out"), a.integer("out", 3), "conv_out");
}

// AutoencoderKL's encoder path for an image: conv_in, down levels of resnets, each but the last
// halving the map (3×3 stride 2 padded only after: diffusers' Downsample2D with padding 0), middle,
// GroupNorm, SiLU, conv_out to mean and log-variance (2·latent), quant_conv (1×1). Text-to-image
// never runs it (img2img and training do); it is built so the pipeline's parameters are whole.
Value core_vae_encoder(GraphBuilder& b, const Value& img, const CoreArgs& a, BuildContext& c) {
  const VaeSpec v = vae_spec(a, img);
  Value h;
  {
    Scope e(b, "encoder");
    h = conv3(b, img, v.ch[0], "conv_in");
    for (std::size_t i = 0; i < v.ch.size(); ++i) {
      Scope s(b, "down_blocks." + std::to_string(i));
      for (std::int64_t j = 0; j < v.layers; ++j) {
        Scope r(b, "resnets." + std::to_string(j));
        h = resnet(b, h, v.ch[i], nullptr, v.groups, 1e-6f);
      }
      if (i + 1 < v.ch.size()) {
        Scope ds(b, "downsamplers.0.conv");
        h = b.conv(h, h.dim(1), {3}, {2}, {0, 0, 1, 1}, 1, true);
      }
    }
    h = vae_mid(b, h, v.groups);
    h = conv3(b, norm_act(b, h, v.groups, 1e-6f, "conv_norm_out"), 2 * v.latent, "conv_out");
  }
  Scope q(b, "quant_conv");
  h = b.conv(h, 2 * v.latent, {1}, {1}, {0}, 1, true);
  if (a.flag("output", true)) c.extra_outputs.push_back(h);  // a model output of its own (the latent's moments)
  return h;
}

}  // namespace

void add_diffusion_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"sd_unet", "backbone",
       "Stable Diffusion's denoising UNet: timestep embedding, down and up levels of ResNet blocks and spatial transformers "
       "(self-attention, cross-attention to the text, GEGLU) with skip concatenation",
       "the part that runs once per sampling step (twice with classifier-free guidance): its cost times the step count is most "
       "of an image's; attention over the 64×64 latent's 4,096 tokens is the expensive part at the top level.",
       {{"channels", "width per level (default 320,640,1280,1280)"}, {"layers", "resnets per down level (default 2; up levels have one more)"},
        {"attention", "1 where a level has spatial transformers (default 1,1,1,0)"}, {"heads", "heads per level (SD 1.x: 8)"},
        {"head_dim", "channels per head instead of heads (SD 2.x: 64)"}, {"linear_projection", "proj_in/out as linear layers (SD 2.x)"},
        {"context", "name of the text encoder's last core"}, {"timestep", "name of the timestep input (float32, [N])"},
        {"groups", "GroupNorm groups (default 32)"}, {"eps", "resnet GroupNorm epsilon (default 1e-5)"},
        {"time_dim", "timestep embedding width (default 4 × the first level's)"}, {"out", "output channels (default: the input's)"}},
       core_sd_unet},
      {"vae_decoder", "head", "the latent autoencoder's decoder (AutoencoderKL): latent to image through ResNet levels with 2× upsampling",
       "turns the 8×-downsampled latent into pixels once per image; at full resolution its convolutions cost about as much as several UNet steps.",
       {{"channels", "width per level, encoder order (default 128,256,512,512)"}, {"layers", "resnets per encoder level (default 2; the decoder has one more)"},
        {"groups", "GroupNorm groups (default 32)"}, {"latent", "latent channels (default 4)"}, {"scaling", "latent scaling factor (default 0.18215)"},
        {"out", "image channels (default 3)"}},
       core_vae_decoder},
      {"vae_encoder", "stem", "the latent autoencoder's encoder (AutoencoderKL): image to latent moments through ResNet levels with stride-2 downsampling",
       "maps pixels to the latent the UNet works in: run for image-to-image and for training, never for text-to-image.",
       {{"channels", "width per level (default 128,256,512,512)"}, {"layers", "resnets per level (default 2)"}, {"groups", "GroupNorm groups (default 32)"},
        {"latent", "latent channels (default 4; the output has 2× for mean and log-variance)"}, {"output", "make its result a model output (default true)"}},
       core_vae_encoder},
  });
}

}  // namespace sml::compose::detail
