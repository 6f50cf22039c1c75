#pragma once
// A learned score of "is this a learning problem", beside the hand rules of not_learning.cpp.
// The hand rules were tuned set by set and did not carry over to fresh sets (issue 16: untuned
// non-ML rejection 3/7, 9/14, 2/8, 11/18 on heldout-15..18); this is a logistic regression over
// the words of the spelling-corrected statement, their pairs and their WordNet kinds, trained by
// tests/validation/describe/train_learning_scorer.py on named sets (its file says which).
#include <cmath>
#include <map>
#include <string>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace sml::describe {

struct LearningScorer {
  double bias = 0;
  double threshold = 1;  // decline at or above this probability of "not a learning problem"
  // Decline at or above these log-odds even a statement with clear learning evidence
  // (not_learning.hpp's clear_learning); infinite (never) unless the file gives "clear_log_odds".
  // In log-odds, not a probability: it lies where a double's probability is 1 already.
  double clear_log_odds = HUGE_VAL;
  // At or below these log-odds the hand rules that weigh words of IT against words of learning
  // decline nothing (not_learning.hpp); minus infinity (never) unless the file gives "ml_log_odds".
  double ml_log_odds = -HUGE_VAL;
  // The weights by feature, in byte order of the feature (as the file lists them), pointing into
  // TEXT, the file read: some 20,000 of them are read on every run, so none is copied.
  std::shared_ptr<const std::string> text;
  std::vector<std::pair<std::string_view, double>> weights;
  // The probability that FEATURES (learning_features) are those of a request that is not a
  // learning problem.
  double not_learning(const std::vector<std::string>& features) const;
  // The same as log-odds: bias plus the weight of each feature present.
  double log_odds(const std::vector<std::string>& features) const;
};

// Reads catalog/learning-scorer.tsv: '#' comments, then tab-separated lines "sml
// learning-scorer/v1", "bias B", "threshold T" in that order, optionally "clear_log_odds Z" (Z at
// least T's log-odds) and "ml_log_odds M" (M below T's log-odds), and one "FEATURE WEIGHT" a line after them, the features in byte order, each once. A bad line is an InputError naming the file and line.
LearningScorer load_learning_scorer(const std::string& path);

// The scorer's features of READ (the statement with its spelling corrected): its words as
// TaskClassifier::words gives them (numbers as "<num>"), each pair of neighbouring words ("a_b"), and
// the WordNet kinds KINDS found for its words ("k:bird"); sorted, each once.
std::vector<std::string> learning_features(const std::string& read, const std::map<std::string, std::vector<std::string>>& kinds);

}  // namespace sml::describe
