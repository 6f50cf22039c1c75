// Text-to-speech cores (issue 13), part 1: SpeechT5's TTS pre-nets, its encoder with relative
// position keys, its post-net, and the HiFi-GAN vocoder that SpeechT5 and VITS share (Ao et al.
// 2022, arXiv:2110.07205; Kong et al. 2020, arXiv:2010.05646; Hugging Face's SpeechT5 and VITS
// implementations, whose module names the scopes follow). The decoder is seq2seq_decoder.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/compose/composition.hpp"
#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

Value leaky_relu(GraphBuilder& b, const Value& x, float slope) { return b.node("LeakyRelu", {x}, x.shape, {Attr::real("alpha", slope)}); }

// "Attention is all you need" positions with sin and cos interleaved (even channels sin, odd cos),
// computed in the graph from integer positions, times a learned scalar alpha (SpeechT5's
// ScaledPositionalEncoding: the table is a buffer, alpha its only parameter).
// OFFSET: the first position (a decode step's frame stands after the cache's).
Value scaled_positions(GraphBuilder& b, const Value& x, const CoreArgs& a, std::int64_t offset = 0) {
  const std::int64_t S = x.dim(1), D = x.dim(2), half = D / 2, max = a.integer("max_positions", 0);
  if (D % 2) throw InputError(a.where + ": " + a.core + ": width " + std::to_string(D) + " is odd (sin and cos pairs)");
  if (max && S + offset > max)
    throw InputError(a.where + ": " + a.core + ": " + std::to_string(S + offset) + " positions exceed max_positions " + std::to_string(max));
  std::vector<std::int64_t> pos = positions(S, a.where);
  for (auto& p : pos) p += offset;
  Scope s(b, "encode_positions");
  std::vector<std::int64_t> idx(static_cast<std::size_t>(half));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = 2 * static_cast<std::int64_t>(i);
  const Value inv = b.unary("Exp", b.mul(b.to_float(b.ints(idx, {1, half})), b.scalar(static_cast<float>(-std::log(10000.0) / static_cast<double>(D)))));
  const Value ang = b.mul(b.to_float(b.ints(pos, {S, 1})), inv);  // S × D/2
  const Value pe = b.reshape(b.concat({b.reshape(b.unary("Sin", ang), {S, half, 1}), b.reshape(b.unary("Cos", ang), {S, half, 1})}, 2), {S, D});
  return b.add(x, b.mul(pe, b.weight("alpha", {1}, Fill::kOnes)));
}

Value text_prenet(GraphBuilder& b, const Value& ids, const CoreArgs& a, BuildContext& c) {
  need_rank(a, ids, 2, "token ids (N, S) of type int64");
  const std::int64_t vocab = a.integer("vocab", 0), dim = channels(a, "dim", c);
  if (vocab < 1) throw InputError(a.where + ": speecht5_text_prenet needs vocab");
  Value y;
  {
    Scope s(b, "embed_tokens");
    y = b.gather(b.weight("weight", {vocab, dim}, Fill::kNormal002), ids, 0);
  }
  return scaled_positions(b, y, a);
}

