#include "sml/footprint/plan.hpp"

#include <cmath>

#include "sml/hw/roofline.hpp"
#include "sml/io/error.hpp"

namespace sml::footprint {
namespace {

constexpr double kSecondsPerYear = 365.25 * 86400;

double tdp(const hw::Device& d) {
  if (!d.tdp_w.value || *d.tdp_w.value <= 0)
    throw InputError(d.file + ": device " + d.id + " has no TDP (" + d.tdp_w.reason + "): energy cannot be estimated");
  return *d.tdp_w.value;
}

std::optional<Range> carbon(const Context& ctx, const Range& energy_kwh) {
  if (!ctx.intensity) return std::nullopt;
  return energy_kwh * ctx.intensity->value;
}

// Embodied emissions of DEVICE_SECONDS of device time: its share of the device's lifetime.
std::optional<Range> embodied(const Context& ctx, const Plan& plan, const Range& device_seconds, std::string* note) {
  const hw::Device& d = *ctx.device;
  if (!d.embodied_co2e_kg.value) {
    if (note) *note = "device " + d.id + " has no embodied figure in the catalogue (" + d.embodied_co2e_kg.reason + ")";
    return std::nullopt;
  }
  const Range lifetime_s = (plan.lifetime_years ? Range::exact(*plan.lifetime_years) : ctx.model->lifetime_years.range) * kSecondsPerYear;
  // A longer lifetime spreads the same emissions thinner: the high share goes with the short life.
  return device_seconds * lifetime_s.inverse() * *d.embodied_co2e_kg.value;
}

}  // namespace

std::string training_generation(const hw::Device& d) {
  return d.device_class == "datacenter-gpu" || d.device_class == "datacenter-tpu" ? d.generation : std::string();
}

Range device_power(const Context& ctx, std::string& basis) {
  const hw::Device& d = *ctx.device;
  const double t = tdp(d);
  if (d.hosted()) {
    basis = "accelerator TDP (" + std::to_string(static_cast<long long>(t)) +
            " W) × measured system power per accelerator, host share included";
    return ctx.model->system_power_on_generation(training_generation(d), d.device_class == "datacenter-tpu", d.tdp_rated).range * t;
  }
  // A CPU, SoC or board is the whole system: between its idle power (when known) and its TDP.
  const double idle = d.idle_w.value ? *d.idle_w.value : t;
  basis = d.idle_w.value ? "between the device's idle power and its TDP" : "the device's TDP (no idle figure)";
  return Range{idle, t, t};
}

double attention_flops_per_token(const ParametricModel& m) {
  if (!m.layers || !m.attention_width || !m.train_seq_len) return 0;
  return 4 * *m.layers * *m.train_seq_len * *m.attention_width;
}

namespace {

// The device's 16-bit tensor peak (bf16, else fp16), when it states one.
std::optional<double> sixteen_bit_peak(const hw::Device& d) {
  const std::optional<double> p = d.peak("bf16") ? d.peak("bf16") : d.peak("fp16");
  return p && *p > 0 ? p : std::nullopt;
}

// The training FLOPs of the attention scores and values of an LLM given by its shape, when the plan
// trains in a format faster than 16-bit (FP8, int8): those run at the 16-bit peak; 0 otherwise.
double attention_at_16_bit(const Plan& plan, const hw::Device& d, const ParametricModel* parametric, double factor) {
  if (!parametric || plan.train_flops || parametric->flops_per_token || !plan.train_tokens) return 0;
  const double a = attention_flops_per_token(*parametric);
  const std::optional<double> sixteen = sixteen_bit_peak(d);
  if (a <= 0 || !sixteen || !(hw::peak_flops(d, plan.precision) > *sixteen)) return 0;
  return factor * a * *plan.train_tokens;
}

}  // namespace

ConditionedUtilization training_utilization(const Plan& plan, const Context& ctx, const ParametricModel* parametric,
                                            const cost::Profile* profiled) {
  const hw::Device& d = *ctx.device;
  const FootprintModel& model = *ctx.model;
  if (model.training_utilization && profiled) {
    // A profiled network: its ideal is the per-layer roofline of a training step, and only a kind
    // fitted against that (cnn) conditions it.
    UtilizationQuery q;
    q.device_generation = training_generation(d);
    q.device_class = d.device_class;
    q.kind = profiled_kind(*profiled);
    q.precision = plan.precision;
    q.roofline = true;
    q.devices = static_cast<double>(plan.devices);
    q.stack = plan.train_stack;
    if (auto c = condition_utilization(*model.training_utilization, q)) return *c;
  }
  if (model.training_utilization && parametric && !profiled) {
    UtilizationQuery q;
    q.device_generation = training_generation(d);
    q.device_class = d.device_class;
    q.kind = !parametric->kind.empty() ? parametric->kind
             : parametric->active_params > 0 && parametric->active_params < parametric->params ? "moe-lm"
                                                                                               : "dense-lm";
    q.active_params = parametric->active_params > 0 ? parametric->active_params : parametric->params;
    q.precision = plan.precision;
    q.recompute = plan.activation_recompute;
    q.devices = static_cast<double>(plan.devices);  // a precision cell's strong scaling
    // The fit runs trained in 16-bit: how much faster (or slower) this precision's peak is.
    const std::optional<double> fitted = sixteen_bit_peak(d);
    const std::optional<double> own = d.peak(plan.precision);
    if (fitted && own && *fitted > 0 && *own > 0) q.peak_ratio = *fitted / *own;
    // The fit whose FLOP count matches this run's: 6·N·D alone when the tool derives the FLOPs
    // without a shape; else (a stated shape, a per-token count from a profiled graph or a
    // publication, published total FLOPs, all entered as they are) the main fit.
    const bool six_nd = !plan.train_flops && !parametric->flops_per_token && attention_flops_per_token(*parametric) == 0;
    if (six_nd && model.training_utilization_6nd) {
      if (auto c = condition_utilization(*model.training_utilization_6nd, q)) {
        c->basis += "; fitted with the fit runs' FLOPs as 6·N·D alone, as this run's are (attention not counted: "
                    "--layers, --attention-width and --train-seq-len count it)";
        return *c;
      }
    }
    if (auto c = condition_utilization(*model.training_utilization, q)) return *c;
  }
  // Not a transformer LM nor a profiled CNN (an encoder, trees), or a catalogue without the
  // conditioned model: the whole-run observations, unconditioned on kind and size.
  const Parameter p = model.utilization_for(training_generation(d));
  ConditionedUtilization c;
  c.range = p.range;
  c.basis = p.meaning + "; not conditioned on kind or size: " +
            (!model.training_utilization ? std::string("the catalogue has no training_utilization model")
                                         : "the conditioned model is fitted on transformer LM runs (given by parameters) and "
                                           "profiled CNNs only, and no whole-run observation of this kind of model was collected");
  for (const auto& o : p.observations) c.fitted_on.push_back(o.what);
  c.observations = p.doc()["sources"];
  return c;
}

TrainingEstimate estimate_training(const Plan& plan, const Context& ctx, const cost::Profile* profile,
                                   std::int64_t profile_batch, const ParametricModel* parametric) {
  TrainingEstimate t;
  const hw::Device& d = *ctx.device;
  const double n = static_cast<double>(plan.devices);
  const double factor = ctx.model->training_flops_factor;
  // How much work: total FLOPs when they can be known.
  if (plan.train_flops) {
    t.flops = *plan.train_flops;
    t.flops_basis = "given (--train-flops)";
  } else if (parametric && plan.train_tokens) {
    // A published per-token count stands as given; else 2·N, plus the attention scores and values
    // where the layers, attention width and training sequence length are stated.
    const double attention = parametric->flops_per_token ? 0 : attention_flops_per_token(*parametric);
    const double per_token = parametric->flops_per_token ? *parametric->flops_per_token : 2 * parametric->active_params + attention;
    t.flops = factor * per_token * *plan.train_tokens;
    t.flops_basis = parametric->flops_per_token
                        ? "training_flops_factor × forward FLOPs per token × tokens"
                    : attention > 0
                        ? "training_flops_factor × (2 × active params + 4 × layers × sequence length × attention width) × "
                          "tokens (6·N·D plus the attention scores and values over the full sequence, as PaLM's model "
                          "FLOPs count them)"
                        : "2 × training_flops_factor × active params × tokens (6·N·D; attention scores and values not "
                          "counted: give --layers, --attention-width and --train-seq-len)";
  } else if (profile && plan.train_samples) {
    const double epochs = plan.epochs.value_or(1);
    const std::vector<double> work = cost::training_work(*profile, factor);
    double step_flops = 0;
    for (std::size_t i = 0; i < work.size(); ++i) step_flops += work[i] * profile->layers[i].flops;
    t.flops_per_sample = step_flops / static_cast<double>(profile_batch);
    t.flops = *t.flops_per_sample * *plan.train_samples * epochs;
    t.flops_basis = !profile->passes.empty()
                        ? "per training sample under the model's passes (sml.passes): each part's forward FLOPs × its "
                          "train_runs, × training_flops_factor where it learns, × 1 where it is frozen (forward only); "
                          "× samples × epochs"
                    : profile->frozen_params > 0
                        ? "fine-tuning with " + std::to_string(profile->frozen_params) +
                              " frozen parameters (sml.frozen): per layer, forward FLOPs × (1 before the first layer that "
                              "trains; training_flops_factor after it; halfway for frozen layers after it) × samples × epochs"
                        : "training_flops_factor × forward FLOPs per sample × samples × epochs";
  }

  if (plan.device_hours) {
    t.accounting = true;
    t.device_hours = Range::exact(*plan.device_hours);
    t.time_s = Range::exact(*plan.device_hours * 3600 / n);
  } else {
    if (!t.flops)
      throw InputError(parametric ? "a training estimate needs --train-tokens, --train-flops or --device-hours"
                                  : "a training estimate needs --train-samples [--epochs], --train-flops or --device-hours");
    // Real runs reach a fraction of the ideal: the utilisation published training runs achieved.
    const ConditionedUtilization u =
        training_utilization(plan, ctx, parametric, profile && !plan.train_flops && plan.train_samples ? profile : nullptr);
    Range ideal_s;
    if (profile && !plan.train_flops && plan.train_samples) {
      // Per-layer roofline of one training step (forward + backward) at the profiled batch, its
      // data movement at the share of the bandwidth the utilisation's cell was fitted against.
      const hw::RooflineTime step =
          hw::roofline(*profile, d, plan.precision, cost::training_work(*profile, factor), u.memory_bandwidth_share);
      const double steps = *plan.train_samples * plan.epochs.value_or(1) / static_cast<double>(profile_batch);
      ideal_s = Range::exact(step.seconds * steps / n);
    } else {
      const double peak = hw::peak_flops(d, plan.precision);
      const double attention = attention_at_16_bit(plan, d, parametric, factor);
      ideal_s = Range::exact(attention > 0 ? ((*t.flops - attention) / peak + attention / *sixteen_bit_peak(d)) / n
                                           : *t.flops / (peak * n));
      if (attention > 0)
        t.flops_basis += "; the attention scores and values (" + format_number(std::round(1000 * attention / *t.flops) / 10) +
                         "% of the FLOPs) at the 16-bit peak: an " + plan.precision +
                         " run multiplies its linear layers in " + plan.precision +
                         " and keeps attention in BF16 (DeepSeek-V3, arXiv:2412.19437, Sec. 3.3.1; Transformer Engine's "
                         "FP8 recipe leaves dot-product attention in BF16 unless fp8_dpa is set)";
    }
    t.utilization = u.doc();
    if (u.memory_bandwidth_share < 1) t.utilization.set("memory_bandwidth_share", u.memory_bandwidth_share);
    t.time_s = ideal_s * u.range.inverse();
    t.device_hours = t.time_s * (n / 3600);
  }
  t.embodied_co2e_kg = embodied(ctx, plan, t.device_hours * 3600, &t.embodied_note);
  if (!d.tdp_w.value || *d.tdp_w.value <= 0) {
    // No power figure (Google publishes none for TPU v5e): the run's length is still estimated;
    // its energy, CO2e and the card figure are unknown, and say why.
    t.energy_note = "training energy unknown: device " + d.id + " has no TDP (" + d.tdp_w.reason + ")";
    return t;
  }
  t.power_w = device_power(ctx, t.power_basis);
  // How long a run takes and what its devices draw are uncertain independently: in quadrature.
  t.energy_kwh = t.device_hours.product_independent(*t.power_w) * (ctx.pue.value / 1000);
  t.co2e_kg = carbon(ctx, *t.energy_kwh);
  if (plan.accounting_method == "card") {
    // As model cards count: the accelerator's rating × device-hours × PUE, no host, no utilisation.
    t.card_energy_kwh = t.device_hours * (tdp(d) * ctx.pue.value / 1000);
    t.card_co2e_kg = carbon(ctx, *t.card_energy_kwh);
  }
  return t;
}

ServingEstimate estimate_serving(const Plan& plan, const Context& ctx, const InferenceEstimate& inference) {
  ServingEstimate s;
  s.queries = *plan.queries_per_day * 365.25 * *plan.years;
  // A device with no power figure still has a latency and a device-time, so the rest of the
  // estimate (and a latency gate) stands; its serving energy is unknown, with the reason.
  if (inference.energy_kwh_per_query) {
    s.energy_kwh = *inference.energy_kwh_per_query * s.queries;
    s.co2e_kg = carbon(ctx, *s.energy_kwh);
  } else {
    s.energy_note = "serving energy unknown: " + inference.energy_null_reason;
  }
  s.embodied_co2e_kg = embodied(ctx, plan, inference.device_s_per_query * s.queries, &s.embodied_note);
  return s;
}

}  // namespace sml::footprint
