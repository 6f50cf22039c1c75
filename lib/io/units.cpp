#include "sml/io/units.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "sml/io/error.hpp"

namespace sml {
namespace {

struct Unit {
  const char* suffix;
  double factor;  // to the base unit
};

// Suffixes per quantity, in the base unit of the matching document key.
std::vector<Unit> units_for(Quantity q) {
  switch (q) {
    case Quantity::kCount: return {{"", 1}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1e9}, {"T", 1e12}};
    case Quantity::kMass: return {{"", 1}, {"kg", 1}, {"g", 1e-3}, {"t", 1e3}, {"kt", 1e6}, {"Mt", 1e9}};
    case Quantity::kEnergy: return {{"", 1}, {"kWh", 1}, {"Wh", 1e-3}, {"MWh", 1e3}, {"GWh", 1e6}, {"J", 1 / 3.6e6},
                                    {"kJ", 1 / 3.6e3}, {"MJ", 1 / 3.6}, {"GJ", 1e3 / 3.6}};
    case Quantity::kTime: return {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"min", 60},
                                  {"h", 3600}, {"d", 86400}, {"w", 604800}, {"y", 365.25 * 86400}};
    case Quantity::kBytes: return {{"", 1}, {"B", 1}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
                                   {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
    case Quantity::kPower: return {{"", 1}, {"W", 1}, {"mW", 1e-3}, {"kW", 1e3}, {"MW", 1e6}};
    case Quantity::kRate: return {{"", 1}, {"fps", 1}, {"Hz", 1}, {"/s", 1}, {"kHz", 1e3}};
  }
  return {};
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

}  // namespace

double parse_quantity(const std::string& raw, Quantity q, const std::string& what) {
  const std::string text = trim(raw);
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || text.empty())
    throw UsageError(what + " '" + raw + "': expected a number with an optional unit");
  // A value that parses but cannot be one (1e400, nan, inf, negative) is bad input (exit 2,
  // DESIGN.md §4); text that is not a number at all is a usage error (exit 1).
  if (errno == ERANGE || !std::isfinite(v)) throw InputError(what + " '" + raw + "': number out of range");
  const std::string suffix = trim(std::string(end));
  std::string known;
  for (const Unit& u : units_for(q)) {
    if (suffix == u.suffix) {
      const double r = v * u.factor;
      if (r < 0) throw InputError(what + " '" + raw + "': must not be negative");
      return r;
    }
    if (*u.suffix) known += std::string(known.empty() ? "" : ", ") + u.suffix;
  }
  throw UsageError(what + " '" + raw + "': unknown unit '" + suffix + "' (known: " + known + ")");
}

double parse_quantity_with_unit(const std::string& text, Quantity q, const std::string& what) {
  const std::string t = trim(text);
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  if (end != t.c_str() && trim(std::string(end)).empty()) {
    std::string units;
    for (const Unit& u : units_for(q))
      if (*u.suffix) units += std::string(units.empty() ? "" : ", ") + u.suffix;
    throw UsageError(what + " '" + text + "': give a unit (" + units + ")");
  }
  return parse_quantity(text, q, what);
}

std::int64_t parse_count(const std::string& text, const std::string& what) {
  const double v = parse_quantity(text, Quantity::kCount, what);
  if (v < 1 || v > 9.0e18 || std::floor(v) != v)
    throw InputError(what + " '" + text + "': expected a whole number of at least 1");
  return static_cast<std::int64_t>(v);
}

std::vector<std::int64_t> parse_dims(const std::string& text, const std::string& what) {
  std::vector<std::int64_t> dims;
  std::size_t start = 0;
  if (text.empty()) throw UsageError(what + ": empty shape (expected e.g. 1x3x224x224)");
  while (start <= text.size()) {
    std::size_t sep = text.find_first_of("x,", start);
    const std::string part = text.substr(start, sep == std::string::npos ? std::string::npos : sep - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 15)
      throw UsageError(what + " '" + text + "': '" + part + "' is not a dimension (expected e.g. 1x3x224x224)");
    dims.push_back(std::stoll(part));
    if (sep == std::string::npos) break;
    start = sep + 1;
  }
  return dims;
}

std::pair<std::string, std::string> split_assignment(const std::string& spec, const std::string& what,
                                                     const std::string& form) {
  const auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) throw UsageError(what + " '" + spec + "': expected " + form);
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

void add_input_shape(const std::string& spec, std::map<std::string, std::vector<std::int64_t>>& shapes) {
  const auto [name, dims] = split_assignment(spec, "--input-shape", "NAME=DIMS, e.g. input=1x3x224x224");
  shapes[name] = parse_dims(dims, "--input-shape");
}

void add_input_value(const std::string& spec, std::map<std::string, double>& values) {
  const auto [name, text] = split_assignment(spec, "--input-value", "NAME=V, e.g. sr=16000");
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
    throw UsageError("--input-value '" + spec + "': expected NAME=V with V a finite number, e.g. sr=16000");
  values[name] = v;
}

}  // namespace sml
