// What the core families (cores_conv.cpp, cores_transformer.cpp, cores_sequence.cpp,
// cores_heads.cpp) share: scoping, channel and repeat scaling, conv-BN-activation, argument
// checks. Private to lib/compose; each family adds its CoreDefs to the library in cores.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/compose/cores.hpp"

namespace sml::compose::detail {

// Names everything created while it lives under SCOPE.
struct Scope {
  GraphBuilder& b;
  Scope(GraphBuilder& builder, const std::string& name) : b(builder) { b.push(name); }
  ~Scope() { b.pop(); }
};

// KEY's channels under --width (InputError when the core needs KEY and FALLBACK is negative).
std::int64_t channels(const CoreArgs& a, const std::string& key, const BuildContext& c, std::int64_t fallback = -1);
// The core's `repeat` under --depth (at most 10000 before scaling).
std::int64_t repeats(const CoreArgs& a, const BuildContext& c);

// Convolution ("same" padding for odd kernels), optional BatchNorm, activation, under SCOPE.
Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, const std::vector<std::int64_t>& k, const std::vector<std::int64_t>& s,
              std::int64_t groups, const std::string& act, float eps, bool bn = true, bool bias = false, const std::string& scope = "");
Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, std::int64_t groups,
              const std::string& act, float eps, bool bn = true, bool bias = false, const std::string& scope = "");

void need_rank(const CoreArgs& a, const Value& x, int rank, const char* what);
// Positions 0..S-1 as shape data (position ids, causal masks); S is bounded before allocating.
std::vector<std::int64_t> positions(std::int64_t S, const std::string& where);
Value token_zero(GraphBuilder& b, const Value& x);  // (B, S, D) → (B, D): the class token
// The output of the earlier core named by KEY's value (`memory:`, `low:`).
Value resolve(const BuildContext& c, const CoreArgs& a, const std::string& key);
// KEY (default: the composition's num_classes), which must be positive.
std::int64_t classes(const CoreArgs& a, const BuildContext& c, const char* key = "num_classes");

// Keys several cores share.
extern const CoreKey kRepeat, kStride, kScale, kDivisor;

// Each family appends its cores to the library, in the order `--list cores` shows them.
void add_conv_cores(std::vector<CoreDef>& lib);         // cores_conv.cpp: CNN blocks and pooling
void add_transformer_cores(std::vector<CoreDef>& lib);  // cores_transformer.cpp: embeddings, attention blocks
void add_sequence_cores(std::vector<CoreDef>& lib);     // cores_sequence.cpp: recurrent layers, audio front ends
void add_head_cores(std::vector<CoreDef>& lib);         // cores_heads.cpp: classification, detection, segmentation…
void add_seq2seq_cores(std::vector<CoreDef>& lib);      // cores_seq2seq.cpp: encoder-decoders (T5, BART, Marian, Whisper)

}  // namespace sml::compose::detail
