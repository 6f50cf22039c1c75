// One catalogue figure (DESIGN.md §5): a value with its source and year, or null with the reason.
// Kept apart from the YAML reader so that headers describing data need not pull in yaml-cpp.
#pragma once
#include <optional>
#include <string>

namespace sml {

struct Figure {
  std::optional<double> value;
  std::string source;
  int year = 0;
  std::string reason;  // why the value is null
};

}  // namespace sml
