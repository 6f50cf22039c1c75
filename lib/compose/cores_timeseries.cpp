// Time-series and voice-activity cores (issue 13): PatchTST (Nie et al. 2023), TimesFM 2.5's
// patched decoder (Das et al. 2024; google-research/timesfm 2025) and Silero VAD's STFT front end
// and head (read from the released ONNX file: its architecture is published only as that file).
#include "cores_common.hpp"

#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

Value sub(GraphBuilder& b, const Value& x, const Value& y) { return b.add(x, b.unary("Neg", y)); }

// ---- PatchTST --------------------------------------------------------------------------------

// (N, L, C) → (N·C, patches, dim). RevIN without affine (the official scripts' default
// `--affine 0`): each channel normalised by its own mean and standard deviation over the window,
// kept in the context under "revin.mean"/"revin.std" for patchtst_head to undo. Channel
// independence: every channel is a separate sequence through the shared weights. Patches of
// `patch` steps every `stride` steps, after repeating the last value `stride` times
// (`padding_patch: end`, one more patch), projected to `dim`, plus a learned position table.
Value core_patchtst_embed(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a multivariate window (N, L, C)");
  const std::int64_t N = x0.dim(0), L = x0.dim(1), C = x0.dim(2), P = a.integer("patch", 16), S = a.integer("stride", 8);
  const std::int64_t dim = channels(a, "dim", c);
  if (P < 1 || S < 1 || P > L) throw InputError(a.where + ": patchtst_embed: needs 1 <= patch <= the window (" + std::to_string(L) + ") and stride >= 1");
  Value x = x0;
  if (a.flag("revin", true)) {
    Scope s(b, "revin_layer");
    const Value mean = b.reduce_mean(x, 1), centred = sub(b, x, mean);
    const Value stdev = b.unary("Sqrt", b.add(b.reduce_mean(b.mul(centred, centred), 1), b.scalar(1e-5f)));
    x = b.mul(centred, b.unary("Reciprocal", stdev));
    c.named["revin.mean"] = mean;
    c.named["revin.std"] = stdev;
  }
  x = b.transpose(x, {0, 2, 1});  // N, C, L
  std::int64_t T = L;
  if (a.flag("pad_end", true)) {  // nn.ReplicationPad1d((0, stride))
    x = b.concat({x, b.expand(b.slice(x, 2, L - 1, L), {N, C, S})}, 2);
    T += S;
  }
  const std::int64_t n = (T - P) / S + 1;
  if (n * P > (std::int64_t(1) << 24))  // the index table is built here, before any size check of the builder
    throw InputError(a.where + ": patchtst_embed: " + std::to_string(n) + " patches of " + std::to_string(P) + " steps (at most 2^24 indices)");
  std::vector<std::int64_t> idx;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < P; ++j) idx.push_back(i * S + j);
  x = b.gather(x, b.ints(idx, {n, P}), 2);  // N, C, patches, P (Tensor.unfold)
  Scope s(b, "backbone");
  {
    Scope w(b, "W_P");
    x = b.linear(x, dim);
  }
  return b.add(b.reshape(x, {N * C, n, dim}), b.weight("W_pos", {n, dim}, Fill::kNormal002));
}

// PatchTST's TSTEncoderLayer: post-norm, BatchNorm over the model width (not LayerNorm), GELU MLP,
// and residual attention (RealFormer: each layer adds the previous layer's raw scores to its own).
Value core_patchtst_encoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t B = x0.dim(0), S = x0.dim(1), D = x0.dim(2), heads = a.integer("heads", 16), hidden = channels(a, "mlp_dim", c);
  if (heads < 1 || D % heads) throw InputError(a.where + ": patchtst_encoder: width " + std::to_string(D) + " does not split into " + std::to_string(heads) + " heads");
  const std::int64_t d = D / heads;
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  auto batch_norm = [&](const Value& v, const char* name) {
    Scope n(b, name);
    return b.transpose(b.batch_norm(b.transpose(v, {0, 2, 1}), eps), {0, 2, 1});
  };
  Value x = x0, prev;
  for (std::int64_t i = 0, r = repeats(a, c); i < r; ++i) {
    Scope l(b, "encoder.layers." + std::to_string(i));
    Value ctx;
    {
      Scope at(b, "self_attn");
      auto project = [&](const char* name) {
        Scope p(b, name);
        return b.transpose(b.reshape(b.linear(x, D), {B, S, heads, d}), {0, 2, 1, 3});  // B h S d
      };
      const Value q = project("W_Q"), k = project("W_K"), v = project("W_V");
      Value scores = b.mul(b.matmul(q, b.transpose(k, {0, 1, 3, 2})), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
      if (!prev.name.empty()) scores = b.add(scores, prev);
      prev = scores;
      ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, D});
      Scope o(b, "to_out.0");
      ctx = b.linear(ctx, D);
    }
    x = batch_norm(b.add(x, ctx), "norm_attn.1");
    Value h;
    {
      Scope f(b, "ff.0");
      h = b.activation(b.linear(x, hidden), "gelu");
    }
    {
      Scope f(b, "ff.3");
      h = b.linear(h, D);
    }
    x = batch_norm(b.add(x, h), "norm_ffn.1");
  }
  return x;
}

