// The task document sml-describe writes for TEXT, for the tests that read whole statements.
#pragma once
#include <string>
#include <vector>

#include "sml/describe/describe.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/text_task.hpp"

inline sml::Doc describe_statement(const std::string& text) {
  sml::describe::DescribeOptions o;
  o.text = text;
  o.source_name = "test";
  return sml::describe::describe_text(o);
}

// One field of that document as text or as a number; "" or 0 where the reader left it unset.
inline std::string text_of(const std::string& statement, const char* path) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path(path);
  return v && !v->is_null() ? v->as_string() : "";
}
inline double number_of(const std::string& statement, const char* path) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path(path);
  return v && !v->is_null() ? v->as_number().value_or(0.0) : 0.0;
}

// Whether sml-describe declines TEXT as no learning problem (task: null).
inline bool declined(const std::string& text) { return describe_statement(text).path("task")->is_null(); }

// The task id sml-describe gives STATEMENT; "" where it declines it (task: null).
inline std::string task_of(const std::string& statement) { return text_of(statement, "task.id"); }

// The strings of the list at PATH in STATEMENT's description, in its order; empty where it has none.
inline std::vector<std::string> list_of(const std::string& statement, const char* path) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path(path);
  std::vector<std::string> out;
  if (v && v->is_list())
    for (const auto& item : v->as_list()) out.push_back(item.as_string());
  return out;
}

// How the task reader reads STATEMENT's words (no negation), and the weight it gives output or
// input kind K ("image-out", "audio", ...); 0 where it saw none.
inline sml::describe::Reading reading_of(const std::string& statement) {
  return sml::describe::read_statement(sml::describe::TaskClassifier::words(statement));
}
inline double output(const sml::describe::Reading& r, const char* k) { return r.outputs.count(k) ? r.outputs.at(k) : 0.0; }
inline double input(const sml::describe::Reading& r, const char* k) { return r.inputs.count(k) ? r.inputs.at(k) : 0.0; }
