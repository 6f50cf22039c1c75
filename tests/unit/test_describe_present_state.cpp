// sml-describe's reading of figures that describe what exists rather than what is asked (#16, round
// 28, describe46): a constraint is a requirement the writer puts on the solution (CONVENTIONS.md C1,
// C4, C6, C7). Each case pairs a sentence whose figure is a requirement (kept) with one whose same
// figure describes the present system, the data's form or the team (declined). Every sentence was
// written for this file; none is taken from a validation set.
#include <doctest/doctest.h>

#include "sml/describe/constraints.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("present-state rule: a memory size the current model uses is no bound on the new one") {
    CHECK(d::parse_constraints("the new detector has to use less than 3 GB of VRAM on the kiosk").memory_bytes.value_or(0) ==
          doctest::Approx(3e9));
    CHECK(d::parse_constraints("the gateway box has 4 GB RAM and the model must run there").memory_bytes.value_or(0) ==
          doctest::Approx(4e9));
    // The machine it runs on now is still the machine the model must fit in.
    CHECK(d::parse_constraints("we currently run it on a mini PC with 16 GB RAM").memory_bytes.value_or(0) == doctest::Approx(16e9));
    // ... and so is the present the writer wants kept.
    CHECK(d::parse_constraints("the matcher uses under 2 GB of RAM and has to stay there").memory_bytes.value_or(0) ==
          doctest::Approx(2e9));
    CHECK_FALSE(d::parse_constraints("the old parser takes 7 GB of RAM and we need to route tickets").memory_bytes);
    CHECK_FALSE(d::parse_constraints("in our trials it uses about 11 GB of memory and we need to sort the claims").memory_bytes);
  }

  TEST_CASE("present-state rule: a time or score of the system as it is is context, unless judged as the bound") {
    CHECK(d::parse_constraints("scoring one claim has to be done within 2 seconds").latency_s.value_or(0) == doctest::Approx(2.0));
    CHECK(d::parse_constraints("today the router must reply in under 4 seconds").latency_s.value_or(0) == doctest::Approx(4.0));
    // A verb of the present with the judgement after it still asks for the figure.
    CHECK(d::parse_constraints("a reply that takes under 80 ms is required for the chat widget").latency_s.value_or(0) ==
          doctest::Approx(0.08));
    CHECK_FALSE(d::parse_constraints("the ticket router we run today replies in under 4 seconds").latency_s);
    CHECK_FALSE(d::parse_constraints("our existing service responds in about 650 ms").latency_s);
    CHECK(d::parse_constraints("the replacement must reach 91% accuracy on the audit sample").accuracy_min.value_or(0) ==
          doctest::Approx(0.91));
    CHECK_FALSE(d::parse_constraints("the keyword heuristic scored at least 91% accuracy on the audit sample").accuracy_min);
  }

  TEST_CASE("sampling rule: frames a second are a rate to keep up with, values a second are the signal's form") {
    CHECK(d::parse_constraints("the dashcam streams 24 frames a second and every frame needs a lane mask").throughput_fps.value_or(0) ==
          doctest::Approx(24));
    CHECK(d::parse_constraints("score 300 requests a second from the checkout service").throughput_fps.value_or(0) ==
          doctest::Approx(300));
    CHECK_FALSE(d::parse_constraints("each accelerometer delivers 400 readings a second; flag a fall in each window").throughput_fps);
    CHECK_FALSE(d::parse_constraints("the strain gauge logs 50 values a second and we want to spot fatigue early").throughput_fps);
  }

  TEST_CASE("load rule: a load counts items that arrive, never an amount measured per day") {
    CHECK(d::parse_deployment("the clinic scans about 90 referral letters a day", {}).queries_per_day.value_or(0) ==
          doctest::Approx(90));
    CHECK_FALSE(d::parse_deployment("the label says 20 mg once a day; pull the dose out of each leaflet", {}).queries_per_day);
    CHECK_FALSE(d::parse_deployment("the cows drink about 80 litres a day and we log the milk yield", {}).queries_per_day);
  }

  TEST_CASE("data rule: the people who do the work are not examples to learn from") {
    CHECK(d::parse_constraints("we have 6,500 labelled invoices from last year").data_samples.value_or(0) == doctest::Approx(6500));
    CHECK_FALSE(d::parse_constraints("we have 4 annotators and a single GPU to sort the scans").data_samples);
    CHECK_FALSE(d::parse_constraints("we have 12 engineers on the platform team and want to route their alerts").data_samples);
  }
}
