// sml-describe's numbers, devices, places and languages of round 22 (#16), as the labelling
// conventions of tests/validation/describe/CONVENTIONS.md state them: "X-to-Y" names the source and
// the target; labels listed to score against, or in brackets after a word of kind, are the classes;
// an and/or that joins phrases lists no classes; a collection only searched, or items to be
// generated or written for, are no data; a place the data came from is no region; the machine the
// writer has or will buy is read with its make, model or year; a length in tokens attached to what
// is handed in is the prompt's. Every statement was written for this file (none is in a validation
// set); each check failed on the binary of 9bc1da0 unless marked as a guard.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "describe_text.hpp"


TEST_SUITE("describe") {
  TEST_CASE("a hyphenated language pair names the source and then the target") {
    const std::string s = "Adapt a Finnish-to-German model to our legal glossary so that clause numbers survive.";
    CHECK(list_of(s, "languages.source") == std::vector<std::string>{"fi"});
    CHECK(list_of(s, "languages.target") == std::vector<std::string>{"de"});
  }

  TEST_CASE("labels or prompts listed to score against are the classes, and no place among them is the region") {
    CHECK(number_of("Rate each support call against the prompts refund, outage, billing error and praise, with no "
                    "training data.",
                    "constraints.classes") == doctest::Approx(4));
    CHECK(number_of("Score each podcast episode against labels it never saw in training (comedy, crime, science, "
                    "history, sport).",
                    "constraints.classes") == doctest::Approx(5));
    CHECK(text_of("Tag each travel blog post against labels the model never saw (food, hiking, France, Italy).",
                  "deployment.region") == "");
    // A list in brackets after a word of kind, with no closing "and"/"or".
    CHECK(number_of("Sort the pallet photos by damage type (crushed, wet, torn, fine) before they reach the dock.",
                    "constraints.classes") == doctest::Approx(4));
    // Guard: an open list counts nothing.
    CHECK(number_of("Say what each cow is doing in the barn video (grazing, lying, walking and so on).",
                    "constraints.classes") == 0);
  }

  TEST_CASE("an and/or that joins phrases lists no classes; one that joins kinds does") {
    CHECK(number_of("Track and count trucks on ramps and at the loading docks at 15 fps.", "constraints.classes") == 0);
    // Guard: the kinds counted are the classes (CONVENTIONS.md C2).
    CHECK(number_of("Track and count trucks and vans at the loading docks at 15 fps.", "constraints.classes") ==
          doctest::Approx(2));
  }

  TEST_CASE("a list after a verb of finding or blanking out names the kinds, even after a 'with' that tags nothing") {
    CHECK(number_of("From the satellite tiles, find all the fields, forests, lakes and towns in each one.",
                    "constraints.classes") == doctest::Approx(4));
    CHECK(number_of("Before we share the forms with auditors, blank out names, birth dates and account numbers.",
                    "constraints.classes") == doctest::Approx(3));
    // Guards: two clauses, and a question's clause, are no lists of kinds.
    CHECK(number_of("Find the cheapest GPU and deploy the detector there.", "constraints.classes") == 0);
    CHECK(number_of("From the side photo, find where the knee, hip and ankle are and measure the angle.",
                    "constraints.classes") == 0);
  }

  TEST_CASE("a collection only searched, or items to be generated or written for, are no data to learn from") {
    CHECK(number_of("We hold roughly 250k archived support answers and want to look up the nearest ones for every "
                    "new question.",
                    "constraints.data_samples") == 0);
    CHECK(number_of("Generate 20,000 product descriptions from our spec sheets with a small LLM.",
                    "constraints.data_samples") == 0);
    CHECK(number_of("Write product descriptions for the 12,000 items we sell online, one paragraph each.",
                    "constraints.data_samples") == 0);
    // Guard: the same collection with labels to predict is data.
    CHECK(number_of("We have 250k archived support answers labelled helpful or unhelpful; predict which new answers "
                    "will be helpful.",
                    "constraints.data_samples") == doctest::Approx(250000));
  }

  TEST_CASE("a place the data came from is no region; the writer's own place is") {
    CHECK(text_of("The scans come from the Karolinska hospital in Stockholm; segment the tumours in each scan.",
                  "deployment.region") == "");
    // Guard: the organisation is there.
    CHECK(text_of("Our clinic in Stockholm wants to segment the tumours in each scan.", "deployment.region") == "SE");
  }

  TEST_CASE("the machine the writer has or will buy is read with its make, model or year") {
    CHECK(text_of("It has to run on my 2019 Dell XPS laptop, offline, and caption the photos I take.",
                  "deployment.device_class") == "laptop");
    CHECK(text_of("I plan to buy a laptop that can caption my holiday photos offline.", "deployment.device_class") ==
          "laptop");
    // Guard: phones the data comes from are no machine the writer has.
    CHECK(text_of("Our data comes from phones in the field; classify the plant disease.", "deployment.device_class") == "");
  }

  TEST_CASE("a length in tokens attached to what is handed in is the prompt's, not in a training set") {
    const std::string s = "Our agents paste chat histories of about 2,000 tokens into the assistant and the summary "
                          "should stay under 150 tokens.";
    CHECK(number_of(s, "deployment.prompt_tokens") == doctest::Approx(2000));
    CHECK(number_of(s, "deployment.output_tokens") == doctest::Approx(150));
    // Guard: examples to fine-tune on are no request.
    CHECK(number_of("We fine-tune a summariser on 40k dialogues of about 800 tokens each.", "deployment.prompt_tokens") == 0);
  }
}
