// libFuzzer harness: the task-text encoder (classifier, constraint and deployment parsers) on
// arbitrary text, and the task/v1 reader behind sml-suggest.
#include <cstdint>
#include <string>

#include "sml/describe/constraints.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/suggest/suggest.hpp"

namespace {
const sml::describe::TaskClassifier& classifier() {
  static const sml::describe::TaskClassifier c(sml::describe::load_taxonomy(std::string(SML_SOURCE_DATA_DIR) + "/catalog/tasks"));
  return c;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)classifier().classify(text);
  (void)sml::describe::parse_constraints(text);
  sml::describe::KnownNames names;
  names.devices = {{"t4", "nvidia-t4"}, {"raspberry pi 5", "raspberry-pi-5"}};
  names.regions = {{"germany", "DE"}};
  (void)sml::describe::parse_deployment(text, names);
  // sml-suggest reads the whole catalogue per call: only for inputs that claim to be a task document.
  if (sml::document_kind(text) != "task/v1") return 0;
  sml::suggest::SuggestOptions o;
  o.task_path = "fuzz.yaml";
  o.task_text = text;
  o.top = 3;
  try { (void)sml::suggest::suggest(o); } catch (const sml::Error&) {}
  return 0;
}
