// What one serving query costs (issue 17): a profiled ONNX graph costed per layer (and per decode
// step for a generation), or an LLM given by its parameter count (prefill, decode steps, KV cache),
// then its throughput, device time, energy and CO2e. The runtime and precision are chosen in
// serving_runtime.cpp, the power drawn in serving_power.cpp.
#include "sml/footprint/serving.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "sml/footprint/kernels.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"

namespace sml::footprint {
namespace {

// Decoder geometry from the parameter count alone: N ≈ 12·L·d² with d ≈ 128·L, the aspect ratio of
// published dense decoders (Llama 2 7B: d 4096, L 32; GPT-3 175B: d 12288, L 96; Llama 2 70B:
// 8192 / 80 = 102). Used for the KV cache when --kv-bytes-per-token is not given.
double layers_from_params(double params) { return std::cbrt(params / (12.0 * 128 * 128)); }
// The width of a transformer of PARAMS weights in LAYERS layers: N ≈ 12·L·d².
double d_model_of(double params, double layers) { return std::sqrt(params / (12 * layers)); }

// KV cache bytes per token: keys and values of every layer at d_model width (multi-head attention;
// grouped-query attention stores less — give --kv-bytes-per-token for such models).
double kv_bytes_per_token(const ServingPlan& plan, const ParametricModel& m, double bytes) {
  if (plan.kv_bytes_per_token) return *plan.kv_bytes_per_token;
  const double layers = plan.layers ? *plan.layers : layers_from_params(m.params);
  const double d_model = d_model_of(m.params, layers);
  return 2 * layers * d_model * bytes;
}

}  // namespace

double params_read_per_step(const ParametricModel& m, double batch) {
  if (!m.experts || !m.experts_per_token || m.active_params >= m.params)
    return std::min(m.params, m.active_params * batch);
  const double share = *m.experts_per_token / *m.experts;  // of the routed weights, per token
  const double routed = std::min(m.params, (m.params - m.active_params) / (1 - share));
  const double shared = m.params - routed;
  return shared + routed * (1 - std::pow(1 - share, batch));
}

double weight_bytes_per_param(const std::string& precision) {
  if (precision == "int4") return 4.5 / 8;  // GGML Q4_0: 32 four-bit weights + one fp16 scale = 18 bytes
  return hw::bytes_per_element(precision);
}

namespace {
// A device whose memory is an on-chip parameter cache (the Edge TPU's 8 MB) still runs a larger
// model: what does not fit crosses the host link on every inference (Coral's compiler
// documentation). At the link's data rate at best, at the fitted achieved share otherwise.
void add_parameter_streaming(InferenceEstimate& r, const hw::Device& d, const FootprintModel& model, double weight_bytes) {
  if (!d.host_link_bytes_per_s.value || *d.host_link_bytes_per_s.value <= 0 || !d.memory_bytes.value) return;
  const double excess = weight_bytes - *d.memory_bytes.value;
  if (excess <= 0) return;
  const double rate = *d.host_link_bytes_per_s.value;
  if (!model.host_link_efficiency) {
    r.notes.push_back("weights exceed " + d.id + "'s parameter cache by " + format_number(excess) +
                      " B, streamed from the host per inference: not counted (catalog/footprint.yaml has no host_link_efficiency)");
    return;
  }
  const Range share = model.host_link_efficiency->range;
  const Range stream{excess / rate, excess / (rate * share.expected), excess / (rate * share.low)};
  // The share was fitted on one model (catalog host_link_efficiency): a total dominated by the
  // stream is as uncertain as any serving estimate moved to another model (serving_spread), but
  // never faster than the pass plus the bytes at the link's full data rate.
  const Range total = r.latency_s + stream;
  r.latency_s = model.serving_spread ? total.widened(*model.serving_spread) : total;
  r.latency_s.low = std::max(r.latency_s.low, total.low);
  r.notes.push_back("weights exceed " + d.id + "'s " + format_number(*d.memory_bytes.value) + " B parameter cache by " +
                    format_number(excess) + " B: streamed over the host link per inference at " + format_number(share.expected) +
                    " of its " + format_number(rate) + " B/s (the full rate at best), +" + format_number(stream.expected) + " s");
}
}  // namespace

namespace {

// IDEAL seconds of work at a runtime's achieved fraction EFF of the roofline (high share: fastest).
Range at(double ideal, const Range& eff) { return Range{ideal / eff.high, ideal / eff.expected, ideal / eff.low}; }

// What every path of one query is costed with: the device, the runtime chosen for it, the serving
// precision and power, and the rates and per-kernel costs they give (set_up_query).
struct QueryRates {
  const hw::Device* d = nullptr;
  RuntimeChoice choice;
  const Runtime* rt = nullptr;
  std::string precision, compute;  // the serving precision, and the one the arithmetic runs at
  ServingPower power;
  double sustained = 1;            // the clock share held under continuous tensor work (power_limited)
  double single_stream = 1;        // the clock share held serving one query after another (1: not applied)
  double peak = 0;                 // compute peak at `compute` under the mode or cap (0: the device states none)
  std::string widened;             // why `compute` is fp32 though the serving precision is not (a CPU)
  std::string vector_note;         // why the fp32 peak is the core's 256-bit rate (fp32_vector_bits)
  double bw_share = 1;             // the runtime's share of the theoretical memory bandwidth
  std::optional<double> bw;        // memory bandwidth the runtime reaches
  std::optional<double> measured_bw;  // the device's measured sustained read rate (decode steps)
  Range eff;                       // the runtime's achieved fraction of the roofline
  double kernel_clock = 1;         // per-kernel overhead multiple under a lowered clock
  bool cycles = false;             // per-kernel overhead counted in GPU cycles / the device's clock
  Range kernel, step_kernel, fixed;  // per kernel, per decode-step kernel, per query
  bool read_capped = false;        // a decode step held to measured_bw (noted once)

