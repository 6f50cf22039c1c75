// The role a word plays in a statement, where a bag of cue words cannot tell: what is made and what
// is given ("images from text prompts" makes images out of text; "a generated image" is given),
// what the scene implies about the input ("on a conveyor belt", "doorbell camera": a camera sees it),
// what a verb asks of a thing ("detect when a person walks up": where it is, boxes), what is
// negated ("no text prompts"), what is compared ("two questions ... the same thing") and which
// languages are a pair to translate rather than the languages the data is in. Each rule adjusts a
// Reading (reading.hpp) and leaves its words in Reading::cues for task.evidence.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sml/describe/reading.hpp"

namespace sml::describe {

// Whether each word of TEXT (split as TaskClassifier::words splits it) is negated: it follows "no",
// "not", "without", "don't", "never" or "nor" in the same clause (up to a comma, full stop, dash,
// "but", "just" or "only"), within six words. A cue that starts with the negation ("no labelled")
// is not itself negated.
std::vector<bool> negated_words(const std::string& text);

// Applies the role rules to R. WORDS as read_statement takes them; NEGATED as negated_words gives
// (may be shorter than WORDS: generalisations appended after the text's words are never negated);
// KINDS maps a word of the text to the general words WordNet gives for it ("squirrel" -> animal).
void read_roles(const std::vector<std::string>& words, const std::vector<bool>& negated,
                const std::map<std::string, std::vector<std::string>>& kinds, Reading& r);

}  // namespace sml::describe
