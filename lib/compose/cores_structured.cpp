// Cores for structured data: multilayer perceptrons, embedding tables and their interactions
// (NeuMF, DLRM), graph layers (GCN, GraphSAGE) and the valid-padding convolution stack of the
// Atari DQN. Their costs follow the data they are built for, so each states the size it is
// costed at: table rows, edges, sampled neighbours.
#include "cores_common.hpp"

#include <algorithm>
#include <numeric>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// A further graph input a core reads besides the model input (DLRM's sparse ids, a graph's edge
// list): created by the first core that asks, shared by the rest, its shape checked.
Value graph_input(GraphBuilder& b, BuildContext& c, const CoreArgs& a, const std::string& name, const Shape& shape, int dtype) {
  auto it = c.named.find(name);
  if (it != c.named.end()) {
    if (it->second.shape != shape || it->second.dtype != dtype)
      throw InputError(a.where + ": " + a.core + ": input '" + name + "' was declared earlier with another shape or type");
    return it->second;
  }
  return c.named[name] = b.input(name, shape, dtype);
}

std::vector<std::int64_t> positive_list(const CoreArgs& a, const std::string& key) {
  const auto v = a.integers(key, {});
  if (v.empty()) throw InputError(a.where + ": " + a.core + " needs '" + key + "' (a list of whole numbers)");
  for (auto x : v)
    if (x <= 0) throw InputError(a.where + ": " + a.core + " '" + key + "': every entry must be at least 1");
  return v;
}

// Linear layers of the widths in `dims`; hidden widths follow --width, the last stays (it is an
// embedding width or a score the next core relies on).
Value core_mlp(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const auto dims = positive_list(a, "dims");
  Value x = x0.rank() > 2 ? b.flatten(x0) : x0;
  const std::string act = a.text("act", "relu"), last = a.text("last", act);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    Scope s(b, std::to_string(i));
    const bool final_layer = i + 1 == dims.size();
    const std::int64_t out = final_layer ? dims[i] : scaled_channels(dims[i], c.width, a.integer("divisor", 8), a.text("scale", "scale"));
    x = b.activation(b.linear(x, out, a.flag("bias", true)), final_layer ? last : act);
  }
  return x;
}

// One table per categorical feature; table i is indexed by id column FIRST + i. Gather counts no
// MACs: a lookup moves DIM values per table per sample, which is why recommenders are bound by
// memory, not arithmetic.
Value core_embedding_tables(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const auto rows = positive_list(a, "rows");
  const std::int64_t dim = a.integer("dim", 16), first = a.integer("first", 0);
  if (dim < 1) throw InputError(a.where + ": embedding_tables 'dim': expected at least 1");
  const auto tables = static_cast<std::int64_t>(rows.size());
  const Value ids = a.has("input") ? graph_input(b, c, a, a.text("input", ""), {x.dim(0), first + tables}, 7) : x;
  if (ids.dtype != 7 || ids.rank() != 2)
    throw InputError(a.where + ": embedding_tables expects int64 ids (N, features); give 'input: NAME' for a separate id input");
  if (ids.dim(1) < first + tables)
    throw InputError(a.where + ": embedding_tables: " + std::to_string(tables) + " tables from column " + std::to_string(first) +
                     " need " + std::to_string(first + tables) + " id columns, the input has " + std::to_string(ids.dim(1)));
  std::vector<Value> looked_up;
  for (std::int64_t i = 0; i < tables; ++i) {
    Scope s(b, std::to_string(i));
    const Value table = b.weight("weight", {rows[static_cast<std::size_t>(i)], dim}, Fill::kNormal002);
    looked_up.push_back(b.gather(table, b.slice(ids, 1, first + i, first + i + 1), 0));  // (N, 1, dim)
  }
  return tables == 1 ? looked_up.front() : b.concat(looked_up, 1);
}

// GMF (He et al. 2017): the element-wise product of the user and the item vector.
Value core_pair_product(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 3, "two embeddings (N, 2, D)");
  if (x.dim(1) != 2) throw InputError(a.where + ": pair_product expects exactly two embeddings, got " + std::to_string(x.dim(1)));
  const Shape flat{x.dim(0), x.dim(2)};
  return b.mul(b.reshape(b.slice(x, 1, 0, 1), flat), b.reshape(b.slice(x, 1, 1, 2), flat));
}

Value core_concat(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const Value other = resolve(c, a, "with");
  if (other.rank() != x.rank() || other.dim(0) != x.dim(0))
    throw InputError(a.where + ": concat: '" + a.text("with", "") + "' and the input differ in rank or batch");
  return a.text("order", "with-first") == "with-first" ? b.concat({other, x}, -1) : b.concat({x, other}, -1);
}

