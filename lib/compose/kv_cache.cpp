// The keys and values an attention reads under a decode part (issue 13, DecodeMode), shared by
// every attention that a decoder core builds, so the cache is written once: the whole graph
// projects them from its input; a decode step reads the earlier tokens' self-attention keys and
// values and the encoder's cross keys and values from the cache (graph inputs, in Hugging Face's
// past_key_values layout (N, heads, T, head size), each read once: read_once_attention); once per request only the cross keys and
// values are projected from the encoder's output, and become the part's outputs. A decoder-only
// model's prefill (its once part) gives every layer's self-attention keys and values as outputs.
// Names are optimum's ONNX exports': a decoder-only step reads past_key_values.I.{key,value} and
// outputs present.I.{key,value} (the prefill outputs the same names), an encoder-decoder's once
// part outputs present.I.encoder.{key,value}, I counting the layers from 0 in build order.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

namespace sml::compose::detail {

// A sliding window of W keys (Mistral) keeps the W − 1 latest cached tokens: the new one makes W.
std::int64_t cached_tokens(const BuildContext& c, std::int64_t window) {
  const std::int64_t cache = decode_position(c);
  return window > 0 ? std::min(cache, window - 1) : cache;
}

// The step reads each cached key and value once, as a serving kernel does (the roofline of a step
// is its weights and its cache, read once: FIELD-NOTES "Serving is not the roofline"): the query
// heads are grouped by the KV head they share, (B, KV heads, group, d), so no KV head is repeated;
// the scores are the cached keys times the queries, (B, KV heads, L, group), so no key is
// transposed; and the context sums the cached values' and the new token's parts, so no cache is
// concatenated. The MACs are the plain attention's: 2·heads·d·(L + 1).
Value read_once_attention(GraphBuilder& b, const Value& q, const Value* past_k, const Value* past_v, const Value* k, const Value* v,
                          const StepOptions& o) {
  const Value& any = past_k ? *past_k : *k;
  const std::int64_t B = q.dim(0), h = q.dim(1), d = q.dim(3), kv = any.dim(1), g = h / kv, past = past_k ? past_k->dim(2) : 0;
  Value qt = b.transpose(b.reshape(q, {B, kv, g, d}), {0, 1, 3, 2});  // B kv d g
  if (o.scaled) qt = b.mul(qt, b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  std::vector<Value> parts;
  if (past_k) parts.push_back(b.matmul(*past_k, qt));  // B kv L g
  if (k) parts.push_back(b.matmul(*k, qt));            // B kv 1 g: the new token's key
  Value scores = parts.size() == 1 ? parts[0] : b.concat(parts, 2);
  const std::int64_t keys = scores.dim(2);
  if (o.bias) scores = b.add(scores, b.transpose(b.reshape(*o.bias, {kv, g, keys}), {0, 2, 1}));  // (heads, 1, keys) → (kv, keys, g)
  const Value p = b.softmax(scores, 2);  // over the keys
  Value ctx;
  if (k) ctx = b.matmul(b.transpose(past ? b.slice(p, 2, past, past + 1) : p, {0, 1, 3, 2}), *v);  // B kv g d
  if (past_k) {
    const Value from_cache = b.matmul(b.transpose(k ? b.slice(p, 2, 0, past) : p, {0, 1, 3, 2}), *past_v);
    ctx = k ? b.add(from_cache, ctx) : from_cache;
  }
  return b.reshape(ctx, {B, h, 1, d});
}

Value step_attention(GraphBuilder& b, BuildContext& c, const Value& q, const Value& k, const Value& v, std::int64_t window) {
  StepOptions o;
  o.window = window;
  return step_attention(b, c, q, k, v, o);
}

Value step_attention(GraphBuilder& b, BuildContext& c, const Value& q, const Value& k_in, const Value& v_in, const StepOptions& o_in) {
  StepOptions o = o_in;
  Value k = k_in, v = v_in;
  if (o.past_key.empty()) {  // a decoder-only model's layer: optimum's decoder_with_past names
    const std::string layer = std::to_string(c.cache_layers++);
    o.past_key = "past_key_values." + layer + ".key";
    o.past_value = "past_key_values." + layer + ".value";
    // The new token's own key and value (B, KV heads, 1, d), the row a server appends to its
    // cache (an encoder-decoder step's present.I.decoder.* are the same), named before they are read.
    k = b.rename(k, "present." + layer + ".key");
    v = b.rename(v, "present." + layer + ".value");
    c.present_outputs.push_back(k);
    c.present_outputs.push_back(v);
  }
  const std::int64_t past = cached_tokens(c, o.window);
  if (past == 0) return read_once_attention(b, q, nullptr, nullptr, &k, &v, o);
  const Shape shape{k.dim(0), k.dim(1), past, k.dim(3)};
  const Value past_k = b.input(o.past_key, shape);
  const Value past_v = b.input(o.past_value, shape);
  return read_once_attention(b, q, &past_k, &past_v, &k, &v, o);
}

std::pair<Value, Value> cached_keys_values(GraphBuilder& b, BuildContext* c, Value k, Value v, std::int64_t) {
  const DecodeMode mode = c ? c->decode : DecodeMode{};
  if (mode.part == DecodeMode::kOnce) {  // a decoder-only prefill: the cache the steps read
    const std::string layer = std::to_string(c->cache_layers++);
    k = b.rename(k, "present." + layer + ".key");  // named before anything reads them
    v = b.rename(v, "present." + layer + ".value");
    c->extra_outputs.push_back(k);
    c->extra_outputs.push_back(v);
  }
  return {k, v};
}

KeysValues keys_values(GraphBuilder& b, BuildContext* c, std::int64_t layer, const std::function<Value(bool key)>& project) {
  const DecodeMode mode = c ? c->decode : DecodeMode{};
  KeysValues kv;
  if (mode.part == DecodeMode::kOnce) {  // only reached for cross-attention: the cache the steps read
    kv.once = true;
    const std::string name = "present." + std::to_string(layer) + ".encoder.";
    c->present_outputs.push_back(b.rename(b.transpose(project(true), {0, 2, 1, 3}), name + "key"));
    c->present_outputs.push_back(b.rename(b.transpose(project(false), {0, 2, 1, 3}), name + "value"));
    return kv;
  }
  kv.keys_t = b.transpose(project(true), {0, 2, 3, 1});  // B h d T
  kv.values = b.transpose(project(false), {0, 2, 1, 3});  // B h T d
  return kv;
}

std::int64_t decode_position(const BuildContext& c) { return c.decode.part == DecodeMode::kStep ? c.decode.cache : 0; }

}  // namespace sml::compose::detail
