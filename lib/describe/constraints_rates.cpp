// Rates a statement gives: the latency a result must come within and the frames or items a
// second it must keep up with.
#include "constraint_readers.hpp"

#include <cmath>
#include <set>

namespace sml::describe {

using number_text::context_before;
using number_text::kNum;
using number_text::number;

namespace {

// Whether the figure at POS of T is how the writer's system performs now ("I only get 3 FPS",
// "each detection takes about 500ms, so roughly 2 fps", "it runs at a steady 310 ms per frame"),
// not what it must do: a word of the present state in the clause before it (from the sentence's or
// semicolon's start), with no word of wanting there ("right now I get 1 FPS and I need more than 4 FPS":
// the 4 is wanted) and no bound written right before the figure ("takes under 50 ms" is a limit).
bool figure_as_it_runs(const std::string& t, std::size_t pos) {
  // "it is very slow, 5FPS" judges the present; "the paper reports 26 fps" tells another's result.
  static const Regex now(R"(\b(get|gets|got|getting|runs|running|ran|averag\w*|gives|giving|gave|achiev\w*|manag\w*|currently|right now|at the moment|takes|took|taking|reach\w*|measur\w*|tops out|peaks|is (very |too |so |really )?slow|(paper|benchmark|authors?|vendor|readme|it)\s+(reports?|reported|claims?)|counted|benchmark\w*|clocks?|clocked)\b)");
  // "Detect and report intruders at 15 fps" asks the system to report: only a source that reports
  // ("the paper reports 26 fps") tells another's result.
  // "How do I get 10 fps": a question of how to reach a figure wants it.
  static const Regex wanted(R"(\b(need|needs|want|wants|wanted|like|love|happy|require\w*|target\w*|goal|aim\w*|must|should|has to|have to|at least|more than|or more|minimum|desired|how (do|can|could|would|should|to) ((i|we|you) )?(get|reach|achieve|hit))\b)");
  static const Regex bound(R"(\b(under|below|within|less than|at most|max|maximum|no more than|at least|more than|over)\s*(~\s*)?$)");
  const std::size_t clause = t.find_last_of(".;!?", pos == 0 ? 0 : pos - 1);
  const std::size_t from = clause == std::string::npos || clause >= pos ? 0 : clause + 1;
  // "Using whisper tiny to get anything near real time": a verb of the present state after "to" names
  // a purpose, a wish, not what the system does now; it is no word of the state.
  static const Regex purpose(R"(\bto\s+(get|gets|reach|achieve|manage|average|run)\b)");
  std::string before = t.substr(from, pos - from);
  for (auto it = RegexIterator(before.begin(), before.end(), purpose); it != RegexIterator(); ++it)
    before.replace(static_cast<std::size_t>(it->position(1)), static_cast<std::size_t>(it->length(1)),
                   std::string(static_cast<std::size_t>(it->length(1)), '_'));
  // What a camera or stream runs at ("my camera runs at 20 FPS and I want vehicles detected in every
  // frame") is the rate coming in, which the model must keep up with: no state of the model's own.
  static const Regex source_runs(R"(\b(cameras?|cams?|webcams?|streams?|feeds?|videos?|sensors?|lidars?|footage)\s+([a-z]+\s+)?(runs|running|gives|giving|delivers|records|shoots|captures|streams)\b)");
  // A bound right after a verb of the present state is that state's ceiling ("gives at most 25 FPS").
  static const Regex state_bound(R"(\b(gets|got|gives|gave|reach\w*|manag\w*|averag\w*|peaks|runs|running)\s+(at\s+)?(at most|max|maximum|under|below|over)\s*(~\s*)?$)");
  const bool bounded = context_before(t, pos, 16, bound) && !context_before(t, pos, 30, state_bound);
  return regex_search(before, now) && !regex_search(before, wanted) && !bounded &&
         !regex_search(before, source_runs);
}


// Whether "second" right before AFTER is an ordinal before its noun ("in a second phase", "a second
// pass"), not a time ("under a second would be nice", "within a second, ideally", "in under a second
// per image"). The word after it decides by its class: a noun makes it an ordinal; a function word
// (preposition, conjunction, determiner, pronoun), a verb or auxiliary, an adverb in -ly, a word of
// judgement or of time keeps it a time, as does no word at all (punctuation, the end).
bool second_is_ordinal(const std::string& after) {
  std::size_t i = 0;
  while (i < after.size() && after[i] == ' ') ++i;
  std::size_t j = i;
  while (j < after.size() && std::isalpha(static_cast<unsigned char>(after[j]))) ++j;
  if (i == 0 || j == i) return false;  // no word follows, or the "second" runs on ("seconds")
  const std::string w = after.substr(i, j - i);
  static const std::set<std::string> function_words = {
      "on", "or", "and", "per", "for", "with", "when", "while", "at", "from", "of", "to", "so", "even", "each", "every",
      "after", "if", "as", "but", "then", "using", "via", "in", "the", "a", "an", "my", "our", "please", "max", "tops"};
  static const std::set<std::string> verbs = {"is", "was", "would", "could", "will", "can", "should", "might", "may", "be",
                                              "are", "seems", "sounds", "feels", "works"};
  static const std::set<std::string> judgement = {"maybe", "latency", "response", "delay", "wait", "turnaround",
                                                  "fine", "ok", "okay", "good", "great", "nice"};
  const bool adverb = w.size() > 4 && w.compare(w.size() - 2, 2, "ly") == 0;
  return !(function_words.count(w) || verbs.count(w) || judgement.count(w) || adverb);
}
}  // namespace

void read_rates(const std::string& t, Constraints& c) {
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
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
    if (figure_as_it_runs(t, pos)) return;
    c.latency_s = number(m, 1) / 1000;
    note(m);
  });
  if (!c.latency_s) {
    // "in under a second", "within half a second"; "in a second phase", "a second pass" are no time
    // (second_is_ordinal).
    static const Regex a_second(R"(\b(under|within|less than|below|at most|in)\s+(a|one|half a)\s+(second|sec)\b)", flags);
    for (auto it = RegexIterator(t.begin(), t.end(), a_second); it != RegexIterator(); ++it) {
      if (second_is_ordinal(t.substr(static_cast<std::size_t>(it->position() + it->length()), 24))) continue;
      c.latency_s = (*it)[2].str() == "half a" ? 0.5 : 1.0;
      note(*it);
      break;
    }
  }
  static const Regex minutes(kNum + R"(\s*(min|mins|minutes?)\b)", flags);
  static const Regex minutes_of(R"(^\s*(of|long|clips?|audio|video))", flags);  // compiled once, not per match
  // A turnaround asked of a batch ("an hour of audio done in about 15 minutes", "the report ready
  // within 2 minutes") is its latency, unless it is how long it takes now ("it is done in 40 minutes").
  static const Regex turnaround(R"(\b(done|finished|ready|processed|transcribed|translated|summari[sz]ed|back|complete|completed|turned around)\s+(in|within)\s+(about|around|roughly|under|less than|at most|~)?\s*~?\s*$)", flags);
  const auto turned_around = [&](const Match& m) {
    const auto pos = static_cast<std::size_t>(m.position());
    return context_before(t, pos, 40, turnaround) && !figure_as_it_runs(t, pos);
  };
  each_match(t, minutes, [&](const Match& m) {
    if (!c.latency_s && (context_before(t, static_cast<std::size_t>(m.position()), 30, latency_words) || turned_around(m)) &&
        !regex_search(t.substr(static_cast<std::size_t>(m.position() + m.length()), 12), minutes_of)) {
      c.latency_s = number(m, 1) * 60;
      note(m);
    }
  });
  // A time named by the word after it ("a 1s latency budget", "a 2 second response time").
  static const Regex latency_after(R"(^\s*(-\s*)?(latency|response time|response|delay|turnaround|deadline|time budget|end-to-end)\b)", flags);
  each_match(t, sec, [&](const Match& m) {
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (!c.latency_s && (context_before(t, static_cast<std::size_t>(m.position()), 30, latency_words) || turned_around(m) ||
                         regex_search(t.substr(end, 24), latency_after))) {
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
  // A rate the next sentence asks about ("about 25 FPS on video. Is that what this board should
  // give?") was measured: a question of whether it is right, not a rate asked for.
  static const Regex asked_about(R"(^[^.;?!]{0,40}[.;]\s*(is|are|was|were)\s+(that|this|it|these|those)\b[^.;!?]{0,80}\?)", flags);
  // The steps of a generator ("30 tokens a second", "20 it/s" of a diffusion sampler, words or
  // characters spoken a second) measure how fast one answer is made, no frames or items coming in.
  static const Regex generation_steps(R"(^[\d.,\s]*(k\s*)?(tokens?|toks?|it|its|iterations?|steps?|words?|characters?|chars)\b)", flags);
  each_match(t, fps, [&](const Match& m) {
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    if (regex_search(m.str(), generation_steps)) return;
    if (!c.throughput_fps && regex_search(t.substr(end, 160), asked_about)) return;
    if (!c.throughput_fps && !figure_as_it_runs(t, static_cast<std::size_t>(m.position()))) {
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
}

}  // namespace sml::describe
