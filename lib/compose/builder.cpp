#include "sml/compose/builder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"
#include "sml/io/text.hpp"

namespace sml::compose {

namespace {

// Limits on what a composition may ask for (DESIGN.md §5: hostile input): a dimension, a tensor,
// and the graph. A 2^40-element tensor is 4 TiB of fp32, far past anything buildable in memory.
constexpr std::int64_t kMaxDim = std::int64_t(1) << 31;
constexpr std::int64_t kMaxElements = std::int64_t(1) << 40;
constexpr std::size_t kMaxNodes = 1'000'000;

std::int64_t product(const Shape& s) {
  std::int64_t n = 1;
  for (auto d : s)
    if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxElements) return kMaxElements + 1;
  return n;
}

void check_size(const Shape& s, const std::string& where) {
  for (auto d : s)
    if (d <= 0 || d > kMaxDim)
      throw InputError(where + ": the composition leaves a dimension of " + std::to_string(d) +
                       (d <= 0 ? " (input too small for this many downsamplings?)" : " (more than 2^31)"));
  if (product(s) > kMaxElements) throw InputError(where + ": a tensor of more than 2^40 elements");
}

// NumPy broadcasting, as ONNX's elementwise ops define it.
Shape broadcast(const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    const std::int64_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1) throw InputError("shapes do not broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

// Positions of a window of EXTENT sliding by STRIDE over PADDED elements; InputError when the
// window does not fit even once (too many downsamplings for the input).
std::int64_t window_output(std::int64_t padded, std::int64_t extent, std::int64_t stride, const std::string& where) {
  if (stride <= 0) throw InputError(where + ": stride must be at least 1");
  if (padded < extent)
    throw InputError(where + ": a window of " + std::to_string(extent) + " does not fit in " + std::to_string(padded) +
                     " positions (input too small for this many downsamplings?)");
  return (padded - extent) / stride + 1;
}


}  // namespace

std::int64_t Initializer::elements() const { return product(dims); }

std::int64_t channel_count(double value) {
  constexpr double kMost = 1099511627776.0;  // 2^40: far past any layer, far inside int64
  if (!std::isfinite(value) || value < 0 || value > kMost)
    throw InputError("a channel count of " + format_number(value) + " (from the settings' widths and ratios) is outside 0 to 2^40");
  return static_cast<std::int64_t>(std::floor(value));
}

std::int64_t make_divisible(double value, std::int64_t divisor) {
  std::int64_t v = std::max<std::int64_t>(divisor, channel_count(value + divisor / 2.0) / divisor * divisor);
  if (static_cast<double>(v) < 0.9 * value) v += divisor;
  return v;
}

void GraphBuilder::push(const std::string& scope) { scopes_.push_back(scope); }
void GraphBuilder::pop() { scopes_.pop_back(); }

std::string GraphBuilder::scoped(const std::string& leaf) const {
  std::string s;
  for (const auto& p : scopes_)
    if (!p.empty()) s += p + ".";
  return s + leaf;
}

std::string GraphBuilder::unique(const std::string& name) {
  std::string n = name;
  for (int i = 1; used_names_.count(n); ++i) n = name + "_" + std::to_string(i);
  used_names_.insert(n);
  return n;
}

Value GraphBuilder::input(const std::string& name, const Shape& shape, int dtype) {
  check_size(shape, "input '" + name + "'");
  Value v{unique(name), shape, dtype};
  inputs_.push_back(v);
  return v;
}

Value GraphBuilder::external(const std::string& name, const Shape& shape, int dtype) {
  used_names_.insert(name);
  return Value{name, shape, dtype};
}

void GraphBuilder::output(const Value& v) { outputs_.push_back(v); }

Value GraphBuilder::rename(const Value& v, const std::string& name) {
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it)
    for (auto& o : it->outputs)
      if (o == v.name) {
        // The old name stays taken: it is the node's name too, and ONNX Runtime refuses a graph
        // where a later node would get it again (node names must be unique there).
        o = unique(name);
        return Value{o, v.shape, v.dtype};
      }
  // Not produced by a node (a graph input passed through): give it a node of its own.
  Value copy = emit("Identity", {v.name}, v.shape, {}, v.dtype);
  return rename(copy, name);
}

Value GraphBuilder::adopt(const Initializer& w) {
  if (used_names_.insert(w.name).second) inits_.push_back(w);
  return Value{w.name, w.dims, w.dtype};
}

