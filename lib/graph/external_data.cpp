#include "sml/graph/external_data.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sml::graph {

ExternalData::ExternalData(const std::string& base_dir) {
  if (base_dir.empty()) return;
  // The folder itself is the user's choice (it may be reached through symlinks); what lies below
  // it comes from the model and is confined.
  dir_fd_ = ::open(base_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) dir_errno_ = errno;
}

ExternalData::~ExternalData() {
  for (auto& [location, file] : files_) ::close(file.fd);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

const ExternalData::File& ExternalData::open(const std::string& location) {
  auto known = files_.find(location);
  if (known != files_.end()) return known->second;
  if (dir_fd_ < 0 && dir_errno_ == 0) throw ExternalDataError{"a model read from stdin cannot refer to external data files"};
  if (location.empty()) throw ExternalDataError{"no location"};
  if (location.front() == '/' || location.find('\\') != std::string::npos || location.find(':') != std::string::npos)
    throw ExternalDataError{"absolute paths are refused (external data must lie in the model's folder)"};
  if (location.find('\0') != std::string::npos) throw ExternalDataError{"the location holds a NUL byte"};
  for (std::size_t start = 0; start <= location.size();) {
    std::size_t end = location.find('/', start);
    if (end == std::string::npos) end = location.size();
    if (location.compare(start, end - start, "..") == 0)
      throw ExternalDataError{"'..' is refused (external data must lie in the model's folder)"};
    start = end + 1;
  }
  if (dir_fd_ < 0) throw ExternalDataError{std::string("cannot open the model's folder: ") + std::strerror(dir_errno_)};
  if (files_.size() >= kMaxFiles)
    throw ExternalDataError{"the model refers to more than " + std::to_string(kMaxFiles) + " external data files"};

  // Walk the components from the folder's descriptor: directories with O_DIRECTORY|O_NOFOLLOW, the
  // file with O_NOFOLLOW|O_NONBLOCK. A symlink anywhere is refused (ELOOP/ENOTDIR), whether it
  // stays inside or not: telling those apart needs a second look at the path, which is a race.
  int at = dir_fd_;
  std::size_t start = 0;
  int fd = -1;
  auto close_at = [&] { if (at != dir_fd_) ::close(at); };
  while (true) {
    std::size_t end = location.find('/', start);
    const bool last = end == std::string::npos;
    if (last) end = location.size();
    const std::string part = location.substr(start, end - start);
    start = end + 1;
    if (part == "..") {
      close_at();
      throw ExternalDataError{"'..' is refused (external data must lie in the model's folder)"};
    }
    if (part.empty() || part == ".") {
      if (last) {
        close_at();
        throw ExternalDataError{"names a folder, not a file"};
      }
      continue;
    }
    const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | (last ? O_NONBLOCK : O_DIRECTORY);
    const int next = ::openat(at, part.c_str(), flags);
    const int e = errno;
    close_at();
    if (next < 0) {
      if (e == ELOOP || (e == ENOTDIR && !last)) {
        // O_NOFOLLOW's ELOOP: the component is a symlink. (ENOTDIR for a directory component:
        // a symlink to a folder, or a plain file.)
        throw ExternalDataError{"'" + part + (last ? "' is a symlink" : "' is a symlink or not a folder") +
                                ": external data must be a regular file inside the model's folder, reached without symlinks"};
      }
      throw ExternalDataError{std::string("cannot open: ") + std::strerror(e)};
    }
    if (last) {
      fd = next;
      break;
    }
    at = next;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw ExternalDataError{"not a regular file (a FIFO, device or folder is refused)"};
  }
  // Back to blocking reads: O_NONBLOCK was only there so that opening a FIFO could not hang.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return files_[location] = File{fd, static_cast<std::int64_t>(st.st_size)};
}

std::int64_t ExternalData::check(const std::string& location, std::int64_t offset, std::int64_t length) {
  const File& f = open(location);
  if (offset < 0) throw ExternalDataError{"offset " + std::to_string(offset) + " is negative"};
  if (length < 0) {
    if (offset > f.size)
      throw ExternalDataError{"offset " + std::to_string(offset) + " lies past the file's " + std::to_string(f.size) + " bytes"};
    return f.size - offset;
  }
  std::int64_t end = 0;
  if (__builtin_add_overflow(offset, length, &end) || end > f.size)
    throw ExternalDataError{"offset " + std::to_string(offset) + " + length " + std::to_string(length) +
                            " runs past the file's " + std::to_string(f.size) + " bytes"};
  return length;
}

std::string ExternalData::read(const std::string& location, std::int64_t offset, std::int64_t length) {
  length = check(location, offset, length);
  const File& f = open(location);
  std::string out(static_cast<std::size_t>(length), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(f.fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ExternalDataError{n == 0 ? std::string("the file was shortened while being read") : std::strerror(errno)};
    done += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace sml::graph
