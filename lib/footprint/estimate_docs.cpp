// The estimate/v1 sections: training, inference (one query), serving and the life-cycle sum, as a
// script reads them (sml-formats(5)).
#include "estimate_parts.hpp"
#include "sml/footprint/report.hpp"

namespace sml::footprint::detail {
namespace {

Doc sourced_doc(const SourcedValue& v) {
  Doc d = Doc::map();
  d.set("value", v.value);
  d.set("source", v.source);
  if (v.year) d.set("year", v.year);
  return d;
}

}  // namespace

Doc optional_range(const std::optional<Range>& r) { return r ? r->doc() : Doc(); }

Doc training_doc(const TrainingEstimate& t, const Context& ctx, const Plan& plan) {
  Doc d = Doc::map();
  d.set("mode", t.accounting ? "accounting" : "predictive");
  if (t.flops) d.set("flops", *t.flops);
  if (t.flops_per_sample) d.set("flops_per_sample", *t.flops_per_sample);
  d.set("time_s", t.time_s.doc());
  d.set("device_hours", t.device_hours.doc());
  d.set("energy_kwh", optional_range(t.energy_kwh));
  if (!t.energy_kwh) d.set("energy_note", t.energy_note);
  if (t.co2e_kg) d.set("co2e_kg", t.co2e_kg->doc());
  d.set("embodied_co2e_kg", optional_range(t.embodied_co2e_kg));
  d.set("accounting_method", plan.accounting_method);
  if (t.card_energy_kwh) {
    // Beside the fuller estimate, never instead of it: what a model card would print.
    Doc c = Doc::map();
    c.set("energy_kwh", t.card_energy_kwh->doc());
    c.set("co2e_kg", optional_range(t.card_co2e_kg));
    c.set("basis", "accelerator TDP (" + format_number(ctx.device->tdp_w.value.value_or(0)) +
                       " W) × device-hours × PUE × intensity, as model cards count: no host, no utilisation below the rating");
    d.set("card", c);
  }
  Doc& a = d["assumptions"] = Doc::map();
  a.set("device", ctx.device->id);
  a.set("devices", plan.devices);
  a.set("precision", plan.precision);
  if (auto p = ctx.device->peak(plan.precision)) a.set("peak_flops_per_device", *p);
  if (t.flops) a.set("flops_basis", t.flops_basis);
  if (!t.accounting) {
    Doc u = t.utilization;
    u.set("meaning", "achieved fraction of the ideal (roofline or peak) time; model-FLOPs utilisation of published runs");
    a.set("utilization", u);
  } else {
    a.set("device_hours", "given (--device-hours): time is not estimated");
  }
  if (t.power_w) {
    Doc p = t.power_w->doc();
    p.set("basis", t.power_basis);
    if (ctx.device->hosted())
      p.set("system_power_multiple_of_tdp", ctx.model->system_power_on_generation(training_generation(*ctx.device), ctx.device->device_class == "datacenter-tpu", ctx.device->tdp_rated).doc());
    a.set("power_w_per_device", p);
  } else {
    a.set("power_w_per_device", Doc());
  }
  a.set("pue", sourced_doc(ctx.pue));
  if (ctx.intensity) {
    Doc ci = sourced_doc(*ctx.intensity);
    if (ctx.region) ci.set("region", ctx.region->id);
    ci.set("accounting", "location-based");
    a.set("carbon_intensity_kg_per_kwh", ci);
  }
  a.set("counted", "accelerators (or the device) with their host share, times PUE");
  a.set("not_counted", "storage, networking outside the servers, data preparation, failed or repeated runs, hyper-parameter search");
  if (!t.embodied_co2e_kg) a.set("embodied", t.embodied_note);
  else a.set("lifetime_years", plan.lifetime_years ? Doc(*plan.lifetime_years) : ctx.model->lifetime_years.doc());
  return d;
}

Doc inference_doc(const InferenceEstimate& i, const Context& ctx) {
  Doc d = Doc::map();
  d.set("device", i.device_id);
  d.set("runtime", i.runtime);
  d.set("runtime_basis", i.runtime_basis);
  d.set("precision", i.precision);
  if (!i.precision_basis.empty()) d.set("precision_basis", i.precision_basis);
  d.set("power_mode", i.power_mode);
  d.set("power_boundary", i.boundary);
  d.set("batch", i.batch);
  d.set("latency_s", i.latency_s.doc());
  d.set("throughput_per_s", i.throughput_per_s.doc());
  if (i.tokens_per_s) d.set("tokens_per_s", i.tokens_per_s->doc());
  if (i.llm) {
    if (i.prefill_s) d.set("time_to_first_token_s", i.prefill_s->doc());
    d.set("output_tokens", i.output_tokens);
    d.set("kv_bytes_per_token", i.kv_bytes_per_token);
    d.set("concurrency", i.concurrency);
    d.set("concurrency_effective", i.concurrency_effective);
    d.set("beam_width", i.beam_width);
    d.set("kv_cache_bytes", i.kv_cache_bytes);
    d.set("memory_bytes", i.memory_bytes);
  } else if (i.output_tokens > 0) {  // a generation from ONNX graphs: the once-per-request part, then the steps
    d.set("output_tokens", i.output_tokens);
  }
  d.set("energy_kwh_per_query", optional_range(i.energy_kwh_per_query));
  if (i.tokens_per_s && i.energy_kwh_per_query && i.output_tokens > 0)
    d.set("energy_kwh_per_1k_tokens", (*i.energy_kwh_per_query * (1000 / i.output_tokens)).doc());
  if (!i.energy_kwh_per_query) d.set("energy_note", "no power figure: " + i.energy_null_reason);
  Doc& by = d["energy_by_boundary"] = Doc::map();
  by.set("device", optional_range(i.energy_kwh_device));
  by.set("system", optional_range(i.energy_kwh_system));
  if (i.co2e_kg_per_query) d.set("co2e_kg_per_query", i.co2e_kg_per_query->doc());
  Doc& a = d["assumptions"] = Doc::map();
  if (i.power_w) {
    Doc p = i.power_w->doc();
    p.set("basis", i.power_basis);
    a.set("power_w", p);
  }
  a.set("boundaries", "device: the accelerator, board or chip alone, as GPU-only meters and most model cards count; "
                      "system: with its host share and the data centre's PUE (" + format_number(ctx.pue.value) + ")");
  const Runtime& rt = find_runtime(*ctx.model, i.runtime, ctx.device ? ctx.device->device_class : "",
                                   ctx.device ? serving_processor(*ctx.device) : "");
  Doc r = Doc::map();
  r.set("name", rt.name);
  if (!rt.build.empty()) r.set("build", rt.build);
  r.set("efficiency", rt.efficiency ? rt.efficiency->doc() : Doc());
  r.set("kernel_overhead_s", rt.kernel_overhead_s ? rt.kernel_overhead_s->doc() : Doc());
  if (rt.step_kernel_overhead_s) r.set("step_kernel_overhead_s", rt.step_kernel_overhead_s->doc());
  if (rt.memory_bandwidth_share) r.set("memory_bandwidth_share", *rt.memory_bandwidth_share);
  if (rt.kernel_overhead_on_device) r.set("kernel_overhead_on_device", true);
  if (rt.kernel_overhead_cycles) r.set("kernel_overhead_cycles", rt.kernel_overhead_cycles->doc());
  if (rt.kernel_overhead_overlaps) r.set("kernel_overhead_overlaps", true);
  if (!rt.kv_cache_concat.empty()) r.set("kv_cache_concat", rt.kv_cache_concat);
  if (!rt.kv_cache_fp16.empty()) r.set("kv_cache_fp16", rt.kv_cache_fp16);
  r.set("query_overhead_s", rt.query_overhead_s ? rt.query_overhead_s->doc() : Doc());
  r.set("derivation", rt.basis);
  a.set("runtime", r);
  if (i.kernels > 0) a.set("kernels_per_pass", i.kernels);
  a.set("roofline_s", i.ideal_s);
  a.set("basis", i.basis);
  if (!i.notes.empty()) {
    Doc& n = a["notes"] = Doc::list();
    for (const auto& x : i.notes) n.push(Doc(x));
  }
  return d;
}

Doc serving_doc(const ServingEstimate& serving, const Plan& plan) {
  Doc sv = Doc::map();
  sv.set("queries_per_day", *plan.queries_per_day);
  sv.set("years", *plan.years);
  sv.set("queries", serving.queries);
  sv.set("energy_kwh", optional_range(serving.energy_kwh));
  if (!serving.energy_kwh) sv.set("energy_note", serving.energy_note);
  if (serving.co2e_kg) sv.set("co2e_kg", serving.co2e_kg->doc());
  return sv;
}

Doc lifecycle_doc(const Lifecycle& l) {
  Doc lc = Doc::map();
  lc.set("energy_kwh", optional_range(l.energy_kwh));
  Doc& c = lc["co2e_kg"] = Doc::map();
  c.set("training", optional_range(l.training));
  c.set("serving", optional_range(l.serving));
  c.set("embodied", optional_range(l.embodied));
  c.set("total", optional_range(l.total));
  // Every reason a figure here is unknown or partial, in one line (scripts read lifecycle.note).
  std::string note;
  auto add = [&](const std::string& n) { note += (note.empty() ? "" : "; ") + n; };
  if (!l.energy_note.empty()) add(l.energy_note + ": the life-cycle energy and CO2e are unknown");
  else if (!l.total) add("no carbon intensity: give --region or --carbon-intensity");
  if (!l.embodied) add("embodied emissions unknown, not in the total: " + l.embodied_note);
  if (!note.empty()) lc.set("note", note);
  return lc;
}

}  // namespace sml::footprint::detail
