#include "sml/describe/settings.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sml/describe/constraints.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/io/text.hpp"
#include "iso639_names.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

struct Language {
  const char* name;  // as written, lowercase
  const char* code;  // ISO 639-1
  const char* country;  // ISO 3166 alpha-2 of the country the adjective also names ("" if none)
  const char* adjective;  // country adjective when it differs from the language name
};
// Language names and country adjectives (ISO 639-1 and ISO 3166-1 codes).
const std::vector<Language>& languages() {
  static const std::vector<Language> l = {
      {"english", "en", "GB", "british"}, {"spanish", "es", "ES", ""}, {"german", "de", "DE", ""},
      {"french", "fr", "FR", ""}, {"italian", "it", "IT", ""}, {"portuguese", "pt", "PT", ""},
      {"dutch", "nl", "NL", ""}, {"japanese", "ja", "JP", ""}, {"korean", "ko", "KR", ""},
      {"chinese", "zh", "CN", ""}, {"mandarin", "zh", "", ""}, {"arabic", "ar", "", ""}, {"hindi", "hi", "", "indian"},
      {"tamil", "ta", "", ""}, {"bengali", "bn", "", ""}, {"bangla", "bn", "", ""}, {"russian", "ru", "RU", ""},
      {"polish", "pl", "PL", ""}, {"turkish", "tr", "TR", ""}, {"swedish", "sv", "SE", ""},
      {"norwegian", "no", "NO", ""}, {"danish", "da", "DK", ""}, {"finnish", "fi", "FI", ""},
      {"greek", "el", "GR", ""}, {"czech", "cs", "CZ", ""}, {"ukrainian", "uk", "", ""},
      {"vietnamese", "vi", "VN", ""}, {"thai", "th", "TH", ""}, {"indonesian", "id", "ID", ""},
      {"swahili", "sw", "", "kenyan"}, {"hebrew", "he", "", "israeli"}, {"persian", "fa", "", ""},
      {"farsi", "fa", "", ""}, {"urdu", "ur", "", "pakistani"}, {"romanian", "ro", "RO", ""},
      {"hungarian", "hu", "HU", ""}, {"catalan", "ca", "", ""}, {"basque", "eu", "", ""}, {"welsh", "cy", "", ""},
      {"irish", "ga", "IE", ""}, {"malay", "ms", "", "malaysian"}, {"tagalog", "tl", "", "filipino"},
      {"icelandic", "is", "IS", ""}, {"estonian", "et", "EE", ""}, {"latvian", "lv", "LV", ""},
      {"lithuanian", "lt", "LT", ""}, {"slovak", "sk", "SK", ""}, {"slovenian", "sl", "SI", ""},
      {"croatian", "hr", "HR", ""}, {"bulgarian", "bg", "BG", ""}};
  return l;
}

// Every language ISO 639-1 names, the table above first (it knows the countries): a writer may
// name any of them ("in English and Yoruba", "Tigrinya radio"), not only the common ones.
const std::vector<Language>& all_languages() {
  static const std::vector<Language> all = [] {
    std::vector<Language> v = languages();
    std::set<std::string> seen;
    for (const auto& l : v) seen.insert(l.name);
    for (const auto& [name, code] : iso639_names())
      if (seen.insert(name).second) v.push_back({name.c_str(), code.c_str(), "", ""});
    return v;
  }();
  return all;
}

// Country adjectives that are not language names.
const std::map<std::string, std::string>& other_adjectives() {
  static const std::map<std::string, std::string> a = {
      {"american", "US"}, {"us", "US"}, {"canadian", "CA"}, {"australian", "AU"}, {"brazilian", "BR"}, {"mexican", "MX"},
      {"austrian", "AT"}, {"swiss", "CH"}, {"belgian", "BE"}, {"uk", "GB"}, {"singaporean", "SG"}, {"taiwanese", "TW"},
      {"south african", "ZA"}, {"nigerian", "NG"}, {"egyptian", "EG"}, {"chilean", "CL"}, {"argentinian", "AR"},
      {"saudi", "SA"}, {"emirati", "AE"}, {"qatari", "QA"}, {"new zealand", "NZ"}};
  return a;
}

// The countries of the adjectives in languages() that differ from the language name.
const std::map<std::string, std::string>& language_adjective_countries() {
  static const std::map<std::string, std::string> a = {{"british", "GB"}, {"indian", "IN"}, {"kenyan", "KE"}, {"israeli", "IL"},
                                                       {"pakistani", "PK"}, {"malaysian", "MY"}, {"filipino", "PH"}};
  return a;
}