// SpeechT5's encoder (post-norm): a LayerNorm on the input, then layers whose self-attention adds
// q · r(i−j) to each score, r a learned table of 2·max_relative rows of head width shared by all
// layers and heads (Shaw et al. 2018's relative keys; Hugging Face's SpeechT5RelativePositionalEncoding).
Value speecht5_encoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t B = x0.dim(0), S = x0.dim(1), D = x0.dim(2), h = a.integer("heads", 1), hidden = channels(a, "mlp_dim", c);
  const std::int64_t rel = a.integer("max_relative", 160);
  if (h < 1 || D % h) throw InputError(a.where + ": speecht5_encoder: width " + std::to_string(D) + " does not split into " + std::to_string(h) + " heads");
  if (rel < 1) throw InputError(a.where + ": speecht5_encoder 'max_relative': expected at least 1");
  const std::int64_t d = D / h;
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  Value x;
  {
    Scope s(b, "layer_norm");
    x = b.layer_norm(x0, eps);
  }
  Value pos;  // S × d × S: the table's rows for each (i, j), clamp(i − j, −rel, rel − 1) + rel
  {
    Scope s(b, "embed_positions.pe_k");
    std::vector<std::int64_t> ids(static_cast<std::size_t>(S * S));
    for (std::int64_t i = 0; i < S; ++i)
      for (std::int64_t j = 0; j < S; ++j) ids[static_cast<std::size_t>(i * S + j)] = std::clamp<std::int64_t>(i - j, -rel, rel - 1) + rel;
    pos = b.transpose(b.gather(b.weight("weight", {2 * rel, d}, Fill::kNormal002), b.ints(ids, {S, S}), 0), {0, 2, 1});
  }
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, "layers." + std::to_string(i));
    Value att;
    {
      Scope at(b, "attention");
      auto project = [&](const char* name) {
        Scope p(b, name);
        return b.transpose(b.reshape(b.linear(x, D), {B, S, h, d}), {0, 2, 1, 3});  // B h S d
      };
      const Value q = b.mul(project("q_proj"), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
      const Value k = project("k_proj"), v = project("v_proj");
      Value scores = b.matmul(q, b.transpose(k, {0, 1, 3, 2}));
      // (S, B·h, d) × (S, d, S) → (S, B·h, S): every query against its row of relative keys
      const Value qs = b.reshape(b.transpose(q, {2, 0, 1, 3}), {S, B * h, d});
      scores = b.add(scores, b.transpose(b.reshape(b.matmul(qs, pos), {S, B, h, S}), {1, 2, 0, 3}));
      const Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, D});
      Scope o(b, "out_proj");
      att = b.linear(ctx, D);
    }
    {
      Scope n(b, "layer_norm");
      x = b.layer_norm(b.add(x, att), eps);
    }
    Value f;
    {
      Scope ff(b, "feed_forward");
      {
        Scope l(b, "intermediate_dense");
        f = b.activation(b.linear(x, hidden), a.text("act", "gelu"));
      }
      Scope l(b, "output_dense");
      f = b.linear(f, D);
    }
    Scope fl(b, "final_layer_norm");
    x = b.layer_norm(b.add(x, f), eps);
  }
  return x;
}

// SpeechT5's speech-decoder pre-net: the previous mel frames through ReLU layers with dropout that
// stays on at inference (Hugging Face's _consistent_dropout: one Bernoulli mask per utterance), a
// projection to the model width, scaled positions, then the L2-normalised speaker x-vector
// concatenated to every frame and projected back with ReLU. At a decode step it reads the one new
// frame, at the cache's position: the earlier frames' pre-net outputs are not read again (the
// decoder's keys and values hold them). Hugging Face's _generate_speech reruns the pre-net over
// all frames each step (about 1.27 M MACs a frame) and keeps only the last; a server need not.
Value speech_prenet(GraphBuilder& b, const Value& mel, const CoreArgs& a, BuildContext& c) {
  need_rank(a, mel, 3, "mel frames (N, T, mel bins)");
  const std::int64_t B = mel.dim(0), T = mel.dim(1), units = channels(a, "units", c, 256), dim = channels(a, "dim", c);
  const float p = static_cast<float>(a.number("dropout", 0.5));
  if (p >= 1) throw InputError(a.where + ": speecht5_speech_prenet 'dropout': expected below 1");
  if (!a.has("speaker")) throw InputError(a.where + ": speecht5_speech_prenet needs speaker: the name of the x-vector input (N, dim)");
  const Value spk = resolve(c, a, "speaker");
  if (spk.rank() != 2 || spk.dim(0) != B)
    throw InputError(a.where + ": speecht5_speech_prenet: speaker '" + a.text("speaker", "") + "' is " + shape_text(spk.shape) + ", expected (" + std::to_string(B) + ", dim)");
  Value x = mel;
  for (std::int64_t i = 0, n = a.integer("layers", 2); i < n; ++i) {
    Scope s(b, "layers." + std::to_string(i));
    x = b.activation(b.linear(x, units), "relu");
    if (p > 0) {  // keep with probability 1 − p, the same mask for the whole batch, scaled by 1/(1 − p)
      const Value keep = b.node("Bernoulli", {b.expand(b.scalar(1 - p), {1, T, units})}, {1, T, units});
      x = b.mul(b.mul(x, keep), b.scalar(1 / (1 - p)));
    }
  }
  {
    Scope s(b, "final_layer");
    x = b.linear(x, dim);
  }
  x = scaled_positions(b, x, a, decode_position(c));
  const std::int64_t E = spk.dim(1);
  Value norm = b.unary("Sqrt", b.mul(b.reduce_mean(b.mul(spk, spk), -1), b.scalar(static_cast<float>(E))));
  norm = b.node("Max", {norm, b.scalar(1e-12f)}, norm.shape);
  const Value unit = b.mul(spk, b.unary("Reciprocal", norm));
  x = b.concat({x, b.expand(b.reshape(unit, {B, 1, E}), {B, T, E})}, 2);
  Scope s(b, "speaker_embeds_layer");
  return b.activation(b.linear(x, dim), "relu");
}

