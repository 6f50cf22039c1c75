// Where the data folders (catalog/, hw/) are, first match wins (DESIGN.md §4):
// the flag (--catalog DIR / --hw DIR); SML_DATA_PATH (one folder holding catalog/ and hw/);
// <binary>/../share/sml (installed); the source tree the binary was built from.
#pragma once
#include <string>

namespace sml {

// SUBDIR is "catalog" or "hw"; FLAG_VALUE is the flag's value (empty when not given).
// Throws InputError naming every place looked at when none holds SUBDIR.
std::string data_dir(const std::string& subdir, const std::string& flag_value);

}  // namespace sml
