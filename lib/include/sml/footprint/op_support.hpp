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
#include "sml/io/doc.hpp"

namespace sml::footprint {

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

// What the table says of one model on its device, as both sml-estimate (the `operator_support`
// keys of its inference section) and sml-suggest (a candidate's fit) state it. The costed latency
// runs every op on the device's accelerator; it holds only when the table places every op there
// and names no poorly-mapped block. An unsupported op runs on the host CPU (Edge TPU) or not at
// all (TFLite Micro): the figure does not hold, and since no table gives a fallback cost it is not
// replaced by one. An unplaced op or a poorly-mapped block: whether it holds is unknown.
struct OpSupport {
  const OpTable* table = nullptr;
  OpVerdict ops;
  std::string latency_holds;  // "yes", "no" or "unknown"
  std::string unsupported_text() const;   // "LayerNormalization ×25 (why); …", empty when none
  std::string unplaced_text() const;      // "Foo ×2; …", empty when none
  std::vector<std::string> poor_texts() const;  // "squeeze-excitation blocks (×16): why", one a block
  std::string reason() const;             // one line: why the latency does not hold or is unknown; empty for "yes"
};
OpSupport op_support(const cost::Profile& profile, const OpTable& table);
// The `operator_support` mapping sml-estimate writes (man sml-formats(5), estimate/v1).
Doc op_support_doc(const OpSupport& s, const std::string& device_id);

}  // namespace sml::footprint
