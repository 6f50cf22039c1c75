// sml-describe's reading of round 27 (#16), precision first: a figure is a constraint only where the
// text gives it its role, and a device only where one is named as where the model runs. A latency
// bounded from below is a time measured; "sub-200 ms" is a bound; "a 2s latency budget" is a latency;
// a rate judged slow or reported by another is the present state; hours of training or inference are
// no recordings; "768 x 768 images" counts no samples; a count set aside ("rather than 40 categories")
// or a count of listed things in a statement that sorts nothing is no class count; "to X or Y" is a
// purpose; the umbrella word opening a list is no kind. Two machines offered with "or" are a choice;
// a phone's Edge TPU is not the Coral; "a myriad of" names no chip. A language set aside is none of
// the text's; "Korean to English" makes Korean the source. Every sentence was written for this file
// (none is in a validation set); each check failed on main's binary at c5038ac1 unless marked as a
// guard.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("a latency is a constraint only where it is asked for, never bounded from below") {
    CHECK_FALSE(d::parse_constraints("Our speech model on the kiosk is sluggish: the latency is more than 4 seconds per reply.").latency_s);
    CHECK(d::parse_constraints("Move the keyword spotter onto the watch for a sub-200 ms wake response.").latency_s.value_or(0) == doctest::Approx(0.2));
    CHECK(d::parse_constraints("Our captioning service has a 2s latency budget per sentence.").latency_s.value_or(0) == doctest::Approx(2.0));
    // Guard: an upper bound stays a requirement.
    CHECK(d::parse_constraints("Replies must come back in under 300 ms.").latency_s.value_or(0) == doctest::Approx(0.3));
  }

  TEST_CASE("a rate judged slow or reported by someone else is how it runs now, no requirement") {
    CHECK_FALSE(d::parse_constraints("The paper reports 40 fps on a desktop CPU; can my laptop detect the parcels faster?").throughput_fps);
    CHECK_FALSE(d::parse_constraints("I detect pallets with a webcam on an old laptop and it is very slow, 3FPS.").throughput_fps);
    // Guard: a rate wanted is read.
    CHECK(d::parse_constraints("I detect pallets with a webcam and need 15 fps.").throughput_fps.value_or(0) == 15);
  }

  TEST_CASE("hours of work are no recordings, a size's second side no count, a held training set is data") {
    CHECK_FALSE(d::parse_constraints("Predict field yields; each model must use under 3 hours of training and 1 hour of inference on one machine.").data_hours);
    CHECK_FALSE(d::parse_constraints("The generator runs out of memory on 768 x 768 images.").data_samples);
    CHECK(d::parse_constraints("Classify the receipts by shop; our training set holds 3,200 hand-checked receipts.").data_samples.value_or(0) == 3200);
    // Guard: hours of recordings are data.
    CHECK(d::parse_constraints("We have 40 hours of transcribed interviews to train on.").data_hours.value_or(0) == 40);
  }

  TEST_CASE("a count of kinds needs a role: not set aside, not listed things, not a purpose") {
    CHECK(d::parse_constraints("Rather than 40 separate fruit categories, we want 3 classes: ripe, unripe, rotten.").classes.value_or(0) == 3);
    CHECK_FALSE(d::parse_constraints("Our editor has only four toolbar buttons: bold, italic, underline and strike.").classes);
    CHECK_FALSE(d::parse_constraints("The app lists things to repair or replace on the bike.").classes);
    CHECK(d::parse_constraints("From the court filings, extract the named entities, judges, courts and dates.").classes.value_or(0) == 3);
    CHECK(d::parse_constraints("Train a model that tells a healthy leaf from a blighted one.").classes.value_or(0) == 2);
    CHECK(d::parse_constraints("I want to count the fish (salmon, trout, pike) passing the weir camera.").classes.value_or(0) == 3);
    // Data items marked are the data tagged, not kinds (the supplier name is the field).
    CHECK_FALSE(d::parse_constraints("I want all invoices and receipts tagged with the supplier name.").classes);
    // Guards: routing to one of two is kinds; a colon list counted in a statement that sorts is too.
    CHECK(d::parse_constraints("Route each support email to billing or sales.").classes.value_or(0) == 2);
    CHECK(d::parse_constraints("Classify the calls into 3 outcomes: sale, callback or refusal.").classes.value_or(0) == 3);
  }

  TEST_CASE("a device is where the model runs: no choice, no part of another host, no common word") {
    CHECK(text_of("Should I buy a Raspberry Pi 5 or a Jetson Orin Nano for the bird camera that spots species?", "deployment.device").empty());
    CHECK(text_of("Push the keyword spotting model onto the phone's Tensor edge TPU through NNAPI.", "deployment.device").empty());
    CHECK(text_of("Push the keyword spotting model onto the phone's Tensor edge TPU through NNAPI.", "deployment.device_class") == "phone");
    CHECK(text_of("There are a myriad of accents in our call recordings; transcribe them.", "deployment.device_text").empty());
    CHECK(text_of("Sort the photos of the wake word app on the phone runs a small detector.", "deployment.device_class") == "phone");
    // Guards: a board's memory in a choice is no limit; one machine named is the device; the Coral's
    // Edge TPU is the Coral.
    CHECK(number_of("Which should I pick for the people counter, a Raspberry Pi 5 8GB or a Jetson Orin Nano?", "constraints.memory_bytes") == 0);
    CHECK(text_of("Deploy the bird species detector on a Jetson Orin Nano.", "deployment.device") == "nvidia-jetson-orin-nano-8gb");
    CHECK(text_of("Classify bird calls on our Edge TPU accelerator plugged into the feeder's computer.", "deployment.device") == "google-coral-usb-accelerator");
  }

  TEST_CASE("a language set aside is none of the text's; X to Y makes X the source") {
    CHECK(list_of("Speech recognition fails for languages other than English, like my Czech recordings.", "languages.source") ==
          std::vector<std::string>{"cs"});
    CHECK(list_of("It would be nice to get Korean to English subtitles for our lectures.", "languages.source") == std::vector<std::string>{"ko"});
    CHECK(list_of("It would be nice to get Korean to English subtitles for our lectures.", "languages.target") == std::vector<std::string>{"en"});
  }
}
