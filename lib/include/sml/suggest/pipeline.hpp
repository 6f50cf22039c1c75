// The stages of sml-suggest, each a function over the list of candidates, so that each can be
// run and tested alone on a hand-made catalogue (STYLE.md: recommender pipelines):
//   read the task → generate candidates → cost them → check fits → rank → explain (document, advice).
// suggest() in suggest.cpp strings them together.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sml/catalog/advice.hpp"
#include "sml/catalog/family.hpp"
#include "sml/catalog/models.hpp"
#include "sml/cost/profile.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/doc.hpp"
#include "sml/footprint/op_support.hpp"
#include "sml/suggest/suggest.hpp"

namespace sml::suggest {

// Operator tables live in footprint (sml-estimate reads them too); the pipeline names them as its own.
using footprint::OpTable;
using footprint::OpVerdict;
using footprint::PoorBlock;
using footprint::check_ops;
using footprint::load_op_tables;
using footprint::op_key;
using footprint::op_table_for;

// The task/v1 fields sml-suggest reads.
struct Task {
  std::string id;                          // empty: sml-describe found no ML task (task: null)
  std::string reason;                      // why (task_reason, or describe's out-of-scope note)
  std::optional<double> confidence;
  std::vector<std::string> alternatives;   // the next tasks sml-describe considered
  std::vector<std::string> modalities, segments, objectives;
  std::optional<double> latency_s, throughput_fps, accuracy_min, memory_bytes, co2e_kg_max, energy_kwh_max,
      data_samples, data_bytes, classes, params_max, macs_max;
  std::string device, device_text, device_assumed, region;
  std::string training_device;             // training.device: the machine the text trains on
  // languages.{source,target} (ISO 639-1) and languages.count (how many the text names, when it
  // gives a number: "between about 30 languages").
  std::vector<std::string> source_languages, target_languages;
  std::optional<double> language_count;
  std::optional<double> queries_per_day, years;
  bool continuous = false;  // deployment.continuous: an always-on input stream
  // constraints.image_size_px: the width and height of the frames the text states (sml-describe).
  std::optional<std::pair<double, double>> image_size_px;
};

// Reads a task/v1 document; InputError naming NAME for anything else.
Task read_task(const std::string& text, const std::string& name);

// A three-valued verdict: known to hold, known not to, or not known.
enum class Fit { kYes, kNo, kUnknown };
const char* fit_name(Fit f);

struct Candidate {
  const catalog::CatalogModel* model = nullptr;
  std::string task;                                // the task it serves (an alternative's with --anyway)
  std::optional<catalog::FamilyFit> interpolated;  // a scaled core: quality from its family's fit
  std::string scaled_from;
  double scale = 1;
  std::string transfer_from, shared_segment;       // transfer candidates: the home task, its backbone or encoder
  std::vector<std::string> reusable_segments;      // every segment of the model the task needs too
  int frames = 0;                                  // a per-frame image encoder for a video task: frames per clip
  const catalog::Quality* quality = nullptr;
  std::string input_basis;                         // the stated frame its profile is at, where not the catalogue's input
  // Costs (expected values). Training: from scratch and, with pretrained weights, fine-tuning.
  std::optional<double> forward_flops;             // per query / training sample
  std::string forward_basis;
  // A pipeline's (passes:) forward FLOPs of one training sample in the parts that learn and in
  // the frozen ones, when they differ from a query's (Stable Diffusion: one UNet run, not 100).
  std::optional<double> train_trained_flops, train_frozen_flops;
  std::string train_basis;
  // The per-layer profile of its architecture (profiles.hpp), when it has one that builds: serving
  // is costed layer by layer from it, as sml-estimate costs the model sml-compose writes.
  std::shared_ptr<const cost::Profile> profile;
  std::string profile_note;                        // why there is none
  // A model that generates (its architecture has `decode:`): serving is the graph run once per
  // request, then one decode step (at the request's mean cache) per output token (issue 13).
  std::shared_ptr<const cost::Profile> once, step, after;  // after: once after the steps (SpeechT5's post-net and vocoder)
  std::string serving_basis;                       // how serving was costed (per layer or one pass)
  std::optional<double> scratch_co2, finetune_co2, scratch_kwh, finetune_kwh;
  // Serving on the deployment device, from lib/footprint (what sml-estimate computes).
  std::optional<double> latency_s, energy_kwh_per_query, serving_co2, serving_kwh, weight_bytes;
  std::optional<double> queries_per_day;  // the load it is costed on (plan's, or its own on a continuous stream)
  std::string serving_note;
  std::string cost_note;
  std::string schedule_note;                       // trained at more than the plan's epochs, and why
  // Fit: every constraint's verdict; fits is No if any is, Unknown if any is, else Yes.
  Fit fits = Fit::kYes;
  std::vector<std::string> violations, missing;
  bool model_unknown = false; // its own size (params, work) is missing: unknown wherever it runs
  bool wrong_kind = false;     // a misfit no device, budget or setting lifts: it does not handle the task's languages
  bool primary = true;         // the task is the model's first (home) task, not a secondary listing
  bool pareto = false;
  bool comparable = false;     // its quality is on the metric and data set ranking compares
  std::string why;             // one line: the reason for its rank

