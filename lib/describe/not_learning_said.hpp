#pragma once
// What the writer says that makes a request no learning problem, whatever its words of images,
// text or prediction (not_learning_said.cpp): a model ruled out or put off, a question about the
// right to use something, a test of statistical significance, a piece of an app's interface to
// add, a sheet's cells formatted on a condition, an output the data already carry. Each form is
// one idea, read on any wording; none is a topic's list of words.
#include <string>

#include "sml/describe/reading.hpp"

namespace sml::describe {

// The reason, or "" where none of those is said. TEXT is the statement as read (spelling
// corrected), R its reading; a word of learning (R.learning, "train", "classify", "predict") keeps
// every form but the first two a learning problem.
std::string said_not_learning_reason(const std::string& text, const Reading& r);

}  // namespace sml::describe
