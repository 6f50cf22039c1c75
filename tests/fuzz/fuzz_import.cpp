// libFuzzer harness (issue 20): arbitrary bytes as a model file in a folder that holds the traps
// of external data — a symlink to a file outside, a symlinked folder, a FIFO, a regular file —
// read by sml-estimate's loader and profiler (functions expanded) and by sml-compose --import's
// reader, shape inference and checker (libonnx runs in a child process). Clear errors
// (sml::Error) are the expected outcome for bad input; anything else is a finding. An input that
// crashes libonnx in its child is refused (the harness goes on) and saved as
// <artifact_prefix>crash-libonnx-<hash> (libonnx crashes contained: not findings, but reproducers).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "sml/compose/libonnx_child.hpp"
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

// The input being run, for save_libonnx_crash.
const std::uint8_t* current_data = nullptr;
std::size_t current_size = 0;

// libFuzzer's -artifact_prefix (where it writes crash-*, timeout-*), "" (the working folder) if none.
std::string& artifact_prefix() {
  static std::string prefix;
  return prefix;
}

// Saves the input a libonnx child crashed on, named by its bytes (FNV-1a) so a repeat is one file:
// before the fork server libFuzzer's own handler did this in the child, a fork of this process.
// At most kMostSaved a process: libonnx crashes on mutated graphs are contained, not findings, and
// come by the thousand (3,681 files, 73 MB, in one 18-minute campaign at 2e8b058); a few hundred
// reproducers serve a report to libonnx as well as all of them, and a long campaign must not fill the disk.
constexpr int kMostSaved = 200;
void save_libonnx_crash(const std::string& message) {
  if (!current_data) return;
  static int saved = 0;
  if (saved == kMostSaved) {
    std::fprintf(stderr, "fuzz_import: contained (the model is refused): %s; %d inputs saved already, no more are\n", message.c_str(), kMostSaved);
    return;
  }
  ++saved;
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i < current_size; ++i) h = (h ^ current_data[i]) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  const std::string path = artifact_prefix() + "crash-libonnx-" + hex;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(current_data), static_cast<std::streamsize>(current_size));
  std::fprintf(stderr, "fuzz_import: contained (the model is refused): %s; input saved to %s\n", message.c_str(), path.c_str());
}

}  // namespace

// libonnx runs in the worker of a small server made now, not in a child of this process, which
// ASan and libFuzzer grow to ~700 MB: fork() of it (page tables, then copy-on-write faults) was
// most of an input's cost, and a fresh child of the server for each model still was. The worker
// runs model after model until libonnx crashes it (then the next model gets a new one), so a
// libonnx crash stays contained (lib/compose/libonnx_child.cpp).
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i < *argc; ++i)
    if (std::strncmp((*argv)[i], "-artifact_prefix=", 17) == 0) artifact_prefix() = (*argv)[i] + 17;
  (void)folder();
  sml::compose::set_libonnx_crash_observer(save_libonnx_crash);
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
  current_data = data;
  current_size = size;
  try {
    auto m = sml::compose::read_onnx(path);
    (void)sml::compose::check_onnx(m, false);
  } catch (const sml::Error&) {
  }
  current_data = nullptr;
  return 0;
}
