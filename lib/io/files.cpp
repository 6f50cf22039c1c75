#include "sml/io/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "sml/io/error.hpp"

namespace sml {

std::string display_name(const std::string& path) {
  return (path.empty() || path == "-") ? "<stdin>" : path;
}

std::string read_input(const std::string& path) {
  if (path.empty() || path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

namespace {
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
}  // namespace

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write,
                  const std::vector<std::string>& protected_paths) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return;
  }
  for (const auto& input : protected_paths)
    if (input == path || same_file(input, path))
      throw UsageError("-o " + path + ": refusing to overwrite an input file");

  // Build everything in memory first: a failure while producing the document leaves no file at all.
  std::ostringstream buffer;
  write(buffer);
  write_output_bytes(path, buffer.str(), protected_paths);
}

void write_output_bytes(const std::string& path, const std::string& data, const std::vector<std::string>& protected_paths) {
  if (path.empty() || path == "-") {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    return;
  }
  for (const auto& input : protected_paths)
    if (input == path || same_file(input, path))
      throw UsageError("-o " + path + ": refusing to overwrite an input file");

  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const mode_t mode = 0666 & ~mask;

  // Write into an unnamed file (O_TMPFILE) so that a process killed while writing leaves nothing
  // behind; it gets a name only once complete. Filesystems without O_TMPFILE get a named one.
  std::string tmp;
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  const bool unnamed = fd >= 0;
  if (!unnamed) {
    std::string tmpl = dir + "/.sml-tmp-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    fd = ::mkstemp(name.data());
    if (fd < 0) throw InputError("-o " + path + ": cannot create a file in " + dir + ": " + std::strerror(errno));
    tmp = name.data();
    ::fchmod(fd, mode);
  }
  auto fail = [&](const char* what) {
    const int e = errno;
    ::close(fd);
    if (!tmp.empty()) ::unlink(tmp.c_str());
    throw InputError("-o " + path + ": " + what + ": " + std::strerror(e));
  };
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync failed");
  if (unnamed) {
    // Give the complete file a name beside the target, then rename it over the target (atomic).
    // The name is fixed per target: a run killed in the microseconds between the two steps leaves
    // it behind, and the next write of the same target replaces it instead of adding another.
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string candidate = dir + "/." + base + ".sml-tmp";
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    for (int attempt = 0; attempt < 3 && tmp.empty(); ++attempt) {
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW) == 0) tmp = candidate;
      else if (errno == EEXIST) ::unlink(candidate.c_str());  // left by a killed run
      else fail("cannot name the written file");
    }
    if (tmp.empty()) fail("cannot name the written file");
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw InputError("-o " + path + ": close failed: " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw InputError("-o " + path + ": cannot rename into place: " + std::strerror(e));
  }
}

}  // namespace sml
