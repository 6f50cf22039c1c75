// Device names written with a slip or cut short, and the variant a stated memory size picks.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sml/describe/constraints.hpp"
#include "sml/io/suggest.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

struct Token {
  std::string text;
  std::size_t begin, end;
};

std::vector<Token> tokens(const std::string& s) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < s.size();) {
    if (!std::isalnum(static_cast<unsigned char>(s[i]))) { ++i; continue; }
    std::size_t j = i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    out.push_back({s.substr(i, j - i), i, j});
    i = j;
  }
  return out;
}

bool alphabetic(const std::string& w) {
  return std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isalpha(c); });
}
bool has_digit(const std::string& w) {
  return std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Whether the text's word W may stand for the name's word N: the same word, or a slip in a word
// of letters (four or more, same first letter, one edit; two from eight letters). Model numbers
// and short words must be exact: "Pi 4" is no "Pi 5", "A10" no "A100".
int slip(const std::string& w, const std::string& n) {
  if (w == n) return 0;
  if (n.size() < 4 || !alphabetic(w) || !alphabetic(n) || w[0] != n[0]) return -1;
  const std::size_t allowed = n.size() >= 8 ? 2 : 1;
  return typo_distance(w, n) <= allowed ? 1 : -1;
}

}  // namespace

std::optional<std::string> find_name_near(const std::string& text, const std::vector<std::pair<std::string, std::string>>& names,
                                          std::vector<std::string>& matched) {
  const std::vector<Token> ws = tokens(text);
  // The best reading: the most name words matched; a tie between two devices is no reading.
  std::size_t best_len = 0;
  std::set<std::string> best_ids;
  std::string best_text;
  for (const auto& [name, id] : names) {
    const std::vector<Token> ns = tokens(name);
    // One word alone is too easily another word ("nano", "tensor"); a name of two or more, with a
    // model number or a long word, is a name.
    if (ns.size() < 2 || std::none_of(ns.begin(), ns.end(), [](const Token& t) { return has_digit(t.text) || t.text.size() >= 5; }))
      continue;
    for (std::size_t i = 0; i < ws.size(); ++i) {
      std::size_t k = 0;
      int slips = 0;
      while (k < ns.size() && i + k < ws.size()) {
        const int s = slip(ws[i + k].text, ns[k].text);
        if (s < 0) break;
        slips += s;
        ++k;
      }
      // Whole with a slip ("raspbery pi 4"), or cut short after at least three words including the
      // model number ("arduino nano 33 ble" for "... 33 ble sense"), never both; never a near miss.
      const bool whole = k == ns.size() && slips > 0;
      const bool short_cut = k < ns.size() && k >= 3 && slips == 0 &&
                             std::any_of(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(k), [](const Token& t) { return has_digit(t.text); }) &&
                             (i + k == ws.size() || slip(ws[i + k].text, ns[k].text) < 0) &&
                             // A model number where the name's next word would stand names another
                             // model ("intel core i5-7400" is no "intel core i5-1135g7"): unknown.
                             (i + k == ws.size() || !has_digit(ws[i + k].text));
      if (!whole && !short_cut) continue;
      if (k > best_len) best_len = k, best_ids = {id}, best_text = text.substr(ws[i].begin, ws[i + k - 1].end - ws[i].begin);
      else if (k == best_len) best_ids.insert(id);
    }
  }
  if (best_ids.size() != 1) return std::nullopt;
  matched.push_back(best_text);
  return *best_ids.begin();
}

std::string variant_by_memory(const std::string& text, const std::string& id, const std::string& name,
                              const std::vector<std::pair<std::string, std::string>>& names) {
  // "80GB", "80 GiB", and "80G memory" (a bare G only before a word of memory: "5G" is a network).
  static const Regex gb(R"((\d+)\s*(?:gi?b\b|g\s+(?=memory|ram|vram|hbm)))");
  std::set<std::string> sizes;
  for (auto it = RegexIterator(text.begin(), text.end(), gb); it != RegexIterator(); ++it)
    sizes.insert((*it)[1].str() + "gb");
  if (sizes.empty()) return id;
  // Another device with the same name at its start ("a100" and "a100 80gb") whose id carries a
  // memory size the text states.
  for (const auto& [n, other] : names) {
    if (other == id || n.compare(0, name.size(), name) != 0 || (n.size() > name.size() && n[name.size()] != ' ')) continue;
    for (const auto& s : sizes)
      if (other.size() > s.size() && other.compare(other.size() - s.size(), s.size(), s) == 0 &&
          id.compare(id.size() - std::min(id.size(), s.size()), s.size(), s) != 0)
        return other;
  }
  return id;
}

}  // namespace sml::describe
