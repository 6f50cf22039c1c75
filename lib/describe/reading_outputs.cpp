#include <algorithm>
#include <cctype>
#include <set>

#include "sml/describe/text_task.hpp"
#include "cues.hpp"
#include "reading_rules.hpp"

// Phrases that name what comes out (or, for handwriting and spoken phrases, what goes in) beyond
// the single cue words of cues_outputs.cpp.
namespace sml::describe::reading_rules {
namespace {

double read_in(const Reading& r, const char* m) { return r.inputs.count(m) ? r.inputs.at(m) : 0.0; }

// The words of every cue that names something other than a picture: the outputs of the other
// groups (a label, text, a vector, a number ...) and the inputs that are not seen (text, a table,
// a series, sound, a graph). What a picture is turned into is a picture unless it is one of these
// ("turn the scans into searchable text", "convert the photos into a CSV of counts").
const std::set<std::string>& unseen_words() {
  static const std::set<std::string> s = [] {
    std::set<std::string> out;
    // Single-word cues only: a phrase's words alone ("time" of "time series") name nothing.
    auto add = [&](const cues::CueGroup& g) {
      for (const auto& c : g.cues)
        if (const auto ws = TaskClassifier::words(c.text); ws.size() == 1) out.insert(ws.front());
    };
    for (const auto& g : cues::output_groups())
      if (std::string(g.name) != "image-out") add(g);
    for (const auto& g : cues::input_groups())
      if (std::string(g.name) != "image" && std::string(g.name) != "video") add(g);
    // Function words the cues hold ("the" of "cluster the", "of" of "type of") say nothing.
    for (const char* w : {"the", "a", "an", "of", "to", "in", "on", "it", "is", "i", "you", "we", "for", "by", "our",
                          "them", "what", "where", "how", "which", "each", "every", "all", "one", "new", "into", "as"})
      out.erase(w);
    return out;
  }();
  return s;
}

// "Turn each daytime photo into a night-time version", "convert my holiday pictures into
// watercolour paintings": a picture named as the object of a verb of changing, and what it becomes
// names nothing but a picture. An image comes out of an image (image-to-image).
bool image_transformed(const std::vector<std::string>& ws, const std::vector<bool>& negated) {
  static const std::vector<std::string> change = {"turn", "convert", "transform", "change", "restyle", "stylise",
                                                  "stylize", "morph", "transfer"};
  static const std::set<std::string> pictures = {"photo", "picture", "pic", "image", "selfie", "portrait", "shot",
                                                 "snapshot", "frame", "scan", "drawing", "sketch", "painting"};
  for (std::size_t i = 0; i + 3 < ws.size(); ++i) {
    if ((i < negated.size() && negated[i]) ||
        std::none_of(change.begin(), change.end(), [&](const std::string& c) { return inflected(ws[i], c); }))
      continue;
    // The picture within six words of the verb ("turn each of our product photos"), then "into" or
    // "to" within five more ("photo from our street cameras into").
    std::size_t pic = 0;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 6 && !pic; ++j)
      if (pictures.count(ws[j])) pic = j;
    if (!pic) continue;
    std::size_t into = 0;
    for (std::size_t j = pic + 1; j < ws.size() && j <= pic + 5 && !into; ++j)
      if (ws[j] == "into" || ws[j] == "to") into = j;
    if (!into || into + 1 >= ws.size()) continue;
    bool other = false;
    for (std::size_t j = into + 1; j < ws.size() && j <= into + 5; ++j) other |= unseen_words().count(ws[j]) > 0;
    if (!other) return true;
  }
  return false;
}

// "Fill in the characters that are missing", "restore the lost words of the inscription": a verb
// of restoring, then a unit of text said to be missing or unreadable, is a blank in a text to fill
// (fill-mask), whatever "fill in" and "restore" ask of a picture elsewhere.
bool missing_text_restored(const std::vector<std::string>& ws) {
  static const std::vector<std::string> restore = {"fill", "restore", "predict", "guess", "complete", "recover",
                                                   "reconstruct", "supply", "infer"};
  static const std::set<std::string> units = {"character", "word", "letter", "token", "glyph", "syllable", "text", "phrase"};
  static const std::set<std::string> gone = {"missing", "illegible", "lost", "damaged", "unreadable", "erased", "faded",
                                             "gap", "blank", "masked", "obscured", "absent", "lacuna", "lacunae"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!units.count(ws[i])) continue;
    bool verb = false;
    for (std::size_t k = 1; k <= 4 && k <= i && !verb; ++k)
      verb = std::any_of(restore.begin(), restore.end(), [&](const std::string& v) { return inflected(ws[i - k], v); });
    if (!verb) continue;
    const std::size_t from = i >= 2 ? i - 2 : 0;
    for (std::size_t j = from; j < ws.size() && j <= i + 4; ++j)
      if (gone.count(ws[j])) return true;
  }
  return false;
}

}  // namespace

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
  // A picture changed into another picture: an image comes out of an image.
  if (image_transformed(ws, negated)) {
    r.outputs["image-out"] += 2;
    r.cues["output: image-out"].push_back("a picture turned into another");
  }
  // A blank in a text to fill: the picture-making words "fill in" and "restore" read there are the
  // restoring of the text, unless a picture is named.
  if (missing_text_restored(ws)) {
    r.outputs["fill"] += 2.5;
    r.cues["output: fill"].push_back("missing text restored");
    if (auto made = r.cues.find("output: image-out"); made != r.cues.end() && read_in(r, "image") == 0 && read_in(r, "video") == 0) {
      for (const char* w : {"fill in", "restore"})
        if (auto at = std::find(made->second.begin(), made->second.end(), w); at != made->second.end()) {
          made->second.erase(at);
          r.outputs["image-out"] = std::max(0.0, r.outputs["image-out"] - 1);
        }
      if (made->second.empty()) r.cues.erase(made), r.outputs.erase("image-out");
    }
  }
  // Speech put out: by a verb of giving or making, or a text "read out" with no picture to read it
  // from ("get the whole chapter read out"; "read out the meter in each photo" is reading a picture).
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const bool read_out = ws[i] == "read" && i + 1 < ws.size() && ws[i + 1] == "out" && read_in(r, "image") == 0 && read_in(r, "video") == 0;
    if ((i < negated.size() && negated[i]) || !(read_out || sound_made(ws, i))) continue;
    // A sound made is said as plainly as "text to speech": the verb names it as what comes out.
    r.outputs["speech-out"] += read_out ? 1.5 : 2;
    r.cues["output: speech-out"].push_back(read_out ? "a text read out" : "speech made");
  }
  // Matched to the closest one held ("match a user's question to the closest question we already
  // have", "match each listing to its nearest duplicate"): how similar two items are is the output.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!inflected(ws[i], "match") || (i < negated.size() && negated[i])) continue;
    bool closest = false;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 8 && !closest; ++j)
      closest = ws[j] == "closest" || ws[j] == "nearest" || (ws[j] == "most" && j + 1 < ws.size() && ws[j + 1] == "similar");
    if (!closest) continue;
    r.outputs["similar"] += 2;
    r.cues["output: similar"].push_back("matched to the closest");
    break;
  }
  // "From a prompt", "from my text prompt": the prompt is what goes in, named as plainly as "the
  // text" (a passing "prompt" is a weak cue: a prompt may also be what is written).
  for (std::size_t i = 1; i < ws.size(); ++i) {
    if (ws[i] != "prompt" || (i < negated.size() && negated[i])) continue;
    bool from = false;
    for (std::size_t k = 1; k <= 3 && k <= i && !from; ++k) from = ws[i - k] == "from";
    if (!from) continue;
    r.inputs["text"] += 1;
    r.cues["input: text"].push_back("from a prompt");
    break;
  }
  // "An image from a prompt", "64 x 64 textures from text prompts": a picture named as what a
  // prompt is turned into is what comes out (the prompt itself is read above as the text going in).
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if ((i < negated.size() && negated[i]) || !made_from_prompt(ws, i)) continue;
    r.outputs["image-out"] += 2;
    r.cues["output: image-out"].push_back("a picture made from a prompt");
    break;
  }
  // "Tell a whining child apart from a crying one": kinds told apart are a label.
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!inflected(ws[i], "tell") || (i < negated.size() && negated[i])) continue;
    bool apart = false;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 6 && !apart; ++j) apart = ws[j] == "apart";
    if (!apart) continue;
    r.outputs["label"] += 1.5;
    r.cues["output: label"].push_back("kinds told apart");
    break;
  }
}

}  // namespace sml::describe::reading_rules
