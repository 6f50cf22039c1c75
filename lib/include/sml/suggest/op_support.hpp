// Which operators a device's runtime can run (hw/operator-support/*.yaml, operator-support/v1):
// the Edge TPU compiler maps only the ops of Google's table, TensorFlow Lite Micro only those its
// op resolver registers. A candidate whose graph holds an op the runtime lacks does not run there
// as costed; one holding an op the table does not place is unknown, never a pass.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/hw/device.hpp"

namespace sml::suggest {

// A block the compiler maps but that its vendor says runs poorly there (EfficientNet's swish and
// squeeze-excitation on the Edge TPU): a gate op (Sigmoid, HardSigmoid) read by the next Mul, told
// apart by the gate's output: the Mul's own shape (an activation, x·σ(x)) or pooled to 1×1 (a
// channel gate). The candidate's figure there is unknown, with the reason; no penalty is invented.
struct PoorBlock {
  std::string block, why;
  std::set<std::string> gates;
  bool pooled_gate = false;  // the gate is 1×1 in space (channel gate) rather than the Mul's shape
};

struct OpTable {
  std::string id, runtime, source, consequence, file;
  std::vector<PoorBlock> poorly_mapped;
  std::vector<std::string> devices, device_classes;  // where it applies
  std::set<std::string> folded, supported;          // ONNX op keys (op_key)
  std::map<std::string, std::string> unsupported;    // key → why
};

// Every table under DIR (none when DIR does not exist). InputError (file:line) for a malformed one.
std::vector<OpTable> load_op_tables(const std::string& dir);
// The table for DEVICE (by id, else by class), or null.
const OpTable* op_table_for(const std::vector<OpTable>& tables, const hw::Device& device);

// The key a layer is matched on: its ONNX op, with "MatMul:weights" / "MatMul:activations" (a
// stored weight or not) and "Conv:3d" (a 5-D output) told apart.
std::string op_key(const cost::LayerCost& layer);

struct OpVerdict {
  std::map<std::string, int> unsupported, unknown;   // key → layers
  std::map<std::string, int> poorly_mapped;            // block → occurrences
};
OpVerdict check_ops(const cost::Profile& profile, const OpTable& table);

}  // namespace sml::suggest
