// The number of classes a statement names: counted ("12 classes", "14 queues") or listed
// ("sick or healthy", "cat vs dog vs fox", "(lathe, drill press, grinder or nothing)").
#include "constraint_readers.hpp"

#include <algorithm>

#include "sml/describe/settings.hpp"

namespace sml::describe {

using number_text::context_before;
using number_text::kNum;
using number_text::number;

namespace {

// The items of a comma list whose last may follow "and" or "or": "a, b and c" holds 3.
std::size_t list_items(const std::string& list) {
  static const Regex joint(R"(\s*,\s*|\s+(and|or)\s+)");
  std::size_t n = 1;
  for (auto it = RegexIterator(list.begin(), list.end(), joint); it != RegexIterator(); ++it)
    if (it->position() > 0) ++n;
  return n;
}

// Whether a list can name kinds: a preposition, a pronoun or a question word right after its "or" or
// "and" joins phrases or clauses ("count vehicles on roads and at intersections", "how to launch
// them or how to check"), not kinds.
bool names_kinds(const std::string& list) {
  // An auxiliary or a subject after it opens a clause: "is a Jetson enough or do we need an NX".
  static const Regex joins_phrases(R"(\s(or|and)\s+(on|at|in|from|by|for|with|without|through|via|them|it|how|what|when|why|where|this|that|these|those|do|does|did|should|would|could|can|will|shall|must|may|might|we|i|you|they|is|are|was|were)$)");
  return !regex_search(list, joins_phrases);
}

// The words of T's sentence (or clause after ";") before POS.
std::string sentence_before(const std::string& t, std::size_t pos) {
  const std::size_t stop = t.find_last_of(".;!?", pos);
  const std::size_t from = stop == std::string::npos ? 0 : stop + 1;
  return t.substr(from, pos - from);
}

}  // namespace

void read_classes(const std::string& t, Constraints& c) {
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
  const auto flags = Regex::ECMAScript;
  // Classes: "12 classes", "350 SKUs", "12 weed species", or a list "normal / pneumonia / covid".
  // One describing word may sit between: "12 weed species", "5 plant diseases".
  static const Regex classes(kNum + R"(\+?\s+((different|distinct|named|output|target)\s+)?([a-z][a-z-]*\s+){0,2}?(classes|categories|labels|species|breeds|types|kinds|intents|emotions|genres|skus|diseases|conditions|varieties|cultivars|topics|departments|tags|grades|entity types|defect types|commands|keywords|moods|styles|queues|teams|buckets|groups|outcomes|levels|severities|stages|signs|gestures|dishes|labels|classes|sections|folders|dialects|accents|speakers|instruments|actions|activities|exercises|poses|faults|animals|birds|plants|vehicles)\b)", flags);
  each_match(t, classes, [&](const Match& m) {
    // Products counted for a forecast or a catalogue ("demand for 20,000 SKUs") are series, not classes.
    static const Regex series_before(R"(\b(for|of|across)\s+(the\s+|our\s+|all\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
    if (m.str().find("sku") != std::string::npos && context_before(t, static_cast<std::size_t>(m.position()), 20, series_before))
      return;
    // A count the writer sets aside ("instead of detecting 122 individual types of bottles use one
    // common class", "rather than 40 categories") is the scheme not wanted.
    static const Regex set_aside(R"(\b(instead of|rather than)\b[^.;,:!?]{0,30}$)", flags);
    if (context_before(t, static_cast<std::size_t>(m.position()), 44, set_aside)) return;
    if (!c.classes) { c.classes = number(m, 1); note(m); }
  });
  if (!c.classes) {
    // THE COLON RULE: a list after a colon names the kinds where the words before the colon, in its
    // sentence, ask for kinds: a word for kinds or entity types ("categories the user chooses: valid
    // issue, move to discussion, or close issue", "an NER model for filings: party names, court and
    // date"), a verb of telling kinds apart ("classifies suspicious behaviour
    // from the trajectories: loitering, running and ...") or a count of as many as the list holds
    // ("three semi-regular sounds from a microphone: a dog barking, a cat meowing and a bell
    // ringing"). It is read before the lists found by their joining words, which would take a piece
    // of it ("to discussion, or close"). Each item one to four words; the list ends its sentence or
    // clause. A question of which tool to take ("which detector should we take: Silero, webrtcvad or
    // auditok") asks for no kinds.
    static const Regex colon_list(R"(:\s*((?:[a-z'-]+\s+){0,3}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,3}[a-z'-]+)*)\s*,?\s+(?:and|or)\s+(?:[a-z'-]+\s+){0,3}[a-z'-]+\s*(?:[.;!?,)]|$))", flags);
    static const Regex asks_kinds(R"(\b(classes|categories|labels|kinds|types|buckets|grades|ner|entit(y|ies)|sounds|actions|activities|behaviou?rs?|events|intents|emotions|species|diseases|defects|faults|gestures|classif\w*|categori[sz]\w*|recogni[sz](e|es|ed|ing)|distinguish\w*|tag|tags|tagged|tagging|label|labels|labell?ed|labell?ing|annotat\w*|extract|extracts|extracted|extracting|redact\w*)\b)", flags);
    // ("recognition" is no verb: "which speech recognition engine should we try: Vosk, Kaldi or
    // Coqui?" names products.) A count of the things tried or compared (models, versions, sizes,
    // tools) is no count of kinds: "we tried 3 models: small, base and large".
    static const Regex counted(R"(\b(\d+)\s+(?:[a-z-]+\s+){0,2}(?!(?:models|versions|variants|sizes|options|tools|libraries|frameworks|engines|approaches|methods|backbones|checkpoints|runs|experiments|machines|servers|gpus|nodes)\b)[a-z-]+s\b)", flags);
    // Which one to take, asked of the list: products or options, not kinds.
    static const Regex which_to_take(R"(\bwhich\s+(?:[a-z-]+\s+){0,3}(should|would|could|can|do|to|is|are)\b)", flags);
    // Not each_match: a colon follows its word.
    for (auto it = RegexIterator(t.begin(), t.end(), colon_list); !c.classes && it != RegexIterator(); ++it) {
      const Match& m = *it;
      const std::string before = sentence_before(t, static_cast<std::size_t>(m.position()));
      const std::string rest = m[2].str();
      const double items = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      if (regex_search(before, which_to_take)) continue;
      bool asks = regex_search(before, asks_kinds);
      // A count as long as the list makes it kinds only in a statement that sorts, labels, finds or
      // tells kinds apart somewhere ("spot four bird calls: ..."): "only three shortcuts: toggle extension, toggle site and theme mode"
      // lists things, no classes.
      static const Regex tells_kinds(R"(\b(spot\w*|detect\w*|identif\w*|count\w*|find|finds|tell|tells|which|recogni[sz]\w*|hear\w*|listen\w*|flag\w*|alert\w*|predict\w*|sort\w*)\b)", flags);
      const bool kinds_anywhere = regex_search(t, asks_kinds) || regex_search(t, tells_kinds);
      for (auto it = RegexIterator(before.begin(), before.end(), counted); !asks && kinds_anywhere && it != RegexIterator(); ++it)
        asks = std::stod((*it)[1].str()) == items;
      if (!asks) continue;
      c.classes = items;
      note(m);
    }
  }
  if (!c.classes) {
    // A counted set whose kinds follow in brackets, in a sentence of sorting or labelling: "sorts
    // garbage into 7 materials (organic, metal, plastic etc)", "labelled with five polarities (very
    // negative, ..., very positive)": the count is the classes, whatever the noun, even where the
    // list is cut short. "Readings from 3 sensors (a, b, c)" sort nothing.
    static const Regex counted_kinds(R"(\b(into|with|as|among|between)\s+(\d{1,4})\s+(?:[a-z-]+\s+){0,1}[a-z-]+s\s*\(\s*[a-z][a-z' -]*(?:,\s*[a-z][a-z' -]*)+)", flags);
    static const Regex sorting(R"(\b(sort\w*|classif\w*|categori\w*|label\w*|tag\w*|grade\w*|annotat\w*|group\w*|bucket\w*)\b)", flags);
    Match m;
    if (regex_search(t, m, counted_kinds) && regex_search(sentence_before(t, static_cast<std::size_t>(m.position())), sorting)) {
      c.classes = std::stod(m[2].str());
      note(m);
    }
  }
  if (!c.classes) {
    // Sorting into a counted set names the classes whatever the noun: "auto-sorted into 9 views",
    // "split the mail into 6 piles".
    static const Regex into_n(R"(\b(sort|sorted|sorting|classif\w*|categori[sz]\w*|split|group|grouped|bucket\w*|file|filed|route|routed|divide|divided)\s+([a-z]+\s+){0,3}?into\s+(\d+)\s+[a-z])", flags);
    Match m;
    // Items cut into pieces ("the segments are split into 10 chunks") are sizes of a division, no kinds.
    static const Regex pieces(R"(^\s(chunks?|pieces?|parts?|batch(es)?|shards?|segments?|windows?|blocks?|slices?|pages?|files?|folds?|halves|tiles?|frames?|sentences?|paragraphs?|sections?|lines?|steps?|phases?|stages?|rounds?|minutes?|seconds?|hours?|days?)\b)", flags);
    if (regex_search(t, m, into_n) && !regex_search(t.substr(static_cast<std::size_t>(m.position() + m.length()) - 2, 16), pieces)) {
      c.classes = std::stod(m[3].str());
      note(m);
    }
  }
  if (!c.classes) {
    // One out of a counted set is a class: "which of 28 locations", "one of our 9 team inboxes",
    // "subject area (40 of them)", "the closest of our 900 occupation codes".
    // A count with thousands commas is one number: "which of our 6,000 spare parts".
    static const Regex one_of(R"(\b(which|one|closest|nearest|best|best-matching|most similar|right) of (the |our |these |those |their )?(\d{1,3}(?:,\d{3})+|\d+)\s+[a-z]|\((\d+) of them\))", flags);
    // Which of a collection are so ("which of these 2,000 reviews are positive, negative or neutral",
    // "which of our 300 tickets need a reply"): the items are what is sorted, no count of kinds. The
    // verb follows the counted noun, or "these"/"those" points at items at hand; a verb after a
    // further subject ("which of our 28 depots each parcel will be routed through") asks which kind
    // each item is, a class count.
    static const Regex selected(R"(^\s*(?:[a-z'-]+\s+){0,7}?(are|were|will|would|have|need|needs|should|contain|mention)\b)", flags);
    static const Regex selected_next(R"(^\s*[a-z'-]+\s+(are|were|will|would|have|need|needs|should|contain|mention)\b)", flags);
    static const Regex each_item(R"(\b(each|every)\b)", flags);
    const auto picks_items = [&](const Match& one) {
      if (one[1].str() != "which") return false;
      const std::string tail = t.substr(static_cast<std::size_t>(one.position() + one.length()) - 1, 60);
      const std::string det = one[2].str();
      Match v;
      if (regex_search(tail, v, selected_next)) return true;
      return (det.rfind("these", 0) == 0 || det.rfind("those", 0) == 0) && regex_search(tail, v, selected) &&
             !regex_search(v.str(), each_item);
    };
    Match m;
    if (regex_search(t, m, one_of) && !picks_items(m)) {
      std::string n = m[3].matched ? m[3].str() : m[4].str();
      n.erase(std::remove(n.begin(), n.end(), ','), n.end());
      c.classes = std::stod(n);
      note(m);
    }
  }
  if (!c.classes) {
    // "as normal, cavitation or bearing damage", "into billing, tech or sales", "sick or healthy"
    // An "or" list after a verb of sorting (2 or more items), or an "and" list after a verb of
    // tagging, counting or extracting ("tag ... with dunks, fouls and timeouts", "count pallets and
    // cartons", "blank out names, addresses and IBANs"): each item one to three words.
    static const Regex or_list(R"(\b(as|into|between|whether|if|tell|classify|sort|route|label|labell?ed|tag|tagged|is|are|says?|to|approve|sounds?|looks?|seems?|feels?)\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)*)\s*,?\s+or\s+[a-z-]+|\b(with|count|extract|contour|detect|tell|segment|outline|mask|redact|highlight|pick out|pull out|pulls out|pull|anonymi[sz]e|blank out|black out|boxe?s? around|find|finds|locate|read out)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)((?:\s*,\s*(?:[a-z-]+\s+){0,2}[a-z-]+)*)\s*,?\s+and\s+[a-z-]+)", flags);
    static const Regex tagging(R"((tag|label|annotat|mark|classif|categori|sort))", flags);
    static const Regex verb_last(R"(\s(draw|put|mark|tell|show|send|alert|return|give|warn|notify|save|store|crop|blur|track|then|make)$)", flags);
    // Finding names a list of kinds only with three items or more ("find all the buildings, roads and
    // water"); "find the cheapest GPU and deploy" is two clauses.
    static const Regex finding(R"(^(find|finds|locate|read out)$)", flags);
    const auto try_list = [&](const Match& m) {
      if (c.classes) return;
      if (m[4].str() == "with" && !context_before(t, static_cast<std::size_t>(m.position()), 50, tagging)) return;
      if (m[4].matched && regex_match(m[4].str(), finding) && m[6].str().find(',') == std::string::npos) return;
      // "find where the shoulder, elbow and hip are": a question's clause, not kinds.
      static const Regex wh_first(R"(^(where|what|which|how|when|who|whether|if|that)\b)", flags);
      if (m[4].matched && regex_search(m[5].str(), wh_first)) return;
      if (!names_kinds(m.str())) return;
      if (regex_search(m.str(), verb_last)) return;
      // An item that opens with a preposition is a phrase ("as audio files offline, without an AWS or
      // Google account"), no kind.
      static const Regex item_preposition(R"(,\s*(without|from|by|into|via|through|using)\s)", flags);
      if (regex_search(m[1].matched ? m[3].str() : m[6].str(), item_preposition)) return;
      // Two states in a relative clause ("the characters that are missing or illegible") say which
      // items are meant, a yes/no condition, not kinds to tell apart.
      if (m[1].matched && (m[1].str() == "is" || m[1].str() == "are") && m[3].str().find(',') == std::string::npos) {
        static const Regex relative(R"(\b(that|which|who)\s*$)", flags);
        if (context_before(t, static_cast<std::size_t>(m.position()), 8, relative)) return;
      }
      // "a visitor is browsing, signed in or guest": a verb in -ing after "is", closed by a comma and
      // followed by an item of another form, ends its clause (what follows says what the visitor
      // may be, not kinds to sort into); a run of -ing words ("is walking, running or sitting",
      // "is picking, placing or idle") lists activities.
      if (m[1].matched && (m[1].str() == "is" || m[1].str() == "are")) {
        static const Regex ing_word(R"(^[a-z]+ing$)", flags);
        static const Regex next_not_ing(R"(^\s*,\s*(?![a-z]+ing\b)[a-z])", flags);
        if (regex_match(m[2].str(), ing_word) && regex_search(m[3].str(), next_not_ing)) return;
      }
      // "hate speech or not": one kind and its absence, a yes/no question, not a list of classes.
      if (m[1].matched && m.str().size() >= 7 && m.str().compare(m.str().size() - 7, 7, " or not") == 0) return;
      // ", or more realistically a value", "understandable, or mostly ...": an adverb after "or" opens
      // another clause, not a second kind; "which exercise or yoga pose" is one question of which,
      // its noun named two ways.
      if (m[1].matched) {
        static const Regex or_adverb(R"(\sor\s+(more|less|mostly|rather|maybe|perhaps|otherwise|ideally|preferably|possibly|probably)$)", flags);
        static const Regex asks_which(R"(^(which|what|whose)\s)", flags);
        if (regex_search(m.str(), or_adverb) || regex_search(m[2].str(), asks_which)) return;
      }
      // "to" before a pair of verbs is a purpose ("things to fix or clean", "able to benchmark your
      // GPU or run a test"): the pair names kinds only where the sentence sends or sorts something
      // to one of them ("route each ticket to billing or sales").
      if (m[1].matched && m[1].str() == "to") {
        static const Regex sends(R"(\b(rout\w*|send\w*|sent|assign\w*|forward\w*|sort\w*|mov(e|es|ed|ing)|belong\w*|goes|go|going|map\w*|classif\w*|categori\w*|direct\w*|escalat\w*|refer\w*|dispatch\w*|allocat\w*)\b)", flags);
        if (!regex_search(sentence_before(t, static_cast<std::size_t>(m.position())), sends)) return;
      }
      const std::string rest = m[1].matched ? m[3].str() : m[6].str();
      double items = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      // An "and" list that opens with the word for the whole ("extract the important entities,
      // people, dates and locations") names its kinds after it: the opening word is no kind.
      static const Regex umbrella(R"((^|\s)(entities|entity types|classes|categories|kinds|types|labels)$)", flags);
      if (!m[1].matched && items >= 3 && regex_search(m[5].str(), umbrella)) --items;
      c.classes = items;
      note(m);
    };
    each_match(t, or_list, try_list);
    if (!c.classes) {
      // A "with" that is no tagging may have swallowed the list after it ("share transcripts with
      // researchers, blank out names, addresses and IBANs"): read again without it (same positions).
      static const Regex with_word(R"(\bwith\b)", flags);
      std::string without_with = t;
      for (auto it = RegexIterator(t.begin(), t.end(), with_word); it != RegexIterator(); ++it)
        without_with.replace(static_cast<std::size_t>(it->position()), 4, "    ");
      if (without_with != t) each_match(without_with, or_list, try_list);
    }
  }
  if (!c.classes) {
    // "into premium, standard and juice", "as cats, dogs and birds": an "and" list of three or more.
    static const Regex and_list(R"(\b(into|as)\s+((?:[a-z'-]+\s+){0,1}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,1}[a-z'-]+)+)\s*,?\s+and\s+[a-z-]+)", flags);
    Match m;
    // The columns a model reads, listed ("21 variables such as tenure, contract, internet service and
    // monthly charges"), are its inputs, not classes.
    static const Regex inputs_such(R"((variables|features|columns|fields|attributes|predictors|inputs)\s+such\s+$)", flags);
    const auto inputs_listed = [&](const Match& x) {
      const std::size_t at = static_cast<std::size_t>(x.position()), from = at > 40 ? at - 40 : 0;
      return regex_search(t.substr(from, at - from), inputs_such);
    };
    // Languages are targets, not classes ("into German, French and Italian"); "and so on" is open.
    if (regex_search(t, m, and_list) && !inputs_listed(m) && !is_language_name(m[2].str()) &&
        t.compare(static_cast<std::size_t>(m.position() + m.length()) - 2, 5, "so on") != 0) {
      const std::string rest = m[3].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    }
  }
  if (!c.classes) {
    // Two kinds after a verb of sorting and "into" ("classify the photos into sparrows and finches",
    // "sort our mail into spam and ham"): the pair the output tells apart, where the list ends its
    // clause. Not a split into sets or pieces ("split the data into train and test": no sorting verb
    // of kinds), nor into languages.
    static const Regex into_pair(R"(\b(classif\w*|sort|sorts|sorted|sorting|categori[sz]\w*|separat\w*|bucket\w*|group|groups|grouped|grouping)\s+(?:[a-z'-]+\s+){0,4}?into\s+(?:the\s+)?([a-z'-]+(?:\s+[a-z'-]+)?)\s+and\s+(?:the\s+)?([a-z'-]+(?:\s+[a-z'-]+)?)\s*([,.;:!?)]|$))", flags);
    static const Regex set_words(R"(\b(train\w*|test\w*|validation|sets?|parts?|halves|groups|batch\w*)\b)", flags);
    Match m;
    if (regex_search(t, m, into_pair) && !is_language_name(m[2].str()) && !regex_search(m[2].str() + " " + m[3].str(), set_words) &&
        names_kinds(m.str())) {
      c.classes = 2;
      note(m);
    }
  }
  if (!c.classes) {
    // Kinds listed as what the output marks: "I need the drug, dosage, form and duration marked",
    // "want the names, dates and amounts highlighted" (the fields or entity types to tag, C2).
    static const Regex marked(R"(\b(?:the|all|every)\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:the\s+)?(?:[a-z'-]+\s+){0,2}[a-z'-]+)*)\s*,?\s+and\s+(?:the\s+)?(?:[a-z'-]+\s+){0,2}[a-z'-]+\s+(marked|tagged|labell?ed|highlighted|annotated|extracted|pulled out|redacted|blanked out|masked)\b)", flags);
    // The list must be of nouns: a clause inside it ("every year and there is no labelled history")
    // lists nothing.
    static const Regex clause_word(R"(\b(is|are|was|were|be|been|there|no|not|it|we|they|i|you|he|she|has|have|had|do|does|did)\b)", flags);
    Match m;
    // A list of data items ("all invoices and receipts tagged with the supplier name") is what gets
    // marked, not kinds: its first item's head is a noun of data.
    static const Regex data_head(R"((^|\s))" + kDataNouns + R"($)", flags);
    if (regex_search(t, m, marked) && names_kinds(m.str()) && !regex_search(m.str(), clause_word) && !regex_search(m[1].str(), data_head)) {
      const std::string rest = m[2].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    }
  }
  if (!c.classes) {
    // A list after a dash, at least three items: "which instrument - guitar, piano,
    // violin, drums or voice"; or "PET vs HDPE vs glass" (two "vs" at least: "accuracy vs speed"
    // is a trade-off, not classes). \x13: what std::regex made of the "\u2013" once written here
    // (its low byte; an en dash is three bytes of UTF-8), kept so that the answers stay the same.
    // A list after a colon is judged by the colon rule above alone.
    static const Regex dash_list(R"([-\x13]\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)+)\s*,?\s+(or|and)\s+[a-z-]+)", flags);
    // It starts where a word starts ((?<!…): no letter, digit or '-' before): the leftmost match
    // always did (one starting inside a word extends to the word's start), but a search tried every
    // position of a long word and ran its [a-z0-9-]+ to the word's end each time, quadratic: a
    // 64 KiB word took 1.4 CPU-s (issue 20, bounded resources; the describe fuzz harness).
    static const Regex vs_list(R"((?<![a-z0-9-])[a-z0-9-]+((?:\s+(?:vs\.?|versus)\s+[a-z0-9-]+){2,}))", flags);
    Match m;
    // An entity recogniser's list ("an NER model for filings: party names, court and date") names entity types.
    static const Regex class_words(R"((class|categor|label|type|kind|which|bucket|grade|\bner\b|entit))", flags);
    if (regex_search(t, m, dash_list) &&
        (m[3].str() == "or" || context_before(t, static_cast<std::size_t>(m.position()), 40, class_words))) {
      const std::string rest = m[2].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    } else if (regex_search(t, m, vs_list)) {
      const std::string s = " " + m[1].str() + " ";
      std::size_t n = 1;
      for (const char* w : {" vs ", " vs. ", " versus "})
        for (std::size_t p = s.find(w); p != std::string::npos; p = s.find(w, p + 1)) ++n;
      c.classes = static_cast<double>(n);
      note(m);
    }
  }
  if (!c.classes) {
    // A list set after the word for the kinds, as their names: "my own set of exercises, push ups
    // and sit ups, from the camera", "three intents: book, cancel and ask". "The current categories are urgent,
    // actionable, ... and other". Two items or more,
    // each one to three words, closed by punctuation, the end or a preposition.
    static const std::string list_tail = R"(((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)*)\s*,?\s+(and|or)\s+(?:[a-z'-]+\s+){0,2}[a-z'-]+\s*([,.;:)]|$|\s(from|in|on|with|at|for|using)\b))";
    static const Regex kinds_named(R"(\b(classes|categories|labels|species|breeds|kinds|types|intents|emotions|genres|diseases|exercises|actions|activities|gestures|poses|signs|commands|keywords|sounds|moods|defects|faults|grades|outcomes)(?:\s*[,:]|\s+(?:are|were|include|includes))\s+)" + list_tail, flags);
    // Scored against a list named as its labels or prompts, with no colon: "score each clip against the
    // prompts fighting, falling, ... and climbing a fence" (zero-shot: the list is the classes).
    static const Regex against_named(R"(\b(against\s+(?:the\s+|these\s+|our\s+)?(?:prompts|labels|classes|categories|tags|topics|descriptions))\s*:?\s+)" + list_tail, flags);
    // Nor is a predicate after "are" ("cat sounds are well understood and recorded everywhere").
    static const Regex stop_first(R"(^(and|or|the|a|an|we|i|it|they|but|so|with|from|each|all|then|which|that|well|very|often|usually|mostly|both|already|not|too|quite|really|also|always|never|still|just|only|easy|hard)\b)", flags);
    Match m;
    if ((regex_search(t, m, kinds_named) || regex_search(t, m, against_named)) && !regex_search(m[2].str(), stop_first)) {
      const std::string rest = m[3].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    }
  }
  if (!c.classes) {
    // One kind alone is the only class: "I only need the person class", "just the forklift class".
    static const Regex only_one(R"(\b(only|just)\s+((need|want|care about|detect|track|keep)\s+)?(the|one|a single)\s+([a-z-]+\s+){0,2}(class|category|label)\b)", flags);
    Match m;
    if (regex_search(t, m, only_one)) {
      c.classes = 1;
      note(m);
    }
  }
  if (!c.classes) {
    // "with the defect class out of 4", "one class of 12"
    static const Regex out_of(R"(\b(class|category|label|type|grade)\s+(out\s+)?of\s+(\d+)\b)", flags);
    Match m;
    if (regex_search(t, m, out_of)) {
      c.classes = std::stod(m[3].str());
      note(m);
    }
  }
  // A list in brackets, three items or more ("from its sound (lathe, drill press, grinder or
  // nothing)"): the classes when a question of which or a word of kind comes before it; otherwise
  // what it lists ("unusual logins (odd country, hour or device)") are no classes, nor is its tail.
  std::size_t bracket_from = std::string::npos, bracket_to = 0;
  if (!c.classes) {
    static const Regex bracket_list(R"(\(\s*((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)+)\s*,?\s+(or|and)\s+(?:[a-z'-]+\s+){0,2}[a-z'-]+\s*\))", flags);
    // A question of degree ("how much interest a listing will get (low, medium or high)") is
    // answered by one of the levels listed: they are the classes.
    static const Regex which_before(R"(\b(which|what kind|what type|class\w*|categor\w*|label\w*|type|kind|sort\w*|tell|how (much|many|likely|well|good|bad|severe|serious|urgent|risky))\b)", flags);
    Match m;
    if (regex_search(t, m, bracket_list)) {
      const std::size_t pos = static_cast<std::size_t>(m.position());
      const std::string before = sentence_before(t, pos);
      if (m[3].str() == "or" && regex_search(before, which_before)) {
        const std::string rest = m[2].str();
        c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
        note(m);
      } else {
        bracket_from = pos, bracket_to = pos + static_cast<std::size_t>(m.length());
      }
    }
  }
  if (!c.classes) {
    // Labels listed in brackets after the word for them, three or more, with or without a closing
    // "and"/"or": "the litter category (plastic, paper, glass, metal)", "against labels the model
    // never saw in training (artist, painting, ..., Germany)"; not an open list ("and so on").
    // An item may be blank: a place or device name among the labels is masked before numbers are read.
    static const Regex label_list(R"(\(\s*([a-z][a-z' -]*(?:\s*,\s*(?:[a-z][a-z' -]*)?){2,})\s*\))", flags);
    static const Regex label_words(R"(\b(labels?|classes|categor(y|ies)|tags|topics|prompts|types?|kinds?|themes)\b)", flags);
    // An open list ("flying, foraging, resting and so on") counts no classes.
    static const Regex open_end(R"(\b(and so on|etc|and more|and others)\s*\.?\s*\)$)", flags);
    Match m;
    if (regex_search(t, m, label_list)) {
      const std::string before = sentence_before(t, static_cast<std::size_t>(m.position()));
      // Or right after what a verb of counting or finding acts on ("count the vehicle (car, bus,
      // truck, motorbike)"): the kinds of that thing to count.
      static const Regex counted_object(R"(\b(count|counts|counting|detect|detects|detecting|track|tracking|spot|recogni[sz]e|identify)\s+(the\s+|all\s+|only\s+|every\s+)?((?!(in|on|from|of|with|by|using|for|at)\b)[a-z-]+\s+){0,2}[a-z-]+\s*$)", flags);
      if ((regex_search(before, label_words) || regex_search(before, counted_object)) && !regex_search(m.str(), open_end)) {
        c.classes = static_cast<double>(list_items(m[1].str()));
        note(m);
      }
    }
  }
  if (!c.classes) {
    // Two outcomes of a decision ("approve or decline", "accept or reject"), or a pair standing alone
    // between punctuation ("movie reviews, positive or negative, 50k reviews"), or "tell a knocking
    // compressor from a normal one" (but not "tell the species from a photo": that is the input).
    static const Regex decision(R"(\b(approve|accept|pass|keep|allow|admit|hire|buy)\s+or\s+(reject|decline|deny|fail|discard|block|refuse|sell|drop)\b)", flags);
    static const Regex pair(R"((^|[,;:(])\s*([a-z-]+)\s+or\s+([a-z-]+)\s*([,;.)]|$))", flags);
    static const Regex tell_from(R"(\b(?:tell|tells|telling)\s+(a|an|the)?\s*([a-z'-]+\s+){0,2}?[a-z'-]+\s+(apart\s+)?from\s+(a|an|the)?\s*(([a-z-]+\s+){0,2}[a-z-]+))", flags);
    static const Regex one_word(R"(\bones?\b)", flags);  // compiled once, not per match
    // "tells X from Y" said of the model asked for ("train a network that tells a normal X-ray from
    // tuberculosis"), not of another one beside it ("next to a classifier that tells idle from running").
    static const Regex builds(R"(\b(train\w*|build\w*|creat\w*|develop\w*|make|want|need)\b)", flags);
    static const Regex input_words(R"(\b(photos?|images?|pictures?|videos?|recordings?|sounds?|audio|text|data|camera|scans?|its|their|the)\b)", flags);
    static const Regex pair_stop(R"(^(and|the|a|not|more|less|less|one|two|so|it|them)$)", flags);
    // "whether each employee will stay or leave": two outcomes of what each one will do.
    static const Regex will_either(R"(\b(whether|if)\b[^.;,?]{0,50}?\b(will|would|is going to|are going to|is likely to|are likely to)\s+([a-z]+)\s+or\s+(?!not\b)([a-z]+)\b(?!\s*,)(?!\s+or\b))", flags);
    Match m;
    if (regex_search(t, m, decision) || regex_search(t, m, will_either)) {
      c.classes = 2;
      note(m);
    } else if (regex_search(t, m, pair) && !regex_match(m[2].str(), pair_stop) && !regex_match(m[3].str(), pair_stop) &&
               !(static_cast<std::size_t>(m.position()) >= bracket_from && static_cast<std::size_t>(m.position()) < bracket_to)) {
      c.classes = 2;
      note(m);
    } else if (regex_search(t, m, tell_from) &&
               (!regex_search(m[5].str(), input_words) || regex_search(m[5].str(), one_word)) &&
               (m.str().compare(0, 5, "tell ") == 0 || regex_search(sentence_before(t, static_cast<std::size_t>(m.position())), builds))) {
      // "from a normal one", "from a sound one": another thing of the kind, whatever the adjective.
      c.classes = 2;
      note(m);
    }
  }
  if (!c.classes) {
    // "person / no person", "defect or no defect": a thing and its absence. "shoplifting versus normal
    // browsing", "benign mole vs melanoma": a pair after a verb of telling or at a clause's start
    // (not a trade-off: "accuracy vs speed").
    static const Regex absent(R"(\b([a-z-]+)\s*(/|\bor\b)\s*(no|not|non-?)\s*([a-z-]+)\b)", flags);
    static const Regex vs_pair(R"((\b(recogni[sz]e|tell|classify|distinguish|detect|spot|label)\b[^.;:]{0,30}?|[:;(]\s*|^\s*)((?:[a-z-]+\s+){0,2}[a-z-]+)\s+(vs\.?|versus)\s+[a-z-]+)", flags);
    static const Regex trade_off(R"(\b(accuracy|speed|cost|latency|size|quality|price|performance|precision|recall|memory|power)\b)", flags);
    Match m;
    if (regex_search(t, m, absent) && m[1].str() == m[4].str()) {
      c.classes = 2;
      note(m);
    } else if (regex_search(t, m, vs_pair) && !regex_search(m.str(), trade_off)) {
      c.classes = 2;
      note(m);
    }
  }
  if (!c.classes) {
    static const Regex binary(R"(\b(binary (classifier|classification|label|task|problem)|binary(?=\s*[,.;:)]|\s*$)|yes or no|yes/no)\b)", flags);
    each_match(t, binary, [&](const Match& m) {
      if (!c.classes) { c.classes = 2; note(m); }
    });
  }
  if (!c.classes) {
    // Kinds set against each other after a word of sorting: "sort the x-rays into normal vs
    // needs-a-second-look", "tell cat vs dog vs fox" (one word or hyphenated phrase each).
    static const Regex vs_list(R"(\b(into|as|either|between|tell|label\w*|classif\w*|sort\w*|categori\w*|distinguish\w*|separat\w*)\s+((?:the|a|an)\s+)?([a-z][a-z-]*)((\s+(vs\.?|versus)\s+[a-z][a-z-]*)+)\b)", flags);
    Match m;
    if (regex_search(t, m, vs_list)) {
      const std::string list = m[4].str();
      std::size_t n = 1;
      static const Regex vs(R"(\b(vs|versus)\b)", flags);
      for (auto it = RegexIterator(list.begin(), list.end(), vs); it != RegexIterator(); ++it) ++n;
      c.classes = static_cast<double>(n);
      note(m);
    }
  }
  if (!c.classes) {
    static const Regex slash_list(R"(\b([a-z][a-z-]*)(\s*/\s*[a-z][a-z-]*)+)", flags);
    // Whole words: "faster" and "past" hold no "as" ("threads/day", "ticket/reply pairs" are no classes).
    static const Regex list_words(R"(\b(label\w*|classif\w*|sort\w*|categori\w*|either|into|tag\w*|grade\w*|as)\b)", flags);
    each_match(t, slash_list, [&](const Match& m) {
      if (c.classes) return;
      // A path ("~/photos/yyyy/mm/dd/roll/") or a model's id ("facebook/bart-large-mnli", after "the
      // way") is no list: a slash touches it at an end, or no space parts it and a comma parts it
      // from the word of sorting ("a score for each label, the way org/model is used").
      const auto pos = static_cast<std::size_t>(m.position());
      const std::size_t end = pos + static_cast<std::size_t>(m.length());
      if ((pos > 0 && (t[pos - 1] == '/' || t[pos - 1] == '~')) || (end < t.size() && t[end] == '/')) return;
      const std::size_t from = pos > 25 ? pos - 25 : 0;
      const std::size_t comma = t.find_last_of(",;", pos);
      const std::size_t start = comma != std::string::npos && comma >= from && m.str().find(' ') == std::string::npos ? comma + 1 : from;
      if (!regex_search(t.substr(start, pos - start), list_words)) return;
      const std::string s = m.str();
      c.classes = static_cast<double>(std::count(s.begin(), s.end(), '/') + 1);
      note(m);
    });
  }
}

}  // namespace sml::describe
