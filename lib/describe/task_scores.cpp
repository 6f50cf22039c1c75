#include <algorithm>
#include <map>
#include <set>

#include "sml/describe/reading.hpp"
#include "task_signatures.hpp"

// The score each task gets from a reading (task_adjustments) and the output that overrides the
// ranking when it is read clearly (output_decides).
namespace sml::describe {
namespace {

using signatures::named_outright;
using signatures::Signature;
using signatures::signature;
using signatures::specific_outputs;

// Cue strengths saturate: three words for "photo" are no stronger evidence than two.
double saturate(double x) { return std::min(1.0, x / 1.5); }

// Score weights, on the scale of the classifier's BM25 scores (a task's own words sum to about 5-15).
constexpr double kOutputWeight = 4, kInputWeight = 2.5, kConflictWeight = 3, kRequiredPenalty = 6, kOutputConflictWeight = 4,
                 kMissingInputWeight = 2;

}  // namespace

std::map<std::string, double> task_adjustments(const Reading& r, const std::vector<std::string>& ids) {
  std::map<std::string, double> adj;
  auto get = [](const std::map<std::string, double>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  double strongest_input = 0;
  for (const auto& [m, v] : r.inputs)
    if (m != "text") strongest_input = std::max(strongest_input, saturate(v));
  // The clearest specific output read ("boxes around", "every pixel"): a task with another output,
  // none of whose own output was read, is marked down, as an input conflict is.
  std::string clearest;
  double clearest_v = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name) && v > clearest_v) clearest = name, clearest_v = v;
  for (const auto& id : ids) {
    const Signature* s = signature(id);
    if (!s) continue;
    double in = 0;
    for (const auto& m : s->inputs) in = std::max(in, saturate(get(r.inputs, m)));
    // Text cues are weak and common; a task over text conflicts only with a clearly other input.
    double other = 0, other_named = 0;
    for (const auto& [m, v] : r.inputs)
      if (std::find(s->inputs.begin(), s->inputs.end(), m) == s->inputs.end() && m != "user-item") {
        other = std::max(other, (m == "text" ? 0.5 : 1.0) * saturate(v));
        // One whole cue ("a photo", "the spreadsheet") names the input as plainly as two: saturation
        // is for piling up cues, not for telling whether an input was named.
        if (m != "text" && named_outright(r, m)) other_named = std::max(other_named, v);
      }
    const double out = s->output.empty() ? 0 : saturate(get(r.outputs, s->output));
    double a = kOutputWeight * out + kInputWeight * in;
    if (!s->inputs.empty()) a -= kConflictWeight * std::max(0.0, other - in);
    // None of the task's inputs is named while another is named outright ("sort the voicemails
    // into complaints, bookings and other": audio, no text): the task's topic words ("complaint")
    // describe what the input is about, not a second input.
    if (!s->inputs.empty() && in == 0 && (other >= 1 || other_named >= 1)) a -= kMissingInputWeight;
    // Text read outright ("the product titles of our catalogue") and none of a perceptual task's
    // inputs: the topic words ("product", "catalogue") describe the items, not photos of them.
    // A task whose own specific output was read ("handwritten" pages as typed text) keeps its case.
    else if (!s->inputs.empty() && in == 0 && get(r.inputs, "text") >= 1 && (s->output == "label" || out == 0) &&
             std::find(s->inputs.begin(), s->inputs.end(), "text") == s->inputs.end() &&
             std::any_of(s->inputs.begin(), s->inputs.end(), [](const std::string& m) { return m == "image" || m == "video" || m == "audio"; }))
      // The text is the thing handed over here, so it weighs against the perceptual task as fully as it
      // counts for a text task (its input weight), not at the half a passing text cue gets.
      a -= kMissingInputWeight + (kConflictWeight + kInputWeight) * saturate(get(r.inputs, "text"));
    if (s->required && out == 0) a -= kRequiredPenalty;
    // A task with no output of its own (graph-ml) is marked down too: "translate each image of a
    // molecule into its text string" asks for words, whatever the input is about.
    if (clearest_v >= 1.5 && out == 0 && s->output != clearest) a -= kOutputConflictWeight * saturate(clearest_v);
    // A label per item said outright ("say whether they're texting, eating or driving") and no
    // word of a task's own specific output ("box", "every pixel"): that task is marked down too.
    else if (clearest_v < 1 && get(r.outputs, "label") >= 2 && out == 0 && specific_outputs().count(s->output))
      a -= kOutputConflictWeight * 0.5;
    // A number said clearly ("predict the surface roughness of each part") and none of a task's own
    // output: a task that gives no number (an anomaly flag) is marked down; forecasting gives one.
    if (get(r.outputs, "number") >= 2 && out == 0 && s->output != "number" && s->output != "future")
      a -= kOutputConflictWeight * 0.5;
    // And the other way: a label said clearly (classes of a degree, "low, medium or high") and no
    // word of a number left: a task that gives a number is marked down.
    if (get(r.outputs, "label") >= 2 && get(r.outputs, "number") == 0 && s->output == "number")
      a -= kOutputConflictWeight * 0.5;
    // Sounds that are no speech ("a dog bark", "coughs", "the music") and no word of speech or of a
    // transcript: nothing is there to write down, whatever the task's words ("timestamp") say.
    if (s->output == "transcript" && out == 0) {
      static const std::set<std::string> sounds = {"bark", "cough", "snore", "sound", "noise", "music", "soundscape", "acoustic"};
      static const std::set<std::string> neutral = {"audio", "recording", "recorded", "microphone", "mic", "wav", "mp3"};
      bool sound = false, speech = false;
      if (auto it = r.cues.find("input: audio"); it != r.cues.end())
        for (const auto& w : it->second) sound |= sounds.count(w) > 0, speech |= !sounds.count(w) && !neutral.count(w);
      if (sound && !speech) a -= kRequiredPenalty;
    }
    adj[id] = a;
  }
  (void)strongest_input;
  return adj;
}

