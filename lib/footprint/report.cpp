#include "sml/footprint/report.hpp"

#include <unordered_set>
#include <cmath>
#include <cstdio>
#include <map>
#include <algorithm>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/svg.hpp"
#include "sml/io/text.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {
namespace {

// The figures a reader compares, with their labels and units.
struct Key {
  const char* path;
  const char* label;
  const char* unit;
};
const Key kKeys[] = {
    {"profile.total.macs", "MACs per forward pass", ""},
    {"profile.total.params", "parameters", ""},
    {"training.time_s.expected", "training time", "s"},
    {"training.energy_kwh.expected", "training energy", "kWh"},
    {"training.co2e_kg.expected", "training CO2e", "kg"},
    {"inference.latency_s.expected", "latency per query", "s"},
    {"inference.energy_kwh_per_query.expected", "energy per query", "kWh"},
    {"inference.throughput_per_s.expected", "throughput", "queries/s"},
    {"lifecycle.energy_kwh.expected", "life-cycle energy", "kWh"},
    {"lifecycle.co2e_kg.total.expected", "life-cycle CO2e", "kg"},
};

// Tables show three significant digits; the document keeps full precision. Figures read together
// share one format, so they line up and compare at a glance: a column of one quantity (the
// summary, the what-if table) or the ends of one row (a range, a gate's limit and value; the
// figure table's rows are different quantities). See NumberFormat.
class NumberFormat {
 public:
  explicit NumberFormat(const std::vector<const Doc*>& cells) {
    bool integers = true;
    double lo = 0, hi = 0;
    for (const Doc* d : cells) {
      const auto v = d ? d->as_number() : std::nullopt;
      if (!v || !std::isfinite(*v)) continue;
      const double a = std::fabs(*v);
      integers = integers && *v == std::floor(*v);
      hi = std::max(hi, a);
      if (a > 0) lo = lo == 0 ? a : std::min(lo, a);
    }
    // Whole numbers below a trillion: every digit, grouped (25,530,472). Else fixed decimals that
    // give the smallest figure three significant digits, when all lie in [0.001, 1e6) (18.10,
    // 6.25). Else scientific with three significant digits (1.05e+12, 6.81e-08).
    if (integers && hi < 1e12) kind_ = kGrouped;
    else if (lo >= 1e-3 && hi < 1e6) {
      kind_ = kFixed;
      decimals_ = std::clamp(2 - static_cast<int>(std::floor(std::log10(lo))), 0, 6);
    }
  }
  std::string operator()(const Doc* d) const {
    if (!d) return "—";
    const auto v = d->as_number();
    if (!v) return d->as_string();
    if (!std::isfinite(*v)) return format_number(*v);
    char buf[64];
    if (kind_ == kFixed) std::snprintf(buf, sizeof buf, "%.*f", decimals_, *v);
    else if (kind_ == kScientific) std::snprintf(buf, sizeof buf, "%.2e", *v);
    else return grouped(*v);
    return buf;
  }

 private:
  static std::string grouped(double v) {
    std::string digits = format_number(std::fabs(v)), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
  }
  enum { kGrouped, kFixed, kScientific } kind_ = kScientific;
  int decimals_ = 0;
};

// One figure alone (a text cell, or a number in its own format).
std::string cell(const Doc* d) { return NumberFormat({d})(d); }

std::string range_cell(const Doc& est, const std::string& base) {
  const Doc* r = est.path(base);
  if (!r || !r->is_map()) return "—";
  const NumberFormat f({r->find("expected"), r->find("low"), r->find("high")});
  return f(r->find("expected")) + " (" + f(r->find("low")) + "–" + f(r->find("high")) + ")";
}

// The unit of a gate's limit and value (DESIGN.md §6: the key units).
std::string gate_label(const std::string& name) {
  static const std::map<std::string, std::string> units = {{"co2", "kg"}, {"energy", "kWh"}, {"time", "s"}, {"latency", "s"}};
  auto it = units.find(name);
  return it == units.end() ? name : name + " (" + it->second + ")";
}

Doc to_doc(const YAML::Node& n) {
  if (n.IsMap()) {
    // Linear in the number of keys (a baseline with 300,000 keys must not take minutes): the
    // first of duplicate keys wins.
    Doc d = Doc::map();
    std::unordered_set<std::string> seen;
    for (const auto& kv : n) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
      if (seen.insert(key).second) d.append_new(key, to_doc(kv.second));
    }
    return d;
  }
  if (n.IsSequence()) {
    Doc d = Doc::list();
    for (const auto& v : n) d.push(to_doc(v));
    return d;
  }
  if (n.IsNull()) return Doc();
  double v = 0;
  const std::string& text = n.Scalar();
  if (n.Tag() != "!" && YAML::convert<double>::decode(n, v) && !text.empty() && text.find_first_of("0123456789") != std::string::npos)
    return Doc(v);
  return Doc(text);
}

