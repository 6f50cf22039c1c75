#include "sml/describe/roles.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>

namespace sml::describe {
namespace {

using Words = std::vector<std::string>;

bool one_of(const std::string& w, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* x) { return w == x; });
}
bool has(const std::set<std::string>& s, const std::string& w) { return s.count(w) > 0; }

// The index of the first word in [from, from + span) that is in SET, stopping at a word in STOP;
// -1 if none.
long find_within(const Words& ws, std::size_t from, std::size_t span, const std::set<std::string>& set,
                 const std::set<std::string>& stop = {}) {
  for (std::size_t j = from; j < ws.size() && j < from + span; ++j) {
    if (has(set, ws[j])) return static_cast<long>(j);
    if (has(stop, ws[j])) return -1;
  }
  return -1;
}
bool any_word(const Words& ws, const std::set<std::string>& set) {
  return std::any_of(ws.begin(), ws.end(), [&](const std::string& w) { return has(set, w); });
}

void add(Reading& r, const std::string& kind, const std::string& name, double weight, const std::string& why) {
  auto& m = kind == "input" ? r.inputs : r.outputs;
  m[name] += weight;
  r.cues[kind + ": " + name].push_back(why);
}
// Takes back what a cue word gave (never below zero): the word plays another role here.
void take(Reading& r, const std::string& kind, const std::string& name, double weight) {
  auto& m = kind == "input" ? r.inputs : r.outputs;
  auto it = m.find(name);
  if (it != m.end()) it->second = std::max(0.0, it->second - weight);
}

// Words as TaskClassifier::words gives them (lower case, a plural 's' trimmed).
const std::set<std::string>& image_nouns() {
  static const std::set<std::string> s = {"image", "picture", "photo", "pic", "photograph", "art", "artwork", "illustration",
                                          "mockup", "render", "texture", "visual", "wallpaper", "icon", "logo", "graphic",
                                          "sketch", "poster", "drawing", "painting", "portrait", "concept", "scene"};
  return s;
}
const std::set<std::string>& camera_words() {
  static const std::set<std::string> s = {"camera", "cam", "webcam", "cctv", "dashcam", "doorbell", "bodycam"};
  return s;
}
// Things a camera sees that a detector boxes: people, animals, vehicles.
const std::set<std::string>& seen_things() {
  static const std::set<std::string> s = {"person", "people", "someone", "somebody", "anyone", "anybody", "visitor",
                                          "intruder", "stranger", "pedestrian", "cyclist", "worker", "child", "kid",
                                          "man", "woman", "face", "car", "truck", "vehicle", "bike", "bicycle", "animal",
                                          "bird", "dog", "cat", "fox", "deer", "squirrel", "rat", "mouse", "drone", "vehicle",
                                          "insect", "fish", "fruit"};
  return s;
}

// 1. Images made, not given: a verb of making whose object is an image ("generate new marketing
// images", "produce mockup pictures"). The image noun was read as an input; here it is the output.
// Made from words ("from a text prompt", "from a short description") the input is text; made with
// no words to follow ("no text prompts", or none named) the model learns from example images.
void made_images(const Words& ws, const std::vector<bool>& neg, Reading& r) {
  static const std::set<std::string> verbs = {"generate", "create", "produce", "make", "render", "draw", "design",
                                              "paint", "synthesise", "synthesize", "imagine", "invent"};
  static const std::set<std::string> stop = {"for", "from", "to", "that", "which", "with", "on", "in", "at", "by",
                                             "and", "so", "of", "it", "them", "box", "boxe", "around", "mask"};
  bool made = false;
  for (std::size_t i = 0; i < ws.size() && !made; ++i) {
    if (!has(verbs, ws[i])) continue;
    const long j = find_within(ws, i + 1, 4, image_nouns(), stop);
    if (j < 0) continue;
    made = true;
    add(r, "output", "image-out", 2.5, "made: " + ws[i] + " … " + ws[static_cast<std::size_t>(j)]);
  }
  if (!made) return;
  static const std::set<std::string> words = {"text", "prompt", "description", "brief", "caption", "sentence",
                                              "keyword", "word", "wording", "story", "script", "type", "typed", "write", "say"};
  bool from_words = false;
  for (std::size_t i = 0; i < ws.size() && !from_words; ++i) {
    const bool negated = i < neg.size() && neg[i];
    if (negated || !has(words, ws[i])) continue;
    // "from a short text prompt", "given a description", "text prompt", "prompted by".
    const bool after_from = i > 0 && std::any_of(ws.begin() + static_cast<long>(i > 4 ? i - 4 : 0), ws.begin() + static_cast<long>(i),
                                                 [](const std::string& w) { return w == "from" || w == "given" || w == "with"; });
    if (after_from || ws[i] == "prompt" || ws[i] == "text") from_words = true;
  }
  if (from_words) {
    add(r, "input", "text", 1.5, "images made from words");
    take(r, "input", "image", 1);
  } else {
    add(r, "input", "image", 1, "images made with no words to follow: learnt from example images");
    take(r, "input", "text", 1);
  }
}

