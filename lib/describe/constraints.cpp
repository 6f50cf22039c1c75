#include "sml/describe/constraints.hpp"
#include "sml/describe/settings.hpp"
#include "sml/io/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "number_text.hpp"

namespace sml::describe {
namespace {

using number_text::context_before;
using number_text::kNum;
using number_text::number;
using number_text::whole_word_at;

// Nouns of data items counted in a data set ("40k photos", "12k labelled clips").
const std::string kDataNouns = R"((titles?|items?|products?|calls?|requests?|answers?|responses?|letters?|notes?|reports?|descriptions?|queries|images?|photos?|pictures?|samples?|examples?|rows?|records?|sentences?|documents?|docs|tickets?|reviews?|emails?|x-?rays?|scans?|clips?|recordings?|videos?|utterances?|transactions?|articles?|questions?|pairs?|tweets?|posts?|messages?|crops?|patients?|invoices?|contracts?|papers?|listings?|comments?|dialogues?|conversations?|transcripts?|slides?|entries|spectra|signals?|sequences?|molecules?|graphs?|interactions?|sessions?|orders?|logs?|frames?))";

// Calls FN for each match that starts a word (not the "0" of "B0" or the "1" of "v100").
template <typename F>
void each_match(const std::string& text, const Regex& re, F&& fn) {
  for (auto it = RegexIterator(text.begin(), text.end(), re); it != RegexIterator(); ++it) {
    const auto pos = static_cast<std::size_t>(it->position());
    if (pos > 0 && (std::isalnum(static_cast<unsigned char>(text[pos - 1])) || text[pos - 1] == '.')) continue;
    fn(*it);
  }
}

}  // namespace


std::string digits_for_number_words(std::string t) {
  static const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                "eighteen", "nineteen", "twenty"};
  for (int n = 20; n >= 2; --n) {
    const std::string w = words[n];
    for (std::size_t pos = t.find(w); pos != std::string::npos; pos = t.find(w, pos + 1))
      if ((pos == 0 || !std::isalpha(static_cast<unsigned char>(t[pos - 1]))) &&
          (pos + w.size() >= t.size() || !std::isalpha(static_cast<unsigned char>(t[pos + w.size()]))))
        t.replace(pos, w.size(), std::to_string(n));
  }
  return t;
}

