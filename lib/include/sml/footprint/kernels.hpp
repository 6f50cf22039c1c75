// How many kernels a runtime launches to run one pass of a profiled graph (issue 17): the launch
// and framework overhead of a serving estimate is paid per kernel, so the graph path (an ONNX
// model or decode step) and the --params path (a decoder LLM from its parameter count) must count
// them by one rule.
#pragma once
#include "sml/cost/profile.hpp"

namespace sml::footprint {

// Graph-construction ops every runtime folds before the first query (Constant, ConstantOfShape,
// Shape), and layers that move no data (views, by the cost model): no kernel, no time.
bool folded_layer(const cost::LayerCost& l);

// Ops a compiling runtime (TensorRT, ONNX Runtime with fusion, TFLite, llama.cpp) runs inside the
// kernel that produces their input.
bool fused_elementwise(const std::string& op);

// Ops eager PyTorch runs as a view of their input's storage: a new tensor header on the host, no
// kernel on the device and no data moved.
bool eager_view(const std::string& op);

// The kernels L launches each time it runs. Under a fusing runtime: 1, or 0 for folded layers and
// fused elementwise ops. Under an eager runtime (fuses_elementwise false, PyTorch), what eager runs
// for the module the graph was exported from: 0 for folded layers, eager views, the Sigmoid of a
// SiLU and the exporter's zero Pad; 2 for a Conv with a BatchNorm the exporter folded into it
// (LayerCost::exported); else 1.
double kernels_per_run(const cost::LayerCost& l, bool fuses_elementwise);

// Whether L launches a kernel of its own (kernels_per_run > 0).
bool launches_kernel(const cost::LayerCost& l, bool fuses_elementwise);

// Elements read and written by the BatchNorm kernel eager PyTorch runs after a Conv whose
// BatchNorm the exporter folded (0 where there is none, and under a fusing runtime).
double unfolded_batchnorm_elements(const cost::LayerCost& l, bool fuses_elementwise);

// The kernels one query of PROFILE launches under that rule: a layer inside a pass that runs many
// times per query (per_query_profile: Stable Diffusion's UNet, 50 steps) launches each time.
double kernels_launched(const cost::Profile& profile, bool fuses_elementwise);

// The --params path's kernels per decoder layer, from the same rules applied to one layer of a
// built Llama-2-7B decode step (tests/unit/test_eager_kernels.cpp checks both against the graph):
// eager 43 — 2 RMSNorms x 7 (x*x, mean, +eps, sqrt, 1/x, x*, *weight), 4 projections + 3 MLP
// GEMMs, rotary on q and k x 5 (neg, cat, 2 muls, add), 4 attention GEMMs (scores against the
// cache and the new key, probabilities by the cached and the new values), scale, score concat,
// softmax, the two partial outputs' add, SiLU (one silu kernel; the graph's Sigmoid and Mul, 44
// until 8 Dec 2026), gate x up, 2 residual adds;
// fused 7 — QKV, attention, output, add+norm, two MLP GEMMs, add+norm (TensorRT's BERT plugins).
inline constexpr double kEagerKernelsPerDecoderLayer = 43;
// What a runtime that concatenates the KV cache each decode step (runtimes' kv_cache_concat:
// transformers' torch.cat of past and new keys, and of values) adds to a built decode step STEP,
// whose graph reads the cache once and concatenates nothing (compose/kv_cache.cpp): per
// self-attention cache input (N, heads, T, d) one kernel that reads the T cached rows and the new
// one and writes the T + 1 rows, 2 (T + 1) N·heads·d elements. Inputs are found by the names
// sml-compose gives them: SCOPE.past_key / SCOPE.past_value (decoder-only) and
// past_key_values.I.decoder.{key,value} (encoder-decoder; the .encoder. cross cache is read as it is).
struct CacheConcat {
  double elements_moved = 0;
  double kernels = 0;
};
CacheConcat cache_concat_work(const cost::Profile& step);
inline constexpr double kFusedKernelsPerDecoderLayer = 7;

}  // namespace sml::footprint
