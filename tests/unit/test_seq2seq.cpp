// Encoder-decoder cores (issue 13): T5 (relative position bias, gated-GELU), BART and Whisper
// counted against counts derived by hand from their published configs, a second graph input,
// and hostile compositions refused with file and line.
#include <doctest/doctest.h>

#include <sstream>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

sml::cost::Profile profile_of(const std::string& id) { return sc::profile_composition(sc::catalog_composition(id, kCatalog)); }

std::string build_error(const std::string& text) {
  try {
    sc::build_composition(sc::parse_composition(text, "s2s.yaml"));
  } catch (const sml::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("encoder-decoder cores: T5, FLAN-T5, BART and Whisper count as derived by hand") {
    // T5-small (d_model 512, d_ff 2048, 8 heads of 64, 6+6 layers, vocabulary 32,128, tied):
    //   shared table 32,128·512 = 16,449,536; encoder block: q, k, v, o 4·512² = 1,048,576, wi and
    //   wo 2·512·2,048 = 2,097,152, two RMS norms 1,024 → 3,146,752 × 6 = 18,880,512, plus one
    //   relative-bias table 32 buckets × 8 heads = 256 and the final norm 512 = 18,881,280;
    //   decoder blocks add cross-attention 1,048,576 and its norm 512 → 4,195,840 × 6 =
    //   25,175,040 + 256 + 512 = 25,175,808. Total 60,506,624 (Hugging Face's count of t5-small).
    const auto t5 = profile_of("t5-small");
    CHECK(t5.params == 60506624);
    CHECK(t5.uncounted.empty());
    // MACs at 512 source + 128 target tokens. Encoder layer: projections 4·512·512² =
    //   536,870,912, scores and context 2·512²·512 = 268,435,456, MLP 2·512·512·2,048 =
    //   1,073,741,824 → 1,879,048,192 × 6 = 11,274,289,152. Decoder layer: self projections
    //   4·128·512² = 134,217,728, self attention 2·128²·512 = 16,777,216, cross q and o
    //   2·128·512² = 67,108,864, cross k and v over the 512 encoder tokens 2·512·512² =
    //   268,435,456, cross attention 2·128·512·512 = 67,108,864, MLP 2·128·512·2,048 =
    //   268,435,456 → 822,083,584 × 6 = 4,932,501,504. Tied head 128·512·32,128 = 2,105,540,608.
    //   The bias tables are gathered, not multiplied.
    CHECK(t5.macs == 11274289152.0 + 4932501504.0 + 2105540608.0);
    // FLAN-T5-base (T5 v1.1: gated-GELU, untied head; d_model 768, d_ff 2048, 12 heads, 12+12):
    //   table 24,674,304; encoder block 4·768² + 3·768·2,048 + 2·768 = 7,079,424 × 12 +
    //   12·32 + 768 = 84,954,240; decoder block + 768² ·4 + 768 = 9,439,488 × 12 + 384 + 768 =
    //   113,275,008; head 24,674,304. Total 247,577,856.
    CHECK(profile_of("flan-t5-base").params == 247577856);
    // BART-large-CNN (d_model 1024, 12+12 post-norm layers, FFN 4,096, vocabulary 50,264, learned
    //   positions with 2 offset rows, layernorm_embedding, shared and tied table):
    //   table 51,470,336; positions 2·1,026·1,024 = 2,101,248; embedding norms 2·2,048;
    //   encoder layer 4·(1,024² + 1,024) + 2·4,196,352 − 3,072 (fc2 bias is 1,024 wide, not
    //   4,096) + 2·2,048 = 12,596,224 × 12 = 151,154,688; decoder layer + 4,198,400 + 2,048 =
    //   16,796,672 × 12 = 201,560,064. Total 406,290,432 (Hugging Face: 406,291,456 for
    //   bart-large's 50,265-token table, 1,024 more).
    CHECK(profile_of("bart-large-cnn").params == 406290432);
    // Whisper tiny (d_model 384, 4+4 layers, FFN 1,536, 80 mel bins, vocabulary 51,865, 448
    //   decoder positions): conv1 80·384·3 + 384 = 92,544, conv2 384·384·3 + 384 = 442,752;
    //   encoder layer: attention 4·384² + 3·384 (no key bias) = 590,976, MLP 589,824 + 1,536 +
    //   589,824 + 384 = 1,181,568, norms 1,536 → 1,774,080 × 4 + final norm 768 = 7,097,088;
    //   decoder: table 19,916,160 + positions 172,032; layer + cross-attention 590,976 and a
    //   norm 768 → 2,365,824 × 4 + 768 = 9,464,064; head tied. Total 37,184,640 (Hugging Face
    //   counts 37,760,640: it also holds the encoder's 1,500·384 sinusoids as a frozen weight).
    const auto whisper = profile_of("whisper-tiny");
    CHECK(whisper.params == 37184640);
    // 30 s = 3,000 frames: conv1 3,000·384·240 = 276,480,000 and conv2 1,500·384·1,152 =
    //   663,552,000 MACs; the encoder then runs on 1,500 tokens.
    CHECK(whisper.layers.at(0).macs == 276480000);
  }

  TEST_CASE("a second input: the decoder's token ids, read with from:") {
    // D = 16, 2 heads, MLP 32, vocabulary 50, one layer each: table 800; encoder layer
    //   4·(16² + 16) + 2·32 + (16·32 + 32 + 32·16 + 16) = 1,088 + 64 + 1,072 = 2,224; decoder
    //   layer adds a cross-attention and its norm: 2,224 + 1,088 + 32 = 3,344.
    const std::string text =
        "sml: composition/v1\ninput: {name: src, shape: [1, 12], dtype: int64}\n"
        "inputs:\n  - {name: tgt, shape: [1, 5], dtype: int64}\ncores:\n"
        "  - {core: seq2seq_embed, vocab: 50, dim: 16, positions: sinusoidal, name: shared}\n"
        "  - {core: seq2seq_encoder, heads: 2, mlp_dim: 32, name: enc}\n"
        "  - {core: seq2seq_embed, tie: shared, positions: sinusoidal, from: tgt}\n"
        "  - {core: seq2seq_decoder, heads: 2, mlp_dim: 32, memory: enc}\n"
        "  - {core: token_head, tie: shared}\n";
    const sc::Composition c = sc::parse_composition(text, "s2s.yaml");
    REQUIRE(c.more_inputs.size() == 1);
    const sc::BuiltModel m = sc::build_composition(c);
    REQUIRE(m.graph.inputs().size() == 2);
    CHECK(m.graph.inputs()[1].name == "tgt");
    CHECK(m.graph.outputs().at(0).shape == sc::Shape{1, 5, 50});  // one score per target token
    CHECK(m.graph.trainable_elements() == 800 + 2224 + 3344);
    // The composition written into a model's metadata keeps the second input.
    std::ostringstream yaml;
    sml::write_doc(yaml, sc::composition_doc(c), sml::Format::kYaml);
    const sc::Composition again = sc::parse_composition(yaml.str(), "metadata");
    REQUIRE(again.more_inputs.size() == 1);
    CHECK(again.more_inputs[0].shape == sc::Shape{1, 5});
  }

  TEST_CASE("hostile encoder-decoder compositions are refused with file and line") {
    const std::string head = "sml: composition/v1\ninput: {name: src, shape: [1, 8], dtype: int64}\n";
    // A further input that repeats the first one's name.
    CHECK(build_error(head + "inputs:\n  - {name: src, shape: [1, 4], dtype: int64}\ncores:\n  - {core: seq2seq_embed, vocab: 5, dim: 8}\n")
              .find("s2s.yaml:4") != std::string::npos);
    // A decoder without memory, or with a memory of another width.
    const std::string body = "inputs:\n  - {name: tgt, shape: [1, 4], dtype: int64}\ncores:\n"
                             "  - {core: seq2seq_embed, vocab: 5, dim: 8, name: e}\n  - {core: seq2seq_encoder, heads: 2, mlp_dim: 8, name: enc}\n";
    CHECK(build_error(head + body + "  - {core: seq2seq_embed, vocab: 5, dim: 8, from: tgt}\n  - {core: seq2seq_decoder, heads: 2, mlp_dim: 8}\n")
              .find("s2s.yaml:9: seq2seq_decoder needs memory") != std::string::npos);
    CHECK(build_error(head + body + "  - {core: seq2seq_embed, vocab: 5, dim: 16, from: tgt}\n  - {core: t5_stack, heads: 2, mlp_dim: 8, memory: enc}\n")
              .find("expected (N, T, 16)") != std::string::npos);
    // A table to share that does not exist, more tokens than learned positions, an unknown T5 MLP.
    CHECK(build_error(head + "cores:\n  - {core: seq2seq_embed, tie: nope}\n").find("no earlier embedding") != std::string::npos);
    CHECK(build_error(head + "cores:\n  - {core: seq2seq_embed, vocab: 5, dim: 8, positions: learned, max_positions: 4}\n")
              .find("exceed max_positions") != std::string::npos);
    CHECK(build_error(head + "cores:\n  - {core: seq2seq_embed, vocab: 5, dim: 8}\n  - {core: t5_stack, heads: 2, mlp_dim: 8, ffn: swiglu}\n")
              .find("s2s.yaml:5") != std::string::npos);
    // Whisper's stem over more frames than its positions.
    CHECK(build_error("sml: composition/v1\ninput: {shape: [1, 80, 4000]}\ncores:\n  - {core: whisper_conv_stem, dim: 8}\n")
              .find("exceed max_positions 1500") != std::string::npos);
  }
}