// 2. What is given is the input: "given a generated image", "written by a student or by an LLM"
// (the text's origin is the question: a label), "recover the prompt" of a given image (a text out).
void given_and_origin(const Words& ws, Reading& r) {
  static const std::set<std::string> made = {"written", "generated", "produced", "made", "created", "drawn", "faked",
                                             "synthesised", "synthesized", "typed"};
  static const std::set<std::string> authors = {"llm", "chatbot", "assistant", "gpt", "chatgpt", "ai", "model", "machine", "bot"};
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!has(made, ws[i]) || ws[i + 1] != "by") continue;
    bool author = false;
    for (std::size_t j = i + 2; j < ws.size() && j < i + 8; ++j)
      if (has(authors, ws[j])) {
        author = true;
        take(r, "output", "text-out", 1);
      }
    if (author) add(r, "output", "label", 1.5, "who made it: " + ws[i] + " by … or …");
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "given") continue;
    const long j = find_within(ws, i + 1, 4, image_nouns(), {"to", "and", "from"});
    if (j < 0) continue;
    add(r, "input", "image", 1.5, "given an " + ws[static_cast<std::size_t>(j)]);
    if (j > 0 && ws[static_cast<std::size_t>(j) - 1] == "generated") take(r, "output", "image-out", 1);
    static const std::set<std::string> text_out = {"prompt", "caption", "description", "text", "title"};
    for (std::size_t k = 0; k + 1 < ws.size(); ++k)
      if (one_of(ws[k], {"recover", "infer", "guess", "reconstruct", "predict", "reverse"}) && find_within(ws, k + 1, 3, text_out) >= 0)
        add(r, "output", "description", 1.5, "words recovered from the image");
  }
}

// 3. The scene says a camera sees it: items on a conveyor belt or passing under a camera on a
// packing line, a doorbell or trap camera. 4. Clips from a camera are video.
void camera_scene(const Words& ws, Reading& r) {
  static const std::set<std::string> lines = {"packing", "production", "assembly", "sorting", "bottling", "inspection", "sortation"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] == "conveyor") {
      add(r, "input", "image", 1.5, "on a conveyor: seen by a camera");
      break;
    }
    if (ws[i] == "line" && i > 0 && has(lines, ws[i - 1])) {
      add(r, "input", "image", 1.5, ws[i - 1] + " line: seen by a camera");
      break;
    }
    if (one_of(ws[i], {"pass", "passe", "passing", "go", "goe", "going"}) && i + 1 < ws.size() && ws[i + 1] == "under" &&
        any_word(ws, camera_words())) {
      add(r, "input", "image", 1.5, "passing under the camera");
      break;
    }
  }
  if (any_word(ws, {"doorbell", "trap", "trail", "security", "surveillance"}) && any_word(ws, camera_words()))
    add(r, "input", "image", 1, "a fixed camera");
  if (any_word(ws, camera_words()) && any_word(ws, {"clip", "footage"}))
    add(r, "input", "video", 1.5, "clips from a camera");
}

