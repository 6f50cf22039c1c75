#include "sml/compose/edit.hpp"

#include "sml/compose/composition.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include <onnx/shape_inference/implementation.h>

#include "onnx_impl.hpp"
#include "sml/io/error.hpp"
#include "sml/graph/infer.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/suggest.hpp"
#include "sml/io/text.hpp"

namespace sml::compose {

namespace {

std::string node_label(const onnx::NodeProto& n, int index) {
  return n.op_type() + " '" + (n.name().empty() ? "#" + std::to_string(index) : n.name()) + "'";
}

// Producers of each tensor and the initializers by name, for walking the graph.
struct Index {
  std::map<std::string, int> producer;
  std::map<std::string, int> initializer;
  explicit Index(const onnx::GraphProto& g) {
    for (int i = 0; i < g.node_size(); ++i)
      for (const auto& o : g.node(i).output()) producer[o] = i;
    for (int i = 0; i < g.initializer_size(); ++i) initializer[g.initializer(i).name()] = i;
  }
  const onnx::NodeProto* made_by(const onnx::GraphProto& g, const std::string& t, int* index = nullptr) const {
    auto it = producer.find(t);
    if (it == producer.end()) return nullptr;
    if (index) *index = it->second;
    return &g.node(it->second);
  }
  const onnx::TensorProto* init(const onnx::GraphProto& g, const std::string& name) const {
    auto it = initializer.find(name);
    return it == initializer.end() ? nullptr : &g.initializer(it->second);
  }
};

// A weight's dims: an initializer's, or those of a ConstantOfShape fill standing in for one
// (shape-only exports such as tests/models/*.onnx), whose shape initializer's name goes to
// SHAPE_INITIALIZER. Empty when neither.
Shape weight_dims(const onnx::GraphProto& g, const Index& ix, const std::string& name, std::string* shape_initializer = nullptr) {
  if (const onnx::TensorProto* t = ix.init(g, name)) return Shape(t->dims().begin(), t->dims().end());
  const onnx::NodeProto* n = ix.made_by(g, name);
  if (!n || n->op_type() != "ConstantOfShape" || n->input_size() < 1) return {};
  const onnx::TensorProto* s = ix.init(g, n->input(0));
  if (!s || s->data_type() != onnx::TensorProto::INT64 || s->raw_data().size() % 8) return {};
  Shape dims(s->raw_data().size() / 8);
  std::memcpy(dims.data(), s->raw_data().data(), s->raw_data().size());
  if (shape_initializer) *shape_initializer = n->input(0);
  return dims;
}

std::int64_t attr_int(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return a.i();
  return fallback;
}

// Drops nodes whose outputs nothing needs for the graph outputs, then unused initializers and inputs.
void prune(onnx::GraphProto& g) {
  std::set<std::string> needed;
  for (const auto& o : g.output()) needed.insert(o.name());
  std::vector<bool> keep(static_cast<std::size_t>(g.node_size()), false);
  for (int i = g.node_size() - 1; i >= 0; --i) {  // nodes are topologically sorted (checker-enforced)
    const auto& n = g.node(i);
    if (std::none_of(n.output().begin(), n.output().end(), [&](const std::string& o) { return needed.count(o); })) continue;
    keep[static_cast<std::size_t>(i)] = true;
    for (const auto& in : n.input()) needed.insert(in);
    // Subgraphs read outer tensors by name.
    for (const auto& a : n.attribute()) {
      auto scan = [&](const onnx::GraphProto& sub) {
        for (const auto& sn : sub.node())
          for (const auto& in : sn.input()) needed.insert(in);
      };
      if (a.has_g()) scan(a.g());
      for (const auto& sub : a.graphs()) scan(sub);
    }
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i = 0; i < g.node_size(); ++i)
    if (keep[static_cast<std::size_t>(i)]) *nodes.Add() = std::move(*g.mutable_node(i));
  g.mutable_node()->Swap(&nodes);
  google::protobuf::RepeatedPtrField<onnx::TensorProto> inits;
  for (auto& t : *g.mutable_initializer())
    if (needed.count(t.name())) *inits.Add() = std::move(t);
  g.mutable_initializer()->Swap(&inits);
  google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> inputs;
  for (auto& v : *g.mutable_input())
    if (needed.count(v.name())) *inputs.Add() = std::move(v);
  g.mutable_input()->Swap(&inputs);
  g.clear_value_info();  // re-inferred by check_onnx
}

// Shapes as ONNX inference sees them now (not strict: an import may have symbolic dims).
void infer_loose(onnx::ModelProto& p) {
  run_libonnx_isolated(p, [](onnx::ModelProto& q) { onnx::shape_inference::InferShapes(q); }, "ONNX shape inference");
}

// The shape of NAME: ONNX's inference first; where it gives up (ViT/Swin exports, FIELD-NOTES),
// libsml's own propagation over the same bytes. A symbolic batch reads as 1 and is named in
// BATCH_PARAM.
Shape feature_shape(onnx::ModelProto& p, const std::string& name, std::string& batch_param) {
  infer_loose(p);
  Shape s = inferred_shape(p.graph(), name, &batch_param);
  if (!s.empty()) return s;
  for (const auto& in : p.graph().input())
    if (in.type().tensor_type().shape().dim_size() > 0 && in.type().tensor_type().shape().dim(0).has_dim_param())
      batch_param = in.type().tensor_type().shape().dim(0).dim_param();
  std::string bytes;
  p.SerializeToString(&bytes);
  const graph::Model model = graph::parse_model(std::move(bytes), "imported model", "");
  graph::infer_model(model, graph::InferOptions{}, [&](const graph::NodeEvent& e) {
    for (std::size_t i = 0; i < e.node.outputs.size() && i < e.outputs.size(); ++i)
      if (e.node.outputs[i] == name && e.outputs[i] && e.outputs[i]->shape_known()) s = e.outputs[i]->dims;
  });
  return s;
}

// Constant nodes holding a tensor become initializers: exporters (wake-word models, PaddleOCR)
// keep head weights and shape data in them, and an edit reads and rewrites initializers.
void fold_constant_nodes(onnx::GraphProto& g) {
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (auto& n : *g.mutable_node()) {
    const onnx::AttributeProto* value = nullptr;
    if (n.op_type() == "Constant" && (n.domain().empty() || n.domain() == "ai.onnx") && n.output_size() == 1 && n.attribute_size() == 1 &&
        n.attribute(0).name() == "value" && n.attribute(0).has_t())
      value = &n.attribute(0);
    if (!value) {
      *kept.Add() = n;
      continue;
    }
    onnx::TensorProto* t = g.add_initializer();
    *t = value->t();
    t->set_name(n.output(0));
  }
  g.mutable_node()->Swap(&kept);
}

// Where ONNX's inference gives the new output no shape (a Reshape fed by a Shape chain), libsml's
// own propagation does: the checker requires a shape on every graph output.
void complete_output_type(onnx::ModelProto& p, onnx::ValueInfoProto& out) {
  auto* t = out.mutable_type()->mutable_tensor_type();
  if (t->has_shape() && t->elem_type() != 0) return;
  std::string batch_param;
  const Shape dims = feature_shape(p, out.name(), batch_param);
  if (dims.empty()) throw InputError("--cut-at: the shape of '" + out.name() + "' is not known, so it cannot be an output");
  if (t->elem_type() == 0) t->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = t->mutable_shape();
  shape->clear_dim();
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i == 0 && !batch_param.empty()) shape->add_dim()->set_dim_param(batch_param);
    else shape->add_dim()->set_dim_value(dims[i]);
  }
}

