// Plain SVG charts, for people who would rather look than read (issue 8): horizontal bars (per-layer
// costs, what-ifs) and a scatter with its Pareto front. One small writer for every tool; no
// scripts, no fonts beyond the reader's sans-serif, valid for rsvg-convert and browsers.
#pragma once
#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace sml::svg {

struct Bar {
  std::string label;
  double value = 0;
};

struct BarChart {
  std::string title;
  std::string unit;  // printed after each value
  std::vector<Bar> bars;
};

struct Point {
  std::string label;
  double x = 0, y = 0;
  bool front = false;  // on the Pareto front: filled, joined, labelled
};

struct Scatter {
  std::string title, x_label, y_label;
  bool log_x = false;
  bool join_front = true;  // false where the front is over more objectives than the two drawn
  std::vector<Point> points;
};

// Panels stacked top to bottom in one picture.
class Figure {
 public:
  void add(BarChart chart) { panels_.emplace_back(std::move(chart)); }
  void add(Scatter chart) { panels_.emplace_back(std::move(chart)); }
  void write(std::ostream& out) const;

 private:
  std::vector<std::variant<BarChart, Scatter>> panels_;
};

// The TOP largest of BARS, the rest summed into one "other (N)" bar.
std::vector<Bar> largest(std::vector<Bar> bars, std::size_t top);

}  // namespace sml::svg
