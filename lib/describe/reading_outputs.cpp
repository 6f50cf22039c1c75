#include <algorithm>
#include <cctype>
#include <set>

#include "reading_rules.hpp"

// Phrases that name what comes out (or, for handwriting and spoken phrases, what goes in) beyond
// the single cue words of cues_outputs.cpp.
namespace sml::describe::reading_rules {

void read_output_phrases(const std::vector<std::string>& ws, const std::vector<bool>& negated, Reading& r) {
  // Phrases, words or commands that last seconds ("short phrases of 3-5 seconds") are spoken: a
  // written phrase has no duration. Recognising such phrases is writing down what is said.
  for (std::size_t i = 0; i + 2 < ws.size(); ++i) {
    static const std::set<std::string> units = {"phrase", "word", "command", "utterance", "sentence", "keyword"};
    if (!units.count(ws[i])) continue;
    bool timed = false;
    for (std::size_t j = i + 1; j + 1 < ws.size() && j <= i + 4; ++j)
      timed |= std::isdigit(static_cast<unsigned char>(ws[j][0])) && (ws[j + 1] == "second" || ws[j + 1] == "sec");
    if (!timed) continue;
    r.inputs["audio"] += 1;
    r.cues["input: audio"].push_back("phrases lasting seconds: spoken");
    bool recognised = false;
    for (std::size_t k = 1; k <= 3 && k <= i; ++k)
      recognised |= ws[i - k] == "recognise" || ws[i - k] == "recognize" || ws[i - k] == "understand";
    if (recognised && ws[i] != "keyword" && ws[i] != "command") {
      r.outputs["transcript"] += 1.5;
      r.cues["output: transcript"].push_back("spoken phrases recognised");
    }
    break;
  }
  // Examples of the normal state only ("we only have images of good welds", "only recordings of
  // the pump running normally"): nothing to learn a label from, so what is wanted is whatever
  // departs from them, which is anomaly detection, whatever the output words say.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "only" || (i < negated.size() && negated[i])) continue;
    static const std::set<std::string> normal = {"good", "normal", "normally", "healthy", "intact", "flawless",
                                                 "defect-free", "fault-free", "working", "undamaged", "ok", "okay"};
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 7; ++j)
      if (normal.count(ws[j])) {
        r.outputs["unusual"] += 2;
        r.cues["output: unusual"].push_back("only normal examples");
        i = ws.size();
        break;
      }
  }
  // "How many X to bake / order / stock each morning": a quantity for each coming period, read from
  // its history, is a forecast.
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (ws[i] != "how" || ws[i + 1] != "many") continue;
    static const std::set<std::string> periods = {"morning", "day", "week", "month", "hour", "shift", "evening", "weekend", "season"};
    for (std::size_t j = i + 2; j + 1 < ws.size() && j <= i + 9; ++j)
      if ((ws[j] == "each" || ws[j] == "every" || ws[j] == "per" || ws[j] == "next") && periods.count(ws[j + 1])) {
        r.outputs["future"] += 1.5;
        r.cues["output: future"].push_back("how many per coming period");
        i = ws.size();
        break;
      }
  }
  // "Learn when each disk will hit 100%", "when the pump will fail": the time something still to
  // come happens, read from its history, is a forecast too.
  for (std::size_t i = 0; i + 2 < ws.size(); ++i) {
    if (ws[i] != "when" || (i < negated.size() && negated[i])) continue;
    for (std::size_t j = i + 2; j < ws.size() && j <= i + 7; ++j)
      if (ws[j] == "will") {
        r.outputs["future"] += 1.5;
        r.cues["output: future"].push_back("when something will happen");
        i = ws.size();
        break;
      }
  }
  // Handwriting is seen: what was written by hand comes in as a picture (a scan, a photo, strokes on
  // a touch screen), whatever is read from it.
  if (auto d = r.cues.find("output: description"); d != r.cues.end() && !r.inputs.count("image") && !r.inputs.count("video") &&
      std::any_of(d->second.begin(), d->second.end(), [](const std::string& w) { return w.rfind("hand", 0) == 0; })) {
    r.inputs["image"] += 1;
    r.cues["input: image"].push_back("handwriting, seen");
  }
  // "Says which number it is", "tell what bird this is": one of a set of kinds is the answer, a
  // label; handwriting or print on what comes in is then how it looks, not text to read out.
  for (std::size_t i = 0; i + 3 < ws.size(); ++i) {
    if (ws[i] != "which" && ws[i] != "what") continue;
    static const std::set<std::string> pronoun = {"it", "this", "that", "they", "these", "those"};
    static const std::set<std::string> be = {"is", "are", "was", "were", "show", "shows"};
    bool kind = false;
    for (std::size_t j = i + 2; j + 1 < ws.size() && j <= i + 3; ++j) kind |= pronoun.count(ws[j]) && be.count(ws[j + 1]);
    if (!kind) continue;
    r.outputs["label"] += 1.5;
    r.cues["output: label"].push_back("which kind it is");
    if (auto d = r.cues.find("output: description"); d != r.cues.end() &&
        std::all_of(d->second.begin(), d->second.end(), [](const std::string& w) { return w.rfind("hand", 0) == 0; })) {
      r.outputs.erase("description");
      r.cues.erase(d);
    }
    break;
  }
  // Talking that starts, stops or is absent ("when the speaker is done talking", "secs with nobody
  // talking", "someone starts talking") asks where speech is in the sound, not what is said. Read
  // whatever the negation: "nobody talking" is the silence itself.
  for (std::size_t i = 1; i < ws.size(); ++i) {
    static const std::set<std::string> talk = {"talk", "talking", "talked", "speak", "speaking", "spoke"};
    static const std::set<std::string> bounds = {"done", "finished", "finish", "stop", "stopped", "stopping", "start",
                                                 "started", "starting", "begin", "began", "end", "ended", "nobody",
                                                 "someone", "somebody", "anyone", "anybody", "noone"};
    if (!talk.count(ws[i])) continue;
    bool bound = false;
    for (std::size_t k = 1; k <= 2 && k <= i; ++k) bound |= bounds.count(ws[i - k]) > 0 || (ws[i - k] == "one" && i > k && ws[i - k - 1] == "no");
    if (!bound || (r.outputs.count("speech-present") && r.outputs.at("speech-present") >= 2)) continue;
    r.outputs["speech-present"] = 2;
    r.cues["output: speech-present"].push_back("talking begun, ended or absent");
    break;
  }
  // The share of a picture each thing covers ("report what share of the image each covers", "what
  // percentage of the field is covered by weeds") is counted in pixels: each pixel is labelled.
  if (r.inputs.count("image") || r.inputs.count("video"))
    for (std::size_t i = 0; i < ws.size(); ++i) {
      static const std::set<std::string> share = {"share", "fraction", "percentage", "percent", "proportion", "portion"};
      if (!share.count(ws[i])) continue;
      bool covers = false;
      for (std::size_t j = i + 1; j < ws.size() && j <= i + 8; ++j)
        covers |= inflected(ws[j], "cover") || inflected(ws[j], "occupy") || ws[j] == "occupie";
      if (!covers) continue;
      r.outputs["pixels"] += 2;
      r.cues["output: pixels"].push_back("the share of the picture each covers");
      break;
    }
  // Coordinates found or got ("find the coordinates of the club head in each frame") say where a
  // thing is: a location to mark, not a label.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "coordinate") continue;
    static const std::set<std::string> get = {"find", "get", "locate", "detect", "track", "return", "give", "output",
                                              "predict", "estimate", "extract"};
    bool asked = false;
    for (std::size_t k = 1; k <= 3 && k <= i; ++k) asked |= get.count(ws[i - k]) > 0;
    if (!asked || (r.inputs.count("image") == 0 && r.inputs.count("video") == 0)) continue;
    r.outputs["boxes"] += 1.5;
    r.cues["output: boxes"].push_back("coordinates of a thing");
    break;
  }
}

}  // namespace sml::describe::reading_rules
