// Stage 2, around the costing: every candidate is costed at its own training schedule. The
// plan's epochs (--finetune-epochs, --scratch-epochs) are what the usual architectures of a task
// need; an architecture the literature shows converging N times slower (DETR's set prediction:
// 10-20x Faster R-CNN's epochs) is costed at N times those epochs, fine-tuning and scratch alike,
// so that its training CO2e, and its place among the good-enough candidates, say so.
#include <map>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

void cost_at_own_schedules(std::vector<Candidate>& cands, const Task& task, Setting& s) {
  std::map<double, std::vector<std::size_t>> by_factor;
  for (std::size_t i = 0; i < cands.size(); ++i) by_factor[cands[i].model->convergence_epochs_factor].push_back(i);
  const double finetune = s.finetune_epochs, scratch = s.scratch_epochs;
  for (const auto& [factor, members] : by_factor) {
    std::vector<Candidate> group;
    for (std::size_t i : members) group.push_back(std::move(cands[i]));
    s.finetune_epochs = finetune * factor;
    s.scratch_epochs = scratch * factor;
    cost_candidates(group, task, s);
    for (std::size_t k = 0; k < members.size(); ++k) {
      Candidate& c = group[k];
      if (factor != 1)
        c.schedule_note = "converges slowly: trained for " + fmt_num(factor) + "x the usual epochs (" + c.model->convergence_source + ")";
      cands[members[k]] = std::move(c);
    }
  }
  s.finetune_epochs = finetune;
  s.scratch_epochs = scratch;
}

}  // namespace sml::suggest
