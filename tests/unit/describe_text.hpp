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
