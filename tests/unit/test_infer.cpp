// Shape and constant propagation on hand-built graphs; every expected shape is derived by hand
// from the ONNX operator definitions.
#include <cmath>

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
// Gives If node N its branch ATTR (then_branch or else_branch): a graph of that name holding one
// OP node (named NODE_NAME, where given) from INPUT to OUTPUT, which is the branch's output.
void branch(onnx::NodeProto* n, const std::string& attr, const std::string& op, std::initializer_list<std::string> inputs,
            const std::string& output, const std::string& node_name = "") {
  auto* a = n->add_attribute();
  a->set_name(attr);
  a->set_type(onnx::AttributeProto::GRAPH);
  auto* g = a->mutable_g();
  g->set_name(attr);
  auto* node = g->add_node();
  node->set_op_type(op);
  if (!node_name.empty()) node->set_name(node_name);
  for (const auto& in : inputs) node->add_input(in);
  node->add_output(output);
  g->add_output()->set_name(output);
}
// The warning an If with an unknown condition leaves in P ("condition unknown …"); "" when none.
std::string condition_hint(const sml::cost::Profile& p) {
  for (const auto& w : p.warnings)
    if (w.find("condition unknown") != std::string::npos) return w;
  return std::string();
}
}  // namespace

TEST_SUITE("infer") {
  TEST_CASE("a repeated value is spelt out when read, the same to every copy") {
    using sml::graph::FoldedValues;
    const FoldedValues none;
    CHECK_FALSE(none.has_value());
    const FoldedValues v = FoldedValues::repeated(3, 1.5);
    const FoldedValues copy = v;  // taken before anything read the elements
    REQUIRE(v.has_value());
    CHECK(*v == std::vector<double>{1.5, 1.5, 1.5});
    CHECK(copy->size() == 3);
    CHECK((*copy)[2] == 1.5);
    const FoldedValues empty = FoldedValues::repeated(0, 7);
    CHECK(empty.has_value());  // a tensor with no elements is still a known value
    CHECK(empty->empty());
    FoldedValues w = FoldedValues::repeated(2, 4);
    (*w)[0] = 5;
    CHECK(*w == std::vector<double>{5, 4});
    w.reset();
    CHECK_FALSE(w.has_value());
  }

  TEST_CASE("a ConstantOfShape fill folds into the shape it feeds") {
    // ConstantOfShape([2], value = int64 3) = [3, 3]: Reshape of 9 elements to 3x3.
    ModelBuilder b(13);
    b.input("x", {"9"});
    b.ints("two", {2});
    auto* k = b.node("ConstantOfShape", {"two"}, {"target"}, "fill");
    auto* a = k->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    ModelBuilder::fill_tensor(a->mutable_t(), "v", {1}, onnx::TensorProto::INT64, {3});
    b.node("Reshape", {"x", "target"}, {"y"}, "reshape");
    b.output("y");
    auto p = b.profile();
    CHECK(shape_of(p, "fill") == "2");
    CHECK(shape_of(p, "reshape") == "3x3");
  }

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

  // Issue 18: element counts are checked, and a mismatch names the node.
  TEST_CASE("a Reshape whose target does not hold the input's elements is refused, naming the node") {
    ModelBuilder b;
    b.input("x", {"8", "128", "768"});
    b.ints("target", {1, 128, 12, 64});  // batch 1 baked in: 98304 of 786432 elements
    b.node("Reshape", {"x", "target"}, {"y"}, "q.reshape");
    b.output("y");
    CHECK_THROWS_WITH_AS(b.profile(), doctest::Contains("Reshape 'q.reshape': cannot reshape 8x128x768 (786432 elements) to [1, 128, 12, 64]"),
                         InputError);
    ModelBuilder inferred;  // -1 that cannot divide: 786432 / (5 x 64) is not whole
    inferred.input("x", {"8", "128", "768"});
    inferred.ints("target", {5, -1, 64});
    inferred.node("Reshape", {"x", "target"}, {"y"}, "odd");
    CHECK_THROWS_WITH_AS(inferred.profile(), doctest::Contains("786432 is not a multiple of 320"), InputError);
    ModelBuilder ok;  // 0 copies the batch: fine at any batch
    ok.input("x", {"8", "128", "768"});
    ok.ints("target", {0, -1, 12, 64});
    ok.node("Reshape", {"x", "target"}, {"y"}, "q.reshape");
    CHECK(shape_of(ok.profile(), "q.reshape") == "8x128x12x64");
    ModelBuilder unknown;  // an unknown dim copied by 0 is kept, not taken for a second -1 or refused
    unknown.input("x", {"1", "n", "6"});
    unknown.ints("target", {0, 0, -1, 3});
    unknown.node("Reshape", {"x", "target"}, {"y"}, "r");
    CHECK(shape_of(unknown.profile(), "r") == "1x?x?x3");
  }

  TEST_CASE("Expand, Tile and Concat refuse inputs that contradict them") {
    ModelBuilder ex;
    ex.input("x", {"3", "4"});
    ex.ints("shape", {2, 5});
    ex.node("Expand", {"x", "shape"}, {"y"}, "grow");
    CHECK_THROWS_WITH_AS(ex.profile(), doctest::Contains("Expand 'grow': cannot expand 3x4 to [2, 5]"), InputError);
    ModelBuilder tile;
    tile.input("x", {"3", "4"});
    tile.ints("reps", {2, 2, 2});
    tile.node("Tile", {"x", "reps"}, {"y"}, "tiles");
    CHECK_THROWS_WITH_AS(tile.profile(), doctest::Contains("Tile 'tiles': repeats [2, 2, 2] do not match the rank 2"), InputError);
    ModelBuilder cat;
    cat.input("a", {"1", "3", "8"});
    cat.input("b", {"1", "4", "8"});
    auto* n = cat.node("Concat", {"a", "b"}, {"y"}, "join");
    ModelBuilder::attr(n, "axis", std::int64_t(2));
    CHECK_THROWS_WITH_AS(cat.profile(), doctest::Contains("Concat 'join': inputs 1x3x8 and 1x4x8 differ in dim 1"), InputError);
    ModelBuilder fine;
    fine.input("a", {"1", "3", "8"});
    fine.input("b", {"1", "3", "5"});
    auto* m = fine.node("Concat", {"a", "b"}, {"y"}, "join");
    ModelBuilder::attr(m, "axis", std::int64_t(2));
    CHECK(shape_of(fine.profile(), "join") == "1x3x13");
  }

  // From #20 item 9 (UBSan): converting NaN or 1e30 to an integer is undefined; these are errors.
  TEST_CASE("Resize/Upsample scales and Range deltas that give no size are refused, not converted") {
    for (double bad : {std::nan(""), 1e30, -2.0}) {
      ModelBuilder b(13);
      b.input("x", {"1", "3", "8", "8"});
      b.weight("scales", {4}, onnx::TensorProto::FLOAT, {1.0, 1.0, bad, 2.0});
      b.node("Resize", {"x", "", "scales"}, {"y"}, "up");
      CHECK_THROWS_WITH_AS(b.profile(), doctest::Contains("Resize 'up': scale"), InputError);
    }
    ModelBuilder ups(9);
    ups.input("x", {"1", "3", "8", "8"});
    ups.weight("scales", {4}, onnx::TensorProto::FLOAT, {1.0, 1.0, 1e30, 1e30});
    ups.node("Upsample", {"x", "scales"}, {"y"}, "up");
    CHECK_THROWS_WITH_AS(ups.profile(), doctest::Contains("Upsample 'up': scale"), InputError);
    ModelBuilder r;
    r.input("x", {"2"});
    r.weight("start", {}, onnx::TensorProto::FLOAT, {0.0});
    r.weight("limit", {}, onnx::TensorProto::FLOAT, {10.0});
    r.weight("delta", {}, onnx::TensorProto::FLOAT, {std::nan("")});
    r.node("Range", {"start", "limit", "delta"}, {"y"}, "steps");
    CHECK_THROWS_WITH_AS(r.profile(), doctest::Contains("Range 'steps': start 0"), InputError);
  }

  TEST_CASE("coverage: nodes counted, defaulted dims, and If branches chosen by --input-value") {
    // x [batch, 4] -> If (flag == 1) then MatMul with W1 [4, 3] else MatMul with W2 [4, 5]
    ModelBuilder b;
    b.input("x", {"batch", "4"});
    b.input("flag", {}, onnx::TensorProto::INT64);
    b.ints("one", {1});
    b.weight("W1", {4, 3});
    b.weight("W2", {4, 5});
    b.node("Equal", {"flag", "one"}, {"cond"}, "is_one");
    auto* n = b.node("If", {"cond"}, {"y"}, "switch");
    branch(n, "then_branch", "MatMul", {"x", "W1"}, "t", "then_branch.mm");
    branch(n, "else_branch", "MatMul", {"x", "W2"}, "e", "else_branch.mm");
    b.output("y");
    auto both = b.profile();
    CHECK(both.macs == 4 * 3 + 4 * 5);  // both branches, batch defaulted to 1
    CHECK_FALSE(both.coverage.complete());
    REQUIRE(both.coverage.assumed_branches.size() == 1);
    CHECK(both.coverage.assumed_branches[0] == "switch");
    REQUIRE(both.coverage.defaulted_dims.size() == 1);
    CHECK(both.coverage.defaulted_dims[0].input == "x");
    CHECK(both.coverage.defaulted_dims[0].value == 1);
    CHECK(both.coverage.gaps().find("input 'x' dim 0 ('batch') defaulted to 1") != std::string::npos);
    sml::graph::InferOptions o;
    o.batch = 2;
    o.input_values["flag"] = 1;
    auto then = b.profile(o);
    CHECK(then.macs == 2 * 4 * 3);
    CHECK(then.coverage.complete());
    CHECK(then.coverage.nodes_counted == then.coverage.nodes_total);
    o.input_values["flag"] = 0;
    CHECK(b.profile(o).macs == 2 * 4 * 5);
    sml::graph::InferOptions wrong;
    wrong.input_values["x"] = 1;  // not a scalar
    CHECK_THROWS_WITH_AS(b.profile(wrong), doctest::Contains("only an input of one element"), InputError);
  }

  TEST_CASE("an If on a whole tensor's values does not send the user to --input-value, which that tensor cannot take") {
    // TorchScript's `if h.sum() > 0` exported (bench/thirdparty_make.py, Scripted): the condition
    // reduces x [4, 16]; --input-value x=V is refused for it (one element only), so the hint must
    // not name it. A scalar input beside it is still named.
    auto model = [](bool with_scalar) {
      ModelBuilder b;
      b.input("x", {"4", "16"});
      if (with_scalar) b.input("gain", {}, onnx::TensorProto::FLOAT);
      b.node("ReduceSum", {"x"}, {"total"}, "sum");
      b.weight("zero", {}, onnx::TensorProto::FLOAT, {0.0});
      if (with_scalar) b.node("Mul", {"total", "gain"}, {"scaled"}, "scale");
      b.node("Greater", {with_scalar ? "scaled" : "total", "zero"}, {"cond"}, "positive");
      auto* n = b.node("If", {"cond"}, {"y"}, "branch");
      for (const char* attr : {"then_branch", "else_branch"}) branch(n, attr, "Relu", {"x"}, std::string(attr) + ".y");
      b.output("y");
      return b;
    };
    const auto hint = condition_hint;
    const std::string tensor_only = hint(model(false).profile());
    CHECK(tensor_only.find("it depends on the values of input x (not a scalar --input-value can fix)") != std::string::npos);
    CHECK(tensor_only.find("--input-value x") == std::string::npos);
    const std::string with_scalar = hint(model(true).profile());
    CHECK(with_scalar.find("choose the branch with --input-value gain=V") != std::string::npos);
  }

  TEST_CASE("the If hint names --input-value for an input exactly when --input-value accepts that input") {
    // One rule decides both (takes_value): the input's --input-shape, else its declared dims with
    // symbolic ones as 1, must hold one element. s → Greater(s, 0) → If (Relu of s either way);
    // the hint offers --input-value s=V, and a profile with s given a value runs, for the same
    // inputs: a scalar, [1], [n] (one element, n read as 1), [2], [1,n]; and [n] with
    // --input-shape s=3 (three elements) or s=1.
    struct Case {
      std::vector<std::string> declared;
      std::vector<std::int64_t> given;  // --input-shape s=…; empty: none
      bool one_element;                  // worked out by hand from the rule above
    };
    const Case cases[] = {{{}, {}, true},         {{"1"}, {}, true},   {{"n"}, {}, true},   {{"2"}, {}, false},
                          {{"1", "n"}, {}, true}, {{"n"}, {3}, false}, {{"n"}, {1}, true}, {{"2"}, {1}, true}};
    for (const auto& c : cases) {
      CAPTURE(c.declared.size());
      CAPTURE(c.given.size());
      ModelBuilder b;
      b.input("s", c.declared);
      b.weight("zero", {}, onnx::TensorProto::FLOAT, {0.0});
      b.node("Greater", {"s", "zero"}, {"cond"}, "positive");
      auto* n = b.node("If", {"cond"}, {"y"}, "pick");
      for (const char* attr : {"then_branch", "else_branch"}) branch(n, attr, "Relu", {"s"}, std::string(attr) + ".y");
      b.output("y");
      sml::graph::InferOptions shaped;
      if (!c.given.empty()) shaped.input_shapes["s"] = c.given;
      const bool offered = condition_hint(b.profile(shaped)).find("--input-value s=V") != std::string::npos;
      sml::graph::InferOptions valued = shaped;
      valued.input_values["s"] = 1;
      bool accepted = true;
      try {
        b.profile(valued);
      } catch (const InputError& e) {
        accepted = false;
        CHECK(std::string(e.what()).find("only an input of one element") != std::string::npos);
      }
      CHECK(offered == c.one_element);
      CHECK(accepted == c.one_element);
    }
  }
}
