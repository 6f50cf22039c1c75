#include "sml/describe/constraints.hpp"
#include "sml/io/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>

namespace sml::describe {
namespace {

// A number as people write it: 40k, 1.2M, 10,000, 2.5, 1 million.
const std::string kNum = R"(((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(k|m|million|thousand|bn|billion)?)";

double number(const std::smatch& m, std::size_t group) {
  std::string digits = m[group].str();
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  double v = std::stod(digits);
  const std::string suffix = m[group + 1].str();
  if (suffix == "k" || suffix == "thousand") v *= 1e3;
  else if (suffix == "m" || suffix == "million") v *= 1e6;
  else if (suffix == "bn" || suffix == "billion") v *= 1e9;
  return v;
}

// Does one of WORDS occur in the CHARS characters before position POS of TEXT?
bool context_before(const std::string& text, std::size_t pos, std::size_t chars, const std::regex& words) {
  const std::size_t start = pos > chars ? pos - chars : 0;
  return std::regex_search(text.substr(start, pos - start), words);
}

// Calls FN for each match that starts a word (not the "0" of "B0" or the "1" of "v100").
template <typename F>
void each_match(const std::string& text, const std::regex& re, F&& fn) {
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    const auto pos = static_cast<std::size_t>(it->position());
    if (pos > 0 && (std::isalnum(static_cast<unsigned char>(text[pos - 1])) || text[pos - 1] == '.')) continue;
    fn(*it);
  }
}

// "three defect types" reads as "3 defect types".
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

bool whole_word_at(const std::string& text, std::size_t pos, std::size_t len) {
  const bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(text[pos - 1]));
  const bool right = pos + len >= text.size() || !std::isalnum(static_cast<unsigned char>(text[pos + len]));
  return left && right;
}

// The longest known name found as whole words in TEXT (the name itself in MATCHED).
std::optional<std::string> find_name(const std::string& text, const std::vector<std::pair<std::string, std::string>>& names,
                                     std::vector<std::string>& matched) {
  std::size_t best_len = 0;
  std::optional<std::string> best;
  std::string best_name;
  for (const auto& [name, id] : names) {
    if (name.size() < 2 || name.size() <= best_len) continue;
    for (std::size_t pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + 1))
      if (whole_word_at(text, pos, name.size())) {
        best_len = name.size();
        best = id;
        best_name = name;
        break;
      }
  }
  if (best) matched.push_back(best_name);
  return best;
}

}  // namespace

