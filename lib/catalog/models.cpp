#include "sml/catalog/models.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::catalog {
namespace {

std::optional<double> figure(const YamlFile& f, const YAML::Node& map, const std::string& key, std::string* source) {
  const Figure s = read_figure(f, map, key);
  if (source) *source = s.source;
  return s.value;
}

bool lower_is_better(const std::string& metric) {
  // Error measures: rates (word, character, phone, equal-error), distances and losses, ratios to a
  // baseline's error (Chronos' relative WQL and MASE), divergences.
  static const char* lower[] = {"wer", "cer", "per", "ter", "eer", "perplexity", "mse", "mae", "rmse", "mape", "smape", "abs-rel",
                                "sq-rel", "rmse-log", "fid", "kid", "wql", "wql-relative", "mase", "mase-relative", "crps", "log-loss",
                                "nll", "bits-per-byte", "bpc", "error-rate", "top1-error", "top5-error"};
  return std::any_of(std::begin(lower), std::end(lower), [&](const char* m) { return metric == m; });
}

}  // namespace

CatalogModel parse_model(const YamlFile& f) {
  return guarded(f, [&] {
    const YAML::Node& r = f.root;
    require_kind(f, "model/v1");
    CatalogModel m;
    m.file = f.name;
    m.id = get_string(f, r, "id");
    m.name = opt_string(f, r, "name").value_or(m.id);
    m.family = opt_string(f, r, "family").value_or("");
    for (const auto& kv : mapping(f, r, "family_scale")) m.family_scale[key_text(f, kv.first)] = kv.second.IsScalar() ? kv.second.Scalar() : "";
    for (const auto& t : sequence(f, r, "tasks")) m.tasks.push_back(key_text(f, t));
    if (m.tasks.empty()) throw InputError(where(f, r) + "model '" + m.id + "' names no task");
    if (r["input"] && r["input"].IsMap())
      for (const auto& k : sequence(f, r["input"], "reads")) m.reads.push_back(key_text(f, k));
    m.params = figure(f, r, "params", &m.params_source);
    if (r["params"] && r["params"].IsMap()) m.published_params_size_class = opt_string(f, r["params"], "size_class").value_or("");
    m.macs = figure(f, r, "macs", &m.macs_source);
    if (r["macs"] && r["macs"].IsMap()) m.published_macs_measured_with = opt_string(f, r["macs"], "measured_with").value_or("");
    m.flops_per_token = figure(f, r, "flops_per_token", nullptr);
    for (const auto& q : sequence(f, r, "quality")) {
      Quality x;
      x.metric = get_string(f, q, "metric");
      auto v = opt_number(f, q, "value");
      if (!v) continue;
      x.value = *v;
      x.dataset = opt_string(f, q, "dataset").value_or("");
      x.scale = opt_string(f, q, "scale").value_or("");
      x.source = get_string(f, q, "source");
      x.higher_is_better = !lower_is_better(x.metric);
      if ((x.scale.empty() || x.scale == "fraction") && (x.value < 0 || x.value > 1) && x.higher_is_better)
        throw InputError(where(f, q) + "quality " + x.metric + " " + std::to_string(x.value) + " is not a fraction (give 'scale')");
      m.quality.push_back(std::move(x));
    }
    for (const auto& p : sequence(f, r, "pretrained"))
      m.pretrained.push_back(opt_string(f, p, "where").value_or("?") + ":" + opt_string(f, p, "id").value_or("?"));
    if (const YAML::Node tc = r["training_cost"]; tc && tc.IsMap()) {
      m.training_device_hours = opt_number(f, tc, "device_hours");
      if (!m.training_device_hours) m.training_device_hours = opt_number(f, tc, "gpu_hours");
      m.training_device = opt_string(f, tc, "device").value_or("");
      m.training_cost_source = opt_string(f, tc, "source").value_or("");
    }
    if (const YAML::Node cv = r["convergence"]; cv && !cv.IsNull()) {
      if (!cv.IsMap()) throw InputError(where(f, cv) + "convergence: expected a mapping (epochs_factor, source)");
      const auto factor = opt_number(f, cv, "epochs_factor");
      if (!factor || *factor < 1) throw InputError(where(f, cv) + "convergence.epochs_factor: expected a number of at least 1");
      m.convergence_epochs_factor = *factor;
      m.convergence_source = get_string(f, cv, "source");
    }
    for (const auto& s : sequence(f, r, "segments"))
      m.segments.push_back({opt_string(f, s, "name").value_or(""), opt_string(f, s, "core").value_or("")});
    if (const YAML::Node cm = r["cost_model"]; cm && !cm.IsNull()) {
      if (!cm.IsMap()) throw InputError(where(f, cm) + "cost_model: expected a mapping (kind, trees, …)");
      cost::TreeEnsemble t;
      t.kind = get_string(f, cm, "kind");
      t.trees = opt_number(f, cm, "trees").value_or(0);
      t.max_depth = opt_number(f, cm, "max_depth").value_or(0);
      t.bins = opt_number(f, cm, "bins").value_or(0);
      t.subsample = opt_number(f, cm, "subsample").value_or(0);
      t.features = opt_number(f, cm, "features").value_or(0);
      t.source = get_string(f, cm, "source");
      std::string at = where(f, cm);
      at.resize(at.size() - 2);  // "file:line", without where()'s ": "
      cost::check_tree_ensemble(t, at);
      m.cost_model = t;
      // The ensemble's size at most (every tree full to its depth): what serving holds in memory.
      if (!m.params) {
        m.params = cost::tree_work(t, 1).stored_values;
        m.params_source = "not learned weights: at most " + std::to_string(static_cast<long long>(*m.params)) +
                          " node values (split or leaf) of the fitted ensemble, from cost_model";
      }
    }
    if (const YAML::Node c = r["composition"]; c && c.IsMap()) {
      m.arch = opt_string(f, c, "arch").value_or("");
      m.arch_where = where(f, c["arch"] ? c["arch"] : c);
      m.arch_where.resize(m.arch_where.size() - 2);  // without where()'s ": "
      m.arch_reason = opt_string(f, c, "reason").value_or("");
      m.num_classes = opt_number(f, c, "num_classes");
    }
    if (const YAML::Node l = r["languages"]; l && l.IsMap()) {  // natural languages it reads or writes
      m.languages.stated = true;
      for (const auto& x : sequence(f, l, "codes")) m.languages.codes.push_back(key_text(f, x));
      for (const auto& x : sequence(f, l, "pairs")) m.languages.pairs.push_back(key_text(f, x));
      m.languages.count = opt_nonnegative(f, l, "count");
      m.languages.many_to_many = l["many_to_many"] && l["many_to_many"].as<bool>();
      m.languages.source = opt_string(f, l, "source").value_or("");
    }
    return m;
  });
}

