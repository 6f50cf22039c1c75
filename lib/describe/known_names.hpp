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

// A country TEXT places the work in ("farms in Malawi", "our Czech Republic office"), by any of its
// ISO 3166-1 English names written as ISO spells them (iso3166_names.hpp): its alpha-2 code and the
// name as written. Placed as region_by_holonym's names are: a place word before it or a site after.
struct NamedCountry {
  std::string code, text;
};
std::optional<NamedCountry> country_by_name(const std::string& text);

}  // namespace sml::describe