Constraints parse_constraints(const std::string& original) {
  // An underscore inside a name joins its words as a dash does: "Walking_Upstairs" is one class of
  // the list "walking, walking_upstairs, ... or laying", not the end of a list.
  const std::string t = [&] {
    std::string v = digits_for_number_words(to_lower(original));
    for (std::size_t i = 1; i + 1 < v.size(); ++i)
      if (v[i] == '_' && std::isalpha(static_cast<unsigned char>(v[i - 1])) && std::isalpha(static_cast<unsigned char>(v[i + 1])))
        v[i] = '-';
    return v;
  }();
  Constraints c;
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
  // The text is lower-cased already: Regex::icase would only make each pattern several times slower to
  // compile (a case-folded matcher for each of 256 characters per bracket), at every start-up.
  const auto flags = Regex::ECMAScript;

  // Latency: milliseconds are always a latency; seconds only next to words that make them one.
  // A frame, window or hop of N ms ("in 30 ms frames") and a sampling interval ("recorded every 30 ms")
  // are no latency.
  static const Regex ms(kNum + R"(\s*(ms|msec|milliseconds?)\b(?!\s*(frames|windows|chunks|hops|segments|steps|slices|blocks)\b))", flags);
  static const Regex interval_before(R"(\b(every|each|per)\s*$)", flags);
  static const Regex decision_before(R"(\b(decision|decide|decided|answer|output|result|prediction|respond|response)s?\b)", flags);
  static const Regex sec(kNum + R"(\s*(s|sec|secs|seconds?)\b(?!\s*(of|long|clips?|audio|windows?|segments?)))", flags);
  static const Regex latency_words(R"((under|below|within|less than|at most|max|maximum|latency|respond|response|p9\d|<))", flags);
  each_match(t, ms, [&](const Match& m) {
    const auto pos = static_cast<std::size_t>(m.position());
    if (c.latency_s || (context_before(t, pos, 8, interval_before) && !context_before(t, pos, 25, decision_before))) return;
    c.latency_s = number(m, 1) / 1000;
    note(m);
  });
  if (!c.latency_s) {
    // "in under a second", "within half a second".
    static const Regex a_second(R"(\b(under|within|less than|below|at most|in)\s+(a|one|half a)\s+(second|sec)\b)", flags);
    Match m;
    if (regex_search(t, m, a_second)) {
      c.latency_s = m[2].str() == "half a" ? 0.5 : 1.0;
      note(m);
    }
  }
  static const Regex minutes(kNum + R"(\s*(min|mins|minutes?)\b)", flags);
  static const Regex minutes_of(R"(^\s*(of|long|clips?|audio|video))", flags);  // compiled once, not per match
  each_match(t, minutes, [&](const Match& m) {
    if (!c.latency_s && context_before(t, static_cast<std::size_t>(m.position()), 30, latency_words) &&
        !regex_search(t.substr(static_cast<std::size_t>(m.position() + m.length()), 12), minutes_of)) {
      c.latency_s = number(m, 1) * 60;
      note(m);
    }
  });
  each_match(t, sec, [&](const Match& m) {
    if (!c.latency_s && context_before(t, static_cast<std::size_t>(m.position()), 30, latency_words)) {
      c.latency_s = number(m, 1);
      note(m);
    }
  });
  // Throughput. A data rate ("160 kbit/s", "40 MB/s") is a network or disk speed, no frame rate.
  static const Regex fps(kNum + R"(\s*(fps|frames?\s*(per|a|/)\s*s(ec(ond)?)?\b|images?\s*(per|a|/)\s*s(ec(ond)?)?\b|img/s|(?!(?:[kmgt]i?)?(?:bits?|bytes?|b)\s*/)[a-z]+\s*/\s*s\b|([a-z-]+\s+){1,2}(per|a|each|every) second\b))", flags);
  std::size_t fps_end = std::string::npos;
  // A range of rates ("about 25-30 FPS", "10 to 15 fps") states the floor the writer needs and
  // what would be nice: the lower end is the requirement.
  static const Regex range_before(kNum + R"(\s*(-|–|to)\s*$)", flags);
  each_match(t, fps, [&](const Match& m) {
    if (!c.throughput_fps) {
      c.throughput_fps = number(m, 1);
      const auto pos = static_cast<std::size_t>(m.position());
      const std::size_t from = pos > 24 ? pos - 24 : 0;
      Match low;
      const std::string before = t.substr(from, pos - from);
      if (regex_search(before, low, range_before) && number(low, 1) < *c.throughput_fps) c.throughput_fps = number(low, 1);
      note(m);
      fps_end = static_cast<std::size_t>(m.position() + m.length());
    }
  });
  if (c.throughput_fps && fps_end != std::string::npos) {
    // A rate of each of several cameras or streams is a load of their sum: "four 1080p cameras at
    // 30 fps each", "4 cameras ... (30 fps per camera)", "12 streams at 15 fps" are 120, 120 and 180
    // frames a second. The rate is each one's when the text says so after it ("each", "per
    // camera") or hangs it on the count with "at" ("N cameras at R fps").
    static const Regex sources(kNum + R"(\s+((?:[a-z0-9-]+\s+){0,2}?)(camera\s+(?:feeds?|streams?)|video\s+(?:feeds?|streams?)|cameras?|cams|streams?|feeds?)\b)", flags);
    static const Regex each_after(R"(^\s*(each|apiece|per\s+(camera|cam|stream|feed|channel)|a\s+(camera|stream|feed)|from\s+each|on\s+each|for\s+each)\b)", flags);
    static const Regex at_between(R"(^\s*(,\s*)?(each\s+)?(at|@|running\s+at|recording\s+at|streaming\s+at|with)\s*$)", flags);
    const std::size_t fps_at = fps_end - c.evidence.back().size();
    Match s;
    if (regex_search(t, s, sources)) {
      const double count = number(s, 1);
      const std::size_t s_end = static_cast<std::size_t>(s.position() + s.length());
      const bool each = regex_search(t.substr(fps_end, 20), each_after) ||
                        (s_end <= fps_at && regex_search(t.substr(s_end, fps_at - s_end), at_between));
      if (each && count >= 2 && count <= 1000 && std::floor(count) == count) {
        c.throughput_fps = *c.throughput_fps * count;
        note(s);
      }
    }
  }
  if (!c.throughput_fps) {
    // "one frame per second is enough" (number words start at two: "one" is too often no count).
    static const Regex one_fps(R"(\b(one|a single)\s+(frame|image|picture|photo)\s+(per|a|each|every)\s+second\b)", flags);
    Match m;
    if (regex_search(t, m, one_fps)) { c.throughput_fps = 1; note(m); }
  }
  {
    std::string said;
    c.image_size_px = parse_image_size(t, &said);
    if (c.image_size_px) c.evidence.push_back(said);
  }
  // Accuracy: a percentage next to "accuracy", "accurate", "top-1".
  static const Regex acc1(R"((accuracy|accurate|top-?1|correct|right (?:in |at least |more than |over ))[^.%\d]{0,25}?)" + kNum + R"(\s*(%|percent))", flags);
  static const Regex acc2(kNum + R"(\s*(%|percent)\s*(top-?1\s*)?([a-z]+\s+){0,2}(accuracy|accurate|correct|correctly|right))", flags);
  each_match(t, acc1, [&](const Match& m) {
    if (!c.accuracy_min) { c.accuracy_min = number(m, 2) / 100; note(m); }
  });
  each_match(t, acc2, [&](const Match& m) {
    if (!c.accuracy_min) { c.accuracy_min = number(m, 1) / 100; note(m); }
  });
  // Memory: a size that is a limit (RAM, flash, model size), not data ("3 GB of text").
  static const Regex mem(kNum + R"(\s*(kb|mb|gb|tb|kib|mib|gib|tib)\b(?!\s*of\s+(?!ram|memory|flash|vram)))", flags);
  static const Regex mem_before(R"((ram|memory|flash|vram|fit in|fits in|fit into|within|model size|model under|under|at most|max|less than|smaller than|footprint|limit|budget|only|has|with))", flags);
  static const Regex mem_after(R"(^\s*(of\s+)?(ram|memory|flash|vram|model|footprint|limit))", flags);
  // The memory of each card or machine the writer has ("two RTX 3090 workstations (24 GB each)",
  // "4x A100 (80 GB each)"): a size "each" after hardware, whose name is blanked to spaces here.
  static const Regex each_after(R"(^\s*each\b)", flags);
  static const Regex hardware_before(R"((gpus?|cards?|workstations?|servers?|machines?|nodes?|boxe?s?|\dx|\s{4,})\s*\(?\s*$)", flags);
  each_match(t, mem, [&](const Match& m) {
    if (c.memory_bytes) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    // A size written with the card's own name ("A100 80GB", "an RTX A2000 (12 GB)") is that card's
    // memory too: the name is masked to spaces just before it.
    static const Regex named_before(R"(\s{4,}\(?\s*$)", flags);
    const bool card_each = (regex_search(t.substr(end, 8), each_after) &&
                            context_before(t, static_cast<std::size_t>(m.position()), 40, hardware_before)) ||
                           context_before(t, static_cast<std::size_t>(m.position()), 12, named_before);
    if (!card_each && !context_before(t, static_cast<std::size_t>(m.position()), 30, mem_before) &&
        !regex_search(t.substr(end, 20), mem_after))
      return;
    // The size of a model the writer names with "the" ("with the 50 MB model", "the 75 MB tiny
    // model") describes a model already chosen, not a limit of the device ("a model under 50 MB",
    // "a 5 MB model" are limits).
    static const Regex the_before(R"(\bthe\s*$)", flags);
    static const Regex model_after(R"(^\s*([a-z-]+\s+)?(model|checkpoint|weights|file)\b)", flags);
    if (!card_each && context_before(t, static_cast<std::size_t>(m.position()), 5, the_before) &&
        regex_search(t.substr(end, 24), model_after))
      return;
    const std::string u = m[3].str();
    const double unit = u == "kb" ? 1e3 : u == "mb" ? 1e6 : u == "gb" ? 1e9 : u == "tb" ? 1e12 : u == "kib" ? 1024.0
                      : u == "mib" ? 1048576.0 : u == "gib" ? 1073741824.0 : 1099511627776.0;
    c.memory_bytes = number(m, 1) * unit;
    note(m);
  });
  // Energy and carbon budgets.
  static const Regex energy(kNum + R"(\s*(kwh|mwh|wh)\b)", flags);
  static const Regex budget_words(R"((budget|under|below|at most|max|maximum|less than|within|limit|cap|no more than|keep))", flags);
  each_match(t, energy, [&](const Match& m) {
    if (c.energy_kwh_max || !context_before(t, static_cast<std::size_t>(m.position()), 40, budget_words)) return;
    const std::string u = m[3].str();
    c.energy_kwh_max = number(m, 1) * (u == "mwh" ? 1000 : u == "wh" ? 0.001 : 1);
    note(m);
  });
  static const Regex co2(kNum + R"(\s*(kg|kilograms?|t|tonnes?|tons?|g|grams?)\s*(of\s+)?(co2e?|co₂e?|carbon|emissions|ghg))", flags);
  each_match(t, co2, [&](const Match& m) {
    if (c.co2e_kg_max) return;
    const std::string u = m[3].str();
    const double unit = u[0] == 'k' ? 1 : u[0] == 't' ? 1000 : 0.001;
    c.co2e_kg_max = number(m, 1) * unit;
    note(m);
  });
  // Data held as a volume: "2 GB of our legal contracts", "40 MB of chat logs". A size followed by
  // "of" and no word of memory is data, not a limit (the memory reader skips it).
  static const Regex volume(kNum + R"(\s*(kb|mb|gb|tb)\s+of\s+(?!(ram|memory|flash|vram|disk|storage|space)\b)([a-z'-]+\s+){0,3}?(text|contracts?|documents?|docs|emails?|mails?|articles?|papers?|books?|pages?|reports?|notes?|tickets?|logs?|transcripts?|posts?|comments?|reviews?|messages?|letters?|filings?|corpus|wiki\w*|code|manuals?|policies|chats?)\b)", flags);
  each_match(t, volume, [&](const Match& m) {
    if (c.data_bytes) return;
    const std::string u = m[3].str();
    c.data_bytes = number(m, 1) * (u == "kb" ? 1e3 : u == "mb" ? 1e6 : u == "gb" ? 1e9 : 1e12);
    note(m);
  });
  // Data: hours of audio or video, or a count of samples.
  static const Regex hours(kNum + R"(\s*(hours?|hrs?|h)\s+of\s+[a-z])", flags);
  static const Regex horizon(R"((next|ahead|coming|last|past|every)\s*$)", flags);
  static const Regex limit_before(R"(\b(under|below|within|less than|at most|max|maximum|no more than)\s*$)", flags);
  static const Regex made_after(R"(^[a-z ]{0,30}?\bto (produce|generate|make|create|narrate|synthesi[sz]e|voice|dub|record|transcribe|translate|process)\b)", flags);
  each_match(t, hours, [&](const Match& m) {
    const auto pos = static_cast<std::size_t>(m.position());
    if (c.data_hours || context_before(t, pos, 8, horizon) || context_before(t, pos, 14, limit_before) ||
        regex_search(t.substr(pos + static_cast<std::size_t>(m.length()) - 1, 40), made_after))
      return;
    // Hours a day, a week ("about 1 hour of transcripts a day") are how much comes in, a load,
    // not recordings held to learn from.
    static const Regex per_period(R"(^[a-z]*(\s+[a-z-]+){0,2}?\s+((a|per|each|every|an)\s+|/\s*)(day|week|month|user|person|shift)\b)", flags);
    if (regex_search(t.substr(pos + static_cast<std::size_t>(m.length()) - 1, 40), per_period)) return;
    c.data_hours = number(m, 1);
    note(m);
  });
  static const Regex samples(kNum + R"(\+?\s+((?!(?:of|from|with|in|on|for|and|or|most|per|the|a|to|by|at|than|over|into|ms|s|sec|secs|seconds?|min|mins|minutes?|hours?|hrs?|h|kb|mb|gb|tb|kib|mib|gib|fps|hz|khz|px|pixels?|bits?|bytes?|%)\b)[a-z0-9-]+\s+){0,3}?)" + kDataNouns + R"(\b)", flags);
  // A count followed by a period is a load ("3k tickets/day", "50k a day", "200 per hour"), not data.
  // A word or two may stand between: "150 earnings call transcripts a week".
  static const Regex rate_after(R"(^(\s*[a-z-]+){0,2}?\s*((a|per|each|every|an)\s+|/\s*)(day|hour|minute|min|second|sec|s|week|month|year|h|d)\b|^(\s*[a-z-]+){0,2}?\s*(daily|hourly|weekly|monthly)\b)", flags);
  // Whether a count is of data the writer holds: "we have 8,000 clauses", "records for 30,000
  // members", "80k historical loans", "12k DICOMs with RLE masks", "1,460 houses to learn from".
  static const Regex held_before(R"(\b(have|has|had|got|hold|collected|gathered|labell?ed|annotated|rated|measured|tested|screened|records for|(data ?set|table|database|corpus|archive|history|collection|log) of|(history|histories|records)\s*[,:(-]|trained on|train on|training set of|(training|labell?ed|annotated) (data|set|examples)( (is|are) [a-z]+)?\s*[:(-]|(learn\w*|train\w*) from(\s+(the|our|all|its|their))?)\s+(about|around|roughly|some|over|nearly|almost|only|just)?\s*~?\s*$)", flags);
  // Items measured, tested or screened are data held too ("2,400 measured alloys", "18k screened
  // compounds").
  static const Regex held_after(R"(^[^.;]{0,30}?\b(labell?ed|annotated|historical|past|measured|tested|screened|assayed|sequenced|surveyed|with ([a-z]+ )?(labels?|masks?|boxes|annotations?|outcomes?|ratings?|answers?|values|measurements?|targets?)|to (learn|train) from|for training|to start|already (labell?ed|rated|annotated|tagged|sorted|classified|booked|routed|matched|closed))\b)", flags);
  // The things a count is for or of ("forecast for 30k products", "alt text for the 40,000 photos",
  // "which 12 articles") are the workload, not the data.
  static const Regex workload_before(R"(\b(of|across|which|top|each|every|per)\s+(the\s+|our\s+|all\s+|its\s+|their\s+|these\s+|those\s+|my\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
  // What the model is to be run on ("tag our 1.2M product images", "search over our 2M articles",
  // "translate these 400 pages") is the workload: the verb of the task acts on the count.
  static const Regex acted_on(R"(\b(tag|label|classify|sort|caption|describe|translate|transcribe|summari[sz]e|search|index|embed|rank|score|moderate|route|process|check|scan|review|over|through)\s+(all\s+)?(the|our|these|those|my|its|their)\s+(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
  // What comes in each morning is a load ("every morning I get around 300 articles").
  // So is what is handled each week or month ("every week someone reads ~2,000 support tickets").
  static const Regex load_before(R"(\b(every|each)\s+(morning|evening|night|day|weekday|hour|week|month)\b[^.;\d]{0,30}$)", flags);
  // Counts of what is shown or returned ("show 10 other products", "the 5 most similar").
  static const Regex shown(R"(\b(other|more|similar|related|recommended|best|top|next|most)\b)", flags);
  // What a model is trained or fine-tuned on is its data ("fine tune a small LLM on our 3k wiki pages").
  static const Regex trained_on(R"(\b(train|trained|training|retrain\w*|fine[- ]?tun\w*|finetun\w*)\b[^.;]{0,40}?\bon\s+(all\s+)?(our|my|the|its|their|these|those)?\s*(own\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
  auto held = [&](const Match& m) {
    const std::size_t pos = static_cast<std::size_t>(m.position()), end = pos + static_cast<std::size_t>(m.length());
    // Searched from after the digits: the point of "1.46 million past trips" ends no sentence.
    const std::size_t digits = pos + static_cast<std::size_t>(m.length(1));
    return context_before(t, pos, 30, held_before) || context_before(t, pos, 70, trained_on) || regex_search(t.substr(digits, end - digits + 40), held_after);
  };
  // The labelled units inside counted containers are the examples: "510 annotated contracts with
  // about 13,000 labelled clauses" holds 13,000 examples, the clauses a model is taught on.
  static const Regex inner_count(R"(^\s*,?\s*(with|containing|holding|of which)\s+(about|around|roughly|some|over|nearly|almost)?\s*~?\s*)" + kNum +
                                      R"(\s+(labell?ed|annotated|tagged|rated|graded)\s+[a-z])", flags);
  auto take_count = [&](const Match& m) {
    Match inner;
    const std::string after = t.substr(static_cast<std::size_t>(m.position() + m.length()), 60);
    if (regex_search(after, inner, inner_count)) {
      c.data_samples = number(inner, 3);
      note(inner);
    } else {
      c.data_samples = number(m, 1);
      note(m);
    }
  };
  each_match(t, samples, [&](const Match& m) {
    if (c.data_samples) return;
    const std::size_t pos = static_cast<std::size_t>(m.position()), end = pos + static_cast<std::size_t>(m.length());
    if (regex_search(t.substr(end, 30), rate_after)) return;  // a rate, not a data set
    // A count per item ("~40 photos of every car we take in", "6 images per parcel") is how each
    // item is seen, not a data set.
    static const Regex per_item(R"(^\s+((of|per|for)\s+(every|each|a|one)\b|per\s+[a-z]))", flags);
    if (regex_search(t.substr(end, 20), per_item) && !held(m)) return;
    // A count of cases within a count of items ("52 frauds out of 11906 transactions") gives the
    // items as the data set: the cases are its positive labels.
    static const Regex within_count(R"(\d\s*[a-z-]+\s+out\s+of\s+(about|around|roughly|~)?\s*~?\s*$)", flags);
    if (context_before(t, pos, 30, within_count)) { take_count(m); return; }
    // What the task's verb acts on with no article between ("machine-translate ~12k product
    // descriptions", "transcribe 300 calls") is the workload too.
    static const Regex acted_on_bare(R"(\b(translate|transcribe|caption|summari[sz]e|subtitle|dub|index|embed)\s+(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
    if ((context_before(t, pos, 20, workload_before) || context_before(t, pos, 40, acted_on) || context_before(t, pos, 24, acted_on_bare)) && !held(m)) return;
    // The count of a noun the task's verb already took as its object in the same sentence
    // ("translate our app's help articles into Spanish, about 1,800 articles") is how much there
    // is to process, not examples held.
    {
      const std::string noun = m[4].str();
      const std::string stem = noun.size() > 3 && noun.back() == 's' ? noun.substr(0, noun.size() - 1) : noun;
      const std::size_t start = t.find_last_of(".;!?", pos) == std::string::npos ? 0 : t.find_last_of(".;!?", pos) + 1;
      // Compiled once per noun (the compile cost more than the search), in a bounded per-thread cache:
      // arbitrary text brings arbitrary nouns.
      static thread_local std::map<std::string, Regex> object_before_of;
      auto compiled = object_before_of.find(stem);
      if (compiled == object_before_of.end()) {
        if (object_before_of.size() >= 256) object_before_of.clear();
        compiled = object_before_of.emplace(stem, Regex(R"(\b(tag|label|classify|sort|caption|describe|translate|transcribe|summari[sz]e|search|index|embed|rank|score|moderate|route|process|check|scan|review)\s+(all\s+)?(the|our|these|those|my|its|their)\s+([a-z'-]+\s+){0,3}?)" + stem + R"(s?\b)", flags)).first;
      }
      const Regex& object_before = compiled->second;
      if (!held(m) && regex_search(t.substr(start, pos - start), object_before)) return;
    }
    if (context_before(t, pos, 50, load_before) || regex_search(m.str(), shown)) return;
    // Rows and records that a request finds, matches or cleans among ("find the records that are
    // probably the same person; 300k rows") are the table it acts on, not examples with an answer:
    // only a prediction or classification from them ("predict whether ...; 200k rows"), or a word
    // that they are held or labelled, makes them training data.
    {
      static const Regex table_unit(R"(^(rows?|records?|entries|entry)$)", flags);
      static const Regex acts_on(R"(\b(find|finds|match|matches|matching|dedup\w*|de-dup\w*|merge|merging|link|linking|clean|cleaning|compare|comparing)\b)", flags);
      static const Regex predicts(R"(\b(predict\w*|classif\w*|forecast\w*|train\w*|learn\w*|label\w*|estimat\w*|score|scoring)\b)", flags);
      if (regex_match(m[4].str(), table_unit) && !held(m) && regex_search(t, acts_on) && !regex_search(t, predicts)) return;
    }
    // What sits in a store to be searched or processed ("~90k tickets in the backlog", "the 3M
    // items in our catalogue") is the search space, not examples to learn from, unless held as such.
    static const Regex in_store(R"(^\s*(sitting\s+|stored\s+|already\s+)?(in|on|across)\s+(the|our|its|their|a|an)\s+([a-z-]+\s+)?(backlog|archive|catalogu?e|collection|library|inbox|index|repository|repo|wiki|knowledge base|queue|website|site|shop|store|system|tracker)\b)", flags);
    if (regex_search(t.substr(end, 40), in_store) && !context_before(t, pos, 30, held_before)) return;
    // A count that holds something else ("our policies live in 150 Word documents", "spread across
    // 40 PDFs") says where the text is kept, not how many examples there are to learn from.
    static const Regex container_before(R"(\b(in|across|inside|within|among)\s+(our\s+|the\s+|about\s+|around\s+|some\s+|roughly\s+)?~?\s*$)", flags);
    if (context_before(t, pos, 24, container_before) && !held(m)) return;
    // What a forecast is made for ("forecast daily sales ... for ~30k products") are the series.
    static const Regex forecast_for(R"(\b(forecast|predict|project)\w*\b[^.;]{0,60}\bfor\s+(the\s+|our\s+|all\s+|each\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
    if (context_before(t, pos, 80, forecast_for) && !held(m)) return;
    // The second number of a range ("3-4 sentence"), or a count before a singular noun, which makes
    // it a size ("a 3 sentence summary"), is no data set.
    if (pos >= 2 && t[pos - 1] == '-' && std::isdigit(static_cast<unsigned char>(t[pos - 2]))) return;
    const std::string noun = m[4].str();
    static const Regex data_noun_next(R"(^\s+)" + kDataNouns + R"(\b)", flags);
    if (number(m, 1) > 1 && noun.back() != 's' && noun != "spectra" && end + 1 < t.size() && t[end] == ' ' &&
        std::isalpha(static_cast<unsigned char>(t[end + 1])) && !regex_search(t.substr(end, 24), data_noun_next))
      return;
    // "80k product listings": the noun is the last of the words ("listings"), the count still data.
    // A handful without a word that they are held is an arity ("whether two questions"), not data.
    if (number(m, 1) < 10 && !held(m)) return;
    take_count(m);
  });
  // Any other noun counts as data when the text says it is held or labelled ("we have 1,378 essays").
  static const Regex counted(kNum + R"(\s+([a-z][a-z'-]*\s+){0,2}[a-z][a-z'-]*)", flags);
  each_match(t, counted, [&](const Match& m) {
    if (c.data_samples || !held(m)) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (regex_search(t.substr(end, 16), rate_after)) return;
    // The words matched may run into the period itself ("about 12 thousand transcripts a month"):
    // read the rate from the end of the number on.
    const std::size_t number_end = static_cast<std::size_t>(m[2].matched ? m.position(2) + m.length(2) : m.position(1) + m.length(1));
    if (regex_search(t.substr(number_end, 40), rate_after)) return;
    static const Regex not_data(R"(^\S+\s+(%|percent|years?|months?|weeks?|days?|hours?|hrs?|h|minutes?|mins?|seconds?|ms|fps|classes|categories|columns|features|gb|mb|kb|tb)\b)", flags);
    // What holds or makes data (vans, staff, cameras, sensors) is not the data.
    static const Regex assets(R"(^\S+\s+(\w+\s+)?(vans?|trucks?|cars?|vehicles?|drivers?|employees?|staff|nurses?|technicians?|teams?|machines?|servers?|gpus?|nodes?|stores?|shops?|branches|sites?|buildings?|offices?|warehouses?|cameras?|sensors?|devices?|robots?|factories|plants?|forklifts?|tractors?|drones?|bikes?|scooters?|ships?|boats?|planes?|aircraft|trains?|buses|lorries|pumps?|turbines?|engines?|printers?|phones?|laptops?|stations?|depots?)\b)", flags);
    if (regex_search(m.str(), assets)) return;
    // "8 x H100", "4× A100": a count of machines or cards, written as a multiplication; "8 RTX
    // 4090s" (the name masked to spaces before the numbers are read) counts cards too.
    static const Regex times(R"(^\S+(\s*(x|×)\s|\s{4,}))", flags);
    if (regex_search(m.str(), times)) return;
    if (regex_search(m.str(), not_data)) return;
    take_count(m);
  });
  // Classes: "12 classes", "350 SKUs", "12 weed species", or a list "normal / pneumonia / covid".
  // One describing word may sit between: "12 weed species", "5 plant diseases".
  static const Regex classes(kNum + R"(\+?\s+((different|distinct|named|output|target)\s+)?([a-z]+\s+)?(classes|categories|labels|species|breeds|types|kinds|intents|emotions|genres|skus|diseases|conditions|varieties|cultivars|topics|departments|tags|grades|entity types|defect types|commands|keywords|moods|styles|queues|teams|buckets|groups|outcomes|levels|severities|stages|signs|gestures|dishes|labels|classes|sections|folders|dialects|accents|speakers|instruments|actions|activities|exercises|poses|faults|animals|birds|plants|vehicles)\b)", flags);
  each_match(t, classes, [&](const Match& m) {
    // Products counted for a forecast or a catalogue ("demand for 20,000 SKUs") are series, not classes.
    static const Regex series_before(R"(\b(for|of|across)\s+(the\s+|our\s+|all\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
    if (m.str().find("sku") != std::string::npos && context_before(t, static_cast<std::size_t>(m.position()), 20, series_before))
      return;
    if (!c.classes) { c.classes = number(m, 1); note(m); }
  });
  if (!c.classes) {
    // Sorting into a counted set names the classes whatever the noun: "auto-sorted into 9 views",
    // "split the mail into 6 piles".
    static const Regex into_n(R"(\b(sort|sorted|sorting|classif\w*|categori[sz]\w*|split|group|grouped|bucket\w*|file|filed|route|routed|divide|divided)\s+([a-z]+\s+){0,3}?into\s+(\d+)\s+[a-z])", flags);
    Match m;
    if (regex_search(t, m, into_n)) {
      c.classes = std::stod(m[3].str());
      note(m);
    }
  }
  if (!c.classes) {
    // One out of a counted set is a class: "which of 28 locations", "one of our 9 team inboxes",
    // "subject area (40 of them)", "the closest of our 900 occupation codes".
    static const Regex one_of(R"(\b(which|one|closest|nearest|best|best-matching|most similar|right) of (the |our |these |those |their )?(\d+)\s+[a-z]|\((\d+) of them\))", flags);
    Match m;
    if (regex_search(t, m, one_of)) {
      c.classes = std::stod(m[3].matched ? m[3].str() : m[4].str());
      note(m);
    }
  }
  if (!c.classes) {
    // "as normal, cavitation or bearing damage", "into billing, tech or sales", "sick or healthy"
    // An "or" list after a verb of sorting (2 or more items), or an "and" list after a verb of
    // tagging, counting or extracting ("tag ... with dunks, fouls and timeouts", "count pallets and
    // cartons", "blank out names, addresses and IBANs"): each item one to three words.
    static const Regex or_list(R"(\b(as|into|between|whether|if|tell|classify|sort|route|label|labell?ed|tag|tagged|is|are|says?|to|approve|sounds?|looks?|seems?|feels?)\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)*)\s*,?\s+or\s+[a-z-]+|\b(with|count|extract|contour|detect|tell|segment|outline|mask|redact|highlight|pick out|pull out|pull|anonymi[sz]e|blank out|black out|boxe?s? around)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)((?:\s*,\s*(?:[a-z-]+\s+){0,2}[a-z-]+)*)\s*,?\s+and\s+[a-z-]+)", flags);
    static const Regex tagging(R"((tag|label|annotat|mark|classif|categori|sort))", flags);
    static const Regex verb_last(R"(\s(draw|put|mark|tell|show|send|alert|return|give|warn|notify|save|store|crop|blur|track|then|make)$)", flags);
    each_match(t, or_list, [&](const Match& m) {
      if (c.classes) return;
      if (m[4].str() == "with" && !context_before(t, static_cast<std::size_t>(m.position()), 50, tagging)) return;
      if (regex_search(m.str(), verb_last)) return;
      // "hate speech or not": one kind and its absence, a yes/no question, not a list of classes.
      if (m[1].matched && m.str().size() >= 7 && m.str().compare(m.str().size() - 7, 7, " or not") == 0) return;
      const std::string rest = m[1].matched ? m[3].str() : m[6].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    });
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
    // A list after a dash or colon, at least three items: "which instrument - guitar, piano,
    // violin, drums or voice"; or "PET vs HDPE vs glass" (two "vs" at least: "accuracy vs speed"
    // is a trade-off, not classes). \x13: what std::regex made of the "\u2013" once written here
    // (its low byte; an en dash is three bytes of UTF-8), kept so that the answers stay the same.
    static const Regex dash_list(R"([-:\x13]\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)+)\s*,?\s+(or|and)\s+[a-z-]+)", flags);
    static const Regex vs_list(R"([a-z0-9-]+((?:\s+(?:vs\.?|versus)\s+[a-z0-9-]+){2,}))", flags);
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
    static const Regex kinds_named(R"(\b(classes|categories|labels|species|breeds|kinds|types|intents|emotions|genres|diseases|exercises|actions|activities|gestures|poses|signs|commands|keywords|sounds|moods|defects|faults|grades|outcomes)(?:\s*[,:]|\s+(?:are|were|include|includes))\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)*)\s*,?\s+(and|or)\s+(?:[a-z'-]+\s+){0,2}[a-z'-]+\s*([,.;:)]|$|\s(from|in|on|with|at|for|using)\b))", flags);
    static const Regex stop_first(R"(^(and|or|the|a|an|we|i|it|they|but|so|with|from|each|all|then|which|that)\b)", flags);
    Match m;
    if (regex_search(t, m, kinds_named) && !regex_search(m[2].str(), stop_first)) {
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
      const std::size_t sentence = t.find_last_of(".;!?", pos);
      const std::size_t from = sentence == std::string::npos ? 0 : sentence + 1;
      if (m[3].str() == "or" && regex_search(t.substr(from, pos - from), which_before)) {
        const std::string rest = m[2].str();
        c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
        note(m);
      } else {
        bracket_from = pos, bracket_to = pos + static_cast<std::size_t>(m.length());
      }
    }
  }
  if (!c.classes) {
    // Two outcomes of a decision ("approve or decline", "accept or reject"), or a pair standing alone
    // between punctuation ("movie reviews, positive or negative, 50k reviews"), or "tell a knocking
    // compressor from a normal one" (but not "tell the species from a photo": that is the input).
    static const Regex decision(R"(\b(approve|accept|pass|keep|allow|admit|hire|buy)\s+or\s+(reject|decline|deny|fail|discard|block|refuse|sell|drop)\b)", flags);
    static const Regex pair(R"((^|[,;:(])\s*([a-z-]+)\s+or\s+([a-z-]+)\s*([,;.)]|$))", flags);
    static const Regex tell_from(R"(\btell\s+(a|an|the)?\s*([a-z-]+\s+){0,2}?[a-z-]+\s+(apart\s+)?from\s+(a|an|the)?\s*(([a-z-]+\s+){0,2}[a-z-]+))", flags);
    static const Regex one_word(R"(\bones?\b)", flags);  // compiled once, not per match
    static const Regex input_words(R"(\b(photos?|images?|pictures?|videos?|recordings?|sounds?|audio|text|data|camera|scans?|its|their|the)\b)", flags);
    static const Regex pair_stop(R"(^(and|the|a|not|more|less|less|one|two|so|it|them)$)", flags);
    Match m;
    if (regex_search(t, m, decision)) {
      c.classes = 2;
      note(m);
    } else if (regex_search(t, m, pair) && !regex_match(m[2].str(), pair_stop) && !regex_match(m[3].str(), pair_stop) &&
               !(static_cast<std::size_t>(m.position()) >= bracket_from && static_cast<std::size_t>(m.position()) < bracket_to)) {
      c.classes = 2;
      note(m);
    } else if (regex_search(t, m, tell_from) &&
               (!regex_search(m[5].str(), input_words) || regex_search(m[5].str(), one_word))) {
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
      if (c.classes || !context_before(t, static_cast<std::size_t>(m.position()), 25, list_words)) return;
      const std::string s = m.str();
      c.classes = static_cast<double>(std::count(s.begin(), s.end(), '/') + 1);
      note(m);
    });
  }
  return c;
}

Doc Constraints::doc() const {
  Doc d = Doc::map();
  auto put = [&](const char* key, const std::optional<double>& v) {
    if (v) d.set(key, *v);
  };
  put("latency_s", latency_s);
  put("throughput_fps", throughput_fps);
  put("accuracy_min", accuracy_min);
  put("memory_bytes", memory_bytes);
  put("energy_kwh_max", energy_kwh_max);
  put("co2e_kg_max", co2e_kg_max);
  put("data_samples", data_samples);
  put("data_hours", data_hours);
  put("data_bytes", data_bytes);
  put("classes", classes);
  if (image_size_px) {
    Doc& size = d["image_size_px"] = Doc::list();
    size.push(image_size_px->first);
    size.push(image_size_px->second);
  }
  return d;
}

}  // namespace sml::describe