// The coverage of the profile, for the first lines of the markdown: what is uncounted (and
// why), which dims were defaulted, which If nodes had both branches counted.
void write_coverage(std::ostream& out, const Doc& e) {
  const Doc* c = e.path("profile.coverage");
  if (!c) return;
  const bool complete = c->find("complete") && c->find("complete")->as_string() == "true";
  if (complete) {
    out << "Coverage: complete (" << cell(c->find("nodes_counted")) << " of " << cell(c->find("nodes_total"))
        << " nodes counted).\n\n";
    return;
  }
  out << "> **Coverage incomplete**: " << cell(c->find("nodes_counted")) << " of " << cell(c->find("nodes_total"))
      << " nodes counted; the figures below are lower bounds or hold only for the inputs assumed.\n";
  if (const Doc* u = e.path("profile.total.uncounted_nodes"); u && u->is_list())
    for (const auto& n : u->as_list())
      out << "> - uncounted: " << cell(n.find("op")) << " × " << cell(n.find("count")) << " (" << cell(n.find("reason")) << ")\n";
  if (const Doc* d = c->find("defaulted_dims"); d && d->is_list())
    for (const auto& x : d->as_list())
      out << "> - defaulted: input `" << cell(x.find("input")) << "` dim " << cell(x.find("dim")) << " = " << cell(x.find("value"))
          << " (set it with --input-shape or --batch)\n";
  if (const Doc* b = c->find("assumed_branches"); b && b->is_list())
    for (const auto& x : b->as_list())
      out << "> - both branches counted: If `" << x.as_string() << "` (choose one with --input-value NAME=V)\n";
  out << "\n";
}

}  // namespace

