#include "weights.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sml::compose {

namespace {

// IEEE 754 binary32 → binary16, round to nearest even (weights are small; overflow saturates to inf).
std::uint16_t to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const int exp = static_cast<int>((x >> 23) & 0xff) - 127 + 15;
  std::uint32_t mant = x & 0x7fffffu;
  if (((x >> 23) & 0xff) == 0xff) return static_cast<std::uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));
  if (exp >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (exp <= 0) {
    if (exp < -10) return static_cast<std::uint16_t>(sign);
    mant |= 0x800000u;
    const int shift = 14 - exp;
    std::uint32_t h = mant >> shift;
    const std::uint32_t rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1))) ++h;
    return static_cast<std::uint16_t>(sign | h);
  }
  std::uint32_t h = (static_cast<std::uint32_t>(exp) << 10) | (mant >> 13);
  const std::uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

// FNV-1a: a stable per-tensor stream, so a tensor's values do not depend on what else is built.
std::uint64_t name_hash(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

std::size_t value_bytes(const Initializer& init, const WeightOptions& w) {
  if (init.dtype == 7) return 8;
  return w.precision == "fp16" ? 2 : 4;
}

bool all_zero(const Initializer& init, const WeightOptions& w) {
  if (init.fill == Fill::kValues) return false;
  return init.fill == Fill::kZeros || (w.mode == "zeros" && (init.fill != Fill::kOnes || init.trainable));
}

WeightStream::WeightStream(const Initializer& init, const WeightOptions& w)
    : init_(init), half_(w.precision == "fp16"), zero_(all_zero(init, w)), rng_(w.seed ^ name_hash(init.name)),
      total_(init.elements()) {
  switch (init.fill) {
    case Fill::kHeNormalFanOut: normal_ = true, scale_ = static_cast<float>(std::sqrt(2.0 / std::max(1.0, init.fan_out))); break;
    case Fill::kXavierUniform: scale_ = static_cast<float>(std::sqrt(6.0 / std::max(1.0, init.fan_in + init.fan_out))); break;
    case Fill::kNormal002: normal_ = true, scale_ = 0.02f; break;
    case Fill::kUniformFanIn: scale_ = static_cast<float>(1.0 / std::sqrt(std::max(1.0, init.fan_in))); break;
    case Fill::kOnes: ones_ = true; break;
    default: break;
  }
}

void WeightStream::put(char* out, std::int64_t i, float v) const {
  if (half_) {
    const std::uint16_t h = to_half(v);
    std::memcpy(out + 2 * i, &h, 2);
  } else {
    std::memcpy(out + 4 * i, &v, 4);
  }
}

void WeightStream::pair(float& a, float& b) {
  float u1, u2;
  rng_.uniform2(u1, u2);
  if (normal_) {
    constexpr float two_pi = 6.28318530717958647692f;
    const float r = scale_ * std::sqrt(-2.0f * std::log(1.0f - u1));  // 1 - u1 in (0, 1]: log finite
    a = r * std::cos(two_pi * u2);
    b = r * std::sin(two_pi * u2);
  } else {
    const float lo = -scale_, width = 2 * scale_;
    a = lo + width * u1;
    b = lo + width * u2;
  }
}

void WeightStream::next(char* out, std::int64_t count) {
  count = std::min(count, remaining());
  const std::int64_t start = done_;
  done_ += count;
  if (init_.fill == Fill::kValues) {
    for (std::int64_t i = 0; i < count; ++i) {
      const std::size_t k = static_cast<std::size_t>(start + i);
      if (init_.dtype == 7) {
        const std::int64_t v = k < init_.ints.size() ? init_.ints[k] : 0;
        std::memcpy(out + 8 * i, &v, 8);  // ONNX raw_data is little-endian, as is every host we build for
      } else {
        put(out, i, k < init_.floats.size() ? init_.floats[k] : 0.0f);
      }
    }
    return;
  }
  if (zero_) {
    std::memset(out, 0, static_cast<std::size_t>(count) * (half_ ? 2 : 4));  // +0.0 is all zero bits in both formats
    return;
  }
  if (ones_) {
    for (std::int64_t i = 0; i < count; ++i) put(out, i, 1.0f);
    return;
  }
  std::int64_t i = 0;
  if (has_spare_ && count > 0) {
    put(out, i++, spare_);
    has_spare_ = false;
  }
  for (; i + 1 < count; i += 2) {
    float a, b;
    pair(a, b);
    put(out, i, a);
    put(out, i + 1, b);
  }
  if (i < count) {
    float a, b;
    pair(a, b);
    put(out, i, a);
    spare_ = b;
    has_spare_ = true;
  }
}

std::string draw_all(const Initializer& init, const WeightOptions& w) {
  std::string raw(static_cast<std::size_t>(init.elements()) * value_bytes(init, w), '\0');
  WeightStream s(init, w);
  s.next(raw.data(), s.remaining());
  return raw;
}

}  // namespace sml::compose
