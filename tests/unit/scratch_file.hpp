// A file name of this process in the temporary folder, removed when the test binary exits.
// Several checkouts (and ctest's parallel shards of one) may run the unit suite at once on one
// machine: a fixed name lets one process read what another is rewriting, and a name per process
// alone would leave a file behind on every run.
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace testing {

inline std::string scratch_file(const std::string& name) {
  struct Registry {
    std::vector<std::string> paths;
    ~Registry() {
      for (const auto& p : paths) std::remove(p.c_str());
    }
  };
  static Registry registry;
  const std::string path =
      (std::filesystem::temp_directory_path() / ("sml-" + std::to_string(::getpid()) + "-" + name)).string();
  if (std::find(registry.paths.begin(), registry.paths.end(), path) == registry.paths.end())
    registry.paths.push_back(path);
  return path;
}

// A scratch file NAME holding TEXT; its path.
inline std::string written_file(const std::string& name, const std::string& text) {
  const std::string path = scratch_file(name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace testing