void write_markdown(std::ostream& out, const Doc& e) {
  out << "### Footprint estimate";
  if (const Doc* f = e.path("model.file")) out << ": `" << f->as_string() << "`";
  out << "\n\n";
  write_coverage(out, e);
  out << "| figure | expected (low–high) |\n|---|---|\n";
  if (const Doc* m = e.path("profile.total.macs")) out << "| MACs per forward pass (profiled batch) | " << cell(m) << " |\n";
  if (const Doc* p = e.path("profile.total.params")) out << "| parameters | " << cell(p) << " |\n";
  if (e.find("training")) {
    out << "| training time (s) | " << range_cell(e, "training.time_s") << " |\n";
    out << "| training energy (kWh) | " << range_cell(e, "training.energy_kwh") << " |\n";
    if (e.path("training.co2e_kg")) out << "| training CO2e (kg) | " << range_cell(e, "training.co2e_kg") << " |\n";
  }
  if (e.find("inference")) {
    // An LLM given by its size: a request's latency (prefill + decode, and its wait in the queue
    // where fewer requests fit than are outstanding), not one pass of a batch.
    const Doc* effective = e.path("inference.concurrency_effective");
    if (effective) {
      const Doc* asked = e.path("inference.concurrency");
      const bool queued = asked && asked->as_string() != effective->as_string();
      out << "| latency per request, " << cell(effective) << " in flight" << (queued ? " (incl. the queue wait of " + cell(asked) + " outstanding)" : "")
          << ", " << cell(e.path("inference.device")) << " under " << cell(e.path("inference.runtime")) << " (s) | "
          << range_cell(e, "inference.latency_s") << " |\n";
      if (e.path("inference.time_to_first_token_s"))
        out << "| time to first token (s) | " << range_cell(e, "inference.time_to_first_token_s") << " |\n";
    } else {
      out << "| latency per pass, batch " << cell(e.path("inference.batch")) << ", " << cell(e.path("inference.device")) << " under "
          << cell(e.path("inference.runtime")) << " (s) | " << range_cell(e, "inference.latency_s") << " |\n";
    }
    out << "| throughput (queries/s) | " << range_cell(e, "inference.throughput_per_s") << " |\n";
    if (e.path("inference.tokens_per_s")) out << "| generated tokens/s | " << range_cell(e, "inference.tokens_per_s") << " |\n";
    if (effective) {
      out << "| requests in flight (of --concurrency " << cell(e.path("inference.concurrency")) << ") | " << cell(effective) << " |\n";
      out << "| KV cache of the requests in flight (B) | " << cell(e.path("inference.kv_cache_bytes")) << " |\n";
      out << "| memory held: weights + KV cache + activations (B) | " << cell(e.path("inference.memory_bytes")) << " |\n";
    }
    out << "| energy per query (kWh, " << cell(e.path("inference.power_boundary")) << ") | "
        << range_cell(e, "inference.energy_kwh_per_query") << " |\n";
  }
  if (e.find("lifecycle")) {
    out << "| life-cycle energy (kWh) | " << range_cell(e, "lifecycle.energy_kwh") << " |\n";
    out << "| life-cycle CO2e (kg) | " << range_cell(e, "lifecycle.co2e_kg.total") << " |\n";
  }
  // A figure shown as "—" says why (the YAML's notes), so a reader of the markdown alone is not
  // left to guess whether it is zero, unknown or not asked for.
  if (const Doc* n = e.path("inference.energy_note")) out << "\nEnergy per query unknown: " << n->as_string() << ".\n";
  if (const Doc* n = e.path("lifecycle.note")) out << "\nLife-cycle: " << n->as_string() << ".\n";
  if (const Doc* os = e.path("inference.operator_support")) {
    const std::string holds = cell(os->find("latency_holds"));
    out << "\nOperators on " << cell(os->find("device")) << " (" << cell(os->find("table")) << "): ";
    if (holds == "yes") out << "every op is placed on the accelerator and no poorly-mapped block is found.\n";
    else out << "**the latency " << (holds == "no" ? "does not hold" : "is not known to hold") << "**: " << cell(os->find("reason")) << "\n";
  }
  if (const Doc* a = e.path("training.assumptions")) {
    out << "\nDevice: " << cell(a->find("device")) << " × " << cell(a->find("devices")) << ", " << cell(a->find("precision"));
    if (const Doc* ci = a->path("carbon_intensity_kg_per_kwh"))
      out << "; grid " << cell(ci->find("region")) << " " << cell(ci->find("value")) << " kg/kWh (" << cell(ci->find("source")) << ")";
    if (const Doc* pue = a->path("pue.value")) out << "; PUE " << pue->as_string();
    out << "\n";
  }
  if (const Doc* g = e.find("gates"); g && g->is_list()) {
    out << "\n| gate | limit | value | result |\n|---|---|---|---|\n";
    for (const auto& gate : g->as_list()) {
      const NumberFormat f({gate.find("limit"), gate.find("value")});
      const std::string why = gate.find("reason") ? gate.find("reason")->as_string() : "";
      const bool coverage = why == "coverage", unknown = why == "unknown";
      out << "| " << gate_label(cell(gate.find("name"))) << " | " << f(gate.find("limit")) << " | " << (unknown ? "—" : f(gate.find("value")))
          << " | " << (gate.find("passed") && gate.find("passed")->as_string() == "true" ? "passed" : "**failed**")
          << (coverage ? " (coverage incomplete)" : unknown ? " (unknown: " + cell(gate.find("unknown")) + ")" : "") << " |\n";
    }
  }
  if (const Doc* c = e.find("compare"); c && c->is_list()) {
    out << "\n| device | region | energy (kWh) | CO2e (kg) |\n|---|---|---|---|\n";
    std::vector<const Doc*> energy, co2;
    for (const auto& r : c->as_list()) energy.push_back(r.find("energy_kwh")), co2.push_back(r.find("co2e_kg"));
    const NumberFormat fe(energy), fc(co2);
    for (const auto& r : c->as_list())
      out << "| " << cell(r.find("device")) << " | " << cell(r.find("region")) << " | " << fe(r.find("energy_kwh")) << " | "
          << fc(r.find("co2e_kg")) << " |\n";
  }
  if (const Doc* b = e.path("baseline.changes"); b && b->is_list()) {
    out << "\n| compared with " << cell(e.path("baseline.file")) << " | before | now | change |\n|---|---|---|---|\n";
    for (const auto& r : b->as_list())
      out << "| " << cell(r.find("figure")) << " | " << cell(r.find("before")) << " | " << cell(r.find("now")) << " | "
          << cell(r.find("change")) << " |\n";
  }
}

