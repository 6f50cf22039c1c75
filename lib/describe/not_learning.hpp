#pragma once
// Why a statement is not a learning problem (not_learning.cpp).
#include <cmath>
#include <string>

#include "fault_report.hpp"
#include "stated_rule.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/describe/text_task.hpp"

namespace sml::describe {

// The reason, or "" when it is one. R is the statement's reading, BEST the top task, OUTSIDE the
// out-of-scope kind ranked above every task (null if none), RULE and FAULT what stated_rule.hpp and
// fault_report.hpp found. SCORED_LEARNING: the learned scorer reads the text as a request for a model
// more surely than any not-ML statement the word-count rules decline (learning_scorer.hpp's
// ml_log_odds), which then decline nothing.
std::string not_learning_reason(const Reading& r, const TaskGuess& best, const Task* outside, const StatedRule& rule,
                                const FaultReport& fault, bool scored_learning = false);

// Whether R says outright that something is to be learnt: a word of learning ("train",
// "classify", "predict") with an output, or a strong output cue. The learned scorer never declines
// such a statement.
bool clear_learning(const Reading& r);

// The reason the learned scorer gives (learning_scorer.hpp), or "": P, its probability that the
// statement is not a learning problem, at or above THRESHOLD, and nothing in R clearly learning; or
// Z, the same score as log-odds, at or above CLEAR_Z whatever R says.
std::string scored_not_learning_reason(const Reading& r, double p, double threshold, double z = 0, double clear_z = HUGE_VAL);

}  // namespace sml::describe
