#pragma once
// The names sml-describe finds devices and places by, read from the device and region catalogues,
// and places WordNet puts inside a catalogue region (known_names.cpp).
#include <optional>
#include <string>

#include "sml/describe/constraints.hpp"
#include "sml/describe/lexicon.hpp"

namespace sml::describe {

// Device names people write: ids, aliases with spaces for dashes, and names without the vendor;
// region names, ids and the place names of geonames_cities.hpp that fall in a catalogue region.
KnownNames known_names(const std::string& hw_dir, const std::string& catalog_dir);

// The region of a place name in TEXT that WordNet places inside a catalogue region (part holonyms:
// Istanbul -> Turkey, Crete -> Greece, Manila -> Philippines, Auckland -> New Zealand).
std::optional<std::string> region_by_holonym(const std::string& text, const KnownNames& names, const Lexicon& lexicon);

}  // namespace sml::describe
