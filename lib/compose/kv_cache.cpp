// The keys and values an attention reads under a decode part (issue 13, DecodeMode), shared by
// every attention that a decoder core builds, so the cache is written once: the whole graph
// projects them from its input; a decode step reads the earlier tokens' self-attention keys and
// values and the encoder's cross keys and values from the cache (graph inputs, in Hugging Face's
// past_key_values layout (N, heads, T, head size)); once per request only the cross keys and
// values are projected from the encoder's output, and become the part's outputs.
#include "cores_common.hpp"

namespace sml::compose::detail {

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
    Value k = b.transpose(project(true), {0, 2, 1, 3}), v = b.transpose(project(false), {0, 2, 1, 3});  // B h 1 d
    if (mode.cache > 0) {
      k = b.concat({b.input(b.scoped("past_key"), {B, heads, mode.cache, d}), k}, 2);
      v = b.concat({b.input(b.scoped("past_value"), {B, heads, mode.cache, d}), v}, 2);
    }
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

}  // namespace sml::compose::detail