  // LATENCY at the boost clock, of which COMPUTE_TIME (already / the achieved share) is tensor work.
  Range power_limited(const Range& latency, const Range& compute_time) const {
    if (sustained >= 1) return latency;
    return Range{std::max(latency.low, compute_time.low / sustained), std::max(latency.expected, compute_time.expected / sustained),
                 std::max(latency.high, compute_time.high / sustained)};
  }
  // T, but no faster than FLOOR seconds (a decode step's bytes at the measured read rate).
  Range at_least(const Range& t, double floor) {
    read_capped = read_capped || floor > t.low;
    return Range{std::max(t.low, floor), std::max(t.expected, floor), std::max(t.high, floor)};
  }
};

QueryRates set_up_query(const ServingPlan& plan, const Context& ctx) {
  QueryRates q;
  q.d = ctx.device;
  const hw::Device& d = *q.d;
  q.choice = choose_runtime(d, *ctx.model, plan.runtime);
  q.rt = q.choice.runtime;
  const Runtime& rt = *q.rt;
  if (!rt.efficiency) throw InputError("--runtime " + rt.id + ": no published measurement to fit it on (" + rt.null_reason + ")");
  q.precision = plan.precision.empty() ? "fp32" : plan.precision;
  // int4 is weight-only quantisation (W4A16): the arithmetic runs at fp16.
  q.compute = q.precision == "int4" ? (d.peak("fp16") ? "fp16" : "fp32") : q.precision;
  hw::bytes_per_element(q.compute);  // validates the name
  // CPU cores with no arithmetic figure for the weights' format (no int8 or fp16 peak stated) widen
  // or dequantise them and multiply at fp32, the rule llama.cpp's CPU entry prices int4 prefill by.
  if (serving_processor(d) == "cpu" && q.compute != "fp32" && !d.peak(q.compute) && d.peak("fp32")) {
    q.widened = q.precision + " work at the fp32 peak: " + d.id + " states no " + q.compute + " peak, and CPU cores multiply formats " +
                "they have no arithmetic figure for after widening them to fp32";
    q.compute = "fp32";
  }
  q.power = serving_power(d, *ctx.model, plan);
  const ServingPower& power = q.power;
  const bool mode_sets_clocks = power.mode != "default" && power.mode != "cap";
  // A board that cannot hold its boost clock at its power limit settles lower while it serves one
  // query after another for minutes with the GPU busy throughout: a batch of one under a runtime
  // whose per-kernel cost is GPU time (graph-launched engines, no host gaps to cool in). A T4 in an
  // MLPerf SingleStream run drops from 1590 to ~900 MHz (power_w.single_stream_clock_ratio). Its
  // compute peak and per-kernel GPU time scale with that clock, as under a power mode's clock_ratio;
  // memory time does not. A mode that states its own clocks replaces it.
  if (plan.batch == 1 && plan.concurrency <= 1 && !mode_sets_clocks && rt.kernel_overhead_on_device && d.single_stream_clock_ratio.value) {
    q.single_stream = *d.single_stream_clock_ratio.value;
    q.power.peak_scale *= q.single_stream;
  }
  // A board whose power limit cannot hold its boost clock under continuous dense tensor work (the
  // T4 at 70 W) slows down by how much of its time the tensor cores work, not by one factor for all
  // work. Near the base clock the voltage is at its floor, so dynamic power goes with clock × the
  // share of time the tensor cores are busy. Dense work at the clock share s the board holds under
  // a continuous GEMM (power_w.sustained_tensor_clock_ratio) draws the limit; a pass of compute time
  // C at the boost clock and O of other time (memory-bound layers, launch gaps, host overhead: what
  // the clock does not speed up and the tensor cores idle through) then runs in max(C + O, C / s).
  // A large dense batch is throttled to s, a pass dominated by memory or small kernels hardly at
  // all. The limiter averages over the run, so the rule applies to a pass as a whole. A power mode
  // that states its own clocks replaces it; fp32 runs on CUDA cores, which the figure does not cover.
  // Under the single-stream clock (compute already at it) dense work is held to the same absolute
  // clock: the ratio of the two.
  q.sustained = d.sustained_tensor_clock_ratio.value && q.compute != "fp32" && !mode_sets_clocks
                    ? std::min(1.0, *d.sustained_tensor_clock_ratio.value / q.single_stream)
                    : 1.0;
  // No peak at all: a pass of compute-bound layers cannot be costed (cost_graph, prefill_work ask
  // hw::peak_flops, whose error names the missing figure); memory-bound decode steps still can.
  q.peak = d.peak(q.compute).value_or(0) > 0 ? hw::peak_flops(d, q.compute) * power.peak_scale : 0;
  // A CPU runtime fitted as a share of the 256-bit FMA rate (fp32_vector_bits) runs fp32 on a core
  // with a second 512-bit FMA unit at its 256-bit rate (peak_flops.fp32_256bit; catalog derivation).
  if (q.compute == "fp32" && rt.fp32_vector_bits == 256 && serving_processor(d) == "cpu" && q.peak > 0)
    if (auto v256 = d.peak("fp32_256bit"); v256 && *v256 > 0 && *v256 < hw::peak_flops(d, "fp32")) {
      q.peak = *v256 * power.peak_scale;
      q.vector_note = "fp32 at " + format_number(*v256) + " FLOP/s, " + d.id + "'s 256-bit FMA rate (" + d.file +
                      " peak_flops.fp32_256bit), not its 512-bit fp32 peak " + format_number(hw::peak_flops(d, "fp32")) + ": " + rt.id +
                      "'s efficiency is a share of the 256-bit rate (catalog/footprint.yaml fp32_vector_bits)";
    }
  // The device's figure is its memory interface's theoretical rate; a runtime fitted to reach only
  // part of it (memory_bandwidth_share: CPU runtimes on LPDDR boards and phones) is held to that part.
  q.bw_share = rt.memory_bandwidth_share.value_or(1.0);
  q.bw = d.memory_bandwidth_bytes_per_s.value && *d.memory_bandwidth_bytes_per_s.value > 0
             ? std::optional<double>(*d.memory_bandwidth_bytes_per_s.value * power.memory_scale * q.bw_share)
             : std::nullopt;
  // The sustained read rate a streaming benchmark measured on the device (memory_bandwidth_measured_
  // bytes_per_s), at the mode's memory clock. The runtime's efficiency is a share of the pin rate,
  // fitted on devices that stream close to it (GDDR and HBM cards); on a board measured lower (LPDDR:
  // the AGX Orin reads 152.8 of its 204.8 GB/s) a decode step cannot read its bytes faster than this.
  q.measured_bw = d.memory_bandwidth_measured_bytes_per_s.value && *d.memory_bandwidth_measured_bytes_per_s.value > 0 && q.bw
                      ? std::optional<double>(*d.memory_bandwidth_measured_bytes_per_s.value * power.memory_scale)
                      : std::nullopt;
  q.eff = *rt.efficiency;
  // A per-kernel cost spent on the GPU (kernel_overhead_on_device: graph-launched engines) is GPU
  // cycles, so it lengthens as the mode or cap lowers the clock; a host launch cost does not.
  q.kernel_clock = rt.kernel_overhead_on_device && power.peak_scale > 0 ? 1 / power.peak_scale : 1.0;
  // The same reasoning across devices: GPU time between and around small kernels is a count of
  // cycles, so on a device with a stated clock it is cycles / clock (a 2.52 GHz L40S spends 0.56x
  // the time of a 1.41 GHz A100); a device with no clock figure keeps the entry's seconds.
  q.cycles = rt.kernel_overhead_on_device && rt.kernel_overhead_cycles && d.peak_clock_hz.value && *d.peak_clock_hz.value > 0;
  q.kernel = (q.cycles ? *rt.kernel_overhead_cycles * (1 / *d.peak_clock_hz.value) : rt.kernel_overhead_s.value_or(Range{})) * q.kernel_clock;
  // A decode step's kernels are small GEMVs and elementwise ops whose launches the GPU outruns, so
  // the host's per-kernel cost is what shows; runtimes fitted on decode rows say so apart.
  q.step_kernel = rt.step_kernel_overhead_s.value_or(q.kernel);
  q.fixed = rt.query_overhead_s.value_or(Range{});
  return q;
}

// The estimate's header fields, and a note for each rate the query is costed at that differs from
// the device's plain figures (no bandwidth, a power-limited clock, a runtime's bandwidth share, a mode).
InferenceEstimate describe_rates(const QueryRates& q, const ServingPlan& plan) {
  const hw::Device& d = *q.d;
  const Runtime& rt = *q.rt;
  const ServingPower& power = q.power;
  InferenceEstimate r;
  r.device_id = d.id;
  r.runtime = rt.key();
  r.runtime_basis = q.choice.basis;
  r.precision = q.precision;
  r.power_mode = power.mode;
  r.boundary = plan.boundary;
  r.batch = plan.batch;
  std::vector<std::string>& notes = r.notes;
  if (!q.widened.empty()) notes.push_back(q.widened);
  if (!q.vector_note.empty()) notes.push_back(q.vector_note);
  if (!q.bw) notes.push_back("device " + d.id + " has no memory bandwidth (" + d.memory_bandwidth_bytes_per_s.reason +
                             "): memory time not counted, latency is low for memory-bound layers");
  if (q.sustained < 1)
    notes.push_back(q.compute + " compute-bound time ÷ " + format_number(q.sustained) + " where tensor work fills the pass: the clock share " + d.id +
                    " holds at its power limit under continuous dense work, less where memory-bound layers and overheads leave the tensor cores idle: " +
                    "max(compute + other, compute / share) (" + d.file + " power_w.sustained_tensor_clock_ratio)");
  if (q.bw && q.bw_share < 1)
    notes.push_back("memory bandwidth × " + format_number(q.bw_share) + ": the share of " + d.id + "'s theoretical bandwidth " + rt.id +
                    " reaches (catalog/footprint.yaml memory_bandwidth_share)");
  const double mode_scale = power.peak_scale / q.single_stream;  // the mode's or cap's own share
  if (q.single_stream < 1)
    notes.push_back("compute peak and per-kernel GPU time at " + format_number(q.single_stream) + " of the boost clock: the clock " + d.id +
                    " settles at serving one query after another at its power limit (" + d.file + " power_w.single_stream_clock_ratio)");
  if (mode_scale < 1) notes.push_back("compute peak × " + format_number(std::round(mode_scale * 1000) / 1000) + " under " + power.mode);
  if (power.memory_scale < 1)
    notes.push_back("memory bandwidth × " + format_number(std::round(power.memory_scale * 1000) / 1000) + " under " + power.mode);
  if (q.cycles)
    notes.push_back("per-kernel overhead " + format_number(rt.kernel_overhead_cycles->expected) + " GPU cycles at " + d.id + "'s " +
                    format_number(*d.peak_clock_hz.value / 1e6) + " MHz peak clock = " + format_number(rt.kernel_overhead_cycles->expected / *d.peak_clock_hz.value) +
                    " s (catalog/footprint.yaml kernel_overhead_cycles; " + d.file + " peak_clock_hz)");
  if (q.kernel_clock > 1 && mode_scale < 1)
    notes.push_back("per-kernel overhead ÷ " + format_number(std::round(mode_scale * 1000) / 1000) + " under " + power.mode + ": " + rt.key() +
                    "'s per-kernel cost is GPU time between kernels, which runs at the lowered clock (catalog/footprint.yaml kernel_overhead_on_device)");
  return r;
}

// One pass of a profiled graph: its roofline time, the part of it that is compute-bound, its kernels and bytes.
struct Pass {
  double ideal = 0, compute_ideal = 0, kernels = 0, concat_kernels = 0, bytes = 0;
  Range latency;
};

// PROFILE run once at the query's rates: each layer that launches a kernel costs max(compute at
// AT_PEAK (0: the query's peak), memory at bandwidth); a decode STEP also copies a concatenated
// KV cache and reads no faster than the measured rate.
Pass cost_pass(QueryRates& q, const cost::Profile& profile, const Range& per_kernel, double bpe, const Context& ctx, bool step = false,
               double at_peak = 0) {
  const hw::Device& d = *q.d;
  const Runtime& rt = *q.rt;
  const bool concat = !rt.kv_cache_concat.empty();
  const std::optional<double> l2 = d.l2_cache_bytes.value && *d.l2_cache_bytes.value > 0 ? d.l2_cache_bytes.value : std::nullopt;
  if (at_peak <= 0) at_peak = q.peak;
  // A host launch that runs ahead of the GPU (kernel_overhead_overlaps) hides behind the kernel
  // before it: each kernel then costs the longer of its own time and the overhead (a decode step,
  // whose kernels are all short, keeps the sum).
  const bool overlaps = rt.kernel_overhead_overlaps && !step;
  Range slots;  // Σ over kernels of max(own time, per-kernel overhead), where the overhead overlaps
  Pass p;
  for (const auto& l : profile.layers) {
    // One rule for both paths (footprint/kernels.hpp): a layer that launches no kernel (folded,
    // fused into its producer, or an eager view) neither moves data nor pays an overhead.
    if (!launches_kernel(l, rt.fuses_elementwise)) continue;
    const double c = l.flops / at_peak;
    // Activations that fit in the on-chip L2 with room to spare stay there between producer
    // and consumer (Ada's 48-96 MB holds a whole layer's batch); the weights still stream in.
    const double act = std::max(0.0, l.elements_moved - static_cast<double>(l.params)) * bpe;
    const double bytes = l2 && act <= *l2 ? static_cast<double>(l.params) * bpe : l.elements_moved * bpe;
    const double m = q.bw ? bytes / *q.bw : 0;
    p.bytes += bytes;
    p.ideal += std::max(c, m);
    if (c >= m) p.compute_ideal += c;
    p.kernels += l.runs;  // launched again on every run of its pass (sml.passes)
    if (overlaps) {
      const Range own = at(std::max(c, m), q.eff);
      const double n = static_cast<double>(l.runs);
      slots = slots + Range{std::max(own.low, n * per_kernel.low), std::max(own.expected, n * per_kernel.expected),
                            std::max(own.high, n * per_kernel.high)};
    }
  }
  // A runtime that concatenates the KV cache (kv_cache_concat) copies it once per step as
  // well: memory-bound kernels the built step does not contain (the --params path's 3 passes).
  if (step && concat) {
    const CacheConcat cat = cache_concat_work(profile);
    p.ideal += q.bw ? cat.elements_moved * bpe / *q.bw : 0;
    p.bytes += cat.elements_moved * bpe;
    p.kernels += cat.kernels;
    p.concat_kernels = cat.kernels;
  }
  // Per layer: max(compute, memory) / achieved fraction + launch and framework overhead. A decode
  // step reads its bytes no faster than the device's measured rate, as in the --params path.
  Range core = at(p.ideal, q.eff);
  if (step && q.measured_bw) core = q.at_least(core, p.bytes / *q.measured_bw);
  p.latency = q.power_limited((overlaps ? slots : core + per_kernel * p.kernels) + q.fixed, at(p.compute_ideal, q.eff));
  if (ctx.model->serving_spread) p.latency = p.latency.widened(*ctx.model->serving_spread);
  return p;
}

// A profiled ONNX graph (work.profile), with its decode steps and closing pass for a generation.
// Sets ENGINES_LATENCY where a batch's throughput counts engines beside the GPU (int8_gpu).
void cost_graph(InferenceEstimate& r, QueryRates& q, const ServingWork& work, const ServingPlan& plan, const Context& ctx,
                double queries, std::optional<Range>& engines_latency) {
  const hw::Device& d = *q.d;
  const Runtime& rt = *q.rt;
  std::vector<std::string>& notes = r.notes;
  if (rt.llm_only) throw InputError("--runtime " + rt.id + " serves decoder LLMs given by --params, not ONNX graphs");
  if (q.peak <= 0) hw::peak_flops(d, q.compute);  // every layer's compute time needs it: throws naming the figure
  // Data move in the format they are stored in; a CPU that widens them multiplies at fp32 only.
  const double bpe = hw::bytes_per_element(q.widened.empty() ? q.compute : q.precision);
  const Pass once = cost_pass(q, *work.profile, q.kernel, bpe, ctx);
  r.kernels = once.kernels;
  r.ideal_s = once.ideal;
  r.latency_s = once.latency;
  // Where the int8 figure also counts engines beside the GPU (the AGX Orin's two DLAs), each engine
  // runs whole queries of its own: TensorRT builds a DLA engine apart and the harness deals it its
  // own batches (MLPerf closed/NVIDIA configs: dla_core, dla_batch_size; "GPU and both DLAs are
  // used ... in Offline scenario", systems/Orin_TRT.json). One pass is therefore one engine's, the
  // GPU's: its latency is at the GPU's peak (the SingleStream and MultiStream configs turn the DLAs
  // off, soc_dla_freq 0). A batch of several samples keeps the other engines busy with samples of
  // their own, so throughput, and the device time a query costs, count every engine.
  if (const auto gpu = d.peak("int8_gpu"); !work.step && q.compute == "int8" && gpu && *gpu < hw::peak_flops(d, q.compute)) {
    const Pass alone = cost_pass(q, *work.profile, q.kernel, bpe, ctx, false, *gpu * q.power.peak_scale);
    r.ideal_s = alone.ideal;
    r.latency_s = alone.latency;
    if (plan.batch > 1) engines_latency = once.latency;
    notes.push_back("one pass on the GPU alone, at its int8 peak " + format_number(*gpu) + " OP/s (peak_flops.int8_gpu): the device's int8 figure also counts engines that run queries of their own" +
                    (plan.batch > 1 ? "; throughput at batch " + std::to_string(plan.batch) + " counts every engine" : ""));
  }
  r.basis = rt.kernel_overhead_overlaps
                ? "per layer: max(compute at peak, memory at bandwidth) / the runtime's achieved fraction of peak, or its per-kernel "
                  "launch overhead where that is longer (the host launches each kernel while the GPU runs the one before), × " +
                      format_number(once.kernels) + " kernels" + (rt.fuses_elementwise ? " (elementwise ops fused)" : "") + ", plus its per-query overhead"
                : "per layer: max(compute at peak, memory at bandwidth) / the runtime's achieved fraction of peak, plus its "
                  "per-kernel overhead × " + format_number(once.kernels) + " kernels" + (rt.fuses_elementwise ? " (elementwise ops fused)" : "") +
                      ", plus its per-query overhead";
  if (work.step) {  // a generation: each decode step is a pass of its own, with its own overheads
    if (!plan.output_tokens) throw UsageError("a decode step is run once per generated token: give --output-tokens N");
    const Pass step = cost_pass(q, *work.step, q.step_kernel, bpe, ctx, true);
    if (step.concat_kernels > 0)
      notes.push_back(rt.id + " concatenates the KV cache each decode step (" + rt.kv_cache_concat + "): " +
                      format_number(step.concat_kernels) + " torch.cat kernels per step read the cache and write it again");
    const double out = *plan.output_tokens;
    r.latency_s = once.latency + step.latency * out;
    r.ideal_s = once.ideal + step.ideal * out;
    r.kernels = once.kernels + step.kernels * out;
    if (work.after) {  // a pass of its own once after the steps
      const Pass after = cost_pass(q, *work.after, q.kernel, bpe, ctx);
      r.latency_s = r.latency_s + after.latency;
      r.ideal_s += after.ideal;
      r.kernels += after.kernels;
    }
    r.output_tokens = out;
    r.tokens_per_s = step.latency.inverse() * queries;
    r.basis = "a generation: the once-per-request graph (encoder, cross-attention keys and values) and " + format_number(out) +
              " decode steps, each costed per layer as a pass of its own: max(compute at peak, memory at bandwidth) / the runtime's "
              "achieved fraction of peak, plus its per-kernel overhead × " + format_number(step.kernels) + " kernels per step" +
              (rt.fuses_elementwise ? " (elementwise ops fused)" : "") + ", plus its per-query overhead per step";
  }
  add_parameter_streaming(r, d, *ctx.model, static_cast<double>(work.profile->params) * bpe);
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

// One decode step of CONC sequences: STEP_M its memory time (the weights the batch touches and every
// request's KV cache at its mean length), STEP_C its compute time, STEP the longer.
struct DecodeWork {
  double step_m = 0, step_c = 0, step = 0;
};
DecodeWork decode_work(const QueryRates& q, const ParametricModel& m, const ServingPlan& plan, double conc, double wbytes, double kv,
                       double tpeak, std::vector<std::string>& notes) {
  const double prompt = plan.prompt_tokens.value_or(0), out = plan.output_tokens.value_or(0);
  // Decode: each step reads the weights the batch touches (mixture of experts: the distinct
  // experts its tokens are routed to, params_read_per_step) and every request's KV cache at its
  // mean length.
  const double touched = params_read_per_step(m, conc) * wbytes;
  if (m.experts && m.experts_per_token && conc > 1)
    notes.push_back("mixture of experts: " + format_number(conc) + " sequences per step touch " +
                    format_number(*m.experts * (1 - std::pow(1 - *m.experts_per_token / *m.experts, conc))) + " of " +
                    format_number(*m.experts) + " experts per layer in expectation (uniform, independent routing): " +
                    format_number(params_read_per_step(m, conc)) + " parameters read per step");
  const double context = prompt + out / 2;
  // A runtime that concatenates the cache (kv_cache_concat) also reads it and writes it anew.
  const double cache_passes = !q.rt->kv_cache_concat.empty() ? 3 : 1;
  DecodeWork w;
  w.step_m = q.bw ? (touched + cache_passes * conc * kv * context) / *q.bw : 0;
  w.step_c = tpeak > 0 ? 2 * m.active_params * conc / tpeak : 0;
  if (tpeak <= 0 && out > 0)
    notes.push_back("decode steps costed by their memory traffic alone: " + q.d->id + " states no " + q.compute +
                    " peak, so a step's compute time is not counted (a lower bound where the step is not memory-bound)");
  w.step = std::max(w.step_m, w.step_c);
  return w;
}

// A decoder (or encoder) LLM known by its parameters (work.llm): prefill, decode steps and KV cache.
// Returns the requests one pass serves (the concurrency).
double cost_llm(InferenceEstimate& r, QueryRates& q, const ParametricModel& m, const ServingPlan& plan, const Context& ctx) {
  const hw::Device& d = *q.d;
  const Runtime& rt = *q.rt;
  std::vector<std::string>& notes = r.notes;
  if (!plan.prompt_tokens && !plan.output_tokens)
    throw UsageError("an LLM serving estimate needs --prompt-tokens N and/or --output-tokens N");
  const double prompt = plan.prompt_tokens.value_or(0), out = plan.output_tokens.value_or(0);
  const double conc = static_cast<double>(std::max<std::int64_t>(1, plan.concurrency));
  const double wbytes = weight_bytes_per_param(q.precision);
  const double act_bytes = hw::bytes_per_element(q.widened.empty() ? q.compute : q.precision);
  const double kv = kv_bytes_per_token(plan, m, act_bytes);
  const LlmPeaks peaks = llm_peaks(q, notes);
  // Layers: --layers, else from the parameter count.
  const double layers = plan.layers ? *plan.layers : layers_from_params(m.params);
  const PrefillWork pre = prefill_work(q, m, plan, layers, conc, wbytes, act_bytes, peaks.pre_peak, notes);
  const DecodeWork dec = decode_work(q, m, plan, conc, wbytes, kv, peaks.tpeak, notes);
  const bool concat = !rt.kv_cache_concat.empty();
  // Per step a runtime pays its fixed overhead, and launches every layer's kernels: the graph
  // path's rule applied to one layer of a built Llama decode step (kernels.hpp: 44 eager, 7 fused).
  // A continuous-batching server also pays per running sequence each step (host-side scheduling,
  // sampling, detokenising and streaming: runtimes' sequence_overhead_s).
  const double layer_kernels = layers * (rt.fuses_elementwise ? kFusedKernelsPerDecoderLayer : kEagerKernelsPerDecoderLayer);
  const double step_kernels = layer_kernels + (concat ? 2 * layers : 0);  // torch.cat of keys and of values
  const Range seq_over = rt.sequence_overhead_s.value_or(Range{}) * conc;
  const Range step_over = q.fixed + q.step_kernel * step_kernels + seq_over;
  // Prefill runs the same kernels once, long enough to hide launches as in the graphs
  // kernel_overhead_s was fitted on.
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
  r.latency_s = prefill_s + step_s * out;
  r.ideal_s = pre.prefill + out * dec.step;
  if (out > 0) r.tokens_per_s = step_s.inverse() * conc;
  r.output_tokens = out;
  r.prefill_s = prompt > 0 ? prefill_s : Range{};
  r.kv_bytes_per_token = kv;
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
  return conc;
}

// Energy and CO2e per query from the device time a query costs and the power at the boundary asked for.
void add_energy(InferenceEstimate& r, const QueryRates& q, const ServingPlan& plan, const Context& ctx) {
  const hw::Device& d = *q.d;
  const ServingPower& power = q.power;
  std::vector<std::string>& notes = r.notes;
  const std::optional<Range>& watts = plan.boundary == "device" ? power.device_w : power.system_w;
  r.power_basis = power.basis;
  if (watts) {
    // System: the host share and the data centre (PUE) on top of the device; device: the device alone.
    // A data centre's PUE applies to servers and their accelerators; an edge board, a laptop or a
    // microcontroller sits in no data centre unless the user says so with --pue.
    const bool data_centre = d.hosted() || d.device_class == "server-cpu" || ctx.pue.source.rfind("given", 0) == 0;
    const double facility = data_centre ? ctx.pue.value : 1.0;
    const double pue = plan.boundary == "system" ? facility : 1.0;
    // Time and power are uncertain independently: their ranges combine in quadrature (log scale).
    r.energy_kwh_per_query = r.device_s_per_query.product_independent(*watts) * (pue / 3.6e6);
    if (power.device_w) r.energy_kwh_device = r.device_s_per_query.product_independent(*power.device_w) / 3.6e6;
    if (power.system_w) r.energy_kwh_system = r.device_s_per_query.product_independent(*power.system_w) * (facility / 3.6e6);
    if (!data_centre) notes.push_back("no PUE applied: device class " + d.device_class + " is not in a data centre (give --pue to apply one)");
    if (ctx.intensity) r.co2e_kg_per_query = *r.energy_kwh_per_query * ctx.intensity->value;
    r.power_w = *watts;
  } else {
    r.energy_null_reason = power.null_reason;
  }
}

}  // namespace

// One query: the rates it is costed at (set_up_query), its time by the path its model takes (a
// profiled graph, or an LLM by its parameters), then throughput, device time and energy.
InferenceEstimate estimate_serving_query(const ServingWork& work, const ServingPlan& plan, const Context& ctx) {
  QueryRates q = set_up_query(plan, ctx);
  InferenceEstimate r = describe_rates(q, plan);
  double queries = static_cast<double>(plan.batch);  // what one pass serves
  std::optional<Range> engines_latency;              // a pass's time with every engine serving (see int8_gpu)
  if (work.profile) {
    cost_graph(r, q, work, plan, ctx, queries, engines_latency);
  } else if (work.llm) {
    queries = cost_llm(r, q, *work.llm, plan, ctx);
  } else {
    throw UsageError("a serving estimate needs an ONNX model or --params");
  }
  if (q.read_capped)
    r.notes.push_back("decode steps read at most " + format_number(*q.measured_bw) + " B/s, the sustained read bandwidth measured on " + q.d->id +
                      " (" + q.d->file + " memory_bandwidth_measured_bytes_per_s), below the runtime's share of the theoretical " +
                      format_number(*q.bw) + " B/s");
  r.throughput_per_s = engines_latency.value_or(r.latency_s).inverse() * queries;
  r.device_s_per_query = engines_latency.value_or(r.latency_s) / queries;
  add_energy(r, q, plan, ctx);
  return r;
}

}  // namespace sml::footprint
