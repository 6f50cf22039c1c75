// libonnx runs in a child process (issue 20 item 2), forked from the caller or, once
// start_libonnx_server has run (fuzz_import), in the worker of a small fork server. Either way a model gets the
// same verdict and the same inferred shapes, and a libonnx crash is a refused model, never the
// caller's death: checked here on a built model (weights drawn at write time: placeholders), an
// export, an edit, and the two crashers of issue 20.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sml/compose/composition.hpp"
#include "sml/compose/compose.hpp"
#include "sml/compose/edit.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {

const std::string kModels = SML_TEST_MODELS;
const std::string kMalformed = std::string(SML_TEST_MODELS) + "/../malformed/onnx";
const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// What check_onnx says of a model and what the model holds afterwards, or its error.
std::string outcome(sc::OnnxModel m, bool strict) {
  try {
    std::string o = "checked";
    for (const auto& w : sc::check_onnx(m, strict)) o += "; " + w;
    return o + "\n" + sc::to_bytes(m);
  } catch (const sml::InputError& e) {
    return std::string("refused: ") + e.what();
  }
}

std::vector<std::string> outcomes() {
  std::vector<std::string> o;
  const auto built = sc::build_composition(sc::arch_composition("kws_cnn", kCatalog));
  o.push_back(outcome(sc::to_onnx(built.graph, {"random", 1, "fp32"}, "t"), true));
  o.push_back(outcome(sc::read_onnx(kModels + "/squeezenet1_0.onnx"), false));
  sc::OnnxModel edited = sc::read_onnx(kModels + "/resnet18.onnx");
  sc::set_num_classes(edited, 10, {"random", 0, "fp32"});
  o.push_back(outcome(std::move(edited), false));
  o.push_back(outcome(sc::read_onnx(kMalformed + "/import-zero-strides.onnx"), false));
  o.push_back(outcome(sc::read_onnx(kMalformed + "/import-mutated-op.onnx"), false));
  return o;
}

}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("libonnx's fork server answers as a child forked from the caller") {
    const auto direct = outcomes();
    REQUIRE(direct.size() == 5);
    CHECK(direct[0].rfind("checked", 0) == 0);
    CHECK(direct[1].rfind("checked", 0) == 0);
    CHECK(direct[2].rfind("checked", 0) == 0);
    // ResNet-18 with the first Conv's strides 0,0 (SIGFPE in libonnx) and DeepLabV3 with an op
    // type mutated (SIGSEGV): contained, refused.
    CHECK(direct[3].find("crashed on the model") != std::string::npos);
    CHECK(direct[4].rfind("refused: ", 0) == 0);
    sc::start_libonnx_server();
    const auto served = outcomes();
    // Again: the server's worker runs model after model, and the models libonnx accepts now come
    // after the two that crashed a worker (each crash ends one; the next model gets a new one).
    const auto again = outcomes();
    sc::stop_libonnx_server();
    REQUIRE(served.size() == direct.size());
    REQUIRE(again.size() == direct.size());
    for (std::size_t i = 0; i < direct.size(); ++i) {
      INFO("model " << i << ": " << direct[i].substr(0, 200) << " | " << served[i].substr(0, 200));
      CHECK(served[i] == direct[i]);
      CHECK(again[i] == direct[i]);
    }
  }
}
