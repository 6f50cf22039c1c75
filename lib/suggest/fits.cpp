// Stage 3: fit checking. Every constraint gives a verdict: met, not met, or not known (a figure
// is missing). A candidate fits only when every verdict is known to be met; one unknown makes it
// `unknown` with what is missing, never `true`.
#include <algorithm>
#include <optional>
#include <string>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

// Peak activations are not in the catalogue. A model whose weights take less than this share of
// the memory is taken to fit with its batch-1 activations (an assumption, listed in assumed[]);
// above it, activations could decide, so the verdict is unknown.
constexpr double kWeightShareKnownToFit = 0.5;

struct Verdicts {
  Candidate& c;
  void no(const std::string& why) { c.violations.push_back(why); }
  // A misfit in kind: the model cannot do this task at all (English-only speech for Spanish audio),
  // where a budget miss only says it is too slow or too big here.
  void wrong_kind(const std::string& why) {
    no(why);
    c.wrong_kind = true;
  }
  void unknown(const std::string& what) { c.missing.push_back(what); }
};

// A device the catalogue lacks, with nothing to stand in for it: neither its speed nor its
// memory is known, so no candidate is known to fit there.
void check_device(Verdicts& v, const Setting& s) {
  if (!s.serve_device)
    v.unknown("the deployment device '" + s.serve_device_text + "' (not in the device catalogue: its speed and memory; --device ID)");
}

void check_latency(Verdicts& v, const Candidate& c, const Setting& s) {
  if (!s.latency_budget_s) return;
  const std::string where = s.serve_device ? s.serve_device->id : s.serve_device_text;
  if (!c.latency_s) {
    v.unknown("serving latency on " + where + " (" + (c.serving_note.empty() ? "not computable" : c.serving_note) + ")");
    return;
  }
  // The live budget for a model that answers for a stretch of recorded audio (a speech recogniser
  // reads 30 s at a time): no answer can come sooner than the audio it covers has been spoken, so
  // 0.1 s is no limit it could meet in any sense; live means keeping up with the input, a
  // real-time factor of at most 1 (the taxonomy's RTF), i.e. its latency within its own window.
  // Keeping up is not enough where the model writes the text of the speech as it is spoken
  // (live captions): whisper-medium keeps up with its 30 s window in 10.7 s on an iPhone 15 Pro, yet
  // its words would come 10 s and more after they are said. No text can come sooner than the model's
  // latency over the window it re-reads, so its latency must be within the delay captions allow
  // (kLiveCaptionDelay_s, Ofcom's 3 s), less the chunk of audio a streaming set-up waits for before
  // it reads it (kLiveStreamChunk_s): the first word of a chunk is that much older when reading
  // starts. Still a necessary condition, not a sufficient one (an agreement policy that confirms a
  // word only when two passes agree adds more).
  double budget = *s.latency_budget_s;
  std::string basis = s.latency_budget_basis;
  if (s.latency_budget_live && c.model->audio_s && *c.model->audio_s > budget) {
    budget = *c.model->audio_s;
    basis += ": real time for the " + fmt_num(budget) + " s of audio one query covers";
    const double processing = s.live_caption_delay_s - kLiveStreamChunk_s;
    if (s.live_caption_delay_s > 0 && budget > processing) {
      budget = processing;
      basis = s.latency_budget_basis + ": live text within " + fmt_num(s.live_caption_delay_s) + " s of the speech (" + kLiveCaptionSource +
              "), " + kLiveStreamChunkSource + ": " + fmt_num(budget) + " s to read it";
    }
  }
  if (*c.latency_s > budget)
    v.no("latency " + fmt_num(*c.latency_s) + " s > " + fmt_num(budget) + " s (" + basis + ") on " + where);
  // A transfer candidate is costed as the model it comes from: the segment reused plus that
  // model's own head, not the head the task needs (a detector's or a decoder's). Its latency is
  // then no bound either way; over the budget it already fails (above), within it it is unknown.
  else if (!c.transfer_from.empty() && !c.frames)  // a per-frame encoder keeps its own head: costed
    v.unknown("serving latency with a head for " + c.task + " (costed as the " + c.transfer_from + " model: " + fmt_num(*c.latency_s) +
              " s on " + where + ", within " + fmt_num(budget) + " s; the new head is not costed)");
}