// Words after a country adjective that make it a place. Where machines are and who the
// organisation or market is ("German servers", "the Dutch market", "a Polish lender"): the
// adjective names the country, not a language. Who the people are ("French customers", "British
// accents"): the country, and the language they speak too.
const std::vector<std::string>& organisation_nouns() {
  static const std::vector<std::string> n = {
      "server", "servers", "data centre", "data center", "data centres", "data centers", "datacenter", "datacentre",
      "cloud", "grid", "hosting", "region", "company", "companies", "hospital", "hospitals", "clinic", "clinics",
      "office", "offices", "factory", "factories", "farm", "farms", "plant", "site", "cluster", "gpus", "machines",
      "electricity", "market", "markets", "lender", "lenders", "bank", "banks", "insurer", "insurers", "retailer",
      "retailers", "startup", "firm", "government", "ministry", "municipality", "municipalities", "university",
      "universities", "police", "postcodes", "zip codes", "stores", "shops", "supermarket", "supermarkets",
      "utility", "utilities", "telecom", "subsidiary", "headquarters", "public sector"};
  return n;
}
const std::vector<std::string>& people_nouns() {
  static const std::vector<std::string> n = {"customers", "users", "clients", "patients", "farmers", "accent",
                                             "accents", "households", "citizens", "shoppers", "drivers"};
  return n;
}
// Whether AFTER (the text just after a word) starts with a space and one of NOUNS as a whole word.
bool starts_with_noun(const std::string& after, const std::vector<std::string>& nouns) {
  return std::any_of(nouns.begin(), nouns.end(), [&](const std::string& n) {
    return after.size() > n.size() && after[0] == ' ' && after.compare(1, n.size(), n) == 0 &&
           (after.size() == n.size() + 1 || !std::isalpha(static_cast<unsigned char>(after[n.size() + 1])));
  });
}

}  // namespace

std::vector<std::pair<std::string, std::string>> place_names() {
  std::vector<std::string> nouns = organisation_nouns();
  nouns.insert(nouns.end(), people_nouns().begin(), people_nouns().end());
  std::vector<std::pair<std::string, std::string>> out;
  auto add_adjective = [&](const std::string& adj, const std::string& id) {
    for (const auto& n : nouns) out.emplace_back(adj + " " + n, id);
  };
  for (const auto& l : languages()) {
    if (*l.country) add_adjective(l.name, l.country);
    if (*l.adjective) add_adjective(l.adjective, language_adjective_countries().at(l.adjective));
  }
  for (const auto& [adj, id] : other_adjectives()) add_adjective(adj, id);
  // Cities that host the cloud regions people name, and a few more (country, not the cloud region:
  // "in Frankfurt" says where, not which provider).
  static const std::pair<const char*, const char*> cities[] = {
      {"frankfurt", "DE"}, {"berlin", "DE"}, {"munich", "DE"}, {"hamburg", "DE"}, {"paris", "FR"}, {"lyon", "FR"},
      {"london", "GB"}, {"manchester", "GB"}, {"leeds", "GB"}, {"edinburgh", "GB"}, {"dublin", "IE"},
      {"amsterdam", "NL"}, {"eemshaven", "NL"}, {"rotterdam", "NL"}, {"stockholm", "SE"}, {"oslo", "NO"},
      {"helsinki", "FI"}, {"hamina", "FI"}, {"madrid", "ES"}, {"barcelona", "ES"}, {"milan", "IT"}, {"rome", "IT"},
      {"warsaw", "PL"}, {"zurich", "CH"}, {"zürich", "CH"}, {"geneva", "CH"}, {"vienna", "AT"}, {"brussels", "BE"},
      {"copenhagen", "DK"}, {"lisbon", "PT"}, {"prague", "CZ"}, {"tokyo", "JP"}, {"osaka", "JP"}, {"seoul", "KR"},
      {"sydney", "AU-NSW"}, {"melbourne", "AU"}, {"mumbai", "IN"}, {"bangalore", "IN"}, {"bengaluru", "IN"},
      {"delhi", "IN"}, {"toronto", "CA-ON"}, {"montreal", "CA-QC"}, {"montréal", "CA-QC"}, {"vancouver", "CA"},
      {"são paulo", "BR"}, {"sao paulo", "BR"}, {"santiago", "CL"}, {"jakarta", "ID"}, {"johannesburg", "ZA"},
      {"cape town", "ZA"}, {"nairobi", "KE"}, {"lagos", "NG"}, {"cairo", "EG"}, {"tel aviv", "IL"}, {"dubai", "AE"},
      {"doha", "QA"}, {"reykjavik", "IS"}, {"taipei", "TW"}, {"shanghai", "CN"}, {"beijing", "CN"},
      {"hong kong", "HK"}, {"auckland", "NZ"}, {"austin", "US-TX"}, {"dallas", "US-TX"}, {"houston", "US-TX"},
      {"seattle", "US-WA"}, {"portland", "US-OR"}, {"san francisco", "US-CA"}, {"los angeles", "US-CA"},
      {"silicon valley", "US-CA"}, {"ashburn", "US-VA"}, {"columbus", "US-OH"}, {"des moines", "US-IA"},
      {"huelva", "ES"}, {"valencia", "ES"}, {"seville", "ES"}};
  for (const auto& [c, id] : cities) out.emplace_back(c, id);
  // Countries named with their article and initials ("stores in the UK").
  for (const auto& [c, id] : {std::pair<const char*, const char*>{"the uk", "GB"}, {"the u.k.", "GB"}, {"the us", "US"},
                              {"the u.s.", "US"}, {"the usa", "US"}, {"the uae", "AE"}})
    out.emplace_back(c, id);
  return out;
}

