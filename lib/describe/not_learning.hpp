#pragma once
// Why a statement is not a learning problem (not_learning.cpp).
#include <string>

#include "fault_report.hpp"
#include "stated_rule.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/describe/text_task.hpp"

namespace sml::describe {

// The reason, or "" when it is one. R is the statement's reading, BEST the top task, OUTSIDE the
// out-of-scope kind ranked above every task (null if none), RULE and FAULT what stated_rule.hpp and
// fault_report.hpp found.
std::string not_learning_reason(const Reading& r, const TaskGuess& best, const Task* outside, const StatedRule& rule,
                                const FaultReport& fault);

}  // namespace sml::describe
