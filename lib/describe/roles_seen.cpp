// Role rules for pictures, cameras and sound: what is made and what is given, what the scene says
// a camera sees, what a verb asks of a thing seen or heard (roles.hpp).
#include "role_rules.hpp"

namespace sml::describe::role_rules {

namespace {

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

}  // namespace


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

}  // namespace sml::describe::role_rules
