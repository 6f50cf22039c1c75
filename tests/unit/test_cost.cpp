// Cost rules against counts derived by hand from each operator's definition.
#include <doctest/doctest.h>

#include "onnx_builder.hpp"

using testing::ModelBuilder;

namespace {
const sml::cost::LayerCost& only(const sml::cost::Profile& p, const std::string& op) {
  for (const auto& l : p.layers)
    if (l.op == op) return l;
  FAIL("no layer with op " << op);
  return p.layers.front();
}
}  // namespace

TEST_SUITE("cost") {
  TEST_CASE("Conv with stride and padding, bias") {
    ModelBuilder b;
    b.input("x", {"1", "3", "32", "32"});
    b.weight("W", {16, 3, 3, 3});
    b.weight("B", {16});
    auto* c = b.node("Conv", {"x", "W", "B"}, {"y"});
    ModelBuilder::attr(c, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
    ModelBuilder::attr(c, "strides", std::vector<std::int64_t>{2, 2});
    b.output("y");
    auto p = b.profile();
    // Output 16×16×16; each element: 3 × 3 × 3 MACs; one bias add per element.
    CHECK(only(p, "Conv").output_shape == "1x16x16x16");
    CHECK(p.macs == 4096 * 27);
    CHECK(p.flops == 2 * 4096 * 27 + 4096);
    CHECK(p.params == 16 * 27 + 16);
  }

  TEST_CASE("depthwise and dilated Conv") {
    ModelBuilder b;
    b.input("x", {"1", "32", "10", "10"});
    b.weight("Wd", {32, 1, 3, 3});
    b.weight("Wp", {1, 32, 3, 3});
    auto* d = b.node("Conv", {"x", "Wd"}, {"dw"}, "depthwise");
    ModelBuilder::attr(d, "group", std::int64_t(32));
    auto* e = b.node("Conv", {"x", "Wp"}, {"dil"}, "dilated");
    ModelBuilder::attr(e, "dilations", std::vector<std::int64_t>{2, 2});
    b.output("dw");
    auto p = b.profile();
    // Depthwise: out 8×8 per channel, 9 MACs each. Dilated 3×3 with dilation 2 spans 5: out 6×6,
    // 32 × 9 MACs each.
    CHECK(p.layers[0].output_shape == "1x32x8x8");
    CHECK(p.layers[0].macs == 32 * 64 * 9);
    CHECK(p.layers[1].output_shape == "1x1x6x6");
    CHECK(p.layers[1].macs == 36 * 32 * 9);
  }

  TEST_CASE("the layer rows of the profile document carry what the roofline moves") {
    // A depthwise 3×3 over 32 channels of 10×10, no padding: it reads the input (32·10·10 = 3200)
    // and its weights (32·1·3·3 = 288) and writes 32·8·8 = 2048 elements: 5536, against 18,432
    // MACs (2 FLOPs per 0.6 element moved: far below any GPU's ridge point, memory-bound).
    ModelBuilder b;
    b.input("x", {"1", "32", "10", "10"});
    b.weight("Wd", {32, 1, 3, 3});
    auto* d = b.node("Conv", {"x", "Wd"}, {"dw"}, "depthwise");
    ModelBuilder::attr(d, "group", std::int64_t(32));
    b.output("dw");
    const sml::Doc doc = sml::cost::profile_to_doc(b.profile(), true);
    const sml::Doc* moved = doc.path("layers")->as_list().at(0).find("elements_moved");
    REQUIRE(moved != nullptr);
    CHECK(moved->as_number() == 5536.0);
    CHECK(sml::cost::profile_to_doc(b.profile(), false).find("layers") == nullptr);
  }

  TEST_CASE("ConvTranspose") {
    ModelBuilder b;
    b.input("x", {"1", "4", "5", "5"});
    b.weight("W", {4, 2, 3, 3});
    auto* c = b.node("ConvTranspose", {"x", "W"}, {"y"});
    ModelBuilder::attr(c, "strides", std::vector<std::int64_t>{2, 2});
    b.output("y");
    auto p = b.profile();
    // Out = 2 × (5 − 1) + 3 = 11; each of the 100 input elements meets 2 × 9 weights.
    CHECK(only(p, "ConvTranspose").output_shape == "1x2x11x11");
    CHECK(p.macs == 100 * 18);
  }

  TEST_CASE("MatMul broadcasts batch dims; Gemm with transB and C") {
    ModelBuilder b;
    b.input("a", {"2", "1", "4", "8"});
    b.input("bb", {"3", "8", "5"});
    b.input("g", {"4", "8"});
    b.weight("Wg", {5, 8});
    b.weight("C", {5});
    b.node("MatMul", {"a", "bb"}, {"y"});
    auto* gm = b.node("Gemm", {"g", "Wg", "C"}, {"z"});
    ModelBuilder::attr(gm, "transB", std::int64_t(1));
    b.output("y");
    auto p = b.profile();
    CHECK(only(p, "MatMul").output_shape == "2x3x4x5");
    CHECK(only(p, "MatMul").macs == 120 * 8);
    CHECK(only(p, "Gemm").output_shape == "4x5");
    CHECK(only(p, "Gemm").macs == 160);
    CHECK(only(p, "Gemm").flops == 320 + 20);
  }

  TEST_CASE("Einsum contraction") {
    ModelBuilder b;
    b.input("a", {"2", "3", "4"});
    b.input("c", {"2", "4", "5"});
    auto* e = b.node("Einsum", {"a", "c"}, {"y"});
    ModelBuilder::attr(e, "equation", std::string("bij,bjk->bik"));
    b.output("y");
    auto p = b.profile();
    CHECK(only(p, "Einsum").output_shape == "2x3x5");
    CHECK(p.macs == 2 * 3 * 4 * 5);
  }

  TEST_CASE("LSTM: 4 gates × hidden × (input + hidden) per step and batch row") {
    ModelBuilder b;
    b.input("x", {"5", "2", "3"});
    b.weight("W", {1, 16, 3});
    b.weight("R", {1, 16, 4});
    b.weight("B", {1, 32});
    auto* l = b.node("LSTM", {"x", "W", "R", "B"}, {"y", "h", "c"});
    ModelBuilder::attr(l, "hidden_size", std::int64_t(4));
    b.output("y");
    auto p = b.profile();
    CHECK(only(p, "LSTM").output_shape == "5x1x2x4");
    CHECK(p.macs == 5 * 2 * 4 * 4 * (3 + 4));
    CHECK(p.params == 48 + 64 + 32);
  }

  TEST_CASE("BatchNorm running statistics are buffers, not parameters") {
    ModelBuilder b;
    b.input("x", {"1", "8", "4", "4"});
    for (const char* n : {"scale", "bias", "mean", "var"}) b.weight(n, {8});
    b.node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"});
    b.output("y");
    auto p = b.profile();
    CHECK(p.params == 16);
    CHECK(p.stored_elements == 32);
    CHECK(p.flops == 2 * 128);
  }

  TEST_CASE("a one-element learned parameter of shape [1] counts; an exporter's rank-0 scalar does not") {
    // SpeechT5's ScaledPositionalEncoding: x + alpha · pe, alpha = nn.Parameter(torch.ones(1)),
    // exported as an initializer of dims [1]; PyTorch writes Python scalars (1/sqrt(d)) with dims [].
    ModelBuilder b;
    b.input("x", {"1", "4", "8"});
    b.weight("pe", {1, 4, 8});    // 32: a table added to x (it would be a buffer in PyTorch; here an operand)
    b.weight("alpha", {1});       // the learned scale: 1 parameter
    b.weight("half", {});         // the exporter's constant 0.5: not a parameter
    b.weight("scale", {1, 1, 1}); // rank 3, one element: learned as well
    b.node("Mul", {"pe", "alpha"}, {"spe"});
    b.node("Add", {"x", "spe"}, {"h"});
    b.node("Mul", {"h", "half"}, {"g"});
    b.node("Mul", {"g", "scale"}, {"y"});
    b.output("y");
    auto p = b.profile();
    CHECK(p.params == 32 + 1 + 1);
    CHECK(p.stored_elements == 32 + 1 + 1 + 1);
  }

  TEST_CASE("weights in Constant and ConstantOfShape nodes are parameters; shape data is not") {
    ModelBuilder b;
    b.input("x", {"2", "6"});
    b.ints("wshape", {6, 7});
    b.ints("target", {7, 2});
    auto* k = b.node("Constant", {}, {"W1"});
    auto* a = k->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    ModelBuilder::fill_tensor(a->mutable_t(), "W1", {6, 6}, onnx::TensorProto::FLOAT, {});
    b.node("MatMul", {"x", "W1"}, {"h"});
    b.node("ConstantOfShape", {"wshape"}, {"W2"});
    b.node("MatMul", {"h", "W2"}, {"y"});
    b.node("Reshape", {"y", "target"}, {"r"});
    b.output("r");
    auto p = b.profile();
    CHECK(p.params == 36 + 42);
    CHECK(p.macs == 2 * 6 * 6 + 2 * 7 * 6);
    CHECK(p.stored_elements == 36 + 42 + 2 + 2);
  }

  TEST_CASE("Loop bodies count once per iteration; a known If counts one branch") {
    ModelBuilder b;
    b.input("x", {"1", "4"});
    b.weight("W", {4, 4});
    b.ints("trips", {5});
    // Loop body: (iter, cond, carried x) -> (cond, x · W)
    onnx::GraphProto body;
    body.set_name("body");
    ModelBuilder::set_shape(body.add_input(), "i", {}, onnx::TensorProto::INT64);
    ModelBuilder::set_shape(body.add_input(), "cond_in", {}, onnx::TensorProto::BOOL);
    ModelBuilder::set_shape(body.add_input(), "xc", {"1", "4"});
    auto* id = body.add_node();
    id->set_op_type("Identity"); id->add_input("cond_in"); id->add_output("cond_out");
    auto* mm = body.add_node();
    mm->set_op_type("MatMul"); mm->set_name("step"); mm->add_input("xc"); mm->add_input("W"); mm->add_output("xn");
    body.add_output()->set_name("cond_out");
    body.add_output()->set_name("xn");
    auto* loop = b.node("Loop", {"trips_scalar", "", "x"}, {"y"}, "loop");
    auto* g = loop->add_attribute();
    g->set_name("body"); g->set_type(onnx::AttributeProto::GRAPH); *g->mutable_g() = body;
    // trips as a scalar
    auto* sq = b.graph->add_node();
    sq->set_op_type("Squeeze"); sq->set_name("sq"); sq->add_input("trips"); sq->add_output("trips_scalar");
    b.output("y");
    auto p = b.profile();
    CHECK(p.macs == 5 * 16);
    bool found = false;
    for (const auto& l : p.layers) found = found || l.name == "loop/body/step";
    CHECK(found);
  }

  TEST_CASE("unknown ops and custom domains are uncounted, never silently zero") {
    ModelBuilder b;
    b.input("x", {"1", "8"});
    auto* n = b.node("FusedGelu", {"x"}, {"y"});
    n->set_domain("com.microsoft");
    b.node("NoSuchOp", {"y"}, {"z"});
    b.output("z");
    auto p = b.profile();
    REQUIRE(p.uncounted.size() == 2);
    CHECK(p.uncounted[0].op == "FusedGelu");
    CHECK(p.uncounted[0].domain == "com.microsoft");
    CHECK(p.uncounted[1].op == "NoSuchOp");
    CHECK(p.uncounted[1].count == 1);
  }

  TEST_CASE("model-local functions are expanded and counted") {
    ModelBuilder b;
    b.input("x", {"3", "4"});
    b.weight("W", {4, 2});
    auto* f = b.model.add_functions();
    f->set_name("Proj");
    f->set_domain("local");
    f->add_input("a"); f->add_input("w"); f->add_output("o");
    auto* fo = f->add_opset_import(); fo->set_domain(""); fo->set_version(17);
    auto* mm = f->add_node(); mm->set_op_type("MatMul"); mm->add_input("a"); mm->add_input("w"); mm->add_output("o");
    auto* oi = b.model.add_opset_import(); oi->set_domain("local"); oi->set_version(1);
    auto* call = b.node("Proj", {"x", "W"}, {"y"}, "proj");
    call->set_domain("local");
    b.output("y");
    auto p = b.profile();
    CHECK(p.macs == 3 * 2 * 4);
    CHECK(p.uncounted.empty());
  }
}