std::optional<std::string> region_by_adjective(const std::string& original, const std::function<bool(const std::string&)>& who,
                                               const std::function<bool(const std::string&)>& where) {
  std::map<std::string, std::string> adjectives(other_adjectives().begin(), other_adjectives().end());
  for (const auto& l : languages())
    if (*l.country) adjectives.emplace(l.name, l.country);
  // Adjectives that differ from the language name ("Indian", "British") name their country too.
  for (const auto& [adj, id] : language_adjective_countries()) adjectives.emplace(adj, id);
  adjectives.erase("us");  // the pronoun
  static const std::set<std::string> stop = {"and", "or", "but", "in", "on", "at", "from", "to", "into", "for", "with",
                                             "of", "by", "is", "are", "the", "a", "an", "that", "which", "who"};
  std::vector<std::string> ws;
  std::string cur;
  for (unsigned char c : without_lowercase_word_names(original) + ".") {
    if (std::isalpha(c) || c == '-') { cur += static_cast<char>(std::tolower(c)); continue; }
    if (!cur.empty()) ws.push_back(cur), cur.clear();
    if (!std::isspace(c)) ws.emplace_back(1, static_cast<char>(c));  // punctuation ends a phrase
  }
  static const std::set<std::string> owner = {"our", "my", "the", "a", "an"};
  for (std::size_t i = 1; i + 1 < ws.size(); ++i) {
    auto a = adjectives.find(ws[i]);
    // Only the writer's own or a named body ("our ...", "the ..."): "by Polish landlords", "Dutch
    // city council meetings", "the museum's Spanish audio guide" describe content or others.
    // Or the place the work is about, after a preposition: "for Belgian urban gardens", "on Irish
    // dairy farms" (a kind of location or structure, by WHERE): not "by Polish landlords".
    static const std::set<std::string> at = {"in", "on", "at", "for", "across", "around", "throughout"};
    if (a == adjectives.end()) continue;
    const bool owned = owner.count(ws[i - 1]) > 0;
    if (!owned && !(where && at.count(ws[i - 1]))) continue;
    // "Korean subtitle files" name a language; the people or body the adjective describes ("our
    // Portuguese field sales reps", "the Danish maritime authority") place the organisation.
    // After a preposition, the head of the phrase (its last word) must be the place: "for German
    // court filings" are documents, whatever a court is.
    if (!owned) {
      std::size_t head = i;
      for (std::size_t j = i + 1; j < ws.size() && j <= i + 3; ++j) {
        if (!std::isalpha(static_cast<unsigned char>(ws[j][0])) || stop.count(ws[j]) || adjectives.count(ws[j]) ||
            is_language_name(ws[j]))
          break;
        head = j;
      }
      if (head > i && where(ws[head])) return a->second;
      continue;
    }
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 3; ++j) {
      // A language after it ("Swiss German") names the language: WordNet's "German" is also a person.
      if (!std::isalpha(static_cast<unsigned char>(ws[j][0])) || stop.count(ws[j]) || adjectives.count(ws[j]) ||
          is_language_name(ws[j]))
        break;
      // A business the writer runs is the organisation too ("our French video platform", "our Polish
      // web shop"), though WordNet files a platform or a shop under no person or organisation.
      static const std::set<std::string> businesses = {"platform", "website", "site", "service", "startup", "start-up",
                                                       "business", "marketplace", "company", "firm", "shop", "store",
                                                       "chain", "bank", "retailer", "broadcaster", "publisher", "newspaper",
                                                       "operator", "provider", "insurer", "utility", "hospital", "clinic"};
      if (who(ws[j]) || businesses.count(ws[j])) return a->second;
    }
  }
  return std::nullopt;
}

