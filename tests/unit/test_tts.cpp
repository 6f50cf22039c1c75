// Text-to-speech cores (issue 13): SpeechT5 TTS with its HiFi-GAN vocoder and MMS-TTS (VITS)
// counted against counts derived by hand from their published configurations (Hugging Face's
// SpeechT5Config / SpeechT5HifiGanConfig for microsoft/speecht5_tts and microsoft/speecht5_hifigan,
// VitsConfig for facebook/mms-tts-eng) and the reference modules, and hostile compositions refused.
#include <doctest/doctest.h>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// MACs of the layers whose node names start with PREFIX (the core's scope).
double macs_under(const sml::cost::Profile& p, const std::string& prefix) {
  double m = 0;
  for (const auto& l : p.layers)
    if (l.name.rfind(prefix, 0) == 0) m += l.macs;
  return m;
}

std::string build_error(const std::string& text) {
  try {
    sc::build_composition(sc::parse_composition(text, "tts.yaml"));
  } catch (const sml::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("SpeechT5 TTS and its HiFi-GAN vocoder count as derived by hand from the published configs") {
    const sc::Composition c = sc::catalog_composition("speecht5-tts", kCatalog);
    const sc::BuiltModel m = sc::build_composition(c);
    // Parameters (D 768, FFN 3,072, vocabulary 81, 12 encoder and 6 decoder layers):
    //   text pre-net: table 81·768 = 62,208 + alpha 1;
    //   encoder: input LayerNorm 1,536 + relative keys 2·160 rows × 64 = 20,480 + 12 layers ×
    //     (attention 4·(768² + 768) = 2,362,368, MLP 768·3,072 + 3,072 + 3,072·768 + 768 = 4,722,432,
    //     two LayerNorms 3,072) = 7,087,872 × 12 = 85,054,464 → 85,076,480;
    //   speech pre-net: 80·256 + 256 = 20,736, 256·256 + 256 = 65,792, 256·768 + 768 = 197,376,
    //     alpha 1, speaker layer (512 + 768)·768 + 768 = 983,808 → 1,267,713;
    //   decoder: 6 × (2 attentions 4,724,736 + MLP 4,722,432 + 3 LayerNorms 4,608) = 56,710,656;
    //   post-net: feat_out 768·160 + 160 = 123,040, prob_out 768·2 + 2 = 1,538, convolutions
    //     80·256·5 + 3·256·256·5 + 256·80·5 = 1,187,840 (no bias), BatchNorm scale and shift
    //     2·(4·256 + 80) = 2,208 → 1,314,626.
    //   SpeechT5ForTextToSpeech: 144,431,684.
    //   Vocoder (512 initial channels, rates 4·4·4·4, kernels 8): conv_pre 80·512·7 + 512 = 287,232;
    //     upsamplers C·C/2·8 + C/2 for C = 512 … 64: 1,048,832 + 262,272 + 65,600 + 16,416 =
    //     1,393,120; residual blocks 6 convolutions per kernel 3, 7, 11: 126·C² + 18·C for C = 256 …
    //     32: 8,262,144 + 2,066,688 + 517,248 + 129,600 = 10,975,680; conv_post 32·7 + 1 = 225 →
    //     12,656,257 (mean and scale are buffers).
    CHECK(m.graph.trainable_elements() == 144431684 + 12656257);
    REQUIRE(m.cores.size() == 6);
    CHECK(m.cores[1].params == 85076480);
    CHECK(m.cores[2].params == 1267713);
    CHECK(m.cores[4].params == 1314626);
    CHECK(m.cores[5].params == 12656257);
    CHECK(m.graph.outputs().at(0).shape == sc::Shape{1, 65536});  // 256 frames × 256 samples
    CHECK(m.graph.outputs().at(1).shape == sc::Shape{1, 256});    // a stop logit per frame
    const auto p = sc::profile_composition(c);
    CHECK(p.uncounted.empty());
    // The two one-element alphas of the scaled positions ([1]-shaped initializers) count too.
    CHECK(p.params == 144431684 + 12656257);
    // MACs at 64 text tokens, 128 decoder steps, 256 frames:
    //   encoder layer: projections 4·64·768² = 150,994,944, scores, relative keys and context
    //     3·64²·768 = 9,437,184, MLP 2·64·768·3,072 = 301,989,888 → 462,422,016 × 12 = 5,549,064,192;
    //   speech pre-net: 128·(80·256 + 256·256 + 256·768 + 1,280·768) = 162,004,992;
    //   decoder layer: self 4·128·768² + 2·128²·768 = 327,155,712, cross q and o 2·128·768² =
    //     150,994,944, k and v over 64 tokens 75,497,472, scores and context 2·128·64·768 =
    //     12,582,912, MLP 603,979,776 → 1,170,210,816 × 6 = 7,021,264,896;
    //   post-net: 128·768·162 = 15,925,248 + convolutions 256·5·(80·256 + 3·256² + 256·80) =
    //     304,087,040 → 320,012,288;
    //   vocoder: conv_pre 256·512·80·7 = 73,400,320; each upsampler 268,435,456 (input elements ×
    //     C/2 × 8) → 1,073,741,824; residual blocks L·C²·126 with L·C² = 1,024·256² at every stage
    //     → 4 × 8,455,716,864 = 33,822,867,456; conv_post 65,536·32·7 = 14,680,064 → 34,984,689,664.
    CHECK(macs_under(p, "speecht5.encoder.wrapped_encoder") == 5549064192.0);
    CHECK(macs_under(p, "speecht5.decoder.prenet") == 162004992.0);
    CHECK(macs_under(p, "speecht5.decoder.wrapped_decoder") == 7021264896.0);
    CHECK(macs_under(p, "speech_decoder_postnet") == 320012288.0);
    CHECK(macs_under(p, "vocoder") == 34984689664.0);
    CHECK(p.macs == 5549064192.0 + 162004992.0 + 7021264896.0 + 320012288.0 + 34984689664.0);
  }

  TEST_CASE("MMS-TTS English (VITS): what runs at inference counts as derived by hand from VitsConfig") {
    const sc::Composition c = sc::catalog_composition("mms-tts-eng", kCatalog);
    const sc::BuiltModel m = sc::build_composition(c);
    // Parameters (hidden 192, 2 heads of 96, FFN 768, window 4, flow 192):
    //   text encoder: table 38·192 = 7,296; layer: attention 4·(192² + 192) = 148,224 + relative
    //     keys and values 2·9·96 = 1,728, FFN convolutions 192·768·3 + 768 + 768·192·3 + 192 =
    //     885,696, two LayerNorms 768 → 1,036,416 × 6 = 6,218,496 → 6,225,792;
    //   duration predictor (inference): conv_pre and conv_proj 2·(192² + 192) = 74,112, a
    //     depth-separable block 3·(192·3 + 192 + 192² + 192 + 2·384) = 115,776, three of the four
    //     spline flows 3·(192 + 192 + 115,776 + 192·29 + 29) = 365,271, the affine flow 4 → 555,163;
    //   prior projection 192·384 + 384 = 74,112;
    //   flow: 4 × (conv_pre 96·192 + 192 = 18,624, WaveNet 4·(192·384·5 + 384) + 3·(192·384 + 384)
    //     + 192² + 192 = 1,735,488, conv_post 192·96 + 96 = 18,528) = 7,090,560;
    //   decoder: conv_pre 192·512·7 + 512 = 688,640, upsamplers 512·256·16 + 256 + 256·128·16 + 128
    //     + 128·64·4 + 64 + 64·32·4 + 32 = 2,662,880, residual blocks 10,975,680 (as SpeechT5's
    //     vocoder), conv_post 32·7 = 224 (no bias) → 14,327,424.
    //   Total 28,273,051. The checkpoint adds the training-only posterior encoder (513·192 + 192 +
    //   16·369,024 + 15·74,112 + 37,056 + 192·384 + 384 = 7,225,920) and the duration predictor's
    //   unused first flow and posterior flows (762,005): 36,260,976.
    CHECK(m.graph.trainable_elements() == 28273051);
    REQUIRE(m.cores.size() == 5);
    CHECK(m.cores[0].params == 6225792);
    CHECK(m.cores[1].params == 555163);
    CHECK(m.cores[2].params == 74112);
    CHECK(m.cores[3].params == 7090560);
    CHECK(m.cores[4].params == 14327424);
    CHECK(m.graph.outputs().at(0).shape == sc::Shape{1, 65536});  // 256 frames × 8·8·2·2 samples
    const auto p = sc::profile_composition(c);
    CHECK(p.uncounted.empty());
    CHECK(p.params == 28273051);
    // MACs at 64 characters and 256 frames:
    //   text encoder layer: projections 4·64·192² = 9,437,184, scores and context 2·2·64²·96 =
    //     1,572,864, relative keys and values over all 127 offsets 2·2·64·127·96 = 3,121,152, FFN
    //     2·64·768·192·3 = 56,623,104 → 70,754,304 × 6 = 424,525,824;
    //   duration predictor: conv_pre and conv_proj 2·64·192² = 4,718,592, its block 3·(64·192·3 +
    //     64·192²) = 7,188,480, three flows 3·(64·192 + 7,188,480 + 64·192·29) = 22,671,360 →
    //     34,578,432;
    //   prior: projection 64·192·384 = 4,718,592, expansion 2·256·64·192 = 6,291,456;
    //   flow: 4 × (256·96·192 + WaveNet 256·(4·192·384·5 + 3·192·384 + 192²) + 256·192·96) =
    //     1,811,939,328;
    //   decoder: conv_pre 256·512·192·7 = 176,160,768, upsamplers 536,870,912 + 1,073,741,824 +
    //     536,870,912 + 268,435,456, residual blocks 126·(2,048·256² + 16,384·128² + 32,768·64² +
    //     65,536·32²) = 76,101,451,776, conv_post 65,536·32·7 = 14,680,064 → 78,708,211,712.
    CHECK(macs_under(p, "text_encoder.encoder") == 424525824.0);
    CHECK(macs_under(p, "duration_predictor") == 34578432.0);
    CHECK(macs_under(p, "text_encoder.prior") == 4718592.0 + 6291456.0);
    CHECK(macs_under(p, "flow") == 1811939328.0);
    CHECK(macs_under(p, "decoder") == 78708211712.0);
    CHECK(p.macs == 424525824.0 + 34578432.0 + 11010048.0 + 1811939328.0 + 78708211712.0);
  }

  TEST_CASE("the VITS prior fixes the frame count; hostile TTS compositions are refused with file and line") {
    const std::string head = "sml: composition/v1\ninput: {name: ids, shape: [1, 6], dtype: int64}\ncores:\n"
                             "  - {core: vits_text_encoder, vocab: 10, dim: 8, heads: 2, mlp_dim: 16, repeat: 1, name: text}\n";
    const std::string dp = "  - {core: vits_duration_predictor, flows: 2, bins: 3, name: dur}\n";
    // Twelve frames from six characters: the prior reads the durations and fixes the output length.
    const sc::BuiltModel m = sc::build_composition(sc::parse_composition(
        head + dp + "  - {core: vits_prior, frames: 12, durations: dur, flow_size: 4, from: text}\n"
                    "  - {core: vits_flow, flows: 1, wavenet_layers: 1, mask: frame_mask}\n",
        "tts.yaml"));
    CHECK(m.graph.outputs().at(0).shape == sc::Shape{1, 4, 12});
    // A prior without frames, or without durations of the text's length.
    CHECK(build_error(head + dp + "  - {core: vits_prior, durations: dur, flow_size: 4, from: text}\n").find("tts.yaml:6: vits_prior needs frames") !=
          std::string::npos);
    CHECK(build_error(head + "  - {core: vits_prior, frames: 4, durations: text, flow_size: 4, from: text}\n").find("expected (1, 1, 6)") !=
          std::string::npos);
    // A flow reading a mask nobody registered; a duration predictor with one flow.
    CHECK(build_error(head + "  - {core: vits_flow, mask: nope, from: text}\n").find("tts.yaml:5") != std::string::npos);
    CHECK(build_error(head + "  - {core: vits_duration_predictor, flows: 1}\n").find("flows ≥ 2") != std::string::npos);
    // HiFi-GAN whose upsampling kernel cannot give rate × input, or with lists of different lengths.
    const std::string mel = "sml: composition/v1\ninput: {shape: [1, 8, 10]}\ncores:\n";
    CHECK(build_error(mel + "  - {core: hifigan, channels: 16, rates: [4], kernels: [7]}\n").find("tts.yaml:4") != std::string::npos);
    CHECK(build_error(mel + "  - {core: hifigan, channels: 16, rates: [4, 4], kernels: [8]}\n").find("same length") != std::string::npos);
    CHECK(build_error(mel + "  - {core: hifigan, channels: 2, rates: [2, 2], kernels: [4, 4]}\n").find("cannot halve") != std::string::npos);
    // SpeechT5's speech pre-net without a speaker input, and an encoder whose heads do not divide the width.
    CHECK(build_error(mel + "  - {core: speecht5_speech_prenet, dim: 8}\n").find("needs speaker") != std::string::npos);
    CHECK(build_error(mel + "  - {core: speecht5_encoder, heads: 3, mlp_dim: 8}\n").find("tts.yaml:4") != std::string::npos);
  }
}
