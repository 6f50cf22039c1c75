// sml-suggest: a task (task/v1) → ranked knowledge cores with quality, footprint and advice
// (suggestions/v1). Options in, one libsml call, the document out (see man sml-suggest).
#include <iostream>

#include "sml/io/cli.hpp"
#include "sml/io/files.hpp"
#include "sml/io/units.hpp"
#include "sml/suggest/suggest.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Suggest models for a task from the knowledge-core catalogue: ranked by fit to the task's "
               "constraints, published quality and footprint (fine-tune a pretrained core vs train from scratch, "
               "serving), with the Pareto front, transfer candidates and cited advice.",
               "sml-suggest"};
  app.set_version_flag("--version", sml::version_line("sml-suggest"));
  sml::suggest::SuggestOptions o;
  o.task_path = "-";
  std::string output = "-", format = "yaml", list, samples, plot;
  std::vector<std::string> scales;
  app.add_option("TASK", o.task_path, "a task/v1 document from sml-describe ('-' or nothing: stdin)");
  app.add_option("--top", o.top, "how many candidates (default 5)")->type_name("K");
  app.add_option("--device", o.device, "deployment device, instead of the task's")->type_name("ID");
  app.add_option("--region", o.region, "region, instead of the task's (default WORLD)")->type_name("ID");
  app.add_option("--train-device", o.train_device, "device training is costed on (default: the task's training.device, else nvidia-a100-sxm4-40gb)")->type_name("ID");
  app.add_option("--precision", o.precision, "training precision (default fp16 where the device has it)")->type_name("P");
  app.add_option("--serve-precision", o.serve_precision, "precision candidates are served at (default: the usual precision of the device's usual runtime, as sml-estimate; else fp16 on GPUs, int8 on integer-only devices, fp32)")->type_name("P");
  app.add_option("--runtime", o.runtime, "serving runtime candidates are costed under (pytorch, tensorrt, tflite, …; default: the deployment device's usual runtime, as sml-estimate)")->type_name("NAME");
  app.add_option("--samples", samples, "training samples, when the task does not state them")->type_name("N");
  app.add_option("--finetune-epochs", o.finetune_epochs, "epochs when fine-tuning a pretrained core (default 12)")->type_name("E");
  app.add_option("--scratch-epochs", o.scratch_epochs, "epochs when training from scratch (default 72)")->type_name("E");
  app.add_option("--scale", scales, "MODEL=FACTOR: add MODEL shrunk or expanded by FACTOR in MACs, quality interpolated along its family (repeatable)")->type_name("MODEL=X");
  std::string tolerance, error_tolerance, span, qpd, years;
  app.add_option("--rank", o.rank, "efficient (default: the cheapest life-cycle CO2e within the tolerance of the best comparable quality) or quality; default follows the task's objectives")->type_name("MODE");
  app.add_option("--quality-tolerance", tolerance, "quality within this of the best counts as good enough (default 0.05 = 5 points of top-1; see the man page)")->type_name("X");
  app.add_option("--error-tolerance", error_tolerance, "on error rates and other lower-is-better metrics, within this fraction of the best value counts as good enough (default 0.15; see the man page)")->type_name("X");
  app.add_option("--reference-span", span, "the band counts from the best that costs at most X times the cheapest within the tolerance of it (default 10), or none")->type_name("X");
  app.add_option("--latency-budget", o.latency_budget, "per-query latency budget instead of the stated or implied one (10ms, 1s), or none")->type_name("T");
  app.add_option("--queries-per-day", qpd, "serving load when the task states none (default 1000)")->type_name("Q");
  app.add_option("--years", years, "years of serving when the task states none (default 1)")->type_name("Y");
  app.add_flag("--anyway", o.anyway, "suggest even for a task sml-describe did not recognise as ML or recognised with low confidence (marked)");
  app.add_option("--list", list, "list the catalogue instead: models or tasks")->type_name("WHAT");
  app.add_option("--plot", plot, "also draw quality against CO2e with the Pareto front as SVG")->type_name("FILE.svg");
  sml::add_output_option(app, output);
  app.add_option("--format", format, "yaml (default), json or markdown")->type_name("FORMAT");
  sml::add_catalog_option(app, o.catalog_dir);
  sml::add_hw_option(app, o.hw_dir);

  return sml::run_tool(app, argc, argv, [&]() -> int {
    if (!list.empty()) {
      sml::require_choice(list, "--list", {"models", "tasks"});
      const auto lines = list == "models" ? sml::suggest::list_models(o.catalog_dir) : sml::suggest::list_tasks(o.catalog_dir);
      for (const auto& l : lines) std::cout << l << '\n';
      return sml::kExitOk;
    }
    const bool markdown = format == "markdown";
    const sml::Format fmt = markdown ? sml::Format::kYaml : sml::parse_format(format);
    for (const auto& spec : scales) {
      const auto [id, factor] = sml::split_assignment(spec, "--scale", "MODEL=FACTOR, e.g. resnet50=0.5");
      o.scales.emplace_back(id, sml::parse_quantity(factor, sml::Quantity::kCount, "--scale"));
    }
    if (o.top < 1) throw sml::InputError("--top must be at least 1");
    // Written so that NaN fails too; infinity is no number of epochs either.
    if (!(o.finetune_epochs > 0 && o.scratch_epochs > 0 && o.finetune_epochs < 1e6 && o.scratch_epochs < 1e6))
      throw sml::InputError("--finetune-epochs and --scratch-epochs: expected a number of epochs above 0 and below 1e6");
    if (!o.rank.empty()) sml::require_choice(o.rank, "--rank", {"efficient", "quality"});
    if (!o.serve_precision.empty()) sml::require_choice(o.serve_precision, "--serve-precision", {"fp32", "tf32", "fp16", "bf16", "int8"});
    if (!tolerance.empty()) {
      o.quality_tolerance = sml::parse_quantity(tolerance, sml::Quantity::kCount, "--quality-tolerance");
      if (!(*o.quality_tolerance >= 0 && *o.quality_tolerance < 1)) throw sml::InputError("--quality-tolerance must be in [0, 1)");
    }
    if (!error_tolerance.empty()) {
      o.error_tolerance = sml::parse_quantity(error_tolerance, sml::Quantity::kCount, "--error-tolerance");
      if (!(*o.error_tolerance >= 0 && *o.error_tolerance < 10)) throw sml::InputError("--error-tolerance must be in [0, 10)");
    }
    if (span == "none") o.reference_span = 0;
    else if (!span.empty()) {
      o.reference_span = sml::parse_quantity(span, sml::Quantity::kCount, "--reference-span");
      if (!(*o.reference_span >= 1 && *o.reference_span < 1e12)) throw sml::InputError("--reference-span must be 1 or more, or none");
    }
    if (!qpd.empty()) o.queries_per_day = sml::parse_quantity(qpd, sml::Quantity::kCount, "--queries-per-day");
    if (!years.empty()) {
      o.years = sml::parse_quantity(years, sml::Quantity::kCount, "--years");
      if (!(*o.years > 0 && *o.years < 1e6)) throw sml::InputError("--years must be more than 0");
    }
    if (!samples.empty()) o.samples = static_cast<double>(sml::parse_count(samples, "--samples"));
    const sml::Doc doc = sml::suggest::suggest(o);
    sml::Outputs outputs({o.task_path});
    outputs.add(output, [&](std::ostream& out) {
      if (markdown) sml::suggest::write_markdown(out, doc);
      else sml::write_doc(out, doc, fmt);
    });
    if (!plot.empty()) outputs.add(plot, [&](std::ostream& out) { sml::suggest::write_plot(out, doc); }, "--plot");
    outputs.commit();
    return sml::kExitOk;
  });
}
