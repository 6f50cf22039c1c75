// The keys and values an attention reads under a decode part (issue 13, DecodeMode), shared by
// every attention that a decoder core builds, so the cache is written once: the whole graph
// projects them from its input; a decode step reads the earlier tokens' self-attention keys and
// values and the encoder's cross keys and values from the cache (graph inputs, in Hugging Face's
// past_key_values layout (N, heads, T, head size)); once per request only the cross keys and
// values are projected from the encoder's output, and become the part's outputs. A decoder-only
// model's prefill (its once part) gives every layer's self-attention keys and values as outputs.
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
Value step_attention(GraphBuilder& b, BuildContext& c, const Value& q, const Value& k, const Value& v, std::int64_t window) {
  const std::int64_t B = q.dim(0), h = q.dim(1), d = q.dim(3), kv = k.dim(1), g = h / kv, past = cached_tokens(c, window);
  const Value qt = b.mul(b.transpose(b.reshape(q, {B, kv, g, d}), {0, 1, 3, 2}), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  Value scores = b.matmul(k, qt);  // B kv 1 g: the new token's key
  Value past_v;
  if (past > 0) {
    const Shape shape{B, kv, past, d};
    scores = b.concat({b.matmul(b.input(b.scoped("past_key"), shape), qt), scores}, 2);  // B kv L+1 g
    past_v = b.input(b.scoped("past_value"), shape);
  }
  const Value p = b.softmax(scores, 2);  // over the keys
  Value ctx = b.matmul(b.transpose(b.slice(p, 2, past, past + 1), {0, 1, 3, 2}), v);  // B kv g d
  if (past > 0) ctx = b.add(b.matmul(b.transpose(b.slice(p, 2, 0, past), {0, 1, 3, 2}), past_v), ctx);
  return b.reshape(ctx, {B, h, 1, d});
}

std::pair<Value, Value> cached_keys_values(GraphBuilder& b, BuildContext* c, Value k, Value v, std::int64_t window) {
  const DecodeMode mode = c ? c->decode : DecodeMode{};
  if (mode.part == DecodeMode::kOnce) {  // a decoder-only prefill: the cache the steps read
    k = b.rename(k, b.scoped("present_key"));  // named before anything reads them
    v = b.rename(v, b.scoped("present_value"));
    c->extra_outputs.push_back(k);
    c->extra_outputs.push_back(v);
  } else if (mode.part == DecodeMode::kStep) {
    const std::int64_t past = cached_tokens(*c, window);
    if (past > 0) {
      const Shape shape{k.dim(0), k.dim(1), past, k.dim(3)};
      k = b.concat({b.input(b.scoped("past_key"), shape), k}, 2);
      v = b.concat({b.input(b.scoped("past_value"), shape), v}, 2);
    }
  }
  return {k, v};
}

KeysValues keys_values(GraphBuilder& b, BuildContext* c, bool cross, const Value& memory, std::int64_t heads, std::int64_t d,
                       const std::function<Value(bool key)>& project) {
  const DecodeMode mode = c ? c->decode : DecodeMode{};
  const std::int64_t B = memory.dim(0);
  KeysValues kv;
  if (mode.part == DecodeMode::kStep && cross) {  // projected once per request, read every step
    const Value k = b.input(b.scoped("cross_key"), {B, heads, memory.dim(1), d});
    kv.keys_t = b.transpose(k, {0, 1, 3, 2});
    kv.values = b.input(b.scoped("cross_value"), {B, heads, memory.dim(1), d});
    return kv;
  }
  if (mode.part == DecodeMode::kStep) {  // the new token's keys and values after the cache's
    const auto [k, v] = cached_keys_values(b, c, b.transpose(project(true), {0, 2, 1, 3}), b.transpose(project(false), {0, 2, 1, 3}));
    kv.keys_t = b.transpose(k, {0, 1, 3, 2});
    kv.values = v;
    return kv;
  }
  if (mode.part == DecodeMode::kOnce) {  // only reached for cross-attention: the cache the steps read
    kv.once = true;
    c->extra_outputs.push_back(b.transpose(project(true), {0, 2, 1, 3}));
    c->extra_outputs.push_back(b.transpose(project(false), {0, 2, 1, 3}));
    return kv;
  }
  kv.keys_t = b.transpose(project(true), {0, 2, 3, 1});  // B h d T
  kv.values = b.transpose(project(false), {0, 2, 1, 3});  // B h T d
  return kv;
}

std::int64_t decode_position(const BuildContext& c) { return c.decode.part == DecodeMode::kStep ? c.decode.cache : 0; }

}  // namespace sml::compose::detail
