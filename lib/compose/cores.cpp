#include "sml/compose/cores.hpp"

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

std::int64_t CoreArgs::integer(const std::string& key, std::int64_t fallback) const {
  if (!has(key)) return fallback;
  const double v = number(key, 0);
  if (v != std::floor(v) || v > 1e12)
    throw InputError(where + ": " + core + " '" + key + "': expected a whole number, got '" + text(key, "") + "'");
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

namespace {

// ---- shared pieces ---------------------------------------------------------------------------

struct Scope {
  GraphBuilder& b;
  Scope(GraphBuilder& builder, const std::string& name) : b(builder) { b.push(name); }
  ~Scope() { b.pop(); }
};

std::int64_t channels(const CoreArgs& a, const std::string& key, const BuildContext& c, std::int64_t fallback = -1) {
  if (!a.has(key) && fallback < 0) throw InputError(a.where + ": " + a.core + " needs '" + key + "'");
  return scaled_channels(a.integer(key, fallback), c.width, a.integer("divisor", 8), a.text("scale", "scale"));
}

std::int64_t repeats(const CoreArgs& a, const BuildContext& c) {
  const std::int64_t n = a.integer("repeat", 1);
  if (n > 10000) throw InputError(a.where + ": " + a.core + " repeat " + std::to_string(n) + ": at most 10000");
  return scaled_repeats(std::max<std::int64_t>(1, n), c.depth);
}

Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, const std::vector<std::int64_t>& k, const std::vector<std::int64_t>& s,
              std::int64_t groups, const std::string& act, float eps, bool bn = true, bool bias = false, const std::string& scope = "") {
  Scope sc(b, scope);
  std::vector<std::int64_t> pads;
  for (auto kk : k) pads.push_back((kk - 1) / 2);  // "same" for odd kernels at stride 1
  Value y;
  {
    Scope c(b, "conv");
    y = b.conv(x, out, k, s, pads, groups, bias || !bn);
  }
  if (bn) {
    Scope n(b, "bn");
    y = b.batch_norm(y, eps);
  }
  return b.activation(y, act);
}

Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, std::int64_t groups,
              const std::string& act, float eps, bool bn = true, bool bias = false, const std::string& scope = "") {
  return conv_bn(b, x, out, std::vector<std::int64_t>{k}, std::vector<std::int64_t>{s}, groups, act, eps, bn, bias, scope);
}

void need_rank(const CoreArgs& a, const Value& x, int rank, const char* what) {
  if (x.rank() != rank)
    throw InputError(a.where + ": " + a.core + " expects " + what + " (rank " + std::to_string(rank) + "), got shape rank " +
                     std::to_string(x.rank()));
}

// Positions 0..S-1 as shape data (position ids, causal masks); S is bounded before allocating.
std::vector<std::int64_t> positions(std::int64_t S, const std::string& where) {
  if (S > (std::int64_t(1) << 24)) throw InputError(where + ": a sequence of " + std::to_string(S) + " positions (at most 2^24)");
  std::vector<std::int64_t> pos(static_cast<std::size_t>(S));
  for (std::int64_t i = 0; i < S; ++i) pos[static_cast<std::size_t>(i)] = i;
  return pos;
}

// Multi-head attention from MatMul and Softmax: Q, K, V projections, scaled dot products,
// optional causal mask, context, output projection.
Value attention(GraphBuilder& b, const Value& x, const Value& memory, std::int64_t heads, bool causal) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), T = memory.dim(1), d = D / heads;
  auto project = [&](const Value& in, const char* name, std::int64_t len) {
    Scope s(b, name);
    return b.reshape(b.linear(in, D), {B, len, heads, d});
  };
  Value q = b.transpose(project(x, "q", S), {0, 2, 1, 3});       // B h S d
  Value k = b.transpose(project(memory, "k", T), {0, 2, 3, 1});  // B h d T
  Value v = b.transpose(project(memory, "v", T), {0, 2, 1, 3});  // B h T d
  Value scores = b.mul(b.matmul(q, k), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
  if (causal) {  // position j > i is masked; integer positions are shape data, not parameters
    const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
    scores = b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores);
  }
  Value ctx = b.matmul(b.softmax(scores, -1), v);
  ctx = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "out");
  return b.linear(ctx, D);
}

Value mlp(GraphBuilder& b, const Value& x, std::int64_t hidden, const std::string& act, float dropout) {
  Value h;
  {
    Scope s(b, "fc1");
    h = b.dropout(b.activation(b.linear(x, hidden), act), dropout);
  }
  Scope s(b, "fc2");
  return b.linear(h, x.dim(-1));
}

