// Text-to-speech cores (issue 13), part 2: what VITS runs at inference (Kim et al. 2021,
// arXiv:2106.06103; Hugging Face's VitsModel, whose module names the scopes follow): the text
// encoder with windowed relative attention, the stochastic duration predictor run in reverse
// (noise through rational-quadratic spline flows), the prior expanded to a fixed number of frames
// by the predicted durations, and the residual coupling flow run in reverse. The waveform decoder
// is the hifigan core (cores_tts.cpp). Training-only parts (the posterior encoder, the duration
// predictor's posterior flows) are not built. One unpadded utterance: the input padding mask is all
// ones and is left out; the frame mask (frames past the predicted length) is applied.
#include "cores_common.hpp"

#include <cmath>

#include "sml/compose/composition.hpp"
#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

Value sub(GraphBuilder& b, const Value& x, const Value& y) { return b.node("Sub", {x, y}, x.rank() >= y.rank() ? x.shape : y.shape); }
Value div(GraphBuilder& b, const Value& x, const Value& y) { return b.node("Div", {x, y}, x.shape); }
Value zeros(GraphBuilder& b, const Shape& s) { return b.expand(b.scalar(0), s); }
Value channel_norm(GraphBuilder& b, const Value& x, float eps) {  // LayerNorm over the channels of (N, C, T)
  return b.transpose(b.layer_norm(b.transpose(x, {0, 2, 1}), eps), {0, 2, 1});
}
Value flip_channels(GraphBuilder& b, const Value& x) {  // torch.flip(x, [1])
  std::vector<std::int64_t> idx(static_cast<std::size_t>(x.dim(1)));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = x.dim(1) - 1 - static_cast<std::int64_t>(i);
  return b.gather(x, b.ints(idx, {x.dim(1)}), 1);
}

// ---- text encoder --------------------------------------------------------------------------------

// The (2S−1, d) slice of a window's relative table (2·window+1 rows, zero outside the window) that
// relative offsets −(S−1) … S−1 read (Hugging Face's _get_relative_embeddings).
Value relative_rows(GraphBuilder& b, const Value& table, std::int64_t S, std::int64_t window) {
  const std::int64_t d = table.dim(1), pad = S - 1 - window;
  if (pad > 0) return b.concat({zeros(b, {pad, d}), table, zeros(b, {pad, d})}, 0);
  return b.slice(table, 0, -pad, -pad + 2 * S - 1);
}

