#include "sml/footprint/model.hpp"

#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {
namespace {

Parameter read_parameter(const YamlFile& f, const std::string& key, double min, double max) {
  Parameter p;
  const YAML::Node n = require(f, f.root, key);
  p.meaning = opt_string(f, n, "meaning").value_or("");
  require(f, n, "observations");
  std::vector<double> values;
  for (const auto& o : sequence(f, n, "observations")) {
    if (!o.IsMap()) throw InputError(where(f, o) + key + ": an observation must be a mapping");
    if (!o["value"] || o["value"].IsNull()) continue;  // recorded as unconfirmed
    Observation ob;
    ob.value = get_number(f, o, "value");
    if (ob.value < min || ob.value > max)
      throw InputError(where(f, o) + key + " observation " + std::to_string(ob.value) + " is outside [" +
                       std::to_string(min) + ", " + std::to_string(max) + "]");
    ob.source = get_string(f, o, "source");
    ob.what = opt_string(f, o, "run").value_or(opt_string(f, o, "what").value_or(""));
    ob.device = opt_string(f, o, "device").value_or("");
    if (auto y = opt_integer(f, o, "year", 1900, 2100)) ob.year = static_cast<int>(*y);
    ob.basis = opt_string(f, o, "basis").value_or("");
    ob.generation = opt_string(f, o, "generation").value_or("");
    values.push_back(ob.value);
    p.observations.push_back(std::move(ob));
  }
  if (values.empty()) throw InputError(where(f, n) + key + ": no observation with a value");
  p.range = Range::of(values);
  return p;
}

// {low, expected, high} with low <= expected <= high, all within [MIN, MAX]; null (or absent) is none.
std::optional<Range> read_range(const YamlFile& f, const YAML::Node& n, const std::string& key, double min, double max) {
  const YAML::Node r = n[key];
  if (!r || r.IsNull()) return std::nullopt;
  if (!r.IsMap()) throw InputError(where(f, r) + key + ": expected {low, expected, high}");
  const Range v{get_number(f, r, "low"), get_number(f, r, "expected"), get_number(f, r, "high")};
  if (!(v.low <= v.expected && v.expected <= v.high) || v.low < min || v.high > max)
    throw InputError(where(f, r) + key + ": expected low <= expected <= high within [" + format_number(min) + ", " +
                     format_number(max) + "]");
  return v;
}

std::vector<Runtime> read_runtimes(const YamlFile& f) {
  std::vector<Runtime> out;
  if (!f.root["runtimes"]) return out;
  for (const auto& n : sequence(f, f.root, "runtimes")) {
    if (!n.IsMap()) throw InputError(where(f, n) + "runtimes: each entry must be a mapping");
    Runtime r;
    r.id = get_string(f, n, "id");
    r.name = opt_string(f, n, "name").value_or(r.id);
    r.build = opt_string(f, n, "build").value_or("");
    if (r.build.find('@') != std::string::npos || r.id.find('@') != std::string::npos)
      throw InputError(where(f, n) + "runtime " + r.id + ": '@' separates an id from its build and may not appear in either");
    r.kernel_overhead_s = read_range(f, n, "kernel_overhead_s", 0, 1);
    r.step_kernel_overhead_s = read_range(f, n, "step_kernel_overhead_s", 0, 1);
    r.query_overhead_s = read_range(f, n, "query_overhead_s", 0, 10);
    r.sequence_overhead_s = read_range(f, n, "sequence_overhead_s", 0, 1);
    r.efficiency = read_range(f, n, "efficiency", 0.001, 1);
    r.compute_efficiency = read_range(f, n, "compute_efficiency", 0.001, 1);
    if (n["memory_bandwidth_share"] && !n["memory_bandwidth_share"].IsNull()) {
      const double share = get_number(f, n, "memory_bandwidth_share");
      if (!(share > 0 && share <= 1))
        throw InputError(where(f, n["memory_bandwidth_share"]) + "runtime " + r.id + ": memory_bandwidth_share must be in (0, 1]");
      r.memory_bandwidth_share = share;
    }
    if (n["compute_efficiency_by_arch"])
      for (const auto& a : sequence(f, n, "compute_efficiency_by_arch")) {
        Runtime::ArchEfficiency e;
        e.architecture = get_string(f, a, "architecture");
        for (const auto& pfx : sequence(f, a, "device_prefixes")) {
          if (!pfx.IsScalar() || pfx.Scalar().empty()) throw InputError(where(f, pfx) + "device_prefixes: each entry must be a device id prefix");
          e.device_prefixes.push_back(pfx.Scalar());
        }
        const auto v = read_range(f, a, "value", 0.001, 1);
        if (!v) throw InputError(where(f, a) + "compute_efficiency_by_arch " + e.architecture + ": no value");
        e.range = *v;
        r.compute_efficiency_by_arch.push_back(std::move(e));
      }
    r.fuses_elementwise = n["fuses_elementwise"] && n["fuses_elementwise"].as<bool>(false);
    r.llm_only = n["llm_only"] && n["llm_only"].as<bool>(false);
    if (n["beam_search"]) {
      const YAML::Node b = n["beam_search"];
      if (!b.IsMap()) throw InputError(where(f, b) + "runtime " + r.id + ": beam_search: expected {support, source, year}");
      r.beam_search = get_string(f, b, "support");
      if (r.beam_search != "none" && r.beam_search != "outside-engine" && r.beam_search != "prefill-per-beam")
        throw InputError(where(f, b) + "runtime " + r.id + ": beam_search support '" + r.beam_search +
                         "': expected none, outside-engine or prefill-per-beam");
      r.beam_search_source = get_string(f, b, "source") + " (" + std::to_string(b["year"] ? b["year"].as<int>(0) : 0) + ")";
    }
    r.kernel_overhead_on_device = n["kernel_overhead_on_device"] && n["kernel_overhead_on_device"].as<bool>(false);
    r.kernel_overhead_cycles = read_range(f, n, "kernel_overhead_cycles", 0, 1e9);
    if (r.kernel_overhead_cycles && !r.kernel_overhead_on_device)
      throw InputError(where(f, n["kernel_overhead_cycles"]) + "runtime " + r.id +
                       ": kernel_overhead_cycles counts GPU time and needs kernel_overhead_on_device: true");
    r.kernel_overhead_overlaps = n["kernel_overhead_overlaps"] && n["kernel_overhead_overlaps"].as<bool>(false);
    if (r.kernel_overhead_overlaps && r.kernel_overhead_on_device)
      throw InputError(where(f, n["kernel_overhead_overlaps"]) + "runtime " + r.id +
                       ": kernel_overhead_overlaps is a host launch running ahead of the GPU; a cost on the device (kernel_overhead_on_device) cannot overlap the kernels");
    r.fp16_accumulate = n["fp16_accumulate"] && n["fp16_accumulate"].as<bool>(false);
    if (n["fp32_vector_bits"]) {
      const int bits = n["fp32_vector_bits"].as<int>(0);
      if (bits != 256 && bits != 512)
        throw InputError(where(f, n["fp32_vector_bits"]) + "runtime " + r.id + ": fp32_vector_bits must be 256 or 512");
      r.fp32_vector_bits = bits;
    }
    r.kv_cache_concat = opt_string(f, n, "kv_cache_concat").value_or("");
    r.paged_kv_cache = opt_string(f, n, "paged_kv_cache").value_or("");
    r.kv_cache_fp16 = opt_string(f, n, "kv_cache_fp16").value_or("");
    r.unfused_attention = opt_string(f, n, "unfused_attention").value_or("");
    if (n["device_classes"])
      for (const auto& c : sequence(f, n, "device_classes")) {
        if (!c.IsScalar()) throw InputError(where(f, c) + "device_classes: each entry must be a device class");
        r.device_classes.push_back(c.Scalar());
      }
    r.processor = opt_string(f, n, "processor").value_or("");
    if (!r.processor.empty() && r.processor != "cpu" && r.processor != "gpu")
      throw InputError(where(f, n["processor"]) + "runtime " + r.id + ": processor must be cpu or gpu");
    r.basis = opt_string(f, n, "derivation").value_or("");
    r.null_reason = opt_string(f, n, "reason").value_or("");
    if (n["fitted_on"])
      for (const auto& o : sequence(f, n, "fitted_on")) {
        Observation ob;
        ob.what = opt_string(f, o, "what").value_or("");
        ob.device = opt_string(f, o, "device").value_or("");
        ob.source = get_string(f, o, "source");
        if (auto v = opt_number(f, o, "value")) ob.value = *v;
        if (auto y = opt_integer(f, o, "year", 1900, 2100)) ob.year = static_cast<int>(*y);
        r.observations.push_back(std::move(ob));
      }
    if (!r.efficiency && r.null_reason.empty())
      throw InputError(where(f, n) + "runtime " + r.id + ": no efficiency and no reason");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

const Runtime::ArchEfficiency* Runtime::arch_efficiency(const std::string& device_id) const {
  for (const auto& a : compute_efficiency_by_arch)
    for (const auto& p : a.device_prefixes)
      if (device_id.rfind(p, 0) == 0) return &a;
  return nullptr;
}

Doc Parameter::doc() const {
  Doc d = range.doc();
  d.set("from", "min, median and max of " + std::to_string(observations.size()) + " published observations");
  Doc& src = d["sources"] = Doc::list();
  for (const auto& o : observations) {
    Doc s = Doc::map();
    s.set("value", o.value);
    if (!o.what.empty()) s.set("what", o.what);
    if (!o.device.empty()) s.set("device", o.device);
    s.set("source", o.source);
    src.push(s);
  }
  return d;
}

namespace {

// The observations of P that KEEP accepts, with their range; all of P when none is kept.
template <typename Keep>
Parameter kept(const Parameter& p, Keep keep) {
  Parameter out;
  out.meaning = p.meaning;
  std::vector<double> values;
  for (const auto& o : p.observations)
    if (keep(o)) {
      out.observations.push_back(o);
      values.push_back(o.value);
    }
  if (values.empty()) return p;
  out.range = Range::of(values);
  return out;
}

}  // namespace

Parameter Parameter::subset(const std::string& needle, bool exclude) const {
  return kept(*this, [&](const Observation& o) { return (o.device.find(needle) != std::string::npos) != exclude; });
}

Parameter Parameter::with_basis(const std::string& basis) const {
  return kept(*this, [&](const Observation& o) { return o.basis == basis; });
}

Parameter Parameter::without_basis(const std::string& basis) const {
  return kept(*this, [&](const Observation& o) { return o.basis != basis; });
}

namespace {

// The observations of BASE made on GENERATION (their generation: key), when there are at least
// MIN and they are not all of BASE. Training's matching: by the device's device/v1 generation.
std::optional<Parameter> same_generation(const Parameter& base, const std::string& generation, std::size_t min = 2) {
  if (generation.empty()) return std::nullopt;
  Parameter p;
  std::vector<double> values;
  for (const auto& o : base.observations)
    if (o.generation == generation) {
      p.observations.push_back(o);
      values.push_back(o.value);
    }
  if (values.size() < min || values.size() >= base.observations.size()) return std::nullopt;
  p.range = Range::of(values);
  p.meaning = base.meaning + "; observations on " + generation + " only";
  return p;
}

// Serving's matching (serving_power_for), by the device's name against a fixed list; kept as it was
// for the serving owners to move to the generation field.
std::optional<Parameter> same_generation_by_name(const Parameter& base, const std::string& device_name, std::size_t min = 2) {
  for (const char* generation : {"V100", "A100", "H100", "TPU v3", "TPU v4", "TPU v5", "Orin"}) {
    if (device_name.find(generation) == std::string::npos) continue;
    Parameter p = base.subset(generation, false);
    if (p.observations.size() >= min && p.observations.size() < base.observations.size() &&
        p.observations.front().device.find(generation) != std::string::npos) {
      p.meaning = base.meaning + "; observations on " + generation + " only";
      return p;
    }
  }
  return std::nullopt;
}

}  // namespace

Parameter FootprintModel::utilization_for(const std::string& generation_name) const {
  // A run's wall-clock time includes restarts, evaluation and stragglers that a peak-throughput
  // MFU leaves out: whole-run observations predict it where the catalogue has them.
  Parameter pool = utilization.with_basis("run");
  if (pool.observations.size() < utilization.observations.size())
    pool.meaning = utilization.meaning + "; whole-run observations (training FLOPs / (device-time × peak)) only";
  // One whole-run observation on the generation sets the centre (the band comes from all runs).
  std::optional<Parameter> generation = same_generation(pool, generation_name, 1);
  if (!generation) return pool;
  // The generation sets the centre; runs on one generation differ no less than runs overall do.
  generation->range = generation->range.widened(pool.range / pool.range.expected);
  generation->meaning += "; range at least the spread of all runs around their median";
  return *generation;
}

namespace {

// system_power_on_generation and system_power_for alike; FIND picks a generation's observations.
template <typename Find>
Parameter system_power_from(const FootprintModel& m, bool tpu, bool rated_tdp, Find find) {
  const Parameter kind = m.system_power_for(tpu);
  const Parameter& system_power = m.system_power;
  if (tpu && rated_tdp) {
    // A TPU draws far less than its rating (Patterson et al. 2021, Table 4 caption), so multiples of
    // a measured chip maximum (the v3/v4 entries) would overstate it: use multiples of a rating.
    Parameter rated = system_power.with_basis("rated-tdp");
    if (!rated.observations.empty() && rated.observations.front().basis == "rated-tdp") {
      // Observed on another generation: at least as uncertain as TPU generations differ.
      rated.range = rated.range.widened(kind.range / kind.range.expected);
      rated.meaning = system_power.meaning + "; as a multiple of a rated TDP (observations on TPU v3), range at least the spread of the TPU observations";
      return rated;
    }
  }
  // A generation's own measurements set the centre whenever there is one (GPT-3's V100 fleet drew
  // 1.10 x TDP, where the GPU pool's median is 1.38: Patterson et al. 2021, Table 4); the band is at
  // least the pool's spread around its median, since one fleet says little of another's host. A GPU
  // of no measured generation keeps the pool.
  std::optional<Parameter> generation = find(kind);
  if (!generation) return kind;
  if (generation->observations.size() < 2) {
    generation->range = generation->range.widened(kind.range / kind.range.expected);
    generation->meaning += "; range at least the spread of all observations around their median";
  }
  return *generation;
}

}  // namespace

Parameter FootprintModel::system_power_on_generation(const std::string& generation, bool tpu, bool rated_tdp) const {
  return system_power_from(*this, tpu, rated_tdp, [&](const Parameter& p) { return same_generation(p, generation, 1); });
}

Parameter FootprintModel::system_power_for(const std::string& device_name, bool tpu, bool rated_tdp) const {
  return system_power_from(*this, tpu, rated_tdp, [&](const Parameter& p) { return same_generation_by_name(p, device_name, 1); });
}

Parameter FootprintModel::serving_power_for(const std::string& device_name, bool batched) const {
  const Parameter& all = *serving_power;
  const Parameter load = all.with_basis(batched ? "batched" : "single-stream");
  // A GPU measured alone (ML.ENERGY's Zeus) and a board at the wall (MLPerf Power) are different
  // quantities: a generation's own observations, where there are some, set both centre and spread.
  if (std::optional<Parameter> generation = same_generation_by_name(all, device_name, 1)) {
    Parameter own = generation->with_basis(batched ? "batched" : "single-stream");
    own.range = own.range.widened(generation->range / generation->range.expected);
    own.meaning = generation->meaning;
    return own;
  }
  Parameter p = load;
  if (p.observations.size() < all.observations.size()) p.range = p.range.widened(all.range / all.range.expected);
  return p;
}

FootprintModel FootprintModel::load(const std::string& path) { return parse(load_yaml(path)); }

FootprintModel FootprintModel::parse(const YamlFile& f) {
  return guarded(f, [&] {
    require_kind(f, "footprint-model/v1");
    FootprintModel m;
    const YAML::Node t = require(f, f.root, "training_flops_factor");
    m.training_flops_factor = get_number(f, t, "value");
    m.training_flops_source = get_string(f, t, "source");
    m.utilization = read_parameter(f, "utilization", 0.01, 1.0);
    m.system_power = read_parameter(f, "system_power", 0.1, 5.0);
    m.lifetime_years = read_parameter(f, "lifetime_years", 0.5, 20.0);
    m.training_utilization = read_utilization_model(f, f.root["training_utilization"]);
    m.training_utilization_6nd = read_utilization_model(f, f.root["training_utilization_6nd"]);
    m.runtimes = read_runtimes(f);
    if (f.root["serving_power"]) m.serving_power = read_parameter(f, "serving_power", 0.01, 1.0);
    if (f.root["serving_host_power"]) m.serving_host_power = read_parameter(f, "serving_host_power", 1.0, 5000.0);
    if (f.root["host_link_efficiency"]) m.host_link_efficiency = read_parameter(f, "host_link_efficiency", 0.05, 1.0);
    if (const YAML::Node n = f.root["serving_spread"]; n && !n.IsNull()) {
      if (!n.IsMap()) throw InputError(where(f, n) + "serving_spread: expected {low, high, derivation}");
      const Range r{get_number(f, n, "low"), 1, get_number(f, n, "high")};
      if (!(r.low > 0 && r.low <= 1 && r.high >= 1 && r.high <= 10))
        throw InputError(where(f, n) + "serving_spread: expected 0 < low <= 1 <= high <= 10");
      m.serving_spread = r;
    }
    return m;
  });
}

}  // namespace sml::footprint
