// sml-suggest: the pipeline stages (pipeline.hpp) strung together over the catalogues, and the
// plan they run under — every input the task did not state is resolved here and listed in
// assumed[] with its reason.
#include "sml/suggest/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include "sml/describe/describe.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/units.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

// Training schedules: with a pretrained backbone, the "1x" COCO schedule is about 12 epochs; from
// random initialisation about 6x that to reach the same accuracy (He, Girshick and Dollár,
// "Rethinking ImageNet Pre-training", ICCV 2019). Defaults; --finetune-epochs/--scratch-epochs.
const char* kScheduleSource =
    "He, Girshick and Dollar, 'Rethinking ImageNet Pre-training', ICCV 2019 (arXiv:1811.08883): 1x schedule "
    "(~12 COCO epochs) with pretraining; from scratch ~6x to catch up";

const describe::Task* find_task(const std::vector<describe::Task>& taxonomy, const std::string& id) {
  for (const auto& t : taxonomy)
    if (t.id == id) return &t;
  return nullptr;
}

// Below this confidence sml-suggest declines. sml-describe marks tasks under 0.35 as low
// confidence (describe::kLowConfidence) but still names them, often rightly for short requests
// ("classify 20k photos of weeds…" scores about 0.3); requests it cannot place score under 0.1.
// Half its mark keeps the first suggested and declines the second. A judgement, overridable
// with --anyway, stated in the man page.
constexpr double kDeclineConfidence = 0.5 * describe::kLowConfidence;
// Where training is costed when neither --train-device nor the task says.
constexpr const char* kDefaultTrainDevice = "nvidia-a100-sxm4-40gb";

// A decline: exit 2 with one line, unless --anyway.
void decline_or_mark(const Task& task, const SuggestOptions& o, Doc& doc) {
  std::string reason;
  if (task.id.empty()) reason = "not an ML task: " + task.reason;
  else if (!task.reason.empty()) reason = task.reason;
  else if (task.confidence && *task.confidence < kDeclineConfidence)
    reason = "task '" + task.id + "' recognised with confidence " + fmt_num(*task.confidence) + " (below " +
             fmt_num(kDeclineConfidence) + "): restate the problem";
  if (reason.empty()) return;
  if (!o.anyway) throw InputError(display_name(o.task_path) + ": declined, " + reason + " (--anyway suggests regardless)");
  Doc c = Doc::map();
  c.set("level", "low");
  c.set("reason", reason);
  doc["confidence"] = c;
}

}  // namespace

void Setting::assume(const std::string& key, const Doc& value, const std::string& why) {
  Doc a = Doc::map();
  a.set("key", key);
  a.set("value", value);
  a.set("why", why);
  assumed.push(a);
}

Catalogues load_catalogues(const SuggestOptions& o) {
  const std::string catalog_dir = data_dir("catalog", o.catalog_dir);
  const std::string hw_dir = data_dir("hw", o.hw_dir);
  return Catalogues{catalog_dir,
                    describe::load_taxonomy(catalog_dir + "/tasks"),
                    catalog::load_models(catalog_dir + "/models"),
                    catalog::load_advice(catalog_dir + "/advice/rules.yaml"),
                    hw::DeviceCatalog::load(hw_dir + "/devices"),
                    footprint::RegionCatalog::load(catalog_dir + "/regions.yaml"),
                    footprint::FootprintModel::load(catalog_dir + "/footprint.yaml"),
                    load_op_tables(hw_dir + "/operator-support"),
                    {}};
}

Doc suggest(const SuggestOptions& o) {
  SuggestOptions read = o;  // the task read once (stdin cannot be read twice)
  if (read.task_text.empty()) read.task_text = read_input(o.task_path);
  (void)read_task(read.task_text, display_name(o.task_path));  // a bad task is refused before the catalogues are read
  return suggest(read, load_catalogues(read));
}

