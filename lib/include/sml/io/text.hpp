// Small string helpers the readers share (ASCII only: our keys, ids and file names are ASCII).
#pragma once
#include <string>
#include <vector>

namespace sml {

std::string to_lower(std::string s);
std::string to_upper(std::string s);
bool ends_with(const std::string& s, const std::string& suffix);
// S cut at every character of SEPARATORS; empty pieces are kept ("a,,b" → a, "", b).
std::vector<std::string> split(const std::string& s, const std::string& separators);
// PARTS with SEPARATOR between them.
std::string join(const std::vector<std::string>& parts, const std::string& separator);
// S as XML character data or an attribute value (JUnit reports, SVG): & < > " escaped, control
// characters XML 1.0 does not allow dropped.
std::string xml_escape(const std::string& s);

}  // namespace sml
