// Tree ensembles are not networks: no graph, no MACs. Their work follows from the published
// algorithms instead, counted in the same unit as everything else (operations, each an add or
// a comparison, reported as FLOPs) so that training and serving cost go through lib/footprint
// like any other candidate's.
//  - Gradient-boosted trees (Chen & Guestrin, "XGBoost: A Scalable Tree Boosting System", KDD
//    2016, arXiv:1603.02754, sections 3.3 and 4.1): training is O(K·d·‖x‖₀ + ‖x‖₀·log n) — for
//    K trees of depth d every non-missing entry adds its gradient and hessian into a histogram
//    (or sorted-block scan) once per level, after one sort of each column. Scoring a row walks
//    one root-to-leaf path per tree.
//  - Isolation forests (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008, section 4): training is
//    O(t·ψ·log ψ) — t trees on sub-samples of ψ rows, height limited to ⌈log2 ψ⌉, so it does not
//    grow with the data set; scoring is O(t·log ψ) per row.
#pragma once
#include <string>

namespace sml::cost {

struct TreeEnsemble {
  std::string kind;       // "gradient-boosted-trees" or "isolation-forest"
  double trees = 0;       // K (n_estimators) or t
  double max_depth = 0;   // d (gradient boosting)
  double bins = 0;        // histogram bins per feature (gradient boosting; 0: exact greedy)
  double subsample = 0;   // ψ (isolation forest)
  double features = 0;    // m: columns of the data the trees split on
  std::string source;     // where the settings come from
};

struct TreeWork {
  double train_flops = 0;        // fitting on the given rows
  double infer_flops = 0;        // per row scored
  double infer_values_read = 0;  // node values read per row scored (one path per tree)
  double stored_values = 0;      // node values of the fitted ensemble, at most
  std::string train_basis, infer_basis;  // the formula with its figures, for the report
};

// Checks the settings the kind needs (InputError naming WHERE and the missing key).
void check_tree_ensemble(const TreeEnsemble& t, const std::string& where);
// The work of fitting on ROWS rows and of scoring one row.
TreeWork tree_work(const TreeEnsemble& t, double rows);

}  // namespace sml::cost
