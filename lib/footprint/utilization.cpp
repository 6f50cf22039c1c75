#include "sml/footprint/utilization.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::footprint {
namespace {

std::vector<std::string> names(const YamlFile& f, const YAML::Node& n, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& s : sequence(f, n, key)) out.push_back(s.as<std::string>());
  if (out.empty()) throw InputError(where(f, n) + key + ": name the runs that fit this value");
  return out;
}

Range factor_range(const YamlFile& f, const YAML::Node& n, const std::string& key) {
  const YAML::Node r = require(f, n, key);
  const Range v{get_number(f, r, "low"), 1, get_number(f, r, "high")};
  if (!(v.low > 0 && v.low <= 1 && v.high >= 1 && v.high <= 10))
    throw InputError(where(f, r) + key + ": expected 0 < low <= 1 <= high <= 10");
  return v;
}

std::string fmt(double v) { return format_number(std::round(v * 1000) / 1000); }

// A run's activation recomputation against its generation's fit runs. A utilisation is a share of
// model FLOPs (6ND); recomputing every layer's forward pass in the backward pass spends 8ND of
// hardware FLOPs on them, so at the same hardware utilisation a run that recomputes in full reaches
// full_over_none (3/4) of the model-FLOPs utilisation of one that does not. Selective recomputation
// (only the attention scores, or only what is cheap to recompute) costs a few per cent and counts
// as none. Only a generation whose fit runs all state theirs is moved; the basis says which.
double recompute_factor(const UtilizationModel& m, const UtilizationModel::Generation& gen, const std::string& run,
                        std::string& basis) {
  if (run.empty() || m.full_recompute_ratio <= 0) {
    if (gen.recompute == "full" && m.full_recompute_ratio > 0)
      basis += ", whose fit runs recompute activations in full (a run stated with --activation-recompute none or selective: × " +
               fmt(1 / m.full_recompute_ratio) + ")";
    return 1;
  }
  if (gen.recompute.empty()) {
    basis += " (activation recomputation " + run + " not applied: these fit runs do not all state theirs)";
    return 1;
  }
  const bool run_full = run == "full", fit_full = gen.recompute == "full";
  if (run_full == fit_full) {
    basis += ", recomputing activations as its fit runs do (" + gen.recompute + ")";
    return 1;
  }
  const double f = run_full ? m.full_recompute_ratio : 1 / m.full_recompute_ratio;
  basis += " × " + fmt(f) + " for activation recomputation " + run + " against the fit runs' " + gen.recompute +
           " (model FLOPs 6ND of hardware FLOPs 8ND under full recomputation)";
  return f;
}

}  // namespace

Doc ConditionedUtilization::doc() const {
  Doc d = range.doc();
  d.set("from", basis);
  Doc& runs = d["fitted_on"] = Doc::list();
  for (const auto& r : fitted_on) runs.push(Doc(r));
  if (!source.empty()) d.set("source", source);
  d.set("sources", observations);
  return d;
}

