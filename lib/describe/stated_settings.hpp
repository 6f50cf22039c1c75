#pragma once
// What a statement states besides its task: constraints, deployment, objectives and languages
// (split from describe.cpp, which chooses the task and assembles the document).

#include <string>

#include "known_names.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/settings.hpp"
#include "sml/io/doc.hpp"

namespace sml::describe::stated {

std::string without_quotes_and_files(std::string text);
Constraints read_numbers(const std::string& text, const Deployment& d, const KnownNames& names);
void add_settings(Doc& doc, const std::string& text, Deployment d, const Constraints& stated, bool learning = true,
                  bool languages_apply = true);
Constraints with_classes_of(const std::string& task, Constraints c);

}  // namespace sml::describe::stated
