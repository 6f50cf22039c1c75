// Reading ONNX files as real exporters write them (issue 2): IR 3–10, initializers, Constant and
// ConstantOfShape weights, external data confined to the model's folder, subgraphs, custom
// domains, model-local functions. The checker is not used: libonnx 1.12's refuses IR 10.
#pragma once
#include <cstdint>
#include <string>

#include "sml/graph/model.hpp"

namespace sml::graph {

struct LoadLimits {
  std::int64_t max_nodes = 10'000'000;       // over all graphs
  std::int64_t max_expanded_nodes = 2'000'000;  // once model-local functions are expanded
  // Expansion may multiply what the file stores by at most this factor, above a floor: an exporter's
  // functions (a layer called once per block) expand a model by tens, a bomb (each function calling
  // the next twice) by 2^depth. Every expanded node costs the readers ~15 us and ~1.7 KB, so a
  // 2.6 KB file expanding to 10^6 nodes took 14 CPU-s and 1.7 GB (fuzz finding, tests/malformed).
  std::int64_t max_expansion_factor = 64;
  std::int64_t expansion_floor = 100'000;
  // Layer names once expanded (each carries its scope, "f0/f1/…/"), held to the same factor of
  // the file's bytes above this floor.
  std::int64_t expanded_name_bytes_floor = std::int64_t(32) << 20;
  int max_subgraph_depth = 32;               // If/Loop/Scan nesting
  int max_rank = 64;
  std::int64_t max_elements = std::int64_t(1) << 50;  // declared tensor size (~1 PiB of fp8)
};

// Reads PATH ("-" for stdin). Throws InputError naming the file and, where it can, the node.
Model load_model(const std::string& path, const LoadLimits& limits = {});

// Parses a model already in memory (tests, fuzzing). BASE_DIR confines external data; empty
// refuses external data.
Model parse_model(std::string bytes, const std::string& display_name, const std::string& base_dir,
                  const LoadLimits& limits = {});

}  // namespace sml::graph
