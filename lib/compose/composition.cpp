#include "sml/compose/composition.hpp"

#include "cores_common.hpp"  // resolve(): a decoder's memory, for the once-per-request part

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "sml/compose/decode.hpp"
#include "sml/io/error.hpp"
#include "sml/io/suggest.hpp"
#include "sml/io/text.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::compose {

namespace {

std::string scalar_text(const YamlFile& f, const YAML::Node& n, const std::string& what) {
  if (n.IsScalar()) return n.Scalar();
  if (n.IsSequence()) {
    std::string s;
    for (const auto& item : n) {
      if (!item.IsScalar()) throw InputError(where(f, item) + "" + what + ": expected a list of numbers");
      s += (s.empty() ? "" : ",") + item.Scalar();
    }
    return s;
  }
  throw InputError(where(f, n) + "" + what + ": expected a value or a list of values");
}

int parse_dtype(const YamlFile& f, const YAML::Node& n, const std::string& text) {
  if (text == "float32" || text == "float") return 1;
  if (text == "int64") return 7;
  throw InputError(where(f, n) + "input dtype '" + text + "': expected float32 or int64");
}

InputSpec read_input_spec(const YamlFile& f, const YAML::Node& in, const std::string& fallback_name) {
  InputSpec s;
  s.name = opt_string(f, in, "name").value_or(fallback_name);
  const YAML::Node shape = sequence(f, in, "shape");
  for (const auto& d : shape) {
    long long v = 0;
    if (!d.IsScalar() || !YAML::convert<long long>::decode(d, v) || v <= 0 || v > (1LL << 31))
      throw InputError(where(f, d) + "input shape: expected positive whole numbers");
    s.shape.push_back(v);
  }
  if (s.shape.empty() || s.shape.size() > 5)  // an absent shape has no line: name the input's
    throw InputError(where(f, shape.Mark().line >= 0 ? shape : in) + "input shape: expected 1 to 5 dims");
  if (auto dt = opt_string(f, in, "dtype")) s.dtype = parse_dtype(f, in, *dt);
  return s;
}

// `decode: {input, output_tokens, prompt_tokens}`: which input carries the decoder's tokens (its
// length is the sequence axis, 1), how many tokens a request generates (default: that input's
// length) and, for a decoder-only model (the input is the model's own), the prompt's length
// (default: the input's).
void read_decode(const YamlFile& f, Composition& c) {
  const YAML::Node d = mapping(f, f.root, "decode");
  if (d.size() == 0) return;
  for (const auto& kv : d)
    if (const std::string key = key_text(f, kv.first);
        key != "input" && key != "output_tokens" && key != "prompt_tokens" && key != "every_step" && key != "after" && key != "why")
      throw InputError(where(f, kv.first) + "unknown key '" + key + "' in decode (input, output_tokens, prompt_tokens, every_step, after, why)");
  c.decode_input = get_string(f, d, "input");
  const Shape* shape = c.decode_input == c.input_name ? &c.input_shape : nullptr;
  for (const auto& s : c.more_inputs)
    if (s.name == c.decode_input) shape = &s.shape;
  if (!shape) throw InputError(where(f, d) + "decode: input '" + c.decode_input + "' is not an input of this composition");
  if (shape->size() < 2) throw InputError(where(f, d) + "decode: input '" + c.decode_input + "' has no sequence axis (N, S, …)");
  c.output_tokens = opt_integer(f, d, "output_tokens", 1, 1'000'000).value_or((*shape)[1]);
  if (d["prompt_tokens"]) {
    if (c.decode_input != c.input_name)
      throw InputError(where(f, d["prompt_tokens"]) + "decode: prompt_tokens is for a decoder-only model (input: the model's own input '" + c.input_name + "')");
    c.prompt_tokens = *opt_integer(f, d, "prompt_tokens", 2, 1'000'000);
  }
  if (c.decode_input == c.input_name && c.input_shape[1] < 2 && !c.prompt_tokens)
    throw InputError(where(f, d) + "decode: a decoder-only model's prompt needs at least 2 tokens (the last one is the first decode step's)");
  const YAML::Node every = sequence(f, d, "every_step");
  for (const auto& item : every) {
    const std::string name = item.IsScalar() ? item.Scalar() : std::string();
    const bool known = std::any_of(c.more_inputs.begin(), c.more_inputs.end(), [&](const InputSpec& s) { return s.name == name; });
    if (!known || name == c.decode_input || std::count(c.step_inputs.begin(), c.step_inputs.end(), name))
      throw InputError(where(f, item) + "decode: every_step '" + name + "': expected a further input (inputs:), once, other than decode.input");
    c.step_inputs.push_back(name);
  }
  if (d["after"]) {
    if (c.decode_input == c.input_name) throw InputError(where(f, d["after"]) + "decode: after is for an encoder-decoder (a decoder-only model has no part after its steps)");
    c.after_scope = get_string(f, d, "after");
  }
}

Composition read(const YamlFile& f) {
  require_kind(f, "composition/v1");
  static const std::set<std::string> known{"sml", "generator", "name", "summary", "source", "published", "notes", "input",
                                           "width", "depth", "num_classes", "precision", "per_token", "cores",
                                           "attention_mask", "inputs", "passes", "decode",
                                           "audio_s"};
  for (const auto& kv : f.root) {
    const std::string key = key_text(f, kv.first);
    if (!known.count(key)) throw InputError(where(f, kv.first) + "unknown key '" + key + "' in a composition");
  }
  Composition c;
  c.file = f.name;
  c.name = opt_string(f, f.root, "name").value_or("model");
  c.summary = opt_string(f, f.root, "summary").value_or("");
  c.source = opt_string(f, f.root, "source").value_or("");
  const InputSpec first = read_input_spec(f, mapping(f, f.root, "input"), "input");
  c.input_name = first.name;
  c.input_shape = first.shape;
  c.input_dtype = first.dtype;
  // Further inputs (an encoder-decoder's decoder token ids): each is a value cores take `from:`.
  const YAML::Node more = sequence(f, f.root, "inputs");
  if (more.size() > 4) throw InputError(where(f, more) + "inputs: at most 4 further inputs");
  for (const auto& item : more) {
    if (!item.IsMap()) throw InputError(where(f, item) + "each further input is a mapping {name, shape, dtype}");
    InputSpec s = read_input_spec(f, item, "");
    if (s.name.empty() || s.name == c.input_name ||
        std::any_of(c.more_inputs.begin(), c.more_inputs.end(), [&](const InputSpec& o) { return o.name == s.name; }))
      throw InputError(where(f, item) + "inputs: each further input needs a name of its own (got '" + s.name + "')");
    c.more_inputs.push_back(std::move(s));
  }
  c.width = opt_number(f, f.root, "width").value_or(1);
  c.depth = opt_number(f, f.root, "depth").value_or(1);
  if (!(c.width > 0 && c.width <= 16)) throw InputError(where(f, f.root["width"]) + "width " + format_number(c.width) + ": expected a multiplier in (0, 16]");
  if (!(c.depth > 0 && c.depth <= 16)) throw InputError(where(f, f.root["depth"]) + "depth " + format_number(c.depth) + ": expected a multiplier in (0, 16]");
  c.num_classes = opt_integer(f, f.root, "num_classes", 1, 10'000'000).value_or(0);
  c.audio_s = opt_number(f, f.root, "audio_s").value_or(0);
  if (f.root["audio_s"] && !(c.audio_s > 0 && c.audio_s <= 86400))
    throw InputError(where(f, f.root["audio_s"]) + "audio_s " + std::to_string(c.audio_s) + ": expected seconds in (0, 86400]");
  c.precision = opt_string(f, f.root, "precision").value_or("fp32");
  if (auto pt = opt_string(f, f.root, "per_token")) {
    if (*pt != "true" && *pt != "false") throw InputError(where(f, f.root["per_token"]) + "per_token '" + *pt + "': expected true or false");
    c.per_token = *pt == "true";
  }
  if (auto am = opt_string(f, f.root, "attention_mask")) {
    if (*am != "true" && *am != "false") throw InputError(where(f, f.root["attention_mask"]) + "attention_mask '" + *am + "': expected true or false");
    c.attention_mask = *am == "true";
  }
  if (c.precision != "fp32" && c.precision != "fp16")
    throw InputError(f.name + ": precision '" + c.precision + "': expected fp32 or fp16 (opset 17 has no bf16 convolution)");
  const YAML::Node passes = sequence(f, f.root, "passes");
  if (passes.size() > 16) throw InputError(where(f, passes) + "passes: at most 16 entries");
  for (const auto& item : passes) {
    if (!item.IsMap()) throw InputError(where(f, item) + "each pass is a mapping {scope, runs, why}");
    Pass p;
    p.scope = get_string(f, item, "scope");
    p.runs = opt_integer(f, item, "runs", 0, 1'000'000).value_or(1);
    p.train_runs = opt_integer(f, item, "train_runs", 0, 1'000'000).value_or(p.runs);
    if (auto fr = opt_string(f, item, "frozen")) {
      if (*fr != "true" && *fr != "false") throw InputError(where(f, item["frozen"]) + "passes: frozen '" + *fr + "': expected true or false");
      p.frozen = *fr == "true";
    }
    for (const auto& kv : item)
      if (const std::string key = key_text(f, kv.first); key != "scope" && key != "runs" && key != "train_runs" && key != "frozen" && key != "why")
        throw InputError(where(f, kv.first) + "passes: unknown key '" + key + "' (scope, runs, train_runs, frozen, why)");
    p.why = opt_string(f, item, "why").value_or("");
    if (p.scope.empty() || std::any_of(c.passes.begin(), c.passes.end(), [&](const Pass& o) { return o.scope == p.scope; }))
      throw InputError(where(f, item) + "passes: each entry needs a scope of its own (got '" + p.scope + "')");
    c.passes.push_back(std::move(p));
  }
  read_decode(f, c);
  const YAML::Node cores = sequence(f, f.root, "cores");
  if (cores.size() == 0)  // an absent list has no line: name the document's first
    throw InputError(where(f, cores.Mark().line >= 0 ? cores : f.root) + "cores: no cores listed");
  for (const auto& item : cores) {
    if (!item.IsMap()) throw InputError(where(f, item) + "each core is a mapping such as {core: conv_bn_act, out: 64}");
    CoreArgs a;
    a.where = where(f, item);
    a.where.resize(a.where.size() - 2);  // "file:line", without where()'s ": "
    for (const auto& kv : item) a.values[key_text(f, kv.first)] = scalar_text(f, kv.second, key_text(f, kv.first));
    a.core = a.text("core", "");
    a.values.erase("core");  // kept once, in a.core
    if (a.core.empty()) throw InputError(a.where + ": this entry names no core");
    c.cores.push_back(std::move(a));
  }
  if (!c.after_scope.empty() &&
      std::none_of(c.cores.begin(), c.cores.end(), [&](const CoreArgs& a) { return a.text("scope", "") == c.after_scope; }))
    throw InputError(where(f, f.root["decode"]["after"]) + "decode: after '" + c.after_scope + "': no core has that scope");
  return c;
}

// Whether TEXT holds WORD as a whole word (not "dim" inside "dimension").
bool has_word(const std::string& text, const std::string& word) {
  auto is_word_char = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1))
    if ((at == 0 || !is_word_char(text[at - 1])) && (at + word.size() == text.size() || !is_word_char(text[at + word.size()]))) return true;
  return false;
}

