// Encoder cores of the BERT family past BERT itself (issue 13): a dense projection (ALBERT's and
// ELECTRA's factorised embeddings, ELECTRA's discriminator head) and one post-norm encoder block
// that covers BERT, ALBERT (one layer's weights shared by every repeat), MPNet (a bucketed
// relative position bias shared by all layers) and DeBERTa-v2/v3 (disentangled attention), and
// that reads the composition's attention mask when it has one (issue 18), as exported encoders do.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// A dense layer whose weights can be applied to more than one input (DeBERTa projects the
// relative position embeddings with the same query and key matrices as the tokens).
struct Dense {
  Value w, bias;
  Dense(GraphBuilder& b, const char* scope, std::int64_t in, std::int64_t out) {
    Scope s(b, scope);
    w = b.weight("weight", {in, out}, Fill::kXavierUniform, static_cast<double>(in), static_cast<double>(out));
    bias = b.weight("bias", {out}, Fill::kZeros);
  }
  Value operator()(GraphBuilder& b, const Value& x) const { return b.add(b.matmul(x, w), bias); }
};

// (B, S, D) → (B, h, S, d)
Value heads_first(GraphBuilder& b, const Value& x, std::int64_t h) {
  const std::int64_t B = x.dim(0), S = x.dim(1), d = x.dim(2) / h;
  return b.transpose(b.reshape(x, {B, S, h, d}), {0, 2, 1, 3});
}

// MPNet's (and T5's) bidirectional bucket of the relative position REL = key − query: half the
// buckets for each direction, exact up to a quarter of them, logarithmic up to MAX_DISTANCE.
std::int64_t bidirectional_bucket(std::int64_t rel, std::int64_t buckets, std::int64_t max_distance) {
  buckets /= 2;
  std::int64_t n = -rel, ret = n < 0 ? buckets : 0;
  n = std::llabs(n);
  const std::int64_t exact = buckets / 2;
  if (n < exact) return ret + n;
  const auto large = exact + static_cast<std::int64_t>(std::log(static_cast<double>(n) / static_cast<double>(exact)) /
                                                       std::log(static_cast<double>(max_distance) / static_cast<double>(exact)) *
                                                       static_cast<double>(buckets - exact));
  return ret + std::min(large, buckets - 1);
}

// DeBERTa-v2's log bucket of REL = query − key (make_log_bucket_position): exact inside
// ±BUCKETS/2, logarithmic out to MAX_POSITION.
std::int64_t log_bucket(std::int64_t rel, std::int64_t buckets, std::int64_t max_position) {
  const std::int64_t mid = buckets / 2, sign = rel > 0 ? 1 : rel < 0 ? -1 : 0;
  const std::int64_t abs = (rel < mid && rel > -mid) ? mid - 1 : std::llabs(rel);
  if (abs <= mid) return rel;
  const double log_pos = std::ceil(std::log(static_cast<double>(abs) / mid) / std::log(static_cast<double>(max_position - 1) / mid) *
                                   static_cast<double>(mid - 1)) + static_cast<double>(mid);
  return static_cast<std::int64_t>(log_pos) * sign;
}

// What every layer of one encoder core shares: the additive score bias (attention mask,
// MPNet's relative bias), DeBERTa's normalised relative embeddings and gather indices.
struct Shared {
  Value bias;                      // broadcast to (B, h, S, S); empty name: none
  Value rel;                       // DeBERTa: (2k, D) relative embeddings after LayerNorm
  Value c2p_index, p2c_index;      // DeBERTa: (S, S) indices into the flattened (S·2k) scores
  std::int64_t span = 0;           // DeBERTa: k
};

Value with_bias(GraphBuilder& b, const Value& acc, const Value& more) { return acc.name.empty() ? more : b.add(acc, more); }

