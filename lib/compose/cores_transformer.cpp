// Transformer cores: patch and token embeddings, multi-head attention, encoder and decoder
// blocks, LayerNorm.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"
#include "sml/io/doc.hpp"

namespace sml::compose::detail {
namespace {

// Multi-head attention from MatMul and Softmax: Q, K, V projections, scaled dot products,
// optional causal mask, context, output projection. CACHE: a decoder-only model's self-attention
// under a decode part (kv_cache.cpp), null otherwise.
Value attention(GraphBuilder& b, const Value& x, const Value& memory, std::int64_t heads, bool causal, BuildContext* cache = nullptr) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), T = memory.dim(1), d = D / heads;
  auto project = [&](const Value& in, const char* name, std::int64_t len) {
    Scope s(b, name);
    return b.reshape(b.linear(in, D), {B, len, heads, d});
  };
  Value q = b.transpose(project(x, "q", S), {0, 2, 1, 3});  // B h S d
  const DecodeMode::Part part = cache ? cache->decode.part : DecodeMode::kNone;
  Value ctx;
  if (part != DecodeMode::kNone) {  // through the KV cache (kv_cache.cpp): keys and values B h T d
    const Value k_new = b.transpose(project(memory, "k", T), {0, 2, 1, 3}), v_new = b.transpose(project(memory, "v", T), {0, 2, 1, 3});
    if (part == DecodeMode::kStep) {
      ctx = step_attention(b, *cache, q, k_new, v_new);
    } else {  // the prefill: causal over the prompt, its keys and values the part's outputs
      const auto [k, v] = cached_keys_values(b, cache, k_new, v_new);
      Value scores = b.mul(b.matmul(q, b.transpose(k, {0, 1, 3, 2})), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
      const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
      ctx = b.matmul(b.softmax(b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores), -1), v);
    }
  } else {
    Value k = b.transpose(project(memory, "k", T), {0, 2, 3, 1});  // B h d T
    Value v = b.transpose(project(memory, "v", T), {0, 2, 1, 3});  // B h T d
    Value scores = b.mul(b.matmul(q, k), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
    if (causal) {  // position j > i is masked; integer positions are shape data, not parameters
      const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
      scores = b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores);
    }
    ctx = b.matmul(b.softmax(scores, -1), v);
  }
  ctx = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "out");
  return b.linear(ctx, D);
}

Value mlp(GraphBuilder& b, const Value& x, std::int64_t hidden, const std::string& act, float dropout) {
  Value h;
  {
    Scope s(b, "fc1");
    h = b.dropout(b.activation(b.linear(x, hidden), act), dropout);
  }
  Scope s(b, "fc2");
  return b.linear(h, x.dim(-1));
}

std::int64_t scaled_heads(const CoreArgs& a, const BuildContext& c, std::int64_t dim) {
  if (a.has("heads") && a.integer("heads", 1) < 1)
    throw InputError(a.where + ": " + a.core + " 'heads': expected a whole number of at least 1, got '" + a.text("heads", "") + "'");
  const std::int64_t heads = std::max<std::int64_t>(1, c.width == 1 ? a.integer("heads", 1)
                                                                   : std::llround(static_cast<double>(a.integer("heads", 1)) * c.width));
  if (dim % heads)
    throw InputError(a.where + ": " + a.core + ": width " + std::to_string(dim) + " does not split into " + std::to_string(heads) +
                     " heads (set heads, or a width multiplier that keeps the head size)");
  return heads;
}

Value core_patch_embed(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "an image (N, C, H, W)");
  const std::int64_t p = a.integer("patch", 16);
  const std::int64_t dim = scaled_channels(a.integer("dim", 768), c.width, a.integer("divisor", 64));
  Value y;
  {
    Scope s(b, "conv_proj");
    y = b.conv(x, dim, {p}, {p}, {0}, 1, true);
  }
  const std::int64_t B = x.dim(0), n = y.dim(2) * y.dim(3);
  y = b.transpose(b.reshape(y, {B, dim, n}), {0, 2, 1});  // B, patches, dim
  if (a.flag("class_token", true)) {
    Value cls = b.weight("class_token", {1, 1, dim}, Fill::kNormal002);
    y = b.concat({B == 1 ? cls : b.expand(cls, {B, 1, dim}), y}, 1);
  }
  if (a.flag("position", true)) y = b.add(y, b.weight("pos_embedding", {1, y.dim(1), dim}, Fill::kNormal002));
  return b.dropout(y, static_cast<float>(a.number("dropout", 0)));
}

