#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {

std::int64_t channels(const CoreArgs& a, const std::string& key, const BuildContext& c, std::int64_t fallback) {
  if (!a.has(key) && fallback < 0) throw InputError(a.where + ": " + a.core + " needs '" + key + "'");
  return scaled_channels(a.integer(key, fallback), c.width, a.integer("divisor", 8), a.text("scale", "scale"));
}

std::int64_t repeats(const CoreArgs& a, const BuildContext& c) {
  const std::int64_t n = a.integer("repeat", 1);
  if (n > 10000) throw InputError(a.where + ": " + a.core + " repeat " + std::to_string(n) + ": at most 10000");
  return scaled_repeats(std::max<std::int64_t>(1, n), c.depth);
}

Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, const std::vector<std::int64_t>& k, const std::vector<std::int64_t>& s,
              std::int64_t groups, const std::string& act, float eps, bool bn, bool bias, const std::string& scope, std::int64_t dilation) {
  Scope sc(b, scope);
  std::vector<std::int64_t> pads;
  for (auto kk : k) pads.push_back(dilation * (kk - 1) / 2);  // "same" for odd kernels at stride 1
  Value y;
  {
    Scope c(b, "conv");
    y = b.conv(x, out, k, s, pads, groups, bias || !bn, {dilation});
  }
  if (bn) {
    Scope n(b, "bn");
    y = b.batch_norm(y, eps);
  }
  return b.activation(y, act);
}

Value conv_bn(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, std::int64_t groups,
              const std::string& act, float eps, bool bn, bool bias, const std::string& scope) {
  return conv_bn(b, x, out, std::vector<std::int64_t>{k}, std::vector<std::int64_t>{s}, groups, act, eps, bn, bias, scope);
}

void need_rank(const CoreArgs& a, const Value& x, int rank, const char* what) {
  if (x.rank() != rank)
    throw InputError(a.where + ": " + a.core + " expects " + what + " (rank " + std::to_string(rank) + "), got shape rank " +
                     std::to_string(x.rank()));
}

std::vector<std::int64_t> positions(std::int64_t S, const std::string& where) {
  if (S > (std::int64_t(1) << 24)) throw InputError(where + ": a sequence of " + std::to_string(S) + " positions (at most 2^24)");
  std::vector<std::int64_t> pos(static_cast<std::size_t>(S));
  for (std::int64_t i = 0; i < S; ++i) pos[static_cast<std::size_t>(i)] = i;
  return pos;
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
std::int64_t classes(const CoreArgs& a, const BuildContext& c, const char* key) {
  const std::int64_t n = a.integer(key, c.num_classes);
  if (n <= 0) throw InputError(a.where + ": " + a.core + " needs " + key + " (or the composition's num_classes)");
  return n;
}

const CoreKey kRepeat{"repeat", "how many times the block is stacked (scaled by --depth: ceil(N × depth))"};
const CoreKey kStride{"stride", "stride of the first repeat (2 halves the resolution)"};
const CoreKey kScale{"scale", "scale (default), fixed or grow: how --width treats its channels"};
const CoreKey kDivisor{"divisor", "channels round to a multiple of this under --width (default 8; 64 for embeddings)"};

}  // namespace sml::compose::detail
