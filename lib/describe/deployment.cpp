// What the text says about where the model runs: the device (catalogue name, vendor line or class),
// the region (a catalogue name, or a place the data only shows left out), and the load.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "number_text.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/settings.hpp"
#include "sml/io/text.hpp"

namespace sml::describe {
namespace {

using number_text::context_before;
using number_text::kNum;
using number_text::number;
using number_text::whole_word_at;

// The longest known name found as whole words in TEXT (the name itself in MATCHED).
std::optional<std::string> find_name(const std::string& text, const std::vector<std::pair<std::string, std::string>>& names,
                                     std::vector<std::string>& matched) {
  std::size_t best_len = 0;
  std::optional<std::string> best;
  std::string best_name;
  for (const auto& [name, id] : names) {
    if (name.size() < 2 || name.size() <= best_len) continue;
    // A model number takes a plural "s" ("8 RTX 4090s", "two A100s"): the name and its "s" are
    // the mention, so the "s" is masked with it.
    const bool numbered = std::isdigit(static_cast<unsigned char>(name.back())) != 0;
    for (std::size_t pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + 1)) {
      const bool plural = numbered && pos + name.size() < text.size() && text[pos + name.size()] == 's' &&
                          whole_word_at(text, pos, name.size() + 1);
      if (whole_word_at(text, pos, name.size()) || plural) {
        best_len = name.size();
        best = id;
        best_name = plural ? name + "s" : name;
        break;
      }
    }
  }
  if (best) matched.push_back(best_name);
  return best;
}

// A device named as the machine a model is trained or fine-tuned on is not where it is served:
// "can I fine-tune the chat model using one A100", "how many A100 GPUs are required to tune the 13B
// model", "training on an A100", "we rent an H100 for fine-tuning". The verb the mention hangs on
// decides: a verb of training before it, joined by "on"/"using"/"with" and nothing said of serving
// in between, or "to train"/"for training" right after it. A device named with both ("an A100 for
// training and inference") or alone ("..., one A100 80GB") stays where the model runs.
bool named_for_training(const std::string& t, std::size_t pos, std::size_t len) {
  // No word of training anywhere: the patterns below need not even be compiled (start-up time).
  if (t.find("train") == std::string::npos && t.find("tun") == std::string::npos) return false;
  // The clause the mention sits in: sentences and ";" bound it.
  std::size_t start = t.find_last_of(".;?!\n", pos);
  start = start == std::string::npos ? 0 : start + 1;
  const std::string before = t.substr(start, pos - start);
  std::size_t end = t.find_first_of(";?!\n", pos + len);
  for (std::size_t dot = t.find(". ", pos + len); dot != std::string::npos && dot < end; dot = std::string::npos) end = dot;
  const std::string after = t.substr(pos + len, (end == std::string::npos ? t.size() : end) - pos - len);
  static const Regex serving(R"(\b(serve[sd]?|serving|inference|deploy\w*|production|host(ed|ing)?|predictions|run(s|ning)?\s+(it|the\s+model|them)|at\s+runtime)\b)");
  // The verb's object between it and "on" is a few words with no comma or bracket: "trained on
  // 2,000 PCB images, at least 5 boards/s on a Coral" hangs the Coral on the rate, not the training.
  static const Regex verb_then_on(R"(\b(train|trains|training|trained|re-?train\w*|pre-?train\w*|fine-?tun\w*|finetun\w*|tune|tunes|tuning|tuned)\b(\s+(?!(?:data|set|sets|images?|photos?|examples?|samples?|runs?)\b)[\w.'-]+){0,8}?\s+(on|using|with|across|over|via)\s+((an?|one|two|three|four|eight|sixteen|single|\d+|\d+\s*x|x\s*\d+|our|my|the|their|rented|cloud)\s+){0,2}$)");
  // Serving said of the same device after it: "on my RTX 4090 and serve it from the same box"; not
  // when serving goes on to name its own place ("... and then serve it on a T4").
  Match m;
  static const Regex elsewhere(R"(\b(on|onto|to)\s+(?!(the\s+)?(same|it|this|that|them)\b))");
  if (regex_search(after, m, serving) && !regex_search(m.suffix().str(), elsewhere)) return false;
  if (regex_search(before, m, verb_then_on) && !regex_search(m.str(), serving)) return true;
  // The data trained on, then the machine it is trained with: "fine-tune Llama 2 7B on my own data
  // with the one RTX 3090 I have", "train it on our photos using two A100s".
  static const Regex data_then_with(R"(\b(train|trains|training|trained|re-?train\w*|fine-?tun\w*|finetun\w*)\b[^,;()]{0,50}?\bon\s+(my|our|the|its|their|your|this|that|these)\s+(own\s+)?([a-z-]+\s+)?(data|dataset|data set|images|photos|pictures|texts?|documents|recordings|clips|examples|samples|corpus)\s+(with|using|on)\s+((an?|one|two|three|four|eight|single|\d+|\d+\s*x|the|my|our|their|rented)\s+){0,2}$)");
  if (regex_search(before, m, data_then_with) && !regex_search(m.str(), serving)) return true;
  static const Regex then_verb(R"(^s?\s*(\([^)]*\)\s*)?((gpus?|cards?|nodes?|instances?|servers?|machines?|boxe?s?)\s*)?(\([^)]*\)\s*)?((are|is|would\s+be|will\s+be)\s+)?((required|needed|necessary|enough|sufficient|used)\s+)?(to|for)\s+(the\s+)?(train\w*|re-?train\w*|pre-?train\w*|fine-?tun\w*|finetun\w*|tune|tuning))");
  return regex_search(after, m, then_verb);
}

// TEXT with every device named for training blanked (the name, its plural "s", a "GPU(s)" or
// "card(s)" and a memory size after it), so that neither it nor its vendor or class words read as the deployment
// device; the names blanked go to BLANKED.
std::string without_training_devices(const std::string& text, const std::vector<std::pair<std::string, std::string>>& names,
                                     std::vector<std::string>& blanked, std::optional<std::string>& first_id) {
  std::vector<const std::pair<std::string, std::string>*> by_length;
  for (const auto& n : names) by_length.push_back(&n);
  std::stable_sort(by_length.begin(), by_length.end(), [](const auto* a, const auto* b) { return a->first.size() > b->first.size(); });
  std::string out = text;
  std::size_t first_at = std::string::npos;
  // Its memory too ("A100 GPUs (40GB)", "A100 80GB"): it bounds training, not the model served.
  static const Regex trailing(R"(^s?(\s*\(?\s*\d+\s*gi?b?\s*\)?(?![\w]))?(\s+(gpus?|cards?))?(\s*\(?\s*\d+\s*gi?b?\s*\)?(?![\w]))?)");
  for (const auto* entry : by_length) {
    const std::string* name = &entry->first;
    if (name->size() < 2) continue;
    for (std::size_t pos = out.find(*name); pos != std::string::npos; pos = out.find(*name, pos + 1)) {
      const bool numbered = std::isdigit(static_cast<unsigned char>(name->back())) != 0;
      const bool plural = numbered && pos + name->size() < out.size() && out[pos + name->size()] == 's' &&
                          whole_word_at(out, pos, name->size() + 1);
      if (!whole_word_at(out, pos, name->size()) && !plural) continue;
      if (!named_for_training(out, pos, name->size() + (plural ? 1 : 0))) continue;
      Match m;
      const std::string tail = out.substr(pos + name->size(), 24);
      const std::size_t len = name->size() + (regex_search(tail, m, trailing) ? static_cast<std::size_t>(m.length()) : 0);
      blanked.push_back(out.substr(pos, len));
      // The first named is the training device; "A100 (80 GB)" is the 80 GB part.
      if (pos < first_at) first_at = pos, first_id = variant_by_memory(text, entry->second, *name, names);
      out.replace(pos, len, std::string(len, ' '));
    }
  }
  return out;
}

// The tokens of a request and of its answer: "prompts of ~2k tokens", "answers up to 300 tokens",
// "1,500-token inputs", "generate at most 256 tokens", "max_new_tokens=512". A rate ("30 tokens a
// second") is a speed, not a length; tokens named without a request or an answer ("300B tokens of
// text" to train on, "a context window of 8k tokens", the model's limit) are neither.
void read_token_lengths(const std::string& t, Deployment& d) {
  if (t.find("token") == std::string::npos) return;  // most statements: no pattern compiled at start-up
  const auto flags = Regex::ECMAScript;
  const std::string tokens = R"(\s*-?\s*tokens?\b(?!\s*(a|an|per|each|every|/)\s*(s|sec|second|minute|min|hour|h)\b))";
  const std::string lead = R"([^.;:!?\d]{0,24}?(?:~\s*)?)";
  // What a request carries: the prompt, or the text handed in to be read, answered or condensed.
  const std::string asked = R"((prompts?|inputs?|questions?|queries|requests?|documents?|docs|texts?|passages?|chunks?|reports?|tickets?|e-?mails?|pages?|transcripts?|articles?|conversations?|messages?))";
  static const Regex prompt_before(R"(\b)" + asked + R"(\b)" + lead + kNum + tokens, flags);
  // "1,500-token reports", "2k tokens of context"; not "2 billion tokens of text" (a corpus).
  static const Regex prompt_after(kNum + tokens + R"(\s+(?:of\s+(?:prompts?|inputs?|context)|(?:(?!of\b)[a-z-]+\s+)?)" + asked + R"()\b)", flags);
  static const Regex output_before(R"(\b(answers?|outputs?|responses?|replies|reply|completions?|generations?|summar(y|ies)|(generat|produc|writ|return)(e|es|ing)|max_new_tokens|max_tokens)\b)" + lead + kNum + tokens, flags);
  static const Regex output_after(kNum + tokens + R"(\s+(of\s+)?(output|answers?|responses?|replies|completions?|generated|generation|summar(y|ies))\b)", flags);
  static const Regex max_new(R"(\bmax_(new_)?tokens\s*[=:]\s*)" + kNum, flags);
  Match m;
  // A context window or limit is the model's, not the request's.
  static const Regex window(R"(\b(context\s+(window|length|size|limit)|window|limit|max(imum)?\s+context)\b[^.;:!?\d]{0,12}$)", flags);
  const auto take = [&](const Regex& re, std::size_t group, std::optional<double>& into) {
    for (auto it = RegexIterator(t.begin(), t.end(), re); it != RegexIterator() && !into; ++it) {
      const auto pos = static_cast<std::size_t>(it->position(group));
      if (context_before(t, pos, 30, window)) continue;
      into = number(*it, group);
    }
  };
  // A count joined to its noun ("1,500-token documents into 200-token summaries") is read first:
  // the noun before a count may belong to another phrase.
  take(prompt_after, 1, d.prompt_tokens);
  take(prompt_before, 2, d.prompt_tokens);
  // Any other thing handed in, measured in tokens: "customers paste logs of about 1,500 tokens",
  // "screenshots' OCR text with up to 3k tokens". A length is the input's unless the noun is the
  // answer's, the model's window or a corpus, and not in a sentence about training (examples of a
  // training set: "conversations of 500 to 600 tokens each" to fine-tune on).
  static const Regex noun_of(R"(\b([a-z]{3,})\s+(?:of|with|averaging|around|about|up\s+to)\s+(?:about\s+|around\s+|roughly\s+|up\s+to\s+|at\s+most\s+|~\s*)?)" + kNum + tokens, flags);
  static const Regex not_input(R"(^(answers?|outputs?|responses?|replies|completions?|generations?|summar(y|ies)|context|window|limit|corpus|corpora|dataset|data|total|vocabulary|budget|lengths?|sequences?|maximum|max|minimum|min|average|most|least|than|and|or|the|each|every|per|some|over|under)$)", flags);
  static const Regex training(R"(\b(train\w*|fine-?tun\w*|finetun\w*|pre-?train\w*|epochs?|data\s*sets?)\b)", flags);
  if (!d.prompt_tokens)
    for (auto it = RegexIterator(t.begin(), t.end(), noun_of); it != RegexIterator(); ++it) {
      if (regex_search((*it)[1].str(), not_input)) continue;
      const auto pos = static_cast<std::size_t>(it->position());
      const std::size_t from = t.find_last_of(".;!?\n", pos) == std::string::npos ? 0 : t.find_last_of(".;!?\n", pos) + 1;
      const std::size_t to = std::min(t.find_first_of(".;!?\n", pos), t.size());
      if (regex_search(t.substr(from, to - from), training)) continue;
      const double n = number(*it, 2);
      if (n >= 1e6 || (d.output_tokens && *d.output_tokens == n)) continue;
      d.prompt_tokens = n;
      break;
    }
  take(max_new, 2, d.output_tokens);
  take(output_after, 1, d.output_tokens);
  take(output_before, 5, d.output_tokens);
}

}  // namespace

