// Segmentation and video architectures (issue 14): the class count reaches every per-pixel
// classifier (main and auxiliary heads), checked layer by layer against counts derived by hand;
// the derived table equals torchvision's own counts to the unit.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <map>

#include "sml/compose/compose.hpp"
#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// Trainable parameters per core scope, as the builder reports them (`sml-compose` prints the same).
std::map<std::string, std::int64_t> per_core(const sc::BuiltModel& b) {
  std::map<std::string, std::int64_t> m;
  for (const auto& c : b.cores) m[c.scope] = c.params;
  return m;
}

// Parameters of the layers whose name starts with PREFIX (the profile's first-consumer count).
std::int64_t layer_params(const sml::cost::Profile& p, const std::string& prefix) {
  std::int64_t n = 0;
  for (const auto& l : p.layers)
    if (l.name.rfind(prefix, 0) == 0) n += l.params;
  return n;
}
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("--num-classes on segmenters: classes per pixel in the main and the auxiliary head") {
    // FCN ResNet-50, 5 classes. Main head on layer4 (2048 channels): 3×3 to 512 without bias
    //   2048·512·9 = 9,437,184, BN 2·512 = 1,024, 1×1 classifier 512·5 + 5 = 2,565: 9,440,773.
    //   Auxiliary head on layer3 (1024): 1024·256·9 = 2,359,296, BN 512, 256·5 + 5 = 1,285:
    //   2,361,093. The ResNet-50 trunk without its fc: 25,557,032 − (2048·1000 + 1000) =
    //   23,508,032. Total 35,309,898 (torchvision's 35,322,218 at 21 classes less 16·(512 + 256 + 2)).
    sc::Composition fcn = sc::catalog_composition("fcn-resnet50", kCatalog);
    fcn.num_classes = 5;
    const sc::BuiltModel built = sc::build_composition(fcn);
    auto cores = per_core(built);
    CHECK(cores.at("classifier") == 9440773);
    CHECK(cores.at("aux_classifier") == 2361093);
    const auto p = sc::profile_composition(fcn);
    CHECK(p.params == 35309898);
    CHECK(p.params == 35322218 - 16 * (512 + 256 + 2));
    REQUIRE(p.outputs.size() == 2);  // per-pixel scores at the input's resolution, both heads
    CHECK(p.outputs[0].second == "1x5x520x520");
    CHECK(p.outputs[1].second == "1x5x520x520");

    // DeepLabV3 MobileNetV3-Large through sml-compose's own --arch/--num-classes path, 3 classes.
    //   ASPP on 960 channels: 1×1 960·256 + 512 = 246,272; three dilated 3×3 3·(960·256·9 + 512)
    //   = 6,637,056; pooling 246,272; projection 1,280·256 + 512 = 328,192; then 3×3 256·256·9
    //   + 512 = 590,336 and the classifier 256·3 + 3 = 771: 8,048,899. Auxiliary head on the
    //   40-channel stride-8 block: 40·10·9 + 20 + 10·3 + 3 = 3,653.
    sc::ComposeOptions o;
    o.arch = "deeplabv3-mobilenet-v3-large";
    o.catalog_dir = kCatalog;
    o.num_classes = 3;
    o.weights = "zeros";
    sc::ComposeResult r = sc::compose(o);
    const auto dl = sml::cost::profile_model(sml::graph::parse_model(sc::to_bytes(r.model), "dl", ""), {});
    CHECK(layer_params(dl, "classifier.") == 8048899);
    CHECK(layer_params(dl, "classifier.classifier.") == 256 * 3 + 3);
    CHECK(layer_params(dl, "aux_classifier.") == 3653);
    CHECK(layer_params(dl, "aux_classifier.classifier.") == 10 * 3 + 3);
    CHECK(dl.params == 11029328 - 18 * (256 + 10 + 2));
    CHECK(dl.outputs.at(0).second == "1x3x520x520");

    // LR-ASPP, 7 classes: 1×1 960·128 + BN 256, gate 960·128, low classifier 40·7 + 7, high
    //   classifier 128·7 + 7: 246,016 + 287 + 903 = 247,206 (torchvision's 249,586 at 21).
    sc::Composition lr = sc::catalog_composition("lraspp-mobilenet-v3-large", kCatalog);
    lr.num_classes = 7;
    CHECK(per_core(sc::build_composition(lr)).at("classifier") == 247206);
    CHECK(sc::profile_composition(lr).outputs.at(0).second == "1x7x520x520");
  }

  TEST_CASE("SegFormer-B0: Mix-Transformer stages and the all-MLP decoder count as derived by hand") {
    // Per block of width D with reduction sr: two LayerNorms 4D; q, k, v, out 4(D² + D); the
    //   reduction conv D²·sr² + D and its LayerNorm 2D when sr > 1; Mix-FFN D·4D + 4D, depthwise
    //   4D·9 + 4D, 4D·D + D. Stage: patch embedding Cin·D·k² + D and its LayerNorm 2D, two blocks,
    //   a closing LayerNorm 2D.
    //   stage 1 (3 → 32, k 7, sr 8): 4,800 + 2·79,616 + 64 = 164,096
    //   stage 2 (32 → 64, k 3, sr 4): 18,624 + 2·118,272 + 128 = 255,296
    //   stage 3 (64 → 160, sr 2): 92,640 + 2·418,560 + 320 = 930,080
    //   stage 4 (160 → 256, sr 1): 369,408 + 2·800,000 + 512 = 1,969,920
    // Decoder: linear projections (32 + 64 + 160 + 256)·256 + 4·256 = 132,096; fuse 1,024·256 =
    //   262,144 and BN 512; classifier 256·N + N. Total at 150 classes: 3,752,694.
    sc::Composition sf = sc::catalog_composition("segformer-b0", kCatalog);
    auto cores = per_core(sc::build_composition(sf));
    CHECK(cores.at("stage1") == 164096);
    CHECK(cores.at("stage2") == 255296);
    CHECK(cores.at("stage3") == 930080);
    CHECK(cores.at("stage4") == 1969920);
    CHECK(cores.at("decode_head") == 132096 + 262144 + 512 + 256 * 150 + 150);
    sf.num_classes = 5;
    cores = per_core(sc::build_composition(sf));
    CHECK(cores.at("decode_head") == 132096 + 262144 + 512 + 256 * 5 + 5);
    const auto p = sc::profile_composition(sf);
    CHECK(p.params == 3752694 - 145 * 257);
    CHECK(p.outputs.at(0).second == "1x5x512x512");
  }

  TEST_CASE("MViT v2-S: a block with relative positions and residual pooling counts as derived by hand") {
    // Block 0 (96 → 96, one head of 96, grid 8×56×56, K/V pooled 1×8×8): LayerNorms 2·2·96 = 384;
    //   qkv 96·288 + 288 = 27,936; output projection 96·96 + 96 = 9,312; Q, K, V pooling (depthwise
    //   3×3×3 without bias, LayerNorm) 3·(96·27 + 192) = 8,352; relative positions: height and
    //   width 2·max(56, 56/8) − 1 = 111 rows, time 2·8 − 1 = 15, of 96: (2·111 + 15)·96 = 22,752;
    //   MLP 96·384 + 384 + 384·96 + 96 = 74,208. Total 142,944.
    // Block 1 (96 → 192, two heads of 96, Q pooled 1×2×2, K/V 1×4×4): LayerNorms 192 + 384; qkv
    //   96·576 + 576 = 55,872; output projection 192·192 + 192 = 37,056; pooling 8,352; relative
    //   positions 2·max(28, 14) − 1 = 55 rows and 15: (2·55 + 15)·96 = 12,000; the skip's
    //   projection 96·192 + 192 = 18,624; MLP 192·768 + 768 + 768·192 + 192 = 295,872. Total 428,352.
    //   (torchvision 0.14's mvit_v2_s: blocks[0] and blocks[1] hold the same counts.)
    sc::Composition mv = sc::catalog_composition("mvit-v2-s", kCatalog);
    mv.num_classes = 5;
    auto cores = per_core(sc::build_composition(mv));
    CHECK(cores.at("blocks.0") == 142944);
    CHECK(cores.at("blocks.1") == 428352);
    CHECK(cores.at("embed") == 3 * 96 * 3 * 7 * 7 + 96 + 96);  // conv with bias and the class token: no absolute positions
    CHECK(cores.at("head") == 768 * 5 + 5);
    const auto p = sc::profile_composition(mv);
    CHECK(p.params == 34537744 - 395 * (768 + 1));
    CHECK(p.outputs.at(0).second == "1x5");
  }

  TEST_CASE("segmentation and video architectures: the derived table equals torchvision's counts") {
    // Parameters and conv + linear multiply-accumulates of torchvision 0.14's builders (Debian's
    // python3-torchvision; segmenters with aux_loss=True at 1×3×520×520, the 3-D ResNets at
    // 1×3×16×112×112, S3D and MViT at 1×3×16×224×224), counted with forward hooks: the documented
    // num_params and GFLOPS (pytorch.org/vision/stable) agree with them to their last digit.
    const std::map<std::string, std::pair<long long, long long>> torchvision{
        {"fcn-resnet50", {35322218, 152716512000}},       {"fcn-resnet101", {54314346, 232737606400}},
        {"deeplabv3-resnet50", {42004074, 178721945088}}, {"deeplabv3-resnet101", {60996202, 258743039488}},
        {"deeplabv3-mobilenet-v3-large", {11029328, 10452447938}}, {"lraspp-mobilenet-v3-large", {3221538, 2086219688}},
        {"r3d-18", {33371472, 40696553472}},              {"mc3-18", {11695440, 43342635008}},
        {"r2plus1d-18", {31505325, 40519080960}},         {"s3d", {8320048, 17978771456}},
        // MViT's documented GFLOPS also count the attention products: convolutions, linear layers
        // and batched matrix products, as a __torch_dispatch__ count of mvit_v1_b gives them.
        {"mvit-v1-b", {36610672, 70599407808}},
        // mvit_v2_s's also count the relative-position products (torch's einsum runs as bmm).
        {"mvit-v2-s", {34537744, 64223815872}},
    };
    const YAML::Node table = YAML::LoadFile(kCatalog + "/derived.yaml");
    std::map<std::string, YAML::Node> rows;
    for (std::size_t i = 0; i < table["models"].size(); ++i) rows[table["models"][i]["id"].as<std::string>()] = table["models"][i];
    for (const auto& [id, counts] : torchvision) {
      CAPTURE(id);
      REQUIRE(rows.count(id));
      CHECK(rows[id]["params"].as<long long>() == counts.first);
      CHECK(rows[id]["macs"].as<long long>() == counts.second);
    }
  }
}
