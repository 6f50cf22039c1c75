// Speech encoder cores (issue 13): the convolutional feature encoder of wav2vec 2.0 and HuBERT
// over a raw waveform, with its feature projection, and their convolutional position embedding.
// The transformer on top is transformer_encoder (post-norm for wav2vec2-base, pre-norm for the
// "stable layer norm" large models).
#include "cores_common.hpp"

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// Raw 16 kHz samples (N, T) → frames (N, T', dim): seven convolutions (kernels 10,3,3,3,3,2,2,
// strides 5,2,2,2,2,2,2: one frame per 20 ms), each followed by GELU; a GroupNorm with one group
// per channel after the first (wav2vec2-base, `feat_extract_norm: group`) or a LayerNorm over the
// channels after every one (`layer`: the large models); then LayerNorm and a linear projection.
Value core_wav2vec2_features(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  if (x0.rank() != 2 && x0.rank() != 3) need_rank(a, x0, 2, "a waveform (N, T)");
  Value x = x0.rank() == 2 ? b.reshape(x0, {x0.dim(0), 1, x0.dim(1)}) : x0;
  if (x.dim(1) != 1) throw InputError(a.where + ": wav2vec2_features: expects one audio channel, got " + std::to_string(x.dim(1)));
  const std::int64_t out = channels(a, "channels", c, 512), dim = channels(a, "dim", c);
  const auto kernels = a.integers("kernels", {10, 3, 3, 3, 3, 2, 2}), strides = a.integers("strides", {5, 2, 2, 2, 2, 2, 2});
  if (kernels.size() != strides.size() || kernels.empty())
    throw InputError(a.where + ": wav2vec2_features: kernels and strides must be lists of the same, non-zero length");
  const std::string norm = a.text("norm", "group");
  if (norm != "group" && norm != "layer") throw InputError(a.where + ": wav2vec2_features norm '" + norm + "': expected group or layer");
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  {
    Scope fe(b, "conv_layers");
    for (std::size_t i = 0; i < kernels.size(); ++i) {
      Scope s(b, std::to_string(i));
      {
        Scope cs(b, "conv");
        x = b.conv(x, out, {kernels[i]}, {strides[i]}, {0}, 1, a.flag("bias", false));
      }
      if (norm == "group" && i == 0) {
        Scope n(b, "layer_norm");
        x = b.instance_norm(x, eps);
      } else if (norm == "layer") {
        Scope n(b, "layer_norm");
        x = b.transpose(b.layer_norm(b.transpose(x, {0, 2, 1}), eps), {0, 2, 1});
      }
      x = b.activation(x, "gelu");
    }
  }
  x = b.transpose(x, {0, 2, 1});  // N, frames, channels
  Scope p(b, "feature_projection");
  if (a.flag("projection_norm", true)) {
    Scope n(b, "layer_norm");
    x = b.layer_norm(x, eps);
  }
  Scope l(b, "projection");
  return b.linear(x, dim);
}

// x + GELU(grouped convolution over time) (wav2vec 2.0's relative positional embedding): kernel
// 128 in 16 groups; an even kernel with padding k/2 gives one frame too many, which is dropped.
Value core_conv_position(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 3, "a sequence (N, T, D)");
  const std::int64_t k = a.integer("kernel", 128), groups = a.integer("groups", 16), T = x.dim(1);
  if (k < 1 || groups < 1) throw InputError(a.where + ": conv_position: kernel and groups must be at least 1");
  Value y;
  {
    Scope s(b, "conv");
    y = b.conv(b.transpose(x, {0, 2, 1}), x.dim(2), {k}, {1}, {k / 2}, groups, true);
  }
  if (y.dim(2) != T) y = b.slice(y, 2, 0, T);
  return b.add(x, b.transpose(b.activation(y, "gelu"), {0, 2, 1}));
}

