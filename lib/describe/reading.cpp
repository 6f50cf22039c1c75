#include "sml/describe/reading.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "sml/describe/text_task.hpp"
#include "cues.hpp"
#include "task_signatures.hpp"

namespace sml::describe {
namespace {

using cues::Cue;
using cues::CueGroup;
using cues::input_groups;
using cues::learning_cues;
using cues::office_cues;
using cues::output_groups;
using signatures::specific_outputs;

// Cue tables: cues.hpp (one file per family). A combined list, inputs first, in the order cues are read.
const std::vector<CueGroup>& groups() {
  static const std::vector<CueGroup> g = [] {
    std::vector<CueGroup> v = input_groups();
    v.insert(v.end(), output_groups().begin(), output_groups().end());
    return v;
  }();
  return g;
}

struct Compiled {
  std::vector<std::string> words;
  double weight;
  const CueGroup* group;  // null for the learning / office lists
  int list;               // 0 group, 1 learning, 2 office
  std::string text;
};

const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> all = [] {
    std::vector<Compiled> v;
    for (const auto& g : groups())
      for (const auto& c : g.cues) v.push_back({TaskClassifier::words(c.text), c.weight, &g, 0, c.text});
    for (const auto& c : learning_cues()) v.push_back({TaskClassifier::words(c.text), c.weight, nullptr, 1, c.text});
    for (const auto& c : office_cues()) v.push_back({TaskClassifier::words(c.text), c.weight, nullptr, 2, c.text});
    return v;
  }();
  return all;
}

}  // namespace

// Whether the text's word W is the cue word C, or C inflected: "sorted" and "tagged" are "sort" and
// "tag", "classified" is "classify", "blurred" is "blur" (cues are written in their base form).
bool inflected(const std::string& w, const std::string& c) {
  if (w == c) return true;
  // "Labelled" and "tagged" describe the examples held ("40k labelled reviews"), not the output.
  if (c == "label" || c == "tag") return false;
  // So does "answered" ("learning from previously answered mails"): the mails held, not answers wanted.
  if (c == "answer" && w == "answered") return false;
  // Plurals in -es, which TaskClassifier::words leaves as "classe" and "boxe".
  if (w.size() == c.size() + 1 && w.compare(0, c.size(), c) == 0 && w.back() == 'e') {
    const char last = c.back();
    if (last == 's' || last == 'x' || last == 'z' || (c.size() > 2 && (c.compare(c.size() - 2, 2, "ch") == 0 || c.compare(c.size() - 2, 2, "sh") == 0)))
      return true;
  }

  if (w.size() < c.size() + 2 || w.compare(0, c.size() - 1, c, 0, c.size() - 1) != 0) return false;
  for (const char* suffix : {"ed", "ing", "d"}) {
    const std::size_t n = std::strlen(suffix);
    if (w.size() <= n || w.compare(w.size() - n, n, suffix) != 0) continue;
    std::string stem = w.substr(0, w.size() - n);
    if (stem == c || stem + "e" == c) return true;
    if (stem.size() >= 3 && stem.back() == stem[stem.size() - 2] && stem.substr(0, stem.size() - 1) == c) return true;
    if (stem.size() >= 2 && stem.back() == 'i' && stem.substr(0, stem.size() - 1) + "y" == c) return true;
  }
  return false;
}
bool cue_at(const std::vector<std::string>& cue, const std::vector<std::string>& ws, std::size_t i) {
  for (std::size_t k = 0; k < cue.size(); ++k)
    if (!inflected(ws[i + k], cue[k])) return false;
  return true;
}

