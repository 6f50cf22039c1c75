#include "sml/describe/text_task.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "sml/io/suggest.hpp"

namespace sml::describe {
namespace {

// BM25 constants (Robertson and Zaragoza 2009, the usual defaults).
constexpr double kK1 = 1.2, kB = 0.75;
// Weights of the parts of a task's "document", and of a matched multi-word phrase.
constexpr double kVocabularyWeight = 2, kNameWeight = 2, kPhraseBonus = 1.5;
// Confidence: a softmax over scores with this temperature, times s / (s + kEvidence) so that a
// text with little evidence for anything gets a low confidence.
constexpr double kTemperature = 1.5, kEvidence = 4;

// The characters of W (case folded as edit_distance_within folds them), each as bit c % 64. A
// character of one word whose bit the other lacks matches nothing there, so each costs an edit:
// the edit distance is at least the count of such bits, either way (letter_gap).
std::uint64_t letter_set(const std::string& w) {
  std::uint64_t m = 0;
  for (const char c : w) m |= std::uint64_t{1} << (static_cast<unsigned>(std::tolower(static_cast<unsigned char>(c))) % 64);
  return m;
}
std::size_t letter_gap(std::uint64_t a, std::uint64_t b) {
  return static_cast<std::size_t>(std::max(__builtin_popcountll(a & ~b), __builtin_popcountll(b & ~a)));
}

// Words too common to say anything about a task.
const std::set<std::string>& stop_words() {
  static const std::set<std::string> s = {
      "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "we", "i", "it", "is", "are", "be", "that",
      "this", "our", "my", "me", "us", "you", "your", "from", "at", "by", "as", "have", "ha", "need", "want", "would",
      "like", "can", "could", "should", "will", "do", "doe", "so", "if", "then", "than", "each", "every", "which",
      "what", "how", "when", "there", "their", "them", "they", "some", "any", "all", "just", "get", "make", "use",
      "using", "model", "data", "under", "about", "into", "per", "up", "out", "one", "two", "not", "no", "but", "also",
      "its", "was", "were", "been", "has", "had", "am", "help", "please", "thing", "something", "lot", "lots"};
  return s;
}

}  // namespace

std::vector<std::string> TaskClassifier::words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    // Plural and possessive 's' trimmed so "boxes"/"box", "x-rays"/"x-ray" meet.
    // "News" is no plural of "new" (a "new clip" is not news text).
    // A plural in "-ies" is of a noun in "-y" ("categories", "queries", "batteries"): trimming
    // the 's' alone gave "categorie", which no cue or task word is. The nouns in "-ie" ("movies",
    // "selfies") and the plurals that are also singular ("series", "species") keep their "-ie".
    static const std::set<std::string> ie_nouns = {"movie", "cookie", "selfie", "calorie", "zombie", "hoodie", "smoothie",
                                                   "brownie", "rookie", "goalie", "pixie", "serie", "specie", "birdie",
                                                   "genie", "budgie", "auntie", "sweetie", "newbie", "techie", "foodie"};
    if (cur.size() > 4 && cur.compare(cur.size() - 3, 3, "ies") == 0 && !ie_nouns.count(cur.substr(0, cur.size() - 1))) {
      cur.replace(cur.size() - 3, 3, "y");
    } else if (cur.size() > 3 && cur.back() == 's' && cur[cur.size() - 2] != 's' && cur != "news") {
      cur.pop_back();
    }
    out.push_back(cur);
    cur.clear();
  };
  for (unsigned char c : text) {
    if (std::isalnum(c)) cur += static_cast<char>(std::tolower(c));
    else flush();
  }
  flush();
  return out;
}

TaskClassifier::TaskClassifier(std::vector<Task> tasks) : tasks_(std::move(tasks)) {
  const std::size_t n = tasks_.size();
  std::vector<std::map<std::string, double>> tf(n);
  std::vector<double> length(n, 0);
  auto add = [&](std::size_t t, const std::string& text, double weight) {
    for (const auto& w : words(text)) {
      if (stop_words().count(w)) continue;
      tf[t][w] += weight;
      length[t] += weight;
    }
  };
  for (std::size_t t = 0; t < n; ++t) {
    const Task& task = tasks_[t];
    add(t, task.name + " " + task.id, kNameWeight);
    add(t, task.description, 1);
    for (const auto& v : task.vocabulary) add(t, v, kVocabularyWeight);
    for (const auto& e : task.examples) add(t, e, 1);
  }
  std::unordered_map<std::string, int> df;
  for (const auto& m : tf)
    for (const auto& [w, c] : m) ++df[w];
  double avg = 0;
  for (double l : length) avg += l / static_cast<double>(n);
  auto idf = [&](const std::string& w) {
    auto it = df.find(w);
    const double d = it == df.end() ? 0 : it->second;
    return std::log(1 + (static_cast<double>(n) - d + 0.5) / (d + 0.5));
  };
  term_weights_.resize(n);
  for (std::size_t t = 0; t < n; ++t)
    for (const auto& [w, c] : tf[t]) {
      const double weight = idf(w) * c * (kK1 + 1) / (c + kK1 * (1 - kB + kB * length[t] / avg));
      term_weights_[t].emplace_back(w, weight);
    }
  for (auto& tw : term_weights_) std::sort(tw.begin(), tw.end());
  for (const auto& [w, d] : df)
    if (w.size() >= 4) vocabulary_words_.push_back(w);
  std::sort(vocabulary_words_.begin(), vocabulary_words_.end());
  for (const auto& w : vocabulary_words_) vocabulary_letters_.push_back(letter_set(w));

  // Multi-word phrases: evidence when they appear whole; shared phrases count less.
  std::map<std::string, int> phrase_tasks;
  for (const auto& task : tasks_) {
    std::set<std::string> seen;
    for (const auto& v : task.vocabulary) {
      auto ws = words(v);
      std::string key;
      for (const auto& w : ws) key += w + " ";
      if (ws.size() >= 2 && seen.insert(key).second) ++phrase_tasks[key];
    }
  }
  for (std::size_t t = 0; t < n; ++t) {
    auto add_phrase = [&](const std::string& text, bool negative) {
      auto ws = words(text);
      if (ws.empty() || (!negative && ws.size() < 2)) return;
      std::string key;
      double weight = 0;
      for (const auto& w : ws) {
        key += w + " ";
        if (!stop_words().count(w)) weight += idf(w);
      }
      const int shared = negative ? 1 : std::max(1, phrase_tasks[key]);
      phrases_.push_back({ws, text, t, weight / shared, negative});
    };
    for (const auto& v : tasks_[t].vocabulary) add_phrase(v, false);
    for (const auto& v : tasks_[t].negatives) add_phrase(v, true);
  }
}

