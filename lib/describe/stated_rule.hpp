#pragma once
// Whether a request states the rule that gives its output (stated_rule.cpp).
#include <string>
#include <vector>

namespace sml::describe {

// A learning problem is one where the mapping from input to output is to be found from examples.
// A request that itself states that mapping - a condition on a stated value ("any reading over
// 8 °C"), a keyword to look for ("contains 'refund'"), a key two records share ("the same VAT
// number"), arithmetic on named quantities ("order date plus handling days plus transit days"),
// named fields read from a self-describing file (JSON, XML), a lookup by a field ("find them by
// title or author"), a clock time or a reported state that triggers an action - needs a script, a
// query or a scheduler, whatever words of prediction, "AI" or "smart" it uses. Such a statement is
// read as a rule only when it offers nothing to learn from (no history, labelled examples or words
// of learning): "learn from a year of disk metrics when each disk will fill" is a forecast even
// beside a threshold.
struct StatedRule {
  double weight = 0;                  // the rule's forms found, 1-2 each
  std::vector<std::string> evidence;  // the text of each form, as read
  bool examples = false;              // something to learn from is named (history, labels, "learn")
  bool set_aside = false;             // the rule is named as what the writer wants replaced ("instead of")
  bool formula = false;               // one form is arithmetic that computes the output value itself
};

// Reads TEXT (the statement after spelling correction, any case).
StatedRule read_stated_rule(const std::string& text);

// The weight at which stated forms make a rule: two weak forms or one strong one.
constexpr double kStatedRule = 2;

}  // namespace sml::describe
