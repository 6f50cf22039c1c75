// The per-layer profile of a catalogue model that has an architecture (catalog/archs): the
// composition sml-compose builds, counted by lib/cost — the profile sml-estimate reads from the
// model sml-compose writes — so sml-suggest costs each candidate layer by layer on the deployment
// device with the same serving code, and the two tools agree for the same model, device and
// precision. Building takes tens of milliseconds a model, so profiles are cached on disk.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "sml/catalog/models.hpp"
#include "sml/compose/cores.hpp"
#include "sml/cost/profile.hpp"

namespace sml::suggest {

// The profile of M's architecture at the input its composition states, or none with WHY_NOT set
// (no architecture, or it does not build). Layers keep what serving and operator checks read:
// op, FLOPs, MACs, parameters, elements moved, output shape. The cache lives under $SML_CACHE_DIR, else
// $XDG_CACHE_HOME/sml, else ~/.cache/sml (profiles/); it is keyed by the composition and the
// running binary, so a rebuilt tool or an edited architecture never reads a stale profile, and a
// cache that cannot be written is only slower.
// PART (issue 13) picks a part of a generation instead, for an architecture with `decode:`: the
// graph run once per request, or one decode step at the request's mean cache; none without one.
//
// A pipeline (a composition with `passes:`, Stable Diffusion) is profiled per query: each layer
// times its pass's runs. TRAINING, when given, is set to its work per training sample, which is
// not a query's: forward FLOPs of the parts that learn and of the frozen ones, each times its
// train_runs (no passes: unset, and training is the factor × the forward pass).
//
// FRAME, when given, is the image input's height and width in place of the architecture's own
// (sml-compose's --input-shape on an N×C×H×W input; an input of another rank keeps its shape).
struct TrainingWork {
  double trained_flops = 0, frozen_flops = 0;
};
using FrameSize = std::pair<std::int64_t, std::int64_t>;  // height, width
std::optional<cost::Profile> arch_profile(const catalog::CatalogModel& m, const std::string& catalog_dir, std::string& why_not,
                                          compose::DecodeMode::Part part = compose::DecodeMode::kNone,
                                          std::optional<TrainingWork>* training = nullptr,
                                          const std::optional<FrameSize>& frame = std::nullopt);

}  // namespace sml::suggest
