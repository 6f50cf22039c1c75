// Small string helpers the readers share (ASCII only: our keys, ids and file names are ASCII).
#pragma once
#include <string>

namespace sml {

std::string to_lower(std::string s);
std::string to_upper(std::string s);
bool ends_with(const std::string& s, const std::string& suffix);

}  // namespace sml
