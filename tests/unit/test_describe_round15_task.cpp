// sml-describe's task reading of round 15 (#16; the round's not-ML rules are tested in
// test_describe_round15.cpp): a plural in "-ies" is the noun in "-y"
// ("categories" was read as "categorie"); a text that "sounds" angry is a text's tone, not sound;
// "whether the vehicle is a tractor, car, truck or bike" picks one of the kinds listed, a label, not
// boxes; kinds listed after "such as" are classes, and windows of sensor readings so labelled are
// rows of features, not a series to forecast; a degree after a verb of prediction is a clear
// number. Every statement here was written for this file (none is in a validation set); each task
// check failed on the round-14 binary (a1ccbd5) unless marked as a guard.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "sml/describe/text_task.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("a plural in -ies is the noun in -y; nouns in -ie keep theirs") {
    const auto w = d::TaskClassifier::words("categories queries batteries movies selfies species series boxes");
    REQUIRE(w.size() == 8);
    CHECK(w[0] == "category");
    CHECK(w[1] == "query");
    CHECK(w[2] == "battery");
    CHECK(w[3] == "movie");
    CHECK(w[4] == "selfie");
    CHECK(w[5] == "specie");  // as before: a plural-looking singular loses its "s" like any plural
    CHECK(w[6] == "serie");
    CHECK(w[7] == "boxe");  // unchanged: only the "s" is trimmed
  }

  TEST_CASE("a text that sounds some way is text; a caller who sounds so is audio") {
    CHECK(text_of("Flag customer e-mails that sound rude or threatening before an agent opens them.", "task.id") ==
          "text-classification");
    CHECK(text_of("Tell whether the note a nurse types into the chart sounds worried, neutral or reassuring.", "task.id") ==
          "text-classification");
    // Guard: something heard is what sounds so: still audio.
    CHECK(text_of("From the recorded support calls, tell whether the caller sounds calm or upset.", "task.id") ==
          "audio-classification");
  }

  TEST_CASE("whether the item is one of the kinds listed is a label, not boxes") {
    CHECK(text_of("Gate camera at the depot: say if the arriving vehicle is a forklift, a pallet truck, a tractor unit or a van.",
                  "task.id") == "image-classification");
    CHECK(text_of("At the weighbridge camera, decide if each lorry is a tipper, a tanker, a flatbed or a car transporter.",
                  "task.id") == "image-classification");
    // Guard: where a thing is ("in the loading bay or not") is no list of kinds.
    CHECK(text_of("Draw boxes around every pallet truck in the warehouse camera and say whether it is in the loading bay or not.",
                  "task.id") == "object-detection");
  }

  TEST_CASE("kinds listed after 'such as' are classes; labelled windows of readings are rows") {
    CHECK(text_of("From the fitness band's accelerometer, predict the activity, e.g. running, cycling, swimming or resting, "
                  "for each 5-second window of readings.",
                  "task.id") == "tabular-classification");
    CHECK(text_of("Predict the machine's operating mode, such as idle, cutting, drilling or cooling, from one-second windows "
                  "of its current and vibration sensor readings.",
                  "task.id") == "tabular-classification");
    CHECK(text_of("Identify each stroke type, such as freestyle, backstroke, breaststroke or butterfly, from 2-second windows "
                  "of the swimmer's watch accelerometer readings.",
                  "task.id") == "tabular-classification");
    // Guard: a degree with no kinds listed stays a number.
    CHECK(text_of("Predict the surface hardness of each casting from the furnace temperature log.", "task.id") !=
          "tabular-classification");
  }

  TEST_CASE("product titles named as the items are text, whatever the catalogue words say") {
    CHECK(text_of("Tag each product title of the catalogue with its category; 450 categories in all.", "task.id") ==
          "text-classification");
    CHECK(text_of("Group the catalogue's product titles into the shop's 35 categories.", "task.id") == "text-classification");
  }

  TEST_CASE("summaries read are text in, not a summary asked for") {
    // Guards: once "summaries" meant "summary", these read as summarisation; the round-14 binary
    // read them right only because "summarie" was no word it knew.
    CHECK(text_of("Mark every medication name in the nursing shift summaries.", "task.id") == "token-classification");
    CHECK(text_of("Extract the diagnoses from 20k radiology summaries; 800 are annotated.", "task.id") == "token-classification");
    CHECK(text_of("Write short summaries of our support tickets for the weekly report.", "task.id") == "summarization");
  }

  TEST_CASE("a degree of a surface to predict is a number, however much the sensors sound like fault watching") {
    CHECK(text_of("Predict the surface waviness of each stamped part from the press's vibration sensor and photos.", "task.id") ==
          "tabular-regression");
    CHECK(text_of("Estimate the surface glossiness of every painted part from the booth's vibration sensor and photos of the panel.",
                  "task.id") == "tabular-regression");
  }
}
