// Stage 4: ranking — the quality/cost Pareto front among comparable candidates, then the order.
#include <algorithm>
#include <cmath>
#include <map>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

double Candidate::cost_for_rank() const {
  if (finetune_co2 || scratch_co2) return (finetune_co2 ? *finetune_co2 : *scratch_co2) + serving_co2.value_or(0);
  return model->macs.value_or(model->params.value_or(INFINITY));
}

std::string rank_candidates(std::vector<Candidate>& cands) {
  // Pareto front over (quality up, cost down) among candidates with a comparable quality.
  const std::string metric = [&] {
    std::map<std::string, int> count;
    for (const auto& c : cands)
      if (c.quality && c.transfer_from.empty()) ++count[c.quality->metric];
    std::string best;
    int n = 0;
    for (const auto& [k, v] : count)
      if (v > n) { best = k; n = v; }
    return best;
  }();
  for (auto& c : cands) {
    if (!c.quality || c.quality->metric != metric || !c.transfer_from.empty()) continue;
    c.pareto = std::none_of(cands.begin(), cands.end(), [&](const Candidate& o) {
      if (&o == &c || !o.quality || o.quality->metric != metric || !o.transfer_from.empty()) return false;
      const double q1 = c.quality->higher_is_better ? c.quality->value : -c.quality->value;
      const double q2 = o.quality->higher_is_better ? o.quality->value : -o.quality->value;
      return q2 >= q1 && o.cost_for_rank() <= c.cost_for_rank() && (q2 > q1 || o.cost_for_rank() < c.cost_for_rank());
    });
  }
  // Rank: fitting first, direct before transfer, the quality/cost Pareto front before the
  // dominated, then by quality on the common metric, then cost.
  std::stable_sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.violations.empty() != b.violations.empty()) return a.violations.empty();
    if (a.transfer_from.empty() != b.transfer_from.empty()) return a.transfer_from.empty();
    if (a.pareto != b.pareto) return a.pareto;
    const bool qa = a.quality && a.quality->metric == metric, qb = b.quality && b.quality->metric == metric;
    if (qa != qb) return qa;
    if (qa && a.quality->value != b.quality->value)
      return a.quality->higher_is_better ? a.quality->value > b.quality->value : a.quality->value < b.quality->value;
    return a.cost_for_rank() < b.cost_for_rank();
  });
  return metric;
}

}  // namespace sml::suggest
