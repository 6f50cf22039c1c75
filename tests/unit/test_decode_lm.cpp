// Decode steps of the decoder-only language models (issue 13): the prefill (the decoder over the
// prompt's first P − 1 tokens, writing every layer's keys and values) and one decode step (one
// token against a KV cache of L tokens, at position L), counted against counts derived by hand
// from the published configs. Only multiply-accumulates of MatMul/Gemm/Conv count as MACs
// (bias adds, norms, rotary turns and the embedding lookup do not), as in test_decode.cpp.
#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>

#include "sml/compose/composition.hpp"
#include "sml/compose/decode.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"
#include "decode_helpers.hpp"

namespace sc = sml::compose;

namespace {
using decode_test::error_of;
using decode_test::kCatalog;
using decode_test::once;
const auto& prefill = decode_test::once;  // a decoder-only LM's once-per-request part
using decode_test::step;

// The shapes of a step's cache inputs past_key_values.I.KIND (KIND: key or value), in layer order.
std::vector<sml::compose::Shape> cache_inputs(const sc::Composition& c, std::int64_t cache, const std::string& kind) {
  std::vector<sml::compose::Shape> out;
  const sc::BuiltModel built = sc::build_composition(sc::decode_part(c, sc::DecodeMode::kStep, cache));
  for (const auto& in : built.graph.inputs())
    if (in.name == "past_key_values." + std::to_string(out.size()) + "." + kind) out.push_back(in.shape);
  return out;
}

// NAME's shape in a profile's inputs or outputs, "absent" when it has none.
std::string shape_of(const std::vector<std::pair<std::string, std::string>>& list, const std::string& name) {
  for (const auto& [n, s] : list)
    if (n == name) return s;
  return "absent";
}
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("GPT-2 small: a decode step, the prefill and a request, by hand") {
    const sc::Composition c = sc::catalog_composition("gpt2", kCatalog);
    REQUIRE(sc::decoder_only(c));
    REQUIRE(sc::prompt_length(c) == 768);  // decode.prompt_tokens: 768 + 256 fit the 1,024 positions
    REQUIRE(c.output_tokens == 256);
    // One token at a cache of L (n_embd 768, 12 heads × 64, MLP 3,072, 12 layers, vocabulary
    //   50,257): per layer, q, k, v and output projections 4·768² = 2,359,296; scores and context
    //   over the L cached keys and the new one 2·768·(L+1); MLP 2·768·3,072 = 4,718,592 →
    //   7,077,888 + 1,536·(L+1). Twelve layers and the tied head 768·50,257 = 38,597,376:
    //   123,532,032 + 18,432·(L+1).
    CHECK(step(c, 0).macs == 123532032.0 + 18432.0);
    CHECK(step(c, 767).macs == 123532032.0 + 18432.0 * 768);
    CHECK(step(c, 1023).macs == 123532032.0 + 18432.0 * 1024);
    // Position 1,024 is past the learned table: a step at a cache of 1,024 is refused.
    CHECK(error_of([&] { step(c, 1024); }).find("exceeds max_positions 1024") != std::string::npos);
    // The step holds every parameter: the table (tied to the head), all 1,024 positions, the
    //   layers and ln_f; Hugging Face's count of openai-community/gpt2 is 124,439,808.
    CHECK(step(c, 10).params == 124439808);
    CHECK(sc::profile_composition(c).params == 124439808);
    // The cache: per layer a key and a value (1, 12, L, 64), Hugging Face's past_key_values layout.
    const auto keys = cache_inputs(c, 100, "key"), values = cache_inputs(c, 100, "value");
    CHECK(keys.size() == 12);
    CHECK(values.size() == 12);
    CHECK(keys.front() == sml::compose::Shape{1, 12, 100, 64});
    CHECK(cache_inputs(c, 0, "key").empty());  // the first token of an empty cache reads none
    // Prefill of the prompt's first S = 767 tokens, no head: per layer 4·S·768² + 2·S²·768 (the
    //   causal square as the whole graph counts it) + 2·S·768·3,072 = 767·7,077,888 + 1,536·767²
    //   = 5,428,740,096 + 903,611,904 = 6,332,352,000; × 12 = 75,988,224,000.
    CHECK(prefill(c).macs == 75988224000.0);
    // A request: the prefill, then 256 steps at caches 767 … 1,022 (mean 894.5).
    const sc::Generation g = sc::generation_cost(c);
    CHECK(g.token_macs == 123532032.0 + 18432.0 * 895.5);
    CHECK(g.request_macs == 75988224000.0 + 256 * g.token_macs);
    CHECK(g.step_params == 124439808);
    // The prefill lacks ln_f (2·768) and the head: the tied table stays, read by the embedding.
    CHECK(g.once_params == 124439808 - 1536);
  }

