// sml-describe's rules of round 20 (#16, numbers, devices and places): a rate or latency the
// writer's system achieves now is no requirement, the one wanted is; a size right after a model
// number is that card's memory; "A to B" counts are a size, not a data set; "is <verb>ing, X or Y"
// is no class list; a vendor-less board name after another maker's word,
// a model number beside a line name, a bare model number with its memory and a vendor's tool name
// are not read as catalogue devices; a cloud region id wins over a country phrase.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("the figure a system achieves now is no requirement; the wanted one is") {
    // Currently 3 frames a second, 12 wanted.
    auto c = d::parse_constraints("our crack detector only gets 3 fps on the drone board; we need 12 fps to keep up.");
    REQUIRE(c.throughput_fps);
    CHECK(*c.throughput_fps == doctest::Approx(12));
    c = d::parse_constraints("each frame takes about 400 ms, so roughly 2.5 fps. 8 fps would make me happy.");
    CHECK_FALSE(c.latency_s);
    REQUIRE(c.throughput_fps);
    CHECK(*c.throughput_fps == doctest::Approx(8));
    // Only the state now: nothing required.
    c = d::parse_constraints("the pose model runs at about 6 fps on my laptop with the default weights.");
    CHECK_FALSE(c.throughput_fps);
    c = d::parse_constraints("right now the tagger averages 220 ms per image on the old server.");
    CHECK_FALSE(c.latency_s);
    // A rate the next sentence asks about was measured.
    c = d::parse_constraints("we export the tracker to onnx on a small box and see close to 18 fps at 720p. is that normal for this size?");
    CHECK_FALSE(c.throughput_fps);
    c = d::parse_constraints("my yolo port manages around 40 fps on the desk gpu. Is this what a T4 should reach too?");
    CHECK_FALSE(c.throughput_fps);
    // A bound right after a verb of the present state is its ceiling.
    c = d::parse_constraints("the segmenter gives at most 9 fps on the kiosk; we'd like 20 fps or more.");
    REQUIRE(c.throughput_fps);
    CHECK(*c.throughput_fps == doctest::Approx(20));
    // A bound written before the figure stays a requirement, whatever verb the clause has.
    c = d::parse_constraints("the lookup takes under 40 ms per query and must stay that way.");
    REQUIRE(c.latency_s);
    CHECK(*c.latency_s == doctest::Approx(0.04));
    // The rate a camera runs at is what comes in: kept.
    c = d::parse_constraints("the belt camera runs at 25 fps and every parcel in it must be read.");
    REQUIRE(c.throughput_fps);
    CHECK(*c.throughput_fps == doctest::Approx(25));
    c = d::parse_constraints("detect parcels on the belt at 15 fps.");
    REQUIRE(c.throughput_fps);
    CHECK(*c.throughput_fps == doctest::Approx(15));
  }

  TEST_CASE("a memory size right after a model number is that card's memory") {
    auto c = d::parse_constraints("can we run the captioner on a 2080 8gb in the lab?");
    REQUIRE(c.memory_bytes);
    CHECK(*c.memory_bytes == doctest::Approx(8e9));
    // A size of data is still data.
    c = d::parse_constraints("we keep 2024 12 gb of scanned letters to index.");
    CHECK_FALSE(c.memory_bytes);
  }

  TEST_CASE("the upper end of a count range is a size, not a data set") {
    auto c = d::parse_constraints("classify the gestures in snippets of 16 to 48 frames taken from the kiosk camera.");
    CHECK_FALSE(c.data_samples);
    c = d::parse_constraints("we have 4,000 labelled clips of 16 to 48 frames.");
    REQUIRE(c.data_samples);
    CHECK(*c.data_samples == doctest::Approx(4000));
  }

  TEST_CASE("a progressive verb before an or-list is no class list") {
    auto c = d::parse_constraints("suggest add-ons for the plan a customer is viewing, logged in or anonymous, on the checkout page.");
    CHECK_FALSE(c.classes);
    // A run of -ing words after "is" lists activities.
    c = d::parse_constraints("label whether the robot arm is picking, placing or idle in each clip.");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(3));
    c = d::parse_constraints("tell whether the operator is walking, lifting or sitting from the vest sensor.");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(3));
    c = d::parse_constraints("count cars, vans and buses at the junction camera.");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(3));
  }

  TEST_CASE("an adverb after or, a question of which and a predicate after are give no classes") {
    CHECK_FALSE(d::parse_constraints("flag whether two invoices are copies, or more likely a near copy with a new date.").classes);
    CHECK_FALSE(d::parse_constraints("the app should tell which dance or dance move the kid performs.").classes);
    CHECK_FALSE(d::parse_constraints("frog sounds are well studied and recorded in every pond, so train it on public clips.").classes);
    // Kinds named after "are" and an or-list of kinds still count.
    auto c = d::parse_constraints("the sounds are barking, meowing and silence.");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(3));
    c = d::parse_constraints("tell whether the mole is benign, suspicious or malignant.");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(3));
  }

  TEST_CASE("boards of other makers, model numbers beside a line name, bare model numbers and tool names") {
    const std::string orange = "Segment the fruit in the camera feed on a Banana Pi 5 board for our packing line.";
    CHECK(text_of(orange, "deployment.device") == "");
    CHECK(text_of(orange, "deployment.device_text").find("banana pi") == 0);
    const std::string raspberry = "Segment the fruit in the camera feed on a Raspberry Pi 5 for our packing line.";
    CHECK(text_of(raspberry, "deployment.device") == "raspberry-pi-5");
    const std::string nuc = "Count visitors from the door camera on the shop's NUC (Intel i3-1315U, 8 GB) with OpenVINO.";
    CHECK(text_of(nuc, "deployment.device") == "");
    CHECK(text_of(nuc, "deployment.device_text").find("i3-1315u") != std::string::npos);
    CHECK(text_of("Count visitors from the door camera on the shop's Intel NUC.", "deployment.device") != "");
    const std::string card = "Transcribe our Czech podcasts on a 4070 12gb at home.";
    CHECK(text_of(card, "deployment.device") == "");
    CHECK(text_of(card, "deployment.device_text") == "4070");
    const std::string smi = "nvidia-smi says the card is idle while our classifier sorts product photos into 30 categories.";
    CHECK(text_of(smi, "deployment.device_text") == "");
  }

  TEST_CASE("a cloud region id wins over a country phrase beside it") {
    CHECK(text_of("Serve the ticket router from eu-west-1 for our Irish customers.", "deployment.region") == "aws:eu-west-1");
    CHECK(text_of("Serve the ticket router for our Irish customers.", "deployment.region") == "IE");
  }
}
