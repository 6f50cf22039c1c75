// sml-estimate on a written multi-part model (issue 13): sml-compose carries a composition's
// passes: in the model's sml.passes metadata, and sml-estimate costs one query (one image) and
// one training sample by them, as sml-suggest costs the catalogue entry and catalog/derived.yaml
// lists it. Stable Diffusion v1.5: 2 text-encoder passes + 100 UNet passes (50 steps × 2 for
// classifier-free guidance) + 1 VAE decode per image; per training sample the UNet forward and
// backward once, the frozen text encoder and VAE encoder forward once.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "sml/catalog/models.hpp"
#include "sml/compose/compose.hpp"
#include "sml/compose/derive.hpp"
#include "sml/cost/passes.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;
namespace fs = std::filesystem;

namespace {
const std::string kData = SML_SOURCE_DATA_DIR;

double num(const sml::Doc& d, const std::string& path) {
  const sml::Doc* v = d.path(path);
  REQUIRE_MESSAGE(v, path);
  REQUIRE_MESSAGE(v->as_number(), path);
  return *v->as_number();
}

// A CLIP text tower of L pre-norm layers, D wide, MLP F, over 77 tokens, by hand: projections
// 4·S·D², scores and context 2·S²·D, MLP 2·S·D·F per layer (LayerNorms and the lookup have none).
double clip_text_macs(double L, double D, double F) {
  const double S = 77;
  return L * (4 * S * D * D + 2 * S * S * D + 2 * S * D * F);
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("sml-estimate costs a written Stable Diffusion v1.5 per image and per training sample by its sml.passes, as sml-suggest does") {
    sc::ComposeOptions o;
    o.arch = "stable_diffusion_v1_5";
    o.weights = "zeros";  // past 2 GiB: external data, a sparse file
    o.catalog_dir = kData + "/catalog";
    sc::ComposeResult r = sc::compose(o);
    CHECK(sc::metadata(r.model, "sml.passes") ==
          R"([{"scope": "text_encoder", "runs": 2, "train_runs": 1, "frozen": true}, )"
          R"({"scope": "unet", "runs": 100, "train_runs": 1, "frozen": false}, )"
          R"({"scope": "vae_encoder", "runs": 0, "train_runs": 1, "frozen": true}, )"
          R"({"scope": "vae", "runs": 1, "train_runs": 0, "frozen": false}])");
    const fs::path dir = fs::temp_directory_path() / ("sml-pipeline-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / "sd.onnx").string();
    sc::write_onnx(r.model, path, {}, r.external_data);

    sml::footprint::EstimateOptions e;
    e.model_path = path;
    e.device = "nvidia-a100-sxm4-40gb";
    e.plan.train_samples = 1;
    e.hw_dir = kData + "/hw";
    e.catalog_dir = kData + "/catalog";
    e.layers = false;
    const sml::Doc doc = sml::footprint::estimate(e).doc;
    fs::remove_all(dir);

    // The parts, one run each, as the estimate lists them.
    const sml::Doc* parts = doc.path("profile.passes");
    REQUIRE(parts);
    REQUIRE(parts->as_list().size() == 4);  // every layer sits under a listed scope
    auto part = [&](std::size_t i, const char* key) { return num(parts->as_list()[i], key); };
    CHECK(parts->as_list()[1].path("scope")->as_string() == "unet");
    CHECK(part(0, "macs_per_run") == clip_text_macs(12, 768, 3072));  // by hand
    CHECK(part(0, "params") == 123060480);                            // published (test_diffusion.cpp)
    CHECK(part(1, "params") == 859520964);
    // One image: the hand-counted text encoder twice, the UNet 100 times, the VAE decoder once.
    const double per_image = 2 * clip_text_macs(12, 768, 3072) + 100 * part(1, "macs_per_run") + part(3, "macs_per_run");
    CHECK(num(doc, "profile.total.macs") == doctest::Approx(per_image).epsilon(1e-12));
    CHECK(100 * part(1, "macs_per_run") > 0.9 * per_image);

    // The same per-image MACs as catalog/derived.yaml (what sml-suggest reads) and as the composition gives.
    const auto models = sml::catalog::load_models(kData + "/catalog/models");
    const auto sd = std::find_if(models.begin(), models.end(), [](const auto& m) { return m.id == "stable-diffusion-v1-5"; });
    REQUIRE(sd != models.end());
    REQUIRE(sd->macs);
    CHECK(num(doc, "profile.total.macs") == doctest::Approx(*sd->macs).epsilon(1e-12));
    const sc::Composition c = sc::catalog_composition("stable-diffusion-v1-5", kData + "/catalog");
    const sc::PerQuery q = sc::per_query(c, sc::profile_composition(c));
    CHECK(num(doc, "profile.total.macs") == q.macs);

    // One training sample: factor × the UNet's forward FLOPs + the frozen text encoder and VAE
    // encoder forward once, the VAE decoder never: sml-suggest's per-sample figure (costing.cpp).
    const double factor = sml::footprint::FootprintModel::load(kData + "/catalog/footprint.yaml").training_flops_factor;
    const double per_sample = factor * part(1, "flops_per_run") + part(0, "flops_per_run") + part(2, "flops_per_run");
    CHECK(num(doc, "training.flops_per_sample") == doctest::Approx(per_sample).epsilon(1e-12));
    CHECK(num(doc, "training.flops_per_sample") == doctest::Approx(factor * q.train_flops + q.frozen_flops).epsilon(1e-12));
    CHECK(num(doc, "training.flops") == num(doc, "training.flops_per_sample"));  // one sample, one epoch
  }

  TEST_CASE("sml.passes metadata that is not a list of passes is refused, naming the file and the key") {
    using sml::cost::parse_passes_metadata;
    const auto ok = parse_passes_metadata(R"([{"scope": "u", "runs": 3, "train_runs": 0, "frozen": true}])", "m.onnx");
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].runs == 3);
    CHECK(ok[0].train_runs == 0);
    CHECK(ok[0].frozen);
    CHECK(sml::cost::passes_metadata(ok) == R"([{"scope": "u", "runs": 3, "train_runs": 0, "frozen": true}])");
    for (const char* bad : {"{", "7", R"({"scope": "u"})", R"([{"scope": "u", "runs": -1, "train_runs": 1}])",
                            R"([{"scope": "u", "runs": 1e20, "train_runs": 1}])", R"([{"scope": "u", "runs": 1.5, "train_runs": 1}])",
                            R"([{"scope": "", "runs": 1, "train_runs": 1}])", R"([{"scope": "u", "runs": "x", "train_runs": 1}])",
                            R"([{"scope": "u", "runs": 1}])", R"([{"scope": "u", "runs": 1, "train_runs": 1, "frozen": 2}])",
                            R"([{"scope": "u", "runs": 1, "train_runs": 1, "extra": 1}])",
                            R"([{"scope": "u", "runs": 1, "train_runs": 1}, {"scope": "u", "runs": 1, "train_runs": 1}])"})
      CHECK_THROWS_WITH_AS(parse_passes_metadata(bad, "m.onnx"), doctest::Contains("m.onnx: metadata sml.passes"), sml::InputError);
  }
}
