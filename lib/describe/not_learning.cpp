#include "not_learning.hpp"

#include <algorithm>
#include <cstdio>

#include "sml/describe/describe.hpp"

namespace sml::describe {
namespace {
// What counts as clear learning evidence for the learned scorer (clear_learning): chosen before
// scoring, not tuned; see tests/validation/describe/train_learning_scorer.py for the measure.
constexpr double kClearLearning = 1.5, kClearOutputWithLearning = 1, kClearOutput = 3;
}  // namespace

// Why a statement is not a learning problem, or "" when it is one. Out-of-scope kinds (planning,
// simulation, IT work) that outscore every task decide it, as does a statement whose words are about
// software, arithmetic or office work more than about anything to learn; a statement that names no
// input, no output and nothing to learn is not one either.
std::string not_learning_reason(const Reading& r, const TaskGuess& best, const Task* outside, const StatedRule& rule,
                                const FaultReport& fault, bool scored_learning) {
  double out = 0, in = 0;
  for (const auto& [k, v] : r.outputs) out = std::max(out, v);
  for (const auto& [k, v] : r.inputs) in = std::max(in, v);
  const double learning = r.learning + out + 0.5 * in;
  // A statement that asks outright for a prediction, a label or a generation (clear_learning: a
  // word of learning with an output, or a strong output cue) is a learning problem whatever else it
  // carries: words of the IT around it, a threshold on the model's own output ("classified with
  // confidence of at least 0.95"), a budget for running it ("each run costs under $5"). No rule
  // below but the bug report's (which weighs the output cues itself) declines such a request.
  const bool asks = clear_learning(r);
  if (outside && learning < 4 && !asks) return "not a learning problem: " + outside->message;
  // The statement gives the rule its output follows and nothing to learn a rule from: its words of
  // prediction, "AI" or "smart" name what the script is for, not a model (stated_rule.hpp). A rule
  // over photos, video or sound ("alert when more than 3 people are in the zone") still needs the
  // people recognised first, so a perceptual input keeps the request a learning problem.
  double perceived = 0;
  for (const char* m : {"image", "video", "audio"})
    if (auto it = r.inputs.find(m); it != r.inputs.end()) perceived = std::max(perceived, it->second);
  // A stated rule decides whether an item meets a condition (a flag, an alert, a route) or computes
  // a value; it writes no text and sorts nothing into several named classes. A request that asks
  // for either ("generate a description for every item over 200 EUR", "sort each e-mail into
  // billing, outage or sales; any from an account over 10,000 EUR is also copied") asks for an
  // output the rule beside it does not give.
  double written = 0;
  for (const char* k : {"text-out", "summary", "translation", "description", "transcript", "answer"})
    if (auto it = r.outputs.find(k); it != r.outputs.end()) written = std::max(written, it->second);
  const auto label = r.outputs.find("label");
  const bool beside = written >= 2 || (label != r.outputs.end() && label->second >= 2);
  // The one exception to the veto: a formula for the very number asked for ("forecast each
  // member's fee: last year's fee plus the 3% index"), where "forecast" names what the
  // arithmetic gives, not something to learn.
  std::string strongest;
  for (const auto& [k, v] : r.outputs)
    if (strongest.empty() || v > r.outputs.at(strongest)) strongest = k;
  const bool formula_gives = rule.formula && (strongest == "number" || strongest == "future");
  if (rule.weight >= kStatedRule && !rule.examples && !rule.set_aside && perceived < 1 && (!asks || formula_gives) && !beside) {
    std::string said;
    for (const auto& e : rule.evidence) said += (said.empty() ? "" : "; ") + ("'" + e + "'");
    return "not a learning problem: the text states the rule that gives the output (" + said +
           ") and no examples to learn one from; a script, query or scheduler does it";
  }
  // A bug or operations report (an error quoted, a command, something that fails or will not boot)
  // asks for a fix, not a model, however often it names models, GPUs or training; unless it also
  // says what is to be recognised, predicted or generated (fault_report.hpp).
  if (fault.weight >= kFaultReport && (out < 1.5 || fault.weight >= out + 1 || (fault.own_model && fault.weight >= 0.5 * out))) {
    std::string said;
    for (std::size_t i = 0; i < fault.evidence.size() && i < 3; ++i) said += (said.empty() ? "" : "; ") + ("'" + fault.evidence[i] + "'");
    return "not a learning problem: this reads as a bug or operations report (" + said +
           "), which a change of configuration, code or infrastructure fixes, not a trained model";
  }
  // The three rules below weigh words of IT against words of learning, one count against another.
  // Where the learned scorer reads the statement as a request for a model more surely than any
  // not-ML statement these rules were measured to decline (SCORED_LEARNING), the count is outvoted:
  // "YOLOv8n detects objects in an H.264 camera stream ... how do I detect at 60 fps" is about a
  // detector, whatever its words of video encoding.
  if (scored_learning) return learning < 0.5 && best.confidence < kLowConfidence
                                  ? "not a learning problem: the text names nothing to recognise, predict or generate from data"
                                  : "";
  if (r.not_learning >= 2 && r.not_learning > learning && !asks)
    return "not a learning problem: this reads as software, IT or arithmetic work, which needs no trained model";
  // No word says anything is to be learnt, and the words of IT or planning work outweigh what the
  // input and output cues say (a cue such as "route" or "which" alone is no learning problem).
  if (r.learning == 0 && r.not_learning >= 1.5 && r.not_learning > out + in && !asks)
    return "not a learning problem: this reads as software, IT, planning or arithmetic work, which needs no trained model";
  // Nothing to produce and no word of learning, with words of IT or buying advice ("is an RTX 4070
  // enough for my office PC ... spreadsheets and Zoom calls"): the input words name what a machine
  // is used for, not data to learn from.
  if (r.learning == 0 && out < 1 && r.not_learning >= 1.5)
    return "not a learning problem: this reads as software, IT, hardware or planning work, with nothing to recognise, predict or generate";
  if (learning < 0.5 && best.confidence < kLowConfidence)
    return "not a learning problem: the text names nothing to recognise, predict or generate from data";
  return "";
}

bool clear_learning(const Reading& r) {
  double out = 0;
  for (const auto& [k, v] : r.outputs) out = std::max(out, v);
  return (r.learning >= kClearLearning && out >= kClearOutputWithLearning) || out >= kClearOutput;
}

std::string scored_not_learning_reason(const Reading& r, double p, double threshold, double z, double clear_z) {
  if (p < threshold) return "";
  char said[64];
  if (clear_learning(r)) {
    // A word of learning or an output cue that only sets the scene ("my training job writes its
    // TensorBoard logs", "my LoRA-trained checkpoint fails to upload") against a score far past
    // that of any ML request the scorer was measured on (clear_z, train_learning_scorer.py).
    if (z < clear_z) return "";
    std::snprintf(said, sizeof said, "%.1f", z);
    return std::string("not a learning problem: its words read as the requests for software, IT or operations work that "
                       "the learned scorer was trained on, far past any request for a model (log-odds ") + said +
           "); its words of learning describe the set-up, not something to learn";
  }
  std::snprintf(said, sizeof said, "%.2f", p);
  return std::string("not a learning problem: its words read as the requests for software, IT or operations work that "
                     "the learned scorer was trained on (p = ") + said + "), and nothing in it says what a model would learn";
}

}  // namespace sml::describe
