#include "sml/graph/onnx_reader.hpp"

#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sml/graph/wire.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/io/files.hpp"

namespace sml::graph {
namespace {

using wire::Field;
using wire::Reader;
using wire::WireError;

// Thrown inside the parser for content that is well-formed protobuf but not a sane ONNX model.
struct ModelError {
  std::string what;
};

class Parser {
 public:
  Parser(std::shared_ptr<const Source> source, const LoadLimits& limits)
      : source_(std::move(source)), limits_(limits) {}

  Model parse() {
    Model m;
    m.source = source_;
    Reader r(*source_->bytes, 0, source_->bytes->size());
    Field f;
    bool saw_graph = false;
    while (r.next(f)) {
      switch (f.number) {
        case 1: m.ir_version = static_cast<std::int64_t>(f.varint); break;
        case 2: m.producer_name = text(f); break;
        case 3: m.producer_version = text(f); break;
        case 7: m.graph = parse_graph(f, 0); saw_graph = true; break;
        case 8: {
          auto [domain, version] = parse_opset(f);
          m.opsets[domain == "ai.onnx" ? "" : domain] = version;
          break;
        }
        case 14: m.metadata.push_back(parse_string_pair(f)); break;
        case 25: m.functions.push_back(parse_function(f)); break;
        default: break;  // doc_string, training_info, ...: not needed for counting
      }
    }
    if (!saw_graph)
      throw ModelError{"no graph: not an ONNX model (ModelProto.graph is missing)"};
    if (m.ir_version < 1 || m.ir_version > 64)
      throw ModelError{"IR version " + std::to_string(m.ir_version) + " is not an ONNX IR version (1–10 are)"};
    check_expansion(m);
    return m;
  }

 private:
  // Strings are short (names, op types); a hostile length is refused by payload().
  std::string text(const Field& f) const {
    require(f, wire::kLengthDelimited);
    if (f.length > Reader::kMaxPayload) throw WireError{f.offset, "field of " + std::to_string(f.length) + " bytes is too large"};
    return source_->bytes->copy(f.offset, f.length);
  }
  static void require(const Field& f, wire::WireType t) {
    if (f.type != t)
      throw WireError{f.offset, "field " + std::to_string(f.number) + " has wire type " +
                                    std::to_string(f.type) + ", expected " + std::to_string(t)};
  }
  Reader sub(const Field& f) const {
    require(f, wire::kLengthDelimited);
    return Reader(*source_->bytes, f.offset, f.offset + f.length);
  }
  // Packed or unpacked repeated varints.
  template <typename Fn>
  void each_varint(const Field& f, Fn&& fn) const {
    if (f.type == wire::kLengthDelimited)
      wire::for_each_packed_varint(text(f), f.offset, fn);
    else
      fn(f.varint);
  }

  std::pair<std::string, std::int64_t> parse_opset(const Field& outer) {
    Reader r = sub(outer);
    Field f;
    std::string domain;
    std::int64_t version = 0;
    while (r.next(f)) {
      if (f.number == 1) domain = text(f);
      else if (f.number == 2) version = static_cast<std::int64_t>(f.varint);
    }
    return {domain, version};
  }

  std::pair<std::string, std::string> parse_string_pair(const Field& outer) {
    Reader r = sub(outer);
    Field f;
    std::pair<std::string, std::string> kv;
    while (r.next(f)) {
      if (f.number == 1) kv.first = text(f);
      else if (f.number == 2) kv.second = text(f);
    }
    return kv;
  }

  void count_node() {
    if (++nodes_ > limits_.max_nodes)
      throw ModelError{"more than " + std::to_string(limits_.max_nodes) + " nodes"};
  }

  Graph parse_graph(const Field& outer, int depth) {
    if (depth > limits_.max_subgraph_depth)
      throw ModelError{"subgraphs nested deeper than " + std::to_string(limits_.max_subgraph_depth)};
    Graph g;
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      switch (f.number) {
        case 1: g.nodes.push_back(parse_node(f, depth, g.nodes.size())); break;
        case 2: g.name = text(f); break;
        case 5: g.initializers.push_back(parse_tensor(f)); break;
        case 11: g.inputs.push_back(parse_value_info(f)); break;
        case 12: g.outputs.push_back(parse_value_info(f)); break;
        case 13: g.value_info.push_back(parse_value_info(f)); break;
        case 15: g.initializers.push_back(parse_sparse_as_dense(f)); break;
        default: break;
      }
    }
    return g;
  }

