// Shared by the role rules (roles.hpp), split by family: roles_seen.cpp (pictures, cameras and
// sound), roles_text.cpp (what is done with a text), roles_numbers.cpp (a number, a label or a
// future asked of an entity). Internal to lib/describe: the word helpers and one declaration per rule.
#pragma once
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sml/describe/reading.hpp"

namespace sml::describe::role_rules {

using Words = std::vector<std::string>;

inline bool one_of(const std::string& w, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* x) { return w == x; });
}
inline bool has(const std::set<std::string>& s, const std::string& w) { return s.count(w) > 0; }

// The index of the first word in [from, from + span) that is in SET, stopping at a word in STOP;
// -1 if none.
inline long find_within(const Words& ws, std::size_t from, std::size_t span, const std::set<std::string>& set,
                 const std::set<std::string>& stop = {}) {
  for (std::size_t j = from; j < ws.size() && j < from + span; ++j) {
    if (has(set, ws[j])) return static_cast<long>(j);
    if (has(stop, ws[j])) return -1;
  }
  return -1;
}
inline bool any_word(const Words& ws, const std::set<std::string>& set) {
  return std::any_of(ws.begin(), ws.end(), [&](const std::string& w) { return has(set, w); });
}

inline void add(Reading& r, const std::string& kind, const std::string& name, double weight, const std::string& why) {
  auto& m = kind == "input" ? r.inputs : r.outputs;
  m[name] += weight;
  r.cues[kind + ": " + name].push_back(why);
}
// Takes back what a cue word gave (never below zero): the word plays another role here.
inline void take(Reading& r, const std::string& kind, const std::string& name, double weight) {
  auto& m = kind == "input" ? r.inputs : r.outputs;
  auto it = m.find(name);
  if (it != m.end()) it->second = std::max(0.0, it->second - weight);
}

// Words as TaskClassifier::words gives them (lower case, a plural 's' trimmed).
inline const std::set<std::string>& image_nouns() {
  static const std::set<std::string> s = {"image", "picture", "photo", "pic", "photograph", "art", "artwork", "illustration",
                                          "mockup", "render", "texture", "visual", "wallpaper", "icon", "logo", "graphic",
                                          "sketch", "poster", "drawing", "painting", "portrait", "concept", "scene"};
  return s;
}
inline const std::set<std::string>& camera_words() {
  static const std::set<std::string> s = {"camera", "cam", "webcam", "cctv", "dashcam", "doorbell", "bodycam"};
  return s;
}
// Things a camera sees that a detector boxes: people, animals, vehicles.
inline const std::set<std::string>& seen_things() {
  static const std::set<std::string> s = {"person", "people", "someone", "somebody", "anyone", "anybody", "visitor",
                                          "intruder", "stranger", "pedestrian", "cyclist", "worker", "child", "kid",
                                          "man", "woman", "face", "car", "truck", "vehicle", "bike", "bicycle", "animal",
                                          "bird", "dog", "cat", "fox", "deer", "squirrel", "rat", "mouse", "drone", "vehicle",
                                          "insect", "fish", "fruit"};
  return s;
}

// Pictures, cameras and sound (roles_seen.cpp).
void made_images(const Words& ws, const std::vector<bool>& neg, Reading& r);
void given_and_origin(const Words& ws, Reading& r);
void camera_scene(const Words& ws, Reading& r);
void detect_seen_thing(const Words& ws, const std::map<std::string, std::vector<std::string>>& kinds, Reading& r);
void text_from_image(const Words& ws, Reading& r);
void found_in_picture(const Words& ws, Reading& r);
void physical_boxes(const Words& ws, Reading& r);
void speech_start(const Words& ws, Reading& r);

// What is done with a text (roles_text.cpp).
void given_transcripts(const Words& ws, Reading& r);
void written_from_notes(const Words& ws, Reading& r);
void compared_pair(const Words& ws, Reading& r);
void label_per_unit(const Words& ws, Reading& r);
void span_in_text(const Words& ws, Reading& r);
void assistant_answers(const Words& ws, const std::map<std::string, std::vector<std::string>>& kinds, Reading& r);
void similar_people(const Words& ws, Reading& r);
void sounding_text(const Words& ws, Reading& r);
void given_summaries(const Words& ws, Reading& r);

// A number, a label or a future asked of an entity (roles_numbers.cpp).
void which_will(const Words& ws, Reading& r);
void degree_to_predict(const Words& ws, Reading& r);
void horizon_to_predict(const Words& ws, Reading& r);
void quantity_to_predict(const Words& ws, Reading& r);
void readings_of_a_moment(const Words& ws, Reading& r);
void which_of_listed_kinds(const Words& ws, Reading& r);
void labelled_windows(const Words& ws, Reading& r);

}  // namespace sml::describe::role_rules
