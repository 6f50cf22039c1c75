// Private to lib/compose: the values of a drawn initializer, produced in order and in pieces, so a
// writer can stream them into its output (no tensor is held whole in memory) and skip all-zero
// tensors as holes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "sml/compose/builder.hpp"
#include "sml/compose/onnx_model.hpp"

namespace sml::compose {

// xoshiro256** (Blackman & Vigna 2018) seeded by splitmix64: a few ns per value where
// std::mt19937_64 with std::normal_distribution took most of a BERT-base build (issue 13).
class FastRng {
 public:
  explicit FastRng(std::uint64_t seed) {
    for (auto& w : s_) {
      seed += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      w = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Two uniforms in [0, 1) from one draw (24 bits each, a float's precision).
  void uniform2(float& a, float& b) {
    const std::uint64_t x = next();
    a = static_cast<float>(x >> 40) * 0x1.0p-24f;
    b = static_cast<float>((x >> 16) & 0xffffffu) * 0x1.0p-24f;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Bytes per value of INIT as stored under W (int64, float or binary16).
std::size_t value_bytes(const Initializer& init, const WeightOptions& w);
// True when every value of INIT under W is +0.0 (all zero bits).
bool all_zero(const Initializer& init, const WeightOptions& w);

// INIT's values under W, at random access: fill() writes values [START, START + COUNT). Values
// come in chunks of kChunk, each drawn from its own generator (seeded by the seed, the tensor's
// name and the chunk's index), so they do not depend on how the tensor is cut into pieces, on the
// order or the threads the pieces are drawn on, nor on the other tensors. fill() is const and
// thread-safe.
class WeightStream {
 public:
  static constexpr std::int64_t kChunk = 4096;  // values; even, so a Box-Muller pair never straddles two
  WeightStream(const Initializer& init, const WeightOptions& w);
  std::int64_t size() const { return total_; }
  std::size_t value_size() const { return each_; }
  void fill(char* out, std::int64_t start, std::int64_t count) const;

 private:
  // Chunk C's first N values (N <= kChunk) as floats.
  void draw_chunk(std::int64_t c, std::int64_t n, float* v) const;
  void store(char* out, const float* v, std::int64_t n) const;
  const Initializer& init_;
  bool half_, zero_;
  float scale_ = 0;  // normal: standard deviation; uniform: half-width
  bool normal_ = false, ones_ = false;
  std::uint64_t key_;
  std::int64_t total_;
  std::size_t each_;
};

// The whole tensor at once (small tensors, and edits of imported models).
std::string draw_all(const Initializer& init, const WeightOptions& w);

}  // namespace sml::compose
