#include "sml/graph/infer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "shape_rules.hpp"
#include "sml/io/error.hpp"

namespace sml::graph {

bool ValueState::shape_known() const {
  return rank_known && std::all_of(dims.begin(), dims.end(), [](std::int64_t d) { return d >= 0; });
}

std::int64_t ValueState::elements() const {
  if (!shape_known()) return -1;
  std::int64_t n = 1;
  for (auto d : dims)
    if (__builtin_mul_overflow(n, d, &n)) return -1;  // a hostile shape: unknown, not wrapped
  return n;
}

std::string ValueState::shape_string() const {
  if (!rank_known) return "?";
  std::ostringstream s;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i) s << 'x';
    if (dims[i] >= 0) s << dims[i];
    else s << '?';
  }
  return s.str();
}

namespace {

// Values visible in one graph, falling back to the enclosing graph's (ONNX subgraph scoping).
class Scope {
 public:
  explicit Scope(const Scope* parent) : parent_(parent) {}
  const ValueState* find(const std::string& name) const {
    auto it = values_.find(name);
    if (it != values_.end()) return &it->second;
    return parent_ ? parent_->find(name) : nullptr;
  }
  bool defines(const std::string& name) const { return values_.count(name) > 0; }
  ValueState& define(const std::string& name) { return values_[name]; }

 private:
  const Scope* parent_;
  std::unordered_map<std::string, ValueState> values_;
};

class Walker {
 public:
  Walker(const Model& model, const InferOptions& options, const NodeVisitor& visit)
      : model_(model), options_(options), visit_(visit), functions_(model) {}

  InferReport run() {
    Scope top(nullptr);
    bind_initializers(model_.graph, top);
    bind_inputs(top);
    for (const auto& vi : model_.graph.inputs)
      if (const ValueState* v = top.find(vi.name); v && v->stored < 0) report_.inputs.emplace_back(vi.name, *v);
    walk(model_.graph.nodes, top, 1.0, "", model_.graph.value_info, 0, model_.opsets);
    for (const auto& vi : model_.graph.outputs) {
      const ValueState* v = top.find(vi.name);
      report_.outputs.emplace_back(vi.name, v ? *v : ValueState{});
    }
    return std::move(report_);
  }

 private:
  std::string where() const { return model_.source ? model_.source->display_name : std::string("<model>"); }

  int add_stored(const std::string& name, int dtype, std::int64_t elements, StoredTensor::Kind kind, int rank) {
    report_.stored.push_back({name, dtype, elements, kind, rank});
    return static_cast<int>(report_.stored.size() - 1);
  }

  void bind_initializers(const Graph& g, Scope& scope) {
    for (const auto& t : g.initializers) {
      if (t.name.empty()) continue;
      ValueState& v = scope.define(t.name);
      v.dtype = t.dtype;
      v.rank_known = true;
      v.dims = t.dims;
      if (t.elements() <= options_.constant_limit) v.value = t.values(options_.constant_limit);
      v.stored = v.origin = add_stored(t.name, t.dtype, t.elements(), StoredTensor::kInitializer, static_cast<int>(t.dims.size()));
    }
  }

  static std::string dims_text(const std::vector<std::int64_t>& d) {
    std::string s;
    for (std::size_t i = 0; i < d.size(); ++i) s += (i ? "x" : "") + std::to_string(d[i]);
    return s;
  }

