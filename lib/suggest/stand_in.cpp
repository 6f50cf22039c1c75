// A deployment device the task names but the catalogue lacks ("our Xeon server", "a laptop"):
// costing it on nothing leaves every candidate uncosted and every fit unknown,
// which steers no one. The catalogue's nearest device stands in for it, named in the document
// with why, so the figures are those of a known device and the user can give --device instead.
// A model the catalogue lacks of a line it holds ("Pixel 6") is not stood in for: see below.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  return out;
}

bool numeric(const std::string& w) {
  return std::all_of(w.begin(), w.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

// The product-line words of a device: its id's and aliases' parts ("intel-xeon-platinum-8380" →
// intel, xeon, platinum, 8380). Its display name is left out: it holds descriptions ("(laptop)").
std::set<std::string> device_words(const hw::Device& d) {
  std::set<std::string> out;
  for (const auto& w : words(d.id)) out.insert(w);
  for (const auto& a : d.aliases)
    for (const auto& w : words(a)) out.insert(w);
  return out;
}

// Words that name a device class when no product line matches.
const std::map<std::string, std::string>& class_words() {
  static const std::map<std::string, std::string> m = {
      {"laptop", "laptop-cpu"},         {"notebook", "laptop-cpu"},   {"ultrabook", "laptop-cpu"},
      {"thinkpad", "laptop-cpu"},       {"macbook", "apple-soc"},     {"mac", "apple-soc"},
      {"phone", "phone-soc"},           {"smartphone", "phone-soc"},  {"android", "phone-soc"},
      {"mobile", "phone-soc"},          {"handset", "phone-soc"},     {"iphone", "phone-soc"},
      {"pixel", "phone-soc"},           {"galaxy", "phone-soc"},      {"tablet", "phone-soc"},
      {"ipad", "phone-soc"},            {"server", "server-cpu"},     {"xeon", "server-cpu"},
      {"epyc", "server-cpu"},           {"desktop", "desktop-cpu"},   {"pc", "desktop-cpu"},
      {"workstation", "desktop-cpu"},   {"ryzen", "desktop-cpu"},     {"microcontroller", "microcontroller"},
      {"mcu", "microcontroller"},       {"esp32", "microcontroller"}, {"stm32", "microcontroller"},
      {"arduino", "microcontroller"},   {"cortex", "microcontroller"}, {"board", "edge-board"},
      {"jetson", "edge-board"},         {"raspberry", "edge-board"},  {"edge", "edge-board"}};
  return m;
}

// The slower device first: a candidate that fits the slower one fits most of its kind.
double speed(const hw::Device& d) {
  for (const char* p : {"fp32", "fp16", "int8"})
    if (auto v = d.peak(p)) return *v;
  return 0;
}

const hw::Device* slowest(const std::vector<const hw::Device*>& ds) {
  const hw::Device* best = nullptr;
  for (const auto* d : ds)
    if (!best || (speed(*d) > 0 && (speed(*best) == 0 || speed(*d) < speed(*best)))) best = d;
  return best;
}

}  // namespace

std::optional<StandIn> stand_in_device(const std::string& text, const hw::DeviceCatalog& devices) {
  const std::vector<std::string> said = words(text);
  // By product line: shared words weighted by rarity (a word many devices share, like a vendor,
  // says little), at least one of them not a bare number.
  std::map<std::string, int> df;
  std::vector<std::pair<const hw::Device*, std::set<std::string>>> all;
  for (const auto& d : devices.all()) {
    all.emplace_back(&d, device_words(d));
    for (const auto& w : all.back().second) ++df[w];
  }
  double top = 0;
  std::vector<const hw::Device*> best;
  std::string shared;
  for (const auto& [d, ws] : all) {
    double score = 0;
    bool named = false;
    std::string these;
    for (const auto& w : said)
      if (ws.count(w)) {
        score += 1.0 / df[w];
        named = named || !numeric(w);
        these += (these.empty() ? "'" : ", '") + w + "'";
      }
    if (!named || score < top - 1e-9) continue;
    if (score > top + 1e-9) {
      best.clear();
      top = score;
      shared = these;
    }
    best.push_back(d);
  }
  if (!best.empty()) {
    // The line is known but the model named is not ("Pixel 6" beside the Pixel 7 and 8, "Raspberry
    // Pi 3", "Xeon Gold 6248"): a neighbour of the line is a near miss, of another speed and memory
    // (the Pixel 7 was costed as a Pixel 8 this way), so the device stays unknown. A model is named
    // by a word with a digit that none of the matching devices carries.
    std::set<std::string> line;
    for (const auto& [d, ws] : all)
      if (std::find(best.begin(), best.end(), d) != best.end()) line.insert(ws.begin(), ws.end());
    for (const auto& w : said)
      if (std::any_of(w.begin(), w.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }) &&
          !line.count(w))
        return std::nullopt;
    const hw::Device* d = slowest(best);
    return StandIn{d, "the catalogue's device that shares " + shared + " with it" +
                          (best.size() > 1 ? " (the slowest of " + std::to_string(best.size()) + " that do)" : std::string())};
  }
  // By class: the slowest catalogued device of that class.
  for (const auto& w : said)
    if (auto it = class_words().find(w); it != class_words().end()) {
      std::vector<const hw::Device*> of;
      for (const auto& d : devices.all())
        if (d.device_class == it->second) of.push_back(&d);
      if (of.empty()) continue;
      return StandIn{slowest(of), "the slowest " + it->second + " in the catalogue ('" + w + "'), so that a fit holds on most of its kind"};
    }
  return std::nullopt;
}

}  // namespace sml::suggest