void write_junit(std::ostream& out, const Doc& e) {
  const Doc* g = e.find("gates");
  const auto& gates = g && g->is_list() ? g->as_list() : Doc::List{};
  int failures = 0;
  for (const auto& gate : gates) failures += gate.find("passed")->as_string() == "true" ? 0 : 1;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuite name=\"sml-estimate\" tests=\"" << gates.size() << "\" failures=\"" << failures << "\">\n";
  for (const auto& gate : gates) {
    const std::string name = gate.find("name")->as_string();
    out << "  <testcase classname=\"footprint\" name=\"" << xml_escape(name) << "\">";
    const Doc* reason = gate.find("reason");
    if (gate.find("passed")->as_string() != "true" && reason && reason->as_string() == "coverage")
      out << "<failure message=\"" << xml_escape(name + " " + gate.find("value")->as_string() + " within limit " +
                                                 gate.find("limit")->as_string() + " but not trusted: profile coverage " +
                                                 gate.find("coverage")->as_string() + " (give the inputs, or --allow-partial)")
          << "\" type=\"coverage\"/>";
    else if (gate.find("passed")->as_string() != "true" && reason && reason->as_string() == "unknown")
      out << "<failure message=\"" << xml_escape(name + " unknown, so not within limit " + gate.find("limit")->as_string() + ": " +
                                                 gate.find("unknown")->as_string())
          << "\" type=\"unknown\"/>";
    else if (gate.find("passed")->as_string() != "true")
      out << "<failure message=\"" << xml_escape(name + " " + gate.find("value")->as_string() + " over limit " +
                                                 gate.find("limit")->as_string()) << "\"/>";
    out << "</testcase>\n";
  }
  out << "</testsuite>\n";
}

Doc baseline_diff(const Doc& now, const std::string& old_path) {
  const std::string text = read_input(old_path);
  if (document_kind(text) != "estimate/v1")
    throw InputError(old_path + ": --baseline expects an estimate/v1 document, got " +
                     what_it_is(text));
  const Doc old = to_doc(parse_yaml(text, old_path).root);
  Doc d = Doc::map();
  d.set("file", old_path);
  Doc& changes = d["changes"] = Doc::list();
  for (const Key& k : kKeys) {
    const Doc *a = old.path(k.path), *b = now.path(k.path);
    if (!a && !b) continue;
    Doc row = Doc::map();
    row.set("figure", std::string(k.label) + (*k.unit ? std::string(" (") + k.unit + ")" : ""));
    row.set("key", k.path);
    row.set("before", a ? *a : Doc());
    row.set("now", b ? *b : Doc());
    const auto x = a ? a->as_number() : std::nullopt, y = b ? b->as_number() : std::nullopt;
    if (x && y && *x != 0) row.set("change", std::round((*y / *x - 1) * 1e4) / 1e4);
    else row.set("change", Doc());
    changes.push(row);
  }
  return d;
}

