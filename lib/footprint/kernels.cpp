#include "sml/footprint/kernels.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace sml::footprint {

namespace {
// OP is one of NAMES. A scan of string_views, each compared by length first: sml-suggest asks of
// every layer of every candidate on every device (launches_kernel), and a std::set<std::string>'s
// walk of string comparisons, then == against C strings (a strlen and a memcmp each), was a tenth
// of a describe replay's time (issue 20).
template <std::size_t N>
bool one_of(const std::string& op, const std::string_view (&names)[N]) {
  for (const std::string_view name : names)
    if (op == name) return true;
  return false;
}
}  // namespace

bool folded_layer(const cost::LayerCost& l) {
  static constexpr std::string_view folded[] = {"Constant", "ConstantOfShape", "Shape"};
  return one_of(l.op, folded) || l.elements_moved <= 0;
}

bool fused_elementwise(const std::string& op) {
  static constexpr std::string_view ops[] = {
      "Relu", "Clip", "Add", "Sub", "Mul", "Div", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Gelu",
      "Cast", "BatchNormalization", "Identity", "Dropout", "Pow", "Sqrt", "Neg", "Exp", "LeakyRelu", "PRelu",
      "Elu", "Selu", "Softplus", "QuantizeLinear", "DequantizeLinear"};
  return one_of(op, ops);
}

bool eager_view(const std::string& op) {
  // PyTorch's "Tensor Views" documentation (pytorch.org/docs/stable/tensor_view.html) lists the ops
  // that return a view sharing the input's storage: no kernel is launched, only strides change.
  //  - Reshape, Flatten: Tensor.view / reshape / flatten of a contiguous tensor (a view; a copy only
  //    when the strides cannot be merged, below).
  //  - Squeeze, Unsqueeze: squeeze / unsqueeze, always views.
  //  - Transpose: transpose / permute, always views; cuBLAS GEMMs and TensorIterator elementwise
  //    kernels read the strided result directly (HF's k.transpose(2, 3) feeding matmul).
  //  - Slice: basic indexing and narrow with positive steps are views (rotate_half's x[..., :d/2]).
  //    ONNX Slice with a negative step needs torch.flip, a kernel: not distinguished here.
  //  - Split: torch.split / chunk return views.
  //  - Expand: expand is a view (stride 0 on the broadcast axes).
  //  - Identity, Dropout: nn.Identity returns its input; dropout in eval mode returns its input.
  //  - Shape, Size, Constant: host-side metadata, or a tensor built once with the module (a buffer).
  // Not views, each one launch: every elementwise op (eager PyTorch fuses nothing: x * torch.rsqrt(v)
  // is two kernels), Cast (Tensor.to(dtype) copies), Concat (torch.cat writes a new tensor), Gather
  // (embedding / index_select), reductions, Softmax, MatMul/Gemm (one cuBLAS call each).
  // Missed by an op-by-op rule: a view whose consumer needs contiguous memory makes a copy there
  // (HF LLaMA's attn_output.transpose(1, 2).contiguous(), repeat_kv's expand(...).reshape(...)),
  // about one kernel per layer that this rule does not see.
  static constexpr std::string_view views[] = {"Reshape", "Flatten",  "Squeeze", "Unsqueeze", "Transpose", "Slice", "Split",
                                               "Expand",  "Identity", "Dropout", "Shape",     "Size",      "Constant"};
  return one_of(op, views);
}

double kernels_per_run(const cost::LayerCost& l, bool fuses_elementwise) {
  if (folded_layer(l)) return 0;
  // A compiling runtime runs the exported graph with its own fusions (a folded BatchNorm stays
  // folded, Sigmoid and Mul run inside their producers): the graph is what it executes.
  if (fuses_elementwise) return fused_elementwise(l.op) ? 0 : 1;
  if (eager_view(l.op)) return 0;
  // Eager PyTorch runs the module, not the export. torch.onnx.export in eval mode rewrites it in
  // ways a graph-by-graph count gets wrong both ways (checked against the aten ops torch 1.13
  // dispatches for seven torchvision CNNs: tests/validation/eager_kernels_torch.json,
  // tests/unit/test_eager_kernels.cpp): each BatchNorm2d after a Conv is folded into that Conv
  // (eager: convolution, then batch_norm, 2 kernels), nn.SiLU is split into Sigmoid and Mul
  // (eager: one silu kernel; the Mul stands for it), and avg_pool2d(count_include_pad=True) gains
  // a constant Pad of zeros before its AveragePool (eager: one avg_pool2d kernel; a model's own
  // F.pad is a copy kernel, zero pads or not). EfficientNet-B0 has 49 of the first and 49 of the second, so its
  // count is the graph's 238 either way; ResNet-50 runs 174 kernels where its graph has 121.
  switch (l.exported) {
    case cost::LayerCost::Rewrite::kFoldedBatchNorm: return 2;
    case cost::LayerCost::Rewrite::kSiluSigmoid:
    case cost::LayerCost::Rewrite::kAvgPoolPad: return 0;
    case cost::LayerCost::Rewrite::kNone: break;
  }
  return 1;
}

bool launches_kernel(const cost::LayerCost& l, bool fuses_elementwise) { return kernels_per_run(l, fuses_elementwise) > 0; }

double unfolded_batchnorm_elements(const cost::LayerCost& l, bool fuses_elementwise) {
  if (fuses_elementwise || l.exported != cost::LayerCost::Rewrite::kFoldedBatchNorm || folded_layer(l)) return 0;
  return 2 * l.output_elements;  // reads the convolution's output and writes its own
}

double kernels_launched(const cost::Profile& profile, bool fuses_elementwise) {
  double n = 0;
  for (const auto& l : profile.layers) n += kernels_per_run(l, fuses_elementwise) * l.runs;
  return n;
}

namespace {
bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A self-attention cache input by sml-compose's names, optimum's (kv_cache.cpp, cores_seq2seq.cpp):
// past_key_values.I.key/value (decoder-only) and past_key_values.I.decoder.key/value; the
// cross-attention cache past_key_values.I.encoder.* is reused as it is, never concatenated.
bool self_attention_cache(const std::string& name) {
  if (name.rfind("past_key_values.", 0) != 0) return false;
  return name.find(".encoder.") == std::string::npos &&
         (ends_with(name, ".key") || ends_with(name, ".value"));
}
}  // namespace

CacheConcat cache_concat_work(const cost::Profile& step) {
  CacheConcat c;
  for (const auto& [name, shape] : step.inputs) {
    if (!self_attention_cache(name)) continue;
    // "NxHxTxD" as counted (graph::ValueState::shape_string); an unknown dim leaves it uncounted.
    std::vector<double> dims;
    std::size_t at = 0;
    while (at <= shape.size()) {
      const std::size_t x = std::min(shape.find('x', at), shape.size());
      const std::string dim = shape.substr(at, x - at);
      if (dim.empty() || dim.find_first_not_of("0123456789") != std::string::npos) {
        dims.clear();
        break;
      }
      dims.push_back(std::stod(dim));
      at = x + 1;
    }
    if (dims.size() != 4) continue;
    const double row = dims[0] * dims[1] * dims[3];  // one token's keys (or values) of every head
    c.elements_moved += 2 * (dims[2] + 1) * row;    // read the T cached and the new row, write T + 1
    c.kernels += 1;
  }
  return c;
}

}  // namespace sml::footprint
