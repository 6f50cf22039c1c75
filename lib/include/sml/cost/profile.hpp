// The profile of one forward pass: per-layer MACs, FLOPs, parameters and activation sizes, and
// the totals that sml-estimate prints under `profile` (DESIGN.md §6).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/graph/infer.hpp"
#include "sml/io/doc.hpp"

namespace sml::cost {

struct LayerCost {
  std::string name;           // node name, or its first output when unnamed; subgraph nodes are scoped
  std::string op;
  std::string domain;
  double macs = 0;            // per forward pass (Loop/Scan bodies multiplied by their trip count)
  double flops = 0;
  std::int64_t params = 0;    // trainable parameters this layer is the first consumer of
  std::int64_t frozen_params = 0;  // of those, the ones the model's sml.frozen metadata marks frozen
  std::string output_shape;
  double activation_bytes = 0;
  double elements_moved = 0;  // elements read and written (weights included; 0 for views such as Reshape)
  bool counted = true;
  bool constant = false;      // produces only stored weights or folded constants (Constant, ConstantOfShape…)
  double runs = 1;            // times it runs per query (per_query_profile: its pass's runs); its kernels launch each time
  // Where PyTorch's exporter (producer "pytorch") wrote this node differently from the module eager
  // PyTorch runs (footprint/kernels.cpp counts the difference for eager runtimes; profile.cpp tells):
  //  kFoldedBatchNorm: a Conv whose weights are the exporter's folded constants ("onnx::Conv_N"), a
  //    BatchNorm folded in that eager runs as a kernel of its own after the convolution;
  //  kSiluSigmoid: the Sigmoid of Mul(x, Sigmoid(x)), which is torch.nn.SiLU, one kernel with the Mul
  //    (or the HardSigmoid of Mul(x, HardSigmoid(x)), nn.Hardswish at opset <= 13);
  //  kAvgPoolPad: a constant Pad of zeros whose output feeds only an AveragePool, the exporter's
  //    writing of avg_pool2d(count_include_pad=True), which eager runs as one avg_pool2d kernel.
  enum class Rewrite { kNone, kFoldedBatchNorm, kSiluSigmoid, kAvgPoolPad };
  Rewrite exported = Rewrite::kNone;
  double output_elements = 0;  // of its first output, per forward pass (what a folded BatchNorm reads and writes)
};

struct Uncounted {
  std::string op;
  std::string domain;
  std::int64_t count = 0;
  std::string reason;
};

// How much of the graph the figures cover (DESIGN.md §7): a figure from an incomplete profile is
// a lower bound (nodes uncounted), or holds for an input the user did not choose (a defaulted
// dim) or for both branches of an If whose condition was unknown.
struct Coverage {
  std::int64_t nodes_counted = 0;    // nodes with a cost (If/Loop/Scan and function calls are their bodies)
  std::int64_t nodes_total = 0;
  std::vector<graph::DefaultedDim> defaulted_dims;
  std::vector<std::string> assumed_branches;

  bool complete() const { return nodes_counted == nodes_total && defaulted_dims.empty() && assumed_branches.empty(); }
  // One line for people: "12 of 200 nodes uncounted; input 'x' dim 0 defaulted to 1", "" when complete.
  std::string gaps() const;
};

// How often the layers under SCOPE run (a composition's `passes:`, carried in the written model's
// `sml.passes` metadata; passes.hpp): a pipeline in one graph, such as Stable Diffusion.
struct PassRun {
  std::string scope;            // a core's scope, or a prefix of scopes ("text_encoder" covers text_encoder.*)
  std::int64_t runs = 1;        // per query (one generated image)
  std::int64_t train_runs = 1;  // per training sample
  bool frozen = false;          // not trained: a training sample runs it forward only
};

struct Profile {
  std::vector<LayerCost> layers;
  double macs = 0;
  double flops = 0;
  std::int64_t params = 0;           // trainable: stored float tensors in weight roles, no BN buffers
  std::int64_t frozen_params = 0;    // of those, marked frozen by sml-compose --freeze (sml.frozen)
  std::int64_t stored_elements = 0;  // every stored tensor once
  double weight_bytes = 0;           // bytes of every stored tensor
  double activation_bytes = 0;       // bytes of every tensor the nodes produce (what training keeps)
  std::int64_t nodes = 0;
  std::vector<Uncounted> uncounted;
  Coverage coverage;
  std::vector<std::string> assumptions;
  std::vector<std::string> warnings;
  std::vector<std::pair<std::string, std::string>> inputs;   // name, shape as counted
  std::vector<std::pair<std::string, std::string>> outputs;
  // The model's sml.passes (empty: every layer once). The figures above are one run of each part;
  // per_query_profile (passes.hpp) gives what a query costs.
  std::vector<PassRun> passes;
};

Profile profile_model(const graph::Model& model, const graph::InferOptions& options);

// Work of one training step per layer, in forward passes (DESIGN.md §6): FACTOR (3: forward,
// input gradient, weight gradient) for every layer of a model with nothing frozen. With frozen
// weights (sml.frozen): no backward pass before the first layer that still trains; after it,
// 1 + (FACTOR − 1) for layers that train or hold no weights, 1 + (FACTOR − 1)/2 for layers whose
// weights are all frozen (input gradient, no weight gradient). With passes (sml.passes), each
// layer's work times its pass's train_runs, and 1 (forward only) in a frozen pass.
std::vector<double> training_work(const Profile& profile, double factor);

// `profile.coverage` (also in every other document derived from a graph): complete, nodes_counted,
// nodes_total, macs_counted, defaulted_dims[].{input,dim,value}, assumed_branches[].
Doc coverage_to_doc(const Profile& profile);

// The `profile` section of estimate/v1. LAYERS false leaves out the per-layer table.
Doc profile_to_doc(const Profile& profile, bool layers);

}  // namespace sml::cost
