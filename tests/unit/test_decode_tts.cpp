// SpeechT5's text-to-speech served as a generation (issue 13): the encoder and every decoder
// layer's cross keys and values once, one decoder step per two mel frames (reading the speaker
// x-vector every step), and the post-net convolutions and HiFi-GAN vocoder once after the steps
// over all frames, as Hugging Face's _generate_speech runs them. Counts derived by hand from
// microsoft/speecht5_tts's configuration (catalog/archs/speecht5_tts.yaml cites it). Only
// multiply-accumulates of MatMul/Gemm/Conv count as MACs, as in test_decode.cpp.
#include <doctest/doctest.h>

#include <string>

#include "sml/compose/composition.hpp"
#include "sml/compose/decode.hpp"
#include "sml/compose/derive.hpp"
#include "decode_helpers.hpp"

namespace sc = sml::compose;

namespace {
using decode_test::error_of;
using decode_test::kCatalog;
using decode_test::once;
using decode_test::step;

sml::cost::Profile after(const sc::Composition& c) { return sc::profile_composition(sc::decode_part(c, sc::DecodeMode::kAfter)); }

bool has_input(const sml::cost::Profile& p, const std::string& name, const std::string& shape) {
  for (const auto& [n, s] : p.inputs)
    if (n == name) return s == shape;
  return false;
}
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("SpeechT5 TTS: a decode step by hand, the speaker x-vector read by every step") {
    const sc::Composition c = sc::catalog_composition("speecht5-tts", kCatalog);
    REQUIRE(c.output_tokens == 128);  // 128 steps × reduction 2 = 256 mel frames (4.096 s)
    // One step at a cache of L (hidden 768, 12 heads × 64, FFN 3,072, 6 decoder layers, 64 text
    //   tokens): the pre-net on the new frame 80·256 + 256·256 + 256·768 = 282,624 and its speaker
    //   layer (768 + 512)·768 = 983,040; per decoder layer, self q, k, v, o 4·768² = 2,359,296 and
    //   attention 2·768·(L+1), cross q and o 2·768² = 1,179,648 and attention over 64 tokens
    //   2·768·64 = 98,304, FFN 2·768·3,072 = 4,718,592 → 8,355,840 + 1,536·(L+1), six layers
    //   50,135,040 + 9,216·(L+1); feat_out 768·160 = 122,880 and prob_out 768·2 = 1,536.
    //   Total 51,525,120 + 9,216·(L+1).
    CHECK(step(c, 0).macs == 51525120.0 + 9216.0);
    CHECK(step(c, 127).macs == 51525120.0 + 9216.0 * 128);
    const sml::cost::Profile s = step(c, 5);
    CHECK(has_input(s, "speaker_embeddings", "1x512"));  // read by every step
    CHECK(has_input(s, "decoder_input_values", "1x1x80"));  // the previous step's last frame
    CHECK_FALSE(has_input(once(c), "speaker_embeddings", "1x512"));
    // Once: the encoder at 64 characters, 12 layers of projections 4·64·768² = 150,994,944, scores
    //   and context 2·64²·768 = 6,291,456, relative keys 64·12·64·64 = 3,145,728 and FFN
    //   2·64·768·3,072 = 301,989,888 = 5,549,064,192; the cross keys and values 6·2·64·768² =
    //   452,984,832.
    CHECK(once(c).macs == 5549064192.0 + 452984832.0);
    // After the steps, over 256 frames: the post-net's five width-5 convolutions
    //   256·5·(80·256 + 3·256·256 + 256·80) = 304,087,040, and the vocoder exactly as the whole
    //   (teacher-forced) graph spends it under its scope.
    const sml::cost::Profile whole = sc::profile_composition(c);
    double vocoder = 0;
    for (const auto& l : whole.layers)
      if (l.name.rfind("vocoder", 0) == 0) vocoder += l.macs;
    REQUIRE(vocoder > 0);
    const sml::cost::Profile a = after(c);
    CHECK(has_input(a, "spectrogram", "1x256x80"));
    CHECK(a.macs == 304087040.0 + vocoder);
    // The request: once + 128 steps at caches 0 … 127 (mean 63.5) + after.
    const sc::Generation g = sc::generation_cost(c);
    CHECK(g.token_macs == 51525120.0 + 9216.0 * 64.5);
    CHECK(g.after_macs == a.macs);
    CHECK(g.request_macs == g.once_macs + 128 * g.token_macs + g.after_macs);
    // Every parameter is in exactly one part.
    CHECK(g.once_params + g.step_params + g.after_params == whole.params);
  }

  TEST_CASE("decode: every_step and after are checked with file and line") {
    const std::string base = R"(sml: composition/v1
name: tiny_tts
input: {name: input_ids, shape: [1, 8], dtype: int64}
inputs:
  - {name: frames, shape: [1, 4, 8], dtype: float32}
  - {name: spk, shape: [1, 16], dtype: float32}
decode: {input: frames, every_step: [spk], after: post}
cores:
  - {core: speecht5_text_prenet, vocab: 10, dim: 32}
  - {core: speecht5_encoder, heads: 2, mlp_dim: 64, repeat: 1, name: enc}
  - {core: speecht5_speech_prenet, units: 16, dim: 32, speaker: spk, from: frames}
  - {core: seq2seq_decoder, heads: 2, mlp_dim: 64, memory: enc, repeat: 1}
  - {core: speecht5_postnet, mel_bins: 8, reduction: 2, units: 16, layers: 2, scope: post}
)";
    const sc::Composition c = sc::parse_composition(base, "t.yaml");
    CHECK(step(c, 3).macs > 0);
    CHECK(after(c).macs == 8.0 * 5 * (8 * 16 + 16 * 8));  // two width-5 convolutions over 8 frames
    std::string bad = base;
    bad.replace(bad.find("every_step: [spk]"), 17, "every_step: [frames]");
    CHECK(error_of([&] { sc::parse_composition(bad, "t.yaml"); }).find("t.yaml:7") != std::string::npos);
    bad = base;
    bad.replace(bad.find("after: post"), 11, "after: postX");
    CHECK(error_of([&] { sc::parse_composition(bad, "t.yaml"); }).find("no core has that scope") != std::string::npos);
    bad = base;
    bad.replace(bad.find("after: post"), 11, "after: enc_s");
    bad.replace(bad.find("repeat: 1, name: enc}"), 21, "repeat: 1, name: enc, scope: enc_s}");
    CHECK(error_of([&] { step(sc::parse_composition(bad, "t.yaml"), 1); }).find("no part after the steps") != std::string::npos);
    // A composition with nothing after its steps has no after part.
    CHECK(error_of([&] { after(sc::catalog_composition("t5-small", kCatalog)); }).find("no decode.after") != std::string::npos);
  }
}
