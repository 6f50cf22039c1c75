#include "sml/describe/describe.hpp"

#include <algorithm>
#include <map>
#include <cmath>
#include <cstring>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "geonames_cities.hpp"
#include "stated_rule.hpp"
#include "stated_settings.hpp"
#include "task_signatures.hpp"
#include "fault_report.hpp"
#include "known_names.hpp"
#include "sml/describe/learning_scorer.hpp"
#include "sml/describe/task_scorer.hpp"
#include "not_learning.hpp"
#include "outside_question.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/lexicon.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/roles.hpp"
#include "sml/describe/settings.hpp"
#include "sml/describe/model_segments.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"
#include "sml/io/yaml_file.hpp"
#include "word_regex.hpp"

namespace sml::describe {

using stated::add_settings;
using stated::read_numbers;
using stated::with_classes_of;
using stated::without_quotes_and_files;

Doc describe_text(const DescribeOptions& o) {
  std::string text = o.text;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }))
    throw InputError(o.source_name + ": empty problem description");
  if (text.size() > 100000) throw InputError(o.source_name + ": a problem description longer than 100,000 characters");
  const std::string catalog = data_dir("catalog", o.catalog_dir);
  auto tasks = load_taxonomy(catalog + "/tasks");
  for (auto& g : load_out_of_scope(catalog + "/out-of-scope.yaml")) tasks.push_back(std::move(g));
  const TaskClassifier classifier(tasks);
  auto find_task = [&](const std::string& id) -> const Task* {
    for (const auto& t : tasks)
      if (t.id == id) return &t;
    return nullptr;
  };

  // Spelling first, toward the words tasks and cues use; then words generalised to their kinds.
  std::set<std::string> known(classifier.vocabulary_words().begin(), classifier.vocabulary_words().end());
  for (const auto& w : cue_words()) known.insert(w);
  // Device and place names are words too: "iPhone" is not a misspelt "phone".
  const KnownNames names = known_names(o.hw_dir, o.catalog_dir);
  // A name whose every space-separated piece came in an earlier name adds no word: the same
  // adjective or noun recurs in hundreds of place phrases ("german market", "french market").
  std::set<std::string> pieces;
  for (const auto* list : {&names.devices, &names.regions})
    for (const auto& [name, id] : *list) {
      bool fresh = false;
      for (std::size_t b = 0; b < name.size();) {
        const std::size_t e = std::min(name.find(' ', b), name.size());
        fresh |= pieces.insert(name.substr(b, e - b)).second;
        b = e + 1;
      }
      if (fresh)
        for (const auto& w : TaskClassifier::words(name)) known.insert(w);
    }
  const Lexicon lexicon(known);
  std::vector<Correction> corrections;
  const std::string read = lexicon.correct(text, corrections);
  // Devices and places are read first and masked out of what the task is read from: "Pixel 8" is
  // a phone, not a pixel; "Jetson Nano" says nothing about the task.
  Deployment deployment = parse_deployment(read, names);
  // Places are read outside quotes and file names (without_quotes_and_files).
  const std::string placed = without_data_places(without_quotes_and_files(read));
  if (placed != read) deployment.region = parse_deployment(placed, names).region;
  // No place named outright: a country adjective on the people or body the text is about ("our
  // Portuguese field sales reps", "the Danish maritime authority") places the organisation.
  if (!deployment.region) {
    static const std::set<std::string> agents = {"person", "organization", "social_group", "people", "work_force"};
    static const std::set<std::string> places = {"location", "structure", "facility"};
    const auto region = region_by_adjective(
        placed, [&](const std::string& w) { return lexicon.is_kind_of(w, agents); },
        [&](const std::string& w) { return lexicon.is_kind_of(w, places); });
    std::set<std::string> ids;
    for (const auto& r : names.regions) ids.insert(r.second);
    if (region && ids.count(*region)) deployment.region = region;
  }
  // Nor a catalogue name: a place WordNet knows as part of one (Istanbul, Crete, Manila, Bali).
  if (!deployment.region) deployment.region = region_by_holonym(without_data_places(without_quotes_and_files(text)), names, lexicon);
  // Nor in WordNet: a town written with its state or province code ("my area (Altadena, CA)"), placed in
  // the catalogue's subdivision where it has one (its grid), else in the country; before the city
  // table, which knows the country only ("Guelph, ON" is Ontario's grid).
  if (!deployment.region) {
    const auto [subdivision, country] = region_by_state_code(placed);
    for (const auto& id : {subdivision, country})
      if (!deployment.region && !id.empty() &&
          std::any_of(names.regions.begin(), names.regions.end(), [&](const auto& r) { return r.second == id; }))
        deployment.region = id;
  }
  // Nor that: a GeoNames city named as where the writer is ("our warehouses around Pune"),
  // through its country, when the catalogue has that country.
  if (!deployment.region) {
    const std::string country = region_by_city(placed);
    if (!country.empty() && std::any_of(names.regions.begin(), names.regions.end(), [&](const auto& r) { return r.second == country; }))
      deployment.region = country;
  }
  // Nor that: a country by any of its ISO 3166-1 names ("the Czech Republic"); one whose grid the
  // catalogue lacks ("farms in Malawi") is kept as text, the region unknown.
  if (!deployment.region)
    if (const auto country = country_by_name(placed)) {
      if (std::any_of(names.regions.begin(), names.regions.end(), [&](const auto& r) { return r.second == country->code; }))
        deployment.region = country->code;
      else
        deployment.region_text = country->text;
    }
  std::string masked = to_lower(read);
  std::vector<std::string> named = deployment.mentions;
  named.insert(named.end(), deployment.training_mentions.begin(), deployment.training_mentions.end());
  for (const auto& m : named)
    for (std::size_t p = masked.find(m); p != std::string::npos && !m.empty(); p = masked.find(m, p + 1)) {
      masked.replace(p, m.size(), std::string(m.size(), ' '));
      // The machine word after a device's name is part of it: the "box" of "our Xeon Platinum 8380
      // box" is the computer, not boxes to draw; "rig", "machine" and "server" likewise.
      std::size_t w = p + m.size();
      while (w < masked.size() && masked[w] == ' ') ++w;
      std::size_t e = w;
      while (e < masked.size() && std::isalpha(static_cast<unsigned char>(masked[e]))) ++e;
      static const std::set<std::string> machine = {"box", "rig", "machine", "server", "workstation", "node"};
      if (e > w && machine.count(masked.substr(w, e - w))) masked.replace(w, e - w, std::string(e - w, ' '));
    }
  // A prefix joined by a dash is no word of its own: "auto-flag" flags (automatically), no car.
  for (const char* prefix : {"auto-", "re-", "pre-"})
    for (std::size_t p = masked.find(prefix); p != std::string::npos; p = masked.find(prefix, p + 1))
      if (p == 0 || !std::isalnum(static_cast<unsigned char>(masked[p - 1]))) masked.replace(p, std::strlen(prefix), std::string(std::strlen(prefix), ' '));
  // "3D-printed parts", "3d printed brackets": how the items were made, an adjective on what goes
  // in; neither a 3-D output (depth, a mesh) nor a request to print. Only a 3-D print still to be
  // made ("a model I can 3D print") is 3-D work, which the verb forms below keep.
  {
    static const Regex made_by_printing(R"(\b3-?d[ -]?printed\b)");
    std::string out;
    RegexIterator it(masked.begin(), masked.end(), made_by_printing), end;
    std::size_t last = 0;
    for (; it != end; ++it) {
      out += masked.substr(last, static_cast<std::size_t>(it->position()) - last) + std::string(it->length(), ' ');
      last = static_cast<std::size_t>(it->position() + it->length());
    }
    masked = out + masked.substr(last);
  }
  // A prompt quoted ("from a prompt like 'photograph of monkey sleeping'") is what the user types:
  // its words are the prompt's content ("photograph" there is no photo coming in), not the task's.
  {
    static const Regex quoted_prompt(
        R"(\bprompts?(\s+(like|such\s+as|as|e\.g\.))?\s*[:,]?\s*(?:'|"|\xE2\x80\x9C|\xE2\x80\x98)([^'"\n]{1,200}?)(?:'|"|\xE2\x80\x9D|\xE2\x80\x99))");
    std::string out;
    std::size_t last = 0;
    for (auto it = RegexIterator(masked.begin(), masked.end(), quoted_prompt); it != RegexIterator(); ++it) {
      const auto at = static_cast<std::size_t>(it->position(3));
      out += masked.substr(last, at - last) + std::string(static_cast<std::size_t>(it->length(3)), ' ');
      last = at + static_cast<std::size_t>(it->length(3));
    }
    masked = out + masked.substr(last);
  }
  // A gap written into a sentence ("at a ____", "Paris is the [MASK] of France") is a word to fill
  // in; the "mask" of a mask token is no image mask.
  bool gap = false;
  {
    static const Regex written_gap(R"(_{2,}|\[mask\]|<mask>)");
    std::string out;
    std::size_t last = 0;
    for (auto it = RegexIterator(masked.begin(), masked.end(), written_gap); it != RegexIterator(); ++it) {
      out += masked.substr(last, static_cast<std::size_t>(it->position()) - last) + std::string(static_cast<std::size_t>(it->length()), ' ');
      last = static_cast<std::size_t>(it->position() + it->length());
      gap = true;
    }
    masked = out + masked.substr(last);
  }
  std::vector<std::string> words = TaskClassifier::words(masked);
  const std::vector<bool> negated = negated_words(masked);
  std::vector<std::pair<std::string, std::string>> generalised;
  std::map<std::string, std::vector<std::string>> kinds;
  // Acronyms ("NDAs", "SOWs") are names, not the common nouns WordNet spells the same way (a sow).
  std::set<std::string> acronyms;
  {
    std::string cur;
    for (std::size_t i = 0; i <= read.size(); ++i) {
      const unsigned char c = i < read.size() ? static_cast<unsigned char>(read[i]) : ' ';
      if (std::isalnum(c)) { cur += static_cast<char>(c); continue; }
      std::string core = cur.size() > 2 && cur.back() == 's' ? cur.substr(0, cur.size() - 1) : cur;
      if (core.size() >= 2 && std::all_of(core.begin(), core.end(), [](unsigned char x) { return std::isupper(x) || std::isdigit(x); }))
        acronyms.insert(to_lower(core));
      cur.clear();
    }
  }
  // So are the parts of a model's identifier, a hyphenated word with a digit ("parakeet-tdt-0.6b-v2",
  // "whisper-large-v3"): a parakeet there is no bird.
  {
    std::istringstream in(read);
    std::string token;
    while (in >> token) {
      if (token.find('-') == std::string::npos ||
          std::none_of(token.begin(), token.end(), [](unsigned char x) { return std::isdigit(x); }))
        continue;
      std::string part;
      for (std::size_t i = 0; i <= token.size(); ++i) {
        const unsigned char c = i < token.size() ? static_cast<unsigned char>(token[i]) : '-';
        if (std::isalpha(c)) { part += static_cast<char>(std::tolower(c)); continue; }
        if (part.size() >= 3) acronyms.insert(part);
        part.clear();
      }
    }
  }
  for (const auto& w : std::vector<std::string>(words)) {
    if (w.size() < 4 || std::isdigit(static_cast<unsigned char>(w[0])) || acronyms.count(w)) continue;
    const bool is_known = known.count(w) > 0;
    for (const auto& g : lexicon.generalise(w)) {
      if (std::find(kinds[w].begin(), kinds[w].end(), g) == kinds[w].end()) kinds[w].push_back(g);
      // A word the vocabulary knows speaks for itself; its kind is only for the role rules.
      if (!is_known && std::none_of(generalised.begin(), generalised.end(), [&](const auto& p) { return p.first == w && p.second == g; })) {
        generalised.emplace_back(w, g);
        words.push_back(g);
      }
    }
  }
  // The words of a slash list of classes ("letter / typed document / handwritten note") are what
  // comes out, not cues for a task: read as if denied (the list itself is read as classes below).
  std::vector<bool> unread = negated;
  {
    static const Regex slash_list(R"([a-z-]+((\s*/\s*[a-z-]+(\s+[a-z-]+)?){2,}))", Regex::icase);
    for (auto it = RegexIterator(read.begin(), read.end(), slash_list); it != RegexIterator(); ++it)
      for (const auto& w : TaskClassifier::words(it->str())) {
        auto at = std::find(words.begin(), words.end(), w);
        const auto i = static_cast<std::size_t>(at - words.begin());
        if (at != words.end() && i < unread.size()) unread[i] = true;
      }
  }
  // The words of a control's quoted label ("next to the 'generate description' button", "the
  // 'Translate' menu item") name the control, not what is asked for: read as if denied.
  {
    static const Regex control_label(
        R"((['"\x60]|\xE2\x80\x98|\xE2\x80\x9C)([^'"\x60\n]{1,60}?)(['"\x60]|\xE2\x80\x99|\xE2\x80\x9D)\s+(button|tab|menu|menu item|option|link|icon|toggle|checkbox|shortcut)s?\b)",
        Regex::icase);
    for (auto it = RegexIterator(read.begin(), read.end(), control_label); it != RegexIterator(); ++it)
      for (const auto& w : TaskClassifier::words((*it)[2].str())) {
        auto at = std::find(words.begin(), words.end(), w);
        const auto i = static_cast<std::size_t>(at - words.begin());
        if (at != words.end() && i < unread.size()) unread[i] = true;
      }
  }
  Reading reading = read_statement(words, unread);
  read_roles(words, negated, kinds, reading);
  if (gap) {
    reading.outputs["fill"] += 2.5;
    reading.cues["output: fill"].push_back("a gap written in a sentence");
    reading.inputs["text"] += 1;
    reading.cues["input: text"].push_back("a sentence with a gap");
  }
  // The numbers and lists are read once: the classes the writer lists say what comes out.
  const Constraints stated = read_numbers(read, deployment, names);
  read_listed_classes(reading, stated.classes ? *stated.classes : 0);
  // Languages are a setting (task/v1 languages), not a task: named alone ("mails in English and
  // French") they are kept out of the task's words; a target language ("from English into
  // Japanese") asks for a translation.
  const Languages languages = parse_languages(read);
  std::vector<std::string> task_words;
  // A negated word ("nobody will type prompts") speaks for no task.
  for (std::size_t i = 0; i < words.size(); ++i)
    if ((!is_language_name(words[i]) || !languages.target.empty()) && !(i < negated.size() && negated[i])) task_words.push_back(words[i]);
  // The classes a slash list names ("into photo / typed document / handwritten / drawing") are what
  // comes out, already read as a label; their words are not cues for a task ("document" is no
  // request to read one).
  {
    static const Regex slash_list(R"([a-z-]+((\s*/\s*[a-z-]+(\s+[a-z-]+)?){2,}))", Regex::icase);
    for (auto it = RegexIterator(read.begin(), read.end(), slash_list); it != RegexIterator(); ++it)
      for (const auto& w : TaskClassifier::words(it->str())) {
        auto at = std::find(task_words.begin(), task_words.end(), w);
        if (at != task_words.end()) task_words.erase(at);
      }
  }
  if (!languages.target.empty()) {
    reading.outputs["translation"] += 2.5;
    reading.cues["output: translation"].push_back("a target language");
    // Text to be turned from one named language into another is a learnt task (machine translation).
    if (!languages.source.empty()) reading.learning += 1.5;
    // Subtitles in another language for text that arrives as text are a translation, not a transcript.
    auto heard = [&](const char* m) { return reading.inputs.count(m) ? reading.inputs.at(m) : 0.0; };
    if (heard("audio") == 0 && heard("video") == 0 && reading.outputs.count("transcript"))
      reading.outputs["transcript"] = std::max(0.0, reading.outputs["transcript"] - 2);
  }
  // "How long will it take and how much energy?" asks what the job itself costs (sml-estimate's
  // question), not for a number the model is to predict: those words are no output.
  {
    static const Regex job_cost(
        R"(\bhow\s+(long|much(\s+(energy|power|electricity|money|time|compute|co2|carbon))?)\s+(will\s+|would\s+|does\s+|did\s+)?(it|this|that|training|the\s+training|the\s+run|pretraining)\s+(take|takes|cost|costs|need|needs|use|uses|consume)\b[^.?!]{0,12}(\band\s+how\s+much(\s+[a-z]+)?)?)",
        Regex::icase);
    Match m;
    if (regex_search(read, m, job_cost)) {
      auto& said = reading.cues["output: number"];
      for (const char* cue : {"how long", "how much"})
        if (auto at = std::find(said.begin(), said.end(), cue); at != said.end()) {
          said.erase(at);
          reading.outputs["number"] = std::max(0.0, reading.outputs["number"] - 1);
        }
      for (const auto& w : TaskClassifier::words(m.str()))
        if (auto at = std::find(task_words.begin(), task_words.end(), w); at != task_words.end()) task_words.erase(at);
    }
  }
  // Words that name something given ("from its price") speak for no task that would predict it.
  for (const auto& w : reading.given)
    if (auto at = std::find(task_words.begin(), task_words.end(), w); at != task_words.end()) task_words.erase(at);
  std::vector<std::string> ids;
  for (const auto& t : tasks) ids.push_back(t.id);
  auto adjustments = task_adjustments(reading, ids);
  TextClassification result = classifier.rank(task_words, adjustments);
  std::vector<std::pair<std::string, double>> scored;
  for (const auto& g : result.ranked) scored.emplace_back(g.id, g.score);
  if (const std::string first = output_decides(reading, scored); !first.empty()) {
    const auto it = std::find_if(scored.begin(), scored.end(), [&](const auto& p) { return p.first == first; });
    adjustments[first] += scored.front().second - it->second + 1;
    result = classifier.rank(task_words, adjustments);
    result.evidence.push_back("the output read decides over the same input: " + first + " before " + scored.front().first);
  }

  // When a kind of request the catalogue does not cover fits best, say so, and give the nearest
  // real task a low confidence rather than a confident guess.
  const Task* outside = find_task(result.ranked.front().id);
  if (!outside->out_of_scope) outside = nullptr;
  // A law or DSP kind speaks only where the statement asks its question itself, not where its words
  // stand in a clause of context beside a learning request (outside_question.hpp).
  if (outside && !asks_outside_question(outside->id, read)) outside = nullptr;
  // A word of learning and a number or label to produce ("predict the tensile strength of printed
  // parts from the printer settings") say what comes out: the out-of-scope kind's words ("printer")
  // then describe the items or the set-up, not the work asked for.
  if (outside) {
    const auto said = [&](const char* k) { return reading.outputs.count(k) ? reading.outputs.at(k) : 0.0; };
    const double produced = std::max(said("number"), said("label"));
    if (reading.learning >= 1.5 && produced > 0 && reading.not_learning <= reading.learning + produced)
      outside = nullptr;
  }
  std::vector<TaskGuess> ranked;
  for (const auto& g : result.ranked)
    if (!find_task(g.id)->out_of_scope) ranked.push_back(g);
  if (outside) ranked.front().confidence = std::min(ranked.front().confidence, 0.5 * kLowConfidence);
  result.ranked = ranked;
  const Task* best = find_task(result.ranked.front().id);
  const StatedRule stated_rule = read_stated_rule(read);
  const FaultReport fault = read_fault_report(read);
  const std::string rules_reason = not_learning_reason(reading, result.ranked.front(), outside, stated_rule, fault);
  // What the rules say when the word-count rules are outvoted (not_learning.hpp), for the scorer's
  // training script and for a statement the scorer reads as surely ML.
  const std::string rules_if_learning = not_learning_reason(reading, result.ranked.front(), outside, stated_rule, fault, true);
  // The learned scorer (learning_scorer.hpp), where the catalogue has its weights, declines what the
  // rules let through only where the text gives no clear sign of learning, or scores far past every
  // ML statement (not_learning.hpp); and below every not-ML statement the word-count rules declined,
  // it outvotes them. Its thresholds are chosen leave-one-set-out on the labelled sets (README, issue 16).
  const std::vector<std::string> features = learning_features(read, kinds);
  std::string reason = rules_reason;
  std::optional<double> p_not_learning;
  if (const std::string weights = catalog + "/learning-scorer.tsv"; std::filesystem::exists(weights)) {
    const LearningScorer scorer = load_learning_scorer(weights);
    const double z = scorer.log_odds(features);
    p_not_learning = 1 / (1 + std::exp(-z));
    if (z <= scorer.ml_log_odds) reason = rules_if_learning;
    if (reason.empty()) reason = scored_not_learning_reason(reading, *p_not_learning, scorer.threshold, z, scorer.clear_log_odds);
  }

  // The learned task scorer (task_scorer.hpp), where the catalogue has its weights, re-orders the
  // rules' first tasks of a learning problem; the not-ML decision above is the rules' and the
  // not-ML scorer's alone. Its weight is chosen leave-one-set-out on the labelled sets (README).
  const std::vector<TaskGuess> rules_ranked = result.ranked;
  if (const std::string weights = catalog + "/task-scorer.tsv"; reason.empty() && std::filesystem::exists(weights)) {
    if (const std::string why = load_task_scorer(weights).rerank(result.ranked, features); !why.empty()) {
      result.evidence.push_back(why);
      best = find_task(result.ranked.front().id);
    }
  }

  Doc doc = new_document("task/v1", "sml-describe");
  if (o.learning_features) {
    Doc& ls = doc["learning_scorer"] = Doc::map();
    if (p_not_learning) ls.set("p_not_learning", *p_not_learning);
    ls.set("rules_reason", rules_reason);
    ls.set("rules_reason_if_learning", rules_if_learning);
    ls.set("clear_learning", clear_learning(reading));
    // The reading's own weights, for measuring the rules (train_learning_scorer.py).
    Doc& outs = ls["outputs"] = Doc::map();
    for (const auto& [k, v] : reading.outputs) outs.set(k, v);
    ls.set("learning", reading.learning);
    ls.set("not_learning", reading.not_learning);
    Doc& fs = ls["features"] = Doc::list();
    for (const auto& f : features) fs.push(f);
    // The rules' score of every catalogue task, best first, before the learned task scorer
    // re-orders them (train_task_scorer.py).
    Doc& ts = ls["task_scores"] = Doc::list();
    for (const auto& g : rules_ranked) {
      Doc t = Doc::map();
      t.set("id", g.id);
      t.set("score", g.score);
      ts.push(t);
    }
  }
  Doc& in = doc["input"] = Doc::map();
  in.set("source", o.source_name);
  in.set("text", text);
  if (!corrections.empty()) {
    Doc& cs = doc["corrections"] = Doc::list();
    for (const auto& c : corrections) {
      Doc m = Doc::map();
      m.set("from", c.from);
      m.set("to", c.to);
      cs.push(m);
    }
  }
  if (!reason.empty()) {
    // Not a learning problem: no task, one line why, and the nearest tasks for whoever insists.
    doc["task"] = Doc();
    doc.set("task_reason", reason);
    Doc& near = doc["nearest_tasks"] = Doc::list();
    for (std::size_t i = 0; i < result.ranked.size() && static_cast<int>(i) < o.alternatives; ++i) {
      Doc a = Doc::map();
      a.set("id", result.ranked[i].id);
      a.set("confidence", result.ranked[i].confidence);
      near.push(a);
    }
    add_settings(doc, read, deployment, stated, false);
    return doc;
  }
  Doc& task = doc["task"] = Doc::map();
  task.set("id", best->id);
  task.set("name", best->name);
  task.set("confidence", result.ranked.front().confidence);
  Doc& alt = task["alternatives"] = Doc::list();
  for (std::size_t i = 1; i < result.ranked.size() && static_cast<int>(i) <= o.alternatives; ++i) {
    Doc a = Doc::map();
    a.set("id", result.ranked[i].id);
    a.set("confidence", result.ranked[i].confidence);
    alt.push(a);
  }
  Doc& ev = task["evidence"] = Doc::list();
  for (const auto& e : reading_evidence(reading, best->id)) ev.push(e);
  for (const auto& e : result.evidence) ev.push(e);
  for (const auto& [w, g] : generalised) ev.push("read " + w + " as a kind of " + g);
  if (result.ranked.size() > 1) {
    const auto& second = result.ranked[1];
    std::string why = "runner-up " + second.id;
    for (const auto& e : reading_evidence(reading, second.id)) why += "; " + e;
    ev.push(why);
  }
  if (outside)
    task.set("note", "this reads as " + outside->message + "; the nearest catalogue tasks are listed with low confidence");
  else if (result.ranked.front().confidence < kLowConfidence)
    task.set("note", "low confidence: the text fits no task in the catalogue well; the nearest are listed");
  task.set("description", best->description);

  Doc& mods = doc["modalities"] = Doc::list();
  const std::vector<std::string> modalities = stated_modalities(reading, best->id, best->modalities);
  for (const auto& m : modalities) mods.push(m);
  // Text in or out (a text task, a transcript, a caption, a prompt), or speech: the task's first
  // modality is audio (anomaly detection lists audio last, among the sensors it may watch).
  const bool languages_apply = std::find(modalities.begin(), modalities.end(), "text") != modalities.end() ||
                               (!modalities.empty() && modalities.front() == "audio");
  Doc& segs = doc["segments"] = Doc::list();
  Doc& roles = doc["segment_roles"] = Doc::list();
  for (const auto& s : best->segments) {
    segs.push(s.name);
    Doc r = Doc::map();
    r.set("name", s.name);
    r.set("role", s.role);
    roles.push(r);
  }
  Doc& metrics = doc["metrics"] = Doc::list();
  for (const auto& [name, meaning] : best->metrics) {
    Doc m = Doc::map();
    m.set("name", name);
    m.set("meaning", meaning);
    metrics.push(m);
  }
  if (!best->data_scale.empty()) doc.set("data_scale", best->data_scale);

  add_settings(doc, read, deployment, with_classes_of(best->id, stated), true, languages_apply);
  return doc;
}

Doc describe_input(DescribeOptions o) {
  if (const std::string kind = document_kind(o.text); !kind.empty())
    throw InputError("expected a problem in words or an ONNX model, got " + kind + " from " + o.source_name);
  if (o.text.find('\0') != std::string::npos) {
    // A model's protobuf is full of control bytes (every field tag below 0x20 is one); text with
    // a stray NUL but nothing else unprintable is still text (issue 20), its NULs read as spaces.
    bool binary = false;
    for (std::size_t i = 0; i < o.text.size() && !binary;) {
      const auto c = static_cast<unsigned char>(o.text[i]);
      const std::size_t n = utf8_sequence(o.text, i);
      binary = (c < 0x20 && c != 0 && c != '\n' && c != '\r' && c != '\t') || n == 0;
      i += n ? n : 1;
    }
    if (binary) return describe_model_bytes(std::move(o.text), o.source_name);
    std::replace(o.text.begin(), o.text.end(), '\0', ' ');
  }
  return describe_text(o);
}

}  // namespace sml::describe