  // Graph inputs: --input-shape wins, then the declared dims; a symbolic or unknown first dim is
  // the batch (--batch N, else 1, said in the assumptions).
  void bind_inputs(Scope& scope) {
    std::unordered_set<std::string> used, used_values;
    for (const auto& in : model_.graph.inputs) {
      if (scope.defines(in.name)) {
        if (options_.input_values.count(in.name))
          throw InputError("--input-value " + in.name + ": '" + in.name + "' is an initializer (a stored weight) in " + where() + ", not an input");
        if (options_.input_shapes.count(in.name))
          throw InputError("--input-shape " + in.name + ": '" + in.name + "' is an initializer (a stored weight) in " + where() + ", not an input");
        continue;  // IR < 4: initializers are listed as inputs too
      }
      ValueState& v = scope.define(in.name);
      v.dtype = in.elem_type;
      if (auto value = options_.input_values.find(in.name); value != options_.input_values.end()) {
        used_values.insert(in.name);
        bind_value(in, value->second, v);
        continue;
      }
      auto given = options_.input_shapes.find(in.name);
      if (given != options_.input_shapes.end()) {
        used.insert(in.name);
        if (in.has_shape && in.dims.size() != given->second.size())
          throw InputError("--input-shape " + in.name + "=" + dims_text(given->second) + ": the model declares rank " +
                           std::to_string(in.dims.size()) + " for '" + in.name + "'");
        for (std::size_t i = 0; in.has_shape && i < in.dims.size(); ++i)
          if (in.dims[i].known() && in.dims[i].value != given->second[i])
            report_.warnings.push_back("--input-shape " + in.name + ": dim " + std::to_string(i) + " set to " +
                                       std::to_string(given->second[i]) + " where the model fixes " +
                                       std::to_string(in.dims[i].value) + "; counts follow the given shape");
        v.rank_known = true;
        v.dims = given->second;
        continue;
      }
      if (!in.has_shape) {
        report_.warnings.push_back("input '" + in.name + "' has no declared shape: set it with --input-shape " + in.name + "=...");
        continue;
      }
      v.rank_known = true;
      for (std::size_t i = 0; i < in.dims.size(); ++i) {
        const Dim& d = in.dims[i];
        if (d.known()) { v.dims.push_back(d.value); continue; }
        if (i == 0) {
          const std::int64_t b = options_.batch > 0 ? options_.batch : 1;
          v.dims.push_back(b);
          std::string name = d.param.empty() ? "unnamed" : "'" + d.param + "'";
          std::string line = "input '" + in.name + "' dim 0 (" + name + ") = " + std::to_string(b) +
                             (options_.batch > 0 ? " (--batch)" : " (batch; default 1, set --batch N)");
          report_.assumptions.push_back(line);
          if (options_.batch <= 0) report_.defaulted_dims.push_back({in.name, i, b, d.param});
          continue;
        }
        v.dims.push_back(-1);
        report_.warnings.push_back("input '" + in.name + "' dim " + std::to_string(i) + " is symbolic" +
                                   (d.param.empty() ? "" : " ('" + d.param + "')") +
                                   ": counts that depend on it are left out; set --input-shape " + in.name + "=...");
      }
      if (options_.batch > 0 && !in.dims.empty() && in.dims[0].known() && in.dims[0].value != options_.batch)
        report_.warnings.push_back("--batch " + std::to_string(options_.batch) + " ignored for input '" + in.name +
                                   "': the model fixes its dim 0 to " + std::to_string(in.dims[0].value) +
                                   " (use --input-shape to override)");
    }
    for (const auto& [name, value] : options_.input_values)
      if (!used_values.count(name))
        throw InputError("--input-value " + name + ": " + where() + " has no input named '" + name + "' (inputs: " +
                         input_names(scope) + ")");
    for (const auto& [name, dims] : options_.input_shapes)
      if (!used.count(name) && !used_values.count(name)) {
        std::string names;
        for (const auto& in : model_.graph.inputs)
          if (!scope.find(in.name) || !scope.find(in.name)->value) names += (names.empty() ? "" : ", ") + in.name;
        throw InputError("--input-shape " + name + ": " + where() + " has no input named '" + name + "' (inputs: " + names + ")");
      }
  }

  std::string input_names(const Scope& scope) const {
    std::string names;
    for (const auto& in : model_.graph.inputs)
      if (!scope.find(in.name) || scope.find(in.name)->stored < 0) names += (names.empty() ? "" : ", ") + in.name;
    return names;
  }

  // The dims an --input-value gives input IN: its --input-shape, else its declared dims with
  // unknown ones as 1 (none, a scalar, where it declares no shape).
  std::vector<std::int64_t> value_dims(const ValueInfo& in) const {
    auto given = options_.input_shapes.find(in.name);
    if (given != options_.input_shapes.end()) return given->second;
    std::vector<std::int64_t> dims;
    if (in.has_shape)
      for (const auto& d : in.dims) dims.push_back(d.known() ? d.value : 1);
    return dims;
  }
  // Whether --input-value can fix IN: it has one element at value_dims.
  bool takes_value(const ValueInfo& in) const {
    const auto dims = value_dims(in);
    return std::all_of(dims.begin(), dims.end(), [](std::int64_t d) { return d == 1; });
  }

