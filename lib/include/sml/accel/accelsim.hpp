// What sml-accelsim computes: a model (ONNX via libsml's graph, or SCALE-Sim's topology CSV) on an
// accelerator configuration (SCALE-Sim .cfg, hw/accelerators/*.yaml, or an id), layer by layer.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sml/accel/systolic.hpp"
#include "sml/graph/infer.hpp"
#include "sml/io/doc.hpp"

namespace sml::accel {

struct AccelOptions {
  std::string input;                  // .onnx or topology .csv ("-" for stdin: ONNX)
  bool gemm = false;                  // the CSV is in GEMM format (M, N, K)
  graph::InferOptions infer;          // for ONNX inputs
  std::string accel;                  // .cfg / .yaml file or an id of hw/accelerators
  std::optional<std::int64_t> rows, cols;
  std::string dataflow;
  std::optional<double> clock_mhz, dram_gbps;
  std::string hw_dir;
};

// The configuration after the overrides.
ArrayConfig load_config(const AccelOptions& options);
// The matrix products of an ONNX model (Conv by groups, Gemm, batched MatMul) and how many
// elements the other ops produce (work for a vector unit or the host).
std::vector<GemmLayer> gemms_of_model(const std::string& path, const graph::InferOptions& infer, double& vector_elements);

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