// A generating model's memory beyond its weights at batch 1, bounded from above from its decode
// step as profiled: the KV cache it reads (the step's past_* inputs, at 4 bytes an element, the
// fp32 they are built in) doubled, since the step is built at the request's mean cache and the
// last step's cache (first + n − 1) is at most twice the mean (first + (n − 1)/2), plus every
// tensor the step produces (all of them live at once: more than the runtime keeps). Null without
// a profiled step.
std::optional<double> decode_memory_bound(const Candidate& c) {
  if (!c.step) return std::nullopt;
  double kv = 0;
  for (const auto& [name, shape] : c.step->inputs) {
    if (name.find("past_") == std::string::npos) continue;
    double elements = 1;
    std::size_t at = 0;
    while (at <= shape.size()) {
      const std::size_t x = std::min(shape.find('x', at), shape.size());
      const std::string dim = shape.substr(at, x - at);
      if (dim.empty() || dim.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;  // symbolic
      elements *= std::stod(dim);
      at = x + 1;
    }
    kv += 4 * elements;
  }
  return 2 * kv + c.step->activation_bytes;
}

void check_memory(Verdicts& v, const Candidate& c, const Setting& s) {
  const std::optional<double> decode_bound = decode_memory_bound(c);
  auto against = [&](double limit, const std::string& what) {
    if (!c.weight_bytes) {
      v.unknown("weight memory (no parameter count) against " + what);
    } else if (*c.weight_bytes > limit) {
      v.no("weights " + fmt_num(*c.weight_bytes) + " B (" + s.serve_precision + ") > " + what + " " + fmt_num(limit) + " B");
    } else if (decode_bound && *c.weight_bytes + *decode_bound <= limit) {
      // Known to fit: weights plus an upper bound of the KV cache and step tensors.
    } else if (*c.weight_bytes > kWeightShareKnownToFit * limit) {
      v.unknown("peak activation memory: weights alone take " + fmt_num(100 * *c.weight_bytes / limit) + "% of " + what);
    }
  };
  if (s.memory_limit_bytes) against(*s.memory_limit_bytes, "the task's memory limit");
  // A device whose memory is a parameter cache with a host link (the Edge TPU) runs larger models
  // by streaming what does not fit; the serving latency counts that, so memory is no limit there.
  if (s.serve_device && s.serve_device->memory_bytes.value && !s.serve_device->host_link_bytes_per_s.value)
    against(*s.serve_device->memory_bytes.value, s.serve_device->id + " memory");
}

void check_budgets(Verdicts& v, const Candidate& c, const Task& task, const Setting& s) {
  const auto& m = *c.model;
  if (task.params_max) {
    if (!m.params) v.unknown("parameter count (budget " + fmt_num(*task.params_max) + ")");
    else if (*m.params > *task.params_max) v.no("params " + fmt_num(*m.params) + " > " + fmt_num(*task.params_max));
  }
  if (s.macs_budget) {
    if (!m.macs) v.unknown("MAC count (budget " + fmt_num(*s.macs_budget) + ")");
    else if (*m.macs > *s.macs_budget) v.no("MACs " + fmt_num(*m.macs) + " > " + fmt_num(*s.macs_budget) + " (" + s.macs_budget_basis + ")");
  }
  // The accuracy floor is checked against the published figure (on the benchmark it names, not on
  // the user's data); a candidate without an accuracy figure for this task cannot show that it fits.
  if (task.accuracy_min) {
    if (!c.transfer_from.empty() || !c.quality || !accuracy_like(c.quality->metric))
      v.unknown("a published accuracy for " + task.id + " (floor " + fmt_num(*task.accuracy_min) + ")");
    else if (c.quality->value < *task.accuracy_min)
      v.no(c.quality->metric + " " + fmt_num(c.quality->value) + " < " + fmt_num(*task.accuracy_min) + " (published on " +
           c.quality->dataset + ")");
  }
  if (task.co2e_kg_max) {
    const auto co2 = c.lifecycle_co2();
    if (!co2) v.unknown("life-cycle CO2e (budget " + fmt_num(*task.co2e_kg_max) + " kg)");
    else if (*co2 > *task.co2e_kg_max) v.no("CO2e " + fmt_num(*co2) + " kg > " + fmt_num(*task.co2e_kg_max) + " kg");
  }
  if (task.energy_kwh_max) {
    const auto train = c.finetune_kwh ? c.finetune_kwh : c.scratch_kwh;
    if (!train || !c.serving_kwh) v.unknown("life-cycle energy (budget " + fmt_num(*task.energy_kwh_max) + " kWh)");
    else if (*train + *c.serving_kwh > *task.energy_kwh_max)
      v.no("energy " + fmt_num(*train + *c.serving_kwh) + " kWh > " + fmt_num(*task.energy_kwh_max) + " kWh");
  }
}

// A device whose runtime runs only some operators (the Edge TPU compiler, TFLite Micro): every op
// of the candidate's graph must be one it runs. Unsupported: not a fit, named with the table's
// reason; an op the table does not place, or no graph to read ops from: unknown.
void check_operators(Verdicts& v, const Candidate& c, const Setting& s) {
  if (!s.op_table || !s.serve_device) return;
  const OpTable& t = *s.op_table;
  const std::string where = s.serve_device->id + " (" + t.runtime + ")";
  if (c.model->cost_model) {
    v.unknown("operator support on " + where + ": a tree ensemble is not a graph of its operators");
    return;
  }
  if (!c.profile) {
    v.unknown("operator support on " + where + ": no architecture to read its operators from");
    return;
  }
  // The same reading of the table sml-estimate reports (footprint::op_support).
  const footprint::OpSupport ops = footprint::op_support(*c.profile, t);
  if (!ops.ops.unsupported.empty())
    v.no("operators " + where + " does not run: " + ops.unsupported_text() + "; " + t.consequence + " [" + t.source + "]");
  else if (!ops.ops.unknown.empty())
    v.unknown("whether " + where + " runs " + ops.unplaced_text() + " (not placed by " + t.file + ")");
  // Blocks the compiler maps but its vendor says run poorly there: the costed latency, which
  // counts them as mapped ops, is not known to hold; the reason is the table's, with its source.
  for (const auto& p : ops.poor_texts()) v.unknown("the latency on " + where + " of its " + p);
}

// Languages: a task that names its languages (or how many) fits only models known to handle them.
// A translation between three or more languages takes a many-to-many model; a single-direction
// model fits only its own directions; a model whose languages the catalogue does not give is
// unknown, never a pass.
std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

void check_languages(Verdicts& v, const Candidate& c, const Task& task) {
  std::vector<std::string> all = task.source_languages;
  for (const auto& t : task.target_languages)
    if (!std::count(all.begin(), all.end(), t)) all.push_back(t);
  const bool translation = task.id == "translation";
  const double named = std::max(static_cast<double>(all.size()), task.language_count.value_or(0));
  if (named == 0) return;
  const bool reads_language = std::any_of(task.modalities.begin(), task.modalities.end(), [](const std::string& m) {
    return m == "text" || m == "audio" || m == "speech";
  }) || translation;
  if (!reads_language) return;
  const auto& L = c.model->languages;
  const std::string needs = all.empty() ? fmt_num(named) + " languages" : joined(all);
  const std::string cite = L.source.empty() ? "" : " [" + L.source + "]";
  if (!L.stated) {
    v.unknown("the languages " + c.model->id + " handles (not in the catalogue), against the task's " + needs);
    return;
  }
  if (translation && named >= 3) {
    if (!L.many_to_many) {
      v.wrong_kind("translates " + (L.pairs.empty() ? joined(L.codes) : joined(L.pairs)) + " only: translating between " + fmt_num(named) +
           " languages takes a many-to-many model" + cite);
      return;
    }
    if (L.count && task.language_count && *L.count < *task.language_count) {
      v.wrong_kind("covers " + fmt_num(*L.count) + " languages, fewer than the task's " + fmt_num(*task.language_count) + cite);
      return;
    }
  }
  if (translation && !L.pairs.empty() && !L.many_to_many) {
    std::vector<std::string> lacking;
    auto has = [&](const std::string& from, const std::string& to) {
      return std::any_of(L.pairs.begin(), L.pairs.end(), [&](const std::string& p) {
        const auto dash = p.find('-');
        return (from.empty() || p.substr(0, dash) == from) && (to.empty() || p.substr(dash + 1) == to);
      });
    };
    const std::vector<std::string> froms = task.source_languages.empty() ? std::vector<std::string>{""} : task.source_languages;
    const std::vector<std::string> tos = task.target_languages.empty() ? std::vector<std::string>{""} : task.target_languages;
    for (const auto& from : froms)
      for (const auto& to : tos)
        if (!has(from, to)) lacking.push_back((from.empty() ? "?" : from) + "-" + (to.empty() ? "?" : to));
    if (!lacking.empty()) v.wrong_kind("translates " + joined(L.pairs) + " only; the task needs " + joined(lacking) + cite);
    return;
  }
  if (!L.codes.empty()) {
    std::vector<std::string> lacking;
    for (const auto& x : all)
      if (!std::count(L.codes.begin(), L.codes.end(), x)) lacking.push_back(x);
    const std::string has = L.codes.size() <= 6 ? joined(L.codes) : std::to_string(L.codes.size()) + " languages";
    if (!lacking.empty()) v.wrong_kind("handles " + has + ", not " + joined(lacking) + cite);
    return;
  }
  if (!all.empty())
    v.unknown("whether its " + (L.count ? fmt_num(*L.count) + " " : std::string()) + "languages include " + needs +
              " (the catalogue gives no codes)");
}

}  // namespace

const char* fit_name(Fit f) { return f == Fit::kYes ? "true" : f == Fit::kNo ? "false" : "unknown"; }

void check_fits(std::vector<Candidate>& cands, const Task& task, const Setting& s) {
  for (auto& c : cands) {
    c.violations.clear();
    c.missing.clear();
    c.wrong_kind = false;
    Verdicts v{c};
    check_device(v, s);
    check_latency(v, c, s);
    check_memory(v, c, s);
    check_operators(v, c, s);
    check_languages(v, c, task);
    check_budgets(v, c, task, s);
    c.fits = !c.violations.empty() ? Fit::kNo : !c.missing.empty() ? Fit::kUnknown : Fit::kYes;
    c.model_unknown = !c.model->params || !c.forward_flops;
  }
}

}  // namespace sml::suggest
