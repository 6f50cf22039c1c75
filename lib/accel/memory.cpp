#include "sml/accel/memory.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::accel {

namespace {
double words_of(double kib, std::int64_t word_bytes) { return kib * 1024.0 / static_cast<double>(word_bytes); }
double ceil_div(double a, double b) { return std::ceil(a / b); }
}  // namespace

Traffic layer_traffic(const GemmLayer& g, const ArrayConfig& c) {
  const double M = static_cast<double>(g.m), N = static_cast<double>(g.n), K = static_cast<double>(g.k);
  const double R = static_cast<double>(c.rows), C = static_cast<double>(c.cols), rep = static_cast<double>(g.repeat);
  const double ifmap = words_of(c.ifmap_kib, c.word_bytes), filter = words_of(c.filter_kib, c.word_bytes),
               ofmap = words_of(c.ofmap_kib, c.word_bytes);
  Traffic t;
  if (c.dataflow == "os") {
    // Output tiles of R×C stay in the array; folds: ceil(M/R) row folds (outer) × ceil(N/C).
    const double row_folds = ceil_div(M, R), col_folds = ceil_div(N, C);
    t.sram_ifmap_reads = M * K * col_folds;   // each row fold's A rows stream once per column fold
    t.sram_filter_reads = K * N * row_folds;  // all of B streams once per row fold
    t.sram_ofmap_writes = M * N;
    // A row block (R×K) is kept across the column folds when it fits; B stays when all of it fits.
    t.dram_ifmap_reads = std::min(R, M) * K <= ifmap ? M * K : M * K * col_folds;
    t.dram_filter_reads = K * N <= filter ? K * N : K * N * row_folds;
    t.dram_ofmap_writes = M * N;
  } else {
    // ws: B (K×N) tiles stationary, A streamed; is: A (K×M) tiles stationary, B streamed. The
    // stationary operand is read once; the streamed one once per column fold; partial sums of a
    // column block (T × C) accumulate over the ceil(K/R) row folds (inner loop).
    const bool ws = c.dataflow == "ws";
    const double T = ws ? M : N, S = ws ? N : M;  // streamed length, stationary columns
    const double row_folds = ceil_div(K, R), col_folds = ceil_div(S, C);
    const double stationary = K * S, streamed = T * K, out = M * N;
    (ws ? t.sram_filter_reads : t.sram_ifmap_reads) = stationary;
    (ws ? t.sram_ifmap_reads : t.sram_filter_reads) = streamed * col_folds;
    t.sram_ofmap_writes = out * row_folds;
    t.sram_ofmap_reads = out * (row_folds - 1);
    (ws ? t.dram_filter_reads : t.dram_ifmap_reads) = stationary;
    const double streamed_buffer = ws ? ifmap : filter;
    (ws ? t.dram_ifmap_reads : t.dram_filter_reads) = streamed <= streamed_buffer ? streamed : streamed * col_folds;
    const bool psums_fit = T * std::min(C, S) <= ofmap;
    t.dram_ofmap_writes = psums_fit ? out : out * row_folds;
    t.dram_ofmap_reads = psums_fit ? 0 : out * (row_folds - 1);
  }
  for (double* v : {&t.sram_ifmap_reads, &t.sram_filter_reads, &t.sram_ofmap_reads, &t.sram_ofmap_writes, &t.dram_ifmap_reads,
                    &t.dram_filter_reads, &t.dram_ofmap_reads, &t.dram_ofmap_writes})
    *v *= rep;
  return t;
}

double bandwidth_words_per_cycle(const ArrayConfig& c) {
  if (c.bandwidth_words > 0) return c.bandwidth_words;
  if (c.dram_gbps > 0 && c.clock_mhz > 0) return c.dram_gbps * 1e9 / (c.clock_mhz * 1e6) / static_cast<double>(c.word_bytes);
  return 0;
}

std::int64_t stall_cycles(double dram_words, std::int64_t compute_cycles, double bandwidth, double fetches, double latency) {
  if (bandwidth <= 0) return 0;
  const double memory = std::ceil(dram_words / bandwidth + fetches * latency);
  if (memory > 9.2e18) throw InputError("a layer's DRAM time exceeds 2^63 cycles");
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(memory) - compute_cycles);
}

