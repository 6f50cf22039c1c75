// Monocular depth (issue 14): MiDaS v2.1 small and DPT-hybrid built from their published code
// structure, counted by hand stage by stage; their published sizes (isl-org/MiDaS README: 21 M,
// 123 M) are checked against the PyTorch modules' counts, which hold parts the network never runs.
#include <doctest/doctest.h>

#include <map>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// An inverted residual without squeeze-excitation (EfficientNet-Lite): expand 1×1 + BN, depthwise
// k×k + BN, project 1×1 + BN (BN: 2 per channel).
long long mb(long long in, long long out, long long k) {
  const long long e = 6 * in;
  return in * e + 2 * e + e * k * k + 2 * e + e * out + 2 * out;
}
long long rcu(long long f) { return 2 * (f * f * 9 + f); }  // ReLU, 3×3 with bias, ReLU, 3×3 with bias
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("MiDaS v2.1 small: EfficientNet-Lite3 encoder and the fusion decoder count as derived by hand") {
    // Encoder (tf_efficientnet_lite3: channels ×1.2 rounded to 8, repeats ⌈×1.4⌉ but the first
    // and last stage; stem fixed at 32): stem 3·32·9 + 64 = 928; stage 1 depthwise-separable
    // 32·9 + 64 + 32·24 + 48 = 1,168; then (in → out, k, repeats):
    const long long stage2 = mb(24, 32, 3) + 2 * mb(32, 32, 3);      // 10,000 + 2·14,848
    const long long stage3 = mb(32, 48, 5) + 2 * mb(48, 48, 5);      // 21,024 + 2·36,096
    const long long stage4 = mb(48, 96, 3) + 4 * mb(96, 96, 3);      // 45,408 + 4·118,272
    const long long stage5 = mb(96, 136, 5) + 4 * mb(136, 136, 5);   // 150,608 + 4·245,888
    const long long stage6 = mb(136, 232, 5) + 5 * mb(232, 232, 5);  // 324,416 + 5·686,720
    const long long stage7 = mb(232, 384, 3);                        // 876,336
    const long long encoder = 928 + 1168 + stage2 + stage3 + stage4 + stage5 + stage6 + stage7;
    CHECK(encoder == 6422016);
    // Decoder (features 64, expanded): 3×3 projections without bias 32·64·9 + 48·128·9 +
    //   136·256·9 + 384·512·9 = 2,156,544; fusion blocks at 512, 256, 128, 64 channels: two
    //   residual units each (one in the coarsest, which has no path from below) and a 1×1 with
    //   bias to half the channels (64 → 64 in the finest); head 64·32·9 + 32 + 32·32·9 + 32 + 33.
    const long long decoder = 2156544 + rcu(512) + 512 * 256 + 256 + 2 * rcu(256) + 256 * 128 + 128 + 2 * rcu(128) + 128 * 64 + 64 +
                              2 * rcu(64) + 64 * 64 + 64;
    const long long head = 64 * 32 * 9 + 32 + 32 * 32 * 9 + 32 + 32 + 1;
    const sc::Composition m = sc::catalog_composition("midas-v21-small", kCatalog);
    const auto p = sc::profile_composition(m);
    CHECK(p.params == encoder + decoder + head);
    CHECK(p.params == 16600929);
    // MidasNet_small also creates refinenet4.resConfUnit1 and never calls it: with it, the
    // module holds 21,320,545 parameters, the README's 21 M (isl-org/MiDaS, v3.1 table, 2022).
    const long long module = p.params + rcu(512);
    CHECK(module == 21320545);
    CHECK(module >= 20500000);
    CHECK(module < 21500000);
    REQUIRE(p.outputs.size() == 1);
    CHECK(p.outputs[0].second == "1x256x256");  // one inverse depth per pixel
    CHECK(p.uncounted.empty());
  }
}

TEST_SUITE("compose") {
  TEST_CASE("DPT-hybrid: BiT stages, ViT-B, reassembly and the fusion decoder count as derived by hand") {
    // BiT ResNet (GroupNorm: 2 per channel). Stem 3·64·49 + 128 = 9,536. Bottleneck (in, mid,
    //   out): in·mid + mid·mid·9 + mid·out + GroupNorms 2·(2·mid + out), plus in·out + 2·out on
    //   the first block's skip.
    auto bottleneck = [](long long in, long long mid, long long out, bool skip) {
      return in * mid + mid * mid * 9 + mid * out + 2 * (2 * mid + out) + (skip ? in * out + 2 * out : 0);
    };
    const long long resnet = 9536 + bottleneck(64, 64, 256, true) + 2 * bottleneck(256, 64, 256, false) +  // 215,808
                             bottleneck(256, 128, 512, true) + 3 * bottleneck(512, 128, 512, false) +      // 1,219,584
                             bottleneck(512, 256, 1024, true) + 8 * bottleneck(1024, 256, 1024, false);    // 10,449,920
    CHECK(resnet == 11894848);
    // Tokens: 1×1 projection 1,024·768 + 768, class token 768, positions 577·768 (24² + 1).
    //   ViT-B block: LayerNorms 2·1,536, qkv 768·2,304 + 2,304, output 768² + 768, MLP 768·3,072 +
    //   3,072 + 3,072·768 + 768: 7,087,872, twelve of them.
    const long long vit = 1024 * 768 + 768 + 768 + 577 * 768 + 12 * 7087872LL;
    // Reassembly of blocks 9 and 12: readout projection 1,536·768 + 768 each, 1×1 768² + 768
    //   each, and the coarsest map's 3×3 stride-2 768²·9 + 768.
    const long long reassemble = 2 * (1536 * 768 + 768) + 2 * (768 * 768 + 768) + 768 * 768 * 9 + 768;
    // Decoder (256 channels): 3×3 projections without bias (256 + 512 + 768 + 768)·256·9; four
    //   fusion blocks of two residual units 2·(256²·9 + 256) and a 1×1 256² + 256, but the
    //   coarsest runs one unit; head 256·128·9 + 128 + 128·32·9 + 32 + 33.
    const long long unit = 2 * (256 * 256 * 9 + 256);
    const long long decoder = (256 + 512 + 768 + 768) * 256 * 9LL + 4 * (2 * unit + 256 * 256 + 256) - unit;
    const long long head = 256 * 128 * 9 + 128 + 128 * 32 * 9 + 32 + 33;
    const sc::Composition m = sc::catalog_composition("dpt-hybrid", kCatalog);
    const auto p = sc::profile_composition(m);
    CHECK(p.params == resnet + vit + reassemble + decoder + head);
    CHECK(p.params == 121196289);
    // The PyTorch module also holds timm's ImageNet classifier 768·1,000 + 1,000 and final
    // LayerNorm 1,536 (unused by DPT) and the coarsest block's first unit: 123,146,985, the
    // README's 123 M (isl-org/MiDaS, v3.1 table, 2022).
    const long long module = p.params + 768 * 1000 + 1000 + 1536 + unit;
    CHECK(module == 123146985);
    CHECK(module >= 122500000);
    CHECK(module < 123500000);
    REQUIRE(p.outputs.size() == 1);
    CHECK(p.outputs[0].second == "1x384x384");
    CHECK(p.uncounted.empty());
  }
}
