// The sourced parameters of the footprint model (catalog/footprint.yaml): the training-FLOPs
// factor, the utilisation real training runs achieve, the power an accelerator and its host
// share draw, and hardware lifetimes. Ranges are min / median / max of published observations.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sml/footprint/range.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {

struct Observation {
  double value = 0;
  std::string what;    // the run observed
  std::string device;  // the device it ran on, when stated
  std::string source;
  int year = 0;
  std::string basis;   // utilisation: "run" = training FLOPs / (device-time × peak) over a whole run; else a peak-throughput figure
  // The architecture of the device it ran on (the catalogue's generation: key, a device/v1
  // generation value such as Hopper or TPU v3); empty where the source names none.
  std::string generation;
};

struct Parameter {
  Range range;
  std::vector<Observation> observations;
  std::string meaning;
  Doc doc() const;     // range plus the sources it was drawn from
  // The observations on devices whose name contains NEEDLE (or lacks it when EXCLUDE), with
  // their range; all of them when none match.
  Parameter subset(const std::string& needle, bool exclude) const;
  // The observations with this basis, with their range; all of them when none has it.
  Parameter with_basis(const std::string& basis) const;
  // The observations whose basis is not BASIS (all of them when none is left).
  Parameter without_basis(const std::string& basis) const;
};

