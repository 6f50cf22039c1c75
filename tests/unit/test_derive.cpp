// The catalogue's derived costs (issue 13): every catalogue model that names an architecture is
// rebuilt here and counted; the counts must equal catalog/derived.yaml (regenerate it with
// `sml-compose --derive-catalog -o catalog/derived.yaml`) and the published figures its entry
// carries (model cards, papers: the references we did not compute), within 1% for a rounded
// figure (half a unit for a one-digit one) and exactly for one given to the unit.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sml/catalog/models.hpp"
#include "sml/compose/derive.hpp"

namespace sc = sml::compose;

namespace {
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// How far a published figure may be from ours: 0 for one given to the unit; for a rounded one, 1%
// or half a unit of its last significant digit, whichever is wider: torchvision documents
// ShuffleNetV2 x0.5 as 0.04 GFLOPS (anything from 0.035 to 0.045), the SegFormer paper B0 as 3.8 M
// parameters (3.75 to 3.85 M), both wider than 1%.
double tolerance(double published, bool exact) {
  if (exact) return 0;
  const double whole = std::round(published);
  double unit = 1;
  while (unit * 10 <= whole && std::fmod(whole, unit * 10) == 0) unit *= 10;
  return std::max(0.01 * published, unit / 2);
}

std::string both(const std::string& what, double derived, double published) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: derived %.0f, published %.0f (%+.2f%%)", what.c_str(), derived, published,
                100 * (derived - published) / published);
  return buf;
}
}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("derived costs: every architecture rebuilds to catalog/derived.yaml and matches its published figures") {
    const auto rows = sc::derive_catalog(kCatalog);
    const YAML::Node table = YAML::LoadFile(kCatalog + "/derived.yaml");
    REQUIRE(table["sml"].as<std::string>() == "derived/v1");
    std::map<std::string, YAML::Node> stored;
    for (std::size_t i = 0; i < table["models"].size(); ++i) stored[table["models"][i]["id"].as<std::string>()] = table["models"][i];
    CHECK_MESSAGE(stored.size() == rows.size(), "catalog/derived.yaml is stale: regenerate it with sml-compose --derive-catalog");
    std::map<std::string, sml::catalog::CatalogModel> models;
    for (auto& m : sml::catalog::load_models(kCatalog + "/models")) models[m.id] = m;
    for (const auto& r : rows) {
      CAPTURE(r.id);
      CHECK(r.uncounted.empty());
      REQUIRE_MESSAGE(stored.count(r.id), std::string("catalog/derived.yaml has no row for " + r.id + ": regenerate it"));
      const YAML::Node s = stored[r.id];
      CHECK(s["arch"].as<std::string>() == r.arch);
      CHECK(s["input"].as<std::string>() == r.input);
      CHECK(s["params"].as<long long>() == r.params);
      CHECK(s["macs"].as<long long>() == std::llround(r.macs));
      CHECK(s["flops"].as<long long>() == std::llround(r.flops));
      if (r.flops_per_token) CHECK(s["flops_per_token"].as<long long>() == std::llround(*r.flops_per_token));
      CHECK(static_cast<bool>(s["generation"]) == r.generation.has_value());  // issue 13: encoder once + a step per token
      if (r.generation && s["generation"]) {
        CHECK(s["generation"]["request_macs"].as<long long>() == std::llround(r.generation->request_macs));
        CHECK(s["generation"]["token_macs"].as<long long>() == std::llround(r.generation->token_macs));
        CHECK(s["generation"]["step_params"].as<long long>() == r.generation->step_params);
        CHECK(models.at(r.id).request_macs == std::llround(r.generation->request_macs));  // the loader took them
      }
      const auto& m = models.at(r.id);
      REQUIRE(m.derived);  // the loader took the derived figures
      CHECK(*m.params == static_cast<double>(r.params));
      CHECK(*m.macs == std::llround(r.macs));
      if (m.published_params && !m.published_params_size_class.empty()) {
        MESSAGE(both("params (a size class, not checked: " + m.published_params_size_class + ")", static_cast<double>(r.params), *m.published_params));
      } else if (m.published_params) {
        const double tol = tolerance(*m.published_params, m.published_params_exact);
        CHECK_MESSAGE(std::fabs(static_cast<double>(r.params) - *m.published_params) <= tol,
                      both("params", static_cast<double>(r.params), *m.published_params));
      }
      if (m.published_macs && !m.published_macs_measured_with.empty()) {
        MESSAGE(both("macs (measured at another setting, not checked: " + m.published_macs_measured_with + ")", r.macs, *m.published_macs));
      } else if (m.published_macs) {
        const double tol = tolerance(*m.published_macs, m.published_macs_exact);
        CHECK_MESSAGE(std::fabs(r.macs - *m.published_macs) <= tol, both("macs", r.macs, *m.published_macs));
      }
    }
  }

  TEST_CASE("derived costs: torchvision's classifiers build to its num_params exactly and its GFLOPS within 0.5%") {
    // torchvision's model tables give num_params to the unit and GFLOPS (multiply-accumulates) to
    // three decimals; every classifier built from catalog/archs must meet both, not just the 1% rule.
    int checked = 0;
    for (const auto& m : sml::catalog::load_models(kCatalog + "/models")) {
      if (!m.derived || !m.published_macs || !m.published_params) continue;
      const bool classifier = std::find(m.tasks.begin(), m.tasks.end(), "image-classification") != m.tasks.end();
      if (!classifier || m.file.find("/vision/") == std::string::npos) continue;
      const double macs = *m.published_macs;
      const double two = macs / std::pow(10.0, std::floor(std::log10(macs)) - 1);  // written with two digits or fewer?
      if (std::fabs(two - std::round(two)) < 1e-6 || !m.published_params_exact) continue;
      CAPTURE(m.id);
      CHECK(*m.params == *m.published_params);
      CHECK_MESSAGE(std::fabs(*m.macs - macs) <= 0.005 * macs, both("macs", *m.macs, macs));
      ++checked;
    }
    CHECK(checked >= 45);  // the ImageNet classifiers of catalog/models/vision
  }

  TEST_CASE("derived costs: every entry without an architecture says why") {
    for (const auto& m : sml::catalog::load_models(kCatalog + "/models")) {
      CAPTURE(m.id);
      if (m.arch.empty()) CHECK(!m.arch_reason.empty());
    }
  }

  TEST_CASE("decoder cores: GPT-2 and the Llama family count as derived by hand") {
    // GPT-2 (tied head): wte 50,257·768 = 38,597,376; wpe 1,024·768 = 786,432; per block
    //   2·1,536 (LayerNorms) + 4·(768² + 768) (q, k, v, out) + 768·3,072 + 3,072 + 3,072·768 + 768
    //   = 3,072 + 2,362,368 + 4,722,432 = 7,087,872, × 12 = 85,054,464; ln_f 1,536; the head
    //   shares wte. Total 124,439,808 (the count Hugging Face's GPT2LMHeadModel reports).
    const auto gpt2 = sc::profile_composition(sc::catalog_composition("gpt2", kCatalog));
    CHECK(gpt2.params == 124439808);
    CHECK(gpt2.uncounted.empty());
    // Llama-2-7B (untied): embed and head 2·32,000·4,096 = 262,144,000; per block 4·4,096²
    //   (q, k, v, o) + 3·4,096·11,008 (gate, up, down) + 2·4,096 (RMSNorms) = 67,108,864 +
    //   135,266,304 + 8,192 = 202,383,360, × 32 = 6,476,267,520; final norm 4,096.
    //   Total 6,738,415,616. Built shape-only: no 27 GB of weights drawn.
    const auto llama = sc::profile_composition(sc::catalog_composition("llama-2-7b", kCatalog));
    CHECK(llama.params == 6738415616LL);
    // Grouped-query attention (TinyLlama: 4 KV heads of 64 for 32 query heads): per block
    //   q 2,048² + k, v 2·2,048·256 + o 2,048² = 9,437,184; MLP 3·2,048·5,632 = 34,603,008;
    //   norms 4,096: 44,044,288 × 22 = 968,974,336; embed + head 2·32,000·2,048 = 131,072,000;
    //   final norm 2,048. Total 1,100,048,384.
    const auto tiny = sc::profile_composition(sc::catalog_composition("tinyllama-1-1b", kCatalog));
    CHECK(tiny.params == 1100048384LL);
    // Rotary positions are computed in the graph from integer positions: no parameters, and
    // per token a decoder's forward work is about 2 × params plus attention.
    CHECK(tiny.flops / 1024 > 2.0 * (1100048384.0 - 32000.0 * 2048));
  }
}
