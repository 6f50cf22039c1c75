// Editing an ONNX model: keep a pretrained backbone and give it a new head, truncate it, change
// its classes, mark what stays frozen, take weights from another model. Each edit returns one
// line saying what it changed, for sml-compose's report on stderr.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/compose/cores.hpp"
#include "sml/compose/onnx_model.hpp"

namespace sml::compose {

// The model's final linear layer (Gemm, MatMul [+ Add], or a 1×1 Conv) behind its first output,
// found by walking back through Softmax/Flatten/Reshape-like ops; and the feature tensor that
// enters the head (before its pooling/flattening).
struct HeadInfo {
  std::string node;            // the linear node's name (or "#index")
  std::string op;
  std::string weight, bias;    // initializer names ("" when no bias)
  bool transposed = false;     // Gemm with transB: weight is (classes, in)
  std::int64_t in_features = 0;
  std::int64_t classes = 0;
  std::string feature_tensor;  // what enters the head's pooling/flatten chain
  std::vector<int> head_nodes; // node indices from the feature tensor to the output
};
HeadInfo find_head(const OnnxModel& m);

std::string set_num_classes(OnnxModel& m, std::int64_t classes, const WeightOptions& weights);
// Truncates the model after NODE (a node name, or a tensor name): NODE's first output becomes
// the only output; everything not needed for it is dropped.
std::string cut_at(OnnxModel& m, const std::string& node);
// Removes the head (unless CUT already made the output the feature tensor) and attaches the head
// core SPEC built by the block library on the feature tensor.
std::string replace_head(OnnxModel& m, const CoreArgs& spec, std::int64_t num_classes, bool already_cut, const WeightOptions& weights);
// Marks SEGMENT frozen in metadata (`sml.frozen`: the initializer names; `sml.frozen_params`):
// head, backbone (all but the head), a composition role (stem, neck…), or a name prefix.
std::string freeze(OnnxModel& m, const std::string& segment);
// Copies every initializer of OTHER whose name, type and shape match one of M's.
std::string copy_weights(OnnxModel& m, const std::string& other_path);

}  // namespace sml::compose
