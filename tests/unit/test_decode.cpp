// Decode steps of the encoder-decoders (issue 13): the part run once per request (the encoder and
// every decoder layer's cross-attention keys and values) and one decode step (one new token against
// a KV cache of L tokens), counted against counts derived by hand from the published configs.
// Only multiply-accumulates of MatMul/Gemm/Conv count as MACs (bias adds and norms do not), as in
// test_seq2seq.cpp.
#include <doctest/doctest.h>

#include <functional>
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
using decode_test::step;

// Parameters of the whole (teacher-forced) model's cores whose scope starts with one of PREFIXES.
std::int64_t share(const sc::Composition& c, std::initializer_list<const char*> prefixes) {
  std::int64_t n = 0;
  for (const auto& core : sc::build_composition(c).cores)
    for (const char* p : prefixes)
      if (core.scope.rfind(p, 0) == 0) n += core.params;
  return n;
}


// BART-base as facebook/bart-base's config.json states it (d_model 768, 6+6 post-norm layers,
// 12 heads, FFN 3,072, vocabulary 50,265, 1,024 learned positions + 2 offset rows,
// layernorm_embedding, shared and tied table), at 128 source and 64 target tokens.
const char* kBartBase = R"(sml: composition/v1
name: bart_base
input: {name: input_ids, shape: [1, 128], dtype: int64}
inputs:
  - {name: decoder_input_ids, shape: [1, 64], dtype: int64}
