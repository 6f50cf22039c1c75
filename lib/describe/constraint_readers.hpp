// The constraint readers of parse_constraints (constraints.cpp), one file per family. Each reads
// T, the lower-cased statement with number words as digits, and fills what it finds into C
// (evidence in order): they run in the order parse_constraints calls them, and later readers look
// at what earlier ones found, so that order is part of the behaviour.
#pragma once
#include <cctype>
#include <string>

#include "number_text.hpp"
#include "sml/describe/constraints.hpp"

namespace sml::describe {

// Calls FN for each match that starts a word (not the "0" of "B0" or the "1" of "v100").
template <typename F>
void each_match(const std::string& text, const Regex& re, F&& fn) {
  for (auto it = RegexIterator(text.begin(), text.end(), re); it != RegexIterator(); ++it) {
    const auto pos = static_cast<std::size_t>(it->position());
    if (pos > 0 && (std::isalnum(static_cast<unsigned char>(text[pos - 1])) || text[pos - 1] == '.')) continue;
    fn(*it);
  }
}

// constraints_rates.cpp: latency_s, throughput_fps.
void read_rates(const std::string& t, Constraints& c);
// constraints_budgets.cpp: accuracy_min; energy_kwh_max and co2e_kg_max.
void read_accuracy(const std::string& t, Constraints& c);
void read_budgets(const std::string& t, Constraints& c);
// constraints_memory.cpp: memory_bytes.
void read_memory(const std::string& t, Constraints& c);
// The words that name a machine's memory ("16 GB RAM", "4g vram", "32GB of DDR5"), for read_memory and
// the requirement rule (constraints.cpp) alike: one list, so that a size one of them reads the other
// judges the same way.
inline const std::string kMemoryWords =
    R"((ram|memory|vram|flash|sram|dram|ddr\d?|lpddr\d?x?|gddr\d?x?|hbm\d?e?|unified|gpu memory|video memory|graphics memory|system memory))";
// Nouns of data items counted in a data set ("40k photos", "12k labelled clips"), for read_data and
// the class reader alike (a list of them marked is the data tagged, not kinds).
inline const std::string kDataNouns = R"((titles?|items?|products?|calls?|requests?|answers?|responses?|letters?|notes?|reports?|descriptions?|queries|images?|photos?|pictures?|samples?|examples?|rows?|records?|sentences?|documents?|docs|tickets?|reviews?|emails?|x-?rays?|scans?|clips?|recordings?|videos?|utterances?|transactions?|articles?|questions?|pairs?|tweets?|posts?|messages?|crops?|patients?|invoices?|contracts?|papers?|listings?|comments?|dialogues?|conversations?|transcripts?|slides?|entries|spectra|signals?|sequences?|molecules?|graphs?|interactions?|sessions?|orders?|logs?|frames?))";
// constraints_data.cpp: data_bytes, data_hours, data_samples.
void read_data(const std::string& t, Constraints& c);
// constraints_classes.cpp: classes.
void read_classes(const std::string& t, Constraints& c);

}  // namespace sml::describe
