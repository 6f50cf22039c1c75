#include "sml/footprint/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <sys/stat.h>

#include "sml/cost/passes.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/footprint/op_support.hpp"
#include "sml/footprint/report.hpp"

namespace sml::footprint {
namespace {

// The batch the profile was counted at: --batch sets only a symbolic leading dim, so a model that
// fixes its first input's leading dim (sml-compose writes batch 1) was profiled at that dim, and a
// training step there covers that many samples, not --batch (which would shorten the run N-fold).
std::int64_t profiled_batch(const cost::Profile& profile, std::int64_t requested) {
  const std::int64_t fallback = requested > 0 ? requested : 1;
  if (requested <= 0 || profile.inputs.empty()) return fallback;
  const std::string& shape = profile.inputs.front().second;
  std::size_t used = 0;
  try {
    const long long lead = std::stoll(shape, &used);
    if (used > 0 && lead > 0) return lead;
  } catch (const std::exception&) {
  }
  return fallback;
}

// Catalogues, read once and only when the plan needs them.
struct Data {
  const EstimateOptions& options;
  std::optional<hw::DeviceCatalog> devices;
  std::optional<RegionCatalog> regions;
  std::optional<FootprintModel> model;
  std::vector<hw::Device> profiles;  // hwprofile/v1 files given as --device

