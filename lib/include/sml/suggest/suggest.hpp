// What sml-suggest computes (issue 6): task/v1 in, suggestions/v1 out — candidate knowledge cores
// for the task ranked by fit to its constraints, published quality and footprint (train from
// scratch vs fine-tune a pretrained core, serving), the quality/CO2e Pareto front, transfer
// candidates from neighbouring tasks that share a functional segment, and cited advice.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sml/io/doc.hpp"

namespace sml::suggest {

struct SuggestOptions {
  std::string task_path;                 // a task/v1 document ("-" for stdin)
  std::string task_text;                 // its contents, when already read
  int top = 5;
  std::string device, region;            // override the task's deployment
  // Where training is costed; empty: the task's training.device, else nvidia-a100-sxm4-40gb.
  std::string train_device;
  std::string precision;                 // training precision; default: fp16 where the device has it
  std::string runtime;                   // serving runtime (--runtime); default: the deployment device's usual one
  std::optional<double> samples;         // training samples, when the task does not state them
  double finetune_epochs = 12, scratch_epochs = 72;
  // Shrunk or expanded cores: MODEL with its MACs and parameters scaled by the factor, its quality
  // interpolated along its family (--scale resnet50=0.5).
  std::vector<std::pair<std::string, double>> scales;
  std::string catalog_dir, hw_dir;
  // Ranking (issue 15): efficient (default; the cheapest life-cycle CO2e within the tolerance of
  // the best comparable quality) or quality; empty: from the task's objectives, else efficient.
  std::string rank;
  std::optional<double> quality_tolerance;   // default kDefaultQualityTolerance
  std::optional<double> error_tolerance;     // default kDefaultErrorTolerance
  std::optional<double> reference_span;      // default kDefaultReferenceSpan; 0: none
  std::string serve_precision;               // default: the usual runtime's precision, else by device class
  bool anyway = false;                       // suggest for a non-ML or low-confidence task, marked
  std::string latency_budget;                // seconds, or "none"; default: stated or implied
  std::optional<double> queries_per_day, years;  // serving load when the task states none
};

// Quality within this many points (on [0, 1] metrics; this share of the value on others) of the
// best comparable candidate counts as good enough; the man page gives the evidence.
constexpr double kDefaultQualityTolerance = 0.05;
// On a metric where lower is better (WER, CER, perplexity, MSE, relative WQL): within this fraction
// of the best value (0.15: a WER of 3.3 against 2.9). Argued from how Whisper's WER gaps between sizes
// on LibriSpeech carry over to other speech (sml-suggest(1), Ranking), not fitted to any case.
constexpr double kDefaultErrorTolerance = 0.15;
// The band counts from the best comparable candidate that costs at most this many times the
// cheapest candidate within the tolerance of it: an order of magnitude (the man page argues it).
constexpr double kDefaultReferenceSpan = 10;
// Serving load assumed when neither the task nor the flags state one (a convention, not data).
constexpr double kDefaultQueriesPerDay = 1000, kDefaultYears = 1;

Doc suggest(const SuggestOptions& options);

// A readable table of a suggestions/v1 document (--format markdown).
void write_markdown(std::ostream& out, const Doc& suggestions);
// SVG: quality against cost for every candidate with both, the Pareto front marked (cost as the
// ranking uses it: fine-tune, else scratch, CO2e plus serving; MACs when CO2e is missing).
void write_plot(std::ostream& out, const Doc& suggestions);

// `--list models|tasks`: one line per id, the id first, then a summary.
std::vector<std::string> list_models(const std::string& catalog_dir);
std::vector<std::string> list_tasks(const std::string& catalog_dir);

}  // namespace sml::suggest
