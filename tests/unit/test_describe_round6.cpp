// sml-describe's rules of round 6 (#16): requests a deterministic tool answers are not learning
// problems; listed or counted classes say what comes out; cues read inflected words; devices named
// with a slip or cut short; memory per card; the language of the people who write the text.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/settings.hpp"
#include "sml/describe/text_task.hpp"

using doctest::Approx;
namespace d = sml::describe;

namespace {
std::string device_of(const std::string& statement) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path("deployment.device");
  return v && !v->is_null() ? v->as_string() : "";
}
double classes_of(const std::string& text) {
  const auto c = d::parse_constraints(text);
  return c.classes ? *c.classes : 0;
}
const std::vector<std::pair<std::string, std::string>> kDevices = {
    {"raspberry pi 4", "raspberry-pi-4b"}, {"raspberry pi 5", "raspberry-pi-5"},
    {"arduino nano 33 ble sense", "arduino-nano-33-ble-sense"}, {"jetson orin nano", "nvidia-jetson-orin-nano-8gb"},
    {"jetson nano", "nvidia-jetson-nano"}, {"a100", "nvidia-a100-sxm4-40gb"}, {"a100 80gb", "nvidia-a100-sxm4-80gb"}};
}  // namespace

TEST_SUITE("describe-roles") {
  TEST_CASE("not ML: the output follows from the input by a fixed rule a known tool applies") {
    // Codecs and formats (ffmpeg, Ghostscript), image edits, exact de-duplication, database tuning,
    // load tests, threshold alerts, routes: none learns from examples.
    for (const char* s : {"Transcode the lecture recordings from FLAC to AAC at 96 kbps for the mobile app.",
                          "Turn our 12,000 scanned invoices into searchable PDF/A files, one per supplier.",
                          "Crop and resize every product picture to 1200x1200 and add the shop watermark.",
                          "Delete duplicate rows in the members table where the phone number is identical.",
                          "Our MySQL reports got slow since the events table passed 80M rows; which index helps?",
                          "Stress test the checkout API at 5,000 requests per second and report the p99.",
                          "Page the on-call engineer when disk usage on the NAS stays above 85% for ten minutes.",
                          "Find the cheapest route for our 6 vans visiting 90 pharmacies a day in Porto."})
      CHECK_MESSAGE(task_of(s) == "", s);
    // The same objects in learning problems are still ML.
    CHECK(task_of("Tag each podcast episode with its genre from the audio; 5,000 labelled episodes.") == "audio-classification");
    CHECK(task_of("Find near-duplicate product listings whose titles are worded differently.") != "");
    CHECK(task_of("Predict how long each van's delivery round will take from traffic and weather history.") != "");
    CHECK(task_of("Suggest the next words of a SQL statement while analysts type it in the editor.") != "");
  }

  TEST_CASE("cues: inflected words are the cue, except labelled and tagged (the data held)") {
    const auto r = d::read_statement(sml::describe::TaskClassifier::words("the scans get sorted and blurred"));
    CHECK(r.outputs.count("label"));
    CHECK(r.outputs.count("pixels"));
    const auto held = d::read_statement(sml::describe::TaskClassifier::words("we have labelled scans"));
    CHECK_FALSE(held.outputs.count("label"));
  }

  TEST_CASE("classes: counted or listed in the ways engineers write them") {
    CHECK(classes_of("the scanned letters are sorted into 7 piles by the clerks") == Approx(7));
    CHECK(classes_of("redact the names, bank accounts, birth dates and licence plates") == Approx(4));
    CHECK(classes_of("highlight every drug, gene and disease in the abstracts") == Approx(3));
    CHECK(classes_of("mark which pixels are road, pavement, grass or building") == Approx(4));
    CHECK(classes_of("the kiosk says fresh, stale or spoiled") == Approx(3));
    CHECK(classes_of("helmet / no helmet from the gate camera") == Approx(2));
    CHECK(classes_of("recognise sleeping versus awake infants in the cot camera") == Approx(2));
    // A trade-off is no pair of classes; photos per item are no classes and no data.
    CHECK(classes_of("we care about accuracy versus speed") == 0);
    const auto c = d::parse_constraints("we take 12 photos of every parcel and have 8,000 labelled parcels");
    REQUIRE(c.data_samples);
    CHECK(*c.data_samples == Approx(8000));
  }

  TEST_CASE("classes listed make a label per item; silence among sounds is no voice detection") {
    CHECK(task_of("From the doorbell clips, say whether the visitor is a courier, a neighbour, a cat or nobody.") ==
          "video-classification");
    CHECK(task_of("Nursery mic on a tablet: tell laughing from screaming, sneezing and silence in 3-second windows.") ==
          "audio-classification");
    // Speech against silence alone is still voice-activity detection.
    CHECK(task_of("Tell speech from silence in the intercom audio every 20 ms so the codec can sleep.") ==
          "voice-activity-detection");
  }

  TEST_CASE("numbers: per site is no per second; one frame per second; memory per card") {
    CHECK_FALSE(d::parse_constraints("the drone takes ~3,000 images per site").throughput_fps);
    const auto one = d::parse_constraints("one frame per second is plenty for the shelf camera");
    REQUIRE(one.throughput_fps);
    CHECK(*one.throughput_fps == Approx(1));
    const auto each = d::parse_constraints("on our three render nodes (48 gb each)");
    REQUIRE(each.memory_bytes);
    CHECK(*each.memory_bytes == Approx(48e9));
    // A file size each is no memory.
    CHECK_FALSE(d::parse_constraints("the audio files are about 2 gb each").memory_bytes);
  }

  TEST_CASE("devices: a slip or a name cut short after its model number, only when one device fits") {
    std::vector<std::string> m;
    CHECK(d::find_name_near("deploy it on a rasberry pi 5 in the barn", kDevices, m).value_or("") == "raspberry-pi-5");
    CHECK(m.back() == "rasberry pi 5");
    CHECK(d::find_name_near("an arduino nano 33 ble on the fence", kDevices, m).value_or("") == "arduino-nano-33-ble-sense");
    CHECK(d::find_name_near("jetsen orin nano at the door", kDevices, m).value_or("") == "nvidia-jetson-orin-nano-8gb");
    // A model number is never guessed ("pi 3" is no "pi 4"), nor a name cut before its number.
    CHECK_FALSE(d::find_name_near("a raspbery pi 3 we had lying around", kDevices, m));
    CHECK_FALSE(d::find_name_near("some raspberry pi in the shed", kDevices, m));
    CHECK(d::variant_by_memory("two a100 (80 gb each)", "nvidia-a100-sxm4-40gb", "a100", kDevices) == "nvidia-a100-sxm4-80gb");
    CHECK(d::variant_by_memory("one a100 for the team", "nvidia-a100-sxm4-40gb", "a100", kDevices) == "nvidia-a100-sxm4-40gb");
    CHECK(device_of("Count sheep through the gate at 5 fps on a Raspbery Pi 5.") == "raspberry-pi-5");
  }

  TEST_CASE("tasks: background blur is person segmentation; unlabelled topics are zero-shot; ripeness is a label") {
    CHECK(task_of("Replace the background behind the presenter in our livestream, 25 fps on a laptop GPU.") ==
          "image-segmentation");
    CHECK(task_of("Label the support chats with whatever topics the product team picks each sprint; nothing is labelled.") ==
          "zero-shot-classification");
    CHECK(task_of("From a phone photo of a banana bunch, say unripe, ready or overripe.") == "image-classification");
  }

  TEST_CASE("languages: the language of the people who write the text is its source") {
    const auto l = d::parse_languages("our greek drivers write delivery notes that the dutch office must read");
    CHECK(l.source == std::vector<std::string>{"el"});
    CHECK(l.target == std::vector<std::string>{"nl"});
  }
}