Doc suggest(const SuggestOptions& o, const Catalogues& cat) {
  const std::string text = o.task_text.empty() ? read_input(o.task_path) : o.task_text;
  const std::string source = display_name(o.task_path);
  const Task task = read_task(text, source);
  const std::string& catalog_dir = cat.catalog_dir;
  const auto& taxonomy = cat.taxonomy;
  if (!task.id.empty() && !find_task(taxonomy, task.id))
    throw InputError(source + ": task '" + task.id + "' is not in the catalogue (sml-suggest --list tasks)");
  Doc doc = new_document("suggestions/v1", "sml-suggest");
  decline_or_mark(task, o, doc);

  // With --anyway, the tasks to suggest for: the named one and sml-describe's alternatives.
  std::vector<Task> tasks;
  if (!task.id.empty()) tasks.push_back(task);
  if (doc.find("confidence"))
    for (const auto& alt : task.alternatives)
      if (const describe::Task* t = find_task(taxonomy, alt); t && alt != task.id) {
        Task a = task;
        a.id = alt;
        a.modalities = t->modalities;
        a.segments.clear();
        for (const auto& s : t->segments) a.segments.push_back(s.name);
        tasks.push_back(a);
      }
  if (tasks.empty()) throw InputError(source + ": declined, " + task.reason + " (no alternative task to suggest for)");
  const Task& main = tasks.front();
  const describe::Task& home = *find_task(taxonomy, main.id);

  const auto& models = cat.models;
  const auto& rules = cat.rules;
  const auto& devices = cat.devices;
  const auto& regions = cat.regions;
  const auto& fmodel = cat.fmodel;

  // The plan every candidate is costed under, stated in the document.
  Setting s;
  s.catalog_dir = catalog_dir;
  s.profiles = &cat.profiles;
  // The training device: the flag's, else the one the task names training on ("fine-tune it on an
  // A100 80GB"), else the default; a task's id the catalogue lacks falls back to the default.
  if (!o.train_device.empty()) s.train_device = &devices.find(o.train_device);
  else if (!main.training_device.empty()) {
    try {
      s.train_device = &devices.find(main.training_device);
    } catch (const InputError&) {
    }
  }
  if (!s.train_device) {
    s.train_device = &devices.find(kDefaultTrainDevice);
    // A training device the task names but the catalogue lacks is said, not silently replaced.
    if (!main.training_device.empty())
      s.assume("training.device", s.train_device->id, "'" + main.training_device +
               "' is not in the device catalogue: training is costed on the default (--train-device to choose)");
  }
  s.fmodel = &fmodel;
  // A device the task names but the catalogue lacks stays named, as unknown; one given as a flag
  // is the user's typo and refused.
  if (!o.device.empty()) {
    s.serve_device = &devices.find(o.device);
  } else if (!main.device.empty() || !main.device_text.empty()) {
    try {
      if (main.device.empty()) throw InputError("no catalogue id");
      s.serve_device = &devices.find(main.device);
      // A line of machines named ("an Intel NUC") was resolved to one model of it by sml-describe.
      if (!main.device_assumed.empty()) s.assume("deployment.device", main.device, main.device_assumed);
    } catch (const InputError&) {
      s.serve_device_text = main.device.empty() ? main.device_text : main.device;
      if (auto in = stand_in_device(s.serve_device_text, devices)) {
        s.serve_device = in->device;
        s.serve_device_stand_in = true;
        s.assume("deployment.device", in->device->id, "'" + s.serve_device_text + "' is not in the device catalogue: costed on " +
                 in->device->id + ", " + in->why + " (--device ID to choose)");
      }
    }
  } else {
    s.serve_device = s.train_device;
    s.assume("deployment.device", s.train_device->id, "the task names no deployment device: serving is costed on the training device");
  }
  const footprint::Region& region =
      !o.region.empty() ? regions.find(o.region) : main.region.empty() ? regions.find("WORLD") : [&]() -> const footprint::Region& {
    try {
      return regions.find(main.region);
    } catch (const InputError& e) {
      throw InputError(source + ": deployment.region: " + e.what());
    }
  }();
  if (o.region.empty() && main.region.empty()) s.assume("deployment.region", "WORLD", "the task names no region: the world-average grid");
  s.region = &region;
  s.ctx.model = &fmodel;
  s.ctx.region = &region;
  s.ctx.intensity = region.intensity;
  s.ctx.pue = region.pue ? *region.pue : regions.pue("unknown");
  s.precision = !o.precision.empty() ? o.precision : s.train_device->peak("fp16") ? "fp16" : "fp32";
  s.serve_precision = "fp32";
  std::string precision_basis;
  s.runtime = o.runtime;
  if (s.serve_device) {
    // The runtime every candidate is served under: the one sml-estimate picks for the device.
    const auto choice = footprint::choose_runtime(*s.serve_device, fmodel, o.runtime);
    s.runtime_id = choice.runtime->id;
    s.runtime_basis = choice.basis;
    if (o.runtime.empty()) s.assume("serving.runtime", choice.runtime->id, choice.basis + " (--runtime to change)");
    // The one serving-precision default of both tools (TensorRT fp16 on a Jetson, fp16 on a
    // datacenter GPU).
    const auto usual = footprint::usual_precision(*s.serve_device, choice);
    s.serve_precision = usual.precision;
    precision_basis = usual.basis;
  }
  if (!o.serve_precision.empty()) {
    s.serve_precision = o.serve_precision;
    precision_basis = "--serve-precision";
  } else if (s.serve_device) {
    s.assume("serving.precision", s.serve_precision, precision_basis + " (--serve-precision to change)");
  }
  s.serve_precision_basis = precision_basis;
  s.finetune_epochs = o.finetune_epochs;
  s.scratch_epochs = o.scratch_epochs;

  // Data size: stated, --samples, or the task's typical size (sourced, assumed).
  s.samples = o.samples ? o.samples : main.data_samples;
  // A volume of text ("2 GB of our legal contracts") in samples: about 4 bytes of English text per
  // token (OpenAI, "What are tokens and how to count them", help.openai.com, 2023: one token is
  // ~4 characters of common English text), divided by the task's tokens per sample.
  if (!s.samples && main.data_bytes && home.typical_tokens_per_sample && *home.typical_tokens_per_sample > 0) {
    constexpr double kBytesPerToken = 4;
    s.samples = std::floor(*main.data_bytes / kBytesPerToken / *home.typical_tokens_per_sample);
    s.assume("data_samples", *s.samples,
             fmt_num(*main.data_bytes / 1e9) + " GB of text at ~4 bytes per token (OpenAI's rule of thumb for English, 2023) in sequences of " +
                 fmt_num(*home.typical_tokens_per_sample) + " tokens (" + home.typical_source + ")");
  }
  if (!s.samples && home.typical_samples) {
    s.samples = home.typical_samples;
    s.assume("data_samples", *home.typical_samples,
             "the task states no data size: a typical set for " + home.id + " (" + home.typical_dataset + "; " + home.typical_source + ")");
  }
  if (!s.samples) throw InputError(catalog_dir + "/tasks: task " + home.id + " has no typical_data: give --samples");
  s.tokens_per_sample = home.typical_tokens_per_sample;
  if (s.tokens_per_sample)
    s.assume("tokens_per_sample", *s.tokens_per_sample, "typical sequence length for " + home.id + " (" + home.typical_source + ")");

  // Serving load: stated, flags, or from a frame rate (a stream runs all day), else the default.
  if (main.queries_per_day) s.queries_per_day = *main.queries_per_day;
  else if (o.queries_per_day) s.queries_per_day = *o.queries_per_day;
  else if (main.throughput_fps) {
    s.queries_per_day = *main.throughput_fps * 86400;
    s.assume("deployment.queries_per_day", s.queries_per_day, "a stream at " + fmt_num(*main.throughput_fps) + " frames/s, all day");
  } else if (main.continuous) {
    // An always-on input: each candidate runs on every window of its own input, all day
    // (cost_serving); the default stays for a candidate whose window the catalogue does not give.
    s.queries_per_day = kDefaultQueriesPerDay;
    s.continuous_load = true;
    s.assume("deployment.queries_per_day", s.queries_per_day,
             "an always-on stream (deployment.continuous): each candidate serves 86,400 s ÷ the seconds of input one query covers "
             "(its serving.audio_s) a day, given as its serving.queries_per_day; this default only where that window is not known");
  } else {
    s.queries_per_day = kDefaultQueriesPerDay;
    s.assume("deployment.queries_per_day", s.queries_per_day, "not stated: a default load to compare candidates on (--queries-per-day)");
  }
  s.years = main.years ? *main.years : o.years ? *o.years : kDefaultYears;
  if (!main.years && !o.years) s.assume("deployment.years", s.years, "not stated: one year of serving (--years)");

  // Latency budget: stated; a frame rate (seconds per frame); implied by the device; or none.
  if (o.latency_budget == "none") {
  } else if (!o.latency_budget.empty()) {
    s.latency_budget_s = parse_quantity(o.latency_budget, Quantity::kTime, "--latency-budget");
    s.latency_budget_basis = "--latency-budget";
  } else {
    if (main.latency_s) {
      s.latency_budget_s = main.latency_s;
      s.latency_budget_basis = "stated latency";
    }
    if (main.throughput_fps && (!s.latency_budget_s || 1 / *main.throughput_fps < *s.latency_budget_s)) {
      s.latency_budget_s = 1 / *main.throughput_fps;
      s.latency_budget_basis = fmt_num(*main.throughput_fps) + " frames/s";
    }
    // A batch job's budget comes from its load: the task's, else --queries-per-day (never the default).
    Task paced = main;
    if (!paced.queries_per_day && o.queries_per_day) paced.queries_per_day = o.queries_per_day;
    if (!s.latency_budget_s && s.serve_device && s.serve_device != s.train_device && batch_job(paced) && !paced.queries_per_day)
      s.assume("latency_s", Doc(), "a batch job (the task's objectives): no one waits for each answer and no load is stated, "
               "so no latency budget (--latency-budget to set one, --queries-per-day to pace the job)");
    if (!s.latency_budget_s && s.serve_device && s.serve_device != s.train_device)
      if (auto b = implied_latency_budget(s.serve_device->device_class, paced, generates_text(home))) {
        s.latency_budget_s = b->latency_s;
        s.latency_budget_basis = "implied: " + b->use;
        s.latency_budget_assumed = true;
        s.latency_budget_live = b->live;
        if (b->live && transcribes_speech(home)) s.live_caption_delay_s = kLiveCaptionDelay_s;
        s.assume("latency_s", b->latency_s, b->use + " (device class " + s.serve_device->device_class + "): " + b->rationale +
                 " (--latency-budget to change, none to drop)");
      }
  }
  if (main.macs_max) {
    s.macs_budget = main.macs_max;
    s.macs_budget_basis = "stated";
  } else if (s.serve_device) {
    if (auto b = implied_mac_budget(*s.serve_device, s.serve_precision, main)) {
      s.macs_budget = b->latency_s;
      s.macs_budget_basis = "implied: " + b->use;
      s.assume("macs_max", b->latency_s, b->use + ": " + b->rationale + " (state macs_max in the task to change)");
    }
  }
  s.memory_limit_bytes = main.memory_bytes;
  const auto& op_tables = cat.op_tables;
  if (s.serve_device) s.op_table = op_table_for(op_tables, *s.serve_device);
  if (s.serve_device && !s.serve_device->memory_bytes.value)
    s.assume("device.memory_bytes", Doc(), s.serve_device->id + " has no memory figure (" + s.serve_device->memory_bytes.reason +
             "): memory is checked only against the task's limit");
  s.assume("peak_activation_bytes", Doc(), "not in the catalogue: a model whose weights take under half the memory is taken to fit at batch 1; above that, its fit is unknown");

  // The stages.
  std::vector<Candidate> cands;
  for (const auto& t : tasks) {
    auto more = generate_candidates(t, models, taxonomy);
    for (auto& c : more)
      if (std::none_of(cands.begin(), cands.end(), [&](const Candidate& x) { return x.model == c.model; })) cands.push_back(c);
  }
  std::deque<catalog::CatalogModel> scaled;
  add_scaled(cands, scaled, models, o.scales);
  // A camera stream's frame where the task states none (implied_frame_size): costed, not stated.
  Task framed = main;
  if (s.serve_device)
    if (auto f = implied_frame_size(*s.serve_device, main)) {
      framed.image_size_px = f->width_height;
      s.frame_size_assumed = true;
      s.frame_size_why = f->rationale;
    }
  cost_at_own_schedules(cands, framed, s);
  RankOptions ro;
  ro.tolerance = o.quality_tolerance.value_or(kDefaultQualityTolerance);
  ro.error_tolerance = o.error_tolerance.value_or(kDefaultErrorTolerance);
  ro.reference_span = o.reference_span.value_or(kDefaultReferenceSpan);
  for (const auto& [name, meaning] : home.metrics) ro.task_text += name + " " + meaning + " ";
  ro.task_text += home.data_scale;
  choose_benchmarks(cands, ro.task_text);  // before the fits: an accuracy floor reads the figure compared
  check_fits(cands, main, s);
  std::string rank_basis;
  if (!o.rank.empty()) {
    ro.mode = o.rank;
    rank_basis = "--rank " + o.rank;
  } else if (!main.objectives.empty() && main.objectives.front() == "accuracy") {
    ro.mode = "quality";
    rank_basis = "the task's first objective is accuracy";
  } else {
    rank_basis = main.objectives.empty() ? "default" : "the task's first objective is " + main.objectives.front();
  }
  const std::string ranked_on = rank_candidates(cands, ro);

  Doc& t = doc["task"] = Doc::map();
  t.set("id", task.id.empty() ? Doc() : Doc(task.id));
  if (tasks.size() > 1) {
    Doc& also = t["also_for"] = Doc::list();
    for (std::size_t i = 1; i < tasks.size(); ++i) also.push(tasks[i].id);
  }
  t.set("source", source);
  Doc& plan = doc["plan"] = Doc::map();
  plan.set("train_device", s.train_device->id);
  plan.set("precision", s.precision);
  plan.set("serve_device", s.serve_device ? Doc(s.serve_device->id) : Doc());
  if (!s.serve_device_text.empty()) plan.set("serve_device_text", s.serve_device_text);
  if (!s.serve_device) plan.set("serve_device_note", "not in the device catalogue (sml-estimate --list devices): serving cost and latency unknown");
  if (s.serve_device_stand_in)
    plan.set("serve_device_note", "'" + s.serve_device_text + "' is not in the device catalogue: " + s.serve_device->id + " stands in for it");
  plan.set("serve_precision", s.serve_precision);
  if (!s.serve_precision_basis.empty()) plan.set("serve_precision_basis", s.serve_precision_basis);
  if (!s.runtime_id.empty()) {
    plan.set("serve_runtime", s.runtime_id);
    plan.set("serve_runtime_basis", s.runtime_basis);
  }
  if (s.op_table) plan.set("operator_support", s.op_table->runtime + ": " + s.op_table->source);
  plan.set("region", region.id);
  if (region.intensity) plan.set("kg_per_kwh", region.intensity->value);
  plan.set("pue", s.ctx.pue.value);
  plan.set("samples", *s.samples);
  plan.set("queries_per_day", s.queries_per_day);
  plan.set("years", s.years);
  plan.set("latency_budget_s", s.latency_budget_s ? Doc(*s.latency_budget_s) : Doc());
  if (s.latency_budget_s) plan.set("latency_budget_basis", s.latency_budget_basis);
  plan.set("finetune_epochs", o.finetune_epochs);
  plan.set("scratch_epochs", o.scratch_epochs);
  plan.set("epochs_source", kScheduleSource);
  plan.set("co2_basis", "expected values of lib/footprint (what sml-estimate computes): training 3 × forward FLOPs per sample × "
                        "samples × epochs; serving one forward pass per query (a model that generates: its encoder once and one decode step per output token) on the deployment device × queries_per_day × years");
  plan.set("rank", ro.mode);
  plan.set("rank_basis", rank_basis);
  plan.set("quality_tolerance", ro.tolerance);
  plan.set("error_tolerance", ro.error_tolerance);
  plan.set("reference_span", ro.reference_span > 0 ? Doc(ro.reference_span) : Doc());
  if (!ranked_on.empty()) plan.set("ranked_on", ranked_on);
  doc["assumed"] = s.assumed;
  Doc& list = doc["candidates"] = Doc::list();
  int rank = 0;
  for (const auto& c : cands) {
    if (rank >= o.top) break;
    list.push(candidate_doc(c, ++rank, main));
  }
  doc["advice"] = advice_doc(rules, cands, main, s);
  return doc;
}

}  // namespace sml::suggest
