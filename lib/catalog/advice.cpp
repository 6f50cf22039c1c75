#include "sml/catalog/advice.hpp"

#include <algorithm>
#include <set>

#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::catalog {
namespace {

const std::set<std::string> kListKeys = {"task.id", "task.modalities", "deployment.device_class", "plan.precision",
                                         "model.family", "model.training"};
const std::set<std::string> kNumberKeys = {"constraints.data_samples_max", "constraints.data_samples_min",
                                           "constraints.latency_s_max", "constraints.memory_bytes_max",
                                           "plan.region_kg_per_kwh_min", "model.params_min", "model.params_max"};
const std::set<std::string> kFlagKeys = {"plan.pretrained_available"};

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

bool AdviceRule::applies(const AdviceContext& c) const {
  for (const auto& w : when) {
    const std::string& k = w.key;
    if (k == "task.id" && !contains(w.any_of, c.task_id)) return false;
    if (k == "task.modalities" &&
        std::none_of(c.modalities.begin(), c.modalities.end(), [&](const std::string& m) { return contains(w.any_of, m); }))
      return false;
    if (k == "deployment.device_class" && !contains(w.any_of, c.device_class)) return false;
    if (k == "plan.precision" && !contains(w.any_of, c.precision)) return false;
    if (k == "model.family" && !contains(w.any_of, c.model_family)) return false;
    if (k == "model.training" && !contains(w.any_of, c.training)) return false;
    auto at_most = [&](const std::optional<double>& v) { return v && *v <= *w.number; };
    auto at_least = [&](const std::optional<double>& v) { return v && *v >= *w.number; };
    if (k == "constraints.data_samples_max" && !at_most(c.data_samples)) return false;
    if (k == "constraints.data_samples_min" && !at_least(c.data_samples)) return false;
    if (k == "constraints.latency_s_max" && !at_most(c.latency_s)) return false;
    if (k == "constraints.memory_bytes_max" && !at_most(c.memory_bytes)) return false;
    if (k == "plan.region_kg_per_kwh_min" && !at_least(c.region_kg_per_kwh)) return false;
    if (k == "model.params_min" && !at_least(c.model_params)) return false;
    if (k == "model.params_max" && !at_most(c.model_params)) return false;
    if (k == "plan.pretrained_available" && (!c.pretrained_available || *c.pretrained_available != *w.flag)) return false;
  }
  return true;
}

std::vector<AdviceRule> load_advice(const std::string& path) { return parse_advice(load_yaml(path)); }

std::vector<AdviceRule> parse_advice(const YamlFile& f) {
  return guarded(f, [&] {
    require_kind(f, "advice/v1");
    std::vector<AdviceRule> rules;
    for (const auto& r : sequence(f, f.root, "rules")) {
      AdviceRule a;
      a.id = get_string(f, r, "id");
      a.kind = get_string(f, r, "kind");
      a.message = get_string(f, r, "message");
      a.citation = get_string(f, r, "citation");
      for (const auto& kv : mapping(f, r, "when")) {
        Condition c;
        c.key = key_text(f, kv.first);
        if (kListKeys.count(c.key)) {
          if (kv.second.IsSequence())
            for (const auto& v : kv.second) c.any_of.push_back(key_text(f, v));
          else
            c.any_of.push_back(key_text(f, kv.second));
        } else if (kNumberKeys.count(c.key)) {
          c.number = get_number(f, r["when"], c.key);
        } else if (kFlagKeys.count(c.key)) {
          c.flag = kv.second.as<bool>();
        } else {
          throw InputError(where(f, kv.first) + "rule '" + a.id + "': condition key '" + c.key + "' is not understood");
        }
        a.when.push_back(std::move(c));
      }
      const YAML::Node s = mapping(f, r, "saving");
      a.saving = opt_number(f, s, "value");
      if (a.saving) {
        a.saving_of = get_string(f, s, "of");
        a.saving_source = get_string(f, s, "source");
        if (*a.saving < 0 || *a.saving > 1) throw InputError(where(f, s) + "rule '" + a.id + "': saving is a fraction in [0, 1]");
      } else {
        a.saving_reason = opt_string(f, s, "reason").value_or("no published figure");
      }
      for (const auto& other : rules)
        if (other.id == a.id) throw InputError(where(f, r) + "rule id '" + a.id + "' is used twice");
      rules.push_back(std::move(a));
    }
    return rules;
  });
}

}  // namespace sml::catalog
