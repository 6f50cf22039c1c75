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
// Length of the valid UTF-8 sequence starting at S[I] (1–4), or 0 when the bytes there are not
// UTF-8 (stray continuation, overlong form, surrogate, past U+10FFFF, cut short).
std::size_t utf8_sequence(const std::string& s, std::size_t i);
// S with every byte that is not valid UTF-8 replaced by U+FFFD, so strict parsers accept it.
std::string utf8_clean(const std::string& s);
// S on one line and safe for a terminal: newlines, tabs, escape sequences and other control
// characters as \n, \t, \x1b…; bytes that are not UTF-8 as \xNN. Messages pass through this
// before reaching stderr, since they quote names taken from files.
std::string one_line(const std::string& s);

}  // namespace sml
