// Reading inputs (a file or stdin) and writing outputs atomically (DESIGN.md §4): a failed run
// never leaves a half-written output and never touches its input.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace sml {

// Whole contents of PATH, or of stdin when PATH is "-" or empty. Throws InputError naming the path.
std::string read_input(const std::string& path);

// A name for PATH in messages: "<stdin>" for "-".
std::string display_name(const std::string& path);

// Writes what WRITE produces to PATH through a temporary file in the same folder, renamed over
// PATH only when WRITE returned normally and everything reached the disk. PATH "-" or empty
// writes to stdout. Refuses to write onto any of the PROTECTED paths (the tool's inputs).
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write,
                  const std::vector<std::string>& protected_paths = {});
// The same for bytes already complete in memory (large models: no second in-memory copy).
void write_output_bytes(const std::string& path, const std::string& data, const std::vector<std::string>& protected_paths = {});

}  // namespace sml
