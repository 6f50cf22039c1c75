// Shape and constant propagation on hand-built graphs; every expected shape is derived by hand
// from the ONNX operator definitions.
#include <doctest/doctest.h>

#include "onnx_builder.hpp"
#include "sml/io/error.hpp"

using sml::InputError;
using testing::ModelBuilder;

namespace {
// Output shape of the layer called NAME.
std::string shape_of(const sml::cost::Profile& p, const std::string& name) {
  for (const auto& l : p.layers)
    if (l.name == name) return l.output_shape;
  return "<no layer " + name + ">";
}
const sml::cost::LayerCost* layer(const sml::cost::Profile& p, const std::string& name) {
  for (const auto& l : p.layers)
    if (l.name == name) return &l;
  return nullptr;
}
}  // namespace

TEST_SUITE("infer") {
  TEST_CASE("Reshape fed by Shape→Gather→Unsqueeze→Concat resolves with a symbolic batch") {
    ModelBuilder b(13);
    b.input("x", {"batch", "3", "4", "4"});
    b.ints("zero", {0});
    b.ints("minus1", {-1});
    b.weight("W", {48, 10});
    b.node("Shape", {"x"}, {"s"}, "shape");
    auto* g = b.node("Gather", {"s", "zero"}, {"n"}, "gather");
    ModelBuilder::attr(g, "axis", std::int64_t(0));
    b.node("Concat", {"n", "minus1"}, {"target"}, "concat");
    ModelBuilder::attr(b.graph->mutable_node(2), "axis", std::int64_t(0));
    b.node("Reshape", {"x", "target"}, {"flat"}, "reshape");
    b.node("MatMul", {"flat", "W"}, {"y"}, "matmul");
    b.output("y");
    sml::graph::InferOptions o;
    o.batch = 2;
    auto p = b.profile(o);
    CHECK(shape_of(p, "reshape") == "2x48");
    CHECK(shape_of(p, "matmul") == "2x10");
    CHECK(p.macs == 2 * 10 * 48);
    CHECK(p.uncounted.empty());
    // Without --batch the symbolic dim is 1, and the profile says so.
    auto p1 = b.profile();
    CHECK(p1.macs == 480);
    REQUIRE(p1.assumptions.size() >= 1);
    CHECK(p1.assumptions[0].find("'batch'") != std::string::npos);
  }

  TEST_CASE("Resize sizes computed through a float chain (as detection exports do)") {
    ModelBuilder b(13);
    b.input("x", {"1", "3", "8", "8"});
    b.ints("s0", {0});
    b.ints("s2", {2});
    b.ints("s4", {4});
    b.weight("two", {1}, onnx::TensorProto::FLOAT, {2.0});
    b.node("Shape", {"x"}, {"shape"});
    b.node("Slice", {"shape", "s0", "s2"}, {"nc"});
    b.node("Slice", {"shape", "s2", "s4"}, {"hw"});
    auto* c1 = b.node("Cast", {"hw"}, {"hwf"});
    ModelBuilder::attr(c1, "to", std::int64_t(onnx::TensorProto::FLOAT));
    b.node("Mul", {"hwf", "two"}, {"hw2"});
    b.node("Floor", {"hw2"}, {"hw2f"});
    auto* c2 = b.node("Cast", {"hw2f"}, {"hw2i"});
    ModelBuilder::attr(c2, "to", std::int64_t(onnx::TensorProto::INT64));
    auto* cat = b.node("Concat", {"nc", "hw2i"}, {"sizes"});
    ModelBuilder::attr(cat, "axis", std::int64_t(0));
    auto* r = b.node("Resize", {"x", "", "", "sizes"}, {"y"}, "resize");
    ModelBuilder::attr(r, "mode", std::string("linear"));
    b.output("y");
    auto p = b.profile();
    CHECK(shape_of(p, "resize") == "1x3x16x16");
    // linear: 3 FLOPs per output element per resized axis (2 axes).
    CHECK(layer(p, "resize")->flops == 3 * 16 * 16 * 3 * 2);
  }

  TEST_CASE("Slice with INT64 extremes, negative steps and Split/Squeeze/Transpose") {
    ModelBuilder b(13);
    b.input("x", {"2", "6", "10"});
    b.ints("start", {-1});
    b.ints("end", {std::numeric_limits<std::int64_t>::min() + 1});
    b.ints("axis", {2});
    b.ints("step", {-2});
    b.node("Slice", {"x", "start", "end", "axis", "step"}, {"rev"}, "slice");
    auto* sp = b.node("Split", {"x"}, {"a", "b", "c"}, "split");
    ModelBuilder::attr(sp, "axis", std::int64_t(1));
    auto* t = b.node("Transpose", {"a"}, {"at"}, "transpose");
    ModelBuilder::attr(t, "perm", std::vector<std::int64_t>{2, 0, 1});
    b.output("rev");
    auto p = b.profile();
    CHECK(shape_of(p, "slice") == "2x6x5");  // indices 9,7,5,3,1
    CHECK(shape_of(p, "split") == "2x2x10");
    CHECK(shape_of(p, "transpose") == "10x2x2");
  }

  TEST_CASE("pooling windows: pads, strides, ceil mode, dilation") {
    ModelBuilder b(13);
    b.input("x", {"1", "1", "5", "5"});
    auto* m1 = b.node("MaxPool", {"x"}, {"a"}, "ceil");
    ModelBuilder::attr(m1, "kernel_shape", std::vector<std::int64_t>{2, 2});
    ModelBuilder::attr(m1, "strides", std::vector<std::int64_t>{2, 2});
    ModelBuilder::attr(m1, "ceil_mode", std::int64_t(1));
    auto* m2 = b.node("AveragePool", {"x"}, {"b"}, "floor");
    ModelBuilder::attr(m2, "kernel_shape", std::vector<std::int64_t>{2, 2});
    ModelBuilder::attr(m2, "strides", std::vector<std::int64_t>{2, 2});
    auto* m3 = b.node("MaxPool", {"x"}, {"c"}, "same");
    ModelBuilder::attr(m3, "kernel_shape", std::vector<std::int64_t>{3, 3});
    ModelBuilder::attr(m3, "strides", std::vector<std::int64_t>{2, 2});
    ModelBuilder::attr(m3, "auto_pad", std::string("SAME_UPPER"));
    b.output("a");
    auto p = b.profile();
    CHECK(shape_of(p, "ceil") == "1x1x3x3");
    CHECK(shape_of(p, "floor") == "1x1x2x2");
    CHECK(shape_of(p, "same") == "1x1x3x3");
    CHECK(layer(p, "ceil")->flops == 9 * 4);
  }

  TEST_CASE("--input-shape fixes dims; a wrong name or rank is an error naming the inputs") {
    ModelBuilder b(13);
    b.input("tokens", {"batch", "seq"}, onnx::TensorProto::INT64);
    b.weight("E", {100, 8});
    b.node("Gather", {"E", "tokens"}, {"emb"}, "embed");
    b.output("emb");
    sml::graph::InferOptions o;
    auto p0 = b.profile(o);
    CHECK(shape_of(p0, "embed") == "1x?x8");  // batch defaults to 1; seq stays unknown
    CHECK(!p0.warnings.empty());
    o.input_shapes["tokens"] = {4, 16};
    auto p = b.profile(o);
    CHECK(shape_of(p, "embed") == "4x16x8");
    CHECK(p.params == 800);  // the embedding table is Gather's weight
    sml::graph::InferOptions bad;
    bad.input_shapes["token"] = {4, 16};
    CHECK_THROWS_WITH_AS(b.profile(bad), doctest::Contains("no input named 'token' (inputs: tokens)"), InputError);
    sml::graph::InferOptions rank;
    rank.input_shapes["tokens"] = {4};
    CHECK_THROWS_WITH_AS(b.profile(rank), doctest::Contains("rank 2"), InputError);
  }

  TEST_CASE("graphs with cycles, dangling inputs or duplicate outputs are refused, naming the node") {
    ModelBuilder cyc;
    cyc.input("x", {"1"});
    cyc.node("Add", {"x", "b"}, {"a"}, "first");
    cyc.node("Relu", {"a"}, {"b"}, "second");
    CHECK_THROWS_WITH_AS(cyc.profile(), doctest::Contains("cycle"), InputError);
    ModelBuilder dang;
    dang.input("x", {"1"});
    dang.node("Add", {"x", "ghost"}, {"a"}, "adder");
    CHECK_THROWS_WITH_AS(dang.profile(), doctest::Contains("Add 'adder' reads 'ghost'"), InputError);
    ModelBuilder dup;
    dup.input("x", {"1"});
    dup.node("Relu", {"x"}, {"a"}, "r1");
    dup.node("Relu", {"x"}, {"a"}, "r2");
    CHECK_THROWS_WITH_AS(dup.profile(), doctest::Contains("produced twice"), InputError);
  }

  TEST_CASE("nodes out of order are sorted, not refused") {
    ModelBuilder b;
    b.input("x", {"2", "4"});
    b.weight("W", {4, 3});
    b.node("Relu", {"m"}, {"y"}, "relu");
    b.node("MatMul", {"x", "W"}, {"m"}, "matmul");
    b.output("y");
    auto p = b.profile();
    CHECK(p.layers[0].name == "matmul");
    CHECK(shape_of(p, "relu") == "2x3");
  }
}
