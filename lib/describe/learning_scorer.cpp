#include "sml/describe/learning_scorer.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string_view>
#include <system_error>

#include "sml/describe/text_task.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"
#include "weights_tsv.hpp"

namespace sml::describe {

double LearningScorer::log_odds(const std::vector<std::string>& features) const {
  double z = bias;
  for (const auto& f : features) {
    const auto it = find_by_name(weights, f);
    if (it != weights.end()) z += it->second;
  }
  return z;
}

double LearningScorer::not_learning(const std::vector<std::string>& features) const { return 1 / (1 + std::exp(-log_odds(features))); }

LearningScorer load_learning_scorer(const std::string& path) {
  LearningScorer s;
  s.text = std::make_shared<const std::string>(read_input(path));
  const std::string& text = *s.text;
  s.weights.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  bool kind = false, bias = false, threshold = false, clear = false, ml = false;
  std::size_t line = 0;
  const auto at = [&] { return weights_line_at(path, line); };
  line = for_each_weights_line(text, path, false, [&](std::size_t n, std::string_view name, std::string_view value) {
    line = n;
    // The three header lines come first, in order; every line after them is a feature, so a word
    // spelt "bias" or "threshold" is a feature like any other.
    if (!kind) {
      if (name != "sml" || value != "learning-scorer/v1") throw InputError(at() + "expected 'sml<tab>learning-scorer/v1' first");
      kind = true;
      return;
    }
    if (!bias && name != "bias") throw InputError(at() + "expected 'bias<tab>B' second");
    if (bias && !threshold && name != "threshold") throw InputError(at() + "expected 'threshold<tab>T' third");
    // All of VALUE must be read. std::from_chars reads a decimal number as strtod does (both round
    // correctly) at a tenth of its cost (strtod was 11% of start-up, some 20,000 lines); any other
    // text (a '+', hexadecimal, out of range) goes to strtod, which stops at the line's end ('\n',
    // '\r' or the text's end), so that the same values are accepted and refused as before.
    double v = NAN;
    const char* end = nullptr;
    if (!value.empty() && !std::isspace(static_cast<unsigned char>(value[0]))) {
      const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      end = p;
      if (ec != std::errc() || p != value.data() + value.size()) {
        char* e = nullptr;
        v = std::strtod(value.data(), &e);
        end = e;
      }
    }
    if (value.empty() || end != value.data() + value.size() || !std::isfinite(v))
      throw InputError(at() + "'" + one_line(std::string(value.substr(0, 40))) + "' is not a number");
    if (!bias) {
      s.bias = v, bias = true;
    } else if (!threshold) {
      if (v <= 0 || v > 1) throw InputError(at() + "threshold must lie in (0, 1]");
      s.threshold = v, threshold = true;
    } else if (!clear && s.weights.empty() && name == "clear_log_odds") {
      // Optional, right after the threshold: where the score overrides clear learning evidence.
      if (v < std::log(s.threshold / (1 - s.threshold)) - 1e-9)
        throw InputError(at() + "clear_log_odds must not lie below the threshold's log-odds");
      s.clear_log_odds = v, clear = true;
    } else if (!ml && s.weights.empty() && name == "ml_log_odds") {
      if (!(v < std::log(s.threshold / (1 - s.threshold)))) throw InputError(at() + "ml_log_odds must lie below the threshold's log-odds");
      s.ml_log_odds = v, ml = true;
    } else if (!s.weights.empty() && !(s.weights.back().first < name)) {
      throw InputError(at() + "feature '" + one_line(std::string(name.substr(0, 60))) + "' given twice or out of byte order");
    } else {
      s.weights.emplace_back(name, v);
    }
  });
  if (!kind || !bias || !threshold)
    throw InputError(at() + "missing the " + (!kind ? "'sml learning-scorer/v1'" : !bias ? "'bias'" : "'threshold'") + " line");
  return s;
}

std::vector<std::string> learning_features(const std::string& read, const std::map<std::string, std::vector<std::string>>& kinds) {
  std::vector<std::string> words = TaskClassifier::words(to_lower(read));
  for (auto& w : words)
    if (std::isdigit(static_cast<unsigned char>(w[0]))) w = "<num>";
  std::set<std::string> f(words.begin(), words.end());
  for (std::size_t i = 0; i + 1 < words.size(); ++i) f.insert(words[i] + "_" + words[i + 1]);
  for (const auto& [w, ks] : kinds)
    for (const auto& k : ks) f.insert("k:" + k);
  return {f.begin(), f.end()};
}

}  // namespace sml::describe
