// libFuzzer harness (issue 20): arbitrary bytes as a model file in a folder that holds the traps
// of external data — a symlink to a file outside, a symlinked folder, a FIFO, a regular file —
// read by sml-estimate's loader and profiler (functions expanded) and by sml-compose --import's
// reader, shape inference and checker (libonnx runs in a child process). Clear errors
// (sml::Error) are the expected outcome for bad input; anything else is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "sml/compose/onnx_model.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"
#include "scratch_dir.hpp"

namespace {

// The folder, made once per process: model.onnx is rewritten for every input.
std::string folder() {
  static const std::string dir = [] {
    const std::string root = make_scratch_dir("sml-fuzz-import");
    const std::string model = root + "/model";
    ::mkdir(model.c_str(), 0700);
    std::ofstream(root + "/secret.bin") << std::string(4096, 's');
    std::ofstream(model + "/weights.bin") << std::string(4096, '\0');
    ::mkdir((model + "/sub").c_str(), 0700);
    std::ofstream(model + "/sub/w.bin") << std::string(4096, '\1');
    (void)::symlink("../secret.bin", (model + "/link.bin").c_str());
    (void)::symlink("..", (model + "/up").c_str());
    (void)::symlink("weights.bin", (model + "/alias.bin").c_str());
    (void)::mkfifo((model + "/fifo.bin").c_str(), 0600);
    return model;
  }();
  return dir;
}

}  // namespace

// libonnx's children are forked from a small server made now, not from this process, which ASan
// and libFuzzer grow to ~700 MB: fork() of it (page tables, then copy-on-write faults) was most
// of an input's cost. Each model still gets a fresh child, so a libonnx crash stays contained.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)folder();
  sml::compose::start_libonnx_server();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = folder() + "/model.onnx";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto model = sml::graph::load_model(path);
    (void)sml::cost::profile_model(model, sml::graph::InferOptions{});
  } catch (const sml::Error&) {
  }
  try {
    auto m = sml::compose::read_onnx(path);
    (void)sml::compose::check_onnx(m, false);
  } catch (const sml::Error&) {
  }
  return 0;
}
