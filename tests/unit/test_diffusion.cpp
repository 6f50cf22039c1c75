// Stable Diffusion and BLIP captioning built from catalog/archs (issue 13): each component's
// parameters against the published counts (or a hand derivation where none is published), the
// per-image cost as the composition's passes state it, and hostile pipeline settings.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

struct Parts {
  std::int64_t text = 0, unet = 0, vae_encoder = 0, vae = 0, total = 0;
  double text_macs = 0, unet_macs = 0, encoder_macs = 0, rest_macs = 0, per_image = 0;
  double train_flops = 0, frozen_flops = 0;  // one training sample (train_runs, frozen)
  double text_flops = 0, unet_flops = 0, encoder_flops = 0, per_image_flops = 0;  // one run of each; one image
};

Parts parts(const std::string& id) {
  const sc::Composition c = sc::catalog_composition(id, kCatalog);
  const auto p = sc::profile_composition(c);
  CHECK(p.uncounted.empty());
  const sc::PerQuery q = sc::per_query(c, p);
  REQUIRE(q.parts.size() == 4);
  Parts r;
  r.total = p.params;
  r.text = q.parts[0].params;
  r.unet = q.parts[1].params;
  r.vae_encoder = q.parts[2].params;
  r.vae = r.total - r.text - r.unet;  // encoder and decoder: the rest of the graph
  r.text_macs = q.parts[0].macs;
  r.unet_macs = q.parts[1].macs;
  r.encoder_macs = q.parts[2].macs;
  r.rest_macs = p.macs - q.parts[0].macs - q.parts[1].macs - q.parts[2].macs;  // the VAE decoder
  CHECK(q.parts[3].scope == "vae");
  CHECK(q.parts[3].macs == r.rest_macs);
  r.per_image = q.macs;
  r.train_flops = q.train_flops;
  r.text_flops = q.parts[0].flops;
  r.unet_flops = q.parts[1].flops;
  r.encoder_flops = q.parts[2].flops;
  r.per_image_flops = q.flops;
  r.frozen_flops = q.frozen_flops;
  return r;
}