Value GraphBuilder::weight(const std::string& leaf, const Shape& dims, Fill fill, double fan_in, double fan_out) {
  check_size(dims, scoped(leaf));
  if (share_) {
    auto it = shared_.find(scoped(leaf));
    if (it != shared_.end()) {
      if (it->second.shape != dims) throw InputError(scoped(leaf) + ": a shared weight asked for with another shape");
      return it->second;
    }
  }
  Initializer i;
  i.name = unique(scoped(leaf));
  i.dims = dims;
  i.fill = fill;
  i.fan_in = fan_in;
  i.fan_out = fan_out;
  inits_.push_back(i);
  if (share_) shared_[scoped(leaf)] = Value{i.name, dims, 1};
  return Value{i.name, dims, 1};
}

Value GraphBuilder::buffer(const std::string& leaf, const Shape& dims, Fill fill) {
  Value v = weight(leaf, dims, fill);
  inits_.back().trainable = false;
  return v;
}

Value GraphBuilder::scalar(float value) {
  auto it = scalars_.find(value);
  if (it != scalars_.end()) return Value{it->second, {}, 1};
  Initializer i;
  i.name = unique("const_" + std::to_string(scalars_.size()));
  i.fill = Fill::kValues;
  i.trainable = false;
  i.floats = {value};
  inits_.push_back(i);
  scalars_[value] = i.name;
  return Value{i.name, {}, 1};
}

Value GraphBuilder::ints(const std::vector<std::int64_t>& values, const Shape& dims) {
  Initializer i;
  i.name = unique(scoped("shape_" + std::to_string(counter_++)));
  i.dtype = 7;
  i.dims = dims.empty() ? Shape{static_cast<std::int64_t>(values.size())} : dims;
  i.fill = Fill::kValues;
  i.trainable = false;
  i.ints = values;
  inits_.push_back(i);
  return Value{i.name, i.dims, 7};
}

std::int64_t GraphBuilder::trainable_elements() const {
  std::int64_t n = 0;
  for (const auto& i : inits_)
    if (i.trainable) n += i.elements();
  return n;
}

Value GraphBuilder::emit(const std::string& op, const std::vector<std::string>& inputs, const Shape& out_shape,
                         std::vector<Attr> attrs, int dtype) {
  check_size(out_shape, scoped(to_lower(op)));
  if (nodes_.size() >= kMaxNodes) throw InputError(scoped(to_lower(op)) + ": more than a million nodes");
  BuiltNode n;
  n.op = op;
  n.name = unique(scoped(to_lower(op)));
  n.inputs = inputs;
  n.outputs = {n.name};
  n.attrs = std::move(attrs);
  nodes_.push_back(std::move(n));
  return Value{nodes_.back().outputs[0], out_shape, dtype};
}

Value GraphBuilder::conv(const Value& x, std::int64_t out, std::vector<std::int64_t> kernel, std::vector<std::int64_t> stride,
                         std::vector<std::int64_t> pads, std::int64_t groups, bool bias, std::vector<std::int64_t> dilation) {
  const std::size_t spatial = static_cast<std::size_t>(x.rank() - 2);
  if (x.rank() < 3) throw InputError(scoped("conv") + ": needs a (N, C, …) input, got rank " + std::to_string(x.rank()));
  kernel.resize(spatial, kernel.empty() ? 1 : kernel.back());
  stride.resize(spatial, stride.empty() ? 1 : stride.back());
  if (dilation.empty()) dilation.assign(spatial, 1);
  dilation.resize(spatial, dilation.back());
  if (pads.size() == 1) pads.assign(spatial, pads[0]);  // one value: every side
  if (pads.size() == spatial) pads.insert(pads.end(), pads.begin(), pads.end());
  pads.resize(2 * spatial, 0);
  const std::int64_t in = x.dim(1);
  if (groups <= 0 || in % groups || out % groups)
    throw InputError(scoped("conv") + ": " + std::to_string(in) + " in and " + std::to_string(out) +
                     " out channels do not split into " + std::to_string(groups) + " groups");
  Shape w{out, in / groups};
  w.insert(w.end(), kernel.begin(), kernel.end());
  const double receptive = static_cast<double>(product(kernel));
  Value wt = weight("weight", w, Fill::kHeNormalFanOut, static_cast<double>(in / groups) * receptive, static_cast<double>(out) * receptive);
  std::vector<std::string> ins{x.name, wt.name};
  if (bias) ins.push_back(weight("bias", {out}, Fill::kZeros).name);
  Shape y{x.dim(0), out};
  for (std::size_t i = 0; i < spatial; ++i)
    y.push_back(window_output(x.shape[2 + i] + pads[i] + pads[i + spatial], dilation[i] * (kernel[i] - 1) + 1, stride[i], scoped("conv")));
  std::vector<Attr> attrs{Attr::integers("kernel_shape", kernel), Attr::integers("strides", stride), Attr::integers("pads", pads)};
  if (groups != 1) attrs.push_back(Attr::integer("group", groups));
  if (std::any_of(dilation.begin(), dilation.end(), [](auto d) { return d != 1; })) attrs.push_back(Attr::integers("dilations", dilation));
  return emit("Conv", ins, y, attrs);
}

