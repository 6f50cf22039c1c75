// Reading our YAML data and documents with messages that name the file and line, and with
// limits on hostile input (nesting depth, anchors/aliases): DESIGN.md §5.
#pragma once
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "sml/io/figure.hpp"

namespace sml {

// A parsed YAML file plus its name, for messages "FILE:LINE: what".
struct YamlFile {
  std::string name;
  YAML::Node root;
};

// Parses TEXT (named NAME in messages). Refuses nesting deeper than 64 and any alias (`*x`):
// our documents never need them, and alias expansion is how YAML bombs work. InputError on failure.
YamlFile parse_yaml(const std::string& text, const std::string& name);
YamlFile load_yaml(const std::string& path);  // "-" reads stdin

// "FILE:LINE: " for NODE (line 1-based), or "FILE: " when the node has no mark.
std::string where(const YamlFile& file, const YAML::Node& node);

// Typed access; a wrong type or a missing required key is an InputError naming file, line, key.
const YAML::Node require(const YamlFile& f, const YAML::Node& map, const std::string& key);
std::string get_string(const YamlFile& f, const YAML::Node& map, const std::string& key);
std::optional<std::string> opt_string(const YamlFile& f, const YAML::Node& map, const std::string& key);
// A number, or nullopt when the key is absent or null. Refuses NaN and infinities.
std::optional<double> opt_number(const YamlFile& f, const YAML::Node& map, const std::string& key);
double get_number(const YamlFile& f, const YAML::Node& map, const std::string& key);
// As opt_number, refusing a negative value ("expected a number ≥ 0").
std::optional<double> opt_nonnegative(const YamlFile& f, const YAML::Node& map, const std::string& key);
// A whole number in [MIN, MAX] (years, counts), or nullopt when absent or null.
std::optional<long long> opt_integer(const YamlFile& f, const YAML::Node& map, const std::string& key, long long min,
                                     long long max);

// The document's `sml:` kind must be KIND; InputError naming the file otherwise.
void require_kind(const YamlFile& f, const std::string& kind);

// A catalogue figure: {value, source, year} or {value: null, reason}. A bare number is refused,
// since every figure in a catalogue carries its source; a negative value is refused too.
Figure read_figure(const YamlFile& f, const YAML::Node& map, const std::string& key);

// A sequence under KEY (absent: an empty one); a mapping or scalar there is an InputError.
YAML::Node sequence(const YamlFile& f, const YAML::Node& map, const std::string& key);
// A mapping under KEY (absent: an empty one); a list or scalar there is an InputError.
YAML::Node mapping(const YamlFile& f, const YAML::Node& map, const std::string& key);
// A map key as text; a non-scalar key is an InputError.
std::string key_text(const YamlFile& f, const YAML::Node& key);

[[noreturn]] void throw_malformed(const YamlFile& f, const YAML::Exception& e);

// Runs READ, turning yaml-cpp's own exceptions (a mapping used as a list, a key that is not a
// scalar…) into an InputError naming the file: no reader lets them escape.
template <typename Read>
auto guarded(const YamlFile& f, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const YAML::Exception& e) {
    throw_malformed(f, e);
  }
}

// The *.yaml files in DIR (and in its subfolders, DEPTH levels down), sorted; hidden files are
// skipped. InputError naming WHAT when DIR cannot be opened.
std::vector<std::string> yaml_files(const std::string& dir, const std::string& what, int depth = 0);

// The document kind of TEXT ("estimate/v1"): the value of the first non-comment line when it is
// `sml: KIND`, else empty (then the input is not one of our documents).
std::string document_kind(const std::string& text);
// What TEXT is, for "expected X, got …" messages: its kind, "binary data (an ONNX model?)", or
// "text that is not an sml document".
std::string what_it_is(const std::string& text);

}  // namespace sml
