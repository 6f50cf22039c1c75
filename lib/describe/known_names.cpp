#include "known_names.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "geonames_cities.hpp"
#include "iso3166_names.hpp"
#include "sml/describe/settings.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::describe {
namespace {

// The id, name, kind and aliases of each entry of a catalogue file, read line by line. Only names
// are needed to find devices and places in a text, and yaml-cpp takes about 50 ms to parse the
// device and region catalogues in full, as long as everything else sml-describe does; those files
// are checked in full by sml-estimate and the catalogue tests, so a light read suffices here.
struct NamedEntry {
  std::string id, name, kind;
  std::vector<std::string> aliases;
};
std::string trim(const std::string& v) {
  const auto b = v.find_first_not_of(" \t\r"), e = v.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : v.substr(b, e - b + 1);
}
std::string scalar_value(std::string v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return v;
}
std::vector<NamedEntry> scan_entries(const std::string& path, bool list) {
  std::vector<NamedEntry> out;
  std::istringstream in(read_input(path));
  std::string line;
  const std::string id_key = list ? "- id:" : "id:", field = list ? "  " : "";
  while (std::getline(in, line)) {
    if (line.rfind(id_key, 0) == 0) {
      out.push_back({scalar_value(line.substr(id_key.size())), "", "", {}});
      continue;
    }
    if (out.empty() || line.rfind(field, 0) != 0) continue;
    const std::string rest = line.substr(field.size());
    if (rest.rfind("name:", 0) == 0) out.back().name = scalar_value(rest.substr(5));
    else if (rest.rfind("kind:", 0) == 0 || rest.rfind("class:", 0) == 0) out.back().kind = scalar_value(rest.substr(rest.find(':') + 1));
    else if (rest.rfind("aliases:", 0) == 0) {
      std::string v = trim(rest.substr(8));
      if (v.size() >= 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
      std::istringstream items(v);
      for (std::string a; std::getline(items, a, ',');)
        if (!trim(a).empty()) out.back().aliases.push_back(to_lower(scalar_value(a)));
    }
  }
  return out;
}

}  // namespace

// Device names people write: ids, aliases with spaces for dashes, and names without the vendor.
KnownNames known_names(const std::string& hw_dir, const std::string& catalog_dir) {
  KnownNames k;
  for (const auto& file : yaml_files(data_dir("hw", hw_dir) + "/devices", "the device catalogue")) {
    for (const auto& d : scan_entries(file, false)) {
      if (d.kind == "edge-board") k.boards.insert(d.id);
      std::vector<std::string> names = {d.id, to_lower(d.name)};
      const auto paren = names[1].find(" (");
      if (paren != std::string::npos) names.push_back(names[1].substr(0, paren));  // "… 8380 (ice lake-sp)"
      for (const auto& a : d.aliases) names.push_back(a);
      for (const auto& full : std::vector<std::string>(names.begin() + 1, names.end())) {
        const auto space = full.find(' ');
        if (space != std::string::npos) names.push_back(full.substr(space + 1));  // without the vendor
      }
      for (auto name : std::vector<std::string>(names)) {
        std::replace(name.begin(), name.end(), '-', ' ');
        names.push_back(name);
      }
      for (const auto& n : names)
        if (n.size() >= 2 && !std::all_of(n.begin(), n.end(), ::isdigit)) k.devices.emplace_back(n, d.id);
    }
  }
  const auto regions = scan_entries(data_dir("catalog", catalog_dir) + "/regions.yaml", true);
  for (const auto& r : regions) {
    if (r.kind == "cloud") {
      k.regions.emplace_back(to_lower(r.id), r.id);
      // People write the region's code without the provider ("Bedrock in eu-north-1", "our
      // europe-west4 bucket"): the code alone names the region where no other provider uses it.
      const std::string code = to_lower(r.id.substr(r.id.find(':') + 1));
      const auto same_code = [&](const NamedEntry& o) { return o.kind == "cloud" && to_lower(o.id.substr(o.id.find(':') + 1)) == code; };
      if (code.size() >= 6 && std::count_if(regions.begin(), regions.end(), same_code) == 1) k.regions.emplace_back(code, r.id);
      continue;
    }
    std::string name = to_lower(r.name);
    const auto paren = name.find(" (");
    if (paren != std::string::npos) name = name.substr(0, paren);  // "virginia (us), egrid…" -> "virginia"
    if (r.kind != "world" && r.kind != "union") k.regions.emplace_back(name, r.id);
    if (r.id.find('-') != std::string::npos) k.regions.emplace_back(to_lower(r.id), r.id);
  }
  // Adjective × noun phrases run to thousands: look the ids up in a set, not the region list.
  std::set<std::string> region_ids;
  for (const auto& r : regions) region_ids.insert(r.id);
  for (auto& place : place_names())
    if (region_ids.count(place.second)) k.regions.push_back(std::move(place));
  return k;
}

namespace {
// Words that place a name as where the writer, its users or machines are: a preposition of place
// before it ("in Crete", "from Manila") or a site after it ("Auckland office", "Bali-based").
const std::set<std::string>& placing_words() {
  static const std::set<std::string> placing = {"in", "near", "around", "from", "at", "outside", "across", "for",
                                                "throughout", "within", "to", "of", "on"};
  return placing;
}
const std::set<std::string>& site_words() {
  static const std::set<std::string> sites = {"office", "offices", "warehouse", "warehouses", "datacentre", "datacenter",
                                              "data", "plant", "factory", "branch", "store", "stores", "shop", "shops",
                                              "clinic", "hospital", "server", "servers", "site", "sites", "hq",
                                              "headquarters", "team", "based", "campus", "depot", "region", "area"};
  return sites;
}
}  // namespace

std::optional<NamedCountry> country_by_name(const std::string& text) {
  std::optional<NamedCountry> best;
  std::size_t best_at = std::string::npos;
  const auto word_at = [&](std::size_t from, bool forward) {
    std::size_t i = from;
    if (forward) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '-')) ++i;
      std::size_t j = i;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
      return to_lower(text.substr(i, j - i));
    }
    while (i > 0 && text[i - 1] == ' ') --i;
    std::size_t b = i;
    while (b > 0 && std::isalpha(static_cast<unsigned char>(text[b - 1]))) --b;
    return to_lower(text.substr(b, i - b));
  };
  for (const auto& [name, code] : iso3166_names()) {
    for (std::size_t at = text.find(name); at != std::string::npos && at <= best_at; at = text.find(name, at + 1)) {
      const std::size_t end = at + name.size();
      if ((at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) ||
          (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))))
        continue;
      // "in the Czech Republic": the article before the name is passed over.
      std::string before = word_at(at, false);
      if (before == "the" && at >= 4) before = word_at(text.find_last_not_of(' ', at - 1) - 2, false);
      // "of" names what a thing shows ("satellite images of Japan"), not where the work is.
      if ((before == "of" || !placing_words().count(before)) && !site_words().count(word_at(end, true))) continue;
      // A name that is also a person's ("Email the results to Jordan", "a dashboard for Chad") is a
      // place only after a preposition of place or before a site, never as whom a thing goes to.
      static const std::set<std::string> first_names = {"jordan", "chad", "georgia"};
      static const std::set<std::string> recipient = {"to", "for", "on", "of"};
      if (first_names.count(to_lower(name)) && recipient.count(before) && !site_words().count(word_at(end, true))) continue;
      // A name that is part of a longer one: a lower-case noun it makes a compound with ("Guinea
      // pigs", "Brazil nuts") or a capitalised word of geography ("the Niger Delta", "the Congo Basin").
      {
        std::size_t i = end;
        while (i < text.size() && text[i] == ' ') ++i;
        std::size_t j = i;
        while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
        const std::string next = text.substr(i, j - i);
        static const std::set<std::string> compound = {"pig", "pigs", "fowl", "fowls", "worm", "worms", "nut", "nuts",
                                                       "hat", "hats", "cow", "cows", "cattle", "pepper", "peppers",
                                                       "almond", "almonds", "ware", "grass", "cabbage", "cabbages"};
        static const std::set<std::string> geography = {"delta", "river", "basin", "valley", "sea", "gulf", "strait",
                                                        "straits", "bay", "mountains", "desert", "plateau", "lake",
                                                        "highlands", "lowlands", "coast", "peninsula", "rift"};
        if (!next.empty() && ((std::islower(static_cast<unsigned char>(next[0])) && compound.count(next)) ||
                              (std::isupper(static_cast<unsigned char>(next[0])) && geography.count(to_lower(next)))))
          continue;
      }
      // The first country named; at one place, the longest name ("Republic of Korea" over "Korea").
      if (at < best_at || name.size() > best->text.size()) best = NamedCountry{code, name}, best_at = at;
    }
  }
  return best;
}

