// What sml-estimate computes, callable from any program: options in, estimate/v1 document out.
#pragma once
#include <string>

#include "sml/graph/infer.hpp"
#include "sml/io/doc.hpp"

namespace sml::footprint {

struct EstimateOptions {
  std::string model_path;          // ONNX file, "-" for stdin
  graph::InferOptions infer;       // --input-shape, --batch
  bool layers = true;              // per-layer table in the output
};

// Loads the model, profiles one forward pass and returns the estimate/v1 document.
// Throws InputError (exit 2) for bad files or values.
Doc estimate(const EstimateOptions& options);

}  // namespace sml::footprint
