// TabNet (issue 14) at pytorch-tabnet's default configuration, counted by hand from it.
#include <doctest/doctest.h>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
}

TEST_SUITE("compose") {
  TEST_CASE("TabNet: parameters and MACs from n_d, n_a, steps and the GLU layers, by hand") {
    // F = 54 features, C = 7 classes, n_d = n_a = 8 (width 16, GLU layers map to 32), 3 steps,
    // 2 shared and 2 independent GLU layers. Parameters: initial BatchNorm 2F; the shared linear
    // maps once, F·32 + 16·32 (no bias); four feature transformers (the initial splitter and one
    // per step), each with BatchNorms 2·64 on the shared layers and two own layers 16·32 + 64;
    // three attentive transformers n_a·F + 2F; the final map 8·C.
    const long long F = 54, C = 7;
    const long long params = 2 * F + (F * 32 + 16 * 32) + 4 * (2 * 64 + 2 * (16 * 32 + 64)) + 3 * (8 * F + 2 * F) + 8 * C;
    CHECK(params == 9144);
    // MACs per row: each feature transformer's first layer reads F features (F·32) and its other
    // three 16 (3·16·32); attentive transformers n_a·F; final map 8·C. Sparsemax adds no MACs.
    const long long macs = 4 * (F * 32 + 3 * 16 * 32) + 3 * 8 * F + 8 * C;
    sc::Composition t = sc::catalog_composition("tabnet", kCatalog);
    auto p = sc::profile_composition(t);
    CHECK(p.params == params);
    CHECK(p.macs == static_cast<double>(macs));
    CHECK(p.uncounted.empty());
    CHECK(p.outputs.at(0).second == "1x7");
    // --num-classes changes only the final map; a batch of 32 rows scales the MACs, not the parameters.
    t.num_classes = 2;
    t.input_shape = {32, 54};
    p = sc::profile_composition(t);
    CHECK(p.params == params - 8 * 5);
    CHECK(p.macs == static_cast<double>(32 * (macs - 8 * 5)));
    CHECK(p.outputs.at(0).second == "32x2");
  }
}
