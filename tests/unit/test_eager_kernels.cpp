// Kernels launched per pass (issue 17): the graph path and the --params path count an eager
// (PyTorch) decode step's kernels by one rule (footprint/kernels.hpp), checked here against counts
// derived by hand from one Llama layer of a built decode step and from ResNet-50's graph.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

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
    // Views in eager PyTorch: 6 Reshape, 7 Transpose, 6 Slice = 19; the SiLU's Sigmoid and Mul are
    // one kernel in eager (HF's LlamaMLP calls nn.SiLU: F.silu, one launch), so 43 of the other 44
    // launch a kernel.
    const std::map<std::string, int> hand = {{"MatMul", 11}, {"Mul", 13}, {"Add", 7},   {"ReduceMean", 2}, {"Sqrt", 2},
                                             {"Reciprocal", 2}, {"Neg", 2}, {"Concat", 3}, {"Softmax", 1}};
    CHECK(total(hand) == 43);
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
    CHECK(fp::kernels_launched(step, false) == 32 * 43 + 1 + 8 + 7 + 1);
    // A fusing runtime: elementwise ops run inside their producer. Left per layer: 11 GEMMs, 2
    // ReduceMean, 2 Reciprocal, 3 Concat, Softmax, and the views (it copies what eager only
    // restrides) 6 Transpose + 6 Slice; the --params path's 7 fused kernels per layer are TensorRT's
    // plugins, which fuse further than this op-by-op rule.
    CHECK(total(layer_kernels(step, 0, true)) == 11 + 2 + 2 + 3 + 1 + 7 + 6);
  }

  TEST_CASE("eager PyTorch kernels of seven torchvision CNNs equal the aten ops torch 1.13 dispatches") {
    // The reference: tests/validation/eager_kernel_reference.py runs each model in eval mode under
    // torch.no_grad() and a TorchDispatchMode, and counts the aten ops that are neither views nor
    // bare allocations (tests/validation/eager_kernels_torch.json, torch and torchvision versions in
    // its provenance). The ONNX files were exported from the same torchvision models by
    // tests/models/make_fixtures.py with the exporter's defaults, which fold every BatchNorm after a
    // Conv, write nn.SiLU as Sigmoid and Mul, and put a Pad of zeros before DenseNet's AveragePools.
    const YAML::Node ref = YAML::LoadFile(std::string(SML_SOURCE_DATA_DIR) + "/tests/validation/eager_kernels_torch.json");
    REQUIRE(ref["models"].size() == 7);
    for (const auto& m : ref["models"]) {
      const std::string name = m.first.as<std::string>();
      CAPTURE(name);
      const auto profile = sml::cost::profile_model(sml::graph::load_model(std::string(SML_TEST_MODELS) + "/" + name + ".onnx"), {});
      CHECK(fp::kernels_launched(profile, false) == m.second["kernels"].as<double>());
    }
  }

  TEST_CASE("what torch.onnx folded or split is counted apart, and only for eager runtimes") {
    auto load = [](const std::string& f) { return sml::cost::profile_model(sml::graph::load_model(std::string(SML_TEST_MODELS) + "/" + f), {}); };
    auto count = [](const sml::cost::Profile& p, sml::cost::LayerCost::Rewrite r) {
      int n = 0;
      for (const auto& l : p.layers) n += l.exported == r;
      return n;
    };
    using R = sml::cost::LayerCost::Rewrite;
    // ResNet-50 (manifest.json op_counts): 53 Conv, each with its BatchNorm folded in; eager runs
    // 53 Conv + 53 BatchNorm + 49 Relu + 16 Add + MaxPool + GlobalAveragePool + Gemm = 174 (the
    // graph alone gave 121, the count kernel_overhead_s was fitted on until 8 Dec 2026). A fusing
    // runtime runs the graph: 53 Conv + MaxPool + GlobalAveragePool + Gemm = 56.
    const auto r50 = load("resnet50.onnx");
    CHECK(count(r50, R::kFoldedBatchNorm) == 53);
    CHECK(fp::kernels_launched(r50, false) == 174);
    CHECK(fp::kernels_launched(r50, true) == 56);
    // ResNet-18 exported with its BatchNorms kept (training=PRESERVE, no constant folding): 20
    // BatchNormalization nodes, weights under their parameter names, nothing marked folded, and the
    // same 68 eager kernels as the folded export.
    const auto r18bn = load("resnet18_bn.onnx");
    CHECK(count(r18bn, R::kFoldedBatchNorm) == 0);
    CHECK(fp::kernels_launched(r18bn, false) == fp::kernels_launched(load("resnet18.onnx"), false));
    // EfficientNet-B0: 65 Sigmoid, 65 Mul. 49 are SiLU (Mul(x, Sigmoid(x))); 16 are the
    // squeeze-excite gates, Mul(x, Sigmoid(s)), which eager runs as sigmoid and mul. 81 Conv, of
    // which the 32 squeeze-excite fc1/fc2 keep their bias and no BatchNorm: 49 folded. Fused: 81
    // Conv + 17 GlobalAveragePool + Gemm = 99, the Sigmoids and Muls inside their producers.
    const auto eff = load("efficientnet_b0.onnx");
    CHECK(count(eff, R::kSiluSigmoid) == 49);
    CHECK(count(eff, R::kFoldedBatchNorm) == 49);
    CHECK(fp::kernels_launched(eff, true) == 99);
    // SqueezeNet has no BatchNorm: its biased Convs keep their parameter names.
    CHECK(count(load("squeezenet1_0.onnx"), R::kFoldedBatchNorm) == 0);
    // DenseNet-121: 3 zero Pads, each before a transition's AveragePool; its 62 BatchNorms before a
    // Conv stay in the graph, 59 after one are folded.
    const auto dense = load("densenet121.onnx");
    CHECK(count(dense, R::kAvgPoolPad) == 3);
    CHECK(count(dense, R::kFoldedBatchNorm) == 59);
    // swin_t: 15 Pads (the model's own F.pad of the shifted windows), 7 before a Reshape and 8 before
    // Slices, none before an AveragePool: each is a constant_pad_nd copy kernel in eager, zero pads or not.
    const auto swin = load("swin_t.onnx");
    CHECK(count(swin, R::kAvgPoolPad) == 0);
    int swin_pads = 0;
    for (const auto& l : swin.layers)
      if (l.op == "Pad") swin_pads += static_cast<int>(fp::kernels_per_run(l, false));
    CHECK(swin_pads == 15);
  }

  TEST_CASE("avg_pool2d(count_include_pad=True) is one eager kernel; a weight-norm Conv is no folded BatchNorm") {
    auto load = [](const std::string& f) { return sml::cost::profile_model(sml::graph::load_model(std::string(SML_TEST_MODELS) + "/eager/" + f), {}); };
    using R = sml::cost::LayerCost::Rewrite;
    // Conv2d(3, 8, 3) then F.avg_pool2d(3, 1, padding 1, count_include_pad=True), torch 1.13: the
    // graph is Conv, Constant, Pad (pads 1, zeros), AveragePool (3 kernels, the Constant none); eager
    // runs aten convolution and avg_pool2d, 2 kernels.
    const auto avg = load("avgpool_pad.onnx");
    CHECK(fp::kernels_launched(avg, false) == 2);
    int marked = 0;
    for (const auto& l : avg.layers) marked += l.exported == R::kAvgPoolPad;
    CHECK(marked == 1);
    // weight_norm(Conv2d(3, 16, 3)) then ReLU: weight "onnx::Conv_11" computed by the exporter, bias
    // "0.bias" the module's own; folding a BatchNorm would have made a new bias. Eager: convolution
    // and relu, 2 kernels (the weight-norm arithmetic is folded into the constant at export).
    // Conv, SiLU (Sigmoid, Mul), Conv, Hardswish (HardSigmoid, Mul at opset 13): 6 graph nodes,
    // eager runs convolution, silu, convolution, hardswish = 4 kernels.
    CHECK(fp::kernels_launched(load("silu.onnx"), false) == 4);
    const auto wn = load("weight_norm.onnx");
    for (const auto& l : wn.layers) CHECK(l.exported == R::kNone);
    CHECK(fp::kernels_launched(wn, false) == 2);
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
