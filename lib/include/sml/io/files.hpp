// Reading inputs (a file or stdin) and writing outputs atomically (DESIGN.md §4): a failed run
// never leaves a half-written output and never touches its input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace sml {

// What is read from a stream (stdin, a pipe, a device such as /dev/zero) at most: a stream has no
// size to check before reading. Regular files are read whole.
constexpr std::size_t kStreamLimit = std::size_t(256) << 20;

// Whole contents of PATH, or of stdin when PATH is "-" or empty. Throws InputError naming the path.
std::string read_input(const std::string& path, std::size_t stream_limit = kStreamLimit);

// A name for PATH in messages: "<stdin>" for "-".
std::string display_name(const std::string& path);

// The outputs of one run (-o, --plot, --junit, --emit-hwprofile, external data), committed
// together: add() produces each in full, in memory and then in a hidden temporary file beside its
// target (no name at all where the filesystem has O_TMPFILE); commit() gives each a name of its
// own and renames it over its target. A run that fails before commit() leaves every target as it
// was (the destructor removes what was staged). Two outputs onto one file, or onto an input
// (PROTECTED paths), are refused. A target that exists and is a device or FIFO (/dev/null,
// /proc/self/fd/1 on a pipe) is written through, never replaced; a symlink to a regular file keeps
// the link and replaces the file it names. PATH "-" or empty is stdout, written at commit().
// Where a large output is produced piece by piece (a model and its weights): bytes, and runs of
// zero bytes, which a regular file keeps as holes (no disk blocks on ext4, xfs, btrfs, tmpfs).
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const char* data, std::size_t n) = 0;
  virtual void zeros(std::uint64_t n) = 0;
};

class Outputs {
 public:
  explicit Outputs(std::vector<std::string> protected_paths = {});
  ~Outputs();
  Outputs(const Outputs&) = delete;
  Outputs& operator=(const Outputs&) = delete;
  // FLAG names the option in messages ("-o", "--plot").
  void add(const std::string& path, const std::function<void(std::ostream&)>& write, const std::string& flag = "-o");
  // The same for bytes already complete in memory (a large model: no second copy through a stream).
  void add_bytes(const std::string& path, std::string data, const std::string& flag = "-o");
  // The same, produced straight into the temporary file (stdout and devices: into memory, as they
  // are written only at commit()): no copy of the whole output is held, and zeros become holes.
  void add_stream(const std::string& path, const std::function<void(ByteSink&)>& produce, const std::string& flag = "-o");
  void commit();

 private:
  struct Staged;
  Staged& stage(const std::string& path, const std::string& flag);
  std::vector<std::string> protected_;
  std::vector<Staged> staged_;
};

// One output on its own: Outputs with a single add() and commit().
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write,
                  const std::vector<std::string>& protected_paths = {});
// The same for bytes already complete in memory (large models: no second in-memory copy).
void write_output_bytes(const std::string& path, std::string data, const std::vector<std::string>& protected_paths = {});

}  // namespace sml
