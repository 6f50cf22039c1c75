// libFuzzer's driver stood in for, so that what a harness does around its inputs (its scratch
// folder, the inputs it saves) is tested in the ordinary build, without the clang fuzz build:
// LLVMFuzzerInitialize with the arguments, as libFuzzer calls it, then LLVMFuzzerTestOneInput on
// each argument that does not start with '-'. With SML_FUZZ_HOST_PAUSE set it then prints
// "paused" and waits to be killed: the paths where libFuzzer leaves by _Exit (a crash, a timeout)
// or is killed, and nothing of the harness's own runs after. (tests/fuzz/test_import_harness.sh)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;
    std::ifstream in(argv[i], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  if (std::getenv("SML_FUZZ_HOST_PAUSE")) {
    std::printf("paused\n");
    std::fflush(stdout);
    while (true) ::pause();
  }
  return 0;
}