// A serving runtime (catalog/footprint.yaml, runtimes:): what it adds to the roofline. Ranges are
// min / median / max of the values derived from the published measurements in `observations`
// (the fitting rows; the validation rows live in tests/validation/serving_measurements.yaml).
struct Runtime {
  std::string id;
  std::string name;
  // The release or snapshot the entry was fitted on (llama.cpp: one build's prefill runs ~50%
  // faster than another's); empty: not versioned. `--runtime ID@BUILD` picks that entry.
  std::string build;
  std::string key() const { return build.empty() ? id : id + "@" + build; }
  std::optional<Range> kernel_overhead_s;  // launch + framework time per executed kernel
  // Per kernel of an LLM decode step (one token through a KV-cached decoder), where it was fitted
  // apart from kernel_overhead_s; absent: kernel_overhead_s costs decode steps too.
  std::optional<Range> step_kernel_overhead_s;
  std::optional<Range> query_overhead_s;   // per forward pass / decode step on top of the kernels
  // Per running sequence per decode step (continuous-batching servers: scheduling, sampling,
  // detokenising and streaming each sequence's token on the host), on top of query_overhead_s.
  std::optional<Range> sequence_overhead_s;
  std::optional<Range> efficiency;         // achieved fraction of the per-layer roofline
  std::optional<Range> compute_efficiency; // LLM prefill: achieved fraction of peak FLOP/s (default: efficiency)
  // The share of the device's theoretical DRAM bandwidth (hw/devices memory_bandwidth_bytes_per_s:
  // bus width x transfer rate) the runtime's memory-bound kernels reach, on top of `efficiency`
  // (which divides compute and memory time alike); absent: the whole of it. A phone or board CPU
  // streams far below its LPDDR interface's rate, a GPU near its rated bandwidth.
  std::optional<double> memory_bandwidth_share;
  // A GPU architecture on which the runtime's kernels reach a different share of the tensor peak
  // (Hopper's peak needs its asynchronous warpgroup MMA, which kernels written for Ampere's
  // synchronous MMA do not issue): compute_efficiency for devices whose id starts with a prefix.
  struct ArchEfficiency {
    std::string architecture;
    std::vector<std::string> device_prefixes;
    Range range;
  };
  std::vector<ArchEfficiency> compute_efficiency_by_arch;
  // compute_efficiency for DEVICE_ID (its architecture's where one is listed), else efficiency.
  const ArchEfficiency* arch_efficiency(const std::string& device_id) const;
  // Its per-kernel cost is the GPU's own time between kernels, not the host's launch (an engine run as
  // one CUDA graph per query): it runs at the GPU clock, so a power mode or cap that lowers the clock
  // lengthens it by the same share; absent: host-side launch cost, which the GPU clock does not move.
  bool kernel_overhead_on_device = false;
  // That per-kernel cost counted in GPU cycles (kernel_overhead_on_device only): on a device with a
  // peak_clock_hz it is cycles / clock, so a 2.5 GHz GPU spends half the time a 1.25 GHz one does;
  // kernel_overhead_s still prices a device with no clock figure.
  std::optional<Range> kernel_overhead_cycles;
  // Its per-kernel cost is the host's asynchronous launch, which runs ahead of the GPU: while the GPU
  // works on one kernel the host launches the next, so in a profiled graph a kernel costs the longer
  // of its own time and the overhead, not their sum (a batch-1 pass of small kernels waits on the
  // host; a large batch hides it). Absent: the overhead adds to every kernel's time.
  bool kernel_overhead_overlaps = false;
  bool fuses_elementwise = false;          // activations, adds, casts run inside the producing kernel
  bool llm_only = false;                   // serves decoder LLMs only (vLLM, TGI, llama.cpp…)
  // Beam search in this runtime (catalog beam_search: {support, source, year}): "none" (removed:
  // --beam-width is refused), "outside-engine" (offered by a separate API, not the serving engine:
  // priced as in-engine beams with a note), "prefill-per-beam" (in the engine, the prompt copied to
  // every beam before the prefill: transformers' generate), "" when the catalogue states nothing.
  std::string beam_search, beam_search_source;
  // Its fp16 GEMMs accumulate in fp16 (llama.cpp's cuBLAS path): on GPUs that publish a faster
  // fp16-accumulate tensor rate (GeForce: twice the fp32-accumulate rate) prefill runs at that peak.
  bool fp16_accumulate = false;
  // The vector width (bits) whose fp32 FMA rate its CPU efficiency is a share of (0: the device's
  // fp32 figure, whatever width it counts). 256: on a core whose fp32 peak counts a second 512-bit
  // FMA unit (Skylake-SP / Cascade Lake / Ice Lake-SP Xeons), the device's peak_flops.fp32_256bit.
  int fp32_vector_bits = 0;
  // Where the runtime concatenates the KV cache each decode step (HF transformers: torch.cat of the
  // past and the new keys and values, per layer), the source saying so; empty: written in place.
  // Each step then reads the whole cache and writes it again (twice its bytes on top of attention's
  // read) and launches two more kernels per layer.
  std::string kv_cache_concat;
  // Its KV cache is paged and allocated as tokens are generated (catalog paged_kv_cache: the source;
  // empty: reserved at full length, as a static batch needs): requests admitted at staggered times
  // then hold, on average, their prompt and half their output, not their full length.
  std::string paged_kv_cache;
  // Its KV cache is kept at fp16 whatever the serving precision (catalog kv_cache_fp16: the source;
  // empty: at the activation precision the weights are served at, lib/footprint/serving_llm.cpp).
  std::string kv_cache_fp16;
  // Where the runtime's attention writes its score matrices (batch × heads × tokens²) to device
  // memory between the Q·Kᵀ GEMM, the softmax and the ·V GEMM, the source saying so; empty: a
  // fused kernel keeps them on chip. Costed in the --params encoder pass: four passes over them.
  std::string unfused_attention;
  // The device classes (device/v1 class) these parameters were fitted for; empty: any. A runtime
  // may appear twice under one id, e.g. ONNX Runtime's CPU and CUDA execution providers.
  std::vector<std::string> device_classes;
  // What the entry's fits ran on: "cpu" (CPU cores) or "gpu"; empty: either. A class alone does not
  // say it: an edge board may be a Jetson (llama.cpp offloads to its GPU) or a Raspberry Pi (CPU
  // cores only), and a CPU's decode is not a GPU's (footprint/serving.hpp serving_processor).
  std::string processor;
  std::string basis;                       // how the ranges were derived, in words
  std::vector<Observation> observations;
  std::string null_reason;                 // why a range is missing
};

