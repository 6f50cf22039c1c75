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
  // Dimensions past 2^40 (or arrays past 2^16 a side) are not layers but hostile input.
  if (sr > (std::int64_t(1) << 40) || sc > (std::int64_t(1) << 40) || t > (std::int64_t(1) << 40) || r < 1 || cols < 1 ||
      r > (1 << 16) || cols > (1 << 16))
    throw InputError("layer " + g.name + ": too large to time");
  const std::int64_t row_fold = (sr + r - 1) / r, col_fold = (sc + cols - 1) / cols;
  std::int64_t folds = 0;
  if (__builtin_mul_overflow(row_fold, col_fold, &folds)) throw InputError("layer " + g.name + ": too large to time");
  const std::int64_t fold_rows = c.dataflow == "os" ? t + r + cols - 2 : 2 * r + cols + t - 2;
  const std::int64_t util_rows = c.dataflow == "os" ? fold_rows : 2 * r + 2 * cols + t - 3;
  LayerTiming lt;
  // Cycle counts of hostile layers (2^31 × 2^31 folds) overflow 64 bits: refuse them.
  std::int64_t per_pass = 0, all = 0, folds_all = 0;
  if (__builtin_mul_overflow(folds, fold_rows, &per_pass) || __builtin_mul_overflow(per_pass - 1, g.repeat, &all) ||
      __builtin_mul_overflow(folds, g.repeat, &folds_all))
    throw InputError("layer " + g.name + ": too large to time (more than 2^63 cycles)");
  lt.folds = folds_all;
  lt.cycles = all;
  // Per-fold use of the array, averaged over folds. Summed over all folds the used PEs are exactly
  // Sr × Sc (every row and column of the operands is placed once), so the means have a closed
  // form: no loop over folds, which a hostile layer could make billions long.
  const double rc = static_cast<double>(r) * static_cast<double>(cols);
  const double used_total = static_cast<double>(sr) * static_cast<double>(sc);
  lt.mapping_efficiency = used_total / rc / static_cast<double>(folds);
  lt.compute_utilization = used_total * static_cast<double>(t) / (rc * static_cast<double>(util_rows)) / static_cast<double>(folds);
  const double macs = static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k) * static_cast<double>(g.repeat);
  lt.utilization = macs / (static_cast<double>(lt.cycles) * static_cast<double>(r * cols));
  return lt;
}

}  // namespace sml::accel