  TEST_CASE("TinyLlama 1.1B: grouped-query attention caches the 4 KV heads") {
    const sc::Composition c = sc::catalog_composition("tinyllama-1-1b", kCatalog);
    // hidden 2,048, 32 query heads × 64, 4 KV heads (256 wide), SwiGLU 5,632, 22 layers, untied
    //   head over 32,000 tokens. Per layer: q and o 2·2,048² = 8,388,608; k and v 2·2,048·256 =
    //   1,048,576; scores and context for 32 heads 2·2,048·(L+1); SwiGLU 3·2,048·5,632 = 34,603,008
    //   → 44,040,192 + 4,096·(L+1). 22 layers and the head 2,048·32,000 = 65,536,000:
    //   1,034,420,224 + 90,112·(L+1).
    CHECK(step(c, 0).macs == 1034420224.0 + 90112.0);
    CHECK(step(c, 1100).macs == 1034420224.0 + 90112.0 * 1101);
    // The cache keeps the KV heads: (1, 4, L, 64) per layer, 8× smaller than 32 heads'.
    const auto keys = cache_inputs(c, 1100, "key");
    CHECK(keys.size() == 22);
    CHECK(keys.back() == sml::compose::Shape{1, 4, 1100, 64});
    // Every parameter is in the step: 1,100,048,384 (Hugging Face's count, as the catalogue's).
    CHECK(step(c, 0).params == 1100048384);
    const sc::Generation g = sc::generation_cost(c);  // prompt 1,024: caches 1,023 … 1,278
    CHECK(g.token_macs == 1034420224.0 + 90112.0 * 1151.5);
  }

  TEST_CASE("Phi-2: parallel attention and MLP, partial rotary, one step by hand") {
    const sc::Composition c = sc::catalog_composition("phi-2", kCatalog);
    REQUIRE(sc::prompt_length(c) == 1024);
    // hidden 2,560, 32 heads × 80 (rotary on 32 of each: elementwise, no MACs), MLP 10,240, 32
    //   layers, biased head over 51,200 tokens. Per layer: q, k, v, dense 4·2,560² = 26,214,400;
    //   scores and context 2·2,560·(L+1); MLP 2·2,560·10,240 = 52,428,800 → 78,643,200 +
    //   5,120·(L+1). 32 layers and the head 2,560·51,200 = 131,072,000: 2,647,654,400 + 163,840·(L+1).
    CHECK(step(c, 0).macs == 2647654400.0 + 163840.0);
    CHECK(step(c, 1023).macs == 2647654400.0 + 163840.0 * 1024);
    // Hugging Face's count of microsoft/phi-2: 2,779,683,840, all of them in the step.
    CHECK(step(c, 1023).params == 2779683840);
    CHECK(cache_inputs(c, 5, "value").back() == sml::compose::Shape{1, 32, 5, 80});
  }

  TEST_CASE("Mistral 7B: the sliding window caps the keys a step reads at 4,096") {
    const sc::Composition c = sc::catalog_composition("mistral-7b-v0-1", kCatalog);
    // Per layer, 32 query heads × 128 read min(L+1, 4,096) keys: 2·4,096·min(L+1, 4,096) MACs.
    const double at4094 = step(c, 4094).macs, at4095 = step(c, 4095).macs;
    CHECK(at4095 - at4094 == 32 * 2 * 4096.0);   // one more key, both below the window
    CHECK(step(c, 6000).macs == at4095);          // past the window: 4,095 cached + the new one
    CHECK(cache_inputs(c, 6000, "key").front() == sml::compose::Shape{1, 8, 4095, 128});
  }