// The region of a place name in TEXT that WordNet places inside a catalogue region (part holonyms:
// Istanbul -> Turkey, Crete -> Greece, Manila -> Philippines, Auckland -> New Zealand); catalogue
// names are matched as WordNet lemmas ("Viet Nam" is a lemma of Vietnam). Single words and pairs
// ("Cape Town"); a capitalised word inside a sentence may be a name even if it has other senses.
std::optional<std::string> region_by_holonym(const std::string& text, const KnownNames& names, const Lexicon& lexicon) {
  // The catalogue's places as WordNet lemmas, built only when a word is placed (below): the region
  // list runs to thousands of phrases, and most statements place nothing (9% of start-up before).
  std::map<std::string, std::string> places;
  std::set<std::string> lemmas;
  const auto build_places = [&] {
    if (!places.empty()) return;
    for (const auto& [name, id] : names.regions) {
      std::string lemma = name;
      std::replace(lemma.begin(), lemma.end(), ' ', '_');
      places.emplace(lemma, id);
    }
    // The catalogue uses the ISO 3166-1 short name "Türkiye" (since 2022); WordNet 3.0 the older "Turkey".
    if (std::any_of(names.regions.begin(), names.regions.end(), [](const auto& r) { return r.second == "TR"; }))
      places.emplace("turkey", "TR");
    for (const auto& p : places) lemmas.insert(p.first);
  };
  struct Word {
    std::string text;
    bool proper;
    std::size_t at = 0;
  };
  const std::string lower = to_lower(text);
  std::vector<Word> ws;
  bool sentence_start = true;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalpha(c)) {
      if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '\n') sentence_start = true;
      if (c == '.' || c == ',' || c == ';' || c == '(' || c == ')' || c == '"') ws.push_back({"", false});  // no pair across
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && (std::isalpha(static_cast<unsigned char>(text[j])) || text[j] == '\'')) ++j;
    std::string w = text.substr(i, j - i);
    const bool all_caps = std::all_of(w.begin(), w.end(), [](unsigned char ch) { return !std::islower(ch); });
    // An acronym (UK, CSV, IN) is no place name here; the catalogue's own ids are matched elsewhere.
    ws.push_back({all_caps ? "" : w, !sentence_start && std::isupper(c), i});
    sentence_start = false;
    i = j;
  }
  // A name WordNet gives cities of two countries (Hyderabad) goes to the country of the larger one
  // (geonames_larger_namesakes), when the catalogue has that country.
  const auto namesake = [&](const std::string& name) -> std::optional<std::string> {
    const auto& table = geonames_larger_namesakes();
    const std::string key = to_lower(name);
    auto it = std::lower_bound(table.begin(), table.end(), std::make_pair(key, std::string()));
    if (it == table.end() || it->first != key) return std::nullopt;
    for (const auto& r : names.regions)
      if (r.second == it->second) return it->second;
    return std::nullopt;
  };
  // A word right before the first word of a device name is that device's maker or line, not a
  // place: "Orange Pi 5" (WordNet's Orange is a South African river), "Banana Pi", "Rock Pi".
  std::set<std::string> device_heads;
  const auto names_maker = [&](std::size_t i) {
    if (!(i + 1 < ws.size() && !ws[i + 1].text.empty())) return false;
    if (device_heads.empty())
      for (const auto& [name, id] : names.devices) device_heads.insert(name.substr(0, name.find(' ')));
    return device_heads.count(to_lower(ws[i + 1].text)) > 0;
  };
  // A name is where the writer, its users or machines are only when a word places it there: a
  // preposition of place before it ("in Crete", "on Sicily", "from Manila", "around Istanbul") or a
  // site after it ("Auckland office", "Bali-based"). A capitalised word WordNet also knows as a town, met in
  // passing ("translates with LibreTranslate and Argos"), places nothing.
  const auto placed = [&](std::size_t i, std::size_t n) {
    const bool before = i > 0 && placing_words().count(to_lower(ws[i - 1].text)) > 0;
    const bool after = i + n < ws.size() && site_words().count(to_lower(ws[i + n].text)) > 0;
    return before || after;
  };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i].text.size() < 3) continue;
    const bool pair = i + 1 < ws.size() && ws[i].proper && ws[i + 1].proper && !ws[i + 1].text.empty();
    if (!placed(i, pair ? 2 : 1) && !placed(i, 1)) continue;
    if (place_is_shown(lower, ws[i].at) || names_maker(i)) continue;
    build_places();
    if (pair) {
      if (auto r = namesake(ws[i].text + " " + ws[i + 1].text)) return r;
      const std::string p = lexicon.place_of(ws[i].text + " " + ws[i + 1].text, true, lemmas);
      if (!p.empty()) return places.at(p);
    }
    const std::string p = lexicon.place_of(ws[i].text, ws[i].proper, lemmas);
    if (!p.empty()) {
      if (auto r = namesake(ws[i].text)) return r;
      return places.at(p);
    }
  }
  return std::nullopt;
}

}  // namespace sml::describe