std::string output_decides(const Reading& r, const std::vector<std::pair<std::string, double>>& ranked) {
  if (ranked.empty()) return "";
  auto get = [&](const std::string& k) {
    auto it = r.outputs.find(k);
    return it == r.outputs.end() ? 0.0 : it->second;
  };
  // The clearest output: a specific one said outright (two strong words: "bounding boxes", "every
  // pixel"), or a generic one said over and over ("classify ... binary ... whether").
  std::string clearest;
  double clearest_v = 0;
  for (const auto& [name, v] : r.outputs) {
    const double needed = specific_outputs().count(name) || name == "similar" ? 2 : 2.5;
    if (v >= needed && v > clearest_v) clearest = name, clearest_v = v;
  }
  // The top catalogue task: an out-of-scope kind ranked above it ("shift" of "shift reports" read
  // as rostering) has no output of its own to weigh.
  const Signature* top = nullptr;
  for (const auto& p : ranked)
    if ((top = signature(p.first))) break;
  // A top task whose own output is not read at all ("sort my voice notes into ..." has no
  // transcript) stands only on its input words: a label read (a sort or classify verb) then gives
  // the next labelling task over an input both share and the text names ("voice note": audio).
  // Answers to questions are as specific: "propose the most fitting problem classes from our
  // knowledge base" asks for a class per mail, with no question asked.
  // In sound, finding, spotting or counting every bark is labelling its time windows: there are no
  // boxes to draw in a recording, so such words ask for a label too when only audio is named.
  const auto named = [&](const char* m) { return r.inputs.count(m) && r.inputs.at(m) > 0; };
  // (Voice-activity detection is itself the finding of where speech is: no label is asked of it.)
  const bool labelled = get("label") >= 1 || (get("boxes") >= 1 && named("audio") && !named("image") && !named("video") &&
                                              top && top->output != "speech-present");
  if (clearest.empty() && top && (specific_outputs().count(top->output) || top->output == "answer") && get(top->output) == 0 &&
      labelled) {
    for (std::size_t i = 1; i < ranked.size() && i < 3; ++i) {
      const Signature* s = signature(ranked[i].first);
      if (!s || s->output != "label") continue;
      for (const auto& m : s->inputs)
        if (std::find(top->inputs.begin(), top->inputs.end(), m) != top->inputs.end() && r.inputs.count(m) && r.inputs.at(m) >= 1)
          return ranked[i].first;
    }
  }
  // The input read decides over the same output: a top task none of whose inputs the text names,
  // while it names another outright (one whole cue: "in a photo"), gives way to the next task
  // making the same output from that input: hand signs shown in a photo are image classification,
  // whatever the words "sign" and "person" owe to video. Text, weak and common, names nothing here.
  if (top && !top->inputs.empty() && !top->output.empty()) {
    const bool top_read = std::any_of(top->inputs.begin(), top->inputs.end(), [&](const std::string& m) {
      return r.inputs.count(m) && r.inputs.at(m) > 0;
    });
    if (!top_read)
      for (std::size_t i = 1; i < ranked.size() && i < 4; ++i) {
        const Signature* s = signature(ranked[i].first);
        if (!s || s->output != top->output) continue;
        // Text counts only between the two makers of images ("generate images from a text prompt on
        // a third generation iPad": image generation from images, or from text): there the text named
        // outright is all that tells them apart, while between labellers it is too weak and common.
        const bool text_counts = s->output == "image-out";
        if (std::any_of(s->inputs.begin(), s->inputs.end(), [&](const std::string& m) {
              return (m != "text" || text_counts) && m != "user-item" && named_outright(r, m);
            }))
          return ranked[i].first;
      }
  }
  // How similar photos or sounds are is read from their vectors: the catalogue's similarity task
  // compares texts, so a top similarity task over pictures or sound named outright, and named more
  // strongly than any text, gives way to feature extraction over them ("give every photo its CLIP
  // embedding and show the visually similar ones").
  if (top && top->output == "similar") {
    const auto in = [&](const char* m) { return r.inputs.count(m) ? r.inputs.at(m) : 0.0; };
    for (const char* m : {"image", "audio"})
      if (named_outright(r, m) && in(m) > in("text"))
        for (const auto& p : ranked)
          if (const Signature* s = signature(p.first); s && s->output == "vector" &&
                                                       std::find(s->inputs.begin(), s->inputs.end(), m) != s->inputs.end())
            return p.first;
  }
  if (clearest.empty() || !top || top->output == clearest || 2 * get(top->output) >= clearest_v) return "";
  for (const auto& [id, score] : ranked) {
    const Signature* s = signature(id);
    if (!s || s->output != clearest) continue;
    // Over the same input: the domain words ("chest x-rays") that raised the top task say what
    // goes in, which both share; what must come out decides.
    // An input both could take but the text never names is not shared ("alarm" raised
    // audio-classification over an anomaly search in card transactions, which anomaly detection
    // may also run on sound): where some input was read, the shared one must be among them.
    const bool any_read = std::any_of(r.inputs.begin(), r.inputs.end(), [](const auto& p) { return p.second > 0; });
    const bool shared = top->inputs.empty() || s->inputs.empty() ||
                        std::any_of(s->inputs.begin(), s->inputs.end(), [&](const std::string& m) {
                          return std::find(top->inputs.begin(), top->inputs.end(), m) != top->inputs.end() &&
                                 (!any_read || (r.inputs.count(m) && r.inputs.at(m) > 0));
                        });
    // Nor does a top task none of whose inputs was read at all stand on what goes in.
    const bool top_input_read = std::any_of(top->inputs.begin(), top->inputs.end(), [&](const std::string& m) {
      return r.inputs.count(m) && r.inputs.at(m) > 0;
    });
    // Speech and text are the two ends of one road: a top task writing down speech (none of its
    // transcript read) gives way to speech made clearly, whose recordings are then the voice to make
    // ("recreate the voice of our founder from 45 minutes of interview recordings").
    const bool reversed = top->output == "transcript" && clearest == "speech-out";
    if (shared || !top_input_read || reversed) return id;
  }
  return "";
}

}  // namespace sml::describe
