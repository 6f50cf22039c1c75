#include "sml/graph/model.hpp"

#include <cmath>
#include <cstring>

#include "sml/graph/wire.hpp"

namespace sml::graph {

double dtype_bytes(int t) {
  switch (t) {
    case kFloat: case kInt32: case kUint32: return 4;
    case kDouble: case kInt64: case kUint64: case kComplex64: return 8;
    case kComplex128: return 16;
    case kFloat16: case kBfloat16: case kInt16: case kUint16: return 2;
    case kUint8: case kInt8: case kBool: case kFloat8E4M3FN: case kFloat8E4M3FNUZ:
    case kFloat8E5M2: case kFloat8E5M2FNUZ: return 1;
    case kUint4: case kInt4: return 0.5;
    default: return 0;
  }
}

const char* dtype_name(int t) {
  static const char* names[] = {"undefined", "float32", "uint8", "int8", "uint16", "int16",
                                "int32", "int64", "string", "bool", "float16", "float64",
                                "uint32", "uint64", "complex64", "complex128", "bfloat16",
                                "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz",
                                "uint4", "int4"};
  return (t >= 0 && t <= 22) ? names[t] : "unknown";
}

bool dtype_is_float(int t) {
  switch (t) {
    case kFloat: case kFloat16: case kDouble: case kBfloat16: case kFloat8E4M3FN:
    case kFloat8E4M3FNUZ: case kFloat8E5M2: case kFloat8E5M2FNUZ: return true;
    default: return false;
  }
}

bool is_default_domain(const std::string& d) { return d.empty() || d == "ai.onnx"; }

FunctionIndex::FunctionIndex(const Model& model) {
  // Two functions of one name are invalid ONNX; the walk has always expanded the last one.
  for (const auto& f : model.functions) by_name_[{f.domain, f.name}] = &f;
}

std::size_t FunctionIndex::Hash::operator()(const std::pair<std::string_view, std::string_view>& k) const noexcept {
  const std::size_t h = std::hash<std::string_view>{}(k.first);
  return h ^ (std::hash<std::string_view>{}(k.second) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
}

const Function* FunctionIndex::find(const Node& node) const {
  if (by_name_.empty()) return nullptr;
  auto it = by_name_.find({node.domain, node.op_type});
  return it == by_name_.end() ? nullptr : it->second;
}

std::int64_t Tensor::elements() const {
  std::int64_t n = 1;
  for (auto d : dims) n *= d;  // dims were checked for overflow on load
  return n;
}

namespace {

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16;
  std::uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ffu, bits;
  if (exp == 0) {
    if (mant == 0) bits = sign;
    else {  // subnormal
      exp = 127 - 15 + 1;
      while (!(mant & 0x400u)) { mant <<= 1; --exp; }
      bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename T>
T load_le(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // x86_64 and arm64 are little-endian, as ONNX raw_data is
  return v;
}

// Decodes N elements of DTYPE from little-endian raw bytes.
std::optional<std::vector<double>> decode_raw(std::string_view raw, int dtype, std::int64_t n) {
  const double width = dtype_bytes(dtype);
  if (width < 1 || static_cast<double>(raw.size()) < width * static_cast<double>(n)) return std::nullopt;
  std::vector<double> out(static_cast<std::size_t>(n));
  const char* p = raw.data();
  for (std::int64_t i = 0; i < n; ++i) {
    double v = 0;
    switch (dtype) {
      case kFloat: v = load_le<float>(p + 4 * i); break;
      case kDouble: v = load_le<double>(p + 8 * i); break;
      case kInt64: v = static_cast<double>(load_le<std::int64_t>(p + 8 * i)); break;
      case kUint64: v = static_cast<double>(load_le<std::uint64_t>(p + 8 * i)); break;
      case kInt32: v = load_le<std::int32_t>(p + 4 * i); break;
      case kUint32: v = load_le<std::uint32_t>(p + 4 * i); break;
      case kInt16: v = load_le<std::int16_t>(p + 2 * i); break;
      case kUint16: v = load_le<std::uint16_t>(p + 2 * i); break;
      case kInt8: v = static_cast<std::int8_t>(p[i]); break;
      case kUint8: case kBool: v = static_cast<std::uint8_t>(p[i]); break;
      case kFloat16: v = half_to_float(load_le<std::uint16_t>(p + 2 * i)); break;
      case kBfloat16: {
        std::uint32_t bits = static_cast<std::uint32_t>(load_le<std::uint16_t>(p + 2 * i)) << 16;
        float f;
        std::memcpy(&f, &bits, 4);
        v = f;
        break;
      }
      default: return std::nullopt;
    }
    out[static_cast<std::size_t>(i)] = v;
  }
  return out;
}

// Converts one element of a typed repeated field, as stored for DTYPE (ONNX stores float16,
// int8, bool... in int32_data as their bit patterns).
double typed_value(int field, int dtype, std::uint64_t bits) {
  switch (field) {
    case 4: { float f; auto b = static_cast<std::uint32_t>(bits); std::memcpy(&f, &b, 4); return f; }
    case 10: { double d; std::memcpy(&d, &bits, 8); return d; }
    case 7: return static_cast<double>(static_cast<std::int64_t>(bits));
    case 11: return static_cast<double>(bits);
    case 5: {
      auto v = static_cast<std::int32_t>(static_cast<std::int64_t>(bits));
      if (dtype == kFloat16) return half_to_float(static_cast<std::uint16_t>(v));
      if (dtype == kBfloat16) {
        std::uint32_t b = static_cast<std::uint32_t>(v) << 16;
        float f;
        std::memcpy(&f, &b, 4);
        return f;
      }
      return v;
    }
    default: return 0;
  }
}

}  // namespace

std::optional<std::vector<double>> Tensor::values(std::int64_t max_elements) const {
  const std::int64_t n = elements();
  if (n > max_elements || n < 0) return std::nullopt;
  const double width = dtype_bytes(dtype);
  try {
    if (!external_location.empty()) {
      if (!source || !source->external || width < 1) return std::nullopt;
      const auto bytes = static_cast<std::int64_t>(width * static_cast<double>(n));
      try {
        return decode_raw(source->external->read(external_location, external_offset, bytes), dtype, n);
      } catch (const ExternalDataError&) {
        return std::nullopt;
      }
    }
    if (n == 0) return std::vector<double>();
    if (!source) return std::nullopt;
    if (has_raw) {
      if (width < 1 || static_cast<double>(raw_length) < width * static_cast<double>(n)) return std::nullopt;
      return decode_raw(source->bytes->copy(raw_offset, raw_length), dtype, n);
    }
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(n));
    if (typed_length > 0) {
      const std::string packed = source->bytes->copy(typed_offset, typed_length);
      if (typed_field == 4 || typed_field == 10) {
        const std::size_t w = typed_field == 4 ? 4 : 8;
        for (std::size_t off = 0; off + w <= packed.size(); off += w) {
          std::uint64_t bits = 0;
          std::memcpy(&bits, packed.data() + off, w);
          out.push_back(typed_value(typed_field, dtype, bits));
        }
      } else {
        wire::for_each_packed_varint(packed, typed_offset,
                                     [&](std::uint64_t v) { out.push_back(typed_value(typed_field, dtype, v)); });
      }
    }
    for (auto bits : typed_unpacked) out.push_back(typed_value(typed_field, dtype, bits));
    if (static_cast<std::int64_t>(out.size()) != n) return std::nullopt;
    return out;
  } catch (const wire::WireError&) {
    return std::nullopt;  // unreadable payload: the value stays unknown
  }
}

const Attribute* Node::attr(const std::string& n) const {
  for (const auto& a : attributes)
    if (a.name == n) return &a;
  return nullptr;
}
std::int64_t Node::attr_int(const std::string& n, std::int64_t fallback) const {
  const Attribute* a = attr(n);
  return a ? a->i : fallback;
}
double Node::attr_float(const std::string& n, double fallback) const {
  const Attribute* a = attr(n);
  return a ? a->f : fallback;
}
std::string Node::attr_string(const std::string& n, const std::string& fallback) const {
  const Attribute* a = attr(n);
  return a ? a->s : fallback;
}
std::vector<std::int64_t> Node::attr_ints(const std::string& n) const {
  const Attribute* a = attr(n);
  return a ? a->ints : std::vector<std::int64_t>{};
}
std::string Node::label() const {
  return op_type + (name.empty() ? (outputs.empty() ? std::string(" (unnamed)") : " producing '" + outputs[0] + "'")
                                 : " '" + name + "'");
}

std::int64_t Model::opset(const std::string& domain) const {
  auto it = opsets.find(domain);
  if (it == opsets.end() && domain.empty()) it = opsets.find("ai.onnx");
  return it == opsets.end() ? 0 : it->second;
}

}  // namespace sml::graph
