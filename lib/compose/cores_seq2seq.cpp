// Encoder-decoder cores (issue 13): the embeddings, encoder and decoder blocks of BART, Marian,
// Pegasus, NLLB (M2M-100) and Whisper; T5's stacks with their bucketed relative position bias
// and gated-GELU; Whisper's convolution front end over log-mel frames; BART's sentence-pair
// classification head. A decoder reads its own token ids (the composition's second input,
// `inputs:`) and attends to the encoder's output named by `memory:`.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/compose/composition.hpp"
#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

std::int64_t head_count(const CoreArgs& a, std::int64_t dim) {
  const std::int64_t heads = a.integer("heads", 1);
  if (heads < 1) throw InputError(a.where + ": " + a.core + " 'heads': expected at least 1");
  if (!a.has("d_kv") && dim % heads)
    throw InputError(a.where + ": " + a.core + ": width " + std::to_string(dim) + " does not split into " + std::to_string(heads) + " heads");
  return heads;
}

struct AttentionSpec {
  std::int64_t heads = 1, head_dim = 64;
  bool q_bias = true, k_bias = true, v_bias = true, out_bias = true;
  bool scaled = true;       // T5 folds 1/sqrt(d) into its initialisation: no scaling in the graph
  bool causal = false;
  const Value* position_bias = nullptr;  // (heads, S, T), added to the scores (T5)
  BuildContext* ctx = nullptr;           // the decode part being built (kv_cache.cpp)
  bool cross = false;                    // keys and values from the encoder's output
  std::int64_t layer = 0;                // the decoder layer, for a step's cache names
  std::int64_t memory_tokens = 0;        // a step's cross-attention: the encoder's tokens
};

// One decode step's attention (kStep): the new token's query over the cache, each cached key and
// value read once in Hugging Face's past_key_values layout (B, heads, T, d), with no transpose or
// concatenation of the cache (kv_cache.cpp, read_once_attention), as the decoder-only LMs' steps.
// The cache's names are optimum's ONNX exports' (decoder_with_past_model.onnx):
// past_key_values.I.decoder.{key,value} (self-attention, L tokens) and
// past_key_values.I.encoder.{key,value} (cross-attention, the encoder's T tokens), and the step
// outputs present.I.decoder.{key,value}: the new token's own key and value (B, heads, 1, d), the
// row a server appends to its cache. optimum's export outputs the concatenation (L + 1 rows)
// instead, a copy of the whole cache each step that a serving runtime does not make.
Value step_attention_of(GraphBuilder& b, const Value& x, const AttentionSpec& s, const std::function<Value(const char*, bool)>& project) {
  const std::int64_t B = x.dim(0), D = x.dim(2), h = s.heads, d = s.head_dim;
  BuildContext& c = *s.ctx;
  const Value q = b.transpose(project("q_proj", s.q_bias), {0, 2, 1, 3});  // B h 1 d
  const std::string name = "past_key_values." + std::to_string(s.layer) + (s.cross ? ".encoder." : ".decoder.");
  StepOptions o;
  o.scaled = s.scaled;
  o.bias = s.position_bias;
  Value ctx;
  if (s.cross) {  // the encoder's keys and values, projected once per request (the once part's outputs)
    const std::int64_t len = s.memory_tokens;
    const Value k = b.input(name + "key", {B, h, len, d}), v = b.input(name + "value", {B, h, len, d});
    ctx = read_once_attention(b, q, &k, &v, nullptr, nullptr, o);
  } else {
    const std::string present = "present." + std::to_string(s.layer) + ".decoder.";
    const Value k = b.rename(b.transpose(project("k_proj", s.k_bias), {0, 2, 1, 3}), present + "key");  // named before it is read
    const Value v = b.rename(b.transpose(project("v_proj", s.v_bias), {0, 2, 1, 3}), present + "value");
    c.present_outputs.push_back(k);
    c.present_outputs.push_back(v);
    o.past_key = name + "key";
    o.past_value = name + "value";
    ctx = step_attention(b, c, q, k, v, o);
  }
  ctx = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {B, 1, h * d});
  Scope out(b, "out_proj");
  return b.linear(ctx, D, s.out_bias);
}

