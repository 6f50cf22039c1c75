#include "sml/compose/derive.hpp"

#include <algorithm>
#include <cmath>

#include "sml/catalog/models.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/cost/passes.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

namespace sml::compose {

cost::Profile profile_composition(const Composition& c) {
  const BuiltModel built = build_composition(c);
  // Shape-only: drawn weights keep their dims and carry no values, so nothing of the model's size
  // is allocated; shape data and scalars keep their values (shape propagation folds them).
  const OnnxModel m = to_onnx(built.graph, {"none", 0, c.precision}, SML_VERSION);
  return cost::profile_model(graph::parse_model(to_bytes(m), c.name, ""), {});
}

cost::Profile per_query_profile(const Composition& c, cost::Profile p) {
  return cost::per_query_profile(std::move(p), pass_runs(c.passes));
}

PerQuery per_query(const Composition& c, const cost::Profile& p) {
  PerQuery q;
  const std::vector<cost::PassRun> runs = pass_runs(c.passes);
  const cost::Profile query = cost::per_query_profile(p, runs);
  q.macs = query.macs;
  q.flops = query.flops;
  const cost::SampleFlops sample = cost::sample_flops(p, runs);
  q.train_flops = sample.trained;
  q.frozen_flops = sample.frozen;
  for (const auto& pass : c.passes) q.parts.push_back({pass.scope, pass.runs, pass.train_runs, pass.frozen, 0, 0, 0});
  for (const auto& l : p.layers) {
    const cost::PassRun* under = cost::pass_of(runs, l.name);
    if (!under) continue;
    PassCost& part = q.parts[static_cast<std::size_t>(under - runs.data())];
    part.params += l.params;
    part.macs += l.macs;
    part.flops += l.flops;
  }
  for (const auto& part : q.parts)
    if (part.params == 0 && part.macs == 0)
      throw InputError(c.file + ": passes: scope '" + part.scope + "' holds no counted layer (a core's scope, or a prefix of scopes)");
  return q;
}

namespace {

std::string input_text(const Composition& c) {
  std::string t = c.input_name + " " + shape_text(c.input_shape) + " " + (c.input_dtype == 7 ? "int64" : "float32");
  for (const auto& e : c.cores)  // a second tower's input (CLIP's text) is part of what is costed
    if (e.core == "graph_input") {
      std::string dims = e.text("shape", "?");
      std::replace(dims.begin(), dims.end(), ',', 'x');
      t += " + " + e.text("input", "?") + " " + dims + " " + e.text("dtype", "float32");
    }
  for (const auto& s : c.more_inputs) t += " + " + s.name + " " + shape_text(s.shape) + " " + (s.dtype == 7 ? "int64" : "float32");
  for (std::size_t i = 0; i < c.passes.size(); ++i)  // a pipeline: how often each part runs per query
    t += (i ? ", " : "; runs per query: ") + c.passes[i].scope + " ×" + std::to_string(c.passes[i].runs);
  if (c.audio_s > 0) t += "; " + format_number(c.audio_s) + " s of audio";
  return t;
}

}  // namespace

Composition for_model(const catalog::CatalogModel& m, const std::string& catalog_dir) {
  const auto archs = list_archs(catalog_dir);  // a catalogue entry naming no architecture is the entry's error, at its line
  if (std::find(archs.begin(), archs.end(), m.arch) == archs.end())
    throw InputError(m.arch_where + ": " + m.id + ": composition arch '" + m.arch + "' is not an architecture in " + catalog_dir + "/archs");
  Composition c = arch_composition(m.arch, catalog_dir);
  if (m.num_classes) c.num_classes = static_cast<std::int64_t>(*m.num_classes);
  return c;
}

Composition catalog_composition(const std::string& id, const std::string& catalog_dir) {
  const auto archs = list_archs(catalog_dir);
  if (std::find(archs.begin(), archs.end(), id) != archs.end()) return arch_composition(id, catalog_dir);
  for (const auto& m : catalog::load_models(catalog_dir + "/models")) {
    if (m.id != id) continue;
    if (m.arch.empty())
      throw InputError("--arch '" + id + "': the catalogue model has no architecture sml-compose can build (" +
                       (m.arch_reason.empty() ? "composition: null" : m.arch_reason) + ", " + m.file + ")");
    return for_model(m, catalog_dir);
  }
  return arch_composition(id, catalog_dir);  // the error lists the architectures
}

std::vector<DerivedCost> derive_catalog(const std::string& catalog_dir, const std::function<void(const std::string&)>& progress) {
  std::vector<DerivedCost> rows;
  for (const auto& m : catalog::load_models(catalog_dir + "/models")) {
    if (m.arch.empty()) continue;
    if (progress) progress("deriving " + m.id + " (" + m.arch + ")");
    const Composition c = for_model(m, catalog_dir);
    const cost::Profile p = profile_composition(c);
    DerivedCost r;
    r.id = m.id;
    r.arch = m.arch;
    r.input = input_text(c);
    r.params = p.params;
    r.macs = p.macs;
    r.flops = p.flops;
    r.audio_s = c.audio_s;
    if (!c.passes.empty()) {
      const PerQuery q = per_query(c, p);
      r.macs = q.macs;
      r.flops = q.flops;
    }
    if (c.per_token && c.input_shape.size() == 2)
      r.flops_per_token = p.flops / static_cast<double>(c.input_shape[0] * c.input_shape[1]);
    if (!c.decode_input.empty()) r.generation = generation_cost(c);
    for (const auto& u : p.uncounted) r.uncounted.push_back(u.op + " ×" + std::to_string(u.count) + ": " + u.reason);
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const DerivedCost& a, const DerivedCost& b) { return a.id < b.id; });
  return rows;
}