// 5. A thing a camera sees, to be detected ("detect when a person walks up", "notice when a squirrel
// shows up"): where it is, so boxes; unless the statement is about sound.
void detect_seen_thing(const Words& ws, const std::map<std::string, std::vector<std::string>>& kinds, Reading& r) {
  auto get = [](const std::map<std::string, double>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  const double visual = std::max(get(r.inputs, "image"), get(r.inputs, "video")) + (any_word(ws, camera_words()) ? 1 : 0);
  // Nothing said of how it is sensed ("detect squirrels at the bird feeder"): a thing detected is
  // seen unless the statement speaks of sound.
  double read_any = 0;
  for (const auto& [m, v] : r.inputs) read_any = std::max(read_any, v);
  const bool unsaid = read_any == 0;
  if ((visual < 1 && !unsaid) || get(r.inputs, "audio") > visual) return;
  auto seen = [&](const std::string& w) {
    if (has(seen_things(), w)) return true;
    auto it = kinds.find(w);
    return it != kinds.end() && std::any_of(it->second.begin(), it->second.end(), [](const std::string& k) {
             // Living kinds only: WordNet's "vessel" makes a bottle a ship.
             return one_of(k, {"animal", "bird", "dog", "insect", "fish"});
           });
  };
  static const std::set<std::string> verbs = {"detect", "spot", "notice", "catch", "alert", "warn", "see", "find", "track"};
  static const std::set<std::string> stop = {"and", "from", "in", "on", "with", "by", "to", "that", "so"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 1; j < ws.size() && j < i + 5; ++j) {
      if (seen(ws[j])) {
        add(r, "output", "boxes", 2, ws[i] + " … " + ws[j] + ": where it is");
        if (unsaid) add(r, "input", "image", 1, ws[j] + " detected: seen");
        return;
      }
      if (has(stop, ws[j])) break;
    }
  }
}

// 6. A transcript that is given ("turn transcripts of consultations into notes", "transcripts arrive")
// is text going in; one asked for ("we need a transcript", "get transcripts") is the output, and
// so is one made as the speech happens ("live English transcripts of the radio channel"): nobody
// hands over a live transcript to be read.
void given_transcripts(const Words& ws, Reading& r) {
  static const std::set<std::string> asked = {"into", "get", "produce", "give", "make", "create", "generate", "want",
                                              "need", "as", "automatic", "accurate", "a", "an", "provide", "write", "return"};
  // Made as the speech happens, unless the text says they come in ("live lecture transcripts arrive as text").
  static const std::set<std::string> live = {"live", "realtime", "real-time", "instant", "streaming"};
  static const std::set<std::string> arriving = {"arrive", "arrives", "come", "comes", "coming", "are", "is", "land", "lands"};
  if (any_word(ws, {"transcribe", "transcription", "dictation", "dictate", "dictated"})) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "transcript") continue;
    bool is_asked = false, is_live = false, arrives = false;
    for (std::size_t j = i > 3 ? i - 3 : 0; j < i; ++j) {
      is_asked = is_asked || has(asked, ws[j]);
      is_live = is_live || has(live, ws[j]);
    }
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 3; ++j) arrives = arrives || has(arriving, ws[j]);
    if (is_asked || (is_live && !arrives)) return;
    take(r, "output", "transcript", 1);
    add(r, "input", "text", 1, "transcripts given");
    return;
  }
}

// 7. Text written from short notes ("descriptions from a few bullet points") is longer than what
// goes in: generation, not a summary.
void written_from_notes(const Words& ws, Reading& r) {
  static const std::set<std::string> notes = {"bullet", "spec", "specification", "keyword", "outline", "attribute", "note"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "from") continue;
    const long j = find_within(ws, i + 1, 5, notes, {"to", "into", "and"});
    if (j < 0) continue;
    if (ws[static_cast<std::size_t>(j)] == "bullet") take(r, "output", "summary", 0.5);
    add(r, "output", "text-out", 1.5, "written from " + ws[static_cast<std::size_t>(j)] + "s");
    return;
  }
}