// A place the data shows ("satellite tiles covering Vietnam", "maps of Kenya") is what the model
// looks at, not where the organisation or its machines are.
bool place_is_shown(const std::string& lower, std::size_t pos) {
  static const Regex shows(R"(\b(covering|covers|cover|depicting|depicts|showing|shows|mapping|maps?\s+of|imagery\s+of|tiles\s+of|photos\s+of|images\s+of)\s+(all\s+of\s+|most\s+of\s+|parts?\s+of\s+|the\s+whole\s+of\s+)?(the\s+)?$)", Regex::ECMAScript);
  return pos != std::string::npos && pos <= lower.size() && context_before(lower, pos, 40, shows);
}

std::string without_data_places(std::string text) {
  const std::string lower = to_lower(text);
  const auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to && i < text.size(); ++i)
      if (text[i] != '\n') text[i] = ' ';
  };
  const auto sentence_end = [&](std::size_t from) {
    const std::size_t e = lower.find_first_of(".;!?\n", from);
    return e == std::string::npos ? lower.size() : e;
  };
  // Where data came from: its noun, maybe a verb of collecting, then "from" and not the writer's own
  // ("data from our stores in Bavaria" places the organisation): the rest of the sentence.
  static const Regex origin(R"(\b(data|datasets?|data sets?|records?|recordings?|images?|photos?|samples?|scans?|clips?|videos?|readings?|measurements?|transcripts?|tweets?|reviews?|notes)\b(\s+(come|comes|came|were|was|are|is))?(\s+(collected|gathered|recorded|taken|obtained|sourced|scraped|drawn|pulled))?\s+from\s+(?!(our|my|its|their|your|own)\b))");
  // What follows "from" is named (capitalised as written: "from the Cleveland clinic", "from Costa
  // Rica"), not a kind of input ("images from text prompts ... in AWS us-east-1").
  static const Regex article(R"(^(the\s+)?)");
  for (auto it = RegexIterator(lower.begin(), lower.end(), origin); it != RegexIterator(); ++it) {
    std::size_t end = static_cast<std::size_t>(it->position() + it->length());
    Match a;
    const std::string next = lower.substr(end, 4);
    const std::size_t name_at = end + (regex_search(next, a, article) ? static_cast<std::size_t>(a.length()) : 0);
    if (name_at >= text.size() || !std::isupper(static_cast<unsigned char>(text[name_at]))) continue;
    blank(end, sentence_end(end));
  }
  // The place of a language ("Odia, a language of India", "a dialect spoken in Bavaria") says where
  // the language is spoken, not where the writer or its machines are: to the next punctuation.
  static const Regex language_of(R"(\b(languages?|dialects?|tongues?)\s+(of|from|spoken\s+in|used\s+in)\s+)");
  for (auto it = RegexIterator(lower.begin(), lower.end(), language_of); it != RegexIterator(); ++it) {
    const std::size_t end = static_cast<std::size_t>(it->position() + it->length());
    const std::size_t stop = lower.find_first_of(".,;:!?()\n", end);
    blank(end, stop == std::string::npos ? lower.size() : stop);
  }
  // A place inside the name of a body ("a UK Data Service release", "the Hungarian Institute of
  // Cardiology", "Helsinki-NLP publishes models") names that body, not where the writer or its
  // machines are: a run of capitalised words ending in a word for a body (with its "of ..."), or a
  // capitalised word joined by a dash to an upper-case name. As written, so read on TEXT's capitals;
  // a place after the name ("the Institute in Budapest") is still read.
  static const Regex body_name(R"(\b[A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*){0,3}\s+(?:Service|Institute|University|Agency|Bureau|Survey|Foundation|Society|Council|Association|Ministry|Archive|Museum|Library|Academy|Laboratory|Labs?|Authority|Commission)\b(?:\s+of\s+(?:the\s+)?[A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*){0,3})?|\b[A-Z][a-z]+-[A-Z]{2,}\b)");
  const std::string cased = text;
  for (auto it = RegexIterator(cased.begin(), cased.end(), body_name); it != RegexIterator(); ++it)
    blank(static_cast<std::size_t>(it->position()), static_cast<std::size_t>(it->position() + it->length()));
  // Labels listed to score against ("against labels the model never saw (art, sport, Europe)").
  static const Regex labels(R"(\bagainst\s+(the\s+|these\s+|our\s+)?([a-z-]+\s+)?(labels|prompts|classes|categories|tags|topics)\b)");
  for (auto it = RegexIterator(lower.begin(), lower.end(), labels); it != RegexIterator(); ++it) {
    const std::size_t end = static_cast<std::size_t>(it->position() + it->length());
    blank(end, sentence_end(end));
  }
  return text;
}