namespace {
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

bool has_digit(const std::string& w) {
  return std::any_of(w.begin(), w.end(), [](unsigned char ch) { return std::isdigit(ch); });
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
  static const std::set<std::string> stop = {"for", "from", "of", "in", "on", "with", "using", "to", "into", "by", "and", "or"};
  // A software image ("make my docker image smaller", "the disk image") is no picture.
  static const std::set<std::string> software = {"docker", "container", "disk", "iso", "vm", "os", "system", "base", "boot", "firmware"};
  if (i > 0 && software.count(ws[i - 1])) return false;
  for (std::size_t k = 1; k <= 4 && k <= i; ++k) {
    if (make.count(ws[i - k])) return true;
    if (stop.count(ws[i - k])) return false;
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
}  // namespace

Reading read_statement(const std::vector<std::string>& ws, const std::vector<bool>& negated) {
  Reading r;
  // The columns listed after "variables such as" ("tenure, contract, internet service and monthly
  // charges") are the table's fields: "contract" there is no contract text coming in.
  std::vector<bool> column_name(ws.size(), false);
  for (std::size_t i = 0; i + 3 < ws.size(); ++i) {
    static const std::set<std::string> fields = {"variable", "feature", "column", "field", "attribute", "predictor"};
    if (fields.count(ws[i]) && ws[i + 1] == "such" && ws[i + 2] == "as")
      for (std::size_t j = i + 3; j < ws.size() && j <= i + 10; ++j) column_name[j] = true;
  }
  std::set<const Compiled*> seen;
  // Two cues of one group read at the same word ("no labelled" and "no label") are one cue.
  std::set<std::pair<const CueGroup*, std::size_t>> at;
  for (const auto& c : compiled()) {
    if (c.words.empty()) continue;
    for (std::size_t i = 0; i + c.words.size() <= ws.size(); ++i) {
      if (!cue_at(c.words, ws, i)) continue;
      // "Our agents", "support agents", "call-centre agents": people who do the work (their mails
      // are the data), not an agent that learns to act.
      if (c.words.size() == 1 && c.words[0] == "agent" && i > 0) {
        static const std::set<std::string> people = {"our", "my", "their", "your", "support", "service", "sales", "call",
                                                     "customer", "human", "insurance", "travel", "booking", "estate",
                                                     "helpdesk", "desk", "centre", "center", "live", "contact"};
        if (people.count(ws[i - 1])) continue;
      }
      // "Volunteers speaking sentences", "people talking": a participle after the people in the
      // recordings describes what the data holds, not speech to be made ("a talking scale",
      // "speak the weight" still are).
      if (c.group && std::string(c.group->name) == "speech-out" && i > 0 && (ws[i] == "speaking" || ws[i] == "talking")) {
        static const std::set<std::string> function = {"a", "an", "the", "to", "and", "or", "is", "are", "be", "will",
                                                       "can", "should", "must", "that", "it", "this", "our", "my", "keep",
                                                       "start", "stop", "with", "for", "by"};
        if (!function.count(ws[i - 1])) continue;
      }
      // "Volunteers speaking sentences", "people saying short phrases": words said aloud come in as
      // sound, not as text.
      if (c.group && std::string(c.group->name) == "text" && i > 0) {
        static const std::set<std::string> say = {"speak", "speaking", "spoken", "say", "saying", "said", "utter",
                                                  "uttering", "uttered", "recite", "reciting", "recited", "pronounce",
                                                  "pronouncing", "pronounced"};
        // "Say which sentence is ...", "say whether the review ..." choose among texts: no word between.
        static const std::set<std::string> between = {"which", "what", "whether", "if", "the", "a", "an", "each", "every",
                                                      "one", "that", "this", "whose", "how"};
        const bool said = say.count(ws[i - 1]) || (i > 1 && say.count(ws[i - 2]) && !between.count(ws[i - 1]));
        if (said) {
          if (at.insert({nullptr, i}).second) {
            r.inputs["audio"] += c.weight;
            r.cues["input: audio"].push_back(c.text + ", said aloud");
          }
          continue;
        }
      }
      // "no text prompts": a cue denied is no cue; except cues that say the denial ("don't have any labelled").
      if (i < negated.size() && negated[i] && !(c.group && std::string(c.group->name) == "no-examples")) continue;
      if (column_name[i] && c.group && std::string(c.group->kind) == "input") continue;
      // "Every word of the vocabulary", "each word in the dictionary": candidates to score, not each
      // word of the text labelled.
      if (c.group && std::string(c.group->name) == "tokens" && c.words.size() == 2 && c.words[1] == "word") {
        static const std::set<std::string> lists = {"vocabulary", "vocab", "dictionary", "lexicon", "wordlist"};
        bool candidates = false;
        for (std::size_t j = i + 2; j < ws.size() && j <= i + 4; ++j) candidates |= lists.count(ws[j]) > 0;
        if (candidates) continue;
      }
      if (c.group && ((std::string(c.group->name) == "boxes" && machine_box(ws, i)) ||
                      (std::string(c.group->name) == "policy" && plays_media(ws, i))))
        continue;
      // What is named as given ("thumbnails from text descriptions", "trained on synthetic line
      // images") is no output, and no word for a task that would make it.
      if (c.group && ((std::string(c.group->name) == "description" && c.words.size() == 1 && named_as_input(ws, i, 1)) ||
                      (std::string(c.group->name) == "image-out" && synthetic_data(ws, i)))) {
        r.given.insert(r.given.end(), c.words.begin(), c.words.end());
        continue;
      }
      if (c.group && std::string(c.group->name) == "image" && made_image(ws, i)) {
        r.outputs["image-out"] += 1;
        r.cues["output: image-out"].push_back("images to make");
        continue;
      }
      // Vectors handed over with the data ("given the interaction network and a feature vector per
      // protein", "from the embeddings we already have") are input: none is asked for.
      if (c.group && std::string(c.group->name) == "vector" && vectors_given(ws, i)) {
        r.given.insert(r.given.end(), c.words.begin(), c.words.end());
        continue;
      }
      if (c.group && std::string(c.group->name) == "number" && named_as_input(ws, i, c.words.size())) {
        r.given.insert(r.given.end(), c.words.begin(), c.words.end());
        continue;
      }
      if (c.group && std::string(c.group->kind) == "input" && std::string(c.group->name) != "text" &&
          made_for_labelling(ws, i + c.words.size()))
        continue;
      // "45 minutes of old recordings", "a few minutes", "per minute": a length of time, not the
      // minutes of a meeting written down.
      if (c.words.size() == 1 && c.words[0] == "minute" && i > 0 && duration_minute(ws, i)) continue;
      if (c.group && !at.insert({c.group, i}).second) continue;
      if (!seen.insert(&c).second) break;
      if (c.list == 1) r.learning += c.weight;
      else if (c.list == 2) r.not_learning += c.weight;
      else {
        auto& m = std::string(c.group->kind) == "input" ? r.inputs : r.outputs;
        m[c.group->name] += c.weight;
        r.cues[std::string(c.group->kind) + ": " + c.group->name].push_back(c.text);
      }
      break;
    }
  }
  // A longer cue covers its words across groups too: the "note" of "voice note" and the "message" of
  // "voice message" are the recording (audio), not a text that comes in as well.
  if (auto audio = r.cues.find("input: audio"), text = r.cues.find("input: text"); audio != r.cues.end() && text != r.cues.end()) {
    for (const auto& said : audio->second) {
      if (said.rfind("voice ", 0) != 0) continue;
      const std::string head = said.substr(6);
      auto at = std::find(text->second.begin(), text->second.end(), head);
      if (at == text->second.end()) continue;
      text->second.erase(at);
      for (const auto& g : input_groups())
        if (std::string(g.name) == "text")
          for (const auto& c : g.cues)
            if (head == c.text) r.inputs["text"] = std::max(0.0, r.inputs["text"] - c.weight);
    }
    if (text->second.empty()) r.cues.erase(text), r.inputs.erase("text");
  }
  // So among outputs: the "caption" of "live captions" is the transcript's, not an image's
  // description too; the "person" of "each person" is the box's, not a name to tag.
  for (const auto& g : output_groups()) {
    auto longer = r.cues.find("output: " + std::string(g.name));
    if (longer == r.cues.end()) continue;
    for (const auto& said : longer->second) {
      const auto space = said.rfind(' ');
      if (space == std::string::npos) continue;
      const std::string head = said.substr(space + 1);
      for (const auto& other : output_groups()) {
        if (&other == &g) continue;
        auto shorter = r.cues.find("output: " + std::string(other.name));
        if (shorter == r.cues.end()) continue;
        auto at = std::find(shorter->second.begin(), shorter->second.end(), head);
        if (at == shorter->second.end()) continue;
        shorter->second.erase(at);
        for (const auto& c : other.cues)
          if (head == c.text) r.outputs[other.name] = std::max(0.0, r.outputs[other.name] - c.weight);
        if (shorter->second.empty()) r.cues.erase(shorter), r.outputs.erase(other.name);
      }
    }
  }
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
  // "Sort a csv by date", "order the rows by price": putting items in order of a field they already
  // carry is data handling, not a label to learn; "sort tickets by topic" or "sort into" still is.
  // Renaming, filing or moving files by such a field ("rename my photos by the date they were taken",
  // "a folder per month", "by the creation date in their metadata") is the same: the field is read
  // (EXIF, file metadata), not predicted.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    static const std::set<std::string> arrange = {"sort", "order", "rename", "renamed", "renaming", "file", "move",
                                                  "moved", "organise", "organize", "group"};
    if (!arrange.count(ws[i])) continue;
    static const std::set<std::string> fields = {"date", "time", "timestamp", "name", "size", "length", "price",
                                                 "revenue", "id", "column", "value", "amount", "alphabetically",
                                                 "created", "modified", "number", "cost", "age", "distance", "year",
                                                 "creation", "modification", "exif", "metadata", "extension"};
    static const std::set<std::string> filler = {"the", "their", "its", "each", "file", "capture"};
    static const std::set<std::string> periods = {"day", "week", "month", "year", "date"};
    const bool sorting = ws[i] == "sort" || ws[i] == "order";
    if (!sorting && ws[i] != "rename" && ws[i] != "renamed" && ws[i] != "renaming") {
      // "move them into a folder per year": filing by a date field.
      bool filed = false;
      for (std::size_t j = i + 1; j + 2 < ws.size() && j <= i + 8; ++j)
        filed |= (ws[j] == "folder" || ws[j] == "directory") && (ws[j + 1] == "per" || ws[j + 1] == "by" || ws[j + 1] == "for") &&
                 (periods.count(ws[j + 2]) || (j + 3 < ws.size() && ws[j + 2] == "each" && periods.count(ws[j + 3])));
      if (filed) r.not_learning += 1.5;
      if (filed) break;
      continue;
    }
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 10; ++j) {  // "sort the 2 million rows of my sheet by date"
      if (ws[j] == "as") break;
      const bool per_period = (ws[j] == "folder" || ws[j] == "directory") && j + 2 < ws.size() &&
                              (ws[j + 1] == "per" || ws[j + 1] == "by") && periods.count(ws[j + 2]);
      if (ws[j] == "into" && !(j + 3 < ws.size() && ws[j + 1] == "folder" && (ws[j + 2] == "per" || ws[j + 2] == "by") && periods.count(ws[j + 3])))
        break;
      std::size_t k = j + 1;
      while (ws[j] == "by" && k < ws.size() && k <= j + 2 && filler.count(ws[k])) ++k;
      if (per_period || (ws[j] == "by" && k < ws.size() && fields.count(ws[k]))) {
        if (ws[i] == "sort" && r.outputs.count("label")) {
          r.outputs["label"] = std::max(0.0, r.outputs["label"] - 1);
          auto& said = r.cues["output: label"];
          said.erase(std::remove(said.begin(), said.end(), std::string("sort")), said.end());
        }
        r.not_learning += 1.5;
        break;
      }
    }
  }
  // Records picked by a condition the writer states on a field they carry ("customers whose
  // subscription ends within 30 days", "suppliers whose contract expires before June") are found
  // by a query, and marking them is an update: nothing is learnt or predicted.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "whose") continue;
    static const std::set<std::string> compare = {"within", "before", "after", "above", "below", "over", "under",
                                                  "exceed", "exceeds", "exceeding", "older", "newer", "earlier", "later"};
    for (std::size_t j = i + 2; j < ws.size() && j <= i + 6; ++j)
      if (compare.count(ws[j]) && j + 1 < ws.size() && (std::isdigit(static_cast<unsigned char>(ws[j + 1][0])) || ws[j + 1] == "than")) {
        r.not_learning += 2;
        i = ws.size();
        break;
      }
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
  // "Generate a PDF invoice for every order", "print a certificate per attendee": a document made
  // from records is filled in from a template (a mail merge or a report writer), not generated by a
  // model; the verb is no word of learning then.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    static const std::set<std::string> make = {"generate", "create", "produce", "print", "export", "render", "make"};
    static const std::set<std::string> documents = {"pdf", "invoice", "receipt", "payslip", "certificate", "barcode", "qr"};
    if (!make.count(ws[i]) || (i < negated.size() && negated[i])) continue;
    bool document = false;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 4; ++j) document |= documents.count(ws[j]) > 0;
    if (!document) continue;
    for (const auto& c : learning_cues())
      if (ws[i] == c.text) r.learning = std::max(0.0, r.learning - c.weight);
    r.not_learning += 1.5;
    break;
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
  // A longer phrase covers its words: "time series" is not also "series"; nothing to undo here as
  // cue groups do not nest. A specific output discounts the generic label cue.
  double specific = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name)) specific = std::max(specific, v);
  if (specific >= 1.5 && r.outputs.count("label")) r.outputs["label"] *= 0.4;
  return r;
}