Doc summarize(const std::vector<std::string>& paths) {
  Doc doc = new_document("summary/v1", "sml-estimate");
  Doc& rows = doc["rows"] = Doc::list();
  for (const auto& path : paths) {
    const std::string text = read_input(path);
    const std::string kind = document_kind(text);
    if (kind != "estimate/v1")
      throw InputError(path + ": --summarize expects estimate/v1 documents, got " + what_it_is(text));
    const Doc e = to_doc(parse_yaml(text, path).root);
    Doc row = Doc::map();
    row.set("file", path);
    const Doc* model = e.path("model.file");
    row.set("model", model ? *model : Doc());
    for (const Key& k : kKeys) {
      const Doc* v = e.path(k.path);
      row.set(k.path, v ? *v : Doc());
    }
    rows.push(row);
  }
  return doc;
}

void write_summary_csv(std::ostream& out, const Doc& summary) {
  auto quote = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  out << "file,model";
  for (const Key& k : kKeys) out << "," << k.path;
  out << "\n";
  for (const auto& r : summary.find("rows")->as_list()) {
    out << quote(r.find("file")->as_string()) << "," << quote(r.find("model")->as_string());
    for (const Key& k : kKeys) {
      const Doc* v = r.find(k.path);
      out << "," << (v && !v->is_null() ? quote(v->as_string()) : "");
    }
    out << "\n";
  }
}

void write_summary_markdown(std::ostream& out, const Doc& summary) {
  out << "| file";
  for (const Key& k : kKeys) out << " | " << k.label << (*k.unit ? std::string(" (") + k.unit + ")" : "");
  out << " |\n|---";
  for (std::size_t i = 0; i < sizeof kKeys / sizeof kKeys[0]; ++i) out << "|---";
  out << "|\n";
  std::vector<NumberFormat> columns;
  for (const Key& k : kKeys) {
    std::vector<const Doc*> column;
    for (const auto& r : summary.find("rows")->as_list()) column.push_back(r.find(k.path));
    columns.emplace_back(column);
  }
  for (const auto& r : summary.find("rows")->as_list()) {
    out << "| " << r.find("file")->as_string();
    for (std::size_t i = 0; i < columns.size(); ++i) out << " | " << columns[i](r.find(kKeys[i].path));
    out << " |\n";
  }
}

void write_plot(std::ostream& out, const Doc& estimate) {
  svg::Figure fig;
  const std::string file = estimate.path("model.file") ? estimate.path("model.file")->as_string() : "model";
  std::vector<svg::Bar> bars;
  const Doc* layers = estimate.path("profile.layers");
  const Doc* by_op = estimate.path("profile.by_op");
  const bool per_layer = layers && layers->is_list() && layers->size() > 0;
  if (per_layer) {
    for (const auto& l : layers->as_list())
      if (auto f = l.find("flops") ? l.find("flops")->as_number() : std::nullopt)
        if (*f > 0) bars.push_back({l.find("name")->as_string() + " (" + l.find("op")->as_string() + ")", *f});
  } else if (by_op && by_op->is_list()) {
    for (const auto& o : by_op->as_list())
      if (auto f = o.find("flops") ? o.find("flops")->as_number() : std::nullopt)
        if (*f > 0) bars.push_back({o.find("op")->as_string(), *f});
  }
  fig.add(svg::BarChart{std::string(per_layer ? "Costliest layers" : "FLOPs by operator") + " of " + file + " (one forward pass)", "FLOPs",
                        svg::largest(bars, 25)});
  if (const Doc* cmp = estimate.find("compare"); cmp && cmp->is_list() && cmp->size() > 0) {
    std::vector<svg::Bar> whatif;
    for (const auto& c : cmp->as_list())
      if (auto co2 = c.find("co2e_kg") ? c.find("co2e_kg")->as_number() : std::nullopt)
        whatif.push_back({c.find("device")->as_string() + " in " + c.find("region")->as_string(), *co2});
    std::sort(whatif.begin(), whatif.end(), [](const svg::Bar& a, const svg::Bar& b) { return a.value < b.value; });
    fig.add(svg::BarChart{"What if: life-cycle CO2e by device and region (expected)", "kg", whatif});
  }
  fig.write(out);
}

}  // namespace sml::footprint