  const hw::DeviceCatalog& device_catalog() {
    if (!devices) devices = hw::DeviceCatalog::load(data_dir("hw", options.hw_dir) + "/devices");
    return *devices;
  }
  const RegionCatalog& region_catalog() {
    if (!regions) regions = RegionCatalog::load(data_dir("catalog", options.catalog_dir) + "/regions.yaml");
    return *regions;
  }
  const FootprintModel& footprint_model() {
    if (!model) model = FootprintModel::load(data_dir("catalog", options.catalog_dir) + "/footprint.yaml");
    return *model;
  }
  // An id from the catalogue, or a file written by sml-accelsim --emit-hwprofile.
  const hw::Device& device(const std::string& spec) {
    struct stat st {};
    if (spec.find('/') != std::string::npos || ((spec.size() > 5 && spec.rfind(".yaml") == spec.size() - 5) &&
                                                 ::stat(spec.c_str(), &st) == 0)) {
      for (const auto& d : profiles)
        if (d.file == spec) return d;
      profiles.push_back(hw::load_hwprofile(spec));
      return profiles.back();
    }
    return device_catalog().find(spec);
  }
};

struct Loaded {
  std::optional<cost::Profile> profile;          // at the training batch
  std::optional<cost::Profile> serving_profile;  // at the serving batch
  std::optional<cost::Profile> step_profile;     // --decoder-step: one decode step, at the serving batch
  std::optional<cost::Profile> after_profile;    // --after-steps: once after the steps
  std::int64_t batch = 1;
};

struct Sections {
  std::optional<TrainingEstimate> training;
  std::optional<InferenceEstimate> inference;
  std::optional<ServingEstimate> serving;
  Context ctx;        // the training device (or the serving device when nothing is trained)
  Context serve_ctx;  // the serving device
};

bool wants_training(const Plan& p) { return p.train_samples || p.train_tokens || p.train_flops || p.device_hours; }
bool wants_serving(const Plan& p) { return p.queries_per_day || p.years; }
bool wants_llm_serving(const EstimateOptions& o) {
  return o.parametric && (o.serving.prompt_tokens || o.serving.output_tokens);
}
bool serving_flags(const EstimateOptions& o) {
  return !o.serve_device.empty() || o.serve_batch || !o.serving.power_mode.empty() || o.serving.power_cap_w ||
         wants_llm_serving(o) || !o.task_path.empty() || !o.step_model_path.empty();
}

// --task TASK.yaml: the deployment device it states, if any.
std::string task_device(const std::string& path) {
  const YamlFile f = load_yaml(path);
  return guarded(f, [&]() -> std::string {
    require_kind(f, "task/v1");
    const YAML::Node d = f.root["deployment"];
    if (!d || !d.IsMap() || !d["device"] || d["device"].IsNull()) return "";
    return get_string(f, d, "device");
  });
}

}  // namespace

void task_token_defaults(const std::string& task_path, ServingPlan& serving) {
  const YamlFile f = load_yaml(task_path);
  guarded(f, [&] {
    require_kind(f, "task/v1");
    const YAML::Node d = f.root["deployment"];
    if (!d || !d.IsMap()) return;
    if (!serving.prompt_tokens) serving.prompt_tokens = opt_nonnegative(f, d, "prompt_tokens");
    if (!serving.output_tokens) serving.output_tokens = opt_nonnegative(f, d, "output_tokens");
  });
}

namespace {

Context make_context(Data& data, const hw::Device& device, const std::string& region_id) {
  const EstimateOptions& o = data.options;
  Context ctx;
  ctx.device = &device;
  ctx.model = &data.footprint_model();
  if (!region_id.empty()) ctx.region = &data.region_catalog().find(region_id);
  if (o.plan.carbon_intensity) {
    ctx.intensity = SourcedValue{*o.plan.carbon_intensity, "given (--carbon-intensity)", 0};
  } else if (ctx.region) {
    if (!ctx.region->intensity)
      throw InputError("region " + ctx.region->id + " has no carbon intensity in the catalogue (" + ctx.region->null_reason + ")");
    ctx.intensity = *ctx.region->intensity;
  }
  if (o.plan.pue) ctx.pue = SourcedValue{*o.plan.pue, "given (--pue)", 0};
  else if (!o.plan.pue_setting.empty()) ctx.pue = data.region_catalog().pue(o.plan.pue_setting);
  else if (ctx.region && ctx.region->pue) ctx.pue = *ctx.region->pue;
  else ctx.pue = data.region_catalog().pue("unknown");
  return ctx;
}

// TRAIN may be null (nothing trained); SERVE is the device queries run on.
Sections compute(Data& data, const Loaded& loaded, const hw::Device* train, const hw::Device& serve, const std::string& region) {
  const EstimateOptions& o = data.options;
  Sections s;
  s.serve_ctx = make_context(data, serve, region);
  s.ctx = train ? make_context(data, *train, region) : s.serve_ctx;
  if (wants_training(o.plan)) {
    if (!train) throw UsageError("a training estimate needs --device ID (see --list devices)");
    s.training = estimate_training(o.plan, s.ctx, loaded.profile ? &*loaded.profile : nullptr, loaded.batch,
                                   o.parametric ? &*o.parametric : nullptr);
  }
  if (loaded.serving_profile || wants_llm_serving(o)) {
    ServingPlan sp = o.serving;
    // The serving precision: --serve-precision; else a given --precision (it still rules serving,
    // as before); else the one default sml-suggest uses too (usual_precision: the device's usual
    // runtime's precision, TensorRT fp16 on a Jetson, int8 on an Edge TPU; else its class's, fp16
    // on a GPU).
    std::string precision_basis = !o.serving.precision.empty() ? "--serve-precision" : "--precision";
    sp.precision = serving_precision(o.serving, o.plan);
    if (o.serving.precision.empty() && !o.precision_given) {
      const auto usual = usual_precision(serve, choose_runtime(serve, *s.serve_ctx.model, o.serving.runtime));
      sp.precision = usual.precision;
      precision_basis = usual.basis + " (--serve-precision to change)";
    }
    sp.batch = loaded.serving_profile ? o.serve_batch.value_or(loaded.batch) : 1;
    ServingWork work;
    if (loaded.serving_profile) work.profile = &*loaded.serving_profile;
    if (loaded.step_profile) work.step = &*loaded.step_profile;
    if (loaded.after_profile) work.after = &*loaded.after_profile;
    else work.llm = &*o.parametric;
    s.inference = estimate_serving_query(work, sp, s.serve_ctx);
    s.inference->precision_basis = precision_basis;
  }
  if (wants_serving(o.plan)) {
    if (!o.plan.queries_per_day || !o.plan.years) throw UsageError("serving needs both --queries-per-day and --years");
    if (!s.inference)
      throw UsageError("a serving estimate needs an ONNX model, or --params with --prompt-tokens/--output-tokens");
    s.serving = estimate_serving(o.plan, s.serve_ctx, *s.inference);
  }
  return s;
}

Doc optional_range(const std::optional<Range>& r) { return r ? r->doc() : Doc(); }

Doc sourced_doc(const SourcedValue& v) {
  Doc d = Doc::map();
  d.set("value", v.value);
  d.set("source", v.source);
  if (v.year) d.set("year", v.year);
  return d;
}

// Life-cycle CO2e: training + serving + embodied (when the device has an embodied figure).
struct Lifecycle {
  bool present = false;  // a training or serving plan was given
  std::optional<Range> training, serving, embodied, total;
  std::optional<Range> energy_kwh;  // unknown when a part's energy is unknown: never a part left out
  std::string embodied_note, energy_note;
};

Lifecycle lifecycle(const Sections& s) {
  Lifecycle l;
  Range energy{}, total{};
  bool have_co2 = true, embodied_known = true, training_energy_known = true;
  Range emb{};
  if (s.training) {
    if (s.training->energy_kwh) energy = energy + *s.training->energy_kwh;
    else { training_energy_known = false; l.energy_note = s.training->energy_note; }
    l.training = s.training->co2e_kg;
    have_co2 = have_co2 && s.training->co2e_kg;
    if (s.training->embodied_co2e_kg) emb = emb + *s.training->embodied_co2e_kg;
    else { embodied_known = false; l.embodied_note = s.training->embodied_note; }
  }
  bool energy_known = training_energy_known;
  if (s.serving) {
    if (s.serving->energy_kwh) energy = energy + *s.serving->energy_kwh;
    else {
      energy_known = false;
      l.energy_note += (l.energy_note.empty() ? "" : "; ") + s.serving->energy_note;
    }
    l.serving = s.serving->co2e_kg;
    have_co2 = have_co2 && s.serving->co2e_kg;
    if (s.serving->embodied_co2e_kg) emb = emb + *s.serving->embodied_co2e_kg;
    else if (l.embodied_note != s.serving->embodied_note) {  // the serving device's reason, unless it is the training device's
      embodied_known = false;
      l.embodied_note += (l.embodied_note.empty() ? "" : "; ") + s.serving->embodied_note;
    } else embodied_known = false;
  }
  if (!s.training && !s.serving) return l;
  l.present = true;
  if (energy_known) l.energy_kwh = energy;
  if (embodied_known) l.embodied = emb;
  if (have_co2) {
    total = (l.training ? *l.training : Range{}) + (l.serving ? *l.serving : Range{});
    if (l.embodied) total = total + *l.embodied;
    l.total = total;
  }
  return l;
}

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
      p.set("system_power_multiple_of_tdp", ctx.model->system_power_for(ctx.device->name, ctx.device->device_class == "datacenter-tpu", ctx.device->tdp_rated).doc());
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
  if (i.prefill_s) {
    d.set("time_to_first_token_s", i.prefill_s->doc());
    d.set("output_tokens", i.output_tokens);
    d.set("kv_bytes_per_token", i.kv_bytes_per_token);
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
  if (!rt.kv_cache_concat.empty()) r.set("kv_cache_concat", rt.kv_cache_concat);
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

// The figure a gate reads, in the gate's unit; nullopt when the plan does not produce it.
std::optional<Range> gate_quantity(const std::string& name, const Sections& s, const Lifecycle& l) {
  if (name == "co2") return l.total;
  if (name == "energy") return l.energy_kwh;
  if (name == "time") return s.training ? std::optional<Range>(s.training->time_s) : std::nullopt;
  if (name == "latency") return s.inference ? std::optional<Range>(s.inference->latency_s) : std::nullopt;
  return std::nullopt;
}

const char* gate_unit(const std::string& name) {
  if (name == "co2") return "kg";
  if (name == "energy") return "kWh";
  return "s";
}

}  // namespace

EstimateResult estimate(const EstimateOptions& given) {
  // The task's request and answer lengths are defaults of --prompt-tokens / --output-tokens: applied
  // here, before anything asks whether an LLM is served, so every caller of estimate() gets them.
  EstimateOptions o = given;
  if (!o.task_path.empty()) task_token_defaults(o.task_path, o.serving);
  EstimateResult result;
  Data data{o, {}, {}, {}, {}};
  Loaded loaded;
  Doc doc = new_document("estimate/v1", "sml-estimate");
  const bool any_plan = !o.device.empty() || wants_training(o.plan) || wants_serving(o.plan) || !o.gates.empty() ||
                        !o.compare_devices.empty() || !o.compare_regions.empty() || serving_flags(o);

  if (!o.model_path.empty()) {
    const graph::Model model = graph::load_model(o.model_path);
    Doc& m = doc["model"] = Doc::map();
    m.set("file", display_name(o.model_path));
    m.set("ir_version", Doc(static_cast<long long>(model.ir_version)));
    m.set("opset", Doc(static_cast<long long>(model.opset(""))));
    if (!model.producer_name.empty())
      m.set("producer", model.producer_name + (model.producer_version.empty() ? "" : " " + model.producer_version));
    loaded.profile = cost::profile_model(model, o.infer);
    loaded.batch = profiled_batch(*loaded.profile, o.infer.batch);
    // A pipeline in one graph (sml.passes): the profile printed and served is one query's (each
    // part times its runs); training keeps one run of each part and weighs it by train_runs.
    const std::vector<cost::PassRun> passes = loaded.profile->passes;
    Doc profile_doc = cost::profile_to_doc(cost::per_query_profile(*loaded.profile, passes), o.layers);
    if (!passes.empty()) profile_doc.set("passes", cost::passes_doc(*loaded.profile));
    doc.set("profile", profile_doc);
    if (any_plan) {
      // Queries are served at --serve-batch, else at --batch (the profiled batch).
      const std::int64_t serve_batch = o.serve_batch.value_or(loaded.batch);
      if (serve_batch == loaded.batch) {
        loaded.serving_profile = cost::per_query_profile(*loaded.profile, passes);
      } else {
        graph::InferOptions at = o.infer;
        at.batch = serve_batch;
        loaded.serving_profile = cost::per_query_profile(cost::profile_model(model, at), passes);
      }
      if (!o.step_model_path.empty()) {  // one decode step, run once per generated token (issue 13)
        graph::InferOptions at = o.infer;
        at.batch = serve_batch;
        loaded.step_profile = cost::profile_model(graph::load_model(o.step_model_path), at);
        if (!loaded.step_profile->uncounted.empty())
          result.verdicts.push_back("warning: the decode step has " + std::to_string(loaded.step_profile->uncounted.size()) +
                                    " op types uncounted: its time and energy are low");
      }
      if (!o.after_model_path.empty()) {  // once after the steps, over every frame they produced
        if (o.step_model_path.empty()) throw UsageError("--after-steps runs after the decode steps: give --decoder-step too");
        graph::InferOptions at = o.infer;
        at.batch = serve_batch;
        loaded.after_profile = cost::profile_model(graph::load_model(o.after_model_path), at);
      }
      if (!loaded.profile->uncounted.empty())
        result.verdicts.push_back("warning: " + std::to_string(loaded.profile->uncounted.size()) +
                                  " op types are uncounted (profile.total.uncounted_nodes): time and energy are low");
    }
  } else if (o.parametric) {
    if (!o.step_model_path.empty()) throw UsageError("--decoder-step is the decode step of an ONNX model: give the model's once-per-request graph too");
    Doc& m = doc["model"] = Doc::map();
    m.set("params", o.parametric->params);
    m.set("active_params", o.parametric->active_params);
    if (o.parametric->flops_per_token) m.set("flops_per_token", *o.parametric->flops_per_token);
    if (const double a = attention_flops_per_token(*o.parametric); a > 0 && !o.parametric->flops_per_token) {
      m.set("layers", *o.parametric->layers);
      m.set("attention_width", *o.parametric->attention_width);
      m.set("train_seq_len", *o.parametric->train_seq_len);
      m.set("attention_flops_per_token", a);  // forward; training counts training_flops_factor × this
    }
  } else {
    throw UsageError("give an ONNX model, or --params N for a model known by its size");
  }
  if (o.plan.devices < 1) throw InputError("--devices must be at least 1");
  if (!any_plan) {
    if (!o.baseline_path.empty()) doc.set("baseline", baseline_diff(doc, o.baseline_path));
    return EstimateResult{doc, false, result.verdicts};
  }
  // Serving runs on --serve-device, else the task's deployment device, else the training device.
  std::string serve_id = o.serve_device;
  if (serve_id.empty() && !o.task_path.empty()) serve_id = task_device(o.task_path);
  if (serve_id.empty()) serve_id = o.device;
  if (serve_id.empty()) throw UsageError("a footprint estimate needs --device ID (see --list devices)");
  const hw::Device* train = o.device.empty() ? nullptr : &data.device(o.device);
  const hw::Device& serve = data.device(serve_id);
  const Sections s = compute(data, loaded, train, serve, o.region);
  if (s.training) doc.set("training", training_doc(*s.training, s.ctx, o.plan));
  if (s.inference) doc.set("inference", inference_doc(*s.inference, s.serve_ctx));
  // A device whose runtime runs only some operators (hw/operator-support): the latency above runs
  // every op on its accelerator, so say which ops it lacks or maps poorly and whether that holds.
  std::vector<OpTable> op_tables;  // outlives `ops`, which points into it
  std::optional<OpSupport> ops;
  if (s.inference && loaded.serving_profile) {
    op_tables = load_op_tables(data_dir("hw", o.hw_dir) + "/operator-support");
    if (const OpTable* t = op_table_for(op_tables, serve)) {
      ops = op_support(*loaded.serving_profile, *t);
      doc["inference"].set("operator_support", op_support_doc(*ops, serve.id));
      if (ops->latency_holds != "yes")
        result.verdicts.push_back(std::string("warning: the latency on ") + serve.id +
                                  (ops->latency_holds == "no" ? " does not hold: " : " is not known to hold: ") + ops->reason());
    }
  }
  if (s.serving) {
    Doc sv = Doc::map();
    sv.set("queries_per_day", *o.plan.queries_per_day);
    sv.set("years", *o.plan.years);
    sv.set("queries", s.serving->queries);
    sv.set("energy_kwh", optional_range(s.serving->energy_kwh));
    if (!s.serving->energy_kwh) sv.set("energy_note", s.serving->energy_note);
    if (s.serving->co2e_kg) sv.set("co2e_kg", s.serving->co2e_kg->doc());
    doc.set("serving", sv);
  }
  const Lifecycle l = lifecycle(s);
  if (l.present) {
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
    doc.set("lifecycle", lc);
  }

  // What-ifs: the same plan on other devices and in other regions, sorted by CO2e.
  if (!o.compare_devices.empty() || !o.compare_regions.empty()) {
    const std::vector<std::string> devs = o.compare_devices.empty() ? std::vector<std::string>{serve_id} : o.compare_devices;
    const std::vector<std::string> regs = o.compare_regions.empty() ? std::vector<std::string>{o.region} : o.compare_regions;
    struct Row { std::string device, region; Sections s; Lifecycle l; };
    std::vector<Row> rows;
    for (const auto& dv : devs)
      for (const auto& rg : regs) {
        const hw::Device& what_if = data.device(dv);
        Row r{dv, rg, compute(data, loaded, train ? &what_if : nullptr, what_if, rg), {}};
        r.l = lifecycle(r.s);
        rows.push_back(std::move(r));
      }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      const double x = a.l.total ? a.l.total->expected : INFINITY, y = b.l.total ? b.l.total->expected : INFINITY;
      return x < y;
    });
    Doc& cmp = doc["compare"] = Doc::list();
    for (const auto& r : rows) {
      Doc d = Doc::map();
      d.set("device", r.s.ctx.device->id);
      d.set("region", r.region.empty() ? Doc() : Doc(r.region));
      if (r.s.training) d.set("training_time_s", r.s.training->time_s.expected);
      if (r.s.inference) d.set("latency_s", r.s.inference->latency_s.expected);
      if (r.l.energy_kwh) d.set("energy_kwh", r.l.energy_kwh->expected);
      d.set("co2e_kg", r.l.total ? Doc(r.l.total->expected) : Doc());
      cmp.push(d);
    }
  }

