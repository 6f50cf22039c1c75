#pragma once
// The family rules of the statement reader (reading.cpp), split by family as ONNX keeps its operator
// definitions: the context tests a cue must pass where it is read (reading_context.cpp), the phrases
// that say the work is data handling rather than learning (reading_handling.cpp), the phrases that
// name an output beyond single cue words (reading_outputs.cpp), and what a list of classes says
// (reading_classes.cpp). Internal to lib/describe.
#include <cstddef>
#include <string>
#include <vector>

#include "sml/describe/reading.hpp"

namespace sml::describe {

// Whether the text's word W is the cue word C, or C inflected ("sorted" is "sort").
bool inflected(const std::string& w, const std::string& c);
// Whether the cue's words are read at word I of WS.
bool cue_at(const std::vector<std::string>& cue, const std::vector<std::string>& ws, std::size_t i);

namespace reading_rules {

// Context tests, each at the cue read at word I (reading_context.cpp).
bool named_as_input(const std::vector<std::string>& ws, std::size_t i, std::size_t n);
bool vectors_given(const std::vector<std::string>& ws, std::size_t i);
bool made_for_labelling(const std::vector<std::string>& ws, std::size_t j);
bool machine_box(const std::vector<std::string>& ws, std::size_t i);
bool plays_media(const std::vector<std::string>& ws, std::size_t i);
bool made_image(const std::vector<std::string>& ws, std::size_t i);
bool made_voice(const std::vector<std::string>& ws, std::size_t i);
bool synthetic_data(const std::vector<std::string>& ws, std::size_t i);
// Whether the word at J is a verb of turning used as a verb, not a noun ("detect changes to speech").
bool turning_verb(const std::vector<std::string>& ws, std::size_t j);
// Whether the sound at I (speech, audio, voice) is made rather than heard, and whether the picture
// at I is made from a prompt: what comes out, not what goes in.
bool sound_made(const std::vector<std::string>& ws, std::size_t i);
bool made_from_prompt(const std::vector<std::string>& ws, std::size_t i);
bool duration_minute(const std::vector<std::string>& ws, std::size_t i);

// Phrases of data handling (sorting or filing by a field, a query on a field, a document filled
// in from records): not_learning raised, a label or a learning verb taken back (reading_handling.cpp).
void read_data_handling(const std::vector<std::string>& ws, const std::vector<bool>& negated, Reading& r);
// Phrases that name an output or an input beyond single cue words: spoken phrases lasting
// seconds, only normal examples, how many per coming period, handwriting, "which kind it is",
// talking begun or ended, the share of a picture covered, coordinates (reading_outputs.cpp).
void read_output_phrases(const std::vector<std::string>& ws, const std::vector<bool>& negated, Reading& r);

}  // namespace reading_rules
}  // namespace sml::describe
