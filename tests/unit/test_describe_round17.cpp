// sml-describe's rules of round 17 (#16, numbers, devices and the not-ML reading): a range of frame
// rates states its floor; a count with "+" is a count; hours a day are a load; the size of the model
// one already uses is no memory limit; kinds named after the word for them, or one class alone, are
// the classes; a count of cases within a count of items gives the items as data; the camera of a
// phone is the phone; a device named after the data trained on is the training device; requests to
// maintainers about software that exists (an API read, a hard-coded setting, a call that returns
// the wrong thing, an app's latency, data moved between stores) are no learning problems.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"
#include "../../lib/describe/fault_report.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("a range of frame rates is read at its floor; a count with + is a count") {
    CHECK(d::parse_constraints("We need pose tracking at roughly 15-20 fps on the robot.").throughput_fps.value_or(0) == doctest::Approx(15));
    CHECK(d::parse_constraints("Count the cars at 24 to 30 frames per second.").throughput_fps.value_or(0) == doctest::Approx(24));
    CHECK(d::parse_constraints("Detect people at 30 fps.").throughput_fps.value_or(0) == doctest::Approx(30));
    CHECK(d::parse_constraints("Name which of 1,200+ plant species is in the photo.").classes.value_or(0) == doctest::Approx(1200));
    CHECK(d::parse_constraints("We have 40k+ labelled photos to train on.").data_samples.value_or(0) == doctest::Approx(40000));
  }

  TEST_CASE("hours a day are a load; the size of the model in use is no limit") {
    CHECK_FALSE(d::parse_constraints("Each agent records about 3 hours of calls a day that we want transcribed.").data_hours);
    CHECK(d::parse_constraints("We have 300 hours of transcribed calls to fine-tune on.").data_hours.value_or(0) == doctest::Approx(300));
    CHECK_FALSE(d::parse_constraints("Could I keep the 40 MB model for spotting the wake word?").memory_bytes);
    CHECK(d::parse_constraints("The wake word model must be under 40 MB.").memory_bytes.value_or(0) == doctest::Approx(40e6));
  }

  TEST_CASE("kinds named after the word for them, or one class alone, are the classes") {
    CHECK(d::parse_constraints("From the ceiling camera, recognise the dancers' actions: twirl, dip and spin.").classes.value_or(0) == doctest::Approx(3));
    CHECK(d::parse_constraints("Spot the hand gestures: thumbs up and wave, from the webcam.").classes.value_or(0) == doctest::Approx(2));
    CHECK(d::parse_constraints("Run a detector on the dock camera; we only need the truck class.").classes.value_or(0) == doctest::Approx(1));
    CHECK(d::parse_constraints("Put boxes around helmets, vests and gloves on the site footage.").classes.value_or(0) == doctest::Approx(3));
    CHECK(d::parse_constraints("Map each complaint to the closest of our 45 fault codes.").classes.value_or(0) == doctest::Approx(45));
  }

  TEST_CASE("a count of cases within a count of items gives the items; a count to translate is the workload") {
    CHECK(d::parse_constraints("Flag the fake reviews: 310 fakes out of 52,000 reviews were marked by moderators.").data_samples.value_or(0) == doctest::Approx(52000));
    CHECK_FALSE(d::parse_constraints("Please machine-translate ~8k menu items from Thai into English.").data_samples);
    const std::string monthly = "Summarise each complaint call for the CRM. We have about eleven thousand recordings a month.";
    CHECK_FALSE(d::parse_constraints(monthly).data_samples);
    CHECK(number_of(monthly, "deployment.queries_per_day") == doctest::Approx(11000.0 / 30));
  }

  TEST_CASE("the camera of a phone is the phone; a device after the data trained on is the training device") {
    CHECK(text_of("Shoppers photograph a shelf with the phone camera and the app lists the missing products.", "deployment.device_class") == "phone");
    const std::string trained = "I'd like to fine-tune Mistral 7B on our own data with the one RTX 4090 (24 GB) we have.";
    CHECK(text_of(trained, "training.device") == "nvidia-rtx-4090");
    CHECK(text_of(trained, "deployment.device") == "");
    CHECK(number_of(trained, "constraints.memory_bytes") == 0);
  }

  TEST_CASE("requests about software that exists are no learning problems") {
    CHECK(d::read_fault_report("Please read the tide predictions from their API.").weight >= 2);
    CHECK(declined("The weather service already predicts rain for the next 12 hours; it would be great if the plugin could read it from their API."));
    CHECK(declined("Could you add the grid operator's wind forecast as a sensor? Their API already gives it every 15 minutes."));
    CHECK(declined("The upload region is hardcoded to the US in the photo tagging service; please make the region configurable."));
    CHECK(declined("Is there a way to reduce the 120 ms input lag of the drawing app on my tablet?"));
    CHECK(declined("Migrate our 3 TB of annotated X-ray images from the old file server to Google Cloud Storage, keeping the folder layout."));
    CHECK(declined("Build a CRUD page where nurses log which ward borrowed which pump, with an audit trail."));
  }

  TEST_CASE("a learning request that names an API, a migration or latency stays one") {
    CHECK_FALSE(declined("Pull the tweets from the Twitter API and classify each as positive, negative or neutral; we have 20k labelled tweets."));
    CHECK_FALSE(declined("Reduce the latency of our detector: it must box every pallet on the Jetson at 30 fps."));
  }
}