Constraints parse_constraints(const std::string& original) {
  const std::string t = digits_for_number_words(to_lower(original));
  Constraints c;
  auto note = [&](const std::smatch& m) { c.evidence.push_back(m.str()); };
  // The text is lower-cased already: std::regex::icase would only make each pattern several times slower to
  // compile (a case-folded matcher for each of 256 characters per bracket), at every start-up.
  const auto flags = std::regex::ECMAScript;

  // Latency: milliseconds are always a latency; seconds only next to words that make them one.
  static const std::regex ms(kNum + R"(\s*(ms|msec|milliseconds?)\b)", flags);
  static const std::regex sec(kNum + R"(\s*(s|sec|secs|seconds?)\b(?!\s*(of|long|clips?|audio|windows?|segments?)))", flags);
  static const std::regex latency_words(R"((under|below|within|less than|at most|max|maximum|latency|respond|response|p9\d|<))", flags);
  each_match(t, ms, [&](const std::smatch& m) {
    if (!c.latency_s) { c.latency_s = number(m, 1) / 1000; note(m); }
  });
  static const std::regex minutes(kNum + R"(\s*(min|mins|minutes?)\b)", flags);
  each_match(t, minutes, [&](const std::smatch& m) {
    if (!c.latency_s && context_before(t, static_cast<std::size_t>(m.position()), 30, latency_words) &&
        !std::regex_search(t.substr(static_cast<std::size_t>(m.position() + m.length()), 12), std::regex(R"(^\s*(of|long|clips?|audio|video))"))) {
      c.latency_s = number(m, 1) * 60;
      note(m);
    }
  });
  each_match(t, sec, [&](const std::smatch& m) {
    if (!c.latency_s && context_before(t, static_cast<std::size_t>(m.position()), 30, latency_words)) {
      c.latency_s = number(m, 1);
      note(m);
    }
  });
  // Throughput.
  static const std::regex fps(kNum + R"(\s*(fps|frames?\s*(per|a|/)\s*s(ec(ond)?)?|images?\s*(per|a|/)\s*s(ec(ond)?)?|img/s|[a-z]+\s*/\s*s\b|[a-z]+ per second))", flags);
  each_match(t, fps, [&](const std::smatch& m) {
    if (!c.throughput_fps) { c.throughput_fps = number(m, 1); note(m); }
  });
  // Accuracy: a percentage next to "accuracy", "accurate", "top-1".
  static const std::regex acc1(R"((accuracy|accurate|top-?1|correct)[^.%\d]{0,25}?)" + kNum + R"(\s*(%|percent))", flags);
  static const std::regex acc2(kNum + R"(\s*(%|percent)\s*(top-?1\s*)?([a-z]+\s+){0,2}(accuracy|accurate|correct|correctly|right))", flags);
  each_match(t, acc1, [&](const std::smatch& m) {
    if (!c.accuracy_min) { c.accuracy_min = number(m, 2) / 100; note(m); }
  });
  each_match(t, acc2, [&](const std::smatch& m) {
    if (!c.accuracy_min) { c.accuracy_min = number(m, 1) / 100; note(m); }
  });
  // Memory: a size that is a limit (RAM, flash, model size), not data ("3 GB of text").
  static const std::regex mem(kNum + R"(\s*(kb|mb|gb|tb|kib|mib|gib|tib)\b(?!\s*of\s+(?!ram|memory|flash|vram)))", flags);
  static const std::regex mem_before(R"((ram|memory|flash|vram|fit in|fits in|fit into|within|model size|model under|under|at most|max|less than|smaller than|footprint|limit|budget|only|has))", flags);
  static const std::regex mem_after(R"(^\s*(of\s+)?(ram|memory|flash|vram|model|footprint|limit))", flags);
  each_match(t, mem, [&](const std::smatch& m) {
    if (c.memory_bytes) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (!context_before(t, static_cast<std::size_t>(m.position()), 30, mem_before) &&
        !std::regex_search(t.substr(end, 20), mem_after))
      return;
    const std::string u = m[3].str();
    const double unit = u == "kb" ? 1e3 : u == "mb" ? 1e6 : u == "gb" ? 1e9 : u == "tb" ? 1e12 : u == "kib" ? 1024.0
                      : u == "mib" ? 1048576.0 : u == "gib" ? 1073741824.0 : 1099511627776.0;
    c.memory_bytes = number(m, 1) * unit;
    note(m);
  });
  // Energy and carbon budgets.
  static const std::regex energy(kNum + R"(\s*(kwh|mwh|wh)\b)", flags);
  static const std::regex budget_words(R"((budget|under|below|at most|max|maximum|less than|within|limit|cap|no more than|keep))", flags);
  each_match(t, energy, [&](const std::smatch& m) {
    if (c.energy_kwh_max || !context_before(t, static_cast<std::size_t>(m.position()), 40, budget_words)) return;
    const std::string u = m[3].str();
    c.energy_kwh_max = number(m, 1) * (u == "mwh" ? 1000 : u == "wh" ? 0.001 : 1);
    note(m);
  });
  static const std::regex co2(kNum + R"(\s*(kg|kilograms?|t|tonnes?|tons?|g|grams?)\s*(of\s+)?(co2e?|co₂e?|carbon|emissions|ghg))", flags);
  each_match(t, co2, [&](const std::smatch& m) {
    if (c.co2e_kg_max) return;
    const std::string u = m[3].str();
    const double unit = u[0] == 'k' ? 1 : u[0] == 't' ? 1000 : 0.001;
    c.co2e_kg_max = number(m, 1) * unit;
    note(m);
  });
  // Data: hours of audio or video, or a count of samples.
  static const std::regex hours(kNum + R"(\s*(hours?|hrs?|h)\s+of\s+[a-z])", flags);
  static const std::regex horizon(R"((next|ahead|coming|last|past|every)\s*$)", flags);
  each_match(t, hours, [&](const std::smatch& m) {
    if (c.data_hours || context_before(t, static_cast<std::size_t>(m.position()), 8, horizon)) return;
    c.data_hours = number(m, 1);
    note(m);
  });
  static const std::regex samples(kNum + R"(\s+((?!(?:of|from|with|in|on|for|and|or|most|per|the|a|to|by|at|than|over|into)\b)[a-z0-9-]+\s+){0,3}?(titles?|items?|products?|calls?|requests?|answers?|responses?|letters?|notes?|reports?|descriptions?|queries|images?|photos?|pictures?|samples?|examples?|rows?|records?|sentences?|documents?|docs|tickets?|reviews?|emails?|x-?rays?|scans?|clips?|recordings?|videos?|utterances?|transactions?|articles?|questions?|pairs?|tweets?|posts?|messages?|crops?|patients?|invoices?|contracts?|papers?|listings?|comments?|dialogues?|conversations?|transcripts?|slides?|entries|spectra|signals?|sequences?|molecules?|graphs?|interactions?|sessions?|orders?|logs?|frames?)\b)", flags);
  // A count followed by a period is a load ("3k tickets/day", "50k a day", "200 per hour"), not data.
  static const std::regex rate_after(R"(^\s*((a|per|each|every|an)\s+|/\s*)(day|hour|minute|min|second|sec|s|week|month|year|h|d)\b|^\s*(daily|hourly|weekly|monthly|a day|per day))", flags);
  // Whether a count is of data the writer holds: "we have 8,000 clauses", "records for 30,000
  // members", "80k historical loans", "12k DICOMs with RLE masks", "1,460 houses to learn from".
  static const std::regex held_before(R"(\b(have|has|had|got|hold|collected|gathered|labell?ed|annotated|rated|records for|(data ?set|table|database|corpus|archive|history|collection|log) of|trained on|train on|training set of)\s+(about|around|roughly|some|over|nearly|almost|only|just)?\s*~?\s*$)", flags);
  static const std::regex held_after(R"(^[^.;]{0,30}?\b(labell?ed|annotated|historical|past|with (labels?|masks?|boxes|annotations?|outcomes?|ratings?|answers?)|to (learn|train) from|for training|to start|already (labell?ed|rated|annotated|tagged|sorted|classified))\b)", flags);
  // The things a count is for or of ("forecast for 30k products", "alt text for the 40,000 photos",
  // "which 12 articles") are the workload, not the data.
  static const std::regex workload_before(R"(\b(of|across|which|top|each|every|per)\s+(the\s+|our\s+|all\s+|its\s+|their\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
  auto held = [&](const std::smatch& m) {
    const std::size_t pos = static_cast<std::size_t>(m.position()), end = pos + static_cast<std::size_t>(m.length());
    return context_before(t, pos, 30, held_before) || std::regex_search(t.substr(pos, end - pos + 40), held_after);
  };
  each_match(t, samples, [&](const std::smatch& m) {
    if (c.data_samples) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (std::regex_search(t.substr(end, 16), rate_after)) return;  // a rate, not a data set
    if (context_before(t, static_cast<std::size_t>(m.position()), 20, workload_before) && !held(m)) return;
    c.data_samples = number(m, 1);
    note(m);
  });
  // Any other noun counts as data when the text says it is held or labelled ("we have 1,378 essays").
  static const std::regex counted(kNum + R"(\s+([a-z][a-z'-]*\s+){0,2}[a-z][a-z'-]*)", flags);
  each_match(t, counted, [&](const std::smatch& m) {
    if (c.data_samples || !held(m)) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (std::regex_search(t.substr(end, 16), rate_after)) return;
    static const std::regex not_data(R"(^\S+\s+(%|percent|years?|months?|weeks?|days?|hours?|minutes?|seconds?|ms|fps|classes|categories|columns|features|gb|mb|kb|tb)\b)", flags);
    if (std::regex_search(m.str(), not_data)) return;
    c.data_samples = number(m, 1);
    note(m);
  });
  // Classes: "12 classes", "350 SKUs", "12 weed species", or a list "normal / pneumonia / covid".
  // One describing word may sit between: "12 weed species", "5 plant diseases".
  static const std::regex classes(kNum + R"(\s+((different|distinct|named|output|target)\s+)?([a-z]+\s+)?(classes|categories|labels|species|breeds|types|kinds|intents|emotions|genres|skus|diseases|conditions|varieties|cultivars|topics|departments|tags|grades|entity types|defect types|commands|keywords|moods|styles|queues|teams|buckets|groups|outcomes|levels|severities|stages|signs|gestures|dishes|labels|classes|sections|folders|dialects|accents|speakers|instruments|actions|activities|exercises|poses|faults|animals|birds|plants|vehicles)\b)", flags);
  each_match(t, classes, [&](const std::smatch& m) {
    // Products counted for a forecast or a catalogue ("demand for 20,000 SKUs") are series, not classes.
    static const std::regex series_before(R"(\b(for|of|across)\s+(the\s+|our\s+|all\s+)?(about|around|roughly|some|over|~)?\s*~?\s*$)", flags);
    if (m.str().find("sku") != std::string::npos && context_before(t, static_cast<std::size_t>(m.position()), 20, series_before))
      return;
    if (!c.classes) { c.classes = number(m, 1); note(m); }
  });
  if (!c.classes) {
    // One out of a counted set is a class: "which of 28 locations", "one of our 9 team inboxes",
    // "subject area (40 of them)".
    static const std::regex one_of(R"(\b(which|one) of (the |our |these |those |their )?(\d+)\s+[a-z]|\((\d+) of them\))", flags);
    std::smatch m;
    if (std::regex_search(t, m, one_of)) {
      c.classes = std::stod(m[3].matched ? m[3].str() : m[4].str());
      note(m);
    }
  }
  if (!c.classes) {
    // "as normal, cavitation or bearing damage", "into billing, tech or sales", "sick or healthy"
    // An "or" list after a verb of sorting (2 or more items), or an "and" list after a verb of
    // tagging, counting or extracting ("tag ... with dunks, fouls and timeouts", "count pallets and
    // cartons", "blank out names, addresses and IBANs"): each item one to three words.
    static const std::regex or_list(R"(\b(as|into|between|whether|if|tell|classify|sort|route|label|labell?ed|tag|tagged|is|to|approve)\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)*)\s*,?\s+or\s+[a-z-]+|\b(with|count|extract|contour|detect|tell|segment|outline)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)((?:\s*,\s*(?:[a-z-]+\s+){0,2}[a-z-]+)*)\s*,?\s+and\s+[a-z-]+)", flags);
    each_match(t, or_list, [&](const std::smatch& m) {
      if (c.classes) return;
      const std::string rest = m[1].matched ? m[3].str() : m[6].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    });
  }
  if (!c.classes) {
    // A list after a dash or colon, at least three items: "which instrument - guitar, piano,
    // violin, drums or voice"; or "PET vs HDPE vs glass" (two "vs" at least: "accuracy vs speed"
    // is a trade-off, not classes).
    static const std::regex dash_list(R"([-:\u2013]\s+((?:[a-z'-]+\s+){0,2}[a-z'-]+)((?:\s*,\s*(?:[a-z'-]+\s+){0,2}[a-z'-]+)+)\s*,?\s+(or|and)\s+[a-z-]+)", flags);
    static const std::regex vs_list(R"([a-z0-9-]+((?:\s+(?:vs\.?|versus)\s+[a-z0-9-]+){2,}))", flags);
    std::smatch m;
    if (std::regex_search(t, m, dash_list)) {
      const std::string rest = m[2].str();
      c.classes = static_cast<double>(2 + std::count(rest.begin(), rest.end(), ','));
      note(m);
    } else if (std::regex_search(t, m, vs_list)) {
      const std::string s = " " + m[1].str() + " ";
      std::size_t n = 1;
      for (const char* w : {" vs ", " vs. ", " versus "})
        for (std::size_t p = s.find(w); p != std::string::npos; p = s.find(w, p + 1)) ++n;
      c.classes = static_cast<double>(n);
      note(m);
    }
  }
  if (!c.classes) {
    static const std::regex binary(R"(\b(binary (classifier|classification|label|task|problem)|yes or no|yes/no)\b)", flags);
    each_match(t, binary, [&](const std::smatch& m) {
      if (!c.classes) { c.classes = 2; note(m); }
    });
  }
  if (!c.classes) {
    static const std::regex slash_list(R"(\b([a-z][a-z-]*)(\s*/\s*[a-z][a-z-]*)+)", flags);
    static const std::regex list_words(R"((label|classif|sort|categori|either|into|tag|grade|as))", flags);
    each_match(t, slash_list, [&](const std::smatch& m) {
      if (c.classes || !context_before(t, static_cast<std::size_t>(m.position()), 25, list_words)) return;
      const std::string s = m.str();
      c.classes = static_cast<double>(std::count(s.begin(), s.end(), '/') + 1);
      note(m);
    });
  }
  return c;
}

Deployment parse_deployment(const std::string& original, const KnownNames& names) {
  const std::string t = to_lower(original);
  Deployment d;
  d.device = find_name(t, names.devices, d.mentions);
  d.region = find_name(t, names.regions, d.mentions);
  // The text is lower-cased already: std::regex::icase would only make each pattern several times slower to
  // compile (a case-folded matcher for each of 256 characters per bracket), at every start-up.
  const auto flags = std::regex::ECMAScript;
  if (!d.device) {
    // A device named but not in the catalogue: kept as text. Vendor and product-line words, or a
    // device class after "on a", "runs on", "deploy to".
    static const std::regex named(R"(\b((jetson|raspberry pi|pixel \d|iphone|ipad|galaxy [a-z]?\d|snapdragon|hailo|coral|rtx|gtx|quadro|radeon|instinct|xeon|epyc|ryzen|core i[3579]|esp32|stm32|arduino|kria|movidius|myriad|exynos|dimensity|kirin|tensor g|apple [am]\d|gaudi|inferentia|trainium|graphcore|cerebras|habana|nvidia|geforce|tesla [a-z]?\d+)[\w.+-]*(\s+(?!(board|phone|in|on|at|for|with|and|or|to|the|a|under|over|is|are)\b)[\w.+-]+){0,2}))", flags);
    static const std::regex classed(R"(\b(on|onto|using|runs? on|running on|deploy(ed)? (on|to)|inside|in)\s+(an?|the|my|our|their|one|any|cheap|old|small|low-end|mid-range)?\s*((?:[\w.+-]+\s+){0,2}?)(phone|smartphone|mobile|handset|laptop|tablet|smartwatch|watch|microcontroller|mcu|fpga|npu|desktop|pc|workstation|edge device|edge box|embedded board|board|dev board|gpu|camera)s?\b)", flags);
    std::smatch m;
    if (std::regex_search(t, m, named)) {
      d.device_text = m[1].str();
      d.mentions.push_back(*d.device_text);
    }
    if (std::regex_search(t, m, classed)) {
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
    }
  }
  static const std::regex qpd(kNum + R"(\s*([a-z-]+\s*){0,2}(a|per|each|every|/)\s*day\b|)" + kNum + R"(\s*([a-z-]+\s+){0,2}daily\b)", flags);
  std::smatch m;
  if (std::regex_search(t, m, qpd)) d.queries_per_day = m[1].matched ? number(m, 1) : number(m, 5);
  static const std::regex years(R"(\b(for|over|during|next)\s+)" + kNum + R"(\s+years?\b)", flags);
  if (std::regex_search(t, m, years)) d.years = number(m, 2);
  return d;
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
  put("classes", classes);
  return d;
}

Doc Deployment::doc() const {
  Doc d = Doc::map();
  if (device) d.set("device", *device);
  else if (device_text) {
    d["device"] = Doc();
    d.set("device_text", *device_text);
  }
  if (device_class) d.set("device_class", *device_class);
  if (region) d.set("region", *region);
  if (queries_per_day) d.set("queries_per_day", *queries_per_day);
  if (years) d.set("years", *years);
  return d;
}

}  // namespace sml::describe
