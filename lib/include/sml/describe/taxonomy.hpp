// The functional semantic catalogue of tasks (catalog/tasks/*.yaml): what each task is, the
// functional segments a model for it needs, its metrics, and the words people use for it.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace sml::describe {

struct Segment {
  std::string name;
  std::string role;
};

struct Task {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> modalities;
  std::vector<Segment> segments;
  std::vector<std::pair<std::string, std::string>> metrics;  // name, meaning
  std::string data_scale;
  // A typical training-set size for the task (typical_data: {samples, tokens_per_sample, dataset,
  // source, year}), which sml-suggest assumes when a task states none.
  std::optional<double> typical_samples, typical_tokens_per_sample;
  std::string typical_dataset, typical_source;
  std::vector<std::string> vocabulary;
  std::vector<std::string> negatives;
  std::vector<std::string> examples;
  bool out_of_scope = false;  // a kind of request the catalogue does not cover (catalog/out-of-scope.yaml)
  std::string message;        // for those: what fits instead
};

// Reads every *.yaml in DIR; InputError (file:line) for a malformed entry or a duplicate id.
std::vector<Task> load_taxonomy(const std::string& dir);

// The kinds of request that are not ML tasks of the catalogue, as pseudo-tasks to score against.
std::vector<Task> load_out_of_scope(const std::string& path);

}  // namespace sml::describe
