#include "sml/io/units.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "sml/io/error.hpp"

namespace sml {
namespace {

struct Unit {
  const char* suffix;
  double factor;  // to the base unit
};

// Suffixes per quantity, in the base unit of the matching document key. Tables built once: these
// parsers run on every flag and in fuzz_units millions of times, where a vector per call was a
// third of the allocations.
const std::vector<Unit>& units_for(Quantity q) {
  static const std::vector<Unit> count = {{"", 1}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1e9}, {"T", 1e12}};
  static const std::vector<Unit> mass = {{"", 1}, {"kg", 1}, {"g", 1e-3}, {"t", 1e3}, {"kt", 1e6}, {"Mt", 1e9}};
  static const std::vector<Unit> energy = {{"", 1}, {"kWh", 1}, {"Wh", 1e-3}, {"MWh", 1e3}, {"GWh", 1e6}, {"J", 1 / 3.6e6},
                                           {"kJ", 1 / 3.6e3}, {"MJ", 1 / 3.6}, {"GJ", 1e3 / 3.6}};
  static const std::vector<Unit> time = {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"min", 60},
                                         {"h", 3600}, {"d", 86400}, {"w", 604800}, {"y", 365.25 * 86400}};
  static const std::vector<Unit> bytes = {{"", 1}, {"B", 1}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
                                          {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
  static const std::vector<Unit> power = {{"", 1}, {"W", 1}, {"mW", 1e-3}, {"kW", 1e3}, {"MW", 1e6}};
  static const std::vector<Unit> rate = {{"", 1}, {"fps", 1}, {"Hz", 1}, {"/s", 1}, {"kHz", 1e3}};
  static const std::vector<Unit> none;
  switch (q) {
    case Quantity::kCount: return count;
    case Quantity::kMass: return mass;
    case Quantity::kEnergy: return energy;
    case Quantity::kTime: return time;
    case Quantity::kBytes: return bytes;
    case Quantity::kPower: return power;
    case Quantity::kRate: return rate;
  }
  return none;
}

// "kg, g, t, kt, Mt": the suffixes a message offers (the bare number left out).
std::string unit_list(Quantity q) {
  std::string out;
  for (const Unit& u : units_for(q))
    if (*u.suffix) out += std::string(out.empty() ? "" : ", ") + u.suffix;
  return out;
}

// The C string S, whitespace-trimmed, as a view (no copy). Like trim(std::string(S)) it ends at the
// first NUL: what strtod leaves of a text with a NUL in it is read up to there, as before.
std::string_view trimmed(const char* s) {
  const char* b = s;
  const char* e = s + std::strlen(s);
  while (b < e && std::isspace(static_cast<unsigned char>(*b))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(e[-1]))) --e;
  return {b, static_cast<std::size_t>(e - b)};
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
  const std::string_view suffix = trimmed(end);
  for (const Unit& u : units_for(q)) {
    if (suffix == u.suffix) {
      const double r = v * u.factor;
      if (r < 0) throw InputError(what + " '" + raw + "': must not be negative");
      return r;
    }
  }
  throw UsageError(what + " '" + raw + "': unknown unit '" + std::string(suffix) + "' (known: " + unit_list(q) + ")");
}

double parse_quantity_with_unit(const std::string& text, Quantity q, const std::string& what) {
  const std::string t = trim(text);
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  if (end != t.c_str() && trimmed(end).empty())
    throw UsageError(what + " '" + text + "': give a unit (" + unit_list(q) + ")");
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