bool passes_through(const onnx::NodeProto& n) {
  static const std::set<std::string> ops{"Softmax", "LogSoftmax", "Identity", "Flatten", "Reshape", "Squeeze", "Sigmoid"};
  return ops.count(n.op_type()) > 0;
}

bool pools_features(const onnx::NodeProto& n) {
  static const std::set<std::string> ops{"Flatten", "Reshape", "GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "Dropout",
                                         "Squeeze", "Identity", "Gather"};
  return ops.count(n.op_type()) > 0;
}

}  // namespace

HeadInfo find_head(const OnnxModel& m) {
  const onnx::GraphProto& g = m.impl().proto.graph();
  if (g.output_size() == 0) throw InputError("the model has no outputs");
  const Index ix(g);
  std::string t = g.output(0).name();
  int i = -1;
  const onnx::NodeProto* n = ix.made_by(g, t, &i);
  while (n && passes_through(*n)) n = ix.made_by(g, n->input(0), &i);
  HeadInfo h;
  if (!n) throw InputError("no linear head behind output '" + t + "': it is not computed by a node");
  std::vector<int> chain{i};
  const onnx::NodeProto* linear = n;
  if (n->op_type() == "Add" && n->input_size() == 2) {  // MatMul + bias
    for (int k = 0; k < 2; ++k) {
      int j = -1;
      const onnx::NodeProto* mm = ix.made_by(g, n->input(k), &j);
      if (mm && mm->op_type() == "MatMul" && !weight_dims(g, ix, n->input(1 - k)).empty() && !weight_dims(g, ix, mm->input(1)).empty()) {
        h.bias = n->input(1 - k);
        linear = mm;
        chain.push_back(j);
        i = j;
      }
    }
  }
  const std::string op = linear->op_type();
  const Shape w = linear->input_size() > 1 ? weight_dims(g, ix, linear->input(1)) : Shape{};
  if (w.size() < 2 || (op != "Gemm" && op != "MatMul" && op != "Conv") || (op == "Conv" && (w.size() != 4 || w[2] != 1 || w[3] != 1)))
    throw InputError("no linear head found behind output '" + t + "' (it ends in " + node_label(*n, i) +
                     "); name the feature tensor with --cut-at NODE and attach one with --replace-head");
  h.node = linear->name().empty() ? "#" + std::to_string(i) : linear->name();
  h.op = op;
  h.weight = linear->input(1);
  if (op != "MatMul" && linear->input_size() > 2) h.bias = linear->input(2);
  h.transposed = op == "Gemm" && attr_int(*linear, "transB", 0);
  if (h.transposed || op == "Conv") {
    h.classes = w[0];
    h.in_features = w[1];
  } else {
    h.in_features = w[0];
    h.classes = w[1];
  }
  // Back from the linear layer through pooling and flattening to the feature map.
  std::string feature = linear->input(0);
  int j = -1;
  for (const onnx::NodeProto* p = ix.made_by(g, feature, &j); p && pools_features(*p); p = ix.made_by(g, feature, &j)) {
    if (p->op_type() == "Gather" && !ix.init(g, p->input(1)) && !ix.made_by(g, p->input(1))) break;
    chain.push_back(j);
    feature = p->input(0);
  }
  h.feature_tensor = feature;
  // Everything after the linear layer up to the output belongs to the head too.
  for (const onnx::NodeProto* p = ix.made_by(g, t, &j); p && passes_through(*p); p = ix.made_by(g, p->input(0), &j)) chain.push_back(j);
  std::sort(chain.begin(), chain.end());
  chain.erase(std::unique(chain.begin(), chain.end()), chain.end());
  h.head_nodes = chain;
  return h;
}

