// Stage 3: fit checking — each of the task's constraints against each candidate.
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

void check_fits(std::vector<Candidate>& cands, const Task& task, const Setting& s) {
  const hw::Device& serve_device = *s.serve_device;
  for (auto& c : cands) {
    const auto& m = *c.model;
    if (task.latency_s && c.latency_s && *c.latency_s > *task.latency_s)
      c.violations.push_back("latency " + fmt_num(*c.latency_s) + " s > " + fmt_num(*task.latency_s) + " s on " + serve_device.id);
    if (task.memory_bytes && m.params && *m.params * 4 > *task.memory_bytes)
      c.violations.push_back("weights " + fmt_num(*m.params * 4) + " B (fp32) > memory " + fmt_num(*task.memory_bytes) + " B");
    // The accuracy floor is checked against the published figure (on the benchmark it names, not on
    // the user's data); a candidate without an accuracy figure for this task cannot show that it fits.
    if (task.accuracy_min) {
      if (!c.transfer_from.empty() || !c.quality || !accuracy_like(c.quality->metric))
        c.violations.push_back("accuracy floor " + fmt_num(*task.accuracy_min) + " not checkable: no published accuracy for " + task.id);
      else if (c.quality->value < *task.accuracy_min)
        c.violations.push_back(c.quality->metric + " " + fmt_num(c.quality->value) + " < " + fmt_num(*task.accuracy_min) +
                               " (published on " + c.quality->dataset + ")");
    }
    if (task.co2e_kg_max) {
      const auto train = c.finetune_co2 ? c.finetune_co2 : c.scratch_co2;
      if (train && *train + c.serving_co2.value_or(0) > *task.co2e_kg_max)
        c.violations.push_back("CO2e " + fmt_num(*train + c.serving_co2.value_or(0)) + " kg > " + fmt_num(*task.co2e_kg_max) + " kg");
    }
  }
}

}  // namespace sml::suggest
