// The --max-* gates: each figure against its limit, failing on an incomplete profile (unless
// --allow-partial), on an unknown energy, or on a latency the device's operator table doubts.
#include "estimate_parts.hpp"
#include "sml/footprint/report.hpp"
#include "sml/io/error.hpp"

namespace sml::footprint::detail {
namespace {

// The figure a gate reads, in the gate's unit; nullopt when the plan does not produce it.
std::optional<Range> gate_quantity(const std::string& name, const Sections& s, const Lifecycle& l) {
  if (name == "co2") return l.total;
  if (name == "energy") return l.energy_kwh;
  if (name == "time") return s.training ? std::optional<Range>(s.training->time_s) : std::nullopt;
  if (name == "latency") return s.inference ? std::optional<Range>(s.inference->latency_s) : std::nullopt;
  return std::nullopt;
}

const char* gate_unit(const std::string& name) {
  if (name == "co2") return "kg";
  if (name == "energy") return "kWh";
  return "s";
}

}  // namespace

void add_gates(Doc& doc, EstimateResult& result, const EstimateOptions& o, const Loaded& loaded, const Sections& s,
               const Lifecycle& l, const std::optional<OpSupport>& ops, const hw::Device& serve) {
  // A figure from an incomplete profile is a lower bound or holds for inputs nobody chose: a gate
  // on it fails with reason "coverage" unless the user accepts it (DESIGN.md §7).
  const std::string gaps = loaded.profile ? loaded.profile->coverage.gaps() : "";
  Doc& gates = doc["gates"] = Doc::list();
  for (const auto& g : o.gates) {
    const auto q = gate_quantity(g.name, s, l);
    // Serving energy unknown (no power figure): an energy or CO2e gate has nothing to pass on.
    // Unknown is never within a budget, so the gate fails with the reason (exit 3), as a gate on
    // an incomplete profile does; the latency and training figures still stand.
    if (!q && (g.name == "energy" || g.name == "co2") && !l.energy_note.empty()) {
      Doc d = Doc::map();
      d.set("name", g.name);
      d.set("limit", g.limit);
      d.set("value", Doc());
      d.set("on", o.gate_on_high ? "high" : "expected");
      d.set("passed", false);
      d.set("reason", "unknown");
      d.set("unknown", l.energy_note);
      gates.push(d);
      result.over_budget = true;
      result.verdicts.push_back("gate " + g.name + ": unknown (" + l.energy_note + "): FAILED");
      continue;
    }
    if (!q) {
      const std::string need = g.name == "co2" ? "a training or serving plan and --region or --carbon-intensity"
                             : g.name == "latency" ? "an ONNX model (or --params with --output-tokens) and a device"
                             : g.name == "time" ? "a training plan" : "a training or serving plan";
      throw UsageError("--max-" + g.name + " needs " + need);
    }
    const double value = o.gate_on_high ? q->high : q->expected;
    const bool within = value <= g.limit;
    // A latency the device's operator table says does not hold (or may not) passes no gate.
    const bool ops_doubt = g.name == "latency" && ops && ops->latency_holds != "yes";
    const bool passed = within && !ops_doubt && (gaps.empty() || o.allow_partial);
    Doc d = Doc::map();
    d.set("name", g.name);
    d.set("limit", g.limit);
    d.set("value", value);
    d.set("on", o.gate_on_high ? "high" : "expected");
    d.set("passed", passed);
    if (!passed) d.set("reason", !within ? "limit" : ops_doubt ? "operators" : "coverage");
    if (!gaps.empty()) d.set("coverage", (o.allow_partial ? "incomplete, accepted (--allow-partial): " : "incomplete: ") + gaps);
    gates.push(d);
    result.over_budget = result.over_budget || !passed;
    result.verdicts.push_back("gate " + g.name + ": " + format_number(value) + " " + gate_unit(g.name) +
                              (within ? " <= " : " > ") + format_number(g.limit) + " " + gate_unit(g.name) + " (" +
                              (o.gate_on_high ? "high" : "expected") + "): " + (passed ? "passed" : "FAILED") +
                              (within && ops_doubt ? " (operators: the latency on " + serve.id + " does not hold or is not known to hold; see inference.operator_support)"
                               : within && !passed ? " (coverage: " + gaps + "; the figure is not trusted: give the inputs, "
                                                   "or accept it with --allow-partial)"
                                                 : "") +
                              (passed && !gaps.empty() ? " (partial profile accepted: " + gaps + ")" : ""));
  }
}

}  // namespace sml::footprint::detail