// Audio Spectrogram Transformer embedding (Gong, Chung and Glass 2021): a (N, frames, mel)
// spectrogram cut into 16×16 patches that overlap (stride 10 on both axes), projected to tokens,
// with a class and a distillation token (DeiT) and a learned position table.
Value core_ast_embed(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a spectrogram (N, frames, mel bins)");
  const std::int64_t p = a.integer("patch", 16), stride = a.integer("stride", 10), dim = channels(a, "dim", c, 768), B = x.dim(0);
  if (p < 1 || stride < 1) throw InputError(a.where + ": ast_embed: patch and stride must be at least 1");
  Value y;
  {
    Scope s(b, "patch_embeddings.projection");  // (N, 1, mel, frames), as Hugging Face's ASTPatchEmbeddings
    y = b.conv(b.transpose(b.reshape(x, {B, 1, x.dim(1), x.dim(2)}), {0, 1, 3, 2}), dim, {p}, {stride}, {0}, 1, true);
  }
  const std::int64_t n = y.dim(2) * y.dim(3);
  y = b.transpose(b.reshape(y, {B, dim, n}), {0, 2, 1});
  const Value cls = b.weight("cls_token", {1, 1, dim}, Fill::kNormal002), dist = b.weight("distillation_token", {1, 1, dim}, Fill::kNormal002);
  auto batch = [&](const Value& t) { return B == 1 ? t : b.expand(t, {B, 1, dim}); };
  y = b.concat({batch(cls), batch(dist), y}, 1);
  return b.add(y, b.weight("position_embeddings", {1, n + 2, dim}, Fill::kNormal002));
}

// AST's head: the mean of the class and distillation tokens, LayerNorm, linear to the classes.
Value core_ast_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N, S, D)");
  if (x.dim(1) < 2) throw InputError(a.where + ": ast_head: needs the class and distillation tokens");
  Value y = b.mul(b.add(token_zero(b, x), b.flatten(b.gather(x, b.ints({1}), 1))), b.scalar(0.5f));
  {
    Scope s(b, "layernorm");
    y = b.layer_norm(y, static_cast<float>(a.number("eps", 1e-12)));
  }
  Scope s(b, "dense");
  return b.linear(y, classes(a, c));
}

}  // namespace

void add_speech_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"wav2vec2_features", "stem", "wav2vec 2.0 / HuBERT feature encoder: 7 convolutions over raw audio, normalisation, projection",
       "turns 16 kHz samples into one 512-channel frame per 20 ms (strides 5·2⁶ = 320) and projects it to the transformer's "
       "width; the first convolutions run at nearly the sample rate, so this stem costs several GMACs per second of audio.",
       {{"channels", "channels per convolution (default 512)"}, {"kernels", "default 10,3,3,3,3,2,2"}, {"strides", "default 5,2,2,2,2,2,2"},
        {"norm", "group (GroupNorm after the first conv; base models) or layer (LayerNorm after each; large models)"},
        {"bias", "convolution biases (default false)"}, {"dim", "projection width"}, {"projection_norm", "LayerNorm before the projection (default true)"},
        {"eps", "default 1e-5"}, kScale, kDivisor},
       core_wav2vec2_features},
      {"ast_embed", "stem", "Audio Spectrogram Transformer patch embedding (overlapping 16×16 patches, class and distillation tokens, positions)",
       "treats a log-mel spectrogram as an image: 10.24 s at 128 mel bins with stride 10 gives 12 × 101 = 1,212 tokens, so "
       "attention over them is a large share of AST's cost.",
       {{"patch", "default 16"}, {"stride", "default 10 (frequency and time)"}, {"dim", "token width (default 768)"}, kScale, kDivisor},
       core_ast_embed},
      {"ast_head", "head", "AST classification head (mean of class and distillation tokens, LayerNorm, linear)",
       "scores the clip from its two summary tokens.", {{"num_classes", "classes (AudioSet: 527)"}, {"eps", "default 1e-12"}}, core_ast_head},
      {"conv_position", "stem", "convolutional position embedding (grouped convolution over time, GELU, added)",
       "wav2vec 2.0 has no position table: a wide grouped convolution (128 frames, 16 groups) lets each frame know its "
       "neighbourhood; it is about 4.7 M parameters at width 768.",
       {{"kernel", "frames (default 128)"}, {"groups", "default 16"}}, core_conv_position},
  });
}

}  // namespace sml::compose::detail
