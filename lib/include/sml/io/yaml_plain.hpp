// A fast reader for the plain YAML our catalogue files are written in, with yaml-cpp's reading as
// the fallback and the reference.
#pragma once
#include <optional>
#include <string>

#include "sml/io/yaml_file.hpp"

namespace sml {

// TEXT parsed with libyaml into the same YAML::Node tree YAML::Load builds (node types, scalars,
// plain scalars ~/null/Null/NULL/empty as null, tags "?" for plain and "!" for quoted nodes, flow
// or block style), or nullopt when the text is anything else: a libyaml error, an anchor, alias
// or explicit tag, a block scalar (| or >), a key that is not a scalar or repeats, nesting deeper
// than parse_yaml allows, or more than one document. The nodes carry no marks, so a caller that
// finds the tree wrong (a missing key, a wrong type) re-reads the text with parse_yaml for the
// message with the line. Why: yaml-cpp's scanner took about 1,000 instructions a byte, a quarter of
// every sml-describe run going to the 124 KB of task files (callgrind, 2026-12-06); libyaml reads
// them for a tenth of that.
std::optional<YamlFile> parse_yaml_plain(const std::string& text, const std::string& name);

}  // namespace sml
