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
}
