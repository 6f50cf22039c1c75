// What one serving query costs (issue 17): a profiled ONNX graph costed per layer (and per decode
// step for a generation), or an LLM given by its parameter count (serving_llm.cpp: prefill, decode
// steps, KV cache), then its throughput, device time, energy and CO2e. The runtime and precision are
// chosen in serving_runtime.cpp, the power drawn in serving_power.cpp.
#include "sml/footprint/serving.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "serving_query.hpp"
#include "sml/footprint/kernels.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"

namespace sml::footprint {

using serving_detail::QueryRates;
using serving_detail::at;
using serving_detail::cost_llm;

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
  if (plan.batch == 1 && plan.sequences() <= 1 && !mode_sets_clocks && rt.kernel_overhead_on_device && d.single_stream_clock_ratio.value) {
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
  // 0: no L2 stated (a plain double: GCC 12 warns an optional here may be read uninitialised).
  const double l2 = d.l2_cache_bytes.value ? std::max(0.0, *d.l2_cache_bytes.value) : 0.0;
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
    const double launched = kernels_per_run(l, rt.fuses_elementwise);
    if (launched <= 0) continue;
    const double c = l.flops / at_peak;
    // Activations that fit in the on-chip L2 with room to spare stay there between producer
    // and consumer (Ada's 48-96 MB holds a whole layer's batch); the weights still stream in.
    const double act = std::max(0.0, l.elements_moved - static_cast<double>(l.params)) * bpe;
    const double bytes = l2 > 0 && act <= l2 ? static_cast<double>(l.params) * bpe : l.elements_moved * bpe;
    const double m = q.bw ? bytes / *q.bw : 0;
    p.bytes += bytes;
    p.ideal += std::max(c, m);
    if (c >= m) p.compute_ideal += c;
    // Eager PyTorch runs the BatchNorm the exporter folded into this Conv as a kernel of its own
    // (kernels.hpp): it reads the convolution's output and writes it again, memory-bound, and
    // stays in L2 by the same rule as above.
    const double bn_elements = unfolded_batchnorm_elements(l, rt.fuses_elementwise);
    const double bn_bytes = l2 > 0 && bn_elements * bpe <= l2 ? 0.0 : bn_elements * bpe;
    const double bn = q.bw ? bn_bytes / *q.bw : 0;
    p.bytes += bn_bytes;
    p.ideal += bn;
    p.kernels += launched * l.runs;  // launched again on every run of its pass (sml.passes)
    if (overlaps) {
      const double n = static_cast<double>(l.runs);
      auto slot = [&](double t) {
        const Range own = at(t, q.eff);
        slots = slots + Range{std::max(own.low, n * per_kernel.low), std::max(own.expected, n * per_kernel.expected),
                              std::max(own.high, n * per_kernel.high)};
      };
      slot(std::max(c, m));
      if (launched > 1) slot(bn);
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
  // The one range check of --beam-width (DESIGN.md §4: a bad value exits 2). The upper bound is a
  // sanity bound, not a runtime's limit: it catches a slip such as 1e12, which would otherwise be
  // priced as that many KV caches. Published beam-search serving runs use a handful of beams
  // (4 is common); 64 leaves room for any real setting we know of without pricing nonsense.
  if (plan.beam_width < 1 || plan.beam_width > kMaxBeamWidth)
    throw InputError("--beam-width " + std::to_string(plan.beam_width) + ": expected 1 to " + std::to_string(kMaxBeamWidth) +
                     " beams a request (a sanity bound; beam search beyond it is not priced)");
  r.beam_width = plan.beam_width;
  r.concurrency = plan.concurrency;
  if (plan.beam_width > 1 && (work.profile || !work.llm))
    throw UsageError("--beam-width prices beam search of an LLM given by --params (an ONNX decoder step is costed one sequence a request)");
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
