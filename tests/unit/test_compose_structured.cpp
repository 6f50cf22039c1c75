// Cores for structured data (lib/compose/cores_structured.cpp) and the catalogue architectures
// built from them: NeuMF, DLRM, GCN, GraphSAGE and the Atari DQN. None of their papers states a
// parameter or MAC count, so every figure is derived by hand below from the published layer
// sizes; each model must also pass libonnx's checker and strict shape inference.
#include <doctest/doctest.h>

#include <string>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {

const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// Built with zero weights (small models) and checked; the profile of what was written.
sml::cost::Profile checked(const sc::Composition& c) {
  const sc::BuiltModel b = sc::build_composition(c);
  sc::OnnxModel m = sc::to_onnx(b.graph, {"zeros", 0, c.precision}, "test");
  CHECK(sc::check_onnx(m).empty());
  auto p = sml::cost::profile_model(sml::graph::parse_model(sc::to_bytes(m), c.name, ""), {});
  CHECK(p.uncounted.empty());
  return p;
}

}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("DQN (Nature 2015): unpadded convolutions 84 → 20 → 9 → 7, then 3,136 → 512 → 18") {
    // conv1 4·32·8·8 + 32 = 8,224; conv2 32·64·4·4 + 64 = 32,832; conv3 64·64·3·3 + 64 = 36,928;
    // fc 3,136·512 + 512 = 1,606,144; out 512·18 + 18 = 9,234. Total 1,693,362.
    // MACs: 20²·32·256 = 3,276,800; 9²·64·512 = 2,654,208; 7²·64·576 = 1,806,336; 1,605,632; 9,216.
    const auto p = checked(sc::arch_composition("dqn_atari", kCatalog));
    CHECK(p.params == 1693362);
    CHECK(p.macs == doctest::Approx(9352192.0));
    CHECK(p.outputs.at(0).second == "1x18");
  }

  TEST_CASE("NeuMF on MovieLens-1M: tables (6,040 + 3,706) × (8 + 32), MLP 64-32-16-8, score 16 → 1") {
    // Embeddings 9,746·8 = 77,968 and 9,746·32 = 311,872; MLP 64·32 + 32 = 2,080, 32·16 + 16 =
    // 528, 16·8 + 8 = 136; prediction 16 + 1 = 17. Total 392,601; MACs 2,048 + 512 + 128 + 16.
    const auto p = checked(sc::arch_composition("ncf_neumf", kCatalog));
    CHECK(p.params == 392601);
    CHECK(p.macs == doctest::Approx(2704.0));
    CHECK(p.outputs.at(0).second == "1x1");
  }

  TEST_CASE("DLRM, Criteo Kaggle: 33,762,577 table rows × 16, bottom 13-512-256-64-16, 27² interactions, top 367-512-256-1") {
    // Tables 33,762,577·16 = 540,201,232; bottom MLP 13·512 + 512 + 512·256 + 256 + 256·64 + 64 +
    // 64·16 + 16 = 155,984; top MLP input 16 + 27·26/2 = 367: 367·512 + 512 + 512·256 + 256 + 257
    // = 320,001. Total 540,677,217. MACs: bottom 155,136 + interaction 27·27·16 = 11,664 + top
    // 319,232 = 486,032. Shape-only: the 2 GB of tables are not drawn.
    const auto p = sc::profile_composition(sc::arch_composition("dlrm_criteo_kaggle", kCatalog));
    CHECK(p.params == 540677217LL);
    CHECK(p.macs == doctest::Approx(486032.0));
    CHECK(p.uncounted.empty());
  }

  TEST_CASE("GCN on Cora: X·W over 2,708 nodes, sparse propagation over 13,264 non-zeros") {
    // Weights 1,433·16 + 16·7 = 23,040 (no bias, as Kipf & Welling's code). MACs: 2,708·1,433·16
    // = 62,089,024 and 2,708·16·7 = 303,296; the propagation multiplies 13,264 rows by their edge
    // weight (13,264·16 + 13,264·7 FLOPs) and sums them (ScatterND: moved, not counted).
    const auto p = checked(sc::arch_composition("gcn_cora", kCatalog));
    CHECK(p.params == 23040);
    CHECK(p.macs == doctest::Approx(62392320.0));
    CHECK(p.outputs.at(0).second == "2708x7");
  }

  TEST_CASE("GraphSAGE-mean on Reddit: per target node, 26 nodes in layer 1 and 1 in layer 2") {
    // Layer 1: (602·128)·2 = 154,112 weights applied to 1 + 25 nodes: 4,006,912 MACs; layer 2:
    // (256·128)·2 = 65,536 weights on 1 node; classifier 256·41 + 41 = 10,537 (10,496 MACs).
    // Params 230,185; MACs 4,082,944.
    const auto p = checked(sc::arch_composition("graphsage_reddit", kCatalog));
    CHECK(p.params == 230185);
    CHECK(p.macs == doctest::Approx(4082944.0));
    CHECK(p.outputs.at(0).second == "1x41");
    // Two target nodes: twice the rows, twice the work, the same weights.
    sc::Composition two = sc::arch_composition("graphsage_reddit", kCatalog);
    two.input_shape = {552, 602};
    const auto p2 = checked(two);
    CHECK(p2.params == 230185);
    CHECK(p2.macs == doctest::Approx(2 * 4082944.0));
    two.input_shape = {300, 602};  // not a whole number of sampled trees
    CHECK_THROWS_AS(sc::build_composition(two), sml::InputError);
  }

  TEST_CASE("structured cores refuse what they cannot build") {
    auto build = [](const std::string& cores, const std::string& input = "{shape: [1, 2], dtype: int64}") {
      return sc::build_composition(sc::parse_composition("sml: composition/v1\ninput: " + input + "\ncores:\n" + cores, "t"));
    };
    // Three tables need three id columns.
    CHECK_THROWS_AS(build("  - {core: embedding_tables, rows: [3, 4, 5], dim: 4}\n"), sml::InputError);
    // The interaction needs a dense vector as wide as the embeddings.
    CHECK_THROWS_AS(build("  - {core: embedding_tables, rows: [3, 4], dim: 4}\n  - {core: dot_interaction, dense: nothing}\n"),
                    sml::InputError);
    // conv_stack lists must agree.
    CHECK_THROWS_AS(build("  - {core: conv_stack, out: [8, 8], kernel: [3], stride: [1, 1]}\n", "{shape: [1, 1, 16, 16]}"),
                    sml::InputError);
    // gcn_conv needs the edge count it is costed at.
    CHECK_THROWS_AS(build("  - {core: gcn_conv, out: 4}\n", "{shape: [10, 3]}"), sml::InputError);
  }
}
