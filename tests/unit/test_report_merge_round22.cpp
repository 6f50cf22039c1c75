// --baseline and --summarize read whole estimate/v1 files; one of 300,000 keys took minutes while
// each key read looked for itself among those already read (issue 20, item 11). Whether they stay
// linear is shown here by counting, not timing: Doc's map lookups count the keys they compare
// (sml/io/doc_stats.hpp), and doubling the keys of the file read must double the comparisons made
// above an empty file's, not quadruple them (a lookup per key read: N²/2).
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "scratch_file.hpp"
#include "sml/footprint/report.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/doc_stats.hpp"

namespace {

// An estimate/v1 file with N keys of no meaning (x0 … xN-1) before the figures a baseline reads,
// so every lookup of a figure passes all of them.
std::string estimate_with_keys(int n, const std::string& name) {
  const std::string path = testing::scratch_file(name);
  std::ofstream out(path);
  out << "sml: estimate/v1\ngenerator: test\n";
  for (int i = 0; i < n; ++i) out << "x" << i << ": " << i << "\n";
  out << "training:\n  energy_kwh: {low: 1, expected: 2, high: 3}\n";
  return path;
}

// Key comparisons made by F.
template <typename F>
std::uint64_t comparisons(F f) {
  const std::uint64_t before = sml::doc_key_comparisons();
  f();
  return sml::doc_key_comparisons() - before;
}

}  // namespace

TEST_SUITE("doc") {
  TEST_CASE("--baseline and --summarize: twice the keys read, twice the key comparisons (linear)") {
    sml::Doc now = sml::new_document("estimate/v1", "test");
    now["training"]["energy_kwh"].set("expected", 3.0);
    std::uint64_t baseline[3], summary[3];
    const int sizes[3] = {0, 2000, 4000};
    for (int i = 0; i < 3; ++i) {
      const std::string path = estimate_with_keys(sizes[i], "merge-" + std::to_string(sizes[i]) + ".yaml");
      sml::Doc diff;
      baseline[i] = comparisons([&] { diff = sml::footprint::baseline_diff(now, path); });
      summary[i] = comparisons([&] { (void)sml::footprint::summarize({path}); });
      // The merge still reads the figure after all those keys.
      const sml::Doc* changes = diff.find("changes");
      REQUIRE(changes);
      bool found = false;
      for (const auto& row : changes->as_list())
        if (row.find("key")->as_string() == "training.energy_kwh.expected") {
          found = true;
          CHECK(*row.find("before")->as_number() == 2);
          CHECK(*row.find("change")->as_number() == doctest::Approx(0.5));
        }
      CHECK(found);
    }
    // Above the empty file: each figure's lookup passes every key once (about 10 × N). A lookup per
    // key read (N²/2: 2 million at 2,000 keys, 8 million at 4,000) quadruples when N doubles.
    const double b2 = static_cast<double>(baseline[1] - baseline[0]), b4 = static_cast<double>(baseline[2] - baseline[0]);
    const double s2 = static_cast<double>(summary[1] - summary[0]), s4 = static_cast<double>(summary[2] - summary[0]);
    CAPTURE(b2);
    CAPTURE(b4);
    CAPTURE(s2);
    CAPTURE(s4);
    CHECK(b2 > 0);
    CHECK(b4 <= 2.2 * b2);
    CHECK(b4 >= 1.8 * b2);
    CHECK(s2 > 0);
    CHECK(s4 <= 2.2 * s2);
    CHECK(s4 >= 1.8 * s2);
  }
}