struct FootprintModel {
  double training_flops_factor = 3;   // training FLOPs per forward FLOP
  std::string training_flops_source;
  Parameter utilization;              // model-FLOPs utilisation of training runs
  Parameter system_power;             // power per accelerator incl. host share, × accelerator TDP
  // TPUs run far below their TDP, GPUs near it (Patterson et al. 2021, Table 4 caption):
  // the observations on the same kind of accelerator.
  // Observations with basis rated-tdp are multiples of a TPU's rated TDP, kept out of this pool.
  Parameter system_power_for(bool tpu) const { return system_power.subset("TPU", !tpu).without_basis("rated-tdp"); }
  // On a device of GENERATION (hw::Device::generation; training, footprint/plan.cpp): that
  // generation's own observations where the catalogue has some (generation: key), widened to the
  // pool's spread when there is one alone. A TPU whose catalogue power is a rated TDP (RATED_TDP:
  // TPU v2) takes the rated-tdp observations instead, widened by the TPU pool's spread (it borrows
  // them from another generation).
  Parameter system_power_on_generation(const std::string& generation, bool tpu, bool rated_tdp = false) const;
  // The same with the generation found in DEVICE_NAME against a fixed list (V100, A100, H100, TPU
  // v3, TPU v4, TPU v5, Orin) and in the observations' device text: serving's host share
  // (footprint/serving_power.cpp) still calls this; training no longer does.
  Parameter system_power_for(const std::string& device_name, bool tpu, bool rated_tdp = false) const;
  Parameter lifetime_years;           // hardware lifetime for amortising embodied emissions
  // The utilisation a whole training run achieves on a device of GENERATION: from the whole-run
  // observations (basis: run) where there are any, their median on that generation (the
  // observations' generation: key, equal to the device's device/v1 generation) when a run was
  // published on it, else over all runs; the range no narrower, relative to its median, than
  // across all runs.
  Parameter utilization_for(const std::string& generation) const;
  // The whole-run utilisation conditioned on generation, kind, size and precision (issue 17);
  // absent in catalogues without a training_utilization: section.
  std::optional<UtilizationModel> training_utilization;
  // The same model fitted on the same rows with their FLOPs as 6·N·D alone (training_utilization_6nd:):
  // a utilisation is a ratio to a FLOP count, so a run whose attention is not counted (no shape
  // stated, no per-token count) is priced with the fit made under its own count, not against
  // centres that assumed the attention share was in the FLOPs. Absent: training_utilization serves.
  std::optional<UtilizationModel> training_utilization_6nd;
  std::vector<Runtime> runtimes;      // serving runtimes (empty in catalogues without a runtimes: section)
  // Average power while serving, as a fraction of the device's power budget (TDP or power mode);
  // absent in catalogues without it (then the budget itself is used).
  std::optional<Parameter> serving_power;
  // Serving power fraction for DEVICE_NAME under a load (batched or single-stream): the observations
  // on the device's generation where the catalogue has some (their spread over both loads), else
  // every observation of that load, widened to the spread of all. Requires serving_power.
  Parameter serving_power_for(const std::string& device_name, bool batched) const;
  // Wall power of one server's host (CPUs, memory, fans, power-supply loss: all but its accelerator)
  // in a server built around a single accelerator, in W, measured while it serves (MLPerf Power);
  // shared by --host-accelerators N. Absent in catalogues without a serving_host_power: section.
  std::optional<Parameter> serving_host_power;
  // The share of a host link's data rate achieved while a device streams the parameters its
  // on-chip cache cannot hold (hw device host_link_bytes_per_s), fitted on published latencies.
  std::optional<Parameter> host_link_efficiency;
  // How far published serving figures fall from our expected value on the rows that fitted the
  // runtimes (published / expected, 10th and 90th percentile; expected 1): every serving range is
  // at least this wide, since a runtime's own parameter range says nothing of the device it moves to.
  std::optional<Range> serving_spread;

  static FootprintModel load(const std::string& path);
  static FootprintModel parse(const YamlFile& file);
};

}  // namespace sml::footprint
