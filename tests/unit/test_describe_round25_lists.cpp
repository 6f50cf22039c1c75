// sml-describe's reading of round 25 (#16): the colon rule (read_classes in constraints_classes.cpp)
// counts a list after a colon as the classes where the words before the colon ask for kinds, and
// only there; a size before a word of memory is the machine's memory, in whatever unit it is written
// (kMemoryWords, one list for read_memory and the requirement rule), except a training machine's
// (read_numbers in describe.cpp, CONVENTIONS.md C7); a place inside the name of a body (without_data_places in deployment.cpp) places
// nobody. Every sentence was written for this file (none is in a validation set), in pairs: the
// rule applied, the same shape where it must not apply.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("colon rule: a list after a colon is the classes where its sentence asks for kinds") {
    // A count that the list agrees with, whatever the noun ("calls" is no word of kinds).
    CHECK(d::parse_constraints("Spot four bird calls in the garden recordings: a robin singing, a wren, a blackbird alarm and a jay")
              .classes.value_or(0) == 4);
    // A word for kinds before the colon, with words between: the whole list, not the piece after "to".
    CHECK(d::parse_constraints("Sort each ticket into the categories our team set up: refund request, pass to billing, or close as spam.")
              .classes.value_or(0) == 3);
    // A verb of telling kinds apart before the colon.
    CHECK(d::parse_constraints("The camera should recognise what the dog is doing: sitting, lying down and begging.")
              .classes.value_or(0) == 3);
  }

  TEST_CASE("colon rule: a list after a colon that asks for no kinds counts no classes") {
    // Which tool to take: products, not classes.
    CHECK_FALSE(d::parse_constraints("We want to transcribe our meetings. Which engine should we try first: Vosk, Kaldi or Coqui?").classes);
    // A count the list does not agree with, and no word of kinds.
    CHECK_FALSE(d::parse_constraints("We ran 5 experiments last month: small, base and large.").classes);
    // "recognition" names a task, no verb of telling kinds apart; which engine to take (review of s37).
    CHECK_FALSE(d::parse_constraints("Which speech recognition engine should we try: Vosk, Kaldi or Coqui?").classes);
    // A count of models tried that the list agrees with: still no kinds.
    CHECK_FALSE(d::parse_constraints("We tried 3 models: small, base and large.").classes);
  }

  TEST_CASE("a place inside the name of a body places nobody") {
    // The body's name: no region.
    CHECK(text_of("Forecast hourly river levels at each gauge, trained on the readings we downloaded from the Norway Hydrology Service portal.",
                  "deployment.region") == "");
    CHECK(text_of("Fine-tune one of the Helsinki-NLP models to translate our product manuals from English to Dutch.",
                  "deployment.region") == "");
    // The same place as where the writer is: still read.
    CHECK(text_of("Forecast hourly river levels at each gauge for our utility in Norway.", "deployment.region") == "NO");
  }

  TEST_CASE("memory words: a size before a word of memory is the machine's, written short or with \"of\"") {
    CHECK(d::parse_constraints("summarise our meeting notes on my old desktop with 6g vram and nothing else").memory_bytes.value_or(0) ==
          doctest::Approx(6e9));
    CHECK(d::parse_constraints("caption product photos on a mini pc with 16G RAM under the counter").memory_bytes.value_or(0) ==
          doctest::Approx(16e9));
    CHECK(d::parse_constraints("transcribe the call recordings on a workstation with 64GB of DDR4 and no GPU").memory_bytes.value_or(0) ==
          doctest::Approx(64e9));
    // A bare G before no word of memory is a network; a size "of" data is data.
    CHECK_FALSE(d::parse_constraints("our field tablets have 5g coverage on the whole farm").memory_bytes);
    CHECK_FALSE(d::parse_constraints("index the 40 GB of scanned letters we hold").memory_bytes);
  }

  TEST_CASE("a size written just after a training machine's name is its memory, no constraint (C7)") {
    CHECK(number_of("Can I fine-tune the translation model using one A100 GPU with 80GB memory? The guide only shows it with eight.",
                    "constraints.memory_bytes") == 0);
    CHECK(number_of("We train the detector on an A100 with 40GB of memory and run it on a phone.", "constraints.memory_bytes") == 0);
    // The machine it is served on keeps its memory.
    CHECK(number_of("We fine-tune on two A100s (40GB) and serve on a laptop with 8G RAM.", "constraints.memory_bytes") ==
          doctest::Approx(8e9));
    // Even written just after the training machine, past the word that moves on to serving (review of s37).
    CHECK(number_of("We fine-tune on an A100 and run on 16GB RAM at the shop.", "constraints.memory_bytes") == doctest::Approx(16e9));
  }
}
