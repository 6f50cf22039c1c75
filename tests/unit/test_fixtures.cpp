// The profiler on real torchvision exports (shape-only copies, tests/models/make_fixtures.py).
// References, both independent of our code:
//  - torch_dispatch_macs in manifest.json: convolution and matrix-multiply MACs counted by
//    running the model in PyTorch (make_fixtures.py), which our counts must equal exactly;
//  - published.json: torchvision's documented num_params and "GFLOPS" (which are MACs), with
//    their sources; 2-decimal figures are matched within 0.5% or their rounding.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <map>

#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"

namespace {

const std::string kDir = SML_TEST_MODELS;

// Why an export's trainable parameters differ from torchvision's count, derived by hand.
// PyTorch's exporter folds a BatchNorm that follows a Conv into it: the Conv gains a bias of C
// elements where BN had 2C (scale, shift), so params drop by C per folded BN.
std::int64_t expected_params(const std::string& model, std::int64_t torchvision, std::int64_t bn_channels) {
  static const std::map<std::string, std::int64_t> adjust = {
      // No BatchNorm at all: the export holds exactly torchvision's parameters.
      {"vit_b_16", 0}, {"convnext_tiny", 0}, {"squeezenet1_0", 0},
      // Exported with BatchNorm kept (make_fixtures.py): BN mean/var are buffers, not counted.
      {"resnet18_bn", 0},
      // DenseNet-121 is pre-activation: only norm0 (64 channels, after conv0) and each dense
      // layer's norm2 (128 channels, after conv1; 6+12+24+16 = 58 layers) follow a Conv and
      // fold: 64 + 58 × 128 = 7488. The other 62 BatchNorms stay in the graph.
      {"densenet121", -7488},
      // Swin-T: the exporter folds each block's relative-position lookup into a constant bias of
      // 49 × 49 per head, where torchvision stores a (2·7−1)² = 169-entry table per head.
      // Heads over blocks: 2×3 + 2×6 + 6×12 + 2×24 = 138; 138 × (2401 − 169) = 308016.
      {"swin_t", 308016},
  };
  auto it = adjust.find(model);
  if (it != adjust.end()) return torchvision + it->second;
  return torchvision - bn_channels;  // every BatchNorm follows a Conv and folds
}

}  // namespace

TEST_SUITE("fixtures") {
  TEST_CASE("torchvision exports: MACs exact against PyTorch, params explained, published figures met") {
    const YAML::Node manifest = YAML::LoadFile(kDir + "/manifest.json");
    const YAML::Node published = YAML::LoadFile(kDir + "/published.json");
    REQUIRE(manifest.size() >= 10);
    for (const auto& entry : manifest) {
      const std::string file = entry["file"].as<std::string>();
      const std::string name = file.substr(0, file.size() - 5);
      CAPTURE(file);
      const auto model = sml::graph::load_model(kDir + "/" + file);
      const auto p = sml::cost::profile_model(model, {});
      if (name == "fasterrcnn_mobilenet_v3_large_320_fpn") {
        // Detection: the box head runs on however many proposals survive NMS (150 when PyTorch
        // counted), a data-dependent count, so its Gemms are reported uncounted, never guessed.
        // Everything before it is exact: all convolutions equal PyTorch's count.
        CHECK(p.macs == entry["torch_dispatch_macs_by_op"]["convolution"].as<double>());
        bool gemm = false, nms = false;
        for (const auto& u : p.uncounted) {
          gemm = gemm || u.op == "Gemm";
          nms = nms || u.op == "NonMaxSuppression";
        }
        CHECK(gemm);
        CHECK(nms);
        // Params: 186 exporter constants beyond torchvision's count minus the folded BatchNorm
        // channels: the transform's mean and std (3 + 3) and three 60-element anchor tables.
        CHECK(p.params == entry["torchvision_params"].as<std::int64_t>() - entry["bn_channels"].as<std::int64_t>() + 186);
        continue;
      }
      CHECK(p.uncounted.empty());
      CHECK(p.macs == entry["torch_dispatch_macs"].as<double>());
      CHECK(p.flops >= 2 * p.macs);
      CHECK(p.params == expected_params(name, entry["torchvision_params"].as<std::int64_t>(),
                                        entry["bn_channels"].as<std::int64_t>()));
      const std::string tv = entry["model"].as<std::string>();
      if (published[tv] && !published[tv]["gflops"].IsNull()) {
        const double pub = published[tv]["gflops"].as<double>() * 1e9;
        // Published with 2 or 3 decimals: allow 0.5% or the rounding, whichever is larger.
        // deeplabv3_mobilenet_v3_large: torchvision's 10.452 includes the auxiliary FCN head of
        // its pretrained weights, which a model built without weights lacks (10.436 here).
        const double tolerance = std::max(0.005 * pub, 0.005e9);
        CAPTURE(pub);
        CHECK(std::fabs(p.macs - pub) <= tolerance);
      }
      if (name == "resnet18_bn" || name == "resnet50")
        CHECK(p.params == published[tv]["num_params"].as<std::int64_t>() - (name == "resnet50" ? 26560 : 0));
    }
  }

  TEST_CASE("a symbolic batch scales every count; --input-shape changes the resolution") {
    const auto model = sml::graph::load_model(kDir + "/resnet50.onnx");
    sml::graph::InferOptions o;
    o.batch = 8;
    const auto p8 = sml::cost::profile_model(model, o);
    CHECK(p8.macs == 8 * 4089184256.0);
    sml::graph::InferOptions hi;
    hi.input_shapes["input"] = {1, 3, 448, 448};
    const auto p448 = sml::cost::profile_model(model, hi);
    // Conv MACs scale with the spatial area (4×); the final Gemm (2048 × 1000) does not.
    CHECK(p448.macs == 4 * (4089184256.0 - 2048000) + 2048000);
  }
}