// SpeechT5's speech-decoder post-net: REDUCTION mel frames per decoder step (feat_out) and a stop
// logit per frame (prob_out, a second output), then five convolutions with BatchNorm (tanh on all
// but the last) whose output is added back: the refined (N, T·reduction, mel bins) spectrogram.
// Under a generation (`decode.after` names it) as Hugging Face's _generate_speech runs it: a step
// (kStep) gives its REDUCTION frames and stop logits; once after the steps (kAfter) the
// convolutions refine the whole spectrogram, a graph input `spectrogram` (N, steps·reduction, mel
// bins), the steps' frames joined.
Value speech_postnet(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "decoder states (N, T, D)");
  const std::int64_t B = x.dim(0), T = x.dim(1), mels = a.integer("mel_bins", 80), r = a.integer("reduction", 2);
  const std::int64_t units = channels(a, "units", c, 256), k = a.integer("kernel", 5), layers = a.integer("layers", 5);
  if (mels < 1 || r < 1 || k < 1 || layers < 1) throw InputError(a.where + ": speecht5_postnet: mel_bins, reduction, kernel and layers must be at least 1");
  Value before;
  if (c.decode.part == DecodeMode::kAfter) {
    before = b.input("spectrogram", {B, T * r, mels}, 1);
  } else {
    {
      Scope s(b, "feat_out");
      before = b.reshape(b.linear(x, mels * r), {B, T * r, mels});
    }
    Scope s(b, "prob_out");
    c.extra_outputs.push_back(b.reshape(b.linear(x, r), {B, T * r}));
  }
  if (c.decode.part == DecodeMode::kStep) return before;
  Value y = b.transpose(before, {0, 2, 1});  // N, mel bins, frames
  for (std::int64_t i = 0; i < layers; ++i) {
    Scope s(b, "postnet.layers." + std::to_string(i));
    const bool last = i == layers - 1;
    {
      Scope cv(b, "conv");
      y = b.conv(y, last ? mels : units, {k}, {1}, {(k - 1) / 2}, 1, false);
    }
    Scope n(b, "batch_norm");
    y = b.batch_norm(y, 1e-5f);
    if (!last) y = b.activation(y, "tanh");
  }
  return b.add(before, b.transpose(y, {0, 2, 1}));
}

