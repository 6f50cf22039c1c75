// Private to lib/compose: the protobuf behind OnnxModel, and the pieces edit.cpp shares with
// onnx_model.cpp. Nothing outside lib/compose includes libonnx.
#pragma once
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <string>

#include "sml/compose/builder.hpp"
#include "sml/compose/onnx_model.hpp"

namespace sml::compose {

struct OnnxModel::Impl {
  onnx::ModelProto proto;
  std::string source;  // where it was read from ("" when built)
};

// Elements of a stored tensor: the product of its dims.
inline std::int64_t tensor_elements(const onnx::TensorProto& t) {
  std::int64_t n = 1;
  for (auto d : t.dims()) n *= d;
  return n;
}

// Adds BUILDER's nodes and initializers (weights drawn per WEIGHTS) to GRAPH; not its inputs/outputs.
void emit_into(onnx::GraphProto& graph, const GraphBuilder& builder, const WeightOptions& weights);
void set_value_info(onnx::ValueInfoProto& v, const std::string& name, const Shape& shape, int dtype);
// The full static shape ONNX inference gave NAME (graph inputs, outputs, value_info); empty when
// unknown or not fully static. With BATCH_PARAM, a symbolic first dim is allowed: it reads as 1
// and its name is stored there.
Shape inferred_shape(const onnx::GraphProto& g, const std::string& name, std::string* batch_param = nullptr);

// Runs STEP (libonnx shape inference or checker) on P in a child process and takes back what it
// inferred: a crash inside libonnx becomes an InputError naming WHAT, never the tool's death.
// STEP's own exceptions are refused models too.
// Without TAKE_BACK (the checker) nothing comes back but the verdict.
void run_libonnx_isolated(onnx::ModelProto& p, const std::function<void(onnx::ModelProto&)>& step, const std::string& what,
                          bool take_back = true);

}  // namespace sml::compose
