#include "sml/accel/sweep.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "sml/accel/memory.hpp"
#include "sml/io/error.hpp"
#include "sml/io/svg.hpp"
#include "sml/io/text.hpp"
#include "sml/io/units.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::accel {

namespace {

struct Point {
  std::int64_t index = 0, rows = 0, cols = 0;
  std::string dataflow;
  double sram_kib = 0, bandwidth = 0;
  double cycles = 0, stall_cycles = 0, energy_j = 0, energy_j_high = 0, dram_words = 0;
  std::optional<double> latency_s;
  bool pareto = false;
  double pes() const { return static_cast<double>(rows) * static_cast<double>(cols); }
};

// Minimising cycles, energy, PEs and SRAM: no point is better or equal in all and better in one.
void mark_front(std::vector<Point>& pts) {
  for (auto& p : pts) {
    p.pareto = std::none_of(pts.begin(), pts.end(), [&](const Point& q) {
      if (&q == &p) return false;
      const bool le = q.cycles <= p.cycles && q.energy_j <= p.energy_j && q.pes() <= p.pes() && q.sram_kib <= p.sram_kib;
      const bool lt = q.cycles < p.cycles || q.energy_j < p.energy_j || q.pes() < p.pes() || q.sram_kib < p.sram_kib;
      return le && lt;
    });
  }
}

Doc point_doc(const Point& p) {
  Doc d = Doc::map();
  d.set("index", p.index);
  d.set("array", std::to_string(p.rows) + "x" + std::to_string(p.cols));
  d.set("dataflow", p.dataflow);
  d.set("sram_kib", p.sram_kib);
  d.set("bandwidth_words_per_cycle", p.bandwidth > 0 ? Doc(p.bandwidth) : Doc());
  d.set("cycles", p.cycles);
  d.set("stall_cycles", p.stall_cycles);
  d.set("latency_s", p.latency_s ? Doc(*p.latency_s) : Doc());
  d.set("energy_j", p.energy_j);
  d.set("energy_j_high", p.energy_j_high);
  d.set("dram_words", p.dram_words);
  d.set("pes", p.pes());
  d.set("pareto", p.pareto);
  return d;
}

// What makes two shards parts of one sweep, as text to compare.
struct SweepHeader {
  std::string input, base, axes;
  std::int64_t total = 0;
  std::optional<double> coverage;  // of the profile's MACs, for ONNX inputs (accelsim/v1's total.coverage)
};

Doc sweep_doc(const SweepHeader& h, const std::string& shard, std::vector<Point> pts) {
  std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.index < b.index; });
  mark_front(pts);
  Doc doc = new_document("accelsweep/v1", "sml-accelsim");
  doc.set("input", h.input);
  doc.set("base", h.base);
  doc.set("axes", h.axes);
  doc.set("points_total", h.total);
  if (h.coverage) doc.set("coverage", *h.coverage);
  doc.set("shard", shard.empty() ? Doc() : Doc(shard));
  doc.set("pareto_on", "cycles, energy_j, pes, sram_kib (all minimised, none weighted against another)");
  Doc& list = doc["points"] = Doc::list();
  for (const auto& p : pts) list.push(point_doc(p));
  return doc;
}

std::string axes_text(const SweepAxes& a) {
  std::ostringstream s;
  s << "array=";
  for (std::size_t i = 0; i < a.arrays.size(); ++i) s << (i ? "," : "") << a.arrays[i].first << "x" << a.arrays[i].second;
  s << "; dataflow=";
  for (std::size_t i = 0; i < a.dataflows.size(); ++i) s << (i ? "," : "") << a.dataflows[i];
  s << "; sram=";
  for (std::size_t i = 0; i < a.sram_kib.size(); ++i) s << (i ? "," : "") << format_number(a.sram_kib[i]);
  s << "; bandwidth=";
  for (std::size_t i = 0; i < a.bandwidths.size(); ++i) s << (i ? "," : "") << format_number(a.bandwidths[i]);
  return s.str();
}

}  // namespace

