// sml-compose: build a model from cores (a composition, an architecture by name, a suggestion)
// or edit an imported one, and write it as checked ONNX (see man sml-compose).
#include <unistd.h>

#include <iostream>
#include <optional>

#include "sml/compose/compose.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/files.hpp"
#include "sml/io/progress.hpp"
#include "sml/io/cli.hpp"
#include "sml/io/units.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Build a model from knowledge cores, or reshape an imported one, and write it as ONNX (IR 8, opset 17) "
               "that passes libonnx's checker and full shape inference, with provenance in its metadata.",
               "sml-compose"};
  app.set_version_flag("--version", sml::version_line("sml-compose"));
  sml::compose::ComposeOptions o;
  std::string output, list, input_shape, precision;
  double width = 0, depth = 0;
  long long num_classes = 0;
  bool quiet = false, external = false, derive = false;
  app.add_option("INPUT", o.input, "composition/v1, suggestions/v1 (with --pick) or an ONNX model ('-': stdin)");
  app.add_option("--arch", o.arch, "build a standard architecture by name (--list archs)")->type_name("NAME");
  app.add_option("--pick", o.pick, "build the N-th candidate (1-based) of a suggestions document")->type_name("N");
  app.add_flag("--import", o.import, "INPUT is an ONNX model to edit (also detected by itself)");
  auto* w = app.add_option("--width", width, "multiply channels (rounded to multiples of 8; see the man page)")->type_name("X");
  auto* d = app.add_option("--depth", depth, "multiply repeats of every repeatable core (ceil)")->type_name("X");
  auto* n = app.add_option("--num-classes", num_classes, "classes of the head")->type_name("N");
  app.add_option("--input-shape", input_shape, "the composition's input dims, e.g. 1x3x160x160")->type_name("DIMS");
  app.add_option("--precision", o.precision, "fp32 or fp16 weights and inputs (compositions)")->type_name("P");
  app.add_flag("--attention-mask", o.attention_mask, "give the encoder an attention_mask input (N, S) int64, as exported encoders have");
  app.add_option("--decode", o.decode, "build one part of a generation: once (the encoder and the cross-attention keys and values, "
                 "once per request; a decoder-only model's prefill, also named prefill), step (one new token against a KV cache) or after "
                 "(once after the steps: SpeechT5's post-net convolutions and vocoder)")->type_name("PART");
  long long cache = -1;
  auto* cache_opt = app.add_option("--cache", cache, "tokens in a decode step's cache (default: the mean over the request's output tokens)")->type_name("L");
  app.add_option("--replace-head", o.replace_head, "a head core and its settings, e.g. classifier:num_classes=10")->type_name("CORE[:k=v,…]");
  app.add_option("--cut-at", o.cut_at, "keep the model up to this node (or tensor); its output becomes the model's")->type_name("NODE");
  app.add_option("--freeze", o.freeze, "mark weights frozen in metadata: head, backbone, a role, or a name prefix")->type_name("SEGMENT");
  app.add_option("--weights", o.weights, "random (seeded; the default up to 2 GiB of weights, zeros past it), zeros, or from:MODEL.onnx (copy where names and shapes match)")->type_name("W");
  app.add_option("--seed", o.seed, "seed of the random weights (default 0)")->type_name("N");
  app.add_flag("--external-data", external, "write weights to OUTPUT.data beside the model (implied past 2 GiB; zeros become holes)");
  app.add_flag("--derive-catalog", derive, "build every catalogue model that has an architecture shape-only and print the derived/v1 "
               "table of its params, MACs and FLOPs (catalog/derived.yaml)");
  app.add_option("--list", list, "list what can be built instead: archs or cores")->type_name("WHAT");
  app.add_flag("-q,--quiet", quiet, "no report on stderr");
  sml::add_output_option(app, output);
  sml::add_catalog_option(app, o.catalog_dir);

  return sml::run_tool(app, argc, argv, [&]() -> int {
    auto progress = [&](const std::string& line) {
      if (!quiet) std::cerr << "sml-compose: " << line << '\n';
    };
    if (derive) {
      const std::string catalog = sml::data_dir("catalog", o.catalog_dir);
      const auto rows = sml::compose::derive_catalog(catalog, progress);
      sml::write_output(output, [&](std::ostream& out) {
        sml::write_doc(out, sml::compose::derived_doc(rows, "sml-compose " SML_VERSION), sml::Format::kYaml);
      });
      return sml::kExitOk;
    }
    if (!list.empty()) {
      sml::require_choice(list, "--list", {"archs", "cores"});
      for (const auto& l : list == "archs" ? sml::compose::list_archs_lines(o.catalog_dir) : sml::compose::list_cores_lines())
        std::cout << l << '\n';
      return sml::kExitOk;
    }
    // Binary on a terminal garbles it and helps nobody; like gzip, only when asked for with -o -.
    if (output.empty() && ::isatty(1))
      throw sml::UsageError("refusing to write a binary ONNX model to a terminal: give -o FILE, pipe it, or -o - to force");
    if (output.empty()) output = "-";
    if (*w) o.width = width;
    if (*d) o.depth = depth;
    if (*n) {
      if (num_classes < 1) throw sml::InputError("--num-classes must be at least 1");
      o.num_classes = num_classes;
    }
    if (*cache_opt) {
      if (cache < 0) throw sml::InputError("--cache must be 0 or more tokens");
      o.cache = cache;
    }
    if (!input_shape.empty()) o.input_shape = sml::parse_dims(input_shape, "--input-shape");
    if (o.input.empty() && o.arch.empty()) o.input = "-";
    // Silent for a quick build; past a second (SML_PROGRESS_AFTER) a line says what is under way.
    std::optional<sml::ProgressLine> slow;
    if (!quiet) slow.emplace("sml-compose", sml::progress_after_seconds());
    auto step = [&](const std::string& what) {
      if (slow) slow->step(what);
    };
    step(o.arch.empty() ? "building " + sml::display_name(o.input) : "building " + o.arch);
    auto result = sml::compose::compose(o);
    if (!quiet)
      for (const auto& line : result.report) std::cerr << "sml-compose: " << sml::one_line(line) << '\n';
    for (const auto& line : result.warnings) std::cerr << "sml-compose: warning: " << sml::one_line(line) << '\n';
    for (const auto& line : result.notes) std::cerr << "sml-compose: " << sml::one_line(line) << '\n';
    if (result.external_data && !external) {
      if (output == "-")
        throw sml::InputError("the model's weights exceed protobuf's 2 GiB limit: give -o FILE (they go to FILE.data beside it)");
      external = true;
    }
    std::vector<std::string> inputs{o.input};
    if (o.weights.rfind("from:", 0) == 0) inputs.push_back(o.weights.substr(5));
    const auto summary = sml::compose::summarize(result.model);
    step("writing " + sml::format_number(summary.bytes / 1e6) + " MB of weights to " +
         (output == "-" ? std::string("stdout") : external ? output + ".data" : output));
    sml::compose::write_onnx(result.model, output, inputs, external, [&](std::uint64_t done, std::uint64_t total) {
      if (slow) slow->done(done, total);
    });
    slow.reset();  // its last line before the report's
    if (external && !quiet) std::cerr << "sml-compose: " << sml::compose::describe_written(output) << '\n';
    return sml::kExitOk;
  });
}
