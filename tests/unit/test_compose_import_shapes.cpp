// sml-compose --import holds every tensor of a model with a static input to a full shape. Exports
// nobody here wrote (session 37, bench/thirdparty_onnx.py) were refused for two wrong reasons: a
// scalar (a Constant epsilon, a loss reduced to one value) read as an unknown shape, and a Slice
// whose end a Div/Mul computes from Shape (torch's chunk: torchvision's ShuffleNet, GRU exports)
// is beyond libonnx 1.12's inference although the shape follows from the input.
#include <doctest/doctest.h>

#include <string>

#include "onnx_builder.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;
using testing::ModelBuilder;

namespace {

void constant(ModelBuilder& b, const std::string& name, const std::vector<std::int64_t>& dims, int dtype,
              const std::vector<double>& values) {
  auto* n = b.node("Constant", {}, {name}, name);
  auto* a = n->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  ModelBuilder::fill_tensor(a->mutable_t(), name, dims, dtype, values);
}

// x [1,4,6] → Slice along axis 2 up to Shape(x)[2] / 2 → y [1,4,3] → + a scalar epsilon → z.
ModelBuilder chunk_model() {
  ModelBuilder b(13);
  b.input("x", {"1", "4", "6"});
  b.node("Shape", {"x"}, {"s"});
  constant(b, "axis", {1}, onnx::TensorProto::INT64, {2});
  b.attr(b.node("Gather", {"s", "axis"}, {"d"}), "axis", std::int64_t{0});
  constant(b, "two", {1}, onnx::TensorProto::INT64, {2});
  b.node("Div", {"d", "two"}, {"half"});
  constant(b, "zero", {1}, onnx::TensorProto::INT64, {0});
  b.node("Slice", {"x", "zero", "half", "axis"}, {"y"}, "chunk");
  constant(b, "eps", {}, onnx::TensorProto::FLOAT, {1e-5});
  b.node("Add", {"y", "eps"}, {"z"});
  ModelBuilder::set_shape(b.graph->add_output(), "z", {"1", "4", "3"});
  return b;
}

}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("an import whose shapes libonnx leaves unknown is checked by libsml's own propagation") {
    const std::string bytes = chunk_model().bytes();
    sc::OnnxModel m = sc::read_onnx("chunk.onnx", &bytes);
    std::vector<std::string> warnings;
    CHECK_NOTHROW(warnings = sc::check_onnx(m, true));
    // Only the Slice is beyond libonnx: the scalar epsilon is a complete shape, not an unknown one.
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("leaves 1 tensor shape(s) unknown, first 'y'") != std::string::npos);
  }

  TEST_CASE("a scalar constant is a full shape: a static import with one is accepted without a warning") {
    ModelBuilder b(13);
    b.input("x", {"1", "4"});
    constant(b, "eps", {}, onnx::TensorProto::FLOAT, {1e-5});
    b.node("Add", {"x", "eps"}, {"z"});
    ModelBuilder::set_shape(b.graph->add_output(), "z", {"1", "4"});
    const std::string bytes = b.bytes();
    sc::OnnxModel m = sc::read_onnx("eps.onnx", &bytes);
    std::vector<std::string> warnings;
    CHECK_NOTHROW(warnings = sc::check_onnx(m, true));
    CHECK(warnings.empty());
  }

  TEST_CASE("a shape neither libonnx nor libsml can know (NonZero's count) is still refused, naming the node") {
    ModelBuilder b(13);
    b.input("x", {"2", "3"});
    b.node("NonZero", {"x"}, {"idx"}, "where");
    b.node("Cast", {"idx"}, {"f"});
    b.attr(b.graph->mutable_node(1), "to", std::int64_t{onnx::TensorProto::FLOAT});
    b.output("f");
    const std::string bytes = b.bytes();
    sc::OnnxModel m = sc::read_onnx("nonzero.onnx", &bytes);
    try {
      sc::check_onnx(m, true);
      FAIL("accepted a data-dependent shape as static");
    } catch (const sml::InputError& e) {
      const std::string what = e.what();
      CHECK(what.find("'idx' (NonZero 'where')") != std::string::npos);
    }
  }
}
