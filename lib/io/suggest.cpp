#include "sml/io/suggest.hpp"
#include "sml/io/text.hpp"

#include <algorithm>
#include <cctype>

namespace sml {

// Edits between A and B where swapping two neighbours counts as one ("Frnace" → France, "keypionts"):
// the optimal-string-alignment distance. sml-describe runs it for every vocabulary word against
// every unknown word, so it keeps three rolling rows in a buffer reused across calls (no
// allocation per pair). edit_distance stays plain Levenshtein: the task encoder's typo matching
// was tuned with it.
std::size_t typo_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size(), w = m + 1;
  thread_local std::vector<std::size_t> rows;
  rows.assign(3 * w, 0);
  std::size_t* before = rows.data();      // row i-2
  std::size_t* previous = before + w;     // row i-1
  std::size_t* current = previous + w;    // row i
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t x = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) x = std::min(x, before[j - 2] + 1);
      current[j] = x;
    }
    std::size_t* oldest = before;
    before = previous, previous = current, current = oldest;
  }
  return previous[m];
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  thread_local std::vector<std::size_t> row;
  row.resize(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    const unsigned char ai = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(a[i - 1])));
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = ai == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// Like edit_distance, but only says whether A and B are within K edits: the distance when it is at
// most K, K + 1 otherwise. sml-describe's typo search asks this of every unknown word against every
// vocabulary word of similar length, where nearly every pair is far apart; a full table took 17% of
// fuzz_describe's time. Only the cells within K of the diagonal can stay within K (Ukkonen's band),
// values are capped at K + 1 (so the answer is min(distance, K + 1) exactly), and the search stops
// at the first row whose every cell is past K (every alignment crosses each row).
std::size_t edit_distance_within(const std::string& a, const std::string& b, std::size_t k) {
  const std::size_t n = a.size(), m = b.size(), far = k + 1;
  if ((n > m ? n - m : m - n) > k) return far;
  thread_local std::vector<std::size_t> row;
  row.assign(m + 1, far);
  for (std::size_t j = 0; j <= std::min(m, k); ++j) row[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t lo = i > k ? i - k : 1, hi = std::min(m, i + k);
    std::size_t diag = row[lo - 1];                    // D[i-1][lo-1]
    row[lo - 1] = lo == 1 ? std::min(i, far) : far;    // D[i][lo-1]: the edge, or outside the band
    std::size_t smallest = row[lo - 1];
    const unsigned char ai = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(a[i - 1])));
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t up = row[j];                   // D[i-1][j]; far past the previous row's band
      const bool same = ai == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({up + 1, row[j - 1] + 1, diag + (same ? 0 : 1), far});
      diag = up;
      smallest = std::min(smallest, row[j]);
    }
    if (smallest > k) return far;
  }
  return row[m];
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

namespace {

// Lower-case words of S: runs of letters and digits ("NVIDIA Jetson-Orin_nano" → nvidia jetson orin nano).
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) w += static_cast<char>(std::tolower(c));
    else if (!w.empty()) out.push_back(std::move(w)), w.clear();
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

std::string joined(const std::vector<std::string>& ws) {
  std::string s;
  for (const auto& w : ws) s += w;
  return s;
}

// Two words match when equal, or one edit apart and long enough that one edit is a typo rather
// than another word ("nano"/"nan0" yes, "a10"/"a100" no: those are different devices).
bool word_match(const std::string& a, const std::string& b) {
  if (a == b) return true;
  return std::min(a.size(), b.size()) >= 4 && typo_distance(a, b) <= 1;
}

// Lower is closer; kFar and above is not close at all.
constexpr double kFar = 100;
double closeness(const std::vector<std::string>& want, const std::string& text) {
  const std::vector<std::string> have = words(text);
  if (want.empty() || have.empty()) return kFar;
  const std::string a = joined(want), b = joined(have);
  if (a == b) return 0;
  std::size_t hits = 0, hit_chars = 0;
  for (const auto& w : want)
    for (const auto& h : have)
      if (word_match(w, h)) {
        ++hits;
        hit_chars += w.size();
        break;
      }
  // Every word named: the fewer extra words the id has, the closer.
  if (hits == want.size()) return 1 + 0.01 * static_cast<double>(have.size() - hits);
  // A typo in the whole id: a few edits, fewer for short ids (a quarter of the length, at least
  // one); none for one or two letters, where every other code is an edit or two away.
  const std::size_t d = typo_distance(a, b);
  if (a.size() >= 3 && d <= std::max<std::size_t>(1, a.size() / 4)) return 2 + static_cast<double>(d);
  // Some words named: a weaker hint, ranked after the others, longer words named first.
  if (hits > 0) return 10 + static_cast<double>(want.size() - hits) - 0.01 * static_cast<double>(hit_chars);
  return kFar;
}

}  // namespace

std::vector<std::string> close_matches(const std::string& wanted, const std::vector<KnownId>& known, std::size_t max) {
  const std::vector<std::string> want = words(wanted);
  std::vector<std::pair<double, std::size_t>> scored;
  for (std::size_t i = 0; i < known.size(); ++i) {
    double best = closeness(want, known[i].id);
    for (const auto& n : known[i].names) best = std::min(best, closeness(want, n));
    if (best < kFar) scored.emplace_back(best, i);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  // The same id but for case or separators ("A100", "germany") is the answer: nothing else is shown.
  if (!scored.empty() && scored.front().first == 0)
    scored.erase(std::find_if(scored.begin(), scored.end(), [](const auto& x) { return x.first > 0; }), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < max; ++i) {
    const KnownId& k = known[scored[i].second];
    out.push_back(k.label.empty() ? k.id : k.label);
  }
  return out;
}

std::string unknown_id_message(const std::string& what, const std::string& wanted, const std::vector<KnownId>& known,
                               const std::string& hint) {
  const std::vector<std::string> close = close_matches(wanted, known);
  if (close.empty()) return "unknown " + what + " '" + wanted + "': no such " + what + " (" + hint + ")";
  std::string list;
  for (std::size_t i = 0; i < close.size(); ++i) list += (i ? ", " : "") + close[i];
  return "unknown " + what + " '" + wanted + "'; did you mean " + list + "? (" + hint + ")";
}

}  // namespace sml
