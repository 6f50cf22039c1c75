// Replays inputs through a fuzz harness's LLVMFuzzerTestOneInput without libFuzzer or sanitizers:
// ROUNDS rounds over the files given, the CPU-s (self + children: fuzz_import forks) of each.
// Built by bench/fuzz_replay.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <sys/resource.h>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t);
// Weak: called before the first round where the harness defines it (as libFuzzer does), so that
// one-time set-up is not counted in round 0.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int*, char***);
static double cpu() {
  rusage s{}, c{};
  getrusage(RUSAGE_SELF, &s); getrusage(RUSAGE_CHILDREN, &c);
  auto t = [](const timeval& v) { return v.tv_sec + v.tv_usec / 1e6; };
  return t(s.ru_utime) + t(s.ru_stime) + t(c.ru_utime) + t(c.ru_stime);
}
int main(int argc, char** argv) {
  int rounds = std::atoi(argv[1]);
  std::vector<std::string> inputs;
  for (int i = 2; i < argc; ++i) { std::ifstream f(argv[i], std::ios::binary); std::ostringstream s; s << f.rdbuf(); inputs.push_back(s.str()); }
  if (LLVMFuzzerInitialize) {
    const double t0 = cpu();
    LLVMFuzzerInitialize(&argc, &argv);
    std::printf("initialise: %.2f CPU-s\n", cpu() - t0);
  }
  for (int r = 0; r < rounds; ++r) {
    double t0 = cpu();
    for (auto& s : inputs) LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    double t = cpu() - t0;
    std::printf("round %d: %zu inputs %.2f CPU-s %.0f exec/CPU-s\n", r, inputs.size(), t, inputs.size() / t);
  }
}
