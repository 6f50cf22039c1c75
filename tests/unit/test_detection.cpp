// Detectors built from the catalogue's compositions (issue 14): class counts live in the heads,
// so --num-classes and --replace-head change exactly the head's layers, by counts derived by
// hand below from the layer shapes torchvision and ultralytics define. Every other core keeps
// its parameters, core by core.
#include <doctest/doctest.h>
#include <cmath>
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

// Builds ARCH with N classes (0: the composition's) and checks, core by core, that only the
// last core (the head) changed, by HEAD_DELTA parameters.
sc::BuiltModel rebuilt(const std::string& arch, std::int64_t n, std::int64_t head_delta) {
  sc::Composition c = sc::arch_composition(arch, kCatalog);
  const sc::BuiltModel before = sc::build_composition(c);
  c.num_classes = n;
  sc::BuiltModel after = sc::build_composition(c);
  REQUIRE(before.cores.size() == after.cores.size());
  for (std::size_t i = 0; i + 1 < after.cores.size(); ++i) {
    CAPTURE(after.cores[i].scope);
    CHECK(after.cores[i].params == before.cores[i].params);
    CHECK(after.cores[i].output_shape == before.cores[i].output_shape);
  }
  CHECK(after.cores.back().role == "head");
  CHECK(after.cores.back().params - before.cores.back().params == head_delta);
  return after;
}

sc::ComposeResult compose(const std::string& arch, std::optional<std::int64_t> n, const std::string& head) {
  sc::ComposeOptions o;
  o.arch = arch;
  o.catalog_dir = kCatalog;
  o.num_classes = n;
  o.replace_head = head;
  o.weights = "zeros";
  return sc::compose(o);
}

sml::cost::Profile profile(const sc::OnnxModel& m) {
  return sml::cost::profile_model(sml::graph::parse_model(sc::to_bytes(m), "composed", ""), {});
}
}  // namespace

