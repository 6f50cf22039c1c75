#include "sml/catalog/family.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace sml::catalog {

double FamilyFit::at(double macs) const { return intercept + slope * std::log10(macs); }

std::optional<FamilyFit> fit_family(const std::vector<CatalogModel>& models, const std::string& family,
                                    const std::string& metric, const std::string& dataset) {
  FamilyFit f;
  f.family = family;
  f.metric = metric;
  f.dataset = dataset;
  std::vector<double> x, y;
  for (const auto& m : models) {
    if (m.family != family || !m.macs || *m.macs <= 0) continue;
    auto q = std::find_if(m.quality.begin(), m.quality.end(),
                          [&](const Quality& q) { return q.metric == metric && q.dataset == dataset; });
    if (q == m.quality.end()) continue;
    x.push_back(std::log10(*m.macs));
    y.push_back(q->value);
    f.members.push_back(m.id);
  }
  if (x.size() < 3) return std::nullopt;
  Eigen::MatrixXd a(static_cast<Eigen::Index>(x.size()), 2);
  Eigen::VectorXd b(static_cast<Eigen::Index>(y.size()));
  for (std::size_t i = 0; i < x.size(); ++i) {
    a(static_cast<Eigen::Index>(i), 0) = 1;
    a(static_cast<Eigen::Index>(i), 1) = x[i];
    b(static_cast<Eigen::Index>(i)) = y[i];
  }
  const Eigen::Vector2d coef = a.colPivHouseholderQr().solve(b);
  f.intercept = coef(0);
  f.slope = coef(1);
  const double mean = b.mean();
  const double total = (b.array() - mean).square().sum();
  const double residual = (a * coef - b).squaredNorm();
  f.r2 = total > 0 ? 1 - residual / total : 1;
  f.min_macs = std::pow(10, *std::min_element(x.begin(), x.end()));
  f.max_macs = std::pow(10, *std::max_element(x.begin(), x.end()));
  return f;
}

}  // namespace sml::catalog