// 8. "Predict which members will cancel": which entity does something is a label per entity, not
// a future value of a quantity; "next month" says when, not what is forecast.
void which_will(const Words& ws, Reading& r) {
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!one_of(ws[i], {"predict", "tell", "know", "flag", "guess", "forecast", "identify", "find", "spot"})) continue;
    const long j = find_within(ws, i + 1, 2, {"which", "who", "whether", "if"});
    if (j < 0) continue;
    if (find_within(ws, static_cast<std::size_t>(j) + 1, 6, {"will", "likely", "going"}) < 0) continue;
    add(r, "output", "label", 1.5, ws[i] + " " + ws[static_cast<std::size_t>(j)] + " … will: a label per entity");
    take(r, "output", "future", 1);
    return;
  }
}

// 9. Two texts compared ("whether two questions ask the same thing"): similarity of a pair; the
// questions are compared, not answered.
void compared_pair(const Words& ws, Reading& r) {
  static const std::set<std::string> texts = {"question", "sentence", "text", "document", "post", "title", "description",
                                              "ticket", "review", "listing", "record", "message", "email", "name", "address"};
  auto it = r.outputs.find("similar");
  if (it == r.outputs.end() || it->second < 1.5) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!one_of(ws[i], {"two", "2", "pair", "both"})) continue;
    const long j = find_within(ws, i + 1, 3, texts);
    if (j < 0) continue;
    add(r, "output", "similar", 1.5, ws[i] + " " + ws[static_cast<std::size_t>(j)] + "s compared");
    if (ws[static_cast<std::size_t>(j)] == "question") take(r, "output", "answer", 1);
    return;
  }
}

// 10. A label for each unit of a text ("for each contract clause, is it favourable, neutral or
// risky"): one label per clause, not per token.
void label_per_unit(const Words& ws, Reading& r) {
  static const std::set<std::string> units = {"clause", "sentence", "paragraph", "email", "review", "message", "ticket",
                                              "document", "article", "comment", "post", "section", "page", "call", "letter"};
  auto it = r.outputs.find("label");
  if (it == r.outputs.end() || it->second < 0.5) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!one_of(ws[i], {"each", "every", "per"})) continue;
    const long j = find_within(ws, i + 1, 3, units);
    if (j < 0) continue;
    add(r, "output", "label", 1, ws[i] + " … " + ws[static_cast<std::size_t>(j)] + ": a label per unit");
    return;
  }
}

// 11. Text written from an image ("draft the findings paragraph directly from chest x-rays",
// "write a sentence about each photo"): a description of the image, not a label.
void text_from_image(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"write", "draft", "generate", "produce", "create", "compose", "describe"};
  static const std::set<std::string> texts = {"paragraph", "report", "sentence", "caption", "description", "summary",
                                              "text", "note", "finding", "line", "story"};
  std::set<std::string> images = image_nouns();
  for (const char* w : {"ray", "xray", "radiograph", "scan", "mri", "frame", "screenshot", "slide"}) images.insert(w);
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    const long t = find_within(ws, i + 1, 4, texts);
    if (t < 0) continue;
    const long f = find_within(ws, static_cast<std::size_t>(t) + 1, 6, {"from", "of", "about", "for"});
    if (f < 0 || find_within(ws, static_cast<std::size_t>(f) + 1, 5, images) < 0) continue;
    add(r, "output", "description", 2, ws[i] + " " + ws[static_cast<std::size_t>(t)] + " from an image");
    return;
  }
  // "Translate each image into the molecule's InChI text string", "turn the scans into text": an
  // image made into words.
  static const std::set<std::string> turn = {"translate", "convert", "turn", "transform", "map"};
  static const std::set<std::string> words_out = {"text", "string", "caption", "description", "sentence", "word", "notation"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(turn, ws[i])) continue;
    const long im = find_within(ws, i + 1, 3, images, {"into", "to"});
    if (im < 0) continue;
    const long to = find_within(ws, static_cast<std::size_t>(im) + 1, 2, {"into", "to"});
    if (to < 0 || find_within(ws, static_cast<std::size_t>(to) + 1, 5, words_out) < 0) continue;
    add(r, "output", "description", 2, ws[i] + " an " + ws[static_cast<std::size_t>(im)] + " into words");
    return;
  }
}