TEST_SUITE("detection") {
  TEST_CASE("--num-classes changes only the class predictors of the detection heads") {
    // SSDlite320: per map of C channels the class predictor is a depthwise 3×3 (9·C), its
    // BatchNorm (2·C) and a 1×1 to 6 anchors × K (6·K·C + 6·K). Maps: 672 + 480 + 512 + 256 +
    // 256 + 128 = 2,304 channels, so K → K' changes 6·(K' − K)·2,304 + 36·(K' − K):
    // 91 → 5: −86 · (13,824 + 36) = −1,191,960.
    const auto ssd = rebuilt("ssdlite320_mobilenet_v3_large", 5, -86 * (6 * 2304 + 36));
    CHECK(ssd.cores.back().output_shape == "1x3234x5");
    // YOLOv5s Detect: 1×1 convolutions from 128, 256, 512 channels to 3 × (5 + K) with bias:
    // 3·(5 + K)·(129 + 257 + 513); 80 → 20 classes: −60·3·899 = −161,820.
    const auto yolo = rebuilt("yolov5s", 20, -60 * 3 * 899);
    CHECK(yolo.cores.back().output_shape == "1x25200x25");
    // RetinaNet: cls_logits 3×3 from 256 to 9 anchors × K, with bias: (256·9 + 1)·9·K, shared
    // by the five levels; 91 → 5: −(2,305 · 9 · 86) = −1,784,070.
    rebuilt("retinanet_resnet50_fpn", 5, -2305 * 9 * 86);
    // FCOS: cls_logits 3×3 from 256 to K: (2,304 + 1)·K; 91 → 5: −2,305·86 = −198,230.
    rebuilt("fcos_resnet50_fpn", 5, -2305 * 86);
    // Faster R-CNN: cls_score 1,024 → K and bbox_pred 1,024 → 4K, with biases: 1,025·5K;
    // 91 → 2: −1,025·5·89 = −456,125. The same with Mask R-CNN adds its 1×1 mask logits per
    // class (256·K + K): −1,025·5·89 − 257·89.
    const auto frcnn = rebuilt("fasterrcnn_resnet50_fpn", 2, -1025 * 5 * 89);
    CHECK(frcnn.cores.back().output_shape == "1000x2");
    rebuilt("maskrcnn_resnet50_fpn", 2, -1025 * 5 * 89 - 257 * 89);
    rebuilt("ssd300_vgg16", 21, -(4 * 512 + 6 * 1024 + 6 * 512 + 6 * 256 + 4 * 256 + 4 * 256) * 9 * 70 - (4 + 6 + 6 + 6 + 4 + 4) * 70);
  }

  TEST_CASE("Keypoint R-CNN is Faster R-CNN with 2 classes plus its keypoint head, as torchvision counts them") {
    // Faster R-CNN with 2 classes: 41,755,286 − 456,125 = 41,299,161. Keypoint head: a 3×3 from
    // 256 to 512 (1,180,160), seven 3×3 of 512 (7 × 2,359,808), a 4×4 transposed convolution to
    // 17 keypoints (512·17·16 + 17 = 139,281): 17,838,097. Total 59,137,258, torchvision's
    // KeypointRCNN_ResNet50_FPN_Weights num_params.
    const auto p = sc::profile_composition(sc::arch_composition("keypointrcnn_resnet50_fpn", kCatalog));
    CHECK(p.params == 41755286 - 456125 + 1180160 + 7 * 2359808 + 139281);
    CHECK(p.params == 59137258);
  }

  TEST_CASE("DETR-R50 counts as derived by hand from facebookresearch/detr's layers") {
    // ResNet-50 without fc and with FrozenBatchNorm: 25,557,032 − 2,049,000 − 53,120 =
    // 23,454,912; input_proj 2,048·256 + 256 = 524,544. Encoder layer (D 256, FFN 2,048):
    // in_proj 3·(256² + 256) = 197,376, out_proj 65,792, FFN 2·256·2,048 + 2,048 + 256 =
    // 1,050,880, two LayerNorms 1,024: 1,315,072 × 6 = 7,890,432. Decoder layer: two attentions
    // 526,336, FFN 1,050,880, three LayerNorms 1,536: 1,578,752 × 6 = 9,472,512; final norm 512.
    // Queries 100·256 = 25,600; class 256·92 + 92 = 23,644; box MLP 2·65,792 + 1,028 = 132,612.
    const auto p = sc::profile_composition(sc::arch_composition("detr_resnet50", kCatalog));
    CHECK(p.params == 23454912 + 524544 + 7890432 + 9472512 + 512 + 25600 + 23644 + 132612);
    CHECK(p.params == 41524768);
    REQUIRE(p.outputs.size() == 2);
    CHECK(p.outputs[0].second == "1x100x92");
    CHECK(p.outputs[1].second == "1x100x4");
  }

  TEST_CASE("--replace-head and --num-classes on a detector: the new head reads the same feature maps") {
    // SSDlite320 with an SSD-style head (3×3 predictors) for 5 classes: per map of C channels
    // (9·C + 1)·6·5 for classes and (9·C + 1)·6·4 for boxes: 9·2,304·54 + 6·54 = 1,119,988.
    const sc::ComposeResult swapped = compose("ssdlite320_mobilenet_v3_large", std::nullopt, "ssd_head:style=ssd,num_classes=5");
    const auto ps = profile(swapped.model);
    CHECK(ps.params == 3440060 - 1367388 + 9 * 2304 * 54 + 6 * 54);
    REQUIRE(ps.outputs.size() == 2);
    CHECK(ps.outputs[0].second == "1x3234x5");
    CHECK(ps.outputs[1].second == "1x3234x4");
    // YOLOv5n: --num-classes 3 through compose(): Detect from 64, 128, 256 channels to
    // 3·8 = 24 per level: 24·448 + 72 = 10,824 (80 classes: 255·448 + 765 = 115,005).
    const auto yolo = profile(compose("yolov5n", 3, "").model);
    CHECK(yolo.params == 1872157 - 115005 + 24 * 448 + 72);
    CHECK(yolo.outputs.at(0).second == "1x25200x8");
  }

  TEST_CASE("the COCO detectors are costed on one canvas; at 800×800 they give torchvision's documented GFLOPS") {
    // The catalogue costs every variable-size COCO detector at 800×1344: 800×1333 (min side
    // 800, max side 1333, torchvision's GeneralizedRCNNTransform and DETR's evaluation resize)
    // padded to a multiple of 32. torchvision measured its GFLOPS at 800×800; rebuilt there the
    // graphs still give them (its meta _ops, multiply-accumulates), so the published check holds.
    const std::map<std::string, double> published = {
        {"fasterrcnn_resnet50_fpn", 134.38e9}, {"fasterrcnn_resnet50_fpn_v2", 280.371e9},
        {"retinanet_resnet50_fpn", 151.54e9},  {"retinanet_resnet50_fpn_v2", 152.238e9},
        {"fcos_resnet50_fpn", 128.207e9}};
    for (const auto& [arch, macs] : published) {
      CAPTURE(arch);
      sc::Composition c = sc::arch_composition(arch, kCatalog);
      CHECK(c.input_shape == sml::compose::Shape{1, 3, 800, 1344});
      const double canvas = sc::profile_composition(c).macs;
      c.input_shape = {1, 3, 800, 800};
      const double square = sc::profile_composition(c).macs;
      CHECK(std::fabs(square - macs) <= 0.005 * macs);
      CHECK(canvas > 1.3 * square);  // the convolutions scale with the area, 1344/800 = 1.68×
    }
    CHECK(sc::arch_composition("detr_resnet50", kCatalog).input_shape == sml::compose::Shape{1, 3, 800, 1333});
  }

  TEST_CASE("frozen BatchNorm is not counted, shared head weights are counted once, their MACs per level") {
    // RetinaNet's FrozenBatchNorm2d backbone: its 53 BatchNorms hold 2 × 26,560 buffers that
    // torchvision does not count; built with trainable BatchNorm the count rises by 53,120.
    sc::Composition c = sc::arch_composition("retinanet_resnet50_fpn", kCatalog);
    const auto frozen = sc::profile_composition(c);
    CHECK(frozen.params == 34014999);
    for (auto& core : c.cores) core.values.erase("frozen_bn");
    CHECK(sc::profile_composition(c).params == 34014999 + 53120);
    // The class tower (four 3×3 of 256 with bias, 2,359,808 parameters) is stored once but runs
    // on every level of the 800×1344 canvas, strides 8 to 128: 100·168 + 50·84 + 25·42 + 13·21
    // + 7·11 = 22,400 cells (P6, P7: 3×3 stride-2 convolutions with padding 1, so 25 → 13 → 7
    // and 42 → 21 → 11): 4·589,824·22,400 MACs.
    double tower = 0;
    for (const auto& l : frozen.layers)
      if (l.name.rfind("head.classification_head.conv.", 0) == 0 && l.op == "Conv") tower += l.macs;
    CHECK(tower == 4.0 * 589824 * 22400);
  }
}
