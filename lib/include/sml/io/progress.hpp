// A progress line on standard error for a slow run (issue 13: "a progress line on stderr for
// anything slower than a second"): silent for a quick run; once the run has taken longer than a
// threshold, a line says what it is doing, and then again at most once a second while that
// changes (a new step, or a step's percentage).
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sml {

// The threshold, in seconds: SML_PROGRESS_AFTER when set (a number >= 0; 0: from the start, which
// the tests use instead of a slow run), else 1.
double progress_after_seconds();

class ProgressLine {
 public:
  // Lines go to SINK (default: standard error, one write each) as "PREFIX: step…".
  ProgressLine(std::string prefix, double after_seconds, std::function<void(const std::string&)> sink = {});
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  // The step now under way ("building bert_base", "writing 440 MB of weights to m.onnx").
  void step(const std::string& what);
  // How far the current step is (bytes or any unit).
  void done(std::uint64_t done, std::uint64_t total);

 private:
  void run();
  std::string line() const;  // under mu_
  std::string prefix_, step_, last_;  // last_: the line said last
  std::function<void(const std::string&)> sink_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::duration<double> after_;
  int percent_ = -1;
  bool stop_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace sml
