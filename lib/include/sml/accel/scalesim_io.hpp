// SCALE-Sim v2's own formats, so its users can switch and compare: the .cfg file (ArrayHeight,
// ArrayWidth, IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, Dataflow, …; sections ignored, keys
// case-insensitive, ':' or '=') and the topology CSV (header skipped, trailing comma required;
// conv rows: name, IFMAP H, W, filter H, W, channels, filters, stride[, stride W]; no padding, and
// the ofmap size rounds up: ceil((H − Fh) / s) + 1; GEMM rows: name, M, N, K).
#pragma once
#include <string>
#include <vector>

#include "sml/accel/systolic.hpp"

namespace sml::accel {

// InputError naming the file and line for anything malformed.
ArrayConfig parse_scalesim_cfg(const std::string& text, const std::string& name);
std::vector<GemmLayer> parse_topology_csv(const std::string& text, const std::string& name, bool gemm);

}  // namespace sml::accel
