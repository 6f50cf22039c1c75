#pragma once
// The weights files of sml-describe's learned scorers (catalog/learning-scorer.tsv and
// catalog/task-scorer.tsv, sml-formats(5)): one NAME<tab>VALUE a line, blank lines and '#' comments
// skipped, a CR before the LF tolerated, features sorted by byte order. One reader for both, so the
// two files take the same text and give the same messages.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"

namespace sml::describe {

// "FILE:LINE: ", where a message about line LINE of the weights file PATH points. Built only for an
// error: the files have some 20,000 lines, read on every run (sml-describe's budget is 50 ms a
// statement, and a string per line cost 7 ms).
inline std::string weights_line_at(const std::string& path, std::size_t line) {
  return display_name(path) + ":" + std::to_string(line) + ": ";
}

// Calls ON_LINE(line, name, value) for each NAME<tab>VALUE line of TEXT (the contents of PATH), in
// order, and returns the number of the file's last line. A line that is not one tab between a
// non-empty NAME and a VALUE (non-empty too where VALUE_REQUIRED) is an InputError at its line.
template <class OnLine>
std::size_t for_each_weights_line(const std::string& text, const std::string& path, bool value_required, OnLine&& on_line) {
  std::size_t line = 0;
  for (std::size_t b = 0; b < text.size();) {
    const std::size_t e = std::min(text.find('\n', b), text.size());
    std::string_view l(text.data() + b, e - b);
    b = e + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty() || l[0] == '#') continue;
    const std::size_t tab = l.find('\t');
    if (tab == std::string_view::npos || tab == 0 || (value_required && tab + 1 == l.size()) ||
        l.find('\t', tab + 1) != std::string_view::npos)
      throw InputError(weights_line_at(path, line) + "expected NAME<tab>VALUE, got '" + one_line(std::string(l.substr(0, 60))) + "'");
    on_line(line, l.substr(0, tab), l.substr(tab + 1));
  }
  return line;
}

// The element of SORTED (pairs ordered by their string .first) whose .first is KEY, or SORTED.end().
template <class Sorted>
auto find_by_name(const Sorted& sorted, std::string_view key) {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), key, [](const auto& w, std::string_view k) { return w.first < k; });
  return it != sorted.end() && it->first == key ? it : sorted.end();
}

}  // namespace sml::describe
