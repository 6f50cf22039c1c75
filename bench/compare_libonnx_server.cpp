// Does libonnx answer the same through the fork server (start_libonnx_server, as fuzz_import runs
// it) as through a child forked from the caller (sml-compose)? Each model given: read_onnx, then
// check_onnx (not requiring static shapes, as fuzz_import), both ways; the outcome compared: the
// error message, or the warnings and the whole model after inference. Prints each difference and
// a count; exits 1 on any difference. Built by bench/compare_libonnx_server.sh.
#include <cstdio>
#include <string>
#include <vector>

#include "sml/compose/onnx_model.hpp"
#include "sml/io/error.hpp"

namespace {
std::string outcome(const std::string& path) {
  try {
    auto m = sml::compose::read_onnx(path);
    std::string o = "checked";
    for (const auto& w : sml::compose::check_onnx(m, false)) o += "\nwarning: " + w;
    return o + "\nmodel: " + sml::compose::to_bytes(m);
  } catch (const sml::Error& e) {
    return std::string("error: ") + e.what();
  }
}
}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> direct;
  for (int i = 1; i < argc; ++i) direct.push_back(outcome(argv[i]));
  sml::compose::start_libonnx_server();
  int differ = 0, errors = 0, crashed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string served = outcome(argv[i]);
    if (served != direct[i - 1]) {
      ++differ;
      std::printf("%s differs:\n  direct: %.200s\n  server: %.200s\n", argv[i], direct[i - 1].c_str(), served.c_str());
    }
    if (served.rfind("error: ", 0) == 0) ++errors;
    if (served.find("crashed on the model") != std::string::npos) ++crashed;
  }
  std::printf("%d models: %d differ; %d refused (%d of them libonnx crashes contained)\n", argc - 1, differ, errors, crashed);
  return differ ? 1 : 0;
}