// Multi-head attention of X's tokens over MEMORY's, from MatMul and Softmax.
Value attention(GraphBuilder& b, const Value& x, const Value& memory, const AttentionSpec& s) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), T = memory.dim(1), h = s.heads, d = s.head_dim;
  auto project = [&](const Value& in, const char* name, bool bias, std::int64_t len) {
    Scope sc(b, name);
    return b.reshape(b.linear(in, h * d, bias), {B, len, h, d});
  };
  if (s.ctx && s.ctx->decode.part == DecodeMode::kStep) {
    AttentionSpec step = s;
    step.memory_tokens = T;
    return step_attention_of(b, x, step, [&](const char* name, bool bias) { return project(x, name, bias, S); });
  }
  const KeysValues kv = keys_values(b, s.ctx, s.layer, [&](bool key) {
    return key ? project(memory, "k_proj", s.k_bias, T) : project(memory, "v_proj", s.v_bias, T);
  });
  if (kv.once) return memory;
  const Value q = b.transpose(project(x, "q_proj", s.q_bias, S), {0, 2, 1, 3});  // B h S d
  Value scores = b.matmul(q, kv.keys_t);
  if (s.scaled) scores = b.mul(scores, b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  if (s.position_bias) scores = b.add(scores, *s.position_bias);
  if (s.causal && S > 1) {  // key j > query i is masked; positions are shape data, not parameters
    const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
    scores = b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores);
  }
  const Value ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), kv.values), {0, 2, 1, 3}), {B, S, h * d});
  Scope o(b, "out_proj");
  return b.linear(ctx, D, s.out_bias);
}

// Sinusoidal positions (Vaswani et al. 2017) for positions OFFSET … OFFSET+S-1, computed in the
// graph from integer positions, so they are not parameters: sin in the first half of the
// channels, cos in the second. STEP is the denominator of the frequency exponent: D/2 (Marian,
// Pegasus) or D/2 − 1 (fairseq: M2M-100/NLLB, Whisper's encoder).
Value sinusoids(GraphBuilder& b, std::int64_t S, std::int64_t D, std::int64_t offset, bool fairseq, const std::string& where) {
  Scope s(b, "sinusoid");
  const std::int64_t half = D / 2;
  std::vector<std::int64_t> pos = positions(S, where), idx(static_cast<std::size_t>(half));
  for (auto& p : pos) p += offset;
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<std::int64_t>(i);
  const double step = static_cast<double>(fairseq ? std::max<std::int64_t>(1, half - 1) : half);
  const Value inv = b.unary("Exp", b.mul(b.to_float(b.ints(idx, {1, half})), b.scalar(static_cast<float>(-std::log(10000.0) / step))));
  const Value ang = b.mul(b.to_float(b.ints(pos, {S, 1})), inv);  // S × D/2
  return b.concat({b.unary("Sin", ang), b.unary("Cos", ang)}, 1);  // S × D
}

// ---- embeddings ------------------------------------------------------------------------------

