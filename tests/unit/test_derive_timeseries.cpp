// The time-series and voice-activity architectures of the catalogue (issue 13), counted by hand
// from their published configurations, and Silero VAD checked against lib/cost's profile of the
// released ONNX file its composition is read from.
#include <doctest/doctest.h>

#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

std::string build_error(const std::string& text) {
  try {
    sc::build_composition(sc::parse_composition(text, "ts.yaml"));
  } catch (const sml::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("PatchTST/42 for ETTh1 counts as derived by hand from the official script") {
    // seq_len 336, patch 16, stride 8, end padding of 8: (344 − 16)/8 + 1 = 42 patches; d_model 16,
    // 4 heads, d_ff 128, 3 layers, 7 channels, horizon 96; RevIN without affine (no parameters).
    //   W_P 16·16 + 16 = 272; W_pos 42·16 = 672.
    //   per layer: W_Q, W_K, W_V, to_out 4·(16·16 + 16) = 1,088; two BatchNorms 2·2·16 = 64 (running
    //   statistics are not parameters); MLP 16·128 + 128 + 128·16 + 16 = 4,240: 5,392, × 3 = 16,176.
    //   head 672·96 + 96 = 64,608. Total 81,728.
    // MACs per channel: W_P 42·16·16 = 10,752; per layer projections 4·42·16² = 43,008, scores and
    //   context 2·42²·16 = 56,448, MLP 2·42·16·128 = 172,032: 271,488, × 3 = 814,464; head 672·96 =
    //   64,512. Per channel 889,728, × 7 channels = 6,228,096.
    const auto p = sc::profile_composition(sc::catalog_composition("patchtst-etth1", kCatalog));
    CHECK(p.params == 81728);
    CHECK(p.macs == 6228096);
    CHECK(p.uncounted.empty());
  }

  TEST_CASE("TimesFM 2.5 counts as derived by hand from TimesFM_2p5_200M_Definition") {
    // tokenizer ResidualBlock 64 → 1280 → 1280 with biases, residual 64 → 1280:
    //   2·(64·1280 + 1280) + 1280·1280 + 1280 = 1,806,080.
    // per layer (1280 wide, 16 heads of 80, no biases): four RMSNorms 4·1280 = 5,120; fused QKV
    //   1280·3840 = 4,915,200; out 1280² = 1,638,400; query/key RMSNorms 2·80 = 160; per-dimension
    //   scale 80; MLP 2·1280² = 3,276,800: 9,835,760, × 20 = 196,715,200.
    // point head 3·1280² = 4,915,200 (the "200M": 203,436,480); quantile head 1280² + 2·1280·10240
    //   = 27,852,800 (the "30M"). Total 231,289,280.
    const auto p = sc::profile_composition(sc::catalog_composition("timesfm-2-5-200m", kCatalog));
    CHECK(p.params == 231289280LL);
    // MACs at 32 patches: weights other than norms and biases, once per token: 1,802,240 +
    //   20·9,830,400 + 32,768,000 = 231,178,240, × 32 = 7,397,703,680; attention 20·2·16·32²·80 =
    //   52,428,800. Total 7,450,132,480.
    CHECK(p.macs == 7450132480LL);
    CHECK(p.uncounted.empty());
  }

  TEST_CASE("Silero VAD: the composition counts as lib/cost counts the released ONNX file") {
    // The file's 16 kHz branch (python3-onnx: Constant tensors): DFT basis 258·256 = 66,048; four
    // convolutions 128·129·3 + 128, 64·128·3 + 64, 64·64·3 + 64, 128·64·3 + 128 = 111,360; LSTM
    // 2·512·128 + 2·512 = 132,096; output 128 + 1. Total 309,633. MACs for 576 samples (512 and
    // 64 of context): 4 frames → STFT 258·256·4 = 264,192; convolutions 128·129·3·4 + 64·128·3·2 +
    // 64·64·3 + 128·64·3 = 284,160; LSTM 4·128·256 = 131,072; output 128. Total 679,552.
    const auto built = sc::profile_composition(sc::catalog_composition("silero-vad", kCatalog));
    CHECK(built.params == 309633);
    CHECK(built.macs == 679552);
    sml::graph::InferOptions o;
    o.input_shapes["input"] = {1, 576};
    o.input_shapes["state"] = {2, 1, 128};
    o.input_values["sr"] = 16000;
    const auto file = sml::cost::profile_model(
        sml::graph::load_model(std::string(SML_TEST_MODELS) + "/thirdparty/silero-vad/silero_vad.onnx"), o);
    CHECK(file.coverage.complete());
    CHECK(built.params == file.params);
    CHECK(built.macs == file.macs);
  }

  TEST_CASE("hostile time-series and VAD compositions are refused with file and line") {
    const std::string window = "sml: composition/v1\ninput: {name: x, shape: [1, 32, 3], dtype: float32}\ncores:\n";
    const std::string wave = "sml: composition/v1\ninput: {name: x, shape: [1, 64], dtype: float32}\ncores:\n";
    auto refused = [](const std::string& message, const std::string& what) {
      CAPTURE(message);
      return message.find("ts.yaml:") != std::string::npos && message.find(what) != std::string::npos;
    };
    CHECK(refused(build_error(window + "  - {core: patchtst_embed, patch: 64, dim: 8}\n"), "patch <= the window"));
    CHECK(refused(build_error(window + "  - {core: patchtst_embed, patch: 8, stride: 0, dim: 8}\n"), "'stride'"));
    CHECK(refused(build_error("sml: composition/v1\ninput: {name: x, shape: [1, 40000000, 1], dtype: float32}\ncores:\n"
                              "  - {core: patchtst_embed, patch: 2, stride: 1, dim: 8}\n"),
                  "at most 2^24 indices"));
    CHECK(refused(build_error(window + "  - {core: patchtst_embed, patch: 8, dim: 8}\n  - {core: patchtst_encoder, heads: 3, mlp_dim: 8}\n"),
                  "does not split into 3 heads"));
    CHECK(refused(build_error(wave + "  - {core: patchtst_head}\n"), "patchtst_head"));
    CHECK(refused(build_error(wave + "  - {core: timesfm_patches, patch: 48}\n"), "multiple of patch"));
    CHECK(refused(build_error(wave + "  - {core: timesfm_patches, patch: 32}\n  - {core: timesfm_decoder, heads: 5, mlp_dim: 8}\n"),
                  "timesfm_decoder"));
    CHECK(refused(build_error(wave + "  - {core: stft_magnitude, n_fft: 256, pad: 8}\n"), "stft_magnitude"));
    CHECK(refused(build_error(wave + "  - {core: stft_magnitude, n_fft: 32, hop: 16, pad: 8}\n  - {core: conv1d_stack, channels: [8, 8], strides: [1]}\n"),
                  "same, non-zero length"));
  }
}
