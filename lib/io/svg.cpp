#include "sml/io/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "sml/io/text.hpp"

namespace sml::svg {

namespace {

constexpr double kWidth = 860, kLabel = 300, kRight = 120, kRow = 18, kTitle = 34, kPad = 16;
constexpr double kScatterHeight = 420;


// Three significant digits, with k/M/G/T/P for large values: "237M", "0.0632", "8.12e-05".
std::string num(double v) {
  static const char* const suffix[] = {"", "k", "M", "G", "T", "P"};
  const double a = std::fabs(v);
  char buf[32];
  if (a == 0) return "0";
  if (a < 0.001) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  int i = 0;
  while (a / std::pow(1000.0, i) >= 999.5 && i < 5) ++i;
  std::snprintf(buf, sizeof buf, "%.3g%s", v / std::pow(1000.0, i), suffix[i]);
  return buf;
}

std::string fixed(double v) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << v;
  return s.str();
}

// Text widths are estimated, as no font is embedded: about 7 px a character at 12 px, 9 px in
// the 15 px bold of titles (sans-serif averages). Characters are UTF-8 code points.
constexpr double kCharPx = 7, kTitleCharPx = 9;
std::size_t glyphs(const std::string& s) {
  std::size_t n = 0;
  for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}
// The byte where the last N characters of S begin.
std::size_t tail_start(const std::string& s, std::size_t n) {
  std::size_t i = s.size(), seen = 0;
  while (i > 0 && seen < n) {
    --i;
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++seen;
  }
  return i;
}
// The first N characters of S.
std::string head(const std::string& s, std::size_t n) {
  std::size_t i = 0, seen = 0;
  while (i < s.size() && seen <= n) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++seen > n) break;
    ++i;
  }
  return s.substr(0, i);
}

// A label that fits the label column: its end, which names the layer (the start is the scope).
std::string fit(const std::string& s, std::size_t max = 40) {
  if (glyphs(s) <= max) return s;
  return "…" + s.substr(tail_start(s, max - 1));
}
// A title or axis label that fits PX at CHAR_PX a character: cut in the middle, so both what it
// is (the start) and of what (the end) stay readable. Never cut by the picture's edge.
std::string fit_width(const std::string& s, double px, double char_px) {
  const auto max = static_cast<std::size_t>(std::max(4.0, px / char_px));
  if (glyphs(s) <= max) return s;
  const std::size_t keep = max - 1, front = keep / 2;
  return head(s, front) + "…" + s.substr(tail_start(s, keep - front));
}

double height_of(const BarChart& c) { return kTitle + kRow * static_cast<double>(std::max<std::size_t>(1, c.bars.size())) + kPad; }
double height_of(const Scatter&) { return kScatterHeight; }

// A bar's value after its end, or ending at the picture's right edge when it would run past it.
std::string value_text(const std::string& text, double x, double y) {
  const double width = kCharPx * static_cast<double>(glyphs(text));
  const bool past = x + width > kWidth - 4;
  return "<text class=\"value\" x=\"" + fixed(past ? kWidth - 4 : x) + "\" y=\"" + fixed(y) + "\"" +
         (past ? " text-anchor=\"end\"" : "") + ">" + xml_escape(text) + "</text>";
}

void draw(std::ostream& o, const BarChart& c, double top) {
  o << "<g class=\"bar-chart\">\n<text class=\"title\" x=\"" << kPad << "\" y=\"" << fixed(top + 22) << "\">"
    << xml_escape(fit_width(c.title, kWidth - 2 * kPad, kTitleCharPx)) << "</text>\n";
  double max = 0;
  for (const auto& b : c.bars) max = std::max(max, b.value);
  const double span = kWidth - kLabel - kRight;
  double y = top + kTitle;
  for (const auto& b : c.bars) {
    const double w = max > 0 && b.value > 0 ? span * b.value / max : 0;
    o << "<text class=\"label\" x=\"" << kLabel - 6 << "\" y=\"" << fixed(y + 13) << "\" text-anchor=\"end\">" << xml_escape(fit(b.label)) << "</text>"
      << "<rect class=\"bar\" x=\"" << kLabel << "\" y=\"" << fixed(y + 3) << "\" width=\"" << fixed(w) << "\" height=\"" << kRow - 5
      << "\"><title>" << xml_escape(b.label) << ": " << num(b.value) << " " << xml_escape(c.unit) << "</title></rect>"
      << value_text(num(b.value) + " " + c.unit, kLabel + w + 4, y + 13) << "\n";
    y += kRow;
  }
  if (c.bars.empty()) o << "<text class=\"label\" x=\"" << kLabel << "\" y=\"" << fixed(y + 13) << "\">(nothing to show)</text>\n";
  o << "</g>\n";
}

