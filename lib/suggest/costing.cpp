// Stage 2: costing — training from scratch and fine-tuning on the training device, serving on
// the deployment device, with the footprint model sml-estimate uses.
#include <algorithm>
#include <cmath>

#include "sml/hw/roofline.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

void cost_candidates(std::vector<Candidate>& cands, const Task& task, Setting& s) {
  footprint::Context& ctx = s.ctx;
  const hw::Device& train_device = *s.train_device;
  const hw::Device& serve_device = *s.serve_device;
  const footprint::FootprintModel& fmodel = *s.fmodel;
  for (auto& c : cands) {
    const auto& m = *c.model;
    if (!m.quality.empty()) c.quality = &m.quality.front();
    // Work per training sample: 2 FLOPs per MAC of one forward pass, × 3 for forward + backward.
    std::optional<double> fwd;
    if (m.macs) fwd = 2 * *m.macs;
    const double factor = fmodel.training_flops_factor;
    const bool pretrained = !m.pretrained.empty();
    if (!fwd) c.cost_note = "no MAC count in the catalogue: training cost unknown";
    else if (!s.samples) c.cost_note = "training cost needs the data size: constraints.data_samples in the task, or --samples";
    else {
      footprint::Plan plan;
      plan.precision = s.precision;
      footprint::ParametricModel pm{m.params.value_or(0), m.params.value_or(0), std::nullopt};
      ctx.device = &train_device;
      plan.train_flops = factor * *fwd * *s.samples * s.scratch_epochs;
      const auto scratch = footprint::estimate_training(plan, ctx, nullptr, 1, &pm);
      c.scratch_kwh = scratch.energy_kwh.expected;
      if (scratch.co2e_kg) c.scratch_co2 = scratch.co2e_kg->expected;
      if (pretrained) {
        plan.train_flops = factor * *fwd * *s.samples * s.finetune_epochs;
        const auto ft = footprint::estimate_training(plan, ctx, nullptr, 1, &pm);
        c.finetune_kwh = ft.energy_kwh.expected;
        if (ft.co2e_kg) c.finetune_co2 = ft.co2e_kg->expected;
      }
    }
    // Serving on the deployment device: one forward pass, roofline over weights and arithmetic.
    if (fwd && m.params && serve_device.memory_bandwidth_bytes_per_s.value) {
      const std::string sp = serve_device.peak(s.precision) ? s.precision : "fp32";
      if (auto peak = serve_device.peak(sp)) {
        const double ideal = std::max(*fwd / *peak, *m.params * hw::bytes_per_element(sp) / *serve_device.memory_bandwidth_bytes_per_s.value);
        c.latency_s = ideal / fmodel.utilization.range.expected;
        if (task.queries_per_day && task.years && serve_device.tdp_w.value && ctx.intensity) {
          ctx.device = &serve_device;
          std::string basis;
          const double watts = footprint::device_power(ctx, basis).expected;
          const double kwh = *task.queries_per_day * 365.25 * *task.years * *c.latency_s * watts * ctx.pue.value / 3.6e6;
          c.serving_co2 = kwh * ctx.intensity->value;
        }
      }
    }
  }
}

}  // namespace sml::suggest
