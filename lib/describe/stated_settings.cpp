#include "stated_settings.hpp"

#include <algorithm>
#include <set>

#include "task_signatures.hpp"
#include "sml/describe/reading.hpp"
#include "sml/io/text.hpp"
#include "word_regex.hpp"

namespace sml::describe::stated {

// Constraints, deployment, objectives and languages: what the text states. A request that is not a
// learning problem has no model to constrain or deploy: its numbers ("a 50 GB csv on a laptop with
// 16 GB", "140 deliveries a day") are no constraints and no load, and its places ("vans around
// Leeds") no deployment region; only the device class or text is kept, for `sml-suggest --anyway`.
// Numbers are read with device and place names blanked: the 5 of "Raspberry Pi 5 spots birds"
// counts no classes, the 15 of "iPhone 15" no samples.
// TEXT with what it quotes and its file names blanked: a place inside quotes or in a file name
// ("'Jon Smith, Acme Ltd, Leeds'", "Leeds_weekly_sales.xlsx") is part of an example record or a
// name, not where the writer, its users or its machines are. An apostrophe inside a word
// ("we've", "Leeds' shops") opens no quote.
std::string without_quotes_and_files(std::string text) {
  static const Regex quoted(R"((^|[\s(\[:,;])(['"\x60]|\xE2\x80\x98|\xE2\x80\x9C)([^'"\x60\n]{1,120}?)(['"\x60]|\xE2\x80\x99|\xE2\x80\x9D)(?=[\s.,;:!?)\]]|$))");
  // Matched on the lower-cased text (the same positions): no std::regex::icase, slow to compile.
  static const Regex file_name(R"(([a-z0-9_-]+[ _-]){0,4}[a-z0-9_-]+\.(xlsx|xls|csv|tsv|json|pdf|docx?|pptx?|txt|parquet|zip|xml)\b)");
  for (const auto* re : {&quoted, &file_name}) {
    std::string out;
    std::size_t last = 0;
    const std::string low = to_lower(text);
    for (auto it = RegexIterator(low.begin(), low.end(), *re); it != RegexIterator(); ++it) {
      const auto pos = static_cast<std::size_t>(it->position());
      out += text.substr(last, pos - last) + std::string(static_cast<std::size_t>(it->length()), ' ');
      last = pos + static_cast<std::size_t>(it->length());
    }
    text = out + text.substr(last);
  }
  return text;
}

Constraints read_numbers(const std::string& text, const Deployment& d, const KnownNames& names) {
  std::string numbers = to_lower(text);
  // A memory size that is part of a card's name ("a100 80gb") stays: it is the card's memory. A
  // board's ("jetson agx orin 64gb") is blanked with the name: it says which board, no limit.
  static const Regex size_tail(R"(\s*\d+\s*gb$)");
  const auto names_board = [&](const std::string& m) {
    return std::any_of(names.devices.begin(), names.devices.end(), [&](const auto& n) { return n.first == m && names.boards.count(n.second); });
  };
  for (const auto& m : d.mentions) {
    Match tail;
    const std::size_t keep = regex_search(m, tail, size_tail) && !names_board(m) ? static_cast<std::size_t>(tail.position()) : m.size();
    for (std::size_t p = numbers.find(m); p != std::string::npos && !m.empty(); p = numbers.find(m, p + 1))
      numbers.replace(p, keep, std::string(keep, ' '));
  }
  // A training machine's memory ("tune it on A100s (40GB)") bounds training, not the model served.
  // So does the size written just after its name, in the same clause ("fine-tune it using one A100
  // GPU with 80G memory"): the machine's memory, not the served model's (CONVENTIONS.md C7).
  // The clause ends at a stop, or at a word that moves on to another machine or step ("train on an
  // A100 and serve on a 16 GB T4": the T4's 16 GB is the served model's).
  static const Regex training_size(R"(^(?:(?!\b(?:and|but|then|while|whereas|serv\w*|deploy\w*|run\w*|infer\w*)\b)[^.;,?!\d]){0,24}?(\d+\s*(gb|gib|g|go|tb)\b))");
  for (const auto& m : d.training_mentions)
    for (std::size_t p = numbers.find(m); p != std::string::npos && !m.empty(); p = numbers.find(m, p + 1)) {
      numbers.replace(p, m.size(), std::string(m.size(), ' '));
      const std::size_t after = p + m.size();
      Match size;
      const std::string tail = numbers.substr(after, 48);
      if (regex_search(tail, size, training_size))
        numbers.replace(after + static_cast<std::size_t>(size.position(1)), static_cast<std::size_t>(size.length(1)),
                        std::string(static_cast<std::size_t>(size.length(1)), ' '));
    }
  // The year of a named data set, benchmark or challenge ("the nine ISIC 2019 categories", "COCO
  // 2017", "WMT 2014") is part of its name, no count: read from the written case, where the name is
  // in capitals (lower-casing keeps every position).
  static const Regex edition(R"(\b[A-Z][A-Z0-9]+[ -](19[5-9]\d|20[0-2]\d)\b)");
  for (auto it = RegexIterator(text.begin(), text.end(), edition); it != RegexIterator(); ++it)
    numbers.replace(static_cast<std::size_t>(it->position(1)), 4, std::string(4, ' '));
  return parse_constraints(numbers);
}

// LANGUAGES: whether the task read can carry the languages named (task/v1 languages): only a task
// whose input or output is text or speech has a language; a video or a table named beside a
// language ("our Dutch dairy co-op counts cows on the barn video") has none, and the adjective there
// is the place's (deployment), not the model's.
void add_settings(Doc& doc, const std::string& text, Deployment d, const Constraints& stated, bool learning,
                  bool languages_apply) {
  const Constraints c = learning ? stated : Constraints{};
  // Nor a catalogue device: sml-suggest declines the request, and a device it reported would read as
  // where a model runs ("the driver won't install on my Jetson Nano"). The class or the text is kept
  // for --anyway; a named catalogue device becomes its text.
  if (!learning) {
    d.queries_per_day.reset(), d.years.reset(), d.region.reset(), d.continuous = false;
    d.prompt_tokens.reset(), d.output_tokens.reset();
    if (d.device && !d.device_text) d.device_text = d.mentions.empty() ? *d.device : d.mentions.front();
    d.device.reset(), d.device_assumed.reset();
  }
  doc.set("constraints", c.doc());
  doc.set("deployment", d.doc());
  // The machine the text says the model is trained on, when it names one apart from where it runs.
  if (learning && d.training_device) {
    Doc& training = doc["training"] = Doc::map();
    training.set("device", *d.training_device);
  }
  Doc& obj = doc["objectives"] = Doc::list();
  for (const auto& x : parse_objectives(text, c.latency_s)) obj.push(x);
  const Languages l = languages_apply ? parse_languages(text) : Languages{};
  if (!l.source.empty() || !l.target.empty() || l.count > 0) {
    Doc& lang = doc["languages"] = Doc::map();
    if (l.count > 0) lang.set("count", l.count);
    if (!l.source.empty()) {
      Doc& src = lang["source"] = Doc::list();
      for (const auto& x : l.source) src.push(x);
    }
    if (!l.target.empty()) {
      Doc& t = lang["target"] = Doc::list();
      for (const auto& x : l.target) t.push(x);
    }
  }
  if (!c.evidence.empty()) {
    Doc& ce = doc["constraint_evidence"] = Doc::list();
    for (const auto& e : c.evidence) ce.push(e);
  }
}

// THE CLASS RULE: a count of kinds is a constraint only of a task whose output is a kind: a label
// per item (the classifications), boxes of kinds, a label per pixel or per token, labels scored with
// no examples, a flag per item (unusual or normal) or per frame (speech or not), or a graph's nodes
// and edges (task_signatures.cpp). A list in the text of a
// translation, a transcript, a summary, generated images or speech, a forecast or a filled-in word
// ("Hebrew, Arabic, Korean or Chinese", "line charts, bar graphs and heatmaps", "dosages or forms")
// names languages, views or context, not classes the model tells apart. No labelled statement of
// those tasks carries a class count (CONVENTIONS.md C2). A task outside the catalogue's list keeps it.
Constraints with_classes_of(const std::string& task, Constraints c) {
  static const std::set<std::string> kinds = {"label", "boxes", "pixels", "tokens", "no-examples", "unusual", "speech-present", ""};
  const signatures::Signature* s = signatures::signature(task);
  if (!c.classes || !s || kinds.count(s->output)) return c;
  c.drop(&Constraints::classes);
  return c;
}

}  // namespace sml::describe::stated