Value core_seq2seq_embed(GraphBuilder& b, const Value& ids, const CoreArgs& a, BuildContext& c) {
  need_rank(a, ids, 2, "token ids (N, S) of type int64");
  Value table;
  if (a.has("tie")) {  // the decoder reads the encoder's table (BART, Marian, T5: one shared vocabulary)
    auto it = c.tables.find(a.text("tie", ""));
    if (it == c.tables.end()) throw InputError(a.where + ": seq2seq_embed tie '" + a.text("tie", "") + "': no earlier embedding has that name");
    table = it->second;
  } else {
    const std::int64_t vocab = a.integer("vocab", 0), dim = a.integer("dim", 0);
    if (vocab < 1 || dim < 1) throw InputError(a.where + ": seq2seq_embed needs vocab and dim (or tie: an earlier table)");
    table = b.weight("embed_tokens", {vocab, scaled_channels(dim, c.width, a.integer("divisor", 64))}, Fill::kNormal002);
    if (a.has("name")) c.tables[a.text("name", "")] = table;
  }
  // At a decode step the one token stands after the cache's: its position is the cache's length.
  const std::int64_t past = decode_position(c);
  const std::int64_t S = ids.dim(1), D = table.dim(1), offset = a.integer("position_offset", 0) + past;
  Value y = b.gather(table, ids, 0);
  if (a.flag("scale_embedding", false)) y = b.mul(y, b.scalar(static_cast<float>(std::sqrt(static_cast<double>(D)))));
  const std::string kind = a.text("positions", "none");
  if (kind == "learned") {  // a table per stack; BART's has OFFSET extra rows (positions start at 2)
    const std::int64_t rows = a.integer("max_positions", 0);
    if (S + past > rows)
      throw InputError(a.where + ": seq2seq_embed: " + std::to_string(S + past) + " tokens exceed max_positions " + std::to_string(rows));
    std::vector<std::int64_t> pos = positions(S, a.where);
    for (auto& p : pos) p += offset;
    y = b.add(y, b.gather(b.weight("embed_positions", {rows + offset - past, D}, Fill::kNormal002), b.ints(pos, {1, S}), 0));
  } else if (kind == "sinusoidal") {
    const std::string form = a.text("sinusoid", "fairseq");
    if (form != "fairseq" && form != "marian") throw InputError(a.where + ": seq2seq_embed sinusoid '" + form + "': expected fairseq or marian");
    if (a.has("max_positions") && S + past > a.integer("max_positions", 0))
      throw InputError(a.where + ": seq2seq_embed: " + std::to_string(S + past) + " tokens exceed max_positions " + a.text("max_positions", ""));
    y = b.add(y, sinusoids(b, S, D, offset, form == "fairseq", a.where));
  } else if (kind != "none") {
    throw InputError(a.where + ": seq2seq_embed positions '" + kind + "': expected none, learned or sinusoidal");
  }
  if (a.flag("norm", false)) {  // BART's layernorm_embedding
    Scope s(b, "layernorm_embedding");
    y = b.layer_norm(y, static_cast<float>(a.number("eps", 1e-5)));
  }
  return b.dropout(y, static_cast<float>(a.number("dropout", 0)));
}

// Whisper's front end (Radford et al. 2022, section 2.2): two width-3 convolutions with GELU over
// the log-mel frames (the second of stride 2: 3,000 frames of 30 s → 1,500 tokens), then
// sinusoidal positions.
Value core_whisper_conv_stem(GraphBuilder& b, const Value& mel, const CoreArgs& a, BuildContext& c) {
  need_rank(a, mel, 3, "log-mel frames (N, mel bins, frames)");
  const std::int64_t D = channels(a, "dim", c);
  Value y;
  {
    Scope s(b, "conv1");
    y = b.activation(b.conv(mel, D, {3}, {1}, {1}, 1, true), "gelu");
  }
  {
    Scope s(b, "conv2");
    y = b.activation(b.conv(y, D, {3}, {2}, {1}, 1, true), "gelu");
  }
  const std::int64_t T = y.dim(2), max = a.integer("max_positions", 1500);
  if (T > max) throw InputError(a.where + ": whisper_conv_stem: " + std::to_string(T) + " frames after the stem exceed max_positions " + std::to_string(max));
  y = b.transpose(y, {0, 2, 1});  // N, frames, D
  return b.add(y, sinusoids(b, T, D, 0, true, a.where));
}

// ---- BART / Marian / Pegasus / NLLB / Whisper blocks ------------------------------------------

