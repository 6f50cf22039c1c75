#include "sml/accel/accelsim.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <cstdio>
#include <sys/stat.h>

#include "sml/accel/memory.hpp"
#include "sml/accel/pe_level.hpp"
#include "sml/accel/scalesim_io.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/svg.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/io/text.hpp"

namespace sml::accel {
namespace {

std::string format_percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * share);
  return buf;
}

}  // namespace

// hw/accelerators/*.yaml (accelerator/v1): figures are {value, source, year}.
ArrayConfig parse_accelerator(const YamlFile& f) {
  return guarded(f, [&] {
    require_kind(f, "accelerator/v1");
    ArrayConfig c;
    c.name = get_string(f, f.root, "id");
    c.source = f.name;
    auto value = [&](const YAML::Node& map, const char* key) -> std::optional<double> {
      const YAML::Node n = map[key];
      if (!n || !n.IsMap()) return std::nullopt;
      return opt_nonnegative(f, n, "value");
    };
    const YAML::Node array = require(f, f.root, "array");
    const auto rows = value(array, "rows"), cols = value(array, "cols");
    if (!rows || !cols || *rows < 1 || *cols < 1 || *rows > 65536 || *cols > 65536)
      throw InputError(where(f, array) + "array rows and cols must be given, 1 to 65536");
    c.rows = static_cast<std::int64_t>(*rows);
    c.cols = static_cast<std::int64_t>(*cols);
    if (const YAML::Node d = mapping(f, f.root, "dataflow"); d.size() > 0) {
      c.dataflow = get_string(f, d, "value");
      if (c.dataflow != "os" && c.dataflow != "ws" && c.dataflow != "is")
        throw InputError(where(f, d["value"]) + "'dataflow': expected os, ws or is, got '" + c.dataflow + "'");
    }
    if (auto clock = value(f.root, "clock_mhz")) c.clock_mhz = *clock;
    if (auto w = value(f.root, "word_bytes")) {
      if (*w != 1 && *w != 2 && *w != 4) throw InputError(where(f, f.root) + "word_bytes: expected 1, 2 or 4");
      c.word_bytes = static_cast<std::int64_t>(*w);
    }
    if (auto b = value(f.root, "dram_gbps")) c.dram_gbps = *b;
    if (auto b = value(f.root, "bandwidth_words_per_cycle")) c.bandwidth_words = *b;
    if (auto l = value(f.root, "dram_latency_cycles")) c.dram_latency_cycles = *l;
    if (auto p = value(f.root, "power_w")) c.power_w = *p;
    if (auto t = value(f.root, "tdp_w")) c.tdp_w = *t;
    if (auto v = value(f.root, "vector_lanes")) {
      if (*v < 1 || *v > 1e6) throw InputError(where(f, f.root) + "vector_lanes: expected 1 to 1,000,000");
      c.vector_lanes = *v;
      c.vector_lanes_source = f.name + " (vector_lanes)";
    }
    if (const YAML::Node s = f.root["sram_kib"]; s && s.IsMap()) {
      if (auto v = value(s, "ifmap")) c.ifmap_kib = *v;
      if (auto v = value(s, "filter")) c.filter_kib = *v;
      if (auto v = value(s, "ofmap")) c.ofmap_kib = *v;
    }
    return c;
  });
}