decode: {input: decoder_input_ids}
cores:
  - {core: seq2seq_embed, vocab: 50265, dim: 768, positions: learned, max_positions: 1024, position_offset: 2, norm: true, name: shared, scope: model.encoder.embed}
  - {core: seq2seq_encoder, heads: 12, mlp_dim: 3072, norm: post, act: gelu, repeat: 6, name: encoder, scope: model.encoder.layers}
  - {core: seq2seq_embed, tie: shared, positions: learned, max_positions: 1024, position_offset: 2, norm: true, from: decoder_input_ids, scope: model.decoder.embed}
  - {core: seq2seq_decoder, heads: 12, mlp_dim: 3072, norm: post, act: gelu, memory: encoder, repeat: 6, scope: model.decoder.layers}
  - {core: token_head, tie: shared, role: head, scope: lm_head}
)";
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("T5-small: one decode step and the once-per-request part, by hand") {
    const sc::Composition c = sc::catalog_composition("t5-small", kCatalog);
    REQUIRE(c.output_tokens == 128);  // the stated target length (decoder_input_ids)
    // One token at a cache of L (d_model 512, 8 heads × 64, d_ff 2,048, 6 layers, 512 encoder
    //   tokens): per layer, self q, k, v, o 4·512² = 1,048,576; scores and context over the L
    //   cached keys and the new one 2·512·(L+1); cross q and o 2·512² = 524,288 (its keys and values
    //   are cached); cross scores and context over 512 encoder tokens 2·512·512 = 524,288; MLP
    //   2·512·2,048 = 2,097,152 → 4,194,304 + 1,024·(L+1). Six layers and the tied head 512·32,128 =
    //   16,449,536: 41,615,360 + 6,144·(L+1).
    CHECK(step(c, 0).macs == 41615360.0 + 6144.0);
    CHECK(step(c, 127).macs == 41615360.0 + 6144.0 * 128);
    // Once: the encoder's 11,274,289,152 (test_seq2seq.cpp) and each decoder layer's cross keys and
    //   values over 512 tokens, 6·2·512·512² = 1,610,612,736.
    CHECK(once(c).macs == 11274289152.0 + 1610612736.0);
    // The request: once + 128 steps at caches 0 … 127, whose mean is the step at 63.5.
    const sc::Generation g = sc::generation_cost(c);
    CHECK(g.token_macs == 41615360.0 + 6144.0 * 64.5);
    CHECK(g.request_macs == g.once_macs + 128 * g.token_macs);
    // Parameters: the step holds the decoder's share (the shared table 16,449,536 and the decoder
    //   stack 25,175,808) less the cross keys' and values' projections 6·2·512² = 3,145,728, which
    //   only the once part runs; the once part holds the table, the encoder 18,881,280 and those.
    const std::int64_t decoder = share(c, {"shared", "decoder.", "lm_head"});
    CHECK(decoder == 16449536 + 25175808);
    CHECK(g.step_params + 3145728 == decoder);
    CHECK(g.once_params == 16449536 + 18881280 + 3145728);
  }

  TEST_CASE("Whisper-tiny: a decode step reads 1,500 cached audio tokens") {
    const sc::Composition c = sc::catalog_composition("whisper-tiny", kCatalog);
    // d_model 384, 6 heads × 64, FFN 1,536, 4 decoder layers, 1,500 encoder tokens (30 s): per
    //   layer, self projections 4·384² = 589,824 and attention 2·384·(L+1); cross q and o
    //   2·384² = 294,912 and attention over 1,500 tokens 2·384·1,500 = 1,152,000; MLP 2·384·1,536 =
    //   1,179,648 → 3,216,384 + 768·(L+1). Four layers and the tied head 384·51,865 = 19,916,160:
    //   32,781,696 + 3,072·(L+1).
    CHECK(step(c, 0).macs == 32781696.0 + 3072.0);
    CHECK(step(c, 100).macs == 32781696.0 + 3072.0 * 101);
    // Once: stem 940,032,000 + encoder layers 4·(4·1,500·384² + 2·1,500²·384 + 2·1,500·384·1,536)
    //   = 17,528,832,000, and cross keys and values 4·2·1,500·384² = 1,769,472,000.
    CHECK(once(c).macs == 940032000.0 + 17528832000.0 + 1769472000.0);
    // The decoder's share: table 19,916,160, positions 172,032, layers and final norm 9,464,064
    //   (test_seq2seq.cpp); the step lacks the cross key and value projections, 4·(2·384² + 384)
    //   = 1,181,184 (keys without bias).
    const std::int64_t decoder = share(c, {"model.decoder", "proj_out"});
    CHECK(decoder == 19916160 + 172032 + 9464064);
    CHECK(step(c, 0).params + 1181184 == decoder);
    // Position 448 is past the decoder's learned table: a step at a cache of 448 is refused.
    CHECK(error_of([&] { step(c, 448); }).find("exceed max_positions 448") != std::string::npos);
    CHECK(step(c, 447).macs == 32781696.0 + 3072.0 * 448);
  }

  TEST_CASE("BART-base: a decode step and the decoder's share of its 139,420,416 parameters") {
    const sc::Composition c = sc::parse_composition(kBartBase, "bart_base.yaml");
    // Parameters (Hugging Face's count of facebook/bart-base): table 50,265·768 = 38,603,520;
    //   positions 2·1,026·768 = 1,575,936; embedding norms 2·1,536; encoder layer: attention
    //   4·(768² + 768) = 2,362,368, FFN 2·768·3,072 + 3,072 + 768 = 4,722,432, norms 3,072 →
    //   7,087,872 × 6 = 42,527,232; decoder layer + cross-attention 2,362,368 and its norm 1,536 →
    //   9,451,776 × 6 = 56,710,656. Total 139,420,416.
    CHECK(sc::profile_composition(c).params == 139420416);
    // One token at a cache of L: per layer, self projections 4·768² = 2,359,296 and attention
    //   2·768·(L+1); cross q and o 2·768² = 1,179,648 and attention over 128 source tokens
    //   2·768·128 = 196,608; FFN 2·768·3,072 = 4,718,592 → 8,454,144 + 1,536·(L+1). Six layers and
    //   the tied head 768·50,265 = 38,603,520: 89,328,384 + 9,216·(L+1).
    CHECK(step(c, 0).macs == 89328384.0 + 9216.0);
    CHECK(step(c, 63).macs == 89328384.0 + 9216.0 * 64);
    // The step's parameters: the decoder's share (table, its 787,968 positions and 1,536 norm,
    //   layers 56,710,656) less the cross keys and values 6·2·(768² + 768) = 7,087,104.
    const std::int64_t decoder = share(c, {"model.decoder", "lm_head"}) + 38603520;
    CHECK(decoder == 38603520 + 787968 + 1536 + 56710656);
    CHECK(step(c, 10).params + 7087104 == decoder);
    // Once: the encoder 6·(4·128·768² + 2·128²·768 + 2·128·768·3,072) = 6·(301,989,888 +
    //   25,165,824 + 603,979,776) = 5,586,812,928 and the cross keys and values 6·2·128·768² =
    //   905,969,664.
    CHECK(once(c).macs == 5586812928.0 + 905969664.0);
    // The request at 64 output tokens: the teacher-forced decoder at 64 tokens does the same
    //   projections and MLPs per token; the steps' attention reads the cache instead of a masked
    //   64 × 64 square, and the cross keys and values are in the once part.
    const sc::Generation g = sc::generation_cost(c);
    CHECK(g.output_tokens == 64);
    CHECK(g.request_macs == 5586812928.0 + 905969664.0 + 64 * (89328384.0 + 9216.0 * 32.5));
  }

  TEST_CASE("BLIP captioning: a caption token's step reads 577 image tokens") {
    const sc::Composition c = sc::catalog_composition("blip-image-captioning-base", kCatalog);
    // BERT-base decoder (768 wide, 12 heads, FFN 3,072, 12 layers) over ViT-B/16's 577 tokens at
    //   384×384: per layer, self projections 4·768² = 2,359,296 and attention 2·768·(L+1); cross q
    //   and o 1,179,648 and attention 2·768·577 = 886,272; FFN 4,718,592 → 9,143,808 + 1,536·(L+1).
    //   Twelve layers and the LM head (dense 768² = 589,824, vocabulary 768·30,524 = 23,442,432):
    //   133,757,952 + 18,432·(L+1).
    CHECK(step(c, 0).macs == 133757952.0 + 18432.0);
    CHECK(sc::generation_cost(c).token_macs == 133757952.0 + 18432.0 * 10.5);  // 20 tokens: caches 0 … 19
    // The step holds the text decoder less its cross keys and values 12·2·(768² + 768) = 14,174,208.
    CHECK(step(c, 0).params + 14174208 == share(c, {"text_decoder"}));
  }

  TEST_CASE("encoder-decoder steps read their cache once, under optimum's names, and output the new rows") {
    auto moved = [](const sml::cost::Profile& p) {
      double n = 0;
      for (const auto& l : p.layers) n += l.elements_moved;
      return n;
    };
    auto shape_of = [](const std::vector<std::pair<std::string, std::string>>& list, const std::string& name) {
      for (const auto& [n, s] : list)
        if (n == name) return s;
      return std::string("absent");
    };
    // BART-base, 6 layers × 2 × 12 heads × 64: 100 more cached tokens add 100·6·2·768 = 921,600
    //   elements, read once (and 100·6·12 scores moved a few times); concatenating the cache and
    //   transposing its keys, as before, moved each cached element about three times.
    const sc::Composition bart = sc::parse_composition(kBartBase, "bart_base.yaml");
    const double grown = moved(step(bart, 200)) - moved(step(bart, 100));
    CHECK(grown >= 921600.0);
    CHECK(grown < 1.2 * 921600.0);
    // The cross keys and values (128 source tokens) are read once too: the step at L = 0 moves the
    //   weights it holds, the cross cache 6·2·128·768 = 1,179,648 and little else (the tied table
    //   is read whole by the head, one row by the lookup).
    const sml::cost::Profile s0 = step(bart, 0);
    const double held = static_cast<double>(s0.params) - 38603520.0 + 768.0 - 1026.0 * 768 + 768.0 + 38603520.0;
    CHECK(moved(s0) >= held + 1179648.0);
    CHECK(moved(s0) <= (held + 1179648.0) * 1.01);
    // Names and shapes as optimum's decoder_with_past_model.onnx: past_key_values.I.decoder/encoder.
    const sml::cost::Profile s = step(bart, 10);
    CHECK(shape_of(s.inputs, "past_key_values.0.decoder.key") == "1x12x10x64");
    CHECK(shape_of(s.inputs, "past_key_values.5.decoder.value") == "1x12x10x64");
    CHECK(shape_of(s.inputs, "past_key_values.5.encoder.key") == "1x12x128x64");
    CHECK(shape_of(s.outputs, "output") == "1x1x50265");
    CHECK(shape_of(s.outputs, "present.0.decoder.key") == "1x12x1x64");
    CHECK(shape_of(s.outputs, "present.5.decoder.value") == "1x12x1x64");
    CHECK(s.outputs.size() == 1 + 12);
    // T5-small (relative position bias added to the step's scores, no scaling): the same growth,
    //   100·6·2·512 = 614,400, and the MACs by hand as above.
    const sc::Composition t5 = sc::catalog_composition("t5-small", kCatalog);
    const double t5_grown = moved(step(t5, 120)) - moved(step(t5, 20));
    CHECK(t5_grown >= 614400.0);
    CHECK(t5_grown < 1.2 * 614400.0);
    CHECK(shape_of(step(t5, 20).outputs, "present.3.decoder.key") == "1x8x1x64");
    // The once part's outputs are the cross keys and values under optimum's decoder_model.onnx
    //   names, present.I.encoder.{key,value} (N, heads, source tokens, head size), layer by layer,
    //   key before value, and nothing else: BART-base 6 layers × 12 heads × 64 over 128 tokens.
    const sml::cost::Profile o = once(bart);
    CHECK(o.outputs.size() == 12);
    CHECK(o.outputs.front().first == "present.0.encoder.key");
    CHECK(o.outputs.back().first == "present.5.encoder.value");
    for (const auto& [n, shape] : o.outputs) CHECK_MESSAGE(shape == "1x12x128x64", n);
    // T5-small (its own stack core) the same: 6 layers × 8 heads × 64 over 512 source tokens.
    const sml::cost::Profile t5o = once(t5);
    CHECK(t5o.outputs.size() == 12);
    CHECK(shape_of(t5o.outputs, "present.3.encoder.value") == "1x8x512x64");
    CHECK(shape_of(t5o.outputs, "output") == "absent");
  }

  TEST_CASE("decode: hostile settings are refused with file and line") {
    std::string bad = kBartBase;
    bad.replace(bad.find("decode: {input: decoder_input_ids}"), 34, "decode: {input: labels}");
    CHECK(error_of([&] { sc::parse_composition(bad, "b.yaml"); }).find("b.yaml:6") != std::string::npos);
    bad = kBartBase;
    bad.replace(bad.find("decode: {input: decoder_input_ids}"), 34, "decode: {input: decoder_input_ids, tokens: 3}");
    CHECK(error_of([&] { sc::parse_composition(bad, "b.yaml"); }).find("unknown key 'tokens'") != std::string::npos);
    // A model that generates nothing has no decode part.
    const sc::Composition resnet = sc::catalog_composition("resnet18", kCatalog);
    CHECK(error_of([&] { sc::decode_part(resnet, sc::DecodeMode::kStep, 4); }).find("no decode: key") != std::string::npos);
  }
}
