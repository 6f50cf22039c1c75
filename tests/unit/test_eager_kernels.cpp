// Kernels launched per pass (issue 17): the graph path and the --params path count an eager
// (PyTorch) decode step's kernels by one rule (footprint/kernels.hpp), checked here against counts
// derived by hand from one Llama layer of a built decode step and from ResNet-50's graph.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "sml/compose/decode.hpp"
#include "sml/compose/derive.hpp"
#include "sml/cost/passes.hpp"
#include "sml/cost/profile.hpp"
#include "sml/footprint/kernels.hpp"
#include "sml/graph/onnx_reader.hpp"

namespace sc = sml::compose;
namespace fp = sml::footprint;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

bool in_layer(const sml::cost::LayerCost& l, int i) {
  const std::string prefix = "model.layers." + std::to_string(i) + ".";
  return l.name.compare(0, prefix.size(), prefix) == 0;
}

// Kernels of layer I by op, under the rule.
std::map<std::string, int> layer_kernels(const sml::cost::Profile& p, int i, bool fuses) {
  std::map<std::string, int> by_op;
  for (const auto& l : p.layers)
    if (in_layer(l, i) && fp::launches_kernel(l, fuses)) ++by_op[l.op];
  return by_op;
}

int total(const std::map<std::string, int>& m) {
  int n = 0;
  for (const auto& [op, k] : m) n += k;
  return n;
}
}  // namespace

TEST_SUITE("footprint") {
  TEST_CASE("one Llama-2-7B layer of a decode step launches 44 eager kernels, counted by hand") {
    const sc::Composition c = sc::catalog_composition("llama-2-7b", kCatalog);
    const sml::cost::Profile step = sc::profile_composition(sc::decode_part(c, sc::DecodeMode::kStep, 100));
    // By hand, layer 0 of the step graph (63 ONNX nodes): input and post-attention RMSNorm, 7 nodes
    // each (x*x, ReduceMean, +eps, Sqrt, Reciprocal, x*, *weight); q/k/v projections (MatMul,
    // Reshape, Transpose each); rotary on q and k (Slice, Neg, Slice, Concat, Mul, Mul, Add each);
    // attention (Reshape, Transpose, scale Mul, scores MatMul against the cache and against the new
    // key, Concat, Softmax, Slice, Transpose, MatMul by the cached values, Slice, Transpose, MatMul
    // by the new value, Add, Reshape); output projection (Transpose, Reshape, MatMul); residual Add;
    // MLP (gate MatMul, Sigmoid, Mul = SiLU, up MatMul, gate x up Mul, down MatMul, residual Add).
    // Views in eager PyTorch: 6 Reshape, 7 Transpose, 6 Slice = 19; the other 44 launch a kernel.
    const std::map<std::string, int> hand = {{"MatMul", 11}, {"Mul", 13}, {"Add", 7},   {"ReduceMean", 2}, {"Sqrt", 2},
                                             {"Reciprocal", 2}, {"Neg", 2}, {"Concat", 3}, {"Softmax", 1},   {"Sigmoid", 1}};
    CHECK(total(hand) == 44);
    const auto layer0 = layer_kernels(step, 0, false);
    CHECK(layer0 == hand);
    // The --params path's per-layer constant is that count, and every layer has it.
    CHECK(total(layer0) == fp::kEagerKernelsPerDecoderLayer);
    for (int i = 1; i < 32; ++i) CHECK(total(layer_kernels(step, i, false)) == total(layer0));
    int nodes = 0;
    for (const auto& l : step.layers) nodes += in_layer(l, 0);
    CHECK(nodes == 63);
    // The whole step: 32 layers, plus the token embedding Gather, the rotary angles computed once
    // per step (Cast, Cast, Mul, Exp, Mul, Concat, Cos, Sin), the final RMSNorm (7) and the LM head.
    CHECK(fp::kernels_launched(step, false) == 32 * 44 + 1 + 8 + 7 + 1);
    // A fusing runtime: elementwise ops run inside their producer. Left per layer: 11 GEMMs, 2
    // ReduceMean, 2 Reciprocal, 3 Concat, Softmax, and the views (it copies what eager only
    // restrides) 6 Transpose + 6 Slice; the --params path's 7 fused kernels per layer are TensorRT's
    // plugins, which fuse further than this op-by-op rule.
    CHECK(total(layer_kernels(step, 0, true)) == 11 + 2 + 2 + 3 + 1 + 7 + 6);
  }

  TEST_CASE("ResNet-50: the eager rule keeps the 121 kernels kernel_overhead_s was fitted on") {
    // 53 Conv, 49 Relu, 16 Add, MaxPool, GlobalAveragePool, Gemm = 121; Flatten is a view.
    const auto profile = sml::cost::profile_model(sml::graph::load_model(std::string(SML_TEST_MODELS) + "/resnet50.onnx"), {});
    CHECK(fp::kernels_launched(profile, false) == 121);
  }
}

TEST_SUITE("footprint") {
  TEST_CASE("a layer in a pass that runs 50 times per query launches its kernels 50 times") {
    // A Stable Diffusion-like pipeline in one graph: the UNet's layers run once per denoising step
    // (sml.passes: unet 50 runs), the decoder's once. By hand: 2 UNet kernels x 50 + 1 decoder
    // Conv = 101 per query eager; the UNet's Reshape is a view, and fused, its Add runs inside the
    // Conv: 1 x 50 + 1 = 51.
    sml::cost::Profile p;
    auto layer = [&](const std::string& name, const std::string& op) {
      p.layers.push_back({});
      p.layers.back().name = name;
      p.layers.back().op = op;
      p.layers.back().elements_moved = op == "Reshape" ? 0 : 1000;
    };
    layer("unet.conv", "Conv");
    layer("unet.add", "Add");
    layer("unet.reshape", "Reshape");
    layer("vae.conv", "Conv");
    CHECK(fp::kernels_launched(p, false) == 3);  // one run of each part
    sml::cost::PassRun unet;
    unet.scope = "unet";
    unet.runs = 50;
    const sml::cost::Profile query = sml::cost::per_query_profile(p, {unet});
    CHECK(fp::kernels_launched(query, false) == 101);
    CHECK(fp::kernels_launched(query, true) == 51);
  }
}