std::int64_t scaled_heads(const CoreArgs& a, const BuildContext& c, std::int64_t dim) {
  if (a.has("heads") && a.integer("heads", 1) < 1)
    throw InputError(a.where + ": " + a.core + " 'heads': expected a whole number of at least 1, got '" + a.text("heads", "") + "'");
  const std::int64_t heads = std::max<std::int64_t>(1, c.width == 1 ? a.integer("heads", 1)
                                                                   : std::llround(static_cast<double>(a.integer("heads", 1)) * c.width));
  if (dim % heads)
    throw InputError(a.where + ": " + a.core + ": width " + std::to_string(dim) + " does not split into " + std::to_string(heads) +
                     " heads (set heads, or a width multiplier that keeps the head size)");
  return heads;
}

Value token_zero(GraphBuilder& b, const Value& x) {  // (B, S, D) → (B, D): the class token
  return b.flatten(b.gather(x, b.ints({0}), 1));  // Flatten, not Reshape: no batch size baked in
}

Value resolve(const BuildContext& c, const CoreArgs& a, const std::string& key) {
  const std::string name = a.text(key, "");
  auto it = c.named.find(name);
  if (it == c.named.end()) throw InputError(a.where + ": " + a.core + " " + key + " '" + name + "': no earlier core has that name");
  return it->second;
}

// ---- the cores -------------------------------------------------------------------------------

Value core_conv_bn_act(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  return conv_bn(b, x, channels(a, "out", c), a.integers("kernel", {3}), a.integers("stride", {1}), a.integer("groups", 1),
                 a.text("act", "relu"), static_cast<float>(a.number("eps", 1e-5)), a.flag("bn", true), a.flag("bias", false));
}

Value core_max_pool(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  const auto k = a.integer("kernel", 2);
  return b.max_pool(x, {k}, {a.integer("stride", k)}, {a.integer("pad", 0)});
}

Value core_avg_pool(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  const auto k = a.integer("kernel", 2);
  return b.avg_pool(x, {k}, {a.integer("stride", k)}, {a.integer("pad", 0)});
}

Value core_global_avg_pool(GraphBuilder& b, const Value& x, const CoreArgs&, BuildContext&) { return b.global_avg_pool(x); }

Value core_basic_block(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t out = channels(a, "out", c);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    Value y = conv_bn(b, x, out, 3, stride, 1, "relu", 1e-5f, true, false, "1");
    y = conv_bn(b, y, out, 3, 1, 1, "none", 1e-5f, true, false, "2");
    Value skip = stride != 1 || x.dim(1) != out ? conv_bn(b, x, out, 1, stride, 1, "none", 1e-5f, true, false, "downsample") : x;
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

Value core_bottleneck(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t mid = channels(a, "mid", c);
  const std::int64_t out = a.has("out") ? channels(a, "out", c) : mid * a.integer("expansion", 4);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    Value y = conv_bn(b, x, mid, 1, 1, 1, "relu", 1e-5f, true, false, "1");
    y = conv_bn(b, y, mid, 3, stride, 1, "relu", 1e-5f, true, false, "2");  // stride on the 3×3 (ResNet v1.5)
    y = conv_bn(b, y, out, 1, 1, 1, "none", 1e-5f, true, false, "3");
    Value skip = stride != 1 || x.dim(1) != out ? conv_bn(b, x, out, 1, stride, 1, "none", 1e-5f, true, false, "downsample") : x;
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

// MobileNetV2/V3 inverted residual and EfficientNet MBConv: expand 1×1, depthwise k×k,
// optional squeeze-excitation, project 1×1; a skip when shape allows.
Value inverted_residual(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, const CoreArgs& defaults) {
  auto text = [&](const char* k) { return a.text(k, defaults.text(k, "")); };
  auto number = [&](const char* k) { return a.number(k, defaults.number(k, 0)); };
  auto integer = [&](const char* k) { return a.integer(k, defaults.integer(k, 0)); };
  const std::int64_t out = channels(a, "out", c);
  const std::string act = text("act");
  const float eps = static_cast<float>(number("eps"));
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t in = x.dim(1), stride = i == 0 ? a.integer("stride", 1) : 1, k = a.integer("kernel", 3);
    // The first repeat may state its expanded width; later ones expand from their own input.
    std::int64_t expanded;
    if (a.has("expanded") && i == 0) {
      expanded = channels(a, "expanded", c);
    } else {
      const double t = a.has("expanded") ? static_cast<double>(a.integer("expanded", 0)) / static_cast<double>(a.integer("in", in)) : number("expand");
      const std::int64_t div = integer("expand_divisor");
      expanded = div > 1 ? make_divisible(static_cast<double>(in) * t, div) : std::llround(static_cast<double>(in) * t);
    }
    Value y = x;
    if (expanded != in) y = conv_bn(b, y, expanded, 1, 1, 1, act, eps, true, false, "expand");
    y = conv_bn(b, y, expanded, k, stride, expanded, act, eps, true, false, "depthwise");
    const double se = number("se");
    if (se > 0) {
      Scope ss(b, "se");
      const double base = static_cast<double>(text("se_from") == "input" ? in : expanded);
      const std::int64_t div = integer("se_divisor");
      const std::int64_t squeeze = div > 1 ? make_divisible(std::floor(base * se), div)
                                           : std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(base * se)));
      Value g = b.global_avg_pool(y);
      {
        Scope f(b, "fc1");
        g = b.activation(b.conv(g, squeeze, {1}, {1}, {0}, 1, true), text("se_act"));
      }
      {
        Scope f(b, "fc2");
        g = b.activation(b.conv(g, expanded, {1}, {1}, {0}, 1, true), text("se_gate"));
      }
      y = b.mul(y, g);
    }
    y = conv_bn(b, y, out, 1, 1, 1, "none", eps, true, false, "project");
    x = stride == 1 && in == out ? b.add(y, x) : y;
  }
  return x;
}

