// What sml-estimate computes, callable from any program: options in, estimate/v1 document out.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sml/footprint/plan.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/graph/infer.hpp"
#include "sml/io/doc.hpp"

namespace sml::footprint {

struct Gate {
  std::string name;     // co2, energy, time, latency
  double limit = 0;     // in the key's unit (kg, kWh, s)
};

struct EstimateOptions {
  std::string model_path;                    // ONNX file, "-" for stdin; empty with a parametric model
  std::string step_model_path;               // --decoder-step: a decode step run once per --output-tokens (issue 13)
  std::string after_model_path;              // --after-steps: run once after the steps (SpeechT5's post-net and vocoder)
  std::optional<ParametricModel> parametric; // --params / a modelcard/v1
  graph::InferOptions infer;                 // --input-shape, --batch
  bool layers = true;                        // per-layer table in the output
  std::string device;                        // id, alias, or an hwprofile/v1 file
  std::string region;
  Plan plan;
  bool precision_given = false;              // --precision was given: it is the serving default too
  std::vector<Gate> gates;
  bool gate_on_high = false;                 // --gate-on high
  bool allow_partial = false;                // --allow-partial: gates accept an incomplete profile
  std::string hw_dir, catalog_dir;           // --hw, --catalog
  std::vector<std::string> compare_devices, compare_regions;  // --compare
  std::string baseline_path;                 // --baseline OLD.yaml
  // Serving (issue 17): where and how queries run, when it differs from training.
  std::string serve_device;                  // --serve-device; default: the task's deployment device, else --device
  std::string task_path;                     // --task TASK.yaml (its deployment.device)
  std::optional<std::int64_t> serve_batch;   // --serve-batch; default --batch, else 1
  ServingPlan serving;
};

struct EstimateResult {
  Doc doc;
  bool over_budget = false;                  // a gate failed: exit 3
  std::vector<std::string> verdicts;         // one line per gate, for stderr
};

// Loads the model and data, profiles, estimates, gates. Throws InputError (exit 2) for bad files
// or values and UsageError (exit 1) for flags that contradict each other.
EstimateResult estimate(const EstimateOptions& options);

// --task TASK.yaml: the request and answer lengths it states (deployment.prompt_tokens and
// output_tokens, from sml-describe) fill --prompt-tokens / --output-tokens where those are not given.
// estimate() applies it to its own copy of the options.
void task_token_defaults(const std::string& task_path, ServingPlan& serving);

// `--list devices|regions`: one line per id, the id first, then a short summary.
std::vector<std::string> list_devices(const std::string& hw_dir);
std::vector<std::string> list_regions(const std::string& catalog_dir);

}  // namespace sml::footprint
