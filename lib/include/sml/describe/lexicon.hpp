// Words a statement uses that the task vocabulary does not: spelling fixed toward the vocabulary
// (a word WordNet does not know becomes the nearest vocabulary word by letters or by sound), and words generalised to what they are an
// instance of ("thrush" is a bird, "invoice" a document, "burpee" an exercise) through WordNet's
// noun hypernyms (Debian's wordnet-base) and a short curated table for what WordNet lacks.
#pragma once
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sml/io/suggest.hpp"

namespace sml::describe {

struct Correction {
  std::string from, to;
};

class Lexicon {
 public:
  // KNOWN: words (as TaskClassifier::words gives them) that a correction may lead to.
  explicit Lexicon(std::set<std::string> known);
  ~Lexicon();
  // TEXT with misspelt words replaced; each replacement appended to CORRECTIONS. Words in KNOWN,
  // correct English words, capitalised names inside a sentence, and words with digits are kept.
  std::string correct(const std::string& text, std::vector<Correction>& corrections) const;
  // The general words (bird, exercise, document, ...) that WORD is a kind of; empty if none.
  std::vector<std::string> generalise(const std::string& word) const;
  // Whether one of WORD's common noun senses is, some levels up WordNet's hypernyms, one of
  // ANCESTORS (synset words: "person", "organization"); false without WordNet.
  bool is_kind_of(const std::string& word, const std::set<std::string>& ancestors) const;
  // Which of PLACES (WordNet lemmas: "viet_nam", "greece", "new_zealand") NAME is, or is part of
  // through WordNet's part holonyms (Istanbul -> Turkey, Crete -> Greece, Manila -> Philippines);
  // "" if none. PROPER: NAME was capitalised inside a sentence (else every sense must be a name).
  std::string place_of(const std::string& name, bool proper, const std::set<std::string>& places) const;
  // Whether WordNet could be read (without it every word outside the vocabulary is a candidate typo).
  bool has_dictionary() const;
  // The vocabulary word nearest WORD by letters or by sound, within one or two edits; "" if none.
  std::string nearest_known(const std::string& word) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::set<std::string> known_;
};

using sml::typo_distance;  // lib/io/suggest.cpp: one edit distance for ids and words

}  // namespace sml::describe
