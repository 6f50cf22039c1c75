#include "sml/cost/profile.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "sml/cost/passes.hpp"
#include "sml/cost/registry.hpp"
#include "sml/io/text.hpp"

namespace sml::cost {
namespace {

using graph::NodeEvent;
using graph::StoredTensor;
using graph::ValueState;


// How each stored tensor is used, to tell trainable parameters from buffers and shape data.
struct Usage {
  bool weight_slot = false;   // feeds an input the registry marks as a weight
  bool other_slot = false;    // feeds any other input (not a buffer)
  int first_layer = -1;       // first computing layer that reads it (not a transpose of weights)
  int first_reader = -1;      // first layer that reads it at all
};

// About how many node events the walk gives: every node, the nodes of the local function it
// calls, expanded, and of its subgraphs (If's both branches, Loop and Scan bodies once), capped.
// Only to reserve the layers: a function bomb that the reader lets through (up to its expansion
// floor, 10^5 nodes from a 2.6 KB file) grew the vector by doubling, each time moving every
// layer so far into fresh pages; reallocation was a quarter to a half of profiling such a model
// (issue 20, perf of fuzz_import's slowest kept inputs).
std::size_t expected_events(const graph::Model& model) {
  constexpr std::size_t kMost = std::size_t(1) << 22;
  const graph::FunctionIndex functions(model);
  std::map<const graph::Function*, std::size_t> sizes;  // 0 while being counted (the reader refuses cycles)
  std::function<std::size_t(const std::vector<graph::Node>&)> count = [&](const std::vector<graph::Node>& nodes) {
    std::size_t total = 0;
    for (const auto& n : nodes) {
      std::size_t add = 1;
      if (const graph::Function* fn = functions.find(n)) {
        auto [it, fresh] = sizes.emplace(fn, 0);
        if (fresh) it->second = count(fn->nodes);
        add += it->second;
      }
      for (const auto& a : n.attributes)
        for (const auto& g : a.graphs)
          if (g) add += count(g->nodes);
      total = std::min(kMost, total + std::min(kMost, add));
    }
    return total;
  };
  return count(model.graph.nodes);
}

// Mul(x, Sigmoid(x)) is SiLU (ONNX before opset 24 has no SiLU op; torch.onnx writes nn.SiLU and
// F.silu this way): eager PyTorch runs it as one silu kernel, so the Sigmoid is marked
// kSiluSigmoid, where the Sigmoid's output feeds only that Mul. Likewise Mul(x, HardSigmoid(x)), the way
// torch.onnx writes nn.Hardswish at opset <= 13: one hardswish kernel in eager. A squeeze-excite gate,
// Mul(x, Sigmoid(s)) with s another tensor, is two kernels in eager as well and stays as it is.
void mark_silu(Profile& p, const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>& values,
               const graph::Model& model) {
  std::map<std::string, int> readers;
  std::map<std::string, std::size_t> sigmoid;  // output name -> its Sigmoid layer
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (const auto& name : values[i].first) ++readers[name];
    if ((p.layers[i].op == "Sigmoid" || p.layers[i].op == "HardSigmoid") && graph::is_default_domain(p.layers[i].domain) && values[i].first.size() == 1 &&
        values[i].second.size() == 1)
      sigmoid[values[i].second[0]] = i;
  }
  if (sigmoid.empty()) return;
  for (const auto& o : model.graph.outputs) ++readers[o.name];
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (p.layers[i].op != "Mul" || !graph::is_default_domain(p.layers[i].domain) || values[i].first.size() != 2) continue;
    const auto& in = values[i].first;
    for (int a = 0; a < 2; ++a) {
      const auto it = sigmoid.find(in[a]);
      if (it == sigmoid.end() || readers[in[a]] != 1 || values[it->second].first[0] != in[1 - a]) continue;
      p.layers[it->second].exported = LayerCost::Rewrite::kSiluSigmoid;
      break;
    }
  }
}

