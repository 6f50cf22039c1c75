// The encoder, speech and Phi-2 cores of issue 13, and the attention mask of issue 18: each
// catalogue architecture built shape-only and counted by lib/cost, against counts derived here by
// hand from the published configs (the figures in the comments are Hugging Face's own parameter
// counts of the same checkpoints where they differ, and say why).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

sml::cost::Profile arch(const std::string& id) { return sc::profile_composition(sc::catalog_composition(id, kCatalog)); }

// BERT-base-shaped layer at 128 tokens (D 768, F 3072): projections 4·128·768² = 301,989,888,
// scores and context 2·128²·768 = 25,165,824, MLP 2·128·768·3072 = 603,979,776.
constexpr double kBertLayerMacs = 931135488.0;
// Its parameters: q, k, v, o 4·(768² + 768) = 2,362,368; MLP 768·3072 + 3072 + 3072·768 + 768 =
// 4,722,432; two LayerNorms 3,072.
constexpr std::int64_t kBertLayerParams = 7087872;

sc::Composition tiny_encoder(const std::string& extra_top, const std::string& encoder_keys) {
  return sc::parse_composition("sml: composition/v1\nname: t\n" + extra_top +
                                   "input: {name: input_ids, shape: [2, 16], dtype: int64}\n"
                                   "cores:\n"
                                   "  - {core: token_embed, vocab: 100, dim: 64, max_positions: 16, divisor: 8}\n"
                                   "  - {core: bert_encoder, heads: 4, mlp_dim: 128, repeat: 3" + encoder_keys + "}\n",
                               "t.yaml");
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("ALBERT shares one layer's weights across the stack: a twelfth of the parameters, all of the MACs") {
    // Embeddings (30000 + 512 + 2)·128 + LayerNorm 256 = 3,906,048; projection 128·768 + 768 =
    // 99,072; ONE layer 7,087,872; pooler 768² + 768 = 590,592. Total 11,683,584 (AlbertModel's
    // count for albert-base-v2).
    const auto p = arch("albert-base-v2");
    CHECK(p.params == 3906048 + 99072 + kBertLayerParams + 590592);
    CHECK(p.params == 11683584);
    // MACs: 12 layers of work + projection 128·128·768 + pooler 768².
    CHECK(p.macs == 12 * kBertLayerMacs + 128.0 * 128 * 768 + 768.0 * 768);
  }

  TEST_CASE("ELECTRA-small: factorised 128 → 256 embeddings and the discriminator head") {
    // Embeddings (30522 + 512 + 2)·128 + 256 = 3,972,864; projection 128·256 + 256 = 33,024;
    // per layer 4·(256² + 256) + 256·1024 + 1024 + 1024·256 + 256 + 2·512 = 789,760, × 12 =
    // 9,477,120; head dense 256² + 256 = 65,792 and scorer 256 + its one bias (a [1] tensor, a
    // parameter: ElectraForPreTraining holds 13,549,057).
    const auto p = arch("electra-small-discriminator");
    CHECK(p.params == 3972864 + 33024 + 9477120 + 65792 + 256 + 1);
    CHECK(p.params == 13549057);
    // MACs at 128 tokens: per layer 4·128·256² + 2·128²·256 + 2·128·256·1024 = 109,051,904.
    CHECK(p.macs == 12 * 109051904.0 + 128.0 * 128 * 256 + 128.0 * 256 * 256 + 128.0 * 256);
  }

  TEST_CASE("DeBERTa-v3-base: disentangled attention adds two position products per layer, no absolute positions") {
    // Embeddings 128,100·768 + 1,536 = 98,382,336; 12 layers 85,054,464; 512 relative embeddings
    // 393,216 and their LayerNorm 1,536. Total 183,831,552 (86 M backbone + 98 M embeddings, as the
    // model card rounds them).
    const auto p = arch("deberta-v3-base");
    CHECK(p.params == 98382336 + 12 * kBertLayerParams + 512 * 768 + 1536);
    // Per layer beside BERT's: the 512 relative embeddings through the key and query projections
    // 2·512·768² = 603,979,776, and content×position both ways 2·128·512·768 = 100,663,296.
    CHECK(p.macs == 12 * (kBertLayerMacs + 603979776.0 + 100663296.0));
    CHECK(p.uncounted.empty());
  }

  TEST_CASE("MPNet: a 32-bucket relative bias shared by all layers costs 384 parameters and no MACs") {
    // Embeddings (30527 + 514)·768 + 1,536 = 23,841,024; layers 85,054,464; bias table 32·12 = 384;
    // pooler 590,592. Total 109,486,464.
    const auto p = arch("all-mpnet-base-v2");
    CHECK(p.params == 23841024 + 12 * kBertLayerParams + 384 + 590592);
    CHECK(p.macs == 12 * kBertLayerMacs + 768.0 * 768);
  }

  TEST_CASE("Phi-2: parallel blocks with partial rotary, from its published config") {
    // Embedding 51,200·2,560 = 131,072,000; per block LayerNorm 5,120, q, k, v, dense 4·(2,560² +
    // 2,560) = 26,224,640, fc1 2,560·10,240 + 10,240 and fc2 10,240·2,560 + 2,560 = 52,441,600:
    // 78,671,360 × 32 = 2,517,483,520; final LayerNorm 5,120; head 2,560·51,200 + 51,200 =
    // 131,123,200. Total 2,779,683,840 (PhiForCausalLM's count; the card says 2.7 billion).
    const auto p = arch("phi-2");
    CHECK(p.params == 2779683840LL);
    // MACs at 2,048 tokens: per block 4·S·D² + 2·S·D·F + 2·S²·D; head S·D·V. Rotary turns 32 of 80
    // dims per head by elementwise ops: no MACs.
    const double S = 2048, D = 2560, F = 10240, V = 51200;
    CHECK(p.macs == 32 * (4 * S * D * D + 2 * S * D * F + 2 * S * S * D) + S * D * V);
  }

  TEST_CASE("wav2vec 2.0 BASE and HuBERT LARGE over 30 s of 16 kHz audio (Whisper's window: ASR candidates at the same seconds)") {
    // Feature encoder, no conv biases: 512·10 + GroupNorm 1,024 + 4·512²·3 + 2·512²·2 = 4,200,448;
    // projection LayerNorm 1,024 + 512·768 + 768 = 395,008; position conv 768·48·128 + 768 =
    // 4,719,360; encoder LayerNorm 1,536; 12 layers 85,054,464; CTC head 768·32 + 32 = 24,608.
    // Total 94,395,424 = Wav2Vec2ForCTC's 94,396,320 less the weight norm's 128-vector and the
    // training-only masked_spec_embed (768).
    const auto w = arch("wav2vec2-base-960h");
    CHECK(w.params == 4200448 + 395008 + 4719360 + 1536 + 12 * kBertLayerParams + 24608);
    // Frames: 480,000 → 95,999 → 47,999 → 23,999 → 11,999 → 5,999 → 2,999 → 1,499 (kernels 10, 3,
    // 3, 3, 3, 2, 2; strides 5, 2, …). Conv MACs Σ T_i·512·C_in·k_i (at 1 s the same sum is
    // 2,450,123,776); projection F·512·768; position conv over F + 1 frames (kernel 128 padded by
    // 64 each side gives one more, then dropped) (F + 1)·768·48·128; 12 layers at F frames; head F·768·32.
    const double conv = 95999.0 * 512 * 10 + (47999.0 + 23999 + 11999 + 5999) * 512 * 512 * 3 + (2999.0 + 1499) * 512 * 512 * 2;
    const double F = 1499;
    const double layer = 4 * F * 768 * 768 + 2 * F * F * 768 + 2 * F * 768 * 3072;
    CHECK(w.macs == conv + F * 512 * 768 + (F + 1) * 768 * 48 * 128 + 12 * layer + F * 768 * 32);
    // HuBERT LARGE: conv biases and a LayerNorm after each conv: 4,200,448 − 1,024 + 7·(512 + 1,024)
    // = 4,210,176; projection 1,024 + 512·1,024 + 1,024 = 526,336; position conv 1,024·64·128 +
    // 1,024 = 8,389,632; 24 layers of 12,596,224; final LayerNorm 2,048; head 1,024·32 + 32.
    // The fairseq README says "~316M".
    const auto h = arch("hubert-large-ls960-ft");
    CHECK(h.params == 4210176 + 526336 + 8389632 + 24 * 12596224LL + 2048 + 32800);
  }

  TEST_CASE("MobileBERT: bottlenecks, shared query/key bottleneck, four stacked FFNs, NoNorm") {
    // Embeddings 30,522·128 + trigram projection 384·512 + 512 + positions 512·512 + segments
    // 2·512 + NoNorm 1,024 = 4,368,128. Per layer: two 512 → 128 bottlenecks 2·(512·128 + 128 +
    // 256); query, key 2·(128² + 128); value from the 512-wide input 512·128 + 128; attention
    // output 128² + 128 + 256; 3 extra FFNs 3·(128·512 + 512 + 512·128 + 128 + 256); the last FFN
    // 128·512 + 512 + 512·128 + 128 + 256; back to 512: 128·512 + 512 + 1,024. = 842,240, × 24.
    // Total 24,581,888 (MobileBertModel's count for google/mobilebert-uncased).
    const auto p = arch("mobilebert-uncased");
    const std::int64_t layer = 2 * (512 * 128 + 128 + 256) + 2 * (128 * 128 + 128) + (512 * 128 + 128) + (128 * 128 + 128 + 256) +
                               4 * (128 * 512 + 512 + 512 * 128 + 128 + 256) + (128 * 512 + 512 + 1024);
    CHECK(layer == 842240);
    CHECK(p.params == 4368128 + 24 * layer);
    // MACs per token per layer: every linear's weights (835,584) + attention 2·128·128 at 128
    // tokens; embeddings 384·512 per token.
    CHECK(p.macs == 128.0 * 384 * 512 + 24 * (128.0 * 835584 + 2.0 * 128 * 128 * 128));
  }

  TEST_CASE("AST: overlapping spectrogram patches make 1,212 tokens from 10.24 s of audio") {
    // Patches: mel (128 − 16)/10 + 1 = 12, frames (1024 − 16)/10 + 1 = 101 → 1,212, + 2 tokens.
    // Params: projection 16·16·768 + 768 = 197,376; two tokens 1,536; positions 1,214·768 =
    // 932,352; 12 layers 85,054,464; final LayerNorm 1,536; head LayerNorm 1,536 + 768·527 + 527.
    // Total 86,594,063.
    const auto p = arch("ast-audioset");
    CHECK(p.params == 197376 + 1536 + 932352 + 12 * kBertLayerParams + 1536 + 1536 + 768 * 527 + 527);
    const double S = 1214, D = 768;
    CHECK(p.macs == 1212.0 * 256 * 768 + 12 * (4 * S * D * D + 2 * S * S * D + 2 * S * D * 3072) + 768.0 * 527);
  }

  TEST_CASE("YAMNet is costed at AST's 10.24 s clip: 21 patches of 0.96 s, so audio classifiers rank at the same seconds") {
    // features.py's pad_waveform: 163,840 samples → 15,600 + ⌈148,240 / 7,680⌉ = 20 hops of 7,680
    //   = 169,200 samples; 1 + (169,200 − 400)/160 = 1,056 STFT frames; 1 + (1,056 − 96)/48 = 21
    //   patches, each one MobileNet v1 pass.
    sc::Composition c = sc::catalog_composition("yamnet", kCatalog);
    CHECK(c.audio_s == 10.24);
    CHECK(c.input_shape == sc::Shape{21, 1, 96, 64});
    const auto clip = sc::profile_composition(c);
    c.input_shape[0] = 1;
    const auto patch = sc::profile_composition(c);
    CHECK(clip.macs == 21 * patch.macs);
    CHECK(clip.params == patch.params);
    // One patch against the README's 69.2M multiplies per 0.96 s frame (to its rounding).
    CHECK(std::fabs(patch.macs - 69.2e6) <= 0.05e6);
    CHECK(patch.macs == 69165056.0);
    // AST over the same 10.24 s (1,024 frames of 10 ms): both state the seconds they are costed at.
    CHECK(sc::catalog_composition("ast-audioset", kCatalog).audio_s == 10.24);
  }

  TEST_CASE("CLIP ViT-B/32: two towers in one model, each run once for one image and one text") {
    // Image tower: patch conv 32·32·3·768 (+ a bias of 768 CLIP does not have), class token 768,
    // 50 positions 38,400, two LayerNorms 3,072, 12 layers 85,054,464, projection 768·512 =
    // 393,216: 87,849,216 + 768 (open_clip: 87.85 M). Text tower: 49,408·512 + 77·512 =
    // 25,336,320; 12 layers of 4·(512² + 512) + 2·1,024 + 512·2,048 + 2,048 + 2,048·512 + 512 =
    // 3,152,384; final LayerNorm 1,024; projection 512² (open_clip: 63.43 M); the learned logit
    // scale, one element.
    const auto p = arch("clip-vit-b-32");
    CHECK(p.params == 87849216 + 768 + 25336320 + 12 * 3152384 + 1024 + 512 * 512 + 1);
    // MACs: 49 patches · 3,072 · 768; 12 image layers at 50 tokens; 12 text layers at 77;
    // the two projections and one 512-long similarity.
    auto layers = [](double S, double D, double F) { return 12 * (4 * S * D * D + 2 * S * S * D + 2 * S * D * F); };
    CHECK(p.macs == 49.0 * 3072 * 768 + layers(50, 768, 3072) + layers(77, 512, 2048) + 768.0 * 512 + 512.0 * 512 + 512);
    const auto rows = sc::derive_catalog(kCatalog);
    const auto clip = std::find_if(rows.begin(), rows.end(), [](const sc::DerivedCost& r) { return r.id == "clip-vit-b-32"; });
    REQUIRE(clip != rows.end());
    CHECK(clip->input == "pixel_values 1x3x224x224 float32 + input_ids 1x77 int64");
  }

  TEST_CASE("attention mask: an int64 input whose additive bias reaches every layer's scores, and costs no MACs") {
    const sc::Composition plain = tiny_encoder("", "");
    const sc::Composition masked = tiny_encoder("attention_mask: true\n", "");
    const sc::BuiltModel built = sc::build_composition(masked);
    REQUIRE(built.graph.inputs().size() == 2);
    CHECK(built.graph.inputs()[1].name == "attention_mask");
    CHECK(built.graph.inputs()[1].dtype == 7);
    CHECK(built.graph.inputs()[1].shape == sc::Shape{2, 16});
    // The bias is made once, then added to the scores of each of the 3 layers.
    std::string bias;
    for (const auto& n : built.graph.nodes())
      if (n.name.find("attention_mask") != std::string::npos && n.op == "Add") bias = n.outputs[0];
    REQUIRE(!bias.empty());
    const auto readers = std::count_if(built.graph.nodes().begin(), built.graph.nodes().end(), [&](const sc::BuiltNode& n) {
      return std::find(n.inputs.begin(), n.inputs.end(), bias) != n.inputs.end();
    });
    CHECK(readers == 3);
    const auto p0 = sc::profile_composition(plain), p1 = sc::profile_composition(masked);
    CHECK(p1.params == p0.params);
    CHECK(p1.macs == p0.macs);
    CHECK(p1.flops > p0.flops);  // the additions are FLOPs
    CHECK(p1.coverage.complete());
    // With MPNet's relative bias the two biases are summed once and added per layer as one.
    CHECK_NOTHROW(sc::profile_composition(tiny_encoder("attention_mask: true\n", ", relative: buckets")));
  }

  TEST_CASE("hostile encoder settings are refused with the file and line") {
    auto refused = [](const sc::Composition& c, const std::string& what) {
      try {
        sc::build_composition(c);
      } catch (const sml::InputError& e) {
        CHECK_MESSAGE(std::string(e.what()).find(what) != std::string::npos, e.what());
        return;
      }
      FAIL("built: " << what);
    };
    refused(tiny_encoder("", ", relative: rotary"), "t.yaml:6: bert_encoder relative 'rotary'");
    refused(tiny_encoder("", ", heads: 5"), "does not split into 5 heads");
    refused(tiny_encoder("", ", relative: buckets, buckets: 2"), "buckets needs at least 4");
    // A mask on a model with no encoder that reads it, and on an image input.
    refused(sc::parse_composition("sml: composition/v1\nattention_mask: true\ninput: {name: input_ids, shape: [1, 8], dtype: int64}\n"
                                  "cores:\n  - {core: token_embed, vocab: 10, dim: 64, max_positions: 8}\n",
                                  "m.yaml"),
            "no core of this composition reads it");
    refused(sc::parse_composition("sml: composition/v1\nattention_mask: true\ninput: {shape: [1, 3, 32, 32]}\n"
                                  "cores:\n  - {core: patch_embed, patch: 16, dim: 64}\n",
                                  "v.yaml"),
            "needs token ids");
    CHECK_THROWS_AS(sc::parse_composition("sml: composition/v1\nattention_mask: maybe\ninput: {shape: [1, 8]}\ncores:\n  - {core: layer_norm}\n", "b.yaml"),
                    sml::InputError);
    // Phi: a rotary part that is odd or wider than the head.
    refused(sc::parse_composition("sml: composition/v1\ninput: {name: input_ids, shape: [1, 8], dtype: int64}\ncores:\n"
                                  "  - {core: token_embed, vocab: 10, dim: 64, max_positions: 0, norm: false}\n"
                                  "  - {core: phi_decoder, heads: 4, mlp_dim: 64, rotary_dim: 5}\n",
                                  "p.yaml"),
            "rotary part of a head must be even");
    // Speech: a stereo waveform, and a norm the feature encoder does not know.
    refused(sc::parse_composition("sml: composition/v1\ninput: {shape: [1, 2, 16000]}\ncores:\n  - {core: wav2vec2_features, dim: 64}\n", "s.yaml"),
            "one audio channel");
    refused(sc::parse_composition("sml: composition/v1\ninput: {shape: [1, 16000]}\ncores:\n  - {core: wav2vec2_features, dim: 64, norm: batch}\n", "s.yaml"),
            "norm 'batch'");
  }
}
