#pragma once
// English names of the ISO 3166-1 countries (generated: tools/sml-describe/gen_iso3166_names.py).
#include <string>
#include <utility>
#include <vector>

namespace sml::describe {

// (English name as ISO spells it, capitals kept; ISO 3166-1 alpha-2 code), sorted by name.
const std::vector<std::pair<std::string, std::string>>& iso3166_names();

}  // namespace sml::describe
