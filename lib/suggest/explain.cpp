// Stage 5: explanation — each candidate as the document shows it, and the advice that applies.
#include <algorithm>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

std::string fmt_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

bool accuracy_like(const std::string& metric) {
  return metric == "top1" || metric == "accuracy" || metric == "clip-acc@1";
}

std::string segment_list(const Candidate& c) {
  const auto& v = c.reusable_segments;
  if (v.empty()) return c.shared_segment;
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i == 0 ? "" : i + 1 == v.size() ? " and " : ", ") + v[i];
  return out;
}

Doc candidate_doc(const Candidate& c, int rank, const Task& task) {
  const auto& m = *c.model;
  auto opt = [](const std::optional<double>& v) { return v ? Doc(*v) : Doc(); };
  Doc d = Doc::map();
  d.set("rank", rank);
  d.set("model", m.id);
  d.set("name", m.name);
  d.set("task", c.transfer_from.empty() ? c.task : c.transfer_from);
  d.set("why", c.why);
  if (!c.transfer_from.empty()) {
    Doc tr = Doc::map();
    tr.set("from_task", c.transfer_from);
    tr.set("shared_segment", c.shared_segment);
    Doc& reuse = tr["reusable_segments"] = Doc::list();
    for (const auto& x : c.reusable_segments) reuse.push(x);
    tr.set("note", "reuse its " + segment_list(c) + " and attach a new head for " + c.task);
    if (c.frames) {
      tr.set("frames_per_clip", c.frames);
      tr.set("note", "run it on each of " + std::to_string(c.frames) + " frames of a clip and average the frames' scores (TSN, Wang et al. 2016); "
                     "costed as " + std::to_string(c.frames) + " x its per-frame work");
    }
    d.set("transfer", tr);
  }
  if (c.quality) {
    Doc q = Doc::map();
    q.set("metric", c.quality->metric);
    q.set("value", c.quality->value);
    q.set("dataset", c.quality->dataset);
    q.set("source", c.quality->source);
    q.set("compared", c.comparable);
    d.set("quality", q);
  } else {
    d.set("quality", Doc());
  }
  if (!m.family.empty()) d.set("family", m.family);
  if (c.interpolated) {
    Doc in = Doc::map();
    in.set("from", c.scaled_from);
    in.set("factor", c.scale);
    in.set("fit_r2", c.interpolated->r2);
    in.set("fit_members", static_cast<long long>(c.interpolated->members.size()));
    in.set("inside_family_range", c.interpolated->inside(*m.macs));
    in.set("note", "quality estimated, not published; a reshaped core is trained from scratch");
    d.set("interpolated", in);
  }
  d.set("params", opt(m.params));
  d.set("macs", opt(m.macs));
  d.set("fits", c.fits == Fit::kUnknown ? Doc("unknown") : Doc(c.fits == Fit::kYes));
  Doc& v = d["violations"] = Doc::list();
  for (const auto& x : c.violations) v.push(x);
  Doc& miss = d["missing"] = Doc::list();
  for (const auto& x : c.missing) miss.push(x);
  d.set("pareto", c.pareto);
  Doc s = Doc::map();
  s.set("co2e_kg", opt(c.scratch_co2));
  s.set("energy_kwh", opt(c.scratch_kwh));
  d.set("train_scratch", s);
  Doc ft = Doc::map();
  ft.set("co2e_kg", opt(c.finetune_co2));
  ft.set("energy_kwh", opt(c.finetune_kwh));
  if (c.finetune_co2 && c.scratch_co2 && *c.scratch_co2 > 0) ft.set("saving_vs_scratch", 1 - *c.finetune_co2 / *c.scratch_co2);
  if (m.pretrained.empty()) ft.set("note", "no pretrained weights listed");
  else if (!c.schedule_note.empty()) ft.set("note", c.schedule_note);
  d.set("finetune", ft);
  Doc sv = Doc::map();
  sv.set("latency_s", opt(c.latency_s));
  sv.set("energy_kwh_per_query", opt(c.energy_kwh_per_query));
  sv.set("weight_bytes", opt(c.weight_bytes));
  // A speech model's query is so many seconds of audio: candidates compare only at the same seconds.
  if (m.audio_s) sv.set("audio_s", *m.audio_s);
  if (c.queries_per_day) sv.set("queries_per_day", *c.queries_per_day);
  if (c.step && m.output_tokens) {  // a generation: how many tokens, and the decoder's work per token (issue 13)
    sv.set("output_tokens", *m.output_tokens);
    sv.set("token_macs", opt(m.token_macs));
    sv.set("request_macs", opt(m.request_macs));
  }
  sv.set("energy_kwh", opt(c.serving_kwh));
  sv.set("co2e_kg", opt(c.serving_co2));
  if (!c.serving_note.empty()) sv.set("note", c.serving_note);
  if (!c.serving_basis.empty()) sv.set("basis", c.serving_basis);
  d.set("serving", sv);
  d.set("lifecycle_co2e_kg", opt(c.lifecycle_co2()));
  if (c.forward_flops) d.set("forward_flops", *c.forward_flops);
  if (!c.forward_basis.empty()) d.set("forward_basis", c.forward_basis);
  if (!c.train_basis.empty()) d.set("train_basis", c.train_basis);
  if (!c.cost_note.empty()) d.set("cost_note", c.cost_note);
  Doc& pre = d["pretrained"] = Doc::list();
  for (const auto& p : m.pretrained) pre.push(p);
  if (!m.arch.empty()) {
    Doc comp = Doc::map();
    comp.set("arch", m.arch);
    comp.set("num_classes", task.classes ? Doc(*task.classes) : (m.num_classes ? Doc(*m.num_classes) : Doc()));
    comp.set("weights", m.pretrained.empty() ? Doc("random") : Doc("pretrained"));
    d.set("composition", comp);
  } else {
    d.set("composition", Doc());
    if (!m.arch_reason.empty()) d.set("composition_reason", m.arch_reason);  // why sml-compose --pick refuses it
  }
  return d;
}

Doc advice_doc(const std::vector<catalog::AdviceRule>& rules, const std::vector<Candidate>& cands, const Task& task,
               const Setting& setting) {
  // Advice that applies to this task, plan and top candidate.
  catalog::AdviceContext ac;
  ac.task_id = task.id;
  ac.modalities = task.modalities;
  ac.data_samples = setting.samples;
  ac.latency_s = task.latency_s;
  ac.memory_bytes = task.memory_bytes;
  if (setting.serve_device) ac.device_class = setting.serve_device->device_class;
  ac.precision = setting.precision;
  if (setting.region->intensity) ac.region_kg_per_kwh = setting.region->intensity->value;
  if (!cands.empty()) {
    const auto& top = *cands.front().model;
    ac.pretrained_available = std::any_of(cands.begin(), cands.end(), [](const Candidate& c) { return !c.model->pretrained.empty(); });
    ac.model_family = top.family;
    ac.model_params = top.params;
    ac.training = top.pretrained.empty() ? "scratch" : "finetune";
  }
  Doc adv = Doc::list();
  for (const auto& r : rules) {
    if (!r.applies(ac)) continue;
    Doc a = Doc::map();
    a.set("id", r.id);
    a.set("kind", r.kind);
    a.set("message", r.message);
    Doc s = Doc::map();
    if (r.saving) {
      s.set("value", *r.saving);
      s.set("of", r.saving_of);
      s.set("source", r.saving_source);
    } else {
      s.set("value", Doc());
      s.set("reason", r.saving_reason);
    }
    a.set("saving", s);
    a.set("source", r.citation);
    adv.push(a);
  }
  return adv;
}

}  // namespace sml::suggest