  // --input-value: a scalar (one element; symbolic dims of its declared shape are 1) with VALUE.
  void bind_value(const ValueInfo& in, double value, ValueState& v) {
    v.rank_known = true;
    v.dims = value_dims(in);
    if (!takes_value(in))
      throw InputError("--input-value " + in.name + ": '" + in.name + "' has shape " + v.shape_string() + " in " + where() +
                       "; only an input of one element (a scalar) can be given a value");
    v.value = std::vector<double>{dtype_is_float(in.elem_type) ? value : std::trunc(value)};
  }

  // Orders NODES so every value is produced before use (exporters usually comply; not all do).
  std::vector<const Node*> topological(const std::vector<Node>& nodes, const Scope& scope) {
    std::unordered_map<std::string, std::size_t> producer;
    for (std::size_t i = 0; i < nodes.size(); ++i)
      for (const auto& o : nodes[i].outputs) {
        if (o.empty()) continue;
        if (!producer.emplace(o, i).second || scope.defines(o))
          throw InputError(where() + ": value '" + o + "' is produced twice (by " + nodes[i].label() + ")");
      }
    std::vector<int> pending(nodes.size(), 0);
    std::vector<std::vector<std::size_t>> users(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      std::unordered_set<std::size_t> deps;
      auto need = [&](const std::string& in) {
        if (in.empty()) return;
        auto p = producer.find(in);
        if (p != producer.end()) deps.insert(p->second);
        else if (!scope.find(in))
          throw InputError(where() + ": " + nodes[i].label() + " reads '" + in +
                           "', which no node, graph input or initializer provides");
      };
      for (const auto& in : nodes[i].inputs) need(in);
      // Subgraphs may read outer values produced by this graph's nodes.
      for (const auto& a : nodes[i].attributes)
        for (const auto& g : a.graphs) collect_outer_reads(*g, [&](const std::string& n) {
          auto p = producer.find(n);
          if (p != producer.end() && p->second != i) deps.insert(p->second);
        });
      pending[i] = static_cast<int>(deps.size());
      for (auto d : deps) users[d].push_back(i);
    }
    // The ready node that comes first in the file goes next: a file already in order keeps it
    // exactly (segment boundaries in sml-describe follow it), and only misplaced nodes move.
    std::vector<const Node*> order;
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (pending[i] == 0) ready.push(i);
    while (!ready.empty()) {
      const std::size_t i = ready.top();
      ready.pop();
      order.push_back(&nodes[i]);
      for (auto u : users[i])
        if (--pending[u] == 0) ready.push(u);
    }
    if (order.size() != nodes.size()) {
      for (std::size_t i = 0; i < nodes.size(); ++i)
        if (pending[i] > 0) throw InputError(where() + ": the graph has a cycle through " + nodes[i].label());
    }
    return order;
  }

  template <typename F>
  static void collect_outer_reads(const Graph& g, F&& fn) {
    for (const auto& n : g.nodes) {
      for (const auto& in : n.inputs) fn(in);
      for (const auto& a : n.attributes)
        for (const auto& sg : a.graphs) collect_outer_reads(*sg, fn);
    }
  }

  // Declared shapes in value_info and graph outputs: used where our own rules know nothing.
  static const ValueInfo* declared(const std::vector<ValueInfo>& infos, const std::string& name) {
    for (const auto& vi : infos)
      if (vi.name == name) return &vi;
    return nullptr;
  }

  void walk(const std::vector<Node>& nodes, Scope& scope, double multiplier, const std::string& scope_name,
            const std::vector<ValueInfo>& hints, int depth, const std::map<std::string, std::int64_t>& opsets) {
    for (const Node* node : topological(nodes, scope)) run_node(*node, scope, multiplier, scope_name, hints, depth, opsets);
  }

