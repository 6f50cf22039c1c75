// External data of an ONNX model (DESIGN.md §5), read confined to the model's folder. One reader
// serves sml-estimate (lib/graph) and sml-compose --import (lib/compose), so both refuse the same
// files. Each file is opened once, component by component from the folder's descriptor with
// O_NOFOLLOW (no symlink, no '..', no absolute path: nothing can lead out), without blocking (a FIFO
// cannot hang the tool), and checked to be a regular file; its bytes are then read from that one
// descriptor, so swapping the path afterwards changes nothing (no time-of-check/time-of-use gap).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace sml::graph {

// Thrown for a location or range that is refused; WHAT says why, without the tensor's name.
struct ExternalDataError {
  std::string what;
};

class ExternalData {
 public:
  // BASE_DIR: the model's folder, opened now. Empty (a model from stdin) refuses every location.
  explicit ExternalData(const std::string& base_dir);
  ~ExternalData();
  ExternalData(const ExternalData&) = delete;
  ExternalData& operator=(const ExternalData&) = delete;

  // Checks that LOCATION names a regular file inside the folder and that [OFFSET, OFFSET+LENGTH)
  // lies within it (checked arithmetic). LENGTH < 0 means "to the end". Returns the range's length.
  std::int64_t check(const std::string& location, std::int64_t offset, std::int64_t length);
  // The bytes of that range, read from the descriptor check() opened.
  std::string read(const std::string& location, std::int64_t offset, std::int64_t length);

  // More distinct files than this in one model is refused (descriptors are kept open).
  static constexpr std::size_t kMaxFiles = 512;

 private:
  struct File {
    int fd = -1;
    std::int64_t size = 0;
  };
  const File& open(const std::string& location);
  int dir_fd_ = -1;
  int dir_errno_ = 0;
  std::map<std::string, File> files_;
};

}  // namespace sml::graph