std::string set_num_classes(OnnxModel& m, std::int64_t classes, const WeightOptions& weights) {
  if (classes < 1) throw UsageError("--num-classes must be at least 1");
  fold_constant_nodes(*m.impl().proto.mutable_graph());
  const HeadInfo h = find_head(m);
  onnx::GraphProto& g = *m.impl().proto.mutable_graph();
  const Index ix(g);
  for (const std::string& name : {h.weight, h.bias}) {
    if (name.empty()) continue;
    const bool is_weight = name == h.weight;
    std::string shape_initializer;
    Shape dims = weight_dims(g, ix, name, &shape_initializer);
    // The class axis: rows of a Conv or transposed-Gemm weight, columns of a MatMul/Gemm weight,
    // the only axis of a bias.
    if (!is_weight) dims.back() = classes;
    else if (h.op == "Conv" || h.transposed) dims[0] = classes;
    else dims[1] = classes;
    if (!shape_initializer.empty()) {  // a shape-only export: the fill's shape is the weight
      std::string raw(dims.size() * 8, '\0');
      std::memcpy(raw.data(), dims.data(), raw.size());
      g.mutable_initializer(ix.initializer.at(shape_initializer))->set_raw_data(raw);
      continue;
    }
    onnx::TensorProto& t = *g.mutable_initializer(ix.initializer.at(name));
    // Drawn through emit_into so random/zeros/fp16 follow the rules composed weights follow.
    GraphBuilder holder;
    holder.weight(t.name(), dims, is_weight ? Fill::kXavierUniform : Fill::kZeros, static_cast<double>(h.in_features),
                  static_cast<double>(classes));
    WeightOptions w = weights;
    w.precision = t.data_type() == 10 ? "fp16" : "fp32";
    onnx::GraphProto scratch;
    emit_into(scratch, holder, w);
    t = scratch.initializer(0);
  }
  for (auto& o : *g.mutable_output()) {
    auto* shape = o.mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() > 0 && shape->dim(shape->dim_size() - 1).dim_value() == h.classes)
      shape->mutable_dim(shape->dim_size() - 1)->set_dim_value(classes);
  }
  g.clear_value_info();
  return "head " + h.op + " '" + h.node + "': " + std::to_string(h.in_features) + " → " + std::to_string(h.classes) + " became " +
         std::to_string(h.in_features) + " → " + std::to_string(classes) + " (new weights: " + weights.mode + ")";
}