  void run_node(const Node& node, Scope& scope, double multiplier, const std::string& scope_name,
                const std::vector<ValueInfo>& hints, int depth, const std::map<std::string, std::int64_t>& opsets) {
    std::vector<const ValueState*> inputs;
    for (const auto& in : node.inputs) inputs.push_back(in.empty() ? nullptr : scope.find(in));
    std::vector<ValueState> outs(node.outputs.size());
    std::string problem;
    const std::string domain = node.domain == "ai.onnx" ? "" : node.domain;
    auto op_it = opsets.find(domain);
    const std::int64_t opset = op_it == opsets.end() ? 0 : op_it->second;

    // One index lookup a node: the visitors learn from the event whether the node is a container.
    const Function* fn = functions_.find(node);
    const bool control_flow = is_default_domain(node.domain) && (node.op_type == "If" || node.op_type == "Loop" || node.op_type == "Scan");
    if (fn && depth < 32) {
      run_function(*fn, node, inputs, outs, multiplier, scope_name, depth);
    } else if (control_flow) {
      run_control_flow(node, inputs, outs, scope, multiplier, scope_name, depth);
    } else {
      RuleContext ctx{node, inputs, outs, opset, options_.constant_limit};
      apply_shape_rule(ctx);
      if (!ctx.error.empty()) {
        // A branch counted without knowing its condition may be one that cannot take these inputs
        // (Silero VAD's 8 kHz branch fed 16 kHz frames): its node is uncounted, not an error.
        if (speculative_ == 0) throw InputError(where() + ": " + node.label() + ": " + ctx.error);
        problem = ctx.error + "; this If branch was counted without knowing its condition and probably does not run "
                              "for these inputs (fix the input it depends on with --input-value NAME=V)";
        for (auto& o : outs) o = ValueState{};
      }
    }
    // A dimension past 2^48, or a shape whose element count overflows, is a malformed model or
    // an overflow in its arithmetic: unknown.
    for (auto& o : outs) {
      for (auto& d : o.dims)
        if (d > (std::int64_t(1) << 48)) {
          d = -1;
          o.value.reset();
        }
      if (o.shape_known() && o.elements() < 0) {
        o.dims[0] = -1;
        o.value.reset();
      }
    }
    // Where our rules gave nothing, take what the file declares.
    for (std::size_t i = 0; i < outs.size(); ++i) {
      if (outs[i].shape_known() || !options_.use_declared_shapes) continue;
      const ValueInfo* vi = declared(hints, node.outputs[i]);
      if (!vi && depth == 0) vi = declared(model_.graph.outputs, node.outputs[i]);
      if (vi && vi->has_shape && std::all_of(vi->dims.begin(), vi->dims.end(), [](const Dim& d) { return d.known(); })) {
        outs[i].rank_known = true;
        outs[i].dims.clear();
        for (const auto& d : vi->dims) outs[i].dims.push_back(d.value);
        if (outs[i].dtype == kUndefined) outs[i].dtype = vi->elem_type;
      }
    }
    // Stored weights made by nodes: Constant values, ConstantOfShape with a constant shape.
    if (is_default_domain(node.domain) && !outs.empty() && outs[0].shape_known() && multiplier > 0) {
      if (node.op_type == "Constant")
        outs[0].stored = outs[0].origin = add_stored(node.outputs[0], outs[0].dtype, outs[0].elements(), StoredTensor::kConstant, static_cast<int>(outs[0].dims.size()));
      else if (node.op_type == "ConstantOfShape" && inputs.size() == 1 && inputs[0] && inputs[0]->stored >= 0)
        outs[0].stored = outs[0].origin =
            add_stored(node.outputs[0], outs[0].dtype, outs[0].elements(), StoredTensor::kConstantOfShape, static_cast<int>(outs[0].dims.size()));
    }
    // Views of a stored tensor keep pointing at it, so a transposed or cast weight is still a weight.
    static const std::unordered_set<std::string> views = {"Identity", "Cast", "Transpose", "Reshape", "Squeeze",
                                                          "Unsqueeze", "Flatten", "DequantizeLinear", "CastLike"};
    if (!inputs.empty() && inputs[0] && inputs[0]->origin >= 0 && !outs.empty() && views.count(node.op_type))
      outs[0].origin = inputs[0]->origin;

    std::vector<const ValueState*> out_ptrs;
    for (auto& o : outs) out_ptrs.push_back(&o);
    visit_(NodeEvent{node, inputs, out_ptrs, multiplier, scope_name, opset, speculative_ > 0,
                     problem.empty() ? nullptr : &problem, fn != nullptr || control_flow});
    for (std::size_t i = 0; i < outs.size(); ++i)
      if (!node.outputs[i].empty()) scope.define(node.outputs[i]) = std::move(outs[i]);
  }

