#include "sml/io/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace sml {

double progress_after_seconds() {
  const char* env = std::getenv("SML_PROGRESS_AFTER");
  if (!env || !*env) return 1.0;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  return (end && *end == '\0' && v >= 0) ? v : 1.0;  // a malformed value: the default, not an error
}

ProgressLine::ProgressLine(std::string prefix, double after_seconds, std::function<void(const std::string&)> sink)
    : prefix_(std::move(prefix)), sink_(std::move(sink)), start_(std::chrono::steady_clock::now()), after_(std::min(after_seconds, 1e6)) {  // 1e6: no clock overflow
  if (!sink_)
    sink_ = [](const std::string& s) {
      // One write per line: the tool's own messages from the main thread do not cut into it.
      const ssize_t ignored = ::write(2, s.data(), s.size());
      (void)ignored;
    };
  thread_ = std::thread([this] { run(); });
}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProgressLine::step(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  step_ = what;
  percent_ = -1;
  // Past the threshold a new step is said at once, from here: not late, and never skipped when it
  // ends before the thread wakes.
  if (std::chrono::steady_clock::now() - start_ >= after_) {
    last_ = line();
    sink_(last_);
  }
}

void ProgressLine::done(std::uint64_t done, std::uint64_t total) {
  std::lock_guard<std::mutex> lock(mu_);
  percent_ = total ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 100;
}

std::string ProgressLine::line() const {
  std::string s = prefix_ + ": " + step_;
  if (percent_ >= 0) s += ": " + std::to_string(percent_) + "%";
  else s += "\xe2\x80\xa6";  // an ellipsis: under way
  return s + '\n';
}

void ProgressLine::run() {
  std::unique_lock<std::mutex> lock(mu_);
  // Nothing until the threshold (a quick run ends first and says nothing).
  if (cv_.wait_until(lock, start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(after_), [&] { return stop_; }))
    return;
  // Then, once a second, the step and its percentage when they changed.
  while (!stop_) {
    if (!step_.empty() && line() != last_) {
      last_ = line();
      sink_(last_);
    }
    cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; });
  }
}

}  // namespace sml
