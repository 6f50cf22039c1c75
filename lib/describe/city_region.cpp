// Cities WordNet does not know (Pune, Bengaluru, Ikeja), placed through the generated GeoNames table.
#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>
#include <vector>

#include "geonames_cities.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/io/text.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

// Lower-case words of TEXT with their positions; a byte above 0x7f is part of a word ("são").
struct Word {
  std::string text;
  std::size_t at;
};
std::vector<Word> words_of(const std::string& lower) {
  std::vector<Word> out;
  for (std::size_t i = 0; i < lower.size();) {
    auto letter = [&](std::size_t k) {
      const unsigned char c = static_cast<unsigned char>(lower[k]);
      return std::isalpha(c) || c >= 0x80 || c == '\'';
    };
    if (!letter(i)) {
      // Punctuation ends a name: "Pune, Mumbai" are two.
      if (!std::isspace(static_cast<unsigned char>(lower[i])) && lower[i] != '-') out.push_back({"", i});
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < lower.size() && letter(j)) ++j;
    out.push_back({lower.substr(i, j - i), i});
    i = j;
  }
  return out;
}

}  // namespace

std::string region_by_city(const std::string& text) {
  static const std::unordered_map<std::string, std::string> table = [] {
    std::unordered_map<std::string, std::string> t;
    for (const auto& [name, country] : geonames_cities()) t.emplace(name, country);
    return t;
  }();
  const std::string lower = to_lower(text);
  const std::vector<Word> ws = words_of(lower);
  // "for": the place a forecast or a service is for ("electricity demand for Bareilly").
  static const std::vector<std::string> before = {"in", "near", "around", "from", "at", "outside", "across", "of", "for"};
  static const std::vector<std::string> sites = {"office", "offices", "warehouse", "warehouses", "datacentre", "datacenter",
                                                 "data", "centre", "center", "plant", "factory", "branch", "store", "shop",
                                                 "clinic", "hospital", "servers", "server", "site", "hq", "headquarters",
                                                 "team", "based", "campus", "depot"};
  auto one_of = [](const std::string& w, const std::vector<std::string>& list) {
    for (const auto& x : list)
      if (w == x) return true;
    return false;
  };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i].text.empty()) continue;
    for (std::size_t n = 3; n >= 1; --n) {
      if (i + n > ws.size()) continue;
      std::string name;
      bool whole = true;
      for (std::size_t k = i; k < i + n; ++k) {
        whole &= !ws[k].text.empty();
        name += (k > i ? " " : "") + ws[k].text;
      }
      if (!whole) continue;
      const auto hit = table.find(name);
      if (hit == table.end()) continue;
      // "of" only as "the ... of X"-free forms: "our office of Pune" is rare; "outskirts of Lagos" is kept.
      const bool placed_before = i > 0 && one_of(ws[i - 1].text, before) && (ws[i - 1].text != "of" || (i > 1 && (ws[i - 2].text == "outskirts" || ws[i - 2].text == "suburbs" || ws[i - 2].text == "city")));
      const bool placed_after = i + n < ws.size() && one_of(ws[i + n].text, sites);
      // "based in Pune": "in" already; "a Pune-based team": "based" follows.
      if ((placed_before || placed_after) && !place_is_shown(lower, ws[i].at)) return hit->second;
    }
  }
  return "";
}

std::pair<std::string, std::string> region_by_state_code(const std::string& text) {
  // USPS state codes (and DC); Canada Post province codes; the Australian states whose codes no US
  // state shares (WA and SA are left out: "Perth, WA" and "Seattle, WA" read alike).
  // Start-up time: the pattern is compiled only for a text with a comma before two capitals.
  bool comma_code = false;
  for (std::size_t i = text.find(','); i != std::string::npos && !comma_code; i = text.find(',', i + 1)) {
    std::size_t j = i + 1;
    while (j < text.size() && text[j] == ' ') ++j;
    comma_code = j + 1 < text.size() && std::isupper(static_cast<unsigned char>(text[j])) && std::isupper(static_cast<unsigned char>(text[j + 1]));
  }
  if (!comma_code) return {"", ""};
  static const std::string us = "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC";
  static const std::string ca = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT";
  static const std::string au = "NSW|VIC|QLD|TAS|ACT";
  // One to three capitalised words with a lower-case letter (no all-caps shouting: "PYTHON, OR
  // JAVA"), a comma, the code, then the end of the phrase or a postal code; never a capitalised word
  // after it ("Sure, OK Google").
  static const Regex address(R"((^|[^A-Za-z])((?:[A-Z][a-z][A-Za-z'.-]*\s+){0,2}[A-Z][a-z][A-Za-z'.-]*),\s*()" + us + "|" + ca + "|" + au +
                             R"()(?![A-Za-z])(?!\s+[A-Z][a-z]))");
  // Words that begin a reply or a sentence, not a town: "Thanks, OK", "Yes, OR both".
  static const std::vector<std::string> not_towns = {"Hi", "Hello", "Thanks", "Thank", "Yes", "No", "Ok", "Okay", "Sure", "Well",
                                                     "So", "And", "But", "Or", "Then", "Also", "Please", "Fine", "Right"};
  for (auto it = RegexIterator(text.begin(), text.end(), address); it != RegexIterator(); ++it) {
    const std::string town = (*it)[2].str();
    if (std::find(not_towns.begin(), not_towns.end(), town) != not_towns.end()) continue;
    if (place_is_shown(to_lower(text), static_cast<std::size_t>(it->position(2)))) continue;
    const std::string code = (*it)[3].str();
    const auto in = [&](const std::string& list) { return ("|" + list + "|").find("|" + code + "|") != std::string::npos; };
    const std::string country = in(us) ? "US" : in(ca) ? "CA" : "AU";
    return {country + "-" + code, country};
  }
  return {"", ""};
}

}  // namespace sml::describe
