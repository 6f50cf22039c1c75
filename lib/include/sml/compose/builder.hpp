// Building an ONNX graph op by op with the shapes known at every step, so that cores can ask
// "how many channels come in?" and every output carries its full shape (DESIGN.md §3: outputs
// pass the checker and full shape inference). The builder holds plain data; lib/compose/onnx_out
// turns it into an ONNX ModelProto, drawing the initial weights only then.
#pragma once
#include <cstdint>
#include <string>
#include <set>
#include <map>
#include <vector>

namespace sml::compose {

using Shape = std::vector<std::int64_t>;

// A tensor in the graph being built: its name and full shape.
struct Value {
  std::string name;
  Shape shape;
  int dtype = 1;  // ONNX TensorProto.DataType (1 float, 7 int64, 9 bool)
  std::int64_t dim(int i) const { return shape.at(static_cast<std::size_t>(i < 0 ? static_cast<int>(shape.size()) + i : i)); }
  int rank() const { return static_cast<int>(shape.size()); }
};

struct Attr {
  enum Type { kInt, kInts, kFloat, kString } type = kInt;
  std::string name;
  std::int64_t i = 0;
  std::vector<std::int64_t> ints;
  float f = 0;
  std::string s;
  static Attr integer(std::string n, std::int64_t v) { Attr a; a.type = kInt; a.name = std::move(n); a.i = v; return a; }
  static Attr integers(std::string n, std::vector<std::int64_t> v) { Attr a; a.type = kInts; a.name = std::move(n); a.ints = std::move(v); return a; }
  static Attr real(std::string n, float v) { Attr a; a.type = kFloat; a.name = std::move(n); a.f = v; return a; }
  static Attr text(std::string n, std::string v) { Attr a; a.type = kString; a.name = std::move(n); a.s = std::move(v); return a; }
};

struct BuiltNode {
  std::string op;
  std::string name;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<Attr> attrs;
};

// How an initializer's first values are drawn (`--weights random`). Trainable weights follow
// the initialisers PyTorch's reference models use; buffers and shape data are exact values.
enum class Fill {
  kHeNormalFanOut,   // convolutions before ReLU-like units: N(0, 2/fan_out) (torchvision ResNet/MobileNet)
  kXavierUniform,    // linear and attention projections: U(±sqrt(6/(fan_in+fan_out)))
  kNormal002,        // embeddings, class tokens, position tables: N(0, 0.02²) (BERT, ViT)
  kUniformFanIn,     // recurrent weights: U(±1/sqrt(hidden)) (PyTorch LSTM/GRU)
  kZeros,            // biases, BN shift and running mean
  kOnes,             // BN/LN scale and running variance
  kValues,           // exact values given (shape data, scalars)
};

struct Initializer {
  std::string name;
  int dtype = 1;
  Shape dims;
  Fill fill = Fill::kZeros;
  bool trainable = true;       // false: BN running statistics, shape data, scalar constants
  bool listed_buffer = false;  // a buffer in a parameter's input slot (FrozenBatchNorm2d): metadata sml.buffers
  double fan_in = 1, fan_out = 1;
  std::vector<float> floats;   // kValues, float
  std::vector<std::int64_t> ints;  // kValues, int64
  std::int64_t elements() const;
};

// The graph being built. Names are scoped ("layer1.0.conv1.weight") in the way PyTorch names
// state-dict entries, so weights can be matched by name between models (`--weights from:`).
class GraphBuilder {
 public:
  // Scoping: everything created between push and pop is named under SCOPE.
  void push(const std::string& scope);
  void pop();
  std::string scoped(const std::string& leaf) const;

  Value input(const std::string& name, const Shape& shape, int dtype = 1);
  // A tensor of an existing graph that new nodes read (a head attached to an imported model).
  Value external(const std::string& name, const Shape& shape, int dtype = 1);
  void output(const Value& v);
  // Renames the value a node produced (used to give graph outputs stable names).
  Value rename(const Value& v, const std::string& name);

  // Stored tensors.
  Value weight(const std::string& leaf, const Shape& dims, Fill fill, double fan_in = 1, double fan_out = 1);
  Value buffer(const std::string& leaf, const Shape& dims, Fill fill);
  // A weight another builder made, under its name (a decode step's decoder reads the table its
  // encoder made, issue 13); made once however often adopted.
  Value adopt(const Initializer& w);
  // Cross-layer parameter sharing (ALBERT): while on, weight() hands back the tensor already made
  // under the same scoped name instead of a new one, so repeats built under one scope share it.
  void share_weights(bool on) { share_ = on; }
  bool sharing_weights() const { return share_; }
  Value scalar(float value);                                 // shared float scalar constant
  Value ints(const std::vector<std::int64_t>& values, const Shape& dims = {});  // int64 shape data

