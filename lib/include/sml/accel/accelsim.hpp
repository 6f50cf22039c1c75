// What sml-accelsim computes: a model (ONNX via libsml's graph, or SCALE-Sim's topology CSV) on an
// accelerator configuration (SCALE-Sim .cfg, hw/accelerators/*.yaml, or an id), layer by layer.
#pragma once
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sml/accel/op_mapping.hpp"
#include "sml/accel/systolic.hpp"
#include "sml/graph/infer.hpp"
#include "sml/io/doc.hpp"

namespace sml {
struct YamlFile;
}

namespace sml::accel {

struct AccelOptions {
  std::string input;                  // .onnx or topology .csv ("-" for stdin: ONNX)
  bool gemm = false;                  // the CSV is in GEMM format (M, N, K)
  graph::InferOptions infer;          // for ONNX inputs
  std::string accel;                  // .cfg / .yaml file or an id of hw/accelerators
  std::optional<std::int64_t> rows, cols;
  std::string dataflow;
  std::optional<double> clock_mhz, dram_gbps, bandwidth_words, dram_latency_cycles;
  std::optional<double> vector_lanes;  // --vector-lanes
  bool stalls = true;                 // false: SCALE-Sim's stall-free timing whatever the bandwidth
  bool pe_level = false;              // also run each layer PE by PE and report whether both agree
  std::string hw_dir;
};

// The layers to run, read once (a sweep runs them on every configuration).
struct Workload {
  std::string input;                  // display name
  bool csv = false;
  std::vector<GemmLayer> layers;       // for the array, in the graph's order
  std::vector<VectorWork> vectors;     // for the vector unit (ONNX inputs), each placed after its array layers
  std::vector<NotSimulated> not_simulated;
  double profiled_macs = 0;            // lib/cost's profile total for the same input shapes
  std::int64_t uncounted_nodes = 0;
  Doc coverage;                        // lib/cost's coverage of the same profile (ONNX inputs), as sml-estimate's
  std::string coverage_gaps;           // the same coverage in words ("input 'x' dim 0 defaulted to 1"); empty when complete
};
Workload load_workload(const AccelOptions& options);

// Totals of one run of a workload on one configuration.
struct RunTotals {
  double cycles = 0, stall_cycles = 0, vector_cycles = 0, macs = 0, energy_j = 0, energy_j_high = 0, dram_words = 0, sram_accesses = 0;
};

// The accelsim/v1 document of WORKLOAD on CONFIG (layers included when LAYERS), and its totals.
Doc run_workload(const Workload& workload, const ArrayConfig& config, const AccelOptions& options, bool layers, RunTotals* totals);

// The configuration after the overrides.
ArrayConfig load_config(const AccelOptions& options);
// An accelerator/v1 file (hw/accelerators/*.yaml), as load_config reads it before the overrides.
ArrayConfig parse_accelerator(const YamlFile& file);
// Lanes of the vector unit: the configuration's own, else one per 64 MACs of the array, the ratio
// of both NVDLA reference configurations (VECTOR_LANES_SOURCE says so).
double vector_lanes(const ArrayConfig& config);
extern const char* const kVectorLanesSource;

Doc simulate(const AccelOptions& options);
// hwprofile/v1 for the configuration (DESIGN.md §6), which sml-estimate accepts as --device:
// peak from the array and clock, bandwidth from the configuration, per-access energies from
// hw/accelerators/energy.yaml, and the utilisation this model reached on it.
Doc hardware_profile(const AccelOptions& options, const Doc& accelsim);

// SCALE-Sim's COMPUTE_REPORT.csv for the same layers, for side-by-side comparison.
void write_compute_report(std::ostream& out, const Doc& accelsim);
// SVG: the layers that take the most cycles.
void write_plot(std::ostream& out, const Doc& accelsim);

}  // namespace sml::accel
