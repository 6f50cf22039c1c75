#include "sml/io/data_path.hpp"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

#include "sml/io/error.hpp"

namespace sml {
namespace {
bool is_dir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
std::string binary_dir() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string p(buf, static_cast<std::size_t>(n));
  return p.substr(0, p.find_last_of('/'));
}
}  // namespace

std::string data_dir(const std::string& subdir, const std::string& flag_value) {
  if (!flag_value.empty()) {
    if (!is_dir(flag_value)) throw InputError("--" + subdir + " " + flag_value + ": not a folder");
    return flag_value;
  }
  std::string tried;
  if (const char* env = std::getenv("SML_DATA_PATH"); env && *env) {
    const std::string p = std::string(env) + "/" + subdir;
    if (is_dir(p)) return p;
    tried += " " + p + " (SML_DATA_PATH)";
  }
  const std::string installed = binary_dir() + "/../share/sml/" + subdir;
  if (is_dir(installed)) return installed;
  tried += " " + installed;
  const std::string source = std::string(SML_SOURCE_DATA_DIR) + "/" + subdir;
  if (is_dir(source)) return source;
  tried += " " + source;
  throw InputError("no " + subdir + "/ data folder found; looked in:" + tried + " (set --" + subdir + " DIR or SML_DATA_PATH)");
}

}  // namespace sml
