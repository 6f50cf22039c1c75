#include "sml/io/files.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <new>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "sml/io/error.hpp"

namespace sml {

std::string display_name(const std::string& path) {
  return (path.empty() || path == "-") ? "<stdin>" : path;
}

namespace {

// Reads FD to its end, refusing more than LIMIT bytes (a stream has no size to check first).
std::string read_stream(int fd, const std::string& name, std::size_t limit) {
  std::string out;
  char block[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(name + ": read failed: " + std::strerror(errno));
    if (n == 0) return out;
    if (out.size() + static_cast<std::size_t>(n) > limit)
      throw InputError(name + ": more than " + std::to_string(limit >> 20) + " MiB from a stream (give a file instead)");
    out.append(block, static_cast<std::size_t>(n));
  }
}

}  // namespace

std::string read_input(const std::string& path, std::size_t stream_limit) {
  if (path.empty() || path == "-") return read_stream(0, "<stdin>", stream_limit);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw InputError(path + ": cannot read: " + std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(path + ": is a folder, not a file");
  }
  try {
    // A regular file may be as large as it is (its size was the user's choice); a device or pipe
    // (/dev/zero, a FIFO) is capped like stdin.
    std::string out = read_stream(fd, path, S_ISREG(st.st_mode) ? std::string().max_size() : stream_limit);
    ::close(fd);
    return out;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

namespace {

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

std::string base_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Where PATH lands, for telling two outputs apart: the resolved folder and the name in it.
std::string landing_of(const std::string& path) {
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real)) return real;
  if (::realpath(folder_of(path).c_str(), real)) return std::string(real) + "/" + base_of(path);
  return path;
}

void write_all(int fd, const std::string& data, const std::string& flag, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(flag + " " + path + ": write failed: " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

struct Outputs::Staged {
  enum Kind { kStdout, kThrough, kFile } kind = kFile;
  std::string flag, path;   // as given, for messages
  std::string target;       // what is renamed over (a symlink's target, resolved)
  std::string landing;      // for refusing two outputs onto one file
  std::string data;         // kStdout, kThrough
  int fd = -1;              // kFile: the written temporary file
  std::string tmp;          // kFile: its name, once it has one
};

Outputs::Outputs(std::vector<std::string> protected_paths) : protected_(std::move(protected_paths)) {}

Outputs::~Outputs() {
  for (auto& s : staged_) {
    if (s.fd >= 0) ::close(s.fd);
    if (!s.tmp.empty()) ::unlink(s.tmp.c_str());
  }
}

void Outputs::add(const std::string& path, const std::function<void(std::ostream&)>& write, const std::string& flag) {
  // Build everything in memory first: a failure while producing the document leaves no file at all.
  std::ostringstream buffer;
  write(buffer);
  add_bytes(path, buffer.str(), flag);
}

Outputs::Staged& Outputs::stage(const std::string& path, const std::string& flag) {
  Staged s;
  s.flag = flag;
  s.path = path;
  const bool to_stdout = path.empty() || path == "-";
  s.kind = to_stdout ? Staged::kStdout : Staged::kFile;
  if (!to_stdout) {
    for (const auto& input : protected_)
      if (input == path || same_file(input, path))
        throw UsageError(flag + " " + path + ": refusing to overwrite an input file");
    s.landing = landing_of(path);
    s.target = path;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) throw InputError(flag + " " + path + ": is a folder");
      if (S_ISREG(st.st_mode)) {
        // Through a symlink: replace the file it names, keep the link (as cp does).
        s.target = s.landing;
      } else if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        // A device or a pipe (/dev/null, a FIFO, /proc/self/fd/1): written through, as shell
        // redirection does, never replaced by a regular file.
        s.kind = Staged::kThrough;
      } else {
        throw InputError(flag + " " + path + ": exists and is neither a regular file, a device nor a FIFO");
      }
    } else {
      struct stat lst {};
      if (::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
        throw InputError(flag + " " + path + ": is a symlink to a missing file");
    }
  }
  for (const auto& other : staged_) {
    if (to_stdout && other.kind == Staged::kStdout)
      throw UsageError(flag + " -: " + other.flag + " already writes to stdout");
    if (!to_stdout && other.kind != Staged::kStdout && other.landing == s.landing)
      throw UsageError(flag + " " + path + ": " + other.flag + " " + other.path + " writes the same file");
  }

  if (s.kind != Staged::kFile) {
    staged_.push_back(std::move(s));
    return staged_.back();
  }
  const std::string dir = folder_of(s.target);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const mode_t mode = 0666 & ~mask;
  // An unnamed file (O_TMPFILE): a process killed while writing leaves nothing behind; it gets a
  // name only at commit. Filesystems without O_TMPFILE get a named one (mkstemp: unique).
  s.fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  if (s.fd < 0) {
    std::string tmpl = dir + "/." + base_of(s.target) + ".sml-tmp-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    s.fd = ::mkstemp(name.data());
    if (s.fd < 0) throw InputError(flag + " " + path + ": cannot create a file in " + dir + ": " + std::strerror(errno));
    s.tmp = name.data();
    ::fchmod(s.fd, mode);
  }
  staged_.push_back(std::move(s));  // from here the destructor cleans up
  return staged_.back();
}

void Outputs::add_bytes(const std::string& path, std::string data, const std::string& flag) {
  Staged& f = stage(path, flag);
  if (f.kind != Staged::kFile) {
    f.data = std::move(data);
    return;
  }
  write_all(f.fd, data, flag, path);
  if (::fsync(f.fd) != 0) throw InputError(flag + " " + path + ": fsync failed: " + std::strerror(errno));
}

namespace {

// Collects a streamed output in memory (stdout and devices are written only at commit).
class StringSink : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void write(const char* data, std::size_t n) override { out_.append(data, n); }
  void zeros(std::uint64_t n) override { out_.append(static_cast<std::size_t>(n), '\0'); }

 private:
  std::string& out_;
};

// Writes into a file through one buffer; long runs of zeros are skipped, so they become holes,
// and the file is given its full length at the end (a trailing hole has no bytes written).
// A large output (more than one buffer) is written with O_DIRECT where the filesystem allows it:
// the kernel's copy of every byte into the page cache was most of the CPU time of writing a
// gigabyte of weights (issue 13), and the file is fsync'ed before it is named anyway. For that,
// the buffer starts at a 4 KiB-aligned offset and is written in whole 4 KiB blocks: it is padded
// with the zeros of the hole that follows it (or, at the end, with zeros the final ftruncate cuts
// off), and after a hole it starts with the hole's last zeros.
class FileSink : public ByteSink {
 public:
  FileSink(int fd, const std::string& flag, const std::string& path)
      : fd_(fd), flag_(flag), path_(path), buffer_(static_cast<char*>(std::aligned_alloc(kAlign, kBuffer + kAlign))) {
    if (!buffer_) throw std::bad_alloc();
  }
  ~FileSink() override { std::free(buffer_); }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  void write(const char* data, std::size_t n) override {
    while (n > 0) {
      const std::size_t k = std::min(n, kBuffer - used_);
      std::memcpy(buffer_ + used_, data, k);
      used_ += k, data += k, n -= k, size_ += k;
      if (used_ == kBuffer) flush(false);
    }
  }
  void zeros(std::uint64_t n) override {
    if (n < kHole) {
      while (n > 0) {
        const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, kBuffer - used_));
        std::memset(buffer_ + used_, 0, k);
        used_ += k, n -= k, size_ += k;
        if (used_ == kBuffer) flush(false);
      }
      return;
    }
    const std::size_t pad = (kAlign - used_ % kAlign) % kAlign;  // n >= kHole > kAlign: the pad is the hole's
    std::memset(buffer_ + used_, 0, pad);
    used_ += pad;
    flush(true);
    size_ += n;
    base_ = size_ / kAlign * kAlign;
    used_ = static_cast<std::size_t>(size_ - base_);  // the hole's last zeros, up to where data resumes
    std::memset(buffer_, 0, used_);
  }
  void finish() {
    const std::size_t pad = direct_ ? (kAlign - used_ % kAlign) % kAlign : 0;  // cut off by the ftruncate below
    std::memset(buffer_ + used_, 0, pad);
    used_ += pad;
    flush(true);
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) fail("cannot set the file's length");
  }

 private:
  static constexpr std::size_t kAlign = 4096, kBuffer = std::size_t(8) << 20;
  static constexpr std::uint64_t kHole = 64 << 10;  // shorter zero runs are written: a hole saves whole blocks only
  // Writes the buffer at base_ (ALL: every byte; else whole blocks, the rest moved to the front).
  void flush(bool all) {
    if (!tried_direct_ && used_ == kBuffer) {  // the first full buffer: a large output
      tried_direct_ = true;
      const int flags = ::fcntl(fd_, F_GETFL);
      direct_ = flags >= 0 && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
    }
    const std::size_t n = all ? used_ : used_ / kAlign * kAlign;
    put(buffer_, n, base_);
    base_ += n;
    used_ -= n;
    std::memmove(buffer_, buffer_ + n, used_);
  }
  void put(const char* data, std::size_t n, std::uint64_t at) {
    std::size_t done = 0;
    while (done < n) {
      const ssize_t k = ::pwrite(fd_, data + done, n - done, static_cast<off_t>(at + done));
      if (k < 0 && errno == EINTR) continue;
      if (k < 0 && errno == EINVAL && direct_) {  // the filesystem refuses this direct write: buffered from here
        direct_ = false;
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_DIRECT);
        continue;
      }
      if (k < 0) fail("write failed");
      done += static_cast<std::size_t>(k);
    }
  }
  [[noreturn]] void fail(const char* what) { throw InputError(flag_ + " " + path_ + ": " + what + ": " + std::strerror(errno)); }
  int fd_;
  const std::string& flag_;
  const std::string& path_;
  char* buffer_;
  std::size_t used_ = 0;      // bytes in the buffer, which starts at file offset base_
  std::uint64_t base_ = 0, size_ = 0;
  bool tried_direct_ = false, direct_ = false;
};

}  // namespace