Shared shared_terms(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c, std::int64_t heads) {
  Shared sh;
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2);
  if (!c.attention_mask.name.empty()) {  // (B, S) of 1 (attend) and 0 (padding) → 0 or −1e9 on the scores
    if (c.attention_mask.dim(1) != S || c.attention_mask.dim(0) != B)
      throw InputError(a.where + ": " + a.core + ": the attention mask's shape does not match the sequence");
    Scope s(b, "attention_mask");
    const Value m = b.reshape(b.to_float(c.attention_mask), {B, 1, 1, S});
    sh.bias = b.add(b.mul(m, b.scalar(1e9f)), b.scalar(-1e9f));
    c.attention_mask_used = true;
  }
  const std::string rel = a.text("relative", "none");
  if (rel == "buckets") {  // MPNet: one (buckets × heads) table, its bias added in every layer
    const std::int64_t n = a.integer("buckets", 32), dist = a.integer("max_distance", 128);
    if (n < 4 || dist < 2) throw InputError(a.where + ": " + a.core + ": buckets needs at least 4 and max_distance at least 2");
    std::vector<std::int64_t> idx;
    for (std::int64_t i = 0; i < S; ++i)
      for (std::int64_t j = 0; j < S; ++j) idx.push_back(bidirectional_bucket(j - i, n, dist));
    Scope s(b, "relative_attention_bias");
    const Value table = b.weight("weight", {n, heads}, Fill::kNormal002);
    const Value bias = b.reshape(b.transpose(b.gather(table, b.ints(idx, {S, S}), 0), {2, 0, 1}), {1, heads, S, S});
    sh.bias = with_bias(b, sh.bias, bias);
  } else if (rel == "disentangled") {  // DeBERTa-v2/v3: 2k relative embeddings, LayerNorm'd once
    const std::int64_t k = a.integer("position_buckets", 256), max_pos = a.integer("max_relative_positions", 512);
    if (k < 2 || max_pos < 2) throw InputError(a.where + ": " + a.core + ": position_buckets and max_relative_positions need at least 2");
    sh.span = k;
    {
      Scope s(b, "rel_embeddings");
      sh.rel = b.weight("weight", {2 * k, D}, Fill::kNormal002);
    }
    {
      Scope s(b, "LayerNorm");
      sh.rel = b.layer_norm(sh.rel, static_cast<float>(a.number("eps", 1e-7)));
    }
    std::vector<std::int64_t> c2p, p2c;
    auto clamp = [&](std::int64_t v) { return std::max<std::int64_t>(0, std::min<std::int64_t>(2 * k - 1, v)); };
    for (std::int64_t i = 0; i < S; ++i)
      for (std::int64_t j = 0; j < S; ++j) {
        c2p.push_back(i * 2 * k + clamp(log_bucket(i - j, k, max_pos) + k));   // query i's content at i − j
        p2c.push_back(j * 2 * k + clamp(-log_bucket(j - i, k, max_pos) + k));  // key j's content at j − i, seen from i
      }
    sh.c2p_index = b.ints(c2p, {S, S});
    sh.p2c_index = b.ints(p2c, {S, S});
  } else if (rel != "none") {
    throw InputError(a.where + ": " + a.core + " relative '" + rel + "': expected none, buckets (MPNet) or disentangled (DeBERTa)");
  }
  return sh;
}

// Multi-head self-attention with biased q, k, v and output projections, plus the shared terms.
Value self_attention(GraphBuilder& b, const Value& x, std::int64_t heads, const Shared& sh) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), d = D / heads;
  const Dense wq(b, "query", D, D), wk(b, "key", D, D), wv(b, "value", D, D);
  const Value q = heads_first(b, wq(b, x), heads), k = heads_first(b, wk(b, x), heads), v = heads_first(b, wv(b, x), heads);
  Value scores = b.matmul(q, b.transpose(k, {0, 1, 3, 2}));  // B h S S
  double factor = 1;
  if (!sh.rel.name.empty()) {  // content→position and position→content (He et al. 2021, eq. 4)
    const std::int64_t R = sh.rel.dim(0);
    auto positions_of = [&](const Dense& w) {  // (2k, D) → (h, d, 2k)
      return b.transpose(b.reshape(w(b, sh.rel), {R, heads, d}), {1, 2, 0});
    };
    const Value c2p = b.gather(b.reshape(b.matmul(q, positions_of(wk)), {B, heads, S * R}), sh.c2p_index, 2);
    const Value p2c = b.gather(b.reshape(b.matmul(k, positions_of(wq)), {B, heads, S * R}), sh.p2c_index, 2);
    scores = b.add(b.add(scores, c2p), p2c);
    factor = 3;  // DeBERTa scales by √(3d): three terms
  }
  scores = b.mul(scores, b.scalar(static_cast<float>(1 / std::sqrt(factor * static_cast<double>(d)))));
  if (!sh.bias.name.empty()) scores = b.add(scores, sh.bias);
  const Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "output");
  return b.linear(ctx, D);
}