  // Model-local functions are expanded in place: formal inputs bound to the actual values.
  void run_function(const Function& fn, const Node& call, const std::vector<const ValueState*>& inputs,
                    std::vector<ValueState>& outs, double multiplier, const std::string& scope_name, int depth) {
    Scope inner(nullptr);
    for (std::size_t i = 0; i < fn.inputs.size(); ++i)
      if (i < inputs.size() && inputs[i]) inner.define(fn.inputs[i]) = *inputs[i];
    auto opsets = fn.opsets.empty() ? model_.opsets : fn.opsets;
    walk(fn.nodes, inner, multiplier, scope_name + (call.name.empty() ? call.op_type : call.name) + "/", {}, depth + 1, opsets);
    for (std::size_t i = 0; i < fn.outputs.size() && i < outs.size(); ++i)
      if (const ValueState* v = inner.find(fn.outputs[i])) outs[i] = *v;
  }

  void bind_subgraph_inputs(const Graph& g, Scope& inner, const std::vector<ValueState>& given) {
    bind_initializers(g, inner);
    for (std::size_t i = 0; i < g.inputs.size(); ++i) {
      ValueState& v = inner.define(g.inputs[i].name);
      if (i < given.size() && given[i].rank_known) { v = given[i]; continue; }
      v.dtype = g.inputs[i].elem_type;
      if (g.inputs[i].has_shape) {
        v.rank_known = true;
        for (const auto& d : g.inputs[i].dims) v.dims.push_back(d.value);
      }
    }
  }

