// What the core families (cores_conv.cpp, cores_transformer.cpp, cores_sequence.cpp,
// cores_heads.cpp) share: scoping, channel and repeat scaling, conv-BN-activation, argument
// checks. Private to lib/compose; each family adds its CoreDefs to the library in cores.cpp.
#pragma once
#include <cstdint>
#include <functional>
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

// Convolution ("same" padding for odd kernels, dilation included), optional BatchNorm, activation, under SCOPE.
Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, const std::vector<std::int64_t>& k, const std::vector<std::int64_t>& s,
              std::int64_t groups, const std::string& act, float eps, bool bn = true, bool bias = false, const std::string& scope = "",
              std::int64_t dilation = 1, std::vector<std::int64_t> pads = {});  // pads: empty for "same"; else as GraphBuilder::conv takes them
Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, std::int64_t groups,
              const std::string& act, float eps, bool bn = true, bool bias = false, const std::string& scope = "",
              std::int64_t dilation = 1);

// Squeeze-excitation on Y's channels with SQUEEZE hidden units: global pool, 1×1, ACT, 1×1,
// sigmoid gate, scale (torchvision's SqueezeExcitation).
Value squeeze_excite(GraphBuilder& b, const Value& y, std::int64_t squeeze, const std::string& act);

void need_rank(const CoreArgs& a, const Value& x, int rank, const char* what);
// Positions 0..S-1 as shape data (position ids, causal masks); S is bounded before allocating.
std::vector<std::int64_t> positions(std::int64_t S, const std::string& where);
Value token_zero(GraphBuilder& b, const Value& x);  // (B, S, D) → (B, D): the class token
// The output of the earlier core named by KEY's value (`memory:`, `low:`).
Value resolve(const BuildContext& c, const CoreArgs& a, const std::string& key);
// KEY (default: the composition's num_classes), which must be positive.
std::int64_t classes(const CoreArgs& a, const BuildContext& c, const char* key = "num_classes");

// Multi-head attention of X's queries over MEMORY's keys and values (cores_transformer.cpp): Q, K,
// V and output projections of X's width, with bias; no mask.
Value multi_head_attention(GraphBuilder& b, const Value& x, const Value& memory, std::int64_t heads);
// Rotary position tables for S positions of D dims (cores_transformer.cpp; Phi-2 rotates part of each head).
struct Rotary {
  Value cos, sin;
};
Rotary rotary_tables(GraphBuilder& b, std::int64_t S, std::int64_t d, double theta, const std::string& where, std::int64_t offset = 0);
Value rotate(GraphBuilder& b, const Value& x, const Rotary& r);  // x: (B, h, S, d), d as the tables'
// An attention's keys, transposed for Q·Kᵀ (B, h, d, T), and values (B, h, T, d) under the decode
// part C builds (kv_cache.cpp; C may be null: the whole graph; not a step, which reads its cache
// through read_once_attention). PROJECT(key) gives the keys or values as (B, T, h, d).
// ONCE: the part built once per request took them as outputs (present.LAYER.encoder.{key,value},
// optimum's names), and the attention stops there.
struct KeysValues {
  Value keys_t, values;
  bool once = false;
};
KeysValues keys_values(GraphBuilder& b, BuildContext* c, std::int64_t layer, const std::function<Value(bool key)>& project);
// Self-attention keys K and values V (B, KV heads, T, d) of the tokens the graph reads, under the
// decode part C builds (C may be null, WINDOW unused): a decoder-only prefill gives them as the
// part's outputs, named present.I.key and present.I.value, I the layer (C's cache_layers; K and V
// must not have been read yet); otherwise unchanged. A step reads its cache through step_attention instead.
std::pair<Value, Value> cached_keys_values(GraphBuilder& b, BuildContext* c, Value k, Value v, std::int64_t window = 0);
// The cached tokens a decode step reads: its cache, at most WINDOW − 1 (0: no window).
std::int64_t cached_tokens(const BuildContext& c, std::int64_t window = 0);
// A decoder-only model's attention at a decode step (C's kStep): Q (B, heads, 1, d) over the cached
// keys and values (graph inputs past_key_values.I.key and .value, (B, KV heads, L, d), I the layer:
// C's cache_layers) and the new token's K, V (B, KV heads, 1, d), which become the step's outputs
// present.I.key and .value (K and V must not have been read yet); the context (B, heads, 1, d).
// Each cached key and value is read once.
Value step_attention(GraphBuilder& b, BuildContext& c, const Value& q, const Value& k, const Value& v, std::int64_t window = 0);
// The same with the cache inputs named PAST_KEY and PAST_VALUE (empty: a decoder-only layer's, as
// above; set: an encoder-decoder's, whose caller names its present outputs), unscaled scores where
// !SCALED (T5), and BIAS (heads, 1, keys) added to the scores (T5's relative positions).
struct StepOptions {
  std::int64_t window = 0;
  std::string past_key, past_value;
  bool scaled = true;
  const Value* bias = nullptr;
};
Value step_attention(GraphBuilder& b, BuildContext& c, const Value& q, const Value& k, const Value& v, const StepOptions& o);
// Q (B, heads, 1, d) over cached keys and values PAST_K, PAST_V (B, KV heads, L, d) and the new
// token's K, V (B, KV heads, 1, d), either pair null (none), each read once: the context (B, heads, 1, d).
// An encoder-decoder step's cross-attention reads the encoder's cached keys and values alone.
Value read_once_attention(GraphBuilder& b, const Value& q, const Value* past_k, const Value* past_v, const Value* k, const Value* v,
                          const StepOptions& o);