  TEST_CASE("a decode step moves its weights and its KV cache once, as the roofline reads them") {
    // Decoding is bound by reading the weights and the cache once per token (FIELD-NOTES): what the
    // per-layer roofline sees (elements moved) must be the parameters and the cache, not the cache
    // several times over (concatenated, transposed, repeated for each query head of a group), the
    // whole embedding table for one row, or a transposed copy of a tied table. The rest is the one
    // token's activations and its attention scores (heads·(L+1) per layer, written and read by
    // the matmul, softmax and slices, as eager PyTorch materialises them): within 2.5%.
    auto moved = [](const sml::cost::Profile& p) {
      double n = 0;
      for (const auto& l : p.layers) n += l.elements_moved;
      return n;
    };
    // TinyLlama at L = 1,100: 1,100,048,384 parameters, less the untied table's rows not read
    //   (32,000 − 1)·2,048, and the cache 22·2·4·1,100·64 = 12,390,400.
    const sc::Composition tl = sc::catalog_composition("tinyllama-1-1b", kCatalog);
    const double tl_read = 1100048384.0 - 31999.0 * 2048 + 12390400.0;
    const double tl_moved = moved(step(tl, 1100));
    CHECK(tl_moved >= tl_read);
    CHECK(tl_moved <= tl_read * 1.025);
    // 100 more cached tokens: the cache grows by 100·22·2·4·64 = 1,126,400 elements, read once
    //   (plus 100·22·32 scores, each moved a few times: under the cache's growth again).
    const double grown = moved(step(tl, 1200)) - tl_moved;
    CHECK(grown >= 1126400.0);
    CHECK(grown < 2 * 1126400.0);
    // GPT-2 at L = 1,000: the tied table is read by the head (whole) and one row by the lookup, the
    //   position table one row: 124,439,808 − 1,023·768 parameters read, cache 12·2·12·1,000·64.
    const sc::Composition g2 = sc::catalog_composition("gpt2", kCatalog);
    const double g2_read = 124439808.0 - 1023.0 * 768 + 18432000.0;
    const double g2_moved = moved(step(g2, 1000));
    CHECK(g2_moved >= g2_read);
    CHECK(g2_moved <= g2_read * 1.025);
  }

  TEST_CASE("decoder-only steps and prefills name their cache as optimum's exports: past_key_values.I, present.I") {
    // optimum's decoder_with_past_model.onnx for GPT-2 and Llama reads past_key_values.I.{key,value}
    // and outputs logits and present.I.{key,value}. Our step's present is the new token's own row,
    // which a server appends to its cache (optimum's holds all L + 1 rows: a copy of the cache).
    const sc::Composition g2 = sc::catalog_composition("gpt2", kCatalog);
    const sml::cost::Profile s = step(g2, 100);
    // GPT-2: 12 layers × (key, value) of 12 heads × 64, the cache L = 100 tokens, the new row 1.
    CHECK(s.inputs.size() == 1 + 24);
    CHECK(shape_of(s.inputs, "input_ids") == "1x1");
    CHECK(shape_of(s.inputs, "past_key_values.0.key") == "1x12x100x64");
    CHECK(shape_of(s.inputs, "past_key_values.11.value") == "1x12x100x64");
    CHECK(s.outputs.size() == 1 + 24);
    CHECK(s.outputs.front().first == "output");
    CHECK(s.outputs.front().second == "1x1x50257");  // the next token's logits
    CHECK(shape_of(s.outputs, "present.0.key") == "1x12x1x64");
    CHECK(shape_of(s.outputs, "present.11.value") == "1x12x1x64");
    CHECK(shape_of(s.outputs, "present.12.key") == "absent");
    // At L = 0 there is no cache to read, but the first row is still written.
    CHECK(shape_of(step(g2, 0).inputs, "past_key_values.0.key") == "absent");
    CHECK(shape_of(step(g2, 0).outputs, "present.0.key") == "1x12x1x64");
    // The prefill of the prompt's first 767 tokens writes the same names, 767 rows each.
    const sml::cost::Profile p = prefill(g2);
    CHECK(p.outputs.size() == 24);
    CHECK(shape_of(p.outputs, "present.0.key") == "1x12x767x64");
    CHECK(shape_of(p.outputs, "present.11.value") == "1x12x767x64");
    // TinyLlama (grouped-query attention): the rows of its 4 KV heads, 22 layers numbered 0 … 21.
    const sc::Composition tl = sc::catalog_composition("tinyllama-1-1b", kCatalog);
    const sml::cost::Profile t = step(tl, 50);
    CHECK(t.outputs.size() == 1 + 44);
    CHECK(shape_of(t.outputs, "present.21.value") == "1x4x1x64");
    CHECK(shape_of(t.inputs, "past_key_values.21.key") == "1x4x50x64");
    // Mistral past its sliding window: the cache holds 4,095 rows, the step still writes one.
    const sml::cost::Profile m = step(sc::catalog_composition("mistral-7b-v0-1", kCatalog), 6000);
    CHECK(shape_of(m.inputs, "past_key_values.31.key") == "1x8x4095x128");
    CHECK(shape_of(m.outputs, "present.31.key") == "1x8x1x128");
    // Phi-2 (its own parallel block): 32 layers × 32 heads × 80.
    const sml::cost::Profile ph = step(sc::catalog_composition("phi-2", kCatalog), 7);
    CHECK(shape_of(ph.outputs, "present.31.value") == "1x32x1x80");
    CHECK(ph.outputs.size() == 1 + 64);
  }

