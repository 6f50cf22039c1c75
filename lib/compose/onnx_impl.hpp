// Private to lib/compose: the protobuf behind OnnxModel, and the pieces edit.cpp shares with
// onnx_model.cpp. Nothing outside lib/compose includes libonnx.
#pragma once
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sml/compose/builder.hpp"
#include "sml/compose/onnx_model.hpp"

namespace sml::compose {

struct OnnxModel::Impl {
  onnx::ModelProto proto;
  std::string source;  // where it was read from ("" when built)
  // Built models: the initializers whose values are drawn as the model is written (by name; the
  // proto holds their name, type and dims only), and how. A tensor given values since (--weights
  // from:) is written with those.
  std::unordered_map<std::string, Initializer> drawn;
  WeightOptions weights;
};

// True when T carries values of its own (raw, typed or external).
inline bool has_values(const onnx::TensorProto& t) {
  return !t.raw_data().empty() || t.data_location() == onnx::TensorProto::EXTERNAL || t.float_data_size() || t.int32_data_size() ||
         t.int64_data_size() || t.double_data_size() || t.uint64_data_size() || t.string_data_size();
}

// The drawn initializer behind T when its values are still to be drawn, else null.
inline const Initializer* drawn_later(const OnnxModel::Impl& m, const onnx::TensorProto& t) {
  if (has_values(t)) return nullptr;
  const auto it = m.drawn.find(t.name());
  return it == m.drawn.end() ? nullptr : &it->second;
}

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
// Whether ONNX inference gave NAME a complete static shape. Unlike inferred_shape's empty answer,
// a scalar (rank 0) and a zero-sized dim are complete shapes here; a value inference typed as a
// sequence, optional or map has no shape and passes.
bool inferred_shape_complete(const onnx::GraphProto& g, const std::string& name);
// libsml's own shape propagation (lib/graph) over P's bytes, for the NAMES ONNX inference leaves
// unknown: the complete shapes it finds, by name (a scalar as an empty Shape). Nothing where it
// cannot read the model (external data, a construct lib/graph refuses); then REFUSED, when given,
// holds lib/graph's reason.
std::unordered_map<std::string, Shape> libsml_shapes(const onnx::ModelProto& p, const std::vector<std::string>& names,
                                                     std::string* refused = nullptr);

// libonnx's work on a model (shape inference, the checker): a plain function, not a closure, so
// that it can run in a child forked before the call (libonnx_child.cpp's fork server).
using LibonnxRun = void (*)(onnx::ModelProto&);

// Runs STEP (libonnx shape inference or checker) on P in a child process and takes back what it
// inferred: a crash inside libonnx becomes an InputError naming WHAT, never the tool's death.
// STEP's own exceptions are refused models too.
// Without TAKE_BACK (the checker) nothing comes back but the verdict.
void run_libonnx_isolated(onnx::ModelProto& p, LibonnxRun step, const std::string& what, bool take_back = true);
// Several steps in turn in one child process: one fork where a fork each cost twice as much
// (fork() of a large process is most of an import's libonnx time). A crash or refusal names the
// step it happened in, as separate runs would. The initializers at PLACEHOLDERS (indices into P's
// graph) get one byte of raw_data in the child's copy first (weights still to be drawn).
struct LibonnxStep {
  std::string what;
  LibonnxRun run;
};
void run_libonnx_isolated(onnx::ModelProto& p, const std::vector<LibonnxStep>& steps, bool take_back = true,
                          const std::vector<int>& placeholders = {});

}  // namespace sml::compose
