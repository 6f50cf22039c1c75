// The stages of sml-suggest, each a function over the list of candidates, so that each can be
// run and tested alone on a hand-made catalogue (STYLE.md: recommender pipelines):
//   read the task → generate candidates → cost them → check fits → rank → explain (document, advice).
// suggest() in suggest.cpp strings them together.
#pragma once
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sml/catalog/advice.hpp"
#include "sml/catalog/family.hpp"
#include "sml/catalog/models.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/doc.hpp"
#include "sml/suggest/suggest.hpp"

namespace sml::suggest {

// The task/v1 fields sml-suggest reads.
struct Task {
  std::string id;
  std::vector<std::string> modalities, segments;
  std::optional<double> latency_s, accuracy_min, memory_bytes, co2e_kg_max, data_samples, classes;
  std::string device, region;
  std::optional<double> queries_per_day, years;
};

// Reads a task/v1 document; InputError naming NAME for anything else.
Task read_task(const std::string& text, const std::string& name);

struct Candidate {
  const catalog::CatalogModel* model = nullptr;
  std::optional<catalog::FamilyFit> interpolated;  // a scaled core: quality from its family's fit
  std::string scaled_from;
  double scale = 1;
  std::string transfer_from, shared_segment;       // transfer candidates
  const catalog::Quality* quality = nullptr;
  std::optional<double> scratch_co2, finetune_co2, scratch_kwh, finetune_kwh, serving_co2, latency_s;
  std::string cost_note;
  std::vector<std::string> violations;
  bool pareto = false;
  double cost_for_rank() const;
};

// Everything the costing and fit stages need, resolved once.
struct Setting {
  const hw::Device* train_device = nullptr;
  const hw::Device* serve_device = nullptr;
  const footprint::Region* region = nullptr;
  const footprint::FootprintModel* fmodel = nullptr;
  footprint::Context ctx;                 // region, intensity, PUE (device set per use)
  std::string precision;
  std::optional<double> samples;
  double finetune_epochs = 12, scratch_epochs = 72;
};

// Stage 1: models for the task, then transfer candidates (models of tasks with the same modality
// that have a backbone or encoder the task needs).
std::vector<Candidate> generate_candidates(const Task& task, const std::vector<catalog::CatalogModel>& models,
                                           const std::vector<describe::Task>& taxonomy);
// Shrunk or expanded cores (--scale): appended to CANDS, their models kept in SCALED.
void add_scaled(std::vector<Candidate>& cands, std::deque<catalog::CatalogModel>& scaled,
                const std::vector<catalog::CatalogModel>& models, const std::vector<std::pair<std::string, double>>& scales);

// Stage 2: training (scratch, fine-tune) and serving cost of every candidate.
void cost_candidates(std::vector<Candidate>& cands, const Task& task, Setting& setting);

// Stage 3: the task's constraints against each candidate.
void check_fits(std::vector<Candidate>& cands, const Task& task, const Setting& setting);

// Stage 4: the quality/cost Pareto front and the order. Returns the metric ranked on.
std::string rank_candidates(std::vector<Candidate>& cands);

// Stage 5: the document's candidates (the first TOP) and the advice that applies.
Doc candidate_doc(const Candidate& c, int rank, const Task& task);
Doc advice_doc(const std::vector<catalog::AdviceRule>& rules, const std::vector<Candidate>& cands, const Task& task,
               const Setting& setting);

// Shared by the stages: a number as the messages print it.
std::string fmt_num(double v);
bool accuracy_like(const std::string& metric);

}  // namespace sml::suggest
