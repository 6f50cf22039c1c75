// sml-suggest: the pipeline stages (pipeline.hpp) strung together over the catalogues.
#include "sml/suggest/suggest.hpp"

#include <algorithm>
#include <deque>

#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

// Training schedules: with a pretrained backbone, the "1x" COCO schedule is about 12 epochs; from
// random initialisation about 6x that to reach the same accuracy (He, Girshick and Dollár,
// "Rethinking ImageNet Pre-training", ICCV 2019). Defaults; --finetune-epochs/--scratch-epochs.
const char* kScheduleSource =
    "He, Girshick and Dollar, 'Rethinking ImageNet Pre-training', ICCV 2019 (arXiv:1811.08883): 1x schedule "
    "(~12 COCO epochs) with pretraining; from scratch ~6x to catch up";

}  // namespace

Doc suggest(const SuggestOptions& o) {
  const std::string text = o.task_text.empty() ? read_input(o.task_path) : o.task_text;
  const Task task = read_task(text, display_name(o.task_path));
  const std::string catalog_dir = data_dir("catalog", o.catalog_dir);
  const auto taxonomy = describe::load_taxonomy(catalog_dir + "/tasks");
  if (std::none_of(taxonomy.begin(), taxonomy.end(), [&](const describe::Task& t) { return t.id == task.id; }))
    throw InputError(display_name(o.task_path) + ": task '" + task.id + "' is not in the catalogue (sml-suggest --list tasks)");
  const auto models = catalog::load_models(catalog_dir + "/models");
  const auto rules = catalog::load_advice(catalog_dir + "/advice/rules.yaml");
  const auto devices = hw::DeviceCatalog::load(data_dir("hw", o.hw_dir) + "/devices");
  const auto regions = footprint::RegionCatalog::load(catalog_dir + "/regions.yaml");
  const auto fmodel = footprint::FootprintModel::load(catalog_dir + "/footprint.yaml");

  // The plan every candidate is costed under, stated in the document.
  const hw::Device& train_device = devices.find(o.train_device);
  // An id from the task document is the document's error, named as such; one from a flag is not.
  auto from_task = [&](const std::string& key, auto&& lookup) -> decltype(lookup()) {
    try {
      return lookup();
    } catch (const InputError& e) {
      throw InputError(display_name(o.task_path) + ": " + key + ": " + e.what());
    }
  };
  const hw::Device& serve_device =
      !o.device.empty() ? devices.find(o.device)
      : task.device.empty() ? train_device
      : from_task("deployment.device", [&]() -> const hw::Device& { return devices.find(task.device); });
  const footprint::Region& region =
      !o.region.empty() ? regions.find(o.region)
      : task.region.empty() ? regions.find("WORLD")
      : from_task("deployment.region", [&]() -> const footprint::Region& { return regions.find(task.region); });
  std::string precision = o.precision;
  if (precision.empty()) precision = train_device.peak("fp16") ? "fp16" : "fp32";
  const std::optional<double> samples = o.samples ? o.samples : task.data_samples;
  footprint::Context ctx;
  ctx.model = &fmodel;
  ctx.region = &region;
  ctx.intensity = region.intensity;
  ctx.pue = region.pue ? *region.pue : regions.pue("unknown");

  Setting setting;
  setting.train_device = &train_device;
  setting.serve_device = &serve_device;
  setting.region = &region;
  setting.fmodel = &fmodel;
  setting.ctx = ctx;
  setting.precision = precision;
  setting.samples = samples;
  setting.finetune_epochs = o.finetune_epochs;
  setting.scratch_epochs = o.scratch_epochs;

  std::vector<Candidate> cands = generate_candidates(task, models, taxonomy);
  std::deque<catalog::CatalogModel> scaled;
  add_scaled(cands, scaled, models, o.scales);
  cost_candidates(cands, task, setting);
  check_fits(cands, task, setting);
  const std::string metric = rank_candidates(cands);

  Doc doc = new_document("suggestions/v1", "sml-suggest");
  Doc& t = doc["task"] = Doc::map();
  t.set("id", task.id);
  t.set("source", display_name(o.task_path));
  Doc& plan = doc["plan"] = Doc::map();
  plan.set("train_device", train_device.id);
  plan.set("precision", precision);
  plan.set("serve_device", serve_device.id);
  plan.set("region", region.id);
  if (region.intensity) plan.set("kg_per_kwh", region.intensity->value);
  plan.set("pue", ctx.pue.value);
  plan.set("samples", samples ? Doc(*samples) : Doc());
  plan.set("finetune_epochs", o.finetune_epochs);
  plan.set("scratch_epochs", o.scratch_epochs);
  plan.set("epochs_source", kScheduleSource);
  plan.set("co2_basis", "expected values of the sml-estimate model (3 × 2 × MACs FLOPs per sample); serving: roofline latency × device power × PUE over queries_per_day × years");
  if (!metric.empty()) plan.set("ranked_on", "fits, then the " + metric + "/CO2e Pareto front, then " + metric);
  Doc& list = doc["candidates"] = Doc::list();
  int rank = 0;
  for (const auto& c : cands) {
    if (rank >= o.top) break;
    list.push(candidate_doc(c, ++rank, task));
  }
  doc["advice"] = advice_doc(rules, cands, task, setting);
  return doc;
}

}  // namespace sml::suggest
