// sml-describe's rules of round 14 (#16): a running system gone slow, a limit hit, a certificate
// to renew or a thing that no longer works is an operations report; a country adjective on the
// place the work is about, after a preposition, places it; a quantity in a unit or what is left of
// something is a number, not an anomaly flag; people called agents are no learning agent;
// "speaking" after the people in recordings describes the data. Every statement here was written
// for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "../../lib/describe/fault_report.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("operations symptoms, limits and certificates are declined") {
    CHECK(d::read_fault_report("The ETL job has become very slow and the queue lag keeps growing.").weight >= 1.5);
    CHECK(declined("Our certificate for api.example.org expires next week; please renew it on the ingress."));
    CHECK(declined("Since the last release the dashboard doesn't load the charts anymore; please help us fix it."));
    CHECK(declined("Our object-detection service is slow: GPU utilisation is only 15% and requests pile up. Where is the bottleneck?"));
    // A learning problem that says how fast it must be stays one.
    CHECK(text_of("Detect forklifts in the warehouse camera at 10 frames per second on a Jetson Nano.", "task.id") ==
          "object-detection");
  }

  TEST_CASE("a country adjective on the place after a preposition places it; on a document it does not") {
    CHECK(text_of("Count the sheep on Irish hill farms from drone photos.", "deployment.region") == "IE");
    CHECK(text_of("Spot weeds in Dutch greenhouses from the cameras over each bench.", "deployment.region") == "NL");
    CHECK(text_of("Pull the party names out of Polish court judgments.", "deployment.region") == "");
  }

  TEST_CASE("a quantity in a unit and what is left are a number, not an anomaly flag") {
    const std::string wear = text_of("Estimate the tread depth of each tyre in millimetres from the pressure sensor and a photo.", "task.id");
    CHECK(wear != "anomaly-detection");
    const std::string life = text_of("From the vibration sensors, predict how many days each bearing has left before it fails.", "task.id");
    CHECK((life == "tabular-regression" || life == "time-series-forecasting"));
  }

  TEST_CASE("people called agents and people speaking in recordings") {
    CHECK(text_of("Route every chat to one of 12 teams, learning from the chats our agents already routed.", "task.id") ==
          "text-classification");
    CHECK(text_of("From 800 recordings of pupils speaking English, tell which of three levels each pupil is at.", "task.id") ==
          "audio-classification");
  }

  TEST_CASE("a live transcript is made, not given; a transcript handed over is read") {
    // Merged-tree check after heldout8 (#15) read "Live English transcripts of the radio channel"
    // as token classification: a transcript made as the speech happens is the output.
    // (Token classification before this rule: the radio is no audio word, so only the transcript spoke.)
    CHECK(text_of("Live German transcripts of the police radio on a laptop.", "task.id") == "automatic-speech-recognition");
    CHECK(text_of("Summarise the transcripts of each consultation into three bullet points for the GP.", "task.id") ==
          "summarization");
  }

  TEST_CASE("a device named at the end of a sentence keeps no full stop") {
    // Read as "pixel 7." before: the sentence's full stop was taken into the product name. The
    // Pixel 7 is now a catalogue alias (google-tensor-g2), so a phone the catalogue lacks keeps the
    // check on device_text.
    CHECK(text_of("Tell the tomato leaf disease from a photo, offline on mid-range phones like a Pixel 6.",
                  "deployment.device_text") == "pixel 6");
    CHECK(text_of("Tell the tomato leaf disease from a photo, offline on mid-range phones like a Pixel 7.",
                  "deployment.device") == "google-tensor-g2");
  }
}
