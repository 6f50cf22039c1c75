// A figure with its uncertainty: {low, expected, high} (DESIGN.md §3: every estimate has them).
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "sml/io/doc.hpp"

namespace sml::footprint {

struct Range {
  double low = 0, expected = 0, high = 0;

  static Range exact(double v) { return {v, v, v}; }
  // min / median / max of observations (at least one).
  static Range of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {values.front(), median, values.back()};
  }
  Range operator*(double k) const { return {low * k, expected * k, high * k}; }
  Range operator/(double k) const { return {low / k, expected / k, high / k}; }
  // Products and sums of non-negative ranges: low with low, high with high.
  Range operator*(const Range& o) const { return {low * o.low, expected * o.expected, high * o.high}; }
  Range operator+(const Range& o) const { return {low + o.low, expected + o.expected, high + o.high}; }
  // 1 / r swaps the ends: a high utilisation gives a low time.
  Range inverse() const { return {1 / high, 1 / expected, 1 / low}; }

  // At least as wide as SPREAD (factors on the expected value, spread.expected = 1).
  Range widened(const Range& spread) const {
    return {std::min(low, expected * spread.low), expected, std::max(high, expected * spread.high)};
  }
  // The product of two independent positive uncertainties: expected × expected, each end's log
  // distance the root sum of squares of the two (not low × low, which stacks both extremes).
  Range product_independent(const Range& o) const {
    const double e = expected * o.expected;
    if (low <= 0 || o.low <= 0 || expected <= 0 || o.expected <= 0) return *this * o;
    const double dl = std::hypot(std::log(expected / low), std::log(o.expected / o.low));
    const double dh = std::hypot(std::log(high / expected), std::log(o.high / o.expected));
    return {e * std::exp(-dl), e, e * std::exp(dh)};
  }

  Doc doc() const {
    Doc d = Doc::map();
    d.set("low", low);
    d.set("expected", expected);
    d.set("high", high);
    return d;
  }
};

}  // namespace sml::footprint
