// Human views of a suggestions/v1 document (markdown table, SVG), and the catalogue listings.
#include "sml/describe/taxonomy.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/svg.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

void write_markdown(std::ostream& out, const Doc& d) {
  auto cell = [](const Doc* v) {
    if (!v || v->is_null()) return std::string("—");
    if (auto n = v->as_number()) return fmt_num(*n);
    return v->as_string();
  };
  out << "### Suggestions for `" << cell(d.path("task.id")) << "`\n\n";
  if (const Doc* c = d.find("confidence")) out << "**Low confidence:** " << cell(c->find("reason")) << "\n\n";
  out << "| # | model | quality | params | fits | latency (s) | fine-tune CO2e (kg) | scratch CO2e (kg) | life-cycle CO2e (kg) | Pareto | why |\n";
  out << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : d.find("candidates")->as_list()) {
    std::string quality = c.find("quality")->is_null() ? "—"
                          : cell(c.path("quality.metric")) + " " + cell(c.path("quality.value")) +
                                (c.find("interpolated") ? " (interpolated)" : "");
    const std::string f = c.find("fits")->as_string();
    std::string fits = f == "true" ? "yes" : f == "false" ? "no" : "unknown";
    for (const auto& v : c.find("violations")->as_list()) fits += "; " + v.as_string();
    if (const Doc* m = c.find("missing"))
      for (const auto& v : m->as_list()) fits += "; missing " + v.as_string();
    out << "| " << cell(c.find("rank")) << " | " << cell(c.find("model")) << (c.find("transfer") ? " (transfer)" : "")
        << " | " << quality << " | " << cell(c.find("params")) << " | " << fits << " | " << cell(c.path("serving.latency_s"))
        << " | " << cell(c.path("finetune.co2e_kg")) << " | " << cell(c.path("train_scratch.co2e_kg")) << " | "
        << cell(c.find("lifecycle_co2e_kg")) << " | " << (c.find("pareto")->as_string() == "true" ? "yes" : "") << " | "
        << cell(c.find("why")) << " |\n";
  }
  out << "\nPlan: train on " << cell(d.path("plan.train_device")) << " (" << cell(d.path("plan.precision")) << ") with "
      << cell(d.path("plan.samples")) << " samples, serve on " << cell(d.path("plan.serve_device"));
  if (const Doc* t = d.path("plan.serve_device_text"))
    out << (d.path("plan.serve_device")->is_null() ? " (`" : " (standing in for `") << cell(t) << "`, not in the catalogue)";
  out << " at " << cell(d.path("plan.serve_precision"));
  if (const Doc* rt = d.path("plan.serve_runtime")) out << " under " << cell(rt);
  out << ", region " << cell(d.path("plan.region")) << "; ranked "
      << cell(d.path("plan.rank")) << " (" << cell(d.path("plan.ranked_on")) << ").\n";
  if (const Doc* a = d.find("assumed"); a && a->is_list() && !a->as_list().empty()) {
    out << "\nAssumed (not stated in the task):\n";
    for (const auto& x : a->as_list()) out << "- `" << cell(x.find("key")) << "` = " << cell(x.find("value")) << ": " << cell(x.find("why")) << "\n";
  }
  const auto& advice = d.find("advice")->as_list();
  if (!advice.empty()) {
    out << "\nAdvice:\n";
    for (const auto& a : advice) out << "- **" << cell(a.find("id")) << "** (" << cell(a.find("kind")) << "): " << cell(a.find("message")) << "\n";
  }
}

std::vector<std::string> list_models(const std::string& catalog_dir) {
  std::vector<std::string> out;
  for (const auto& m : catalog::load_models(data_dir("catalog", catalog_dir) + "/models")) {
    std::string line = m.id + "\t" + m.name + " (" + m.tasks.front();
    if (m.params) line += ", " + fmt_num(*m.params / 1e6) + " M params";
    if (!m.quality.empty()) line += ", " + m.quality.front().metric + " " + fmt_num(m.quality.front().value);
    out.push_back(line + ")");
  }
  return out;
}

