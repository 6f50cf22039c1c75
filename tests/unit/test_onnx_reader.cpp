#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "onnx_builder.hpp"
#include "sml/io/error.hpp"

using sml::InputError;
using testing::ModelBuilder;

namespace {
std::string temp_dir() {
  char tmpl[] = "/tmp/sml-reader-XXXXXX";
  return ::mkdtemp(tmpl);
}

// A model whose weight W [4, 3] lives in an external file at LOCATION.
ModelBuilder external_model(const std::string& location, std::int64_t offset = 0) {
  ModelBuilder b;
  b.input("x", {"2", "4"});
  auto* w = b.graph->add_initializer();
  w->set_name("W");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->add_dims(3);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* e = w->add_external_data();
  e->set_key("location");
  e->set_value(location);
  auto* o = w->add_external_data();
  o->set_key("offset");
  o->set_value(std::to_string(offset));
  b.node("MatMul", {"x", "W"}, {"y"});
  b.output("y");
  return b;
}

void write_floats(const std::string& path, int n) {
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < n; ++i) {
    float f = static_cast<float>(i);
    out.write(reinterpret_cast<const char*>(&f), 4);
  }
}
}  // namespace

TEST_SUITE("onnx_reader") {
  TEST_CASE("reads what libonnx's protobuf classes wrote") {
    ModelBuilder b(13, 7);
    b.input("x", {"N", "3", "8", "8"});
    b.weight("W", {16, 3, 3, 3});
    b.weight("B", {16}, onnx::TensorProto::FLOAT, {0.5, -1.0});
    b.ints("shape", {1, -1});
    auto* conv = b.node("Conv", {"x", "W", "B"}, {"c"}, "conv1");
    ModelBuilder::attr(conv, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
    ModelBuilder::attr(conv, "auto_pad", std::string("NOTSET"));
    b.node("Reshape", {"c", "shape"}, {"y"});
    b.output("y");
    auto m = b.load();
    CHECK(m.ir_version == 7);
    CHECK(m.opset() == 13);
    CHECK(m.producer_name == "sml-tests");
    REQUIRE(m.graph.nodes.size() == 2);
    const auto& n = m.graph.nodes[0];
    CHECK(n.name == "conv1");
    CHECK(n.op_type == "Conv");
    CHECK(n.inputs == std::vector<std::string>{"x", "W", "B"});
    CHECK(n.attr_ints("pads") == std::vector<std::int64_t>{1, 1, 1, 1});
    CHECK(n.attr_string("auto_pad", "") == "NOTSET");
    REQUIRE(m.graph.initializers.size() == 3);
    CHECK(m.graph.initializers[0].dims == std::vector<std::int64_t>{16, 3, 3, 3});
    auto bias = m.graph.initializers[1].values(100);
    REQUIRE(bias);
    CHECK((*bias)[0] == 0.5);
    CHECK((*bias)[1] == -1.0);
    auto shape = m.graph.initializers[2].values(100);
    REQUIRE(shape);
    CHECK(*shape == std::vector<double>{1, -1});
    REQUIRE(m.graph.inputs.size() == 1);
    CHECK(m.graph.inputs[0].dims[0].param == "N");
    CHECK(m.graph.inputs[0].dims[0].value == -1);
    CHECK(m.graph.inputs[0].dims[1].value == 3);
  }

  TEST_CASE("IR 10 loads (libonnx 1.12's checker would refuse it)") {
    ModelBuilder b(21, 10);
    b.input("x", {"1", "4"});
    b.node("Relu", {"x"}, {"y"});
    b.output("y");
    auto m = b.load();
    CHECK(m.ir_version == 10);
    CHECK(m.opset() == 21);
  }

  TEST_CASE("truncated, empty and foreign files are refused with the file named") {
    ModelBuilder b;
    b.input("x", {"1", "4"});
    b.weight("W", {4, 4});
    b.node("MatMul", {"x", "W"}, {"y"});
    const std::string bytes = b.bytes();
    CHECK_THROWS_WITH_AS(sml::graph::parse_model(bytes.substr(0, bytes.size() - 7), "cut.onnx", ""),
                         doctest::Contains("cut.onnx: byte"), InputError);
    CHECK_THROWS_WITH_AS(sml::graph::parse_model("", "empty.onnx", ""), doctest::Contains("empty.onnx: empty"), InputError);
    CHECK_THROWS_AS(sml::graph::parse_model("sml: task/v1\ntask: x\n", "task.yaml", ""), InputError);
    CHECK_THROWS_AS(sml::graph::parse_model(std::string("\x08\x07", 2), "nograph.onnx", ""), InputError);
  }

  TEST_CASE("declared sizes are checked before use") {
    ModelBuilder b;
    b.input("x", {"1"});
    auto* t = b.graph->add_initializer();
    t->set_name("huge");
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int i = 0; i < 4; ++i) t->add_dims(std::int64_t(1) << 20);
    CHECK_THROWS_WITH_AS(b.load(), doctest::Contains("huge"), InputError);
    ModelBuilder c;
    auto* n = c.graph->add_initializer();
    n->set_name("neg");
    n->add_dims(-3);
    CHECK_THROWS_WITH_AS(c.load(), doctest::Contains("negative dimension"), InputError);
  }

  TEST_CASE("external data inside the model's folder is read on demand") {
    const std::string dir = temp_dir();
    write_floats(dir + "/weights.bin", 20);
    auto m = external_model("weights.bin", 8).load(dir);
    const auto& w = m.graph.initializers.at(0);
    CHECK(w.external_location == "weights.bin");
    auto v = w.values(100);
    REQUIRE(v);
    CHECK((*v)[0] == 2.0);  // offset 8 bytes = skip two floats
    CHECK((*v)[11] == 13.0);
  }

  TEST_CASE("external data is read from the descriptor that was checked, not by reopening the path") {
    const std::string dir = temp_dir();
    write_floats(dir + "/weights.bin", 12);
    auto m = external_model("weights.bin").load(dir);
    // Swap the file after the check: what is read is still what was checked (no TOCTOU).
    {
      std::ofstream other(dir + "/other.bin", std::ios::binary);
      const float nine = 9;
      for (int i = 0; i < 30; ++i) other.write(reinterpret_cast<const char*>(&nine), 4);
    }
    REQUIRE(::rename((dir + "/other.bin").c_str(), (dir + "/weights.bin").c_str()) == 0);
    auto v = m.graph.initializers.at(0).values(100);
    REQUIRE(v);
    CHECK((*v)[11] == 11.0);
  }

  TEST_CASE("external data paths cannot leave the model's folder") {
    const std::string dir = temp_dir();
    ::mkdir((dir + "/model").c_str(), 0755);
    write_floats(dir + "/outside.bin", 12);
    write_floats(dir + "/model/ok.bin", 12);
    CHECK_THROWS_WITH_AS(external_model("../outside.bin").load(dir + "/model"), doctest::Contains("'..' is refused"), InputError);
    CHECK_THROWS_WITH_AS(external_model("sub/../../outside.bin").load(dir + "/model"), doctest::Contains("'..'"), InputError);
    CHECK_THROWS_WITH_AS(external_model(dir + "/outside.bin").load(dir + "/model"), doctest::Contains("absolute"), InputError);
    REQUIRE(::symlink((dir + "/outside.bin").c_str(), (dir + "/model/link.bin").c_str()) == 0);
    CHECK_THROWS_WITH_AS(external_model("link.bin").load(dir + "/model"), doctest::Contains("symlink"), InputError);
    REQUIRE(::symlink(dir.c_str(), (dir + "/model/up").c_str()) == 0);
    CHECK_THROWS_WITH_AS(external_model("up/outside.bin").load(dir + "/model"), doctest::Contains("symlink"), InputError);
    REQUIRE(::mkfifo((dir + "/model/fifo.bin").c_str(), 0600) == 0);
    CHECK_THROWS_WITH_AS(external_model("fifo.bin").load(dir + "/model"), doctest::Contains("not a regular file"), InputError);
    CHECK_THROWS_WITH_AS(external_model("ok.bin", INT64_MAX).load(dir + "/model"), doctest::Contains("runs past"), InputError);
    CHECK_THROWS_WITH_AS(external_model("missing.bin").load(dir + "/model"), doctest::Contains("cannot open"), InputError);
    CHECK_THROWS_WITH_AS(external_model("ok.bin", 40).load(dir + "/model"), doctest::Contains("runs past"), InputError);
    CHECK_THROWS_WITH_AS(external_model("ok.bin").load(""), doctest::Contains("stdin"), InputError);
    CHECK_NOTHROW(external_model("ok.bin").load(dir + "/model"));
  }

  TEST_CASE("subgraph nesting is bounded") {
    // 40 nested If nodes: each then-branch holds the next If.
    onnx::GraphProto inner;
    inner.set_name("leaf");
    for (int depth = 0; depth < 40; ++depth) {
      onnx::GraphProto outer;
      outer.set_name("g" + std::to_string(depth));
      auto* n = outer.add_node();
      n->set_op_type("If");
      n->add_input("c");
      n->add_output("o");
      auto* a = n->add_attribute();
      a->set_name("then_branch");
      a->set_type(onnx::AttributeProto::GRAPH);
      *a->mutable_g() = inner;
      inner = outer;
    }
    ModelBuilder b;
    *b.graph = inner;
    CHECK_THROWS_WITH_AS(b.load(), doctest::Contains("nested deeper"), InputError);
  }
}
