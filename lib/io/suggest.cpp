#include "sml/io/suggest.hpp"
#include "sml/io/text.hpp"

#include <algorithm>
#include <cctype>

namespace sml {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string nearest(const std::string& wanted, const std::vector<std::string>& known, std::size_t max) {
  const std::string lower = to_lower(wanted);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& k : known) {
    const bool contains = !lower.empty() && k.find(lower) != std::string::npos;
    scored.emplace_back(contains ? 0 : edit_distance(lower, k) + 1, k);
  }
  std::stable_sort(scored.begin(), scored.end());
  std::string out;
  for (std::size_t i = 0; i < scored.size() && i < max; ++i) out += (i ? ", " : "") + scored[i].second;
  return out;
}

}  // namespace sml