Value core_token_embed(GraphBuilder& b, const Value& ids, const CoreArgs& a, BuildContext& c) {
  need_rank(a, ids, 2, "token ids (N, S) of type int64");
  const std::int64_t dim = scaled_channels(a.integer("dim", 768), c.width, a.integer("divisor", 64));
  // A decode step's one token stands after the cache's: its position is the cache's length.
  const std::int64_t S = ids.dim(1), past = decode_position(c), max_pos = a.integer("max_positions", 512), types = a.integer("token_types", 0);
  if (max_pos > 0 && S + past > max_pos)
    throw InputError(a.where + ": token_embed: sequence of " + std::to_string(S + past) + " exceeds max_positions " + std::to_string(max_pos));
  const Value table = b.weight("word_embeddings", {a.integer("vocab", 30522), dim}, Fill::kNormal002);
  if (a.has("name")) c.tables[a.text("name", "")] = table;  // a head may share it (`tie:`)
  Value y = b.gather(table, ids, 0);
  std::vector<std::int64_t> pos = positions(S, a.where);
  for (auto& p : pos) p += past;
  if (max_pos > 0) y = b.add(y, b.gather(b.weight("position_embeddings", {max_pos, dim}, Fill::kNormal002), b.ints(pos, {1, S}), 0));
  if (types > 0)  // one segment: every token has type 0
    y = b.add(y, b.gather(b.weight("token_type_embeddings", {types, dim}, Fill::kNormal002), b.ints(std::vector<std::int64_t>(pos.size(), 0), {1, S}), 0));
  if (a.flag("norm", true)) {
    Scope s(b, "LayerNorm");
    y = b.layer_norm(y, static_cast<float>(a.number("eps", 1e-12)));
  }
  return b.dropout(y, static_cast<float>(a.number("dropout", 0)));
}

Value encoder_like(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, bool decoder) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t dim = x0.dim(2), heads = scaled_heads(a, c, dim);
  const std::int64_t hidden = a.has("mlp_dim") ? channels(a, "mlp_dim", c) : dim * a.integer("mlp_ratio", 4);
  const bool pre = a.text("norm", "pre") == "pre";
  const float eps = static_cast<float>(a.number("eps", 1e-6)), drop = static_cast<float>(a.number("dropout", 0));
  const std::string act = a.text("act", "gelu");
  const bool cross = decoder && a.has("memory");
  const Value memory = cross ? resolve(c, a, "memory") : Value{};
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    // Each sublayer: x + f(norm(x)) (pre-norm, ViT/GPT) or norm(x + f(x)) (post-norm, BERT).
    auto sublayer = [&](const char* name, auto&& f) {
      Scope ss(b, name);
      if (pre) {
        Value h;
        {
          Scope ln(b, "norm");
          h = b.layer_norm(x, eps);
        }
        x = b.add(x, b.dropout(f(h), drop));
      } else {
        Value h = b.add(x, b.dropout(f(x), drop));
        Scope ln(b, "norm");
        x = b.layer_norm(h, eps);
      }
    };
    sublayer("self_attention", [&](const Value& h) { return attention(b, h, h, heads, decoder && a.flag("causal", true), decoder ? &c : nullptr); });
    if (cross) sublayer("cross_attention", [&](const Value& h) { return attention(b, h, memory, heads, false); });
    sublayer("mlp", [&](const Value& h) { return mlp(b, h, hidden, act, drop); });
  }
  return x;
}

