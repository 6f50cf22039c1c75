// The data a statement holds to learn from: a volume of text, hours of recordings, a count of
// examples; told apart from load (what comes in a day) and workload (what the model is run on).
#include "constraint_readers.hpp"

#include <map>

namespace sml::describe {

using number_text::context_before;
using number_text::kNum;
using number_text::number;

void read_data(const std::string& t, Constraints& c) {
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
  const auto flags = Regex::ECMAScript;
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
  // Hours of work are no recordings: "8 hours of training and two hours of inference" are a budget.
  // A word of work that describes the data ("50 hours of training audio", "1,000 hours of work-site
  // video", "200 hours of time-series recordings") leaves them recordings: the word is work only where
  // no data noun follows it, and it ends where no letter, digit or hyphen goes on.
  static const Regex hours(kNum + R"(\s*(hours?|hrs?|h)\s+of\s+(?!(training|inference|compute|computation|computing|gpu|cpu|tpu|run ?time|running|processing|work|labou?r|effort|waiting|downtime|uptime|battery|use|usage|time|sleep)(?![\w-])(?!(\s+[a-z-]+)?\s+()" +
                           kDataNouns + R"(|audio|speech|data|video|videos|recordings?|footage)\b))[a-z])", flags);
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
  // "1024 x 1024 images" is a size: an "x" after the count multiplies, it counts nothing.
  static const Regex samples(kNum + R"(\+?\s+((?!(?:x|of|from|with|in|on|for|and|or|most|per|the|a|to|by|at|than|over|into|ms|s|sec|secs|seconds?|min|mins|minutes?|hours?|hrs?|h|kb|mb|gb|tb|kib|mib|gib|fps|hz|khz|px|pixels?|bits?|bytes?|%)\b)[a-z0-9-]+\s+){0,3}?)" + kDataNouns + R"(\b)", flags);
  // A count followed by a period is a load ("3k tickets/day", "50k a day", "200 per hour"), not data.
  // A word or two may stand between: "150 earnings call transcripts a week".
  static const Regex rate_after(R"(^(\s*[a-z-]+){0,2}?\s*((a|per|each|every|an)\s+|/\s*)(day|hour|minute|min|second|sec|s|week|month|year|h|d)\b|^(\s*[a-z-]+){0,2}?\s*(daily|hourly|weekly|monthly)\b)", flags);
  // Whether a count is of data the writer holds: "we have 8,000 clauses", "records for 30,000
  // members", "80k historical loans", "12k DICOMs with RLE masks", "1,460 houses to learn from".
  static const Regex held_before(R"(\b(have|has|had|got|hold|holds|holding|contains|containing|collected|gathered|labell?ed|annotated|rated|measured|tested|screened|records for|(data ?set|table|database|corpus|archive|history|collection|log) of|(history|histories|records)\s*[,:(-]|trained on|train on|training set of|(training|labell?ed|annotated) (data|set|examples)( (is|are) [a-z]+)?\s*[:(-]|(learn\w*|train\w*) from(\s+(the|our|all|its|their))?)\s+(about|around|roughly|some|over|nearly|almost|only|just)?\s*~?\s*$)", flags);
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
  // Whatever the items, a collection only searched or matched among, with no word of learning,
  // labels or prediction anywhere ("I have about 100k English sentences and want to find the same
  // meaning in Arabic", "find duplicate questions in our forum, 300k posts") is the search space,
  // not data to learn from, even when held.
  static const Regex searched(R"(\b(search\w*|look\s+up|retriev\w*|duplicates?|closest|nearest|most similar|same meaning|near-duplicates?)\b)", flags);
  static const Regex learning(R"(\b(predict\w*|classif\w*|forecast\w*|train\w*|learn\w*|label\w*|estimat\w*|score|scoring|fine-?tun\w*|finetun\w*|annotat\w*|supervis\w*|examples?|ground truth)\b)", flags);
  const bool only_searched = regex_search(t, searched) && !regex_search(t, learning);
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
    // Requests served together ("serve about 100 requests at the same time") are concurrency.
    static const Regex together(R"(^\s*(at the same time|at once|at a time|concurrently|simultaneously|in parallel)\b)", flags);
    if (regex_search(t.substr(end, 30), together)) return;
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
    // What is to be made, or made for ("generate 10,000 synthetic images", "write alt text for the
    // 40,000 product photos"), is the output's workload too.
    static const Regex made(R"(\b(generate|produce|create|write|render|synthesi[sz]e)\b([^.;,\d]{0,30}?\bfor)?\s+(all\s+)?(the\s+|our\s+|these\s+|those\s+|my\s+|its\s+|their\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
    if ((context_before(t, pos, 20, workload_before) || context_before(t, pos, 40, acted_on) || context_before(t, pos, 24, acted_on_bare) ||
         context_before(t, pos, 50, made)) && !held(m))
      return;
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
      if (only_searched) return;
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
    // So is the upper end of a range written with "to" or a dash ("clips of 8 to 32 frames"): a size.
    static const Regex range_before(R"(\d\s*(-|–|to)\s*$)", flags);
    if (context_before(t, pos, 8, range_before)) return;
    // Nor is the second side of a size ("1024 x 1024 images", "64×64 crops").
    static const Regex times_before(R"(\d\s*(x|\*|\xC3\x97)\s*$)", flags);
    if (context_before(t, pos, 8, times_before)) return;
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
    if (c.data_samples || only_searched || !held(m)) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (regex_search(t.substr(end, 16), rate_after)) return;
    // The words matched may run into the period itself ("about 12 thousand transcripts a month"):
    // read the rate from the end of the number on.
    const std::size_t number_end = static_cast<std::size_t>(m[2].matched ? m.position(2) + m.length(2) : m.position(1) + m.length(1));
    if (regex_search(t.substr(number_end, 40), rate_after)) return;
    static const Regex not_data(R"(^\S+\s+(%|percent|years?|months?|weeks?|days?|hours?|hrs?|h|minutes?|mins?|seconds?|ms|fps|classes|categories|columns|features|gb|mb|kb|tb)\b)", flags);
    // What holds or makes data (vans, staff, cameras, sensors) is not the data; nor are the people who
    // do the work ("we have 3 engineers and 2 GPUs": the team, not examples).
    static const Regex assets(R"(^\S+\s+(\w+\s+)?(vans?|trucks?|cars?|vehicles?|drivers?|employees?|staff|nurses?|technicians?|engineers?|developers?|devs|data scientists?|scientists?|analysts?|annotators?|labell?ers?|interns?|volunteers?|researchers?|teams?|machines?|servers?|gpus?|nodes?|stores?|shops?|branches|sites?|buildings?|offices?|warehouses?|cameras?|sensors?|devices?|robots?|factories|plants?|forklifts?|tractors?|drones?|bikes?|scooters?|ships?|boats?|planes?|aircraft|trains?|buses|lorries|pumps?|turbines?|engines?|printers?|phones?|laptops?|stations?|depots?)\b)", flags);
    if (regex_search(m.str(), assets)) return;
    // "8 x H100", "4× A100": a count of machines or cards, written as a multiplication; "8 RTX
    // 4090s" (the name masked to spaces before the numbers are read) counts cards too.
    static const Regex times(R"(^\S+(\s*(x|×)\s|\s{4,}))", flags);
    if (regex_search(m.str(), times)) return;
    if (regex_search(m.str(), not_data)) return;
    take_count(m);
  });
}

}  // namespace sml::describe
