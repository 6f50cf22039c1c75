#include "sml/describe/constraints.hpp"
#include "sml/io/text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "constraint_readers.hpp"

namespace sml::describe {

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

namespace {

// The figures a requirement is made of. A count of examples, hours or bytes held and a count of
// kinds describe the data and the output (what is there to learn from and to tell apart), not a
// bound on the model, so they are not of these kinds and requirement_stated does not judge them.
enum class Figure { latency, rate, accuracy, memory, energy, carbon };

// THE REQUIREMENT RULE. A latency, a rate, an accuracy, a memory size, an energy or a carbon figure
// read at POS (LEN characters) of T becomes a constraint only where the text asks for it, with one
// of:
// - a word of requirement in its sentence before it: need, must, should, has to, want, would like,
//   require, aim, target, goal, expect, budget, limit, allowed, acceptable, ensure, keep, fit, a
//   percentile (p95, p99), real time; or a bound right before it: under, below, within, less
//   than, at most, no more than, up to, max, at least, more than, "sub-" ("a sub-100 ms reply");
//   a latency bounded from below ("more than 10 seconds") is a time measured, never asked for;
// - a word of judgement or a bound after it: "10 fps is enough", "5 fps is plenty", "95% or
//   better", "20 ms or less", "is required", "would be nice";
// - a turnaround or cadence asked of a result: "answered in 80 ms", "ready in 2 minutes", "a
//   decision every 20 ms";
// - its own form, which carries the requirement: a rate per second ("30 fps", "500 embeddings a
//   second": the rate a stream comes in at, which the model must keep up with; a rate the writer
//   measured was never read, figure_as_it_runs in constraints_rates.cpp), and a memory size stated
//   as a machine's memory ("16 GB RAM", "4g vram", "an RTX 2060 with 6GB", "A100 80GB", "render
//   nodes (48 gb each)": the machine the model has to fit in).
// Otherwise the figure is context: a time the writer measured or a window the audio comes in ("500
// ms of silence"), a score already reached ("98% accuracy on the test set"), a model's size told as
// history ("the 75 MB model we used"), an emission reported ("we emitted 300 kg CO2 last year").
// Precision on text nobody here wrote comes first: a requirement stated without any of these cues
// is lost rather than a context number invented.
bool requirement_stated(const std::string& t, std::size_t pos, std::size_t len, Figure kind) {
  if (kind == Figure::rate) {
    // A rate of values, readings or samples a second ("the sensors send 200 values a second") is how
    // finely a signal is sampled, the data's form: the model reads windows of it, not one item per
    // value, so it is no rate the model must keep up with (frames, images, requests a second are).
    static const Regex sampled(R"(\b(values?|readings?|samples?|measurements?|data ?points?|points?|datapoints?)\b)");
    return !regex_search(t.substr(pos, len), sampled);
  }
  // The words before the figure's number, the evidence's own lead-in included ("accuracy at least
  // 92%", "correctly classify it at least 90%" are noted from their first word).
  std::size_t number_at = pos;
  while (number_at < pos + len && number_at < t.size() && !std::isdigit(static_cast<unsigned char>(t[number_at]))) ++number_at;
  // No digit ("under a second", "less than half a second"): the figure starts at its "a", "one" or
  // "half", after the bound.
  if (number_at >= pos + len) {
    const std::string said = t.substr(pos, len);
    std::size_t word = said.size();
    for (const char* w : {" a ", " one ", " half "}) word = std::min(word, said.find(w));
    number_at = word < said.size() ? pos + word + 1 : pos;
  }
  const std::size_t stop = number_at == 0 ? std::string::npos : t.find_last_of(".;!?", number_at - 1);
  const std::size_t from = stop == std::string::npos ? 0 : stop + 1;
  const std::string before = t.substr(from, number_at - from);
  const std::size_t end = std::min(t.size(), pos + len);
  const std::size_t close = std::min(t.find_first_of(".;!?", end), t.size());
  const std::string after = t.substr(end, std::min<std::size_t>(close - end, 48));
  static const Regex wish(R"(\b(need|needs|needed|must|should|has to|have to|had to|got to|gotta|require\w*|want|wants|wanted|wanna|would like|'d like|like to|hope|hoping|aim\w*|target\w*|goal|expect\w*|budget|limit\w*|cap|capped|allowed|acceptable|ensure|guarantee\w*|keep|stay|fit|fits|fitting|sla|slo|p9\d|real[- ]?time)\b)");
  static const Regex bound(R"(\b(under|below|within|less than|lower than|fewer than|at most|no more than|not more than|no slower than|up to|max|maximum|min|minimum|at least|more than|over|better than|p9\d(\.\d)?|tops)\s*(~\s*)?(about\s+|around\s+)?$|<\s*$|\bsub\s*-\s*$)");
  static const Regex judged(R"(^\s*(\w+\s+){0,3}?(or (less|lower|under|below|better|faster|more|higher|above|so)|max|maximum|at most|tops|at the most|is (required|needed|a must|the limit|enough|plenty|fine|ok|okay|acceptable|what)|are (enough|plenty|fine|ok|okay|acceptable)|would be (nice|ideal|fine|great|ok|okay|enough|acceptable)|will do|budget|limit|target)\b)");
  static const Regex turnaround(R"(\b(done|ready|back|finished|answered|decided|respond\w*|repl(y|ies)|react\w*|reaction|alert\w*|fire|go off|open|opens|show up|appear)\s+(in|within)\s*(about\s+|around\s+|roughly\s+|under\s+|~\s*)?$|\b(decisions?|answers?|outputs?|results?|predictions?)\s+every\s*$)");
  // A latency bounded from below ("the latency is more than 10 seconds", "over 2 s") is how slow it
  // is now: nobody asks for an answer to take at least so long.
  static const Regex lower_bound(R"(\b(more than|over|at least|min|minimum|better than|longer than|upwards of)\s*(~\s*)?(about\s+|around\s+)?$)");
  // A negated bound ("no more than 100 ms", "must not be over 300 ms", "no longer than 1 s") is an
  // upper bound, a requirement; a lower bound is read as the present only where the sentence has no
  // word of wanting ("the latency is more than 10 seconds" against "it must answer in more than ...").
  static const Regex negated_bound(R"(\b(no|not|never)\s+(more than|over|longer than|above)\s*(~\s*)?(about\s+|around\s+)?$)");
  const std::string near_before = before.substr(before.size() > 24 ? before.size() - 24 : 0);
  // THE PRESENT-STATE RULE. A figure that a verb of what exists now takes as its object ("our old
  // model uses 6 GB", "it takes 3 seconds per image", "the baseline reaches 85%", "training consumed
  // 40 kWh") describes the current system, a measured result, not a bound on the one asked for,
  // whatever bound word comes with it ("it uses up to 6 GB"). A word of wanting earlier in the
  // sentence makes it the requirement again ("it has to use less than 2 GB"), as does a judgement after
  // it or a wish that it stay so. Judged before the cues below, which a bound word after such a verb
  // would otherwise satisfy.
  static const Regex present(R"(\b(uses|used|using|takes|took|taking|occupies|occupied|consumes|consumed|eats|ate|weighs|weighed|reaches|reached|scores|scored|gets|got|gives|gave|achieves|achieved|averages|averaged|peaks at|emitted|emits|burns|burned|draws|drew)\s+(up to\s+|about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+|more than\s+|less than\s+|under\s+|at least\s+|at most\s+|only\s+|just\s+|~\s*)*$)");
  // The same holds for a time, score, energy or emission in a sentence about the system as it is
  // ("the rule engine we run today answers in under 2 seconds", "our current pipeline responds in
  // about 800 ms"). Not for a memory size: the machine the model runs on now ("we currently run on
  // a box with 8 GB RAM") is the one it must fit.
  static const Regex present_system(R"(\b(currently|right now|at the moment|at present|today|nowadays|so far|(our|the|its|their) (current|existing|old|older|previous|legacy|present|baseline)|baseline)\b)");
  // Whose figure it is. A present-tense verb also describes the model wanted ("find a model that uses
  // less than 512 MB", "which OCR model takes under 200 ms per page?", "ideally the model takes less
  // than 5 ms"): the figure is the present only where the verb's subject is the system that exists
  // ("our old model uses 6 GB", "it takes 12 GB", a sentence about today). A relative clause on a
  // model asked for, or a request word before it, makes it the requirement; so does a bound word
  // right before the figure after a present-tense verb, unless the subject is the existing system.
  // A past tense ("the heuristic scored at least 91%") stays a measured result.
  static const Regex wanted(R"(\b(find|suggest|recommend|recommendation|looking for|look for|searching for|search for|we're after|we are after|i'm after|ideally|important|essential|crucial|spec|specs|specification|build|choose|pick|propose)\b|^\s*(which|what)\b)");
  static const Regex wanted_clause(R"(\b(a|an|any|some|one)\s+[\w\s-]{0,40}?\b(that|which)\s+\w+\s+[^,]{0,30}$)");
  static const Regex existing_subject(R"(\b(it|they)\s+(\w+ly\s+|still\s+|now\s+)?(uses|takes|occupies|consumes|eats|weighs|reaches|scores|gets|gives|achieves|averages|peaks at|emits|burns|draws)\b)");
  static const Regex present_tense_bound(R"(\b(uses|using|takes|taking|occupies|consumes|eats|weighs|reaches|scores|gets|gives|achieves|averages|emits|burns|draws)\s+(less than|under|at most|no more than|over|more than|at least|below|within|above)\s*(~\s*)?$)");
  const bool present_verb = regex_search(near_before, present);
  const bool existing = regex_search(before, present_system) || regex_search(before, existing_subject);
  const bool asked = present_verb && (regex_search(before, wanted_clause) ||
                                      (!existing && (regex_search(before, wanted) || regex_search(near_before, present_tense_bound))));
  const bool as_it_is = (present_verb && !asked) || (kind != Figure::memory && !asked && regex_search(before, present_system));
  // The present made the bound: "the lookup takes under 40 ms per query and must stay that way".
  static const Regex kept_as_is(R"(\b(must|should|has to|have to|needs? to|got to)\s+(stay|remain|keep)\b|\b(keep|keeping)\s+(it|that|them)\b)");
  if (as_it_is && !regex_search(before, wish) && !regex_search(after, judged) && !regex_search(after, kept_as_is)) return false;
  if (kind == Figure::latency && regex_search(near_before, negated_bound)) return true;
  if (kind == Figure::latency && regex_search(near_before, lower_bound) && !regex_search(before, wish)) return false;
  if (regex_search(before, wish) || regex_search(before.substr(before.size() > 24 ? before.size() - 24 : 0), bound) ||
      regex_search(after, judged) || regex_search(before.substr(before.size() > 40 ? before.size() - 40 : 0), turnaround))
    return true;
  if (kind == Figure::memory) {
    // The memory of a machine: a word of memory beside the size, or the machine's name (masked to
    // spaces before the numbers are read) or model number right before it.
    static const Regex memory_after(R"(^\s*(of\s+)?()" + kMemoryWords + R"(|each)\b)");
    static const Regex memory_before(R"((\b(ram|memory|vram|flash|gpus?|cards?|laptops?|machines?|phones?|boards?|pcs?|computers?|servers?|devices?|nodes?|workstations?|box(es)?|macs?|macbooks?|with|has|have|having|only)\b|\s{4,}|\d{3,5}[a-z]{0,3})\s*[(:,]?\s*$)");
    const std::string near = before.substr(before.size() > 30 ? before.size() - 30 : 0);
    return regex_search(after, memory_after) || regex_search(near, memory_before);
  }
  return false;
}

}  // namespace

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
  // Each reader's figures with the evidence they noted (c.sources). The requirement rule below
  // judges the figures of a requirement (KINDS) at their first evidence.
  std::vector<std::pair<std::optional<double> Constraints::*, Figure>> kinds;
  const auto took = [&](std::optional<double> Constraints::*figure, std::size_t from, std::size_t to) {
    if (c.*figure && to > from) c.sources.push_back({figure, from, to});
  };
  const auto required = [&](std::optional<double> Constraints::*figure, Figure kind, std::size_t from, std::size_t to) {
    took(figure, from, to);
    if (c.*figure && to > from) kinds.emplace_back(figure, kind);
  };
  // One reader per family (constraint_readers.hpp), in this order: the evidence follows it.
  std::size_t e0 = c.evidence.size();
  read_rates(t, c);
  // read_rates notes the latency first, then the rate (and the sources it multiplies by).
  required(&Constraints::latency_s, Figure::latency, e0, e0 + (c.latency_s ? 1 : 0));
  required(&Constraints::throughput_fps, Figure::rate, e0 + (c.latency_s ? 1 : 0), c.evidence.size());
  {
    std::string said;
    c.image_size_px = parse_image_size(t, &said);
    if (c.image_size_px) c.evidence.push_back(said);
  }
  e0 = c.evidence.size();
  read_accuracy(t, c);
  required(&Constraints::accuracy_min, Figure::accuracy, e0, c.evidence.size());
  e0 = c.evidence.size();
  read_memory(t, c);
  required(&Constraints::memory_bytes, Figure::memory, e0, c.evidence.size());
  e0 = c.evidence.size();
  read_budgets(t, c);
  required(&Constraints::energy_kwh_max, Figure::energy, e0, e0 + (c.energy_kwh_max ? 1 : 0));
  required(&Constraints::co2e_kg_max, Figure::carbon, e0 + (c.energy_kwh_max ? 1 : 0), c.evidence.size());
  // The requirement rule (requirement_stated), judged at the figure's first evidence. The readers
  // give the text they matched, not where: where it occurs more than once ("measured 200 ms ...
  // need 200 ms at most"), the figure is kept if any occurrence is asked for (the value is the same).
  const auto asked_somewhere = [&](const std::string& said, Figure kind) {
    bool found = false;
    for (std::size_t pos = t.find(said); pos != std::string::npos; pos = t.find(said, pos + 1)) {
      found = true;
      if (requirement_stated(t, pos, said.size(), kind)) return true;
    }
    return !found;  // not found in the text as written: nothing to judge it by, kept as before
  };
  for (const auto& entry : kinds) {
    // Not a structured binding: a lambda may not capture one before C++20 (clang refuses it).
    const auto figure = entry.first;
    const auto s = std::find_if(c.sources.begin(), c.sources.end(), [&](const Constraints::Source& x) { return x.figure == figure; });
    const std::string& said = c.evidence[s->from];
    if (!said.empty() && !asked_somewhere(said, entry.second)) c.drop(figure);
  }
  e0 = c.evidence.size();
  read_data(t, c);
  // read_data notes the sample count last (after a volume and hours).
  took(&Constraints::data_samples, c.evidence.size() - (c.data_samples && c.evidence.size() > e0 ? 1 : 0), c.evidence.size());
  e0 = c.evidence.size();
  read_classes(t, c);
  took(&Constraints::classes, e0, c.evidence.size());
  // One count is not both: "trained on those 3 actions" counts the kinds, no examples.
  if (c.data_samples && c.classes && *c.data_samples == *c.classes && c.evidence.size() >= 2 &&
      c.evidence[c.evidence.size() - 2].rfind(c.evidence.back(), 0) == 0)
    c.drop(&Constraints::data_samples);
  return c;
}

void Constraints::drop(std::optional<double> Constraints::*figure) {
  (this->*figure).reset();
  const auto s = std::find_if(sources.begin(), sources.end(), [&](const Source& x) { return x.figure == figure; });
  if (s == sources.end()) return;
  const std::size_t from = s->from, to = s->to;
  evidence.erase(evidence.begin() + static_cast<std::ptrdiff_t>(from), evidence.begin() + static_cast<std::ptrdiff_t>(to));
  sources.erase(s);
  for (auto& o : sources)
    if (o.from >= to) o.from -= to - from, o.to -= to - from;
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