// A CLIP text tower of L pre-norm layers, D wide, MLP F, over 77 tokens: MACs of one pass
// (projections, scores and context, MLP; LayerNorms and the table lookup have none).
double clip_text_macs(double L, double D, double F) {
  const double S = 77;
  return L * (4 * S * D * D + 2 * S * S * D + 2 * S * D * F);
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("Stable Diffusion v1.5: every component has its published parameter count; an image costs 2 text passes, 100 UNet steps, 1 decode") {
    const Parts p = parts("stable-diffusion-v1-5");
    // diffusers' counts of the v1 pipeline (fast.ai forums 2022): CLIPTextModel 123,060,480,
    // UNet2DConditionModel 859,520,964, AutoencoderKL 83,653,863, total 1,066,235,307.
    CHECK(p.text == 123060480);
    CHECK(p.unet == 859520964);
    CHECK(p.vae == 83653863);
    CHECK(p.total == 1066235307);
    // The VAE's encoder half, by hand from diffusers' Encoder: conv_in 3·128·9 + 128 = 3,584;
    // down blocks 738,944 + 2,690,304 + 10,754,560 + 9,443,328 (resnets and stride-2 3×3);
    // middle 2 resnets of 4,721,664 + attention 1,051,648; norm 1,024; conv_out 512·8·9 + 8 =
    // 36,872; quant_conv 8·8 + 8 = 72.
    CHECK(p.vae_encoder == 3584 + 738944 + 2690304 + 10754560 + 9443328 + 2 * 4721664 + 1051648 + 1024 + 36872 + 72);
    CHECK(p.text_macs == clip_text_macs(12, 768, 3072));
    CHECK(p.per_image == doctest::Approx(2 * p.text_macs + 100 * p.unet_macs + p.rest_macs).epsilon(1e-12));
    // The UNet's 100 evaluations are nearly all of an image's work; the decoder is more than one step.
    CHECK(100 * p.unet_macs > 0.9 * p.per_image);
    CHECK(p.rest_macs > p.unet_macs);
    // A training sample (diffusers' train_text_to_image.py): the VAE encodes the image and the
    // text encoder the caption, both frozen (forward only); the UNet runs once, forward and
    // backward, on the noised latent; nothing is decoded:
    CHECK(p.train_flops == p.unet_flops);
    CHECK(p.frozen_flops == p.text_flops + p.encoder_flops);
    // Training per sample, factor 3 for the part that learns, against the old 3 × one image's
    // forward work: 40 to 100 times less (the VAE encoder at 512² costs more than a UNet step).
    const double per_sample = 3 * p.train_flops + p.frozen_flops, per_image_x3 = 3 * p.per_image_flops;
    MESSAGE("SD v1.5 training per sample: " << per_sample << " FLOPs; 3 x one image: " << per_image_x3 << " (" << per_image_x3 / per_sample << "x)");
    CHECK(per_image_x3 / per_sample > 40);
    CHECK(per_image_x3 / per_sample < 100);
  }

  TEST_CASE("Stable Diffusion 2.1 (768-v): OpenCLIP ViT-H text tower, the 865M UNet with 1024-wide cross-attention, the v1 VAE") {
    const Parts p = parts("stable-diffusion-2-1");
    // Text encoder (diffusers' 23 layers, 1024 wide, MLP 4096): table 49,408·1,024 + positions
    // 77·1,024 = 50,672,640; per layer 4·(1,024² + 1,024) + 1,024·4,096 + 4,096 + 4,096·1,024 +
    // 1,024 + 2·2,048 = 12,596,224; final LayerNorm 2,048.
    CHECK(p.text == 50672640 + 23LL * 12596224 + 2048);
    // The UNet is v1's but for cross-attention keys and values reading 1,024 wide text instead of
    // 768: 2·256 more per channel of each of the 16 transformers (Σ channels 12,480); linear
    // proj_in/out hold as many weights as the 1×1 convolutions. The README's "865M".
    CHECK(p.unet == 859520964LL + 2 * 256 * 12480);
    CHECK(std::abs(static_cast<double>(p.unet) - 865e6) <= 0.01 * 865e6);
    CHECK(p.vae == 83653863);
    CHECK(p.text_macs == clip_text_macs(23, 1024, 4096));
    // 96×96 latent: attention over 9,216 tokens at the top level makes a step cost more than
    // (96/64)² = 2.25 times v1's.
    const Parts v1 = parts("stable-diffusion-v1-5");
    CHECK(p.unet_macs > 2.25 * v1.unet_macs);
    // The decoder's convolutions scale with the pixels (2.25×); its one attention, over the
    // latent's tokens, a little faster.
    CHECK(p.rest_macs > 2.25 * v1.rest_macs);
    CHECK(p.rest_macs < 2.25 * 1.03 * v1.rest_macs);
  }

  TEST_CASE("BLIP captioning base: ViT-B/16 at 384 and the BERT-base decoder with cross-attention, counted by hand") {
    const auto p = sc::profile_composition(sc::catalog_composition("blip-image-captioning-base", kCatalog));
    CHECK(p.uncounted.empty());
    // Vision: patch conv 768·3·16·16 + 768 = 590,592; class token 768; positions 577·768 =
    //   443,136; 12 pre-norm layers of 7,087,872; post LayerNorm 1,536 → 86,090,496.
    // Text: words 30,524·768 = 23,442,432; positions 512·768 = 393,216; embedding LayerNorm
    //   1,536; 12 layers of self- and cross-attention 2·(4·(768² + 768) + 1,536) + MLP
    //   4,722,432 + 1,536 = 9,451,776; head transform 768² + 768 + 1,536; vocabulary projection
    //   768·30,524 + 30,524. Total 247,414,076 (the Hub's "247M").
    const std::int64_t vision = 590592 + 768 + 443136 + 12 * 7087872LL + 1536;
    const std::int64_t text = 23442432 + 393216 + 1536 + 12 * 9451776LL + 590592 + 1536 + 768LL * 30524 + 30524;
    CHECK(p.params == vision + text);
    CHECK(p.params == 247414076);
    // MACs: 576 patches · 768 · 768; 12 image layers at 577 tokens; 12 decoder layers at 20
    // tokens (self-attention, cross-attention whose keys and values project the 577 image
    // tokens, MLP); the head's dense and vocabulary projection.
    const double D = 768, F = 3072, S = 577, T = 20, V = 30524;
    const double image = 576 * D * D + 12 * (4 * S * D * D + 2 * S * S * D + 2 * S * D * F);
    const double decoder = 12 * ((4 * T * D * D + 2 * T * T * D) + (2 * T * D * D + 2 * S * D * D + 2 * T * S * D) + 2 * T * D * F);
    CHECK(p.macs == image + decoder + T * D * D + T * D * V);
  }

  TEST_CASE("pipeline passes: a scope that holds no layer, or runs out of range, is refused with the file and line") {
    const std::string head = "sml: composition/v1\nname: t\ninput: {name: x, shape: [1, 8, 8, 8]}\n";
    const std::string cores = "cores:\n  - {core: conv_bn_act, out: 8, kernel: 3, scope: a}\n";
    const sc::Composition ok = sc::parse_composition(head + "passes:\n  - {scope: a, runs: 3}\n" + cores, "ok.yaml");
    const auto p = sc::profile_composition(ok);
    CHECK(sc::per_query(ok, p).macs == doctest::Approx(3 * p.macs));
    const sc::Composition ghost = sc::parse_composition(head + "passes:\n  - {scope: b, runs: 3}\n" + cores, "ghost.yaml");
    CHECK_THROWS_WITH_AS(sc::per_query(ghost, p), doctest::Contains("scope 'b' holds no counted layer"), sml::InputError);
    CHECK_THROWS_WITH_AS(sc::parse_composition(head + "passes:\n  - {scope: a, runs: -1}\n" + cores, "neg.yaml"),
                         doctest::Contains("neg.yaml:5"), sml::InputError);
    CHECK_THROWS_WITH_AS(sc::parse_composition(head + "passes:\n  - {scope: a}\n  - {scope: a}\n" + cores, "twice.yaml"),
                         doctest::Contains("twice.yaml:6"), sml::InputError);
    CHECK_THROWS_AS(sc::parse_composition(head + "passes: {scope: a}\n" + cores, "map.yaml"), sml::InputError);
  }

  TEST_CASE("hostile UNet and VAE settings are refused with the file and line") {
    const std::string head =
        "sml: composition/v1\nname: t\ninput: {name: ids, shape: [1, 4], dtype: int64}\ninputs:\n  - {name: t, shape: [1]}\n"
        "  - {name: z, shape: [1, 4, 8, 8]}\ncores:\n  - {core: token_embed, vocab: 10, dim: 64, max_positions: 4, norm: false, name: text}\n";
    auto refused = [&](const std::string& core, const std::string& what) {
      CAPTURE(core);
      const sc::Composition c = sc::parse_composition(head + "  - " + core + "\n", "bad.yaml");
      CHECK_THROWS_WITH_AS(sc::build_composition(c), doctest::Contains(what.c_str()), sml::InputError);
      CHECK_THROWS_WITH_AS(sc::build_composition(c), doctest::Contains("bad.yaml:9"), sml::InputError);
    };
    refused("{core: sd_unet, channels: [64, 100], attention: [1, 1], heads: 4, context: text, timestep: t, from: z, groups: 32}", "groups");
    refused("{core: sd_unet, channels: [64, 128], attention: [1, 1, 1], context: text, timestep: t, from: z, groups: 32}", "one per level");
    refused("{core: sd_unet, channels: [64, 128], context: nowhere, timestep: t, from: z, groups: 32, attention: 1}", "nowhere");
    refused("{core: sd_unet, channels: [64, 128], context: text, timestep: text, from: z, groups: 32, attention: 1}", "timestep");
    refused("{core: sd_unet, channels: [64, 64, 64, 64, 64], context: text, timestep: t, from: z, groups: 32, attention: 0}", "halve");
    refused("{core: vae_decoder, channels: [64, 100], from: z}", "groups");
    // A small UNet that is valid builds, with cross-attention to the 64-wide text.
    const sc::Composition small = sc::parse_composition(
        head + "  - {core: sd_unet, channels: [64, 128], attention: [1, 0], head_dim: 32, linear_projection: true, context: text, timestep: t, from: z, groups: 32}\n",
        "small.yaml");
    const auto built = sc::build_composition(small);
    CHECK(built.graph.outputs().at(0).shape == sc::Shape{1, 4, 8, 8});
  }
}
