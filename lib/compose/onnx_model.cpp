#include "sml/compose/onnx_model.hpp"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

#include "onnx_impl.hpp"
#include "weights.hpp"
#include "sml/graph/external_data.hpp"
#include "sml/graph/infer.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"

namespace sml::compose {

OnnxModel::OnnxModel() : impl_(std::make_unique<Impl>()) {}
OnnxModel::~OnnxModel() = default;
OnnxModel::OnnxModel(OnnxModel&&) noexcept = default;
OnnxModel& OnnxModel::operator=(OnnxModel&&) noexcept = default;

namespace {

constexpr int kFloat16 = 10;
constexpr std::int64_t kProtobufLimit = (1LL << 31) - 1;

// Tensors of at least this many bytes are drawn when the model is written, straight into the
// output (check_onnx sees a placeholder): smaller ones are filled now, as shape data must be.
constexpr std::size_t kDrawnLater = 1024;

// Fills T's name, type and dims, and its values unless they are drawn when written (returns false).
bool fill_tensor(onnx::TensorProto& t, const Initializer& init, const WeightOptions& w, bool lazy) {
  t.set_name(init.name);
  for (auto d : init.dims) t.add_dims(d);
  if (init.dtype == 7) {
    t.set_data_type(onnx::TensorProto::INT64);
    std::string raw(init.ints.size() * 8, '\0');
    std::memcpy(raw.data(), init.ints.data(), raw.size());  // ONNX raw_data is little-endian, as is every host we build for
    t.set_raw_data(std::move(raw));
    return true;
  }
  const bool half = w.precision == "fp16";
  t.set_data_type(half ? kFloat16 : onnx::TensorProto::FLOAT);
  // Shape-only: exact values (shape data, scalars) are kept, drawn weights have dims and no data.
  if (w.mode == "none" && init.fill != Fill::kValues) return true;
  if (lazy && init.fill != Fill::kValues && static_cast<std::size_t>(init.elements()) * value_bytes(init, w) >= kDrawnLater) return false;
  t.set_raw_data(draw_all(init, w));
  return true;
}

// The folder holding PATH, which external data is confined to.
std::string graph_folder(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

int elem_type(int dtype, const WeightOptions& w) { return dtype == 1 && w.precision == "fp16" ? kFloat16 : dtype; }

}  // namespace

void set_value_info(onnx::ValueInfoProto& v, const std::string& name, const Shape& shape, int dtype) {
  v.set_name(name);
  auto* t = v.mutable_type()->mutable_tensor_type();
  t->set_elem_type(dtype);
  auto* s = t->mutable_shape();
  s->clear_dim();
  for (auto d : shape) s->add_dim()->set_dim_value(d);
}

namespace {

void emit_node(onnx::GraphProto& g, const BuiltNode& n) {
  auto* node = g.add_node();
  node->set_op_type(n.op);
  node->set_name(n.name);
  for (const auto& i : n.inputs) node->add_input(i);
  for (const auto& o : n.outputs) node->add_output(o);
  for (const auto& a : n.attrs) {
    auto* attr = node->add_attribute();
    attr->set_name(a.name);
    switch (a.type) {
      case Attr::kInt: attr->set_type(onnx::AttributeProto::INT); attr->set_i(a.i); break;
      case Attr::kInts:
        attr->set_type(onnx::AttributeProto::INTS);
        for (auto v : a.ints) attr->add_ints(v);
        break;
      case Attr::kFloat: attr->set_type(onnx::AttributeProto::FLOAT); attr->set_f(a.f); break;
      case Attr::kString: attr->set_type(onnx::AttributeProto::STRING); attr->set_s(a.s); break;
    }
  }
}

}  // namespace

void emit_into(onnx::GraphProto& g, const GraphBuilder& b, const WeightOptions& w) {
  for (const auto& n : b.nodes()) emit_node(g, n);
  for (const auto& init : b.initializers()) fill_tensor(*g.add_initializer(), init, w, false);
}

OnnxModel to_onnx(const GraphBuilder& b, const WeightOptions& w, const std::string& producer_version) {
  if (w.mode != "random" && w.mode != "zeros" && w.mode != "none")
    throw UsageError("--weights '" + w.mode + "': expected random, zeros or from:MODEL.onnx");
  OnnxModel m;
  onnx::ModelProto& p = m.impl().proto;
  p.set_ir_version(8);
  p.set_producer_name("sml-compose");
  p.set_producer_version(producer_version);
  auto* op = p.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  onnx::GraphProto& g = *p.mutable_graph();
  g.set_name("sml_composed");
  for (const auto& v : b.inputs()) set_value_info(*g.add_input(), v.name, v.shape, elem_type(v.dtype, w));
  for (const auto& v : b.outputs()) set_value_info(*g.add_output(), v.name, v.shape, elem_type(v.dtype, w));
  for (const auto& n : b.nodes()) emit_node(g, n);
  // Weights are drawn when the model is written, straight into the output: the ModelProto holds
  // their dims only, which is all that libonnx's checker and inference read (issue 13).
  m.impl().weights = w;
  for (const auto& init : b.initializers())
    if (!fill_tensor(*g.add_initializer(), init, w, true)) m.impl().drawn.emplace(init.name, init);
  // Fixed tensors where a parameter would stand (FrozenBatchNorm2d's scale and shift): named so
  // the profiler does not count them as parameters, as PyTorch does not.
  std::string buffers;
  for (const auto& init : b.initializers())
    if (init.listed_buffer) buffers += (buffers.empty() ? "" : ",") + init.name;
  if (!buffers.empty()) {
    auto* prop = p.add_metadata_props();
    prop->set_key("sml.buffers");
    prop->set_value(buffers);
  }
  return m;
}

OnnxModel read_onnx(const std::string& path, const std::string* already_read) {
  OnnxModel m;
  const std::string bytes = already_read ? *already_read : read_input(path);
  const std::string name = display_name(path);
  if (bytes.size() > static_cast<std::size_t>(kProtobufLimit))
    throw InputError(name + ": larger than protobuf's 2 GiB message limit; keep its weights as external data");
  // libsml's own reader first: what sml-estimate refuses (external data leaving the folder,
  // function-expansion bombs, hostile dims) is refused here too, before libonnx sees it.
  (void)graph::parse_model(bytes, name, path == "-" || path.empty() ? "" : graph_folder(path));
  if (!m.impl().proto.ParseFromString(bytes) || !m.impl().proto.has_graph())
    throw InputError(name + ": not an ONNX model (protobuf parse failed or no graph)");
  m.impl().source = path;
  // External data: load it, confined to the model's folder (DESIGN.md §5) by the reader
  // sml-estimate uses, so edits are self-contained and both tools refuse the same files.
  std::unique_ptr<graph::ExternalData> files;
  for (auto& t : *m.impl().proto.mutable_graph()->mutable_initializer()) {
    if (t.data_location() != onnx::TensorProto::EXTERNAL) continue;
    const std::string where = name + ": initializer '" + t.name() + "'";
    std::string location;
    std::int64_t offset = 0, length = -1;
    for (const auto& kv : t.external_data()) {
      if (kv.key() == "location") {
        location = kv.value();
        continue;
      }
      if (kv.key() != "offset" && kv.key() != "length") continue;
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(kv.value().c_str(), &end, 10);
      if (kv.value().empty() || *end != '\0' || errno != 0 || v < 0)
        throw InputError(where + ": external_data " + kv.key() + " '" + kv.value() + "' is not a non-negative integer");
      (kv.key() == "offset" ? offset : length) = v;
    }
    if (!files) files = std::make_unique<graph::ExternalData>(path == "-" || path.empty() ? "" : graph_folder(path));
    try {
      const std::int64_t size = files->check(location, offset, length);
      if (size > kProtobufLimit) throw graph::ExternalDataError{"more than protobuf's 2 GiB limit"};
      t.set_raw_data(files->read(location, offset, size));
    } catch (const graph::ExternalDataError& e) {
      throw InputError(where + ": external data '" + location + "': " + e.what);
    }
    t.clear_external_data();
    t.set_data_location(onnx::TensorProto::DEFAULT);
  }
  return m;
}

void set_metadata(OnnxModel& m, const std::string& key, const std::string& value) {
  auto* props = m.impl().proto.mutable_metadata_props();
  for (auto& p : *props)
    if (p.key() == key) {
      p.set_value(value);
      return;
    }
  auto* p = props->Add();
  p->set_key(key);
  p->set_value(value);
}

std::string metadata(const OnnxModel& m, const std::string& key) {
  for (const auto& p : m.impl().proto.metadata_props())
    if (p.key() == key) return p.value();
  return "";
}

// What G declares of NAME: its value_info, else the graph output, else the input of that name.
static const onnx::ValueInfoProto* declared_value(const onnx::GraphProto& g, const std::string& name) {
  for (const auto& v : g.value_info())
    if (v.name() == name) return &v;
  for (const auto& v : g.output())
    if (v.name() == name) return &v;
  for (const auto& v : g.input())
    if (v.name() == name) return &v;
  return nullptr;
}

Shape inferred_shape(const onnx::GraphProto& g, const std::string& name, std::string* batch_param) {
  auto from = [&](const onnx::ValueInfoProto& v) -> Shape {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return {};
    Shape s;
    for (const auto& d : v.type().tensor_type().shape().dim()) {
      if (batch_param && s.empty() && d.has_dim_param() && !d.dim_param().empty()) {
        *batch_param = d.dim_param();
        s.push_back(1);
        continue;
      }
      if (!d.has_dim_value() || d.dim_value() <= 0) return {};
      s.push_back(d.dim_value());
    }
    return s.empty() ? Shape{} : s;
  };
  const onnx::ValueInfoProto* v = declared_value(g, name);
  return v ? from(*v) : Shape{};
}

bool inferred_shape_complete(const onnx::GraphProto& g, const std::string& name) {
  auto complete = [](const onnx::ValueInfoProto& v) {
    // A sequence, optional or map has no shape to know: only tensors are held to the rule.
    if (v.type().has_sequence_type() || v.type().has_optional_type() || v.type().has_map_type()) return true;
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return false;
    for (const auto& d : v.type().tensor_type().shape().dim())
      if (!d.has_dim_value() || d.dim_value() < 0) return false;
    return true;
  };
  const onnx::ValueInfoProto* v = declared_value(g, name);
  return v && complete(*v);
}

std::unordered_map<std::string, Shape> libsml_shapes(const onnx::ModelProto& p, const std::vector<std::string>& names,
                                                     std::string* refused) {
  static constexpr const char* kName = "imported model";
  std::unordered_map<std::string, Shape> found;
  if (names.empty()) return found;
  const std::set<std::string> wanted(names.begin(), names.end());
  std::string bytes;
  p.SerializeToString(&bytes);
  try {
    const graph::Model model = graph::parse_model(std::move(bytes), kName, "");
    graph::infer_model(model, graph::InferOptions{}, [&](const graph::NodeEvent& e) {
      if (!e.scope.empty()) return;  // the top graph's tensors only (subgraphs may reuse names)
      for (std::size_t i = 0; i < e.node.outputs.size() && i < e.outputs.size(); ++i)
        if (wanted.count(e.node.outputs[i]) && e.outputs[i] && e.outputs[i]->shape_known())
          found[e.node.outputs[i]] = e.outputs[i]->dims;
    });
  } catch (const Error& e) {
    found.clear();  // no second opinion: the caller keeps ONNX inference's answer
    // The caller names the file: lib/graph's stand-in name for these bytes is left off.
    const std::string why = e.what();
    if (refused) *refused = why.rfind(std::string(kName) + ": ", 0) == 0 ? why.substr(std::strlen(kName) + 2) : why;
  }
  return found;
}

namespace {
// Tensors of G computed from the value of a graph input of one element (a scalar or a [1] vector),
// by name, with that input: their shape may follow its value (Silero VAD's If on Equal(sr, 16000)
// takes a branch of its own for 8 kHz frames; a window function's Range runs to its size input),
// static once it is given (sml-estimate --input-value), not before. A node's outputs follow such an
// input only when every input of the node does or is a constant: NonZero(Greater(scores, threshold))
// counts elements of scores, which no value of threshold makes static. A [1,1] tensor (a decoder
// step's token ids) is data, not a setting: rank 2 and above never count.
std::unordered_map<std::string, std::string> scalar_input_values(const onnx::GraphProto& g) {
  std::set<std::string> constant;
  for (const auto& t : g.initializer()) constant.insert(t.name());
  std::unordered_map<std::string, std::string> from;
  for (const auto& in : g.input()) {
    if (constant.count(in.name()) || !in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) continue;
    const auto& dims = in.type().tensor_type().shape().dim();
    if (dims.size() <= 1 &&
        std::all_of(dims.begin(), dims.end(), [](const onnx::TensorShapeProto::Dimension& d) { return d.has_dim_value() && d.dim_value() == 1; }))
      from.emplace(in.name(), in.name());
  }
  for (const auto& n : g.node()) {  // ONNX keeps nodes in topological order
    if (n.op_type() == "Constant") {
      for (const auto& o : n.output()) constant.insert(o);
      continue;
    }
    std::string input;
    bool all_follow = n.input_size() > 0;
    for (const auto& in : n.input()) {
      if (in.empty() || constant.count(in)) continue;
      if (auto it = from.find(in); it != from.end()) {
        if (input.empty()) input = it->second;
      } else {
        all_follow = false;
      }
    }
    if (!all_follow) continue;
    for (const auto& o : n.output()) {
      if (o.empty()) continue;
      if (input.empty()) constant.insert(o);  // computed from constants alone
      else from.emplace(o, input);
    }
  }
  return from;
}

// Graph outputs the model leaves untyped take the type inference found for them (value_info).
void type_outputs(onnx::GraphProto& g) {
  for (auto& out : *g.mutable_output()) {
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) continue;
    for (const auto& v : g.value_info())
      if (v.name() == out.name()) *out.mutable_type() = v.type();
  }
}
}  // namespace

std::vector<std::string> check_onnx(OnnxModel& m, bool require_static) {
  std::vector<std::string> warnings;
  onnx::ModelProto& p = m.impl().proto;
  // Shapes first: what inference finds for outputs the model leaves untyped is written back, so
  // the checker (which wants every graph output typed) sees a complete model. libonnx runs in a
  // child process: a crash in it (issue 20: SIGFPE on zero strides, SIGSEGV on a mutated op type)
  // is a refused model, not a dead tool.
  // Weights still to be drawn get a one-byte placeholder in libonnx's copy (the child's): the
  // checker wants exactly one value field per initializer, and neither it nor inference reads a
  // float weight's values (libonnx 1.12 checks no raw_data length).
  const OnnxModel::Impl& impl = m.impl();
  std::vector<int> placeholders;
  for (int i = 0; i < p.graph().initializer_size(); ++i)
    if (drawn_later(impl, p.graph().initializer(i))) placeholders.push_back(i);
  // Both steps run in one child (one fork per import, not two). Plain functions, not closures: the
  // child may be forked from a process that never saw this call (libonnx_child.cpp's fork server).
  std::vector<LibonnxStep> steps{{"ONNX shape inference", [](onnx::ModelProto& q) {
    onnx::shape_inference::InferShapes(q, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions(true, 1, true));
  }}};
  if (p.ir_version() > 8) {
    warnings.push_back("IR version " + std::to_string(p.ir_version()) + ": libonnx 1.12's checker refuses it, so the checker was skipped");
  } else {
    steps.push_back({"the ONNX checker", [](onnx::ModelProto& q) {
      type_outputs(*q.mutable_graph());
      onnx::checker::check_model(q);
    }});
  }
  run_libonnx_isolated(p, steps, true, placeholders);
  onnx::GraphProto& g = *p.mutable_graph();
  type_outputs(g);
  // Every tensor a node produces must have a full static shape: what our profiler and the
  // estimate depend on, and the "full shape inference". Where libonnx 1.12 gives up (a
  // Slice whose ends a Mul computes, as torchvision's ShuffleNet and GRU exports have), libsml's
  // own propagation is the second opinion, as feature_shape's; refused only when neither knows.
  if (!require_static) return warnings;
  std::vector<std::string> unknown;
  for (const auto& n : g.node())
    for (const auto& o : n.output())
      if (!o.empty() && !inferred_shape_complete(g, o)) unknown.push_back(o);
  if (unknown.empty()) return warnings;
  std::string refused;
  const auto ours = libsml_shapes(p, unknown, &refused);
  const auto by_value = scalar_input_values(g);
  std::vector<std::string> chosen;  // unknown to both, static once a scalar input's value is given
  std::string first_node;           // the node of the first of them
  for (const auto& n : g.node())
    for (const auto& o : n.output()) {
      if (o.empty() || inferred_shape_complete(g, o) || ours.count(o)) continue;
      if (by_value.count(o)) {
        if (chosen.empty()) first_node = n.op_type() + " '" + n.name() + "'";
        chosen.push_back(o);
        continue;
      }
      throw InputError("neither ONNX shape inference nor libsml's own finds the full shape of '" + o + "' (" + n.op_type() +
                       " '" + n.name() + "')" + (refused.empty() ? "" : "; libsml's own propagation stopped: " + refused));
    }
  std::string line = "ONNX shape inference (libonnx 1.12) leaves " + std::to_string(unknown.size()) +
                     " tensor shape(s) unknown, first '" + unknown.front() + "'; libsml's own shape propagation finds ";
  if (chosen.empty()) {
    warnings.push_back(line + "them all");
    return warnings;
  }
  const std::string& input = by_value.at(chosen.front());
  const std::size_t found = unknown.size() - chosen.size();
  warnings.push_back((found == 0 ? line.substr(0, line.find("; libsml's")) + "; they"
                                 : line + std::to_string(found) + "; the other " + std::to_string(chosen.size()) + ", first '" + chosen.front() + "',") +
                     " follow the value of input '" + input + "' (first at " + first_node + "): each is static once " + input +
                     " is given (sml-estimate --input-value " + input + "=V)");
  return warnings;
}

}  // namespace sml::compose
