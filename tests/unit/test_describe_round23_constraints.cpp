// sml-describe's numbers, devices and places of round 23 (#16), each a general cause of a miss read
// from heldout-21 and heldout-20: an ordinal "second" is no time; a batch turnaround asked for is a
// latency; a verb after "to" is a purpose, not the state measured; a size written short ("M1 16G",
// "8go") is memory; a size asked about as an option, or the memory of a machine only measured on,
// is no limit; a path or a model's id is no slash list; a count of kinds with the kinds in brackets
// is the classes; pieces cut are no kinds; two outcomes of "whether ... will A or B" are classes; a
// relative clause's two states and a clause opened by "or do we" are none; requests served at once
// are no data; a device the writer does without, or a plain word that is also a name ("live
// coral"), is no device; Azure names regions by words; a business the writer runs places it. Every
// statement was written for this file (none is in a validation set); each check failed on the
// binary of main at 6066791 unless marked as a guard.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"

TEST_SUITE("describe") {
  TEST_CASE("an ordinal 'second' is no time; a turnaround asked of a batch is its latency") {
    CHECK(number_of("Train the detector first on clean footage and add the rare cases in a second pass; it runs on a "
                    "Jetson Orin Nano.",
                    "constraints.latency_s") == 0);
    CHECK(number_of("Transcribe our support calls to text; I'd like each day's calls done in about 20 minutes, today it "
                    "takes two hours on our server.",
                    "constraints.latency_s") == doctest::Approx(1200));
    // Guard: "under a second" is still a second.
    CHECK(number_of("Each photo must be classified in under a second on the phone.", "constraints.latency_s") ==
          doctest::Approx(1));
  }

  TEST_CASE("a verb of the state after 'to' is a purpose: the figure is wanted, not measured") {
    CHECK(number_of("Streaming radio on a pi5 means using the small model to get close to live, and about 300 ms is "
                    "what sounds live to me.",
                    "constraints.latency_s") == doctest::Approx(0.3));
    CHECK(number_of("How do I get 10 fps of person detection on my old laptop?", "constraints.throughput_fps") ==
          doctest::Approx(10));
    // Guard: a rate measured now stays no constraint.
    CHECK(number_of("Person detection on my old laptop only gets 3 fps.", "constraints.throughput_fps") == 0);
  }

  TEST_CASE("a size written short beside the machine is its memory") {
    CHECK(number_of("Our detector on a Macbook Pro M1 16G runs at 5 fps, and we need 10 fps.", "constraints.memory_bytes") ==
          doctest::Approx(16e9));
    CHECK(number_of("I want to caption the photos on my mac mini with 8go of memory.", "constraints.memory_bytes") ==
          doctest::Approx(8e9));
    // Guard: a network generation is no memory.
    CHECK(number_of("Classify the photos on a cheap phone with 5G and 4 GB of RAM.", "constraints.memory_bytes") ==
          doctest::Approx(4e9));
  }

  TEST_CASE("a size asked about as an option, or a machine only measured on, sets no memory limit") {
    CHECK(number_of("Segmenting one frame takes 2 seconds on my desktop (RTX 3060 12 GB, 32 GB RAM). I want to run it on a "
                    "Raspberry Pi 5 in the greenhouse.",
                    "constraints.memory_bytes") == 0);
    CHECK(number_of("I need to buy a laptop that turns my sketches into images; would 8 or 12 GB of VRAM be enough?",
                    "constraints.memory_bytes") == 0);
    // Guard: the memory of the machine it runs on is a limit.
    CHECK(number_of("Segment each frame at 5 fps on my desktop with 32 GB of RAM.", "constraints.memory_bytes") ==
          doctest::Approx(32e9));
  }

  TEST_CASE("classes: a path is no list; a count of kinds listed in brackets is; pieces cut are not") {
    CHECK(number_of("Classify each receipt and move it into ~/receipts/yyyy/mm/ folders.", "constraints.classes") == 0);
    CHECK(number_of("Flag every message that looks like phishing on our mail server, the way microsoft/phishing-bert is "
                    "used, with a score for each label.",
                    "constraints.classes") == 0);
    CHECK(number_of("Our sorter labels each item on the belt with 5 materials (glass, paper, metal, plastic etc) from the "
                    "camera.",
                    "constraints.classes") == doctest::Approx(5));
    CHECK(number_of("The 300 recordings are split into 12 chunks each and each chunk is transcribed on a laptop.",
                    "constraints.classes") == 0);
    // Guard: sorted into a counted set of anything else is the classes.
    CHECK(number_of("Split the incoming mail into 6 piles by department.", "constraints.classes") == doctest::Approx(6));
  }

  TEST_CASE("classes: two outcomes of what each will do are classes; a relative clause or a new clause lists none") {
    CHECK(number_of("Predict whether each subscriber will renew or cancel from their usage over the last year.",
                    "constraints.classes") == doctest::Approx(2));
    CHECK(number_of("Tell a dog's warning growl apart from playful growling in the garden microphone audio.",
                    "constraints.classes") == doctest::Approx(2));
    CHECK(number_of("Find the tiles that are cracked or stained in the photos from the kiln line.", "constraints.classes") == 0);
    CHECK(number_of("We need the pose of each box on the pallet, at 5 fps. Is a Jetson Orin Nano enough or do we need an "
                    "AGX?",
                    "constraints.classes") == 0);
    CHECK(number_of("Export the product listings as CSV files nightly, without a cloud or vendor account, and classify each "
                    "one.",
                    "constraints.classes") == 0);
    // Guard: kinds asked of an item are classes.
    CHECK(number_of("Say whether each tile is cracked, chipped or fine.", "constraints.classes") == doctest::Approx(3));
  }

  TEST_CASE("requests served at once are no data; a count that is the classes is not also the data") {
    CHECK(number_of("We serve about 50 chatbot sessions at the same time on an L4 and want answers within 2 seconds.",
                    "constraints.data_samples") == 0);
    CHECK(number_of("I trained the classifier on those four gestures and want to recognise them on a phone.",
                    "constraints.data_samples") == 0);
    CHECK(number_of("I trained the classifier on those four gestures and want to recognise them on a phone.",
                    "constraints.classes") == doctest::Approx(4));
  }

  TEST_CASE("a device the writer does without, or a plain word that is also a device's name, is no device") {
    CHECK(text_of("How do I get 10 fps of person detection on my old laptop without buying a Coral accelerator?",
                  "deployment.device") == "");
    CHECK(text_of("We need the percentage cover of live coral, dead coral, sand and algae in each underwater photo.",
                  "deployment.device") == "");
    // Guards: the same names where they are the machine.
    CHECK(text_of("Detect people at 10 fps on a Raspberry Pi 4 with a Coral accelerator.", "deployment.device") != "");
    CHECK(text_of("Run the bird classifier on a Coral at the feeder.", "deployment.device") ==
          "google-coral-usb-accelerator");
  }

  TEST_CASE("Azure names a region by words; a business the writer runs places the organisation") {
    CHECK(text_of("Move our support chatbot to Azure with the model deployed in West Europe and answers within 2 seconds.",
                  "deployment.region") == "azure:westeurope");
    CHECK(text_of("Our Italian web shop wants product recommendations answered in under 80 ms.", "deployment.region") ==
          "IT");
  }
}
