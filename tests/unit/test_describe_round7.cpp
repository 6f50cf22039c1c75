// sml-describe's rules of round 7 (#16): a multiplier is a word of its own; a count that holds the
// text is no data set; a bracketed list gives classes only after a question of which; slash pairs
// need a whole word of sorting before them. Every statement here was written for this file (none
// is in a validation set).
#include <doctest/doctest.h>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"

namespace d = sml::describe;

namespace {
double classes_of(const std::string& text) {
  const auto c = d::parse_constraints(text);
  return c.classes ? *c.classes : 0;
}
double samples_of(const std::string& text) {
  const auto c = d::parse_constraints(text);
  return c.data_samples ? *c.data_samples : 0;
}
double load_of(const std::string& statement) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path("deployment.queries_per_day");
  return v && !v->is_null() ? v->as_number().value_or(0) : 0;
}
}  // namespace

TEST_SUITE("describe-roles") {
  TEST_CASE("a multiplier letter is a word of its own: 30 manuals are thirty, 30m rows thirty million") {
    // 60 menus a month = 2 a day (not 60 million a month: "m" + "enus").
    CHECK(load_of("Translate our restaurant menus from Italian into English, about 60 menus a month.") == doctest::Approx(2.0));
    CHECK(samples_of("We have 30m labelled rows of click logs to train a ranker.") == doctest::Approx(3e7));
    CHECK(samples_of("We have 12k labelled photos of moths.") == doctest::Approx(12000));
  }
  TEST_CASE("a count that holds the text is where it is kept, not examples") {
    CHECK(samples_of("Our safety rules are spread across 80 PDF files; staff should ask questions and get the passage.") == 0);
    CHECK(samples_of("The answers live in 300 wiki pages.") == 0);
    // Held ("we have ... in") stays data.
    CHECK(samples_of("We have 4,000 labelled invoices in 12 folders.") == doctest::Approx(4000));
  }
  TEST_CASE("a bracketed list: classes after a question of which, nothing otherwise") {
    CHECK(classes_of("Tell which pump is failing from its vibration (bearing, seal, impeller or none).") == 4);
    CHECK(classes_of("Identify which tool is in use from the sound (saw, sander, router, drill or nothing)") == 5);
    // What makes an item unusual is no set of classes, nor is the pair at the list's tail.
    CHECK(classes_of("Flag odd card payments (strange shop, amount or time) among 2M a day.") == 0);
  }
  TEST_CASE("a slash pair needs a whole word of sorting before it") {
    CHECK(classes_of("summaries for long forum threads so moderators can act faster, ~800 threads/day") == 0);
    CHECK(classes_of("Fine-tune on 20k past question/answer pairs.") == 0);
    CHECK(classes_of("Sort the scans as invoice / receipt / letter.") == 3);
  }
  TEST_CASE("the box a model is served from is a computer, not a box drawn") {
    CHECK(task_of("Train a classifier for 37 cat breeds from 7k pet photos and serve it from the same box") == "image-classification");
  }
  TEST_CASE("a thing detected with nothing said of sound is seen") {
    CHECK(task_of("detect foxes near the chicken coop with a Coral stick and switch on a light") == "object-detection");
    // Said to be heard, it stays sound.
    CHECK(task_of("detect foxes near the chicken coop from their calls on a microphone") != "object-detection");
  }
  TEST_CASE("things spotted in a moving view are boxed") {
    CHECK(task_of("phone app that spots road potholes live in the camera preview") == "object-detection");
  }
  TEST_CASE("when someone starts or stops speaking is voice activity") {
    CHECK(task_of("mute the mic automatically when the presenter stops talking, on a laptop") == "voice-activity-detection");
  }
  TEST_CASE("an assistant answering with no text to answer from writes; with a handbook it finds the answer") {
    CHECK(task_of("a chat assistant that answers guests' questions about check-in and parking in Italian") == "text-generation");
    CHECK(task_of("a chat assistant that answers guests' questions from our 40-page house handbook and quotes the paragraph") ==
          "question-answering");
  }
  TEST_CASE("a number from the readings of one moment is a regression over features; with time it is a forecast") {
    CHECK(task_of("Estimate how much fertiliser each field needs from 8 soil sensor readings") == "tabular-regression");
    CHECK(task_of("Forecast how much water the fields need tomorrow from two years of hourly sensor readings") ==
          "time-series-forecasting");
  }
  TEST_CASE("the words of a slash list of classes are not task cues") {
    CHECK(task_of("Sort 500k scanned forms into letter / typed document / handwritten note / photo on our server") ==
          "image-classification");
  }
  TEST_CASE("a country adjective on the writer's people or a named body places the organisation") {
    auto region_of = [](const std::string& statement) {
      const sml::Doc doc = describe_statement(statement);
      const sml::Doc* v = doc.path("deployment.region");
      return v && !v->is_null() ? v->as_string() : std::string();
    };
    CHECK(region_of("Transcribe the calls our Finnish support agents take each day.") == "FI");
    CHECK(region_of("Detect oil spills in radar images for the Norwegian coastal administration.") == "NO");
    CHECK(region_of("Forecast footfall for our shops in the UK.") == "GB");
    // Content and others are no place: a language after the adjective, or no "our"/"the" before it.
    CHECK(region_of("Transcribe 50 hours of Swiss German interviews.") == "");
    CHECK(region_of("Summarise minutes of Dutch city council meetings.") == "");
  }
}
