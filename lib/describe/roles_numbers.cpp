// Role rules for what is asked of an entity: which will do something (a label), a degree or a
// quantity to predict (a number), the readings of one moment (a row, not a series) (roles.hpp).
#include "role_rules.hpp"

namespace sml::describe::role_rules {

// 8. "Predict which members will cancel": which entity does something is a label per entity, not
// a future value of a quantity; "next month" says when, not what is forecast.
void which_will(const Words& ws, Reading& r) {
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!one_of(ws[i], {"predict", "tell", "know", "flag", "guess", "forecast", "identify", "find", "spot"})) continue;
    const long j = find_within(ws, i + 1, 2, {"which", "who", "whether", "if"});
    if (j < 0) continue;
    if (find_within(ws, static_cast<std::size_t>(j) + 1, 6, {"will", "likely", "going"}) < 0) continue;
    add(r, "output", "label", 1.5, ws[i] + " " + ws[static_cast<std::size_t>(j)] + " … will: a label per entity");
    take(r, "output", "future", 1);
    return;
  }
}

// 13b. A degree to predict: "predict the surface roughness of each part", "estimate the porosity",
// "predict the tensile strength". English names a measurable degree with -ness and -ity nouns and
// the -th nouns of size (length, width, depth, strength); after a verb of prediction such a noun
// is a number, whatever the item or the sensors say.
void degree_to_predict(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"predict", "estimate", "forecast", "infer", "regress", "gauge"};
  static const std::set<std::string> sizes = {"length", "width", "depth", "strength", "breadth", "height", "thickness", "growth"};
  static const std::set<std::string> stop = {"from", "with", "whether", "if", "which", "when", "who", "and", "or"};
  const auto ends = [](const std::string& w, const char* s) {
    const std::size_t n = std::char_traits<char>::length(s);
    return w.size() > n + 3 && w.compare(w.size() - n, n, s) == 0;
  };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 4; ++j) {
      if (has(stop, ws[j])) break;
      // The chance of an event ("predict the probability that a driver will file a claim", "the
      // likelihood of default") is what a classifier gives for a yes/no outcome: a label, not a
      // degree measured on the item. A distribution or density of a quantity is still a number.
      if (one_of(ws[j], {"probability", "likelihood", "chance", "possibility", "odds"}) &&
          !(j + 1 < ws.size() && one_of(ws[j + 1], {"distribution", "density", "mass", "function"}))) {
        // Said as plainly as "classify … as yes or no": the verb's own hint of a number ("estimate")
        // is the chance's, not a quantity's.
        add(r, "output", "label", 2.5, "the chance of an event: " + ws[j] + ", a yes/no label");
        if (ws[i] == "estimate") take(r, "output", "number", 0.5);
        return;
      }
      if (ends(ws[j], "ness") || ends(ws[j], "ity") || has(sizes, ws[j])) {
        // Kinds named after it ("human activities such as walking, sitting or standing", "the
        // activity, e.g. running") are classes to choose among, not a degree measured.
        if (j + 2 < ws.size() && ((ws[j + 1] == "such" && ws[j + 2] == "as") || ws[j + 1] == "like" ||
                                  (ws[j + 1] == "e" && ws[j + 2] == "g") || ws[j + 1] == "including"))
          return;
        add(r, "output", "number", 2, "a degree to predict: " + ws[j]);
        return;
      }
    }
  }
}

// 13c. A horizon of several periods after a verb of prediction ("predict the soil humidity of each
// plot for the next few days", "estimate demand over the coming 3 weeks"): values of the coming
// periods are a forecast, whatever the quantity's name says. "Which customers will leave in the
// next month" (which_will, a label per entity) is no forecast.
void horizon_to_predict(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"predict", "estimate", "forecast", "project", "anticipate", "expect"};
  static const std::set<std::string> periods = {"hour", "day", "week", "month", "quarter", "year", "season", "night", "shift"};
  static const std::set<std::string> several = {"few", "several", "couple", "two", "three", "four", "five", "six", "seven",
                                                "ten", "twelve", "fourteen", "thirty", "many"};
  if (r.cues.count("output: label") && r.outputs.count("label") && r.outputs.at("label") >= 1.5) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 1; j + 2 < ws.size() && j <= i + 14; ++j) {
      if (!one_of(ws[j], {"next", "coming", "following", "upcoming"})) continue;
      std::size_t k = j + 1;
      const bool counted = has(several, ws[k]) || std::isdigit(static_cast<unsigned char>(ws[k][0]));
      if (!counted) continue;
      if (ws[k] == "couple" && k + 1 < ws.size() && ws[k + 1] == "of") ++k;
      if (k + 1 < ws.size() && has(periods, ws[k + 1])) {
        add(r, "output", "future", 2, "a horizon of several periods: the " + ws[j] + " " + ws[j + 1] + " " + ws[k + 1]);
        return;
      }
    }
  }
}

