// An LLM given by its parameter count (issue 17): the prompt's prefill pass, the decode steps as
// memory-bound reads of the weights and KV cache, and the concurrency they are served at.
#include <algorithm>
#include <cmath>

#include "serving_query.hpp"
#include "sml/footprint/kernels.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"

namespace sml::footprint::serving_detail {
namespace {

// Decoder geometry from the parameter count alone: N ≈ 12·L·d² with d ≈ 128·L, the aspect ratio of
// published dense decoders (Llama 2 7B: d 4096, L 32; GPT-3 175B: d 12288, L 96; Llama 2 70B:
// 8192 / 80 = 102). Used for the KV cache when --kv-bytes-per-token is not given.
double layers_from_params(double params) { return std::cbrt(params / (12.0 * 128 * 128)); }
// The width of a transformer of PARAMS weights in LAYERS layers: N ≈ 12·L·d².
double d_model_of(double params, double layers) { return std::sqrt(params / (12 * layers)); }

// The bytes of one KV-cache element. The cache holds the attention's keys and values, activations:
// runtimes keep it in the activation dtype, not the weights' format, unless a cache dtype is set —
// vLLM's kv_cache_dtype defaults to "auto", the model's dtype (vllm/config.py, CacheConfig), and
// TensorRT-LLM and PyTorch (transformers' DynamicCache) keep fp16/bf16 keys and values for int8,
// fp8 (W8A8 or weight-only) and int4 (W4A16) weights alike. So 4 B for fp32 and tf32, 2 B for
// every other serving precision; 2 B where the runtime states an fp16 cache (kv_cache_fp16:
// llama.cpp's --cache-type-k defaults to f16, on CPU too).
double kv_element_bytes(const QueryRates& q) {
  if (!q.rt->kv_cache_fp16.empty()) return 2;
  return q.precision == "fp32" || q.precision == "tf32" ? 4 : 2;
}

// KV cache bytes per token: keys and values of every layer at d_model width (multi-head attention;
// grouped-query attention stores less — give --kv-bytes-per-token for such models).
double kv_bytes_per_token(const ServingPlan& plan, const ParametricModel& m, double bytes) {
  if (plan.kv_bytes_per_token) return *plan.kv_bytes_per_token;
  const double layers = plan.layers ? *plan.layers : layers_from_params(m.params);
  const double d_model = d_model_of(m.params, layers);
  return 2 * layers * d_model * bytes;
}

// The compute peaks an LLM given by --params runs at: TPEAK for GEMMs of transformers (the GPU's own
// int8 peak where the device's counts other engines), PRE_PEAK for prefill (fp16-accumulate where
// the runtime accumulates in fp16).
struct LlmPeaks {
  double tpeak = 0, pre_peak = 0;
};
LlmPeaks llm_peaks(const QueryRates& q, std::vector<std::string>& notes) {
  const hw::Device& d = *q.d;
  const Runtime& rt = *q.rt;
  // Prefill: every prompt token through the active weights, compute-bound at the prompt length.
  // A runtime accumulating fp16 GEMMs in fp16 gets the fp16-accumulate tensor rate where the
  // device publishes one (peak_flops.fp16_acc16: GeForce cards), else the fp16 peak.
  // Where a board's int8 figure also counts fixed-function engines built for convolutional networks
  // (Jetson AGX Orin: GPU + 2 DLAs; NVIDIA TensorRT documentation, "Working with DLA": DLA "is
  // designed to fully hardware accelerate convolutional neural networks"), a transformer runs on
  // the GPU's share alone: peak_flops.int8_gpu.
  LlmPeaks p;
  p.tpeak = q.peak;
  if (q.compute == "int8" && q.peak > 0)
    if (auto gpu = d.peak("int8_gpu"); gpu && *gpu < hw::peak_flops(d, q.compute)) {
      p.tpeak = *gpu * q.power.peak_scale;
      notes.push_back("int8 at the GPU's own peak " + format_number(*gpu) +
                      " OP/s: the device's int8 figure also counts engines that run convolutional layers only (peak_flops.int8_gpu)");
    }
  p.pre_peak = p.tpeak;
  if (rt.fp16_accumulate && q.compute == "fp16" && q.peak > 0)
    if (auto acc16 = d.peak("fp16_acc16"); acc16 && *acc16 > hw::peak_flops(d, q.compute)) {
      p.pre_peak = *acc16 * q.power.peak_scale;
      notes.push_back("prefill at the fp16-accumulate tensor peak " + format_number(*acc16) + " FLOP/s (" + rt.id +
                      " accumulates fp16 GEMMs in fp16)");
    }
  return p;
}

// The prompt's pass: PRE_C its compute time at the prefill peak, PRE_M the weights read once,
// PREFILL the longer of the two plus unfused attention's score traffic.
struct PrefillWork {
  double pre_c = 0, pre_m = 0, prefill = 0;
};
PrefillWork prefill_work(const QueryRates& q, const ParametricModel& m, const ServingPlan& plan, double layers, double conc,
                         double wbytes, double act_bytes, double pre_peak, std::vector<std::string>& notes) {
  const Runtime& rt = *q.rt;
  const double prompt = plan.prompt_tokens.value_or(0), out = plan.output_tokens.value_or(0);
  // Attention over the prompt: Q·Kᵀ and the weighted sum of values cost 2 · 2 · d_model FLOPs for
  // each query token against each key, per layer. An encoder pass (nothing generated) attends every
  // token to every token: 4 · layers · tokens² · d_model FLOPs a sequence, which at 384 tokens is 17%
  // of a 384-wide model's GEMMs. A generation's prefill is causal (token i attends to the i before
  // it), half that: 2 · layers · tokens² · d_model (Kaplan et al. 2020, "Scaling laws for neural
  // language models", Table 1: 2 · n_layer · n_ctx · d_attn a token forward, at the mean context of
  // tokens / 2). d_model from N ≈ 12 · layers · d_model² over the active weights. A runtime whose
  // encoder attention is unfused (unfused_attention) writes the batch × heads × tokens² scores to
  // memory and reads them back twice more: the GEMM writes them, the softmax reads them and writes
  // the probabilities, the ·V GEMM reads those.
  const bool encoder = prompt > 0 && out == 0;
  // A runtime that skips padding (TensorRT's variable-length BERT) runs each input at its own
  // length: --mean-tokens gives the mean, --prompt-tokens stays the length inputs are padded to.
  // The GEMMs scale with the mean; attention with the mean of squares, of which the square of the
  // mean is a lower bound (the spread of lengths is not given).
  if (plan.mean_tokens && !encoder)
    throw UsageError("--mean-tokens prices an encoder pass: it needs --prompt-tokens and no --output-tokens");
  if (plan.mean_tokens && *plan.mean_tokens > prompt)
    throw UsageError("--mean-tokens " + format_number(*plan.mean_tokens) + " is longer than --prompt-tokens " + format_number(prompt) +
                     " (the length inputs are padded to)");
  const double tokens = plan.mean_tokens.value_or(prompt);
  if (plan.mean_tokens)
    notes.push_back("variable-length inputs: GEMMs and attention at a mean of " + format_number(tokens) + " tokens of the " +
                    format_number(prompt) + " inputs are padded to (--mean-tokens; attention at the mean's square, a lower bound)");
  double attn_flops = 0, attn_bytes = 0;
  if (prompt > 0) {
    const double d_model = d_model_of(m.active_params, layers);  // of the active weights
    attn_flops = (encoder ? 4 : 2) * layers * tokens * tokens * d_model * conc;
    if (encoder) {
      const double heads = plan.heads ? *plan.heads : std::max(1.0, std::round(d_model / 64));
      if (!rt.unfused_attention.empty()) attn_bytes = 4 * layers * conc * heads * tokens * tokens * act_bytes;
      notes.push_back("encoder attention: 4 × " + format_number(layers) + " layers × " + format_number(tokens) + "² tokens × d_model " +
                      format_number(std::round(d_model)) + " FLOPs a sequence" +
                      (attn_bytes > 0 ? "; " + rt.id + "'s unfused attention moves " + format_number(heads) + " heads' score matrices, " +
                                            format_number(attn_bytes) + " B (" + rt.unfused_attention + ")"
                                      : ""));
    } else {
      notes.push_back("prefill attention (causal): 2 × " + format_number(layers) + " layers × " + format_number(prompt) +
                      "² tokens × d_model " + format_number(std::round(d_model)) + " FLOPs a request");
    }
  }
  PrefillWork w;
  if (prompt > 0 && pre_peak <= 0) {  // a prompt's pass is compute-bound: no figure, no estimate
    try {
      hw::peak_flops(*q.d, q.compute);
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + "; a prompt's prefill is compute-bound and needs it (decode alone, --output-tokens " +
                       "without --prompt-tokens, is costed from the memory bandwidth)");
    }
  }
  w.pre_c = prompt > 0 ? (2 * m.active_params * tokens * conc + attn_flops) / pre_peak : 0;
  w.pre_m = q.bw ? (m.params * wbytes) / *q.bw : 0;
  // The score matrices cross memory in kernels of their own (softmax), after the GEMMs.
  w.prefill = prompt > 0 ? std::max(w.pre_c, w.pre_m) + (q.bw ? attn_bytes / *q.bw : 0) : 0;
  return w;
}

// One decode step of SEQS sequences (requests × beams): STEP_M its memory time (the weights the batch
// touches and every sequence's KV cache at its mean length), STEP_C its compute time, STEP the longer.
struct DecodeWork {
  double step_m = 0, step_c = 0, step = 0;
};
DecodeWork decode_work(const QueryRates& q, const ParametricModel& m, const ServingPlan& plan, double seqs, double wbytes, double kv,
                       double tpeak, std::vector<std::string>& notes) {
  const double prompt = plan.prompt_tokens.value_or(0), out = plan.output_tokens.value_or(0);
  // Decode: each step reads the weights the batch touches (mixture of experts: the distinct
  // experts its tokens are routed to, params_read_per_step) and every sequence's KV cache at its
  // mean length.
  const double touched = params_read_per_step(m, seqs) * wbytes;
  if (m.experts && m.experts_per_token && seqs > 1)
    notes.push_back("mixture of experts: " + format_number(seqs) + " sequences per step touch " +
                    format_number(*m.experts * (1 - std::pow(1 - *m.experts_per_token / *m.experts, seqs))) + " of " +
                    format_number(*m.experts) + " experts per layer in expectation (uniform, independent routing): " +
                    format_number(params_read_per_step(m, seqs)) + " parameters read per step");
  const double context = prompt + out / 2;
  // A runtime that concatenates the cache (kv_cache_concat) also reads it and writes it anew.
  const double cache_passes = !q.rt->kv_cache_concat.empty() ? 3 : 1;
  DecodeWork w;
  w.step_m = q.bw ? (touched + cache_passes * seqs * kv * context) / *q.bw : 0;
  w.step_c = tpeak > 0 ? 2 * m.active_params * seqs / tpeak : 0;
  if (tpeak <= 0 && out > 0)
    notes.push_back("decode steps costed by their memory traffic alone: " + q.d->id + " states no " + q.compute +
                    " peak, so a step's compute time is not counted (a lower bound where the step is not memory-bound)");
  w.step = std::max(w.step_m, w.step_c);
  return w;
}

// What the requests in flight hold in the serving device's memory (a real server, vLLM or
// TensorRT-LLM, admits only as many sequences as fit and queues the rest). WEIGHTS: every parameter at
// the weights' format; per request: each of its BEAM sequences' KV cache at its full length (prompt +
// output tokens: a static batch grows every sequence to the end together), or, where the runtime
// pages the cache and admits requests as blocks free up (paged_kv_cache), at the mean length of a
// request somewhere in its generation (prompt + output / 2); an encoder pass keeps none. And one
// layer's activations over the prompts its prefill runs (the residual stream and the MLP's 4 ×
// d_model intermediate: 5 × d_model values a token, a lower bound: logits and attention scores are
// not counted).
struct Residency {
  double memory = 0;           // the device's memory (0: no figure, nothing checked)
  double tokens = 0;           // KV-cache tokens a sequence holds
  double weights = 0, kv_per_request = 0, act_per_request = 0;
  double requests_fit = 0;     // whole requests (with all their beams) that fit beside the weights
};
Residency residency(const QueryRates& q, const ParametricModel& m, const ServingPlan& plan, double layers, double wbytes, double kv,
                    double act_bytes, double beam, double prefill_copies) {
  const double prompt = plan.prompt_tokens.value_or(0), out = plan.output_tokens.value_or(0);
  Residency r;
  r.weights = m.params * wbytes;
  r.tokens = out > 0 ? prompt + (q.rt->paged_kv_cache.empty() ? out : out / 2) : 0;
  r.kv_per_request = beam * kv * r.tokens;
  r.act_per_request = prefill_copies * std::max(prompt, 1.0) * 5 * d_model_of(m.active_params, layers) * act_bytes;
  const hw::Device& d = *q.d;
  // A device whose memory is a parameter cache that streams the rest from the host (the Edge TPU)
  // is no limit here, as sml-suggest's fit check says (suggest/fits.cpp).
  if (!d.memory_bytes.value || *d.memory_bytes.value <= 0 || d.host_link_bytes_per_s.value) return r;
  r.memory = *d.memory_bytes.value;
  r.requests_fit = std::floor((r.memory - r.weights) / (r.kv_per_request + r.act_per_request));
  return r;
}

}  // namespace

