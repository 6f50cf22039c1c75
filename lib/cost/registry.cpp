#include "sml/cost/registry.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace sml::cost {
namespace {

using graph::NodeEvent;
using graph::ValueState;
using Cost = std::optional<OpCost>;

const ValueState* in(const NodeEvent& e, std::size_t i) { return i < e.inputs.size() ? e.inputs[i] : nullptr; }
const ValueState* out(const NodeEvent& e, std::size_t i) { return i < e.outputs.size() ? e.outputs[i] : nullptr; }
bool shaped(const ValueState* v) { return v && v->shape_known(); }
double elements(const ValueState* v) { return static_cast<double>(v->elements()); }

double prod_from(const std::vector<std::int64_t>& d, std::size_t from) {
  double p = 1;
  for (std::size_t i = from; i < d.size(); ++i) p *= static_cast<double>(d[i]);
  return p;
}

Cost zero(const NodeEvent&) { return OpCost{}; }

// Elementwise ops: one operation per output element for each input beyond the first
// (Add of 3 inputs = 2 adds); unary ops one per element.
Cost elementwise(const NodeEvent& e) {
  const ValueState* y = out(e, 0);
  if (!shaped(y)) return std::nullopt;
  std::size_t n = 0;
  for (auto* v : e.inputs) n += v ? 1 : 0;
  return OpCost{0, elements(y) * static_cast<double>(std::max<std::size_t>(1, n > 1 ? n - 1 : 1))};
}

template <int PerElement>
Cost per_output_element(const NodeEvent& e) {
  const ValueState* y = out(e, 0);
  if (!shaped(y)) return std::nullopt;
  return OpCost{0, PerElement * elements(y)};
}

template <int PerElement>
Cost per_input_element(const NodeEvent& e) {
  const ValueState* x = in(e, 0);
  if (!shaped(x)) return std::nullopt;
  return OpCost{0, PerElement * elements(x)};
}

// Conv: every output element takes (Cin/group) × kernel MACs; W is [Cout, Cin/group, k...].
Cost conv_like(const NodeEvent& e, std::size_t w_index, std::size_t bias_index) {
  const ValueState *y = out(e, 0), *w = in(e, w_index);
  if (!shaped(y) || !shaped(w) || w->dims.size() < 2) return std::nullopt;
  OpCost c;
  c.macs = elements(y) * prod_from(w->dims, 1);
  if (in(e, bias_index)) c.other_flops = elements(y);
  return c;
}
Cost conv(const NodeEvent& e) { return conv_like(e, 1, 2); }
Cost qlinear_conv(const NodeEvent& e) { return conv_like(e, 3, 8); }

// ConvTranspose: every input element is multiplied into (Cout/group) × kernel outputs;
// W is [Cin, Cout/group, k...].
Cost conv_transpose(const NodeEvent& e) {
  const ValueState *x = in(e, 0), *w = in(e, 1), *y = out(e, 0);
  if (!shaped(x) || !shaped(w) || w->dims.size() < 2) return std::nullopt;
  OpCost c;
  c.macs = elements(x) * prod_from(w->dims, 1);
  if (in(e, 2)) {
    if (!shaped(y)) return std::nullopt;
    c.other_flops = elements(y);
  }
  return c;
}

// MatMul (numpy semantics, batched and broadcast): output elements × the shared dim K.
Cost matmul_like(const NodeEvent& e, std::size_t a_index) {
  const ValueState *a = in(e, a_index), *y = out(e, 0);
  if (!shaped(a) || !shaped(y) || a->dims.empty()) return std::nullopt;
  return OpCost{elements(y) * static_cast<double>(a->dims.back()), 0};
}
Cost matmul(const NodeEvent& e) { return matmul_like(e, 0); }

// Gemm: M×N×K MACs; adding C costs one per output element, alpha/beta ≠ 1 one more each.
Cost gemm(const NodeEvent& e) {
  const ValueState *a = in(e, 0), *y = out(e, 0);
  if (!shaped(a) || !shaped(y) || a->dims.size() != 2) return std::nullopt;
  const double k = static_cast<double>(e.node.attr_int("transA", 0) ? a->dims[0] : a->dims[1]);
  OpCost c{elements(y) * k, 0};
  if (e.node.attr_float("alpha", 1.0) != 1.0) c.other_flops += elements(y);
  if (in(e, 2)) {
    c.other_flops += elements(y);
    if (e.node.attr_float("beta", 1.0) != 1.0) c.other_flops += elements(y);
  }
  return c;
}

// Einsum: with two or more operands, the product of every index's size is the MAC count of the
// contraction (per extra operand); with one, a sum over the reduced indices.
Cost einsum(const NodeEvent& e) {
  std::string eq = e.node.attr_string("equation", "");
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  if (eq.find("...") != std::string::npos) return std::nullopt;
  const std::string lhs = eq.substr(0, eq.find("->"));
  std::map<char, std::int64_t> size;
  std::size_t term = 0, pos = 0;
  for (char ch : lhs) {
    if (ch == ',') { ++term; pos = 0; continue; }
    const ValueState* v = in(e, term);
    if (!shaped(v) || pos >= v->dims.size()) return std::nullopt;
    auto& s = size[ch];
    s = std::max(s, v->dims[pos++]);
  }
  double all = 1;
  for (auto& [ch, s] : size) all *= static_cast<double>(s);
  if (term == 0) return OpCost{0, all};
  return OpCost{all * static_cast<double>(term), 0};
}

// LSTM/GRU/RNN: per step, direction and batch row, G gates × hidden × (input + hidden) MACs;
// other operations per hidden unit: two bias adds and one activation per gate, plus the state
// update (LSTM 5, GRU 5, RNN 0).
template <int Gates, int StateOps>
Cost recurrent(const NodeEvent& e) {
  const ValueState *x = in(e, 0), *y = out(e, 0);
  const std::int64_t hidden = e.node.attr_int("hidden_size", -1);
  if (!shaped(x) || x->dims.size() != 3 || hidden <= 0) return std::nullopt;
  (void)y;
  const double dirs = e.node.attr_string("direction", "forward") == "bidirectional" ? 2 : 1;
  const double steps_rows = static_cast<double>(x->dims[0] * x->dims[1]);  // seq × batch either layout
  const double input = static_cast<double>(x->dims[2]), h = static_cast<double>(hidden);
  OpCost c;
  c.macs = steps_rows * dirs * Gates * h * (input + h);
  c.other_flops = steps_rows * dirs * h * (3 * Gates + StateOps);
  return c;
}

// Windowed pooling: one operation per window element per output.
Cost pool(const NodeEvent& e) {
  const ValueState* y = out(e, 0);
  if (!shaped(y)) return std::nullopt;
  double window = 1;
  for (auto k : e.node.attr_ints("kernel_shape")) window *= static_cast<double>(k);
  return OpCost{0, elements(y) * window};
}

// Resize: nearest copies; linear costs 3 per output element per resized axis (two multiplies,
// one add), cubic 7 (four taps: 4 multiplies, 3 adds).
Cost resize(const NodeEvent& e) {
  const ValueState *x = in(e, 0), *y = out(e, 0);
  if (!shaped(x) || !shaped(y) || x->dims.size() != y->dims.size()) return std::nullopt;
  std::string mode = e.node.attr_string("mode", "nearest");
  double per_axis = mode == "linear" || mode == "bilinear" ? 3 : mode == "cubic" ? 7 : 0;
  double axes = 0;
  for (std::size_t i = 0; i < x->dims.size(); ++i) axes += x->dims[i] != y->dims[i] ? 1 : 0;
  return OpCost{0, elements(y) * per_axis * axes};
}

// Reductions read every input element once (sum of squares and the like twice).
template <int PerElement>
Cost reduce(const NodeEvent& e) { return per_input_element<PerElement>(e); }

std::vector<CostRule> build() {
  std::vector<CostRule> r;
  auto add = [&](std::string op, std::string counts, Cost (*fn)(const NodeEvent&), std::vector<int> w = {},
                 std::vector<int> b = {}) { r.push_back({std::move(op), std::move(counts), std::move(w), std::move(b), fn}); };

  add("Conv", "MACs = output elements × (Cin/group) × kernel size; bias: 1 FLOP per output element", conv, {1, 2});
  add("ConvInteger", "as Conv (integer MACs)", [](const NodeEvent& e) { return conv_like(e, 1, 99); }, {1});
  add("QLinearConv", "as Conv (integer MACs); bias: 1 per output element", qlinear_conv, {3, 8});
  add("DeformConv", "as Conv; offset sampling not counted", [](const NodeEvent& e) { return conv_like(e, 1, 3); }, {1, 3});
  add("ConvTranspose", "MACs = input elements × (Cout/group) × kernel size; bias: 1 per output element", conv_transpose, {1, 2});
  add("MatMul", "MACs = output elements × K (batched, broadcast)", matmul, {0, 1});
  add("MatMulInteger", "as MatMul (integer MACs)", matmul, {1});
  add("QLinearMatMul", "as MatMul (integer MACs)", [](const NodeEvent& e) { return matmul_like(e, 0); }, {3});
  add("Gemm", "MACs = M×N×K; +C: 1 per output element; alpha, beta ≠ 1: 1 more each", gemm, {1, 2});
  add("Einsum", "MACs = product of all index sizes × (operands − 1); one operand: 1 per index combination", einsum, {-1});
  add("LSTM", "MACs = steps × batch × dirs × 4 × hidden × (input + hidden); other: 17 per hidden unit per step", recurrent<4, 5>, {1, 2, 3});
  add("GRU", "MACs = steps × batch × dirs × 3 × hidden × (input + hidden); other: 14 per hidden unit per step", recurrent<3, 5>, {1, 2, 3});
  add("RNN", "MACs = steps × batch × dirs × hidden × (input + hidden); other: 3 per hidden unit per step", recurrent<1, 0>, {1, 2, 3});

  for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "Equal", "Less",
                         "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "BitShift", "BitwiseAnd",
                         "BitwiseOr", "BitwiseXor"})
    add(op, "1 FLOP per output element per extra input", elementwise);
  add("PRelu", "1 per output element", elementwise, {1});
  for (const char* op : {"Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
                         "Softplus", "Softsign", "Gelu", "Erf", "Exp", "Log", "Sin", "Cos", "Tan", "Asin", "Acos",
                         "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Neg", "Abs", "Floor", "Ceil", "Round",
                         "Sign", "Sqrt", "Reciprocal", "Not", "IsNaN", "IsInf", "Clip", "Celu", "ThresholdedRelu",
                         "Shrink", "Mish", "BitwiseNot", "CumSum", "QuantizeLinear", "DequantizeLinear",
                         "DynamicQuantizeLinear"})
    add(op, "1 FLOP per output element (one op per element, whatever the function)", per_output_element<1>);
  add("Softmax", "3 per element (exp, sum, divide)", per_output_element<3>);
  add("LogSoftmax", "3 per element (exp, sum, log-subtract)", per_output_element<3>);
  add("Hardmax", "1 per element (compare)", per_output_element<1>);
  add("BatchNormalization", "2 per element (scale and shift, statistics folded); mean/var inputs are buffers",
      per_output_element<2>, {1, 2}, {3, 4});
  add("LayerNormalization", "7 per element (mean, centre, square, sum, normalise, scale, shift)", per_output_element<7>, {1, 2});
  add("InstanceNormalization", "7 per element, as LayerNormalization", per_output_element<7>, {1, 2});
  add("GroupNormalization", "7 per element, as LayerNormalization", per_output_element<7>, {1, 2});
  add("MeanVarianceNormalization", "5 per element (mean, centre, square, sum, normalise)", per_output_element<5>);
  add("LpNormalization", "3 per element (power, sum, divide)", per_output_element<3>);
  add("LRN", "size + 2 per element: window sum of squares, scale, divide",
      [](const NodeEvent& e) -> Cost {
        const ValueState* y = out(e, 0);
        if (!shaped(y)) return std::nullopt;
        return OpCost{0, elements(y) * static_cast<double>(e.node.attr_int("size", 1) + 2)};
      });
  for (const char* op : {"MaxPool", "AveragePool", "LpPool"}) add(op, "1 per window element per output element", pool);
  add("MaxRoiPool", "1 per input element (upper bound)", per_input_element<1>);
  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"}) add(op, "1 per input element", per_input_element<1>);
  for (const char* op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ArgMax", "ArgMin", "TopK"})
    add(op, "1 per input element", reduce<1>);
  for (const char* op : {"ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"}) add(op, "2 per input element", reduce<2>);
  add("Resize", "nearest 0; linear 3 and cubic 7 per output element per resized axis", resize);
  add("Upsample", "as Resize", resize);
  add("GridSample", "bilinear: 4 taps × 2 per output element", per_output_element<8>);
  add("RoiAlign", "bilinear: 4 taps × 2 per output element per sample (sampling_ratio 1 assumed)", per_output_element<8>);
  add("Where", "selection: 0", zero);
  add("NegativeLogLikelihoodLoss", "2 per target element (pick, weight); reduction not counted",
      [](const NodeEvent& e) -> Cost {
        const ValueState* t = in(e, 1);
        if (!shaped(t)) return std::nullopt;
        return OpCost{0, 2 * elements(t)};
      });
  add("SoftmaxCrossEntropyLoss", "log-softmax 3 per input element + 2 per target element",
      [](const NodeEvent& e) -> Cost {
        const ValueState *x = in(e, 0), *t = in(e, 1);
        if (!shaped(x) || !shaped(t)) return std::nullopt;
        return OpCost{0, 3 * elements(x) + 2 * elements(t)};
      });
  add("Det", "LU factorisation: 2/3 × M³ per matrix",
      [](const NodeEvent& e) -> Cost {
        const ValueState* x = in(e, 0);
        if (!shaped(x) || x->dims.size() < 2) return std::nullopt;
        const double m = static_cast<double>(x->dims.back());
        return OpCost{0, elements(x) / (m * m) * (2.0 / 3.0) * m * m * m};
      });
  add("NonZero", "1 per input element (compare)", per_input_element<1>);
  add("MaxUnpool", "data movement: 0 FLOPs", zero);
  for (const char* op : {"HannWindow", "HammingWindow", "BlackmanWindow"})
    add(op, "3 per output element (cosine terms and their sum)", per_output_element<3>);

  // Data movement and bookkeeping: no arithmetic, counted as 0 (they still produce activations).
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat", "Split", "Slice",
                         "Gather", "GatherElements", "GatherND", "Scatter", "ScatterND", "ScatterElements", "Expand",
                         "Tile", "Pad", "Identity", "Dropout", "Cast", "CastLike", "Shape", "Size", "Constant",
                         "ConstantOfShape", "Range", "DepthToSpace", "SpaceToDepth", "OneHot", "EyeLike", "Trilu",
                         "ReverseSequence", "CenterCropPad", "RandomNormal", "RandomUniform", "RandomNormalLike",
                         "RandomUniformLike", "Bernoulli"})
    add(op, "data movement: 0 FLOPs", zero);
  // Embedding lookups: Gather's data input is a weight when stored.
  for (auto& rule : r)
    if (rule.op == "Gather") rule.weight_slots = {0};
  std::sort(r.begin(), r.end(), [](const CostRule& a, const CostRule& b) { return a.op < b.op; });
  return r;
}

}  // namespace

const std::vector<CostRule>& all_rules() {
  static const std::vector<CostRule> rules = build();
  return rules;
}

bool is_view(const graph::Node& node) {
  static const std::unordered_map<std::string, bool> views = {
      {"Reshape", true}, {"Flatten", true}, {"Squeeze", true}, {"Unsqueeze", true}, {"Identity", true},
      {"Shape", true}, {"Size", true}, {"Constant", true}, {"ConstantOfShape", true}, {"Dropout", true}};
  return graph::is_default_domain(node.domain) && views.count(node.op_type) > 0;
}

const CostRule* find_rule(const graph::Node& node) {
  static const std::unordered_map<std::string, const CostRule*> index = [] {
    std::unordered_map<std::string, const CostRule*> m;
    for (const auto& r : all_rules()) m[r.op] = &r;
    return m;
  }();
  if (!graph::is_default_domain(node.domain)) return nullptr;
  auto it = index.find(node.op_type);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace sml::cost