Value seq2seq_block(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, bool decoder) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t D = x0.dim(2), heads = head_count(a, D), hidden = channels(a, "mlp_dim", c);
  const std::string norm = a.text("norm", "post");
  if (norm != "pre" && norm != "post") throw InputError(a.where + ": " + a.core + " norm '" + norm + "': expected pre or post");
  const bool pre = norm == "pre";
  const float eps = static_cast<float>(a.number("eps", 1e-5)), drop = static_cast<float>(a.number("dropout", 0));
  const std::string act = a.text("act", "gelu");
  Value memory;
  if (decoder) {
    if (!a.has("memory")) throw InputError(a.where + ": seq2seq_decoder needs memory: the name of the encoder's last core");
    memory = resolve(c, a, "memory");
    if (memory.rank() != 3 || memory.dim(2) != D)
      throw InputError(a.where + ": seq2seq_decoder: memory '" + a.text("memory", "") + "' is " + shape_text(memory.shape) + ", expected (N, T, " + std::to_string(D) + ")");
  }
  AttentionSpec spec;
  spec.heads = heads;
  spec.head_dim = D / heads;
  spec.k_bias = a.flag("k_bias", true);  // Whisper's key projections have no bias
  spec.ctx = &c;
  if (c.decode.part == DecodeMode::kOnce) {  // once per request: each layer's cross keys and values
    AttentionSpec cross = spec;
    cross.cross = true;
    for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
      Scope s(b, std::to_string(i)), ss(b, "encoder_attn");
      cross.layer = i;  // present.I.encoder.{key,value}
      attention(b, memory, memory, cross);
    }
    return x0;
  }
  Value x = x0;
  auto sublayer = [&](const char* name, const char* ln, auto&& f) {
    Scope ss(b, name);
    if (pre) {
      Value h;
      {
        Scope n(b, ln);
        h = b.layer_norm(x, eps);
      }
      x = b.add(x, b.dropout(f(h), drop));
    } else {
      const Value h = b.add(x, b.dropout(f(x), drop));
      Scope n(b, ln);
      x = b.layer_norm(h, eps);
    }
  };
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    spec.layer = i;
    sublayer("self_attn", "self_attn_layer_norm", [&](const Value& h) {
      AttentionSpec self = spec;
      self.causal = decoder && a.flag("causal", true);
      return attention(b, h, h, self);
    });
    if (decoder)
      sublayer("encoder_attn", "encoder_attn_layer_norm", [&](const Value& h) {
        AttentionSpec cross = spec;
        cross.cross = true;
        return attention(b, h, memory, cross);
      });
    sublayer("ffn", "final_layer_norm", [&](const Value& h) {
      Value m;
      {
        Scope f(b, "fc1");
        m = b.dropout(b.activation(b.linear(h, hidden), act), drop);
      }
      Scope f(b, "fc2");
      return b.linear(m, D);
    });
  }
  if (a.flag("final_norm", false)) {  // pre-norm stacks end with one (Pegasus, NLLB, Whisper)
    Scope s(b, "layer_norm");
    x = b.layer_norm(x, eps);
  }
  return x;
}

Value core_seq2seq_encoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return seq2seq_block(b, x, a, c, false); }
Value core_seq2seq_decoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return seq2seq_block(b, x, a, c, true); }

// ---- T5 ----------------------------------------------------------------------------------------

// T5's bucket of a relative position (Raffel et al. 2020, section 2.1; Hugging Face's
// _relative_position_bucket): exact buckets for small distances, logarithmic ones up to
// MAX_DISTANCE, the sign kept in the upper half when BIDIRECTIONAL (encoder), future positions
// folded to 0 otherwise (decoder).
std::int64_t t5_bucket(std::int64_t relative, bool bidirectional, std::int64_t buckets, std::int64_t max_distance) {
  std::int64_t ret = 0, n = buckets;
  if (bidirectional) {
    n /= 2;
    if (relative > 0) ret += n;
    relative = std::llabs(relative);
  } else {
    relative = -std::min<std::int64_t>(relative, 0);
  }
  const std::int64_t exact = n / 2;
  if (relative < exact) return ret + relative;
  const double large = std::log(static_cast<double>(relative) / static_cast<double>(exact)) /
                       std::log(static_cast<double>(max_distance) / static_cast<double>(exact)) * static_cast<double>(n - exact);
  return ret + std::min<std::int64_t>(exact + static_cast<std::int64_t>(large), n - 1);
}