void draw(std::ostream& o, const Scatter& c, double top) {
  const double left = 90, right = kWidth - 40, plot_top = top + kTitle + 10, bottom = top + kScatterHeight - 50;
  o << "<g class=\"scatter\">\n<text class=\"title\" x=\"" << kPad << "\" y=\"" << fixed(top + 22) << "\">"
    << xml_escape(fit_width(c.title, kWidth - 2 * kPad, kTitleCharPx)) << "</text>\n";
  std::vector<Point> pts;
  for (const auto& p : c.points)
    if (std::isfinite(p.x) && std::isfinite(p.y) && (!c.log_x || p.x > 0)) pts.push_back(p);
  if (pts.empty()) {
    o << "<text class=\"label\" x=\"" << left << "\" y=\"" << fixed(plot_top + 20) << "\">(no points with both values)</text>\n</g>\n";
    return;
  }
  auto xv = [&](double x) { return c.log_x ? std::log10(x) : x; };
  double x0 = xv(pts[0].x), x1 = x0, y0 = pts[0].y, y1 = y0;
  for (const auto& p : pts) {
    x0 = std::min(x0, xv(p.x)), x1 = std::max(x1, xv(p.x));
    y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  if (c.log_x) x0 = std::floor(x0), x1 = std::ceil(x1);
  if (x1 - x0 < 1e-12) x0 -= 0.5, x1 += 0.5;
  const double ypad = y1 - y0 < 1e-12 ? 0.5 : 0.08 * (y1 - y0);
  y0 -= ypad, y1 += ypad;
  auto X = [&](double x) { return left + (xv(x) - x0) / (x1 - x0) * (right - left); };
  auto Y = [&](double y) { return bottom - (y - y0) / (y1 - y0) * (bottom - plot_top); };
  o << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << fixed(bottom) << "\" x2=\"" << right << "\" y2=\"" << fixed(bottom) << "\"/>"
    << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << fixed(plot_top) << "\" x2=\"" << left << "\" y2=\"" << fixed(bottom) << "\"/>\n";
  // Ticks: decades on a log axis, five steps otherwise.
  const int xticks = c.log_x ? static_cast<int>(x1 - x0) : 5;
  for (int i = 0; i <= xticks; ++i) {
    const double t = x0 + (x1 - x0) * i / std::max(1, xticks);
    const double px = left + (t - x0) / (x1 - x0) * (right - left);
    o << "<text class=\"tick\" x=\"" << fixed(px) << "\" y=\"" << fixed(bottom + 16) << "\" text-anchor=\"middle\">"
      << num(c.log_x ? std::pow(10.0, t) : t) << "</text>";
  }
  for (int i = 0; i <= 5; ++i) {
    const double t = y0 + (y1 - y0) * i / 5;
    o << "<text class=\"tick\" x=\"" << left - 6 << "\" y=\"" << fixed(Y(t) + 4) << "\" text-anchor=\"end\">" << num(t) << "</text>";
  }
  o << "\n<text class=\"axis-label\" x=\"" << fixed((left + right) / 2) << "\" y=\"" << fixed(bottom + 36) << "\" text-anchor=\"middle\">"
    << xml_escape(fit_width(c.x_label + (c.log_x ? " (log scale)" : ""), right - left, kCharPx)) << "</text>"
    << "<text class=\"axis-label\" x=\"16\" y=\"" << fixed((plot_top + bottom) / 2) << "\" transform=\"rotate(-90 16 "
    << fixed((plot_top + bottom) / 2) << ")\" text-anchor=\"middle\">" << xml_escape(fit_width(c.y_label, bottom - plot_top, kCharPx)) << "</text>\n";
  std::vector<Point> front;
  for (const auto& p : pts)
    if (p.front) front.push_back(p);
  std::sort(front.begin(), front.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
  if (front.size() > 1 && c.join_front) {
    o << "<polyline class=\"front\" points=\"";
    for (const auto& p : front) o << fixed(X(p.x)) << "," << fixed(Y(p.y)) << " ";
    o << "\"/>\n";
  }
  for (const auto& p : pts) {
    o << "<circle class=\"point" << (p.front ? " on-front" : "") << "\" cx=\"" << fixed(X(p.x)) << "\" cy=\"" << fixed(Y(p.y))
      << "\" r=\"4\"><title>" << xml_escape(p.label) << ": " << num(p.x) << ", " << num(p.y) << "</title></circle>";
    if (p.front && front.size() <= 15) {
      // Right of the point, or left of it (anchored at its end) where it would run past the edge.
      const std::string label = fit(p.label, 28);
      const bool left_of = X(p.x) + 6 + kCharPx * static_cast<double>(glyphs(label)) > kWidth - 4;
      o << "<text class=\"point-label\" x=\"" << fixed(left_of ? X(p.x) - 6 : X(p.x) + 6) << "\" y=\"" << fixed(Y(p.y) - 6) << "\""
        << (left_of ? " text-anchor=\"end\"" : "") << ">" << xml_escape(label) << "</text>";
    }
    o << "\n";
  }
  o << "</g>\n";
}

}  // namespace

std::vector<Bar> largest(std::vector<Bar> bars, std::size_t top) {
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
  if (bars.size() <= top) return bars;
  Bar other{"other (" + std::to_string(bars.size() - top) + ")", 0};
  for (std::size_t i = top; i < bars.size(); ++i) other.value += bars[i].value;
  bars.resize(top);
  bars.push_back(other);
  return bars;
}

void Figure::write(std::ostream& out) const {
  double height = kPad;
  for (const auto& panel : panels_) height += std::visit([](const auto& c) { return height_of(c); }, panel);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << fixed(height) << "\" viewBox=\"0 0 " << kWidth
      << " " << fixed(height) << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<style>.title{font-size:15px;font-weight:bold}.bar{fill:#4c78a8}.value,.tick,.point-label{fill:#333}"
         ".axis{stroke:#333}.point{fill:#bbb;stroke:#666}.on-front{fill:#e45756;stroke:#8b1a1a}"
         ".front{fill:none;stroke:#e45756;stroke-width:1.5}</style>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  double y = 0;
  for (const auto& panel : panels_)
    std::visit([&](const auto& c) {
      draw(out, c, y);
      y += height_of(c);
    }, panel);
  out << "</svg>\n";
}

}  // namespace sml::svg