  if (!o.gates.empty()) {
    // A figure from an incomplete profile is a lower bound or holds for inputs nobody chose: a gate
    // on it fails with reason "coverage" unless the user accepts it (DESIGN.md §7).
    const std::string gaps = loaded.profile ? loaded.profile->coverage.gaps() : "";
    Doc& gates = doc["gates"] = Doc::list();
    for (const auto& g : o.gates) {
      const auto q = gate_quantity(g.name, s, l);
      // Serving energy unknown (no power figure): an energy or CO2e gate has nothing to pass on.
      // Unknown is never within a budget, so the gate fails with the reason (exit 3), as a gate on
      // an incomplete profile does; the latency and training figures still stand.
      if (!q && (g.name == "energy" || g.name == "co2") && !l.energy_note.empty()) {
        Doc d = Doc::map();
        d.set("name", g.name);
        d.set("limit", g.limit);
        d.set("value", Doc());
        d.set("on", o.gate_on_high ? "high" : "expected");
        d.set("passed", false);
        d.set("reason", "unknown");
        d.set("unknown", l.energy_note);
        gates.push(d);
        result.over_budget = true;
        result.verdicts.push_back("gate " + g.name + ": unknown (" + l.energy_note + "): FAILED");
        continue;
      }
      if (!q) {
        const std::string need = g.name == "co2" ? "a training or serving plan and --region or --carbon-intensity"
                               : g.name == "latency" ? "an ONNX model (or --params with --output-tokens) and a device"
                               : g.name == "time" ? "a training plan" : "a training or serving plan";
        throw UsageError("--max-" + g.name + " needs " + need);
      }
      const double value = o.gate_on_high ? q->high : q->expected;
      const bool within = value <= g.limit;
      // A latency the device's operator table says does not hold (or may not) passes no gate.
      const bool ops_doubt = g.name == "latency" && ops && ops->latency_holds != "yes";
      const bool passed = within && !ops_doubt && (gaps.empty() || o.allow_partial);
      Doc d = Doc::map();
      d.set("name", g.name);
      d.set("limit", g.limit);
      d.set("value", value);
      d.set("on", o.gate_on_high ? "high" : "expected");
      d.set("passed", passed);
      if (!passed) d.set("reason", !within ? "limit" : ops_doubt ? "operators" : "coverage");
      if (!gaps.empty()) d.set("coverage", (o.allow_partial ? "incomplete, accepted (--allow-partial): " : "incomplete: ") + gaps);
      gates.push(d);
      result.over_budget = result.over_budget || !passed;
      result.verdicts.push_back("gate " + g.name + ": " + format_number(value) + " " + gate_unit(g.name) +
                                (within ? " <= " : " > ") + format_number(g.limit) + " " + gate_unit(g.name) + " (" +
                                (o.gate_on_high ? "high" : "expected") + "): " + (passed ? "passed" : "FAILED") +
                                (within && ops_doubt ? " (operators: the latency on " + serve.id + " does not hold or is not known to hold; see inference.operator_support)"
                                 : within && !passed ? " (coverage: " + gaps + "; the figure is not trusted: give the inputs, "
                                                     "or accept it with --allow-partial)"
                                                   : "") +
                                (passed && !gaps.empty() ? " (partial profile accepted: " + gaps + ")" : ""));
    }
  }
  if (!o.baseline_path.empty()) doc.set("baseline", baseline_diff(doc, o.baseline_path));
  result.doc = std::move(doc);
  return result;
}

