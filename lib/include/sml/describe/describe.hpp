// What sml-describe computes for a problem text: options in, task/v1 document out.
#pragma once
#include <string>

#include "sml/io/doc.hpp"

namespace sml::describe {

struct DescribeOptions {
  std::string text;
  std::string source_name;       // where the text came from, for the document
  std::string catalog_dir, hw_dir;
  int alternatives = 3;
  // Add `learning_scorer`: the learned scorer's features, probability and the rules' own verdict
  // (for tests/validation/describe/train_learning_scorer.py).
  bool learning_features = false;
};

// Below this confidence the document says that the text fits no task well.
constexpr double kLowConfidence = 0.35;

Doc describe_text(const DescribeOptions& options);

// What was read from a file or stdin (OPTIONS.text, named OPTIONS.source_name), told by its
// content (DESIGN.md §3): one of our documents is refused as the wrong kind; bytes no text has
// (NUL) are an ONNX model, described as one (modelinfo/v1); anything else is a problem in words.
Doc describe_input(DescribeOptions options);

}  // namespace sml::describe