// PatchTST's flatten head: each channel's (patches × width) flattened and mapped linearly to the
// horizon, then RevIN undone → (N, horizon, C).
Value core_patchtst_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N·C, patches, D)");
  if (c.input_shape.size() != 3) throw InputError(a.where + ": patchtst_head: the model input must be a window (N, L, C)");
  const std::int64_t C = c.input_shape[2], N = c.input_shape[0], H = a.integer("horizon", 96);
  if (H < 1 || x.dim(0) != N * C) throw InputError(a.where + ": patchtst_head: needs horizon >= 1 and one sequence per input channel");
  Value y = b.reshape(b.transpose(b.reshape(x, {N, C, x.dim(1), x.dim(2)}), {0, 1, 3, 2}), {N, C, x.dim(1) * x.dim(2)});
  {
    Scope s(b, "linear");
    y = b.transpose(b.linear(y, H), {0, 2, 1});  // N, H, C
  }
  if (c.named.count("revin.mean")) y = b.add(b.mul(y, c.named.at("revin.std")), c.named.at("revin.mean"));
  return y;
}

// ---- TimesFM ---------------------------------------------------------------------------------

// (N, L) context → (N, L/patch, 2·patch): each patch beside its padding mask (all zeros: a full
// context), the tokenizer's input. The per-patch running normalisation of decode() happens before
// the network and costs no MACs.
Value core_timesfm_patches(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 2, "a context (N, L)");
  const std::int64_t p = a.integer("patch", 32);
  if (p < 1 || x.dim(1) % p) throw InputError(a.where + ": timesfm_patches: the context (" + std::to_string(x.dim(1)) + ") must be a multiple of patch");
  const Shape shape{x.dim(0), x.dim(1) / p, p};
  return b.concat({b.reshape(x, shape), b.expand(b.scalar(0.0f), shape)}, 2);
}

// TimesFM's ResidualBlock: output(act(hidden(x))) + residual(x), three linear layers.
Value core_residual_block(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::int64_t hidden = channels(a, "hidden", c), out = channels(a, "out", c);
  const bool bias = a.flag("bias", true);
  Value h;
  {
    Scope s(b, "hidden_layer");
    h = b.activation(b.linear(x, hidden, bias), a.text("act", "silu"));
  }
  {
    Scope s(b, "output_layer");
    h = b.linear(h, out, bias);
  }
  Value y;
  {
    Scope s(b, "residual_layer");
    y = b.add(h, b.linear(x, out, bias));
  }
  if (a.flag("output", false)) c.extra_outputs.push_back(y);  // a second head reads the same input (`from:`)
  return y;
}

