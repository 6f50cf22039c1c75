#include <algorithm>
#include <set>

#include "sml/describe/reading.hpp"
#include "task_signatures.hpp"

// What a count or list of classes the writer gives says of the output (reading.hpp).
namespace sml::describe {

using signatures::specific_outputs;

void read_listed_classes(Reading& r, double classes) {
  if (classes < 2) return;
  // A specific output no task makes from what the text names, when it names another input outright
  // ("the posture of a cow as standing, lying or grazing from the collar accelerometer": poses are
  // found in pictures, and the input is a sensor series), names what the classes listed are about:
  // the answer is one of those classes, not that output.
  std::vector<std::string> about;
  for (const auto& [name, v] : r.outputs) {
    if (!specific_outputs().count(name) || name == "speech-present") continue;
    bool takes = false, makes = false, other = false;
    for (const auto& sig : signatures::signatures()) {
      if (sig.output != name) continue;
      makes = true;
      for (const auto& m : sig.inputs) takes |= r.inputs.count(m) && r.inputs.at(m) > 0;
    }
    for (const auto& [m, w] : r.inputs)
      other |= m != "text" && w > 0 && signatures::named_outright(r, m);
    if (makes && !takes && other) about.push_back(name);
  }
  for (const auto& name : about) {
    r.outputs.erase(name);
    r.cues.erase("output: " + name);
  }
  double specific = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name) && name != "speech-present") specific = std::max(specific, v);
  if (classes >= 3 && r.outputs.count("speech-present")) {
    const auto& said = r.cues["output: speech-present"];
    if (std::all_of(said.begin(), said.end(), [](const std::string& w) { return w == "silence" || w == "silent"; })) {
      r.outputs.erase("speech-present");
      r.cues.erase("output: speech-present");
    }
  }
  // "How much interest will a listing get (low, medium or high)": a question of degree answered
  // with one of three or more classes asks for a level, a label, not a quantity.
  if (classes >= 3 && r.outputs.count("number")) {
    auto& said = r.cues["output: number"];
    if (auto at = std::find(said.begin(), said.end(), "how much"); at != said.end()) {
      said.erase(at);
      r.outputs["number"] = std::max(0.0, r.outputs["number"] - 1);
      r.given.push_back("much");  // nor is it a regression's word then
      r.outputs["label"] += 2;  // said as plainly as "classify": the classes are the answer
      r.cues["output: label"].push_back("a degree among the classes listed");
    }
  }
  if (specific >= 1) return;
  r.outputs["label"] += 1;
  r.cues["output: label"].push_back("classes listed or counted");
}

}  // namespace sml::describe