std::string cut_at(OnnxModel& m, const std::string& node) {
  onnx::ModelProto& p = m.impl().proto;
  onnx::GraphProto& g = *p.mutable_graph();
  std::string tensor;
  std::vector<std::string> names;
  for (const auto& n : g.node()) {
    if (!n.name().empty()) names.push_back(n.name());
    if (n.name() == node && n.output_size() > 0) tensor = n.output(0);
  }
  if (tensor.empty())
    for (const auto& n : g.node())
      for (const auto& o : n.output())
        if (o == node) tensor = o;
  if (tensor.empty()) {
    const std::string near = nearest(node, names);
    throw InputError("--cut-at '" + node + "': no node or tensor of that name" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
  }
  infer_loose(p);
  onnx::ValueInfoProto out;
  out.set_name(tensor);
  for (const auto& v : g.value_info())
    if (v.name() == tensor) out = v;
  complete_output_type(p, out);
  g.clear_output();
  *g.add_output() = out;
  const int before = g.node_size();
  prune(g);
  return "cut after '" + node + "': output is now '" + tensor + "'; " + std::to_string(before - g.node_size()) + " nodes dropped";
}

std::string replace_head(OnnxModel& m, const CoreArgs& spec, std::int64_t num_classes, bool already_cut, const WeightOptions& weights) {
  const CoreDef& def = find_core(spec.core, spec.where);
  check_core_keys(def, spec);
  onnx::ModelProto& p = m.impl().proto;
  onnx::GraphProto& g = *p.mutable_graph();
  fold_constant_nodes(g);
  std::string feature = g.output(0).name(), removed;
  if (!already_cut) {
    const HeadInfo h = find_head(m);
    feature = h.feature_tensor;
    removed = " replacing " + h.op + " '" + h.node + "' (" + std::to_string(h.in_features) + " → " + std::to_string(h.classes) + ")";
  }
  std::string batch_param;
  const Shape shape = feature_shape(p, feature, batch_param);
  if (shape.empty())
    throw InputError("the shape of '" + feature + "', where the new head attaches, is not known; re-export the model with a fixed input shape");
  int dtype = 1;
  for (const auto& v : g.value_info())
    if (v.name() == feature) dtype = v.type().tensor_type().elem_type();
  for (const auto& v : g.input())
    if (v.name() == feature) dtype = v.type().tensor_type().elem_type();
  BuildContext ctx;
  ctx.num_classes = num_classes;
  if (g.input_size() > 0) ctx.input_shape = inferred_shape(g, g.input(0).name());
  // The old head goes first, so its names are free for the new one.
  g.clear_output();
  set_value_info(*g.add_output(), feature, {}, dtype);
  g.mutable_output(0)->mutable_type()->mutable_tensor_type()->clear_shape();
  prune(g);
  GraphBuilder b;
  for (const auto& n : g.node())
    for (const auto& o : n.output()) b.external(o, {});
  for (const auto& t : g.initializer()) b.external(t.name(), {});
  for (const auto& t : g.input()) b.external(t.name(), {});
  const Value x = b.external(feature, shape, dtype == 10 ? 1 : dtype);
  b.push("sml_head");
  Value y = def.build(b, x, spec, ctx);
  b.pop();
  y = b.rename(y, "output");
  if (!batch_param.empty())  // built at batch 1: only heads that never write the batch size into a shape fit
    for (const auto& n : b.nodes())
      if (n.op == "Reshape" || n.op == "Expand" || n.op == "Resize")
        throw InputError("--replace-head " + def.name + " writes the batch size into a " + n.op + ", but the model's batch is symbolic ('" +
                         batch_param + "'); re-export it with a fixed batch");
  WeightOptions w = weights;
  w.precision = dtype == 10 ? "fp16" : "fp32";
  emit_into(g, b, w);
  g.clear_output();
  set_value_info(*g.add_output(), y.name, y.shape, dtype);
  if (!batch_param.empty()) g.mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_param(batch_param);
  return "head " + def.name + " attached to '" + feature + "' (" + shape_text(shape) + " → " + shape_text(y.shape) + ", " +
         std::to_string(b.trainable_elements()) + " parameters)" + removed;
}

std::string freeze(OnnxModel& m, const std::string& segment) {
  const onnx::GraphProto& g = m.impl().proto.graph();
  std::set<std::string> head;
  bool have_head = false;
  try {
    const HeadInfo h = find_head(m);
    for (int i : h.head_nodes)
      for (const auto& in : g.node(i).input()) head.insert(in);
    have_head = true;
  } catch (const InputError&) {
  }
  // Composition roles: sml.segments is "role=scope,scope;role=…" (written by sml-compose).
  std::map<std::string, std::vector<std::string>> roles;  // role → name prefixes
  for (const auto& item : split(metadata(m, "sml.segments"), ";")) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    for (const auto& scope : split(item.substr(eq + 1), ","))
      if (!scope.empty()) roles[item.substr(0, eq)].push_back(scope + ".");
  }
  auto under = [](const std::string& name, const std::vector<std::string>& prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return name.rfind(p, 0) == 0; });
  };
  // Only trainable tensors freeze: float initializers of more than one element that are not
  // BatchNorm's running statistics, and the ConstantOfShape fills that stand in for weights in
  // shape-only exports.
  std::set<std::string> buffers;
  for (const auto& n : g.node())
    if (n.op_type() == "BatchNormalization")
      for (int i = 3; i < n.input_size(); ++i) buffers.insert(n.input(i));
  std::vector<std::pair<std::string, std::int64_t>> weights;
  for (const auto& t : g.initializer())
    if ((t.data_type() == 1 || t.data_type() == 10 || t.data_type() == 16) && tensor_elements(t) >= 2 && !buffers.count(t.name()))
      weights.emplace_back(t.name(), tensor_elements(t));
  const Index ix(g);
  for (const auto& n : g.node()) {
    if (n.op_type() != "ConstantOfShape" || n.output_size() != 1 || buffers.count(n.output(0))) continue;
    const Shape dims = weight_dims(g, ix, n.output(0));
    std::int64_t count = 1;
    for (auto d : dims) count *= d;
    if (!dims.empty() && count >= 2) weights.emplace_back(n.output(0), count);
  }
  // A head that --replace-head attached (scope sml_head) is the head whole, hidden layers and all:
  // find_head alone sees only its last linear layer, and backbone would freeze the rest (issue 18).
  if (std::any_of(weights.begin(), weights.end(), [](const auto& w) { return w.first.rfind("sml_head.", 0) == 0; }))
    roles["head"].push_back("sml_head.");
  std::vector<std::string> frozen;
  std::int64_t params = 0;
  for (const auto& weight : weights) {
    const std::string& name = weight.first;  // not a structured binding: C++17 lambdas cannot capture those
    const std::int64_t count = weight.second;
    // backbone means everything but the head (stem and neck included), whatever the roles.
    bool pick = false;
    if (segment == "backbone" && roles.count("head")) pick = !under(name, roles["head"]);
    else if (roles.count(segment)) pick = under(name, roles[segment]);
    else if (segment == "head" && have_head) pick = head.count(name) > 0;
    else if (segment == "backbone" && have_head) pick = head.count(name) == 0;
    else pick = name.rfind(segment, 0) == 0;
    if (!pick) continue;
    frozen.push_back(name);
    params += count;
  }
  if (frozen.empty())
    throw InputError("--freeze '" + segment + "': matches no weights (use head, backbone, a composition role, or a weight-name prefix)");
  std::string list;
  for (const auto& f : frozen) list += (list.empty() ? "" : ",") + f;
  set_metadata(m, "sml.frozen", list);
  set_metadata(m, "sml.frozen_params", std::to_string(params));
  return "froze " + segment + ": " + std::to_string(frozen.size()) + " tensors, " + std::to_string(params) + " parameters (metadata sml.frozen)";
}

