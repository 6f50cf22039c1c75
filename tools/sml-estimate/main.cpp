// sml-estimate: the footprint of a model before it is paid. Options in, one libsml call,
// the estimate/v1 document out (see man sml-estimate).
#include <iostream>

#include "sml/cost/registry.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/io/cli.hpp"
#include "sml/io/files.hpp"
#include "sml/io/units.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Estimate the compute footprint of an ONNX model: per-layer MACs, FLOPs, parameters and "
               "activation memory for one forward pass (1 MAC = 2 FLOPs).",
               "sml-estimate"};
  app.set_version_flag("--version", sml::version_line("sml-estimate"));
  std::string model = "-", output = "-", format = "yaml", list;
  std::vector<std::string> input_shapes;
  std::string batch;
  bool no_layers = false, quiet = false;
  app.add_option("MODEL", model, "ONNX model file; '-' or nothing reads stdin");
  app.add_option("--input-shape", input_shapes,
                 "NAME=1x3x224x224: fix an input's shape (repeatable; sets symbolic dims)")
      ->type_name("NAME=DIMS");
  app.add_option("--batch", batch, "batch size for inputs whose first dim is symbolic (default 1)")->type_name("N");
  app.add_option("-o,--output", output, "write the document here (atomically) instead of stdout")->type_name("FILE");
  app.add_option("--format", format, "yaml (default) or json")->type_name("FORMAT");
  app.add_flag("--no-layers", no_layers, "leave out the per-layer table");
  app.add_option("--list", list, "list what is known instead: ops (the cost rule of each operator)")->type_name("WHAT");
  app.add_flag("-q,--quiet", quiet, "no warnings on stderr");

  return sml::run_tool(app, argc, argv, [&]() -> int {
    const sml::Format fmt = sml::parse_format(format);
    if (!list.empty()) {
      if (list != "ops") throw sml::UsageError("--list '" + list + "': expected ops");
      for (const auto& rule : sml::cost::all_rules()) std::cout << rule.op << "\t" << rule.counts << '\n';
      return sml::kExitOk;
    }
    sml::footprint::EstimateOptions options;
    options.model_path = model;
    options.layers = !no_layers;
    for (const auto& spec : input_shapes) {
      const auto eq = spec.rfind('=');
      if (eq == std::string::npos || eq == 0)
        throw sml::UsageError("--input-shape '" + spec + "': expected NAME=DIMS, e.g. input=1x3x224x224");
      options.infer.input_shapes[spec.substr(0, eq)] = sml::parse_dims(spec.substr(eq + 1), "--input-shape");
    }
    if (!batch.empty()) options.infer.batch = sml::parse_count(batch, "--batch");

    const sml::Doc doc = sml::footprint::estimate(options);
    if (!quiet)
      if (const auto* profile = doc.find("profile"))
        if (const auto* warnings = profile->find("warnings"))
          for (const auto& w : warnings->as_list()) {
            std::cerr << "sml-estimate: warning: ";
            w.write_yaml(std::cerr);
          }
    sml::write_output(output, [&](std::ostream& out) { sml::write_doc(out, doc, fmt); }, {model});
    return sml::kExitOk;
  });
}
