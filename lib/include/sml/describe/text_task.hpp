// Text → task: a deterministic, offline classifier over the taxonomy's vocabulary and example
// statements. Words and phrases are weighted by how specific they are to a task (BM25 over one
// "document" per task); known phrases count as evidence; a word that is not in any vocabulary is
// matched to the nearest vocabulary word within a small edit distance (typos); a task's
// negative phrases count against it. Confidence comes from the score margin and from how much
// evidence there is at all, so a text that fits nothing gets a low one.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sml/describe/taxonomy.hpp"

namespace sml::describe {

struct TaskGuess {
  std::string id;
  double confidence = 0;
  double score = 0;  // the raw score behind the confidence
};

struct TextClassification {
  std::vector<TaskGuess> ranked;        // best first, every task
  std::vector<std::string> evidence;    // phrases and words that led to the best task
};

class TaskClassifier {
 public:
  explicit TaskClassifier(std::vector<Task> tasks);
  TextClassification classify(const std::string& text) const;
  // The same over words already read (spelling fixed, generalisations added), each task's score
  // moved by ADJUST[task id] (reading.hpp); no typo matching of its own.
  TextClassification rank(const std::vector<std::string>& words, const std::map<std::string, double>& adjust) const;
  // Every word of the vocabularies (four letters or more), sorted.
  const std::vector<std::string>& vocabulary_words() const { return vocabulary_words_; }
  const std::vector<Task>& tasks() const { return tasks_; }

  // Lowercase words with plural 's' trimmed; what both sides are compared on.
  static std::vector<std::string> words(const std::string& text);

 private:
  struct Phrase {
    std::vector<std::string> words;
    std::string text;
    std::size_t task;
    double weight;
    bool negative;
  };
  std::vector<Task> tasks_;
  std::vector<Phrase> phrases_;
  std::vector<std::vector<std::pair<std::string, double>>> term_weights_;  // per task: word -> BM25 weight
  std::vector<std::string> vocabulary_words_;                              // every known word, for typos
  std::vector<std::uint64_t> vocabulary_letters_;                          // letter_set of each, same order
};

// The temperature of TaskClassifier's softmax from scores to confidences (task_scorer.cpp rescales
// confidences with it).
double confidence_temperature();

}  // namespace sml::describe