Value GraphBuilder::batch_norm(const Value& x, float eps) {
  const Shape c{x.dim(1)};
  std::string scale, shift;
  if (frozen_norm) {
    scale = buffer("weight", c, Fill::kOnes).name;
    inits_.back().listed_buffer = true;
    shift = buffer("bias", c, Fill::kZeros).name;
    inits_.back().listed_buffer = true;
  } else {
    scale = weight("weight", c, Fill::kOnes).name;
    shift = weight("bias", c, Fill::kZeros).name;
  }
  const std::string mean = buffer("running_mean", c, Fill::kZeros).name, var = buffer("running_var", c, Fill::kOnes).name;
  return emit("BatchNormalization", {x.name, scale, shift, mean, var}, x.shape, {Attr::real("epsilon", eps)});
}

Value GraphBuilder::layer_norm(const Value& x, float eps) {
  const Shape c{x.dim(-1)};
  const std::string scale = weight("weight", c, Fill::kOnes).name, shift = weight("bias", c, Fill::kZeros).name;
  return emit("LayerNormalization", {x.name, scale, shift}, x.shape, {Attr::integer("axis", -1), Attr::real("epsilon", eps)});
}

Value GraphBuilder::instance_norm(const Value& x, float eps) {
  const Shape c{x.dim(1)};
  const std::string scale = weight("weight", c, Fill::kOnes).name, shift = weight("bias", c, Fill::kZeros).name;
  return emit("InstanceNormalization", {x.name, scale, shift}, x.shape, {Attr::real("epsilon", eps)});
}

Value GraphBuilder::activation(const Value& x, const std::string& kind) {
  if (kind == "none" || kind.empty()) return x;
  if (kind == "relu") return emit("Relu", {x.name}, x.shape);
  if (kind == "relu6") return emit("Clip", {x.name, scalar(0).name, scalar(6).name}, x.shape);
  if (kind == "hardswish") return emit("HardSwish", {x.name}, x.shape);
  if (kind == "hardsigmoid") return emit("HardSigmoid", {x.name}, x.shape, {Attr::real("alpha", 1.0f / 6), Attr::real("beta", 0.5f)});
  if (kind == "sigmoid") return emit("Sigmoid", {x.name}, x.shape);
  if (kind == "tanh") return emit("Tanh", {x.name}, x.shape);
  if (kind == "silu") return mul(x, emit("Sigmoid", {x.name}, x.shape));
  if (kind == "gelu") {  // exact GELU; opset 17 has no Gelu op: x · ½ · (1 + erf(x/√2))
    Value e = emit("Erf", {mul(x, scalar(static_cast<float>(1 / std::sqrt(2.0)))).name}, x.shape);
    return mul(mul(x, scalar(0.5f)), add(e, scalar(1)));
  }
  throw InputError(scoped("activation") + ": unknown activation '" + kind +
                   "' (expected relu, relu6, hardswish, hardsigmoid, sigmoid, silu, gelu, tanh or none)");
}

Value GraphBuilder::add(const Value& a, const Value& b) { return emit("Add", {a.name, b.name}, broadcast(a.shape, b.shape)); }
Value GraphBuilder::mul(const Value& a, const Value& b) { return emit("Mul", {a.name, b.name}, broadcast(a.shape, b.shape)); }

