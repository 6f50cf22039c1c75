// Footprint before the fact (issue 3): from a model's work and a plan (device, count, region,
// data size, serving load) to training time, energy and CO2e, per-query latency and energy, and
// life-cycle totals, each a {low, expected, high} range with the assumptions that made it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/range.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"

namespace sml::footprint {

// What the user asked for. Quantities are in the units of the document keys.
struct Plan {
  std::int64_t devices = 1;
  std::string precision = "fp32";
  std::optional<double> pue;                 // --pue
  std::string pue_setting;                   // --pue-setting
  std::optional<double> carbon_intensity;    // --carbon-intensity (kg/kWh)
  std::optional<double> train_samples, epochs, train_tokens, train_flops, device_hours;
  std::optional<double> queries_per_day, years;
  std::optional<double> lifetime_years;      // overrides the catalogue's hardware lifetime
  std::string accounting_method = "system";  // --accounting-method system|card
  std::string train_stack = "reference";     // --train-stack reference|optimised (profiled CNNs)
  std::string activation_recompute;          // --activation-recompute full|selective|none (LLMs; empty: not stated)
};

// A model known by its parameters only (LLM cards nobody exports as ONNX).
struct ParametricModel {
  double params = 0;
  double active_params = 0;                  // = params unless mixture-of-experts
  // Mixture of experts: routed experts per MoE layer and experts per token (--experts,
  // --experts-per-token), so a decode step at batch B reads the experts B tokens touch.
  std::optional<double> experts, experts_per_token;
  std::optional<double> flops_per_token;     // forward FLOPs per token, when published
  // Attention score and value FLOPs, counted only when all three are stated (never derived from
  // the parameter count): transformer layers, query heads × head dim (d_model in most LLMs) and
  // the training sequence length in tokens (--layers, --attention-width, --train-seq-len).
  std::optional<double> layers, attention_width, train_seq_len;
  // dense-lm or moe-lm for a transformer LM (empty: moe-lm when active_params < params, else
  // dense-lm); anything else ("other": a CNN, an encoder, trees) is not what the conditioned
  // training utilisation was fitted on.
  std::string kind;
};

// Where the numbers come from, resolved once.
struct Context {
  const hw::Device* device = nullptr;
  const Region* region = nullptr;
  SourcedValue pue;                          // value, source
  std::optional<SourcedValue> intensity;     // kg/kWh with source; none without a region or flag
  const FootprintModel* model = nullptr;
};

struct TrainingEstimate {
  std::optional<Range> card_energy_kwh;      // --accounting-method card: TDP × device-hours × PUE
  std::optional<Range> card_co2e_kg;
  bool accounting = false;                   // from --device-hours: a run that happened
  std::optional<double> flops;               // total training FLOPs
  std::optional<double> flops_per_sample;    // from a profile: one training sample (forward and backward)
  std::string flops_basis;
  Range time_s, device_hours;
  // Unknown (with energy_note) where the device has no power figure: the time and device-hours
  // still stand, as a serving estimate's latency does (issue 17).
  std::optional<Range> energy_kwh;
  std::string energy_note;
  std::optional<Range> co2e_kg;
  std::optional<Range> embodied_co2e_kg;
  std::string embodied_note;
  std::optional<Range> power_w;              // average power per device incl. host share
  Doc utilization;                           // the utilisation used (range, basis, runs), null for accounting
  std::string power_basis;
};

struct InferenceEstimate {
  std::int64_t batch = 1;                    // queries per forward pass (LLMs: sequences a decode step runs,
                                             // requests in flight × beams)
  std::int64_t concurrency = 1;              // LLMs: requests outstanding (--concurrency)
  bool llm = false;                          // an LLM given by its parameters (the keys below are its)
  std::int64_t concurrency_effective = 1;    // LLMs: requests in flight, those whose KV cache fits the device
  double kv_cache_bytes = 0;                 // LLMs: the KV cache of the requests in flight at full length
  double memory_bytes = 0;                   // LLMs: weights + KV cache + prefill activations held at once
  std::string capacity_note;                 // LLMs: why fewer requests run than asked (empty: all do)
  std::int64_t beam_width = 1;               // LLMs: beams a request (--beam-width)
  std::string device_id, runtime, precision, power_mode, boundary = "system";
  std::string runtime_basis;                 // why this runtime (choose_runtime)
  std::string precision_basis;               // why this precision (usual_precision, or the flag)
  Range latency_s;                           // one pass (LLMs: one request, prefill + decode)
  Range throughput_per_s;                    // queries (LLM requests) per second at that batch
  std::optional<Range> tokens_per_s;         // LLMs: generated tokens per second over the batch
  std::optional<Range> prefill_s;            // LLMs: time to the first token
  double output_tokens = 0;
  double kv_bytes_per_token = 0;
  std::optional<Range> energy_kwh_per_query; // at the chosen boundary; none without a power figure
  std::optional<Range> energy_kwh_device, energy_kwh_system;  // both boundaries (system with PUE)
  std::string energy_null_reason;
  std::optional<Range> co2e_kg_per_query;
  std::optional<Range> power_w;
  std::string power_basis;
  Range device_s_per_query;                  // device-time per query, for embodied shares
  double kernels = 0, ideal_s = 0;           // kernels launched per pass; roofline bound of the pass
  std::string basis;
  std::vector<std::string> notes;
};

struct ServingEstimate {
  double queries = 0;
  std::optional<Range> energy_kwh;  // unknown where the serving device has no power figure
  std::string energy_note;          // why energy_kwh is unknown
  std::optional<Range> co2e_kg;
  std::optional<Range> embodied_co2e_kg;
  std::string embodied_note;  // why embodied_co2e_kg is unknown
};

// Forward FLOPs per token of the attention scores (Q·Kᵀ) and the weighted values (softmax·V) that
// 2·N leaves out: 4 × layers × sequence length × attention width, 0 unless all three are known.
// Chinchilla (Hoffmann et al. 2022, arXiv:2203.15556, Appendix F) counts 2·T·(key size × heads)
// per token for the logits and as much for the reduction over values; PaLM's model FLOPs
// (Chowdhery et al. 2022, arXiv:2204.02311, Appendix B: 6N + 12·L·H·Q·T per token for training)
// are 3× the same. Both count the full T×T matrix, not the causal half a fused kernel can skip, so
// the utilisation fitted with them (fit_training_utilization.py) carries that convention. Kaplan
// et al. 2020 (arXiv:2001.08361, Table 1) count half as much (2·n_layer·n_ctx·d_attn forward).
double attention_flops_per_token(const ParametricModel& m);

// Training from an ONNX profile (per-layer roofline), or from FLOPs (parametric, --train-flops),
// or accounting from --device-hours. PROFILE may be null (parametric). Throws InputError for a
// plan that does not say how much to train (or UsageError for contradictory flags).
TrainingEstimate estimate_training(const Plan& plan, const Context& ctx, const cost::Profile* profile,
                                   std::int64_t profile_batch, const ParametricModel* parametric);

ServingEstimate estimate_serving(const Plan& plan, const Context& ctx, const InferenceEstimate& inference);

// The whole-run utilisation a training estimate uses (sml-estimate and sml-suggest alike): the
// conditioned model where the catalogue has one and the run is a transformer LM (PARAMETRIC) or a
// profiled CNN (PROFILED, costed per layer: the cnn kind's roofline basis), else the whole-run
// observations on the device's generation (utilization_for), each with its basis.
ConditionedUtilization training_utilization(const Plan& plan, const Context& ctx, const ParametricModel* parametric,
                                            const cost::Profile* profiled);

// Power per device in W as a range, and the basis of it in words.
Range device_power(const Context& ctx, std::string& basis);

// The generation a training fit (utilisation, system power per accelerator) is matched on for D:
// its device/v1 generation when D is a datacenter GPU or TPU, else none. Every fitted training run
// and every measured system power ran on datacenter parts in multi-accelerator nodes; a desktop
// card or an embedded board of the same architecture differs in memory system, power limit and
// host (an RTX 3090 is an Ampere GA102 at 350 W in a workstation, the A100 fits are GA100 in DGX
// nodes), so it keeps the unfitted path.
std::string training_generation(const hw::Device& d);

}  // namespace sml::footprint