// Self-attention with Shaw et al.'s relative keys and values inside ±WINDOW, shared by the heads:
// scores += q · k_rel(j − i), output += Σ_j p_ij · v_rel(j − i). Written as the reference computes
// it: a product with all 2S−1 offsets, then a fixed re-indexing between relative and absolute.
Value windowed_attention(GraphBuilder& b, const Value& x, std::int64_t h, std::int64_t window) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), d = D / h, R = 2 * S - 1;
  auto project = [&](const char* name) {
    Scope p(b, name);
    return b.transpose(b.reshape(b.linear(x, D), {B, S, h, d}), {0, 2, 1, 3});  // B h S d
  };
  const Value q = b.mul(project("q_proj"), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  const Value k = project("k_proj"), v = project("v_proj");
  const Value rel_k = relative_rows(b, b.weight("emb_rel_k", {2 * window + 1, d}, Fill::kNormal002), S, window);
  const Value rel_v = relative_rows(b, b.weight("emb_rel_v", {2 * window + 1, d}, Fill::kNormal002), S, window);
  std::vector<std::int64_t> to_abs(static_cast<std::size_t>(S * S)), to_rel(static_cast<std::size_t>(S * R));
  for (std::int64_t i = 0; i < S; ++i) {
    for (std::int64_t j = 0; j < S; ++j) to_abs[static_cast<std::size_t>(i * S + j)] = i * R + (j - i + S - 1);
    for (std::int64_t r = 0; r < R; ++r) {  // column j = i + r − (S−1), or the zero column S when outside
      const std::int64_t j = i + r - (S - 1);
      to_rel[static_cast<std::size_t>(i * R + r)] = i * (S + 1) + (j >= 0 && j < S ? j : S);
    }
  }
  Value scores = b.matmul(q, b.transpose(k, {0, 1, 3, 2}));
  const Value rel_logits = b.reshape(b.matmul(q, b.transpose(rel_k, {1, 0})), {B, h, S * R});  // B h S (2S−1)
  scores = b.add(scores, b.gather(rel_logits, b.ints(to_abs, {S, S}), 2));
  const Value p = b.softmax(scores, -1);
  Value out = b.matmul(p, v);
  const Value padded = b.reshape(b.concat({p, zeros(b, {B, h, S, 1})}, 3), {B, h, S * (S + 1)});
  out = b.add(out, b.matmul(b.gather(padded, b.ints(to_rel, {S, R}), 2), rel_v));
  const Value ctx = b.reshape(b.transpose(out, {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "out_proj");
  return b.linear(ctx, D);
}

Value core_vits_text_encoder(GraphBuilder& b, const Value& ids, const CoreArgs& a, BuildContext& c) {
  need_rank(a, ids, 2, "token ids (N, S) of type int64");
  const std::int64_t vocab = a.integer("vocab", 0), D = channels(a, "dim", c), h = a.integer("heads", 2), hidden = channels(a, "mlp_dim", c);
  const std::int64_t k = a.integer("kernel", 3), window = a.integer("window", 4);
  if (vocab < 1 || h < 1 || D % h || k < 1 || window < 1)
    throw InputError(a.where + ": vits_text_encoder needs vocab, a width that splits into heads, kernel ≥ 1 and window ≥ 1");
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  Value x;
  {
    Scope s(b, "embed_tokens");  // scaled by sqrt(D) as in the reference
    x = b.mul(b.gather(b.weight("weight", {vocab, D}, Fill::kNormal002), ids, 0), b.scalar(static_cast<float>(std::sqrt(static_cast<double>(D)))));
  }
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, "encoder.layers." + std::to_string(i));
    Value att;
    {
      Scope at(b, "attention");
      att = windowed_attention(b, x, h, window);
    }
    {
      Scope ln(b, "layer_norm");
      x = b.layer_norm(b.add(x, att), eps);
    }
    Value f = b.transpose(x, {0, 2, 1});  // convolutional MLP over (N, D, S)
    {
      Scope ff(b, "feed_forward.conv_1");
      f = b.activation(b.conv(f, hidden, {k}, {1}, {(k - 1) / 2, k / 2}, 1, true), "relu");
    }
    {
      Scope ff(b, "feed_forward.conv_2");
      f = b.conv(f, D, {k}, {1}, {(k - 1) / 2, k / 2}, 1, true);
    }
    Scope ln(b, "final_layer_norm");
    x = b.layer_norm(b.add(x, b.transpose(f, {0, 2, 1})), eps);
  }
  return x;
}

// ---- stochastic duration predictor (reverse) ------------------------------------------------------

// Dilated depth-separable convolutions (dilation kernel^i), each with two channel LayerNorms and GELU, residual.
Value dds_conv(GraphBuilder& b, Value x, std::int64_t k, std::int64_t layers) {
  Scope s(b, "conv_dds");
  const std::int64_t C = x.dim(1);
  std::int64_t dil = 1;
  for (std::int64_t i = 0; i < layers; ++i, dil *= k) {
    Value y;
    {
      Scope cv(b, "convs_dilated." + std::to_string(i));
      y = b.conv(x, C, {k}, {1}, {(k * dil - dil) / 2}, C, true, {dil});
    }
    {
      Scope n(b, "norms_1." + std::to_string(i));
      y = b.activation(channel_norm(b, y, 1e-5f), "gelu");
    }
    {
      Scope cv(b, "convs_pointwise." + std::to_string(i));
      y = b.conv(y, C, {1}, {1}, {0}, 1, true);
    }
    {
      Scope n(b, "norms_2." + std::to_string(i));
      y = b.activation(channel_norm(b, y, 1e-5f), "gelu");
    }
    x = b.add(x, y);
  }
  return x;
}