SweepAxes parse_sweep(const std::vector<std::string>& specs) {
  SweepAxes a;
  for (const auto& spec : specs) {
    const auto [axis, values] = split_assignment(spec, "--sweep", "AXIS=V,V,…, e.g. array=16x16,32x32");
    for (const auto& v : split(values, ",")) {
      if (axis == "array") {
        const auto dims = parse_dims(v, "--sweep array");
        if (dims.size() != 2 || dims[0] < 1 || dims[1] < 1 || dims[0] > 65536 || dims[1] > 65536)
          throw UsageError("--sweep array '" + v + "': expected ROWSxCOLS");
        a.arrays.emplace_back(dims[0], dims[1]);
      } else if (axis == "dataflow") {
        if (v != "os" && v != "ws" && v != "is") throw UsageError("--sweep dataflow '" + v + "': expected os, ws or is");
        a.dataflows.push_back(v);
      } else if (axis == "sram" || axis == "bandwidth") {
        const double x = parse_quantity(v, Quantity::kCount, "--sweep " + axis);
        if (!(x > 0)) throw UsageError("--sweep " + axis + " '" + v + "': expected a positive number");
        (axis == "sram" ? a.sram_kib : a.bandwidths).push_back(x);
      } else {
        throw UsageError("--sweep '" + axis + "': expected array, dataflow, sram or bandwidth");
      }
    }
  }
  return a;
}

Shard parse_shard(const std::string& spec) {
  const auto slash = spec.find('/');
  Shard s;
  try {
    std::size_t a = 0, b = 0;
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    s.index = std::stoi(spec.substr(0, slash), &a);
    s.count = std::stoi(spec.substr(slash + 1), &b);
    if (a != slash || b != spec.size() - slash - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw UsageError("--shard '" + spec + "': expected I/N, e.g. 0/4 (I counts from 0, as Slurm array ids do)");
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count) throw UsageError("--shard '" + spec + "': I must be 0 to N-1");
  return s;
}

Doc run_sweep(const AccelOptions& o, const SweepAxes& axes_in, const Shard& shard,
              const std::function<void(std::size_t, std::size_t)>& progress) {
  const ArrayConfig base = load_config(o);
  SweepAxes a = axes_in;
  if (a.arrays.empty()) a.arrays.emplace_back(base.rows, base.cols);
  if (a.dataflows.empty()) a.dataflows.push_back(base.dataflow);
  if (a.sram_kib.empty()) a.sram_kib.push_back(base.ifmap_kib);
  if (a.bandwidths.empty()) a.bandwidths.push_back(o.stalls ? bandwidth_words_per_cycle(base) : 0);
  const std::size_t total = a.arrays.size() * a.dataflows.size() * a.sram_kib.size() * a.bandwidths.size();
  if (total > 100000) throw UsageError("--sweep: " + std::to_string(total) + " points; at most 100,000 in one sweep");
  const Workload w = load_workload(o);
  std::vector<Point> pts;
  std::size_t index = 0, mine = 0, done = 0;
  for (std::size_t i = 0; i < total; ++i) mine += static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index;
  for (const auto& arr : a.arrays)
    for (const auto& df : a.dataflows)
      for (double kib : a.sram_kib)
        for (double bw : a.bandwidths) {
          const std::size_t i = index++;
          if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) != shard.index) continue;
          ArrayConfig c = base;
          c.rows = arr.first;
          c.cols = arr.second;
          c.dataflow = df;
          c.ifmap_kib = c.filter_kib = c.ofmap_kib = kib;
          c.bandwidth_words = bw;
          AccelOptions run = o;
          run.stalls = o.stalls && bw > 0;
          RunTotals t;
          run_workload(w, c, run, false, &t);
          Point p;
          p.index = static_cast<std::int64_t>(i);
          p.rows = c.rows;
          p.cols = c.cols;
          p.dataflow = df;
          p.sram_kib = kib;
          p.bandwidth = bw;
          p.cycles = t.cycles;
          p.stall_cycles = t.stall_cycles;
          p.energy_j = t.energy_j;
          p.energy_j_high = t.energy_j_high;
          p.dram_words = t.dram_words;
          if (c.clock_mhz > 0) p.latency_s = t.cycles / (c.clock_mhz * 1e6);
          pts.push_back(p);
          if (progress) progress(++done, mine);
        }
  SweepHeader h{w.input, base.name + " (" + base.source + ")", axes_text(a), static_cast<std::int64_t>(total), std::nullopt};
  if (!w.csv && w.profiled_macs > 0) {
    double simulated = 0;
    for (const auto& l : w.layers) simulated += l.macs();
    h.coverage = simulated / w.profiled_macs;
  }
  return sweep_doc(h, shard.count > 1 ? std::to_string(shard.index) + "/" + std::to_string(shard.count) : "", pts);
}

