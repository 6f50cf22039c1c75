// Profiles a model and, for comparison, parses it with protobuf (libonnx's ModelProto), each in
// its own child process so that wall time and peak resident memory are measured separately.
// Prints figures; never passes or fails on them (timing belongs here, not in tests).
//
//   build/bench/profile_bench MODEL.onnx [repeats]
#include <onnx/onnx_pb.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"

namespace {

struct Run {
  double seconds;
  long max_rss_kib;
};

// Runs WORK in a child; returns its wall time and peak RSS (from wait4's rusage).
Run measure(const std::function<int()>& work) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) _exit(work());
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::fprintf(stderr, "child failed (status %d)\n", status);
  return {s, usage.ru_maxrss};
}

Run best_of(int repeats, const std::function<int()>& work) {
  Run best{1e9, 0};
  for (int i = 0; i < repeats; ++i) {
    Run r = measure(work);
    best.seconds = std::min(best.seconds, r.seconds);
    best.max_rss_kib = std::max(best.max_rss_kib, r.max_rss_kib);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: profile_bench MODEL.onnx [repeats]\n");
    return 2;
  }
  const std::string path = argv[1];
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  double macs = 0;
  const Run empty = best_of(repeats, [] { return 0; });  // the cost of fork alone
  const Run ours = best_of(repeats, [&] {
    const auto model = sml::graph::load_model(path);
    const auto p = sml::cost::profile_model(model, {});
    return p.macs > 0 ? 0 : 1;
  });
  const Run parse = best_of(repeats, [&] {
    std::ifstream in(path, std::ios::binary);
    onnx::ModelProto m;
    return m.ParseFromIstream(&in) ? 0 : 1;
  });
  {
    const auto model = sml::graph::load_model(path);
    macs = sml::cost::profile_model(model, {}).macs;
  }
  std::printf("model: %s (MACs %.0f)\n", path.c_str(), macs);
  std::printf("%-28s %10s %14s\n", "", "wall s", "peak RSS MiB");
  std::printf("%-28s %10.3f %14.1f\n", "fork only (baseline)", empty.seconds, empty.max_rss_kib / 1024.0);
  std::printf("%-28s %10.3f %14.1f\n", "sml load + profile", ours.seconds, ours.max_rss_kib / 1024.0);
  std::printf("%-28s %10.3f %14.1f\n", "protobuf ParseFromIstream", parse.seconds, parse.max_rss_kib / 1024.0);
  std::printf("ratio (ours / parse): time %.3f, peak memory %.3f\n", ours.seconds / parse.seconds,
              static_cast<double>(ours.max_rss_kib) / static_cast<double>(parse.max_rss_kib));
  return 0;
}
