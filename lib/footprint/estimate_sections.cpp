// Which sections a plan wants (training, one query's cost, serving) and computing them on the
// training and serving devices, with the catalogues they need read once; the life-cycle sum.
#include <sys/stat.h>

#include "estimate_parts.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {
namespace detail {

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

const hw::DeviceCatalog& Data::device_catalog() {
  if (!devices) devices = hw::DeviceCatalog::load(data_dir("hw", options.hw_dir) + "/devices");
  return *devices;
}

const RegionCatalog& Data::region_catalog() {
  if (!regions) regions = RegionCatalog::load(data_dir("catalog", options.catalog_dir) + "/regions.yaml");
  return *regions;
}

const FootprintModel& Data::footprint_model() {
  if (!model) model = FootprintModel::load(data_dir("catalog", options.catalog_dir) + "/footprint.yaml");
  return *model;
}

// An id from the catalogue, or a file written by sml-accelsim --emit-hwprofile.
const hw::Device& Data::device(const std::string& spec) {
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

bool wants_training(const Plan& p) { return p.train_samples || p.train_tokens || p.train_flops || p.device_hours; }
bool wants_serving(const Plan& p) { return p.queries_per_day || p.years; }
bool wants_llm_serving(const EstimateOptions& o) {
  return o.parametric && (o.serving.prompt_tokens || o.serving.output_tokens);
}
bool serving_flags(const EstimateOptions& o) {
  return !o.serve_device.empty() || o.serve_batch || !o.serving.power_mode.empty() || o.serving.power_cap_w ||
         o.serving.host_accelerators ||
         wants_llm_serving(o) || !o.task_path.empty() || !o.step_model_path.empty();
}

std::string task_device(const std::string& path) {
  const YamlFile f = load_yaml(path);
  return guarded(f, [&]() -> std::string {
    require_kind(f, "task/v1");
    const YAML::Node d = f.root["deployment"];
    if (!d || !d.IsMap() || !d["device"] || d["device"].IsNull()) return "";
    return get_string(f, d, "device");
  });
}

}  // namespace detail

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

namespace detail {
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

}  // namespace

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
    sp.batch = loaded.serving_profile ? loaded.serve_batch : 1;
    ServingWork work;
    if (loaded.serving_profile) work.profile = &*loaded.serving_profile;
    if (loaded.step_profile) work.step = &*loaded.step_profile;
    if (loaded.after_profile) work.after = &*loaded.after_profile;
    if (o.parametric) work.llm = &*o.parametric;  // an ONNX model has none: no pointer into an empty optional
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

}  // namespace detail
}  // namespace sml::footprint
