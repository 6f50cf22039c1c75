// sml-describe's conservative reading of round 24 (#16): the requirement rule (requirement_stated in
// constraints.cpp) keeps a latency, accuracy, memory, energy or carbon figure only where the text asks
// for it; the class rule (with_classes_of in describe.cpp) keeps a count of kinds only for a task
// whose output is a kind; a device named by a model number the catalogue lacks stays unknown, not its
// line's neighbour; a town WordNet knows places nothing unless a word places it; a language's country
// is not where the writer is. Every sentence was written for this file (none is in a validation set),
// in pairs: a requirement kept, the same figure as context dropped.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("requirement rule: a latency asked for is kept, a time measured or a window is not") {
    CHECK(d::parse_constraints("each answer has to come back within 300 ms").latency_s.value_or(0) == doctest::Approx(0.3));
    CHECK(d::parse_constraints("we need it under 40 ms per image").latency_s.value_or(0) == doctest::Approx(0.04));
    CHECK(d::parse_constraints("a p99 of 25 ms for the ranking call").latency_s.value_or(0) == doctest::Approx(0.025));
    CHECK(d::parse_constraints("120 ms or less per request would be fine").latency_s.value_or(0) == doctest::Approx(0.12));
    // Context: a silence the audio is cut at, a figure a paper reports.
    CHECK_FALSE(d::parse_constraints("the clip ends once 700 ms of silence follow the speech").latency_s);
    CHECK_FALSE(d::parse_constraints("the paper reports 35 ms per image for the base model").latency_s);
  }

  TEST_CASE("requirement rule: a figure written twice is kept where any of its places asks for it") {
    // The reader gives the text it matched, not where: judged only at the first place, the measured
    // 200 ms would drop the 200 ms asked for (review of s36).
    CHECK(d::parse_constraints("the old model took 200 ms per image; the new one has to stay within 200 ms")
              .latency_s.value_or(0) == doctest::Approx(0.2));
    CHECK(d::parse_constraints("it reached 85% accuracy last spring, and the new one must reach 85% accuracy too")
              .accuracy_min.value_or(0) == doctest::Approx(0.85));
    // Written twice and asked for nowhere: still dropped.
    CHECK_FALSE(d::parse_constraints("the old model took 200 ms per image and the paper's took 200 ms per image too").latency_s);
  }

  TEST_CASE("requirement rule: an accuracy targeted is kept, a score already reached is not") {
    CHECK(d::parse_constraints("the classifier should reach 88% accuracy").accuracy_min.value_or(0) == doctest::Approx(0.88));
    CHECK(d::parse_constraints("87% accuracy or better on our held-out week").accuracy_min.value_or(0) == doctest::Approx(0.87));
    CHECK(d::parse_constraints("a top-1 of 80 percent is the target").accuracy_min.value_or(0) == doctest::Approx(0.80));
    CHECK_FALSE(d::parse_constraints("our baseline got 91% accuracy on the 2021 split").accuracy_min);
    CHECK_FALSE(d::parse_constraints("the published checkpoint has a top-1 of 80 percent").accuracy_min);
  }

  TEST_CASE("requirement rule: a machine's memory or a size limit is kept, a model's size told as history is not") {
    CHECK(d::parse_constraints("it runs on a board with 512 MB of RAM").memory_bytes.value_or(0) == doctest::Approx(512e6));
    CHECK(d::parse_constraints("the weights must stay under 30 MB").memory_bytes.value_or(0) == doctest::Approx(30e6));
    CHECK_FALSE(d::parse_constraints("last year we shipped a 90 MB model that nobody liked").memory_bytes);
    CHECK_FALSE(d::parse_constraints("we moved from the 300 MB model to a distilled one").memory_bytes);
  }

  TEST_CASE("requirement rule: a carbon budget is kept, an emission reported is not") {
    CHECK(d::parse_constraints("training may emit at most 40 kg CO2e").co2e_kg_max.value_or(0) == doctest::Approx(40));
    CHECK_FALSE(d::parse_constraints("our office reported 900 kg CO2 of travel last quarter").co2e_kg_max);
  }

  TEST_CASE("requirement rule: a rate per second carries its own requirement; a rate measured stays none") {
    CHECK(d::parse_constraints("spot the gulls on the pier camera at 12 fps").throughput_fps.value_or(0) == doctest::Approx(12));
    CHECK_FALSE(d::parse_constraints("the pier camera detector right now gets 4 fps").throughput_fps);
  }

  TEST_CASE("requirement rule: numbers describing the data or the setting are no requirement") {
    const d::Constraints c = d::parse_constraints("we have 3 GPUs and the 2019 photos, shot with a 12 MP camera");
    CHECK_FALSE(c.latency_s);
    CHECK_FALSE(c.memory_bytes);
    CHECK_FALSE(c.accuracy_min);
    CHECK_FALSE(c.throughput_fps);
  }

  TEST_CASE("class rule: a list beside a task that outputs no kind is no class count") {
    // Translation: the languages listed are no classes.
    CHECK(number_of("Our offline engine must translate manuals between English, Dutch, Polish or Czech.",
                    "constraints.classes") == 0);
    // Guard: the same shape of list for a classification is its classes.
    CHECK(number_of("Sort each incoming support email into billing, shipping, returns or other.", "constraints.classes") ==
          doctest::Approx(4));
  }

  TEST_CASE("a model number the catalogue lacks is unknown, not the line's catalogue model") {
    const sml::Doc doc = describe_statement("Transcribe my podcast episodes on my old desktop with an Intel Core i5-6500.");
    const sml::Doc* device = doc.path("deployment.device");
    CHECK((device == nullptr || device->is_null()));
    CHECK(text_of("Transcribe my podcast episodes on my old desktop with an Intel Core i5-6500.", "deployment.device_text")
              .find("6500") != std::string::npos);
  }

  TEST_CASE("places: a town met in passing or a language's country is not where the writer is") {
    CHECK(text_of("Summarise our release notes; we build them with Sphinx and Argos and publish weekly.",
                  "deployment.region") == "");
    CHECK(text_of("Read the street signs written in Tamil, a language of India and Sri Lanka, from dashcam photos.",
                  "deployment.region") == "");
    // Guard: a country named as where the writer is still places it.
    CHECK(text_of("Forecast next week's bakery sales for our shops in Portugal.", "deployment.region") == "PT");
  }
}