// An error raised while a core builds names a tensor ("a dimension of 0", "a tensor of more than
// 2^40 elements"), not the setting behind it: add the settings of the core's line whose values
// the message quotes, or else its numeric settings, largest first, so the key is named.
std::string name_the_settings(const CoreArgs& e, const std::string& message) {
  static const std::set<std::string> not_settings{"scope", "role", "name", "from", "frozen_bn", "memory", "low", "context", "timestep"};
  const std::string body = message.rfind(e.where, 0) == 0 ? message.substr(e.where.size()) : message;
  std::vector<std::pair<std::string, std::string>> numeric;
  for (const auto& [key, value] : e.values) {
    if (not_settings.count(key)) continue;
    if (has_word(body, key)) return message;  // the core said which key
    if (!value.empty() && value.find_first_not_of("0123456789.,e+-") == std::string::npos) numeric.emplace_back(key, value);
  }
  std::set<std::string> quoted;  // whole numbers standing alone in the message ("of 0", "into 7 heads")
  std::string token;
  for (char ch : body + " ") {
    if (ch == ' ' || ch == '(' || ch == ')' || ch == ',' || ch == ';') {
      if (!token.empty() && token.find_first_not_of("0123456789") == std::string::npos) quoted.insert(token);
      token.clear();
    } else {
      token += ch;
    }
  }
  std::string named;
  for (const auto& [key, value] : numeric)
    for (const auto& item : split(value, ","))
      if (quoted.count(item)) {
        named += (named.empty() ? "" : ", ") + key + ": " + value;
        break;
      }
  if (!named.empty()) return message + " (from the core's " + named + ")";
  if (numeric.empty()) return message;
  std::sort(numeric.begin(), numeric.end(), [](const auto& a, const auto& b) {
    return std::atof(a.second.c_str()) > std::atof(b.second.c_str());
  });
  for (std::size_t i = 0; i < numeric.size() && i < 4 && std::atof(numeric[i].second.c_str()) > 1; ++i)
    named += (i ? ", " : "") + numeric[i].first + ": " + numeric[i].second;
  if (named.empty()) return message;
  return message + " (the core's largest settings: " + named + ")";
}

}  // namespace