namespace {

// A figure typed to the unit (a whole number with 7 or more significant digits, such as
// torchvision's 11689512) is checked exactly; a rounded one (110.0e+6, 1.814e+9) within 1%.
bool exact_figure(double v) {
  return v == std::floor(v) && v >= 1e6 && std::fmod(v, 1000.0) != 0;
}

// catalog/derived.yaml: the costs sml-compose --derive-catalog counted from the built graphs.
void merge_derived(std::vector<CatalogModel>& models, const std::string& path) {
  if (!std::filesystem::exists(path)) return;
  const YamlFile f = load_yaml(path);
  guarded(f, [&] {
    require_kind(f, "derived/v1");
    for (const auto& row : sequence(f, f.root, "models")) {
      const std::string id = get_string(f, row, "id"), arch = get_string(f, row, "arch");
      auto it = std::find_if(models.begin(), models.end(), [&](const CatalogModel& m) { return m.id == id; });
      if (it == models.end() || it->arch != arch) continue;  // stale rows: the catalogue test fails on them
      CatalogModel& m = *it;
      const std::string from = "derived by sml-compose --derive-catalog from catalog/archs/" + arch + ".yaml at " +
                               opt_string(f, row, "input").value_or("its stated input") + " (catalog/derived.yaml)";
      m.derived = true;
      m.derived_input = opt_string(f, row, "input").value_or("");
      m.published_params = m.params;
      m.published_macs = m.macs;
      m.published_params_exact = m.params && exact_figure(*m.params);
      m.published_macs_exact = m.macs && exact_figure(*m.macs);
      m.params = opt_number(f, row, "params");
      m.macs = opt_number(f, row, "macs");
      m.params_source = m.macs_source = from;
      if (auto fpt = opt_number(f, row, "flops_per_token")) m.flops_per_token = fpt;
      m.audio_s = opt_number(f, row, "audio_s");
      if (const YAML::Node gen = mapping(f, row, "generation"); gen.size() > 0) {
        m.output_tokens = opt_number(f, gen, "output_tokens");
        m.token_macs = opt_number(f, gen, "token_macs");
        m.request_macs = opt_number(f, gen, "request_macs");
      }
    }
    return 0;
  });
}

}  // namespace

std::vector<CatalogModel> load_models(const std::string& dir) {
  std::vector<CatalogModel> models;
  for (const auto& path : yaml_files(dir, "the model catalogue", 1)) {
    CatalogModel m = parse_model(load_yaml(path));
    for (const auto& other : models)
      if (other.id == m.id) throw InputError(path + ": model id '" + m.id + "' is also defined in " + other.file);
    models.push_back(std::move(m));
  }
  if (models.empty()) throw InputError(dir + ": no model files");
  merge_derived(models, dir + "/../derived.yaml");
  return models;
}

}  // namespace sml::catalog