// Bin edges (K+1) and sizes (K) over [−T, T] from unnormalised sizes (…, K): softmax, a floor of
// 1e-3 per bin, cumulative sum, the ends pinned (Durkan et al. 2019's rational-quadratic spline).
std::pair<Value, Value> spline_bins(GraphBuilder& b, const Value& u, float tail) {
  const std::int64_t K = u.dim(-1);
  Shape one = u.shape;
  one.back() = 1;
  const Value w = b.add(b.mul(b.softmax(u, -1), b.scalar(1 - 1e-3f * static_cast<float>(K))), b.scalar(1e-3f));
  const Value cum = b.add(b.mul(b.node("CumSum", {w, b.ints({-1})}, w.shape), b.scalar(2 * tail)), b.scalar(-tail));
  const Value edges = b.concat({b.expand(b.scalar(-tail), one), b.slice(cum, -1, 0, K - 1), b.expand(b.scalar(tail), one)}, -1);
  return {edges, sub(b, b.slice(edges, -1, 1, K + 1), b.slice(edges, -1, 0, K))};
}

// The inverse of the rational-quadratic spline with linear tails (Hugging Face's
// _unconstrained_rational_quadratic_spline, reverse=True) on X (N, 1, S), its parameters P (N, 1, S, 3K−1).
Value spline_inverse(GraphBuilder& b, const Value& x, const Value& p, std::int64_t K, float tail, std::int64_t filter) {
  const std::int64_t N = x.dim(0), S = x.dim(2);
  const Shape col{N, 1, S, 1};
  const Value scale = b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(filter))));
  const auto [cumw, widths] = spline_bins(b, b.mul(b.slice(p, 3, 0, K), scale), tail);
  const auto [cumh, heights] = spline_bins(b, b.mul(b.slice(p, 3, K, 2 * K), scale), tail);
  const float edge = static_cast<float>(std::log(std::exp(1 - 1e-3) - 1));  // derivative 1 at both ends
  const Value ud = b.concat({b.expand(b.scalar(edge), col), b.slice(p, 3, 2 * K, 3 * K - 1), b.expand(b.scalar(edge), col)}, 3);
  const Value deriv = b.add(b.node("Softplus", {ud}, ud.shape), b.scalar(1e-3f));  // K+1
  const Value xu = b.reshape(b.node("Clip", {x, b.scalar(-tail), b.scalar(tail)}, x.shape), col);
  // bin index: how many edges (the last raised by 1e-6) lie at or below x, minus one
  const Value raise = b.concat({zeros(b, {1, 1, 1, K}), b.expand(b.scalar(1e-6f), {1, 1, 1, 1})}, 3);
  const Value ge = b.to_float(b.node("GreaterOrEqual", {xu, b.add(cumh, raise)}, cumh.shape, {}, 9));
  Value idx = b.node("ReduceSum", {ge, b.ints({3}, {1})}, col, {Attr::integer("keepdims", 1)});
  idx = sub(b, b.node("Cast", {idx}, col, {Attr::integer("to", 7)}, 7), b.ints({1}, {1}));
  idx.dtype = 7;
  auto pick = [&](const Value& t) { return b.node("GatherElements", {t, idx}, col, {Attr::integer("axis", 3)}); };
  const Value in_cw = pick(cumw), in_w = pick(widths), in_ch = pick(cumh), in_h = pick(heights);
  const Value delta = pick(div(b, heights, widths)), d0 = pick(b.slice(deriv, 3, 0, K)), d1 = pick(b.slice(deriv, 3, 1, K + 1));
  const Value i1 = sub(b, b.add(d0, d1), b.mul(delta, b.scalar(2)));
  const Value i2 = sub(b, xu, in_ch), i3 = b.mul(i2, i1);
  const Value qa = b.add(b.mul(in_h, sub(b, delta, d0)), i3);
  const Value qb = sub(b, b.mul(in_h, d0), i3);
  const Value qc = b.unary("Neg", b.mul(delta, i2));
  const Value disc = sub(b, b.mul(qb, qb), b.mul(b.mul(qa, qc), b.scalar(4)));
  const Value root = div(b, b.mul(qc, b.scalar(2)), sub(b, b.unary("Neg", qb), b.unary("Sqrt", disc)));
  const Value y = b.reshape(b.add(b.mul(root, in_w), in_cw), x.shape);
  const Value inside = b.node("And", {b.node("GreaterOrEqual", {x, b.scalar(-tail)}, x.shape, {}, 9), b.node("LessOrEqual", {x, b.scalar(tail)}, x.shape, {}, 9)},
                              x.shape, {}, 9);
  return b.node("Where", {inside, y, x}, x.shape);
}

