// Drawn weights (issue 13): a tensor's values are the same however they are cut into pieces and
// on however many threads they are drawn, and they follow the distributions man sml-compose states.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "../../lib/compose/draw_pipeline.hpp"
#include "../../lib/compose/weights.hpp"

namespace sc = sml::compose;

namespace {

sc::Initializer tensor(const std::string& name, sc::Fill fill, std::int64_t n, double fan_in = 1, double fan_out = 1) {
  sc::Initializer init;
  init.name = name;
  init.dims = {n};
  init.fill = fill;
  init.fan_in = fan_in;
  init.fan_out = fan_out;
  return init;
}

std::vector<float> floats(const sc::Initializer& init, const sc::WeightOptions& w) {
  const sc::WeightStream s(init, w);
  std::vector<float> v(static_cast<std::size_t>(s.size()));
  s.fill(reinterpret_cast<char*>(v.data()), 0, s.size());
  return v;
}

// The standard normal's CDF, for the fraction of values within K standard deviations.
double within(double k) { return std::erf(k / std::sqrt(2.0)); }

}  // namespace

TEST_SUITE("weights") {
  TEST_CASE("a tensor's values do not depend on how it is cut, in what order, or on what else is drawn") {
    const sc::WeightOptions w{"random", 7, "fp32"}, half{"random", 7, "fp16"};
    // Three whole chunks and an odd tail: the last Box-Muller pair is cut.
    const std::int64_t n = 3 * sc::WeightStream::kChunk + 1001;
    for (const auto& opts : {w, half}) {
      const sc::Initializer init = tensor("layer.weight", sc::Fill::kNormal002, n);
      const sc::WeightStream s(init, opts);
      const std::size_t each = s.value_size();
      std::vector<char> whole(static_cast<std::size_t>(n) * each), cut(whole.size(), 'x');
      s.fill(whole.data(), 0, n);
      // Pieces of odd sizes, drawn last first.
      const std::vector<std::int64_t> sizes{1, 4095, 3, 7000, 2, 1500};
      std::vector<std::int64_t> starts{0};
      for (auto k : sizes) starts.push_back(starts.back() + k);
      starts.back() = n;
      for (std::size_t k = starts.size() - 1; k-- > 0;)
        s.fill(cut.data() + each * static_cast<std::size_t>(starts[k]), starts[k], starts[k + 1] - starts[k]);
      CHECK(cut == whole);
    }
    // Another seed or another name: other values; the same again: the same.
    const auto a = floats(tensor("a", sc::Fill::kNormal002, 64), w);
    CHECK(a == floats(tensor("a", sc::Fill::kNormal002, 64), w));
    CHECK(a != floats(tensor("b", sc::Fill::kNormal002, 64), w));
    CHECK(a != floats(tensor("a", sc::Fill::kNormal002, 64), {"random", 8, "fp32"}));
    // Chunks are not copies of each other.
    const auto two = floats(tensor("a", sc::Fill::kNormal002, 2 * sc::WeightStream::kChunk), w);
    CHECK(std::memcmp(two.data(), two.data() + sc::WeightStream::kChunk, 64 * sizeof(float)) != 0);
  }

  TEST_CASE("the worker threads hand the blocks over in order: the same bytes on 1, 2 or 3 threads") {
    const sc::Initializer init = tensor("emb", sc::Fill::kNormal002, 10 * 5000 + 17);
    const sc::WeightStream s(init, {"random", 0, "fp32"});
    std::vector<char> whole(static_cast<std::size_t>(s.size()) * 4);
    s.fill(whole.data(), 0, s.size());
    for (unsigned threads : {1u, 2u, 3u}) {
      std::vector<sc::DrawBlock> blocks;
      for (std::int64_t at = 0; at < s.size(); at += 5000) blocks.push_back({&s, at, std::min<std::int64_t>(5000, s.size() - at)});
      const std::size_t count = blocks.size();
      sc::DrawPipeline pipeline(std::move(blocks), threads, 2);
      std::vector<char> got;
      for (std::size_t k = 0; k < count; ++k) {
        const auto& b = pipeline.next();
        got.insert(got.end(), b.begin(), b.end());
      }
      CHECK(got == whole);
    }
  }

  TEST_CASE("the distributions man sml-compose states: N(0, 0.02²), He normal, Xavier uniform") {
    const sc::WeightOptions w{"random", 0, "fp32"};
    const std::int64_t n = std::int64_t(1) << 20;
    // N(0, sd²): mean, standard deviation, kurtosis and the fractions within 1, 2 and 3 sd, each
    // within about five standard errors of a sample of 2^20 (the standard normal's erf values are
    // the reference); and the two values of a Box-Muller pair uncorrelated.
    for (const auto& [init, sd] : {std::pair{tensor("emb", sc::Fill::kNormal002, n), 0.02},
                                   std::pair{tensor("conv", sc::Fill::kHeNormalFanOut, n, 1, 576), std::sqrt(2.0 / 576)}}) {
      const auto v = floats(init, w);
      double sum = 0, sq = 0, quad = 0, pair = 0;
      std::int64_t in[4] = {0, 0, 0, 0};
      for (std::size_t i = 0; i < v.size(); ++i) {
        const double x = v[i] / sd;
        sum += x, sq += x * x, quad += x * x * x * x;
        for (int k = 1; k <= 3; ++k) in[k] += std::fabs(x) < k;
        if (i % 2 == 1) pair += x * (v[i - 1] / sd);
      }
      const double mean = sum / n, var = sq / n - mean * mean;
      CHECK(std::fabs(mean) < 5 / std::sqrt(double(n)));
      CHECK(std::fabs(std::sqrt(var) - 1) < 5 / std::sqrt(2.0 * n));
      CHECK(std::fabs(quad / n / (var * var) - 3) < 5 * std::sqrt(24.0 / n));
      for (int k = 1; k <= 3; ++k) {
        const double p = within(k);
        CHECK(std::fabs(double(in[k]) / n - p) < 5 * std::sqrt(p * (1 - p) / n));
      }
      CHECK(std::fabs(pair / (n / 2)) < 5 / std::sqrt(n / 2.0));
    }
    // Xavier uniform, 768 in and 3072 out: U(±sqrt(6 / 3840)), variance h²/3.
    const double h = std::sqrt(6.0 / 3840);
    const auto u = floats(tensor("fc", sc::Fill::kXavierUniform, n, 768, 3072), w);
    double sum = 0, sq = 0;
    bool inside = true;
    for (float x : u) {
      sum += x, sq += double(x) * x;
      inside = inside && x >= -h && x < h;
    }
    CHECK(inside);
    CHECK(std::fabs(sum / n) < 5 * h / std::sqrt(3.0 * n));
    CHECK(std::fabs(sq / n / (h * h / 3) - 1) < 5 * std::sqrt(0.8 / n));  // var of U² / (h²/3)² = 4/5
  }
}
