#include "sml/describe/taxonomy.hpp"

#include <algorithm>
#include <utility>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/io/yaml_plain.hpp"

namespace sml::describe {
namespace {

std::vector<std::string> strings(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& v : sequence(f, map, key)) out.push_back(key_text(f, v));
  return out;
}

Task parse_task(const YamlFile& f) {
  return guarded(f, [&] {
    const YAML::Node& r = f.root;
    require_kind(f, "task/v1-taxonomy");
    Task t;
    t.id = get_string(f, r, "id");
    t.name = opt_string(f, r, "name").value_or(t.id);
    t.description = opt_string(f, r, "description").value_or("");
    t.modalities = strings(f, r, "modalities");
    for (const auto& s : sequence(f, r, "segments")) t.segments.push_back({get_string(f, s, "name"), opt_string(f, s, "role").value_or("")});
    for (const auto& m : sequence(f, r, "metrics")) t.metrics.emplace_back(get_string(f, m, "name"), opt_string(f, m, "meaning").value_or(""));
    t.data_scale = opt_string(f, r, "data_scale").value_or("");
    if (const YAML::Node td = mapping(f, r, "typical_data"); td.size()) {
      t.typical_samples = opt_number(f, td, "samples");
      t.typical_tokens_per_sample = opt_number(f, td, "tokens_per_sample");
      t.typical_dataset = opt_string(f, td, "dataset").value_or("");
      t.typical_source = get_string(f, td, "source");
    }
    t.vocabulary = strings(f, r, "vocabulary");
    t.negatives = strings(f, r, "negatives");
    t.examples = strings(f, r, "examples");
    return t;
  });
}

// READ given libyaml's tree of PATH first (every process reads these files: start-up), and
// yaml-cpp's on any doubt, so that every message is the one yaml-cpp's reading gives, with lines.
template <typename Read>
auto read_plain_first(const std::string& path, Read&& read) -> decltype(read(std::declval<const YamlFile&>())) {
  const std::string text = read_input(path);
  if (auto plain = parse_yaml_plain(text, display_name(path))) {
    try {
      return read(*plain);
    } catch (const std::exception&) {
    }
  }
  return read(parse_yaml(text, display_name(path)));
}

}  // namespace

std::vector<Task> load_taxonomy(const std::string& dir) {
  const auto files = yaml_files(dir, "the task taxonomy");
  std::vector<Task> tasks;
  for (const auto& path : files) {
    Task t = read_plain_first(path, parse_task);
    for (const auto& other : tasks)
      if (other.id == t.id) throw InputError(path + ": task id '" + t.id + "' is defined twice");
    tasks.push_back(std::move(t));
  }
  if (tasks.empty()) throw InputError(dir + ": no task files");
  return tasks;
}

std::vector<Task> load_out_of_scope(const std::string& path) {
  return read_plain_first(path, [](const YamlFile& f) { return guarded(f, [&] {
    require_kind(f, "task/v1-out-of-scope");
    std::vector<Task> groups;
    for (const auto& g : sequence(f, f.root, "groups")) {
      Task t;
      t.id = get_string(f, g, "id");
      t.name = get_string(f, g, "name");
      t.message = get_string(f, g, "message");
      t.vocabulary = strings(f, g, "vocabulary");
      t.out_of_scope = true;
      groups.push_back(std::move(t));
    }
    return groups;
  }); });
}

}  // namespace sml::describe