Doc merge_sweeps(const std::vector<std::string>& paths) {
  if (paths.empty()) throw UsageError("merge: name the shard files to join");
  std::optional<SweepHeader> header;
  std::map<std::int64_t, std::string> seen;  // point index → file
  std::vector<Point> pts;
  for (const auto& path : paths) {
    const YamlFile f = load_yaml(path);
    guarded(f, [&] {
      require_kind(f, "accelsweep/v1");
      SweepHeader h{get_string(f, f.root, "input"), get_string(f, f.root, "base"), get_string(f, f.root, "axes"),
                    *opt_integer(f, f.root, "points_total", 1, 100000), opt_number(f, f.root, "coverage")};
      if (!header) header = h;
      else if (h.input != header->input || h.base != header->base || h.axes != header->axes || h.total != header->total)
        throw InputError(f.name + ": a shard of another sweep (input, base configuration or axes differ from " + paths.front() + ")");
      for (const auto& n : sequence(f, f.root, "points")) {
        Point p;
        p.index = *opt_integer(f, n, "index", 0, h.total - 1);
        if (!seen.emplace(p.index, f.name).second)
          throw InputError(where(f, n) + "point " + std::to_string(p.index) + " is also in " + seen[p.index]);
        const auto dims = parse_dims(get_string(f, n, "array"), f.name + " array");
        if (dims.size() != 2) throw InputError(where(f, n) + "array: expected ROWSxCOLS");
        p.rows = dims[0];
        p.cols = dims[1];
        p.dataflow = get_string(f, n, "dataflow");
        p.sram_kib = get_number(f, n, "sram_kib");
        p.bandwidth = opt_number(f, n, "bandwidth_words_per_cycle").value_or(0);
        p.cycles = get_number(f, n, "cycles");
        p.stall_cycles = get_number(f, n, "stall_cycles");
        p.latency_s = opt_number(f, n, "latency_s");
        p.energy_j = get_number(f, n, "energy_j");
        p.energy_j_high = get_number(f, n, "energy_j_high");
        p.dram_words = get_number(f, n, "dram_words");
        pts.push_back(p);
      }
      return 0;
    });
  }
  if (static_cast<std::int64_t>(pts.size()) != header->total) {
    std::string missing;
    int listed = 0;
    for (std::int64_t i = 0; i < header->total && listed < 10; ++i)
      if (!seen.count(i)) missing += (listed++ ? ", " : "") + std::to_string(i);
    throw InputError("merge: " + std::to_string(header->total - static_cast<std::int64_t>(pts.size())) + " of " +
                     std::to_string(header->total) + " points missing (e.g. " + missing + "): a shard was not given or did not finish");
  }
  return sweep_doc(*header, "", pts);
}

void write_sweep_plot(std::ostream& out, const Doc& sweep) {
  svg::Scatter s;
  s.title = "Design points of " + (sweep.find("input") ? sweep.find("input")->as_string() : std::string("the sweep")) +
            " (red: Pareto front over cycles, energy, PEs, SRAM)";
  s.x_label = "cycles";
  s.y_label = "energy, J";
  s.log_x = true;
  s.join_front = false;  // a four-objective front is not a line in these two
  if (const Doc* pts = sweep.find("points"); pts && pts->is_list())
    for (const auto& p : pts->as_list()) {
      const auto cycles = p.find("cycles")->as_number(), energy = p.find("energy_j")->as_number();
      if (!cycles || !energy) continue;
      s.points.push_back({p.find("array")->as_string() + " " + p.find("dataflow")->as_string() + " " + p.find("sram_kib")->as_string() +
                              " KiB",
                          *cycles, *energy, p.find("pareto")->as_string() == "true"});
    }
  svg::Figure fig;
  fig.add(s);
  fig.write(out);
}

}  // namespace sml::accel
