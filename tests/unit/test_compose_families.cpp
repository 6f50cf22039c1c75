// The ImageNet family cores (lib/compose/cores_classic.cpp, cores_vit.cpp, cores_inception.cpp)
// beyond what the catalogue test checks (params equal torchvision's num_params, MACs its GFLOPS):
// PyTorch's padding and ceil_mode, Swin's relative position tables and heads other than a linear
// classifier, each derived by hand below.
#include <doctest/doctest.h>

#include <string>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/cost/profile.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

double layer_macs(const sml::cost::Profile& p, const std::string& name) {
  for (const auto& l : p.layers)
    if (l.name == name) return l.macs;
  FAIL("no layer " << name);
  return 0;
}

sc::Composition arch(const std::string& name, std::int64_t classes = 0) {
  sc::Composition c = sc::arch_composition(name, kCatalog);
  if (classes) c.num_classes = classes;
  return c;
}
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("ImageNet families: explicit padding and ceil-mode pooling follow PyTorch") {
    // AlexNet's 11×11/4 convolution pads 2, not "same" 5: (224 + 4 − 11)/4 + 1 = 55, so
    // 64·3·11²·55² = 70,276,800 MACs (with pad 5 it would be 56² positions).
    const auto alex = sc::profile_composition(arch("alexnet"));
    CHECK(layer_macs(alex, "features.0.conv.conv") == 70276800);
    // GoogLeNet's first max pool rounds up (ceil_mode): 112 → 56, not 55, so conv2 (1×1, 64 → 64)
    // costs 64·64·56² = 12,845,056 MACs.
    const auto goog = sc::profile_composition(arch("googlenet"));
    CHECK(layer_macs(goog, "conv2.conv.conv") == 12845056);
  }

  TEST_CASE("Swin: one relative position table per block, (2w − 1)² rows by heads") {
    // Swin-T: depths 2/2/6/2, heads 3/6/12/24, window 7: 169·(2·3 + 2·6 + 6·12 + 2·24) = 23,322.
    const sc::BuiltModel m = sc::build_composition(arch("swin_t"));
    std::int64_t tables = 0, count = 0;
    for (const auto& i : m.graph.initializers())
      if (i.name.find("relative_position_bias_table") != std::string::npos) {
        tables += i.elements();
        ++count;
      }
    CHECK(count == 12);
    CHECK(tables == 23322);
  }

  TEST_CASE("ImageNet families: --num-classes reaches convolutional and auxiliary heads") {
    // SqueezeNet 1.1's head is a 1×1 convolution 512 → classes: 1,235,496 − 512,000 − 1,000
    // + 5,120 + 10 = 727,626 at 10 classes.
    CHECK(sc::profile_composition(arch("squeezenet1_1", 10)).params == 727626);
    // Inception v3 resizes both heads: fc 2048 → 10 and the auxiliary 768 → 10:
    // 27,161,264 − 2,049,000 + 20,490 − 769,000 + 7,690 = 24,371,444, and two outputs of 10.
    const sc::BuiltModel m = sc::build_composition(arch("inception_v3", 10));
    REQUIRE(m.graph.outputs().size() == 2);
    for (const auto& o : m.graph.outputs()) CHECK(o.shape == sc::Shape{1, 10});
    CHECK(sc::profile_composition(arch("inception_v3", 10)).params == 24371444);
  }
}