Value core_inverted_residual(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  static const CoreArgs mobilenet{"inverted_residual",
                                  {{"act", "relu6"}, {"eps", "1e-5"}, {"expand", "6"}, {"expand_divisor", "1"}, {"se", "0"},
                                   {"se_from", "expanded"}, {"se_divisor", "8"}, {"se_act", "relu"}, {"se_gate", "hardsigmoid"}},
                                  "defaults"};
  return inverted_residual(b, x, a, c, mobilenet);
}

Value core_mbconv(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  static const CoreArgs efficientnet{"mbconv",
                                     {{"act", "silu"}, {"eps", "1e-3"}, {"expand", "6"}, {"expand_divisor", "8"}, {"se", "0.25"},
                                      {"se_from", "input"}, {"se_divisor", "1"}, {"se_act", "silu"}, {"se_gate", "sigmoid"}},
                                     "defaults"};
  return inverted_residual(b, x, a, c, efficientnet);
}

Value core_ds_conv(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t out = channels(a, "out", c);
  const std::string act = a.text("act", "relu");
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    x = conv_bn(b, x, x.dim(1), a.integer("kernel", 3), stride, x.dim(1), act, 1e-5f, true, false, "depthwise");
    x = conv_bn(b, x, out, 1, 1, 1, act, 1e-5f, true, false, "pointwise");
  }
  return x;
}

Value core_patch_embed(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "an image (N, C, H, W)");
  const std::int64_t p = a.integer("patch", 16);
  const std::int64_t dim = scaled_channels(a.integer("dim", 768), c.width, a.integer("divisor", 64));
  Value y;
  {
    Scope s(b, "conv_proj");
    y = b.conv(x, dim, {p}, {p}, {0}, 1, true);
  }
  const std::int64_t B = x.dim(0), n = y.dim(2) * y.dim(3);
  y = b.transpose(b.reshape(y, {B, dim, n}), {0, 2, 1});  // B, patches, dim
  if (a.flag("class_token", true)) {
    Value cls = b.weight("class_token", {1, 1, dim}, Fill::kNormal002);
    y = b.concat({B == 1 ? cls : b.expand(cls, {B, 1, dim}), y}, 1);
  }
  if (a.flag("position", true)) y = b.add(y, b.weight("pos_embedding", {1, y.dim(1), dim}, Fill::kNormal002));
  return b.dropout(y, static_cast<float>(a.number("dropout", 0)));
}

Value core_token_embed(GraphBuilder& b, const Value& ids, const CoreArgs& a, BuildContext& c) {
  need_rank(a, ids, 2, "token ids (N, S) of type int64");
  const std::int64_t dim = scaled_channels(a.integer("dim", 768), c.width, a.integer("divisor", 64));
  const std::int64_t S = ids.dim(1), max_pos = a.integer("max_positions", 512), types = a.integer("token_types", 0);
  if (S > max_pos) throw InputError(a.where + ": token_embed: sequence of " + std::to_string(S) + " exceeds max_positions " + std::to_string(max_pos));
  Value y = b.gather(b.weight("word_embeddings", {a.integer("vocab", 30522), dim}, Fill::kNormal002), ids, 0);
  const std::vector<std::int64_t> pos = positions(S, a.where);
  if (max_pos > 0) y = b.add(y, b.gather(b.weight("position_embeddings", {max_pos, dim}, Fill::kNormal002), b.ints(pos, {1, S}), 0));
  if (types > 0)  // one segment: every token has type 0
    y = b.add(y, b.gather(b.weight("token_type_embeddings", {types, dim}, Fill::kNormal002), b.ints(std::vector<std::int64_t>(pos.size(), 0), {1, S}), 0));
  if (a.flag("norm", true)) {
    Scope s(b, "LayerNorm");
    y = b.layer_norm(y, static_cast<float>(a.number("eps", 1e-12)));
  }
  return b.dropout(y, static_cast<float>(a.number("dropout", 0)));
}

