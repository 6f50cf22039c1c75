// Hostile architecture settings (issue 13): every family that takes a configuration refuses a
// zero, negative, huge, mistyped or missing size with the file, the line and the key, before any
// tensor is drawn; and --width keeps grouped-query attention's ratio (kv_heads scale with heads).
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

std::string read_arch(const std::string& name) {
  std::ifstream in(kCatalog + "/archs/" + name + ".yaml");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The error of building TEXT (parsing included), or "" when it builds.
std::string refusal(const std::string& text, const std::string& name) {
  try {
    sc::build_composition(sc::parse_composition(text, name));
  } catch (const sml::InputError& e) {
    return e.what();
  }
  return "";
}

// Replaces KEY's value on the LINE-th line (1-based) of TEXT; VALUE empty: the key is removed.
std::string with_setting(const std::string& text, int line, const std::string& key, const std::string& value) {
  std::istringstream in(text);
  std::string out, l;
  for (int n = 1; std::getline(in, l); ++n) {
    if (n == line) {
      const std::regex setting("([{ ,])" + key + ": (\\[[^\\]]*\\]|[^,}]+)(, )?");
      REQUIRE_MESSAGE(std::regex_search(l, setting), (key + " not on line " + std::to_string(line) + ": " + l));
      l = std::regex_replace(l, setting, value.empty() ? std::string("$1") : "$1" + key + ": " + value + "$3", std::regex_constants::format_first_only);
    }
    out += l + "\n";
  }
  return out;
}

int line_of(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string l;
  for (int n = 1; std::getline(in, l); ++n)
    if (l.find(needle) != std::string::npos) return n;
  FAIL("no line holds " << needle);
  return 0;
}

struct Case {
  const char* arch;     // catalog/archs/ARCH.yaml, one per family
  const char* core;     // the core line whose settings are made hostile
  std::vector<const char*> keys;
};
}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("hostile settings of every configured family: exit-2 errors naming the file, the line and the key") {
    // Families: encoder, decoder, encoder-decoder (T5, BART), Llama-family (GQA), Phi, ViT, Swin,
    // diffusion UNet and VAE, time series, TTS, CNNs (ResNet, MobileNet, EfficientNet), speech.
    const std::vector<Case> cases = {
        {"bert_base", "core: token_embed", {"vocab", "dim"}},
        {"bert_base", "core: bert_encoder", {"heads", "mlp_dim", "repeat"}},
        {"gpt2", "core: transformer_decoder", {"heads", "mlp_dim", "repeat"}},
        {"llama_2_7b", "core: llama_decoder", {"heads", "kv_heads", "mlp_dim", "repeat"}},
        {"qwen2_0_5b", "core: llama_decoder", {"heads", "kv_heads", "mlp_dim"}},
        {"phi_2", "core: phi_decoder", {"heads", "mlp_dim", "repeat"}},
        {"flan_t5_base", "core: t5_stack", {"heads", "d_kv", "mlp_dim"}},
        {"bart_large_cnn", "core: seq2seq_embed", {"vocab", "dim"}},
        {"bart_large_cnn", "core: seq2seq_encoder", {"heads", "mlp_dim", "repeat"}},
        {"vit_b_16", "core: patch_embed", {"patch", "dim"}},
        {"vit_b_16", "core: transformer_encoder", {"heads", "mlp_dim", "repeat"}},
        {"swin_t", "core: swin_stage", {"heads", "window"}},
        {"stable_diffusion_v1_5", "core: sd_unet", {"channels", "layers", "heads"}},
        {"stable_diffusion_v1_5", "core: vae_decoder", {"channels", "layers", "latent"}},
        {"patchtst_etth1", "core: patchtst_encoder", {"heads", "mlp_dim", "repeat"}},
        {"timesfm_2_5_200m", "core: timesfm_decoder", {"heads", "mlp_dim", "repeat"}},
        {"speecht5_tts", "core: speecht5_encoder", {"heads", "mlp_dim", "repeat"}},
        {"mms_tts_eng", "core: vits_text_encoder", {"vocab", "dim", "heads", "mlp_dim"}},
        {"resnet50", "core: bottleneck", {"mid", "repeat"}},
        {"resnet50", "core: bottleneck, mid: 128", {"mid", "stride"}},
        {"mobilenet_v2", "core: inverted_residual, expand: 6, out: 24", {"out", "stride", "repeat"}},
        {"efficientnet_b0", "core: mbconv", {"kernel", "out"}},
        {"wav2vec2_base", "core: transformer_encoder", {"heads", "mlp_dim"}},
    };
    // Zero, negative, past 2^31, int64-overflowing, text for a number, a list or a map for a number.
    const std::vector<std::string> hostile = {"0", "-1", "1000000000000", "99999999999999999999", "abc", "[1, 2]", "{a: 1}"};
    int checked = 0;
    for (const auto& c : cases) {
      const std::string arch = read_arch(c.arch);
      REQUIRE_MESSAGE(!arch.empty(), c.arch);
      const int line = line_of(arch, c.core);
      for (const char* key : c.keys) {
        for (const auto& value : hostile) {
          if (std::string(key) == "channels" && value == "[1, 2]") continue;  // a list is its type: checked below
          const std::string name = std::string(c.arch) + ".yaml";
          const std::string m = refusal(with_setting(arch, line, key, value), name);
          const std::string what = std::string(c.arch) + " " + key + ": " + value + " -> " + (m.empty() ? "built" : m);
          CHECK_MESSAGE(m.find(name + ":" + std::to_string(line)) != std::string::npos, what);
          CHECK_MESSAGE(m.find(key) != std::string::npos, what);
          ++checked;
        }
      }
    }
    CHECK(checked > 400);
  }

  TEST_CASE("a list of channels with too few levels, heads that do not divide the width, kv_heads that do not divide heads") {
    const std::string bert = read_arch("bert_base"), llama = read_arch("llama_2_7b"), sd = read_arch("stable_diffusion_v1_5");
    const int enc = line_of(bert, "core: bert_encoder"), dec = line_of(llama, "core: llama_decoder"), unet = line_of(sd, "core: sd_unet");
    std::string m = refusal(with_setting(bert, enc, "heads", "7"), "bert.yaml");
    CHECK(m.find("bert.yaml:" + std::to_string(enc)) != std::string::npos);
    CHECK(m.find("heads") != std::string::npos);
    m = refusal(with_setting(llama, dec, "kv_heads", "5"), "llama.yaml");
    CHECK(m.find("llama.yaml:" + std::to_string(dec)) != std::string::npos);
    CHECK(m.find("'kv_heads'") != std::string::npos);
    for (const char* theta : {"0", "1", "0.5"}) {  // the rotary base: log(θ) ≤ 0 gives no positions
      m = refusal(with_setting(llama, dec, "rope_theta", theta), "llama.yaml");
      CHECK(m.find("llama.yaml:" + std::to_string(dec)) != std::string::npos);
      CHECK(m.find("'rope_theta'") != std::string::npos);
    }
    m = refusal(with_setting(sd, unet, "channels", "[320, 640]"), "sd.yaml");
    CHECK(m.find("sd.yaml:" + std::to_string(unet)) != std::string::npos);
    // A required size left out: the key is named.
    const std::string no_mlp = with_setting(llama, dec, "mlp_dim", "");
    m = refusal(no_mlp, "llama.yaml");
    CHECK(m.find("llama.yaml:" + std::to_string(dec)) != std::string::npos);
    CHECK(m.find("mlp_dim") != std::string::npos);
    // Sizes each under 2^31 whose product passes 2^40 elements: refused naming the largest settings.
    const std::string emb = read_arch("bert_base");
    const int tok = line_of(emb, "core: token_embed");
    m = refusal(with_setting(with_setting(emb, tok, "vocab", "2000000000"), tok, "dim", "1048576"), "emb.yaml");
    CHECK(m.find("emb.yaml:" + std::to_string(tok)) != std::string::npos);
    CHECK(m.find("vocab") != std::string::npos);
  }

  TEST_CASE("--width keeps grouped-query attention's ratio: kv_heads scale with heads (params by hand)") {
    // Llama 2 7B at width 0.25: D = 4096·0.25 = 1024 (a multiple of 64), heads 32·0.25 = 8, and
    // with 32 KV heads (groups of 1) 8 KV heads of 128; SwiGLU 11008·0.25 = 2752 (a multiple of
    // 8). Per layer: q, k, v, o 4·1024·1024 = 4,194,304; MLP 3·1024·2752 = 8,454,144; two
    // RMSNorms 2,048 → 12,650,496 × 32 = 404,815,872; embeddings and head 2·32000·1024 =
    // 65,536,000; final norm 1,024. Total 470,352,896.
    sc::Composition llama = sc::catalog_composition("llama_2_7b", kCatalog);
    llama.width = 0.25;
    CHECK(sc::build_composition(llama).graph.trainable_elements() == 404815872LL + 65536000 + 1024);
    // Mistral 7B (32 heads, 8 KV heads: groups of 4) at 0.25: 8 heads, 2 KV heads of 128: q and o
    // 2·1024², k and v 2·1024·256 → 2,621,440; MLP 3·1024·3584 = 11,010,048; norms 2,048 →
    // 13,633,536 × 32 = 436,273,152; + 65,536,000 + 1,024 = 501,810,176.
    sc::Composition mistral = sc::catalog_composition("mistral_7b", kCatalog);
    mistral.width = 0.25;
    CHECK(sc::build_composition(mistral).graph.trainable_elements() == 501810176LL);
    // Qwen2-0.5B: 14 heads, 2 KV heads (groups of 7). Width 0.5: D 448, 7 heads and 1 KV head of
    // 64. Width 0.25 gives 4 heads (round(3.5)), not a multiple of 7: refused, naming kv_heads.
    sc::Composition qwen = sc::catalog_composition("qwen2_0_5b", kCatalog);
    qwen.width = 0.5;
    const sc::BuiltModel half = sc::build_composition(qwen);
    bool found = false;
    for (const auto& init : half.graph.initializers())
      if (init.name == "model.layers.0.self_attn.k_proj.weight") {
        found = true;
        CHECK(init.dims == sc::Shape{448, 64});  // one KV head of 64 (stored as in × out)
      }
    CHECK(found);
    qwen.width = 0.25;
    CHECK_THROWS_WITH_AS(sc::build_composition(qwen), doctest::Contains("groups of 7"), sml::InputError);
    CHECK_THROWS_WITH_AS(sc::build_composition(qwen), doctest::Contains("'kv_heads'"), sml::InputError);
  }
}
