// sml-describe: a problem in words → a task in the functional catalogue (task/v1).
// Options in, one libsml call, the document out (see man sml-describe).
#include <iostream>

#include "sml/describe/data_profile.hpp"
#include "sml/describe/describe.hpp"
#include "sml/describe/model_segments.hpp"
#include "sml/io/cli.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"
#include "sml/io/units.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Encode a problem described in words as a task of the functional catalogue: task id with "
               "confidence and alternatives, the evidence, modalities, the functional segments a model needs, "
               "and the constraints and deployment the text states, in SI units.",
               "sml-describe"};
  app.set_version_flag("--version", sml::version_line("sml-describe"));
  std::vector<std::string> words;
  std::string file, output = "-", format = "yaml";
  sml::describe::DescribeOptions o;
  app.add_option("TEXT", words, "the problem, in words (or -f FILE, or standard input); a path to an .onnx file "
                                "explains that model's functional segments instead");
  app.add_option("-f,--file", file, "read the problem from FILE ('-' for stdin)")->type_name("FILE");
  std::string data;
  app.add_option("--data", data, "describe a data set instead: a folder, a .csv/.tsv or a .jsonl file")->type_name("PATH");
  std::vector<std::string> input_shapes, input_values;
  app.add_option("--input-shape", input_shapes, "for a model: NAME=1x3x224x224 fixes an input's shape (repeatable), as in sml-estimate")
      ->type_name("NAME=DIMS");
  app.add_option("--input-value", input_values, "for a model: NAME=V fixes a scalar input's value (e.g. sr=16000), so If branches on it are chosen (repeatable)")
      ->type_name("NAME=V");
  app.add_flag("--learning-features", o.learning_features,
               "add learning_scorer: the learned not-ML scorer's features and probability (for its training script)");
  app.add_option("--alternatives", o.alternatives, "how many alternative tasks to list (default 3)")->type_name("K");
  sml::add_output_option(app, output);
  app.add_option("--format", format, "yaml (default) or json")->type_name("FORMAT");
  sml::add_catalog_option(app, o.catalog_dir);
  sml::add_hw_option(app, o.hw_dir);

  return sml::run_tool(app, argc, argv, [&]() -> int {
    const sml::Format fmt = sml::parse_format(format);
    if (!words.empty() && !file.empty()) throw sml::UsageError("give the text or -f FILE, not both");
    if (o.alternatives < 0) throw sml::UsageError("--alternatives must not be negative");
    if (!data.empty()) {
      if (!words.empty() || !file.empty()) throw sml::UsageError("--data takes no text");
      const sml::Doc doc = sml::describe::profile_data(data);
      sml::write_output(output, [&](std::ostream& out) { sml::write_doc(out, doc, fmt); });
      return sml::kExitOk;
    }
    // A single argument ending in .onnx is a model (DESIGN.md §6); a missing file is an input error.
    if (words.size() == 1 && words[0].size() > 5 && sml::ends_with(words[0], ".onnx")) {
      sml::graph::InferOptions infer;
      for (const auto& spec : input_shapes) sml::add_input_shape(spec, infer.input_shapes);
      for (const auto& spec : input_values) sml::add_input_value(spec, infer.input_values);
      const sml::Doc doc = sml::describe::describe_model(words[0], infer);
      sml::write_output(output, [&](std::ostream& out) { sml::write_doc(out, doc, fmt); }, {words[0]});
      return sml::kExitOk;
    }
    if (!input_shapes.empty()) throw sml::UsageError("--input-shape applies to a model (MODEL.onnx)");
    if (!input_values.empty()) throw sml::UsageError("--input-value applies to a model (MODEL.onnx)");
    if (words.size() == 1 && words[0] == "-") words.clear();  // '-' is standard input, as in every tool
    sml::Doc doc;
    if (!words.empty()) {
      for (const auto& w : words) o.text += (o.text.empty() ? "" : " ") + w;
      o.source_name = "argument";
      doc = sml::describe::describe_text(o);
    } else {
      o.text = sml::read_input(file.empty() ? "-" : file);
      o.source_name = sml::display_name(file.empty() ? "-" : file);
      doc = sml::describe::describe_input(std::move(o));
    }
    sml::write_output(output, [&](std::ostream& out) { sml::write_doc(out, doc, fmt); }, {file});
    return sml::kExitOk;
  });
}