  Node parse_node(const Field& outer, int depth, std::size_t index) {
    count_node();
    Node n;
    Reader r = sub(outer);
    Field f;
    try {
      while (r.next(f)) {
        switch (f.number) {
          case 1: n.inputs.push_back(text(f)); break;
          case 2: n.outputs.push_back(text(f)); break;
          case 3: n.name = text(f); break;
          case 4: n.op_type = text(f); break;
          case 5: n.attributes.push_back(parse_attribute(f, depth)); break;
          case 7: n.domain = text(f); break;
          default: break;
        }
      }
    } catch (ModelError& e) {
      throw ModelError{"node #" + std::to_string(index) + " " + n.label() + ": " + e.what};
    } catch (WireError& e) {
      e.what = "node #" + std::to_string(index) + " " + n.label() + ": " + e.what;
      throw;
    }
    if (n.op_type.empty()) throw ModelError{"node #" + std::to_string(index) + " has no op_type"};
    return n;
  }

  Attribute parse_attribute(const Field& outer, int depth) {
    Attribute a;
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      switch (f.number) {
        case 1: a.name = text(f); break;
        case 20: a.type = static_cast<int>(f.varint); break;
        case 2: {
          require(f, wire::kFixed32);
          float v;
          auto bits = static_cast<std::uint32_t>(f.varint);
          std::memcpy(&v, &bits, 4);
          a.f = v;
          break;
        }
        case 3: a.i = static_cast<std::int64_t>(f.varint); break;
        case 4: a.s = text(f); break;
        case 5: a.tensors.push_back(parse_tensor(f)); break;
        case 6: a.graphs.push_back(std::make_shared<Graph>(parse_graph(f, depth + 1))); break;
        case 7:
          if (f.type == wire::kLengthDelimited) {
            const std::string packed = text(f);
            for (std::size_t off = 0; off + 4 <= packed.size(); off += 4) {
              float v;
              std::memcpy(&v, packed.data() + off, 4);
              a.floats.push_back(v);
            }
          } else {
            float v;
            auto bits = static_cast<std::uint32_t>(f.varint);
            std::memcpy(&v, &bits, 4);
            a.floats.push_back(v);
          }
          break;
        case 8:
          each_varint(f, [&](std::uint64_t v) { a.ints.push_back(static_cast<std::int64_t>(v)); });
          break;
        case 9: a.strings.push_back(text(f)); break;
        case 10: a.tensors.push_back(parse_tensor(f)); break;
        case 11: a.graphs.push_back(std::make_shared<Graph>(parse_graph(f, depth + 1))); break;
        case 22: case 23: a.tensors.push_back(parse_sparse_as_dense(f)); break;
        default: break;
      }
    }
    return a;
  }

