// libFuzzer harness: the task-text encoder (classifier, constraint and deployment parsers) on
// arbitrary text, and the task/v1 reader behind sml-suggest.
#include <cstdint>
#include <string>

#include "sml/describe/constraints.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/suggest/pipeline.hpp"
#include "sml/suggest/suggest.hpp"

namespace {
const sml::describe::TaskClassifier& classifier() {
  static const sml::describe::TaskClassifier c(sml::describe::load_taxonomy(std::string(SML_SOURCE_DATA_DIR) + "/catalog/tasks"));
  return c;
}

// sml-suggest's catalogues (tasks, models, devices, regions, advice) and the per-layer profiles
// of the models' architectures, read and built once per process: they are not the input, and
// rebuilding them took seconds an input under ASan (fuzz_yaml fuzzes their readers).
const sml::suggest::Catalogues& catalogues() {
  static const sml::suggest::Catalogues c = sml::suggest::load_catalogues(sml::suggest::SuggestOptions{});
  return c;
}
}  // namespace

// Loaded and warmed before the first input, so no input pays (or times out on) the one-time work:
// a suggestion for every task of the catalogue builds every candidate's profile.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)classifier();
  for (const auto& t : catalogues().taxonomy) {
    sml::suggest::SuggestOptions o;
    o.task_path = "warm.yaml";
    o.task_text = "sml: task/v1\ntask: {id: " + t.id + "}\n";
    o.anyway = true;
    try { (void)sml::suggest::suggest(o, catalogues()); } catch (const sml::Error&) {}
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)classifier().classify(text);
  (void)sml::describe::parse_constraints(text);
  sml::describe::KnownNames names;
  names.devices = {{"t4", "nvidia-t4"}, {"raspberry pi 5", "raspberry-pi-5"}};
  names.regions = {{"germany", "DE"}};
  (void)sml::describe::parse_deployment(text, names);
  // sml-suggest, over the catalogues read once: only for inputs that claim to be a task document.
  if (sml::document_kind(text) != "task/v1") return 0;
  sml::suggest::SuggestOptions o;
  o.task_path = "fuzz.yaml";
  o.task_text = text;
  o.top = 3;
  try { (void)sml::suggest::suggest(o, catalogues()); } catch (const sml::Error&) {}
  return 0;
}