TextClassification TaskClassifier::classify(const std::string& text) const {
    std::vector<std::string> ws = words(text);
  std::vector<std::string> corrections;
  // Typos: a word no task knows, close to one that some task does.
  // vocabulary_words_ is sorted (constructor): no per-call copy of it into a hash set.
  const auto known = [this](const std::string& w) { return std::binary_search(vocabulary_words_.begin(), vocabulary_words_.end(), w); };
  for (auto& w : ws) {
    if (w.size() < 5 || known(w) || stop_words().count(w) || std::isdigit(static_cast<unsigned char>(w[0]))) continue;
    // One edit for most words, two for long ones: "detcet" is detect, but "problem" is not "probe".
    const std::size_t allowed = w.size() >= 9 ? 2 : 1;
    std::string best;
    std::size_t best_d = allowed + 1;
    const std::uint64_t letters = letter_set(w);
    for (std::size_t i = 0; i < vocabulary_words_.size(); ++i) {
      const std::string& v = vocabulary_words_[i];
      if (v.size() + allowed < w.size() || w.size() + allowed < v.size()) continue;
      // Only a word closer than the best so far can win: bounded below best_d, same answers. Most
      // words are told apart by their letters alone (a lower bound on the distance), no table.
      if (letter_gap(letters, vocabulary_letters_[i]) >= best_d) continue;
      const std::size_t d = edit_distance_within(w, v, best_d - 1);
      if (d < best_d) { best_d = d; best = v; }
    }
    if (!best.empty()) {
      corrections.push_back(w + "→" + best);
      w = best;
    }
  }
  TextClassification r = rank(ws, {});
  for (const auto& c : corrections) r.evidence.push_back("read " + c);
  return r;
}

TextClassification TaskClassifier::rank(const std::vector<std::string>& ws, const std::map<std::string, double>& adjust) const {
  const std::size_t n = tasks_.size();
  std::vector<double> score(n, 0);
  std::vector<std::vector<std::pair<double, std::string>>> why(n);
  std::set<std::string> unique(ws.begin(), ws.end());
  // Bare numbers are counts, sizes and model names ("2,400", "v100"'s 100), never a task's word.
  std::vector<const std::string*> content;  // in the set's order, asked once and not once a task
  for (const auto& w : unique)
    if (!stop_words().count(w) && !std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); })) content.push_back(&w);
  for (std::size_t t = 0; t < n; ++t)
    for (const std::string* word : content) {
      const std::string& w = *word;
      auto it = std::lower_bound(term_weights_[t].begin(), term_weights_[t].end(), std::make_pair(w, -1e300));
      if (it != term_weights_[t].end() && it->first == w) {
        score[t] += it->second;
        why[t].emplace_back(it->second, w);
      }
    }
  for (const auto& p : phrases_) {
    if (!unique.count(p.words.front())) continue;  // its first word is not in the text: no match
    for (std::size_t i = 0; i + p.words.size() <= ws.size(); ++i) {
      if (!std::equal(p.words.begin(), p.words.end(), ws.begin() + static_cast<std::ptrdiff_t>(i))) continue;
      if (p.negative) {
        score[p.task] -= p.weight;
      } else {
        score[p.task] += kPhraseBonus * p.weight;
        why[p.task].emplace_back(kPhraseBonus * p.weight + 1000, "\"" + p.text + "\"");  // phrases listed first
      }
      break;
    }
  }
  for (std::size_t t = 0; t < n; ++t)
    if (auto it = adjust.find(tasks_[t].id); it != adjust.end()) score[t] += it->second;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  const double top = std::max(0.0, score[order[0]]);
  double z = 0;
  for (std::size_t i = 0; i < n; ++i) z += std::exp((score[i] - top) / kTemperature);
  const double sure = top / (top + kEvidence);
  TextClassification r;
  for (std::size_t i : order)
    r.ranked.push_back({tasks_[i].id, std::round(std::exp((score[i] - top) / kTemperature) / z * sure * 1000) / 1000, score[i]});
  auto& best = why[order[0]];
  std::sort(best.rbegin(), best.rend());
  for (std::size_t i = 0; i < best.size() && r.evidence.size() < 8; ++i)
    if (std::find(r.evidence.begin(), r.evidence.end(), best[i].second) == r.evidence.end()) r.evidence.push_back(best[i].second);
  return r;
}

double confidence_temperature() { return kTemperature; }

}  // namespace sml::describe
