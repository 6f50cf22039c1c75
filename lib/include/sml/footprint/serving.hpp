// Serving estimates (issue 17): what one query (or one LLM request) costs on the device that
// serves it, under a runtime, a batch and a power setting. The roofline is a bound, not an
// estimate: each layer takes max(compute, memory) divided by the fraction of peak the runtime
// reaches, plus the runtime's per-kernel launch and framework overhead; LLM decoding reads the
// weights and the KV cache once per generated token. Every parameter comes from the runtime table
// in catalog/footprint.yaml, fitted on published measurements kept apart from the validation set.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/range.hpp"
#include "sml/hw/device.hpp"

namespace sml::footprint {

// How the serving device is run: which device, runtime, precision, batch, power setting.
inline constexpr std::int64_t kMaxBeamWidth = 64;  // --beam-width sanity bound (see estimate_serving_query)

struct ServingPlan {
  std::string runtime;                  // --runtime; empty: the serving device's usual runtime (choose_runtime)
  std::string precision;                // --serve-precision; empty: the plan's --precision
  std::int64_t batch = 1;               // --serve-batch (queries per forward pass)
  std::string power_mode;               // --power-mode NAME (device/v1 power_modes)
  std::optional<double> power_cap_w;    // --power-cap W
  // --host-accelerators N: accelerators sharing the serving device's host (a one-GPU server: 1);
  // unset: a multi-accelerator node's per-accelerator host share (catalog/footprint.yaml system_power).
  std::optional<std::int64_t> host_accelerators;
  std::string boundary = "system";      // --power-boundary device|system
  // LLM requests (a model given by --params)
  std::optional<double> prompt_tokens, output_tokens;
  std::int64_t concurrency = 1;         // requests decoded together (continuous batching)
  // --beam-width N: beam search keeps N candidate sequences per request, each decoded every step
  // (its own KV cache); the prompt is prefilled once and one token per request comes out per step.
  std::int64_t beam_width = 1;
  // Sequences decoded together: requests × beams. Beams are a batch for the device (each step runs
  // every one of them), so power (batched or single-stream) and the single-stream clock go by this,
  // not by the request count alone.
  std::int64_t sequences() const { return concurrency * beam_width; }
  std::optional<double> kv_bytes_per_token;  // --kv-bytes-per-token; else derived from params
  std::optional<double> layers;              // --layers: transformer layers; else derived from params
  std::optional<double> heads;               // --heads: attention heads; else d_model / 64
  std::optional<double> mean_tokens;         // --mean-tokens: mean real length of an encoder's inputs when the
                                             // runtime skips padding; else every input at --prompt-tokens
};

// The serving-side work of a model: a profiled graph at the serving batch, or an LLM by size.
struct ServingWork {
  const cost::Profile* profile = nullptr;         // ONNX graph profiled at ServingPlan::batch
  const ParametricModel* llm = nullptr;           // decoder LLM known by its parameters
  // A generation (issue 13): PROFILE runs once per request (an encoder-decoder's encoder and its
  // cross-attention keys and values), then STEP, one decode step, once per generated token
  // (ServingPlan::output_tokens times).
  const cost::Profile* step = nullptr;
  // Once after the steps, over all they produced (SpeechT5's post-net convolutions and vocoder); null: nothing.
  const cost::Profile* after = nullptr;
};

// The power the serving device draws, after its power mode and cap, at both boundaries.
struct ServingPower {
  std::optional<Range> device_w;        // the device alone (GPU board, SoC module, chip)
  std::optional<Range> system_w;        // with the host share (hosted accelerators); = device otherwise
  std::string mode;                     // the power mode applied, or "default"
  double peak_scale = 1;                // compute peak under the mode or cap, relative to the top mode
  double memory_scale = 1;              // memory bandwidth under the mode (its memory clock), likewise
  std::string basis;                    // how it was obtained, in words
  std::string null_reason;              // why there is no power figure, when there is none
};

// The runtime parameters from catalog/footprint.yaml (runtimes:), by id and, where an entry names
// the device classes it was fitted for, by the serving device's class (empty: the first entry).
// PROCESSOR ("cpu", "gpu"; serving_processor) further picks among entries fitted on one or the other.
const Runtime& find_runtime(const FootprintModel& model, const std::string& id, const std::string& device_class = "",
                            const std::string& processor = "");

// What DEVICE runs a runtime's kernels on: "gpu" for GPU classes, Apple's SoCs (llama.cpp and Core ML
// offload to the GPU through Metal) and boards whose GPU the catalogue describes (an sm_count or
// peak_clock_hz figure: the Jetsons); "cpu" for CPU classes, phones and boards without one (Raspberry Pi).
std::string serving_processor(const hw::Device& device);

// The runtime queries are costed under, and why. REQUESTED (--runtime) when given; else the
// device's usual deployment runtime (device/v1 runtime:) when the catalogue has fitted parameters
// for it; else its named fallback, else eager PyTorch (sml-estimate's general default) — the
// basis says which and why. sml-estimate and sml-suggest both call this, so they agree.
struct RuntimeChoice {
  const Runtime* runtime = nullptr;
  std::string basis;
};
RuntimeChoice choose_runtime(const hw::Device& device, const FootprintModel& model, const std::string& requested);

// The precision queries are served at when none is given — the one default of sml-estimate and
// sml-suggest: the first of the device's usual runtime's precisions (device/v1 runtime.precisions,
// sourced) that the device has a peak figure for, when CHOICE is that runtime (not a fallback);
// otherwise the precision the device class computes in (int8 on a microcontroller or Edge TPU,
// fp16 on a GPU with an fp16 peak, else fp32). The basis names the runtime and its document, any
// precision skipped for want of a peak, or the device class.
struct PrecisionChoice {
  std::string precision;
  std::string basis;
};
PrecisionChoice usual_precision(const hw::Device& device, const RuntimeChoice& choice);

// Resolves --power-mode / --power-cap against the device (InputError for an unknown mode, with
// the device's modes listed).
ServingPower serving_power(const hw::Device& device, const FootprintModel& model, const ServingPlan& plan);

// The host power one accelerator carries when ACCELERATORS share a server's host (--host-accelerators):
// catalog/footprint.yaml serving_host_power (a one-accelerator server's host, W) / ACCELERATORS.
// serving_power adds the larger of this and a multi-accelerator node's share (system_power).
// InputError when ACCELERATORS < 1 or the model has no serving_host_power.
Range serving_host_share(const FootprintModel& model, std::int64_t accelerators);

// The public serving call (also used by sml-suggest): model work + serving plan + context →
// latency, throughput, tokens/s and energy ranges. The context's device is the serving device.
// Throws InputError when the device lacks a peak for the precision.
InferenceEstimate estimate_serving_query(const ServingWork& work, const ServingPlan& plan, const Context& ctx);

// Parameters one decode step reads for BATCH sequences. Dense: all of them. Mixture of experts with
// E routed experts per layer and k per token: the shared weights P_s plus the routed experts the
// batch touches, E·(1 − (1 − k/E)^B) per layer in expectation when tokens are routed uniformly and
// independently, where the routed weights P_e = (params − active) / (1 − k/E) and P_s = params − P_e
// (at batch 1 that is the active parameters, at large batch all of them). Without E and k: the
// bound min(params, active × B).
double params_read_per_step(const ParametricModel& m, double batch);

// The precision the serving plan computes in, and the bytes per weight it reads (int4: 4.5 bits,
// the GGML Q4_0 block of 32 weights and one fp16 scale).
std::string serving_precision(const ServingPlan& plan, const Plan& base);
double weight_bytes_per_param(const std::string& precision);

}  // namespace sml::footprint