// avg_pool2d(count_include_pad=True) is exported as a constant Pad of zeros then an AveragePool
// without pads; eager PyTorch runs it as one avg_pool2d kernel (aten.avg_pool2d pads inside the
// kernel), so the Pad is marked kAvgPoolPad where its output feeds only that AveragePool. A
// model's own F.pad, zero pads or not, is a kernel in eager (aten constant_pad_nd copies: swin_t's
// 15 Pads before a Reshape or Slice), and stays as it is.
void mark_avgpool_pad(Profile& p, const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>& values,
                      const graph::Model& model, const std::set<int>& pads) {
  if (pads.empty()) return;
  std::map<std::string, std::vector<std::size_t>> readers;
  for (std::size_t i = 0; i < values.size(); ++i)
    for (const auto& name : values[i].first) readers[name].push_back(i);
  for (const auto& o : model.graph.outputs) readers[o.name].push_back(values.size());
  for (const int i : pads) {
    if (values[i].second.empty()) continue;
    const auto& r = readers[values[i].second[0]];
    if (r.size() == 1 && r[0] < values.size() && p.layers[r[0]].op == "AveragePool" && graph::is_default_domain(p.layers[r[0]].domain))
      p.layers[i].exported = LayerCost::Rewrite::kAvgPoolPad;
  }
}

}  // namespace