// A decoder (or encoder) LLM known by its parameters (work.llm): prefill, decode steps and KV cache.
// Returns the requests its latency serves (--concurrency): those that do not fit wait in it, so
// requests / latency is the throughput of those in flight.
double cost_llm(InferenceEstimate& r, QueryRates& q, const ParametricModel& m, const ServingPlan& plan, const Context& ctx) {
  const hw::Device& d = *q.d;
  const Runtime& rt = *q.rt;
  std::vector<std::string>& notes = r.notes;
  if (!plan.prompt_tokens && !plan.output_tokens)
    throw UsageError("an LLM serving estimate needs --prompt-tokens N and/or --output-tokens N");
  const double prompt = plan.prompt_tokens.value_or(0), out = plan.output_tokens.value_or(0);
  const double asked = static_cast<double>(std::max<std::int64_t>(1, plan.concurrency));  // requests in flight
  const double wbytes = weight_bytes_per_param(q.precision);
  const double act_bytes = hw::bytes_per_element(q.widened.empty() ? q.compute : q.precision);
  const double kv = kv_bytes_per_token(plan, m, kv_element_bytes(q));
  const LlmPeaks peaks = llm_peaks(q, notes);
  // Layers: --layers, else from the parameter count.
  const double layers = plan.layers ? *plan.layers : layers_from_params(m.params);
  // Beam search (--beam-width): each request keeps BEAM candidate sequences, every one decoded each
  // step against its own KV cache, so a step reads the weights once for conc × beam sequences; a
  // step still yields one token a request. The prompt is prefilled once a request, except where the
  // runtime copies it to every beam first (beam_search prefill-per-beam: transformers' generate).
  const double beam = static_cast<double>(plan.beam_width);  // checked in estimate_serving_query
  if (beam > 1 && out <= 0) throw UsageError("--beam-width needs --output-tokens (beams are decoded, not prefilled)");
  if (beam > 1 && q.rt->beam_search == "none")
    throw InputError("--beam-width: runtime " + q.rt->id + " has no beam search (" + q.rt->beam_search_source + "); use --beam-width 1 or another --runtime");
  if (beam > 1 && q.rt->beam_search == "outside-engine")
    notes.push_back("beam search on " + q.rt->id + " runs outside its serving engine (" + q.rt->beam_search_source +
                    "); it is priced here as beams decoded in the engine's batch, which its separate API may not reach");
  const bool per_beam_prefill = beam > 1 && q.rt->beam_search == "prefill-per-beam";
  const double copies = per_beam_prefill ? beam : 1;  // prompts prefilled a request
  // The requests that fit in the device's memory beside the weights run at once; the rest queue.
  const Residency res = residency(q, m, plan, layers, wbytes, kv, act_bytes, beam, copies);
  double conc = asked;
  const std::string kv_basis = plan.kv_bytes_per_token ? "--kv-bytes-per-token"
                                                       : "assumed: multi-head attention from the parameter count (grouped-query models hold less)";
  const auto held = [&](double requests) {
    // An encoder pass keeps no KV cache: its requests hold their activations alone.
    const std::string cache =
        out <= 0 ? ""
                 : format_number(beam) + " beam(s) × " + format_number(res.tokens) + " tokens (" +
                       (rt.paged_kv_cache.empty() ? "prompt + output: a static batch holds every sequence at full length"
                                                  : "prompt + output / 2: " + rt.id + " pages the cache and admits requests as it frees (" +
                                                        rt.paged_kv_cache + ")") +
                       ") × " + format_number(std::round(kv)) + " B of KV cache a token (" + kv_basis + ") = " +
                       format_number(requests * res.kv_per_request) + " B, + ";
    return format_number(requests) + " request(s): " + cache + format_number(requests * res.act_per_request) +
           " B of prefill activations, beside " + format_number(res.weights) + " B of weights (" + format_number(m.params) + " × " +
           format_number(wbytes) + " B)";
  };
  if (res.memory > 0 && res.requests_fit < 1)
    throw InputError("LLM serving does not fit " + d.id + "'s memory of " + format_number(res.memory) + " B (" + d.file +
                     " memory_bytes): " + (res.weights >= res.memory ? "the weights alone take " + format_number(res.weights) + " B"
                                                                     : "not even one request fits: " + held(1)) +
                     "; one device serves it (--devices is not used for serving: tensor parallelism across devices is not modelled): "
                     "use a lower --serve-precision, " + (res.weights >= res.memory ? "" : "fewer tokens, ") + "or a device with more memory");
  if (res.memory > 0 && res.requests_fit < asked) {
    conc = res.requests_fit;
    r.capacity_note = "--concurrency " + format_number(asked) + " does not fit " + d.id + "'s memory of " + format_number(res.memory) +
                      " B (" + held(asked) + "): " + format_number(conc) + " request(s) run at once, the other " + format_number(asked - conc) +
                      " queue";
    notes.push_back(r.capacity_note + " (a server admits the sequences whose KV cache fits and queues the rest, as vLLM's scheduler and "
                    "TensorRT-LLM's do); throughput is that of " + format_number(conc) + " requests in flight, and a request's latency " +
                    "includes its wait: × " + format_number(asked) + " / " + format_number(conc) +
                    " (Little's law for " + format_number(asked) + " requests outstanding). The whole memory is counted as usable, an upper bound");
  } else if (res.memory > 0) {
    notes.push_back("memory: " + held(conc) + " fit " + d.id + "'s " + format_number(res.memory) + " B (" + d.file + " memory_bytes)");
  } else if (!q.d->host_link_bytes_per_s.value) {
    notes.push_back("memory capacity not checked: " + d.id + " has no memory figure (" + d.memory_bytes.reason + "); " +
                    (asked == 1 ? std::string("the 1 request is") : "all " + format_number(asked) + " requests are") + " taken to run at once");
  }
  const PrefillWork pre = prefill_work(q, m, plan, layers, conc * copies, wbytes, act_bytes, peaks.pre_peak, notes);
  const double seqs = conc * beam;
  if (beam > 1)
    notes.push_back("beam search: " + format_number(beam) + " beams a request, so each decode step runs " + format_number(seqs) +
                    " sequences (" + format_number(conc) + " requests × " + format_number(beam) + "), each reading its own KV cache, the weights once; " +
                    (per_beam_prefill ? "the prompt is prefilled once a beam: " + rt.id + " copies it to every beam before the prefill (" +
                                            rt.beam_search_source + ")"
                                      : std::string("the prompt is prefilled once a request")));
  const DecodeWork dec = decode_work(q, m, plan, seqs, wbytes, kv, peaks.tpeak, notes);
  const bool concat = !rt.kv_cache_concat.empty();
  // Per step a runtime pays its fixed overhead, and launches every layer's kernels: the graph
  // path's rule applied to one layer of a built Llama decode step (kernels.hpp: 44 eager, 7 fused).
  // A continuous-batching server also pays per running sequence each step (host-side scheduling,
  // sampling, detokenising and streaming: runtimes' sequence_overhead_s); a beam is a sequence of
  // its own there (vLLM's sequence group holds one per beam), while the prefill pays it per request.
  const double layer_kernels = layers * (rt.fuses_elementwise ? kFusedKernelsPerDecoderLayer : kEagerKernelsPerDecoderLayer);
  const double step_kernels = layer_kernels + (concat ? 2 * layers : 0);  // torch.cat of keys and of values
  const Range seq_over = rt.sequence_overhead_s.value_or(Range{}) * conc;
  const Range step_over = q.fixed + q.step_kernel * step_kernels + seq_over * beam;
  // Prefill runs the same kernels once, each paying kernel_overhead_s on top of its time: the
  // --params path keeps the sum even for a runtime whose launches overlap in a profiled graph
  // (kernel_overhead_overlaps; serving18 tried the overlap here and the BERT-99 Offline rows went out).
  const Range prefill_over = q.fixed + q.kernel * layer_kernels + seq_over;
  const Range spread = ctx.model->serving_spread.value_or(Range::exact(1));
  // A step's memory time is at least its bytes (step_m × bw) at the measured rate (measured_bw).
  Range step_core = at(dec.step, q.eff);
  if (q.measured_bw) step_core = q.at_least(step_core, dec.step_m * *q.bw / *q.measured_bw);
  const Range step_s = q.power_limited(step_core + step_over, at(dec.step_c >= dec.step_m ? dec.step_c : 0.0, q.eff)).widened(spread);
  // Prefill is compute-bound: the runtime's achieved fraction of peak FLOP/s where published.
  // Where the runtime was fitted apart on the device's architecture, that share of the peak.
  Range ceff = rt.compute_efficiency.value_or(q.eff);
  if (const auto* arch = rt.arch_efficiency(d.id)) {
    ceff = arch->range;
    notes.push_back(rt.id + " on " + arch->architecture + " (" + d.id + "): compute at " + format_number(arch->range.expected) +
                    " of the peak (catalog/footprint.yaml compute_efficiency_by_arch)");
  }
  const Range prefill_s =
      prompt > 0 ? q.power_limited(at(pre.prefill, ceff) + prefill_over, at(pre.pre_c >= pre.pre_m ? pre.pre_c : 0.0, ceff)).widened(spread)
                 : Range{};
  // A request in flight takes SERVICE; with ASKED requests outstanding and CONC of them served at a
  // time, each waits (asked / conc − 1) services first (Little's law: throughput conc / service).
  const Range service = prefill_s + step_s * out;
  const double queue = asked / conc;
  r.latency_s = service * queue;
  r.ideal_s = pre.prefill + out * dec.step;
  if (out > 0) r.tokens_per_s = step_s.inverse() * conc;
  r.output_tokens = out;
  r.prefill_s = prompt > 0 ? prefill_s + service * (queue - 1) : Range{};
  r.kv_bytes_per_token = kv;
  r.llm = true;
  // What is batched: the sequences a decode step runs (requests in flight × beams).
  r.batch = static_cast<std::int64_t>(seqs);
  r.concurrency_effective = static_cast<std::int64_t>(conc);
  r.kv_cache_bytes = conc * res.kv_per_request;
  r.memory_bytes = res.weights + conc * (res.kv_per_request + res.act_per_request);
  if (concat && out > 0)
    notes.push_back(rt.id + " concatenates the KV cache each decode step (" + rt.kv_cache_concat +
                    "): the cache is read and written again per step, 3x its bytes, and 2 more kernels per layer");
  r.basis = "prefill: 2 × active params × prompt tokens + attention at peak (or the weights read once, whichever is longer); decode: "
            "weights + KV cache read per generated token at the memory bandwidth; both / the runtime's achieved fraction, "
            "plus its per-step overhead";
  if (!plan.kv_bytes_per_token && out > 0)  // an encoder pass keeps no KV cache
    notes.push_back("KV cache " + format_number(std::round(kv)) + " bytes per token, derived from the parameter count for "
                    "multi-head attention (N ≈ 12 · layers · d_model², d_model ≈ 128 × layers unless --layers); grouped-query models hold "
                    "less: --kv-bytes-per-token");
  return asked;
}

}  // namespace sml::footprint::serving_detail
