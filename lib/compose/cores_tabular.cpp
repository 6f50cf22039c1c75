// Tabular cores: TabNet (Arik & Pfister, AAAI 2021, arXiv:1908.07442) as dreamquark-ai's
// pytorch-tabnet builds it (tab_network.py: TabNetNoEmbeddings, FeatTransformer, GLU_Block,
// AttentiveTransformer), in evaluation form: ghost BatchNorm splits batches into virtual batches
// only while training, so at inference every BatchNorm is a plain one.
#include "cores_common.hpp"

#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// GLU layer: a linear map without bias to 2·OUT, BatchNorm, then the first half gated by the
// sigmoid of the second.
Value glu_layer(GraphBuilder& b, const Value& x, std::int64_t out, float eps, const std::string& scope) {
  Scope s(b, scope);
  Value y;
  {
    Scope f(b, "fc");
    y = b.linear(x, 2 * out, false);
  }
  {
    Scope n(b, "bn.bn");
    y = b.batch_norm(y, eps);
  }
  return b.mul(b.slice(y, 1, 0, out), b.activation(b.slice(y, 1, out, 2 * out), "sigmoid"));
}

// Feature transformer: SHARED GLU layers (their linear maps are one set of weights for every
// step; each step has its own BatchNorms), then INDEPENDENT ones of its own; every layer after the
// first adds its input and scales by √0.5.
Value feat_transformer(GraphBuilder& b, const Value& x0, std::int64_t width, std::int64_t shared, std::int64_t independent, float eps,
                       const std::string& scope) {
  Scope s(b, scope);
  const Value half = b.scalar(static_cast<float>(std::sqrt(0.5)));
  Value x = x0;
  for (std::int64_t i = 0; i < shared + independent; ++i) {
    const bool is_shared = i < shared;
    const std::string name = (is_shared ? "shared.glu_layers." : "specifics.glu_layers.") + std::to_string(is_shared ? i : i - shared);
    Value y;
    if (is_shared) {
      // The linear map lives under one scope for every step: built once, shared by name.
      const bool was = b.sharing_weights();
      b.share_weights(true);
      b.pop();  // out of the step's scope for the shared weight…
      {
        Scope sh(b, "shared_feat_transform." + std::to_string(i));
        y = b.linear(x, 2 * width, false);
      }
      b.push(scope);  // …and back
      b.share_weights(was);
      Scope l(b, name + ".bn.bn");
      y = b.batch_norm(y, eps);
      y = b.mul(b.slice(y, 1, 0, width), b.activation(b.slice(y, 1, width, 2 * width), "sigmoid"));
    } else {
      y = glu_layer(b, x, width, eps, name);
    }
    x = i == 0 ? y : b.mul(b.add(x, y), half);
  }
  return x;
}

// Sparsemax (Martins & Astudillo 2016) over the last axis of Z (B, F) with standard ops, exactly:
// k_j = #{i : z_i ≥ z_j}, s_j = Σ_{z_i ≥ z_j} z_i; j is in the support when 1 + k_j·z_j > s_j;
// τ = (Σ_support z − 1) / |support|; output max(z − τ, 0). The F×F comparisons are elementwise
// (no multiply-accumulates): this adds FLOPs, never MACs.
Value sparsemax(GraphBuilder& b, const Value& z) {
  const std::int64_t B = z.dim(0), F = z.dim(1);
  const Value zi = b.reshape(z, {B, F, 1}), zj = b.reshape(z, {B, 1, F});
  const Value ones = b.expand(b.scalar(1.0f), {B, F, F});
  const Value ge = b.where_greater(zj, zi, 0.0f, ones);  // [z_i ≥ z_j] at (i, j)
  const Value count = b.scalar(static_cast<float>(F));
  const Value k = b.reshape(b.mul(b.reduce_mean(ge, 1), count), {B, F});
  const Value s = b.reshape(b.mul(b.reduce_mean(b.mul(ge, zi), 1), count), {B, F});
  const Value support = b.where_greater(b.add(b.mul(k, z), b.scalar(1.0f)), s, 1.0f, b.expand(b.scalar(0.0f), {B, F}));
  const Value size = b.mul(b.reduce_mean(support, 1), count);
  const Value total = b.add(b.mul(b.reduce_mean(b.mul(support, z), 1), count), b.scalar(-1.0f));
  const Value tau = b.mul(total, b.unary("Reciprocal", size));
  return b.activation(b.add(z, b.unary("Neg", tau)), "relu");
}

// TabNet: a BatchNorm of the F features; an initial feature transformer whose last N_a outputs
// start the attention; then per decision step an attentive transformer (linear N_a → F without
// bias, BatchNorm, times the prior, sparsemax) gives a feature mask M, the prior becomes
// (γ − M)·prior, the masked features run through the step's feature transformer, and ReLU of its
// first N_d outputs is added to the decision; a linear map without bias to the classes.
Value core_tabnet(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 2, "rows of features (N, F)");
  const std::int64_t nd = a.integer("n_d", 8), na = a.integer("n_a", 8), steps = a.integer("steps", 3);
  const std::int64_t shared = a.integer("shared", 2), independent = a.integer("independent", 2), n = classes(a, c);
  const float gamma = static_cast<float>(a.number("gamma", 1.3)), eps = 1e-5f;
  if (nd < 1 || na < 1 || steps < 1 || shared + independent < 1)
    throw InputError(a.where + ": tabnet needs n_d, n_a, steps of at least 1 and at least one GLU layer");
  const std::int64_t F = x0.dim(1), width = nd + na;
  Value x;
  {
    Scope s(b, "encoder.initial_bn");
    x = b.batch_norm(x0, eps);
  }
  Value att = b.slice(feat_transformer(b, x, width, shared, independent, eps, "encoder.initial_splitter"), 1, nd, width);
  Value prior = b.expand(b.scalar(1.0f), {x.dim(0), F}), decision;
  for (std::int64_t i = 0; i < steps; ++i) {
    Value m;
    {
      Scope s(b, "encoder.att_transformers." + std::to_string(i));
      {
        Scope f(b, "fc");
        m = b.linear(att, F, false);
      }
      {
        Scope bn(b, "bn.bn");
        m = b.batch_norm(m, eps);
      }
      m = sparsemax(b, b.mul(m, prior));
    }
    prior = b.mul(b.add(b.unary("Neg", m), b.scalar(gamma)), prior);
    const Value out = feat_transformer(b, b.mul(m, x), width, shared, independent, eps, "encoder.feat_transformers." + std::to_string(i));
    const Value d = b.activation(b.slice(out, 1, 0, nd), "relu");
    decision = i == 0 ? d : b.add(decision, d);
    att = b.slice(out, 1, nd, width);
  }
  Scope s(b, "final_mapping");
  return b.linear(decision, n, false);
}

}  // namespace

void add_tabular_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"tabnet", "backbone", "TabNet: sequential attention over features (sparsemax masks), GLU feature transformers, decision sum, linear head",
       "each decision step picks a sparse subset of the features to look at (instance-wise feature selection), so the model is "
       "small and its masks explain its choices (Arik & Pfister 2021). Cost per row is tiny: a few (N_d + N_a)-wide layers per step.",
       {{"n_d", "decision width (default 8)"}, {"n_a", "attention width (default 8)"}, {"steps", "decision steps (default 3)"},
        {"gamma", "prior relaxation (default 1.3)"}, {"shared", "GLU layers shared across steps (default 2)"},
        {"independent", "GLU layers of each step (default 2)"}, {"num_classes", "outputs (default: the composition's)"}},
       core_tabnet},
  });
}

}  // namespace sml::compose::detail
