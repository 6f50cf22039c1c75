// Costs the catalogue does not type in: every catalogue model that names an architecture is built
// shape-only (no weights drawn, no checker) and counted by lib/cost, so its params, MACs and FLOPs
// are derived from the graph at the input its composition states (issue 13). The result is the
// derived/v1 table catalog/derived.yaml (`sml-compose --derive-catalog`), which the catalogue
// loader reads and a ctest rebuilds and compares.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sml/catalog/models.hpp"
#include "sml/compose/composition.hpp"
#include "sml/compose/decode.hpp"
#include "sml/cost/profile.hpp"
#include "sml/io/doc.hpp"

namespace sml::compose {

// The profile of C at its stated input, without drawing a weight: fast for any size (Llama-2-13B
// included), and the same counts as the written model gives (the graph is the same).
cost::Profile profile_composition(const Composition& c);

// One listed pass of a composition (`passes:`) as counted: the layers under its scope, their
// parameters and their MACs for one run.
struct PassCost {
  std::string scope;
  std::int64_t runs = 1;
  std::int64_t train_runs = 1;
  bool frozen = false;
  std::int64_t params = 0;
  double macs = 0, flops = 0;
};

struct PerQuery {
  double macs = 0, flops = 0;    // every layer times its runs: the cost of one query (one image)
  // One training sample: forward FLOPs of the layers that learn and of the frozen ones, each
  // times its train_runs. Training costs (training_flops_factor × trained + frozen) per sample:
  // a frozen part is run forward (its output feeds the loss) but nothing flows back into it.
  double train_flops = 0, frozen_flops = 0;
  std::vector<PassCost> parts;   // in the order passes: lists them
};

// P's totals under C's passes: each layer's MACs and FLOPs times the runs (and train_runs) of the
// longest listed scope it sits under (once, trained, under none). InputError for a pass whose
// scope holds no layer.
PerQuery per_query(const Composition& c, const cost::Profile& p);
// P as one query costs it: each layer's MACs, FLOPs, elements moved and activations times its
// pass's runs (a layer of a pass that runs 0 times costs nothing), totals summed again. P itself
// when C lists no passes.
cost::Profile per_query_profile(const Composition& c, cost::Profile p);

struct DerivedCost {
  std::string id;            // catalogue model id
  std::string arch;          // catalog/archs/ARCH.yaml
  std::string input;         // what it is costed at: "input_ids 1x128 int64"
  std::int64_t params = 0;
  double macs = 0;
  double flops = 0;
  std::optional<double> flops_per_token;  // decoders: forward FLOPs ÷ tokens of the stated input
  double audio_s = 0;                     // speech models: seconds of audio the input covers (audio_s:)
  std::vector<std::string> uncounted;     // ops the profile could not count ("" when complete)
  std::optional<Generation> generation;   // with `decode:`: a request as encoder once + a step per token
};

// The composition catalogue model ID (or architecture NAME) is built from: catalog/archs/NAME.yaml,
// or the arch a catalogue entry names, with the entry's num_classes. InputError listing what is
// known otherwise, and naming the entry's reason when it has no architecture.
Composition catalog_composition(const std::string& id, const std::string& catalog_dir);
// The same for an entry already loaded (its arch must be set): no second read of the catalogue.
Composition for_model(const catalog::CatalogModel& m, const std::string& catalog_dir);

// Every catalogue entry with an architecture, built and counted. PROGRESS (may be empty) hears
// one line per entry.
std::vector<DerivedCost> derive_catalog(const std::string& catalog_dir, const std::function<void(const std::string&)>& progress = {});
Doc derived_doc(const std::vector<DerivedCost>& rows, const std::string& generator);

}  // namespace sml::compose