  // Ops; each returns its output with the shape ONNX defines for it.
  Value conv(const Value& x, std::int64_t out, std::vector<std::int64_t> kernel, std::vector<std::int64_t> stride,
             std::vector<std::int64_t> pads, std::int64_t groups, bool bias, std::vector<std::int64_t> dilation = {});
  Value batch_norm(const Value& x, float eps);
  Value layer_norm(const Value& x, float eps);
  Value instance_norm(const Value& x, float eps);  // per channel over the rest, one scale and shift per channel (= GroupNorm with C groups)
  Value activation(const Value& x, const std::string& kind);  // relu relu6 hardswish hardsigmoid sigmoid silu gelu tanh none
  Value add(const Value& a, const Value& b);
  Value mul(const Value& a, const Value& b);
  Value matmul(const Value& a, const Value& b);
  Value linear(const Value& x, std::int64_t out, bool bias = true);  // Gemm on rank 2, MatMul+Add otherwise
  Value max_pool(const Value& x, std::vector<std::int64_t> kernel, std::vector<std::int64_t> stride, std::vector<std::int64_t> pads);
  Value avg_pool(const Value& x, std::vector<std::int64_t> kernel, std::vector<std::int64_t> stride, std::vector<std::int64_t> pads);
  Value global_avg_pool(const Value& x);
  Value flatten(const Value& x, std::int64_t axis = 1);
  Value reshape(const Value& x, const Shape& shape);
  Value transpose(const Value& x, const std::vector<std::int64_t>& perm);
  Value softmax(const Value& x, std::int64_t axis);
  Value log_softmax(const Value& x, std::int64_t axis);
  Value concat(const std::vector<Value>& xs, std::int64_t axis);
  Value gather(const Value& data, const Value& indices, std::int64_t axis);
  Value expand(const Value& x, const Shape& shape);
  Value dropout(const Value& x, float ratio);
  Value resize_to(const Value& x, std::int64_t height, std::int64_t width, const std::string& mode = "linear");  // or nearest
  Value where_greater(const Value& a_int, const Value& b_int, float fill, const Value& otherwise);
  Value recurrent(const std::string& op, const Value& x, std::int64_t hidden, bool bidirectional);  // LSTM/GRU, batch-first
  // Elementwise ops of one input that keep the shape: Neg, Exp, Cos, Sin, Sqrt, Reciprocal.
  Value unary(const std::string& op, const Value& x);
  Value to_float(const Value& x);                                   // Cast to float32
  Value slice(const Value& x, std::int64_t axis, std::int64_t start, std::int64_t end);
  Value reduce_mean(const Value& x, std::int64_t axis);             // keepdims
  Value rms_norm(const Value& x, float eps);                        // x / sqrt(mean(x²) + eps) · weight
  // ScatterND with reduction add: rows of UPDATES summed into DATA at INDICES (E, 1) (graph message passing).
  Value scatter_add(const Value& data, const Value& indices, const Value& updates);
  // Transposed convolution (2-D): weight (in, out, k, k), output (H − 1)·s − 2·pad + k.
  Value conv_transpose(const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, std::int64_t pad, bool bias);
  // RoIAlign (torchvision's aligned=False: output_half_pixel) of ROIS (R, 4) from batch image 0.
  Value roi_align(const Value& x, const Value& rois, std::int64_t size, float spatial_scale, std::int64_t sampling_ratio);
  // Any other opset-17 op, with the output shape the caller states (the TTS cores' 1-D transposed
  // convolutions, noise, cumulative sums and spline arithmetic); lib/graph re-derives the shapes.
  Value node(const std::string& op, const std::vector<Value>& inputs, const Shape& out_shape, std::vector<Attr> attrs = {}, int dtype = 1);
  // A fixed float tensor with exact VALUES where a parameter would stand: listed in sml.buffers.
  Value fixed_floats(const std::string& leaf, const Shape& dims, std::vector<float> values);

  const std::vector<BuiltNode>& nodes() const { return nodes_; }
  const std::vector<Initializer>& initializers() const { return inits_; }
  const std::vector<Value>& inputs() const { return inputs_; }
  const std::vector<Value>& outputs() const { return outputs_; }
  std::int64_t trainable_elements() const;

  // While set, batch_norm's scale and shift are fixed buffers, not parameters: torchvision's
  // FrozenBatchNorm2d, which its pretrained detection backbones use (a core's `frozen_bn: true`).
  bool frozen_norm = false;

 private:
  Value emit(const std::string& op, const std::vector<std::string>& inputs, const Shape& out_shape,
             std::vector<Attr> attrs = {}, int dtype = 1);
  std::string unique(const std::string& name);

  std::vector<std::string> scopes_;
  std::vector<BuiltNode> nodes_;
  std::vector<Initializer> inits_;
  std::vector<Value> inputs_, outputs_;
  std::set<std::string> used_names_;
  std::map<float, std::string> scalars_;
  std::map<std::string, Value> shared_;  // share_weights: scoped name → the tensor made first
  bool share_ = false;
  int counter_ = 0;
};

// torchvision's _make_divisible: VALUE rounded to the nearest multiple of DIVISOR, never below
// DIVISOR and never more than 10% below VALUE. A VALUE that is no channel count (not finite,
// negative, or past 2^40) is an InputError, not a float-to-integer overflow.
std::int64_t make_divisible(double value, std::int64_t divisor);

// A channel count computed from a composition's factors (width × ratio), floored; InputError
// where it is not finite or outside [0, 2^40] (fuzz_yaml: "se: 2222…" gave 3.6e68).
std::int64_t channel_count(double value);

}  // namespace sml::compose