Value core_transformer_encoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return encoder_like(b, x, a, c, false); }
Value core_transformer_decoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return encoder_like(b, x, a, c, true); }

Value core_layer_norm(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  return b.layer_norm(x, static_cast<float>(a.number("eps", 1e-6)));
}

Value core_rms_norm(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  return b.rms_norm(x, static_cast<float>(a.number("eps", 1e-6)));
}

}  // namespace

// Rotary position embedding tables (Su et al. 2021, RoFormer) for S positions of head size d:
// angle(p, i) = p · θ^(−2i/d), both halves of the head rotated by the same angles (Hugging Face's
// rotate_half layout). Computed in the graph from integer positions, so they are not parameters.
Rotary rotary_tables(GraphBuilder& b, std::int64_t S, std::int64_t d, double theta, const std::string& where, std::int64_t offset) {
  Scope s(b, "rotary");
  std::vector<std::int64_t> at = positions(S, where);
  for (auto& p : at) p += offset;  // a decode step's token stands at the cache's length
  std::vector<std::int64_t> idx(static_cast<std::size_t>(d / 2));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<std::int64_t>(i);
  const Value pos = b.to_float(b.ints(at, {S, 1}));
  const Value inv = b.unary("Exp", b.mul(b.to_float(b.ints(idx, {1, d / 2})), b.scalar(static_cast<float>(-2 * std::log(theta) / static_cast<double>(d)))));
  const Value ang = b.mul(pos, inv);                    // S × d/2
  const Value emb = b.concat({ang, ang}, 1);            // S × d
  return {b.unary("Cos", emb), b.unary("Sin", emb)};
}

Value rotate(GraphBuilder& b, const Value& x, const Rotary& r) {  // x: B h S d
  const std::int64_t d = x.dim(-1);
  const Value half = b.concat({b.unary("Neg", b.slice(x, -1, d / 2, d)), b.slice(x, -1, 0, d / 2)}, -1);
  return b.add(b.mul(x, r.cos), b.mul(half, r.sin));
}

namespace {

// Causal self-attention as Llama, Mistral and Qwen2 write it: bias-free projections (Qwen2: q, k,
// v biased), rotary positions on queries and keys, KV heads shared by groups of query heads
// (grouped-query attention: Ainslie et al. 2023), output projection. Under a decode part the
// cache holds the KV heads (before they are repeated) and WINDOW, when positive, caps the keys
// a step reads (Mistral's sliding window).
Value rotary_attention(GraphBuilder& b, const Value& x, std::int64_t heads, std::int64_t kv, std::int64_t d, bool qkv_bias,
                       const Rotary& rot, BuildContext& c, std::int64_t window) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2);
  auto project = [&](const char* name, std::int64_t n) {
    Scope s(b, name);
    return b.transpose(b.reshape(b.linear(x, n * d, qkv_bias), {B, S, n, d}), {0, 2, 1, 3});  // B n S d
  };
  const Value q = rotate(b, project("q_proj", heads), rot), k_new = rotate(b, project("k_proj", kv), rot), v_new = project("v_proj", kv);
  if (c.decode.part == DecodeMode::kStep) {
    const Value ctx = step_attention(b, c, q, k_new, v_new, window);
    Scope o(b, "o_proj");
    return b.linear(b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {B, S, heads * d}), D, false);
  }
  auto [k, v] = cached_keys_values(b, &c, k_new, v_new, window);  // a prefill's outputs
  const std::int64_t T = k.dim(2);
  if (kv != heads) {  // each KV head serves heads/kv query heads: repeated, as repeat_kv does
    auto repeat = [&](const Value& t) {
      return b.reshape(b.expand(b.reshape(t, {B, kv, 1, T, d}), {B, kv, heads / kv, T, d}), {B, heads, T, d});
    };
    k = repeat(k);
    v = repeat(v);
  }
  Value scores = b.mul(b.matmul(q, b.transpose(k, {0, 1, 3, 2})), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
  scores = b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores);
  if (window > 0 && S > window) {  // query i reads keys i − W + 1 … i, as a step reads W − 1 cached and its own
    std::vector<std::int64_t> last(pos);
    for (auto& p : last) p += window - 1;
    scores = b.where_greater(b.ints(pos, {S, 1}), b.ints(last, {1, S}), -1e9f, scores);
  }
  Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), {0, 2, 1, 3}), {B, S, heads * d});
  Scope o(b, "o_proj");
  return b.linear(ctx, D, false);
}

