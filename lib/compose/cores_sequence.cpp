// Sequence cores: feature maps to sequences, LSTM/GRU, the raw-waveform convolution front end.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

Value core_to_sequence(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  if (x.rank() == 3) return b.transpose(x, {0, 2, 1});
  need_rank(a, x, 4, "a feature map (N, C, H, W) or (N, C, T)");
  return b.transpose(b.reshape(x, {x.dim(0), x.dim(1), x.dim(2) * x.dim(3)}), {0, 2, 1});
}

Value recurrent_core(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, const char* op) {
  need_rank(a, x0, 3, "a sequence (N, S, F)");
  const std::int64_t hidden = channels(a, "hidden", c);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    x = b.recurrent(op, x, hidden, a.flag("bidirectional", false));
  }
  return x;
}
Value core_lstm(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return recurrent_core(b, x, a, c, "LSTM"); }
Value core_gru(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return recurrent_core(b, x, a, c, "GRU"); }

Value core_conv1d_frontend(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a waveform (N, 1, T)");
  const std::int64_t out = channels(a, "channels", c, 512);
  const auto kernels = a.integers("kernels", {10, 3, 3, 3, 3, 2, 2}), strides = a.integers("strides", {5, 2, 2, 2, 2, 2, 2});
  if (kernels.size() != strides.size()) throw InputError(a.where + ": conv1d_frontend: kernels and strides differ in length");
  Value x = x0;
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    Scope s(b, std::to_string(i));
    {
      Scope cs(b, "conv");
      x = b.conv(x, out, {kernels[i]}, {strides[i]}, {0}, 1, a.flag("bias", false));
    }
    if (a.flag("bn", false)) {
      Scope n(b, "bn");
      x = b.batch_norm(x, 1e-5f);
    }
    x = b.activation(x, a.text("act", "gelu"));
  }
  return x;
}

}  // namespace

void add_sequence_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"to_sequence", "neck", "feature map to sequence ((N, C, T) or (N, C, H, W) → (N, T, C))",
       "hands convolutional features to recurrent or attention layers; no parameters.", {}, core_to_sequence},
      {"lstm", "backbone", "LSTM layer(s), batch-first",
       "a recurrent layer keeps a state across time steps; 4 gates cost 4·H·(F+H) MACs per step and steps cannot run in parallel.",
       {{"hidden", "hidden units"}, {"bidirectional", "read both directions (output 2·hidden)"}, kRepeat, kScale, kDivisor}, core_lstm},
      {"gru", "backbone", "GRU layer(s), batch-first (PyTorch's linear-before-reset)",
       "like an LSTM with 3 gates instead of 4: a quarter cheaper per step.",
       {{"hidden", "hidden units"}, {"bidirectional", "read both directions"}, kRepeat, kScale, kDivisor}, core_gru},
      {"conv1d_frontend", "stem", "1-D convolution stack over a raw waveform (wav2vec 2.0 style)",
       "learns a filterbank from audio samples; the strides (5·2⁶ = 320 by default) set how many frames per second the rest "
       "of the model processes.",
       {{"channels", "channels per layer (default 512)"}, {"kernels", "kernel per layer (default 10,3,3,3,3,2,2)"},
        {"strides", "stride per layer (default 5,2,2,2,2,2,2)"}, {"act", "default gelu"}, {"bn", "BatchNorm after each conv"},
        {"bias", "conv bias"}, kScale, kDivisor},
       core_conv1d_frontend}
  });
}

}  // namespace sml::compose::detail