std::optional<UtilizationModel> read_utilization_model(const YamlFile& f, const YAML::Node& n) {
  if (!n || n.IsNull()) return std::nullopt;
  if (!n.IsMap()) throw InputError(where(f, n) + "training_utilization: expected a mapping");
  UtilizationModel m;
  m.derivation = get_string(f, n, "derivation");
  m.source = get_string(f, n, "source");
  const YAML::Node size = require(f, n, "size_exponent");
  m.size_exponent = get_number(f, size, "value");
  m.reference_params = get_number(f, size, "reference_params");
  if (std::abs(m.size_exponent) > 1 || m.reference_params <= 0)
    throw InputError(where(f, size) + "size_exponent: expected |value| <= 1 and reference_params > 0");
  m.spread = factor_range(f, n, "spread");
  m.generation_spread = factor_range(f, n, "generation_spread");
  if (const YAML::Node r = n["recompute"]) {
    m.full_recompute_ratio = get_number(f, r, "full_over_none");
    m.recompute_source = get_string(f, r, "source");
    if (!(m.full_recompute_ratio > 0 && m.full_recompute_ratio <= 1))
      throw InputError(where(f, r) + "recompute: full_over_none must be in (0, 1]");
  }
  for (const auto& p : sequence(f, n, "precisions")) m.precisions.push_back(p.as<std::string>());
  if (n["precision_cells"])
    for (const auto& c : sequence(f, n, "precision_cells")) {
      UtilizationModel::PrecisionCell cell;
      cell.match = get_string(f, c, "match");
      cell.precision = get_string(f, c, "precision");
      cell.value = get_number(f, c, "value");
      cell.scaling_per_doubling = get_number(f, c, "scaling_per_doubling");
      cell.min_devices = get_number(f, c, "min_devices");
      cell.max_devices = get_number(f, c, "max_devices");
      cell.spread = factor_range(f, c, "spread");
      cell.fitted_on = names(f, c, "fitted_on");
      cell.source = get_string(f, c, "source");
      if (c["reference_params"]) {
        cell.reference_params = get_number(f, c, "reference_params");
        if (!(cell.reference_params > 0))
          throw InputError(where(f, c["reference_params"]) + "precision cell " + cell.match + " " + cell.precision +
                           ": reference_params must be positive");
      }
      if (const YAML::Node b = c["borrow"]) {
        cell.borrow_device_class = get_string(f, b, "device_class");
        cell.borrow_spread = factor_range(f, b, "spread");
        cell.borrow_source = get_string(f, b, "source");
      }
      if (!(cell.value > 0 && cell.value <= 1) || !(cell.scaling_per_doubling > 0 && cell.scaling_per_doubling <= 1) ||
          !(cell.min_devices >= 1 && cell.max_devices >= cell.min_devices))
        throw InputError(where(f, c) + "precision cell " + cell.match + " " + cell.precision +
                         ": expected 0 < value <= 1, 0 < scaling_per_doubling <= 1, 1 <= min_devices <= max_devices");
      m.precision_cells.push_back(std::move(cell));
    }
  for (const auto& g : sequence(f, n, "generations")) {
    UtilizationModel::Generation gen{get_string(f, g, "match"), get_number(f, g, "value"), names(f, g, "fitted_on"), ""};
    if (gen.value <= 0 || gen.value > 1) throw InputError(where(f, g) + "generation " + gen.match + ": value outside (0, 1]");
    if (g["recompute"]) {
      gen.recompute = get_string(f, g, "recompute");
      if (gen.recompute != "full" && gen.recompute != "selective" && gen.recompute != "none")
        throw InputError(where(f, g["recompute"]) + "generation " + gen.match + ": recompute must be full, selective or none");
    }
    m.generations.push_back(std::move(gen));
  }
  for (const auto& k : sequence(f, n, "kinds")) {
    UtilizationModel::Kind kind;
    kind.id = get_string(f, k, "kind");
    kind.factor = k["cells"] ? 1 : get_number(f, k, "factor");
    if (k["fitted_on"]) kind.fitted_on = names(f, k, "fitted_on");
    if (kind.factor <= 0 || kind.factor > 3) throw InputError(where(f, k) + "kind " + kind.id + ": factor outside (0, 3]");
    if (k["cells"]) {
      kind.basis = get_string(f, k, "basis");
      kind.source = get_string(f, k, "source");
      if (kind.basis != "roofline" && kind.basis != "flops")
        throw InputError(where(f, k) + "kind " + kind.id + ": basis must be roofline or flops");
      if (k["device_classes"])
        for (const auto& d : sequence(f, k, "device_classes")) kind.device_classes.push_back(d.as<std::string>());
      if (k["borrow"]) kind.borrow = get_string(f, k, "borrow");
      if (kind.borrow != "all" && kind.borrow != "precision")
        throw InputError(where(f, k) + "kind " + kind.id + ": borrow must be all or precision");
      if (k["memory_bandwidth_share"]) {
        const double share = get_number(f, k, "memory_bandwidth_share");
        if (!(share > 0 && share <= 1) || kind.basis != "roofline")
          throw InputError(where(f, k["memory_bandwidth_share"]) + "kind " + kind.id +
                           ": memory_bandwidth_share must be in (0, 1] and belongs to a roofline kind");
        kind.memory_bandwidth_share = share;
      }
      kind.spread = factor_range(f, k, "spread");
      kind.cell_spread = factor_range(f, k, "cell_spread");
      for (const auto& c : sequence(f, k, "cells")) {
        UtilizationModel::Cell cell;
        cell.match = get_string(f, c, "match");
        cell.value = get_number(f, c, "value");
        cell.fitted_on = names(f, c, "fitted_on");
        for (const auto& p : sequence(f, c, "precisions")) cell.precisions.push_back(p.as<std::string>());
        if (c["stack"]) cell.stack = get_string(f, c, "stack");
        if (c["device_class"]) cell.device_class = get_string(f, c, "device_class");
        if (kind.device_classes.size() > 1 &&
            std::find(kind.device_classes.begin(), kind.device_classes.end(), cell.device_class) == kind.device_classes.end())
          throw InputError(where(f, c) + "kind " + kind.id + " cell " + cell.match +
                           ": device_class must name one of the kind's device_classes");
        if (cell.stack != "reference" && cell.stack != "optimised")
          throw InputError(where(f, c) + "kind " + kind.id + " cell " + cell.match + ": stack must be reference or optimised");
        if (c["scaling_per_doubling"]) {
          cell.scaling_per_doubling = get_number(f, c, "scaling_per_doubling");
          if (!(cell.scaling_per_doubling > 0 && cell.scaling_per_doubling <= 1))
            throw InputError(where(f, c) + "kind " + kind.id + " cell " + cell.match + ": scaling_per_doubling outside (0, 1]");
        }
        // Against a roofline whose bandwidth is held to a measured share the ideal is no longer a
        // bound, so a cell may pass 1 (up to 2); otherwise a utilisation is at most 1.
        const double most = kind.memory_bandwidth_share ? 2 : 1;
        if (cell.value <= 0 || cell.value > most || cell.precisions.empty())
          throw InputError(where(f, c) + "kind " + kind.id + " cell " + cell.match + ": value outside (0, " +
                           (most > 1 ? "2" : "1") + "] or no precisions");
        kind.cells.push_back(std::move(cell));
      }
      if (kind.cells.empty()) throw InputError(where(f, k) + "kind " + kind.id + ": cells is empty");
      if (kind.device_classes.size() > 1)
        for (const auto& d : kind.device_classes)
          if (std::none_of(kind.cells.begin(), kind.cells.end(), [&](const auto& x) { return x.device_class == d; }))
            throw InputError(where(f, k) + "kind " + kind.id + ": no cell on device class " + d);
    }
    m.kinds.push_back(std::move(kind));
  }
  if (m.generations.empty()) throw InputError(where(f, n) + "training_utilization: no generation");
  return m;
}