EnergyTable load_energy_table(const std::string& hw_dir, const ArrayConfig& c) {
  const YamlFile f = load_yaml(data_dir("hw", hw_dir) + "/accelerators/energy.yaml");
  EnergyTable t;
  t.mac_op = c.word_bytes == 1 ? "mac_int8" : c.word_bytes == 2 ? "mac_fp16" : "mac_fp32";
  t.vector_op = c.word_bytes == 1 ? "add_int8" : c.word_bytes == 2 ? "add_fp16" : "add_fp32";
  std::optional<double> mac, s8, s32, s1m, dram, dram_max, rf_ratio, vec;
  guarded(f, [&] {
    for (const auto& e : sequence(f, f.root, "entries")) {
      const std::string op = get_string(f, e, "op");
      if (op == t.mac_op) mac = get_number(f, e, "energy_pj");
      if (op == t.vector_op) vec = get_number(f, e, "energy_pj");
      if (op == "sram_read_64b_8kb") s8 = get_number(f, e, "energy_pj");
      if (op == "sram_read_64b_32kb") s32 = get_number(f, e, "energy_pj");
      if (op == "sram_read_64b_1mb") s1m = get_number(f, e, "energy_pj");
      if (op == "dram_access_64b") {
        dram = get_number(f, e, "energy_pj");
        dram_max = opt_number(f, e, "energy_pj_max");
      }
    }
    for (const auto& r : sequence(f, f.root, "relative"))
      if (get_string(f, r, "level") == "register_file") rf_ratio = get_number(f, r, "times_mac");
    return 0;
  });
  if (!mac || !s8 || !s32 || !s1m || !dram || !rf_ratio || !vec) throw InputError(f.name + ": energy table lacks a MAC, SRAM or DRAM entry");
  // 64-bit access energy of an SRAM of KIB, log2-interpolated between 8 KB, 32 KB and 1 MB and
  // held flat outside them.
  auto sram64 = [&](double kib) {
    const double x = std::log2(std::max(kib, 1e-9));
    if (x <= 3) return *s8;
    if (x <= 5) return *s8 + (x - 3) / 2 * (*s32 - *s8);
    if (x <= 10) return *s32 + (x - 5) / 5 * (*s1m - *s32);
    return *s1m;
  };
  const double per_word = static_cast<double>(c.word_bytes) / 8.0;
  t.mac_pj = *mac;
  t.vector_op_pj = *vec;
  t.rf_pj_per_access = *rf_ratio * *mac;
  t.ifmap_pj_per_word = sram64(c.ifmap_kib) * per_word;
  t.filter_pj_per_word = sram64(c.filter_kib) * per_word;
  t.ofmap_pj_per_word = sram64(c.ofmap_kib) * per_word;
  t.dram_pj_per_word = *dram * per_word;
  t.dram_pj_per_word_high = dram_max.value_or(*dram) * per_word;
  t.source = "Horowitz, ISSCC 2014, Fig. 1.1.9 (45 nm, 0.9 V; not scaled to the configuration's node): " + t.mac_op +
             "; SRAM per word = 64-bit cache access of the buffer's size (log2-interpolated between 8 KB, 32 KB, 1 MB: ours) "
             "x word/8; DRAM 1.3-2.6 nJ per 64 bits; register file: 3 accesses per MAC (ours) at Eyeriss's RF/MAC ratio "
             "(Chen et al., ISCA 2016, 65 nm) times that MAC; vector unit: one " + t.vector_op +
             " per lane operation and its words read and written at the ofmap buffer's per-word energy (ours)";
  return t;
}

LayerEnergy layer_energy(double macs, const Traffic& tr, const EnergyTable& t) {
  LayerEnergy e;
  e.mac_j = macs * t.mac_pj * 1e-12;
  e.rf_j = macs * kRfAccessesPerMac * t.rf_pj_per_access * 1e-12;
  e.sram_j = (tr.sram_ifmap_reads * t.ifmap_pj_per_word + tr.sram_filter_reads * t.filter_pj_per_word +
              (tr.sram_ofmap_reads + tr.sram_ofmap_writes) * t.ofmap_pj_per_word) * 1e-12;
  e.dram_j = tr.dram_words() * t.dram_pj_per_word * 1e-12;
  e.dram_j_high = tr.dram_words() * t.dram_pj_per_word_high * 1e-12;
  return e;
}

}  // namespace sml::accel