Doc derived_doc(const std::vector<DerivedCost>& rows, const std::string& generator) {
  Doc d = Doc::map();
  d.set("sml", "derived/v1");
  d.set("generator", generator);
  d.set("note", "Generated by `sml-compose --derive-catalog -o catalog/derived.yaml`; do not edit. Each row is a catalogue "
                "model built from its architecture (catalog/archs/ARCH.yaml) and counted by lib/cost at the input stated; "
                "ctest unit.catalog rebuilds every row and checks it against this table and against the published figures.");
  Doc& list = d["models"] = Doc::list();
  for (const auto& r : rows) {
    Doc m = Doc::map();
    m.set("id", r.id);
    m.set("arch", r.arch);
    m.set("input", r.input);
    m.set("params", Doc(static_cast<long long>(r.params)));
    m.set("macs", Doc(static_cast<long long>(std::llround(r.macs))));  // whole numbers: exact in the table
    m.set("flops", Doc(static_cast<long long>(std::llround(r.flops))));
    if (r.audio_s > 0) m.set("audio_s", r.audio_s);
    if (r.flops_per_token) m.set("flops_per_token", Doc(static_cast<long long>(std::llround(*r.flops_per_token))));  // to the FLOP
    if (r.generation) {  // serving a request: the encoder once, then one decode step per generated token
      const Generation& g = *r.generation;
      Doc gen = Doc::map();
      gen.set("output_tokens", Doc(static_cast<long long>(g.output_tokens)));
      gen.set("once_macs", Doc(static_cast<long long>(std::llround(g.once_macs))));
      gen.set("step_params", Doc(static_cast<long long>(g.step_params)));
      gen.set("token_macs", Doc(static_cast<long long>(std::llround(g.token_macs))));
      if (g.after_macs > 0) gen.set("after_macs", Doc(static_cast<long long>(std::llround(g.after_macs))));
      gen.set("request_macs", Doc(static_cast<long long>(std::llround(g.request_macs))));
      m.set("generation", gen);
    }
    if (!r.uncounted.empty()) {
      Doc& u = m["uncounted"] = Doc::list();
      for (const auto& line : r.uncounted) u.push(Doc(line));
    }
    list.push(m);
  }
  return d;
}

}  // namespace sml::compose