// DLRM's dot interaction (Naumov et al. 2019, section 2.1.3): the dense vector and the T
// embeddings as F = T + 1 rows, all pairwise dot products (a batched F×F Gram matrix, F²·D MACs),
// the F(F−1)/2 below the diagonal kept and appended to the dense vector.
Value core_dot_interaction(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "embeddings (N, T, D)");
  const Value dense = resolve(c, a, "dense");
  const std::int64_t B = x.dim(0), D = x.dim(2);
  if (dense.rank() != 2 || dense.dim(1) != D)
    throw InputError(a.where + ": dot_interaction: the dense vector is not (N, " + std::to_string(D) + ") like the embeddings");
  const Value z = b.concat({b.reshape(dense, {B, 1, D}), x}, 1);
  const std::int64_t F = z.dim(1);
  const Value gram = b.reshape(b.matmul(z, b.transpose(z, {0, 2, 1})), {B, F * F});
  std::vector<std::int64_t> lower;
  for (std::int64_t i = 1; i < F; ++i)
    for (std::int64_t j = 0; j < i; ++j) lower.push_back(i * F + j);
  return b.concat({dense, b.gather(gram, b.ints(lower), 1)}, 1);
}

// Convolutions without padding, each with a bias and an activation, no normalisation (the
// Atari DQN of Mnih et al. 2015).
Value core_conv_stack(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "an image (N, C, H, W)");
  const auto outs = positive_list(a, "out"), kernels = positive_list(a, "kernel"), strides = positive_list(a, "stride");
  if (kernels.size() != outs.size() || strides.size() != outs.size())
    throw InputError(a.where + ": conv_stack: out, kernel and stride differ in length");
  Value x = x0;
  for (std::size_t i = 0; i < outs.size(); ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t out = scaled_channels(outs[i], c.width, a.integer("divisor", 8), a.text("scale", "scale"));
    x = b.activation(b.conv(x, out, {kernels[i]}, {strides[i]}, {0}, 1, true), a.text("act", "relu"));
  }
  return x;
}

// GCN layer (Kipf & Welling 2017, eq. 2): H' = act(Â H W). Â is sparse: its E non-zeros (edges
// and self-loops) arrive as graph inputs `edge_index` (2, E) and `edge_weight` (E, 1), the
// symmetric normalisation precomputed as PyTorch Geometric caches it. H W is the dense work
// (nodes × in × out MACs); the propagation gathers, weights and sums E rows (E × out).
Value core_gcn_conv(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 2, "node features (nodes, features)");
  const std::int64_t E = a.integer("edges", 0);
  if (E < 1) throw InputError(a.where + ": gcn_conv needs 'edges' (non-zeros of the adjacency, self-loops included)");
  const std::int64_t out = a.has("out") ? channels(a, "out", c) : classes(a, c);
  const Value edges = graph_input(b, c, a, "edge_index", {2, E}, 7), weight = graph_input(b, c, a, "edge_weight", {E, 1}, 1);
  Value h = b.matmul(x, b.weight("weight", {x.dim(1), out}, Fill::kXavierUniform, static_cast<double>(x.dim(1)), static_cast<double>(out)));
  const Value src = b.reshape(b.slice(edges, 0, 0, 1), {E}), dst = b.reshape(b.slice(edges, 0, 1, 2), {E, 1});
  const Value messages = b.mul(b.gather(h, src, 0), weight);
  h = b.scatter_add(b.expand(b.scalar(0), {x.dim(0), out}), dst, messages);
  if (a.flag("bias", false)) h = b.add(h, b.weight("bias", {out}, Fill::kZeros));
  return b.activation(h, a.text("act", "relu"));
}

