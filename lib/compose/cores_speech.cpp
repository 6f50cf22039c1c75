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
      {"conv_position", "stem", "convolutional position embedding (grouped convolution over time, GELU, added)",
       "wav2vec 2.0 has no position table: a wide grouped convolution (128 frames, 16 groups) lets each frame know its "
       "neighbourhood; it is about 4.7 M parameters at width 768.",
       {{"kernel", "frames (default 128)"}, {"groups", "default 16"}}, core_conv_position},
  });
}

}  // namespace sml::compose::detail