// The position of a decode step's one token (the cache's length), 0 otherwise: where rotary and
// learned positions start.
std::int64_t decode_position(const BuildContext& c);
// Pads (begin…, end…) for a pooling window over X's spatial axes; CEIL adds end padding so the
// output size rounds up as PyTorch's ceil_mode does (GoogLeNet, SqueezeNet).
std::vector<std::int64_t> pool_pads(const Value& x, std::int64_t k, std::int64_t s, std::int64_t pad, bool ceil);

// GroupNorm of an (N, C, H, W) map in GROUPS groups, 2·C parameters (cores_detection.cpp; the UNet, VAE and DPT use it too).
Value group_norm(GraphBuilder& b, const Value& x, std::int64_t groups, float eps);

// Keys several cores share.
extern const CoreKey kRepeat, kStride, kScale, kDivisor;

// Each family appends its cores to the library, in the order `--list cores` shows them.
void add_conv_cores(std::vector<CoreDef>& lib);         // cores_conv.cpp: CNN blocks and pooling
void add_transformer_cores(std::vector<CoreDef>& lib);  // cores_transformer.cpp: embeddings, attention blocks
void add_sequence_cores(std::vector<CoreDef>& lib);     // cores_sequence.cpp: recurrent layers, audio front ends
void add_head_cores(std::vector<CoreDef>& lib);         // cores_heads.cpp: classification, detection, segmentation…
void add_structured_cores(std::vector<CoreDef>& lib);   // cores_structured.cpp: MLPs, embedding tables, graph layers, DQN
void add_dense_cores(std::vector<CoreDef>& lib);        // cores_dense.cpp: DeepLabV3 (ASPP) head
void add_video_cores(std::vector<CoreDef>& lib);        // cores_video.cpp: 3-D ResNet blocks, S3D
void add_encoder_cores(std::vector<CoreDef>& lib);      // cores_encoders.cpp: BERT-family encoders (ALBERT, MPNet, DeBERTa), linear
void add_decoder_cores(std::vector<CoreDef>& lib);      // cores_decoders.cpp: Phi-style parallel decoder blocks
void add_speech_cores(std::vector<CoreDef>& lib);       // cores_speech.cpp: wav2vec 2.0 / HuBERT feature encoder, conv positions
void add_multimodal_cores(std::vector<CoreDef>& lib);   // cores_multimodal.cpp: a second graph input, CLIP's similarity head
void add_classic_cores(std::vector<CoreDef>& lib);      // cores_classic.cpp: ImageNet CNN families (DenseNet, RegNet, Inception…)
void add_vit_cores(std::vector<CoreDef>& lib);          // cores_vit.cpp: ConvNeXt and Swin stages
void add_inception_cores(std::vector<CoreDef>& lib);    // cores_inception.cpp: Inception v3 modules
void add_detection_cores(std::vector<CoreDef>& lib);    // cores_detection.cpp: FPN, YOLO neck blocks; the heads: cores_detection_*_heads.cpp
void add_seq2seq_cores(std::vector<CoreDef>& lib);      // cores_seq2seq.cpp: encoder-decoders (T5, BART, Marian, Whisper)
void add_timeseries_cores(std::vector<CoreDef>& lib);   // cores_timeseries.cpp: PatchTST, TimesFM, Silero VAD
void add_diffusion_cores(std::vector<CoreDef>& lib);    // cores_diffusion.cpp: Stable Diffusion's UNet and VAE
void add_tts_cores(std::vector<CoreDef>& lib);          // cores_tts.cpp: SpeechT5's pre-nets, encoder, post-net; HiFi-GAN
void add_vits_cores(std::vector<CoreDef>& lib);         // cores_vits.cpp: VITS text encoder, duration predictor, prior, flow
void add_depth_cores(std::vector<CoreDef>& lib);        // cores_depth.cpp: MiDaS/DPT fusion decoder and depth head
void add_tabular_cores(std::vector<CoreDef>& lib);      // cores_tabular.cpp: TabNet

}  // namespace sml::compose::detail