std::string profiled_kind(const cost::Profile& profile) {
  double conv = 0, all = 0;
  for (const auto& l : profile.layers) {
    all += l.flops;
    if (l.op == "Conv" || l.op == "ConvTranspose") conv += l.flops;
  }
  return all > 0 && conv >= 0.5 * all ? "cnn" : "other";
}

namespace {

// A catalogue entry fitted on runs of generation MATCH applies to the queried device when the
// device states that generation (device/v1 generation), never by its name.
bool same_generation(const UtilizationQuery& q, const std::string& match) {
  return !q.device_generation.empty() && q.device_generation == match;
}

// A kind with its own cells: the cell of the device's generation, the plan's precision and its
// training stack; an optimised stack with no cell of its own here takes the reference cell (said
// so); with none, the median of the stack's cells (else the reference cells) and the band widened
// by their spread.
ConditionedUtilization condition_by_cells(const UtilizationModel::Kind& kind,
                                          const UtilizationQuery& q) {
  ConditionedUtilization c;
  c.source = kind.source;  // a kind with cells is fitted on its own runs, not the LLM rows
  // A cell that names its device class lends only to devices of that class.
  const auto same_class = [&](const auto& x) { return x.device_class.empty() || x.device_class == q.device_class; };
  const auto find = [&](const std::string& stack) {
    return std::find_if(kind.cells.begin(), kind.cells.end(), [&](const auto& x) {
      return x.stack == stack && same_class(x) && same_generation(q, x.match) &&
             std::find(x.precisions.begin(), x.precisions.end(), q.precision) != x.precisions.end();
    });
  };
  auto cell = find(q.stack);
  std::string fallback;
  if (cell == kind.cells.end() && q.stack != "reference") {
    cell = find("reference");
    fallback = "no fitted " + q.stack + "-stack " + kind.id + " run on this generation in " + q.precision + ": ";
  }
  const bool roofline = kind.basis == "roofline";  // the training stack is a roofline kind's condition only
  Range spread = kind.spread;
  double centre = 0, scaling = 1;
  std::string stack = q.stack;                 // the stack whose cells set the centre
  if (cell != kind.cells.end()) {
    stack = cell->stack;
    centre = cell->value;
    scaling = cell->scaling_per_doubling;
    c.basis = fallback + kind.id + " runs on " + cell->match + " in " + q.precision + " (" +
              (roofline ? cell->stack + " stack, " : std::string()) + fmt(centre) + ")";
    c.fitted_on = cell->fitted_on;
  } else {
    const bool own = std::any_of(kind.cells.begin(), kind.cells.end(), [&](const auto& x) { return x.stack == q.stack && same_class(x); });
    if (!own) stack = "reference";
    // Borrowing by precision: the share of peak reached depends on the units a precision runs on
    // (FP32 on the vector cores, FP16 on the tensor cores), so a generation with no cell takes the
    // cells of its own precision when the kind says so and there are any.
    const auto in_precision = [&](const auto& x) {
      return std::find(x.precisions.begin(), x.precisions.end(), q.precision) != x.precisions.end();
    };
    const bool by_precision = kind.borrow == "precision" &&
        std::any_of(kind.cells.begin(), kind.cells.end(), [&](const auto& x) { return x.stack == stack && same_class(x) && in_precision(x); });
    std::vector<double> values, scalings;
    for (const auto& x : kind.cells) {
      if (x.stack != stack || !same_class(x) || (by_precision && !in_precision(x))) continue;
      values.push_back(x.value);
      scalings.push_back(x.scaling_per_doubling);
      c.fitted_on.insert(c.fitted_on.end(), x.fitted_on.begin(), x.fitted_on.end());
    }
    centre = Range::of(values).expected;
    scaling = Range::of(scalings).expected;
    spread = spread * kind.cell_spread;
    c.basis = "no fitted " + kind.id + " run on this device's generation in " + q.precision + ": the median of the " +
              (roofline ? stack + "-stack " : std::string()) + kind.id + " cells" +
              (by_precision ? " in " + q.precision : std::string()) +
              (kind.device_classes.size() > 1 ? " on a " + q.device_class : std::string()) + " (" +
              fmt(centre) + "), the band widened by × " + fmt(kind.cell_spread.low) + " to × " +
              fmt(kind.cell_spread.high) + (by_precision ? " (a cell borrowed from another generation)" : " (their spread)");
  }
  if (scaling != 1 && q.devices > 1) {
    // Strong scaling as published for the fit runs: each doubling of the devices keeps this share.
    const double s = std::pow(scaling, std::log2(q.devices));
    centre *= s;
    c.basis += " × data-parallel scaling " + fmt(scaling) + "^log2(" + format_number(q.devices) + ") = " + fmt(s);
  }
  c.basis += std::string(roofline ? " of the per-layer roofline time of a training step"
                                                  : " of the device's peak FLOP/s at this precision") +
             "; band × " + fmt(spread.low) + " to × " +
             fmt(spread.high) + " (observed / predicted on the fit runs)";
  // The roofline counts every layer's reads and writes; an optimised stack fuses batch norm, ReLU
  // and the residual add into fewer kernels and moves fewer bytes, so its share may pass 1 (MLPerf
  // H100 runs reach 1.02-1.06). The reference stack runs each layer apart: capped at 1, unless its
  // roofline holds data movement to a measured share of the bandwidth (no longer a bound then).
  if (stack == "reference" && kind.memory_bandwidth_share) {
    c.memory_bandwidth_share = *kind.memory_bandwidth_share;
    c.basis += "; data movement at " + fmt(c.memory_bandwidth_share) +
               " of the memory bandwidth (the share the reference stack's memory-bound layers reach)";
  }
  const bool bound = stack != "optimised" && !kind.memory_bandwidth_share;
  const double cap = bound ? 1.0 : centre * spread.high;
  c.range = Range{centre * spread.low, centre, std::min(cap, centre * spread.high)};
  c.range.expected = std::min(c.range.expected, c.range.high);
  return c;
}

// The device count a precision cell reads its strong scaling at, before it is held to the fitted
// counts: the run's devices scaled to the fit rows' model size when both sizes are known.
double scaled_cell_devices(const UtilizationModel::PrecisionCell& cell, const UtilizationQuery& q) {
  return cell.reference_params > 0 && q.active_params > 0 ? q.devices * cell.reference_params / q.active_params
                                                          : q.devices;
}

}  // namespace