  std::optional<double> training_co2() const { return finetune_co2 ? finetune_co2 : scratch_co2; }
  // Life-cycle CO2e as the ranking uses it: training (fine-tune where possible) + serving.
  std::optional<double> lifecycle_co2() const;
  double cost_for_rank() const;
  // Serving time on the device per day (latency × the load it is costed on); ranks where energy is unknown.
  std::optional<double> device_s_per_day() const;
};

// The per-layer profiles (profiles.hpp) computed for one catalogue model: the profile, or none and
// why; a pipeline's work per training sample; a generating model's once-per-request part and
// decode step.
struct ModelProfiles {
  std::shared_ptr<const cost::Profile> profile;
  std::string note;
  std::optional<double> train_trained_flops, train_frozen_flops;
  std::shared_ptr<const cost::Profile> once, step, after;
};
// Those computed so far, by catalogue model. Lives as long as the catalogue it points into.
using ProfileMemo = std::map<const catalog::CatalogModel*, ModelProfiles>;

// What sml-suggest reads besides the task, loaded once: a caller that suggests for many tasks in
// one process (the fuzz harness) loads it once, and keeps the profiles computed for its models
// (not thread-safe: one caller at a time).
struct Catalogues {
  std::string catalog_dir;
  std::vector<describe::Task> taxonomy;
  std::vector<catalog::CatalogModel> models;
  std::vector<catalog::AdviceRule> rules;
  hw::DeviceCatalog devices;
  footprint::RegionCatalog regions;
  footprint::FootprintModel fmodel;
  std::vector<OpTable> op_tables;
  mutable ProfileMemo profiles;
};
// From OPTIONS' catalogue and hardware folders (defaults: the installed data).
Catalogues load_catalogues(const SuggestOptions& options);
// suggest() (suggest.hpp) over catalogues already loaded.
Doc suggest(const SuggestOptions& options, const Catalogues& catalogues);

// Everything the costing and fit stages need, resolved once.
struct Setting {
  std::string catalog_dir;                    // where architectures are read (per-layer profiles)
  ProfileMemo* profiles = nullptr;            // profiles computed so far (the catalogues')
  const hw::Device* train_device = nullptr;
  const hw::Device* serve_device = nullptr;   // null: the deployment device is not in the catalogue
  std::string serve_device_text;              // then its name as the task gave it
  bool serve_device_stand_in = false;         // serve_device stands in for serve_device_text
  const footprint::Region* region = nullptr;
  const footprint::FootprintModel* fmodel = nullptr;
  footprint::Context ctx;                     // region, intensity, PUE (device set per use)
  std::string precision;                      // training precision
  std::string serve_precision;
  std::string serve_precision_basis;   // why (usual_precision, device class, or --serve-precision)
  std::string runtime;                        // --runtime; empty: the serving device's usual one
  std::string runtime_id, runtime_basis;      // the runtime serving is costed under, and why
  std::optional<double> samples;              // training samples (stated, --samples or the task's typical size)
  std::optional<double> tokens_per_sample;    // text tasks: tokens per sample (typical)
  double finetune_epochs = 12, scratch_epochs = 72;
  double queries_per_day = 0, years = 0;      // serving load (stated or the stated default)
  // An always-on stream with no stated load: each candidate serves 86,400 s ÷ its own input
  // window a day (a 10.24 s clip: 8,437.5); one without a known window keeps queries_per_day.
  bool continuous_load = false;
  std::optional<double> latency_budget_s;     // stated, from a frame rate, or implied by the device class
  std::string latency_budget_basis;
  bool latency_budget_assumed = false;
  // The implied budget is the 'live' one (speed is the stated priority): a model that answers for
  // a stretch of recorded input (audio_s) is live when it keeps up with it (check_latency).
  bool latency_budget_live = false;
  // Live text from speech (captions, transcripts): how late the text may come after the words are
  // spoken (kLiveCaptionDelay_s); 0 where the task writes no text.
  double live_caption_delay_s = 0;
  // The frame size costed is not the task's but implied_frame_size()'s, listed under assumed[]
  // with this rationale where a candidate was costed at it (a segmentation network).
  bool frame_size_assumed = false;
  std::string frame_size_why;
  std::optional<double> memory_limit_bytes;   // the task's limit
  const OpTable* op_table = nullptr;          // the serving device's operator support, where known
  std::optional<double> macs_budget;          // stated (macs_max) or implied (implied_mac_budget)
  std::string macs_budget_basis;
  Doc assumed = Doc::list();                  // assumed[] of the document: what was not stated
  void assume(const std::string& key, const Doc& value, const std::string& why);
};

// The latency a deployment implies when the task states none (device class, kind of use).
struct ImpliedBudget {
  double latency_s = 0;
  std::string use;        // interactive, stream, batch…
  std::string rationale;  // with its source
  bool live = false;      // the live limit of a stated speed priority (Setting::latency_budget_live)
};
// Live captions: Ofcom's guideline for live subtitles, at most 3 s between the words spoken and
// their text on screen (Ofcom's first report on the quality of live subtitling, 30 April 2014, as
// summarised by EPRA, epra.org, 12 May 2014).
constexpr double kLiveCaptionDelay_s = 3.0;
extern const char* kLiveCaptionSource;
// A streaming recogniser cannot start on a word before the chunk of audio that holds it has been
// recorded: the first word of a chunk waits the chunk's length, then the processing. Of the
// delay above, the chunk takes its length and the model gets the rest. 1.0 s is the default
// --min-chunk-size of whisper_streaming (ufal/whisper_streaming, whisper_online.py; Machacek,
// Dabre and Bojar, 'Turning Whisper into Real-Time Transcription System', IJCNLP-AACL 2023 demo),
// the shortest default of the published Whisper streaming set-ups (whisper.cpp's stream example
// steps 3 s at a time by default, its step_ms in ggml-org/whisper.cpp examples/stream/stream.cpp,
// which alone spends the whole 3 s).
constexpr double kLiveStreamChunk_s = 1.0;
extern const char* kLiveStreamChunkSource;
// The task's objectives say no one waits for each answer ("overnight", "a nightly batch job"): its
// implied budget is its load's pace (86,400 s / queries a day), not a human response time.
bool batch_job(const Task& task);
// GENERATES: the answer is a text written token by token (generates_text()).
std::optional<ImpliedBudget> implied_latency_budget(const std::string& device_class, const Task& task, bool generates = false);
// The task's answer is a text written token by token: its taxonomy entry has a decoding or
// sampling segment (summarization, translation, captioning, text generation).
bool generates_text(const describe::Task& home);
// The task writes the text of speech: audio in, text out. The taxonomy lists a task's input
// modality first (speech recognition: audio, text; text-to-speech: text, audio).
bool transcribes_speech(const describe::Task& home);
// Where a phone publishes no speed, the image-model literature's mobile budget in MACs stands in
// for its latency (the value in latency_s's place is MACs).
std::optional<ImpliedBudget> implied_mac_budget(const hw::Device& device, const std::string& precision, const Task& task);

// The frame a camera stream delivers where the task states a frame rate but no frame size: the
// default of the camera software usual on the serving device (a Jetson: 1280x720), with its
// source; none where no such default is sourced. Listed under assumed[]; a stated size wins.
struct ImpliedFrame {
  std::pair<double, double> width_height;
  std::string rationale;
};
std::optional<ImpliedFrame> implied_frame_size(const hw::Device& device, const Task& task);

// The catalogue device that stands in for one the task names but the catalogue lacks: the one
// sharing the rarest product-line words with TEXT ("xeon server" → the catalogued Xeon), else the
// slowest of the class a word names ("laptop" → the slowest laptop-cpu); none when neither.
struct StandIn {
  const hw::Device* device = nullptr;
  std::string why;
};
std::optional<StandIn> stand_in_device(const std::string& text, const hw::DeviceCatalog& devices);

// Stage 1: models for the task, then transfer candidates (models of tasks with the same modality
// that have a backbone or encoder the task needs).
std::vector<Candidate> generate_candidates(const Task& task, const std::vector<catalog::CatalogModel>& models,
                                           const std::vector<describe::Task>& taxonomy);
// Shrunk or expanded cores (--scale): appended to CANDS, their models kept in SCALED.
void add_scaled(std::vector<Candidate>& cands, std::deque<catalog::CatalogModel>& scaled,
                const std::vector<catalog::CatalogModel>& models, const std::vector<std::pair<std::string, double>>& scales);

// Stage 2: training (scratch, fine-tune) and serving cost of every candidate.
void cost_candidates(std::vector<Candidate>& cands, const Task& task, Setting& setting);

// The same, each candidate at its own training schedule: the plan's epochs times its model's
// convergence factor (schedules.cpp).
void cost_at_own_schedules(std::vector<Candidate>& cands, const Task& task, Setting& setting);

// Stage 3: the task's constraints against each candidate.
void check_fits(std::vector<Candidate>& cands, const Task& task, const Setting& setting);

// Stage 4: the quality/cost Pareto front and the order, with a `why` per candidate.
struct RankOptions {
  std::string mode = "efficient";   // efficient | quality
  double tolerance = 0.05;          // on [0, 1] metrics; relative for metrics on other scales
  double error_tolerance = 0.15;    // lower-is-better metrics (error rates): a fraction of the best value
  // The band counts from the best comparable quality that costs at most this many times the
  // cheapest candidate within the tolerance of it (0: from the very best). See the man page.
  double reference_span = 10;
  // What the task's taxonomy says about measuring it (metric names and meanings, data scale): a
  // benchmark it names ("MMLU", "COCO") is the one quality is compared on, before the most common.
  std::string task_text;
};
// Returns what ranking compared on ("top1 on imagenet-1k-val"), empty when nothing was comparable.
std::string rank_candidates(std::vector<Candidate>& cands, const RankOptions& options);

// Stage 3½ (benchmarks.cpp): sets each direct candidate's `quality` to its figure on the
// benchmark (metric and data set) it shares with the most others, one the task's description
// (TASK_TEXT: RankOptions::task_text) names first; a model sharing none keeps its first figure.
void choose_benchmarks(std::vector<Candidate>& cands, const std::string& task_text);
// The words of TEXT, lower case, letters and digits only ("MMLU," → "mmlu").
std::set<std::string> word_set(const std::string& text);
// Does the task's description name the benchmark of Q? Its data set's first word ("mmlu" of
// mmlu-5shot, "coco" of coco-val2017, "imagenet" of imagenet-1k-val).
bool named_by_task(const catalog::Quality& q, const std::set<std::string>& task_words);
std::string benchmark_of(const catalog::Quality& q);  // "metric on dataset"

// Stage 5: the document's candidates (the first TOP) and the advice that applies.
Doc candidate_doc(const Candidate& c, int rank, const Task& task);
Doc advice_doc(const std::vector<catalog::AdviceRule>& rules, const std::vector<Candidate>& cands, const Task& task,
               const Setting& setting);

// Shared by the stages: a number as the messages print it.
std::string fmt_num(double v);
bool accuracy_like(const std::string& metric);
// A transfer candidate's reusable segments as words ("backbone and neck").
std::string segment_list(const Candidate& c);

}  // namespace sml::suggest
