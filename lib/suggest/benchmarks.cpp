// Stage 3½: which published figure of each candidate ranking compares. A model often publishes
// several (DistilBERT: GLUE macro-average, SQuAD F1, SST-2 accuracy); only figures on the same
// metric and data set can be compared, so each candidate is placed on the benchmark it shares with
// the most others: a benchmark the task's description names first, then the one most candidates
// have, and so on for those still unplaced. A figure no other candidate shares stays the model's
// first one; ranking (ranking.cpp) treats it as placing the model against none.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

std::set<std::string> word_set(const std::string& text) {
  std::set<std::string> out;
  std::string w;
  for (char ch : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(ch))) w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    else if (!w.empty()) { out.insert(w); w.clear(); }
  }
  return out;
}

bool named_by_task(const catalog::Quality& q, const std::set<std::string>& task_words) {
  std::string first;
  for (char ch : q.dataset) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) break;
    first += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return !first.empty() && task_words.count(first) > 0;
}

std::string benchmark_of(const catalog::Quality& q) { return q.metric + " on " + q.dataset; }

void choose_benchmarks(std::vector<Candidate>& cands, const std::string& task_text) {
  const std::set<std::string> words = word_set(task_text);
  std::vector<Candidate*> open;
  for (auto& c : cands)
    if (c.transfer_from.empty() && !c.model->quality.empty()) open.push_back(&c);
  while (!open.empty()) {
    // Per benchmark: shared by two or more, named by the task, how many have it; first seen wins ties.
    std::map<std::string, std::tuple<int, int, int>> cover;
    std::vector<std::string> seen_order;
    for (const Candidate* c : open) {
      std::set<std::string> own;
      for (const auto& q : c->model->quality) {
        const std::string k = benchmark_of(q);
        if (!own.insert(k).second) continue;  // two weights' figures on one benchmark count once
        auto& [shared, named, n] = cover[k];
        if (n == 0) seen_order.push_back(k);
        named = std::max(named, static_cast<int>(named_by_task(q, words)));
        shared = ++n >= 2;
      }
    }
    std::string best;
    for (const auto& k : seen_order)
      if (best.empty() || cover[k] > cover[best]) best = k;
    if (std::get<2>(cover[best]) < 2) break;  // the rest share nothing: each keeps its first figure
    std::vector<Candidate*> rest;
    for (Candidate* c : open) {
      const auto& qs = c->model->quality;
      const auto q = std::find_if(qs.begin(), qs.end(), [&](const catalog::Quality& x) { return benchmark_of(x) == best; });
      if (q == qs.end()) rest.push_back(c);
      else c->quality = &*q;  // the first figure on it (the entry's order: the weights it lists first)
    }
    open.swap(rest);
  }
}

}  // namespace sml::suggest