// HiFi-GAN's generator (Kong et al. 2020, V1 layout): a width-7 convolution, then per stage a
// LeakyReLU, a transposed convolution that upsamples by its rate and halves the channels, and the
// mean of one multi-receptive-field residual block per kernel size (each: dilated then plain
// convolutions, LeakyReLU before each, a residual per pair); LeakyReLU, a width-7 convolution to
// one channel, tanh. Input (N, C, T) or, with channels_last, (N, T, C); output (N, samples).
Value core_hifigan(GraphBuilder& b, const Value& in, const CoreArgs& a, BuildContext& c) {
  need_rank(a, in, 3, "a spectrogram (N, C, T) or, with channels_last, (N, T, C)");
  const std::int64_t ch0 = channels(a, "channels", c);
  const auto rates = a.integers("rates", {}), kernels = a.integers("kernels", {});
  const auto res_kernels = a.integers("res_kernels", {3, 7, 11}), dilations = a.integers("res_dilations", {1, 3, 5});
  const float slope = static_cast<float>(a.number("slope", 0.1));
  if (rates.empty() || rates.size() != kernels.size() || res_kernels.empty() || dilations.empty())
    throw InputError(a.where + ": hifigan needs rates and kernels of the same length, res_kernels and res_dilations");
  if (ch0 >> static_cast<int>(std::min<std::size_t>(rates.size(), 62)) < 1)
    throw InputError(a.where + ": hifigan: " + std::to_string(ch0) + " channels cannot halve " + std::to_string(rates.size()) + " times");
  for (std::size_t i = 0; i < rates.size(); ++i)
    if (rates[i] < 1 || kernels[i] < rates[i] || (kernels[i] - rates[i]) % 2)
      throw InputError(a.where + ": hifigan: upsampling kernel " + std::to_string(kernels[i]) + " and rate " + std::to_string(rates[i]) +
                       ": expected kernel ≥ rate with an even difference (the output is rate × input)");
  Value x = a.flag("channels_last", false) ? b.transpose(in, {0, 2, 1}) : in;
  if (a.flag("normalize_before", false)) {  // SpeechT5HifiGan: (x − mean) / scale, both buffers of the checkpoint (the
    // values here are placeholders: 0 and 1)
    const Shape per{1, x.dim(1), 1};
    const std::size_t n = static_cast<std::size_t>(x.dim(1));
    const Value mean = b.fixed_floats("mean", per, std::vector<float>(n, 0.0f)), scale = b.fixed_floats("scale", per, std::vector<float>(n, 1.0f));
    x = b.mul(b.add(x, b.unary("Neg", mean)), b.unary("Reciprocal", scale));
  }
  {
    Scope s(b, "conv_pre");
    x = b.conv(x, ch0, {7}, {1}, {3}, 1, true);
  }
  std::int64_t ch = ch0;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    x = leaky_relu(b, x, slope);
    {
      Scope s(b, "upsampler." + std::to_string(i));
      const std::int64_t out = ch / 2, k = kernels[i], u = rates[i], pad = (k - u) / 2;
      const Value w = b.weight("weight", {ch, out, k}, Fill::kHeNormalFanOut, static_cast<double>(ch * k), static_cast<double>(out * k));
      x = b.node("ConvTranspose", {x, w, b.weight("bias", {out}, Fill::kZeros)}, {x.dim(0), out, (x.dim(2) - 1) * u - 2 * pad + k},
                 {Attr::integers("kernel_shape", {k}), Attr::integers("strides", {u}), Attr::integers("pads", {pad, pad})});
      ch = out;
    }
    Value sum;
    for (std::size_t j = 0; j < res_kernels.size(); ++j) {
      Scope s(b, "resblocks." + std::to_string(i * res_kernels.size() + j));
      const std::int64_t k = res_kernels[j];
      Value h = x;
      for (std::size_t m = 0; m < dilations.size(); ++m) {
        const Value residual = h;
        {
          Scope cv(b, "convs1." + std::to_string(m));
          h = b.conv(leaky_relu(b, h, slope), ch, {k}, {1}, {(k * dilations[m] - dilations[m]) / 2}, 1, true, {dilations[m]});
        }
        {
          Scope cv(b, "convs2." + std::to_string(m));
          h = b.conv(leaky_relu(b, h, slope), ch, {k}, {1}, {(k - 1) / 2}, 1, true);
        }
        h = b.add(h, residual);
      }
      sum = sum.name.empty() ? h : b.add(sum, h);
    }
    x = b.mul(sum, b.scalar(1.0f / static_cast<float>(res_kernels.size())));
  }
  x = leaky_relu(b, x, 0.01f);  // the last LeakyReLU has PyTorch's default slope
  {
    Scope s(b, "conv_post");
    x = b.conv(x, 1, {7}, {1}, {3}, 1, a.flag("post_bias", true));
  }
  return b.reshape(b.activation(x, "tanh"), {x.dim(0), x.dim(2)});
}

}  // namespace