// 13c. A part of a text picked out of it: "pick out the word or phrase in the tweet that carries the
// sentiment", "highlight the sentences of the contract that ...", "point to the span in the passage":
// the words themselves are the output (a span, tokens), not a label for the whole text.
void span_in_text(const Words& ws, Reading& r) {
  static const std::set<std::string> parts = {"word", "phrase", "span", "sentence", "passage", "part", "clause", "line"};
  static const std::set<std::string> texts = {"text", "tweet", "post", "comment", "review", "message", "email", "document",
                                              "passage", "article", "contract", "letter", "note", "transcript", "sentence", "paragraph"};
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    const bool verb = ((ws[i] == "pick" || ws[i] == "pull" || ws[i] == "single") && ws[i + 1] == "out") ||
                      ws[i] == "highlight" || ws[i] == "underline" || ws[i] == "select" || ws[i] == "extract" ||
                      (ws[i] == "point" && ws[i + 1] == "to");
    if (!verb) continue;
    const long p = find_within(ws, i + 1, 5, parts);
    if (p < 0) continue;
    const long in = find_within(ws, static_cast<std::size_t>(p) + 1, 4, {"in", "of", "from", "within"});
    if (in < 0 || find_within(ws, static_cast<std::size_t>(in) + 1, 3, texts) < 0) continue;
    add(r, "output", "tokens", 2, "a part of the text picked out: " + ws[static_cast<std::size_t>(p)]);
    return;
  }
}

// 13b. A degree to predict: "predict the surface roughness of each part", "estimate the porosity",
// "predict the tensile strength". English names a measurable degree with -ness and -ity nouns and
// the -th nouns of size (length, width, depth, strength); after a verb of prediction such a noun
// is a number, whatever the item or the sensors say.
void degree_to_predict(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"predict", "estimate", "forecast", "infer", "regress", "gauge"};
  static const std::set<std::string> sizes = {"length", "width", "depth", "strength", "breadth", "height", "thickness", "growth"};
  static const std::set<std::string> stop = {"from", "with", "whether", "if", "which", "when", "who", "and", "or"};
  const auto ends = [](const std::string& w, const char* s) {
    const std::size_t n = std::char_traits<char>::length(s);
    return w.size() > n + 3 && w.compare(w.size() - n, n, s) == 0;
  };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 4; ++j) {
      if (has(stop, ws[j])) break;
      if (ends(ws[j], "ness") || ends(ws[j], "ity") || has(sizes, ws[j])) {
        add(r, "output", "number", 1.5, "a degree to predict: " + ws[j]);
        return;
      }
    }
  }
}

