// Writing a model: the ModelProto holds the graph and the weights it has values for; weights still
// to be drawn (a built model's) are drawn straight into the output as it is written, and runs of
// zeros become holes. Nothing holds a second copy of the weights (issue 13: serialising BERT-base
// through protobuf zero-filled and copied 440 MB three times).
#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>

#include "onnx_impl.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "draw_pipeline.hpp"
#include "weights.hpp"

namespace sml::compose {

namespace {

constexpr std::uint64_t kProtobufLimit = (1ull << 31) - 1;
constexpr int kModelGraph = 7, kGraphInitializer = 5, kTensorRawData = 9;  // onnx.proto field numbers

void put_varint(std::string& s, std::uint64_t v) {
  while (v >= 0x80) {
    s += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  s += static_cast<char>(v);
}

std::uint64_t read_varint(const std::string& s, std::size_t& i) {
  std::uint64_t v = 0;
  for (int shift = 0; i < s.size() && shift < 64; shift += 7) {
    const auto b = static_cast<unsigned char>(s[i++]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw std::logic_error("a serialized message ends inside a varint");
}

// The key and length of a length-delimited field.
std::string field_header(int field, std::uint64_t length) {
  std::string s;
  put_varint(s, static_cast<std::uint64_t>(field) << 3 | 2);
  put_varint(s, length);
  return s;
}

// Where, in one serialized message, its first field numbered above FIELD starts: protobuf writes
// known fields in field-number order, so a field FIELD inserted there sits where protobuf would
// have put it, and the output is byte for byte what SerializeToString gives for the full model.
std::size_t split_after(const std::string& bytes, int field) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t start = i;
    const std::uint64_t key = read_varint(bytes, i);
    if (static_cast<int>(key >> 3) > field) return start;
    switch (key & 7) {
      case 0: (void)read_varint(bytes, i); break;
      case 1: i += 8; break;
      case 2: i += static_cast<std::size_t>(read_varint(bytes, i)); break;
      case 5: i += 4; break;
      default: throw std::logic_error("a serialized message has a group or an unknown wire type");
    }
  }
  return bytes.size();
}

// The output as a list of pieces: literal bytes, or a drawn tensor's values.
struct Piece {
  std::string bytes;
  const Initializer* drawn = nullptr;
  std::uint64_t length = 0;  // bytes.size(), or the drawn values' bytes
};

struct Pieces {
  std::vector<Piece> list;
  std::uint64_t size = 0;
  void add(std::string bytes) {
    size += bytes.size();
    if (!list.empty() && !list.back().drawn) {
      list.back().length += bytes.size();
      list.back().bytes += bytes;
      return;
    }
    const std::uint64_t n = bytes.size();
    list.push_back({std::move(bytes), nullptr, n});
  }
  void add(const Initializer& init, std::uint64_t length) {
    size += length;
    list.push_back({{}, &init, length});
  }
  void append(Pieces&& other) {
    for (auto& p : other.list) p.drawn ? add(*p.drawn, p.length) : add(std::move(p.bytes));
  }
};

std::uint64_t drawn_bytes(const Initializer& init, const WeightOptions& w) {
  return static_cast<std::uint64_t>(init.elements()) * value_bytes(init, w);
}

// Tensors of this many values or more are drawn on the worker threads, in blocks of
// kBlockValues (4 MiB of float32); smaller ones are drawn in place as they are reached.
constexpr std::int64_t kThreadedValues = std::int64_t(1) << 16, kBlockValues = std::int64_t(1) << 20;

// The output's bytes into SINK in order: literal pieces as they are, all-zero tensors as runs of
// zeros (holes in a file), others drawn (large ones ahead, on worker threads; see DrawPipeline).
void emit(ByteSink& sink, const std::vector<const Initializer*>& drawn, const std::function<void(ByteSink&, std::size_t)>& literal,
          const WeightOptions& w, const WriteProgress& progress) {
  std::uint64_t total = 0;
  for (const Initializer* init : drawn)
    if (init) total += drawn_bytes(*init, w);
  std::vector<std::unique_ptr<WeightStream>> streams(drawn.size());
  std::vector<DrawBlock> blocks;
  for (std::size_t k = 0; k < drawn.size(); ++k) {
    if (!drawn[k] || all_zero(*drawn[k], w)) continue;
    streams[k] = std::make_unique<WeightStream>(*drawn[k], w);
    if (streams[k]->size() < kThreadedValues) continue;
    for (std::int64_t s = 0; s < streams[k]->size(); s += kBlockValues)
      blocks.push_back({streams[k].get(), s, std::min(kBlockValues, streams[k]->size() - s)});
  }
  DrawPipeline pipeline(std::move(blocks), draw_threads());
  std::vector<char> small;
  std::uint64_t done = 0;
  for (std::size_t k = 0; k < drawn.size(); ++k) {
    if (!drawn[k]) {
      literal(sink, k);
      continue;
    }
    const Initializer& init = *drawn[k];
    const std::uint64_t bytes = drawn_bytes(init, w);
    if (!streams[k]) {
      sink.zeros(bytes);
    } else if (streams[k]->size() < kThreadedValues) {
      small.resize(static_cast<std::size_t>(bytes));
      streams[k]->fill(small.data(), 0, streams[k]->size());
      sink.write(small.data(), small.size());
    } else {
      for (std::int64_t s = 0; s < streams[k]->size(); s += kBlockValues) {
        const std::vector<char>& block = pipeline.next();
        sink.write(block.data(), block.size());
        if (progress) progress(done + static_cast<std::uint64_t>(s) * streams[k]->value_size(), total);
      }
    }
    done += bytes;
    if (progress) progress(done, total);
  }
}

void emit(ByteSink& sink, const Pieces& pieces, const WeightOptions& w, const WriteProgress& progress = {}) {
  std::vector<const Initializer*> drawn;
  for (const auto& p : pieces.list) drawn.push_back(p.drawn);
  emit(sink, drawn, [&](ByteSink& out, std::size_t k) { out.write(pieces.list[k].bytes.data(), pieces.list[k].bytes.size()); }, w,
       progress);
}

// One initializer as GraphProto field 5; a tensor still to be drawn gets its raw_data field here.
void tensor_pieces(Pieces& out, const OnnxModel::Impl& m, const onnx::TensorProto& t) {
  const Initializer* init = drawn_later(m, t);
  const std::string bytes = t.SerializeAsString();
  if (!init) {
    out.add(field_header(kGraphInitializer, bytes.size()) + bytes);
    return;
  }
  const std::uint64_t length = drawn_bytes(*init, m.weights);
  const std::string raw = field_header(kTensorRawData, length);
  const std::size_t k = split_after(bytes, kTensorRawData);
  out.add(field_header(kGraphInitializer, bytes.size() + raw.size() + length) + bytes.substr(0, k) + raw);
  out.add(*init, length);
  out.add(bytes.substr(k));
}

// Puts back what a scope took out of the model, whatever happens in between.
template <typename F>
struct Finally {
  F f;
  ~Finally() { f(); }
};
template <typename F>
Finally<F> finally(F f) { return {std::move(f)}; }

Pieces model_pieces(const OnnxModel& model) {
  OnnxModel::Impl& m = model.impl();
  onnx::ModelProto& p = m.proto;
  onnx::GraphProto& g = *p.mutable_graph();
  // The graph without its initializers, then the model without its graph (taken out and put
  // back: no copy of either).
  google::protobuf::RepeatedPtrField<onnx::TensorProto> inits;
  inits.Swap(g.mutable_initializer());
  std::string graph;
  {
    auto back = finally([&] { inits.Swap(g.mutable_initializer()); });
    graph = g.SerializeAsString();
  }
  Pieces graph_pieces;
  const std::size_t gk = split_after(graph, kGraphInitializer);
  graph_pieces.add(graph.substr(0, gk));
  for (const auto& t : g.initializer()) tensor_pieces(graph_pieces, m, t);
  graph_pieces.add(graph.substr(gk));

  onnx::GraphProto* taken = p.release_graph();
  std::string rest;
  {
    auto back = finally([&] { p.set_allocated_graph(taken); });
    rest = p.SerializeAsString();
  }
  Pieces out;
  const std::size_t mk = split_after(rest, kModelGraph);
  out.add(rest.substr(0, mk) + field_header(kModelGraph, graph_pieces.size));
  out.append(std::move(graph_pieces));
  out.add(rest.substr(mk));
  return out;
}

// A StringSink for to_bytes.
class Collect : public ByteSink {
 public:
  explicit Collect(std::string& s) : s_(s) {}
  void write(const char* data, std::size_t n) override { s_.append(data, n); }
  void zeros(std::uint64_t n) override { s_.append(static_cast<std::size_t>(n), '\0'); }

 private:
  std::string& s_;
};

}  // namespace

std::string to_bytes(const OnnxModel& m) {
  const Pieces pieces = model_pieces(m);
  if (pieces.size > kProtobufLimit) throw InputError("the model is larger than protobuf's 2 GiB limit");
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(pieces.size));
  Collect sink(bytes);
  emit(sink, pieces, m.impl().weights);
  return bytes;
}

OnnxSummary summarize(const OnnxModel& m) {
  OnnxSummary s;
  const auto& g = m.impl().proto.graph();
  s.nodes = g.node_size();
  s.initializers = g.initializer_size();
  for (const auto& t : g.initializer()) {
    s.stored_elements += tensor_elements(t);
    const Initializer* init = drawn_later(m.impl(), t);
    s.bytes += init ? static_cast<double>(drawn_bytes(*init, m.impl().weights)) : static_cast<double>(t.raw_data().size());
  }
  return s;
}

void write_onnx(OnnxModel& m, const std::string& path, const std::vector<std::string>& protected_paths, bool external_data,
                const WriteProgress& progress) {
  onnx::ModelProto& p = m.impl().proto;
  const WeightOptions& w = m.impl().weights;
  // The model and its data file are committed together: a refused or failed model write leaves
  // an existing FILE.data as it was (it may belong to the input).
  Outputs outputs(protected_paths);
  if (external_data) {
    if (path.empty() || path == "-") throw UsageError("--external-data needs -o FILE (the data goes to FILE.data beside it)");
    const std::string data_path = path + ".data";
    const std::string location = std::filesystem::path(data_path).filename().string();
    // Offsets are known before anything is written, so the data file is written in one pass.
    struct Moved {
      onnx::TensorProto* tensor;
      const Initializer* drawn;
      std::uint64_t length;
    };
    std::vector<Moved> moved;
    for (auto& t : *p.mutable_graph()->mutable_initializer()) {
      const Initializer* init = drawn_later(m.impl(), t);
      const std::uint64_t length = init ? drawn_bytes(*init, w) : t.raw_data().size();
      if (length >= 1024) moved.push_back({&t, init, length});
    }
    std::vector<const Initializer*> drawn;
    for (const auto& mv : moved) drawn.push_back(mv.drawn);
    outputs.add_stream(data_path, [&](ByteSink& out) {
      emit(out, drawn, [&](ByteSink& sink, std::size_t k) { sink.write(moved[k].tensor->raw_data().data(), moved[k].tensor->raw_data().size()); },
           w, progress);
    }, "--external-data");
    std::uint64_t offset = 0;
    for (const auto& mv : moved) {
      onnx::TensorProto& t = *mv.tensor;
      t.clear_raw_data();
      t.set_data_location(onnx::TensorProto::EXTERNAL);
      auto add = [&](const char* k, const std::string& v) {
        auto* e = t.add_external_data();
        e->set_key(k);
        e->set_value(v);
      };
      add("location", location);
      add("offset", std::to_string(offset));
      add("length", std::to_string(mv.length));
      offset += mv.length;
    }
  }
  const Pieces pieces = model_pieces(m);
  if (pieces.size > kProtobufLimit)
    throw InputError("the model is larger than protobuf's 2 GiB limit: write it with --external-data -o FILE");
  outputs.add_stream(path, [&](ByteSink& out) { emit(out, pieces, w, external_data ? WriteProgress() : progress); });
  outputs.commit();
}

std::string describe_written(const std::string& path) {
  auto mb = [](double bytes) { return format_number(bytes / 1e6) + " MB"; };
  struct stat model {}, data {};
  if (::stat(path.c_str(), &model) != 0) return "wrote " + path;
  std::string line = "wrote " + path + " (" + mb(static_cast<double>(model.st_size)) + ")";
  const std::string data_path = path + ".data";
  if (::stat(data_path.c_str(), &data) != 0) return line;
  const double size = static_cast<double>(data.st_size), on_disk = static_cast<double>(data.st_blocks) * 512;
  line += " and its weights in " + data_path + " (" + mb(size);
  if (on_disk < size / 2) line += ", " + mb(on_disk) + " on disk: a sparse file, its zeros are holes";
  return line + ")";
}

}  // namespace sml::compose
