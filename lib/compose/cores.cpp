#include "sml/compose/cores.hpp"

#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"
#include "sml/io/text.hpp"
#include "sml/io/units.hpp"

namespace sml::compose {

// ---- reading a core's settings ---------------------------------------------------------------

std::string CoreArgs::text(const std::string& key, const std::string& fallback) const {
  auto it = values.find(key);
  return it == values.end() ? fallback : it->second;
}

double CoreArgs::number(const std::string& key, double fallback) const {
  auto it = values.find(key);
  if (it == values.end()) return fallback;
  try {
    std::size_t used = 0;
    const double v = std::stod(it->second, &used);
    if (used == it->second.size() && std::isfinite(v) && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw InputError(where + ": " + core + " '" + key + "': expected a non-negative number, got '" + it->second + "'");
}

// No setting of any core sizes a dimension past 2^31 (the builder's limit on one dimension):
// refused here, where the key is known, rather than as an anonymous tensor later.
constexpr double kMaxSetting = 2147483648.0;

std::int64_t CoreArgs::integer(const std::string& key, std::int64_t fallback) const {
  if (!has(key)) return fallback;
  const double v = number(key, 0);
  if (v != std::floor(v))
    throw InputError(where + ": " + core + " '" + key + "': expected a whole number, got '" + text(key, "") + "'");
  if (v > kMaxSetting)
    throw InputError(where + ": " + core + " '" + key + "': " + text(key, "") + " is past 2^31, more than any dimension sml-compose builds");
  return static_cast<std::int64_t>(v);
}

bool CoreArgs::flag(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const std::string v = text(key, "");
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  throw InputError(where + ": " + core + " '" + key + "': expected true or false, got '" + v + "'");
}

std::vector<std::int64_t> CoreArgs::integers(const std::string& key, const std::vector<std::int64_t>& fallback) const {
  if (!has(key)) return fallback;
  std::vector<std::int64_t> out;
  for (const auto& item : split(text(key, ""), ",/")) out.push_back(CoreArgs{core, {{key, item}}, where}.integer(key, 0));
  return out;
}

CoreArgs parse_core_spec(const std::string& spec, const std::string& where) {
  CoreArgs a;
  a.where = where;
  const std::size_t colon = spec.find(':');
  a.core = spec.substr(0, colon);
  if (a.core.empty()) throw UsageError(where + " '" + spec + "': expected CORE[:key=value,…]");
  if (colon == std::string::npos) return a;
  for (const auto& item : split(spec.substr(colon + 1), ",")) {
    if (item.empty()) continue;
    auto [key, value] = split_assignment(item, where, "CORE:key=value,key=value");
    a.values[key] = value;
  }
  return a;
}

std::int64_t scaled_channels(std::int64_t channels, double width, std::int64_t divisor, const std::string& mode) {
  if (width == 1 || mode == "fixed" || (mode == "grow" && width < 1)) return channels;
  return make_divisible(static_cast<double>(channels) * width, divisor);
}

std::int64_t scaled_repeats(std::int64_t repeats, double depth) {
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(static_cast<double>(repeats) * depth - 1e-9)));
}

const std::vector<CoreDef>& core_library() {
  static const std::vector<CoreDef> lib = [] {
    std::vector<CoreDef> l;
    detail::add_conv_cores(l);
    detail::add_transformer_cores(l);
    detail::add_sequence_cores(l);
    detail::add_head_cores(l);
    detail::add_structured_cores(l);
    detail::add_dense_cores(l);
    detail::add_video_cores(l);
    detail::add_encoder_cores(l);
    detail::add_decoder_cores(l);
    detail::add_speech_cores(l);
    detail::add_multimodal_cores(l);
    detail::add_classic_cores(l);
    detail::add_vit_cores(l);
    detail::add_inception_cores(l);
    detail::add_detection_cores(l);
    detail::add_seq2seq_cores(l);
    detail::add_timeseries_cores(l);
    detail::add_diffusion_cores(l);
    detail::add_tts_cores(l);
    detail::add_vits_cores(l);
    detail::add_depth_cores(l);
    detail::add_tabular_cores(l);
    return l;
  }();
  return lib;
}

const CoreDef& find_core(const std::string& name, const std::string& where) {
  for (const auto& d : core_library())
    if (d.name == name) return d;
  std::string known;
  for (const auto& d : core_library()) known += (known.empty() ? "" : ", ") + d.name;
  throw InputError(where + ": unknown core '" + name + "' (known: " + known + ")");
}

namespace {
// Keys that count or size something in every core that has them (layers, heads, widths,
// kernels, strides, vocabularies): 0 would build a zero-sized tensor, divide by zero heads or
// stack no layer, so it is refused up front with the key's name (a list: each item). Keys where
// 0 means "none" (max_positions, token_types, pad, hidden of an MLP head) are not here.
const std::set<std::string> kPositiveKeys{
    "heads", "kv_heads", "head_dim", "d_kv", "repeat", "layers", "dim", "mlp_dim", "mlp_ratio", "vocab", "out", "mid",
    "kernel", "kernels", "stride", "strides", "patch", "units", "latent", "window", "groups", "growth", "mel_bins",
    "n_fft", "hop", "horizon", "encoder_layers", "decoder_layers", "wavenet_layers", "flows", "time_dim", "expanded",
    "divisor", "squeeze", "steps", "bn_size", "group_width", "rotary_dim", "filter", "flow_size", "channels", "dilation",
    "frames", "samples", "rows", "expand_divisor", "se_divisor", "bins", "buckets", "queries", "embedding", "bottleneck",
    "ffns", "max_relative", "rope_theta"};
}  // namespace

void check_core_keys(const CoreDef& def, const CoreArgs& args) {
  static const std::set<std::string> common{"core", "scope", "role", "name", "from", "frozen_bn"};
  for (const auto& kv : args.values) {
    const std::string& key = kv.first;  // not a structured binding: C++17 lambdas cannot capture those
    if (common.count(key)) continue;
    if (std::none_of(def.keys.begin(), def.keys.end(), [&](const CoreKey& k) { return k.name == key; })) {
      std::string known;
      for (const auto& k : def.keys) known += (known.empty() ? "" : ", ") + k.name;
      throw InputError(args.where + ": core " + def.name + " has no key '" + key + "' (keys: " + (known.empty() ? "none" : known) +
                       "; any core: scope, role, name, from, frozen_bn)");
    }
    if (!kPositiveKeys.count(key)) continue;
    for (const auto& item : split(kv.second, ",/")) {
      const double v = CoreArgs{args.core, {{key, item}}, args.where}.number(key, 0);  // refuses text and negatives, naming KEY
      if (v <= 0 || (key == "rope_theta" && v <= 1))
        throw InputError(args.where + ": " + args.core + " '" + key + "': " + kv.second + ": expected " + key +
                         (key == "rope_theta" ? " > 1 (the rotary base)" : " > 0 (it counts or sizes something)"));
    }
  }
}

}  // namespace sml::compose