std::vector<std::string> list_tasks(const std::string& catalog_dir) {
  std::vector<std::string> out;
  for (const auto& t : describe::load_taxonomy(data_dir("catalog", catalog_dir) + "/tasks")) out.push_back(t.id + "\t" + t.name);
  return out;
}

void write_plot(std::ostream& out, const Doc& suggestions) {
  auto number = [](const Doc& d, const char* path) { const Doc* v = d.path(path); return v ? v->as_number() : std::nullopt; };
  const Doc* list = suggestions.find("candidates");
  std::vector<const Doc*> cands;
  bool all_co2 = true;
  std::string metric;
  if (list && list->is_list())
    for (const auto& c : list->as_list()) {
      if (!number(c, "quality.value") || c.find("transfer")) continue;
      if (const Doc* cmp = c.path("quality.compared"); cmp && cmp->as_string() != "true") continue;
      if (metric.empty()) metric = c.path("quality.metric")->as_string();
      if (c.path("quality.metric")->as_string() != metric) continue;
      cands.push_back(&c);
      if (!number(c, "lifecycle_co2e_kg")) all_co2 = false;
    }
  svg::Scatter s;
  const std::string task = suggestions.path("task.id") ? suggestions.path("task.id")->as_string() : "task";
  s.title = "Candidates for " + task + ": " + metric + " against " + (all_co2 ? "CO2e" : "MACs") + " (Pareto front in red; #rank, fit)";
  if (const Doc* samples = suggestions.path("plan.samples")) {
    bool assumed = false;
    if (const Doc* a = suggestions.find("assumed"); a && a->is_list())
      for (const auto& x : a->as_list()) assumed = assumed || x.find("key")->as_string() == "data_samples";
    s.title += "; training on " + fmt_num(samples->as_number().value_or(0)) + " samples" + (assumed ? " (assumed: typical for the task)" : "");
  }
  s.x_label = all_co2 ? "life-cycle CO2e, kg (training: fine-tune, else scratch; + serving over plan.queries_per_day x plan.years)" : "MACs per forward pass";
  s.y_label = metric;
  s.log_x = true;
  for (const Doc* c : cands) {
    double x = 0;
    if (all_co2) x = *number(*c, "lifecycle_co2e_kg");
    else x = number(*c, "macs").value_or(0);
    const Doc* pareto = c->find("pareto");
    const std::string f = c->find("fits") ? c->find("fits")->as_string() : "";
    const std::string label = "#" + c->find("rank")->as_string() + " " + c->find("model")->as_string() +
                              (f == "true" ? "" : f == "false" ? " (does not fit)" : " (fit unknown)");
    s.points.push_back({label, x, *number(*c, "quality.value"), pareto && pareto->as_string() == "true"});
  }
  svg::Figure fig;
  fig.add(s);
  // The ranking itself: each candidate's life-cycle CO2e with its fit and the reason for its rank.
  svg::BarChart why;
  why.title = "Ranked " + (suggestions.path("plan.rank") ? suggestions.path("plan.rank")->as_string() : std::string("")) +
              ": life-cycle CO2e (kg) and why each stands where it does";
  why.unit = " kg";
  if (list && list->is_list())
    for (const auto& c : list->as_list()) {
      std::string reason = c.find("why") ? c.find("why")->as_string() : "";
      if (reason.size() > 110) reason = reason.substr(0, 107) + "...";
      const std::string f = c.find("fits") ? c.find("fits")->as_string() : "";
      why.bars.push_back({"#" + c.find("rank")->as_string() + " " + c.find("model")->as_string() + " [fits: " + f + "] " + reason,
                          number(c, "lifecycle_co2e_kg").value_or(0)});
    }
  if (!why.bars.empty()) fig.add(why);
  fig.write(out);
}

}  // namespace sml::suggest
