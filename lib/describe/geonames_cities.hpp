#pragma once
// GeoNames cities WordNet does not place (generated: tools/sml-describe/gen_geonames_cities.py).
#include <string>
#include <utility>
#include <vector>

namespace sml::describe {

// (lower-case city name, ISO 3166-1 alpha-2 country code), sorted by name: cities of at least
// 100,000 people from Debian's libgeonames0, names that are common English words, WordNet nouns or
// shared by two countries left out.
const std::vector<std::pair<std::string, std::string>>& geonames_cities();

// (lower-case city name, ISO 3166-1 alpha-2 country code), sorted by name: WordNet city names that
// cities of at least 100,000 people in two countries share, with the country whose city has at
// least twice the people of the next ("hyderabad" -> IN). WordNet places both and says not which
// one a writer means; the larger is the likelier.
const std::vector<std::pair<std::string, std::string>>& geonames_larger_namesakes();

}  // namespace sml::describe

namespace sml::describe {

// The country (ISO 3166-1 alpha-2) of a GeoNames city TEXT names as where the organisation, its
// users or machines are: after "in", "near", "around", "from", "at", "outside", "for", "based in", or before
// "-based" or a word for a site ("office", "warehouse", "datacentre"). A bare name is no place here: a
// city may share its name with a person ("Thanks, Nigel"). A place the data only shows ("tiles of
// ...") is skipped. Empty when none.
std::string region_by_city(const std::string& text);

// A town followed by its state or province code, as North American addresses write it ("Altadena,
// CA", "Kingston, ON K7L"): the subdivision ("US-CA", "CA-ON") and its country ("US", "CA"), or two
// empty strings. Read on TEXT as written: the code is in capitals, the town capitalised.
std::pair<std::string, std::string> region_by_state_code(const std::string& text);

}  // namespace sml::describe
