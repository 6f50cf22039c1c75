// "Did you mean …": the known ids nearest to an unknown one (edit distance), for messages.
#pragma once
#include <string>
#include <vector>

namespace sml {

std::size_t edit_distance(const std::string& a, const std::string& b);

// Up to MAX known ids closest to WANTED (substring matches first), comma-separated.
std::string nearest(const std::string& wanted, const std::vector<std::string>& known, std::size_t max = 3);

}  // namespace sml
