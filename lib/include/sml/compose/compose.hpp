// sml-compose's work in one call: pick the source (a composition, an architecture by name, the
// N-th candidate of sml-suggest, or an imported ONNX model), apply the edits, draw or copy the
// weights, stamp provenance, and check the result with libonnx (DESIGN.md §6, sml-compose(1)).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sml/compose/onnx_model.hpp"
#include "sml/io/doc.hpp"

namespace sml::compose {

struct ComposeOptions {
  std::string input;            // composition, suggestions or ONNX; "-" stdin; "" with --arch
  std::string arch;             // --arch NAME
  bool import = false;          // --import: INPUT must be ONNX
  int pick = 0;                 // --pick N (1-based), for a suggestions document
  std::optional<double> width, depth;
  std::optional<std::int64_t> num_classes;
  std::vector<std::int64_t> input_shape;  // --input-shape: the composition's input dims
  std::string precision;        // fp32 or fp16; "" keeps the composition's
  bool attention_mask = false;  // --attention-mask: give the encoder an attention_mask input (composition key attention_mask)
  std::string replace_head;     // CORE[:key=value,…]
  std::string decode;           // --decode once|step: that part of a generation (decode.hpp); "" the whole graph
  std::optional<std::int64_t> cache;  // --cache L: a step's cached tokens (default: the request's mean)
  std::string cut_at;
  std::string freeze;
  std::string weights;          // random, zeros or from:MODEL.onnx; "": random, zeros past protobuf's 2 GiB
  std::uint64_t seed = 0;
  std::string catalog_dir;
};

struct ComposeResult {
  OnnxModel model;
  std::vector<std::string> report;    // what was built or changed, one line each (stderr)
  std::vector<std::string> warnings;
  std::vector<std::string> notes;     // what was decided for the user (stderr, even with --quiet)
  bool external_data = false;         // the weights exceed protobuf's 2 GiB: they must go to FILE.data
};

ComposeResult compose(const ComposeOptions& options);

// Weight bytes past which one ONNX file cannot hold the model (protobuf's 2 GiB message limit),
// and past which random weights are refused (gigabytes of random values nobody reads).
constexpr double kOneFileBytes = 2147483647.0;
constexpr double kMaxDrawnBytes = 16.0 * 1073741824.0;
// Weight bytes past which nothing is built, even as a sparse file of zeros.
constexpr double kMaxBuiltBytes = 64.0 * 1073741824.0;

// `--list archs` and `--list cores`, one entry per line.
std::vector<std::string> list_archs_lines(const std::string& catalog_dir);
std::vector<std::string> list_cores_lines();

}  // namespace sml::compose
