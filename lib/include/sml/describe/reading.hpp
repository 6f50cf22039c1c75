// The shape of a problem statement, read over the whole text rather than from its strongest
// keyword: what goes in (photos, video, audio, text, tables, series, graphs), what must come out
// (a label per item, per pixel, per token; boxes; a transcript; a vector; a number; a forecast;
// generated text, images or speech) and whether the request is a learning problem at all. The
// classifier's word scores are then adjusted so that a task whose input and output the text
// describes wins over one whose keyword merely occurs ("English and Spanish tickets" routed into
// queues is text classification, not translation).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace sml::describe {

struct Reading {
  std::map<std::string, double> inputs;   // modality -> strength of the cues for it
  std::map<std::string, double> outputs;  // output kind -> strength
  std::map<std::string, std::vector<std::string>> cues;  // "input: video" / "output: boxes" -> words read
  double learning = 0;    // cues that something is to be learnt, predicted or recognised from data
  double not_learning = 0;  // cues of software, IT, arithmetic or planning work
  // Words of an output cue that name something given instead ("from its price", "the asking price
  // is one of the columns"): not read as the output, nor as words for a task.
  std::vector<std::string> given;
};

// WORDS are the statement's words as TaskClassifier::words gives them, with spelling corrected and
// generalisations ("thrush" -> bird) appended. NEGATED (roles.hpp's negated_words, aligned with the
// first words) marks words a cue must not start at.
Reading read_statement(const std::vector<std::string>& words, const std::vector<bool>& negated = {});

// What a count or list of classes the writer gives (CLASSES, 0 for none) says of the output: a label
// per item when nothing more specific is asked for ("say whether they're texting, eating or driving"
// is a label per clip, whatever the domain words); and with three or more classes, "silence" is one
// class among sounds, not the speech / no-speech split of voice-activity detection.
void read_listed_classes(Reading& r, double classes);

// Score adjustment of each task (by id) for a reading: added to the classifier's scores.
std::map<std::string, double> task_adjustments(const Reading& r, const std::vector<std::string>& task_ids);

// When one output is read clearly (twice the cues the top task's own output has, and at least two
// strong words) and the top task (first of RANKED: id, score) makes another from the same input, the
// best-ranked task making that output, to be put first ("" if none): a request for boxes on chest
// x-rays is detection however many x-ray words raise classification.
std::string output_decides(const Reading& r, const std::vector<std::pair<std::string, double>>& ranked);

// One line per cue group that decided the task, for task.evidence: "input: video (films)".
std::vector<std::string> reading_evidence(const Reading& r, const std::string& task_id);

// Every word the cues use, as TaskClassifier::words gives them (targets for spelling fixes).
std::vector<std::string> cue_words();

// The task's modalities (LISTED, from the taxonomy) narrowed to the input the statement names, for a
// task that takes one of several: a zero-shot request over news articles is [text], not [text,
// image, multimodal], so that no image model (CLIP) is offered for it. LISTED unchanged when the
// statement names none of the alternatives, or all of them.
std::vector<std::string> stated_modalities(const Reading& r, const std::string& task_id, const std::vector<std::string>& listed);

// The input and output kinds a task expects (empty for tasks with none in particular).
std::vector<std::string> task_inputs(const std::string& task_id);
std::string task_output(const std::string& task_id);

}  // namespace sml::describe