// GraphSAGE with the mean aggregator (Hamilton et al. 2017, Algorithm 2 with "concat"), on a
// sampled computation tree: the input holds, for each of N target nodes, its row, then S1
// sampled neighbours, then S2 neighbours of each of those (N·(1 + S1 + S1·S2) rows, level by
// level). Layer k updates every node still needed: self·W_self ‖ mean(neighbours)·W_neigh.
Value core_sage_mean(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 2, "sampled node features (rows, features)");
  const auto samples = positive_list(a, "samples");
  std::vector<std::int64_t> per_target{1};
  for (auto s : samples) per_target.push_back(per_target.back() * s);
  const std::int64_t rows_per_target = std::accumulate(per_target.begin(), per_target.end(), std::int64_t{0});
  if (x0.dim(0) % rows_per_target)
    throw InputError(a.where + ": sage_mean: " + std::to_string(x0.dim(0)) + " rows are not a whole number of sampled trees of " +
                     std::to_string(rows_per_target) + " rows");
  const std::int64_t N = x0.dim(0) / rows_per_target, dim = channels(a, "dim", c);
  std::vector<std::int64_t> level;  // rows per level
  for (auto p : per_target) level.push_back(N * p);
  Value x = x0;
  for (std::size_t k = 0; k < samples.size(); ++k) {
    Scope s(b, std::to_string(k));
    const std::size_t keep = level.size() - 1;  // levels that still need a representation
    std::int64_t self_rows = 0;
    std::vector<Value> means;
    for (std::size_t i = 0; i < keep; ++i) {
      const std::int64_t start = self_rows + level[i], fanout = level[i + 1] / level[i];
      const Value neigh = b.reshape(b.slice(x, 0, start, start + level[i + 1]), {level[i], fanout, x.dim(1)});
      means.push_back(b.reshape(b.reduce_mean(neigh, 1), {level[i], x.dim(1)}));
      self_rows += level[i];
    }
    const Value self = b.slice(x, 0, 0, self_rows), mean = means.size() == 1 ? means.front() : b.concat(means, 0);
    const double fan = static_cast<double>(x.dim(1));
    const Value hs = b.matmul(self, b.weight("self_weight", {x.dim(1), dim}, Fill::kXavierUniform, fan, static_cast<double>(dim)));
    const Value hn = b.matmul(mean, b.weight("neigh_weight", {x.dim(1), dim}, Fill::kXavierUniform, fan, static_cast<double>(dim)));
    const bool last = k + 1 == samples.size();
    x = b.activation(b.concat({hs, hn}, 1), last ? a.text("last", "none") : a.text("act", "relu"));
    level.pop_back();
  }
  return x;
}

}  // namespace

void add_structured_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"mlp", "head", "multilayer perceptron: linear layers of the widths listed, an activation after each",
       "the dense part of recommenders and tabular models; each layer costs in × out MACs per sample.",
       {{"dims", "output width of each layer, e.g. [512, 256, 1]"}, {"act", "activation after hidden layers (default relu)"},
        {"last", "activation after the last layer (default: act; none, sigmoid…)"}, {"bias", "default true"}, kScale, kDivisor},
       core_mlp},
      {"embedding_tables", "stem", "one embedding table per categorical feature, looked up by int64 ids → (N, tables, dim)",
       "turns ids (users, items, categories) into learned vectors; the tables hold almost all of a recommender's parameters "
       "but cost no MACs, only memory traffic.",
       {{"rows", "rows of each table (the feature's distinct values), e.g. [6040, 3706]"}, {"dim", "vector width (default 16; not scaled by --width)"},
        {"first", "id column of the first table (default 0)"}, {"input", "name of a separate int64 id input (N, first + tables) to create"}},
       core_embedding_tables},
      {"pair_product", "neck", "element-wise product of two embeddings (N, 2, D) → (N, D) (GMF)",
       "matrix factorisation as a layer: the user-item affinity per latent factor; no parameters.", {}, core_pair_product},
      {"concat_features", "neck", "concatenates an earlier core's output with the input along the last axis",
       "joins two towers (NeuMF's GMF and MLP); no parameters.",
       {{"with", "name of the earlier core"}, {"order", "with-first (default) or input-first"}}, core_concat},
      {"dot_interaction", "neck", "DLRM dot interaction: pairwise dot products of the dense vector and the embeddings, lower triangle, dense vector appended",
       "models second-order feature crosses explicitly; (T+1)²·D MACs per sample.",
       {{"dense", "name of the core giving the (N, D) dense vector (the bottom MLP)"}}, core_dot_interaction},
      {"conv_stack", "backbone", "convolutions without padding, bias and activation each, no normalisation",
       "the small convolution stack of the Atari DQN; valid padding shrinks the frame at every layer.",
       {{"out", "channels per layer"}, {"kernel", "kernel per layer"}, {"stride", "stride per layer"}, {"act", "default relu"}, kScale, kDivisor},
       core_conv_stack},
      {"gcn_conv", "backbone", "graph convolution H' = act(Â·H·W) over a sparse normalised adjacency (graph inputs edge_index, edge_weight)",
       "each node mixes its neighbours' features; the dense H·W costs nodes × in × out MACs, propagation edges × out.",
       {{"out", "output features (default: the composition's num_classes)"}, {"edges", "adjacency non-zeros, self-loops included"},
        {"act", "default relu (none for the last layer)"}, {"bias", "default false (Kipf & Welling's code)"}, kScale, kDivisor},
       core_gcn_conv},
      {"sage_mean", "backbone", "GraphSAGE layers with the mean aggregator over a sampled neighbourhood (concat of self and neighbour transforms)",
       "inductive: a node's embedding is computed from a fixed-size sample of its neighbours, so cost per node is bounded by the sample sizes.",
       {{"samples", "neighbours sampled per hop, e.g. [25, 10]"}, {"dim", "output width of each half (the layer outputs 2·dim)"},
        {"act", "default relu"}, {"last", "activation of the last layer (default none)"}, kScale, kDivisor},
       core_sage_mean},
  });
}

}  // namespace sml::compose::detail
