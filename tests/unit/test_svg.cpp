// The SVG writer: what it draws is countable, text is escaped, and "other" sums the tail.
#include <doctest/doctest.h>

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
