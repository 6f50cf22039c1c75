#include "sml/suggest/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <set>

#include "sml/catalog/advice.hpp"
#include "sml/catalog/family.hpp"
#include "sml/io/svg.hpp"
#include "sml/catalog/models.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::suggest {
namespace {

// Training schedules: with a pretrained backbone, the "1x" COCO schedule is about 12 epochs; from
// random initialisation about 6x that to reach the same accuracy (He, Girshick and Dollár,
// "Rethinking ImageNet Pre-training", ICCV 2019). Defaults; --finetune-epochs/--scratch-epochs.
const char* kScheduleSource =
    "He, Girshick and Dollar, 'Rethinking ImageNet Pre-training', ICCV 2019 (arXiv:1811.08883): 1x schedule "
    "(~12 COCO epochs) with pretraining; from scratch ~6x to catch up";

struct Task {
  std::string id;
  std::vector<std::string> modalities, segments;
  std::optional<double> latency_s, accuracy_min, memory_bytes, co2e_kg_max, data_samples, classes;
  std::string device, region;
  std::optional<double> queries_per_day, years;
};

// Task quantities are sizes, rates and limits: a negative one is a broken task, not a figure.
std::optional<double> num(const YamlFile& f, const YAML::Node& m, const char* k) {
  return m && m.IsMap() ? opt_nonnegative(f, m, k) : std::nullopt;
}

Task read_task(const std::string& text, const std::string& name) {
  const std::string kind = document_kind(text);
  if (kind != "task/v1")
    throw InputError(name + ": expected a task/v1 document (from sml-describe), got " + what_it_is(text));
  const YamlFile f = parse_yaml(text, name);
  return guarded(f, [&] {
    Task t;
    const YAML::Node task = require(f, f.root, "task");
    t.id = get_string(f, task, "id");
    for (const auto& m : sequence(f, f.root, "modalities")) t.modalities.push_back(key_text(f, m));
    for (const auto& s : sequence(f, f.root, "segments")) t.segments.push_back(key_text(f, s));
    const YAML::Node c = mapping(f, f.root, "constraints");
    t.latency_s = num(f, c, "latency_s");
    t.accuracy_min = num(f, c, "accuracy_min");
    t.memory_bytes = num(f, c, "memory_bytes");
    t.co2e_kg_max = num(f, c, "co2e_kg_max");
    t.data_samples = num(f, c, "data_samples");
    t.classes = num(f, c, "classes");
    const YAML::Node d = mapping(f, f.root, "deployment");
    if (d.size() > 0) {
      t.device = opt_string(f, d, "device").value_or("");
      t.region = opt_string(f, d, "region").value_or("");
      t.queries_per_day = opt_nonnegative(f, d, "queries_per_day");
      t.years = opt_nonnegative(f, d, "years");
    }
    return t;
  });
}

struct Candidate {
  const catalog::CatalogModel* model = nullptr;
  std::optional<catalog::FamilyFit> interpolated;  // a scaled core: quality from its family's fit
  std::string scaled_from;
  double scale = 1;
  std::string transfer_from, shared_segment;       // transfer candidates
  const catalog::Quality* quality = nullptr;
  std::optional<double> scratch_co2, finetune_co2, scratch_kwh, finetune_kwh, serving_co2, latency_s;
  std::string cost_note;
  std::vector<std::string> violations;
  bool pareto = false;
  double cost_for_rank() const {
    if (finetune_co2 || scratch_co2) return (finetune_co2 ? *finetune_co2 : *scratch_co2) + serving_co2.value_or(0);
    return model->macs.value_or(model->params.value_or(INFINITY));
  }
};

bool accuracy_like(const std::string& metric) {
  return metric == "top1" || metric == "accuracy" || metric == "clip-acc@1";
}

std::string fmt_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

Doc suggest(const SuggestOptions& o) {
  const std::string text = o.task_text.empty() ? read_input(o.task_path) : o.task_text;
  const Task task = read_task(text, display_name(o.task_path));
  const std::string catalog_dir = data_dir("catalog", o.catalog_dir);
  const auto taxonomy = describe::load_taxonomy(catalog_dir + "/tasks");
  if (std::none_of(taxonomy.begin(), taxonomy.end(), [&](const describe::Task& t) { return t.id == task.id; }))
    throw InputError(display_name(o.task_path) + ": task '" + task.id + "' is not in the catalogue (sml-suggest --list tasks)");
  const auto models = catalog::load_models(catalog_dir + "/models");
  const auto rules = catalog::load_advice(catalog_dir + "/advice/rules.yaml");
  const auto devices = hw::DeviceCatalog::load(data_dir("hw", o.hw_dir) + "/devices");
  const auto regions = footprint::RegionCatalog::load(catalog_dir + "/regions.yaml");
  const auto fmodel = footprint::FootprintModel::load(catalog_dir + "/footprint.yaml");

  // The plan every candidate is costed under, stated in the document.
  const hw::Device& train_device = devices.find(o.train_device);
  // An id from the task document is the document's error, named as such; one from a flag is not.
  auto from_task = [&](const std::string& key, auto&& lookup) -> decltype(lookup()) {
    try {
      return lookup();
    } catch (const InputError& e) {
      throw InputError(display_name(o.task_path) + ": " + key + ": " + e.what());
    }
  };
  const hw::Device& serve_device =
      !o.device.empty() ? devices.find(o.device)
      : task.device.empty() ? train_device
      : from_task("deployment.device", [&]() -> const hw::Device& { return devices.find(task.device); });
  const footprint::Region& region =
      !o.region.empty() ? regions.find(o.region)
      : task.region.empty() ? regions.find("WORLD")
      : from_task("deployment.region", [&]() -> const footprint::Region& { return regions.find(task.region); });
  std::string precision = o.precision;
  if (precision.empty()) precision = train_device.peak("fp16") ? "fp16" : "fp32";
  const std::optional<double> samples = o.samples ? o.samples : task.data_samples;
  footprint::Context ctx;
  ctx.model = &fmodel;
  ctx.region = &region;
  ctx.intensity = region.intensity;
  ctx.pue = region.pue ? *region.pue : regions.pue("unknown");

  // Candidates: models for the task, then models of tasks with the same modality whose functional
  // segments include one the task needs (a backbone or encoder to reuse: knowledge transfer).
  std::vector<Candidate> cands;
  std::set<std::string> taken;
  for (const auto& m : models)
    if (std::count(m.tasks.begin(), m.tasks.end(), task.id)) {
      Candidate c;
      c.model = &m;
      cands.push_back(std::move(c));
      taken.insert(m.id);
    }
  for (const auto& m : models) {
    if (taken.count(m.id)) continue;
    const describe::Task* home = nullptr;
    for (const auto& t : taxonomy)
      if (t.id == m.tasks.front()) home = &t;
    if (!home || std::none_of(home->modalities.begin(), home->modalities.end(), [&](const std::string& x) {
          return std::count(task.modalities.begin(), task.modalities.end(), x) > 0;
        }))
      continue;
    for (const auto& s : m.segments)
      if ((s.name == "backbone" || s.name == "encoder") && std::count(task.segments.begin(), task.segments.end(), s.name)) {
        Candidate c;
        c.model = &m;
        c.transfer_from = home->id;
        c.shared_segment = s.name;
        cands.push_back(c);
        break;
      }
  }

  // Shrunk or expanded cores: the model with MACs and parameters × the factor (a width multiplier w
  // scales both by about w²), its quality read off the family's fit.
  std::deque<catalog::CatalogModel> scaled;
  std::deque<catalog::Quality> scaled_quality;
  for (const auto& spec : o.scales) {
    const std::string id = spec.first;  // named copies: lambdas below capture them (C++17)
    const double factor = spec.second;
    auto base = std::find_if(models.begin(), models.end(), [&](const catalog::CatalogModel& m) { return m.id == id; });
    if (base == models.end()) throw InputError("--scale " + id + ": no such model (sml-suggest --list models)");
    if (factor <= 0) throw InputError("--scale " + id + ": the factor must be more than 0");
    if (!base->macs || base->quality.empty() || base->family.empty())
      throw InputError("--scale " + id + ": needs a model with MACs, a published quality and a family");
    auto fit = catalog::fit_family(models, base->family, base->quality.front().metric, base->quality.front().dataset);
    if (!fit) throw InputError("--scale " + id + ": family '" + base->family + "' has fewer than three members with " +
                               base->quality.front().metric + " on " + base->quality.front().dataset);
    catalog::CatalogModel m = *base;
    m.id = id + "@" + fmt_num(factor) + "x";
    m.name = base->name + " scaled " + fmt_num(factor) + "x";
    m.macs = *base->macs * factor;
    if (base->params) m.params = *base->params * factor;
    m.pretrained.clear();  // a reshaped core has no published weights: trained from scratch
    catalog::Quality q = base->quality.front();
    q.value = std::clamp(fit->at(*m.macs), 0.0, 1.0);
    q.source = "interpolated along the " + base->family + " family (least squares on log10 MACs over " +
               std::to_string(fit->members.size()) + " members, R² " + fmt_num(fit->r2) + ")";
    m.quality = {q};
    scaled.push_back(std::move(m));
    Candidate c;
    c.model = &scaled.back();
    c.interpolated = fit;
    c.scaled_from = id;
    c.scale = factor;
    cands.push_back(std::move(c));
  }

  for (auto& c : cands) {
    const auto& m = *c.model;
    if (!m.quality.empty()) c.quality = &m.quality.front();
    // Work per training sample: 2 FLOPs per MAC of one forward pass, × 3 for forward + backward.
    std::optional<double> fwd;
    if (m.macs) fwd = 2 * *m.macs;
    const double factor = fmodel.training_flops_factor;
    const bool pretrained = !m.pretrained.empty();
    if (!fwd) c.cost_note = "no MAC count in the catalogue: training cost unknown";
    else if (!samples) c.cost_note = "training cost needs the data size: constraints.data_samples in the task, or --samples";
    else {
      footprint::Plan plan;
      plan.precision = precision;
      footprint::ParametricModel pm{m.params.value_or(0), m.params.value_or(0), std::nullopt};
      ctx.device = &train_device;
      plan.train_flops = factor * *fwd * *samples * o.scratch_epochs;
      const auto scratch = footprint::estimate_training(plan, ctx, nullptr, 1, &pm);
      c.scratch_kwh = scratch.energy_kwh.expected;
      if (scratch.co2e_kg) c.scratch_co2 = scratch.co2e_kg->expected;
      if (pretrained) {
        plan.train_flops = factor * *fwd * *samples * o.finetune_epochs;
        const auto ft = footprint::estimate_training(plan, ctx, nullptr, 1, &pm);
        c.finetune_kwh = ft.energy_kwh.expected;
        if (ft.co2e_kg) c.finetune_co2 = ft.co2e_kg->expected;
      }
    }
    // Serving on the deployment device: one forward pass, roofline over weights and arithmetic.
    if (fwd && m.params && serve_device.memory_bandwidth_bytes_per_s.value) {
      const std::string sp = serve_device.peak(precision) ? precision : "fp32";
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
    // Hard constraints.
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

  Doc doc = new_document("suggestions/v1", "sml-suggest");
  Doc& t = doc["task"] = Doc::map();
  t.set("id", task.id);
  t.set("source", display_name(o.task_path));
  Doc& plan = doc["plan"] = Doc::map();
  plan.set("train_device", train_device.id);
  plan.set("precision", precision);
  plan.set("serve_device", serve_device.id);
  plan.set("region", region.id);
  if (region.intensity) plan.set("kg_per_kwh", region.intensity->value);
  plan.set("pue", ctx.pue.value);
  plan.set("samples", samples ? Doc(*samples) : Doc());
  plan.set("finetune_epochs", o.finetune_epochs);
  plan.set("scratch_epochs", o.scratch_epochs);
  plan.set("epochs_source", kScheduleSource);
  plan.set("co2_basis", "expected values of the sml-estimate model (3 × 2 × MACs FLOPs per sample); serving: roofline latency × device power × PUE over queries_per_day × years");
  if (!metric.empty()) plan.set("ranked_on", "fits, then the " + metric + "/CO2e Pareto front, then " + metric);
  Doc& list = doc["candidates"] = Doc::list();
  int rank = 0;
  for (const auto& c : cands) {
    if (rank >= o.top) break;
    const auto& m = *c.model;
    Doc d = Doc::map();
    d.set("rank", ++rank);
    d.set("model", m.id);
    d.set("name", m.name);
    d.set("task", c.transfer_from.empty() ? task.id : c.transfer_from);
    if (!c.transfer_from.empty()) {
      Doc tr = Doc::map();
      tr.set("from_task", c.transfer_from);
      tr.set("shared_segment", c.shared_segment);
      tr.set("note", "reuse its " + c.shared_segment + " and attach a new head for " + task.id);
      d.set("transfer", tr);
    }
    if (c.quality) {
      Doc q = Doc::map();
      q.set("metric", c.quality->metric);
      q.set("value", c.quality->value);
      q.set("dataset", c.quality->dataset);
      q.set("source", c.quality->source);
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
    d.set("params", m.params ? Doc(*m.params) : Doc());
    d.set("macs", m.macs ? Doc(*m.macs) : Doc());
    d.set("fits", c.violations.empty());
    Doc& v = d["violations"] = Doc::list();
    for (const auto& x : c.violations) v.push(x);
    d.set("pareto", c.pareto);
    Doc s = Doc::map();
    s.set("co2e_kg", c.scratch_co2 ? Doc(*c.scratch_co2) : Doc());
    s.set("energy_kwh", c.scratch_kwh ? Doc(*c.scratch_kwh) : Doc());
    d.set("train_scratch", s);
    Doc ft = Doc::map();
    ft.set("co2e_kg", c.finetune_co2 ? Doc(*c.finetune_co2) : Doc());
    ft.set("energy_kwh", c.finetune_kwh ? Doc(*c.finetune_kwh) : Doc());
    if (c.finetune_co2 && c.scratch_co2 && *c.scratch_co2 > 0) ft.set("saving_vs_scratch", 1 - *c.finetune_co2 / *c.scratch_co2);
    if (m.pretrained.empty()) ft.set("note", "no pretrained weights listed");
    d.set("finetune", ft);
    Doc sv = Doc::map();
    sv.set("latency_s", c.latency_s ? Doc(*c.latency_s) : Doc());
    sv.set("co2e_kg", c.serving_co2 ? Doc(*c.serving_co2) : Doc());
    d.set("serving", sv);
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
    }
    list.push(d);
  }

  // Advice that applies to this task, plan and top candidate.
  catalog::AdviceContext ac;
  ac.task_id = task.id;
  ac.modalities = task.modalities;
  ac.data_samples = samples;
  ac.latency_s = task.latency_s;
  ac.memory_bytes = task.memory_bytes;
  ac.device_class = serve_device.device_class;
  ac.precision = precision;
  if (region.intensity) ac.region_kg_per_kwh = region.intensity->value;
  if (!cands.empty()) {
    const auto& top = *cands.front().model;
    ac.pretrained_available = std::any_of(cands.begin(), cands.end(), [](const Candidate& c) { return !c.model->pretrained.empty(); });
    ac.model_family = top.family;
    ac.model_params = top.params;
    ac.training = top.pretrained.empty() ? "scratch" : "finetune";
  }
  Doc& adv = doc["advice"] = Doc::list();
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
  return doc;
}

void write_markdown(std::ostream& out, const Doc& d) {
  auto cell = [](const Doc* v) {
    if (!v || v->is_null()) return std::string("—");
    if (auto n = v->as_number()) return fmt_num(*n);
    return v->as_string();
  };
  out << "### Suggestions for `" << cell(d.path("task.id")) << "`\n\n";
  out << "| # | model | quality | params | fits | fine-tune CO2e (kg) | scratch CO2e (kg) | Pareto |\n";
  out << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : d.find("candidates")->as_list()) {
    std::string quality = c.find("quality")->is_null() ? "—"
                          : cell(c.path("quality.metric")) + " " + cell(c.path("quality.value")) +
                                (c.find("interpolated") ? " (interpolated)" : "");
    std::string fits = c.find("fits")->as_string() == "true" ? "yes" : "no";
    for (const auto& v : c.find("violations")->as_list()) fits += "; " + v.as_string();
    out << "| " << cell(c.find("rank")) << " | " << cell(c.find("model")) << (c.find("transfer") ? " (transfer)" : "")
        << " | " << quality << " | " << cell(c.find("params")) << " | " << fits << " | " << cell(c.path("finetune.co2e_kg"))
        << " | " << cell(c.path("train_scratch.co2e_kg")) << " | " << (c.find("pareto")->as_string() == "true" ? "yes" : "") << " |\n";
  }
  out << "\nPlan: train on " << cell(d.path("plan.train_device")) << " (" << cell(d.path("plan.precision")) << "), serve on "
      << cell(d.path("plan.serve_device")) << ", region " << cell(d.path("plan.region")) << ".\n";
  const auto& advice = d.find("advice")->as_list();
  if (!advice.empty()) {
    out << "\nAdvice:\n";
    for (const auto& a : advice) out << "- **" << cell(a.find("id")) << "** (" << cell(a.find("kind")) << "): " << cell(a.find("message")) << "\n";
  }
}

std::vector<std::string> list_models(const std::string& catalog_dir) {
  std::vector<std::string> out;
  for (const auto& m : catalog::load_models(data_dir("catalog", catalog_dir) + "/models")) {
    std::string line = m.id + "\t" + m.name + " (" + m.tasks.front();
    if (m.params) line += ", " + fmt_num(*m.params / 1e6) + " M params";
    if (!m.quality.empty()) line += ", " + m.quality.front().metric + " " + fmt_num(m.quality.front().value);
    out.push_back(line + ")");
  }
  return out;
}

std::vector<std::string> list_tasks(const std::string& catalog_dir) {
  std::vector<std::string> out;
  for (const auto& t : describe::load_taxonomy(data_dir("catalog", catalog_dir) + "/tasks")) out.push_back(t.id + "\t" + t.name);
  return out;
}

void write_plot(std::ostream& out, const Doc& suggestions) {
  auto number = [](const Doc& d, const char* path) { const Doc* v = d.path(path); return v ? v->as_number() : std::nullopt; };
  const Doc* list = suggestions.find("candidates");
  std::vector<const Doc*> cands;
  bool all_co2 = true;
  std::string metric;
  if (list && list->is_list())
    for (const auto& c : list->as_list()) {
      if (!number(c, "quality.value") || c.find("transfer")) continue;
      if (metric.empty()) metric = c.path("quality.metric")->as_string();
      if (c.path("quality.metric")->as_string() != metric) continue;
      cands.push_back(&c);
      if (!number(c, "finetune.co2e_kg") && !number(c, "train_scratch.co2e_kg")) all_co2 = false;
    }
  svg::Scatter s;
  const std::string task = suggestions.path("task.id") ? suggestions.path("task.id")->as_string() : "task";
  s.title = "Candidates for " + task + ": " + metric + " against " + (all_co2 ? "CO2e" : "MACs") + " (Pareto front in red)";
  s.x_label = all_co2 ? "training (fine-tune, else scratch) + serving CO2e, kg" : "MACs per forward pass";
  s.y_label = metric;
  s.log_x = true;
  for (const Doc* c : cands) {
    double x = 0;
    if (all_co2) x = number(*c, "finetune.co2e_kg").value_or(number(*c, "train_scratch.co2e_kg").value_or(0)) + number(*c, "serving.co2e_kg").value_or(0);
    else x = number(*c, "macs").value_or(0);
    const Doc* pareto = c->find("pareto");
    s.points.push_back({c->find("model")->as_string(), x, *number(*c, "quality.value"), pareto && pareto->as_string() == "true"});
  }
  svg::Figure fig;
  fig.add(s);
  fig.write(out);
}

}  // namespace sml::suggest
