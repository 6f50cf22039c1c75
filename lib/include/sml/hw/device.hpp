// The device catalogue (hw/devices/*.yaml, device/v1) and accelerator profiles written by
// sml-accelsim (hwprofile/v1): what a device can compute, hold, move and draw, with sources.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sml/io/figure.hpp"

namespace sml::hw {

// A published power setting (Jetson nvpmodel modes, MLPerf "maxq"-style limits, laptop power
// limits): the power budget it holds the device to and, where published, its clock relative to the
// top setting.
struct PowerMode {
  std::string name;
  Figure power_w;
  std::optional<double> clock_ratio;  // compute peak (clock × units online) / the top mode's; absent: not published
  std::optional<double> memory_ratio; // memory clock / the top mode's (Jetson EMC); absent: unchanged
};

// The runtime a model is usually deployed with on a device (device/v1 runtime:), as its vendor's
// documentation says; sml-estimate and sml-suggest cost serving under it unless --runtime is given.
struct DeployRuntime {
  std::string id;        // a runtime id of catalog/footprint.yaml (tensorrt, tflite, onnxruntime…); empty: none named
  std::string name;      // the stack as the vendor names it ("Edge TPU runtime (libedgetpu), a TensorFlow Lite delegate")
  std::string fallback;  // the runtime costed instead while ID has no fitted measurement; empty: pytorch
  // The precisions models are served at under this runtime on this device, most usual first (the
  // first the device has a peak figure for is costed), with the document that says so; empty: none
  // stated (the tools' general default applies).
  std::vector<std::string> precisions;
  std::string precision_source;
  std::string source;
  int year = 0;
};

struct Device {
  std::string id;
  std::string name;
  std::string device_class;   // datacenter-gpu, datacenter-tpu, server-cpu, edge-board, ...
  std::vector<std::string> aliases;
  int year = 0;
  // device/v1 generation: the accelerator's architecture as its vendor names it (Volta, Ampere,
  // Hopper, Blackwell, Ada Lovelace, Turing, Pascal; TPU v2 ... TPU v5p for Google's chips), with
  // the datasheet or whitepaper that says so. Training utilisation fitted on one device applies to
  // another of the same generation (footprint/plan.cpp training_generation). Optional in device/v1
  // (empty: none stated); every GPU, TPU and edge accelerator shipped in hw/devices states one.
  std::string generation;
  std::string generation_source;
  int generation_year = 0;
  std::map<std::string, Figure> peak_flops;   // precision (fp32, tf32, fp16, bf16, int8) -> ops/s
  Figure memory_bytes;
  Figure memory_bandwidth_bytes_per_s;
  // The sustained read bandwidth a published streaming benchmark measured on the device (a kernel
  // reading a buffer far past the last-level cache), where one exists: below the interface's pin
  // rate above, most of all on LPDDR boards. A memory-bound decode step cannot stream faster than
  // it (footprint/serving.cpp). Absent: only the theoretical rate is known.
  Figure memory_bandwidth_measured_bytes_per_s;
  // Devices whose memory_bytes is an on-chip parameter cache (the Edge TPU): parameters beyond it
  // cross this host link on every inference. Absent (no value) for devices that hold the model.
  Figure host_link_bytes_per_s;
  // Last-level on-chip cache (a GPU's L2): a layer whose activations fit in it reads and writes
  // them there, not in device memory (serving passes). Absent: every byte crosses memory.
  Figure l2_cache_bytes;
  // A GPU's streaming multiprocessors: a GEMM's output tiles run on them in waves, and a GEMM with
  // fewer tiles than SMs leaves the rest idle (footprint/gemm_waves.hpp; not yet used by the estimate).
  Figure sm_count;
  // The GPU clock its peak_flops figures are stated at (the boost clock; datasheet FP32 peak / (2 x
  // CUDA cores) where no clock is printed): a per-kernel cost counted in GPU cycles (a runtime's
  // kernel_overhead_cycles) takes this long per cycle. Absent: such a cost falls back to seconds.
  Figure peak_clock_hz;
  Figure tdp_w;
  // power_w.tdp_basis: rated: tdp_w is the vendor's rated TDP. The TPU entries otherwise hold
  // Google's measured chip maximum (no TDP is published for v3/v4), and the catalogue's TPU system
  // power multiples are ratios to that maximum, not to a rating (footprint/model.hpp).
  bool tdp_rated = false;
  Figure idle_w;
  // power_w.sustained_tensor_clock_ratio: the share of the rated tensor-core peak a board sustains
  // under continuous dense work at its own power limit (the T4 at 70 W); absent: the rated peak.
  Figure sustained_tensor_clock_ratio;
  // power_w.single_stream_clock_ratio: the share of the boost clock a board settles at while it
  // serves one query after another for minutes (MLPerf SingleStream) at its own power limit, the
  // GPU busy throughout (kernels launched as one graph); absent: the boost clock.
  Figure single_stream_clock_ratio;
  std::vector<PowerMode> power_modes;   // device/v1 power_modes (may be empty)
  DeployRuntime runtime;                // device/v1 runtime (id empty when the file names none)
  Figure embodied_co2e_kg;
  std::string embodied_method;
  std::string file;           // where it was read from

  // An accelerator that sits in a host (GPUs, TPUs): its host's power is shared out to it.
  bool hosted() const;
  // Peak for PRECISION; falls back along fp16→bf16, tf32→fp32 only where noted by the caller.
  std::optional<double> peak(const std::string& precision) const;
};

class DeviceCatalog {
 public:
  // Reads every *.yaml in DIR. InputError (file:line) for a malformed entry or a duplicate id/alias.
  static DeviceCatalog load(const std::string& dir);
  // By id or unambiguous alias; InputError with the nearest ids otherwise.
  const Device& find(const std::string& id) const;
  const std::vector<Device>& all() const { return devices_; }

 private:
  std::vector<Device> devices_;
  std::map<std::string, std::size_t> by_name_;  // ids and aliases
};

// Reads an hwprofile/v1 document (sml-accelsim --emit-hwprofile) as a device.
Device load_hwprofile(const std::string& path);

}  // namespace sml::hw

#include "sml/io/yaml_file.hpp"

namespace sml::hw {
// The same readers over parsed text (tests, fuzzing).
Device parse_device(const YamlFile& file);
Device parse_hwprofile(const YamlFile& file);

}  // namespace sml::hw
