#include <algorithm>
#include <cctype>
#include <set>

#include "reading_rules.hpp"

// Context tests a cue must pass where it is read: whether the thing it names is given rather than
// asked for, made rather than read, or another thing spelt the same ("a Linux box", "play the news").
namespace sml::describe::reading_rules {
namespace {
bool has_digit(const std::string& w) {
  return std::any_of(w.begin(), w.end(), [](unsigned char ch) { return std::isdigit(ch); });
}
// Whether one of the verbs MAKE, as listed or in its "-ing" form ("generating one picture"), comes
// within four words before word I, with no preposition or conjunction between: the thing at I is
// then made, not given.
bool made_by(const std::vector<std::string>& ws, std::size_t i, const std::set<std::string>& make) {
  static const std::set<std::string> stop = {"for", "from", "of", "in", "on", "with", "using", "to", "into", "by", "and", "or"};
  for (std::size_t k = 1; k <= 4 && k <= i; ++k) {
    // A past participle describes what is held ("given a generated image"), not what is to be made.
    const std::string& w = ws[i - k];
    if (make.count(w) || (w.back() != 'd' && std::any_of(make.begin(), make.end(), [&](const std::string& m) { return inflected(w, m); })))
      return true;
    if (stop.count(ws[i - k])) return false;
  }
  return false;
}
}  // namespace

// Whether the cue of N words at I names something given, not what is asked for: "predict the
// interest a listing will get from its price, bedrooms and location", "the asking price is one of
// the columns". A verb of prediction met first, looking back ("predict the price from ..."), keeps it
// the output.
bool named_as_input(const std::vector<std::string>& ws, std::size_t i, std::size_t n) {
  static const std::set<std::string> given = {"from", "given", "using", "with", "including", "include", "includes"};
  static const std::set<std::string> asked = {"predict", "estimate", "forecast", "guess", "what", "how", "suggest",
                                              "calculate", "compute"};
  for (std::size_t k = 1; k <= 3 && k <= i; ++k) {
    if (asked.count(ws[i - k])) break;
    if (given.count(ws[i - k])) return true;
  }
  static const std::set<std::string> fields = {"column", "feature", "input", "variable", "predictor", "field", "attribute"};
  for (std::size_t j = i + n; j + 3 < ws.size() && j <= i + n + 3; ++j) {
    if ((ws[j] == "one" && ws[j + 1] == "of" && ws[j + 2] == "the" && fields.count(ws[j + 3])) ||
        (ws[j] == "as" && (ws[j + 1] == "a" || ws[j + 1] == "an") && fields.count(ws[j + 2])))
      return true;
  }
  return false;
}

// Whether the vector cue at I is among what is given: "given", "from", "using", "with" or "we have" within
// twelve words before it, no verb of asking or wanting between ("given the network and a feature
// vector per protein"; "compute an embedding per photo", "we want a vector per listing" ask for one).
bool vectors_given(const std::vector<std::string>& ws, std::size_t i) {
  // Vectors said to exist already ("the audio embeddings the wake-word pipeline already computes",
  // "our precomputed embeddings", "the existing vectors") are what the model reads: none is asked for.
  // ("Pre-computed" reaches here as "computed": describe_text blanks a dashed "pre-".) The clause
  // after the vector ends at a conjunction or a purpose ("an embedding per photo so we can find
  // those already sold").
  static const std::set<std::string> existing = {"existing", "precomputed", "computed", "cached", "stored"};
  for (std::size_t k = 1; k <= 3 && k <= i; ++k)
    if (existing.count(ws[i - k])) return true;
  static const std::set<std::string> clause_end = {"so", "to", "and", "but", "then", "because", "for", "or"};
  for (std::size_t j = i + 1; j < ws.size() && j <= i + 6 && !clause_end.count(ws[j]); ++j)
    if (ws[j] == "already") return true;
  static const std::set<std::string> given = {"given", "from", "using", "with", "including", "plus", "have", "has", "had", "got"};
  static const std::set<std::string> asked = {"compute", "computing", "produce", "return", "output", "want", "need", "get",
                                              "turn", "into", "create", "generate", "make", "learn", "embed", "extract",
                                              "calculate", "store", "give", "to", "for", "so"};
  for (std::size_t k = 1; k <= 12 && k <= i; ++k) {
    if (asked.count(ws[i - k])) return false;
    if (given.count(ws[i - k])) return true;
  }
  return false;
}

// Whether the cue ending before J says how the labels were made, not what goes in: "the experiment
// was video recorded to label the data manually", "we film each session for annotation". The
// camera served the annotators; the model reads the sensors.
bool made_for_labelling(const std::vector<std::string>& ws, std::size_t j) {
  for (std::size_t k = j; k + 1 < ws.size() && k <= j + 4; ++k) {
    if (ws[k] != "to" && ws[k] != "for") continue;
    const std::string& w = ws[k + 1];
    for (const char* stem : {"label", "annotat", "ground"})
      if (w.rfind(stem, 0) == 0) return true;
  }
  return false;
}

// Whether the "box" at I is a computer: "our Xeon Platinum 8380 box", "a Linux box", "the GPU box".
// A model number or a word for a machine before it says so; boxes drawn around things are plural or
// "bounding".
bool machine_box(const std::vector<std::string>& ws, std::size_t i) {
  if (ws[i] != "box" || i == 0) return false;
  static const std::set<std::string> machine = {"server", "linux", "windows", "ubuntu", "xeon", "epyc", "gpu", "cpu",
                                                "build", "dev", "compute", "inference", "nuc", "desktop", "workstation",
                                                "test", "home", "storage", "jump", "intel", "amd", "nvidia", "dell",
                                                "lenovo", "hp", "supermicro", "rack", "mini", "pc", "x86", "arm"};
  const std::string& w = ws[i - 1];
  return machine.count(w) || (w.size() >= 3 && has_digit(w));
}

// Whether the "play" at I is a command to a player ("play BBC Radio 4", "play my playlist", "play
// the news"): what is played is a medium, not a game an agent learns to win.
bool plays_media(const std::vector<std::string>& ws, std::size_t i) {
  if (ws[i] != "play" || i + 1 >= ws.size()) return false;
  static const std::set<std::string> media = {"radio", "music", "song", "track", "album", "playlist", "podcast", "station",
                                              "bbc", "spotify", "audio", "video", "movie", "film", "news", "some", "my",
                                              "audiobook", "sound", "episode", "channel", "tune", "record"};
  for (std::size_t k = i + 1; k < ws.size() && k <= i + 2; ++k)
    if (media.count(ws[k])) return true;
  return false;
}

// Whether the image cue at I is what is made, not what goes in: "render 50k product thumbnails",
// "generate images of ...". A verb of making within four words before it, with no preposition
// between ("generate captions for the images" keeps the images an input).
bool made_image(const std::vector<std::string>& ws, std::size_t i) {
  static const std::set<std::string> make = {"render", "generate", "create", "draw", "produce", "make", "design",
                                             "synthesise", "synthesize", "paint"};
  // A software image ("make my docker image smaller", "the disk image") is no picture.
  static const std::set<std::string> software = {"docker", "container", "disk", "iso", "vm", "os", "system", "base", "boot", "firmware"};
  if (i > 0 && software.count(ws[i - 1])) return false;
  return made_by(ws, i, make);
}

// Whether the "voice" at I is one to be made, not one to be heard: "clone the voice of our host",
// "imitate my grandfather's voice", "recreate the voice of the founder". The verbs of making of
// made_image, and those of making again, within four words before it with no preposition between
// ("transcribe the calls made with a cloned voice" keeps the calls the input).
bool made_voice(const std::vector<std::string>& ws, std::size_t i) {
  if (ws[i] != "voice") return false;
  // "Voice" as the head of its phrase only: "make voice notes searchable", "produce voice recordings"
  // name recordings held. The word after it ends the phrase (a preposition or a conjunction) or there is none.
  static const std::set<std::string> phrase_end = {"of", "from", "for", "so", "to", "and", "that", "with", "in", "using",
                                                   "on", "as", "by", "which", "who", "when", "while", "but", "or", "is"};
  if (i + 1 < ws.size() && !phrase_end.count(ws[i + 1])) return false;
  static const std::set<std::string> make = {"clone", "cloned", "cloning", "recreate", "recreating", "imitate", "imitating",
                                             "mimic", "mimicking", "reproduce", "reproducing", "copy", "copying",
                                             "synthesise", "synthesize", "generate", "create", "produce", "make",
                                             "revive", "resurrect"};
  return made_by(ws, i, make);
}

// Whether the word at J is a verb of turning ("turn", "convert", "transform", "change") used as a
// verb: after a determiner, a word of degree or a verb of noticing it is a noun ("detect changes to
// speech patterns", "any change to speech", "small changes to speech"), and the "to" after it says
// what changed, not what something is turned into.
bool turning_verb(const std::vector<std::string>& ws, std::size_t j) {
  static const std::vector<std::string> turn = {"turn", "convert", "transform", "change"};
  if (j >= ws.size() || std::none_of(turn.begin(), turn.end(), [&](const std::string& v) { return inflected(ws[j], v); })) return false;
  static const std::set<std::string> before_noun = {"the", "a", "an", "any", "some", "no", "these", "those", "this", "that", "its",
                                                    "their", "our", "my", "his", "her", "your", "of", "small", "subtle", "sudden",
                                                    "slight", "gradual", "recent", "big", "major", "minor", "early", "detect",
                                                    "spot", "notice", "track", "monitor", "flag", "see", "find", "measure", "catch"};
  return j == 0 || !std::any_of(before_noun.begin(), before_noun.end(), [&](const std::string& v) { return inflected(ws[j - 1], v); });
}

// Whether the sound at I ("speech", "audio", "voice", "narration") is one to be made, not one
// heard: "it gives me 2 minutes of speech", "generate audio from the script", "generating speech
// takes 20 seconds" (a verb of giving or making before it, no preposition between); "60 seconds of
// audio generated per second" (a participle of making after it); "turning text into speech" (what a
// verb of turning turns something into). A noun after it makes it a modifier ("produce audio
// recordings" names data held).
bool sound_made(const std::vector<std::string>& ws, std::size_t i) {
  static const std::set<std::string> sound = {"speech", "audio", "voice", "narration", "voiceover"};
  if (i >= ws.size() || !sound.count(ws[i])) return false;
  static const std::vector<std::string> give = {"give", "gave", "return", "produce", "generate", "output", "synthesise",
                                                "synthesize", "create", "spit"};
  // "Per" ends the search too: "tokens generated per second of audio" is a rate over the audio heard.
  static const std::set<std::string> stop = {"from", "for", "in", "on", "with", "using", "into", "by", "and", "or", "the", "our", "my", "per"};
  static const std::set<std::string> held = {"recording", "file", "clip", "data", "sample", "stream", "track", "input",
                                             "feed", "signal", "message", "note", "memo", "command", "call", "dataset",
                                             "corpus", "log", "transcript", "segment", "quality", "level", "classification"};
  if (i + 1 < ws.size() && held.count(ws[i + 1])) return false;
  static const std::set<std::string> made_after = {"generated", "produced", "synthesised", "synthesized", "created"};
  if (i + 1 < ws.size() && made_after.count(ws[i + 1])) return true;
  if (i > 0 && (ws[i - 1] == "into" || ws[i - 1] == "to")) {
    for (std::size_t k = 2; k <= 6 && k <= i; ++k)
      if (turning_verb(ws, i - k)) return true;
  }
  for (std::size_t k = 1; k <= 5 && k <= i; ++k) {
    const std::string& w = ws[i - k];
    if (std::any_of(give.begin(), give.end(), [&](const std::string& v) { return inflected(w, v); })) return true;
    if (stop.count(w)) return false;
  }
  return false;
}

// Whether the word at I is a picture made from a prompt: "an image from a prompt", "textures from
// text prompts". The picture, then "from" at most two words on, then the prompt at most three words
// further. (A description is not enough: "a caption for each photo from its description" makes text.)
bool made_from_prompt(const std::vector<std::string>& ws, std::size_t i) {
  static const std::set<std::string> pictures = {"image", "picture", "pic", "photo", "texture", "illustration", "artwork",
                                                 "drawing", "painting", "render", "logo", "icon", "sprite", "wallpaper",
                                                 "portrait"};
  if (i >= ws.size() || !pictures.count(ws[i])) return false;
  static const std::set<std::string> prompts = {"prompt"};
  for (std::size_t j = i + 1; j < ws.size() && j <= i + 2; ++j) {
    if (ws[j] != "from") continue;
    for (std::size_t k = j + 1; k < ws.size() && k <= j + 3; ++k)
      if (prompts.count(ws[k])) return true;
    return false;
  }
  return false;
}

// Whether "synthetic" at I describes data held, not images wanted: "trained on 8 million synthetic
// line images", "synthetic data". A data noun follows within two words, and no verb of making
// comes just before ("generate synthetic images" asks for them).
bool synthetic_data(const std::vector<std::string>& ws, std::size_t i) {
  if (ws[i] != "synthetic") return false;
  static const std::set<std::string> data = {"data", "dataset", "image", "sample", "example", "record", "line", "text",
                                             "set", "corpus", "photo", "picture", "audio", "speech"};
  static const std::set<std::string> make = {"generate", "create", "produce", "make", "render", "synthesise", "synthesize",
                                             "need", "want", "more"};
  bool noun = false;
  for (std::size_t k = i + 1; k < ws.size() && k <= i + 2; ++k) noun |= data.count(ws[k]) > 0;
  if (!noun) return false;
  for (std::size_t k = 1; k <= 2 && k <= i; ++k)
    if (make.count(ws[i - k])) return false;
  return true;
}

// Whether the "minute" at I is a length of time: a number or a word of quantity before it.
bool duration_minute(const std::vector<std::string>& ws, std::size_t i) {
  static const std::set<std::string> quantity = {"a", "one", "two", "three", "four", "five", "ten", "fifteen", "twenty",
                                                 "thirty", "few", "several", "many", "couple", "per", "every", "each",
                                                 "half", "last", "next", "within", "under", "over", "some", "more", "of"};
  return has_digit(ws[i - 1]) || quantity.count(ws[i - 1]) > 0;
}
}  // namespace sml::describe::reading_rules