std::string copy_weights(OnnxModel& m, const std::string& other_path) {
  OnnxModel other = read_onnx(other_path);
  std::map<std::string, const onnx::TensorProto*> theirs;
  for (const auto& t : other.impl().proto.graph().initializer()) theirs[t.name()] = &t;
  int matched = 0, differ = 0, missing = 0;
  std::int64_t copied = 0;
  std::string first_differ;
  for (auto& t : *m.impl().proto.mutable_graph()->mutable_initializer()) {
    auto it = theirs.find(t.name());
    if (it == theirs.end()) {
      ++missing;
      continue;
    }
    const onnx::TensorProto& o = *it->second;
    if (o.data_type() != t.data_type() || !std::equal(o.dims().begin(), o.dims().end(), t.dims().begin(), t.dims().end())) {
      ++differ;
      if (first_differ.empty()) first_differ = t.name();
      continue;
    }
    t = o;
    ++matched;
    copied += tensor_elements(t);
  }
  if (matched == 0)
    throw InputError("--weights from:" + other_path + ": no initializer matches by name, type and shape (" + std::to_string(differ) +
                     " names match with another shape)");
  return "weights from " + other_path + ": " + std::to_string(matched) + " tensors copied (" + std::to_string(copied) + " values); " +
         std::to_string(differ) + " same name, other shape" + (first_differ.empty() ? "" : " (e.g. '" + first_differ + "')") + "; " +
         std::to_string(missing) + " not in that model (kept as drawn)";
}

}  // namespace sml::compose