  void run_control_flow(const Node& node, const std::vector<const ValueState*>& inputs, std::vector<ValueState>& outs,
                        const Scope& scope, double multiplier, const std::string& scope_name, int depth) {
    auto graph_attr = [&](const char* name) -> const Graph* {
      const Attribute* a = node.attr(name);
      return (a && !a->graphs.empty()) ? a->graphs[0].get() : nullptr;
    };
    const std::string prefix = scope_name + (node.name.empty() ? node.op_type : node.name) + "/";
    auto run_body = [&](const Graph& g, const std::vector<ValueState>& given, double times, const std::string& part) {
      Scope inner(&scope);
      bind_subgraph_inputs(g, inner, given);
      walk(g.nodes, inner, times, prefix + part, g.value_info, depth + 1, model_.opsets);
      std::vector<ValueState> results;
      for (const auto& o : g.outputs) {
        const ValueState* v = inner.find(o.name);
        results.push_back(v ? *v : ValueState{});
      }
      return results;
    };

    if (node.op_type == "If") {
      const Graph *then_g = graph_attr("then_branch"), *else_g = graph_attr("else_branch");
      const ValueState* cond = inputs.empty() ? nullptr : inputs[0];
      const bool known = cond && cond->value && cond->value->size() == 1;
      if (!known) {
        report_.warnings.push_back(node.label() + ": condition unknown before running; both branches are counted (an upper bound)" +
                                   hint_for_condition(node));
        report_.assumed_branches.push_back(scope_name + (node.name.empty() ? node.label() : node.name));
        ++speculative_;
      }
      std::vector<ValueState> a, b;
      if (then_g && (!known || (*cond->value)[0] != 0)) a = run_body(*then_g, {}, multiplier, "then/");
      if (else_g && (!known || (*cond->value)[0] == 0)) b = run_body(*else_g, {}, multiplier, "else/");
      if (!known) --speculative_;
      const auto& take = a.empty() ? b : a;
      for (std::size_t i = 0; i < outs.size() && i < take.size(); ++i) {
        outs[i] = take[i];
        outs[i].stored = -1;
        if (!a.empty() && !b.empty() && i < b.size() && a[i].dims != b[i].dims) outs[i].dims.assign(outs[i].dims.size(), -1);
      }
      return;
    }
    if (node.op_type == "Loop") {
      const Graph* body = graph_attr("body");
      if (!body) return;
      double trips = 1;
      const ValueState* m = inputs.size() > 0 ? inputs[0] : nullptr;
      const bool cond_given = inputs.size() > 1 && inputs[1];
      if (m && m->value && m->value->size() == 1 && (*m->value)[0] < 1e9) {
        trips = (*m->value)[0];
        if (cond_given) report_.warnings.push_back(node.label() + ": may stop early on its condition; counted for all " +
                                                   std::to_string(static_cast<long long>(trips)) + " iterations (an upper bound)");
      } else {
        report_.warnings.push_back(node.label() + ": trip count unknown before running; its body is counted once");
      }
      std::vector<ValueState> given(2);
      given[0].dtype = kInt64; given[0].rank_known = true;
      given[1].dtype = kBool; given[1].rank_known = true;
      for (std::size_t i = 2; i < inputs.size(); ++i) given.push_back(inputs[i] ? *inputs[i] : ValueState{});
      for (auto& g : given) g.value.reset();  // carried values change between iterations
      auto results = run_body(*body, given, multiplier * trips, "body/");
      const std::size_t carried = inputs.size() >= 2 ? inputs.size() - 2 : 0;
      for (std::size_t i = 0; i < outs.size(); ++i) {
        if (i + 1 >= results.size()) break;
        outs[i] = results[i + 1];  // body outputs: cond, carried..., scan outputs...
        outs[i].value.reset();
        outs[i].stored = -1;
        if (i >= carried && outs[i].rank_known)  // scan outputs are stacked over iterations
          outs[i].dims.insert(outs[i].dims.begin(), trips == 1 && !(m && m->value) ? -1 : static_cast<std::int64_t>(trips));
      }
      return;
    }
    const Graph* body = graph_attr("body");
    if (!body) return;
    if (opset_of(node) < 9) return run_scan8(node, *body, inputs, outs, multiplier, run_body);
    // Scan (opset 9+): inputs are state variables then scan inputs, sliced along their scan axis.
    const std::int64_t n_scan = node.attr_int("num_scan_inputs", 0);
    const std::size_t n_state = inputs.size() >= static_cast<std::size_t>(n_scan) ? inputs.size() - static_cast<std::size_t>(n_scan) : 0;
    const auto in_axes = node.attr_ints("scan_input_axes");
    std::int64_t length = -1;
    std::vector<ValueState> given;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      ValueState v = inputs[i] ? *inputs[i] : ValueState{};
      v.value.reset();
      if (i >= n_state && v.rank_known && !v.dims.empty()) {
        const std::size_t k = i - n_state;
        std::int64_t axis = k < in_axes.size() ? in_axes[k] : 0;
        if (axis < 0) axis += static_cast<std::int64_t>(v.dims.size());
        if (axis >= 0 && axis < static_cast<std::int64_t>(v.dims.size())) {
          length = v.dims[static_cast<std::size_t>(axis)];
          v.dims.erase(v.dims.begin() + axis);
        }
      }
      given.push_back(std::move(v));
    }
    if (length < 0) report_.warnings.push_back(node.label() + ": sequence length unknown; its body is counted once");
    auto results = run_body(*body, given, multiplier * (length < 0 ? 1.0 : static_cast<double>(length)), "body/");
    for (std::size_t i = 0; i < outs.size() && i < results.size(); ++i) {
      outs[i] = results[i];
      outs[i].value.reset();
      outs[i].stored = -1;
      if (i >= n_state && outs[i].rank_known) outs[i].dims.insert(outs[i].dims.begin(), length);
    }
  }

