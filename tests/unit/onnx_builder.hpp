// Builds small ONNX models with libonnx's own protobuf classes, so the tests feed our hand-written
// wire-format reader with bytes from an independent writer.
#pragma once
#include <onnx/onnx_pb.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"

namespace testing {

struct ModelBuilder {
  onnx::ModelProto model;
  onnx::GraphProto* graph;

  explicit ModelBuilder(std::int64_t opset = 17, std::int64_t ir = 8) {
    model.set_ir_version(ir);
    model.set_producer_name("sml-tests");
    auto* o = model.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    graph = model.mutable_graph();
    graph->set_name("test");
  }

  static void set_shape(onnx::ValueInfoProto* v, const std::string& name, const std::vector<std::string>& dims,
                        int dtype = onnx::TensorProto::FLOAT) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(dtype);
    auto* s = t->mutable_shape();
    for (const auto& d : dims) {
      auto* dim = s->add_dim();
      if (!d.empty() && (std::isdigit(static_cast<unsigned char>(d[0])))) dim->set_dim_value(std::stoll(d));
      else if (!d.empty()) dim->set_dim_param(d);
    }
  }
  ModelBuilder& input(const std::string& name, const std::vector<std::string>& dims, int dtype = onnx::TensorProto::FLOAT) {
    set_shape(graph->add_input(), name, dims, dtype);
    return *this;
  }
  ModelBuilder& output(const std::string& name) {
    auto* o = graph->add_output();
    o->set_name(name);
    o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    return *this;
  }
  static void fill_tensor(onnx::TensorProto* t, const std::string& name, const std::vector<std::int64_t>& dims,
                          int dtype, const std::vector<double>& values) {
    t->set_name(name);
    t->set_data_type(dtype);
    for (auto d : dims) t->add_dims(d);
    std::int64_t n = 1;
    for (auto d : dims) n *= d;
    if (dtype == onnx::TensorProto::INT64) {
      for (std::int64_t i = 0; i < n; ++i) t->add_int64_data(values.empty() ? 0 : static_cast<std::int64_t>(values[static_cast<std::size_t>(i) % values.size()]));
    } else {
      std::string raw(static_cast<std::size_t>(n) * 4, '\0');
      for (std::int64_t i = 0; i < n; ++i) {
        float f = values.empty() ? 0.01f * static_cast<float>(i % 97) : static_cast<float>(values[static_cast<std::size_t>(i) % values.size()]);
        std::memcpy(&raw[static_cast<std::size_t>(i) * 4], &f, 4);
      }
      t->set_raw_data(raw);
    }
  }
  ModelBuilder& weight(const std::string& name, const std::vector<std::int64_t>& dims,
                       int dtype = onnx::TensorProto::FLOAT, const std::vector<double>& values = {}) {
    fill_tensor(graph->add_initializer(), name, dims, dtype, values);
    return *this;
  }
  ModelBuilder& ints(const std::string& name, const std::vector<std::int64_t>& values) {
    std::vector<double> v(values.begin(), values.end());
    return weight(name, {static_cast<std::int64_t>(values.size())}, onnx::TensorProto::INT64, v);
  }
  onnx::NodeProto* node(const std::string& op, std::initializer_list<std::string> in,
                        std::initializer_list<std::string> out, const std::string& name = "") {
    auto* n = graph->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + std::to_string(graph->node_size()) : name);
    for (const auto& i : in) n->add_input(i);
    for (const auto& o : out) n->add_output(o);
    return n;
  }
  static void attr(onnx::NodeProto* n, const std::string& name, std::int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr(onnx::NodeProto* n, const std::string& name, std::vector<std::int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void attr(onnx::NodeProto* n, const std::string& name, const std::string& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  std::string bytes() const { return model.SerializeAsString(); }
  sml::graph::Model load(const std::string& base_dir = "") const {
    return sml::graph::parse_model(bytes(), "test.onnx", base_dir);
  }
  sml::cost::Profile profile(const sml::graph::InferOptions& o = {}) const {
    return sml::cost::profile_model(load(), o);
  }
};

}  // namespace testing
