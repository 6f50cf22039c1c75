// sml-describe's reading of round 27 (#16, describe41): the out-of-scope kinds "law" and
// "signal-processing" (catalog/out-of-scope.yaml) decline a request only when it asks their
// question itself (what a law requires; a DSP result as the deliverable), not when their words
// stand in a clause of context, preprocessing or contrast beside a learning request
// (lib/describe/outside_question.hpp).
// The first seven sentences are the merge review's (/tmp/review-describe, session 39); the rest
// were written for this file. None is in a validation set. Each ML check below declined the request
// (task: null) on main's binary at 154e780c; the not-ML checks are guards (they passed there).
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "describe_text.hpp"

namespace {
struct Ml {
  const char* text;
  const char* task;  // "" where any catalogue task will do
};
}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("round 27: law words in a clause of context beside a learning request keep the task") {
    for (const auto& ml : {
             Ml{"Our factory must comply with ISO 9001; we want a visual inspection model that detects missing screws on "
                "circuit boards.",
                "image-classification"},
             Ml{"Summarize new EU regulations for our legal team (in plain English, one page each).", "summarization"},
             Ml{"Because of data protection we cannot send images to the cloud; run the face blurring detector on device.",
                "object-detection"},
         }) {
      CAPTURE(ml.text);
      const std::string task = task_of(ml.text);
      CHECK_FALSE(task.empty());
      if (*ml.task) CHECK(task == ml.task);
    }
  }

  TEST_CASE("round 27: a DSP step before, beside or instead of a model keeps the task") {
    for (const char* text : {
             "Detect arrhythmias in single-lead ECG after a band-pass filter; 5 beat classes, runs on a wearable with 512 KB RAM.",
             "Speech emotion recognition on call audio; we apply a high-pass filter to remove mains hum first; 6 emotions.",
             "Learn a denoising filter for seismic traces instead of a hand-tuned band-pass filter; 2k labelled traces.",
             "Detect gunshots in city audio; we use the Fourier transform features and need a small model on a Raspberry Pi 4.",
             "Replace our hand-tuned notch filter with a neural network that removes powerline noise from ECG; we have clean "
             "and noisy pairs.",
             "Keyword spotting on a microcontroller; the microphone signal goes through a band-pass filter first; 10 keywords.",
             "Bearing fault diagnosis from vibration; we compute Fourier transform features first; 4 fault types, 2k recordings.",
             "Snore detection in bedroom audio with a high-pass filter applied first; tiny model on an ESP32.",
             "Cough counting on a phone from audio that we pass through a band-pass filter first; 2 classes.",
         }) {
      CAPTURE(text);
      CHECK_FALSE(task_of(text).empty());
    }
  }

  TEST_CASE("round 27: guards: asking the law or DSP question itself is still declined") {
    CHECK(declined("What must we do under HIPAA when a laptop with patient data is stolen?"));
    CHECK(declined("What is the legal basis under the GDPR for processing our employees' location data?"));
    CHECK(declined("Does our use of customer e-mail addresses for marketing comply with the GDPR?"));
    CHECK(declined("Calculate the RMS and the peak frequency of each vibration recording and plot the spectrum."));
  }
}
