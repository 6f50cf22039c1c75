// The SVG writer: what it draws is countable, text is escaped, and "other" sums the tail.
#include <doctest/doctest.h>

#include <regex>
#include <sstream>

#include "sml/io/svg.hpp"

namespace {
int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_SUITE("svg") {
  TEST_CASE("bars: one rect per bar, the largest full width, text escaped") {
    sml::svg::Figure fig;
    fig.add(sml::svg::BarChart{"a <b> & \"c\"", "kg", {{"x<y", 2}, {"z", 1}, {"ctl\x01", 0}}});
    std::ostringstream out;
    fig.write(out);
    const std::string s = out.str();
    CHECK(count(s, "<rect class=\"bar\"") == 3);
    CHECK(s.find("a &lt;b&gt; &amp; &quot;c&quot;") != std::string::npos);
    CHECK(s.find("x&lt;y") != std::string::npos);
    CHECK(s.find('\x01') == std::string::npos);  // control characters are not XML
    CHECK(s.find("width=\"440.0\"") != std::string::npos);  // 860 − 300 label − 120 value column
    CHECK(s.find("width=\"220.0\"") != std::string::npos);  // half the value, half the length
  }

  TEST_CASE("no text runs past the picture's edges (issue 19): long titles, labels at the right, long units") {
    sml::svg::Figure fig;
    const std::string long_name = "/home/someone/experiments/2026-12/a-rather-long-folder-name/models/resnet50_finetuned_weeds.onnx";
    fig.add(sml::svg::BarChart{"Costliest layers of " + long_name + " (one forward pass)", "kg CO2e per year of serving at 1M queries a day",
                               {{long_name, 2}, {"b", 1}}});
    // The rightmost point is on the front and labelled: its label must turn left.
    fig.add(sml::svg::Scatter{"Quality against CO2e for " + long_name, "life-cycle CO2e of training and serving for two years (kg)",
                              "top-1 accuracy on ImageNet-1k validation, published by the model's authors", true, true,
                              {{"efficientnet-v2-l-long", 1e4, 0.85, true}, {"b", 10, 0.7, true}, {"c", 100, 0.8, false}}});
    std::ostringstream out;
    fig.write(out);
    const std::string s = out.str();
    // Every horizontal text: its estimated extent (7 px a character, 9 in 15 px bold titles; UTF-8
    // characters counted once) lies within the 860 px width.
    const std::regex text_re("<text class=\"([a-z-]+)\"([^>]*)>([^<]*)</text>");
    const std::regex x_re(" x=\"([0-9.]+)\""), anchor_re("text-anchor=\"([a-z]+)\"");
    int checked = 0;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), text_re); it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      const std::string attrs = m.str(2);
      std::smatch xm, am;
      std::size_t chars = 0;
      for (char ch : m.str(3)) chars += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
      const double w = (m.str(1) == "title" ? 9.0 : 7.0) * static_cast<double>(chars);
      INFO(m.str(0));
      if (attrs.find("rotate(") != std::string::npos) {  // the y-axis label runs along the plot's height: 420 − 44 − 50 px
        CHECK(w <= 326);
        continue;
      }
      REQUIRE(std::regex_search(attrs, xm, x_re));
      const double x = std::stod(xm.str(1));
      const std::string anchor = std::regex_search(attrs, am, anchor_re) ? am.str(1) : "start";
      const double start = anchor == "start" ? x : anchor == "middle" ? x - w / 2 : x - w;
      CHECK(start >= 0);
      CHECK(start + w <= 860);
      ++checked;
    }
    CHECK(checked >= 8);
    CHECK(s.find("text-anchor=\"end\">efficientnet-v2-l-long</text>") != std::string::npos);
    CHECK(s.find("Costliest layers of /home/") != std::string::npos);  // cut in the middle: both ends kept
    CHECK(s.find("(one forward pass)</text>") != std::string::npos);
  }

  TEST_CASE("largest keeps the top N and sums the rest") {
    std::vector<sml::svg::Bar> bars{{"a", 1}, {"b", 5}, {"c", 3}, {"d", 2}};
    const auto top = sml::svg::largest(bars, 2);
    REQUIRE(top.size() == 3);
    CHECK(top[0].label == "b");
    CHECK(top[1].label == "c");
    CHECK(top[2].label == "other (2)");
    CHECK(top[2].value == 3);
    CHECK(sml::svg::largest(bars, 10).size() == 4);
  }

  TEST_CASE("scatter: every point drawn, the front joined in x order, unplottable points left out") {
    sml::svg::Scatter sc{"t", "x", "y", true, true, {{"p", 1, 0.5, true}, {"q", 10, 0.7, true}, {"r", 5, 0.4, false}, {"neg", -1, 0.9, false}}};
    sml::svg::Figure fig;
    fig.add(sc);
    std::ostringstream out;
    fig.write(out);
    const std::string s = out.str();
    CHECK(count(s, "<circle") == 3);  // x = −1 has no place on a log axis
    CHECK(count(s, "on-front") == 2 + 1);  // two points, one style rule
    CHECK(count(s, "<polyline") == 1);
  }
}
