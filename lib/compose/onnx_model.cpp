#include "sml/compose/onnx_model.hpp"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>
#include <random>

#include "onnx_impl.hpp"
#include "sml/graph/external_data.hpp"
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

// IEEE 754 binary32 → binary16, round to nearest even (weights are small; overflow saturates to inf).
std::uint16_t to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const int exp = static_cast<int>((x >> 23) & 0xff) - 127 + 15;
  std::uint32_t mant = x & 0x7fffffu;
  if (((x >> 23) & 0xff) == 0xff) return static_cast<std::uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));
  if (exp >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (exp <= 0) {
    if (exp < -10) return static_cast<std::uint16_t>(sign);
    mant |= 0x800000u;
    const int shift = 14 - exp;
    std::uint32_t h = mant >> shift;
    const std::uint32_t rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1))) ++h;
    return static_cast<std::uint16_t>(sign | h);
  }
  std::uint32_t h = (static_cast<std::uint32_t>(exp) << 10) | (mant >> 13);
  const std::uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

// FNV-1a: a stable per-tensor stream, so a tensor's values do not depend on what else is built.
std::uint64_t name_hash(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// xoshiro256** (Blackman & Vigna 2018) seeded by splitmix64: a few ns per value where
// std::mt19937_64 with std::normal_distribution took most of a BERT-base build (issue 13).
class FastRng {
 public:
  explicit FastRng(std::uint64_t seed) {
    for (auto& w : s_) {
      seed += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      w = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Two uniforms in [0, 1) from one draw (24 bits each, a float's precision).
  void uniform2(float& a, float& b) {
    const std::uint64_t x = next();
    a = static_cast<float>(x >> 40) * 0x1.0p-24f;
    b = static_cast<float>((x >> 16) & 0xffffffu) * 0x1.0p-24f;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Writes INIT's N values into OUT (float, or binary16 when HALF). Normal draws use Box-Muller,
// two values per pair of uniforms.
void draw_into(char* out, const Initializer& init, const WeightOptions& w, bool half) {
  const auto n = static_cast<std::size_t>(init.elements());
  auto put = [&](std::size_t i, float v) {
    if (half) {
      const std::uint16_t h = to_half(v);
      std::memcpy(out + 2 * i, &h, 2);
    } else {
      std::memcpy(out + 4 * i, &v, 4);
    }
  };
  if (init.fill == Fill::kValues) {
    for (std::size_t i = 0; i < n && i < init.floats.size(); ++i) put(i, init.floats[i]);
    return;
  }
  const bool zero = init.fill == Fill::kZeros || (w.mode == "zeros" && (init.fill != Fill::kOnes || init.trainable));
  if (zero) return;  // OUT is zero-filled (+0.0 is all zero bits in both formats)
  if (init.fill == Fill::kOnes) {
    for (std::size_t i = 0; i < n; ++i) put(i, 1.0f);
    return;
  }
  FastRng rng(w.seed ^ name_hash(init.name));
  auto normal = [&](double sd) {
    const float s = static_cast<float>(sd), two_pi = 6.28318530717958647692f;
    for (std::size_t i = 0; i < n; i += 2) {
      float u1, u2;
      rng.uniform2(u1, u2);
      const float r = s * std::sqrt(-2.0f * std::log(1.0f - u1));  // 1 - u1 in (0, 1]: log finite
      put(i, r * std::cos(two_pi * u2));
      if (i + 1 < n) put(i + 1, r * std::sin(two_pi * u2));
    }
  };
  auto uniform = [&](double bound) {
    const float b2 = static_cast<float>(2 * bound), lo = static_cast<float>(-bound);
    for (std::size_t i = 0; i < n; i += 2) {
      float u1, u2;
      rng.uniform2(u1, u2);
      put(i, lo + b2 * u1);
      if (i + 1 < n) put(i + 1, lo + b2 * u2);
    }
  };
  switch (init.fill) {
    case Fill::kHeNormalFanOut: normal(std::sqrt(2.0 / std::max(1.0, init.fan_out))); break;
    case Fill::kXavierUniform: uniform(std::sqrt(6.0 / std::max(1.0, init.fan_in + init.fan_out))); break;
    case Fill::kNormal002: normal(0.02); break;
    case Fill::kUniformFanIn: uniform(1.0 / std::sqrt(std::max(1.0, init.fan_in))); break;
    default: break;
  }
}

void fill_tensor(onnx::TensorProto& t, const Initializer& init, const WeightOptions& w) {
  t.set_name(init.name);
  for (auto d : init.dims) t.add_dims(d);
  if (init.dtype == 7) {
    t.set_data_type(onnx::TensorProto::INT64);
    std::string raw(init.ints.size() * 8, '\0');
    std::memcpy(raw.data(), init.ints.data(), raw.size());  // ONNX raw_data is little-endian, as is every host we build for
    t.set_raw_data(std::move(raw));
    return;
  }
  const bool half = w.precision == "fp16";
  t.set_data_type(half ? kFloat16 : onnx::TensorProto::FLOAT);
  // Shape-only: exact values (shape data, scalars) are kept, drawn weights have dims and no data.
  if (w.mode == "none" && init.fill != Fill::kValues) return;
  std::string raw(static_cast<std::size_t>(init.elements()) * (half ? 2 : 4), '\0');
  draw_into(raw.data(), init, w, half);
  t.set_raw_data(std::move(raw));
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

void emit_into(onnx::GraphProto& g, const GraphBuilder& b, const WeightOptions& w) {
  for (const auto& n : b.nodes()) {
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
  for (const auto& init : b.initializers()) fill_tensor(*g.add_initializer(), init, w);
}

OnnxModel to_onnx(const GraphBuilder& b, const WeightOptions& w, const std::string& producer_version) {
  if (w.mode != "random" && w.mode != "zeros" && w.mode != "none")
    throw UsageError("--weights '" + w.mode + "': expected random, zeros or from:MODEL.onnx");
  // Weights are drawn in memory: refuse what cannot be (16 GiB of values), before allocating.
  double values = 0;
  for (const auto& init : b.initializers()) values += static_cast<double>(init.elements());
  if (w.mode != "none" && values * (w.precision == "fp16" ? 2 : 4) > 16.0 * (1ull << 30))
    throw InputError("the model holds " + std::to_string(static_cast<long long>(values)) +
                     " weight values, more than sml-compose draws in memory (16 GiB); shrink it with --width/--depth");
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
  emit_into(g, b, w);
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
  for (const auto& v : g.value_info())
    if (v.name() == name) return from(v);
  for (const auto& v : g.output())
    if (v.name() == name) return from(v);
  for (const auto& v : g.input())
    if (v.name() == name) return from(v);
  return {};
}

namespace {

// libonnx's messages run over several lines ("==> Context: …"): one line, spaces collapsed.
std::string collapse(const std::string& text) {
  std::string o;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (!o.empty() && o.back() != ' ') o += ' ';
    } else {
      o += c;
    }
  }
  while (!o.empty() && o.back() == ' ') o.pop_back();
  return o;
}

bool read_fd_all(int fd, std::string& out) {
  char block[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(block, static_cast<std::size_t>(n));
  }
}

}  // namespace

void run_libonnx_isolated(onnx::ModelProto& p, const std::function<void(onnx::ModelProto&)>& step, const std::string& what,
                          bool take_back) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw InputError(what + ": cannot create a pipe: " + std::strerror(errno));
  std::cout.flush();
  std::cerr.flush();
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw InputError(what + ": cannot fork: " + std::strerror(errno));
  }
  if (child == 0) {
    // The child runs libonnx and sends back 'o' and the model (weights left out: inference does
    // not change them) or 'e' and libonnx's message. It never returns into the tool.
    ::close(pipe_fds[0]);
    // What libonnx (or a sanitizer's crash report, in a sanitized build) prints is not for the
    // user: the parent reports in one line what happened.
    if (const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC); devnull >= 0) ::dup2(devnull, STDERR_FILENO);
    std::string reply;
    try {
      step(p);
      reply = "o";
      if (take_back) {
        for (auto& t : *p.mutable_graph()->mutable_initializer()) t.clear_raw_data();
        if (!p.AppendToString(&reply)) reply = "eserialising the inferred model failed";
      }
    } catch (const std::exception& e) {
      reply = std::string("e") + e.what();
    } catch (...) {
      reply = "elibonnx threw an unknown exception";
    }
    std::size_t done = 0;
    while (done < reply.size()) {
      const ssize_t n = ::write(pipe_fds[1], reply.data() + done, reply.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ::_exit(3);
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string reply;
  const bool read_ok = read_fd_all(pipe_fds[0], reply);
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    throw InputError(what + " crashed on the model (" + ::strsignal(WTERMSIG(status)) +
                     "): it is malformed (zero strides or kernel, an op libonnx cannot infer, …)");
  // A crash a sanitizer caught ends in its exit status, with no reply sent.
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && reply.empty())
    throw InputError(what + " crashed on the model (exit status " + std::to_string(WEXITSTATUS(status)) +
                     "): it is malformed (zero strides or kernel, an op libonnx cannot infer, …)");
  if (!read_ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty())
    throw InputError(what + " failed to report on the model");
  if (reply[0] == 'e') throw InputError(what + " refused the model: " + collapse(reply.substr(1)));
  if (!take_back) return;
  onnx::ModelProto inferred;
  if (!inferred.ParseFromArray(reply.data() + 1, static_cast<int>(reply.size() - 1)))
    throw InputError(what + " returned a model that cannot be read");
  // Contents swapped, objects kept: callers hold references to P's graph.
  inferred.mutable_graph()->mutable_initializer()->Swap(p.mutable_graph()->mutable_initializer());
  p.mutable_graph()->Swap(inferred.mutable_graph());
  p.mutable_functions()->Swap(inferred.mutable_functions());
}

std::vector<std::string> check_onnx(OnnxModel& m, bool require_static) {
  std::vector<std::string> warnings;
  onnx::ModelProto& p = m.impl().proto;
  // Shapes first: what inference finds for outputs the model leaves untyped is written back, so
  // the checker (which wants every graph output typed) sees a complete model. libonnx runs in a
  // child process: a crash in it (issue 20: SIGFPE on zero strides, SIGSEGV on a mutated op type)
  // is a refused model, not a dead tool.
  run_libonnx_isolated(p, [](onnx::ModelProto& q) {
    onnx::shape_inference::InferShapes(q, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions(true, 1, true));
  }, "ONNX shape inference");
  onnx::GraphProto& g = *p.mutable_graph();
  for (auto& out : *g.mutable_output()) {
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) continue;
    for (const auto& v : g.value_info())
      if (v.name() == out.name()) *out.mutable_type() = v.type();
  }
  if (p.ir_version() > 8) {
    warnings.push_back("IR version " + std::to_string(p.ir_version()) + ": libonnx 1.12's checker refuses it, so the checker was skipped");
  } else {
    run_libonnx_isolated(p, [](onnx::ModelProto& q) { onnx::checker::check_model(q); }, "the ONNX checker", false);
  }
  // Every tensor a node produces must have a full static shape: what our profiler and the
  // estimate depend on, and the "full shape inference".
  for (const auto& n : g.node())
    for (const auto& o : n.output()) {
      if (o.empty()) continue;
      if (require_static && inferred_shape(g, o).empty())
        throw InputError("ONNX shape inference leaves the shape of '" + o + "' (" + n.op_type() + " '" + n.name() + "') not fully known");
    }
  return warnings;
}

std::string to_bytes(const OnnxModel& m) {
  std::string bytes;
  if (!m.impl().proto.SerializeToString(&bytes)) throw InputError("serialising the ONNX model failed");
  return bytes;
}

OnnxSummary summarize(const OnnxModel& m) {
  OnnxSummary s;
  const auto& g = m.impl().proto.graph();
  s.nodes = g.node_size();
  s.initializers = g.initializer_size();
  for (const auto& t : g.initializer()) {
    s.stored_elements += tensor_elements(t);
    s.bytes += static_cast<double>(t.raw_data().size());
  }
  return s;
}

void write_onnx(OnnxModel& m, const std::string& path, const std::vector<std::string>& protected_paths, bool external_data) {
  onnx::ModelProto& p = m.impl().proto;
  // The model and its data file are committed together: a refused or failed model write leaves
  // an existing FILE.data as it was (it may belong to the input).
  Outputs outputs(protected_paths);
  if (external_data) {
    if (path.empty() || path == "-") throw UsageError("--external-data needs -o FILE (the data goes to FILE.data beside it)");
    const std::string data_path = path + ".data";
    const std::string location = std::filesystem::path(data_path).filename().string();
    // Offsets are known before anything is written, so the data file is written in one pass.
    std::vector<onnx::TensorProto*> moved;
    for (auto& t : *p.mutable_graph()->mutable_initializer())
      if (t.raw_data().size() >= 1024) moved.push_back(&t);
    outputs.add(data_path, [&](std::ostream& out) {
      std::int64_t offset = 0;
      for (auto* t : moved) {
        out.write(t->raw_data().data(), static_cast<std::streamsize>(t->raw_data().size()));
        const auto length = static_cast<std::int64_t>(t->raw_data().size());
        t->clear_raw_data();
        t->set_data_location(onnx::TensorProto::EXTERNAL);
        auto add = [&](const char* k, const std::string& v) {
          auto* e = t->add_external_data();
          e->set_key(k);
          e->set_value(v);
        };
        add("location", location);
        add("offset", std::to_string(offset));
        add("length", std::to_string(length));
        offset += length;
      }
    }, "--external-data");
  }
  if (p.ByteSizeLong() > static_cast<std::size_t>(kProtobufLimit))
    throw InputError("the model is larger than protobuf's 2 GiB limit: write it with --external-data -o FILE");
  // One exact-size serialisation, staged as it is (a stream buffer would copy 0.4 GB twice for BERT-base).
  outputs.add_bytes(path, to_bytes(m));
  outputs.commit();
}

}  // namespace sml::compose