  // The graph inputs an If condition depends on, as a hint: "; set --input-value sr=…".
  std::string hint_for_condition(const Node& node) const {
    if (node.inputs.empty()) return "";
    std::unordered_map<std::string, const Node*> producer;
    for (const auto& n : model_.graph.nodes)
      for (const auto& o : n.outputs) producer[o] = &n;
    std::unordered_set<std::string> seen, inputs;
    std::vector<std::string> todo{node.inputs[0]};
    while (!todo.empty() && seen.size() < 10000) {
      const std::string v = todo.back();
      todo.pop_back();
      if (v.empty() || !seen.insert(v).second) continue;
      auto p = producer.find(v);
      if (p != producer.end()) {
        for (const auto& in : p->second->inputs) todo.push_back(in);
        continue;
      }
      for (const auto& in : model_.graph.inputs)
        if (in.name == v && !options_.input_values.count(v)) inputs.insert(v);
    }
    // --input-value fixes an input of one element only (takes_value, bind_value's own rule): a
    // condition on a whole tensor (TorchScript's `if x.sum() > 0`) is decided at run time, and
    // naming the option for it would send the user to a refusal.
    std::string names, tensors;
    for (const auto& in : model_.graph.inputs) {
      if (!inputs.count(in.name)) continue;
      std::string& list = takes_value(in) ? names : tensors;
      list += (list.empty() ? "" : ", ") + in.name;
    }
    if (names.empty())
      return tensors.empty() ? "" : "; it depends on the values of input " + tensors + " (not a scalar --input-value can fix)";
    return "; it depends on input " + names + ": choose the branch with --input-value " +
           (names.find(',') == std::string::npos ? names : "NAME") + "=V";
  }

  std::int64_t opset_of(const Node& node) const {
    auto it = model_.opsets.find(node.domain == "ai.onnx" ? "" : node.domain);
    return it == model_.opsets.end() ? 0 : it->second;
  }

  // Scan-8: an optional sequence_lens input first; states are [batch, ...] and scan inputs
  // [batch, sequence, ...]; the body runs once per batch row and sequence element.
  template <typename RunBody>
  void run_scan8(const Node& node, const Graph& body, const std::vector<const ValueState*>& inputs,
                 std::vector<ValueState>& outs, double multiplier, RunBody&& run_body) {
    const std::int64_t n_scan = node.attr_int("num_scan_inputs", 0);
    const std::size_t first = 1, n_state = inputs.size() >= first + static_cast<std::size_t>(n_scan)
                                                ? inputs.size() - first - static_cast<std::size_t>(n_scan) : 0;
    std::int64_t batch = -1, length = -1;
    std::vector<ValueState> given;
    for (std::size_t i = first; i < inputs.size(); ++i) {
      ValueState v = inputs[i] ? *inputs[i] : ValueState{};
      v.value.reset();
      const bool scanned = i - first >= n_state;
      if (v.rank_known && v.dims.size() >= (scanned ? 2u : 1u)) {
        batch = v.dims[0];
        if (scanned) length = v.dims[1];
        v.dims.erase(v.dims.begin(), v.dims.begin() + (scanned ? 2 : 1));
      }
      given.push_back(std::move(v));
    }
    if (batch < 0 || length < 0) report_.warnings.push_back(node.label() + ": batch or sequence length unknown; its body is counted once");
    const double times = (batch < 0 || length < 0) ? 1.0 : static_cast<double>(batch * length);
    auto results = run_body(body, given, multiplier * times, "body/");
    for (std::size_t i = 0; i < outs.size() && i < results.size(); ++i) {
      outs[i] = results[i];
      outs[i].value.reset();
      outs[i].stored = -1;
      if (!outs[i].rank_known) continue;
      if (i >= n_state) outs[i].dims.insert(outs[i].dims.begin(), length);
      outs[i].dims.insert(outs[i].dims.begin(), batch);
    }
  }

  const Model& model_;
  const InferOptions& options_;
  const NodeVisitor& visit_;
  InferReport report_;
  const FunctionIndex functions_;
  int speculative_ = 0;   // depth of If branches being counted without knowing their condition
};

}  // namespace

InferReport infer_model(const Model& model, const InferOptions& options, const NodeVisitor& visit) {
  return Walker(model, options, visit).run();
}

}  // namespace sml::graph
