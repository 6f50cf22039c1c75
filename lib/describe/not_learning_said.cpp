#include "not_learning_said.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "sml/io/text.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

// A word of learning as strong as "train", "classify" or "predict" (cues_learning.cpp); the
// forms below that a learning word outweighs give way to it.
constexpr double kLearningWord = 1.5;

std::string quoted(const Match& m) {
  std::string s = m.str();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.erase(s.begin());
  return "'" + (s.size() <= 60 ? s : s.substr(0, 57) + "...") + "'";
}

}  // namespace

std::string said_not_learning_reason(const std::string& text, const Reading& r) {
  const std::string t = to_lower(text);
  Match m;
  // 1. The writer rules a model out ("I only want that simple rule, nothing clever", "no need for
  // AI here", "without any machine learning"), or puts it off to later ("whether a chatbot could
  // answer the basic ones can be looked at later"): what is asked now is the rest, done by hand
  // or by software. A model of a kind named after the word ("no AI service", "without a cloud
  // model", "no AI-generated images") is a setting of a learning problem, not a refusal of one.
  static const Regex ruled_out(
      R"(\b(nothing|no need for|(do not|don'?t|doesn'?t|does not) (need|want|require)|without)\s+(any(thing)?\s+|an?\s+)?(clever|smart|fancy|ai|ml|machine[- ]learning|learned|learnt)\b(?![- ](model|service|api|cloud|server|provider|vendor|generated|features?|tools?|experience|expertise|knowledge|background|skills?|team|engineers?|budget|hardware|gpus?))|\b(only|just)\s+(want|need|ask for)\s+(that|a|the|this|one)\s+(simple|fixed|plain|static)\s+rule\b)");
  static const Regex put_off(
      R"(\b(chatbot|bot|model|ai|ml|machine learning|classifier|assistant)\b[^.;?!]{0,80}\b(can|could|will|may|should)\s+(be\s+)?(looked at|considered|explored|discussed|added|revisited|tackled|evaluated)\s+(later|afterwards|another time|in a later (phase|stage|release))\b)");
  // A word of learning elsewhere ("nothing fancy, a gradient-boosting model that predicts late
  // payments", "no need for deep learning: flag the fraudulent payments") rules out a kind of
  // model, not learning.
  static const Regex learning_elsewhere(
      R"(\b(train\w*|classif\w*|predict\w*|detect\w*|recogni[sz]\w*|forecast\w*|fine-?tun\w*|flag\w*|regression|model\w*|labell?ed)\b)");
  if (regex_search(t, m, ruled_out) && !regex_search(m.prefix().str() + " " + m.suffix().str(), learning_elsewhere))
    return "not a learning problem: the writer rules out a learned model (" + quoted(m) + "); what is asked is a fixed rule or software";
  if (r.learning < kLearningWord && regex_search(t, m, put_off))
    return "not a learning problem: the writer puts the model off to later (" + quoted(m) +
           "); what is asked now is work done by hand or by software";
  // 2. A question about the right to use something (a licence, commercial use, permission): a
  // matter of its terms, however much the thing is a model or a data set.
  static const Regex rights(
      R"(\b(may|can|could)\s+(we|i)\s+(use|ship|sell|redistribute|distribute|deploy)\b[^.?!]{0,80}\b(commercially|in (a|our) (commercial|paid) product)\b[^.!]{0,80}\?|\b(does|do|would)\s+(the|its|their|this|that)\s+([a-z0-9.-]+\s+){0,2}licen[cs]es?\s+(allow|permit|cover|let)\b[^.!]{0,120}\?|\b(are|am|is)\s+(we|i|it)\s+(allowed|permitted|legal|free)\s+to\s+(use|ship|sell|redistribute)\b[^.!]{0,120}\?)");
  if (regex_search(t, m, rights))
    return "not a learning problem: it asks about the right to use something (" + quoted(m) +
           "), which its licence or terms decide, not a trained model";
  if (r.learning >= kLearningWord) return "";
  // 3. Whether a difference between groups is real or chance: a test of statistical significance
  // on numbers already measured, computed by a formula.
  static const Regex significance(
      R"(\b(statistically significant|statistical significance|significance test|significant difference|t-test|t test|p-values?|chi-squared?|anova|mann-whitney|wilcoxon)\b)");
  if (regex_search(t, m, significance))
    return "not a learning problem: it asks for a test of statistical significance (" + quoted(m) +
           ") on numbers already measured, which a formula gives";
  // 4. A piece of an application's interface or records to add ("add a notes tab to every
  // meeting", "add an observation record: tag ID, location, duration", "put a copy button next to
  // ..."): software to write, unless an output is asked for as strongly as a word of learning.
  double out = 0;
  for (const auto& [k, v] : r.outputs) out = std::max(out, v);
  static const Regex interface_part(
      R"(\b(add|adding|put|place|create|build)\s+(an?|one|the|new|another)\s+([a-z'-]+\s+){0,4}(tab|button|field|record|column|menu|page|panel|toggle|checkbox|check box|drop-?down|screen|link|shortcut|setting|option|form|section|widget)s?\b)");
  // What the part does, said in the rest of its sentence ("a button ... that suggests tags for each
  // photo", "... that tags each photo"; "a record: tag ID, location" names fields): a part that
  // recognises, predicts or writes something is the front of a model.
  static const Regex part_learns(
      R"(^[^.;?!]*\b(suggest|predict|classif|detect|recogni[sz]|generat|recommend|summari[sz]|translat|transcrib|estimat|forecast|identif|describ|writes|types? out|reads? (out|aloud)|tells|turns|spots|finds|guess|says what)\w*|^[^.;?!]*\b(tag|tags|label|labels|caption|captions|flag|flags|sort|sorts|rank|ranks|answer|answers)\s+(each|every|the|all|them|it|its|new|incoming|uploaded)\b)");
  if (out < 2.5 && regex_search(t, m, interface_part) && !regex_search(m.suffix().str(), part_learns))
    return "not a learning problem: it asks for a part of an application to add (" + quoted(m) +
           "), software to write with nothing to recognise, predict or generate";
  // 5. A cell, row or column of a sheet coloured or formatted on a condition ("colour a cell red
  // once four years have passed since its date"): conditional formatting, a rule the sheet applies.
  static const Regex formatting(
      R"(\b(colou?r|colou?rs|colou?red|highlight|highlights|highlighted|shade|shades|format|formats|turn|turns)\s+(a|the|each|every|that|this|any)\s+(cell|row|column)s?\s+(red|green|yellow|orange|amber|grey|gray|bold|blue|when|if|once|whenever|whose|where)\b|\bconditional formatting\b)");
  if (out < 2.5 && regex_search(t, m, formatting))
    return "not a learning problem: it asks to format a sheet's cells on a condition (" + quoted(m) +
           "), which the spreadsheet's conditional formatting does";
  // 6. The output asked for already exists ("a photo that already has a caption", "once we have
  // captions on images, use them for the alt text"): the request copies, moves or shows it. Only
  // where what exists is of the kind the text most asks for: "we already have transcripts; summarise
  // each call" asks for a summary nobody has yet.
  static const Regex existing(
      R"(\b(already\s+(has|have|had|contains?|includes?|carries|carry|comes? with|stores?)|once\s+(we|i|you)\s+have|(the|its|their|our|my)\s+existing)\s+(an?\s+|the\s+|its\s+|their\s+|our\s+|my\s+)?([a-z-]+\s+){0,2}(captions?|descriptions?|alt text|transcripts?|subtitles?|summar(y|ies)|translations?|depth maps?)\b)");
  std::string strongest;
  for (const auto& [k, v] : r.outputs)
    if (strongest.empty() || v > r.outputs.at(strongest)) strongest = k;
  if (regex_search(t, m, existing)) {
    // The noun the match ends with decides the kind ("the existing video transcripts": transcript).
    const std::string said = m.str();
    std::string kind;
    std::size_t last = 0;
    for (const auto& [word, k] : std::vector<std::pair<const char*, const char*>>{
             {"caption", "description"}, {"description", "description"}, {"alt text", "description"}, {"transcript", "transcript"},
             {"subtitle", "transcript"}, {"summar", "summary"}, {"translation", "translation"}, {"depth", "depth"}})
      if (const auto at = said.rfind(word); at != std::string::npos && (kind.empty() || at >= last)) kind = k, last = at;
    if (strongest == kind)
      return "not a learning problem: the output it asks for already exists (" + quoted(m) +
             "); the request copies, moves or shows it, which software does";
  }
  return "";
}

}  // namespace sml::describe
