#pragma once
// The cue tables sml-describe reads a statement with (reading.cpp), one file per family:
// cues_inputs.cpp (what goes in), cues_outputs.cpp (what comes out), cues_learning.cpp (words of
// learning and words of IT, arithmetic and office work).
#include <vector>

namespace sml::describe::cues {

// A cue: a word or phrase (compared after TaskClassifier::words) and how strongly it says what it
// says. Weak cues (0.5) are words with a second common sense ("camera" is photos or video, "call"
// is audio or an API call).
struct Cue {
  const char* text;
  double weight;
};
struct CueGroup {
  const char* kind;  // "input" or "output"
  const char* name;
  std::vector<Cue> cues;
};

// What goes in, one group per modality ("input" kind).
const std::vector<CueGroup>& input_groups();
// What comes out, one group per kind of output ("output" kind).
const std::vector<CueGroup>& output_groups();
// Words that something is to be learnt from data.
const std::vector<Cue>& learning_cues();
// Words of IT, arithmetic, planning and office work, which is not learning.
const std::vector<Cue>& office_cues();

}  // namespace sml::describe::cues
