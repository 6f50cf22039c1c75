// Speech candidates for one task are costed at the same seconds of audio (issue 13): wav2vec 2.0
// and HuBERT were costed at 1 s and Whisper at 30 s, which ranked the CTC models ~30× too cheap.
// Every speech-recognition architecture now states `audio_s: 30` (Whisper's one-pass window), and
// each candidate prints the seconds it was costed at.
#include <doctest/doctest.h>

#include <map>

#include "describe_text.hpp"
#include "sml/suggest/suggest.hpp"
#include "suggest_toy.hpp"

namespace {
sml::Doc run(const std::string& body) { return sml::suggest::suggest(real_suggest_options(body)); }
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

// An always-on input (deployment.continuous): a monitor that listens all day runs once per window
// of its own input: 86,400 s ÷ 10.24 s = 8,437.5 clips a day for AST and YAMNet (the 10.24 s clip
// both are costed at), not the 1,000-a-day default.
TEST_SUITE("suggest") {
  TEST_CASE("a continuous stream is costed per candidate from its own input window; a stated load wins") {
    const std::string task = "task: {id: audio-classification, confidence: 0.9}\nmodalities: [audio]\n";
    auto load = [](const sml::Doc& d, const std::string& id) {
      for (const auto& c : d.find("candidates")->as_list())
        if (c.find("model")->as_string() == id) return *c.path("serving.queries_per_day")->as_number();
      return -1.0;
    };
    const auto on = run(task + "deployment: {device: raspberry-pi-5, continuous: true}\n");
    CHECK(load(on, "yamnet") == doctest::Approx(8437.5));
    CHECK(load(on, "ast-audioset") == doctest::Approx(8437.5));
    CHECK(on.path("plan.queries_per_day")->as_number() == 1000.0);  // kept only where no window is known
    const auto plain = run(task + "deployment: {device: raspberry-pi-5}\n");
    CHECK(load(plain, "yamnet") == doctest::Approx(1000));
    // Serving energy scales with the load: 8.4375× the default's.
    double on_kwh = 0, plain_kwh = 0;
    for (const auto& c : on.find("candidates")->as_list())
      if (c.find("model")->as_string() == "yamnet") on_kwh = *c.path("serving.energy_kwh")->as_number();
    for (const auto& c : plain.find("candidates")->as_list())
      if (c.find("model")->as_string() == "yamnet") plain_kwh = *c.path("serving.energy_kwh")->as_number();
    CHECK(on_kwh == doctest::Approx(plain_kwh * 8.4375).epsilon(1e-6));
    const auto stated = run(task + "deployment: {device: raspberry-pi-5, continuous: true, queries_per_day: 50}\n");
    CHECK(load(stated, "yamnet") == doctest::Approx(50));
    CHECK_THROWS(run(task + "deployment: {device: raspberry-pi-5, continuous: maybe}\n"));
  }
}

TEST_SUITE("describe") {
  TEST_CASE("an input watched all day is a continuous stream; a stated count or an ordinary request is not") {
    CHECK(text_of("baby monitor on a Raspberry Pi 5 that pings my phone when the baby cries; it listens all day", "deployment.continuous") == "true");
    CHECK(text_of("always-on glass-break detector on a Pi 4", "deployment.continuous") == "true");
    CHECK(text_of("monitor the compressor noise 24/7 from a microphone on a Jetson Nano", "deployment.continuous") == "true");
    CHECK(text_of("Classify environmental sounds (dog bark, siren, glass break) on a Raspberry Pi 4", "deployment.continuous").empty());
    CHECK(text_of("set up nightly backups of our Postgres database to S3, running all day", "deployment.continuous").empty());  // not ML: no deployment
  }
}