  // Sparse tensors count by their dense shape (what the op sees); values are not decoded.
  Tensor parse_sparse_as_dense(const Field& outer) {
    Tensor t;
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      if (f.number == 1) {
        Tensor values = parse_tensor(f);
        t.name = values.name;
        t.dtype = values.dtype;
      } else if (f.number == 3) {
        add_dims(f, t.dims);
      }
    }
    t.source = source_;
    check_dims(t);
    return t;
  }

  void add_dims(const Field& f, std::vector<std::int64_t>& dims) {
    each_varint(f, [&](std::uint64_t v) {
      if (static_cast<int>(dims.size()) >= limits_.max_rank)
        throw ModelError{"a tensor has more than " + std::to_string(limits_.max_rank) + " dimensions"};
      dims.push_back(static_cast<std::int64_t>(v));
    });
  }

  // Declared sizes are checked before anything is sized from them (issue 9: limits).
  void check_dims(const Tensor& t) {
    if (static_cast<int>(t.dims.size()) > limits_.max_rank)
      throw ModelError{"tensor '" + t.name + "' has rank " + std::to_string(t.dims.size())};
    std::int64_t n = 1;
    for (auto d : t.dims) {
      if (d < 0) throw ModelError{"tensor '" + t.name + "' has a negative dimension " + std::to_string(d)};
      if (d != 0 && n > limits_.max_elements / d)
        throw ModelError{"tensor '" + t.name + "' declares more than " + std::to_string(limits_.max_elements) + " elements"};
      n *= d;
    }
  }

  Tensor parse_tensor(const Field& outer) {
    Tensor t;
    t.source = source_;
    Reader r = sub(outer);
    Field f;
    bool external = false;
    std::vector<std::pair<std::string, std::string>> ext;
    while (r.next(f)) {
      switch (f.number) {
        case 1: add_dims(f, t.dims); break;
        case 2: t.dtype = static_cast<int>(f.varint); break;
        case 8: t.name = text(f); break;
        case 9:  // raw_data: where it is, not what it holds
          require(f, wire::kLengthDelimited);
          t.has_raw = true;
          t.raw_offset = f.offset;
          t.raw_length = f.length;
          break;
        case 13: ext.push_back(parse_string_pair(f)); break;
        case 14: external = f.varint == 1; break;
        case 4: case 5: case 7: case 10: case 11:
          t.typed_field = static_cast<int>(f.number);
          if (f.type == wire::kLengthDelimited) {
            t.typed_offset = f.offset;
            t.typed_length = f.length;
          } else if (t.typed_unpacked.size() < (std::size_t(1) << 20)) {
            t.typed_unpacked.push_back(f.varint);
          } else {
            throw ModelError{"tensor '" + t.name + "' stores more than 2^20 unpacked values"};
          }
          break;
        default: break;
      }
    }
    check_dims(t);
    if (external) {
      for (auto& [k, v] : ext) {
        if (k == "location") t.external_location = v;
        else if (k == "offset") t.external_offset = parse_int(v, t.name, k);
        else if (k == "length") t.external_length = parse_int(v, t.name, k);
      }
      check_external(t);
    }
    return t;
  }

  static std::int64_t parse_int(const std::string& s, const std::string& tensor, const std::string& key) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0 || v < 0)
      throw ModelError{"tensor '" + tensor + "': external_data " + key + " '" + s + "' is not a non-negative integer"};
    return v;
  }

  // External data must stay inside the model's folder (the path-traversal class of
  // CVE-2022-25882): ExternalData opens it confined, once, and checks the range.
  void check_external(Tensor& t) {
    const std::string where = "tensor '" + t.name + "': external data '" + t.external_location + "'";
    const double need = dtype_bytes(t.dtype) * static_cast<double>(t.elements());
    if (t.external_length < 0 && need > 9.2e18) throw ModelError{where + ": the tensor is too large"};
    const std::int64_t length = t.external_length >= 0 ? t.external_length : static_cast<std::int64_t>(need);
    try {
      source_->external->check(t.external_location, t.external_offset, length);
    } catch (const ExternalDataError& e) {
      throw ModelError{where + ": " + e.what};
    }
  }

  ValueInfo parse_value_info(const Field& outer) {
    ValueInfo v;
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      if (f.number == 1) v.name = text(f);
      else if (f.number == 2) parse_type(f, v);
    }
    return v;
  }

  void parse_type(const Field& outer, ValueInfo& v) {
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      if (f.number != 1 && f.number != 8) continue;  // tensor_type, sparse_tensor_type
      Reader tr = sub(f);
      Field tf;
      while (tr.next(tf)) {
        if (tf.number == 1) v.elem_type = static_cast<int>(tf.varint);
        else if (tf.number == 2) parse_shape(tf, v);
      }
    }
  }

  void parse_shape(const Field& outer, ValueInfo& v) {
    v.has_shape = true;
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      if (f.number != 1) continue;
      if (static_cast<int>(v.dims.size()) >= limits_.max_rank)
        throw ModelError{"value '" + v.name + "' has rank above " + std::to_string(limits_.max_rank)};
      Dim d;
      Reader dr = sub(f);
      Field df;
      while (dr.next(df)) {
        if (df.number == 1) {
          auto value = static_cast<std::int64_t>(df.varint);
          d.value = value >= 0 ? value : -1;
        } else if (df.number == 2) {
          d.param = text(df);
        }
      }
      v.dims.push_back(std::move(d));
    }
  }

  Function parse_function(const Field& outer) {
    Function fn;
    Reader r = sub(outer);
    Field f;
    while (r.next(f)) {
      switch (f.number) {
        case 1: fn.name = text(f); break;
        case 4: fn.inputs.push_back(text(f)); break;
        case 5: fn.outputs.push_back(text(f)); break;
        case 6: fn.attributes.push_back(text(f)); break;
        case 7: fn.nodes.push_back(parse_node(f, 1, fn.nodes.size())); break;
        case 9: { auto [d, v] = parse_opset(f); fn.opsets[d == "ai.onnx" ? "" : d] = v; break; }
        case 10: fn.domain = text(f); break;
        default: break;
      }
    }
    return fn;
  }

  // Model-local functions are expanded in place by every walk over the graph: a function calling
  // another twice, 32 deep, is a 2^32-node model in a hundred bytes. Count what expansion would
  // give, before anything expands it, and refuse recursion (ONNX forbids it). A call counts as
  // itself plus its function's nodes: the walk visits it too and the profile lists it as a layer,
  // so a bomb of calls with one node at each leaf (98,304 leaves, 294,911 layers, 2.6 KB: 3 CPU-s
  // and 540 MB in sml-estimate, fuzz corpus) is held to the same bound as one of plain nodes.
  // Each layer's name is its scope ("f0/f1/…/") and its own, so names also grow with depth: 14
  // functions each calling the next twice through nodes named with 800 bytes (24 KB) gave 32,767
  // layers but 544 MB of YAML and 2.9 GB. Their bytes are counted too, and held to 64x the file
  // above a floor.
  void check_expansion(const Model& m) {
    struct Expansion {
      std::int64_t nodes = 0, name_bytes = 0;  // nodes < 0 while being counted (a cycle)
    };
    std::map<std::string, const Function*> functions;
    for (const auto& f : m.functions) functions[f.domain + "::" + f.name] = &f;
    std::map<const Function*, Expansion> sizes;
    const std::int64_t stored = nodes_;
    const std::int64_t by_factor = stored > limits_.max_expanded_nodes / std::max<std::int64_t>(1, limits_.max_expansion_factor)
                                       ? limits_.max_expanded_nodes
                                       : stored * limits_.max_expansion_factor;
    const std::int64_t cap = std::min(limits_.max_expanded_nodes, std::max(limits_.expansion_floor, by_factor));
    const auto file_bytes = static_cast<std::int64_t>(source_->bytes->size());
    const std::int64_t name_cap = std::max(limits_.expanded_name_bytes_floor,
                                           file_bytes > (std::int64_t(1) << 40) ? file_bytes : file_bytes * limits_.max_expansion_factor);
    // As the walk and the profile name them (infer.cpp, profile.cpp): the node's name, else its
    // first output, else its op type; what it contains under that and "/" ("then/", "body/" for a
    // subgraph's nodes).
    auto label = [](const Node& n) -> std::int64_t {
      return static_cast<std::int64_t>(!n.name.empty() ? n.name.size() : !n.outputs.empty() ? n.outputs[0].size() : n.op_type.size());
    };
    auto scope = [](const Node& n) -> std::int64_t { return 1 + static_cast<std::int64_t>(n.name.empty() ? n.op_type.size() : n.name.size()); };
    auto sum = [](std::int64_t a, std::int64_t b, std::int64_t limit) { return std::min(limit + 1, a + b); };
    // The bytes of NODES names under a scope of PREFIX bytes, capped at name_cap + 1.
    auto under = [&](const Expansion& e, std::int64_t prefix) {
      return sum(e.name_bytes, prefix > (name_cap + 1) / std::max<std::int64_t>(1, e.nodes) ? name_cap + 1 : e.nodes * prefix, name_cap);
    };
    std::function<Expansion(const std::vector<Node>&, int)> count = [&](const std::vector<Node>& nodes, int depth) {
      if (depth > 2 * limits_.max_subgraph_depth)
        throw ModelError{"functions and subgraphs nested deeper than " + std::to_string(2 * limits_.max_subgraph_depth)};
      Expansion total;
      for (const auto& n : nodes) {
        Expansion add{1, label(n)};
        auto fn = functions.find(n.domain + "::" + n.op_type);
        if (fn != functions.end()) {
          auto [it, fresh] = sizes.emplace(fn->second, Expansion{-1, 0});
          if (!fresh && it->second.nodes < 0)
            throw ModelError{"function '" + fn->second->name + "' calls itself (ONNX functions cannot recurse)"};
          if (fresh) it->second = count(fn->second->nodes, depth + 1);
          add.nodes = sum(add.nodes, it->second.nodes, cap);
          add.name_bytes = sum(add.name_bytes, under(it->second, scope(n)), name_cap);
        }
        for (const auto& a : n.attributes)
          for (const auto& g : a.graphs) {
            const Expansion inner = count(g->nodes, depth + 1);
            add.nodes = sum(add.nodes, inner.nodes, cap);
            add.name_bytes = sum(add.name_bytes, under(inner, scope(n) + 5), name_cap);
          }
        total.nodes = sum(total.nodes, add.nodes, cap);
        total.name_bytes = sum(total.name_bytes, add.name_bytes, name_cap);
      }
      if (total.nodes > cap)
        throw ModelError{"expanding its functions gives more than " + std::to_string(cap) + " nodes (at most " +
                         std::to_string(limits_.max_expansion_factor) + "x the " + std::to_string(stored) +
                         " it stores, or " + std::to_string(limits_.expansion_floor) + ")"};
      if (total.name_bytes > name_cap)
        throw ModelError{"expanding its functions gives more than " + std::to_string(name_cap) + " bytes of layer names (at most " +
                         std::to_string(limits_.max_expansion_factor) + "x the file's " + std::to_string(file_bytes) +
                         " bytes, or " + std::to_string(limits_.expanded_name_bytes_floor) + ")"};
      return total;
    };
    count(m.graph.nodes, 0);
  }

  std::shared_ptr<const Source> source_;
  LoadLimits limits_;
  std::int64_t nodes_ = 0;
};