Value core_bert_encoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t dim = x0.dim(2);
  // Heads follow --width as transformer_encoder's do (the head size is kept).
  const std::int64_t heads = std::max<std::int64_t>(1, c.width == 1 ? a.integer("heads", 12)
                                                                   : std::llround(static_cast<double>(a.integer("heads", 12)) * c.width));
  if (dim % heads)
    throw InputError(a.where + ": " + a.core + ": width " + std::to_string(dim) + " does not split into " + std::to_string(heads) + " heads");
  const std::int64_t hidden = channels(a, "mlp_dim", c);
  const float eps = static_cast<float>(a.number("eps", 1e-12));
  const std::string act = a.text("act", "gelu");
  const bool shared = a.flag("shared", false);
  const Shared sh = shared_terms(b, x0, a, c, heads);
  // ALBERT: every repeat is built under one scope with sharing on, so they all use the weights
  // the first made (Lan et al. 2020, section 3.1); the work is still done once per repeat.
  struct ShareGuard {
    GraphBuilder& b;
    ~ShareGuard() { b.share_weights(false); }
  } guard{b};
  b.share_weights(shared);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, shared ? "shared" : std::to_string(i));
    {
      Scope at(b, "attention");
      const Value h = b.add(x, self_attention(b, x, heads, sh));
      Scope ln(b, "LayerNorm");
      x = b.layer_norm(h, eps);
    }
    Scope m(b, "mlp");
    Value h;
    {
      Scope f(b, "intermediate");
      h = b.activation(b.linear(x, hidden), act);
    }
    {
      Scope f(b, "output");
      h = b.add(x, b.linear(h, dim));
    }
    Scope ln(b, "LayerNorm");
    x = b.layer_norm(h, eps);
  }
  return x;
}

// MobileBERT's NoNorm: an elementwise scale and shift, no statistics (Sun et al. 2020, section 4.2).
Value no_norm(GraphBuilder& b, const Value& x) {
  Scope s(b, "LayerNorm");
  return b.add(b.mul(x, b.weight("weight", {x.dim(-1)}, Fill::kOnes)), b.weight("bias", {x.dim(-1)}, Fill::kZeros));
}

Value dense(GraphBuilder& b, const char* scope, const Value& x, std::int64_t out) {
  Scope s(b, scope);
  return b.linear(x, out);
}

// MobileBERT embeddings: a 128-wide table read as trigrams (each token beside its neighbours,
// zero at the ends: 3·128 = 384), projected to the 512-wide body, plus positions and segments.
Value core_mobilebert_embed(GraphBuilder& b, const Value& ids, const CoreArgs& a, BuildContext& c) {
  need_rank(a, ids, 2, "token ids (N, S) of type int64");
  const std::int64_t E = a.integer("embedding", 128), D = channels(a, "dim", c, 512), S = ids.dim(1);
  const std::int64_t max_pos = a.integer("max_positions", 512);
  if (S < 2 || S > max_pos) throw InputError(a.where + ": mobilebert_embed: a sequence of 2 to max_positions (" + std::to_string(max_pos) + ") tokens");
  Value x;
  {
    Scope s(b, "word_embeddings");
    x = b.gather(b.weight("weight", {a.integer("vocab", 30522), E}, Fill::kNormal002), ids, 0);
  }
  const Value zero = b.mul(b.slice(x, 1, 0, 1), b.scalar(0));  // (B, 1, E) of zeros, no parameters
  const Value next = b.concat({b.slice(x, 1, 1, S), zero}, 1), prev = b.concat({zero, b.slice(x, 1, 0, S - 1)}, 1);
  x = dense(b, "embedding_transformation", b.concat({next, x, prev}, 2), D);
  const std::vector<std::int64_t> pos = positions(S, a.where);
  x = b.add(x, b.gather(b.weight("position_embeddings", {max_pos, D}, Fill::kNormal002), b.ints(pos, {1, S}), 0));
  x = b.add(x, b.gather(b.weight("token_type_embeddings", {a.integer("token_types", 2), D}, Fill::kNormal002),
                        b.ints(std::vector<std::int64_t>(pos.size(), 0), {1, S}), 0));
  return no_norm(b, x);
}

// One MobileBERT layer (Sun et al. 2020, figure 1c; Hugging Face's MobileBertLayer): the 512-wide
// stream is squeezed to 128 twice (one bottleneck for the block, one shared by queries and keys;
// values read the 512-wide input), attention at 128, a stack of FFNs at 128 (4 in all), and
// widened back to 512 with the residual. ReLU and NoNorm throughout.
Value core_mobilebert_encoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t D = x0.dim(2), T = a.integer("bottleneck", 128), heads = a.integer("heads", 4), F = channels(a, "mlp_dim", c);
  const std::int64_t ffns = a.integer("ffns", 4);
  if (heads < 1 || T % heads) throw InputError(a.where + ": mobilebert_encoder: bottleneck " + std::to_string(T) + " does not split into " + std::to_string(heads) + " heads");
  if (ffns < 1 || ffns > 16) throw InputError(a.where + ": mobilebert_encoder: ffns must be 1 to 16");
  const std::int64_t B = x0.dim(0), S = x0.dim(1), d = T / heads;
  auto relu_ffn = [&](const char* scope, const Value& h) {
    Scope s(b, scope);
    const Value inner = b.activation(dense(b, "intermediate", h, F), "relu");
    Scope o(b, "output");
    return no_norm(b, b.add(h, dense(b, "dense", inner, T)));
  };
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    Value input, shared;
    {
      Scope bn(b, "bottleneck");
      {
        Scope in(b, "input");
        input = no_norm(b, dense(b, "dense", x, T));
      }
      Scope at(b, "attention");
      shared = no_norm(b, dense(b, "dense", x, T));
    }
    Value h;
    {
      Scope at(b, "attention");
      auto split = [&](const Value& t) { return b.transpose(b.reshape(t, {B, S, heads, d}), {0, 2, 1, 3}); };
      const Value q = split(dense(b, "query", shared, T)), k = split(dense(b, "key", shared, T)), v = split(dense(b, "value", x, T));
      const Value scores = b.mul(b.matmul(q, b.transpose(k, {0, 1, 3, 2})), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
      const Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, T});
      Scope o(b, "output");
      h = no_norm(b, b.add(input, dense(b, "dense", ctx, T)));
    }
    for (std::int64_t f = 0; f + 1 < ffns; ++f) h = relu_ffn(("ffn." + std::to_string(f)).c_str(), h);
    const Value inner = b.activation(dense(b, "intermediate", h, F), "relu");
    Scope o(b, "output");
    const Value narrow = no_norm(b, b.add(h, dense(b, "dense", inner, T)));
    Scope w(b, "bottleneck");
    x = no_norm(b, b.add(x, dense(b, "dense", narrow, D)));
  }
  return x;
}

