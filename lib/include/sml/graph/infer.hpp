// Shape and constant propagation over a model's graphs. ONNX's own inference leaves shapes unknown
// where they depend on values computed in the graph (Reshape/Expand fed by Shape→Gather→Concat,
// Resize sizes from float chains, Swin-T's MatMuls), so this pass carries small constant tensors
// along with shapes and folds them, op by op. Each node is reported to a visitor as it is inferred,
// subgraphs (If/Loop/Scan) and model-local functions included, so counting needs one walk.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sml/graph/model.hpp"

namespace sml::graph {

// The contents of a small constant tensor, or none; read as a std::optional<std::vector<double>>.
// One value repeated (a folded ConstantOfShape: up to 2^16 copies of its fill a node) is kept as
// (count, fill) and spelt out only when a reader asks for the elements: most such outputs are
// passed along or read for their shape only, and the fills were 9% of the onnx fuzz harness
// (issue 20). Spelling out changes no element, so a const reader may do it.
class FoldedValues {
 public:
  FoldedValues() = default;
  FoldedValues(std::nullopt_t) {}
  FoldedValues(std::vector<double> values) : known_(true), values_(std::move(values)) {}
  FoldedValues(std::optional<std::vector<double>> values) : known_(values.has_value()) {
    if (values) values_ = std::move(*values);
  }
  static FoldedValues repeated(std::size_t count, double fill) {
    FoldedValues v;
    v.known_ = true;
    v.repeat_ = count;
    v.fill_ = fill;
    return v;
  }
  bool has_value() const { return known_; }
  explicit operator bool() const { return known_; }
  void reset() { *this = FoldedValues(); }
  const std::vector<double>& operator*() const { return spelt(); }
  std::vector<double>& operator*() { return spelt(); }
  const std::vector<double>* operator->() const { return &spelt(); }
  std::vector<double>* operator->() { return &spelt(); }

 private:
  std::vector<double>& spelt() const {
    if (repeat_) {
      values_.assign(repeat_, fill_);
      repeat_ = 0;
    }
    return values_;
  }
  bool known_ = false;
  mutable std::size_t repeat_ = 0;  // copies of fill_ not yet spelt out into values_
  double fill_ = 0;
  mutable std::vector<double> values_;
};

// What is known about one value.
struct ValueState {
  int dtype = kUndefined;
  bool rank_known = false;
  std::vector<std::int64_t> dims;               // -1 where unknown
  FoldedValues value;                           // contents, for small constant tensors
  int stored = -1;                              // index into InferReport::stored when a stored tensor
  int origin = -1;                              // stored tensor this value is a view of (Transpose, Cast…)

  bool shape_known() const;
  std::int64_t elements() const;                // -1 when unknown
  std::string shape_string() const;             // "1x3x224x224", "?" parts unknown
};

// A tensor stored in the model: an initializer, a Constant node's value, or a ConstantOfShape
// output with a constant shape (shape-only test models and some exporters hold weights that way).
struct StoredTensor {
  enum Kind { kInitializer, kConstant, kConstantOfShape };
  std::string name;
  int dtype = kUndefined;
  std::int64_t elements = 0;
  Kind kind = kInitializer;
  int rank = -1;  // 0 for a scalar: a learned one-element parameter has rank 1 ([1]), an exporter's constant rank 0
};

struct InferOptions {
  std::map<std::string, std::vector<std::int64_t>> input_shapes;  // --input-shape NAME=1x3x224x224
  std::int64_t batch = 0;                  // --batch N; 0: symbolic batch dims default to 1
  std::int64_t constant_limit = 1 << 16;   // largest tensor whose contents are folded
  bool use_declared_shapes = true;         // fall back on value_info/output shapes the file declares
  // --input-value NAME=V: a scalar input's value (a sample rate, a flag), so the If conditions and
  // shapes that depend on it fold and only the branch that runs is counted.
  std::map<std::string, double> input_values;
};

struct NodeEvent {
  const Node& node;
  const std::vector<const ValueState*>& inputs;   // nullptr for omitted optional inputs
  const std::vector<const ValueState*>& outputs;
  double multiplier;        // how many times the node runs per forward pass (Loop/Scan bodies)
  const std::string& scope; // "" at top level, "loop_body/" inside subgraphs
  std::int64_t opset;       // of the node's domain
  bool speculative = false; // inside an If branch counted without knowing its condition
  const std::string* problem = nullptr;  // why the outputs are unknown, when a rule refused the inputs
  // Its cost is that of the nodes inside it, which are visited on their own: If, Loop and Scan, and a
  // call of a model-local function (expanded, or not past the depth limit: counted as nothing either way).
  bool container = false;
};
using NodeVisitor = std::function<void(const NodeEvent&)>;

// An input dimension the model leaves symbolic that the walk set to a default (a batch of 1).
struct DefaultedDim {
  std::string input;
  std::size_t dim = 0;
  std::int64_t value = 0;
  std::string symbol;   // the model's name for it, "" when unnamed
};

struct InferReport {
  std::vector<StoredTensor> stored;
  std::vector<std::string> assumptions;   // e.g. a symbolic batch dim set to 1
  std::vector<std::string> warnings;      // e.g. a Loop with unknown trip count counted once
  std::vector<DefaultedDim> defaulted_dims;     // what --batch or --input-shape would have fixed
  std::vector<std::string> assumed_branches;    // If nodes whose condition was unknown: both branches counted
  std::vector<std::pair<std::string, ValueState>> inputs;   // the main graph's inputs, as bound
  std::vector<std::pair<std::string, ValueState>> outputs;  // the main graph's outputs
};

// Walks every node of MODEL in topological order. Throws InputError for a cycle, an input that
// nothing produces, a value produced twice, an --input-shape or --input-value that names no input,
// or a node whose inputs contradict it (a Reshape whose element count differs), naming the node;
// inside an If branch counted without knowing its condition, such a node is reported to the visitor
// with its problem instead (that branch probably does not run for these inputs).
InferReport infer_model(const Model& model, const InferOptions& options, const NodeVisitor& visit);

}  // namespace sml::graph
