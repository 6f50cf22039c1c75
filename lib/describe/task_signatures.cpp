#include "task_signatures.hpp"

#include <algorithm>
#include <map>

#include "cues.hpp"

namespace sml::describe {
namespace signatures {

using cues::input_groups;

// The input modalities and the output each task of the catalogue is about.
const std::vector<Signature>& signatures() {
  static const std::vector<Signature> s = {
      {"image-classification", {"image"}, "label", false},
      {"object-detection", {"image", "video"}, "boxes", false},
      {"image-segmentation", {"image", "video"}, "pixels", false},
      {"depth-estimation", {"image", "video"}, "depth", true},
      {"keypoint-detection", {"image", "video"}, "pose", true},
      {"video-classification", {"video"}, "label", false},
      {"audio-classification", {"audio"}, "label", false},
      {"automatic-speech-recognition", {"audio"}, "transcript", false},
      {"voice-activity-detection", {"audio"}, "speech-present", true},
      {"text-to-speech", {"text"}, "speech-out", true},
      {"text-classification", {"text"}, "label", false},
      {"token-classification", {"text"}, "tokens", false},
      {"translation", {"text"}, "translation", true},
      {"summarization", {"text"}, "summary", true},
      {"text-generation", {"text"}, "text-out", false},
      {"question-answering", {"text"}, "answer", false},
      {"sentence-similarity", {"text"}, "similar", false},
      {"fill-mask", {"text"}, "fill", true},
      // Asked for by a vector or by a use of vectors (cues_outputs.cpp): its own words alone ("extract",
      // a video "clip", CLIP's name) are as often about something else.
      {"feature-extraction", {"image", "audio", "text"}, "vector", true},
      // Labelled windows of sensor readings are rows of features too: the catalogue has no classifier
      // of series, so a label (or a number: cycles left) wanted from a series is a table's ("walking,
      // sitting or laying" from a phone's accelerometer).
      {"tabular-classification", {"tabular", "series"}, "label", false},
      {"tabular-regression", {"tabular", "series"}, "number", false},
      {"time-series-forecasting", {"series"}, "future", false},
      {"anomaly-detection", {"tabular", "series", "image", "audio"}, "unusual", false},
      {"graph-ml", {"graph"}, "", false},
      {"recommendation", {"user-item"}, "recommend", false},
      {"reinforcement-learning", {}, "policy", true},
      {"image-to-text", {"image"}, "description", false},
      {"text-to-image", {"text"}, "image-out", true},
      {"image-generation", {"image"}, "image-out", true},
      {"zero-shot-classification", {"text", "image"}, "no-examples", true},
  };
  return s;
}

const Signature* signature(const std::string& id) {
  for (const auto& s : signatures())
    if (id == s.task) return &s;
  return nullptr;
}

const std::set<std::string>& specific_outputs() {
  static const std::set<std::string> s = {"pixels", "boxes", "tokens", "transcript", "vector", "summary", "translation",
                                          "depth", "pose", "speech-out", "image-out", "description", "future",
                                          "speech-present", "recommend", "policy"};
  return s;
}

bool named_outright(const Reading& r, const std::string& m) {
  const auto said = r.cues.find("input: " + m);
  if (said == r.cues.end()) return false;
  for (const auto& g : input_groups())
    if (m == g.name)
      for (const auto& c : g.cues)
        if (c.weight >= 1 && std::find(said->second.begin(), said->second.end(), c.text) != said->second.end()) return true;
  return false;
}

}  // namespace signatures

using signatures::named_outright;
using signatures::Signature;
using signatures::signature;

std::vector<std::string> reading_evidence(const Reading& r, const std::string& id) {
  std::vector<std::string> out;
  const Signature* s = signature(id);
  if (!s) return out;
  auto line = [&](const std::string& key, const std::string& said) {
    auto it = r.cues.find(key);
    if (it == r.cues.end()) return;
    std::string words;
    for (const auto& w : it->second) words += (words.empty() ? "" : ", ") + w;
    out.push_back(said + " (" + words + ")");
  };
  static const std::map<std::string, std::string> outputs = {
      {"label", "output: a label per item"}, {"pixels", "output: a label per pixel"}, {"boxes", "output: boxes around objects"},
      {"tokens", "output: a label per token or span"}, {"transcript", "output: a transcript"}, {"vector", "output: a vector per item"},
      {"number", "output: a number"}, {"future", "output: future values"}, {"unusual", "output: what is unusual"},
      {"summary", "output: a summary"}, {"translation", "output: a translation"}, {"text-out", "output: written text"},
      {"answer", "output: answers to questions"}, {"similar", "output: how similar texts are"},
      {"description", "output: a description in words"}, {"image-out", "output: images"}, {"speech-out", "output: speech"},
      {"depth", "output: distance per pixel"}, {"pose", "output: body or object keypoints"},
      {"speech-present", "output: where speech is"}, {"recommend", "output: items to recommend"},
      {"policy", "output: actions of an agent"}, {"no-examples", "output: labels with no training examples"},
      {"fill", "output: a missing word"}};
  for (const auto& m : s->inputs) line("input: " + m, "input: " + m);
  if (!s->output.empty()) line("output: " + s->output, outputs.at(s->output));
  return out;
}

std::vector<std::string> stated_modalities(const Reading& r, const std::string& id, const std::vector<std::string>& listed) {
  // Only a task that takes one of several inputs has a choice to narrow (zero-shot classification of
  // texts or of images; feature extraction from text, images or audio).
  const Signature* s = signature(id);
  if (!s || s->inputs.size() < 2) return listed;
  // Among text, images and audio only: a catalogue model says which of these it reads (its home task's
  // first modality, or input.reads), while anomaly detection's table, series, image or sound
  // detectors (an isolation forest) are not told apart so, and would all be dropped.
  static const std::set<std::string> told_apart = {"text", "image", "audio"};
  for (const auto& m : s->inputs)
    if (!told_apart.count(m)) return listed;
  auto taxonomy_name = [](const std::string& m) { return m == "series" ? std::string("time-series") : m; };
  std::set<std::string> alternatives, named;
  for (const auto& m : s->inputs) {
    alternatives.insert(taxonomy_name(m));
    // Named outright: one whole cue ("the news articles", "photos").
    if (named_outright(r, m)) named.insert(taxonomy_name(m));
  }
  // Nothing named, or every alternative named: the statement does not choose.
  if (named.empty() || named.size() == alternatives.size()) return listed;
  std::vector<std::string> out;
  for (const auto& m : listed)
    // The inputs not named go, and "multimodal" with them (a model reading two kinds at once);
    // what the task's list says beyond its inputs (an output modality) stays.
    if (named.count(m) || (!alternatives.count(m) && m != "multimodal")) out.push_back(m);
  return out.empty() ? listed : out;
}

std::vector<std::string> task_inputs(const std::string& id) {
  const Signature* s = signature(id);
  return s ? s->inputs : std::vector<std::string>{};
}
std::string task_output(const std::string& id) {
  const Signature* s = signature(id);
  return s ? s->output : "";
}

}  // namespace sml::describe