// 13d. A quantity asked for in a unit, or what is left of something: "predict the wear of each
// tool in micrometres", "estimate how many hours each disk has left before it fails", "the
// remaining useful life of each gearbox". A unit of measure or a count of what remains is a
// number, however much the sensors, the failures or the items sound like fault monitoring.
void quantity_to_predict(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"predict", "estimate", "forecast", "infer", "regress", "gauge", "calculate"};
  // Units of measure, singular (the words are compared with a plural "s" or "es" taken off).
  static const std::set<std::string> units = {
      "micrometre", "micrometer", "micron", "millimetre", "millimeter", "centimetre", "centimeter", "metre", "meter",
      "kilometre", "kilometer", "mm", "cm", "km", "inch", "feet", "foot", "mile", "second", "minute", "hour", "day", "week",
      "month", "year", "cycle", "degree", "celsius", "fahrenheit", "kelvin", "gram", "kilogram", "kg", "tonne", "ton",
      "litre", "liter", "euro", "dollar", "pound", "percent", "kwh", "watt", "kw", "mw", "bar", "pascal", "kpa", "mpa",
      "newton", "hz", "decibel", "db", "rpm", "volt", "ampere", "lux", "ppm"};
  static const std::set<std::string> left = {"left", "remain", "remaining", "remains"};
  const auto singular = [](const std::string& w) {
    if (w.size() > 4 && w.compare(w.size() - 2, 2, "es") == 0 && units.count(w.substr(0, w.size() - 2))) return w.substr(0, w.size() - 2);
    if (w.size() > 2 && w.back() == 's') return w.substr(0, w.size() - 1);
    return w;
  };
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    // "remaining useful life", "remaining life", "time to failure", "time until it fails".
    if ((ws[i] == "remaining" && (ws[i + 1] == "life" || (i + 2 < ws.size() && ws[i + 1] == "useful" && ws[i + 2] == "life"))) ||
        (ws[i] == "time" && (ws[i + 1] == "to" || ws[i + 1] == "until") && i + 2 < ws.size() &&
         (ws[i + 2] == "failure" || ws[i + 2] == "failures" || ws[i + 2] == "it" || ws[i + 2] == "breakdown"))) {
      add(r, "output", "number", 2, "what is left: " + ws[i] + " " + ws[i + 1]);
      return;
    }
    // "how many cycles / hours ... left / remaining": a count of what remains, not of objects seen.
    if (ws[i] == "how" && ws[i + 1] == "many" && i + 2 < ws.size() && units.count(singular(ws[i + 2])) &&
        find_within(ws, i + 3, 8, left) >= 0) {
      add(r, "output", "number", 2, "what is left: how many " + ws[i + 2]);
      if (r.outputs.count("boxes")) {
        auto& said = r.cues["output: boxes"];
        if (auto at = std::find(said.begin(), said.end(), std::string("how many")); at != said.end()) {
          said.erase(at);
          r.outputs["boxes"] = std::max(0.0, r.outputs["boxes"] - 1);
        }
      }
      return;
    }
    // "predict the wear of each tool in micrometres": a verb of prediction, then "in" a unit.
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 1; j + 1 < ws.size() && j <= i + 10; ++j)
      if (ws[j] == "in" && units.count(singular(ws[j + 1]))) {
        add(r, "output", "number", 2, "a quantity in " + ws[j + 1]);
        return;
      }
  }
}

// A word naming computing hardware: "GPU", "server", "Linux", or a model number ("A100", "T4",
// "4090"): letters and digits, or digits alone.
bool hardware_word(const std::string& w) {
  static const std::set<std::string> words = {"gpu", "gpus", "server", "linux", "windows", "ubuntu", "dev", "build",
                                              "compute", "cuda", "workstation", "nvidia", "rtx", "xeon", "epyc", "cpu"};
  if (has(words, w)) return true;
  const bool digit = std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); });
  const bool alpha_or_digit = std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isalnum(c); });
  return digit && alpha_or_digit && w.size() >= 2;
}

// 14. Things found in a moving view ("spots traffic signs live in the camera preview", "find the
// logos in each frame"): where they are, so boxes.
void found_in_picture(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"detect", "spot", "spots", "find", "locate", "notice", "pick", "mark"};
  // A moving view, where things come and go: "spot scratches in photos" may ask only whether.
  static const std::set<std::string> pictures = {"preview", "frame", "feed", "viewfinder", "footage", "stream"};
  static const std::set<std::string> article = {"the", "a", "an", "each", "every", "our", "my", "its", "their", "camera", "live", "video"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 2; j < ws.size() && j < i + 7; ++j) {
      if (ws[j] != "in" && ws[j] != "on") continue;
      std::size_t k = j + 1;
      while (k < ws.size() && k < j + 4 && has(article, ws[k]) && !has(pictures, ws[k])) ++k;
      if (k < ws.size() && (has(pictures, ws[k]) || has(camera_words(), ws[k]))) {
        add(r, "output", "boxes", 2, ws[i] + " … in the " + ws[k] + ": where it is");
        return;
      }
      break;
    }
  }
}

// 15. When someone starts or stops speaking ("start recording only when the user begins to
// speak"): where speech is, in sound.
void speech_start(const Words& ws, Reading& r) {
  static const std::set<std::string> edges = {"begin", "start", "stop", "finish", "end", "pause"};
  static const std::set<std::string> speaking = {"speak", "speaking", "talk", "talking", "say", "saying"};
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!has(edges, ws[i])) continue;
    if (find_within(ws, i + 1, 2, speaking) < 0) continue;
    add(r, "output", "speech-present", 2.5, ws[i] + " to speak: where speech is");
    add(r, "input", "audio", 1, "speech heard");
    return;
  }
}

