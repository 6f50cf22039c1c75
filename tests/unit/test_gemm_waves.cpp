// GEMM wave quantization in a serving pass (issue 17): a GEMM's output tiles run one per SM in
// waves (NVIDIA, Matrix Multiplication Background User's Guide, 2023, section 3.2), so a batch-1
// GEMM with fewer tiles than SMs computes at the share of SMs it keeps busy. Tile counts by hand.
#include <doctest/doctest.h>

#include <string>

#include "sml/cost/profile.hpp"
#include "sml/footprint/gemm_waves.hpp"

namespace {

// BERT-large's output projection at 384 tokens, batch 1: [1, 384, 1024] x a 1024 x 1024 weight.
sml::cost::LayerCost projection() {
  sml::cost::LayerCost l;
  l.op = "MatMul";
  l.output_shape = "1x384x1024";
  l.params = 1024 * 1024;
  l.flops = 2.0 * 384 * 1024 * 1024;
  l.elements_moved = 2.0 * 384 * 1024 + 1024 * 1024;
  return l;
}

// Its attention scores, 16 heads of 64: [1, 16, 384, 64] x [1, 16, 64, 384], no weight.
sml::cost::LayerCost scores() {
  sml::cost::LayerCost l;
  l.op = "MatMul";
  l.output_shape = "1x16x384x384";
  l.flops = 2.0 * 16 * 384 * 384 * 64;
  l.elements_moved = 2.0 * 16 * 384 * 64 + 16.0 * 384 * 384;
  return l;
}

}  // namespace

TEST_SUITE("footprint-serving") {
  TEST_CASE("GEMM tiles and waves, counted by hand on an A100's 108 SMs") {
    // Against a weight the 384 rows are one GEMM: ceil(384/128) x ceil(1024/128) = 3 x 8 = 24 tiles,
    // one wave of 108 slots, 24/108 busy (the 22% serving9 derived for BERT-large on an A100).
    const auto p = sml::footprint::gemm_waves(projection(), 108);
    REQUIRE(p);
    CHECK(p->tiles == 24);
    CHECK(p->waves == 1);
    CHECK(p->busy_share == doctest::Approx(24.0 / 108));
    // Batched over 16 heads: 16 x 3 x 3 = 144 tiles, 2 waves (216 slots), 2/3 busy.
    const auto s = sml::footprint::gemm_waves(scores(), 108);
    REQUIRE(s);
    CHECK(s->tiles == 144);
    CHECK(s->waves == 2);
    CHECK(s->busy_share == doctest::Approx(144.0 / 216));
    // At batch 16 the projection has 16 x 384 = 6144 rows: 48 x 8 = 384 tiles, 4 waves (432), 8/9 busy.
    auto b16 = projection();
    b16.output_shape = "16x384x1024";
    const auto w16 = sml::footprint::gemm_waves(b16, 108);
    REQUIRE(w16);
    CHECK(w16->tiles == 384);
    CHECK(w16->busy_share == doctest::Approx(384.0 / 432));
    // Not a GEMM, an unknown dim, or no SM count: no quantization.
    auto add = projection();
    add.op = "Add";
    CHECK_FALSE(sml::footprint::gemm_waves(add, 108));
    auto unknown = projection();
    unknown.output_shape = "?x384x1024";
    CHECK_FALSE(sml::footprint::gemm_waves(unknown, 108));
    CHECK_FALSE(sml::footprint::gemm_waves(projection(), 0));
  }

  TEST_CASE("a transformer layer's weight GEMMs at their SM shares, by hand") {
    // BERT-large (d 1024) at 384 tokens, batch 1, on 108 SMs: 3 row tiles; QKV 3 x 24 = 72 tiles
    // (x 108/72 = 1.5), output 24 (x 4.5), MLP up 96 (x 1.125), down 24 (x 4.5); weighted 3 : 1 : 4 : 4,
    // (4.5 + 4.5 + 4.5 + 18) / 12 = 2.625.
    CHECK(sml::footprint::transformer_gemm_slowdown(384, 1024, 108) == doctest::Approx(2.625));
    // A width from the parameter count (10.65e6 / (12 x 6) -> 384.6) is taken as whole 64-wide heads, 384.
    CHECK(sml::footprint::transformer_gemm_slowdown(384, 384.6, 108) == sml::footprint::transformer_gemm_slowdown(384, 384, 108));
    // No SM count: 1.
    CHECK(sml::footprint::transformer_gemm_slowdown(384, 1024, 0) == 1);
  }
}
