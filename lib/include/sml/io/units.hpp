// The one parser for quantities people type on the command line (DESIGN.md §3): `50kg`, `1.2M`,
// `30fps`, `10ms`, `2.5h`, `4GiB`, `120kWh`. k/M/G/T are decimal, KiB/MiB/GiB/TiB binary.
// Values come back in the unit of the document key (kg, kWh, s, bytes, W, fps).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sml {

enum class Quantity { kCount, kMass, kEnergy, kTime, kBytes, kPower, kRate };

// Parses TEXT as a QUANTITY; WHAT names the flag for messages. A bare number is taken in the
// base unit (kg, kWh, s, bytes, W, fps) — counts accept k/M/G/T suffixes. Throws UsageError.
double parse_quantity(const std::string& text, Quantity quantity, const std::string& what);
// The same, but a bare number is refused where the unit is ambiguous (is "--max-time 3" hours or
// days?): the message asks for one.
double parse_quantity_with_unit(const std::string& text, Quantity quantity, const std::string& what);

// A positive whole count: "64", "1.2M", "3k". Throws UsageError.
std::int64_t parse_count(const std::string& text, const std::string& what);

// Dims such as "1x3x224x224" (also "1,3,224,224"). Throws UsageError.
std::vector<std::int64_t> parse_dims(const std::string& text, const std::string& what);

// Splits "NAME=VALUE" at its last '=' (names may hold '=' in ONNX, values never do). FORM is the
// expected form for the message, e.g. "NAME=DIMS, e.g. input=1x3x224x224". Throws UsageError.
std::pair<std::string, std::string> split_assignment(const std::string& spec, const std::string& what,
                                                     const std::string& form);

// "--input-shape NAME=DIMS" into SHAPES (the graph::InferOptions map). Throws UsageError.
void add_input_shape(const std::string& spec, std::map<std::string, std::vector<std::int64_t>>& shapes);

// "--input-value NAME=V" (a number: 16000, 0.5, -1) into VALUES (graph::InferOptions::input_values).
// Throws UsageError.
void add_input_value(const std::string& spec, std::map<std::string, double>& values);

}  // namespace sml