  TEST_CASE("decode parts name every node once, as ONNX Runtime requires") {
    // Renaming a tensor to present.I.* freed its old name, which is also its node's name; a later
    // node then took it and ONNX Runtime refused the model ("two nodes with same node name").
    auto unique_nodes = [](const sc::Composition& c, sc::DecodeMode::Part part, std::int64_t cache) {
      const sc::BuiltModel m = sc::build_composition(sc::decode_part(c, part, cache));
      std::set<std::string> names;
      for (const auto& n : m.graph.nodes())
        if (!names.insert(n.name).second) return n.name;
      return std::string();
    };
    const sc::Composition g2 = sc::catalog_composition("gpt2", kCatalog);
    CHECK(unique_nodes(g2, sc::DecodeMode::kOnce, 0) == "");
    CHECK(unique_nodes(g2, sc::DecodeMode::kStep, 3) == "");
    const sc::Composition t5 = sc::catalog_composition("t5-small", kCatalog);
    CHECK(unique_nodes(t5, sc::DecodeMode::kOnce, 0) == "");
    CHECK(unique_nodes(t5, sc::DecodeMode::kStep, 3) == "");
  }

  TEST_CASE("every decoder-only catalogue LM has a prefill and a step holding all its parameters") {
    for (const char* id : {"gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "llama-2-7b", "llama-2-13b", "llama-3-8b", "mistral-7b-v0-1",
                           "phi-2", "qwen2-0-5b", "tinyllama-1-1b"}) {
      CAPTURE(id);
      const sc::Composition c = sc::catalog_composition(id, kCatalog);
      REQUIRE(sc::decoder_only(c));
      const sc::Generation g = sc::generation_cost(c);
      CHECK(g.step_params == sc::profile_composition(c).params);
      CHECK(g.once_macs > 0);
      CHECK(g.token_macs > 0);
    }
  }

  TEST_CASE("decode: prompt_tokens is checked") {
    const std::string base = "sml: composition/v1\nname: t\ninput: {name: input_ids, shape: [1, 8], dtype: int64}\n"
                             "decode: {input: input_ids, prompt_tokens: PT}\ncores:\n"
                             "  - {core: token_embed, vocab: 100, dim: 64, max_positions: 16, norm: false}\n"
                             "  - {core: transformer_decoder, heads: 2, mlp_dim: 128, norm: pre}\n";
    auto with = [&](const std::string& v) {
      std::string s = base;
      s.replace(s.find("PT"), 2, v);
      return s;
    };
    CHECK(error_of([&] { sc::parse_composition(with("1"), "t.yaml"); }).find("t.yaml:4") != std::string::npos);
    CHECK(error_of([&] { sc::parse_composition(with("x"), "t.yaml"); }).find("prompt_tokens") != std::string::npos);
    const sc::Composition c = sc::parse_composition(with("4"), "t.yaml");
    CHECK(sc::first_cache(c) == 3);
    // Steps past the 16 learned positions are refused, not wrapped.
    CHECK(error_of([&] { step(c, 16); }).find("exceeds max_positions 16") != std::string::npos);
  }
}
