// The tree-ensemble cost model (lib/cost/trees.cpp) against the published complexity of each
// algorithm, worked by hand for small settings, and the catalogue entries that use it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "sml/catalog/models.hpp"
#include "sml/cost/trees.hpp"
#include "sml/io/error.hpp"

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
}

TEST_SUITE("cost") {
  TEST_CASE("gradient-boosted trees: K·d·n·m histogram adds dominate training; K·(d+1) per scored row") {
    sml::cost::TreeEnsemble t;
    t.kind = "gradient-boosted-trees";
    t.trees = 10;
    t.max_depth = 3;
    t.bins = 16;
    t.features = 4;
    // n = 1,024 rows: histograms 2·10·3·1,024·4 = 245,760; bin scans 2·10·7·4·16 = 8,960;
    // presort 1,024·4·log2 1,024 = 40,960. Total 295,680.
    const auto w = sml::cost::tree_work(t, 1024);
    CHECK(w.train_flops == doctest::Approx(295680.0));
    CHECK(w.infer_flops == doctest::Approx(40.0));       // 10 trees × (3 comparisons + 1 leaf add)
    CHECK(w.infer_values_read == doctest::Approx(70.0));  // 10 × (2·3 + 1)
    CHECK(w.stored_values == doctest::Approx(150.0));     // 10 full trees of 15 nodes
    // Linear in trees and (apart from the presort) in rows, as the paper's O(K·d·‖x‖₀).
    t.trees = 20;
    CHECK(sml::cost::tree_work(t, 1024).train_flops - 40960 == doctest::Approx(2 * (295680.0 - 40960)));
  }

  TEST_CASE("isolation forest: t·ψ·⌈log2 ψ⌉ to train, whatever the rows; t·(⌈log2 ψ⌉+1) per row") {
    sml::cost::TreeEnsemble t;
    t.kind = "isolation-forest";
    t.trees = 100;
    t.subsample = 256;
    const auto small = sml::cost::tree_work(t, 1000), large = sml::cost::tree_work(t, 1e9);
    CHECK(small.train_flops == doctest::Approx(100.0 * 256 * 8));  // 204,800
    CHECK(large.train_flops == doctest::Approx(small.train_flops));
    CHECK(small.infer_flops == doctest::Approx(900.0));
    CHECK(small.stored_values == doctest::Approx(100.0 * 511));
  }

  TEST_CASE("tree cost models refuse missing settings") {
    sml::cost::TreeEnsemble t;
    t.kind = "gradient-boosted-trees";
    t.trees = 100;
    CHECK_THROWS_AS(sml::cost::check_tree_ensemble(t, "x.yaml:3"), sml::InputError);  // no depth, no features
    t.kind = "random-forest";
    CHECK_THROWS_AS(sml::cost::check_tree_ensemble(t, "x.yaml:3"), sml::InputError);
  }

  TEST_CASE("the catalogue's tree ensembles carry a cost model and no MACs") {
    const auto models = sml::catalog::load_models(kCatalog + "/models");
    for (const char* id : {"xgboost-gbdt", "isolation-forest"}) {
      CAPTURE(id);
      auto m = std::find_if(models.begin(), models.end(), [&](const sml::catalog::CatalogModel& x) { return x.id == id; });
      REQUIRE(m != models.end());
      REQUIRE(m->cost_model);
      CHECK(!m->macs);
      CHECK(m->arch.empty());
      CHECK(m->arch_reason.find("not a composable network") != std::string::npos);
      CHECK(*m->params == doctest::Approx(sml::cost::tree_work(*m->cost_model, 1).stored_values));
    }
  }
}