Value core_vits_duration_predictor(GraphBuilder& b, const Value& hidden, const CoreArgs& a, BuildContext& c) {
  need_rank(a, hidden, 3, "text encoder states (N, S, D)");
  const std::int64_t N = hidden.dim(0), S = hidden.dim(1), F = channels(a, "filter", c, hidden.dim(2)), k = a.integer("kernel", 3);
  const std::int64_t layers = a.integer("layers", 3), flows = a.integer("flows", 4), K = a.integer("bins", 10);
  const float tail = static_cast<float>(a.number("tail_bound", 5)), noise = static_cast<float>(a.number("noise_scale", 0.8));
  if (k < 1 || flows < 2 || K < 2 || tail <= 0) throw InputError(a.where + ": vits_duration_predictor: expected kernel ≥ 1, flows ≥ 2, bins ≥ 2, tail_bound > 0");
  Value cond = b.transpose(hidden, {0, 2, 1});  // the reference detaches it: no gradient, same arithmetic
  {
    Scope s(b, "conv_pre");
    cond = b.conv(cond, F, {1}, {1}, {0}, 1, true);
  }
  cond = dds_conv(b, cond, k, layers);
  {
    Scope s(b, "conv_proj");
    cond = b.conv(cond, F, {1}, {1}, {0}, 1, true);
  }
  // Noise (N, 2, S) through the flows in reverse; the reference skips the first spline flow
  // ("a useless vflow"), so flows …, 2 then the elementwise affine flow 0 run.
  Value z = b.node("RandomNormal", {}, {N, 2, S}, {Attr::integers("shape", {N, 2, S}), Attr::real("scale", noise)});
  for (std::int64_t f = flows; f >= 2; --f) {
    Scope s(b, "flows." + std::to_string(f));
    z = flip_channels(b, z);
    const Value first = b.slice(z, 1, 0, 1), second = b.slice(z, 1, 1, 2);
    Value y;
    {
      Scope cv(b, "conv_pre");
      y = b.conv(first, F, {1}, {1}, {0}, 1, true);
    }
    y = dds_conv(b, b.add(y, cond), k, layers);
    {
      Scope cv(b, "conv_proj");
      y = b.conv(y, 3 * K - 1, {1}, {1}, {0}, 1, true);
    }
    const Value params = b.transpose(b.reshape(y, {N, 1, 3 * K - 1, S}), {0, 1, 3, 2});
    z = b.concat({first, spline_inverse(b, second, params, K, tail, F)}, 1);
  }
  {
    Scope s(b, "flows.0");
    z = flip_channels(b, z);
    const Value shift = b.weight("translate", {2, 1}, Fill::kZeros), log_scale = b.weight("log_scale", {2, 1}, Fill::kZeros);
    z = b.mul(sub(b, z, shift), b.unary("Exp", b.unary("Neg", log_scale)));
  }
  // durations: ceil(exp(log duration) × length_scale), one per token, (N, 1, S)
  const Value logw = b.slice(z, 1, 0, 1);
  const Value w = b.mul(b.unary("Exp", logw), b.scalar(static_cast<float>(a.number("length_scale", 1))));
  return b.node("Ceil", {w}, w.shape);
}

// ---- prior and flow --------------------------------------------------------------------------------