// TimesFM 2.5's transformer layer: RMSNorm before and after both the attention and the MLP
// (sandwich norm), fused bias-free QKV, rotary positions, RMSNorm on each head's queries and keys,
// a learned per-dimension query scale (instead of 1/√d), causal mask, SiLU MLP.
Value core_timesfm_decoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t B = x0.dim(0), S = x0.dim(1), D = x0.dim(2), heads = a.integer("heads", 16), hidden = channels(a, "mlp_dim", c);
  if (heads < 1 || D % heads || (D / heads) % 2)
    throw InputError(a.where + ": timesfm_decoder: width " + std::to_string(D) + " must split into " + std::to_string(heads) + " heads of even size");
  const std::int64_t d = D / heads;
  const float eps = static_cast<float>(a.number("eps", 1e-6));
  const Rotary rot = rotary_tables(b, S, d, a.number("rope_theta", 10000), a.where);
  auto norm = [&](const Value& v, const char* name) {
    Scope n(b, name);
    return b.rms_norm(v, eps);
  };
  Value x = x0;
  for (std::int64_t i = 0, r = repeats(a, c); i < r; ++i) {
    Scope l(b, "stacked_xf." + std::to_string(i));
    Value ctx;
    {
      const Value h = norm(x, "pre_attn_ln");
      Scope at(b, "attn");
      Value qkv;
      {
        Scope p(b, "qkv_proj");
        qkv = b.linear(h, 3 * D, false);
      }
      auto head = [&](int k) { return b.transpose(b.reshape(b.slice(qkv, 2, k * D, (k + 1) * D), {B, S, heads, d}), {0, 2, 1, 3}); };
      Value q = norm(rotate(b, head(0), rot), "query_ln"), k = norm(rotate(b, head(1), rot), "key_ln");
      {
        Scope p(b, "per_dim_scale");  // 1.442695/√d · softplus(w): the softplus of d values is not counted
        q = b.mul(q, b.weight("per_dim_scale", {d}, Fill::kZeros));
      }
      Value scores = b.matmul(q, b.transpose(k, {0, 1, 3, 2}));
      const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
      scores = b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores);
      ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), head(2)), {0, 2, 1, 3}), {B, S, D});
      Scope o(b, "out");
      ctx = b.linear(ctx, D, false);
    }
    x = b.add(x, norm(ctx, "post_attn_ln"));
    Value h = norm(x, "pre_ff_ln");
    {
      Scope f(b, "ff0");
      h = b.activation(b.linear(h, hidden, false), "silu");
    }
    {
      Scope f(b, "ff1");
      h = b.linear(h, D, false);
    }
    x = b.add(x, norm(h, "post_ff_ln"));
  }
  return x;
}

// ---- Silero VAD ------------------------------------------------------------------------------

// (N, T) samples → (N, n_fft/2+1, frames) magnitudes: reflect-padded on the right by `pad`, an
// STFT written as a strided convolution with a fixed (cos, sin) basis of 2·(n_fft/2+1) filters,
// then √(re² + im²). The ONNX file stores the basis as a Conv weight, so it is one here too (and
// lib/cost counts it, as it does in the file).
Value core_stft_magnitude(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext&) {
  need_rank(a, x0, 2, "a waveform (N, T)");
  const std::int64_t nfft = a.integer("n_fft", 256), hop = a.integer("hop", 128), pad = a.integer("pad", 64), T = x0.dim(1);
  if (nfft < 2 || hop < 1 || pad >= T || T + pad < nfft || pad > (std::int64_t(1) << 24))
    throw InputError(a.where + ": stft_magnitude: needs n_fft >= 2, hop >= 1, pad < the input (at most 2^24) and input + pad >= n_fft");
  Value x = x0;
  if (pad > 0) {  // reflect: samples T-2, T-3, … mirrored after the last
    std::vector<std::int64_t> idx;
    for (std::int64_t i = 0; i < pad; ++i) idx.push_back(T - 2 - i);
    x = b.concat({x, b.gather(x, b.ints(idx, {pad}), 1)}, 1);
  }
  x = b.reshape(x, {x.dim(0), 1, x.dim(1)});
  const std::int64_t bins = nfft / 2 + 1;
  Scope s(b, "stft");
  const Value y = b.conv(x, 2 * bins, {nfft}, {hop}, {0}, 1, false);
  const Value re = b.slice(y, 1, 0, bins), im = b.slice(y, 1, bins, 2 * bins);
  return b.unary("Sqrt", b.add(b.mul(re, re), b.mul(im, im)));
}

// 1-D convolutions with bias and an activation, "same" padding (k/2), one output width and stride
// per layer (Silero's encoder: four reparameterised convolutions with ReLU).
Value core_conv1d_stack(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence of frames (N, C, T)");
  const auto outs = a.integers("channels", {}), strides = a.integers("strides", {});
  const std::int64_t k = a.integer("kernel", 3);
  if (outs.empty() || outs.size() != strides.size() || k < 1)
    throw InputError(a.where + ": conv1d_stack: channels and strides must be lists of the same, non-zero length");
  Value x = x0;
  for (std::size_t i = 0; i < outs.size(); ++i) {
    Scope s(b, std::to_string(i) + ".reparam_conv");
    x = b.activation(b.conv(x, scaled_channels(outs[i], c.width), {k}, {strides[i]}, {k / 2, k / 2}, 1, true), a.text("act", "relu"));
  }
  return x;
}

