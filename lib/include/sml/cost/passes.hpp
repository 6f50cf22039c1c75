// How often each part of a pipeline in one graph runs (issue 13): Stable Diffusion's written
// model holds the text encoder, the UNet and the VAE, but one image runs the UNet 100 times and
// the VAE encoder never, and one training sample runs the UNet once and the frozen parts forward
// only. A composition states this in `passes:`; sml-compose carries it in the model's metadata
// (`sml.passes`, sml-formats(5)) so that sml-estimate costs the written model as sml-suggest
// costs its catalogue entry: one code path for both (STYLE.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"

namespace sml::cost {

// PassRun (one entry) is declared in profile.hpp: a profile read from a model carries its passes.

// The listed pass whose scope is the longest prefix of layer NAME's (NAME under "SCOPE."), or null:
// such a layer runs once per query and once, trained, per training sample.
const PassRun* pass_of(const std::vector<PassRun>& passes, const std::string& name);

// The metadata value sml-compose writes under `sml.passes`: a JSON list of
// {"scope", "runs", "train_runs", "frozen"} objects.
std::string passes_metadata(const std::vector<PassRun>& passes);
// Reads that value back. InputError naming WHERE (the model file) and `sml.passes` when it is not
// such a list (at most 16 entries, counts 0 … 1,000,000, scopes not empty and not repeated).
std::vector<PassRun> parse_passes_metadata(const std::string& text, const std::string& where);

// P as one query costs it: each layer's MACs, FLOPs, elements moved and activation bytes times
// the runs of its pass (a layer of a pass that runs 0 times costs nothing), totals summed again;
// the result lists no passes (its layers already carry them).
Profile per_query_profile(Profile p, const std::vector<PassRun>& passes);

// Forward FLOPs of one training sample under PASSES, in the parts that learn and the frozen ones,
// each layer times its pass's train_runs.
struct SampleFlops {
  double trained = 0, frozen = 0;
};
SampleFlops sample_flops(const Profile& p, const std::vector<PassRun>& passes);

// `profile.passes` of estimate/v1, from P (one run of each part) and its passes: one entry per
// pass {scope, runs, train_runs, frozen, params, macs, flops} (params and work of one run), and a
// last entry {scope: null, …} for the layers under no listed scope, when there are any.
Doc passes_doc(const Profile& p);

}  // namespace sml::cost