Profile profile_model(const graph::Model& model, const graph::InferOptions& options) {
  Profile p;
  std::map<std::pair<std::string, std::string>, Uncounted> uncounted;
  std::map<int, Usage> usage;
  std::vector<std::vector<int>> layer_inputs;  // stored tensors each layer reads
  std::int64_t batchnorms = 0, convs_with_bias = 0;
  // Each layer's input and output value names (scoped), to find Mul(x, Sigmoid(x)) after the walk.
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> layer_values;
  const bool torch_export = model.producer_name == "pytorch";
  std::set<int> zero_fill_pads;  // torch-exported constant Pads filling with zeros

  auto visit = [&](const NodeEvent& e) {
    const auto& node = e.node;
    LayerCost layer;
    layer.name = e.scope + (node.name.empty() ? (node.outputs.empty() ? node.op_type : node.outputs[0]) : node.name);
    layer.op = node.op_type;
    layer.domain = node.domain;
    if (!e.outputs.empty() && e.outputs[0]) layer.output_shape = e.outputs[0]->shape_string();
    if (node.op_type == "BatchNormalization") ++batchnorms;
    if (node.op_type == "Conv" && node.has_input(2)) ++convs_with_bias;
    if (!e.outputs.empty() && e.outputs[0] && e.outputs[0]->shape_known())
      layer.output_elements = static_cast<double>(e.outputs[0]->elements()) * e.multiplier;
    if (graph::is_default_domain(node.domain)) {
      // torch.onnx.export in eval mode (TrainingMode.EVAL, do_constant_folding, the defaults) folds
      // each BatchNorm2d into the Conv before it and stores the folded weight and bias as new
      // constants, which it names "onnx::Conv_N"; a Conv it left alone keeps its parameter's name
      // ("features.1.0.block.1.fc1.weight", a squeeze-excite or bias-only Conv with no BatchNorm).
      // Only the exporter's naming tells the two apart: the values say nothing.
      // Folding a BatchNorm always gives the Conv a bias (beta - mean * scale), stored as a constant
      // of the same kind: a bias-less Conv, or one whose bias keeps its parameter's name, is the
      // module's own (a weight-norm Conv computes its weight, "onnx::Conv_N", and keeps "0.bias").
      if (torch_export && node.op_type == "Conv" && node.inputs.size() > 2 && node.inputs[1].rfind("onnx::", 0) == 0 &&
          node.inputs[2].rfind("onnx::", 0) == 0)
        layer.exported = LayerCost::Rewrite::kFoldedBatchNorm;
      // A constant Pad of zeros: the exporter writes avg_pool2d(count_include_pad=True) as one
      // before an AveragePool (mark_avgpool_pad looks at its consumer after the walk).
      if (torch_export && node.op_type == "Pad") {
        const std::string mode = node.attr_string("mode", "constant");
        const bool fill_given = e.inputs.size() > 2 && e.inputs[2];
        const bool zero_fill = !fill_given || (e.inputs[2]->value && std::all_of(e.inputs[2]->value->begin(), e.inputs[2]->value->end(),
                                                                                  [](double v) { return v == 0; }));
        if (mode == "constant" && zero_fill && node.attr_float("value", 0) == 0)
          zero_fill_pads.insert(static_cast<int>(p.layers.size()));
      }
    }
    const int index = static_cast<int>(p.layers.size());

    const CostRule* rule = find_rule(node);
    std::string reason;
    const bool container = e.container;
    if (!container) ++p.coverage.nodes_total;
    if (container) {
      // Its cost is that of the nodes inside, which are visited on their own.
    } else if (e.problem) {
      reason = *e.problem;
    } else if (!rule) {
      reason = graph::is_default_domain(node.domain) ? "no cost rule for this op"
                                                     : "custom domain '" + node.domain + "': cost unknown";
    } else if (auto c = rule->cost(e)) {
      layer.macs = c->macs * e.multiplier;
      layer.flops = c->flops() * e.multiplier;
    } else if (e.speculative) {
      reason = "shapes unknown inside an If branch counted without knowing its condition: the branch may not take "
               "these inputs (fix the input the condition depends on with --input-value NAME=V)";
    } else {
      reason = "shapes unknown (set --input-shape?)";
    }
    if (!container && reason.empty()) ++p.coverage.nodes_counted;
    if (!reason.empty()) {
      layer.counted = false;
      auto& u = uncounted[{node.op_type, node.domain}];
      u.op = node.op_type;
      u.domain = node.domain;
      ++u.count;
      if (u.reason.empty()) u.reason = reason;
    }
    // Activations: what the node produces, unless it is a stored weight or folded shape data.
    for (const ValueState* o : e.outputs)
      if (o && o->stored < 0 && o->origin < 0 && o->shape_known())
        layer.activation_bytes += static_cast<double>(o->elements()) * graph::dtype_bytes(o->dtype) * e.multiplier;

    if (!is_view(node) && !container) {
      // A Gather reads only the rows it gathers (an embedding lookup of one token reads one row of
      // the table, not the table): its data input moves as many elements as its output.
      const bool lookup = node.op_type == "Gather" && graph::is_default_domain(node.domain);
      for (std::size_t i = 0; i < e.inputs.size(); ++i)
        if (const ValueState* v = e.inputs[i]; v && v->shape_known()) {
          const ValueState* o = lookup && i == 0 && !e.outputs.empty() ? e.outputs[0] : nullptr;
          layer.elements_moved += static_cast<double>(o && o->shape_known() ? std::min(o->elements(), v->elements()) : v->elements()) * e.multiplier;
        }
      for (const ValueState* o : e.outputs)
        if (o && o->shape_known()) layer.elements_moved += static_cast<double>(o->elements()) * e.multiplier;
    }
    layer.constant = !e.outputs.empty() && std::all_of(e.outputs.begin(), e.outputs.end(), [](const ValueState* o) {
      return o && (o->stored >= 0 || o->origin >= 0 || o->value.has_value());
    });
    std::vector<int> reads;
    for (std::size_t i = 0; i < e.inputs.size(); ++i) {
      const ValueState* v = e.inputs[i];
      if (!v || v->origin < 0) continue;
      Usage& u = usage[v->origin];
      const bool weight = rule && (std::count(rule->weight_slots.begin(), rule->weight_slots.end(), static_cast<int>(i)) ||
                                   std::count(rule->weight_slots.begin(), rule->weight_slots.end(), -1));
      const bool buffer = rule && std::count(rule->buffer_slots.begin(), rule->buffer_slots.end(), static_cast<int>(i));
      if (weight) u.weight_slot = true;
      else if (!buffer) u.other_slot = true;
      if (u.first_reader < 0) u.first_reader = index;
      if (u.first_layer < 0 && !layer.constant) u.first_layer = index;
      reads.push_back(v->origin);
    }
    layer_inputs.push_back(std::move(reads));
    auto& values = layer_values.emplace_back();
    for (const auto& name : node.inputs) values.first.push_back(name.empty() ? name : e.scope + name);
    for (const auto& name : node.outputs) values.second.push_back(name.empty() ? name : e.scope + name);
    p.layers.push_back(std::move(layer));
  };

  // Weights sml-compose --freeze marked: "name,name,…" in the model's metadata.
  std::set<std::string> frozen;
  for (const auto& [key, value] : model.metadata)
    if (key == "sml.frozen")
      for (const auto& name : split(value, ","))
        if (!name.empty()) frozen.insert(name);
  // Fixed tensors in parameter slots (sml-compose's FrozenBatchNorm2d): buffers, not parameters.
  std::set<std::string> buffers;
  for (const auto& [key, value] : model.metadata)
    if (key == "sml.buffers")
      for (const auto& name : split(value, ","))
        if (!name.empty()) buffers.insert(name);

  // A pipeline's parts and how often each runs (sml-compose writes sml.passes from `passes:`).
  for (const auto& [key, value] : model.metadata)
    if (key == "sml.passes") p.passes = parse_passes_metadata(value, model.source ? model.source->display_name : "model");

  const std::size_t events = expected_events(model);
  p.layers.reserve(events);
  layer_inputs.reserve(events);
  graph::InferReport report = graph::infer_model(model, options, visit);
  p.assumptions = report.assumptions;
  p.warnings = report.warnings;
  p.coverage.defaulted_dims = report.defaulted_dims;
  p.coverage.assumed_branches = report.assumed_branches;
  p.nodes = static_cast<std::int64_t>(p.layers.size());
  mark_silu(p, layer_values, model);
  mark_avgpool_pad(p, layer_values, model, zero_fill_pads);

  for (std::size_t id = 0; id < report.stored.size(); ++id) {
    const StoredTensor& s = report.stored[id];
    auto it = usage.find(static_cast<int>(id));
    const Usage u = it == usage.end() ? Usage{} : it->second;
    // Trainable: feeds a weight input, or is a float tensor of 2+ elements used as an operand
    // (biases added with Add, class tokens, position embeddings). Single float constants are the
    // exporter's scalars (sqrt(d), 0.5 of GELU): PyTorch and sml-compose write those with rank 0,
    // while a learned one-element parameter (nn.Parameter(torch.ones(1)): SpeechT5's position
    // alphas) is an initializer of shape [1], and counts. Integer tensors are shape data.
    const bool learned_scalar = s.elements == 1 && s.rank >= 1 && s.kind == StoredTensor::kInitializer;
    const bool trainable = !buffers.count(s.name) &&
                           (u.weight_slot || (u.other_slot && graph::dtype_is_float(s.dtype) && (s.elements >= 2 || learned_scalar)));
    // A ConstantOfShape fill is stored only when it stands in for a weight (shape-only models);
    // otherwise it is a buffer the graph computes (zeros for padding, masks).
    if (s.kind != StoredTensor::kConstantOfShape || trainable) {
      p.stored_elements += s.elements;
      p.weight_bytes += static_cast<double>(s.elements) * graph::dtype_bytes(s.dtype);
    }
    if (!trainable) continue;
    p.params += s.elements;
    const bool is_frozen = frozen.count(s.name) > 0;
    if (is_frozen) p.frozen_params += s.elements;
    const int owner = u.first_layer >= 0 ? u.first_layer : u.first_reader;
    if (owner >= 0) {
      p.layers[static_cast<std::size_t>(owner)].params += s.elements;
      if (is_frozen) p.layers[static_cast<std::size_t>(owner)].frozen_params += s.elements;
    }
  }
  for (const auto& l : p.layers) {
    p.macs += l.macs;
    p.flops += l.flops;
    p.activation_bytes += l.activation_bytes;
  }
  for (auto& [key, u] : uncounted) {
    // Downstream of an If counted both ways, shapes are unknown where its branches disagree.
    if (!p.coverage.assumed_branches.empty() && u.reason == "shapes unknown (set --input-shape?)")
      u.reason = "shapes unknown (set --input-shape?, or --input-value for the If conditions: both branches were counted)";
    p.uncounted.push_back(u);
  }
  if (batchnorms == 0 && convs_with_bias > 0 && model.producer_name == "pytorch")
    p.assumptions.push_back(
        "no BatchNormalization nodes: PyTorch's exporter folds BatchNorm into the preceding Conv, so params count one "
        "folded bias per channel where the source model had BatchNorm's scale and shift (2 per channel)");

  for (const auto& [name, v] : report.inputs) p.inputs.emplace_back(name, v.shape_string());
  for (const auto& [name, v] : report.outputs) p.outputs.emplace_back(name, v.shape_string());
  return p;
}

