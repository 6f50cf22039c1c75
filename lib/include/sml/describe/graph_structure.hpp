// The shape of a model's graph, for explaining models nobody taught us (issue 18): where a single
// tensor carries everything forward (a cut: every later node depends on earlier ones only through
// it, as a dominator or articulation point does), where resolution or sequence length shrinks or
// grows, and what the input is (images, audio samples, audio frames, tokens). From these,
// structural_segments() names stem, repeated stages, neck and heads of any graph, whatever its
// exporter called its nodes and even where its spatial sizes are unknown.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/describe/model_segments.hpp"
#include "sml/graph/infer.hpp"

namespace sml::describe {

// Per node, in the profile's order (one entry per profile layer).
struct GraphStructure {
  std::vector<int> live_after;                   // activations from nodes ≤ i still needed after node i
  std::vector<std::vector<std::int64_t>> dims;   // the first output's dims (empty when unknown)
  std::vector<bool> downsamples, upsamples;      // strided conv/pool, or a smaller output; resize, transposed conv
  std::vector<std::string> scope;                // "" at top level, "If_0/then/" inside a branch
  int outputs = 0;                               // graph outputs
};

GraphStructure analyse_structure(const graph::Model& model, const graph::InferOptions& options);

// What the model's main input holds: "image", "audio-waveform", "audio-frames", "tokens",
// "sequence" or "features"; EVIDENCE says why.
struct Modality {
  std::string kind;
  std::string input;
  std::string evidence;
};
Modality read_modality(const graph::Model& model, const cost::Profile& profile);

// Stem, stages of repeated blocks, neck and heads from the cuts of STRUCTURE.
ModelSegments structural_segments(const cost::Profile& profile, const GraphStructure& structure);

}  // namespace sml::describe
