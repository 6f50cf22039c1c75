// Stage 0: the task/v1 fields sml-suggest reads. A task sml-describe could not name (task: null,
// or its note that the text reads as something outside the catalogue) is read, not refused: the
// decision to decline is the pipeline's (suggest.cpp), so --anyway can override it.
#include <cstdlib>
#include <utility>
#include <vector>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

// Task quantities are sizes, rates and limits: a negative one is a broken task, not a figure.
std::optional<double> num(const YamlFile& f, const YAML::Node& m, const char* k) {
  return m && m.IsMap() ? opt_nonnegative(f, m, k) : std::nullopt;
}

// A list entry that is a name, or a map naming one under `id` or `name`.
std::string entry_name(const YamlFile& f, const YAML::Node& n) {
  if (n.IsMap()) return n["id"] ? get_string(f, n, "id") : get_string(f, n, "name");
  return key_text(f, n);
}

}  // namespace

Task read_task(const std::string& text, const std::string& name) {
  const std::string kind = document_kind(text);
  if (kind != "task/v1")
    throw InputError(name + ": expected a task/v1 document (from sml-describe), got " + what_it_is(text));
  const YamlFile f = parse_yaml(text, name);
  return guarded(f, [&] {
    Task t;
    const YAML::Node task = f.root["task"];
    if (!task) require(f, f.root, "task");  // absent altogether: the usual message
    if (task.IsMap()) {
      t.id = opt_string(f, task, "id").value_or("");
      t.confidence = opt_number(f, task, "confidence");
      for (const auto& a : sequence(f, task, "alternatives")) t.alternatives.push_back(entry_name(f, a));
      // sml-describe's note for a request it recognised as outside the catalogue.
      const std::string note = opt_string(f, task, "note").value_or("");
      if (note.rfind("this reads as", 0) == 0) t.reason = note;
    } else if (!task.IsNull()) {
      throw InputError(where(f, task) + "task: expected a mapping with an id, or null");
    }
    if (auto r = opt_string(f, f.root, "task_reason")) t.reason = *r;
    // A task sml-describe declined still names the tasks it came nearest to: --anyway covers them.
    for (const auto& a : sequence(f, f.root, "nearest_tasks")) t.alternatives.push_back(entry_name(f, a));
    if (t.id.empty() && t.reason.empty()) t.reason = "sml-describe named no task";
    for (const auto& m : sequence(f, f.root, "modalities")) t.modalities.push_back(key_text(f, m));
    for (const auto& s : sequence(f, f.root, "segments")) t.segments.push_back(key_text(f, s));
    for (const auto& o : sequence(f, f.root, "objectives")) t.objectives.push_back(entry_name(f, o));
    const YAML::Node c = mapping(f, f.root, "constraints");
    t.latency_s = num(f, c, "latency_s");
    t.throughput_fps = num(f, c, "throughput_fps");
    t.accuracy_min = num(f, c, "accuracy_min");
    t.memory_bytes = num(f, c, "memory_bytes");
    t.co2e_kg_max = num(f, c, "co2e_kg_max");
    t.energy_kwh_max = num(f, c, "energy_kwh_max");
    t.data_samples = num(f, c, "data_samples");
    t.classes = num(f, c, "classes");
    t.params_max = num(f, c, "params_max");
    t.data_bytes = num(f, c, "data_bytes");
    t.macs_max = num(f, c, "macs_max");
    // constraints.image_size_px: [width, height] of the frames the text states ("1280x720", "1080p").
    if (c && c.IsMap() && c["image_size_px"]) {
      const YAML::Node size = sequence(f, c, "image_size_px");
      std::vector<double> wh;
      for (const auto& v : size) {
        if (!v.IsScalar()) throw InputError(where(f, v) + "constraints.image_size_px: expected [width, height] in pixels");
        char* end = nullptr;
        const double x = std::strtod(v.Scalar().c_str(), &end);
        if (end == v.Scalar().c_str() || *end || !(x >= 1 && x <= 1e5))
          throw InputError(where(f, v) + "constraints.image_size_px: '" + v.Scalar() + "' is no pixel count (1 to 100000)");
        wh.push_back(x);
      }
      if (wh.size() != 2) throw InputError(where(f, size) + "constraints.image_size_px: expected [width, height] in pixels");
      t.image_size_px = std::make_pair(wh[0], wh[1]);
    }
    const YAML::Node l = mapping(f, f.root, "languages");
    if (l.size() > 0) {
      for (const auto& x : sequence(f, l, "source")) t.source_languages.push_back(key_text(f, x));
      for (const auto& x : sequence(f, l, "target")) t.target_languages.push_back(key_text(f, x));
      t.language_count = num(f, l, "count");
    }
    const YAML::Node tr = mapping(f, f.root, "training");
    if (tr.size() > 0) t.training_device = opt_string(f, tr, "device").value_or("");
    const YAML::Node d = mapping(f, f.root, "deployment");
    if (d.size() > 0) {
      t.device = opt_string(f, d, "device").value_or("");
      t.device_text = opt_string(f, d, "device_text").value_or("");
      t.device_assumed = opt_string(f, d, "device_assumed").value_or("");
      t.region = opt_string(f, d, "region").value_or("");
      t.queries_per_day = opt_nonnegative(f, d, "queries_per_day");
      t.years = opt_nonnegative(f, d, "years");
      if (const auto c = opt_string(f, d, "continuous")) {
        if (*c != "true" && *c != "false") throw InputError(where(f, d["continuous"]) + "deployment.continuous must be true or false, not '" + *c + "'");
        t.continuous = *c == "true";
      }
    }
    return t;
  });
}

}  // namespace sml::suggest