// Key/value heads of grouped-query attention under --width: the group size (query heads per KV
// head, heads ÷ kv_heads as written) is kept, so the scaled query heads are split into as many
// groups as they fill: Llama 2 7B (32/32) at width 0.25 has 8 heads and 8 KV heads, Mistral 7B
// (32/8) 8 and 2. When the scaled heads are not a multiple of the group size (Qwen2-0.5B's 14/2,
// groups of 7, at width 0.25: 4 heads) no ratio-keeping split exists and the build is refused,
// naming the widths that keep it, rather than silently changing the model's GQA ratio.
std::int64_t kv_heads(const CoreArgs& a, const BuildContext& c, std::int64_t heads) {
  const std::int64_t written = a.integer("heads", 1), kv = a.integer("kv_heads", written);
  if (kv < 1 || written % kv)
    throw InputError(a.where + ": " + a.core + " 'kv_heads': " + std::to_string(written) + " heads do not split into groups for " +
                     std::to_string(kv) + " kv_heads");
  const std::int64_t group = written / kv;
  if (heads % group)
    throw InputError(a.where + ": " + a.core + " 'kv_heads': width " + format_number(c.width) + " gives " + std::to_string(heads) +
                     " query heads, which do not split into groups of " + std::to_string(group) + " (heads " + std::to_string(written) +
                     " ÷ kv_heads " + std::to_string(kv) + "); choose a width whose heads are a multiple of " + std::to_string(group));
  return heads / group;
}

Value core_llama_decoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t dim = x0.dim(2), heads = scaled_heads(a, c, dim);
  const std::int64_t kv = kv_heads(a, c, heads), d = a.integer("head_dim", dim / heads);
  if (d % 2) throw InputError(a.where + ": llama_decoder: rotary positions need an even head size, got " + std::to_string(d));
  const std::int64_t hidden = channels(a, "mlp_dim", c);
  const float eps = static_cast<float>(a.number("eps", 1e-6));
  const Rotary rot = rotary_tables(b, x0.dim(1), d, a.number("rope_theta", 10000), a.where, decode_position(c));
  const std::int64_t window = a.integer("sliding_window", 0);
  if (a.has("sliding_window") && window < 1)
    throw InputError(a.where + ": llama_decoder 'sliding_window': expected a whole number of at least 1, got '" + a.text("sliding_window", "") + "'");
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    Value h;
    {
      Scope ln(b, "input_layernorm");
      h = b.rms_norm(x, eps);
    }
    {
      Scope at(b, "self_attn");
      x = b.add(x, rotary_attention(b, h, heads, kv, d, a.flag("qkv_bias", false), rot, c, window));
    }
    {
      Scope ln(b, "post_attention_layernorm");
      h = b.rms_norm(x, eps);
    }
    Scope m(b, "mlp");  // SwiGLU (Shazeer 2020): down(silu(gate(h)) · up(h))
    Value gate, up;
    {
      Scope g(b, "gate_proj");
      gate = b.activation(b.linear(h, hidden, false), "silu");
    }
    {
      Scope u(b, "up_proj");
      up = b.linear(h, hidden, false);
    }
    Scope dn(b, "down_proj");
    x = b.add(x, b.linear(b.mul(gate, up), dim, false));
  }
  return x;
}

}  // namespace

Value multi_head_attention(GraphBuilder& b, const Value& x, const Value& memory, std::int64_t heads) {
  return attention(b, x, memory, heads, false);
}

