// ONNX models as sml-compose writes and edits them: built from a GraphBuilder or read from a
// file, checked with libonnx's checker and strict shape inference, stamped with provenance, and
// written atomically. libonnx's protobuf types stay behind this header (OnnxModel is opaque).
#pragma once
#include <cstdint>
#include <memory>
#include <functional>
#include <string>
#include <vector>

#include "sml/compose/builder.hpp"

namespace sml::compose {

struct WeightOptions {
  // random (seeded He/Xavier/normal as fits the op), zeros, or none: shape-only, for counting
  // (drawn weights get dims and no values; such a model is profiled, never checked or written)
  std::string mode = "random";
  std::uint64_t seed = 0;
  std::string precision = "fp32";  // fp32 or fp16 (weights, inputs and outputs stored as float16)
};

class OnnxModel {
 public:
  OnnxModel();
  ~OnnxModel();
  OnnxModel(OnnxModel&&) noexcept;
  OnnxModel& operator=(OnnxModel&&) noexcept;
  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// IR 8 / opset 17 (DESIGN.md §3), weights drawn now.
OnnxModel to_onnx(const GraphBuilder& graph, const WeightOptions& weights, const std::string& producer_version);

// Reads a model for editing. External data is loaded (paths confined to the model's folder) so the
// edited model is self-contained. InputError naming the file when it is not ONNX. ALREADY_READ:
// PATH's bytes when the caller has them (stdin can be read once).
OnnxModel read_onnx(const std::string& path, const std::string* already_read = nullptr);

void set_metadata(OnnxModel& m, const std::string& key, const std::string& value);
std::string metadata(const OnnxModel& m, const std::string& key);  // "" when absent

// libonnx's checker, then its shape inference in strict mode with every graph input, output and
// intermediate tensor required to get a full static shape (REQUIRE_STATIC; edited imports with a
// symbolic batch only need a known rank). Returns warnings (an IR above 8 skips
// the checker, as libonnx 1.12 refuses it); throws InputError naming the node on failure.
std::vector<std::string> check_onnx(OnnxModel& m, bool require_static = true);

// For a process that checks many models (the fuzz harness fuzz_import): forks now, while the
// process is small, a server that from then on forks the child each libonnx call runs in (one
// fresh child per model, as without it: crashes stay contained), instead of forking the caller
// each time. Started again if it dies. sml-compose does not need it (one or two calls a run).
void start_libonnx_server();
// Ends it: libonnx's children are forked from the caller again (tests).
void stop_libonnx_server();

// The serialized model (tests, and callers that profile it in memory).
std::string to_bytes(const OnnxModel& m);

// Counts of what was built, from the model itself.
struct OnnxSummary {
  std::int64_t nodes = 0;
  std::int64_t initializers = 0;
  std::int64_t stored_elements = 0;
  double bytes = 0;  // serialized size estimate of the weights
};
OnnxSummary summarize(const OnnxModel& m);

// Writes M to PATH ("-" or empty: stdout) atomically; never onto PROTECTED paths. EXTERNAL_DATA
// moves every initializer of 1 KiB or more to PATH.data beside it (needs a PATH; required past
// protobuf's 2 GiB limit).
// PROGRESS, when given, hears the weight bytes written so far and their total, after each tensor
// and each 4 MiB block (sml-compose's progress line).
using WriteProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;
void write_onnx(OnnxModel& m, const std::string& path, const std::vector<std::string>& protected_paths, bool external_data,
                const WriteProgress& progress = {});
// One line on what write_onnx put at PATH and PATH.data: their sizes, and the disk space the data
// takes where the filesystem reports allocated blocks (zeros are holes in a sparse file).
std::string describe_written(const std::string& path);

}  // namespace sml::compose
