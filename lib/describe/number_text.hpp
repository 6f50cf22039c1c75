// Helpers shared by the constraint and deployment readers (constraints.cpp, deployment.cpp).
#pragma once
#include <algorithm>
#include <cctype>
#include <string>

#include "word_regex.hpp"

namespace sml::describe::number_text {

// A number as people write it: 40k, 1.2M, 10,000, 2.5, 1 million.
// The multiplier is a word of its own: "30 manuals" is thirty, not 30 million ("m" + "anuals").
// Writers whose languages inflect the multiplier write "3 millions", "10 thousands" (French,
// Spanish, Portuguese, Italian); "mln"/"mio" are the Italian/Russian and German abbreviations.
// A number starts where no digit stands before it ((?<!\d)): a match begun inside a run of digits
// is never the reading (the leftmost start, at the run's first digit, is tried first), and without
// the guard every pattern that opens with kNum tried each start of a long digit run to its end, a
// quadratic cost (4 KiB of digits: 2.5 CPU-s in sml-describe; issue 20, bounded resources).
inline const std::string kNum = R"((?<!\d)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:(k|m|millions?|thousands?|mln|mio|bn|billions?)(?![a-z]))?)";

inline double number(const Match& m, std::size_t group) {
  std::string digits = m[group].str();
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  double v = std::stod(digits);
  const std::string suffix = m[group + 1].str();
  if (suffix == "k" || suffix.rfind("thousand", 0) == 0) v *= 1e3;
  else if (suffix == "m" || suffix == "mln" || suffix == "mio" || suffix.rfind("million", 0) == 0) v *= 1e6;
  else if (suffix == "bn" || suffix.rfind("billion", 0) == 0) v *= 1e9;
  return v;
}

// Does one of WORDS occur in the CHARS characters before position POS of TEXT?
inline bool context_before(const std::string& text, std::size_t pos, std::size_t chars, const Regex& words) {
  const std::size_t start = pos > chars ? pos - chars : 0;
  return regex_search(text.substr(start, pos - start), words);
}

inline bool whole_word_at(const std::string& text, std::size_t pos, std::size_t len) {
  const bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(text[pos - 1]));
  const bool right = pos + len >= text.size() || !std::isalnum(static_cast<unsigned char>(text[pos + len]));
  return left && right;
}

}  // namespace sml::describe::number_text
