#include "sml/describe/roles.hpp"

#include <cctype>

#include "role_rules.hpp"

namespace sml::describe {

// The rules themselves live by family in roles_seen.cpp, roles_text.cpp and roles_numbers.cpp.
using namespace role_rules;

std::vector<bool> negated_words(const std::string& text) {
  std::vector<bool> out;
  int left = 0;  // words still negated in this clause
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    std::string w = cur;
    cur.clear();
    if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
    if (one_of(w, {"but", "just", "only", "instead", "rather", "except"})) left = 0;
    // A preposition ends the noun phrase denied: "person / no person from a grayscale camera" denies
    // the person, not the camera.
    if (one_of(w, {"from", "on", "in", "at", "with", "via", "using", "by", "into"})) left = 0;
    out.push_back(left > 0);
    if (left > 0) --left;
    if (one_of(w, {"no", "not", "without", "dont", "don", "doesn", "didn", "never", "nor", "cannot", "isn", "aren", "won",
                   "nobody", "none", "neither", "nothing"}))
      left = w == "don" || w == "doesn" || w == "didn" || w == "isn" || w == "aren" || w == "won" ? 7 : 6;  // "don 't": the "t" is a word
  };
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      cur += static_cast<char>(std::tolower(c));
      continue;
    }
    flush();
    if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')') left = 0;
  }
  flush();
  return out;
}

void read_roles(const std::vector<std::string>& words, const std::vector<bool>& negated,
                const std::map<std::string, std::vector<std::string>>& kinds, Reading& r) {
  // Negated words play no role: "no text prompts" asks for none.
  Words ws;
  for (std::size_t i = 0; i < words.size(); ++i) ws.push_back(i < negated.size() && negated[i] ? std::string() : words[i]);
  made_images(ws, negated, r);
  given_and_origin(ws, r);
  camera_scene(ws, r);
  detect_seen_thing(ws, kinds, r);
  given_transcripts(ws, r);
  written_from_notes(ws, r);
  which_will(ws, r);
  compared_pair(ws, r);
  label_per_unit(ws, r);
  text_from_image(ws, r);
  degree_to_predict(ws, r);
  horizon_to_predict(ws, r);
  quantity_to_predict(ws, r);
  span_in_text(ws, r);
  similar_people(ws, r);
  physical_boxes(ws, r);
  found_in_picture(ws, r);
  speech_start(ws, r);
  assistant_answers(ws, kinds, r);
  readings_of_a_moment(ws, r);
  which_of_listed_kinds(ws, r);
  labelled_windows(ws, r);
  sounding_text(ws, r);
  given_summaries(ws, r);
}

}  // namespace sml::describe
