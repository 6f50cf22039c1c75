// What a problem statement says matters (objectives), which languages it is in or into, and the
// places it names by adjective or city ("German servers", "in Frankfurt"): the parts of task/v1
// that steer sml-suggest beyond the task itself (DESIGN.md §7).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sml::describe {

// accuracy, cost, latency, privacy, offline: each at most once, in the writer's order of
// importance ("accuracy over speed" puts accuracy first; otherwise the order they are mentioned).
// LATENCY_BUDGET_S: the time per answer the text states (constraints.latency_s), if any; a speed
// word denied beside a budget of a minute or less is no batch job.
std::vector<std::string> parse_objectives(const std::string& text, std::optional<double> latency_budget_s = std::nullopt);

struct Languages {
  std::vector<std::string> source, target;  // ISO 639-1 codes
  // How many languages the writer says the system works across ("between about 30 languages",
  // "from English into 9 languages" = 10), when a number is given; 0 when none is.
  double count = 0;
};
// "from German to English" / "into Japanese and Korean" / "Spanish audio": source and target
// languages. Without a translation phrase every named language is a source language; a language
// its readers read, when the text is in another ("our agronomists only read English", "for
// English readers"), is the target.
Languages parse_languages(const std::string& text);
// Whether WORD (lower case) is a language name parse_languages knows ("english", "polish").
bool is_language_name(const std::string& word);

// TEXT with each language name that is also an ordinary English word (WordNet knows "polish",
// "french" and "welsh" as verbs) blanked where it is written in lower case with nothing making it
// the language or the country: "polish the text", "our polish workers" name neither Poland nor
// Polish. A capital ("Polish workers"), a language context ("in polish", "translate English to
// polish", "polish and czech", "polish speakers") or the country named ("poland") keeps it.
// The language, country-adjective and place readers read this text.
std::string without_lowercase_word_names(const std::string& text);

// Lowercase place phrases -> ISO 3166 region id: cities with data centres, and country adjectives
// followed by a word that makes them a place ("german servers", "a french data centre").
std::vector<std::pair<std::string, std::string>> place_names();
// The country of an adjective that describes people or a body within the next three words ("our
// Portuguese field sales reps", "the Danish maritime authority"); WHO says whether a word names
// people, an organisation or a group (WordNet's person, organization, social group). After "in",
// "on", "at", "for" or "across" ("for Belgian urban gardens"), WHERE says whether a word names a
// place the work is about (a location or structure); without WHERE, only WHO's form counts.
std::optional<std::string> region_by_adjective(const std::string& text, const std::function<bool(const std::string&)>& who,
                                               const std::function<bool(const std::string&)>& where = nullptr);

}  // namespace sml::describe