namespace {
// Each layer's work times its pass's train_runs; a frozen pass runs forward only.
std::vector<double> with_passes(const Profile& p, std::vector<double> work) {
  if (p.passes.empty()) return work;
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    if (const PassRun* under = pass_of(p.passes, p.layers[i].name))
      work[i] = static_cast<double>(under->train_runs) * (under->frozen ? 1.0 : work[i]);
  return work;
}
}  // namespace

std::vector<double> training_work(const Profile& p, double factor) {
  std::vector<double> work(p.layers.size(), factor);
  if (p.frozen_params == 0) return with_passes(p, std::move(work));
  bool trains = false;  // a layer at or before this one updates weights: gradients flow here
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    const LayerCost& l = p.layers[i];
    const bool updates = l.params > l.frozen_params;
    trains = trains || updates;
    if (!trains) work[i] = 1;
    else if (l.params > 0 && !updates) work[i] = 1 + (factor - 1) / 2;
  }
  return with_passes(p, std::move(work));
}

namespace {
Doc number(double v) {
  if (std::fabs(v) < 9.0e15 && v == std::floor(v)) return Doc(static_cast<long long>(v));
  return Doc(v);
}
Doc shape_list(const std::string& s) {
  Doc l = Doc::list();
  if (s == "?") return Doc(s);
  std::size_t start = 0;
  while (start <= s.size()) {
    auto x = s.find('x', start);
    std::string part = s.substr(start, x == std::string::npos ? std::string::npos : x - start);
    if (part == "?") l.push(Doc());
    else if (!part.empty()) l.push(Doc(std::stoll(part)));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  return l;
}
}  // namespace

std::string Coverage::gaps() const {
  std::vector<std::string> parts;
  if (nodes_counted < nodes_total)
    parts.push_back(std::to_string(nodes_total - nodes_counted) + " of " + std::to_string(nodes_total) + " nodes uncounted");
  for (const auto& d : defaulted_dims)
    parts.push_back("input '" + d.input + "' dim " + std::to_string(d.dim) + (d.symbol.empty() ? "" : " ('" + d.symbol + "')") +
                    " defaulted to " + std::to_string(d.value));
  if (!assumed_branches.empty())
    parts.push_back(std::to_string(assumed_branches.size()) + " If node" + (assumed_branches.size() > 1 ? "s" : "") +
                    " with both branches counted (" + join(assumed_branches, ", ") + ")");
  return join(parts, "; ");
}

Doc coverage_to_doc(const Profile& p) {
  const Coverage& c = p.coverage;
  Doc d = Doc::map();
  d.set("complete", c.complete());
  d.set("nodes_counted", Doc(static_cast<long long>(c.nodes_counted)));
  d.set("nodes_total", Doc(static_cast<long long>(c.nodes_total)));
  d.set("macs_counted", number(p.macs));
  Doc& dims = d["defaulted_dims"] = Doc::list();
  for (const auto& x : c.defaulted_dims) {
    Doc e = Doc::map();
    e.set("input", x.input);
    e.set("dim", Doc(static_cast<long long>(x.dim)));
    e.set("value", Doc(static_cast<long long>(x.value)));
    if (!x.symbol.empty()) e.set("symbol", x.symbol);
    dims.push(e);
  }
  Doc& br = d["assumed_branches"] = Doc::list();
  for (const auto& b : c.assumed_branches) br.push(b);
  return d;
}

Doc profile_to_doc(const Profile& p, bool layers) {
  Doc doc = Doc::map();
  Doc& inputs = doc["inputs"] = Doc::list();
  for (const auto& [name, shape] : p.inputs) {
    Doc i = Doc::map();
    i.set("name", name);
    i.set("shape", shape_list(shape));
    inputs.push(i);
  }
  Doc& total = doc["total"] = Doc::map();
  total.set("macs", number(p.macs));
  total.set("flops", number(p.flops));
  total.set("params", Doc(static_cast<long long>(p.params)));
  if (p.frozen_params > 0) total.set("frozen_params", Doc(static_cast<long long>(p.frozen_params)));
  total.set("stored_elements", Doc(static_cast<long long>(p.stored_elements)));
  total.set("weight_bytes", number(p.weight_bytes));
  total.set("activation_bytes", number(p.activation_bytes));
  total.set("nodes", Doc(static_cast<long long>(p.nodes)));
  Doc& unc = total["uncounted_nodes"] = Doc::list();
  for (const auto& u : p.uncounted) {
    Doc d = Doc::map();
    d.set("op", u.op);
    d.set("domain", u.domain.empty() ? std::string("ai.onnx") : u.domain);
    d.set("count", Doc(static_cast<long long>(u.count)));
    d.set("reason", u.reason);
    unc.push(d);
  }
  doc.set("coverage", coverage_to_doc(p));
  // Where the work is: MACs and FLOPs by op type, largest first.
  std::map<std::string, std::pair<double, double>> by_op;
  std::map<std::string, long long> count_op;
  for (const auto& l : p.layers) {
    by_op[l.op].first += l.macs;
    by_op[l.op].second += l.flops;
    ++count_op[l.op];
  }
  std::vector<std::pair<std::string, std::pair<double, double>>> ops(by_op.begin(), by_op.end());
  std::stable_sort(ops.begin(), ops.end(), [](auto& a, auto& b) { return a.second.second > b.second.second; });
  Doc& by = doc["by_op"] = Doc::list();
  for (auto& [op, mf] : ops) {
    Doc d = Doc::map();
    d.set("op", op);
    d.set("count", Doc(count_op[op]));
    d.set("macs", number(mf.first));
    d.set("flops", number(mf.second));
    d.set("share_flops", p.flops > 0 ? Doc(std::round(mf.second / p.flops * 1e4) / 1e4) : Doc(0.0));
    by.push(d);
  }
  Doc& outs = doc["outputs"] = Doc::list();
  for (const auto& [name, shape] : p.outputs) {
    Doc o = Doc::map();
    o.set("name", name);
    o.set("shape", shape_list(shape));
    outs.push(o);
  }
  if (!p.assumptions.empty()) {
    Doc& a = doc["assumptions"] = Doc::list();
    for (const auto& s : p.assumptions) a.push(s);
  }
  if (!p.warnings.empty()) {
    Doc& w = doc["warnings"] = Doc::list();
    for (const auto& s : p.warnings) w.push(s);
  }
  if (layers) {
    Doc& ls = doc["layers"] = Doc::list();
    for (const auto& l : p.layers) {
      Doc d = Doc::map();
      d.set("name", l.name);
      d.set("op", l.op);
      if (!l.domain.empty()) d.set("domain", l.domain);
      d.set("macs", number(l.macs));
      d.set("flops", number(l.flops));
      d.set("params", Doc(static_cast<long long>(l.params)));
      // What the per-layer roofline moves (inputs, weights and outputs, elements per pass): with
      // the FLOPs it says which side of the roofline binds each layer, so a training or serving
      // estimate can be taken apart layer by layer (tests/validation/cnn_roofline_split.py).
      d.set("elements_moved", number(l.elements_moved));
      d.set("output_shape", shape_list(l.output_shape));
      if (!l.counted) d.set("counted", false);
      ls.push(d);
    }
  }
  return doc;
}

}  // namespace sml::cost