Value encoder_like(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, bool decoder) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t dim = x0.dim(2), heads = scaled_heads(a, c, dim);
  const std::int64_t hidden = a.has("mlp_dim") ? channels(a, "mlp_dim", c) : dim * a.integer("mlp_ratio", 4);
  const bool pre = a.text("norm", "pre") == "pre";
  const float eps = static_cast<float>(a.number("eps", 1e-6)), drop = static_cast<float>(a.number("dropout", 0));
  const std::string act = a.text("act", "gelu");
  const bool cross = decoder && a.has("memory");
  const Value memory = cross ? resolve(c, a, "memory") : Value{};
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    // Each sublayer: x + f(norm(x)) (pre-norm, ViT/GPT) or norm(x + f(x)) (post-norm, BERT).
    auto sublayer = [&](const char* name, auto&& f) {
      Scope ss(b, name);
      if (pre) {
        Value h;
        {
          Scope ln(b, "norm");
          h = b.layer_norm(x, eps);
        }
        x = b.add(x, b.dropout(f(h), drop));
      } else {
        Value h = b.add(x, b.dropout(f(x), drop));
        Scope ln(b, "norm");
        x = b.layer_norm(h, eps);
      }
    };
    sublayer("self_attention", [&](const Value& h) { return attention(b, h, h, heads, decoder && a.flag("causal", true)); });
    if (cross) sublayer("cross_attention", [&](const Value& h) { return attention(b, h, memory, heads, false); });
    sublayer("mlp", [&](const Value& h) { return mlp(b, h, hidden, act, drop); });
  }
  return x;
}

Value core_transformer_encoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return encoder_like(b, x, a, c, false); }
Value core_transformer_decoder(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return encoder_like(b, x, a, c, true); }

Value core_layer_norm(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  return b.layer_norm(x, static_cast<float>(a.number("eps", 1e-6)));
}

Value core_to_sequence(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  if (x.rank() == 3) return b.transpose(x, {0, 2, 1});
  need_rank(a, x, 4, "a feature map (N, C, H, W) or (N, C, T)");
  return b.transpose(b.reshape(x, {x.dim(0), x.dim(1), x.dim(2) * x.dim(3)}), {0, 2, 1});
}

Value recurrent_core(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, const char* op) {
  need_rank(a, x0, 3, "a sequence (N, S, F)");
  const std::int64_t hidden = channels(a, "hidden", c);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    x = b.recurrent(op, x, hidden, a.flag("bidirectional", false));
  }
  return x;
}
Value core_lstm(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return recurrent_core(b, x, a, c, "LSTM"); }
Value core_gru(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) { return recurrent_core(b, x, a, c, "GRU"); }

Value core_conv1d_frontend(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a waveform (N, 1, T)");
  const std::int64_t out = channels(a, "channels", c, 512);
  const auto kernels = a.integers("kernels", {10, 3, 3, 3, 3, 2, 2}), strides = a.integers("strides", {5, 2, 2, 2, 2, 2, 2});
  if (kernels.size() != strides.size()) throw InputError(a.where + ": conv1d_frontend: kernels and strides differ in length");
  Value x = x0;
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    Scope s(b, std::to_string(i));
    {
      Scope cs(b, "conv");
      x = b.conv(x, out, {kernels[i]}, {strides[i]}, {0}, 1, a.flag("bias", false));
    }
    if (a.flag("bn", false)) {
      Scope n(b, "bn");
      x = b.batch_norm(x, 1e-5f);
    }
    x = b.activation(x, a.text("act", "gelu"));
  }
  return x;
}

// Heads ---------------------------------------------------------------------------------------

std::int64_t classes(const CoreArgs& a, const BuildContext& c, const char* key = "num_classes") {
  const std::int64_t n = a.integer(key, c.num_classes);
  if (n <= 0) throw InputError(a.where + ": " + a.core + " needs " + key + " (or the composition's num_classes)");
  return n;
}

