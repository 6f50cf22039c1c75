// Decoder cores beyond the Llama block (issue 13): Phi-2's parallel block, in which attention and
// the MLP read the same LayerNorm'd input and both add to the residual, and rotary positions turn
// only the first part of each head (partial rotary).
#include "cores_common.hpp"

#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// Causal self-attention with biased q, k, v and output projections; rotary positions on the
// first ROT dims of each query and key head, the rest passed through (Phi-2: 32 of 80). Under a
// decode part the keys and values go through the KV cache (kv_cache.cpp).
Value partial_rotary_attention(GraphBuilder& b, const Value& x, std::int64_t heads, std::int64_t rot, const Rotary& tables, BuildContext& c) {
  const std::int64_t B = x.dim(0), S = x.dim(1), D = x.dim(2), d = D / heads;
  auto project = [&](const char* name) {
    Scope s(b, name);
    return b.transpose(b.reshape(b.linear(x, D), {B, S, heads, d}), {0, 2, 1, 3});  // B h S d
  };
  auto turn = [&](const Value& t) {
    if (rot == d) return rotate(b, t, tables);
    return b.concat({rotate(b, b.slice(t, -1, 0, rot), tables), b.slice(t, -1, rot, d)}, -1);
  };
  const Value q = turn(project("q_proj")), k_new = turn(project("k_proj")), v_new = project("v_proj");
  Value ctx;
  if (c.decode.part == DecodeMode::kStep) {
    ctx = step_attention(b, c, q, k_new, v_new);
  } else {
    const auto [k, v] = cached_keys_values(b, &c, k_new, v_new);  // a prefill's outputs
    const Value scores = b.mul(b.matmul(q, b.transpose(k, {0, 1, 3, 2})), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(d)))));
    const std::vector<std::int64_t> pos = positions(S, b.scoped("attention"));
    ctx = b.matmul(b.softmax(b.where_greater(b.ints(pos, {1, S}), b.ints(pos, {S, 1}), -1e9f, scores), -1), v);
  }
  ctx = b.reshape(b.transpose(ctx, {0, 2, 1, 3}), {B, S, D});
  Scope o(b, "dense");
  return b.linear(ctx, D);
}

Value core_phi_decoder(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 3, "a sequence (N, S, D)");
  const std::int64_t dim = x0.dim(2), heads = a.integer("heads", 32);
  if (heads < 1 || dim % heads)
    throw InputError(a.where + ": phi_decoder: width " + std::to_string(dim) + " does not split into " + std::to_string(heads) + " heads");
  const std::int64_t d = dim / heads;
  // Hugging Face's PhiAttention: rotary_ndims = int(head_dim × partial_rotary_factor).
  const std::int64_t rot = a.has("rotary_dim") ? a.integer("rotary_dim", d)
                                               : static_cast<std::int64_t>(static_cast<double>(d) * a.number("partial_rotary", 1.0) + 1e-9);
  if (rot < 2 || rot > d || rot % 2)
    throw InputError(a.where + ": phi_decoder: the rotary part of a head must be even and between 2 and the head size " + std::to_string(d) +
                     ", got " + std::to_string(rot));
  const std::int64_t hidden = channels(a, "mlp_dim", c);
  const float eps = static_cast<float>(a.number("eps", 1e-5));
  const Rotary tables = rotary_tables(b, x0.dim(1), rot, a.number("rope_theta", 10000), a.where, decode_position(c));
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    Value h;
    {
      Scope ln(b, "input_layernorm");
      h = b.layer_norm(x, eps);
    }
    Value attn, mlp;
    {
      Scope at(b, "self_attn");
      attn = partial_rotary_attention(b, h, heads, rot, tables, c);
    }
    {
      Scope m(b, "mlp");
      {
        Scope f(b, "fc1");
        mlp = b.activation(b.linear(h, hidden), a.text("act", "gelu"));
      }
      Scope f(b, "fc2");
      mlp = b.linear(mlp, dim);
    }
    x = b.add(b.add(attn, mlp), x);  // parallel: both branches read h and add to the residual
  }
  return x;
}

}  // namespace

void add_decoder_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"phi_decoder", "backbone", "Phi-2-style parallel decoder block (one LayerNorm feeding causal attention and the MLP side by side, partial rotary)",
       "attention and the MLP read the same normalised input and add to the residual together (GPT-J's parallel layout), so "
       "the two can run at once; rotary positions turn only part of each head (Phi-2: 40%), the rest carries content alone.",
       {{"heads", "attention heads (default 32)"}, {"mlp_dim", "MLP hidden width"}, {"partial_rotary", "share of each head rotated (default 1)"},
        {"rotary_dim", "rotated dims per head (instead of partial_rotary)"}, {"rope_theta", "rotary base (default 10000)"},
        {"act", "MLP activation (default gelu)"}, {"eps", "LayerNorm epsilon (default 1e-5)"}, kRepeat, kScale, kDivisor},
       core_phi_decoder},
  });
}

}  // namespace sml::compose::detail
