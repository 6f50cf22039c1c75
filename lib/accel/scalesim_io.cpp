#include "sml/accel/scalesim_io.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <string_view>

#include "sml/io/error.hpp"
#include "sml/io/text.hpp"

namespace sml::accel {
namespace {

// The parsers work on views of the text and build the file:line place only for a message: a
// copy per line, per field and per place was most of what sml-accelsim's readers (and fuzz_scalesim,
// millions of times) spent.
std::string_view trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    if (nl == text.size()) break;
    start = nl + 1;
  }
  return out;
}

// "NAME:LINE", the place a message names.
struct Place {
  const std::string* name = nullptr;
  std::size_t line = 0;
  std::string str() const { return *name + ":" + std::to_string(line); }
};

// A whole positive integer, within a sane range for array sizes and layer dimensions.
std::int64_t integer(std::string_view field, const Place& where, const char* what, std::int64_t max) {
  const std::string s(trim(field));  // strtoll needs the terminating NUL; short fields need no allocation
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0 || v <= 0 || v > max)
    throw InputError(where.str() + ": " + what + " '" + s + "' is not a whole number between 1 and " + std::to_string(max));
  return v;
}

double positive(std::string_view field, const Place& where, const char* what) {
  const std::string s(trim(field));
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(v > 0) || v > 1e12) throw InputError(where.str() + ": " + what + " '" + s + "' is not a positive number");
  return v;
}

}  // namespace

ArrayConfig parse_scalesim_cfg(const std::string& text, const std::string& name) {
  ArrayConfig c;
  c.name = name;
  c.source = name;
  std::map<std::string, std::pair<std::string_view, Place>> values;  // key -> value, place
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = trim(lines[i]);
    if (line.empty() || line[0] == '#' || line[0] == ';' || line[0] == '[') continue;
    const auto sep = line.find_first_of(":=");
    const Place where{&name, i + 1};
    if (sep == std::string_view::npos) throw InputError(where.str() + ": expected 'Key: value'");
    values[to_lower(std::string(trim(line.substr(0, sep))))] = {trim(line.substr(sep + 1)), where};
  }
  auto get = [&](const char* key) -> const std::pair<std::string_view, Place>* {
    auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second;
  };
  constexpr std::int64_t kMaxArray = 1 << 16;
  if (auto v = get("arrayheight")) c.rows = integer(v->first, v->second, "ArrayHeight", kMaxArray);
  if (auto v = get("arraywidth")) c.cols = integer(v->first, v->second, "ArrayWidth", kMaxArray);
  if (auto v = get("ifmapsramszkb")) c.ifmap_kib = positive(v->first, v->second, "IfmapSramSzkB");
  if (auto v = get("filtersramszkb")) c.filter_kib = positive(v->first, v->second, "FilterSramSzkB");
  if (auto v = get("ofmapsramszkb")) c.ofmap_kib = positive(v->first, v->second, "OfmapSramSzkB");
  if (auto v = get("dataflow")) {
    c.dataflow = to_lower(std::string(v->first));
    if (c.dataflow != "os" && c.dataflow != "ws" && c.dataflow != "is")
      throw InputError(v->second.str() + ": Dataflow '" + std::string(v->first) + "': expected os, ws or is");
  }
  // SCALE-Sim takes Bandwidth (words per cycle) only with InterfaceBandwidth: USER; under CALC it
  // computes what the layer needs, i.e. never stalls. We do the same.
  if (auto v = get("interfacebandwidth"); v && to_lower(std::string(v->first)) == "user")
    if (auto b = get("bandwidth")) c.bandwidth_words = positive(b->first, b->second, "Bandwidth");
  if (auto v = get("run_name")) c.name = std::string(v->first);
  return c;
}

std::vector<GemmLayer> parse_topology_csv(const std::string& text, const std::string& name, bool gemm) {
  std::vector<GemmLayer> layers;
  const auto lines = lines_of(text);
  constexpr std::int64_t kMaxDim = std::int64_t(1) << 31;
  std::vector<std::string_view> f;
  for (std::size_t i = 1; i < lines.size(); ++i) {  // the first line is the header
    const std::string_view line = trim(lines[i]);
    if (line.empty()) continue;
    const Place where{&name, i + 1};
    f.clear();
    std::size_t start = 0;
    for (;;) {
      const auto comma = line.find(',', start);
      f.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    f.pop_back();  // SCALE-Sim drops the field after the last comma: the trailing comma is required
    GemmLayer g;
    g.name = std::string(trim(f.empty() ? std::string_view() : f[0]));
    if (gemm) {
      if (f.size() < 4) throw InputError(where.str() + ": expected 'name, M, N, K,' (with the trailing comma)");
      g.op = "Gemm";
      g.m = integer(f[1], where, "M", kMaxDim);
      g.n = integer(f[2], where, "N", kMaxDim);
      g.k = integer(f[3], where, "K", kMaxDim);
    } else {
      if (f.size() < 8)
        throw InputError(where.str() + ": expected 'name, IFMAP H, W, filter H, W, channels, filters, stride,' (with the trailing comma)");
      const std::int64_t h = integer(f[1], where, "IFMAP Height", kMaxDim), w = integer(f[2], where, "IFMAP Width", kMaxDim);
      const std::int64_t fh = integer(f[3], where, "Filter Height", kMaxDim), fw = integer(f[4], where, "Filter Width", kMaxDim);
      const std::int64_t ch = integer(f[5], where, "Channels", kMaxDim), nf = integer(f[6], where, "Num Filter", kMaxDim);
      const std::int64_t sh = integer(f[7], where, "Strides", kMaxDim);
      const std::int64_t sw = f.size() > 8 && !trim(f[8]).empty() ? integer(f[8], where, "Stride Width", kMaxDim) : sh;
      if (fh > h || fw > w) throw InputError(where.str() + ": the filter is larger than the ifmap");
      // SCALE-Sim rounds the ofmap size up: a last, partial window is computed.
      const std::int64_t oh = (h - fh + sh - 1) / sh + 1, ow = (w - fw + sw - 1) / sw + 1;
      g.op = "Conv";
      std::int64_t window = 0;
      if (__builtin_mul_overflow(oh, ow, &g.m) || __builtin_mul_overflow(fh, fw, &window) ||
          __builtin_mul_overflow(window, ch, &g.k) || g.m > kMaxDim * 64 || g.k > kMaxDim * 64)
        throw InputError(where.str() + ": layer too large");
      g.n = nf;
      // Depthwise layers (a name containing "DP") run as one single-filter layer per channel.
      if (g.name.find("DP") != std::string::npos) {
        g.repeat = nf;
        g.n = 1;
      }
    }
    layers.push_back(std::move(g));
  }
  if (layers.empty()) throw InputError(name + ": no layers (the first line is the header)");
  return layers;
}

}  // namespace sml::accel