// The prior at a fixed number of FRAMES: the text encoder's projection to means and log-variances,
// each token's statistics repeated for its predicted duration (the hard alignment, built from the
// cumulative durations), frames past the predicted length masked to zero, then sampled.
Value core_vits_prior(GraphBuilder& b, const Value& hidden, const CoreArgs& a, BuildContext& c) {
  need_rank(a, hidden, 3, "text encoder states (N, S, D)");
  const std::int64_t N = hidden.dim(0), S = hidden.dim(1), F = channels(a, "flow_size", c), M = a.integer("frames", 0);
  if (M < 1) throw InputError(a.where + ": vits_prior needs frames: the spectrogram frames the output is fixed to");
  if (!a.has("durations")) throw InputError(a.where + ": vits_prior needs durations: the name of the duration predictor");
  const Value dur = resolve(c, a, "durations");
  if (dur.shape != Shape{N, 1, S})
    throw InputError(a.where + ": vits_prior: durations '" + a.text("durations", "") + "' is " + shape_text(dur.shape) + ", expected (" +
                     std::to_string(N) + ", 1, " + std::to_string(S) + ")");
  Value stats;
  {
    Scope s(b, "project");
    stats = b.transpose(b.conv(b.transpose(hidden, {0, 2, 1}), 2 * F, {1}, {1}, {0}, 1, true), {0, 2, 1});  // N S 2F
  }
  std::vector<std::int64_t> frames(static_cast<std::size_t>(M));
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i] = static_cast<std::int64_t>(i);
  const Value m = b.to_float(b.ints(frames, {1, 1, M}));
  const Value cum = b.reshape(b.node("CumSum", {dur, b.ints({-1})}, dur.shape), {N, S, 1});
  const Value upto = b.to_float(b.node("Less", {m, cum}, {N, S, M}, {}, 9));  // frame m lies before the end of token s
  const Value before = b.concat({zeros(b, {N, 1, M}), b.slice(upto, 1, 0, S - 1)}, 1);
  const Value total = b.node("Max", {b.node("ReduceSum", {dur, b.ints({2}, {1})}, {N, 1, 1}, {Attr::integer("keepdims", 1)}), b.scalar(1)}, {N, 1, 1});
  const Value mask = b.to_float(b.node("Less", {m, total}, {N, 1, M}, {}, 9));  // N 1 M
  c.named[a.text("mask_name", "frame_mask")] = mask;
  const Value attn = b.mul(b.transpose(sub(b, upto, before), {0, 2, 1}), b.transpose(mask, {0, 2, 1}));  // N M S
  const Value means = b.matmul(attn, b.slice(stats, 2, 0, F)), logvar = b.matmul(attn, b.slice(stats, 2, F, 2 * F));  // N M F
  const Value noise = b.node("RandomNormalLike", {means}, means.shape, {Attr::real("scale", static_cast<float>(a.number("noise_scale", 0.667)))});
  return b.transpose(b.add(means, b.mul(noise, b.unary("Exp", logvar))), {0, 2, 1});  // N F M
}

// WaveNet-style stack (non-causal, gated tanh × sigmoid, residual and skip 1×1 convolutions).
Value wavenet(GraphBuilder& b, Value x, const Value& mask, std::int64_t layers, std::int64_t k, std::int64_t rate) {
  Scope s(b, "wavenet");
  const std::int64_t C = x.dim(1);
  Value skip;
  std::int64_t dil = 1;
  for (std::int64_t i = 0; i < layers; ++i, dil *= rate) {
    Value h;
    {
      Scope cv(b, "in_layers." + std::to_string(i));
      h = b.conv(x, 2 * C, {k}, {1}, {(k * dil - dil) / 2}, 1, true, {dil});
    }
    const Value acts = b.mul(b.activation(b.slice(h, 1, 0, C), "tanh"), b.activation(b.slice(h, 1, C, 2 * C), "sigmoid"));
    const bool last = i == layers - 1;
    Value rs;
    {
      Scope cv(b, "res_skip_layers." + std::to_string(i));
      rs = b.conv(acts, last ? C : 2 * C, {1}, {1}, {0}, 1, true);
    }
    const Value out = last ? rs : b.slice(rs, 1, C, 2 * C);
    if (!last) x = b.mul(b.add(x, b.slice(rs, 1, 0, C)), mask);
    skip = skip.name.empty() ? out : b.add(skip, out);
  }
  return b.mul(skip, mask);
}