ArrayConfig load_config(const AccelOptions& o) {
  ArrayConfig c;
  struct stat st {};
  const bool file = ::stat(o.accel.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (o.accel.empty()) {
    c.name = "scalesim-default";
    c.source = "SCALE-Sim v2 configs/scale.cfg defaults (32x32, 64 KiB SRAMs)";
  } else if (file && ends_with(o.accel, ".cfg")) {
    c = parse_scalesim_cfg(read_input(o.accel), o.accel);
  } else if (file) {
    c = parse_accelerator(load_yaml(o.accel));
  } else {
    const std::string path = data_dir("hw", o.hw_dir) + "/accelerators/" + o.accel + ".yaml";
    if (::stat(path.c_str(), &st) != 0) throw InputError("--accel " + o.accel + ": no such file or accelerator id (see hw/accelerators/)");
    c = parse_accelerator(load_yaml(path));
  }
  if (o.rows) c.rows = *o.rows;
  if (o.cols) c.cols = *o.cols;
  if (!o.dataflow.empty()) c.dataflow = o.dataflow;
  if (o.clock_mhz) c.clock_mhz = *o.clock_mhz;
  if (o.dram_gbps) c.dram_gbps = *o.dram_gbps;
  if (o.bandwidth_words) c.bandwidth_words = *o.bandwidth_words;
  if (o.dram_latency_cycles) c.dram_latency_cycles = *o.dram_latency_cycles;
  if (o.vector_lanes) {
    if (*o.vector_lanes < 1 || *o.vector_lanes > 1e6) throw InputError("--vector-lanes: expected 1 to 1,000,000");
    c.vector_lanes = *o.vector_lanes;
    c.vector_lanes_source = "--vector-lanes";
  }
  if (c.dataflow != "os" && c.dataflow != "ws" && c.dataflow != "is")
    throw InputError("dataflow '" + c.dataflow + "': expected os, ws or is");
  return c;
}

const char* const kVectorLanesSource =
    "one lane per 64 MACs of the array: the ratio of both NVDLA reference configurations (NVDLA Hardware Architectural "
    "Specification, v1, 2017, nvdla.org/hw/v1/hwarch.html: 'SDP throughput' 1 output per cycle beside 64 INT8 MACs in the "
    "small example, 16 beside Atomic-C 64 x Atomic-K 16 = 1024 MACs in the large one)";

double vector_lanes(const ArrayConfig& c) {
  if (c.vector_lanes > 0) return c.vector_lanes;
  return std::max(1.0, std::floor(static_cast<double>(c.rows) * static_cast<double>(c.cols) / 64.0));
}

Workload load_workload(const AccelOptions& o) {
  Workload w;
  w.input = display_name(o.input);
  w.csv = ends_with(o.input, ".csv");
  if (w.csv) {
    w.layers = parse_topology_csv(read_input(o.input), w.input, o.gemm);
    return w;
  }
  const graph::Model model = graph::load_model(o.input);
  ModelWork m = map_model(model, o.infer);
  // Nothing for the array although the model multiplies: a result of 0 cycles would be a wrong
  // answer, not a fast accelerator (issue 18).
  if (m.gemms.empty() && m.mac_nodes > 0) {
    std::string why;
    int listed = 0;
    for (const auto& n : m.not_simulated)
      if (n.array_op && listed++ < 3) why += (listed > 1 ? "; " : "") + n.op + " '" + n.name + "': " + n.reason;
    throw InputError(w.input + ": none of the model's multiply-accumulates could be simulated (coverage 0%)" +
                     (why.empty() ? std::string() : ": " + why));
  }
  w.layers = std::move(m.gemms);
  w.vectors = std::move(m.vectors);
  w.not_simulated = std::move(m.not_simulated);
  w.profiled_macs = m.profiled_macs;
  w.uncounted_nodes = m.uncounted_nodes;
  // What the profile behind profiled_macs leaves out (defaulted dims, both If branches, uncounted
  // nodes): the same key as sml-estimate's profile.coverage, so a simulation never looks exact
  // when its input was guessed (issue 18).
  const cost::Profile profile = cost::profile_model(model, o.infer);
  w.coverage = cost::coverage_to_doc(profile);
  cost::Coverage guessed = profile.coverage;  // uncounted nodes get their own warning below
  guessed.nodes_counted = guessed.nodes_total;
  w.coverage_gaps = guessed.gaps();
  return w;
}

Doc run_workload(const Workload& w, const ArrayConfig& c, const AccelOptions& o, bool with_layers, RunTotals* totals) {
  const EnergyTable energy = load_energy_table(o.hw_dir, c);
  const double bandwidth = o.stalls ? bandwidth_words_per_cycle(c) : 0;
  Doc doc = new_document("accelsim/v1", "sml-accelsim");
  doc.set("input", w.input);
  Doc& cfg = doc["config"] = Doc::map();
  cfg.set("name", c.name);
  cfg.set("array", std::to_string(c.rows) + "x" + std::to_string(c.cols));
  cfg.set("rows", c.rows);
  cfg.set("cols", c.cols);
  cfg.set("dataflow", c.dataflow);
  cfg.set("clock_mhz", c.clock_mhz > 0 ? Doc(c.clock_mhz) : Doc());
  cfg.set("word_bytes", c.word_bytes);
  Doc& sram = cfg["sram_kib"] = Doc::map();
  sram.set("ifmap", c.ifmap_kib);
  sram.set("filter", c.filter_kib);
  sram.set("ofmap", c.ofmap_kib);
  cfg.set("bandwidth_words_per_cycle", bandwidth > 0 ? Doc(bandwidth) : Doc());
  cfg.set("dram_latency_cycles", c.dram_latency_cycles);
  const double lanes = vector_lanes(c);
  if (!w.csv) {
    cfg.set("vector_lanes", lanes);
    cfg.set("vector_lanes_source", c.vector_lanes > 0 ? c.vector_lanes_source : std::string(kVectorLanesSource));
  }
  cfg.set("source", c.source);
  doc.set("model", std::string("fold-level: SCALE-Sim v2's compute timing; ") +
                       (bandwidth > 0 ? "memory stalls where DRAM bandwidth is below the layer's demand (double-buffered); "
                                      : "no memory stalls (no bandwidth given, or --no-stalls); ") +
                       "SRAM/DRAM traffic and energy per tests/accelsim/MEMORY-MODEL.md" +
                       (w.csv ? "" : "; ops without MACs on a vector unit of vector_lanes operations per cycle, one after "
                                     "another with the array (no overlap: an upper bound on time)"));
  doc.set("energy_source", energy.source);
  RunTotals t;
  Doc& list = doc["layers"] = Doc::list();
  std::size_t next_vector = 0;
  std::map<std::string, std::pair<std::int64_t, double>> by_op;  // vector work: nodes, cycles
  // The vector unit: ceil(ops / lanes) cycles; energy per lane operation plus its words at the
  // ofmap buffer (where activations live between layers).
  auto run_vector = [&](const VectorWork& v) {
    const double cycles = std::ceil(v.ops / lanes);
    const double op_j = v.ops * energy.vector_op_pj * 1e-12, sram_j = v.elements * energy.ofmap_pj_per_word * 1e-12;
    t.cycles += cycles;
    t.vector_cycles += cycles;
    t.energy_j += op_j + sram_j;
    t.energy_j_high += op_j + sram_j;
    t.sram_accesses += v.elements;
    auto& entry = by_op[v.op];
    ++entry.first;
    entry.second += cycles;
    if (!with_layers) return;
    Doc d = Doc::map();
    d.set("name", v.name);
    d.set("op", v.op);
    d.set("unit", "vector");
    d.set("macs", 0.0);
    d.set("ops", v.ops);
    Doc& cy = d["cycles"] = Doc::map();
    cy.set("total", cycles);
    cy.set("compute", cycles);
    cy.set("stall", 0.0);
    d.set("sram_words", v.elements);
    Doc& en = d["energy_j"] = Doc::map();
    en.set("vector", op_j);
    en.set("sram", sram_j);
    en.set("total", op_j + sram_j);
    en.set("total_high", op_j + sram_j);
    list.push(d);
  };
  for (std::size_t gi = 0; gi < w.layers.size(); ++gi) {
    while (next_vector < w.vectors.size() && w.vectors[next_vector].after_gemms <= gi) run_vector(w.vectors[next_vector++]);
    const GemmLayer& g = w.layers[gi];
    const LayerTiming timing = time_layer(g, c);
    const Traffic traffic = layer_traffic(g, c);
    // Compute time as a count of cycles (SCALE-Sim's total is the last cycle's index: one less per pass).
    const std::int64_t compute_count = timing.cycles + g.repeat;
    const std::int64_t stall = stall_cycles(traffic.dram_words(), compute_count, bandwidth, static_cast<double>(timing.folds),
                                            c.dram_latency_cycles);
    const double layer_macs = g.macs();
    const LayerEnergy e = layer_energy(layer_macs, traffic, energy);
    t.cycles += static_cast<double>(timing.cycles + stall);
    t.stall_cycles += static_cast<double>(stall);
    t.macs += layer_macs;
    t.energy_j += e.total_j();
    t.energy_j_high += e.total_j_high();
    t.dram_words += traffic.dram_words();
    t.sram_accesses += traffic.sram_accesses();
    if (!with_layers) continue;
    Doc d = Doc::map();
    d.set("name", g.name);
    d.set("op", g.op);
    if (!w.csv) d.set("unit", "array");
    d.set("m", g.m);
    d.set("n", g.n);
    d.set("k", g.k);
    if (g.repeat > 1) d.set("repeat", g.repeat);
    d.set("macs", layer_macs);
    Doc& cy = d["cycles"] = Doc::map();
    cy.set("total", timing.cycles + stall);
    cy.set("compute", timing.cycles);
    cy.set("stall", stall);
    d.set("folds", timing.folds);
    d.set("utilization", layer_macs / (static_cast<double>(timing.cycles + stall) * static_cast<double>(c.rows * c.cols)));
    d.set("mapping_efficiency", timing.mapping_efficiency);
    d.set("compute_utilization", timing.compute_utilization);
    Doc& tr = d["traffic_words"] = Doc::map();
    Doc& sr = tr["sram"] = Doc::map();
    sr.set("ifmap_reads", traffic.sram_ifmap_reads);
    sr.set("filter_reads", traffic.sram_filter_reads);
    sr.set("ofmap_reads", traffic.sram_ofmap_reads);
    sr.set("ofmap_writes", traffic.sram_ofmap_writes);
    Doc& dr = tr["dram"] = Doc::map();
    dr.set("ifmap_reads", traffic.dram_ifmap_reads);
    dr.set("filter_reads", traffic.dram_filter_reads);
    dr.set("ofmap_reads", traffic.dram_ofmap_reads);
    dr.set("ofmap_writes", traffic.dram_ofmap_writes);
    d.set("dram_demand_words_per_cycle", traffic.dram_words() / static_cast<double>(compute_count));
    if (o.pe_level) {
      // Seeded small integers, so products and sums are exact in doubles and compared exactly.
      GemmLayer one = g;
      one.repeat = 1;
      require_pe_level_fits(one, c);  // before the operands are allocated
      std::vector<double> a(static_cast<std::size_t>(g.m * g.k)), b(static_cast<std::size_t>(g.k * g.n));
      std::uint64_t seed = 0x9e3779b97f4a7c15ull;
      for (auto* v : {&a, &b})
        for (auto& x : *v) {
          seed = seed * 6364136223846793005ull + 1442695040888963407ull;
          x = static_cast<double>((seed >> 33) % 15) - 7;
        }
      const PeLevelRun pe = run_pe_level(one, c, a, b);
      bool exact = true;
      for (std::int64_t i = 0; i < g.m && exact; ++i)
        for (std::int64_t j = 0; j < g.n && exact; ++j) {
          double y = 0;
          for (std::int64_t k = 0; k < g.k; ++k) y += a[i * g.k + k] * b[k * g.n + j];
          exact = y == pe.output[i * g.n + j];
        }
      const std::int64_t pe_cycles = (pe.cycles + 1) * g.repeat - 1;
      Doc& pl = d["pe_level"] = Doc::map();
      pl.set("cycles", pe_cycles);
      pl.set("agrees", pe_cycles == timing.cycles);
      pl.set("product_exact", exact);
    }
    Doc& en = d["energy_j"] = Doc::map();
    en.set("mac", e.mac_j);
    en.set("register_file", e.rf_j);
    en.set("sram", e.sram_j);
    en.set("dram", e.dram_j);
    en.set("total", e.total_j());
    en.set("total_high", e.total_j_high());
    list.push(d);
  }
  while (next_vector < w.vectors.size()) run_vector(w.vectors[next_vector++]);
  Doc& total = doc["total"] = Doc::map();
  total.set("cycles", t.cycles);
  total.set("stall_cycles", t.stall_cycles);
  if (!w.csv) {
    total.set("array_cycles", t.cycles - t.vector_cycles);
    total.set("vector_cycles", t.vector_cycles);
  }
  total.set("macs", t.macs);
  if (!w.csv) {
    // The share of lib/cost's profile that ran: the same registry, the same input shapes.
    total.set("profiled_macs", w.profiled_macs);
    total.set("coverage", w.profiled_macs > 0 ? Doc(t.macs / w.profiled_macs) : Doc());
    total.set("uncounted_nodes", w.uncounted_nodes);
  }
  total.set("latency_s", c.clock_mhz > 0 ? Doc(t.cycles / (c.clock_mhz * 1e6)) : Doc());
  total.set("utilization", t.cycles > 0 ? t.macs / (t.cycles * static_cast<double>(c.rows * c.cols)) : 0.0);
  total.set("dram_words", t.dram_words);
  total.set("sram_accesses", t.sram_accesses);
  total.set("energy_j", t.energy_j);
  total.set("energy_j_high", t.energy_j_high);
  if (!w.csv) {
    doc.set("coverage", w.coverage);  // after the last use of TOTAL: a new key may move it
    // The vector unit's work by op.
    Doc& v = doc["vector_work"] = Doc::list();
    for (const auto& [op, entry] : by_op) {
      Doc d = Doc::map();
      d.set("op", op);
      d.set("nodes", entry.first);
      d.set("cycles", entry.second);
      v.push(d);
    }
    Doc& ns = doc["not_simulated"] = Doc::list();
    for (const auto& n : w.not_simulated) {
      Doc d = Doc::map();
      d.set("name", n.name);
      d.set("op", n.op);
      d.set("macs", n.macs > 0 ? Doc(n.macs) : Doc());
      d.set("reason", n.reason);
      ns.push(d);
    }
    Doc& warn = doc["warnings"] = Doc::list();
    if (w.profiled_macs > 0 && t.macs < w.profiled_macs)
      warn.push(Doc("simulated " + std::to_string(static_cast<long long>(t.macs)) + " of the profile's " +
                    std::to_string(static_cast<long long>(w.profiled_macs)) + " MACs (" + format_percent(t.macs / w.profiled_macs) +
                    "): see not_simulated"));
    if (w.uncounted_nodes > 0)
      warn.push(Doc(std::to_string(w.uncounted_nodes) + " node(s) neither profiled nor simulated (unknown op or shapes; "
                    "--input-shape?): see not_simulated"));
    // Defaulted dims and assumed If branches make the whole simulation a guess about the input,
    // even when every MAC of that guess ran: say so where the user looks (issue 18).
    if (!w.coverage_gaps.empty())
      warn.push(Doc("the profile simulated is incomplete (" + w.coverage_gaps + "): --input-shape / --input-value"));
  }
  if (totals) *totals = t;
  return doc;
}

Doc simulate(const AccelOptions& o) {
  return run_workload(load_workload(o), load_config(o), o, true, nullptr);
}

Doc hardware_profile(const AccelOptions& o, const Doc& sim) {
  const ArrayConfig c = load_config(o);
  if (c.clock_mhz <= 0) throw InputError("--emit-hwprofile needs the clock: the configuration has none (--clock-mhz)");
  if (c.dram_gbps <= 0) throw InputError("--emit-hwprofile needs the memory bandwidth: the configuration has none (--dram-gbps)");
  if (c.power_w <= 0 && c.tdp_w <= 0) throw InputError("--emit-hwprofile needs a power figure: the configuration has none");
  // Per-access energies: Horowitz, ISSCC 2014 (45 nm), as tabulated in hw/accelerators/energy.yaml.
  const EnergyTable energy = load_energy_table(o.hw_dir, c);
  Doc d = new_document("hwprofile/v1", "sml-accelsim");
  d.set("name", c.name + " " + std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " + c.dataflow);
  const double peak = 2.0 * static_cast<double>(c.rows * c.cols) * c.clock_mhz * 1e6;  // 1 MAC = 2 FLOPs
  Doc& pf = d["peak_flops"] = Doc::map();
  pf.set(c.word_bytes == 1 ? "int8" : c.word_bytes == 2 ? "fp16" : "fp32", peak);
  d.set("memory_bandwidth_bytes_per_s", c.dram_gbps * 1e9);
  d.set("memory_bytes", Doc());
  Doc& pw = d["power_w"] = Doc::map();
  pw.set("idle", Doc());
  pw.set("typical", c.power_w > 0 ? Doc(c.power_w) : Doc());
  pw.set("max", c.tdp_w > 0 ? Doc(c.tdp_w) : Doc(c.power_w));
  d.set("energy_per_mac_j", energy.mac_pj * 1e-12);
  d.set("energy_per_dram_byte_j", energy.dram_pj_per_word / static_cast<double>(c.word_bytes) * 1e-12);
  d.set("embodied_co2e_kg", Doc());
  d.set("utilization_on_model", *sim.path("total.utilization")->as_number());
  d.set("source", "sml-accelsim from " + c.source + "; peak = 2 x rows x cols x clock; energies: Horowitz, ISSCC 2014 "
                  "(45 nm, not scaled to the configuration's node)");
  return d;
}

void write_compute_report(std::ostream& out, const Doc& d) {
  out << "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n";
  int id = 0;
  char buf[64];
  auto pct = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.15g", v * 100);
    return std::string(buf);
  };
  for (const auto& l : d.find("layers")->as_list()) {
    if (const Doc* unit = l.find("unit"); unit && unit->as_string() == "vector") continue;  // not the array's
    out << id++ << ", " << l.path("cycles.total")->as_string() << ", " << l.path("cycles.stall")->as_string() << ", " << pct(*l.find("utilization")->as_number()) << ", "
        << pct(*l.find("mapping_efficiency")->as_number()) << ", " << pct(*l.find("compute_utilization")->as_number()) << ",\n";
  }
}

void write_plot(std::ostream& out, const Doc& accelsim) {
  std::vector<svg::Bar> bars;
  if (const Doc* layers = accelsim.find("layers"); layers && layers->is_list())
    for (const auto& l : layers->as_list())
      if (const Doc* c = l.path("cycles.total"))
        if (auto v = c->as_number()) bars.push_back({l.find("name")->as_string(), *v});
  const std::string config = accelsim.path("config.name") ? accelsim.path("config.name")->as_string() : "the accelerator";
  svg::Figure fig;
  fig.add(svg::BarChart{"Cycles per layer on " + config, "cycles", svg::largest(bars, 25)});
  fig.write(out);
}

}  // namespace sml::accel