std::string without_lowercase_word_names(const std::string& text) {
  // The language names WordNet 3.0 also lists in index.verb (to polish, to french beans, to welsh on
  // a deal), with the country each adjective names.
  static const std::pair<const char*, const char*> words[] = {{"polish", "poland"}, {"french", "france"}, {"welsh", "wales"}};
  const std::string lower = to_lower(text);
  std::string out = text;
  static const Regex object_after(R"(^\s+(the|a|an|our|my|your|their|his|her|its|it|them|this|that|these|those|up|off|every|each|all)\b)");
  static const Regex language_after(R"(^(\s*-\s*|\s+)(language|languages|speaking|speaker|speakers|speech|translation|translations|subtitles?|version|dub|dubbing)\b)");
  // "in polish", "from french"; what people read, write or speak ("the doctors only read french").
  static const Regex of_text_before(R"(\b(in|into|from|read|reads|speak|speaks|understand|understands|write|writes|written)\s+$)");
  // A language name on the other side of a joining word: "English to polish", "polish and czech".
  static const Regex joined_before(R"(\b([a-z]+)\s*(\bto|\band|\bor|&|,)\s*$)");
  // "to" makes it the language where the text speaks of translating ("translate this to french").
  static const Regex translation(R"(\b(translat|locali[sz]|subtitl|dub))");
  static const Regex to_before(R"(\bto\s+$)");
  const bool translating = regex_search(lower, translation);
  static const Regex joined_after(R"(^\s*(to\b|and\b|or\b|&|,)\s*([a-z]+))");
  // A writer who writes another language name in lower case ("into english") capitalises no name:
  // lower case is then no sign of the English word.
  for (const auto& l : languages()) {
    const std::string n = l.name;
    for (std::size_t pos = text.find(n); pos != std::string::npos; pos = text.find(n, pos + 1))
      if ((pos == 0 || !std::isalpha(static_cast<unsigned char>(text[pos - 1]))) &&
          (pos + n.size() == text.size() || !std::isalpha(static_cast<unsigned char>(text[pos + n.size()]))) &&
          std::none_of(std::begin(words), std::end(words), [&](const auto& x) { return n == x.first; }))
        return out;
  }
  for (const auto& [word, country] : words) {
    const std::string w = word;
    if (lower.find(country) != std::string::npos) continue;  // the country named: a country context
    for (std::size_t pos = lower.find(w); pos != std::string::npos; pos = lower.find(w, pos + 1)) {
      const std::size_t end = pos + w.size();
      if ((pos > 0 && std::isalpha(static_cast<unsigned char>(lower[pos - 1]))) ||
          (end < lower.size() && std::isalpha(static_cast<unsigned char>(lower[end]))) || text[pos] != w[0])
        continue;  // part of a longer word, or written with a capital: the name
      const std::size_t start = pos > 30 ? pos - 30 : 0;
      const std::string before = lower.substr(start, pos - start), after = lower.substr(end, 30);
      Match m;
      // Before people ("our polish customers", "polish shoppers") the word is the adjective: whom the
      // writer serves, as capitalised.
      static const Regex people_after(R"(^\s+(customers|users|shoppers|speakers|staff|clients|patients|students|workers|employees|people|citizens|visitors|tourists|buyers|readers|listeners|callers|members|colleagues|farmers|drivers|doctors|nurses|teachers|pupils|residents|audiences)\b)");
      bool language = regex_search(after, language_after) || regex_search(after, people_after);
      if (!language && !regex_search(after, object_after))
        language = regex_search(before, of_text_before) || (translating && regex_search(before, to_before)) || (regex_search(before, m, joined_before) && is_language_name(m[1].str())) ||
                   (regex_search(after, m, joined_after) && is_language_name(m[2].str()));
      if (!language) std::fill(out.begin() + static_cast<std::ptrdiff_t>(pos), out.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    }
  }
  return out;
}

bool is_language_name(const std::string& word) {
  return std::any_of(languages().begin(), languages().end(), [&](const Language& l) { return word == l.name; });
}

std::vector<std::string> parse_objectives(const std::string& original, std::optional<double> latency_budget_s) {
  // A mini-batch is a step of training, no batch job: written as one word, "batch" is no word of its own.
  static const Regex mini(R"(\b(mini|micro)[- ]?batch)");
  const std::string lower = to_lower(original);
  std::string t;
  auto kept = lower.cbegin();
  for (auto it = RegexIterator(lower.begin(), lower.end(), mini); it != RegexIterator(); ++it) {
    t.append(kept, (*it)[0].first);
    t += (*it)[1].str() + "batch";
    kept = (*it)[0].second;
  }
  t.append(kept, lower.cend());
  // Each objective: the phrases that name it. Words with a second sense are left out ("precision"
  // is also a metric; "cost" of a house is a target).
  static const std::vector<std::pair<const char*, Regex>> cues = {
      {"accuracy", Regex(R"(\b(accuracy|accurate|most precise|highest quality|best quality|quality matters|reliab(le|ility)|don'?t miss|never miss|cannot miss|can'?t miss|mistakes? (are|is) (costly|expensive)|false negatives?)\b)")},
      // Cost is a priority when the system is to be cheap to run or train ("cheap to run", "keep the
      // cloud costs down", "the cheapest option"), not when a cheap thing is part of the set-up ("a
      // cheap USB webcam", "cheap phones") or a cost is what is predicted ("repair costs").
      {"cost", Regex(R"(\b(cheap(er|est|ly)?\s+(to\s+(run|train|host|serve|deploy|operate|build|maintain|keep)|as possible|enough|option|solution|set-?up|way|approach|model|hosting|inference)|(as|it|be|is|are|stay|stays|remain|remains)\s+cheap(er|est)?\b(?!\s+[a-z]+s\b)|cheapest\s+(possible|one|that|which)|low(est)?[ -]cost\s+(to\s+(run|train)|option|solution|set-?up|approach|model|inference|training|serving|deployment|hosting)|(be|is|stay|stays|remain)\s+low[ -]cost|cost[- ]?(effective|efficient)|(keep|keeping|cut|cutting|reduce|reducing|lower|lowering|minimi[sz]e|minimi[sz]ing|save on|low|lowest|running|operating|inference|serving|training|cloud|gpu|hosting|compute|energy|electricity)\s+(the\s+|our\s+)?costs?\b|costs?\s+(matters?|is\s+(a|the|our|my)\s+(concern|priority|issue|worry)|down|as low|low|must|should|to a minimum)|inexpensive to (run|train)|affordable to (run|train)|tight on money|save money|spend as little|(tight|small|limited|low|shoestring)\s+budget|on a budget)\b)")},
      {"latency", Regex(R"(\b(real[- ]?time|latency|fast(er|est)?|quick(ly)?|speed|instant(ly)?|live|responsive|low delay|low-latency|in under \d|within \d+ ?ms)\b)")},
      {"privacy", Regex(R"(\b(privacy|private|gdpr|hipaa|confidential|on[- ]device only|nothing leaves|never leaves?|must not leave|stays? on the (device|phone|premises)|on[- ]prem(ise|ises)?|sensitive data|personal data)\b)")},
      // Offline: the model runs without a connection ("no signal out there"), which says nothing
      // about whether someone waits for each answer.
      {"offline", Regex(R"(\b(offline|no internet|without (an )?internet|no connectivity|no network|air[- ]gapped|no signal)\b)")},
      // Batch: no one waits for each answer; the work is done in bulk, on a schedule or by a deadline
      // ("overnight", "a nightly job", "results by morning"). A batch size ("batches of 32") is not one.
      // "Batch" names the mode on its own where it opens a sentence or follows "as a" / "in a" ("Batch
      // on an L4.", "run it as a batch"); a batch of a training step ("batch size 32", "batches of
      // 64", "batch norm", "mini-batch") or of production ("the yield of each batch") does not.
      {"batch", Regex(R"((^|[.;:!?]\s+|\b(as|in) an? (nightly |daily |weekly |offline |single |big |one )?)batch(ed|es)?\b(?![ -]?(sizes?\b|of\b|norm|\d|=|train))|\b(batch(ed)?[ -](jobs?|process(es|ing)?|runs?|mode|inference|pipelines?|scoring|transcription)|in (bulk|batch(es)?)(?! of \d)|overnight|nightly|every night|once a (day|night|week)|(by|before) (the next |tomorrow )?morning|backfill(ing)?|nobody waits|no one waits|not time[- ]critical)\b)")},
  };
  // "It doesn't need to be real-time", "no need for real time", "speed doesn't matter": a speed
  // word under a negation is a statement that no one waits (batch), not a speed priority.
  static const Regex no_hurry(R"(\b((does ?n[o']t|do ?n[o']t|need ?n[o']t|no) (need|have) to be (real[- ]?time|fast|quick|instant|live)|no need (for|to be) (real[- ]?time|fast|quick|instant|live|speed)|not (in )?real[- ]?time|(speed|latency|time) (does ?n[o']t|do ?n[o']t|is ?n[o']t|is not|does not) (matter|important|critical|a concern)|no rush|no hurry)\b)");
  std::vector<std::pair<std::size_t, std::string>> found;
  Match negated;
  const bool unhurried = regex_search(t, negated, no_hurry);
  for (const auto& [name, re] : cues) {
    Match m;
    if (std::string(name) == "latency" && unhurried) continue;  // "doesn't need to be real-time"
    if (regex_search(t, m, re)) found.emplace_back(static_cast<std::size_t>(m.position()), name);
  }
  // A speed word denied beside a budget someone waits for ("doesn't need to be instant but under a
  // second would be nice") lowers the bar to that budget: each answer is still awaited, so no batch job.
  const bool awaited = latency_budget_s && *latency_budget_s <= 60;
  if (unhurried && !awaited && std::none_of(found.begin(), found.end(), [](const auto& f) { return f.second == "batch"; }))
    found.emplace_back(static_cast<std::size_t>(negated.position()), "batch");
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(f.second);
  // "A over B", "A rather than B", "A more than B", "A before B": A first whatever was written first;
  // "B is less important than A" likewise.
  static const Regex over(R"((\w+)\s+(over|rather than|more than|before|matters more than|is more important than)\s+(\w+))");
  static const Regex less(R"((\w+)\s+(is |are )?less important than\s+(\w+))");
  // One word set against another ("accuracy over cost"): the cost words alone name cost here.
  static const Regex cost_word(R"(^(cost|costs|cheap|cheaper|cheapness|price|money|budget)$)");
  auto objective_of = [&](const std::string& word) -> std::string {
    if (regex_search(word, cost_word)) return "cost";
    for (const auto& [name, re] : cues)
      if (regex_search(word, re)) return name;
    return "";
  };
  // A priority set against another is one even when its word alone would not say so ("accuracy
  // matters more than cost": cost is a priority, ranked second).
  auto weigh = [&](const std::string& a, const std::string& b) {
    const std::string oa = objective_of(a), ob = objective_of(b);
    if (oa.empty() || ob.empty()) return;  // "repair costs over the next year" sets nothing against cost
    for (const auto& o : {oa, ob})
      if (std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
  };
  auto put_first = [&](const std::string& a, const std::string& b) {
    weigh(a, b);
    auto ia = std::find(out.begin(), out.end(), a), ib = std::find(out.begin(), out.end(), b);
    if (ia != out.end() && ib != out.end() && ib < ia) std::iter_swap(ia, ib);
  };
  for (auto it = RegexIterator(t.begin(), t.end(), over); it != RegexIterator(); ++it)
    put_first(objective_of((*it)[1]), objective_of((*it)[3]));
  for (auto it = RegexIterator(t.begin(), t.end(), less); it != RegexIterator(); ++it)
    put_first(objective_of((*it)[3]), objective_of((*it)[1]));
  return out;
}

Languages parse_languages(const std::string& original) {
  const std::string t = to_lower(without_lowercase_word_names(original));
  Languages l;
  std::vector<std::pair<std::size_t, const Language*>> named;
  for (const auto& lang : all_languages()) {
    const std::string name = lang.name;
    for (std::size_t pos = t.find(name); pos != std::string::npos; pos = t.find(name, pos + 1)) {
      if ((pos > 0 && std::isalpha(static_cast<unsigned char>(t[pos - 1]))) ||
          (pos + name.size() < t.size() && std::isalpha(static_cast<unsigned char>(t[pos + name.size()]))))
        continue;
      // "Latin America" is a place, not the language.
      if (name == "latin" && t.compare(pos + name.size(), 8, " america") == 0) continue;
      // A country adjective before a place word is a place, not a language ("German servers").
      const std::string after = t.substr(pos + std::string(lang.name).size(), 20);
      // ... unless those people write, say or read what is processed: "our Vietnamese factory staff
      // write shift reports", "Polish landlords fill in the forms", "the Dutch office must read"
      // name a language of the text (the readers' one is the target, below).
      static const Regex writes(R"(^[a-z -]{0,30}?\b(write|writes|wrote|fill|fills|filled|send|sends|type|types|post|posts|submit|submits|speak|speaks|say|says|record|records|dictate|dictates|read|reads)\b)");
      if (!starts_with_noun(after, organisation_nouns()) ||
          regex_search(t.substr(pos + std::string(lang.name).size(), 50), writes))
        named.emplace_back(pos, &lang);
    }
  }
  std::sort(named.begin(), named.end());
  auto push = [](std::vector<std::string>& v, const std::string& c) {
    if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  };
  // Targets: a language after "to", "into", "in ... too/also/as well", or "-> " when the text
  // speaks of translating; after "into" or "->", or after "to" once a "from <language>" was read,
  // whatever the verb ("turned from English into Japanese"); before "subtitles" or "version" when
  // another language is named ("German text ... English subtitles").
  std::set<std::string> codes;
  for (const auto& n : named) codes.insert(n.second->code);
  bool from_language = false, switched = false;
  std::set<std::string> left;  // languages a system is switched away from
  for (const auto& [pos, lang] : named) {
    const std::size_t start = pos > 40 ? pos - 40 : 0;
    const std::string before = t.substr(start, pos - start);
    const std::string after = t.substr(pos + std::string(lang->name).size(), 16);
    // Each language of a list may carry a qualifier of one or two words ("to Brazilian Portuguese and
    // Spanish", "into simplified Chinese, Japanese", "Latin American Spanish"): part of the item.
    static const Regex target_before(R"((\b(into|to|→|->)\s+(((\w+\s+){0,2}\w+\s*,\s*|(\w+\s+){0,2}\w+\s+(and|or|&)\s+)*)?(\w+\s+){0,2}|(published|available|versions?|subtitles?|dub(bed)?)\s+(\w+\s+)?in\s+((\w+\s*,\s*|\w+\s+(and|or|&)\s+)*)?)$)");
    static const Regex into_before(R"((\b(into)|→|->)\s+(((\w+\s+){0,2}\w+\s*,\s*|(\w+\s+){0,2}\w+\s+(and|or|&)\s+)*)?(\w+\s+){0,2}$)");
    static const Regex to_before(R"(\bto\s+(((\w+\s+){0,2}\w+\s*,\s*|(\w+\s+){0,2}\w+\s+(and|or|&)\s+)*)?(\w+\s+){0,2}$)");
    static const Regex from_before(R"(\bfrom\s+$)");
    // "a Chinese-to-English model", "Korean-to-English OPUS-MT": the second is the target.
    static const Regex hyphen_to(R"([a-z]-to-$)");
    static const Regex version_after(R"(^\s+(subtitles?|versions?|copy|copies|edition|translations?|dub(bing)?)\b)");
    static const Regex translation(R"(\b(translat|locali[sz]|publish|subtitle|dub|version))");
    const bool translating = regex_search(t, translation);
    // The language of those who read the result, when the text is in another one: "our agronomists
    // only read English", "for English readers", "the Japanese head office has to read".
    static const Regex reader_before(R"(\b(only|just|can|cannot|can't|don't|doesn't)\s+(read|reads|speak|speaks|understand|understands)\s+$)");
    static const Regex reader_after(R"(^([\s-]+(speaking|readers?|audiences?|users|customers|clients|staff|colleagues|managers|team|teams|head|office|offices|headquarters|hq|side|people)\b)+(\s+(who|that|which))?(\s+(only|also|must|will|can|has to|have to|needs? to|wants? to))?\s+(read|reads|understand|understands)\b|^\s+readers?\b|^[\s-]+speaking\s+(readers?|audiences?|users|customers|clients|staff|colleagues)\b)");
    const std::string reader_window = t.substr(pos + std::string(lang->name).size(), 60);
    // Text that comes in many languages, wanted in one ("reviews in all sorts of languages ... read
    // them all in English"): that one is the target though it is the only language named.
    static const Regex many_languages(R"(\b(all sorts of|all kinds of|many|various|several|different|other|foreign|any|every|lots of|multiple|mixed)\s+languages?\b)");
    static const Regex wanted_in(R"(\b(read|see|have|get|understand|receive|show)\s+(them|it|those|these|everything|each one|all of them)(\s+all)?\s+in\s+$)");
    const bool reader = (codes.size() >= 2 && (regex_search(before, reader_before) || regex_search(reader_window, reader_after))) ||
                        (regex_search(t, many_languages) && regex_search(before, wanted_in));
    // The language a model was trained on, where others are named ("our model was trained on English
    // comments only, but now has to flag ones in Turkish and Spanish"): its past, not the text the
    // system reads now.
    static const Regex trained_on(R"(\b(trained|pre-?trained|fine-?tuned|built)\s+(only\s+|just\s+|mostly\s+)?(on|with|for)\s+(only\s+|just\s+)?(\w+\s+)?$)");
    if (codes.size() >= 2 && regex_search(before, trained_on)) continue;
    // A language set aside ("speech recognition in languages other than English", "anything except
    // English") is not one the text comes in.
    // "Besides English, the app must handle Hindi" adds Hindi to English: "besides" and "apart from"
    // set a language aside only after a word for all languages ("into languages besides English").
    static const Regex set_aside(R"(\b(other\s+th[ae]n|except|excluding)\s+$|\b(languages?|anything|everything)\s+(besides|apart\s+from)\s+$)");
    if (regex_search(before, set_aside)) continue;
    // A language right before "to" and another ("Japanese to English subtitles", "French into
    // German") is the pair's source, whatever the words before it ("it would be great to have ...").
    static const Regex pair_to(R"(^\s*-?\s*(to|into|→|->)\s*-?\s*$)");
    const std::size_t name_end = pos + std::string(lang->name).size();
    const bool pair_source = std::any_of(named.begin(), named.end(), [&](const auto& other) {
      return other.first > name_end && other.first - name_end <= 8 && regex_search(t.substr(name_end, other.first - name_end), pair_to);
    });
    // A system switched from one language to another ("switch our speech recognition from English
    // to German", "move the chatbot from Spanish to Portuguese") works in the new one: the old one is
    // no language it reads, and the new one is what it reads or hears, not a translation's target
    // (the text is not turned from one language into the other).
    static const Regex switched_from(R"(\b(switch|switches|switching|switched|change|changes|changing|changed|move|moves|moving|moved|migrate|migrates|migrating|migrated|port|ports|porting|ported|swap|swaps|swapping|swapped)\b[^.!?;]*\bfrom\s+$)");
    const std::size_t sentence = t.find_last_of(".!?;", pos == 0 ? 0 : pos - 1);
    const std::string clause = t.substr(sentence == std::string::npos || pos == 0 ? 0 : sentence + 1,
                                        pos - (sentence == std::string::npos || pos == 0 ? 0 : sentence + 1));
    if (pair_source && !translating && regex_search(clause, switched_from)) {
      switched = true;
      left.insert(lang->code);
      continue;
    }
    if (switched && !translating && (regex_search(before, to_before) || regex_search(before, into_before))) {
      switched = false;
      left.erase(lang->code);  // "from French to French and German": French is kept
      push(l.source, lang->code);
      continue;
    }
    if (pair_source) {
      push(l.source, lang->code);
      continue;
    }
    if (reader || (translating && regex_search(before, target_before)) || regex_search(before, into_before) || regex_search(before, hyphen_to) ||
        (from_language && regex_search(before, to_before)) || (codes.size() >= 2 && regex_search(after, version_after)))
      push(l.target, lang->code);
    else push(l.source, lang->code);
    if (regex_search(before, from_before)) from_language = true;
  }
  // The language switched away from is none the system works in, wherever else it is named.
  for (const auto& c : left)
    if (std::find(l.target.begin(), l.target.end(), c) == l.target.end())
      l.source.erase(std::remove(l.source.begin(), l.source.end(), c), l.source.end());
  // No source stated but a translation into something: leave the source empty (unknown).
  for (const auto& c : l.target) l.source.erase(std::remove(l.source.begin(), l.source.end(), c), l.source.end());
  // A number of languages ("between about 30 languages", "in roughly 25 languages", "a dozen
  // languages"): how many the system must cover. "Into N languages" from a named source adds it.
  static const Regex counted(R"(\b(\d+|a dozen|dozens of)\+?\s+((different|other|more|major|official|european|asian|african|indian|local|regional|foreign|spoken)\s+)?languages\b)");
  Match m;
  const std::string digits = digits_for_number_words(t);
  if (regex_search(digits, m, counted)) {
    const std::string n = m[1].str();
    l.count = n == "a dozen" ? 12 : n == "dozens of" ? 0 : std::stod(n);
    const std::string before = digits.substr(0, static_cast<std::size_t>(m.position()));
    static const Regex into(R"(\b(into|to)\s+((about|around|roughly|some|over|nearly|almost|approximately|up to|~)\s*)?$)");
    if (l.count > 0 && regex_search(before, into)) {
      std::size_t extra = 0;
      for (const auto& c : l.source) extra += std::find(l.target.begin(), l.target.end(), c) == l.target.end();
      l.count += static_cast<double>(extra);
    }
  }
  return l;
}

}  // namespace sml::describe