Value core_t5_stack(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t D = x0.dim(2), S = x0.dim(1), heads = head_count(a, D), d = a.integer("d_kv", D / heads);
  const std::int64_t hidden = channels(a, "mlp_dim", c), buckets = a.integer("buckets", 32), max_distance = a.integer("max_distance", 128);
  if (d < 1 || buckets < 2 || max_distance < buckets / 2)
    throw InputError(a.where + ": t5_stack: expected d_kv ≥ 1, buckets ≥ 2 and max_distance ≥ buckets/2");
  const std::string ffn = a.text("ffn", "relu");
  if (ffn != "relu" && ffn != "gated-gelu") throw InputError(a.where + ": t5_stack ffn '" + ffn + "': expected relu (T5) or gated-gelu (T5 v1.1, FLAN-T5)");
  const float eps = static_cast<float>(a.number("eps", 1e-6));
  const bool decoder = a.has("memory");
  Value memory;
  if (decoder) {
    memory = resolve(c, a, "memory");
    if (memory.rank() != 3 || memory.dim(2) != D)
      throw InputError(a.where + ": t5_stack: memory '" + a.text("memory", "") + "' is " + shape_text(memory.shape) + ", expected (N, T, " + std::to_string(D) + ")");
  }
  AttentionSpec spec;
  spec.heads = heads;
  spec.head_dim = d;
  spec.q_bias = spec.k_bias = spec.v_bias = spec.out_bias = false;
  spec.scaled = false;
  spec.ctx = &c;
  if (c.decode.part == DecodeMode::kOnce) {  // once per request: each layer's cross keys and values
    AttentionSpec cross = spec;
    cross.cross = true;
    for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
      Scope s(b, std::to_string(i)), l(b, "layer.1"), at(b, "EncDecAttention");
      cross.layer = i;  // present.I.encoder.{key,value}
      attention(b, memory, memory, cross);
    }
    return x0;
  }
  // The relative position bias: one table of buckets × heads in the stack's first layer, shared by
  // every layer's self-attention. Bucket ids are shape data computed here, not parameters. At a
  // decode step the one query stands at position `past` and reads keys 0 … past.
  const std::int64_t past = decode_position(c), keys = S + past;
  Value bias;
  {
    Scope s(b, "0.layer.0.SelfAttention");
    std::vector<std::int64_t> ids(static_cast<std::size_t>(S * keys));
    for (std::int64_t i = 0; i < S; ++i)
      for (std::int64_t j = 0; j < keys; ++j)
        ids[static_cast<std::size_t>(i * keys + j)] = t5_bucket(j - (i + past), !decoder, buckets, max_distance);
    const Value table = b.weight("relative_attention_bias", {buckets, heads}, Fill::kNormal002);
    bias = b.transpose(b.gather(table, b.ints(ids, {S, keys}), 0), {2, 0, 1});  // heads, S, keys
  }
  Value x = x0;
  auto sublayer = [&](const std::string& name, auto&& f) {  // x + f(rmsnorm(x))
    Scope ss(b, name);
    Value h;
    {
      Scope n(b, "layer_norm");
      h = b.rms_norm(x, eps);
    }
    x = b.add(x, f(h));
  };
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    spec.layer = i;
    int k = 0;
    sublayer("layer." + std::to_string(k++), [&](const Value& h) {
      AttentionSpec self = spec;
      self.position_bias = &bias;
      self.causal = decoder;
      Scope at(b, "SelfAttention");
      return attention(b, h, h, self);
    });
    if (decoder)
      sublayer("layer." + std::to_string(k++), [&](const Value& h) {
        Scope at(b, "EncDecAttention");
        AttentionSpec cross = spec;
        cross.cross = true;
        return attention(b, h, memory, cross);
      });
    sublayer("layer." + std::to_string(k++), [&](const Value& h) {
      Scope f(b, "DenseReluDense");
      Value m;
      if (ffn == "relu") {
        Scope w(b, "wi");
        m = b.activation(b.linear(h, hidden, false), "relu");
      } else {  // gated-GELU (Shazeer 2020): gelu(wi_0 h) · wi_1 h
        Value g, u;
        {
          Scope w(b, "wi_0");
          g = b.activation(b.linear(h, hidden, false), "gelu");
        }
        {
          Scope w(b, "wi_1");
          u = b.linear(h, hidden, false);
        }
        m = b.mul(g, u);
      }
      Scope w(b, "wo");
      return b.linear(m, D, false);
    });
  }
  {
    Scope s(b, "final_layer_norm");
    x = b.rms_norm(x, eps);
  }
  // T5 with an output head tied to the embeddings scales the decoder output by D^-1/2 first.
  if (a.flag("tied_output_scale", false)) x = b.mul(x, b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(D)))));
  return x;
}

// ---- heads -------------------------------------------------------------------------------------

// BART's sequence classification head (BartForSequenceClassification): the decoder's last token
// (the end-of-sequence token) through dense + tanh, then to the classes.
Value core_eos_classifier(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N, S, D)");
  const std::int64_t S = x.dim(1), D = x.dim(2);
  Value y = b.flatten(b.gather(x, b.ints({S - 1}), 1));  // N, D
  {
    Scope s(b, "dense");
    y = b.activation(b.linear(y, D), "tanh");
  }
  Scope s(b, "out_proj");
  return b.linear(y, classes(a, c));
}

}  // namespace

