// sml-describe's rules of round 8 (#16): places WordNet puts inside a catalogue country; counts
// written with number words and suffixes; data to process is not training data; requests a
// deterministic tool answers; anomaly detection from normal examples only.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include "describe_text.hpp"

namespace {
std::string field(const std::string& statement, const char* path) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path(path);
  return v && !v->is_null() ? v->as_string() : "";
}
}  // namespace

TEST_SUITE("describe-roles") {
  TEST_CASE("a city or island WordNet places in a catalogue country gives that country") {
    // WordNet 3.0 part holonyms: Kyoto -> Honshu -> Japan, Sicily -> Italy, Cebu -> Philippines;
    // "Vietnam" is one synset with the catalogue's "Viet Nam", "Turkey" the former ISO name of Türkiye.
    CHECK(field("Our clinic in Kyoto wants to classify skin lesion photos into 7 types.", "deployment.region") == "JP");
    CHECK(field("A winery on Sicily wants to forecast grape harvest weight from weather data.", "deployment.region") == "IT");
    CHECK(field("Our call centre in Cebu needs speech recognition for Tagalog calls.", "deployment.region") == "PH");
    CHECK(field("We are a shop in Vietnam and want to classify product photos.", "deployment.region") == "VN");
    CHECK(field("Our bakery chain in Turkey wants to forecast daily bread sales.", "deployment.region") == "TR");
    // A common noun in lower case is no place ("turkey" the bird, "manila" the paper), nor a word
    // capitalised only because it opens the sentence.
    CHECK(field("classify photos of turkey and chicken dishes for our menu app", "deployment.region") == "");
    CHECK(field("Reading handwritten forms into text is what we need for our archive.", "deployment.region") == "");
  }
}

TEST_SUITE("describe") {
  TEST_CASE("counts with inflected multipliers; what the model runs on is no training data") {
    auto samples = [](const std::string& s) {
      const sml::Doc doc = describe_statement(s);
      const sml::Doc* v = doc.path("constraints.data_samples");
      return v && !v->is_null() ? v->as_number() : 0.0;
    };
    // "3 millions", "10 thousands": the plural a French, Spanish or Italian writer uses.
    CHECK(samples("We have 4 millions of past insurance claims and want to predict the payout.") == doctest::Approx(4e6));
    CHECK(samples("i have 20 thousands labelled photos of mushrooms, which species is it") == doctest::Approx(2e4));
    // The verb of the task acting on the count: the workload ("caption our 300k listing photos").
    CHECK(samples("Caption our 300k listing photos for screen-reader users.") == 0);
    CHECK(samples("Which of these 5,000 survey answers mention pricing?") == 0);
  }
}

TEST_SUITE("describe-roles") {
  TEST_CASE("automation whose every step is stated is not a learning problem") {
    auto task = [](const std::string& s) {
      const sml::Doc doc = describe_statement(s);
      const sml::Doc* v = doc.path("task.id");
      return v && !v->is_null() ? v->as_string() : "none";
    };
    CHECK(task("Text every patient an SMS reminder two days before their appointment.") == "none");
    CHECK(task("Migrate our Python 2 codebase to Python 3 and refactor the print statements.") == "none");
    CHECK(task("In my spreadsheet of 40k orders, sort all the rows of the sheet by date then by price.") == "none");
    // A learning problem beside the same words stays one.
    CHECK(task("Predict which patients will miss their appointment so we can send them a reminder; 50k past visits.") != "none");
    CHECK(task("Sort incoming support emails into 6 teams by topic; 20k labelled emails.") == "text-classification");
  }
}

TEST_SUITE("describe-roles") {
  TEST_CASE("only normal examples mean anomaly detection; a quantity per coming period is a forecast") {
    auto task = [](const std::string& s) {
      const sml::Doc doc = describe_statement(s);
      const sml::Doc* v = doc.path("task.id");
      return v && !v->is_null() ? v->as_string() : "none";
    };
    CHECK(task("Find cracked tiles on the production line from camera images; we only have pictures of intact tiles.") ==
          "anomaly-detection");
    CHECK(task("Our café wants to know how many sandwiches to prepare each day; three years of till data.") ==
          "time-series-forecasting");
    CHECK(task("Turn scanned handwritten census forms into text for our archive.") == "image-to-text");
  }
}

TEST_SUITE("describe-roles") {
  TEST_CASE("what the job itself costs is no number to predict") {
    const sml::Doc doc = describe_statement(
        "We want to fine-tune a 7B LLM on 2B tokens of legal text with 4 A100s; how long will it take and how much energy?");
    const sml::Doc* v = doc.path("task.id");
    CHECK((v && !v->is_null() ? v->as_string() : "") == "text-generation");
    // A duration the model predicts is still one.
    const sml::Doc d2 = describe_statement("Predict how long each repair job will take from its description and 30k past jobs.");
    CHECK(d2.path("task.id")->as_string() != "text-generation");
  }
}

TEST_SUITE("describe") {
  TEST_CASE("a multiplied count is of cards; measured values make a count data") {
    auto samples = [](const std::string& s) {
      const sml::Doc doc = describe_statement(s);
      const sml::Doc* v = doc.path("constraints.data_samples");
      return v && !v->is_null() ? v->as_number() : 0.0;
    };
    CHECK(samples("We have 16 x A100 and want to pretrain a code model on our repositories.") == 0);
    CHECK(samples("Predict the melting point of alloys from their composition; 3k alloys with measured values.") ==
          doctest::Approx(3000));
  }
}

TEST_SUITE("describe-roles") {
  TEST_CASE("text in many languages wanted in one is a translation into that one") {
    const sml::Doc doc = describe_statement(
        "Our museum gets visitor feedback cards in many languages and the curators want to read them in French.");
    CHECK(doc.path("task.id")->as_string() == "translation");
    const sml::Doc* target = doc.path("languages.target");
    REQUIRE(target);
    CHECK(target->as_list().size() == 1);
    CHECK(target->as_list()[0].as_string() == "fr");
  }
}

TEST_SUITE("describe") {
  TEST_CASE("an entity recogniser's colon list names its entity types") {
    const sml::Doc doc = describe_statement(
        "We need an NER model for Dutch tenancy agreements: landlord, tenant, address, rent and start date.");
    const sml::Doc* v = doc.path("constraints.classes");
    REQUIRE(v);
    CHECK(v->as_number() == doctest::Approx(5));
  }
}
