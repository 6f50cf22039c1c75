// Stage 2: costing — every candidate gets a forward-pass work figure, training cost (from scratch
// and, where pretrained weights exist, fine-tuning) on the training device, and per-query latency
// and energy on the deployment device. All through lib/footprint's public functions, the code
// sml-estimate runs, so the two tools agree; nothing here is a second roofline.
#include <algorithm>
#include <cmath>
#include <tuple>

#include "sml/cost/profile.hpp"
#include "sml/cost/trees.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/hw/roofline.hpp"  // bytes_per_element
#include "sml/io/error.hpp"
#include "sml/suggest/pipeline.hpp"
#include "sml/suggest/profiles.hpp"

namespace sml::suggest {
namespace {

// A frame is padded up to a multiple of the output stride of the segmentation networks (32: their
// deepest feature map), as mmsegmentation's size_divisor and torchvision's batching pad it, so that
// every stage's map has a whole size.
constexpr double kFrameStride = 32;
// Where the catalogue's other image models resize their input (each family's own preprocessing).
constexpr const char* kResizedInputs =
    "classifiers: resize and centre crop to the catalogue size; torchvision's R-CNN, RetinaNet and FCOS detectors: "
    "GeneralizedRCNNTransform, shorter side 800 px, longer at most 1333; SSD300/SSDlite320: 300/320 px; YOLOv5: letterboxed to "
    "640 px; MiDaS and DPT: 256/384 px";

// Forward FLOPs of one query / training sample: the catalogue's MACs × 2; for a language model
// known by its parameters only, 2 FLOPs per parameter per token (Kaplan et al. 2020, "Scaling
// Laws for Neural Language Models", arXiv:2001.08361, C_forward ≈ 2N) over the task's typical
// tokens per sample — the figure sml-estimate's parametric path uses per token.
// The frame a stated resolution (constraints.image_size_px) makes model M run at, as height and
// width padded up to kFrameStride; none where M's input does not follow the frame. A semantic-
// segmentation network is fully convolutional and labels each pixel of the image it is given, so
// its work grows with the frame's pixels: torchvision's FCN, DeepLabV3 and LR-ASPP take any input
// size, and MobileNetV3's segmentation heads are reported on Cityscapes frames at full resolution
// (1024x2048) and at half of it (Howard et al. 2019, "Searching for MobileNetV3"). A 1280x720 frame
// is 3.4x the pixels of the 520x520 it is catalogued at, and so about 3.4x the work. Models whose
// own preprocessing resizes every image to one size keep it (kResizedInputs), Mask R-CNN among
// them: it is a torchvision detector with a mask head.
std::optional<FrameSize> stated_frame(const catalog::CatalogModel& m, const Task& task) {
  if (!task.image_size_px) return std::nullopt;
  auto has = [&](const char* t) { return std::find(m.tasks.begin(), m.tasks.end(), t) != m.tasks.end(); };
  if (!has("image-segmentation") || has("object-detection")) return std::nullopt;
  auto padded = [](double px) {
    return static_cast<std::int64_t>(std::ceil(px / kFrameStride)) * static_cast<std::int64_t>(kFrameStride);
  };
  return FrameSize{padded(task.image_size_px->second), padded(task.image_size_px->first)};
}

void forward_work(Candidate& c, const Setting& s) {
  const auto& m = *c.model;
  if (m.cost_model) {  // a tree ensemble: its own published algorithm, not MACs
    const cost::TreeWork w = cost::tree_work(*m.cost_model, s.samples.value_or(1));
    c.forward_flops = w.infer_flops;
    c.forward_basis = "tree-ensemble cost model: " + w.infer_basis;
  } else if (c.profile) {
    c.forward_flops = c.profile->flops;
    c.forward_basis = "the FLOPs of its architecture (" + m.arch + "), profiled layer by layer by lib/cost at " +
                      (c.input_basis.empty() ? m.derived_input : c.input_basis);
  } else if (m.macs) {
    c.forward_flops = 2 * *m.macs;
    c.forward_basis = "2 × the catalogue's MACs per forward pass";
  } else if (s.tokens_per_sample && (m.flops_per_token || m.params)) {
    const double per_token = m.flops_per_token ? *m.flops_per_token : 2 * *m.params;
    c.forward_flops = per_token * *s.tokens_per_sample;
    c.forward_basis = std::string(m.flops_per_token ? "the catalogue's FLOPs per token" : "2 × params per token (Kaplan et al. 2020)") +
                      " × " + fmt_num(*s.tokens_per_sample) + " tokens per sample (the task's typical length, assumed)";
  }
}

// One forward pass as a profile lib/footprint can cost: its FLOPs, and MOVED elements read: a
// network's weights once (activations are not in the catalogue; at batch 1 the weights dominate
// the traffic of most catalogue models, and a profiled ONNX model gives sml-estimate the exact
// figure); a tree ensemble's one path per tree.
cost::Profile pass_profile(double flops, double params, double moved) {
  cost::Profile p;
  cost::LayerCost l;
  l.name = "forward";
  l.op = "catalogue";
  l.flops = flops;
  l.macs = flops / 2;
  l.params = static_cast<std::int64_t>(params);
  l.elements_moved = moved;
  p.layers.push_back(l);
  p.flops = flops;
  p.macs = flops / 2;
  p.params = l.params;
  return p;
}

void cost_training(Candidate& c, Setting& s) {
  const auto& m = *c.model;
  if (!c.forward_flops) {
    c.cost_note = "no MAC count (or parameter count for a text model) in the catalogue: training cost unknown";
    return;
  }
  footprint::Plan plan;
  plan.precision = s.precision;
  footprint::ParametricModel pm;
  pm.params = pm.active_params = m.params.value_or(0);
  // Decoder LMs (they publish FLOPs per token) take the conditioned utilisation by FLOPs / peak; a
  // profiled CNN takes the cnn kind per layer (below); an encoder or trees the unconditioned range.
  pm.kind = m.flops_per_token ? "dense-lm" : "other";
  s.ctx.device = s.train_device;
  const double factor = s.fmodel->training_flops_factor;
  // A training sample of a pipeline is not a query: per sample, the learning parts cost factor ×
  // their forward pass and the frozen ones one forward pass, each as often as training runs it.
  const double per_sample = c.train_trained_flops ? factor * *c.train_trained_flops + c.train_frozen_flops.value_or(0)
                                                  : factor * *c.forward_flops;
  if (c.train_trained_flops)
    c.train_basis = "per training sample, not per query: " + fmt_num(factor) + " × " + fmt_num(*c.train_trained_flops) +
                    " forward FLOPs of the parts that learn + " + fmt_num(c.train_frozen_flops.value_or(0)) +
                    " of the frozen ones (forward only), from its composition's passes: train_runs and frozen";
  plan.train_flops = per_sample * *s.samples * s.scratch_epochs;
  if (m.cost_model) {  // fitted once by its own algorithm: no backward pass, no epochs
    const cost::TreeWork w = cost::tree_work(*m.cost_model, *s.samples);
    plan.train_flops = w.train_flops;
    c.cost_note = "training: " + w.train_basis;
  }
  // A network with a profile is costed as sml-estimate costs the ONNX model sml-compose writes:
  // per layer, training step by step, with its kind's utilisation of that roofline (one function,
  // footprint::estimate_training, for both tools). Every kind, not the cnn kind alone: candidates
  // costed by two methods are not comparable (ConvNeXt-T, Swin and ViT were costed from FLOPs at
  // the parametric utilisation, 9x below what sml-estimate gives ConvNeXt-T's ONNX, and so ranked
  // before CNNs costed per layer). Decoder LMs keep the utilisation fitted on published runs by
  // FLOPs per token (pm.kind dense-lm above).
  const bool per_layer = c.profile && !c.train_trained_flops && !m.cost_model && c.profile->passes.empty() &&
                         !m.flops_per_token;
  const cost::Profile* profile = per_layer ? c.profile.get() : nullptr;
  if (per_layer) {
    plan.train_flops.reset();
    plan.train_samples = *s.samples;
    plan.epochs = s.scratch_epochs;
    c.train_basis = "per layer over its architecture's training step, as sml-estimate costs the model sml-compose writes";
  }
  const auto scratch = footprint::estimate_training(plan, s.ctx, profile, 1, &pm);
  if (scratch.energy_kwh) c.scratch_kwh = scratch.energy_kwh->expected;
  if (scratch.co2e_kg) c.scratch_co2 = scratch.co2e_kg->expected;
  if (!m.pretrained.empty()) {
    plan.train_flops = per_sample * *s.samples * s.finetune_epochs;
    if (per_layer) {
      plan.train_flops.reset();
      plan.epochs = s.finetune_epochs;
    }
    const auto ft = footprint::estimate_training(plan, s.ctx, profile, 1, &pm);
    if (ft.energy_kwh) c.finetune_kwh = ft.energy_kwh->expected;
    if (ft.co2e_kg) c.finetune_co2 = ft.co2e_kg->expected;
  }
}

void cost_serving(Candidate& c, Setting& s) {
  const auto& m = *c.model;
  if (m.params) c.weight_bytes = *m.params * hw::bytes_per_element(s.serve_precision);
  if (!s.serve_device) {
    c.serving_note = "deployment device '" + s.serve_device_text + "' is not in the catalogue: serving cost unknown";
    return;
  }
  if (!c.forward_flops || !m.params) {
    c.serving_note = "no MAC and parameter count in the catalogue: serving latency unknown";
    return;
  }
  footprint::Plan plan;
  plan.precision = s.serve_precision;
  plan.queries_per_day = s.queries_per_day;
  // An always-on stream: one query per window of the candidate's own input, all day, so a model
  // that reads 0.96 s at a time is charged 90,000 passes where one reading 10.24 s is charged 8,437.5.
  if (s.continuous_load && m.audio_s && *m.audio_s > 0) plan.queries_per_day = 86400 / *m.audio_s;
  c.queries_per_day = plan.queries_per_day;
  plan.years = s.years;
  s.ctx.device = s.serve_device;
  // With an architecture, the per-layer profile (each layer's compute or memory time, and the
  // runtime's overhead per kernel: what decides latency at batch 1 on edge devices); otherwise
  // one pass from the catalogue's figures, said so.
  const double moved = m.cost_model ? cost::tree_work(*m.cost_model, 1).infer_values_read : *m.params;
  const cost::Profile one_pass = pass_profile(*c.forward_flops, *m.params, moved);
  const cost::Profile& profile = c.once ? *c.once : c.profile ? *c.profile : one_pass;
  if (c.step)
    c.serving_basis = "a request as a server generates it: the encoder once (" + std::to_string(c.once->layers.size()) + " nodes), then " +
                      fmt_num(*m.output_tokens) + " decode steps of " + std::to_string(c.step->layers.size()) +
                      " nodes each (one token against the KV cache, at the request's mean cache)" +
                      (c.after ? ", then once " + std::to_string(c.after->layers.size()) + " nodes after the steps (post-net and vocoder over every frame)" : std::string()) +
                      ", per layer as sml-estimate --decoder-step costs them";
  else if (!c.profile && !m.cost_model)
    c.serving_basis = "one pass from the catalogue's MACs and parameters (no architecture to profile" +
                      (c.profile_note.empty() ? std::string() : ": " + c.profile_note) + ")";
  else if (c.profile)
    c.serving_basis = "per layer over its architecture's " + std::to_string(c.profile->layers.size()) + " nodes, as sml-estimate costs the model sml-compose writes";
  try {
    // sml-estimate's default serving plan (batch 1, the device's usual runtime unless --runtime),
    // so the two tools agree.
    footprint::ServingPlan serve;
    serve.precision = s.serve_precision;
    serve.runtime = s.runtime;
    footprint::ServingWork work{&profile, nullptr, c.step.get(), c.after.get()};
    if (c.step) serve.output_tokens = *m.output_tokens;
    const auto inf = footprint::estimate_serving_query(work, serve, s.ctx);
    c.latency_s = inf.latency_s.expected;
    c.serving_basis += (c.serving_basis.empty() ? "" : "; ") + std::string("under ") + inf.runtime + " (plan.serve_runtime)";
    if (!inf.energy_kwh_per_query) {  // latency known, energy not: the device has no power figure
      c.serving_note = inf.energy_null_reason;
      return;
    }
    c.energy_kwh_per_query = inf.energy_kwh_per_query->expected;
    const auto serving = footprint::estimate_serving(plan, s.ctx, inf);
    c.serving_kwh = serving.energy_kwh->expected;  // known: energy_kwh_per_query is
    if (serving.co2e_kg) c.serving_co2 = serving.co2e_kg->expected;
  } catch (const InputError& e) {
    // The device lacks a figure the estimate needs (a peak at the serving precision): say which.
    // No second estimate here: sml-estimate would refuse the same device.
    c.serving_note = e.what();
  }
}

// A per-frame image encoder for a video task: a clip is FRAMES passes of the image model, run one
// after another (no batching gain assumed: exact at batch 1 on a CPU, an upper bound on a GPU), and
// a mean over the frames' scores (FRAMES × classes additions, negligible).
void per_clip(Candidate& c) {
  const double n = c.frames;
  const std::string how = fmt_num(n) + " frames x one frame";
  for (auto* v : {&c.forward_flops, &c.latency_s, &c.energy_kwh_per_query, &c.serving_kwh, &c.serving_co2})
    if (*v) **v *= n;
  if (c.forward_flops) c.forward_basis = how + " (" + c.forward_basis + "), scores averaged over the frames";
  c.serving_basis = how + ", run one after another: " + c.serving_basis;
}

}  // namespace

void cost_candidates(std::vector<Candidate>& cands, const Task& task, Setting& s) {
  bool framed = false;
  for (auto& c : cands) {
    if (!c.model->quality.empty()) c.quality = &c.model->quality.front();
    // A scaled core (--scale) is not its base architecture: it keeps the one-pass figures.
    // Each model's profiles are built once per catalogue (the memo outlives this call); at a
    // stated frame size, once for this task (the memo keeps the catalogue's input).
    if (!c.model->cost_model && c.scaled_from.empty() && !c.model->arch.empty()) {
      const auto frame = stated_frame(*c.model, task);
      ModelProfiles at_frame;
      auto [memo, fresh] = frame ? std::make_pair(s.profiles->end(), true) : s.profiles->try_emplace(c.model);
      ModelProfiles& mp = frame ? at_frame : memo->second;
      if (frame) {
        const auto px = [](double v) { return std::to_string(static_cast<long long>(std::llround(v))); };
        c.input_basis = std::string(s.frame_size_assumed ? "the assumed " : "the stated ") + px(task.image_size_px->first) + "x" + px(task.image_size_px->second) + " frame (" +
                        std::to_string(frame->second) + "x" + std::to_string(frame->first) + " px, padded to a multiple of " +
                        px(kFrameStride) + ")";
        framed = true;
      }
      if (fresh) {
        std::optional<TrainingWork> training;
        if (auto p = arch_profile(*c.model, s.catalog_dir, mp.note, compose::DecodeMode::kNone, &training, frame))
          mp.profile = std::make_shared<const cost::Profile>(std::move(*p));
        if (mp.profile && training) {
          mp.train_trained_flops = training->trained_flops;
          mp.train_frozen_flops = training->frozen_flops;
        }
        if (mp.profile && c.model->output_tokens) {  // it generates: served as the encoder once + a step per token
          std::string why;
          auto once = arch_profile(*c.model, s.catalog_dir, why, compose::DecodeMode::kOnce);
          auto step = arch_profile(*c.model, s.catalog_dir, why, compose::DecodeMode::kStep);
          if (once && step) {
            mp.once = std::make_shared<const cost::Profile>(std::move(*once));
            mp.step = std::make_shared<const cost::Profile>(std::move(*step));
            // What runs once after the steps (SpeechT5's post-net and vocoder), where the architecture has it.
            if (auto after = arch_profile(*c.model, s.catalog_dir, why, compose::DecodeMode::kAfter))
              mp.after = std::make_shared<const cost::Profile>(std::move(*after));
          }
        }
      }
      c.profile = mp.profile;
      c.profile_note = mp.note;
      c.train_trained_flops = mp.train_trained_flops;
      c.train_frozen_flops = mp.train_frozen_flops;
      c.once = mp.once;
      c.step = mp.step;
      c.after = mp.after;
    }
    forward_work(c, s);
    cost_serving(c, s);  // one frame, for a per-frame encoder…
    if (c.frames) per_clip(c);  // …then the clip: its frames one after another
    cost_training(c, s);
  }
  if (framed && s.frame_size_assumed) {  // an assumed frame is listed with its own source, once
    if (!s.frame_size_why.empty()) {
      Doc size = Doc::list();
      size.push(task.image_size_px->first);
      size.push(task.image_size_px->second);
      s.assume("image_size_px", size, s.frame_size_why);
      s.frame_size_why.clear();
    }
  } else if (framed)
    s.assume("image_size_px", Doc(), "segmentation candidates are profiled at the stated frame size: they label every pixel of "
             "the frame they are given, so their work grows with its pixels; classifiers and detectors keep their own input "
             "size, which their preprocessing resizes every frame to (" + std::string(kResizedInputs) + ")");
}

}  // namespace sml::suggest