Value pooled_features(GraphBuilder& b, const Value& x, const CoreArgs& a) {
  const std::string pool = a.text("pool", x.rank() == 4 ? "avg" : x.rank() == 3 ? "cls" : "none");
  if (pool == "avg") return b.flatten(b.global_avg_pool(x));
  if (pool == "cls") {
    need_rank(a, x, 3, "a sequence (N, S, D) for pool: cls");
    return token_zero(b, x);
  }
  if (pool == "mean") {
    need_rank(a, x, 3, "a sequence (N, S, D) for pool: mean");
    return b.flatten(b.global_avg_pool(b.transpose(x, {0, 2, 1})));
  }
  if (pool == "none") return x.rank() == 2 ? x : b.flatten(x);
  throw InputError(a.where + ": " + a.core + " pool '" + pool + "': expected avg, cls, mean or none");
}

Value core_classifier(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  Value y = pooled_features(b, x, a);
  if (a.integer("hidden", 0) > 0) {
    Scope s(b, "hidden");
    y = b.activation(b.linear(y, channels(a, "hidden", c)), a.text("hidden_act", "relu"));
  }
  y = b.dropout(y, static_cast<float>(a.number("dropout", 0)));  // right before the last linear layer
  Scope s(b, "fc");
  return b.linear(y, classes(a, c));
}

Value core_regression_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  Value y = pooled_features(b, x, a);
  if (a.integer("hidden", 0) > 0) {
    Scope s(b, "hidden");
    y = b.activation(b.linear(y, channels(a, "hidden", c)), a.text("hidden_act", "relu"));
  }
  Scope s(b, "fc");
  return b.linear(y, std::max<std::int64_t>(1, a.integer("outputs", 1)));
}

Value core_token_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N, S, D)");
  Scope s(b, "fc");
  return b.linear(x, classes(a, c), a.flag("bias", true));
}

Value core_pooler(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 3, "a sequence (N, S, D)");
  Scope s(b, "dense");
  return b.activation(b.linear(token_zero(b, x), x.dim(2)), "tanh");
}

Value core_ctc_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N, T, F)");
  Scope s(b, "fc");
  return b.log_softmax(b.linear(x, classes(a, c, "vocab") + 1), -1);  // +1: the CTC blank
}

Value core_ssdlite_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t anchors = a.integer("anchors", 6), n = classes(a, c), B = x.dim(0), cells = x.dim(2) * x.dim(3);
  auto branch = [&](const char* name, std::int64_t per_anchor) {
    Scope s(b, name);
    Value y = conv_bn(b, x, x.dim(1), 3, 1, x.dim(1), "relu6", 1e-3f, true, false, "depthwise");
    {
      Scope p(b, "pointwise");
      y = b.conv(y, anchors * per_anchor, {1}, {1}, {0}, 1, true);
    }
    // (N, A·K, H, W) → (N, H·W·A, K): one row per anchor box.
    return b.reshape(b.transpose(b.reshape(y, {B, anchors, per_anchor, cells}), {0, 3, 1, 2}), {B, cells * anchors, per_anchor});
  };
  Value boxes = branch("regression", 4);
  c.extra_outputs.push_back(boxes);
  return branch("classification", n);
}

Value to_input_resolution(GraphBuilder& b, const Value& y, const BuildContext& c) {
  if (c.input_shape.size() != 4) return y;
  return b.resize_to(y, c.input_shape[2], c.input_shape[3]);
}

Value core_fcn_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  Value y = conv_bn(b, x, std::max<std::int64_t>(1, x.dim(1) / 4), 3, 1, 1, "relu", 1e-5f, true, false, "0");
  y = b.dropout(y, static_cast<float>(a.number("dropout", 0.1)));
  {
    Scope s(b, "classifier");
    y = b.conv(y, classes(a, c), {1}, {1}, {0}, 1, true);
  }
  return to_input_resolution(b, y, c);
}

Value core_lraspp_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t inter = channels(a, "inter", c, 128), n = classes(a, c);
  Value y = conv_bn(b, x, inter, 1, 1, 1, "relu", 1e-5f, true, false, "cbr");
  Value gate;
  {
    Scope s(b, "scale");
    gate = b.activation(b.conv(b.global_avg_pool(x), inter, {1}, {1}, {0}, 1, false), "sigmoid");
  }
  y = b.mul(y, gate);
  Value out;
  {
    Scope s(b, "high_classifier");
    out = b.conv(y, n, {1}, {1}, {0}, 1, true);
  }
  if (a.has("low")) {  // LR-ASPP's second branch: a higher-resolution feature from the backbone
    const Value low = resolve(c, a, "low");
    out = b.resize_to(out, low.dim(2), low.dim(3));
    Scope s(b, "low_classifier");
    out = b.add(out, b.conv(low, n, {1}, {1}, {0}, 1, true));
  }
  return to_input_resolution(b, out, c);
}

