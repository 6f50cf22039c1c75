// sml-describe's rules of round 10 (#16), on heldout-8's misses: a load per minute; a place the data
// shows is no deployment region; "X or not" is no class list; "sounds A, B or C" lists classes;
// things picked out of a text are entity types; what a model is fine-tuned on is its data; a voice
// note is audio; totals mailed on a weekday and an exact-match rule are not ML.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include "describe_text.hpp"

TEST_SUITE("describe") {
  TEST_CASE("a count per minute is a load of 1,440 times as many a day") {
    CHECK(number_of("Spot scratches on the phone cases coming off our press, 12 cases per minute.", "deployment.queries_per_day") ==
          doctest::Approx(12 * 1440));
    // A duration per day is still no load.
    CHECK(number_of("Forecast footfall for our gym; members train about 45 minutes a day.", "deployment.queries_per_day") == 0);
  }

  TEST_CASE("a place the data shows is not where the organisation is") {
    CHECK(text_of("Map solar panels on roofs in aerial photos covering Kenya.", "deployment.region") == "");
    // WordNet's holonyms do not bring it back (Crete is part of Greece).
    CHECK(text_of("Find olive groves in drone imagery of Crete.", "deployment.region") == "");
    // A place where the writer is still counts.
    CHECK(text_of("Our team in Crete wants to find olive groves in drone photos.", "deployment.region") == "GR");
  }

  TEST_CASE("one kind or not is no class list; A, B or C after a verb of seeming is") {
    CHECK(number_of("Decide if a forum post is spam or not.", "constraints.classes") == 0);
    CHECK(number_of("Tell whether a cat in the video looks relaxed, curious or scared.", "constraints.classes") == 3);
    CHECK(number_of("Say whether the engine sounds healthy or worn.", "constraints.classes") == 2);
  }

  TEST_CASE("things picked out of documents are the entity types") {
    CHECK(number_of("Pick out patient names, drug doses and visit dates from discharge letters.", "constraints.classes") == 3);
    CHECK(number_of("Pull out the sender, order numbers and delivery addresses from customer emails.", "constraints.classes") == 3);
  }

  TEST_CASE("what a model is fine-tuned or trained on is its data") {
    CHECK(number_of("We want to fine-tune a small model on our 5k support macros so it drafts replies.", "constraints.data_samples") ==
          doctest::Approx(5000));
    CHECK(number_of("Train a tagger on all our 12,000 recipe pages.", "constraints.data_samples") == doctest::Approx(12000));
    // Pages to be processed, with no training verb, stay a workload.
    CHECK(number_of("Translate our 3k wiki pages into German.", "constraints.data_samples") == 0);
  }

  TEST_CASE("a voice note is audio, not a picture") {
    const std::string s = "label my telegram voice messages as work or family";
    CHECK(text_of(s, "task.id") == "audio-classification");
  }

  TEST_CASE("totals mailed on a weekday and records matched by an exact rule are not ML") {
    CHECK(text_of("Every Friday, take this week's orders from our database, sum them per customer and email the table to sales.", "task.id") == "");
    CHECK(text_of("Merge our two mailing lists: rows are the same contact when the phone number matches exactly, ignoring case.", "task.id") == "");
    // Near-duplicates written in other words still are.
    CHECK(text_of("Find support tickets that ask the same thing in different words.", "task.id") != "");
  }
}
