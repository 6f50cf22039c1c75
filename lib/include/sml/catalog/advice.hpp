// Advice rules (catalog/advice/rules.yaml, advice/v1): best practices, efficient alternatives and
// known negative results, each with the condition under which it applies, the published saving
// (or null with the reason) and a citation.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace sml {
struct YamlFile;
}

namespace sml::catalog {

// What a rule's condition is checked against; unknown values make a condition false.
struct AdviceContext {
  std::string task_id;
  std::vector<std::string> modalities;
  std::optional<double> data_samples, latency_s, memory_bytes;
  std::string device_class, precision;
  std::optional<double> region_kg_per_kwh;
  std::optional<bool> pretrained_available;
  std::string model_family, training;  // training: scratch or finetune
  std::optional<double> model_params;
};

struct Condition {
  std::string key;
  std::vector<std::string> any_of;       // list-valued keys
  std::optional<double> number;          // numeric keys
  std::optional<bool> flag;              // boolean keys
};

struct AdviceRule {
  std::string id, kind, message, citation;
  std::vector<Condition> when;
  std::optional<double> saving;
  std::string saving_of, saving_source, saving_reason;

  bool applies(const AdviceContext& context) const;
};

// InputError (file:line) for a malformed rule or a condition key that is not understood.
std::vector<AdviceRule> load_advice(const std::string& path);
std::vector<AdviceRule> parse_advice(const YamlFile& file);  // the same, from the parsed file

}  // namespace sml::catalog
