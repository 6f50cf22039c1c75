#include "sml/accel/pe_level.hpp"

#include <algorithm>

#include "sml/io/error.hpp"

namespace sml::accel {

namespace {

// One register of the grid: a value and whether it carries a real operand (zeros fed into
// unused rows and columns move like data but do not count as MACs).
struct Reg {
  double v = 0;
  bool valid = false;
  std::int64_t tag = -1;  // which output (os: k; ws/is: streamed index) the value belongs to
};

// Output stationary: A[m][k] enters row r of the fold at cycle k + r, B[k][n] column c at k + c;
// each PE multiplies what meets it and keeps the sum. Returns the fold's cycle count.
std::int64_t os_fold(std::int64_t m0, std::int64_t n0, std::int64_t R, std::int64_t C, const GemmLayer& g, const std::vector<double>& a,
                     const std::vector<double>& b, PeLevelRun& run) {
  std::vector<Reg> west(R * C), north(R * C), next_w(R * C), next_n(R * C);
  std::vector<double> acc(R * C, 0.0);
  std::int64_t t = 0, last = -1;
  for (;; ++t) {
    bool any = false;
    for (std::int64_t r = 0; r < R; ++r)
      for (std::int64_t c = 0; c < C; ++c) {
        Reg w, n;
        if (c == 0) {  // injection, skewed by row; rows past M carry zeros
          const std::int64_t k = t - r;
          if (k >= 0 && k < g.k) w = {m0 + r < g.m ? a[(m0 + r) * g.k + k] : 0.0, m0 + r < g.m, k};
        } else {
          w = west[r * C + c - 1];
        }
        if (r == 0) {
          const std::int64_t k = t - c;
          if (k >= 0 && k < g.k) n = {n0 + c < g.n ? b[k * g.n + n0 + c] : 0.0, n0 + c < g.n, k};
        } else {
          n = north[(r - 1) * C + c];
        }
        next_w[r * C + c] = w;
        next_n[r * C + c] = n;
        if (w.tag >= 0 || n.tag >= 0) any = true;
        if (w.tag >= 0 && n.tag >= 0) {
          if (w.tag != n.tag) throw std::logic_error("os: operands of different k met");
          acc[r * C + c] += w.v * n.v;
          if (w.valid && n.valid) ++run.macs;
          last = t;
        }
      }
    std::swap(west, next_w);
    std::swap(north, next_n);
    if (!any && t > g.k) break;
  }
  for (std::int64_t r = 0; r < R && m0 + r < g.m; ++r)
    for (std::int64_t c = 0; c < C && n0 + c < g.n; ++c) run.output[(m0 + r) * g.n + n0 + c] = acc[r * C + c];
  return last + 1;
}

// Weight (or input) stationary: the stationary tile is shifted in over R cycles; then streamed
// vector s enters row r at cycle R + s + r, moves east, and partial sums move south, complete at
// the bottom of column c at cycle R + s + c + R − 1. STAT(r, c) and STREAM(s, r) give the operands.
template <class Stat, class Stream, class Out>
std::int64_t stationary_fold(std::int64_t R, std::int64_t C, std::int64_t T, Stat stat, Stream stream, Out out, PeLevelRun& run) {
  std::vector<Reg> weight(R * C), west(R * C), psum(R * C), next_w(R * C), next_p(R * C);
  // Loading: the tile is shifted in from the top, one row per cycle; the array holds it after R
  // cycles (SCALE-Sim counts them), and streaming starts then.
  std::int64_t t = R, last = -1;
  for (std::int64_t r = 0; r < R; ++r)
    for (std::int64_t c = 0; c < C; ++c) weight[r * C + c] = stat(r, c);
  for (;; ++t) {
    bool any = false;
    for (std::int64_t r = 0; r < R; ++r)
      for (std::int64_t c = 0; c < C; ++c) {
        Reg w;
        if (c == 0) {
          const std::int64_t s = t - R - r;
          if (s >= 0 && s < T) w = stream(s, r);
        } else {
          w = west[r * C + c - 1];
        }
        Reg p = r == 0 ? Reg{0.0, false, w.tag} : psum[(r - 1) * C + c];
        if (w.tag >= 0) {
          if (r > 0 && p.tag != w.tag) throw std::logic_error("stationary: partial sum met another input");
          p.v += w.v * weight[r * C + c].v;
          p.tag = w.tag;
          if (w.valid && weight[r * C + c].valid) ++run.macs;
          any = true;
        }
        next_w[r * C + c] = w;
        next_p[r * C + c] = p;
        if (r == R - 1 && p.tag >= 0) {  // complete at the bottom of column c this cycle
          out(p.tag, c, p.v);
          last = t;  // SCALE-Sim counts a fold to the cycle its last sum is complete, not when it leaves
        }
      }
    std::swap(west, next_w);
    std::swap(psum, next_p);
    if (!any && t > R + T) break;
  }
  return last + 1;
}

}  // namespace

void require_pe_level_fits(const GemmLayer& g, const ArrayConfig& c, double max_pe_cycles) {
  const LayerTiming expected = time_layer(g, c);
  // The operands (M×K + K×N values) are held too: bounded by the same budget.
  const double operands = static_cast<double>(g.m) * static_cast<double>(g.k) + static_cast<double>(g.k) * static_cast<double>(g.n);
  if (static_cast<double>(expected.cycles) * static_cast<double>(c.rows * c.cols) > max_pe_cycles || operands > max_pe_cycles)
    throw InputError("layer " + g.name + ": too large for the PE-level mode (" + std::to_string(expected.cycles) + " cycles on " +
                     std::to_string(c.rows) + "x" + std::to_string(c.cols) + "); it is for small layers");
}

PeLevelRun run_pe_level(const GemmLayer& g, const ArrayConfig& c, const std::vector<double>& a, const std::vector<double>& b,
                        double max_pe_cycles) {
  if (g.repeat != 1) throw InputError("layer " + g.name + ": the PE-level mode runs one repeat at a time");
  require_pe_level_fits(g, c, max_pe_cycles);
  if (static_cast<std::int64_t>(a.size()) != g.m * g.k || static_cast<std::int64_t>(b.size()) != g.k * g.n)
    throw std::logic_error("run_pe_level: operand sizes");
  PeLevelRun run;
  run.output.assign(static_cast<std::size_t>(g.m * g.n), 0.0);
  const std::int64_t R = c.rows, C = c.cols;
  std::int64_t total = 0;
  if (c.dataflow == "os") {
    for (std::int64_t m0 = 0; m0 < g.m; m0 += R)
      for (std::int64_t n0 = 0; n0 < g.n; n0 += C) total += os_fold(m0, n0, R, C, g, a, b, run);
  } else {
    const bool ws = c.dataflow == "ws";
    const std::int64_t S = ws ? g.n : g.m, T = ws ? g.m : g.n;  // stationary columns, streamed length
    for (std::int64_t s0 = 0; s0 < S; s0 += C)
      for (std::int64_t k0 = 0; k0 < g.k; k0 += R) {
        auto stat = [&](std::int64_t r, std::int64_t col) {
          const std::int64_t k = k0 + r, s = s0 + col;
          if (k >= g.k || s >= S) return Reg{0.0, false, -1};
          return Reg{ws ? b[k * g.n + s] : a[s * g.k + k], true, -1};
        };
        auto stream = [&](std::int64_t t, std::int64_t r) {
          const std::int64_t k = k0 + r;
          if (k >= g.k) return Reg{0.0, false, t};
          return Reg{ws ? a[t * g.k + k] : b[k * g.n + t], true, t};
        };
        auto out = [&](std::int64_t t, std::int64_t col, double v) {
          const std::int64_t s = s0 + col;
          if (s >= S) return;
          double& y = ws ? run.output[t * g.n + s] : run.output[s * g.n + t];
          y += v;  // partial sums of the K folds add up
        };
        total += stationary_fold(R, C, T, stat, stream, out, run);
      }
  }
  run.cycles = total - 1;
  return run;
}

}  // namespace sml::accel
