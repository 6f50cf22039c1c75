// A model's functional segments for a novice (issue 5): stem, backbone stages, decoder, head for
// CNNs; embeddings, encoder blocks and head for transformers — each with its parameters, its
// share of the MACs, and a plain-language account of what it does and why it costs what it costs.
// Segments are found from the profiled graph itself: where the spatial resolution changes, where
// global pooling ends the convolutional part, where LayerNorm/Softmax repeat in transformer blocks.
#pragma once
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/graph/infer.hpp"
#include "sml/io/doc.hpp"

namespace sml::describe {

struct ModelSegment {
  std::string name;          // stem, stage1…, decoder, head; embeddings, block1…, head
  std::string role;          // the kind: stem, backbone-stage, decoder, head, embeddings, encoder-block, body
  std::size_t first = 0, last = 0;  // layer indices in the profile (inclusive)
  std::int64_t nodes = 0;
  std::int64_t params = 0;
  double macs = 0;
  double share_macs = 0;
  std::string resolution;    // e.g. "56x56" for CNN stages
  std::string explanation;
};

struct ModelSegments {
  std::string architecture;  // convolutional, transformer, or other
  std::vector<ModelSegment> segments;
};

ModelSegments find_segments(const cost::Profile& profile);
// The same, falling back on the graph's structure (graph_structure.hpp) where the CNN and
// transformer patterns find fewer than three segments, and explaining each for MODALITY's input.
struct GraphStructure;
struct Modality;
ModelSegments find_segments(const cost::Profile& profile, const GraphStructure& structure, const Modality& modality);

// modelinfo/v1 for MODEL_FILE (with the input's modality when given).
Doc modelinfo_doc(const std::string& model_file, const cost::Profile& profile, const ModelSegments& segments,
                  const Modality* modality = nullptr);

// Loads MODEL_FILE, profiles it and returns its modelinfo/v1: what `sml-describe MODEL.onnx` prints.
// OPTIONS fix input shapes (--input-shape) as sml-estimate's do.
Doc describe_model(const std::string& model_file, const graph::InferOptions& options = {});
// The same for a model already read (from standard input), named NAME in the document.
Doc describe_model_bytes(std::string bytes, const std::string& name, const graph::InferOptions& options = {});

}  // namespace sml::describe
