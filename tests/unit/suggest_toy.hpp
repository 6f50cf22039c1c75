// sml-suggest over the hand-made catalogue of tests/data (test-gpu trains, region AA): the options
// the suites that reason from the fixtures' numbers start from.
#pragma once
#include <stdexcept>
#include <string>

#include "sml/suggest/suggest.hpp"

inline sml::suggest::SuggestOptions toy_suggest_options(const std::string& task_yaml) {
  const std::string data = SML_TEST_DATA;
  sml::suggest::SuggestOptions o;
  o.task_path = "task.yaml";
  o.task_text = "sml: task/v1\n" + task_yaml;
  o.top = 100;
  o.catalog_dir = data + "/catalog";
  o.hw_dir = data + "/hw";
  o.region = "AA";
  o.train_device = "test-gpu";
  return o;
}

// sml-suggest over the repository's own catalogue and devices, no implied latency budget: the
// suites that check a rule on the real entries (languages, audio windows, frame sizes).
inline sml::suggest::SuggestOptions real_suggest_options(const std::string& task_yaml) {
  const std::string root = std::string(SML_TEST_DATA) + "/../..";
  sml::suggest::SuggestOptions o;
  o.task_path = "task.yaml";
  o.task_text = "sml: task/v1\n" + task_yaml;
  o.top = 500;
  o.catalog_dir = root + "/catalog";
  o.hw_dir = root + "/hw";
  o.latency_budget = "none";
  return o;
}

// The candidate of a suggestion document whose model is ID (a test fails loudly when there is none).
inline const sml::Doc& candidate(const sml::Doc& d, const std::string& id) {
  for (const auto& c : d.find("candidates")->as_list())
    if (c.find("model")->as_string() == id) return c;
  throw std::runtime_error("no candidate " + id);
}