// Silero's decoder head after the LSTM: ReLU, a 1×1 convolution (a linear layer) to one score,
// sigmoid, mean over the frames → (N, 1) speech probability.
Value core_vad_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 3, "a sequence (N, T, H)");
  Value y;
  {
    Scope s(b, "decoder.2");
    y = b.conv(b.transpose(b.activation(x, "relu"), {0, 2, 1}), 1, {1}, {1}, {0, 0}, 1, true);  // N, 1, T
  }
  return b.reshape(b.reduce_mean(b.activation(y, "sigmoid"), 2), {x.dim(0), 1});
}

}  // namespace

void add_timeseries_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"patchtst_embed", "stem", "PatchTST patching: RevIN, channel independence, overlapping patches projected to tokens, learned positions",
       "cuts each channel's window into patches (336 steps, 16-step patches every 8: 42 tokens), so attention costs 42² instead of "
       "336² per channel; every channel runs through the same weights, so cost grows linearly with the channel count.",
       {{"patch", "steps per patch (default 16)"}, {"stride", "steps between patches (default 8)"}, {"dim", "token width"},
        {"revin", "normalise each channel over the window (default true)"}, {"pad_end", "repeat the last value stride times (default true)"},
        kScale, kDivisor},
       core_patchtst_embed},
      {"patchtst_encoder", "backbone", "PatchTST encoder layer (post-norm BatchNorm, residual attention, GELU MLP)",
       "a transformer encoder over one channel's patches; BatchNorm instead of LayerNorm and each layer's attention scores "
       "carried into the next (RealFormer).",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP width"}, {"eps", "BatchNorm epsilon (default 1e-5)"}, kRepeat, kScale, kDivisor},
       core_patchtst_encoder},
      {"patchtst_head", "head", "PatchTST flatten head: each channel's tokens flattened and mapped linearly to the horizon, RevIN undone",
       "the forecast of every channel is one linear map of all its patch tokens: patches × width × horizon weights, often the "
       "largest part of a small PatchTST.",
       {{"horizon", "steps forecast (default 96)"}}, core_patchtst_head},
      {"timesfm_patches", "stem", "TimesFM input patches: the context cut into 32-step patches, each beside its padding mask",
       "a decoder-only forecaster reads patches, not single steps: 1,024 steps are 32 tokens.", {{"patch", "default 32"}},
       core_timesfm_patches},
      {"residual_block", "neck", "TimesFM residual block: two linear layers with an activation, plus a linear skip",
       "TimesFM's tokenizer (patch → model width) and its output heads (width → 128 steps × 10 quantiles; the optional quantile "
       "head → 1,024 steps × 10) are residual MLPs.",
       {{"hidden", "hidden width"}, {"out", "output width"}, {"bias", "default true"}, {"act", "default silu"},
        {"output", "also a model output, for a second head reading the same input with from:"}, kScale, kDivisor},
       core_residual_block},
      {"timesfm_decoder", "backbone", "TimesFM 2.5 decoder layer (sandwich RMSNorm, fused QKV, rotary, QK norm, per-dimension query scale, causal, SiLU MLP)",
       "each patch token attends to earlier patches only, so the model forecasts the next 128 steps from any prefix of the context.",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP width"}, {"eps", "default 1e-6"}, {"rope_theta", "default 10000"}, kRepeat, kScale, kDivisor},
       core_timesfm_decoder},
      {"stft_magnitude", "stem", "STFT magnitude as a strided convolution with a fixed Fourier basis (Silero VAD)",
       "turns 16 kHz samples into 129 frequency bins per 8 ms hop; the basis is fixed, but stored as a convolution weight.",
       {{"n_fft", "default 256"}, {"hop", "default 128"}, {"pad", "reflect padding on the right (default 64)"}}, core_stft_magnitude},
      {"conv1d_stack", "backbone", "1-D convolutions with bias and activation, same padding, a width and stride per layer",
       "a small convolutional encoder over spectral frames (Silero VAD: 129 → 128, 64, 64, 128 channels, strides 1, 2, 2, 1).",
       {{"channels", "output channels per layer (a,b,c)"}, {"strides", "stride per layer"}, {"kernel", "default 3"}, {"act", "default relu"}, kScale, kDivisor},
       core_conv1d_stack},
      {"vad_head", "head", "voice-activity head: ReLU, linear to one score, sigmoid, mean over frames",
       "one speech probability per chunk.", {}, core_vad_head},
  });
}

}  // namespace sml::compose::detail
