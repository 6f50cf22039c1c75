#include "outside_question.hpp"

#include <string>
#include <vector>

#include "word_regex.hpp"

namespace sml::describe {
namespace {

// The statement's clauses: cut at a sentence's end or a semicolon, each keeping its question mark.
std::vector<std::string> clauses(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    cur += c;
    if (c == '.' || c == ';' || c == '?' || c == '!' || c == '\n') {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool asks_law(const std::string& clause) {
  // A question whether something complies or is allowed ("Does storing ... comply with the GDPR?",
  // "Is our vendor compliant with HIPAA", "Are we allowed to keep ...?").
  static const Regex whether_allowed(
      R"(^\s*(does|do|is|are|can|may|would|will|am|was|were|should|could)\b[^?]{0,120}\b(comply|complies|compliant|legal|lawful|illegal|unlawful|allowed|permitted|permissible)\b[^?]*\?)",
      Regex::icase);
  // "whether ... complies", "check if ... is lawful" in a request for an answer about the law.
  static const Regex check_whether(
      R"(^\s*(please\s+)?(check|verify|confirm|assess|audit|tell us|tell me|find out|advise)\b[^?]{0,60}\b(whether|if)\b[^?]{0,80}\b(comply|complies|compliant|legal|lawful|illegal|unlawful|allowed|permitted)\b)",
      Regex::icase);
  // What the law itself asks of us: a legal basis, what we must do under it, who must answer.
  static const Regex duty(
      R"(\blegal basis\b|\bwhat\b[^?]{0,60}\b(must|should|do|does|have to|has to|need to)\b[^?]{0,60}\b(under|require|requires|required)\b|^\s*(which|who|what|how)\b[^?]{0,80}\b(must|obliged to|required to|have to|has to)\b[^?]*\?|^\s*how (do|should|can|must) (we|i)\b[^?]{0,60}\b(comply|respond to|answer)\b)",
      Regex::icase);
  return regex_search(clause, whether_allowed) || regex_search(clause, check_whether) || regex_search(clause, duty);
}

bool asks_dsp(const std::string& clause) {
  // An imperative at the clause's start whose object is a DSP method or result ("Compute the FFT
  // of each trace", "Apply a low-pass filter to the gyro readings and show the harmonics").
  static const Regex imperative(
      R"(^\s*(please\s+)?(compute|calculate|apply|perform|plot|show|display|report|measure|find|get|design|implement|take|do|determine)\b[^,]{0,80}?\b(fft|fourier transform|spectrum|spectra|spectral density|spectrogram|filter|harmonic|harmonics|rms|root mean square|peak frequency|dominant frequency|frequency response)\b)",
      Regex::icase);
  // A question for a DSP result ("what is the peak frequency of ...?").
  static const Regex question(
      R"(^\s*(what|which)\b[^?]{0,40}\b(peak frequency|dominant frequency|rms|root mean square|harmonic|harmonics|spectrum)\b)",
      Regex::icase);
  // The method as a step before a model, or its result as a model's input: context, not the ask.
  static const Regex context(
      R"(\b(first|before|after|features?|instead of|as input|as inputs|model|models|classifier|detector|recogni[sz]er|network|neural|learn|learned|learnt|train|trained|training|classify|predict|detect|recogni[sz]e)\b)",
      Regex::icase);
  return (regex_search(clause, imperative) || regex_search(clause, question)) && !regex_search(clause, context);
}

}  // namespace

bool asks_outside_question(const std::string& kind, const std::string& text) {
  if (kind != "law" && kind != "signal-processing") return true;
  // A statement that names nothing to learn, recognise, predict or generate has no learning request
  // for the kind's words to stand beside: its vocabulary decides, as for the other kinds ("I'd like
  // to see how hard the quad vibrates: a high-pass filter and a square root", "we have to comply
  // with the GDPR; could the list mark the GDPR-friendly tools?").
  static const Regex learning(
      R"(\b(models?|classif\w*|detect|detects|detecting|detection|detector|recogni[sz]\w*|networks?|neural|learn\w*|train|trained|training|predict\w*|forecast\w*|segment\w*|diagnos\w*|spotting|summar\w*|translat\w*|transcri\w*|caption\w*|tagged|tagging|label\w*|classes)\b)",
      Regex::icase);
  if (!regex_search(text, learning)) return true;
  for (const auto& c : clauses(text))
    if (kind == "law" ? asks_law(c) : asks_dsp(c)) return true;
  return false;
}

}  // namespace sml::describe
