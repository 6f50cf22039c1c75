// What the detection cores' three files share: cores_detection.cpp (the necks, and these helpers),
// cores_detection_dense_heads.cpp (heads that predict at every cell of every level) and
// cores_detection_sparse_heads.cpp (heads that predict for a stated number of regions or queries).
#pragma once
#include <cstdint>
#include <vector>

#include "cores_common.hpp"

namespace sml::compose::detail {

// The feature maps a head or neck names by `features` (cores_detection.cpp).
std::vector<Value> feature_maps(const BuildContext& c, const CoreArgs& a, const Value& x);
// (N, A·K, H, W) → (N, H·W·A, K), one row per anchor box (cores_detection.cpp).
Value rows_per_anchor(GraphBuilder& b, const Value& y, std::int64_t anchors, std::int64_t k);
// A K×K convolution of stride S, padded to keep the size at stride 1, under SCOPE (cores_detection.cpp).
Value conv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, std::int64_t s, bool bias, const std::string& scope);

// Builds BODY once per level under the same names with the builder sharing weights: one set
// of weights applied to every pyramid level, stored (and counted) once, its MACs per level.
template <typename F>
std::vector<Value> shared_levels(GraphBuilder& b, const std::vector<Value>& maps, F body) {
  std::vector<Value> out;
  const bool was = b.sharing_weights();
  b.share_weights(true);
  for (const auto& f : maps) out.push_back(body(f));
  b.share_weights(was);
  return out;
}

// The heads append their cores after the necks, in the order `--list cores` shows them.
void add_dense_detection_heads(std::vector<CoreDef>& lib);   // cores_detection_dense_heads.cpp: SSD, YOLO, RetinaNet, FCOS
void add_sparse_detection_heads(std::vector<CoreDef>& lib);  // cores_detection_sparse_heads.cpp: R-CNN, DETR

}  // namespace sml::compose::detail