Value GraphBuilder::matmul(const Value& a, const Value& b) {
  if (a.rank() < 2 || b.rank() < 2 || a.dim(-1) != b.dim(-2))
    throw InputError(scoped("matmul") + ": inner dimensions differ");
  Shape batch = broadcast(Shape(a.shape.begin(), a.shape.end() - 2), Shape(b.shape.begin(), b.shape.end() - 2));
  batch.push_back(a.dim(-2));
  batch.push_back(b.dim(-1));
  return emit("MatMul", {a.name, b.name}, batch);
}

Value GraphBuilder::linear(const Value& x, std::int64_t out, bool bias) {
  const std::int64_t in = x.dim(-1);
  if (x.rank() == 2) {
    Value w = weight("weight", {out, in}, Fill::kXavierUniform, static_cast<double>(in), static_cast<double>(out));
    std::vector<std::string> ins{x.name, w.name};
    if (bias) ins.push_back(weight("bias", {out}, Fill::kZeros).name);
    return emit("Gemm", ins, {x.dim(0), out}, {Attr::integer("transB", 1)});
  }
  Value w = weight("weight", {in, out}, Fill::kXavierUniform, static_cast<double>(in), static_cast<double>(out));
  Value y = matmul(x, w);
  return bias ? add(y, weight("bias", {out}, Fill::kZeros)) : y;
}

namespace {
Shape pooled(const Value& x, const std::vector<std::int64_t>& k, const std::vector<std::int64_t>& s, const std::vector<std::int64_t>& p) {
  Shape y{x.dim(0), x.dim(1)};
  const std::size_t n = k.size();
  for (std::size_t i = 0; i < n; ++i) y.push_back(window_output(x.shape[2 + i] + p[i] + p[i + n], k[i], s[i], "pool"));
  return y;
}
void spatial_args(const Value& x, std::vector<std::int64_t>& k, std::vector<std::int64_t>& s, std::vector<std::int64_t>& p) {
  const std::size_t n = static_cast<std::size_t>(x.rank() - 2);
  k.resize(n, k.empty() ? 1 : k.back());
  s.resize(n, s.empty() ? 1 : s.back());
  if (p.size() == 1) p.assign(n, p[0]);
  if (p.size() == n) p.insert(p.end(), p.begin(), p.end());
  p.resize(2 * n, 0);
}
}  // namespace

Value GraphBuilder::max_pool(const Value& x, std::vector<std::int64_t> k, std::vector<std::int64_t> s, std::vector<std::int64_t> p) {
  spatial_args(x, k, s, p);
  return emit("MaxPool", {x.name}, pooled(x, k, s, p), {Attr::integers("kernel_shape", k), Attr::integers("strides", s), Attr::integers("pads", p)});
}

Value GraphBuilder::avg_pool(const Value& x, std::vector<std::int64_t> k, std::vector<std::int64_t> s, std::vector<std::int64_t> p) {
  spatial_args(x, k, s, p);
  return emit("AveragePool", {x.name}, pooled(x, k, s, p), {Attr::integers("kernel_shape", k), Attr::integers("strides", s), Attr::integers("pads", p)});
}

Value GraphBuilder::global_avg_pool(const Value& x) {
  Shape y{x.dim(0), x.dim(1)};
  y.resize(x.shape.size(), 1);
  return emit("GlobalAveragePool", {x.name}, y);
}

Value GraphBuilder::flatten(const Value& x, std::int64_t axis) {
  Shape y{product(Shape(x.shape.begin(), x.shape.begin() + axis)), product(Shape(x.shape.begin() + axis, x.shape.end()))};
  return emit("Flatten", {x.name}, y, {Attr::integer("axis", axis)});
}

Value GraphBuilder::reshape(const Value& x, const Shape& shape) {
  check_size(shape, scoped("reshape"));
  if (product(shape) != product(x.shape)) throw InputError(scoped("reshape") + ": element counts differ");
  // The batch is copied from the input (0 in an ONNX Reshape target), not baked in, so the model
  // runs, and is counted, at any batch (--input-shape input_ids=8x128).
  Shape target = shape;
  if (!target.empty() && !x.shape.empty() && target[0] == x.shape[0]) target[0] = 0;
  return emit("Reshape", {x.name, ints(target).name}, shape, {}, x.dtype);
}

