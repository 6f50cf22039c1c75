#pragma once
// What each task of the catalogue takes and makes, shared by the statement reader (reading.cpp), the
// task scores (task_scores.cpp) and the evidence and modality lines (task_signatures.cpp).
#include <set>
#include <string>
#include <vector>

#include "sml/describe/reading.hpp"

namespace sml::describe::signatures {

struct Signature {
  const char* task;
  std::vector<std::string> inputs;
  std::string output;
  bool required;  // the task makes no sense without its output cue (translation without "translate")
};

// The input modalities and the output each task of the catalogue is about.
const std::vector<Signature>& signatures();
// The signature of task ID, or null for a task outside the catalogue's list (out-of-scope kinds).
const Signature* signature(const std::string& id);
// Outputs that say more than "a label": when one of them is read, a label cue ("label every pixel
// as soil, crop or weed") describes the classes of that output, not a label per item.
const std::set<std::string>& specific_outputs();
// Whether input M was named outright: one of its own cue words of whole weight ("photo", "the
// spreadsheet") was read, not only weak ones or what the role rules infer ("images made with no
// words to follow").
bool named_outright(const Reading& r, const std::string& m);

}  // namespace sml::describe::signatures