std::vector<std::string> list_devices(const std::string& hw_dir) {
  const auto catalog = hw::DeviceCatalog::load(data_dir("hw", hw_dir) + "/devices");
  std::vector<std::string> lines;
  for (const auto& d : catalog.all()) {
    std::string line = d.id + "\t" + d.name + " (" + d.device_class + (d.year ? ", " + std::to_string(d.year) : "") + ")";
    for (const char* p : {"fp32", "fp16", "bf16", "int8"})
      if (auto v = d.peak(p)) line += std::string(", ") + p + " " + format_number(*v / 1e12) + " T";
    if (d.tdp_w.value) line += ", " + format_number(*d.tdp_w.value) + " W";
    if (!d.aliases.empty()) {
      line += "; aliases:";
      for (const auto& a : d.aliases) line += " " + a;
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> list_regions(const std::string& catalog_dir) {
  const auto catalog = RegionCatalog::load(data_dir("catalog", catalog_dir) + "/regions.yaml");
  std::vector<std::string> lines;
  for (const auto& r : catalog.all()) {
    std::string line = r.id + "\t" + r.name;
    if (r.intensity) line += ", " + format_number(r.intensity->value) + " kg/kWh (" + std::to_string(r.intensity->year) + ", " + r.basis + ")";
    else line += ", no figure: " + r.null_reason;
    lines.push_back(line);
  }
  return lines;
}

}  // namespace sml::footprint