void add_transformer_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"patch_embed", "stem", "ViT patch embedding (p×p convolution, class token, position table)",
       "cuts the image into p×p patches and projects each to a token; the sequence length (H·W/p²) sets the attention cost, "
       "which grows with its square.",
       {{"patch", "patch size (default 16)"}, {"dim", "token width (default 768)"}, {"class_token", "prepend a learned class token (default true)"},
        {"position", "learned position embeddings (default true)"}, {"dropout", "dropout rate"}, kDivisor},
       core_patch_embed},
      {"token_embed", "stem", "token + position (+ segment) embeddings and LayerNorm",
       "maps token ids to vectors and adds where each sits; the vocabulary table is often the largest single tensor of a small "
       "language model (BERT-base: 23.4 M of 110 M parameters).",
       {{"vocab", "vocabulary size (default 30522)"}, {"dim", "width (default 768)"}, {"max_positions", "position table rows (default 512; 0: none)"},
        {"token_types", "segment table rows (BERT: 2)"}, {"norm", "LayerNorm after the sum (default true)"}, {"eps", "default 1e-12"},
        {"dropout", "dropout rate"}, kDivisor},
       core_token_embed},
      {"transformer_encoder", "backbone", "transformer encoder block (multi-head self-attention and MLP, each with a residual and LayerNorm)",
       "attention lets every token look at every other: 2·S²·D MACs per layer beside the 12·S·D² of the projections and MLP, so "
       "long sequences pay quadratically.",
       {{"heads", "attention heads (scaled by --width, kept ≥ 1)"}, {"mlp_dim", "MLP hidden width"}, {"mlp_ratio", "MLP width as a multiple of D (default 4)"},
        {"norm", "pre (ViT, default) or post (BERT)"}, {"act", "MLP activation (default gelu)"}, {"eps", "LayerNorm epsilon (default 1e-6)"},
        {"dropout", "dropout rate"}, kRepeat, kScale, kDivisor},
       core_transformer_encoder},
      {"transformer_decoder", "backbone", "transformer decoder block (causal self-attention, optional cross-attention, MLP)",
       "the causal mask hides future tokens so the block can generate text one token at a time; cross-attention reads an "
       "encoder's output (`memory`).",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP hidden width"}, {"mlp_ratio", "default 4"}, {"norm", "pre (default) or post"},
        {"act", "default gelu"}, {"eps", "default 1e-6"}, {"dropout", "dropout rate"}, {"causal", "mask future positions (default true)"},
        {"memory", "name of an earlier core whose output the block attends to"}, kRepeat, kScale, kDivisor},
       core_transformer_decoder},
      {"layer_norm", "backbone", "LayerNorm over the last axis", "normalises each token; a pre-norm stack ends with one.",
       {{"eps", "default 1e-6"}}, core_layer_norm},
      {"rms_norm", "backbone", "RMSNorm over the last axis (Llama family)",
       "LayerNorm without the mean and the shift: one scale per channel, a little cheaper; Llama-style stacks end with one.",
       {{"eps", "default 1e-6"}}, core_rms_norm},
      {"llama_decoder", "backbone",
       "Llama-style decoder block (RMSNorm, rotary positions, grouped-query causal attention, SwiGLU MLP)",
       "the block of Llama, Mistral, Qwen2 and TinyLlama: rotary positions need no table, sharing key/value heads between query "
       "heads (GQA) shrinks the KV cache that bounds serving, and the gated SwiGLU MLP has three D×F matrices instead of two.",
       {{"heads", "query heads"}, {"kv_heads", "key/value heads (default: heads; fewer = grouped-query attention; --width keeps heads ÷ kv_heads)"},
        {"head_dim", "head size (default D / heads)"}, {"mlp_dim", "SwiGLU hidden width"}, {"eps", "RMSNorm epsilon (default 1e-6)"},
        {"rope_theta", "rotary base (default 10000)"}, {"qkv_bias", "biases on q, k, v (Qwen2)"},
        {"sliding_window", "keys a token attends to at most (Mistral: 4096; default: all); a decode step's cache holds one fewer"}, kRepeat, kScale, kDivisor},
       core_llama_decoder}
  });
}

}  // namespace sml::compose::detail