// 16. An assistant or chatbot that answers questions, with no text named to answer from ("an
// assistant that answers customer questions about shipping"), writes its answers: generation, not
// a span found in a given passage ("from our handbook", "quote the paragraph").
void assistant_answers(const Words& ws, const std::map<std::string, std::vector<std::string>>& kinds, Reading& r) {
  static const std::set<std::string> agents = {"assistant", "chatbot", "bot", "agent", "copilot"};
  if (!any_word(ws, agents) || !any_word(ws, {"answer", "answering", "question", "ask"})) return;
  static const std::set<std::string> cited = {"quote", "cite", "paragraph", "passage", "page", "source", "span", "section"};
  if (any_word(ws, cited)) return;
  static const std::set<std::string> sources = {"manual", "handbook", "pdf", "document", "doc", "wiki", "faq", "policy",
                                                "article", "knowledge", "guide", "rulebook", "contract", "documentation"};
  auto source = [&](const std::string& w) {
    if (has(sources, w)) return true;
    auto it = kinds.find(w);
    return it != kinds.end() && std::find(it->second.begin(), it->second.end(), "document") != it->second.end();
  };
  // The general words (WordNet's kinds) are appended after the statement's own: not read here.
  std::size_t n = ws.size();
  auto general = [&](const std::string& w) {
    return std::any_of(kinds.begin(), kinds.end(), [&](const auto& k) {
      return std::find(k.second.begin(), k.second.end(), w) != k.second.end();
    });
  };
  while (n > 0 && general(ws[n - 1])) --n;
  for (std::size_t i = 0; i < n; ++i) {
    if (!one_of(ws[i], {"from", "over", "using", "on", "in", "with"})) continue;
    for (std::size_t j = i + 1; j < n && j < i + 4; ++j)
      if (source(ws[j])) return;
  }
  add(r, "output", "text-out", 2.5, "an assistant answers with no text to answer from: it writes");
  // Its answers are written, not found: the question words speak for no span to extract.
  if (auto it = r.outputs.find("answer"); it != r.outputs.end()) take(r, "output", "answer", it->second);
}

// 17. A number predicted from the readings of one moment ("how much the beds need watering from 12
// sensor readings"), with no word of time (history, the next day, hourly): the readings are a row
// of features, not a series whose future is asked.
void readings_of_a_moment(const Words& ws, Reading& r) {
  auto get = [&](const std::map<std::string, double>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  if (get(r.outputs, "number") <= 0 || get(r.outputs, "future") > 0 || get(r.inputs, "series") <= 0) return;
  if (!any_word(ws, {"sensor", "reading", "measurement"})) return;
  static const std::set<std::string> time = {"history", "historical", "past", "last", "previous", "next", "tomorrow", "future",
                                             "forecast", "hourly", "daily", "weekly", "monthly", "year", "month", "week", "day",
                                             "hour", "minute", "trend", "ahead", "series", "timeseries", "sequence", "window",
                                             "season", "seasonal", "over", "later", "soon", "before", "until", "when", "log",
                                             "stream", "continuous", "second", "ago", "yesterday", "today", "tonight"};
  if (any_word(ws, time)) return;
  take(r, "input", "series", get(r.inputs, "series"));
  add(r, "input", "tabular", 1.5, "readings of one moment: a row of features");
}

// 13. Boxes picked, stacked or carried are things, not boxes drawn around things; "an A100 box",
// "a GPU box", "the Linux box" is a computer.
void physical_boxes(const Words& ws, Reading& r) {
  static const std::set<std::string> handling = {"pick", "lift", "stack", "pack", "carry", "move", "load", "unload",
                                                 "deliver", "ship", "open", "grab", "place", "push", "drop"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "box" && ws[i] != "boxe") continue;
    // Device names are masked out before the roles are read, so "we have an A100 box" arrives
    // as "we have an box": a box the writer has, owns, rents or runs on is their machine too.
    static const std::set<std::string> owning = {"have", "has", "got", "own", "rent", "use", "using", "on"};
    static const std::set<std::string> article = {"a", "an", "our", "my", "the", "one"};
    bool handled = (i > 0 && hardware_word(ws[i - 1])) || (i > 1 && has(article, ws[i - 1]) && has(owning, ws[i - 2]));
    // "serve it from the same box", "runs on this box": the box a model runs on or is served from.
    static const std::set<std::string> served = {"from", "on", "onto", "to"};
    static const std::set<std::string> which_box = {"same", "own", "this", "that", "one"};
    handled = handled || (i > 2 && has(which_box, ws[i - 1]) && has(article, ws[i - 2]) && has(served, ws[i - 3])) ||
              (i > 1 && has(article, ws[i - 1]) && has(served, ws[i - 2]) && i + 1 == ws.size());
    for (std::size_t j = i > 3 ? i - 3 : 0; j < i; ++j) handled = handled || has(handling, ws[j]);
    if (!handled) continue;
    // Every box word of the statement is the thing handled ("pick boxes ... when a box lands").
    take(r, "output", "boxes", 4);
    return;
  }
}

