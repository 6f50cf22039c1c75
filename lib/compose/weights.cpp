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

// splitmix64's finalizer: a chunk's seed from the tensor's key and the chunk's index.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Box-Muller over arrays, in branch-free float arithmetic the compiler vectorises (libm's logf and
// sincosf, one call per value, were a third of a 0.5 B-parameter build). Both approximations are
// within a few float ulps: log by musl's reduction to [sqrt(1/2), sqrt(2)) and atanh's series to
// s^9 (truncation < 1e-9); sin and cos of 2 pi u by quadrant and Taylor series on [-pi/4, pi/4]
// (truncation < 2e-9). An AVX2 clone where the CPU has it: without FMA contraction (not enabled by
// "avx2") every operation rounds as in the SSE2 build, so the bytes are the same on either.
__attribute__((target_clones("avx2", "default"))) void box_muller(const float* u1, const float* u2, float* a, float* b, std::int64_t n, float scale) {
  for (std::int64_t j = 0; j < n; ++j) {
    // log(x), x = 1 - u1 in [2^-24, 1]: x = m 2^e with m in [sqrt(1/2), sqrt(2)).
    const float x = 1.0f - u1[j];
    std::uint32_t ix;
    std::memcpy(&ix, &x, 4);
    ix += 0x3f800000u - 0x3f3504f3u;
    const float e = static_cast<float>(static_cast<std::int32_t>(ix >> 23) - 127);
    ix = (ix & 0x007fffffu) + 0x3f3504f3u;
    float m;
    std::memcpy(&m, &ix, 4);
    const float f = m - 1.0f, s = f / (2.0f + f), z = s * s;
    const float log_m = 2.0f * s * (1.0f + z * (1.0f / 3 + z * (1.0f / 5 + z * (1.0f / 7 + z * (1.0f / 9)))));
    const float log_x = e * 0.693147180559945309f + log_m;
    const float r = scale * std::sqrt(std::max(0.0f, -2.0f * log_x));
    // 2 pi u2 = q pi/2 + t pi/2, q = round(4 u2) in 0..4, t in [-1/2, 1/2].
    const float q4 = u2[j] * 4.0f;
    const std::int32_t q = static_cast<std::int32_t>(q4 + 0.5f);
    const float t = (q4 - static_cast<float>(q)) * 1.57079632679489662f, t2 = t * t;
    const float sn = t * (1.0f + t2 * (-1.0f / 6 + t2 * (1.0f / 120 + t2 * (-1.0f / 5040 + t2 * (1.0f / 362880)))));
    const float cs = 1.0f + t2 * (-0.5f + t2 * (1.0f / 24 + t2 * (-1.0f / 720 + t2 * (1.0f / 40320 + t2 * (-1.0f / 3628800)))));
    const bool odd = q & 1;
    const float sin_v = odd ? cs : sn, cos_v = odd ? sn : cs;
    // sin is negative in quadrants 2 and 3, cos in 1 and 2.
    a[j] = r * (((q + 1) & 2) ? -cos_v : cos_v);
    b[j] = r * ((q & 2) ? -sin_v : sin_v);
  }
}

void uniform(const float* u1, const float* u2, float* a, float* b, std::int64_t n, float half_width) {
  const float lo = -half_width, width = 2 * half_width;
  for (std::int64_t j = 0; j < n; ++j) {
    a[j] = lo + width * u1[j];
    b[j] = lo + width * u2[j];
  }
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
    : init_(init), half_(w.precision == "fp16"), zero_(all_zero(init, w)), key_(w.seed ^ name_hash(init.name)),
      total_(init.elements()), each_(value_bytes(init, w)) {
  switch (init.fill) {
    case Fill::kHeNormalFanOut: normal_ = true, scale_ = static_cast<float>(std::sqrt(2.0 / std::max(1.0, init.fan_out))); break;
    case Fill::kXavierUniform: scale_ = static_cast<float>(std::sqrt(6.0 / std::max(1.0, init.fan_in + init.fan_out))); break;
    case Fill::kNormal002: normal_ = true, scale_ = 0.02f; break;
    case Fill::kUniformFanIn: scale_ = static_cast<float>(1.0 / std::sqrt(std::max(1.0, init.fan_in))); break;
    case Fill::kOnes: ones_ = true; break;
    default: break;
  }
}

void WeightStream::store(char* out, const float* v, std::int64_t n) const {
  if (half_) {
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint16_t h = to_half(v[i]);
      std::memcpy(out + 2 * i, &h, 2);
    }
  } else {
    std::memcpy(out, v, static_cast<std::size_t>(n) * 4);
  }
}

void WeightStream::draw_chunk(std::int64_t c, std::int64_t n, float* v) const {
  FastRng rng(mix64(key_ ^ mix64(static_cast<std::uint64_t>(c) + 1)));
  const std::int64_t pairs = (n + 1) / 2;
  alignas(64) float u1[kChunk / 2], u2[kChunk / 2], a[kChunk / 2], b[kChunk / 2];
  for (std::int64_t j = 0; j < pairs; ++j) rng.uniform2(u1[j], u2[j]);
  if (normal_) box_muller(u1, u2, a, b, pairs, scale_);
  else uniform(u1, u2, a, b, pairs, scale_);
  for (std::int64_t j = 0; j < pairs; ++j) {  // V holds kChunk (even) values: the pair's second always fits
    v[2 * j] = a[j];
    v[2 * j + 1] = b[j];
  }
}

void WeightStream::fill(char* out, std::int64_t start, std::int64_t count) const {
  count = std::max<std::int64_t>(0, std::min(count, total_ - start));
  if (init_.fill == Fill::kValues) {
    for (std::int64_t i = 0; i < count; ++i) {
      const std::size_t k = static_cast<std::size_t>(start + i);
      if (init_.dtype == 7) {
        const std::int64_t v = k < init_.ints.size() ? init_.ints[k] : 0;
        std::memcpy(out + 8 * i, &v, 8);  // ONNX raw_data is little-endian, as is every host we build for
      } else {
        const float f = k < init_.floats.size() ? init_.floats[k] : 0.0f;
        store(out + each_ * static_cast<std::size_t>(i), &f, 1);
      }
    }
    return;
  }
  if (zero_) {
    std::memset(out, 0, static_cast<std::size_t>(count) * each_);  // +0.0 is all zero bits in both formats
    return;
  }
  if (ones_) {
    const float one = 1.0f;
    for (std::int64_t i = 0; i < count; ++i) store(out + each_ * static_cast<std::size_t>(i), &one, 1);
    return;
  }
  alignas(64) float v[kChunk];
  for (std::int64_t i = start; i < start + count;) {
    const std::int64_t c = i / kChunk, first = c * kChunk, skip = i - first;
    const std::int64_t n = std::min(kChunk, total_ - first), take = std::min(n, start + count - first) - skip;
    draw_chunk(c, skip + take, v);
    store(out + each_ * static_cast<std::size_t>(i - start), v + skip, take);
    i += take;
  }
}

std::string draw_all(const Initializer& init, const WeightOptions& w) {
  std::string raw(static_cast<std::size_t>(init.elements()) * value_bytes(init, w), '\0');
  WeightStream s(init, w);
  s.fill(raw.data(), 0, s.size());
  return raw;
}

}  // namespace sml::compose
