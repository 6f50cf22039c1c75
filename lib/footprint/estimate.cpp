// estimate(): loads the model, profiles it, then has the plan's sections computed, written, compared
// and gated (estimate_parts.hpp says which file does which).
#include <algorithm>
#include "sml/footprint/estimate.hpp"

#include "estimate_parts.hpp"

#include "sml/cost/passes.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/footprint/op_support.hpp"
#include "sml/footprint/report.hpp"

namespace sml::footprint {

using namespace detail;

EstimateResult estimate(const EstimateOptions& given) {
  // The task's request and answer lengths are defaults of --prompt-tokens / --output-tokens: applied
  // here, before anything asks whether an LLM is served, so every caller of estimate() gets them.
  EstimateOptions o = given;
  if (!o.task_path.empty()) task_token_defaults(o.task_path, o.serving);
  EstimateResult result;
  Data data{o, {}, {}, {}, {}};
  Loaded loaded;
  Doc doc = new_document("estimate/v1", "sml-estimate");
  const bool any_plan = !o.device.empty() || wants_training(o.plan) || wants_serving(o.plan) || !o.gates.empty() ||
                        !o.compare_devices.empty() || !o.compare_regions.empty() || serving_flags(o);

  if (!o.model_path.empty()) {
    const graph::Model model = graph::load_model(o.model_path);
    Doc& m = doc["model"] = Doc::map();
    m.set("file", display_name(o.model_path));
    m.set("ir_version", Doc(static_cast<long long>(model.ir_version)));
    m.set("opset", Doc(static_cast<long long>(model.opset(""))));
    if (!model.producer_name.empty())
      m.set("producer", model.producer_name + (model.producer_version.empty() ? "" : " " + model.producer_version));
    loaded.profile = cost::profile_model(model, o.infer);
    loaded.batch = profiled_batch(*loaded.profile, o.infer.batch);
    // A pipeline in one graph (sml.passes): the profile printed and served is one query's (each
    // part times its runs); training keeps one run of each part and weighs it by train_runs.
    const std::vector<cost::PassRun> passes = loaded.profile->passes;
    Doc profile_doc = cost::profile_to_doc(cost::per_query_profile(*loaded.profile, passes), o.layers);
    if (!passes.empty()) profile_doc.set("passes", cost::passes_doc(*loaded.profile));
    doc.set("profile", profile_doc);
    if (any_plan) {
      // Queries are served at --serve-batch, else at --batch (the profiled batch).
      const std::int64_t serve_batch = o.serve_batch.value_or(loaded.batch);
      loaded.serve_batch = serve_batch;
      if (serve_batch == loaded.batch) {
        loaded.serving_profile = cost::per_query_profile(*loaded.profile, passes);
      } else {
        graph::InferOptions at = o.infer;
        at.batch = serve_batch;
        const cost::Profile served = cost::profile_model(model, at);
        // A first input whose dim 0 is fixed (sml-compose writes 1) runs at that batch whatever
        // --serve-batch says: cost what runs and say so, never batch / the batch-1 latency.
        loaded.serve_batch = profiled_batch(served, at.batch);
        if (loaded.serve_batch != serve_batch) {
          const std::string& first = served.inputs.front().first;
          const bool shaped = at.input_shapes.count(first) > 0;  // fixed by the user's --input-shape
          result.verdicts.push_back("warning: --serve-batch " + std::to_string(serve_batch) + " not applied: input '" + first + "' has its dim 0 fixed at " +
                                    std::to_string(loaded.serve_batch) + (shaped ? " by --input-shape" : " by the model (use --input-shape to override)") +
                                    "; serving is costed at batch " + std::to_string(loaded.serve_batch));
        }
        loaded.serving_profile = cost::per_query_profile(served, passes);
      }
      if (!o.step_model_path.empty()) {  // one decode step, run once per generated token (issue 13)
        graph::InferOptions at = o.infer;
        at.batch = serve_batch;
        loaded.step_profile = cost::profile_model(graph::load_model(o.step_model_path), at);
        if (!loaded.step_profile->uncounted.empty())
          result.verdicts.push_back("warning: the decode step has " + std::to_string(loaded.step_profile->uncounted.size()) +
                                    " op types uncounted: its time and energy are low");
      }
      if (!o.after_model_path.empty()) {  // once after the steps, over every frame they produced
        if (o.step_model_path.empty()) throw UsageError("--after-steps runs after the decode steps: give --decoder-step too");
        graph::InferOptions at = o.infer;
        at.batch = serve_batch;
        loaded.after_profile = cost::profile_model(graph::load_model(o.after_model_path), at);
      }
      if (!loaded.profile->uncounted.empty())
        result.verdicts.push_back("warning: " + std::to_string(loaded.profile->uncounted.size()) +
                                  " op types are uncounted (profile.total.uncounted_nodes): time and energy are low");
    }
  } else if (o.parametric) {
    if (!o.step_model_path.empty()) throw UsageError("--decoder-step is the decode step of an ONNX model: give the model's once-per-request graph too");
    Doc& m = doc["model"] = Doc::map();
    m.set("params", o.parametric->params);
    m.set("active_params", o.parametric->active_params);
    if (o.parametric->flops_per_token) m.set("flops_per_token", *o.parametric->flops_per_token);
    if (const double a = attention_flops_per_token(*o.parametric); a > 0 && !o.parametric->flops_per_token) {
      m.set("layers", *o.parametric->layers);
      m.set("attention_width", *o.parametric->attention_width);
      m.set("train_seq_len", *o.parametric->train_seq_len);
      m.set("attention_flops_per_token", a);  // forward; training counts training_flops_factor × this
    }
  } else {
    throw UsageError("give an ONNX model, or --params N for a model known by its size");
  }
  if (o.plan.devices < 1) throw InputError("--devices must be at least 1");
  if (!any_plan) {
    if (!o.baseline_path.empty()) doc.set("baseline", baseline_diff(doc, o.baseline_path));
    return EstimateResult{doc, false, result.verdicts};
  }
  // Serving runs on --serve-device, else the task's deployment device, else the training device.
  std::string serve_id = o.serve_device;
  if (serve_id.empty() && !o.task_path.empty()) serve_id = task_device(o.task_path);
  if (serve_id.empty()) serve_id = o.device;
  if (serve_id.empty()) throw UsageError("a footprint estimate needs --device ID (see --list devices)");
  const hw::Device* train = o.device.empty() ? nullptr : &data.device(o.device);
  const hw::Device& serve = data.device(serve_id);
  const Sections s = compute(data, loaded, train, serve, o.region);
  if (s.training) doc.set("training", training_doc(*s.training, s.ctx, o.plan));
  if (s.inference) doc.set("inference", inference_doc(*s.inference, s.serve_ctx));
  if (s.inference && !s.inference->capacity_note.empty()) result.verdicts.push_back("warning: " + s.inference->capacity_note);
  // LLM request options that only an inference section uses: given without one, say so rather than
  // exit 0 as if they had been priced (as --serve-batch says when it is not applied).
  if (!s.inference) {
    std::vector<std::string> unused;
    if (o.serving.beam_width != 1) unused.push_back("--beam-width");
    if (o.serving.concurrency != 1) unused.push_back("--concurrency");
    if (o.serving.prompt_tokens) unused.push_back("--prompt-tokens");
    if (o.serving.output_tokens) unused.push_back("--output-tokens");
    if (!unused.empty()) {
      std::string list;
      for (const auto& f : unused) list += (list.empty() ? "" : ", ") + f;
      result.verdicts.push_back("warning: " + list + " not applied: no inference section (they price LLM requests of a model given by "
                                "--params, with --prompt-tokens/--output-tokens)");
    }
  }
  // Figures worked from a profile that left nodes uncounted or counted both branches of an If rest
  // on what was not counted or assumed: each section says so itself, not only stderr and
  // profile.coverage (a third-party LSTM export with a symbolic sequence counted 0 MACs and printed
  // a plain 0.5 ms). A defaulted batch is no gap here: the plan's batch sets it.
  // Only defaulted batch dims are recorded (graph/infer.cpp: a symbolic dim past 0 leaves its nodes
  // uncounted), so dropping them leaves uncounted nodes and assumed If branches. Serving also runs
  // the decode step and the after-steps graph: their gaps are the inference section's too.
  const auto gaps_of = [](const std::optional<cost::Profile>& p, const std::string& which) -> std::string {
    if (!p) return "";
    cost::Coverage c = p->coverage;
    c.defaulted_dims.clear();
    const std::string g = c.gaps();
    return g.empty() ? "" : which + g;
  };
  const auto joined = [](std::vector<std::string> parts) {
    std::string out;
    for (const auto& part : parts)
      if (!part.empty()) out += (out.empty() ? "" : "; ") + part;
    return out;
  };
  const std::string train_gaps = gaps_of(loaded.profile, "");
  const std::string serve_gaps = joined({gaps_of(loaded.serving_profile, ""), gaps_of(loaded.step_profile, "decode step: "),
                                         gaps_of(loaded.after_profile, "after the steps: ")});
  const auto mark = [&doc](const char* section, const std::string& gaps) {
    if (!gaps.empty() && doc.find(section)) doc[section].set("coverage", "incomplete: " + gaps + " (the figures count only what was counted)");
  };
  mark("training", train_gaps);
  mark("inference", serve_gaps);
  // A device whose runtime runs only some operators (hw/operator-support): the latency above runs
  // every op on its accelerator, so say which ops it lacks or maps poorly and whether that holds.
  std::vector<OpTable> op_tables;  // outlives `ops`, which points into it
  std::optional<OpSupport> ops;
  if (s.inference && loaded.serving_profile) {
    op_tables = load_op_tables(data_dir("hw", o.hw_dir) + "/operator-support");
    if (const OpTable* t = op_table_for(op_tables, serve)) {
      ops = op_support(*loaded.serving_profile, *t);
      doc["inference"].set("operator_support", op_support_doc(*ops, serve.id));
      if (ops->latency_holds != "yes")
        result.verdicts.push_back(std::string("warning: the latency on ") + serve.id +
                                  (ops->latency_holds == "no" ? " does not hold: " : " is not known to hold: ") + ops->reason());
    }
  }
  if (s.serving) doc.set("serving", serving_doc(*s.serving, o.plan));
  const Lifecycle l = lifecycle(s);
  if (l.present) doc.set("lifecycle", lifecycle_doc(l));
  if (!o.compare_devices.empty() || !o.compare_regions.empty()) add_compare(doc, data, loaded, train, serve_id);
  if (!o.gates.empty()) add_gates(doc, result, o, loaded, s, l, ops, serve);
  if (!o.baseline_path.empty()) doc.set("baseline", baseline_diff(doc, o.baseline_path));
  result.doc = std::move(doc);
  return result;
}

}  // namespace sml::footprint