double precision_cell_devices(const UtilizationModel::PrecisionCell& cell, const UtilizationQuery& q) {
  return std::clamp(scaled_cell_devices(cell, q), cell.min_devices, cell.max_devices);
}

std::optional<ConditionedUtilization> condition_utilization(const UtilizationModel& m, const UtilizationQuery& q) {
  const auto kind = std::find_if(m.kinds.begin(), m.kinds.end(), [&](const auto& k) { return k.id == q.kind; });
  if (kind == m.kinds.end() || (kind->basis == "roofline") != q.roofline) return std::nullopt;
  std::string no_cell;  // a kind with cells on other device classes only: why the generations price it
  if (!kind->cells.empty()) {
    const auto& classes = kind->device_classes;
    if (classes.empty() || std::find(classes.begin(), classes.end(), q.device_class) != classes.end())
      return condition_by_cells(*kind, q);
    // Cells fitted on GPUs do not transfer to a TPU: a tensor-core GPU's share of peak is set by
    // how much of the step runs off its matrix units, which says nothing of another design.
    std::string fitted;
    for (const auto& d : classes) fitted += (fitted.empty() ? "" : ", ") + d;
    no_cell = "no " + kind->id + " cell on a " + (q.device_class.empty() ? std::string("device of unknown class") : q.device_class) +
              " (its cells are fitted on " + fitted + " only), so the LLM generation model prices it: ";
  }
  ConditionedUtilization c;
  c.source = m.source;
  // Generation: the one whose match is the device's generation.
  const auto gen = std::find_if(m.generations.begin(), m.generations.end(),
                                [&](const auto& g) { return same_generation(q, g.match); });
  double centre = 0;
  Range spread = m.spread;
  // A generation with runs fitted in the plan's precision (FP8 on the H100): their own centre and
  // strong scaling, against that precision's peak; no recomputation factor (the cell's runs state none).
  auto pcell = std::find_if(m.precision_cells.begin(), m.precision_cells.end(), [&](const auto& x) {
    return x.precision == q.precision && same_generation(q, x.match);
  });
  // No cell of its own in this precision: a cell that lends to this device class (FP8 on a B200
  // takes the H100's FP8 cell), its band widened by the measured spread between generations.
  const bool borrowed = pcell == m.precision_cells.end();
  if (borrowed)
    pcell = std::find_if(m.precision_cells.begin(), m.precision_cells.end(), [&](const auto& x) {
      return x.precision == q.precision && !x.borrow_device_class.empty() && x.borrow_device_class == q.device_class;
    });
  if (pcell != m.precision_cells.end()) {
    const double n = precision_cell_devices(*pcell, q);
    const double s = std::pow(pcell->scaling_per_doubling, std::log2(n));
    centre = pcell->value * s;
    spread = borrowed ? pcell->spread * pcell->borrow_spread : pcell->spread;
    c.source = pcell->source;
    c.fitted_on = pcell->fitted_on;
    const bool scaled = pcell->reference_params > 0 && q.active_params > 0;
    const double unclamped = scaled_cell_devices(*pcell, q);
    c.basis = (borrowed ? "no " + q.precision + " run fitted on this device's generation: the " + pcell->match + " " +
                              q.precision + " cell, its band widened by × " + fmt(pcell->borrow_spread.low) + " to × " +
                              fmt(pcell->borrow_spread.high) + " (" + pcell->borrow_source + "); "
                        : std::string()) +
              pcell->match + " runs in " + q.precision + " (" + fmt(pcell->value) + " at one device × strong scaling " +
              fmt(pcell->scaling_per_doubling) + "^log2(" + format_number(n) + ") = " + fmt(centre) + ", against the " +
              q.precision + " peak" +
              (scaled ? "; " + format_number(q.devices) + " devices at " + format_number(q.active_params) +
                            " active params do the per-device work of " + format_number(unclamped) +
                            " at the fit runs' " + format_number(pcell->reference_params)
                      : std::string()) +
              (n != unclamped ? "; device count held to the fitted " + format_number(pcell->min_devices) + "–" +
                                    format_number(pcell->max_devices)
                              : std::string()) +
              ")";
  } else if (gen != m.generations.end()) {
    centre = gen->value;
    c.basis = gen->match + " runs (" + fmt(gen->value) + ")";
    c.fitted_on = gen->fitted_on;
  } else {
    // No fitted run on this generation: the middle generation, and the band spans them all.
    std::vector<double> values;
    for (const auto& g : m.generations) {
      values.push_back(g.value);
      c.fitted_on.insert(c.fitted_on.end(), g.fitted_on.begin(), g.fitted_on.end());
    }
    centre = Range::of(values).expected;
    spread = spread * m.generation_spread;
    c.basis = "no fitted run on this device's generation: the median of the generations' centres (" + fmt(centre) +
              "), the band widened by their spread";
  }
  c.basis = no_cell + c.basis;
  if (gen != m.generations.end() && pcell == m.precision_cells.end()) centre *= recompute_factor(m, *gen, q.recompute, c.basis);
  if (kind->factor != 1) {
    centre *= kind->factor;
    c.basis += " × " + kind->id + " " + fmt(kind->factor);
    c.fitted_on.insert(c.fitted_on.end(), kind->fitted_on.begin(), kind->fitted_on.end());
  }
  if (q.active_params > 0 && m.size_exponent != 0) {
    const double s = std::pow(q.active_params / m.reference_params, m.size_exponent);
    centre *= s;
    c.basis += " × size (" + format_number(q.active_params) + " / " + format_number(m.reference_params) + ")^" +
               fmt(m.size_exponent) + " = " + fmt(s);
  }
  c.range = Range{centre * spread.low, centre, centre * spread.high};
  c.basis += "; band × " + fmt(spread.low) + " to × " + fmt(spread.high) + " (observed / predicted on the fit runs)";
  const bool fitted_precision = pcell != m.precision_cells.end() ||
      std::find(m.precisions.begin(), m.precisions.end(), q.precision) != m.precisions.end();
  if (!fitted_precision && q.peak_ratio != 1) {
    // Between the same utilisation of the faster/slower peak and the same FLOP/s as a fitted run.
    c.range.low = std::min(c.range.low, c.range.low * q.peak_ratio);
    c.range.high = std::min(1.0, std::max(c.range.high, c.range.high * q.peak_ratio));
    c.basis += "; no fit run trained in " + q.precision +
               ": the band reaches to the achieved FLOP/s of a 16-bit run (peak ratio " + fmt(q.peak_ratio) + ")";
  }
  c.range.high = std::min(c.range.high, 1.0);
  c.range.expected = std::min(c.range.expected, c.range.high);
  return c;
}

}  // namespace sml::footprint