const CoreKey kRepeat{"repeat", "how many times the block is stacked (scaled by --depth: ceil(N × depth))"};
const CoreKey kStride{"stride", "stride of the first repeat (2 halves the resolution)"};
const CoreKey kScale{"scale", "scale (default), fixed or grow: how --width treats its channels"};
const CoreKey kDivisor{"divisor", "channels round to a multiple of this under --width (default 8; 64 for embeddings)"};

}  // namespace

const std::vector<CoreDef>& core_library() {
  static const std::vector<CoreDef> lib = {
      {"conv_bn_act", "backbone", "convolution, BatchNorm, activation",
       "the basic unit of CNNs: a k×k convolution learns local patterns; BatchNorm keeps training stable; the activation adds "
       "non-linearity. Cost: H·W·k²·Cin·Cout MACs, which a stride of 2 quarters for everything after it.",
       {{"out", "output channels"}, {"kernel", "kernel size (default 3; a list for each axis, e.g. [10, 4])"}, {"stride", "stride (a number or one per axis)"}, {"groups", "channel groups (depthwise: = input channels)"},
        {"act", "relu, relu6, hardswish, hardsigmoid, sigmoid, silu, gelu, tanh, none"}, {"eps", "BatchNorm epsilon"},
        {"bn", "false: no BatchNorm (the convolution gets a bias)"}, {"bias", "convolution bias"}, kScale, kDivisor},
       core_conv_bn_act},
      {"max_pool", "stem", "max pooling", "halves resolution cheaply (no parameters), keeping the strongest response per window.",
       {{"kernel", "window"}, {"stride", "step (default: the window)"}, {"pad", "padding"}}, core_max_pool},
      {"avg_pool", "backbone", "average pooling", "downsamples by averaging; no parameters.",
       {{"kernel", "window"}, {"stride", "step (default: the window)"}, {"pad", "padding"}}, core_avg_pool},
      {"global_avg_pool", "neck", "global average pooling", "turns a feature map into one vector per channel, so the head's size does not depend on the image size.",
       {}, core_global_avg_pool},
      {"basic_block", "backbone", "ResNet basic residual block (two 3×3 convolutions and a skip)",
       "the skip connection lets gradients pass unchanged, which is what makes deep networks trainable (He et al. 2016); two 3×3 "
       "convolutions per block (ResNet-18/34).",
       {{"out", "output channels"}, kStride, kRepeat, kScale, kDivisor}, core_basic_block},
      {"bottleneck", "backbone", "ResNet bottleneck block (1×1 reduce, 3×3, 1×1 expand, skip)",
       "squeezes channels before the expensive 3×3 and expands after, so deep ResNets (50+) cost about as much as shallow wide "
       "ones. The stride sits on the 3×3 (torchvision's v1.5).",
       {{"mid", "channels of the 3×3"}, {"out", "output channels (default mid × expansion)"}, {"expansion", "default 4"}, kStride, kRepeat, kScale, kDivisor},
       core_bottleneck},
      {"inverted_residual", "backbone", "MobileNetV2/V3 inverted residual (expand 1×1, depthwise k×k, [squeeze-excitation], project 1×1)",
       "depthwise convolution costs k² per channel instead of k²·Cin, so mobile networks spend their MACs on 1×1 convolutions; "
       "the narrow ends keep memory traffic low. Squeeze-excitation re-weights channels for a few extra parameters.",
       {{"out", "output channels"}, {"kernel", "depthwise kernel (default 3)"}, kStride, kRepeat,
        {"expand", "expansion ratio (default 6)"}, {"expanded", "expanded channels (MobileNetV3 tables), instead of expand"},
        {"in", "input channels the expanded figure was written for (later repeats keep the ratio)"},
        {"expand_divisor", "round expanded channels to this multiple (default 1: plain rounding)"},
        {"act", "activation (default relu6)"}, {"eps", "BatchNorm epsilon"}, {"se", "squeeze ratio (0: no squeeze-excitation)"},
        {"se_from", "expanded or input: the channels the squeeze ratio applies to"}, {"se_divisor", "round squeezed channels (default 8)"},
        {"se_act", "activation inside SE"}, {"se_gate", "SE gate (hardsigmoid or sigmoid)"}, kScale, kDivisor},
       core_inverted_residual},
      {"mbconv", "backbone", "EfficientNet MBConv (inverted residual with SiLU and squeeze-excitation)",
       "the inverted residual as EfficientNet uses it: SiLU activations and squeeze-excitation sized from the block input "
       "(Tan & Le 2019). Same keys as inverted_residual, other defaults.",
       {{"out", "output channels"}, {"kernel", "depthwise kernel"}, kStride, kRepeat, {"expand", "expansion ratio (default 6)"},
        {"expand_divisor", "default 8"}, {"act", "default silu"}, {"eps", "default 1e-3"}, {"se", "default 0.25"},
        {"se_from", "default input"}, {"se_divisor", "default 1"}, {"se_act", "default silu"}, {"se_gate", "default sigmoid"},
        {"expanded", "expanded channels"}, {"in", "input channels expanded was written for"}, kScale, kDivisor},
       core_mbconv},
      {"ds_conv", "backbone", "depthwise-separable convolution (depthwise k×k, pointwise 1×1)",
       "splits a k×k convolution into a per-channel spatial filter and a 1×1 channel mixer: about k² times fewer MACs for a small "
       "loss in accuracy (MobileNetV1, keyword spotters).",
       {{"out", "output channels"}, {"kernel", "default 3"}, kStride, kRepeat, {"act", "default relu"}, kScale, kDivisor}, core_ds_conv},
      {"patch_embed", "stem", "ViT patch embedding (p×p convolution, class token, position table)",
       "cuts the image into p×p patches and projects each to a token; the sequence length (H·W/p²) sets the attention cost, "
       "which grows with its square.",
       {{"patch", "patch size (default 16)"}, {"dim", "token width (default 768)"}, {"class_token", "prepend a learned class token (default true)"},
        {"position", "learned position embeddings (default true)"}, {"dropout", "dropout rate"}, kDivisor},
       core_patch_embed},
      {"token_embed", "stem", "token + position (+ segment) embeddings and LayerNorm",
       "maps token ids to vectors and adds where each sits; the vocabulary table is often the largest single tensor of a small "
       "language model (BERT-base: 23.4 M of 110 M parameters).",
       {{"vocab", "vocabulary size (default 30522)"}, {"dim", "width (default 768)"}, {"max_positions", "position table rows (default 512; 0: none)"},
        {"token_types", "segment table rows (BERT: 2)"}, {"norm", "LayerNorm after the sum (default true)"}, {"eps", "default 1e-12"},
        {"dropout", "dropout rate"}, kDivisor},
       core_token_embed},
      {"transformer_encoder", "backbone", "transformer encoder block (multi-head self-attention and MLP, each with a residual and LayerNorm)",
       "attention lets every token look at every other: 2·S²·D MACs per layer beside the 12·S·D² of the projections and MLP, so "
       "long sequences pay quadratically.",
       {{"heads", "attention heads (scaled by --width, kept ≥ 1)"}, {"mlp_dim", "MLP hidden width"}, {"mlp_ratio", "MLP width as a multiple of D (default 4)"},
        {"norm", "pre (ViT, default) or post (BERT)"}, {"act", "MLP activation (default gelu)"}, {"eps", "LayerNorm epsilon (default 1e-6)"},
        {"dropout", "dropout rate"}, kRepeat, kScale, kDivisor},
       core_transformer_encoder},
      {"transformer_decoder", "backbone", "transformer decoder block (causal self-attention, optional cross-attention, MLP)",
       "the causal mask hides future tokens so the block can generate text one token at a time; cross-attention reads an "
       "encoder's output (`memory`).",
       {{"heads", "attention heads"}, {"mlp_dim", "MLP hidden width"}, {"mlp_ratio", "default 4"}, {"norm", "pre (default) or post"},
        {"act", "default gelu"}, {"eps", "default 1e-6"}, {"dropout", "dropout rate"}, {"causal", "mask future positions (default true)"},
        {"memory", "name of an earlier core whose output the block attends to"}, kRepeat, kScale, kDivisor},
       core_transformer_decoder},
      {"layer_norm", "backbone", "LayerNorm over the last axis", "normalises each token; a pre-norm stack ends with one.",
       {{"eps", "default 1e-6"}}, core_layer_norm},
      {"to_sequence", "neck", "feature map to sequence ((N, C, T) or (N, C, H, W) → (N, T, C))",
       "hands convolutional features to recurrent or attention layers; no parameters.", {}, core_to_sequence},
      {"lstm", "backbone", "LSTM layer(s), batch-first",
       "a recurrent layer keeps a state across time steps; 4 gates cost 4·H·(F+H) MACs per step and steps cannot run in parallel.",
       {{"hidden", "hidden units"}, {"bidirectional", "read both directions (output 2·hidden)"}, kRepeat, kScale, kDivisor}, core_lstm},
      {"gru", "backbone", "GRU layer(s), batch-first (PyTorch's linear-before-reset)",
       "like an LSTM with 3 gates instead of 4: a quarter cheaper per step.",
       {{"hidden", "hidden units"}, {"bidirectional", "read both directions"}, kRepeat, kScale, kDivisor}, core_gru},
      {"conv1d_frontend", "stem", "1-D convolution stack over a raw waveform (wav2vec 2.0 style)",
       "learns a filterbank from audio samples; the strides (5·2⁶ = 320 by default) set how many frames per second the rest "
       "of the model processes.",
       {{"channels", "channels per layer (default 512)"}, {"kernels", "kernel per layer (default 10,3,3,3,3,2,2)"},
        {"strides", "stride per layer (default 5,2,2,2,2,2,2)"}, {"act", "default gelu"}, {"bn", "BatchNorm after each conv"},
        {"bias", "conv bias"}, kScale, kDivisor},
       core_conv1d_frontend},
      {"classifier", "head", "classification head: pool, optional hidden layer, linear to num_classes",
       "maps features to class scores; its size is features × classes, small beside the backbone, which is why swapping it is "
       "the cheapest way to reuse a pretrained model.",
       {{"num_classes", "classes (default: the composition's)"}, {"pool", "avg (feature maps), cls (token 0), mean (over tokens) or none"},
        {"hidden", "hidden width (0: none)"}, {"hidden_act", "hidden activation (default relu)"}, {"dropout", "dropout rate before the last linear layer"},
        kScale, kDivisor},
       core_classifier},
      {"regression_head", "head", "regression head: pool, optional hidden layer, linear to outputs",
       "predicts numbers instead of classes (depth, age, a forecast).",
       {{"outputs", "values predicted (default 1)"}, {"pool", "avg, cls, mean or none"}, {"hidden", "hidden width"},
        {"hidden_act", "hidden activation"}, kScale, kDivisor},
       core_regression_head},
      {"token_head", "head", "per-token linear layer (token classification, or a language model's next-token scores)",
       "scores every position: one label per token (named entities) or, over the vocabulary, the next token. A language "
       "model's vocabulary makes it one of its largest layers (D × vocabulary parameters).",
       {{"num_classes", "labels or vocabulary size (default: the composition's)"}, {"bias", "default true"}}, core_token_head},
      {"pooler", "head", "BERT pooler (dense + tanh on the first token)", "summarises a sequence in its first token for sentence-level tasks.",
       {}, core_pooler},
      {"ctc_head", "head", "CTC head (linear to vocabulary + blank, log-softmax)",
       "lets a speech model emit characters without aligned labels: the blank symbol absorbs frames between characters.",
       {{"vocab", "output symbols, blank excluded"}}, core_ctc_head},
      {"ssdlite_head", "head", "SSDlite-style detection head on one feature map (depthwise-separable box and class predictors)",
       "predicts, for every cell and anchor, 4 box offsets and class scores; depthwise-separable predictors keep it mobile-sized "
       "(Sandler et al. 2018). One scale only: multi-scale SSD needs one head per feature map.",
       {{"num_classes", "classes incl. background"}, {"anchors", "anchors per cell (default 6)"}}, core_ssdlite_head},
      {"fcn_head", "head", "FCN segmentation head (3×3 conv-BN-ReLU, 1×1 classifier, upsample to the input)",
       "labels every pixel; upsampling back to input size makes the output as large as the image, which is what segmentation costs.",
       {{"num_classes", "classes"}, {"dropout", "default 0.1"}}, core_fcn_head},
      {"lraspp_head", "head", "LR-ASPP segmentation head (MobileNetV3): pooled gate on a 1×1 branch, optional low-level branch",
       "a light segmentation head: a global gate instead of atrous pyramids (Howard et al. 2019).",
       {{"num_classes", "classes"}, {"inter", "channels of the 1×1 branch (default 128)"}, {"low", "name of an earlier, higher-resolution core"}, kScale, kDivisor},
       core_lraspp_head},
  };
  return lib;
}

const CoreDef& find_core(const std::string& name, const std::string& where) {
  for (const auto& d : core_library())
    if (d.name == name) return d;
  std::string known;
  for (const auto& d : core_library()) known += (known.empty() ? "" : ", ") + d.name;
  throw InputError(where + ": unknown core '" + name + "' (known: " + known + ")");
}

void check_core_keys(const CoreDef& def, const CoreArgs& args) {
  static const std::set<std::string> common{"core", "scope", "role", "name", "from"};
  for (const auto& kv : args.values) {
    const std::string& key = kv.first;  // not a structured binding: C++17 lambdas cannot capture those
    if (common.count(key)) continue;
    if (std::none_of(def.keys.begin(), def.keys.end(), [&](const CoreKey& k) { return k.name == key; })) {
      std::string known;
      for (const auto& k : def.keys) known += (known.empty() ? "" : ", ") + k.name;
      throw InputError(args.where + ": core " + def.name + " has no key '" + key + "' (keys: " + (known.empty() ? "none" : known) +
                       "; any core: scope, role, name, from)");
    }
  }
}

}  // namespace sml::compose