// TEXT with every device named as one the writer does without blanked ("how do I get 4 fps without
// buying a Coral accelerator", "on the Pi, not a Jetson", "instead of an A100"), and a name that is
// one plain word with no model number ("coral") where nothing around it makes it a machine: "the
// cover of live coral, dead coral and algae" names no accelerator. A possessive before it ("the shop's
// NUC") or its specification in brackets after it ("NUC (Intel i3-1315U, 8 GB)") makes it the machine.
std::string without_devices_not_used(const std::string& text, const std::vector<std::pair<std::string, std::string>>& names) {
  static const Regex not_used(R"(\b(without|instead\s+of|rather\s+than|not|never|avoid|avoiding|except|apart\s+from|don'?t\s+have|do\s+not\s+have|no\s+need\s+for)\s+((buying|using|getting|needing|having|adding|an?|the|any|my|our|extra|separate|external|google|nvidia|usb)\s+){0,3}$)");
  static const Regex machine_before(R"((\b(an?|the|my|our|one|two|\d+|google|intel|nvidia|amd|apple|usb|on|onto|with|using|to|via|into|plus|\+)|\w's)\s+$)");
  static const Regex machine_after(R"(^\s*(-?\s*)((accelerators?|tpus?|usb|sticks?|dev\s+boards?|boards?|edge|m\.2|pcie|modules?|devices?|chips?)\b|\(\s*(intel|amd|arm|core|ryzen|[a-z]*\d)))");
  std::string out = text;
  for (const auto& [name, id] : names) {
    if (name.size() < 2) continue;
    const bool plain = name.find(' ') == std::string::npos && std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    for (std::size_t pos = out.find(name); pos != std::string::npos; pos = out.find(name, pos + 1)) {
      if (!whole_word_at(out, pos, name.size())) continue;
      const bool unused = context_before(out, pos, 48, not_used);
      const bool bare = plain && !context_before(out, pos, 10, machine_before) && !regex_search(out.substr(pos + name.size(), 20), machine_after);
      if (unused || bare) out.replace(pos, name.size(), std::string(name.size(), ' '));
    }
  }
  return out;
}

