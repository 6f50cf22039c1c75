// A libonnx crash in its child is refused as before, and whoever asked is told of it first
// (set_libonnx_crash_observer): fuzz_import saves the input from there, since a child of the fork
// server is no fork of the libFuzzer process and libFuzzer writes no reproducer for it (issue 20).
// Both ways of forking the child; the refusal's message is what the observer was given.
#include <doctest/doctest.h>

#include <csignal>
#include <string>
#include <vector>

#include "../../lib/compose/onnx_impl.hpp"

#include "sml/compose/libonnx_child.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {

std::vector<std::string>& told() {
  static std::vector<std::string> messages;
  return messages;
}
void observe(const std::string& message) { told().push_back(message); }

// The refusal of MODEL (a file of tests/malformed/onnx), or "" when check_onnx accepts it.
std::string refusal(const std::string& model) {
  auto m = sc::read_onnx(std::string(SML_TEST_MODELS) + "/../malformed/onnx/" + model);
  try {
    (void)sc::check_onnx(m, false);
  } catch (const sml::InputError& e) {
    return e.what();
  }
  return "";
}

// Two libonnx steps of a kind libonnx could take: the first leaves damage in the process it runs in
// (here a flag, in libonnx a corrupted heap), the second dies of it; alone, the second is harmless.
bool& damaged() {
  static bool flag = false;
  return flag;
}
void leave_damage(onnx::ModelProto&) { damaged() = true; }
void die_of_damage(onnx::ModelProto&) {
  if (damaged()) std::raise(SIGSEGV);
}

}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("a libonnx crash in its child is told to the crash observer, then refused as before") {
    sc::set_libonnx_crash_observer(observe);
    for (const bool server : {false, true}) {
      CAPTURE(server);
      if (server) sc::start_libonnx_server();
      told().clear();
      // ResNet-18 with the first Conv's strides 0,0: SIGFPE in libonnx's shape inference.
      const std::string fpe = refusal("import-zero-strides.onnx");
      CHECK(fpe.find("crashed on the model") != std::string::npos);
      REQUIRE(told().size() == 1);
      CHECK(told()[0] == fpe);
      // DeepLabV3 with an op type mutated (Relu -> Rjlu): SIGSEGV.
      const std::string segv = refusal("import-mutated-op.onnx");
      CHECK(segv.find("crashed on the model") != std::string::npos);
      REQUIRE(told().size() == 2);
      CHECK(told()[1] == segv);
      if (server) sc::stop_libonnx_server();
    }
    // A model libonnx accepts tells no one; with no observer set, a crash tells no one.
    told().clear();
    auto ok = sc::read_onnx(std::string(SML_TEST_MODELS) + "/squeezenet1_0.onnx");
    (void)sc::check_onnx(ok, false);
    CHECK(told().empty());
    sc::set_libonnx_crash_observer(nullptr);
    (void)refusal("import-zero-strides.onnx");
    CHECK(told().empty());
  }

  TEST_CASE("a model the server's worker dies on after earlier models is asked again of a fresh worker") {
    // The worker runs model after model (libonnx_child.cpp): a crash that an earlier model's damage
    // causes must not be the later model's refusal (nor a reproducer fuzz_import saves for it).
    sc::set_libonnx_crash_observer(observe);
    told().clear();
    sc::start_libonnx_server();
    onnx::ModelProto m;  // the steps read nothing of it
    m.set_ir_version(8);
    sc::run_libonnx_isolated(m, leave_damage, "the first step", false);
    CHECK_NOTHROW(sc::run_libonnx_isolated(m, die_of_damage, "the second step", false));
    CHECK(told().empty());
    // A model that kills a fresh worker too is refused as crashed, once.
    std::string refused;
    try {
      sc::run_libonnx_isolated(m, {{"the first step", leave_damage}, {"the second step", die_of_damage}}, false);
    } catch (const sml::InputError& e) {
      refused = e.what();
    }
    CHECK(refused.find("the second step crashed on the model") != std::string::npos);
    CHECK(told().size() == 1);
    sc::stop_libonnx_server();
    sc::set_libonnx_crash_observer(nullptr);
  }
}
