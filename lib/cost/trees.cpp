#include "sml/cost/trees.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sml/io/error.hpp"

namespace sml::cost {
namespace {

std::string num(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

void need(bool ok, const std::string& where, const std::string& kind, const char* key) {
  if (!ok) throw InputError(where + ": a " + kind + " cost model needs '" + key + "' (a positive number)");
}

}  // namespace

void check_tree_ensemble(const TreeEnsemble& t, const std::string& where) {
  if (t.kind == "gradient-boosted-trees") {
    need(t.trees >= 1, where, t.kind, "trees");
    need(t.max_depth >= 1 && t.max_depth <= 64, where, t.kind, "max_depth");
    need(t.features >= 1, where, t.kind, "features");
    need(t.bins >= 0, where, t.kind, "bins");
  } else if (t.kind == "isolation-forest") {
    need(t.trees >= 1, where, t.kind, "trees");
    need(t.subsample >= 2, where, t.kind, "subsample");
  } else {
    throw InputError(where + ": cost model kind '" + t.kind + "': expected gradient-boosted-trees or isolation-forest");
  }
}

TreeWork tree_work(const TreeEnsemble& t, double rows) {
  TreeWork w;
  rows = std::max(rows, 1.0);
  if (t.kind == "gradient-boosted-trees") {
    const double K = t.trees, d = t.max_depth, m = t.features, n = rows;
    // Per tree and level: every entry adds its gradient and hessian into its node's histogram
    // (2 operations, the K·d·‖x‖₀ term); every node of the level then scans its histogram bins
    // once accumulating both sums (2 per bin per feature; a level holds at most 2^level nodes).
    // Once per fit: each column sorted or binned (the ‖x‖₀·log n term).
    const double entries = n * m;
    const double histogram = 2 * K * d * entries;
    const double scan = t.bins > 0 ? 2 * K * (std::pow(2.0, d) - 1) * m * t.bins : 0;
    const double sort = entries * std::log2(std::max(n, 2.0));
    w.train_flops = histogram + scan + sort;
    w.train_basis = "2·K·d·n·m + 2·K·(2^d−1)·m·bins + n·m·log2 n (Chen & Guestrin 2016, §4.1) with K " + num(K) + ", d " + num(d) +
                    ", n " + num(n) + " rows, m " + num(m) + " features, " + num(t.bins) + " bins";
    // Scoring: one comparison per level of each tree, then one add of the leaf value.
    w.infer_flops = K * (d + 1);
    w.infer_values_read = K * (2 * d + 1);  // split feature and threshold per level, the leaf value
    w.stored_values = K * (std::pow(2.0, d + 1) - 1);
    w.infer_basis = "K·(d+1) per row (one root-to-leaf path per tree: d comparisons and a leaf add)";
  } else {
    const double T = t.trees, psi = t.subsample, height = std::ceil(std::log2(psi));
    // Each of ψ sampled rows passes at most ⌈log2 ψ⌉ splits in each of t trees (Liu et al. 2008,
    // §4: O(t·ψ·log ψ)), whatever the data set's size.
    w.train_flops = T * psi * height;
    w.train_basis = "t·ψ·⌈log2 ψ⌉ (Liu, Ting & Zhou 2008, §4) with t " + num(T) + ", ψ " + num(psi) +
                    "; independent of the data set's rows";
    w.infer_flops = T * (height + 1);  // path of at most ⌈log2 ψ⌉ comparisons, then the leaf's c(size) adjustment
    w.infer_values_read = T * (2 * height + 1);
    w.stored_values = T * std::min(2 * psi - 1, std::pow(2.0, height + 1) - 1);
    w.infer_basis = "t·(⌈log2 ψ⌉+1) per row (one path per tree and the average-path-length adjustment)";
  }
  return w;
}

}  // namespace sml::cost
