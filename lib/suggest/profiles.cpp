#include "sml/suggest/profiles.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sml/compose/composition.hpp"
#include "sml/compose/decode.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/files.hpp"

namespace sml::suggest {
namespace {

namespace fs = std::filesystem;

// Bumped when the cached fields change.
constexpr const char* kFormat = "sml-profile-cache 4";  // 4: graph inputs and activation bytes (decode-step KV cache: fits.cpp, kv_cache_concat)

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

fs::path cache_dir() {
  if (const char* d = std::getenv("SML_CACHE_DIR"); d && *d) return fs::path(d) / "profiles";
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return fs::path(d) / "sml" / "profiles";
  if (const char* d = std::getenv("HOME"); d && *d) return fs::path(d) / ".cache" / "sml" / "profiles";
  return {};
}

// The running binary's size and time: a rebuilt tool (cores or cost rules changed) misses.
std::string binary_identity() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "unknown-binary";
  const auto size = fs::file_size(exe, ec);
  const auto time = fs::last_write_time(exe, ec).time_since_epoch().count();
  return exe.string() + " " + std::to_string(size) + " " + std::to_string(time);
}

std::string serialize(const cost::Profile& p, const std::optional<TrainingWork>& t) {
  std::ostringstream o;
  o.precision(17);
  o << kFormat << "\n" << (t ? 1 : 0) << " " << (t ? t->trained_flops : 0) << " " << (t ? t->frozen_flops : 0) << "\n";
  o << p.params << " " << p.macs << " " << p.flops << " " << p.uncounted.size() << " " << p.layers.size() << "\n";
  for (const auto& u : p.uncounted) o << u.op << " " << u.count << "\n";
  for (const auto& l : p.layers)
    o << l.op << " " << l.macs << " " << l.flops << " " << l.params << " " << l.elements_moved << " " << l.counted << " "
      << (l.output_shape.empty() ? "-" : l.output_shape) << "\n";
  // The graph's inputs and the bytes it produces: a decode step's KV cache bound (fits.cpp).
  o << p.activation_bytes << " " << p.inputs.size() << "\n";
  for (const auto& [name, shape] : p.inputs) o << name << "\t" << shape << "\n";
  return o.str();
}

std::optional<cost::Profile> deserialize(std::istream& in, std::optional<TrainingWork>* training) {
  std::string line;
  if (!std::getline(in, line) || line != kFormat) return std::nullopt;
  int has_training = 0;
  TrainingWork t;
  if (!(in >> has_training >> t.trained_flops >> t.frozen_flops)) return std::nullopt;
  if (training) *training = has_training ? std::optional<TrainingWork>(t) : std::nullopt;
  cost::Profile p;
  std::size_t nu = 0, nl = 0;
  if (!(in >> p.params >> p.macs >> p.flops >> nu >> nl)) return std::nullopt;
  for (std::size_t i = 0; i < nu; ++i) {
    cost::Uncounted u;
    if (!(in >> u.op >> u.count)) return std::nullopt;
    p.uncounted.push_back(u);
  }
  p.layers.reserve(nl);
  for (std::size_t i = 0; i < nl; ++i) {
    cost::LayerCost l;
    if (!(in >> l.op >> l.macs >> l.flops >> l.params >> l.elements_moved >> l.counted >> l.output_shape)) return std::nullopt;
    if (l.output_shape == "-") l.output_shape.clear();
    p.layers.push_back(std::move(l));
  }
  std::size_t ni = 0;
  if (!(in >> p.activation_bytes >> ni)) return std::nullopt;
  in.ignore(1);  // the newline before the first input
  for (std::size_t i = 0; i < ni; ++i) {
    std::string row;
    if (!std::getline(in, row)) return std::nullopt;
    const auto tab = row.find('\t');
    if (tab == std::string::npos) return std::nullopt;
    p.inputs.emplace_back(row.substr(0, tab), row.substr(tab + 1));
  }
  return p;
}

}  // namespace

std::optional<cost::Profile> arch_profile(const catalog::CatalogModel& m, const std::string& catalog_dir, std::string& why_not,
                                          compose::DecodeMode::Part part, std::optional<TrainingWork>* training,
                                          const std::optional<FrameSize>& frame) {
  if (m.arch.empty()) {
    why_not = "no architecture in the catalogue";
    return std::nullopt;
  }
  compose::Composition c;
  try {
    c = compose::for_model(m, catalog_dir);
    if (frame && c.input_shape.size() == 4) {
      c.input_shape[2] = frame->first;
      c.input_shape[3] = frame->second;
    }
    if (part != compose::DecodeMode::kNone) {
      if (c.decode_input.empty()) {
        why_not = "its architecture generates nothing (no decode:)";
        return std::nullopt;
      }
      c = compose::decode_part(c, part, compose::mean_cache(c));
    }
  } catch (const std::exception& e) {
    why_not = e.what();
    return std::nullopt;
  }
  std::ostringstream key;
  compose::composition_doc(c).write_yaml(key);
  key << "\n" << binary_identity() << "\npart " << static_cast<int>(c.step.part) << " cache " << c.step.cache;
  // Each part is a file of its own: "ID.step-HASH.txt" beside "ID-HASH.txt".
  const std::string id = m.id + (part == compose::DecodeMode::kOnce    ? ".once"
                                  : part == compose::DecodeMode::kStep  ? ".step"
                                  : part == compose::DecodeMode::kAfter ? ".after"
                                                                        : "");
  const fs::path dir = cache_dir();
  fs::path file;
  if (!dir.empty()) {
    std::ostringstream name;
    name << id << "-" << std::hex << fnv1a(key.str()) << ".txt";
    file = dir / name.str();
    if (std::ifstream in(file); in)
      if (auto p = deserialize(in, training)) return p;
  }
  cost::Profile p;
  std::optional<TrainingWork> work;
  try {
    p = compose::profile_composition(c);
    if (!c.passes.empty()) {
      const compose::PerQuery q = compose::per_query(c, p);
      work = TrainingWork{q.train_flops, q.frozen_flops};
      p = compose::per_query_profile(c, std::move(p));
    }
  } catch (const std::exception& e) {
    why_not = std::string("its architecture does not build: ") + e.what();
    return std::nullopt;
  }
  if (!file.empty()) {
    try {  // a cache only: a read-only home makes sml-suggest slower, never wrong
      std::error_code ec;
      fs::create_directories(dir, ec);
      const std::string text = serialize(p, work);
      if (!ec) write_output(file.string(), [&](std::ostream& out) { out << text; });
      // Profiles of the same model from an earlier build or architecture are never read again.
      const std::string prefix = id + "-";
      for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path() != file && e.path().filename().string().rfind(prefix, 0) == 0 &&
            e.path().filename().string().find('-', prefix.size()) == std::string::npos)
          fs::remove(e.path(), ec);
    } catch (const std::exception&) {
    }
  }
  std::istringstream same(serialize(p, work));  // the same fields, cached or not
  return deserialize(same, training);
}

}  // namespace sml::suggest