Value GraphBuilder::transpose(const Value& x, const std::vector<std::int64_t>& perm) {
  Shape y;
  for (auto p : perm) y.push_back(x.shape.at(static_cast<std::size_t>(p)));
  return emit("Transpose", {x.name}, y, {Attr::integers("perm", perm)}, x.dtype);
}

Value GraphBuilder::softmax(const Value& x, std::int64_t axis) { return emit("Softmax", {x.name}, x.shape, {Attr::integer("axis", axis)}); }
Value GraphBuilder::log_softmax(const Value& x, std::int64_t axis) { return emit("LogSoftmax", {x.name}, x.shape, {Attr::integer("axis", axis)}); }

Value GraphBuilder::concat(const std::vector<Value>& xs, std::int64_t axis) {
  Shape y = xs.at(0).shape;
  const std::size_t a = static_cast<std::size_t>(axis < 0 ? axis + static_cast<std::int64_t>(y.size()) : axis);
  std::vector<std::string> names;
  y[a] = 0;
  for (const auto& x : xs) {
    y[a] += x.shape.at(a);
    names.push_back(x.name);
  }
  return emit("Concat", names, y, {Attr::integer("axis", axis)});
}

Value GraphBuilder::gather(const Value& data, const Value& indices, std::int64_t axis) {
  const std::size_t a = static_cast<std::size_t>(axis < 0 ? axis + data.rank() : axis);
  Shape y(data.shape.begin(), data.shape.begin() + static_cast<std::ptrdiff_t>(a));
  y.insert(y.end(), indices.shape.begin(), indices.shape.end());
  y.insert(y.end(), data.shape.begin() + static_cast<std::ptrdiff_t>(a) + 1, data.shape.end());
  return emit("Gather", {data.name, indices.name}, y, {Attr::integer("axis", axis)}, data.dtype);
}

Value GraphBuilder::expand(const Value& x, const Shape& shape) {
  return emit("Expand", {x.name, ints(shape).name}, broadcast(x.shape, shape), {}, x.dtype);
}

Value GraphBuilder::dropout(const Value& x, float ratio) {
  if (ratio <= 0) return x;
  return emit("Dropout", {x.name, scalar(ratio).name}, x.shape);
}

Value GraphBuilder::resize_to(const Value& x, std::int64_t height, std::int64_t width, const std::string& mode) {
  return emit("Resize", {x.name, "", "", ints({x.dim(0), x.dim(1), height, width}).name}, {x.dim(0), x.dim(1), height, width},
              {Attr::text("mode", mode)});
}

Value GraphBuilder::where_greater(const Value& a, const Value& b, float fill, const Value& otherwise) {
  Value cond = emit("Greater", {a.name, b.name}, broadcast(a.shape, b.shape), {}, 9);
  return emit("Where", {cond.name, scalar(fill).name, otherwise.name}, broadcast(cond.shape, otherwise.shape));
}

Value GraphBuilder::recurrent(const std::string& op, const Value& x, std::int64_t hidden, bool bidirectional) {
  const std::int64_t gates = op == "LSTM" ? 4 : 3, dirs = bidirectional ? 2 : 1, in = x.dim(-1);
  const double h = static_cast<double>(hidden);
  Value w = weight("weight_ih", {dirs, gates * hidden, in}, Fill::kUniformFanIn, h, h);
  Value r = weight("weight_hh", {dirs, gates * hidden, hidden}, Fill::kUniformFanIn, h, h);
  Value b = weight("bias", {dirs, 2 * gates * hidden}, Fill::kUniformFanIn, h, h);
  std::vector<Attr> attrs{Attr::integer("hidden_size", hidden), Attr::integer("layout", 1)};
  if (bidirectional) attrs.push_back(Attr::text("direction", "bidirectional"));
  if (op == "GRU") attrs.push_back(Attr::integer("linear_before_reset", 1));  // PyTorch's GRU
  Value y = emit(op, {x.name, w.name, r.name, b.name}, {x.dim(0), x.dim(1), dirs, hidden}, attrs);
  return reshape(y, {x.dim(0), x.dim(1), dirs * hidden});
}

Value GraphBuilder::unary(const std::string& op, const Value& x) {
  static const std::set<std::string> known{"Neg", "Exp", "Cos", "Sin", "Sqrt", "Reciprocal"};
  if (!known.count(op)) throw InputError(scoped(to_lower(op)) + ": not an elementwise op the builder emits");
  return emit(op, {x.name}, x.shape, {}, x.dtype);
}

