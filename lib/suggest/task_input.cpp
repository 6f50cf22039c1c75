// Stage 0: the task/v1 fields sml-suggest reads.
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

std::optional<double> num(const YamlFile& f, const YAML::Node& m, const char* k) {
  return m && m.IsMap() ? opt_number(f, m, k) : std::nullopt;
}

}  // namespace

Task read_task(const std::string& text, const std::string& name) {
  const std::string kind = document_kind(text);
  if (kind != "task/v1")
    throw InputError(name + ": expected a task/v1 document (from sml-describe), got " + what_it_is(text));
  const YamlFile f = parse_yaml(text, name);
  return guarded(f, [&] {
    Task t;
    const YAML::Node task = require(f, f.root, "task");
    t.id = get_string(f, task, "id");
    for (const auto& m : sequence(f, f.root, "modalities")) t.modalities.push_back(key_text(f, m));
    for (const auto& s : sequence(f, f.root, "segments")) t.segments.push_back(key_text(f, s));
    const YAML::Node c = f.root["constraints"];
    t.latency_s = num(f, c, "latency_s");
    t.accuracy_min = num(f, c, "accuracy_min");
    t.memory_bytes = num(f, c, "memory_bytes");
    t.co2e_kg_max = num(f, c, "co2e_kg_max");
    t.data_samples = num(f, c, "data_samples");
    t.classes = num(f, c, "classes");
    const YAML::Node d = f.root["deployment"];
    if (d && d.IsMap()) {
      t.device = opt_string(f, d, "device").value_or("");
      t.region = opt_string(f, d, "region").value_or("");
      t.queries_per_day = opt_number(f, d, "queries_per_day");
      t.years = opt_number(f, d, "years");
    }
    return t;
  });
}

}  // namespace sml::suggest