// 12. "Similar students", "similar users": people alike in what they did, the ground of a
// recommendation, not texts compared.
void similar_people(const Words& ws, Reading& r) {
  static const std::set<std::string> people = {"student", "user", "customer", "people", "listener", "shopper", "viewer",
                                               "reader", "player", "member", "learner", "subscriber", "buyer", "guest"};
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!one_of(ws[i], {"similar", "like-minded"}) || find_within(ws, i + 1, 2, people) < 0) continue;
    take(r, "output", "similar", 2);
    add(r, "output", "recommend", 1.5, "what similar " + ws[i + 1] + "s did");
    return;
  }
}

}  // namespace

std::vector<bool> negated_words(const std::string& text) {
  std::vector<bool> out;
  int left = 0;  // words still negated in this clause
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    std::string w = cur;
    cur.clear();
    if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
    if (one_of(w, {"but", "just", "only", "instead", "rather", "except"})) left = 0;
    // A preposition ends the noun phrase denied: "person / no person from a grayscale camera" denies
    // the person, not the camera.
    if (one_of(w, {"from", "on", "in", "at", "with", "via", "using", "by", "into"})) left = 0;
    out.push_back(left > 0);
    if (left > 0) --left;
    if (one_of(w, {"no", "not", "without", "dont", "don", "doesn", "didn", "never", "nor", "cannot", "isn", "aren", "won",
                   "nobody", "none", "neither", "nothing"}))
      left = w == "don" || w == "doesn" || w == "didn" || w == "isn" || w == "aren" || w == "won" ? 7 : 6;  // "don 't": the "t" is a word
  };
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      cur += static_cast<char>(std::tolower(c));
      continue;
    }
    flush();
    if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')') left = 0;
  }
  flush();
  return out;
}

void read_roles(const std::vector<std::string>& words, const std::vector<bool>& negated,
                const std::map<std::string, std::vector<std::string>>& kinds, Reading& r) {
  // Negated words play no role: "no text prompts" asks for none.
  Words ws;
  for (std::size_t i = 0; i < words.size(); ++i) ws.push_back(i < negated.size() && negated[i] ? std::string() : words[i]);
  made_images(ws, negated, r);
  given_and_origin(ws, r);
  camera_scene(ws, r);
  detect_seen_thing(ws, kinds, r);
  given_transcripts(ws, r);
  written_from_notes(ws, r);
  which_will(ws, r);
  compared_pair(ws, r);
  label_per_unit(ws, r);
  text_from_image(ws, r);
  degree_to_predict(ws, r);
  quantity_to_predict(ws, r);
  span_in_text(ws, r);
  similar_people(ws, r);
  physical_boxes(ws, r);
  found_in_picture(ws, r);
  speech_start(ws, r);
  assistant_answers(ws, kinds, r);
  readings_of_a_moment(ws, r);
}

}  // namespace sml::describe
