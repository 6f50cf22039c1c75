#include "sml/accel/accelsim.hpp"

#include <cmath>
#include <cstdio>
#include <sys/stat.h>

#include "sml/accel/memory.hpp"
#include "sml/accel/pe_level.hpp"
#include "sml/accel/scalesim_io.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/svg.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/io/text.hpp"

namespace sml::accel {
namespace {

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
    if (const YAML::Node s = f.root["sram_kib"]; s && s.IsMap()) {
      if (auto v = value(s, "ifmap")) c.ifmap_kib = *v;
      if (auto v = value(s, "filter")) c.filter_kib = *v;
      if (auto v = value(s, "ofmap")) c.ofmap_kib = *v;
    }
    return c;
  });
}

}  // namespace

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
  if (c.dataflow != "os" && c.dataflow != "ws" && c.dataflow != "is")
    throw InputError("dataflow '" + c.dataflow + "': expected os, ws or is");
  return c;
}

std::vector<GemmLayer> gemms_of_model(const std::string& path, const graph::InferOptions& infer, double& vector_elements,
                                      std::map<std::string, std::pair<std::int64_t, double>>* vector_ops) {
  const graph::Model model = graph::load_model(path);
  std::vector<GemmLayer> out;
  vector_elements = 0;
  graph::infer_model(model, infer, [&](const graph::NodeEvent& e) {
    const graph::Node& n = e.node;
    auto shaped = [&](std::size_t i, bool output) -> const graph::ValueState* {
      const auto& list = output ? e.outputs : e.inputs;
      return i < list.size() && list[i] && list[i]->shape_known() ? list[i] : nullptr;
    };
    const std::string name = e.scope + (n.name.empty() ? n.op_type : n.name);
    const auto reps = static_cast<std::int64_t>(std::max(1.0, e.multiplier));
    if (graph::is_default_domain(n.domain) && n.op_type == "Conv") {
      const auto *x = shaped(0, false), *w = shaped(1, false), *y = shaped(0, true);
      if (!x || !w || !y || y->dims.size() < 3) return;
      const std::int64_t groups = std::max<std::int64_t>(1, n.attr_int("group", 1));
      std::int64_t pixels = y->dims[0], window = w->dims[1];
      for (std::size_t i = 2; i < y->dims.size(); ++i) pixels *= y->dims[i];
      for (std::size_t i = 2; i < w->dims.size(); ++i) window *= w->dims[i];
      out.push_back({name, "Conv", pixels, y->dims[1] / groups, window, groups * reps});
    } else if (graph::is_default_domain(n.domain) && (n.op_type == "MatMul" || n.op_type == "Gemm")) {
      const auto *a = shaped(0, false), *y = shaped(0, true);
      if (!a || !y || a->dims.empty() || y->dims.empty()) return;
      const std::int64_t k = n.op_type == "Gemm" && n.attr_int("transA", 0) ? a->dims[0] : a->dims.back();
      const std::int64_t cols = y->dims.back(), rows = y->dims.size() >= 2 ? y->dims[y->dims.size() - 2] : 1;
      std::int64_t batch = 1;
      for (std::size_t i = 0; i + 2 < y->dims.size(); ++i) batch *= y->dims[i];
      out.push_back({name, n.op_type, rows, cols, k, batch * reps});
    } else if (const auto* y = shaped(0, true)) {
      if (!y->value && y->stored < 0 && y->origin < 0) {  // not weights or folded constants
        const double elements = static_cast<double>(y->elements()) * e.multiplier;
        vector_elements += elements;
        if (vector_ops) {
          auto& entry = (*vector_ops)[n.op_type];
          ++entry.first;
          entry.second += elements;
        }
      }
    }
  });
  return out;
}

Workload load_workload(const AccelOptions& o) {
  Workload w;
  w.input = display_name(o.input);
  w.csv = ends_with(o.input, ".csv");
  if (w.csv) w.layers = parse_topology_csv(read_input(o.input), w.input, o.gemm);
  else w.layers = gemms_of_model(o.input, o.infer, w.vector_elements, &w.vector_ops);
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
  cfg.set("source", c.source);
  doc.set("model", std::string("fold-level: SCALE-Sim v2's compute timing; ") +
                       (bandwidth > 0 ? "memory stalls where DRAM bandwidth is below the layer's demand (double-buffered); "
                                      : "no memory stalls (no bandwidth given, or --no-stalls); ") +
                       "SRAM/DRAM traffic and energy per tests/accelsim/MEMORY-MODEL.md");
  doc.set("energy_source", energy.source);
  RunTotals t;
  Doc& list = doc["layers"] = Doc::list();
  for (const auto& g : w.layers) {
    const LayerTiming timing = time_layer(g, c);
    const Traffic traffic = layer_traffic(g, c);
    // Compute time as a count of cycles (SCALE-Sim's total is the last cycle's index: one less per pass).
    const std::int64_t compute_count = timing.cycles + g.repeat;
    const std::int64_t stall = stall_cycles(traffic.dram_words(), compute_count, bandwidth, static_cast<double>(timing.folds),
                                            c.dram_latency_cycles);
    const double layer_macs = static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k) * static_cast<double>(g.repeat);
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
  Doc& total = doc["total"] = Doc::map();
  total.set("cycles", t.cycles);
  total.set("stall_cycles", t.stall_cycles);
  total.set("macs", t.macs);
  total.set("latency_s", c.clock_mhz > 0 ? Doc(t.cycles / (c.clock_mhz * 1e6)) : Doc());
  total.set("utilization", t.cycles > 0 ? t.macs / (t.cycles * static_cast<double>(c.rows * c.cols)) : 0.0);
  total.set("dram_words", t.dram_words);
  total.set("sram_accesses", t.sram_accesses);
  total.set("energy_j", t.energy_j);
  total.set("energy_j_high", t.energy_j_high);
  if (!w.csv) {
    total.set("vector_elements", w.vector_elements);
    // What the array does not run: host or vector-unit work, by op, with the elements it produces.
    Doc& v = doc["vector_work"] = Doc::list();
    for (const auto& [op, entry] : w.vector_ops) {
      Doc d = Doc::map();
      d.set("op", op);
      d.set("nodes", entry.first);
      d.set("elements", entry.second);
      v.push(d);
    }
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
