#include "sml/describe/reading.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "sml/describe/text_task.hpp"
#include "cues.hpp"
#include "reading_rules.hpp"
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

  // One letter more is enough for the "-d" of a cue ending in "e" ("translated", "routed").
  if (w.size() < c.size() + 1 || w.compare(0, c.size() - 1, c, 0, c.size() - 1) != 0) return false;
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
// Whether the word of training at I teaches people ("train all staff, contractors and decision
// makers", "training our new nurses", "staff training"): the object or the noun before it names
// people, so nothing is learnt from data there.
static bool people_taught(const std::vector<std::string>& ws, std::size_t i) {
  if (!inflected(ws[i], "train") && ws[i] != "training") return false;
  static const std::set<std::string> people = {
      "staff", "employee", "worker", "people", "team", "volunteer", "student", "teacher", "personnel", "contractor",
      "colleague", "member", "nurse", "doctor", "manager", "operator", "coworker", "crew", "recruit", "trainee",
      "newcomer", "intern", "apprentice", "pupil", "officer", "clerk", "workforce", "user"};
  static const std::set<std::string> before = {"all", "our", "the", "their", "new", "your", "my", "its", "every", "each", "of"};
  std::size_t j = i + 1;
  while (j < ws.size() && j <= i + 3 && before.count(ws[j])) ++j;
  // The people end the phrase ("train all staff and contractors who use it", "train our nurses
  // to use the app"); a noun after them names what is trained ("the people detector", "our users'
  // recommendation model").
  if (j < ws.size() && people.count(ws[j])) {
    static const std::set<std::string> after = {"to", "on", "in", "and", "or", "who", "how", "about", "with", "for", "at",
                                                "by", "before", "after", "so", "that", "this", "from", "when", "as", "a",
                                                "an", "the", "until", "every", "each", "once", "first", "properly"};
    return j + 1 >= ws.size() || after.count(ws[j + 1]) || people.count(ws[j + 1]);
  }
  return ws[i] == "training" && i > 0 && (ws[i - 1] == "staff" || ws[i - 1] == "employee");
}

bool cue_at(const std::vector<std::string>& cue, const std::vector<std::string>& ws, std::size_t i) {
  for (std::size_t k = 0; k < cue.size(); ++k) {
    if (!inflected(ws[i + k], cue[k])) return false;
    // The "-d" form of a cue ending in "e" is read only where it is wanted done ("I want them
    // translated", "needs to be routed", "get the chapter narrated"): elsewhere it describes what
    // is held or where ("the transcribed text", "a farm located in Kenya", "a file named", "aged 40",
    // "we have translated pairs").
    const std::string& w = ws[i + k];
    if (w.size() == cue[k].size() + 1 && cue[k].back() == 'e' && w.back() == 'd') {
      static const std::set<std::string> wanted = {"want", "need", "get", "getting", "like", "be"};
      bool asked = false;
      for (std::size_t b = 1; b <= 4 && b <= i + k && !asked; ++b) asked = wanted.count(ws[i + k - b]) > 0;
      if (!asked) return false;
    }
  }
  return true;
}

using namespace reading_rules;

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
      // A voice to be made (voice cloning) is speech wanted out; the recordings it is made from
      // are still read as what goes in.
      if (c.group && std::string(c.group->name) == "audio" && c.words.size() == 1 && !at.count({c.group, i}) && made_voice(ws, i)) {
        r.outputs["speech-out"] += 2;
        r.cues["output: speech-out"].push_back("a voice to make");
        continue;
      }
      // Speech, audio or a voice to be made ("generating speech takes 20 seconds", "turning text into
      // speech") is what comes out (read_output_phrases adds it there), not a recording that comes in.
      if (c.group && std::string(c.group->name) == "audio" && c.words.size() == 1 && !(i < negated.size() && negated[i]) &&
          sound_made(ws, i))
        continue;
      // "To speech" after a word of turning that is a noun ("detect changes to speech patterns") says
      // what changed, not what something is turned into.
      if (c.group && std::string(c.group->name) == "speech-out" && c.words.size() == 2 && c.words[0] == "to" && i > 0 &&
          !turning_verb(ws, i - 1) && (inflected(ws[i - 1], "change") || inflected(ws[i - 1], "turn") ||
                                       inflected(ws[i - 1], "convert") || inflected(ws[i - 1], "transform")))
        continue;
      // A picture made from a prompt is what comes out (read_output_phrases), not one that comes in.
      if (c.group && std::string(c.group->name) == "image" && c.words.size() == 1 && made_from_prompt(ws, i)) continue;
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
      // "Train all staff", "training our new employees": people taught, not a model learning.
      if (c.list == 1 && c.words.size() == 1 && people_taught(ws, i)) continue;
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
  reading_rules::read_data_handling(ws, negated, r);
  reading_rules::read_output_phrases(ws, negated, r);
  // A longer phrase covers its words: "time series" is not also "series"; nothing to undo here as
  // cue groups do not nest. A specific output discounts the generic label cue.
  double specific = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name)) specific = std::max(specific, v);
  if (specific >= 1.5 && r.outputs.count("label")) r.outputs["label"] *= 0.4;
  return r;
}

std::vector<std::string> cue_words() {
  std::set<std::string> s;
  for (const auto& c : compiled())
    for (const auto& w : c.words) s.insert(w);
  return {s.begin(), s.end()};
}

}  // namespace sml::describe
