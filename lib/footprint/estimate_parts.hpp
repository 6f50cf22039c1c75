// What estimate() shares with the files it drives. estimate.cpp loads the model and drives the
// rest: estimate_sections.cpp decides which sections a plan wants and computes them (training, one
// query's cost, serving, the life-cycle sum); estimate_docs.cpp writes each section into the
// estimate/v1 document; estimate_compare.cpp runs the --compare what-ifs and estimate_gates.cpp
// the --max-* gates.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/op_support.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/doc.hpp"

namespace sml::footprint::detail {

// The batch the profile was counted at: --batch sets only a symbolic leading dim, so a model that
// fixes its first input's leading dim (sml-compose writes batch 1) was profiled at that dim, and a
// training step there covers that many samples, not --batch (which would shorten the run N-fold).
// No --batch: 1, whatever the leading dim (it may be a length: a sequence-first LSTM's [seq, batch,
// feat]), so an --input-shape alone sets no batch; give --batch or --serve-batch with it.
std::int64_t profiled_batch(const cost::Profile& profile, std::int64_t requested);

// Catalogues, read once and only when the plan needs them.
struct Data {
  const EstimateOptions& options;
  std::optional<hw::DeviceCatalog> devices;
  std::optional<RegionCatalog> regions;
  std::optional<FootprintModel> model;
  std::vector<hw::Device> profiles;  // hwprofile/v1 files given as --device

  const hw::DeviceCatalog& device_catalog();
  const RegionCatalog& region_catalog();
  const FootprintModel& footprint_model();
  // An id from the catalogue, or a file written by sml-accelsim --emit-hwprofile.
  const hw::Device& device(const std::string& spec);
};

struct Loaded {
  std::optional<cost::Profile> profile;          // at the training batch
  std::optional<cost::Profile> serving_profile;  // at the serving batch
  std::optional<cost::Profile> step_profile;     // --decoder-step: one decode step, at the serving batch
  std::optional<cost::Profile> after_profile;    // --after-steps: once after the steps
  std::int64_t batch = 1;
  // The batch queries are served at: --serve-batch, else the profiled batch, where the model's first
  // input takes it (a fixed dim 0 keeps its own, with a warning).
  std::int64_t serve_batch = 1;
};

struct Sections {
  std::optional<TrainingEstimate> training;
  std::optional<InferenceEstimate> inference;
  std::optional<ServingEstimate> serving;
  Context ctx;        // the training device (or the serving device when nothing is trained)
  Context serve_ctx;  // the serving device
};

// Which sections a plan asks for (estimate_sections.cpp, as are compute and lifecycle).
bool wants_training(const Plan& p);
bool wants_serving(const Plan& p);
bool wants_llm_serving(const EstimateOptions& o);
bool serving_flags(const EstimateOptions& o);

// --task TASK.yaml: the deployment device it states, if any.
std::string task_device(const std::string& path);

// TRAIN may be null (nothing trained); SERVE is the device queries run on.
Sections compute(Data& data, const Loaded& loaded, const hw::Device* train, const hw::Device& serve, const std::string& region);

// Life-cycle CO2e: training + serving + embodied (when the device has an embodied figure).
struct Lifecycle {
  bool present = false;  // a training or serving plan was given
  std::optional<Range> training, serving, embodied, total;
  std::optional<Range> energy_kwh;  // unknown when a part's energy is unknown: never a part left out
  std::string embodied_note, energy_note;
};

Lifecycle lifecycle(const Sections& s);

// The sections as estimate/v1 writes them (estimate_docs.cpp).
Doc optional_range(const std::optional<Range>& r);
Doc training_doc(const TrainingEstimate& t, const Context& ctx, const Plan& plan);
Doc inference_doc(const InferenceEstimate& i, const Context& ctx);
Doc serving_doc(const ServingEstimate& serving, const Plan& plan);
Doc lifecycle_doc(const Lifecycle& l);

// What-ifs: the same plan on other devices and in other regions, sorted by CO2e (doc.compare).
void add_compare(Doc& doc, Data& data, const Loaded& loaded, const hw::Device* train, const std::string& serve_id);

// The --max-* gates (doc.gates): a verdict line each, and result.over_budget when one fails.
void add_gates(Doc& doc, EstimateResult& result, const EstimateOptions& o, const Loaded& loaded, const Sections& s,
               const Lifecycle& l, const std::optional<OpSupport>& ops, const hw::Device& serve);

}  // namespace sml::footprint::detail