Value core_vits_flow(GraphBuilder& b, const Value& z0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, z0, 3, "latents (N, C, frames)");
  const std::int64_t C = z0.dim(1), half = C / 2, hidden = channels(a, "hidden", c, C), flows = a.integer("flows", 4);
  const std::int64_t layers = a.integer("wavenet_layers", 4), k = a.integer("kernel", 5), rate = a.integer("dilation_rate", 1);
  if (C % 2 || flows < 1 || layers < 1 || k < 1 || rate < 1) throw InputError(a.where + ": vits_flow: expected an even channel count, flows, wavenet_layers, kernel and dilation_rate ≥ 1");
  const Value mask = resolve(c, a, "mask");
  if (mask.rank() != 3 || mask.dim(2) != z0.dim(2)) throw InputError(a.where + ": vits_flow: mask '" + a.text("mask", "") + "' does not cover the frames");
  Value z = z0;
  for (std::int64_t f = flows - 1; f >= 0; --f) {  // reverse: last coupling layer first, each after a flip
    Scope s(b, "flows." + std::to_string(f));
    z = flip_channels(b, z);
    const Value first = b.slice(z, 1, 0, half), second = b.slice(z, 1, half, C);
    Value h;
    {
      Scope cv(b, "conv_pre");
      h = b.mul(b.conv(first, hidden, {1}, {1}, {0}, 1, true), mask);
    }
    h = wavenet(b, h, mask, layers, k, rate);
    Value mean;
    {
      Scope cv(b, "conv_post");
      mean = b.mul(b.conv(h, half, {1}, {1}, {0}, 1, true), mask);
    }
    z = b.concat({first, b.mul(sub(b, second, mean), mask)}, 1);  // mean-only coupling: log σ = 0
  }
  return b.mul(z, mask);
}

const CoreKey kMask{"mask", "name the prior registered its frame mask under (default of vits_prior: frame_mask)"};

}  // namespace

void add_vits_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"vits_text_encoder", "backbone", "VITS text encoder: scaled character embeddings, post-norm layers with windowed relative attention and a convolutional MLP",
       "reads the characters once; relative positions inside a small window (±4) let it generalise to any length with two 9-row tables per layer.",
       {{"vocab", "characters"}, {"dim", "width (hidden_size)"}, {"heads", "attention heads (default 2)"}, {"mlp_dim", "MLP width (ffn_dim)"},
        {"kernel", "MLP convolution width (default 3)"}, {"window", "relative attention window (default 4)"}, {"eps", "default 1e-5"}, kRepeat, kScale, kDivisor},
       core_vits_text_encoder},
      {"vits_duration_predictor", "neck", "VITS stochastic duration predictor in reverse: Gaussian noise through rational-quadratic spline flows conditioned on the text, to whole frames per token",
       "decides how long each character is spoken; sampling makes the rhythm vary run to run. Small next to the decoder.",
       {{"filter", "channels (default: the text width)"}, {"kernel", "convolution width (default 3)"}, {"layers", "dilated convolutions per block (default 3)"},
        {"flows", "spline flows in the checkpoint (default 4; inference runs flows−1 of them)"}, {"bins", "spline bins (default 10)"},
        {"tail_bound", "spline interval (default 5)"}, {"noise_scale", "noise scale (default 0.8)"}, {"length_scale", "1 / speaking rate (default 1)"}, kScale, kDivisor},
       core_vits_duration_predictor},
      {"vits_prior", "neck", "VITS prior at a fixed frame count: text statistics repeated by the predicted durations (hard alignment), masked past the predicted length, sampled",
       "the monotonic alignment as fixed-shape arithmetic: the output always has `frames` frames; a shorter prediction leaves silence at the end, a longer one is cut.",
       {{"frames", "spectrogram frames of the output (fixed)"}, {"durations", "name of the duration predictor"}, {"flow_size", "latent channels"},
        {"noise_scale", "sampling noise (default 0.667)"}, {"mask_name", "name to register the frame mask under (default frame_mask)"}, kScale, kDivisor},
       core_vits_prior},
      {"vits_flow", "neck", "VITS residual coupling flow in reverse: mean-only affine couplings over half the channels, each a WaveNet-style stack, with flips",
       "turns the prior's sample into the latent the decoder reads; it runs at the frame rate, cheaper than the decoder's audio-rate stages.",
       {{"hidden", "coupling width (default: the latent channels)"}, {"flows", "coupling layers (default 4)"}, {"wavenet_layers", "layers per coupling (default 4)"},
        {"kernel", "WaveNet kernel (default 5)"}, {"dilation_rate", "dilation growth (default 1)"}, kMask, kScale, kDivisor},
       core_vits_flow},
  });
}

}  // namespace sml::compose::detail