std::string shape_text(const Shape& s) {
  std::string t;
  for (auto d : s) t += (t.empty() ? "" : "x") + std::to_string(d);
  return t;
}

Composition parse_composition(const std::string& text, const std::string& display_name) {
  return parse_composition(parse_yaml(text, display_name));
}

Composition parse_composition(const YamlFile& f) {
  return guarded(f, [&] { return read(f); });
}

Composition load_composition(const std::string& path) { return parse_composition(read_input(path), display_name(path)); }

std::vector<std::string> list_archs(const std::string& catalog_dir) {
  std::vector<std::string> names;
  for (const auto& file : yaml_files(catalog_dir + "/archs", "architecture folder"))
    names.push_back(std::filesystem::path(file).stem().string());
  return names;
}

Composition arch_composition(const std::string& name, const std::string& catalog_dir) {
  const auto names = list_archs(catalog_dir);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    // The nearest few, not all of them: the catalogue has dozens (`--list archs` prints them).
    throw InputError("--arch '" + name + "': no such architecture in " + catalog_dir + "/archs (nearest: " + nearest(name, names) + "; all " +
                     std::to_string(names.size()) + " with --list archs; or the id of a catalogue model that names one)");
  }
  return load_composition(catalog_dir + "/archs/" + name + ".yaml");
}

