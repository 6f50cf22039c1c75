#pragma once
// A learned score of which task a statement asks for, beside the hand rules (issue 16). The rules
// (cues, roles, BM25 over the task vocabulary) rank every task; rules written from one set's misses
// did not carry over to a fresh set. This is a multinomial naive Bayes over the same features as the
// learned not-ML scorer (learning_features: the corrected words, their pairs and WordNet kinds),
// trained by tests/validation/describe/train_task_scorer.py on named sets (its file says which), that
// re-orders the rules' first few tasks: rules score + weight * log P(task | features).
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sml/describe/text_task.hpp"

namespace sml::describe {

struct TaskScorer {
  double weight = 0;       // on the naive Bayes log posterior, added to the rules' score
  std::size_t candidates = 0;  // how many of the rules' first tasks it may re-order
  std::vector<std::string> tasks;
  std::vector<double> bias, unseen;  // per task: log prior; log P(feature | task) of a feature unseen with it
  // Per feature (byte order, pointing into TEXT): its entries [first, last) in ENTRIES, each a task
  // index and log(1 + count / alpha), the weight over UNSEEN of a feature seen with that task.
  std::shared_ptr<const std::string> text;
  std::vector<std::pair<std::string_view, std::pair<std::size_t, std::size_t>>> features;
  std::vector<std::pair<std::size_t, double>> entries;
  // log P(task | FEATURES) for every task of TASKS (in that order).
  std::vector<double> log_posterior(const std::vector<std::string>& features) const;
  // RANKED (the rules' order, best first, every task) with its first CANDIDATES tasks re-ordered by
  // rules score + weight * log P, the rules' confidences staying with the ranks (the new first task
  // has the first rank's confidence: re-ordering never lowers the top's confidence nor breaks the
  // order of confidences down the list); a task the file does not know
  // keeps its place among them at the lowest log P. Returns the evidence line when the first task
  // changed, else "".
  std::string rerank(std::vector<TaskGuess>& ranked, const std::vector<std::string>& features) const;
};

// Reads catalog/task-scorer.tsv: '#' comments, then tab-separated lines "sml task-scorer/v1",
// "weight W" (W >= 0), "candidates K" (K >= 1), "tasks ID ID ...", "bias B B ..." and "unseen U U
// ..." (one number per task) in that order, and one "FEATURE I:W I:W ..." a line after them (I a task
// index), the features in byte order, each once. A bad line is an InputError naming the file and line.
TaskScorer load_task_scorer(const std::string& path);

}  // namespace sml::describe