// 13d. A quantity asked for in a unit, or what is left of something: "predict the wear of each
// tool in micrometres", "estimate how many hours each disk has left before it fails", "the
// remaining useful life of each gearbox". A unit of measure or a count of what remains is a
// number, however much the sensors, the failures or the items sound like fault monitoring.
void quantity_to_predict(const Words& ws, Reading& r) {
  static const std::set<std::string> verbs = {"predict", "estimate", "forecast", "infer", "regress", "gauge", "calculate"};
  // Units of measure, singular (the words are compared with a plural "s" or "es" taken off).
  static const std::set<std::string> units = {
      "micrometre", "micrometer", "micron", "millimetre", "millimeter", "centimetre", "centimeter", "metre", "meter",
      "kilometre", "kilometer", "mm", "cm", "km", "inch", "feet", "foot", "mile", "second", "minute", "hour", "day", "week",
      "month", "year", "cycle", "degree", "celsius", "fahrenheit", "kelvin", "gram", "kilogram", "kg", "tonne", "ton",
      "litre", "liter", "euro", "dollar", "pound", "percent", "kwh", "watt", "kw", "mw", "bar", "pascal", "kpa", "mpa",
      "newton", "hz", "decibel", "db", "rpm", "volt", "ampere", "lux", "ppm"};
  static const std::set<std::string> left = {"left", "remain", "remaining", "remains"};
  const auto singular = [](const std::string& w) {
    if (w.size() > 4 && w.compare(w.size() - 2, 2, "es") == 0 && units.count(w.substr(0, w.size() - 2))) return w.substr(0, w.size() - 2);
    if (w.size() > 2 && w.back() == 's') return w.substr(0, w.size() - 1);
    return w;
  };
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    // "remaining useful life", "remaining life", "time to failure", "time until it fails".
    if ((ws[i] == "remaining" && (ws[i + 1] == "life" || (i + 2 < ws.size() && ws[i + 1] == "useful" && ws[i + 2] == "life"))) ||
        (ws[i] == "time" && (ws[i + 1] == "to" || ws[i + 1] == "until") && i + 2 < ws.size() &&
         (ws[i + 2] == "failure" || ws[i + 2] == "failures" || ws[i + 2] == "it" || ws[i + 2] == "breakdown"))) {
      add(r, "output", "number", 2, "what is left: " + ws[i] + " " + ws[i + 1]);
      return;
    }
    // "how many cycles / hours ... left / remaining": a count of what remains, not of objects seen.
    if (ws[i] == "how" && ws[i + 1] == "many" && i + 2 < ws.size() && units.count(singular(ws[i + 2])) &&
        find_within(ws, i + 3, 8, left) >= 0) {
      add(r, "output", "number", 2, "what is left: how many " + ws[i + 2]);
      if (r.outputs.count("boxes")) {
        auto& said = r.cues["output: boxes"];
        if (auto at = std::find(said.begin(), said.end(), std::string("how many")); at != said.end()) {
          said.erase(at);
          r.outputs["boxes"] = std::max(0.0, r.outputs["boxes"] - 1);
        }
      }
      return;
    }
    // "predict the wear of each tool in micrometres": a verb of prediction, then "in" a unit.
    if (!has(verbs, ws[i])) continue;
    for (std::size_t j = i + 1; j + 1 < ws.size() && j <= i + 10; ++j)
      if (ws[j] == "in" && units.count(singular(ws[j + 1]))) {
        add(r, "output", "number", 2, "a quantity in " + ws[j + 1]);
        return;
      }
  }
}