Doc composition_doc(const Composition& c) {
  Doc d = Doc::map();
  d.set("sml", "composition/v1");
  d.set("name", c.name);
  if (!c.summary.empty()) d.set("summary", c.summary);
  if (!c.source.empty()) d.set("source", c.source);
  Doc in = Doc::map();
  in.set("name", c.input_name);
  Doc& shape = in["shape"] = Doc::list();
  for (auto v : c.input_shape) shape.push(Doc(static_cast<long long>(v)));
  in.set("dtype", c.input_dtype == 7 ? "int64" : "float32");
  d.set("input", in);
  if (!c.more_inputs.empty()) {
    Doc& more = d["inputs"] = Doc::list();
    for (const auto& s : c.more_inputs) {
      Doc m = Doc::map();
      m.set("name", s.name);
      Doc& dims = m["shape"] = Doc::list();
      for (auto v : s.shape) dims.push(Doc(static_cast<long long>(v)));
      m.set("dtype", s.dtype == 7 ? "int64" : "float32");
      more.push(m);
    }
  }
  d.set("width", c.width);
  d.set("depth", c.depth);
  d.set("num_classes", c.num_classes > 0 ? Doc(static_cast<long long>(c.num_classes)) : Doc());
  d.set("precision", c.precision);
  if (c.per_token) d.set("per_token", true);
  if (c.attention_mask) d.set("attention_mask", true);
  if (!c.passes.empty()) {
    Doc& passes = d["passes"] = Doc::list();
    for (const auto& p : c.passes) {
      Doc m = Doc::map();
      m.set("scope", p.scope);
      m.set("runs", Doc(static_cast<long long>(p.runs)));
      if (p.train_runs != p.runs) m.set("train_runs", Doc(static_cast<long long>(p.train_runs)));
      if (p.frozen) m.set("frozen", true);
      if (!p.why.empty()) m.set("why", p.why);
      passes.push(m);
    }
  }
  if (!c.decode_input.empty()) {
    Doc m = Doc::map();
    m.set("input", c.decode_input);
    m.set("output_tokens", Doc(static_cast<long long>(c.output_tokens)));
    if (c.prompt_tokens) m.set("prompt_tokens", Doc(static_cast<long long>(c.prompt_tokens)));
    if (!c.step_inputs.empty()) {
      Doc& every = m["every_step"] = Doc::list();
      for (const auto& name : c.step_inputs) every.push(Doc(name));
    }
    if (!c.after_scope.empty()) m.set("after", c.after_scope);
    d.set("decode", m);
  }
  Doc& list = d["cores"] = Doc::list();
  for (const auto& e : c.cores) {
    Doc m = Doc::map();
    m.set("core", e.core);
    for (const auto& [k, v] : e.values) m.set(k, v);
    list.push(m);
  }
  return d;
}

