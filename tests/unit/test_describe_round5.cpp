// sml-describe's rules of round 5 (#16): languages counted and read from who reads the result,
// stores that are search spaces, requests that are not learning problems (their numbers and places
// are not reported), and countries named by an adjective before an organisation, market or people.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/settings.hpp"

using doctest::Approx;
namespace d = sml::describe;

namespace {
std::string text_at(const sml::Doc& doc, const char* path) {
  const sml::Doc* v = doc.path(path);
  return v && !v->is_null() ? v->as_string() : "";
}
double number_at(const sml::Doc& doc, const char* path) {
  const sml::Doc* v = doc.path(path);
  return v && !v->is_null() ? v->as_number().value_or(-1) : -1;
}
bool rejected(const sml::Doc& doc) {
  const sml::Doc* t = doc.path("task");
  return t && t->is_null();
}
std::size_t keys(const sml::Doc& doc, const char* path) {
  const sml::Doc* v = doc.path(path);
  return v && v->is_map() ? v->size() : 0;
}
}  // namespace

TEST_SUITE("describe-roles") {
  TEST_CASE("languages: a number of languages is a count; 'into N languages' from a named source adds it") {
    CHECK(d::parse_languages("the helpdesk answers in some 40 languages").count == Approx(40));
    CHECK(d::parse_languages("machine translation between about 12 official languages").count == Approx(12));
    CHECK(d::parse_languages("ship the manual from german into 6 languages").count == Approx(7));
    CHECK(d::parse_languages("subtitles in a dozen languages").count == Approx(12));
    CHECK(d::parse_languages("translate the menus from french to english").count == 0);
    const sml::Doc doc = describe_statement("Translate chat messages between any two of our roughly 20 languages.");
    CHECK(text_at(doc, "task.id") == "translation");
    CHECK(number_at(doc, "languages.count") == Approx(20));
  }

  TEST_CASE("languages: the language its readers read, when the text is in another, is the target") {
    const auto a = d::parse_languages("clinic notes are written in portuguese and the visiting doctors only read french");
    CHECK(a.source == std::vector<std::string>{"pt"});
    CHECK(a.target == std::vector<std::string>{"fr"});
    const auto b = d::parse_languages("tamil forum posts for hindi readers");
    CHECK(b.source == std::vector<std::string>{"ta"});
    CHECK(b.target == std::vector<std::string>{"hi"});
    // Two languages, nobody reading one of them: both are what comes in.
    const auto c = d::parse_languages("support tickets arrive in english and french");
    CHECK(c.target.empty());
    CHECK(c.source.size() == 2);
    CHECK(text_at(describe_statement("Tamil forum posts for Hindi readers, about 300 a day."), "task.id") == "translation");
  }

  TEST_CASE("data: what sits in a store to be searched is no training data, unless held as examples") {
    CHECK_FALSE(d::parse_constraints("find the closest match among the 40k articles in our archive").data_samples);
    CHECK_FALSE(d::parse_constraints("about 7,500 issues in the tracker, find duplicates").data_samples);
    CHECK(d::parse_constraints("we have 40k articles in our archive").data_samples.value_or(0) == Approx(40000));
    CHECK(d::parse_constraints("12k labelled tickets to learn from").data_samples.value_or(0) == Approx(12000));
  }

  TEST_CASE("not ML: sorting by a field, hardware advice and assignment under constraints; no numbers or places kept") {
    const sml::Doc sort = describe_statement("How can I sort a 20 GB log file by timestamp on my laptop with 8 GB of RAM?");
    CHECK(rejected(sort));
    CHECK(keys(sort, "constraints") == 0);
    // Sorting into kinds is still a label to learn.
    CHECK(text_at(describe_statement("Sort incoming support e-mails by topic into 6 queues."), "task.id") == "text-classification");
    CHECK(rejected(describe_statement("Is a GTX 1660 enough for my study PC or should I use integrated graphics? Only word processing and browsing.")));
    CHECK(rejected(describe_statement("Assign 12 nurses to 30 home visits tomorrow, respecting their qualifications and travel time.")));
    const sml::Doc cron = describe_statement("Set up a cron job on our servers in Paris that rotates the 200 MB logs every night.");
    REQUIRE(rejected(cron));
    CHECK(keys(cron, "constraints") == 0);
    CHECK(text_at(cron, "deployment.region").empty());
    // A learning problem keeps its numbers and its place.
    const sml::Doc ml = describe_statement("Classify 3,000 labelled photos of roof damage into 4 kinds; our servers are in Paris.");
    CHECK(number_at(ml, "constraints.classes") == Approx(4));
    CHECK(text_at(ml, "deployment.region") == "FR");
  }

  TEST_CASE("places: a country adjective before a market, an organisation or people names the country") {
    CHECK(text_at(describe_statement("Predict asking prices for the Italian market from listing data."), "deployment.region") == "IT");
    const sml::Doc accents = describe_statement("Transcribe support calls, mostly Australian accents.");
    CHECK(text_at(accents, "deployment.region") == "AU");
    // An organisation: the country, not a language.
    const sml::Doc bank = describe_statement("A Swedish bank wants to flag fraudulent card payments from transaction records.");
    CHECK(text_at(bank, "deployment.region") == "SE");
    CHECK(bank.path("languages") == nullptr);
    // People: the country and the language they write in.
    const sml::Doc people = describe_statement("Sort the reviews from our French customers by sentiment.");
    CHECK(text_at(people, "deployment.region") == "FR");
    const sml::Doc* source = people.path("languages.source");
    REQUIRE(source);
    REQUIRE(source->size() == 1);
    CHECK(source->as_list().front().as_string() == "fr");
  }
}

TEST_SUITE("describe-roles") {
  TEST_CASE("boxes: the writer's machine ('an H100 box', 'a GPU box', 'we have a box') is no box drawn around things") {
    CHECK(text_at(describe_statement("Put our 30k shop images into one of 12 product types; training runs on an H100 box."), "task.id") ==
          "image-classification");
    CHECK(text_at(describe_statement("Group scanned leaf pictures by plant disease, 9 diseases, we rent a GPU box for it"), "task.id") ==
          "image-classification");
    CHECK(text_at(describe_statement("Label each photo as cat or dog; we have a box under the desk for training"), "task.id") ==
          "image-classification");
    // A box drawn around each thing is still detection.
    CHECK(text_at(describe_statement("Draw a box around every forklift in the warehouse camera images"), "task.id") == "object-detection");
  }
}