// 17. A number predicted from the readings of one moment ("how much the beds need watering from 12
// sensor readings"), with no word of time (history, the next day, hourly): the readings are a row
// of features, not a series whose future is asked.
void readings_of_a_moment(const Words& ws, Reading& r) {
  auto get = [&](const std::map<std::string, double>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  if (get(r.outputs, "number") <= 0 || get(r.outputs, "future") > 0 || get(r.inputs, "series") <= 0) return;
  if (!any_word(ws, {"sensor", "reading", "measurement"})) return;
  static const std::set<std::string> time = {"history", "historical", "past", "last", "previous", "next", "tomorrow", "future",
                                             "forecast", "hourly", "daily", "weekly", "monthly", "year", "month", "week", "day",
                                             "hour", "minute", "trend", "ahead", "series", "timeseries", "sequence", "window",
                                             "season", "seasonal", "over", "later", "soon", "before", "until", "when", "log",
                                             "stream", "continuous", "second", "ago", "yesterday", "today", "tonight"};
  if (any_word(ws, time)) return;
  take(r, "input", "series", get(r.inputs, "series"));
  add(r, "input", "tabular", 1.5, "readings of one moment: a row of features");
}

// 18. "Say whether the vehicle is a tractor, car, truck or bike": which of the kinds listed one
// item is, a label for the whole item, however much the kinds sound like things a detector boxes.
// "Whether the person is in the zone or not" asks where, so a place after "is" is no list of kinds.
void which_of_listed_kinds(const Words& ws, Reading& r) {
  static const std::set<std::string> places = {"in", "on", "at", "near", "inside", "outside", "within", "behind", "under",
                                               "over", "above", "below", "close", "next", "there", "here", "present", "visible"};
  for (std::size_t i = 0; i + 4 < ws.size(); ++i) {
    if (ws[i] != "whether" && ws[i] != "if") continue;
    const long is = find_within(ws, i + 1, 4, {"is", "are"}, {"or", "and", "whether", "if"});
    if (is < 0) continue;
    std::size_t k = static_cast<std::size_t>(is) + 1;
    if (k < ws.size() && (ws[k] == "a" || ws[k] == "an" || ws[k] == "the")) ++k;
    if (k >= ws.size() || has(places, ws[k])) continue;
    // At least two kinds before the "or" and one after it: three or more to choose among.
    const long orr = find_within(ws, k, 8, {"or"}, {"and", "whether", "if", "when", "so"});
    if (orr < 0 || static_cast<std::size_t>(orr) < k + 2 || static_cast<std::size_t>(orr) + 1 >= ws.size() ||
        ws[static_cast<std::size_t>(orr) + 1] == "not")
      continue;
    add(r, "output", "label", 2, "whether it is " + ws[k] + " … or " + ws[static_cast<std::size_t>(orr) + 1] + ": one of the kinds listed");
    return;
  }
  // "Predict human activities such as walking, sitting or standing": kinds listed after the thing
  // asked for, joined by "or", are the classes to choose among; nothing to come in a future.
  static const std::set<std::string> verbs = {"predict", "recognise", "recognize", "identify", "classify", "tell", "infer",
                                              "determine", "guess", "detect", "name", "know"};
  for (std::size_t i = 0; i + 4 < ws.size(); ++i) {
    if (!has(verbs, ws[i])) continue;
    long as = -1;
    for (std::size_t j = i + 2; j + 1 < ws.size() && j <= i + 7 && as < 0; ++j)
      if ((ws[j] == "such" && ws[j + 1] == "as") || (ws[j] == "e" && ws[j + 1] == "g")) as = static_cast<long>(j + 2);
      else if (ws[j] == "like" || ws[j] == "including") as = static_cast<long>(j + 1);
    if (as < 0) continue;
    const long orr = find_within(ws, static_cast<std::size_t>(as), 12, {"or"}, {"from", "with", "and", "so", "to", "using", "by"});
    if (orr < 0 || orr < as + 2 || static_cast<std::size_t>(orr) + 1 >= ws.size()) continue;
    add(r, "output", "label", 2, ws[i] + " … such as " + ws[static_cast<std::size_t>(as)] + " … or " + ws[static_cast<std::size_t>(orr) + 1] + ": one of the kinds listed");
    return;
  }
}

// 20. A label asked of windows of sensor readings ("which activity, from 2.5-second windows of
// accelerometer readings"): each window is summarised as one row of features and labelled; no
// future value is asked, so the series is no forecast's history.
void labelled_windows(const Words& ws, Reading& r) {
  auto get = [&](const std::map<std::string, double>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  if (get(r.outputs, "label") < 2 || get(r.outputs, "future") > 0 || get(r.inputs, "series") <= 0) return;
  if (!any_word(ws, {"window", "segment", "slice", "chunk"})) return;
  add(r, "input", "tabular", 1.5, "windows of readings labelled: one row per window");
}

}  // namespace sml::describe::role_rules
