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
  out << "| # | model | quality | params | fits | fine-tune CO2e (kg) | scratch CO2e (kg) | Pareto |\n";
  out << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : d.find("candidates")->as_list()) {
    std::string quality = c.find("quality")->is_null() ? "—"
                          : cell(c.path("quality.metric")) + " " + cell(c.path("quality.value")) +
                                (c.find("interpolated") ? " (interpolated)" : "");
    std::string fits = c.find("fits")->as_string() == "true" ? "yes" : "no";
    for (const auto& v : c.find("violations")->as_list()) fits += "; " + v.as_string();
    out << "| " << cell(c.find("rank")) << " | " << cell(c.find("model")) << (c.find("transfer") ? " (transfer)" : "")
        << " | " << quality << " | " << cell(c.find("params")) << " | " << fits << " | " << cell(c.path("finetune.co2e_kg"))
        << " | " << cell(c.path("train_scratch.co2e_kg")) << " | " << (c.find("pareto")->as_string() == "true" ? "yes" : "") << " |\n";
  }
  out << "\nPlan: train on " << cell(d.path("plan.train_device")) << " (" << cell(d.path("plan.precision")) << "), serve on "
      << cell(d.path("plan.serve_device")) << ", region " << cell(d.path("plan.region")) << ".\n";
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
      if (metric.empty()) metric = c.path("quality.metric")->as_string();
      if (c.path("quality.metric")->as_string() != metric) continue;
      cands.push_back(&c);
      if (!number(c, "finetune.co2e_kg") && !number(c, "train_scratch.co2e_kg")) all_co2 = false;
    }
  svg::Scatter s;
  const std::string task = suggestions.path("task.id") ? suggestions.path("task.id")->as_string() : "task";
  s.title = "Candidates for " + task + ": " + metric + " against " + (all_co2 ? "CO2e" : "MACs") + " (Pareto front in red)";
  s.x_label = all_co2 ? "training (fine-tune, else scratch) + serving CO2e, kg" : "MACs per forward pass";
  s.y_label = metric;
  s.log_x = true;
  for (const Doc* c : cands) {
    double x = 0;
    if (all_co2) x = number(*c, "finetune.co2e_kg").value_or(number(*c, "train_scratch.co2e_kg").value_or(0)) + number(*c, "serving.co2e_kg").value_or(0);
    else x = number(*c, "macs").value_or(0);
    const Doc* pareto = c->find("pareto");
    s.points.push_back({c->find("model")->as_string(), x, *number(*c, "quality.value"), pareto && pareto->as_string() == "true"});
  }
  svg::Figure fig;
  fig.add(s);
  fig.write(out);
}

}  // namespace sml::suggest