namespace {

// A machine the model is being moved off: "I already have a working version on a Raspberry Pi 4;
// now I want to shrink it onto a Pico W". A verb of moving after the device's mention (the last of
// D's mentions) names the target: a catalogue name there becomes D's device, a board or chip the
// catalogue lacks is reported as unknown with its text, never replaced by the machine it leaves.
void move_to_target_device(const std::string& t, const KnownNames& names, Deployment& d) {
  static const Regex moved(R"(\b(shrink|shrinking|port|porting|move|moving|migrate|migrating|squeeze|squeezing|transfer|transferring)\s+(it|this|that|them|the model|everything)?\s*(onto|to|over to)\s+(an?\s+|the\s+|my\s+|our\s+|a\s+tiny\s+|a\s+small\s+)?)", Regex::ECMAScript);
  static const Regex board(R"(^((raspberry\s+)?pi\s+pico|pico|esp32|esp8266|stm32|arduino|nrf\d+|rp2040|jetson|coral|hailo|microcontroller|mcu|[a-z]*\d[\w.+-]*)(\s+(?!(and|or|with|for|to|so|but|in|on|at|the|a|board)\b)[\w.+-]+){0,1})", Regex::ECMAScript);
  const std::size_t at = t.find(d.mentions.back());
  if (at == std::string::npos) return;
  Match mv, b;
  const std::string from_mention = t.substr(at);
  if (!regex_search(from_mention, mv, moved)) return;
  const std::size_t target = at + static_cast<std::size_t>(mv.position() + mv.length());
  const std::size_t stop = std::min(t.find_first_of(".;!?,", target), t.size());
  const std::string rest = t.substr(target, stop - target);
  std::vector<std::string> there;
  if (auto other = find_name(rest, names.devices, there)) {
    d.device = other;
    d.device_assumed.reset();
    d.mentions.push_back(there.back());
  } else if (regex_search(rest, b, board)) {
    d.device.reset();
    d.device_assumed.reset();
    std::string named_text = b[0].str();
    while (!named_text.empty() && (named_text.back() == ' ' || named_text.back() == '.')) named_text.pop_back();
    d.device_text = named_text;
    d.mentions.push_back(named_text);
  }
}

// Whether SAID (a device's mention in T) stands beside another machine with "or" or "versus"
// between: "Raspberry pi4 8GB or Jetson Nano", "a Jetson Nano (4GB) or a Coral", "an A100 vs an H100".
// Another machine is a catalogue name or a maker's or line's word.
bool offered_as_alternative(const std::string& t, const std::string& said, const KnownNames& names) {
  const std::size_t at = t.find(said);
  if (at == std::string::npos) return false;
  static const Regex maker(R"(^\s*(jetson|raspberry|rpi|pi\s*\d|orin|xavier|coral|hailo|rtx|gtx|geforce|quadro|radeon|tesla|nvidia|intel|amd|apple|mac(book|mini|studio)?|iphone|ipad|pixel|galaxy|snapdragon|esp32|arduino|stm32|nuc|a100|h100|t4|l4|v100|a10g?|tpu)\b)", Regex::ECMAScript);
  // A machine described rather than named is one too ("a machine with an 8 GB GPU", "a bigger
  // server", "any laptop"): a word for a computer within the first three words.
  static const Regex described(R"(^([\w.+-]+\s+){0,2}(machine|computer|pc|laptop|desktop|workstation|server|gpu|graphics\s+card|card|board|phone|smartphone|tablet|instance|vm|box|cpu)s?\b)", Regex::ECMAScript);
  const auto machine = [&](const std::string& s) {
    std::vector<std::string> scratch;
    return regex_search(s, maker) || regex_search(s, described) ||
           find_name(s.substr(0, std::min<std::size_t>(s.size(), 24)), names.devices, scratch).has_value();
  };
  static const Regex or_after(R"(^[\w.+-]*(\s*\(?\s*\d+\s*gb\s*\)?)?\s*,?\s+(or|vs\.?|versus)\s+(an?\s+|the\s+)?)", Regex::ECMAScript);
  Match m;
  const std::string after = t.substr(at + said.size(), 60);
  if (regex_search(after, m, or_after) && machine(after.substr(static_cast<std::size_t>(m.length())))) return true;
  static const Regex or_before(R"(([\w.+-]+(\s+[\w.+-]+){0,3})\s*,?\s+(or|vs\.?|versus)\s+(an?\s+|the\s+)?$)", Regex::ECMAScript);
  const std::size_t from = at > 60 ? at - 60 : 0;
  const std::string before = t.substr(from, at - from);
  if (regex_search(before, m, or_before)) {
    const std::string other = m[1].str();
    // The other machine is the first word of the words before "or" that is one.
    static const Regex word(R"([\w.+-]+)", Regex::ECMAScript);
    for (auto it = RegexIterator(other.begin(), other.end(), word); it != RegexIterator(); ++it)
      if (machine(other.substr(static_cast<std::size_t>(it->position())))) return true;
  }
  return false;
}

// Azure names a region by words whose id is their run ("Sweden Central" is swedencentral, "East US 2"
// eastus2): with Azure named in T, two to four words parted by spaces that run into an Azure id name
// that region (the words go to MENTIONS). "north-europe" or "eu, west" is no display name.
std::optional<std::string> azure_display_region(const std::string& t, const KnownNames& names, std::vector<std::string>& mentions) {
  if (t.find("azure") == std::string::npos) return std::nullopt;
  std::set<std::string> azure;
  for (const auto& r : names.regions)
    if (r.second.rfind("azure:", 0) == 0) azure.insert(r.second);
  std::vector<std::pair<std::size_t, std::size_t>> words;
  for (std::size_t i = 0; i < t.size();) {
    if (!std::isalnum(static_cast<unsigned char>(t[i]))) { ++i; continue; }
    std::size_t j = i;
    while (j < t.size() && std::isalnum(static_cast<unsigned char>(t[j]))) ++j;
    words.emplace_back(i, j);
    i = j;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string run = t.substr(words[i].first, words[i].second - words[i].first);
    for (std::size_t n = 1; n < 4 && i + n < words.size(); ++n) {
      const std::string gap = t.substr(words[i + n - 1].second, words[i + n].first - words[i + n - 1].second);
      if (gap.find_first_not_of(' ') != std::string::npos) break;
      run += t.substr(words[i + n].first, words[i + n].second - words[i + n].first);
      if (azure.count("azure:" + run)) {
        mentions.push_back(t.substr(words[i].first, words[i + n].second - words[i].first));
        return "azure:" + run;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Deployment parse_deployment(const std::string& original, const KnownNames& names) {
  // Devices are read from the text with those named for training blanked (named_for_training), and
  // those the writer does without (without_devices_not_used).
  Deployment d;
  const std::string t = without_devices_not_used(
      without_training_devices(to_lower(without_lowercase_word_names(original)), names.devices, d.training_mentions, d.training_device),
      names.devices);
  // A device word that modifies the noun after it names a thing, not the machine the model runs on:
  // "the phone cases coming off our press", "laptop bags", "my phone numbers". The head is a noun
  // of parts, accessories or services, or any plural noun right after the device word.
  static const std::string kObjectCompound =
      R"((?!\s*-?\s*(cases?|covers?|screens?|numbers?|calls?|lines?|bills?|chargers?|bags?|sleeves?|stands?|holders?|mounts?|batter(y|ies)|box(es)?|parts?|housings?|displays?|repairs?|shops?|stores?|accessor(y|ies)|protectors?|cables?|lens(es)?|straps?|keyboards?|hinges?|makers?|manufacturers?|brands?|sales|prices?)\b)(?!\s+(?!(this|does|plus|unless|always|perhaps|across|thus|less|was|has|its|yes|whereas|is|us|as|ones|runs|needs|works|takes|gets|uses|supports|lacks|fits|struggles|crashes|freezes)\b)[a-z]{2,}s\b))";
  d.device = find_name(t, names.devices, d.mentions);
  // A catalogue name without its maker ("pi 5") right after another maker's word ("orange pi 5",
  // "banana pi", "rock pi") names that maker's board, which the catalogue lacks: kept as text below.
  if (d.device) {
    static const Regex other_maker(R"(\b(orange|banana|rock|libre|odroid|khadas|radxa|lichee|milk-?v|pine)\s*$)", Regex::ECMAScript);
    const std::string& said = d.mentions.back();
    const std::size_t at = t.find(said);
    if (said.find(' ') != std::string::npos && at != std::string::npos && context_before(t, at, 12, other_maker) &&
        t.compare(at, 9, "raspberry") != 0) {
      d.device.reset();
      d.mentions.pop_back();
    }
  }
  // A choice between machines ("which one must I choose, Raspberry pi4 8GB or Jetson Nano?", "an
  // Orin or a Hailo-8?") names where the model might run, not where it does: no catalogue device
  // (the text names one below, as unknown).
  // The mention stays: its numbers ("pi4 8gb") are the name's, not a limit (stated_settings.cpp).
  // Only a sentence that asks for a choice (choose, pick, buy, which, should I, vs, whichever) offers
  // the machines as options: "an app on an iPhone 13 or Pixel 7" runs on both, the one read is costed.
  // The reset device's mention is kept as its text (a catalogue-only name such as "t4" is no word of
  // the named-device list below).
  bool choice = d.device && offered_as_alternative(t, d.mentions.back(), names);
  if (choice) {
    const std::string& said = d.mentions.back();
    const std::size_t at = t.find(said);
    const std::size_t stop = at == 0 || at == std::string::npos ? std::string::npos : t.find_last_of(".!?", at - 1);
    const std::size_t from = stop == std::string::npos ? 0 : stop + 1;
    const std::size_t end = at == std::string::npos ? std::string::npos : t.find_first_of(".!?", at + said.size());
    const std::size_t close = end == std::string::npos ? t.size() : end + 1;
    static const Regex asks(R"(\b(choose|choosing|chose|pick|picking|buy|buying|purchase|which|whichever|should (i|we)|vs\.?|versus)\b|\bor\b[^.!?]*\?)", Regex::ECMAScript);
    choice = regex_search(t.substr(from, close - from), asks);
    if (choice) {
      d.device_text = said;
      d.device.reset();
    }
  }
  // The Edge TPU is a chip: the catalogue's one is the Coral accelerator's, but one named as another
  // host's part ("the phone's NPU (the Tensor edge TPU)", "the Pixel's Edge TPU") is that host's.
  if (d.device) {
    static const Regex edge_tpu(R"(^edge[- ]?tpu$)", Regex::ECMAScript);
    static const Regex host_before(R"(\b(tensor|pixel\s*\d*|phone'?s?|smartphone'?s?|soc'?s?)\s*(g\d\s*)?('s\s*)?$)", Regex::ECMAScript);
    const std::string& said = d.mentions.back();
    const std::size_t at = t.find(said);
    if (regex_search(said, edge_tpu) && at != std::string::npos && context_before(t, at, 24, host_before)) d.device.reset();
  }
  if (d.device) {
    std::string name = d.mentions.back();  // "a100s": the name without its plural "s"
    if (name.size() > 1 && name.back() == 's' && std::isdigit(static_cast<unsigned char>(name[name.size() - 2]))) name.pop_back();
    d.device = variant_by_memory(t, *d.device, name, names.devices);
    // A name with no model number ("intel nuc", "orin nano") for an entry whose id carries one
    // (i5-1135g7, 8gb) names a line of machines; the catalogue's entry is one model of it.
    const auto digit = [](const std::string& s) { return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; }); };
    // A model number beside the line name ("our NUC (Intel i7-1360P ...)") says which model it is:
    // one the catalogue lacks is reported as unknown with its text, not costed as the line's entry.
    static const Regex model_beside(R"(^\s*(\(\s*)?(([a-z]+\s+){0,2}[a-z]{1,3}\d?-\d{3,5}[a-z]{0,3})\b)", Regex::ECMAScript);
    Match beside;
    const std::size_t at = t.find(d.mentions.back());
    const std::string after = at == std::string::npos ? std::string() : t.substr(at + d.mentions.back().size(), 48);
    std::vector<std::string> scratch;
    if (!digit(name) && digit(*d.device) && regex_search(after, beside, model_beside) &&
        !find_name(beside[2].str(), names.devices, scratch)) {
      d.device.reset();
      d.device_text = beside[2].str();
      d.mentions.push_back(*d.device_text);
    } else if (!digit(name) && digit(*d.device))
      d.device_assumed = "'" + name + "' names a line of machines, not one model: costed as " + *d.device +
                         ", the catalogue's entry for it (an older or smaller model is slower; name the model to change)";
  }
  else if (!choice) d.device = find_name_near(t, names.devices, d.mentions);
  if (d.device && !d.mentions.empty()) move_to_target_device(t, names, d);
  // A cloud region id ("eu-west-1", "aws:eu-west-1") names where the machines are outright: it wins
  // over a longer country or city phrase beside it ("eu-west-1 for our Irish customers").
  {
    std::vector<std::pair<std::string, std::string>> cloud_ids;
    for (const auto& r : names.regions) {
      const std::size_t colon = r.second.find(':');
      if (colon != std::string::npos && (r.first == to_lower(r.second) || r.first == to_lower(r.second.substr(colon + 1))))
        cloud_ids.push_back(r);
    }
    d.region = find_name(t, cloud_ids, d.mentions);
  }
  if (!d.region) d.region = azure_display_region(t, names, d.mentions);
  if (!d.region) d.region = find_name(t, names.regions, d.mentions);
  if (d.region && !d.mentions.empty() && place_is_shown(t, t.find(d.mentions.back()))) d.region.reset();
  // The text is lower-cased already: Regex::icase would only make each pattern several times slower to
  // compile (a case-folded matcher for each of 256 characters per bracket), at every start-up.
  const auto flags = Regex::ECMAScript;
  if (!d.device) {
    // A device named but not in the catalogue: kept as text. Vendor and product-line words, or a
    // device class after "on a", "runs on", "deploy to".
    static const Regex named(R"(\b((jetson|raspberry pi|pixel \d|iphone|ipad|galaxy [a-z]?\d|snapdragon|hailo|coral|rtx|gtx|quadro|radeon|instinct|xeon|epyc|ryzen|core i[3579]|esp32|stm32|arduino|kria|movidius|myriad(?!\s+of\b)|exynos|dimensity|kirin|tensor g|apple [am]\d|gaudi|inferentia|trainium|graphcore|cerebras|habana|nvidia|geforce|tesla [a-z]?\d+)[\w.+-]*(\s+(?!(board|phone|in|on|at|for|with|and|or|to|the|a|under|over|is|are|was|were|runs|running|ran|works|working|gets|got|only|without|but|which|that|can|could|will|would|does|do|did|has|have|had|camera|cameras|cam|app|apps|screen|display|microphone|mic|sensor|sensors)\b)[\w.+-]+){0,2}))", flags);
    static const Regex classed(R"(\b(on|onto|using|runs? on|running on|deploy(ed)? (on|to)|inside|in)\s+(an?|the|my|our|their|one|any|cheap|old|small|low-end|mid-range)?\s*((?:[\w.+-]+\s+){0,2}?)(phone|smartphone|mobile|handset|laptop|tablet|smartwatch|watch|microcontroller|mcu|fpga|npu|desktop|pc|workstation|edge device|edge box|embedded board|board|dev board|gpu|camera)s?\b)" +
                                       kObjectCompound, flags);
    Match m;
    // A vendor's tool is no device ("nvidia-smi shows ...", "nvidia-docker"): the next name is read.
    static const Regex tool(R"(^[a-z]+-(smi|docker|container[\w-]*|drivers?|toolkit|settings|persistenced|ctk)\b)", flags);
    bool found = false;
    for (auto it = RegexIterator(t.begin(), t.end(), named); it != RegexIterator(); ++it)
      if (!regex_search((*it)[1].str(), tool)) { m = *it; found = true; break; }
    // A bare model number with a memory size ("on a 3060 12gb", "a 7900 (24 GB)") names a card the
    // catalogue lacks; so does another maker's board ("an orange pi 5"): unknown, with their text.
    static const Regex numbered_card(R"(\b(on|using|with|onto|to|in)\s+(an?|my|our|the|one|two|\d+\s*x?)?\s*([a-z]{0,4}\d{3,5}[a-z]{0,3})\s*\(?\s*\d+\s*(gb|gib)\b)", flags);
    static const Regex maker_board(R"(\b((orange|banana|rock|odroid|khadas|radxa|lichee|pine)\s*(pi|board|-?[a-z]?\d+)[\w.+-]*(\s+[\w.+-]*\d[\w.+-]*)?))", flags);
    if (!found && regex_search(t, m, maker_board)) found = true;
    if (!found && regex_search(t, m, numbered_card)) {
      found = true;
      d.device_text = m[3].str();
      d.mentions.push_back(*d.device_text);
      found = false;  // the text is set; nothing more to read from this match
    }
    if (found) {
      // A product name may hold a dot inside (a version such as "2.1") but none at its end: a
      // dot there is the sentence's full stop ("like a pixel 7.").
      std::string named_text = m[1].str();
      while (!named_text.empty() && named_text.back() == '.') named_text.pop_back();
      d.device_text = named_text;
      d.mentions.push_back(*d.device_text);
      // A phone line named without a model the catalogue knows ("on iPhones", "a Galaxy A54") is
      // still a phone.
      static const Regex phone_line(R"(^(iphone|pixel|galaxy|exynos|dimensity|kirin|snapdragon|tensor g))", flags);
      if (regex_search(*d.device_text, phone_line)) d.device_class = "phone";
    }
    // A camera whose modifier is the device just named is a part of that device, not another
    // device: "using the iphone camera" leaves the iPhone a phone ("a Hailo-8 board" is the device).
    const bool class_named = regex_search(t, m, classed);
    const bool part_of_named = class_named && d.device_text && m[6].str() == "camera" &&
                               m[5].str().find(*d.device_text) != std::string::npos;
    if (class_named && !part_of_named) {
      const std::string cls = m[6].str();
      static const std::map<std::string, std::string> classes = {
          {"phone", "phone"}, {"smartphone", "phone"}, {"mobile", "phone"}, {"handset", "phone"}, {"laptop", "laptop"},
          {"tablet", "tablet"}, {"smartwatch", "watch"}, {"watch", "watch"}, {"microcontroller", "microcontroller"},
          {"mcu", "microcontroller"}, {"fpga", "fpga"}, {"npu", "npu"}, {"desktop", "desktop"}, {"pc", "desktop"},
          {"workstation", "desktop"}, {"edge device", "edge-board"}, {"edge box", "edge-board"},
          {"embedded board", "edge-board"}, {"board", "edge-board"}, {"dev board", "edge-board"}, {"gpu", "gpu"},
          {"camera", "camera"}};
      if (auto it = classes.find(cls); it != classes.end()) d.device_class = it->second;
      if (!d.device_text) {
        std::string words = m[5].str();
        d.device_text = words + cls;
        if (!words.empty()) d.mentions.push_back(words);
      }
    } else if (!d.device_class && !d.device_text) {
      // The camera of a phone ("with the phone camera", "the smartphone's camera") is the phone's:
      // the app runs where the photo is taken.
      static const Regex phone_camera(R"(\b(phone|smartphone|mobile phone|cell ?phone)('s)?\s+cameras?\b)", flags);
      if (regex_search(t, m, phone_camera)) {
        d.device_class = "phone";
        d.device_text = m[1].str();
      }
    }
    if (!d.device_class && !(class_named && !part_of_named)) {
      // The computer the writer has is where it runs: "we only have a laptop", "my PC", "a gaming
      // PC", "our office desktops". Cameras, boards and GPUs one has are inputs or parts, not this;
      // "my phone number" is no phone. Nothing is masked: the words may still say what is done.
      // So is one the writer is to buy ("I need to buy a laptop that makes ..."), and the words
      // before the noun may be its make, model or year ("my 2020 Razer Blade laptop").
      static const Regex owned(R"(\b(have|has|got|own|owns|my|our|gaming|buy|buying|purchase)\s+(an?\s+|one\s+|two\s+|some\s+|\d+\s+)?((?:(?!(and|or|with|for|to|of|on|in|the|from|by|at|as|into|onto|via|through|than)\b)[\w.+-]+\s+){0,3}?)(phone|smartphone|laptop|notebook|tablet|desktop|pc|workstation|rig)s?\b(?!\s*(support|plans?|contracts?)\b))" + kObjectCompound, flags);
      static const std::map<std::string, std::string> kinds = {
          {"phone", "phone"}, {"smartphone", "phone"}, {"laptop", "laptop"}, {"notebook", "laptop"}, {"tablet", "tablet"},
          {"desktop", "desktop"}, {"pc", "desktop"}, {"workstation", "desktop"}, {"rig", "desktop"}};
      if (regex_search(t, m, owned)) {
        d.device_class = kinds.at(m[5].str());
        if (!d.device_text) d.device_text = m[3].str() + m[5].str();
      }
    }
  }
  // A load: N things a day, a week, an hour or a month ("60 contracts a week" is 60/7 a day); never
  // a duration or a size per day ("40 hours a day" of audio, "3 years of daily sales").
  static const Regex qpd(kNum + R"(\s*((?:[a-z-]+\s*){0,3}?)(?:an|a|per|each|every|/)\s*(day|week|hour|month|minute|min)\b|)" + kNum +
                                  R"(\s*((?:[a-z-]+\s+){0,2})(daily|weekly|hourly)\b)", flags);
  // Pages, words, characters and tokens measure an amount of text ("400 pages a month" to translate):
  // a volume, not a count of requests. So do units of mass, volume and length ("15 mg twice a day" is
  // a dose, "2 litres a day" a quantity): a load counts items that arrive, never an amount measured.
  // Countable items are not units of measure: "30,000 pills a day" to check is a load.
  static const Regex unit_first(R"(^(hours?|hrs?|h|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|gb|tb|mb|kb|kwh|km|miles?|percent|%|times|eur|euros?|usd|dollars?|gbp|pounds?|chf|pages?|words?|characters?|chars|tokens?|lines?|mg|mcg|µg|g|grams?|kg|kilos?|kilograms?|tonnes?|tons?|ml|l|litres?|liters?|gallons?|m|metres?|meters?|cm|mm|\$|€|£)(\s|$))", flags);
  Match m;
  // Counts in words are counts too: "about twelve thousand transcripts a month".
  const std::string tn = digits_for_number_words(t);
  for (auto it = RegexIterator(tn.begin(), tn.end(), qpd); it != RegexIterator() && !d.queries_per_day; ++it) {
    const Match& q = *it;
    const bool first = q[1].matched;
    if (regex_search(q[first ? 3 : 7].str(), unit_first)) continue;
    const std::string period = q[first ? 4 : 8].str();
    // "30 boards per minute" off a production line: 1,440 minutes a day.
    const double per_day = period == "week" || period == "weekly" ? 1.0 / 7 : period == "hour" || period == "hourly" ? 24
                         : period == "minute" || period == "min" ? 24 * 60 : period == "month" ? 1.0 / 30 : 1;
    d.queries_per_day = (first ? number(q, 1) : number(q, 5)) * per_day;
  }
  if (!d.queries_per_day) {
    // "The 70 claim files we get a week", "84 incident reports that our engineers send in each week":
    // the count and its period split by a clause saying who receives or sends the items.
    static const Regex clause(kNum + R"(\s+((?:[a-z-]+\s+){1,3}?)(?:that|which|we|they|i|you|our|people|customers|clients|users|staff)\s+(?:[a-z-]+\s+){0,3}?(?:get|gets|receive|receives|see|sees|handle|handles|process|processes|send|sends|submit|submits|upload|uploads|review|reviews|scan|scans|answer|answers|write|writes|file|files)\s+(?:(?:in|out|over|through)\s+)?(?:about\s+|around\s+)?(?:an|a|per|each|every)\s+(day|week|hour|month)\b)", flags);
    if (regex_search(tn, m, clause) && !regex_search(m[3].str(), unit_first)) {
      const std::string period = m[4].str();
      d.queries_per_day = number(m, 1) * (period == "week" ? 1.0 / 7 : period == "hour" ? 24 : period == "month" ? 1.0 / 30 : 1);
    }
  }
  if (!d.queries_per_day) {
    // "Every morning I get around 300 news articles"
    static const Regex each_day(R"(\b(every|each)\s+(morning|evening|night|day|weekday)\b[^.;\d]{0,40}?)" + kNum + R"(\s+[a-z])", flags);
    if (regex_search(tn, m, each_day)) d.queries_per_day = number(m, 3);
  }
  // An always-on input: a stream the model runs on all day, whatever each query's window is.
  static const Regex always(R"(\b(all\s+day(\s+long)?|all\s+night|day\s+and\s+night|24\s*/\s*7|24x7|around\s+the\s+clock|round\s+the\s+clock|always[\s-]+(on|listening|running|watching)|non-?stop|continuously|constantly)\b)", flags);
  d.continuous = regex_search(t, m, always);
  // Years of service, not of a loan: only beside a load or a word of running or serving a model.
  static const Regex years(R"(\b(for|over|during|next)\s+)" + kNum + R"(\s+years?\b)", flags);
  static const Regex serving(R"(\b(serve|serving|served|run|running|deploy|deployed|deployment|in production|operate|operating|service|lifetime|inference|in use)\b)", flags);
  // A load stated ("2M requests a day for 3 years") is serving too.
  if (regex_search(t, m, years) && (d.queries_per_day || regex_search(t, serving))) d.years = number(m, 2);
  read_token_lengths(tn, d);
  return d;
}

Doc Deployment::doc() const {
  Doc d = Doc::map();
  if (device) d.set("device", *device);
  else if (device_text) {
    d["device"] = Doc();
    d.set("device_text", *device_text);
  }
  if (device && device_assumed) d.set("device_assumed", *device_assumed);
  if (device_class) d.set("device_class", *device_class);
  if (region) d.set("region", *region);
  else if (region_text) {
    d["region"] = Doc();
    d.set("region_text", *region_text);
  }
  if (queries_per_day) d.set("queries_per_day", *queries_per_day);
  if (years) d.set("years", *years);
  if (prompt_tokens) d.set("prompt_tokens", *prompt_tokens);
  if (output_tokens) d.set("output_tokens", *output_tokens);
  if (continuous) d.set("continuous", true);
  return d;
}

}  // namespace sml::describe
