// Speech candidates for one task are costed at the same seconds of audio (issue 13): wav2vec 2.0
// and HuBERT were costed at 1 s and Whisper at 30 s, which ranked the CTC models ~30× too cheap.
// Every speech-recognition architecture now states `audio_s: 30` (Whisper's one-pass window), and
// each candidate prints the seconds it was costed at.
#include <doctest/doctest.h>

#include <map>

#include "sml/suggest/suggest.hpp"

namespace {
const std::string kRoot = std::string(SML_TEST_DATA) + "/../..";

sml::Doc run(const std::string& body) {
  sml::suggest::SuggestOptions o;
  o.task_path = "task.yaml";
  o.task_text = "sml: task/v1\n" + body;
  o.top = 500;
  o.catalog_dir = kRoot + "/catalog";
  o.hw_dir = kRoot + "/hw";
  o.latency_budget = "none";
  return sml::suggest::suggest(o);
}
}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("speech recognition: a CTC model and Whisper are costed at the same seconds of audio, and say so") {
    const auto d = run("task: {id: automatic-speech-recognition, confidence: 0.9}\nmodalities: [audio]\ndeployment: {device: nvidia-l4}\n");
    std::map<std::string, double> seconds;
    std::map<std::string, std::string> basis;
    for (const auto& c : d.find("candidates")->as_list()) {
      const std::string id = c.find("model")->as_string();
      if (c.find("task")->as_string() != "automatic-speech-recognition" || !c.find("composition") || c.find("composition")->is_null()) continue;
      const sml::Doc* s = c.path("serving.audio_s");
      REQUIRE_MESSAGE(s, (id + " states no serving.audio_s"));
      seconds[id] = *s->as_number();
      if (const sml::Doc* b = c.find("forward_basis")) basis[id] = b->as_string();
    }
    REQUIRE(seconds.count("wav2vec2-base-960h"));
    REQUIRE(seconds.count("hubert-large-ls960-ft"));
    REQUIRE(seconds.count("whisper-tiny"));
    for (const auto& [id, s] : seconds) CHECK_MESSAGE(s == 30, id);
    CHECK(basis["wav2vec2-base-960h"].find("input_values 1x480000 float32; 30 s of audio") != std::string::npos);
    CHECK(basis["whisper-tiny"].find("input_features 1x80x3000 float32") != std::string::npos);
    CHECK(basis["whisper-tiny"].find("30 s of audio") != std::string::npos);
  }

  TEST_CASE("audio classification: AST and YAMNet are costed at the same 10.24 s clip") {
    // AST takes a fixed 1,024 frames (10.24 s); YAMNet was costed per 0.96 s patch, which ranked it
    // about 21× too cheap beside AST. Both now state serving.audio_s 10.24 (YAMNet: 21 patches).
    const auto d = run("task: {id: audio-classification, confidence: 0.9}\nmodalities: [audio]\ndeployment: {device: nvidia-l4}\n");
    std::map<std::string, double> seconds;
    for (const auto& c : d.find("candidates")->as_list()) {
      if (c.find("task")->as_string() != "audio-classification") continue;
      const std::string id = c.find("model")->as_string();
      const sml::Doc* s = c.path("serving.audio_s");
      REQUIRE_MESSAGE(s, (id + " states no serving.audio_s"));
      seconds[id] = *s->as_number();
    }
    REQUIRE(seconds.count("ast-audioset"));
    REQUIRE(seconds.count("yamnet"));
    for (const auto& [id, s] : seconds) CHECK_MESSAGE(s == 10.24, id);
  }
}
