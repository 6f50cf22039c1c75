// The size of the images or frames a statement says come in: "1280x720 frames", "640×640
// images", "1080p cameras", "4K footage". sml-suggest cannot cost a model at the user's input size
// unless the task carries it (task/v1 constraints.image_size_px).
#include <cctype>

#include "sml/describe/constraints.hpp"
#include "word_regex.hpp"

namespace sml::describe {

namespace {

// Whether a digit is followed, after spaces, by one of the bytes in NEXT (start-up time: the
// patterns below are compiled only for a text that may hold a size).
bool digit_then(const std::string& s, const std::string& next) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) continue;
    std::size_t j = i + 1;
    while (j < s.size() && s[j] == ' ') ++j;
    if (j < s.size() && next.find(s[j]) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::optional<std::pair<double, double>> parse_image_size(const std::string& lower, std::string* evidence) {
  const bool maybe_pair = digit_then(lower, "x*b\xC3"), maybe_p = digit_then(lower, "p"),
             maybe_uhd = lower.find("4k") != std::string::npos || lower.find("hd") != std::string::npos;
  if (!maybe_pair && !maybe_p && !maybe_uhd) return std::nullopt;
  const auto flags = Regex::ECMAScript;
  // Width by height, with x, ×, * or "by": both sides at least 8 (a "3x3" kernel and "2 by 4" are
  // no image) and no length unit or grid after it ("60x40 cm", "a 10x10 grid world").
  static const Regex pair(R"((^|[^\w.])(\d{1,5})\s*(x|\xC3\x97|\*|by)\s*(\d{1,5})(?![\w.])(\s*(px|pixels?)\b)?(?!\s*(mm|cm|m|km|in|inch|inches|ft|feet|meters?|metres?|miles?|"|'|grid|maze|board|matrix|table|cells?|squares?\s+grid|tiles?\s+grid)\b))", flags);
  // Video heights with a "p" ("1080p"): 16:9 frames, as the names are used for cameras and video.
  static const Regex progressive(R"(\b(4320|2160|1440|1080|720|480|360|240)p\b)", flags);
  // "4K" only beside a word of video ("4k footage", "in 4k"): "4k images" is four thousand of them.
  static const Regex uhd(R"(\b(4k\s+(uhd|video|videos|footage|camera|cameras|stream|streams|resolution|frames|feed|feeds)|in\s+4k\b|(ultra\s+hd|uhd)\b)|\b(full\s+hd|fhd)\b)", flags);
  Match m;
  if (maybe_pair && regex_search(lower, m, pair)) {
    const double w = std::stod(m[2].str()), h = std::stod(m[4].str());
    if (w >= 8 && h >= 8 && w <= 20000 && h <= 20000) {
      if (evidence) *evidence = m.str().substr(m[1].length());
      return std::make_pair(w, h);
    }
  }
  if (maybe_p && regex_search(lower, m, progressive)) {
    const double h = std::stod(m[1].str());
    if (evidence) *evidence = m.str();
    // 16:9 widths of the standard heights (480p: 854, as video sites round it).
    const double w = h == 480 ? 854 : h == 360 ? 640 : h == 240 ? 426 : h * 16 / 9;
    return std::make_pair(w, h);
  }
  if (maybe_uhd && regex_search(lower, m, uhd)) {
    if (evidence) *evidence = m.str();
    const bool full_hd = m[4].matched;
    return full_hd ? std::make_pair(1920.0, 1080.0) : std::make_pair(3840.0, 2160.0);
  }
  return std::nullopt;
}

}  // namespace sml::describe
