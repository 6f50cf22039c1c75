// sml-describe's rules of round 11 (#16): cost is a priority only when the system is to be cheap;
// a device word in a noun compound ("phone cases") is no device; a property of printed parts is
// regression, not 3-D work; renaming files by their metadata and flagging records by a stated
// condition are not ML; a language list after "to" keeps its qualifiers; sorting voice notes is
// classifying audio; a load's count and period may be a few words apart; the count of what the
// task's verb acts on is workload; cities WordNet does not know are placed from GeoNames. Every statement here was written for this file (none is in a
// validation set).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "describe_text.hpp"
#include "../../lib/describe/geonames_cities.hpp"
#include "sml/describe/settings.hpp"

namespace d = sml::describe;

namespace {
bool has_objective(const std::string& text, const std::string& objective) {
  const auto o = d::parse_objectives(text);
  return std::find(o.begin(), o.end(), objective) != o.end();
}
std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}
}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("cost is a priority only when the system itself is to be cheap") {
    // A cheap thing that is part of the set-up, and costs that are the quantity to predict.
    CHECK_FALSE(has_objective("Read the gauge dials with a cheap USB webcam pointed at the panel.", "cost"));
    CHECK_FALSE(has_objective("Predict repair costs for damaged cars from the claim photos.", "cost"));
    CHECK_FALSE(has_objective("Estimate the shipping cost of each parcel from its size and destination.", "cost"));
    CHECK_FALSE(has_objective("Predict repair costs over the next year from the claim photos.", "cost"));
    CHECK_FALSE(has_objective("We sell affordable furniture online; recommend items that go together.", "cost"));
    // The writer asks for low running or training cost.
    CHECK(has_objective("It has to be cheap to run, we pay for every GPU hour.", "cost"));
    CHECK(has_objective("Keep the cloud costs as low as possible, accuracy can be a bit lower.", "cost"));
    CHECK(has_objective("We need the cheapest option that still works.", "cost"));
    CHECK(has_objective("Training must be low-cost; we are a two-person startup.", "cost"));
    // Set against another priority, the bare word names it.
    CHECK(d::parse_objectives("Accuracy matters more than cost here.") == std::vector<std::string>{"accuracy", "cost"});
  }

  TEST_CASE("a device word in a compound about an object is no device") {
    CHECK(text_of("Check the stitching on the laptop bags that leave our sewing line, 30 bags an hour.", "deployment.device_class") == "");
    CHECK(text_of("Find cracks in the phone screens on the inspection belt.", "deployment.device_class") == "");
    // The device the model runs on still is one.
    CHECK(text_of("Recognise bird songs on the phone, offline.", "deployment.device_class") == "phone");
    CHECK(text_of("It has to run on a laptop without a GPU.", "deployment.device_class") == "laptop");
  }

  TEST_CASE("a property of printed parts is predicted from process data, not 3-D work") {
    CHECK(text_of("Predict the tensile strength of our printed brackets from the printer settings.", "task.id") == "tabular-regression");
    CHECK(text_of("Predict the tensile strength of 3D-printed brackets from the slicer settings.", "task.id") == "tabular-regression");
    // Making a printable model still is 3-D work.
    CHECK(text_of("Generate an STL mesh of a chess piece I can 3D print.", "task.id") == "");
  }

  TEST_CASE("files renamed or filed by their metadata, and records flagged by a stated condition, are not ML") {
    CHECK(text_of("Write a tool that renames our scanned documents by the creation date in their metadata and moves them into a folder per year.",
                  "task.id") == "");
    CHECK(text_of("List every supplier whose contract expires within 60 days and tag them 'to renegotiate' in the ERP.", "task.id") == "");
    // Which ones will lapse, learnt from history, is a prediction.
    CHECK(text_of("Predict which subscribers will cancel next month from their usage history.", "task.id") != "");
  }

  TEST_CASE("languages after 'to' keep their qualifiers: one source, the rest targets") {
    const auto l = d::parse_languages("Localise the game's dialogue from English to Latin American Spanish and European Portuguese.");
    CHECK(joined(l.source) == "en");
    CHECK(joined(l.target) == "es,pt");
    const auto k = d::parse_languages("translate the manual from German into simplified Chinese, Japanese and Korean");
    CHECK(joined(k.source) == "de");
    CHECK(joined(k.target) == "zh,ja,ko");
  }

  TEST_CASE("sorting voice recordings into groups is classifying audio, not transcribing it") {
    CHECK(text_of("i want to sort the voice notes my team sends me into urgent vs can wait", "task.id") == "audio-classification");
    // Typing them out still is speech recognition.
    CHECK(text_of("Type out the voicemails on our hotline so staff can read them.", "task.id") == "automatic-speech-recognition");
  }

  TEST_CASE("a load's count and its period may be several words apart") {
    CHECK(number_of("Summarise the 84 incident reports that our field engineers send in each week.", "deployment.queries_per_day") ==
          doctest::Approx(12));
    // A count of held examples followed by a rate of something else is no load.
    CHECK(number_of("Forecast demand from 3 years of sales we record every day.", "deployment.queries_per_day") == 0);
  }

  TEST_CASE("cities WordNet does not know are placed from GeoNames") {
    // The generated table: every name lower case, sorted, with a two-letter country code.
    const auto& cities = d::geonames_cities();
    CHECK(cities.size() > 1000);
    CHECK(std::is_sorted(cities.begin(), cities.end()));
    CHECK(std::all_of(cities.begin(), cities.end(), [](const auto& c) { return c.second.size() == 2; }));
    // Common English words are no cities here ("reading", "split").
    CHECK(std::none_of(cities.begin(), cities.end(), [](const auto& c) { return c.first == "reading" || c.first == "split"; }));
    CHECK(text_of("Our support centre in Coimbatore wants to route tickets into 6 queues.", "deployment.region") == "IN");
    CHECK(text_of("We are a logistics start-up based in Ikeja; forecast parcel volumes per day.", "deployment.region") == "NG");
    // A person's name that is also a city is no place without a place word before it.
    CHECK(text_of("Thanks, Nigel. Classify the support tickets into 6 queues.", "deployment.region") == "");
  }
}

TEST_SUITE("describe") {
  TEST_CASE("a count of what the task's verb already acts on is the workload, not data") {
    CHECK(number_of("Please translate our shop's product descriptions from Italian into French and German, roughly 9,000 descriptions.",
                    "constraints.data_samples") == 0);
    // Held ones still are data.
    CHECK(number_of("Classify our support emails into 8 queues; we have 30,000 emails already sorted.", "constraints.data_samples") ==
          doctest::Approx(30000));
  }

  TEST_CASE("a 'cam' is a camera and a 'description' is text: the input decides between tasks that share a subject") {
    // Written for this file. A bird seen by a camera is an image, though birds are also heard; a
    // description of a payment is text, though it is put into categories as photos are.
    auto input = [](const std::string& statement) {
      const sml::Doc doc = describe_statement(statement);
      const sml::Doc* m = doc.path("modalities");
      return m && m->is_list() && !m->as_list().empty() ? m->as_list().front().as_string() : std::string();
    };
    CHECK(input("Nest box cam on a Raspberry Pi 5: which of 10 garden bird species is inside?") == "image");
    CHECK(text_of("Feeder cam on a Raspberry Pi 4: which of 15 garden bird species is it?", "task.id") == "image-classification");
    CHECK(input("Sort each expense description from our card statements into 12 budget categories, 2,000 labelled") == "text");
    // The same subject heard keeps its reading.
    CHECK(text_of("Which of 10 garden bird species is singing in the microphone recording?", "task.id") == "audio-classification");
  }
}
