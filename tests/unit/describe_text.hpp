// The task document sml-describe writes for TEXT, for the tests that read whole statements.
#pragma once
#include <string>

#include "sml/describe/describe.hpp"

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