Value GraphBuilder::to_float(const Value& x) { return emit("Cast", {x.name}, x.shape, {Attr::integer("to", 1)}, 1); }

Value GraphBuilder::slice(const Value& x, std::int64_t axis, std::int64_t start, std::int64_t end) {
  const std::size_t a = static_cast<std::size_t>(axis < 0 ? axis + x.rank() : axis);
  Shape y = x.shape;
  y.at(a) = end - start;
  return emit("Slice", {x.name, ints({start}, {1}).name, ints({end}, {1}).name, ints({axis}, {1}).name}, y, {}, x.dtype);
}

Value GraphBuilder::reduce_mean(const Value& x, std::int64_t axis) {
  Shape y = x.shape;
  y.at(static_cast<std::size_t>(axis < 0 ? axis + x.rank() : axis)) = 1;
  return emit("ReduceMean", {x.name}, y, {Attr::integers("axes", {axis}), Attr::integer("keepdims", 1)});  // axes: an attribute up to opset 17
}

Value GraphBuilder::scatter_add(const Value& data, const Value& indices, const Value& updates) {
  return emit("ScatterND", {data.name, indices.name, updates.name}, data.shape, {Attr::text("reduction", "add")}, data.dtype);
}

// RMSNorm (Zhang & Sennrich 2019; Llama): opset 17 has no such op, so it is written out.
Value GraphBuilder::rms_norm(const Value& x, float eps) {
  Value ms = add(reduce_mean(mul(x, x), -1), scalar(eps));
  Value y = mul(x, unary("Reciprocal", unary("Sqrt", ms)));
  return mul(y, weight("weight", {x.dim(-1)}, Fill::kOnes));
}

Value GraphBuilder::conv_transpose(const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, std::int64_t pad, bool bias) {
  if (x.rank() != 4) throw InputError(scoped("conv_transpose") + ": needs a (N, C, H, W) input");
  const std::int64_t in = x.dim(1);
  const double receptive = static_cast<double>(k * k);
  Value wt = weight("weight", {in, out, k, k}, Fill::kHeNormalFanOut, static_cast<double>(in) * receptive, static_cast<double>(out) * receptive);
  std::vector<std::string> ins{x.name, wt.name};
  if (bias) ins.push_back(weight("bias", {out}, Fill::kZeros).name);
  Shape y{x.dim(0), out, (x.dim(2) - 1) * s - 2 * pad + k, (x.dim(3) - 1) * s - 2 * pad + k};
  if (y[2] <= 0 || y[3] <= 0) throw InputError(scoped("conv_transpose") + ": empty output");
  return emit("ConvTranspose", ins, y,
              {Attr::integers("kernel_shape", {k, k}), Attr::integers("strides", {s, s}), Attr::integers("pads", {pad, pad, pad, pad})});
}

Value GraphBuilder::roi_align(const Value& x, const Value& rois, std::int64_t size, float spatial_scale, std::int64_t sampling_ratio) {
  if (x.rank() != 4 || rois.rank() != 2 || rois.dim(1) != 4) throw InputError(scoped("roi_align") + ": needs (N, C, H, W) features and (R, 4) boxes");
  Value batch = ints(std::vector<std::int64_t>(static_cast<std::size_t>(rois.dim(0)), 0), {rois.dim(0)});
  return emit("RoiAlign", {x.name, rois.name, batch.name}, {rois.dim(0), x.dim(1), size, size},
              {Attr::text("coordinate_transformation_mode", "output_half_pixel"), Attr::integer("output_height", size),
               Attr::integer("output_width", size), Attr::integer("sampling_ratio", sampling_ratio), Attr::real("spatial_scale", spatial_scale)});
}

Value GraphBuilder::node(const std::string& op, const std::vector<Value>& inputs, const Shape& out_shape, std::vector<Attr> attrs, int dtype) {
  std::vector<std::string> names;
  for (const auto& v : inputs) names.push_back(v.name);
  return emit(op, names, out_shape, std::move(attrs), dtype);
}

Value GraphBuilder::fixed_floats(const std::string& leaf, const Shape& dims, std::vector<float> values) {
  Value v = buffer(leaf, dims, Fill::kValues);
  inits_.back().floats = std::move(values);
  inits_.back().listed_buffer = true;
  return v;
}

}  // namespace sml::compose