void Outputs::add_stream(const std::string& path, const std::function<void(ByteSink&)>& produce, const std::string& flag) {
  Staged& f = stage(path, flag);
  if (f.kind != Staged::kFile) {
    StringSink sink(f.data);
    produce(sink);
    return;
  }
  FileSink sink(f.fd, f.flag, f.path);
  produce(sink);
  sink.finish();
  if (::fsync(f.fd) != 0) throw InputError(flag + " " + path + ": fsync failed: " + std::strerror(errno));
}

void Outputs::commit() {
  // Streams and devices first: they cannot be taken back, so if one fails nothing is renamed.
  for (auto& s : staged_) {
    if (s.kind == Staged::kStdout) {
      std::cout.write(s.data.data(), static_cast<std::streamsize>(s.data.size()));
      std::cout.flush();
      if (!std::cout) throw InputError("writing to stdout failed");
    } else if (s.kind == Staged::kThrough) {
      // O_NONBLOCK: a FIFO nobody reads is refused (ENXIO) rather than waited on forever.
      const int fd = ::open(s.path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
      if (fd < 0)
        throw InputError(s.flag + " " + s.path + ": cannot write through: " +
                         (errno == ENXIO ? std::string("a FIFO with no reader") : std::strerror(errno)));
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      try {
        write_all(fd, s.data, s.flag, s.path);
      } catch (...) {
        ::close(fd);
        throw;
      }
      ::close(fd);
    }
  }
  // Then name each written file (a name of its own: concurrent runs never share one) and rename
  // it over its target; the last rename wins.
  static std::mt19937_64 rng(std::random_device{}() ^ static_cast<std::uint64_t>(::getpid()));
  for (auto& s : staged_) {
    if (s.kind != Staged::kFile) continue;
    auto fail = [&](const std::string& what, int e) {
      throw InputError(s.flag + " " + s.path + ": " + what + ": " + std::strerror(e));
    };
    if (s.tmp.empty()) {
      const std::string proc = "/proc/self/fd/" + std::to_string(s.fd);
      for (int attempt = 0; s.tmp.empty(); ++attempt) {
        char suffix[32];
        std::snprintf(suffix, sizeof suffix, "%d-%016llx", static_cast<int>(::getpid()), static_cast<unsigned long long>(rng()));
        const std::string candidate = folder_of(s.target) + "/." + base_of(s.target) + ".sml-tmp-" + suffix;
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW) == 0) s.tmp = candidate;
        else if (errno != EEXIST || attempt > 8) fail("cannot name the written file", errno);
      }
    }
    const int fd = s.fd;
    s.fd = -1;
    if (::close(fd) != 0) fail("close failed", errno);
    if (::rename(s.tmp.c_str(), s.target.c_str()) != 0) fail("cannot rename into place", errno);
    s.tmp.clear();
  }
  staged_.clear();
}

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write,
                  const std::vector<std::string>& protected_paths) {
  Outputs outputs(protected_paths);
  outputs.add(path, write);
  outputs.commit();
}

void write_output_bytes(const std::string& path, std::string data, const std::vector<std::string>& protected_paths) {
  Outputs outputs(protected_paths);
  outputs.add_bytes(path, std::move(data));
  outputs.commit();
}

}  // namespace sml