void add_tts_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"speecht5_text_prenet", "stem", "SpeechT5's text pre-net: character embeddings plus sinusoidal positions scaled by a learned alpha",
       "turns characters into vectors; the positions are computed, so the table of characters (81 for English) and one scalar are its only parameters.",
       {{"vocab", "characters in the vocabulary"}, {"dim", "width"}, {"max_positions", "longest input (max_text_positions)"}, kScale, kDivisor},
       text_prenet},
      {"speecht5_encoder", "backbone", "SpeechT5's encoder: input LayerNorm, post-norm layers whose attention adds relative position keys (one table shared by all layers)",
       "reads the whole text at once; the relative keys cost one more query × key product per head, as much as the attention scores themselves.",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP hidden width"}, {"max_relative", "relative distances kept (encoder_max_relative_position, default 160)"},
        {"act", "MLP activation (default gelu)"}, {"eps", "LayerNorm epsilon (default 1e-5)"}, kRepeat, kScale, kDivisor},
       speecht5_encoder},
      {"speecht5_speech_prenet", "stem", "SpeechT5's speech-decoder pre-net: previous mel frames through ReLU layers (dropout kept at inference), scaled positions, speaker x-vector joined",
       "feeds the decoder its own last output; the always-on dropout makes generation vary run to run, and the speaker vector picks the voice.",
       {{"units", "pre-net width (default 256)"}, {"layers", "pre-net layers (default 2)"}, {"dim", "model width"},
        {"speaker", "name of the speaker x-vector input (N, 512)"}, {"dropout", "dropout kept at inference (default 0.5)"},
        {"max_positions", "longest decoder input (max_speech_positions)"}, kScale, kDivisor},
       speech_prenet},
      {"speecht5_postnet", "head", "SpeechT5's post-net: mel frames per decoder step and a stop logit (second output), refined by five convolutions with BatchNorm",
       "each decoder step emits `reduction` frames at once (halving the steps); the convolutions smooth the whole spectrogram once at the end.",
       {{"mel_bins", "mel bins (default 80)"}, {"reduction", "frames per decoder step (default 2)"}, {"units", "convolution width (default 256)"},
        {"kernel", "convolution width in frames (default 5)"}, {"layers", "convolutions (default 5)"}, kScale, kDivisor},
       speech_postnet},
      {"hifigan", "head", "HiFi-GAN generator: transposed-convolution upsampling with multi-receptive-field residual blocks, spectrogram to waveform",
       "the vocoder: most of a TTS system's arithmetic runs here, at the audio rate; the last stages see every output sample.",
       {{"channels", "upsample_initial_channel"}, {"rates", "upsampling rates, e.g. 4/4/4/4"}, {"kernels", "upsampling kernels, e.g. 8/8/8/8"},
        {"res_kernels", "residual block kernels (default 3/7/11)"}, {"res_dilations", "dilations in each residual block (default 1/3/5)"},
        {"slope", "LeakyReLU slope (default 0.1)"}, {"channels_last", "input is (N, T, C) (default false: (N, C, T))"},
        {"normalize_before", "subtract a mean and divide by a scale held as buffers (SpeechT5's vocoder)"},
        {"post_bias", "bias on the last convolution (default true; VITS: false)"}, kScale, kDivisor},
       core_hifigan},
  });
}

}  // namespace sml::compose::detail