Value core_linear(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  if (x.rank() < 2) need_rank(a, x, 2, "features (N, …, F)");
  const std::int64_t out = channels(a, "out", c);
  if (out < 1) throw InputError(a.where + ": linear: out must be at least 1");
  return b.activation(b.linear(x, out, a.flag("bias", true)), a.text("act", "none"));
}

}  // namespace

void add_encoder_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"mobilebert_embed", "stem", "MobileBERT embeddings: 128-wide table read as trigrams, projected to 512, positions, segments, NoNorm",
       "a narrow vocabulary table (128) keeps the parameters down; reading each token with its two neighbours and projecting "
       "gives the 512-wide body its input.",
       {{"vocab", "default 30522"}, {"embedding", "table width (default 128)"}, {"dim", "body width (default 512)"},
        {"max_positions", "default 512"}, {"token_types", "default 2"}, kScale, kDivisor},
       core_mobilebert_embed},
      {"mobilebert_encoder", "backbone", "MobileBERT layer: 512 → 128 bottlenecks, attention at 128, stacked ReLU FFNs, back to 512 (NoNorm)",
       "MobileBERT keeps BERT-large's depth (24) but runs attention and FFNs in a 128-wide bottleneck, with several FFNs per "
       "layer to keep the FFN/attention balance: a quarter of BERT-base's parameters for most of its accuracy (Sun et al. 2020).",
       {{"bottleneck", "inner width (default 128)"}, {"heads", "default 4"}, {"mlp_dim", "FFN hidden width"}, {"ffns", "FFNs per layer (default 4)"},
        kRepeat, kScale, kDivisor},
       core_mobilebert_encoder},
      {"linear", "neck", "dense layer over the last axis, optional activation",
       "projects features to another width: ALBERT and ELECTRA-small keep a narrow embedding table (128) and project it to "
       "the encoder's width, which saves most of the vocabulary's parameters; also a per-token head (ELECTRA's discriminator).",
       {{"out", "output width"}, {"bias", "default true"}, {"act", "activation after it (default none)"}, kScale, kDivisor},
       core_linear},
      {"bert_encoder", "backbone",
       "BERT-family post-norm encoder layer: self-attention and MLP, each with a residual and LayerNorm; optional shared "
       "weights (ALBERT), relative position bias (MPNet) or disentangled attention (DeBERTa)",
       "the encoder of BERT, RoBERTa, ELECTRA, ALBERT, MPNet and DeBERTa. ALBERT shares one layer's weights across the stack, "
       "so it has a twelfth of the parameters but the same MACs; MPNet adds a learned bias per relative distance; DeBERTa scores "
       "content against relative positions both ways, which costs two more S×2k×d products per layer. With an attention mask "
       "(composition `attention_mask: true` or `sml-compose --attention-mask`) padding tokens are ignored as in exported models.",
       {{"heads", "attention heads (default 12)"}, {"mlp_dim", "MLP hidden width"}, {"act", "MLP activation (default gelu)"},
        {"eps", "LayerNorm epsilon (default 1e-12)"}, {"shared", "one set of weights for every repeat (ALBERT)"},
        {"relative", "none (default), buckets (MPNet) or disentangled (DeBERTa-v2/v3)"},
        {"buckets", "relative buckets (default 32)"}, {"max_distance", "bucketed distance limit (default 128)"},
        {"position_buckets", "DeBERTa: k, half the relative embeddings (default 256)"},
        {"max_relative_positions", "DeBERTa: log-bucket limit (default 512)"}, kRepeat, kScale, kDivisor},
       core_bert_encoder},
  });
}

}  // namespace sml::compose::detail
