#pragma once
// English names of the ISO 639-1 languages (generated: tools/sml-describe/gen_iso639_names.py).
#include <string>
#include <utility>
#include <vector>

namespace sml::describe {

// (lower-case English name, ISO 639-1 code), names that are also common English words or country
// names left out.
const std::vector<std::pair<std::string, std::string>>& iso639_names();

}  // namespace sml::describe
