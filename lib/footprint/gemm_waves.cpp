#include "sml/footprint/gemm_waves.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace sml::footprint {

namespace {
// "1x384x1024" -> {1, 384, 1024}; empty where any dim is unknown ("?") or not a number.
std::vector<double> dims_of(const std::string& shape) {
  std::vector<double> dims;
  std::stringstream s(shape);
  std::string part;
  while (std::getline(s, part, 'x')) {
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) return {};
    dims.push_back(std::stod(part));
  }
  return dims;
}
}  // namespace

std::optional<GemmWaves> gemm_waves(const cost::LayerCost& l, double sm_count) {
  static const std::set<std::string> gemms = {"MatMul", "Gemm", "MatMulInteger", "QLinearMatMul", "FusedMatMul", "QGemm"};
  if (sm_count < 1 || !gemms.count(l.op) || l.flops <= 0) return std::nullopt;
  const std::vector<double> dims = dims_of(l.output_shape);
  if (dims.empty()) return std::nullopt;
  const double n = dims.back();
  double m = dims.size() >= 2 ? dims[dims.size() - 2] : 1;
  double batch = 1;
  for (std::size_t i = 0; i + 2 < dims.size(); ++i) batch *= dims[i];
  if (l.params > 0) {  // against a weight: one GEMM over every leading row
    m *= batch;
    batch = 1;
  }
  if (m <= 0 || n <= 0 || batch <= 0) return std::nullopt;
  GemmWaves w = gemm_waves(m, n, sm_count);
  w.tiles *= batch;
  w.waves = std::ceil(w.tiles / sm_count);
  w.busy_share = w.tiles / (w.waves * sm_count);
  return w;
}

GemmWaves gemm_waves(double rows, double cols, double sm_count) {
  GemmWaves w;
  if (sm_count < 1 || rows <= 0 || cols <= 0) return w;
  w.tiles = std::ceil(rows / kGemmTileRows) * std::ceil(cols / kGemmTileCols);
  w.waves = std::ceil(w.tiles / sm_count);
  w.busy_share = w.tiles / (w.waves * sm_count);
  return w;
}

double transformer_gemm_slowdown(double rows, double d_model, double sm_count) {
  if (sm_count < 1 || rows <= 0 || d_model <= 0) return 1;
  const double d = std::max(64.0, 64 * std::round(d_model / 64));
  const double shares[][2] = {{3, 3 * d}, {1, d}, {4, 4 * d}, {4, d}};  // FLOP weight, output columns
  double time = 0;
  for (const auto& g : shares) time += g[0] / gemm_waves(rows, g[1], sm_count).busy_share;
  return time / 12;
}

}  // namespace sml::footprint