Model parse_source(std::shared_ptr<Source> source, const LoadLimits& limits) {
  const std::string name = source->display_name;
  if (source->bytes->size() == 0) throw InputError(name + ": empty file (expected an ONNX model)");
  // One of our YAML documents handed over where a model belongs: say which (DESIGN.md §3).
  if (!source->external) source->external = std::make_shared<ExternalData>(source->base_dir);
  const std::string kind = document_kind(std::string(source->bytes->read(0, std::min<std::size_t>(source->bytes->size(), 4096))));
  if (!kind.empty()) throw InputError("expected an ONNX model, got " + kind + " from " + name);
  try {
    return Parser(std::move(source), limits).parse();
  } catch (const WireError& e) {
    throw InputError(name + ": byte " + std::to_string(e.offset) + ": " + e.what +
                     " (not a valid ONNX protobuf, or truncated)");
  } catch (const ModelError& e) {
    throw InputError(name + ": " + e.what);
  }
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Model parse_model(std::string bytes, const std::string& display_name, const std::string& base_dir,
                  const LoadLimits& limits) {
  auto source = std::make_shared<Source>();
  source->display_name = display_name;
  source->base_dir = base_dir;
  source->bytes = wire::memory_source(std::move(bytes));
  return parse_source(std::move(source), limits);
}

Model load_model(const std::string& path, const LoadLimits& limits) {
  if (path.empty() || path == "-") return parse_model(read_input(path), "<stdin>", "", limits);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    // Pipes and other streams: read them whole.
    return parse_model(read_input(path), path, folder_of(path), limits);
  }
  auto source = std::make_shared<Source>();
  source->display_name = path;
  source->base_dir = folder_of(path);
  // Read on demand: the pages of weight payloads that the parser skips are never read.
  source->bytes = wire::file_source(fd, static_cast<std::size_t>(st.st_size));
  return parse_source(std::move(source), limits);
}

}  // namespace sml::graph
