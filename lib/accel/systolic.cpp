#include "sml/accel/systolic.hpp"

#include <algorithm>

#include "sml/io/error.hpp"

namespace sml::accel {

LayerTiming time_layer(const GemmLayer& g, const ArrayConfig& c) {
  if (g.m <= 0 || g.n <= 0 || g.k <= 0 || g.repeat <= 0)
    throw InputError("layer " + g.name + ": matrix dimensions must be positive");
  const std::int64_t r = c.rows, cols = c.cols;
  std::int64_t sr, sc, t;  // along rows, along columns, in time
  if (c.dataflow == "os") { sr = g.m; sc = g.n; t = g.k; }
  else if (c.dataflow == "ws") { sr = g.k; sc = g.n; t = g.m; }
  else if (c.dataflow == "is") { sr = g.k; sc = g.m; t = g.n; }
  else throw InputError("dataflow '" + c.dataflow + "': expected os, ws or is");
  const std::int64_t row_fold = (sr + r - 1) / r, col_fold = (sc + cols - 1) / cols;
  const std::int64_t folds = row_fold * col_fold;
  const std::int64_t fold_rows = c.dataflow == "os" ? t + r + cols - 2 : 2 * r + cols + t - 2;
  const std::int64_t util_rows = c.dataflow == "os" ? fold_rows : 2 * r + 2 * cols + t - 3;
  LayerTiming lt;
  lt.folds = folds * g.repeat;
  lt.cycles = (folds * fold_rows - 1) * g.repeat;
  // Per-fold use of the array, summed in SCALE-Sim's order (column fold outer, row fold inner).
  double map_sum = 0, comp_sum = 0;
  for (std::int64_t fc = 0; fc < col_fold; ++fc)
    for (std::int64_t fr = 0; fr < row_fold; ++fr) {
      const double used = static_cast<double>(std::min(r, sr - fr * r) * std::min(cols, sc - fc * cols));
      map_sum += used / static_cast<double>(r * cols);
      comp_sum += used * static_cast<double>(t) / static_cast<double>(r * cols * util_rows);
    }
  lt.mapping_efficiency = map_sum / static_cast<double>(folds);
  lt.compute_utilization = comp_sum / static_cast<double>(folds);
  const double macs = static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k) * static_cast<double>(g.repeat);
  lt.utilization = macs / (static_cast<double>(lt.cycles) * static_cast<double>(r * cols));
  return lt;
}

}  // namespace sml::accel
