#include "sml/describe/task_scorer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"
#include "weights_tsv.hpp"

namespace sml::describe {
namespace {

// The numbers of a space-separated list; false at the first that is not a finite number.
bool read_numbers(std::string_view list, std::vector<double>& out) {
  for (std::size_t b = 0; b <= list.size();) {
    const std::size_t e = std::min(list.find(' ', b), list.size());
    double v = 0;
    const auto [p, ec] = std::from_chars(list.data() + b, list.data() + e, v);
    if (e == b || ec != std::errc() || p != list.data() + e || !std::isfinite(v)) return false;
    out.push_back(v);
    b = e + 1;
  }
  return true;
}

}  // namespace

std::vector<double> TaskScorer::log_posterior(const std::vector<std::string>& present) const {
  std::vector<double> s = bias;
  std::size_t m = 0;
  for (const auto& f : present) {
    const auto it = find_by_name(features, f);
    if (it == features.end()) continue;
    ++m;
    for (std::size_t i = it->second.first; i < it->second.second; ++i) s[entries[i].first] += entries[i].second;
  }
  for (std::size_t c = 0; c < s.size(); ++c) s[c] += static_cast<double>(m) * unseen[c];
  const double top = s.empty() ? 0 : *std::max_element(s.begin(), s.end());
  double z = 0;
  for (const double v : s) z += std::exp(v - top);
  for (double& v : s) v -= top + std::log(z);
  return s;
}

std::string TaskScorer::rerank(std::vector<TaskGuess>& ranked, const std::vector<std::string>& present) const {
  const std::size_t n = std::min(candidates, ranked.size());
  if (n < 2 || weight <= 0) return "";
  const std::vector<double> lp = log_posterior(present);
  const double floor = lp.empty() ? 0 : *std::min_element(lp.begin(), lp.end());
  std::vector<double> p(n, floor);
  for (std::size_t i = 0; i < n; ++i)
    if (const auto at = std::find(tasks.begin(), tasks.end(), ranked[i].id); at != tasks.end()) p[i] = lp[static_cast<std::size_t>(at - tasks.begin())];
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  // Stable: equal combined scores keep the rules' order.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return ranked[a].score + weight * p[a] > ranked[b].score + weight * p[b];
  });
  const std::string before = ranked.front().id;
  // The scorer re-orders; it does not say how sure the reading is. The rules' confidences stay with
  // the ranks: the new first task gets the first rank's confidence, and so on down the K candidates.
  // Scaling each task's own confidence instead let a task moved to the top fall below the rank
  // after the candidates, and below sml-suggest's threshold, only for having been moved (the
  // rules' 0.6 first, moved second, became 0.04 under a fifth task's 0.05).
  std::vector<TaskGuess> head;
  for (std::size_t k = 0; k < n; ++k) {
    TaskGuess g = ranked[order[k]];
    g.confidence = ranked[k].confidence;
    head.push_back(g);
  }
  std::copy(head.begin(), head.end(), ranked.begin());
  if (ranked.front().id == before) return "";
  std::ostringstream why;
  why << std::fixed << std::setprecision(2) << "the learned task scorer (catalog/task-scorer.tsv) puts " << ranked.front().id
      << " before " << before << ": P " << std::exp(p[order[0]]) << " against "
      << std::exp(p[0]);
  return why.str();
}

TaskScorer load_task_scorer(const std::string& path) {
  TaskScorer s;
  s.text = std::make_shared<const std::string>(read_input(path));
  const std::string& text = *s.text;
  s.features.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  static const char* const header[] = {"sml", "weight", "candidates", "tasks", "bias", "unseen"};
  std::size_t line = 0, headed = 0;
  const auto at = [&] { return weights_line_at(path, line); };
  line = for_each_weights_line(text, path, true, [&](std::size_t n, std::string_view name, std::string_view value) {
    line = n;
    // The six header lines come first, in order; every line after them is a feature, so a word
    // spelt "weight" or "tasks" is a feature like any other.
    if (headed < 6) {
      if (name != header[headed]) throw InputError(at() + "expected '" + header[headed] + "<tab>...' as header line " + std::to_string(headed + 1));
      std::vector<double> v;
      if (headed == 0 && value != "task-scorer/v1") throw InputError(at() + "expected 'sml<tab>task-scorer/v1' first");
      if (headed == 1 && (!read_numbers(value, v) || v.size() != 1 || v[0] < 0))
        throw InputError(at() + "weight must be one number, zero or more");
      if (headed == 1) s.weight = v[0];
      if (headed == 2 && (!read_numbers(value, v) || v.size() != 1 || v[0] < 1 || v[0] != std::floor(v[0]) || v[0] > 1000))
        throw InputError(at() + "candidates must be a whole number from 1 to 1000");
      if (headed == 2) s.candidates = static_cast<std::size_t>(v[0]);
      if (headed == 3) {
        std::istringstream in{std::string(value)};
        for (std::string id; in >> id;) s.tasks.push_back(id);
        if (s.tasks.empty()) throw InputError(at() + "tasks lists no task");
      }
      if (headed == 4 || headed == 5) {
        if (!read_numbers(value, v) || v.size() != s.tasks.size())
          throw InputError(at() + std::string(name) + " must give one number per task (" + std::to_string(s.tasks.size()) + ")");
        (headed == 4 ? s.bias : s.unseen) = v;
      }
      ++headed;
      return;
    }
    if (!s.features.empty() && !(s.features.back().first < name))
      throw InputError(at() + "feature '" + one_line(std::string(name.substr(0, 60))) + "' given twice or out of byte order");
    const std::size_t first = s.entries.size();
    for (std::size_t p = 0; p <= value.size();) {
      const std::size_t q = std::min(value.find(' ', p), value.size());
      const std::string_view entry = value.substr(p, q - p);
      const std::size_t colon = entry.find(':');
      std::size_t index = 0;
      double w = 0;
      const auto [ip, iec] = std::from_chars(entry.data(), entry.data() + (colon == std::string_view::npos ? 0 : colon), index);
      const char* wend = entry.data() + entry.size();
      const auto [wp, wec] = colon == std::string_view::npos ? std::from_chars_result{entry.data(), std::errc::invalid_argument}
                                                              : std::from_chars(entry.data() + colon + 1, wend, w);
      if (colon == std::string_view::npos || colon == 0 || iec != std::errc() || ip != entry.data() + colon || wec != std::errc() ||
          wp != wend || !std::isfinite(w))
        throw InputError(at() + "expected TASK-INDEX:WEIGHT, got '" + one_line(std::string(entry.substr(0, 40))) + "'");
      if (index >= s.tasks.size())
        throw InputError(at() + "task index " + std::to_string(index) + " past the " + std::to_string(s.tasks.size()) + " tasks");
      s.entries.emplace_back(index, w);
      p = q + 1;
    }
    s.features.emplace_back(name, std::make_pair(first, s.entries.size()));
  });
  if (headed < 6) throw InputError(at() + "missing the '" + header[headed] + "' line");
  return s;
}

}  // namespace sml::describe