void add_seq2seq_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"seq2seq_embed", "stem", "encoder-decoder token embedding: a table (or the one named by tie), learned or sinusoidal positions, optional scale and LayerNorm",
       "maps token ids to vectors for an encoder or a decoder; the decoder usually shares the encoder's table (one vocabulary, "
       "counted once) and sinusoidal positions cost no parameters.",
       {{"vocab", "vocabulary size"}, {"dim", "width"}, {"tie", "name of an earlier seq2seq_embed whose table this one reads"},
        {"positions", "none (default; T5), learned (BART, Whisper's decoder) or sinusoidal (Marian, Pegasus, NLLB)"},
        {"max_positions", "rows of a learned table (and the longest sequence)"}, {"position_offset", "first position id (BART, NLLB: 2)"},
        {"sinusoid", "fairseq (default: frequency step D/2−1) or marian (D/2)"}, {"scale_embedding", "multiply by sqrt(D) (Marian, Pegasus, NLLB)"},
        {"norm", "LayerNorm after the sum (BART's layernorm_embedding)"}, {"eps", "default 1e-5"}, {"dropout", "dropout rate"}, kDivisor},
       core_seq2seq_embed},
      {"whisper_conv_stem", "stem", "Whisper's front end: two width-3 convolutions with GELU (the second of stride 2) over log-mel frames, sinusoidal positions",
       "turns 30 s of 80 (or 128) mel bins × 3,000 frames into 1,500 tokens; halving the frames halves every encoder layer's work.",
       {{"dim", "width"}, {"max_positions", "longest token sequence (default 1500)"}, kScale, kDivisor},
       core_whisper_conv_stem},
      {"seq2seq_encoder", "backbone", "encoder block of BART/Marian/Pegasus/NLLB/Whisper (self-attention and MLP, each with a residual and LayerNorm)",
       "reads the whole source at once; its cost grows with the source length (attention with its square).",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP hidden width"}, {"norm", "post (BART, Marian; default) or pre (Pegasus, NLLB, Whisper)"},
        {"act", "MLP activation: gelu (default), relu, silu (Marian's swish)"}, {"eps", "LayerNorm epsilon (default 1e-5)"},
        {"k_bias", "bias on the key projections (default true; Whisper: false)"}, {"final_norm", "LayerNorm after the stack (pre-norm stacks)"},
        {"dropout", "dropout rate"}, kRepeat, kScale, kDivisor},
       core_seq2seq_encoder},
      {"seq2seq_decoder", "backbone", "decoder block of BART/Marian/Pegasus/NLLB/Whisper (causal self-attention, cross-attention to the encoder, MLP)",
       "generates the target one token at a time; cross-attention reads the encoder's output (`memory`), so each generated token "
       "pays for the whole source.",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP hidden width"}, {"memory", "name of the encoder's last core"},
        {"norm", "post (default) or pre"}, {"act", "gelu (default), relu, silu"}, {"eps", "default 1e-5"}, {"k_bias", "default true"},
        {"final_norm", "LayerNorm after the stack"}, {"causal", "mask future positions (default true)"}, {"dropout", "dropout rate"},
        kRepeat, kScale, kDivisor},
       core_seq2seq_decoder},
      {"t5_stack", "backbone", "T5 encoder or decoder stack (RMS LayerNorm, bias-free attention with a bucketed relative position bias, ReLU or gated-GELU MLP, final norm)",
       "T5 learns one small table of relative-position biases (32 buckets × heads) per stack instead of position embeddings; "
       "gated-GELU (T5 v1.1, FLAN-T5) has three D×F matrices instead of two. With `memory` it is the decoder.",
       {{"heads", "attention heads"}, {"d_kv", "head size (default D / heads)"}, {"mlp_dim", "d_ff"}, {"ffn", "relu (T5, Chronos) or gated-gelu (T5 v1.1, FLAN-T5)"},
        {"buckets", "relative_attention_num_buckets (default 32)"}, {"max_distance", "relative_attention_max_distance (default 128)"},
        {"eps", "default 1e-6"}, {"memory", "name of the encoder stack: makes this the decoder"},
        {"tied_output_scale", "scale the output by D^-1/2 for a head tied to the embeddings (T5 v1.0, Chronos)"}, kRepeat, kScale, kDivisor},
       core_t5_stack},
      {"eos_classifier", "head", "sentence-pair classification on the last (end-of-sequence) token: dense + tanh, linear to num_classes (BART-MNLI)",
       "a small head on the decoder's final token, which has read the whole input; swapping it re-purposes the model for another label set.",
       {{"num_classes", "classes (default: the composition's)"}}, core_eos_classifier},
  });
}

}  // namespace sml::compose::detail
