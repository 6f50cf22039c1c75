#include "sml/compose/compose.hpp"

#include "sml/compose/decode.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "onnx_impl.hpp"
#include "sml/compose/composition.hpp"
#include "sml/compose/derive.hpp"
#include "sml/compose/edit.hpp"
#include "sml/cost/passes.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::compose {

namespace {

std::string with_commas(std::int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// The N-th candidate of a suggestions/v1 document, as a composition.
struct Picked {
  Composition composition;
  std::string task;
  std::string pretrained;
  std::string model;
};

Picked pick_candidate(const std::string& text, const std::string& name, int pick, const std::string& catalog) {
  const YamlFile f = parse_yaml(text, name);
  return guarded(f, [&] {
    require_kind(f, "suggestions/v1");
    const YAML::Node list = sequence(f, f.root, "candidates");
    if (pick < 1 || static_cast<std::size_t>(pick) > list.size())
      throw InputError(name + ": --pick " + std::to_string(pick) + ": the document has " + std::to_string(list.size()) + " candidates (numbered from 1)");
    const YAML::Node c = list[static_cast<std::size_t>(pick - 1)];
    Picked p;
    p.model = get_string(f, c, "model");
    const YAML::Node comp = c["composition"];
    if (!comp || !comp.IsMap() || !comp["arch"] || comp["arch"].IsNull()) {
      // The catalogue's reason when the document carries one (a tree ensemble is no network at all).
      const std::string reason = opt_string(f, c, "composition_reason").value_or("");
      if (!reason.empty())
        throw InputError(name + ": candidate " + std::to_string(pick) + " (" + p.model + ") has no composition in the block library: " + reason);
      throw InputError(name + ": candidate " + std::to_string(pick) + " (" + p.model +
                       ") has no composition in the block library, so it cannot be built (sml-compose --list archs shows what can)");
    }
    p.composition = arch_composition(get_string(f, comp, "arch"), catalog);
    if (auto n = opt_integer(f, comp, "num_classes", 1, 10'000'000)) p.composition.num_classes = *n;
    if (f.root["task"] && f.root["task"].IsMap()) p.task = opt_string(f, f.root["task"], "id").value_or("");
    if (opt_string(f, comp, "weights").value_or("") == "pretrained" && c["pretrained"] && c["pretrained"].IsSequence())
      for (const auto& ref : c["pretrained"])
        if (ref.IsScalar()) p.pretrained += (p.pretrained.empty() ? "" : ", ") + ref.Scalar();
    return p;
  });
}

// --replace-head on a composition: the last head core is replaced (or the head is appended).
void replace_head_core(Composition& c, const CoreArgs& spec) {
  const CoreDef& def = find_core(spec.core, spec.where);
  check_core_keys(def, spec);
  for (auto it = c.cores.rbegin(); it != c.cores.rend(); ++it) {
    if (it->text("role", find_core(it->core, it->where).role) != "head") continue;
    CoreArgs head = spec;
    for (const char* key : {"scope", "name", "from"})  // the new head takes the old one's place and names
      if (it->has(key) && !head.has(key)) head.values[key] = it->text(key, "");
    // A detection head reads several feature maps: a new head takes them over when it reads
    // maps too; the same core keeps every setting not given (anchors, proposals, …).
    for (const auto& kv : it->values) {
      const std::string& key = kv.first;
      const bool takes = std::any_of(def.keys.begin(), def.keys.end(), [&](const CoreKey& k) { return k.name == key; });
      if (!head.has(key) && takes && (key == "features" || spec.core == it->core)) head.values[key] = kv.second;
    }
    *it = head;
    return;
  }
  c.cores.push_back(spec);
}

std::string segments_metadata(const BuiltModel& built) {
  std::string out;
  for (const char* role : {"stem", "backbone", "neck", "head"}) {
    std::string scopes;
    for (const auto& c : built.cores)
      if (c.role == role) scopes += (scopes.empty() ? "" : ",") + c.scope;
    if (!scopes.empty()) out += (out.empty() ? "" : ";") + std::string(role) + "=" + scopes;
  }
  return out;
}

// Whether every graph input (initializers listed as inputs aside) is a tensor of full static
// shape, which puts the import under check_onnx's strict rule. A scalar (rank 0: a declared shape
// with no dims, as Silero VAD's sample rate `sr`) is a full shape; a symbolic dim, a tensor with no
// declared shape, or a sequence, optional or map input is not.
bool input_is_static(const OnnxModel& m) {
  const auto& g = m.impl().proto.graph();
  for (const auto& in : g.input()) {
    bool is_init = false;
    for (const auto& t : g.initializer()) is_init = is_init || t.name() == in.name();
    if (!is_init && (!in.type().has_tensor_type() || !inferred_shape_complete(g, in.name()))) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> list_archs_lines(const std::string& catalog_dir) {
  const std::string catalog = data_dir("catalog", catalog_dir);
  std::vector<std::string> lines;
  for (const auto& name : list_archs(catalog)) {
    const Composition c = arch_composition(name, catalog);
    lines.push_back(name + "\t" + c.summary);
  }
  return lines;
}

std::vector<std::string> list_cores_lines() {
  std::vector<std::string> lines;
  for (const auto& d : core_library()) {
    std::string keys;
    for (const auto& k : d.keys) keys += (keys.empty() ? "" : ", ") + k.name;
    lines.push_back(d.name + "\t" + d.role + "\t" + d.summary + "\n    why: " + d.why + "\n    keys: " + (keys.empty() ? "(none)" : keys));
  }
  return lines;
}

namespace {
ComposeResult compose_unnamed(const ComposeOptions& o);
}

// Every message names what was read (DESIGN.md §4): errors raised past the parser (a tensor too
// large, the checker's verdict) get the input's name in front.
ComposeResult compose(const ComposeOptions& o) {
  const std::string name = o.arch.empty() ? display_name(o.input) : "--arch " + o.arch;
  try {
    return compose_unnamed(o);
  } catch (const InputError& e) {
    const std::string m = e.what();
    // Already named: NAME as a location ("NAME: …", "in NAME: …"), not a node or tensor that
    // happens to share the file's name (a file `where` and NonZero 'where').
    if (m.find(name + ":") != std::string::npos ||
        (!o.arch.empty() && (m.find("catalog/archs/") != std::string::npos || m.find("--arch '" + o.arch + "'") != std::string::npos)))
      throw;
    throw InputError(name + ": " + m);
  }
}

namespace {

// The file and line of the core that made the node a libonnx verdict names ("node name: SCOPE…"),
// so that a composition the checker or shape inference refuses (an int64 input to a convolution)
// is reported at its line like every other error of the file; empty when no core's scope starts
// the node's name (or the message names no node). A core's scope is its `scope:` or NN_core.
std::string node_core_where(const Composition& c, const std::string& message) {
  const std::string tag = "node name: ";
  const auto at = message.find(tag);
  if (at == std::string::npos) return "";
  const std::string node = message.substr(at + tag.size(), message.find_first_of("), ", at + tag.size()) - at - tag.size());
  std::string best, where;
  for (std::size_t i = 0; i < c.cores.size(); ++i) {
    char index[32];
    std::snprintf(index, sizeof index, "%02zu_", i);
    const std::string scope = c.cores[i].text("scope", index + c.cores[i].core);
    const bool starts = node.rfind(scope, 0) == 0 && (node.size() == scope.size() || node[scope.size()] == '.');
    if (starts && scope.size() > best.size()) best = scope, where = c.cores[i].where;
  }
  return where;
}

ComposeResult compose_unnamed(const ComposeOptions& o) {
  ComposeResult r;
  // No --weights: random, or zeros past protobuf's 2 GiB (below).
  std::string weights_mode = o.weights.empty() || o.weights.rfind("from:", 0) == 0 ? "random" : o.weights;
  if (weights_mode != "random" && weights_mode != "zeros")
    throw UsageError("--weights '" + o.weights + "': expected random, zeros or from:MODEL.onnx");
  WeightOptions w{weights_mode, o.seed, "fp32"};

  std::optional<Composition> comp;
  std::string kind, bytes, task, pretrained;
  const std::string name = display_name(o.input);
  if (!o.arch.empty()) {
    if (!o.input.empty()) throw UsageError("give either --arch NAME or an input document, not both");
    comp = catalog_composition(o.arch, data_dir("catalog", o.catalog_dir));
    kind = "composition/v1";
  } else {
    bytes = read_input(o.input);
    kind = o.import ? "" : document_kind(bytes);
    if (kind == "composition/v1") {
      comp = parse_composition(bytes, name);
    } else if (kind == "suggestions/v1") {
      if (o.pick < 1) throw UsageError(name + " is a suggestions document: choose a candidate with --pick N (1 is the top one)");
      Picked p = pick_candidate(bytes, name, o.pick, data_dir("catalog", o.catalog_dir));
      comp = std::move(p.composition);
      task = p.task;
      pretrained = p.pretrained;
      r.report.push_back("candidate " + std::to_string(o.pick) + ": " + p.model + " (architecture " + comp->name + ")");
    } else if (!kind.empty()) {
      throw InputError("expected a composition or suggestions document or an ONNX model, got " + kind + " from " + name);
    }
  }
  if (o.pick > 0 && kind != "suggestions/v1")
    throw UsageError("--pick N chooses a candidate of a suggestions document (sml-suggest's output), but " + name + " is " +
                     (!kind.empty() ? kind : o.import || bytes.find('\0') != std::string::npos ? "an ONNX model" : what_it_is(bytes)));

  OnnxModel model;
  bool composed = comp.has_value();
  if (composed) {
    Composition& c = *comp;
    if (o.width) c.width = *o.width;
    if (o.depth) c.depth = *o.depth;
    if (!(c.width > 0 && c.width <= 16) || !(c.depth > 0 && c.depth <= 16)) throw UsageError("--width and --depth take multipliers in (0, 16]");
    if (o.num_classes) c.num_classes = *o.num_classes;
    if (!o.precision.empty()) c.precision = o.precision;
    if (c.precision != "fp32" && c.precision != "fp16") throw UsageError("--precision '" + c.precision + "': expected fp32 or fp16");
    if (!o.input_shape.empty()) {
      if (o.input_shape.size() != c.input_shape.size())
        throw UsageError("--input-shape has " + std::to_string(o.input_shape.size()) + " dims; the composition's input has " + std::to_string(c.input_shape.size()));
      c.input_shape = o.input_shape;
    }
    if (!o.replace_head.empty()) replace_head_core(c, parse_core_spec(o.replace_head, "--replace-head"));
    if (o.attention_mask) c.attention_mask = true;
    std::string part;
    if (!o.decode.empty()) {
      if (o.decode != "once" && o.decode != "prefill" && o.decode != "step" && o.decode != "after")
        throw UsageError("--decode '" + o.decode + "': expected once, prefill, step or after");
      if (o.decode == "after" && c.after_scope.empty())
        throw UsageError("--decode after: " + c.name + " runs nothing once after its steps (no decode.after)");
      if (o.cache && o.decode != "step") throw UsageError("--cache sets a decode step's cache: give --decode step");
      // A decoder-only model's once part is its prefill: `prefill` names it so; an encoder-decoder has none.
      if (o.decode == "prefill" && !c.decode_input.empty() && !decoder_only(c))
        throw UsageError("--decode prefill: " + c.name + " is an encoder-decoder; its once-per-request part is --decode once");
      const std::int64_t cache = o.cache.value_or(c.decode_input.empty() ? 0 : mean_cache(c));
      const bool once = o.decode == "once" || o.decode == "prefill";
      const std::int64_t prompt = decoder_only(c) ? prompt_length(c) : 0;
      c = decode_part(c, once ? DecodeMode::kOnce : o.decode == "after" ? DecodeMode::kAfter : DecodeMode::kStep, cache);
      if (o.decode == "after")
        part = "once after the " + std::to_string(c.output_tokens) + " steps: from " + c.after_scope + " on, over every frame the steps produced";
      else if (once && decoder_only(c))
        part = "once per request, the prefill: the decoder over the prompt's first " + std::to_string(c.input_shape[1]) + " of " +
               std::to_string(prompt) + " tokens, giving every layer's keys and values (the last prompt token is the first step's)";
      else if (once)
        part = "once per request: the encoder and every decoder layer's cross-attention keys and values";
      else
        part = "one decode step: 1 new token against a cache of " + std::to_string(cache) + " tokens (of " + std::to_string(c.output_tokens) +
               " generated per request" + (decoder_only(c) ? ", at caches " + std::to_string(first_cache(c)) + " … " +
                                                                 std::to_string(first_cache(c) + c.output_tokens - 1) : std::string()) + ")";
      r.report.push_back(c.name + ", " + part);
    } else if (o.cache) {
      throw UsageError("--cache sets a decode step's cache: give --decode step");
    }
    w.precision = c.precision;
    const BuiltModel built = build_composition(c);
    double values = 0;
    for (const auto& init : built.graph.initializers()) values += static_cast<double>(init.elements());
    const double bytes = values * (c.precision == "fp16" ? 2 : 4);
    if (bytes > kOneFileBytes) {
      // Past protobuf's 2 GiB the weights go to FILE.data beside the model. Random values of that
      // size are a long write of gigabytes nobody reads; zeros are a sparse file that takes no
      // disk space and builds in seconds, and is what stands in for pretrained weights anyway.
      r.external_data = true;
      const std::string size = with_commas(static_cast<std::int64_t>(values)) + " weight values (" + format_number(bytes / 1e9) + " GB)";
      if (bytes > kMaxBuiltBytes)  // past every catalogue model (Llama 2 13B: 52 GB): a stranger's composition writes no such file
        throw InputError("the model holds " + size + ": more than sml-compose writes (64 GiB, even as zeros); "
                         "shrink it with --width/--depth");
      if (o.weights == "random" && bytes > kMaxDrawnBytes)
        throw InputError("the model holds " + size + ": more random weights than sml-compose draws (16 GiB); "
                         "--weights zeros writes them as a sparse file, or shrink it with --width/--depth");
      if (o.weights != "random" && o.weights != "zeros") {  // not given, or from:MODEL (what it does not match)
        weights_mode = "zeros";
        r.notes.push_back(c.name + " holds " + size + ", past protobuf's 2 GiB: its weights are zeros (a sparse file, no disk "
                          "blocks) in external data beside the model; --weights random draws them (up to 16 GiB)");
      }
    }
    w.mode = weights_mode;
    model = to_onnx(built.graph, w, SML_VERSION);
    r.report.push_back("built " + c.name + " (width " + format_number(c.width) + ", depth " + format_number(c.depth) + "): " +
                       with_commas(built.graph.trainable_elements()) + " parameters in " + std::to_string(built.cores.size()) + " cores");
    for (const auto& core : built.cores)
      r.report.push_back("  " + core.scope + "  " + core.core + "  [" + core.role + "]  → " + core.output_shape + "  " +
                         with_commas(core.params) + " params");
    std::ostringstream yaml;
    write_doc(yaml, composition_doc(c), Format::kYaml);
    set_metadata(model, "sml.composition", yaml.str());
    set_metadata(model, "sml.segments", segments_metadata(built));
    // A pipeline in one graph: how often each part runs, so sml-estimate costs it as sml-suggest does.
    if (!c.passes.empty()) set_metadata(model, "sml.passes", cost::passes_metadata(pass_runs(c.passes)));
    if (!part.empty()) set_metadata(model, "sml.decode", part);
    set_metadata(model, "sml.weights", weights_mode == "random" ? "random (seed " + std::to_string(o.seed) + ")" : "zeros");
    if (!task.empty()) set_metadata(model, "sml.task", task);
    if (!pretrained.empty()) {
      set_metadata(model, "sml.pretrained", pretrained);
      r.warnings.push_back("the suggestion names pretrained weights (" + pretrained +
                           "); sml-compose does not download them: the model has " + std::string(weights_mode == "zeros" ? "zero" : "drawn") + " weights and names the checkpoint in "
                           "metadata sml.pretrained (copy them in with --weights from:MODEL.onnx)");
    }
    if (!o.cut_at.empty()) r.report.push_back(cut_at(model, o.cut_at));
  } else {
    if (o.attention_mask) throw UsageError("--attention-mask applies to compositions (an encoder built here), not to an imported model");
    if (o.width || o.depth || !o.input_shape.empty() || !o.precision.empty())
      throw UsageError("--width, --depth, --input-shape and --precision reshape compositions; an imported model is edited with "
                       "--cut-at, --replace-head and --num-classes");
    model = read_onnx(o.input, &bytes);
    std::string edits;
    auto note = [&](const std::string& line) {
      r.report.push_back(line);
      edits += (edits.empty() ? "" : "; ") + line;
    };
    if (!o.cut_at.empty()) note(cut_at(model, o.cut_at));
    if (!o.replace_head.empty())
      note(replace_head(model, parse_core_spec(o.replace_head, "--replace-head"), o.num_classes.value_or(0), !o.cut_at.empty(), w));
    else if (o.num_classes)
      note(set_num_classes(model, *o.num_classes, w));
    auto& p = model.impl().proto;
    if (p.ir_version() > 8) {
      bool old_ops = true;
      for (const auto& op : p.opset_import())
        if ((op.domain().empty() || op.domain() == "ai.onnx") && op.version() > 18) old_ops = false;
      if (old_ops) {
        note("IR version " + std::to_string(p.ir_version()) + " written back as IR 8 (its opset allows it; libonnx 1.12 checks IR 8)");
        p.set_ir_version(8);
      }
    }
    set_metadata(model, "sml.source", name);
    if (!edits.empty()) set_metadata(model, "sml.edits", edits);
  }
  if (!o.freeze.empty()) r.report.push_back(freeze(model, o.freeze));
  if (o.weights.rfind("from:", 0) == 0) {
    const std::string line = copy_weights(model, o.weights.substr(5));
    r.report.push_back(line);
    set_metadata(model, "sml.weights", line);
  }
  set_metadata(model, "sml.generator", "sml-compose " SML_VERSION);
  std::vector<std::string> warnings;
  try {
    warnings = check_onnx(model, composed || input_is_static(model));
  } catch (const InputError& e) {
    const std::string where = composed ? node_core_where(*comp, e.what()) : "";
    if (where.empty()) throw;
    throw InputError(where + ": " + e.what());
  }
  r.warnings.insert(r.warnings.end(), warnings.begin(), warnings.end());
  r.model = std::move(model);
  return r;
}

}  // namespace
}  // namespace sml::compose