std::vector<cost::PassRun> pass_runs(const std::vector<Pass>& passes) { return {passes.begin(), passes.end()}; }

BuiltModel build_composition(const Composition& c) {
  BuiltModel out;
  GraphBuilder& b = out.graph;
  // A decode part (issue 13, c.step): the cores that read the decoder's tokens are the decoder's
  // (`on_path`); a step builds the others (the encoder) in a scratch graph, for their output's
  // shape and the tables the decoder shares, and leaves them out of the graph.
  const DecodeMode mode = c.step;
  const bool split = mode.part != DecodeMode::kNone;
  if (split && c.decode_input.empty()) throw InputError(c.file + ": no decode: key says which input carries the decoder's tokens");
  if (split && (c.attention_mask || !c.passes.empty())) throw InputError(c.file + ": a decode part is built for encoder-decoders and decoders only");
  // A decoder-only model's prefill (decode.hpp) is the model over the prompt up to its last
  // decoder stack, whose keys and values are its outputs; the final norm and head are the steps'.
  const bool prefill = mode.part == DecodeMode::kOnce && decoder_only(c);
  std::size_t last_stack = 0;
  if (prefill) {
    static const std::set<std::string> kCaching{"transformer_decoder", "llama_decoder", "phi_decoder"};
    for (std::size_t i = 0; i < c.cores.size(); ++i)
      if (kCaching.count(c.cores[i].core)) last_stack = i + 1;
    if (!last_stack) throw InputError(c.file + ": decode: no decoder core (transformer_decoder, llama_decoder, phi_decoder) writes a KV cache");
  }
  // `decode.after` (kAfter, SpeechT5's post-net and vocoder): the cores before it are built in the
  // scratch graph at their stated lengths (for the shapes of all the steps produced), the rest in the
  // part; a step builds the after core's per-step part and none of the cores after it.
  const bool after = mode.part == DecodeMode::kAfter;
  std::size_t after_index = c.cores.size();
  for (std::size_t i = 0; i < c.cores.size(); ++i)
    if (!c.after_scope.empty() && c.cores[i].text("scope", "") == c.after_scope) after_index = i;
  if (after && after_index == c.cores.size()) throw InputError(c.file + ": decode: no after: scope names work that runs once after the steps");
  if (split && after_index < c.cores.size() && c.cores[after_index].core != "speecht5_postnet")
    throw InputError(c.cores[after_index].where + ": decode: after names a " + c.cores[after_index].core +
                     " core, which has no part after the steps (speecht5_postnet has)");
  GraphBuilder scratch;
  std::map<std::string, bool> on_path;
  auto graph_for = [&](bool path) -> GraphBuilder& { return mode.part == DecodeMode::kStep && !path ? scratch : b; };
  auto make_input = [&](const std::string& name, Shape shape, int dtype) {
    const bool path = split && name == c.decode_input;
    const bool every_step = split && std::count(c.step_inputs.begin(), c.step_inputs.end(), name);
    if (path && mode.part == DecodeMode::kStep) shape[1] = 1;  // the one new token
    on_path[name] = path;
    GraphBuilder& g = after ? scratch
                      : every_step ? (mode.part == DecodeMode::kStep ? b : scratch)  // read by the steps, not by the once part
                      : mode.part == DecodeMode::kOnce && path && !prefill ? scratch
                                                                           : graph_for(path);
    return g.input(name, shape, dtype);
  };
  Value x = make_input(c.input_name, c.input_shape, c.input_dtype);
  bool x_path = on_path[c.input_name];
  BuildContext ctx;
  ctx.width = c.width;
  ctx.depth = c.depth;
  ctx.num_classes = c.num_classes;
  ctx.input_shape = c.input_shape;
  ctx.named[c.input_name] = x;  // `from: INPUT` reads the model input again (NeuMF's second set of tables)
  if (c.attention_mask) {
    if (c.input_dtype != 7 || c.input_shape.size() != 2)
      throw InputError(c.file + ": attention_mask: needs token ids (N, S) of type int64 as the input");
    ctx.attention_mask = b.input("attention_mask", c.input_shape, 7);
  }
  for (const auto& s : c.more_inputs) ctx.named[s.name] = make_input(s.name, s.shape, s.dtype);
  std::set<std::string> scopes;
  Value once_out;  // kOnce: the encoder's output, the part's first output
  for (std::size_t i = 0; i < (prefill ? last_stack : c.cores.size()); ++i) {
    if (mode.part == DecodeMode::kStep && i > after_index) break;  // run once after the steps
    if (after && i == after_index) ctx.extra_outputs.clear();       // the scratch cores' outputs are not the part's
    const CoreArgs& e = c.cores[i];
    const CoreDef& def = find_core(e.core, e.where);
    check_core_keys(def, e);
    char index[32];
    std::snprintf(index, sizeof index, "%02zu_", i);
    const std::string scope = e.text("scope", index + def.name);
    if (!scopes.insert(scope).second) throw InputError(e.where + ": scope '" + scope + "' is used twice");
    Value in = x;
    bool path = x_path;
    if (const std::string from = e.text("from", ""); !from.empty()) {
      auto it = ctx.named.find(from);
      if (it == ctx.named.end()) throw InputError(e.where + ": from '" + from + "': no earlier core has that name");
      in = it->second;
      path = on_path[from];
    }
    if (path && mode.part == DecodeMode::kOnce && !prefill) {
      // Once per request, of the decoder only the cross-attention keys and values of the encoder's output.
      if (!e.has("memory")) {
        x_path = true;  // the cores after it read the decoder's tokens too
        continue;
      }
      in = detail::resolve(ctx, e, "memory");
    }
    GraphBuilder& g = after ? (i < after_index ? scratch : b) : graph_for(path);
    if (path && mode.part == DecodeMode::kStep && e.has("tie"))  // the encoder's table, shared by the decoder
      if (auto t = ctx.tables.find(e.text("tie", "")); t != ctx.tables.end())
        for (const auto& w : scratch.initializers())
          if (w.name == t->second.name) b.adopt(w);
    ctx.decode = after ? (i < after_index ? DecodeMode{} : mode) : path ? mode : DecodeMode{};
    const std::int64_t before = g.trainable_elements();
    g.push(scope);
    g.frozen_norm = e.flag("frozen_bn", false);
    try {
      x = def.build(g, in, e, ctx);
    } catch (const InputError& err) {
      const std::string m = err.what();
      throw InputError(name_the_settings(e, m.rfind(e.where, 0) == 0 ? m : e.where + ": " + e.core + ": " + m));
    }
    g.pop();
    g.frozen_norm = false;
    x_path = path;
    if (!path && mode.part == DecodeMode::kOnce) once_out = x;
    if (const std::string name = e.text("name", ""); !name.empty()) {
      ctx.named[name] = x;
      on_path[name] = path;
    }
    if (&g == &b) out.cores.push_back({scope, def.name, e.text("role", def.role), shape_text(x.shape), b.trainable_elements() - before});
  }
  if (c.attention_mask && !ctx.attention_mask_used)
    throw InputError(c.file + ": attention_mask: no core of this composition reads it (bert_encoder does)");
  if (mode.part == DecodeMode::kOnce && !prefill) {
    // Its outputs: the cross keys and values the steps read, present.I.encoder.{key,value} as
    // optimum's decoder_model.onnx names them. The encoder's own output (optimum's
    // last_hidden_state) is not one: no step reads it, only its cross projections.
    if (once_out.name.empty()) throw InputError(c.file + ": decode: no core runs before the decoder (nothing runs once per request)");
    if (ctx.present_outputs.empty()) throw InputError(c.file + ": decode: no decoder core reads the encoder (memory:)");
    for (const Value& kv : ctx.present_outputs) b.output(kv);
    for (std::size_t i = 0; i < ctx.extra_outputs.size(); ++i)  // an encoder-side core's further outputs
      b.output(b.rename(ctx.extra_outputs[i], i ? "output_" + std::to_string(i + 1) : "output"));
    return out;
  }
  if (prefill) {  // its outputs: each layer's keys and values (present.I.key, present.I.value)
    for (const Value& kv : ctx.extra_outputs) b.output(kv);
    return out;
  }
  b.output(b.rename(x, "output"));
  for (std::size_t i = 0; i < ctx.extra_outputs.size(); ++i) b.output(b.rename(ctx.extra_outputs[i], "output_" + std::to_string(i + 2)));
  for (const Value& v : ctx.present_outputs) b.output(v);
  return out;
}

}  // namespace sml::compose