void read_listed_classes(Reading& r, double classes) {
  if (classes < 2) return;
  // A specific output no task makes from what the text names, when it names another input outright
  // ("the posture of a cow as standing, lying or grazing from the collar accelerometer": poses are
  // found in pictures, and the input is a sensor series), names what the classes listed are about:
  // the answer is one of those classes, not that output.
  std::vector<std::string> about;
  for (const auto& [name, v] : r.outputs) {
    if (!specific_outputs().count(name) || name == "speech-present") continue;
    bool takes = false, makes = false, other = false;
    for (const auto& sig : signatures::signatures()) {
      if (sig.output != name) continue;
      makes = true;
      for (const auto& m : sig.inputs) takes |= r.inputs.count(m) && r.inputs.at(m) > 0;
    }
    for (const auto& [m, w] : r.inputs)
      other |= m != "text" && w > 0 && signatures::named_outright(r, m);
    if (makes && !takes && other) about.push_back(name);
  }
  for (const auto& name : about) {
    r.outputs.erase(name);
    r.cues.erase("output: " + name);
  }
  double specific = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name) && name != "speech-present") specific = std::max(specific, v);
  if (classes >= 3 && r.outputs.count("speech-present")) {
    const auto& said = r.cues["output: speech-present"];
    if (std::all_of(said.begin(), said.end(), [](const std::string& w) { return w == "silence" || w == "silent"; })) {
      r.outputs.erase("speech-present");
      r.cues.erase("output: speech-present");
    }
  }
  // "How much interest will a listing get (low, medium or high)": a question of degree answered
  // with one of three or more classes asks for a level, a label, not a quantity.
  if (classes >= 3 && r.outputs.count("number")) {
    auto& said = r.cues["output: number"];
    if (auto at = std::find(said.begin(), said.end(), "how much"); at != said.end()) {
      said.erase(at);
      r.outputs["number"] = std::max(0.0, r.outputs["number"] - 1);
      r.given.push_back("much");  // nor is it a regression's word then
      r.outputs["label"] += 2;  // said as plainly as "classify": the classes are the answer
      r.cues["output: label"].push_back("a degree among the classes listed");
    }
  }
  if (specific >= 1) return;
  r.outputs["label"] += 1;
  r.cues["output: label"].push_back("classes listed or counted");
}

std::vector<std::string> cue_words() {
  std::set<std::string> s;
  for (const auto& c : compiled())
    for (const auto& w : c.words) s.insert(w);
  return {s.begin(), s.end()};
}

}  // namespace sml::describe
