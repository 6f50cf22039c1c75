// Stage 1: candidate generation — the catalogue's models for the task, transfer candidates from
// neighbouring tasks that share a reusable segment, and shrunk or expanded cores (--scale).
#include <algorithm>
#include <set>

#include "sml/io/error.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {

namespace {
// A video task that needs a spatial encoder can run an image classifier on each sampled frame and
// average the frames' scores (temporal segment networks: Wang et al., 'Temporal Segment Networks',
// ECCV 2016): the image model is the spatial encoder, its own classifier the head, the mean over
// frames the temporal model. Costed as kFramesPerClip × one frame (costing.cpp). 8 frames per clip
// is what TSN's and TSM's Kinetics set-ups sample (Lin, Gan and Han, 'TSM', ICCV 2019: TSN 8f and
// TSM 8f rows); a judgement for the user's clips, stated with each candidate.
constexpr int kFramesPerClip = 8;

void add_per_frame(const Task& task, const std::vector<catalog::CatalogModel>& models, const std::set<std::string>& taken,
                   std::vector<Candidate>& cands) {
  const bool video = std::count(task.modalities.begin(), task.modalities.end(), "video") > 0;
  if (!video || !std::count(task.segments.begin(), task.segments.end(), "spatial-encoder")) return;
  for (const auto& m : models) {
    // An image classifier with an architecture (so one frame is profiled as sml-compose builds it).
    if (taken.count(m.id) || m.tasks.empty() || m.tasks.front() != "image-classification" || m.arch.empty() || !m.macs) continue;
    Candidate c;
    c.model = &m;
    c.task = task.id;
    c.transfer_from = m.tasks.front();
    c.primary = false;
    c.shared_segment = "backbone";
    c.reusable_segments = {"backbone"};
    c.frames = kFramesPerClip;
    cands.push_back(std::move(c));
  }
}
}  // namespace

std::vector<Candidate> generate_candidates(const Task& task, const std::vector<catalog::CatalogModel>& models,
                                           const std::vector<describe::Task>& taxonomy) {
  // Models for the task, then models of tasks with the same modality whose functional segments
  // include one the task needs (a backbone or encoder to reuse: knowledge transfer).
  std::vector<Candidate> cands;
  std::set<std::string> taken;
  auto home_of = [&](const catalog::CatalogModel& m) -> const describe::Task* {
    for (const auto& t : taxonomy)
      if (t.id == m.tasks.front()) return &t;
    return nullptr;
  };
  // A segment reused from another task must read what this task reads: the home task's input
  // (its first modality; the taxonomy lists the input first) is among the task's modalities.
  // Sharing only an output (a speech recogniser writes text) does not make its encoder reusable
  // for a text task.
  auto shares_modality = [&](const describe::Task* home) {
    return !home || task.modalities.empty() || home->modalities.empty() ||
           std::count(task.modalities.begin(), task.modalities.end(), home->modalities.front()) > 0;
  };
  for (const auto& m : models)
    if (std::count(m.tasks.begin(), m.tasks.end(), task.id)) {
      // A model listed for the task but reading another kind of input (Whisper's speech
      // translation for a text translation task) is not a candidate: its home task's first
      // modality (the taxonomy lists the input first) says what it reads.
      // A model that says what it reads (input.reads) is judged by that instead: CLIP is listed
      // for zero-shot classification, whose first modality is text, but classifies an image, so it
      // is a candidate where the statement's input is images (sml-describe narrows `modalities` to
      // the input it names) and none where it is text.
      const describe::Task* home = home_of(m);
      const std::string reads = !m.reads.empty() ? m.reads.front() : home && !home->modalities.empty() ? home->modalities.front() : "";
      if (!reads.empty() && !task.modalities.empty() && !std::count(task.modalities.begin(), task.modalities.end(), reads))
        continue;
      Candidate c;
      c.model = &m;
      c.task = task.id;
      c.primary = m.tasks.front() == task.id;
      cands.push_back(std::move(c));
      taken.insert(m.id);
    }
  for (const auto& m : models) {
    if (taken.count(m.id)) continue;
    const describe::Task* home = home_of(m);
    if (!home || task.modalities.empty() || !shares_modality(home)) continue;
    // Reusable: every segment of the model that the task needs too (a detector's backbone and
    // neck for a segmentation task), provided a backbone or encoder is among them.
    auto needed = [&](const std::string& name) { return std::count(task.segments.begin(), task.segments.end(), name) > 0; };
    std::vector<std::string> reusable;
    for (const auto& s : m.segments)
      if (needed(s.name) && !std::count(reusable.begin(), reusable.end(), s.name)) reusable.push_back(s.name);
    auto core = std::find_if(reusable.begin(), reusable.end(), [](const std::string& n) { return n == "backbone" || n == "encoder"; });
    if (core == reusable.end()) continue;
    Candidate c;
    c.model = &m;
    c.task = task.id;
    c.transfer_from = home->id;
    c.primary = false;
    c.shared_segment = *core;
    c.reusable_segments = reusable;
    cands.push_back(c);
  }
  add_per_frame(task, models, taken, cands);
  return cands;
}

void add_scaled(std::vector<Candidate>& cands, std::deque<catalog::CatalogModel>& scaled,
                const std::vector<catalog::CatalogModel>& models, const std::vector<std::pair<std::string, double>>& scales) {
  // The model with MACs and parameters × the factor (a width multiplier w scales both by about
  // w²), its quality read off the family's fit.
  for (const auto& spec : scales) {
    const std::string id = spec.first;  // named copies: lambdas below capture them (C++17)
    const double factor = spec.second;
    auto base = std::find_if(models.begin(), models.end(), [&](const catalog::CatalogModel& m) { return m.id == id; });
    if (base == models.end()) throw InputError("--scale " + id + ": no such model (sml-suggest --list models)");
    if (factor <= 0) throw InputError("--scale " + id + ": the factor must be more than 0");
    if (!base->macs || base->quality.empty() || base->family.empty())
      throw InputError("--scale " + id + ": needs a model with MACs, a published quality and a family");
    auto fit = catalog::fit_family(models, base->family, base->quality.front().metric, base->quality.front().dataset);
    if (!fit) throw InputError("--scale " + id + ": family '" + base->family + "' has fewer than three members with " +
                               base->quality.front().metric + " on " + base->quality.front().dataset);
    catalog::CatalogModel m = *base;
    m.id = id + "@" + fmt_num(factor) + "x";
    m.name = base->name + " scaled " + fmt_num(factor) + "x";
    m.macs = *base->macs * factor;
    if (base->params) m.params = *base->params * factor;
    m.pretrained.clear();  // a reshaped core has no published weights: trained from scratch
    catalog::Quality q = base->quality.front();
    q.value = std::clamp(fit->at(*m.macs), 0.0, 1.0);
    q.source = "interpolated along the " + base->family + " family (least squares on log10 MACs over " +
               std::to_string(fit->members.size()) + " members, R² " + fmt_num(fit->r2) + ")";
    m.quality = {q};
    scaled.push_back(std::move(m));
    Candidate c;
    c.model = &scaled.back();
    c.task = base->tasks.front();
    c.interpolated = fit;
    c.scaled_from = id;
    c.scale = factor;
    cands.push_back(std::move(c));
  }
}

}  // namespace sml::suggest
