// "Did you mean": which known ids count as close to a mistyped one (lib/io/suggest.cpp). The
// cases are the mistakes newcomers made (issue 19); the expected answers are read off the ids.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sml/io/suggest.hpp"

namespace {
const std::vector<sml::KnownId> kDevices = {
    {"nvidia-a10", {"a10"}, ""},
    {"nvidia-a100-sxm4-40gb", {"a100"}, ""},
    {"nvidia-jetson-orin-nano-8gb", {"orin-nano", "jetson-orin-nano"}, ""},
    {"nvidia-jetson-agx-orin-64gb", {"agx-orin"}, ""},
    {"arduino-nano-33-ble-sense", {}, ""},
    {"raspberry-pi-5", {"rpi5"}, ""},
};
const std::vector<sml::KnownId> kRegions = {
    {"DK", {"Denmark"}, "DK (Denmark)"}, {"DE", {"Germany"}, "DE (Germany)"}, {"FR", {"France"}, "FR (France)"},
    {"US", {"United States"}, "US (United States)"}, {"MX", {"Mexico"}, "MX (Mexico)"},
};
}  // namespace

TEST_SUITE("messages") {
  TEST_CASE("devices: every word named beats a partial name; unrelated ids are never offered") {
    const auto m = sml::close_matches("jetson nano", kDevices);
    REQUIRE(m.size() == 3);
    CHECK(m[0] == "nvidia-jetson-orin-nano-8gb");  // both words
    CHECK(m[1] == "nvidia-jetson-agx-orin-64gb");  // "jetson" (longer than "nano")
    CHECK(m[2] == "arduino-nano-33-ble-sense");
    for (const auto& id : m) CHECK(id != "nvidia-a10");
    CHECK(sml::close_matches("raspbery pi 5", kDevices) == std::vector<std::string>{"raspberry-pi-5"});
    // The same id but for case is the only answer, not its one-edit neighbours (a10).
    CHECK(sml::close_matches("A100", kDevices) == std::vector<std::string>{"nvidia-a100-sxm4-40gb"});
    CHECK(sml::close_matches("quantum toaster", kDevices).empty());
  }

  TEST_CASE("regions: names count, shown beside the id; two letters are not guessed at") {
    CHECK(sml::close_matches("Germany", kRegions).front() == "DE (Germany)");
    CHECK(sml::close_matches("germany", kRegions).size() == 1);
    CHECK(sml::close_matches("Frnace", kRegions) == std::vector<std::string>{"FR (France)"});  // a swap is one edit
    CHECK(sml::close_matches("XX", kRegions).empty());  // MX is one edit away, and so is every other code
  }

  TEST_CASE("the message says 'no such' when nothing is close") {
    CHECK(sml::unknown_id_message("device", "jetson nano", kDevices, "hint") ==
          "unknown device 'jetson nano'; did you mean nvidia-jetson-orin-nano-8gb, nvidia-jetson-agx-orin-64gb, "
          "arduino-nano-33-ble-sense? (hint)");
    CHECK(sml::unknown_id_message("region", "Atlantis", kRegions, "sml-estimate --list regions") ==
          "unknown region 'Atlantis': no such region (sml-estimate --list regions)");
  }
  TEST_CASE("edit_distance_within: hand-counted edits, and min(edit_distance, k + 1) on every pair of a small alphabet") {
    // Hand-counted: kitten -> sitting is 3 (two substitutions, one insertion); case does not count.
    CHECK(sml::edit_distance_within("kitten", "sitting", 3) == 3);
    CHECK(sml::edit_distance_within("kitten", "sitting", 2) == 3);  // past 2: says 2 + 1
    CHECK(sml::edit_distance_within("kitten", "sitting", 0) == 1);
    CHECK(sml::edit_distance_within("Detect", "detcet", 2) == 2);
    CHECK(sml::edit_distance_within("", "abc", 5) == 3);
    CHECK(sml::edit_distance_within("abc", "", 1) == 2);
    CHECK(sml::edit_distance_within("", "", 0) == 0);
    // Every string of length 0-5 over {a, b, c} against every other up to length 4, every k to 6:
    // the band and the early stop must give exactly what the full table gives, capped at k + 1.
    std::vector<std::string> all = {""};
    for (std::size_t i = 0; all[i].size() < 5; ++i)
      for (char c : {'a', 'b', 'C'}) all.push_back(all[i] + c);
    std::size_t wrong = 0, pairs = 0;
    for (const auto& x : all)
      for (const auto& y : all) {
        if (y.size() > 4) continue;
        const std::size_t full = sml::edit_distance(x, y);
        for (std::size_t k = 0; k <= 6; ++k, ++pairs)
          if (sml::edit_distance_within(x, y, k) != std::min(full, k + 1)) ++wrong;
      }
    CHECK(pairs > 100000);
    CHECK(wrong == 0);
  }
}
