// sml-describe's rules of round 13 (#16): a bug or operations report is not a learning problem
// however often it names models, GPUs or training; data rates are no frame rates; counts held are
// read past a decimal point, after "our training data is small:", and inside counted containers;
// a bracketed list answering a question of degree is the classes; rows a request only matches
// among are no training data; places inside quotes or file names place nothing; a line of machines
// resolved to one model is reported as assumed; a city WordNet gives two countries goes to the
// larger; a task none of whose inputs is named is marked down against one that is; a degree to
// predict is a number; an image turned into a text string is image-to-text; a volume of text is
// data_bytes. Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "../../lib/describe/fault_report.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("a bug or operations report is read from its signs and declined") {
    const auto r = d::read_fault_report("After the driver upgrade our notebook fails with ValueError: bad shape.");
    CHECK(r.weight >= d::kFaultReport);
    CHECK(d::read_fault_report("Classify the support tickets into billing, outage and other.").weight == 0);
    CHECK(declined("Since the upgrade to Ubuntu 24.04 the training container won't start: OSError: libcudnn not found."));
    CHECK(declined("helm install of the inference chart stays pending with 'Insufficient memory' on our 3 nodes"));
    CHECK(declined("How do we pull the model weights through our company proxy? The download keeps timing out at 2 MB/s."));
    // Errors in what a model gets wrong are no fault report: a learning problem stays one.
    CHECK(text_of("Our transcripts of Polish calls have many errors; we need better speech recognition.", "task.id") ==
          "automatic-speech-recognition");
  }

  TEST_CASE("numbers: data rates, decimals, small training sets, units inside containers, listed levels") {
    CHECK(number_of("The camera uploads at 500 kbit/s; count the cars in each frame.", "constraints.throughput_fps") == 0);
    CHECK(number_of("Predict each parcel's delivery delay; about 2.5 million past parcels to learn from.", "constraints.data_samples") ==
          doctest::Approx(2.5e6));
    CHECK(number_of("Write product blurbs in our house style. Our training data is small: 240 example blurbs.", "constraints.data_samples") ==
          doctest::Approx(240));
    CHECK(number_of("We have 90 annotated videos with about 4,000 labelled clips of shots.", "constraints.data_samples") ==
          doctest::Approx(4000));
    CHECK(number_of("Predict how much demand a new menu item will get (low, medium or high) from its price and category.",
                    "constraints.classes") == doctest::Approx(3));
    CHECK(text_of("Predict how much demand a new menu item will get (low, medium or high) from its recipe text.", "task.id") !=
          "tabular-regression");
    // Rows matched among are the table acted on; rows predicted from are examples.
    CHECK(number_of("Find the supplier records that are probably the same company; 80k records.", "constraints.data_samples") == 0);
    CHECK(number_of("Predict whether each supplier will deliver late; 80k records.", "constraints.data_samples") == doctest::Approx(80000));
  }

  TEST_CASE("places inside quotes or file names; a line of machines; a larger namesake") {
    CHECK(text_of("Match customer names like 'Ana Lopez, Lopez SL, Valencia' to our CRM entries.", "deployment.region") == "");
    CHECK(text_of("Forecast next week's orders from Birmingham_orders_2023.csv.", "deployment.region") == "");
    CHECK(text_of("Forecast next week's orders for our shop in Birmingham.", "deployment.region") == "GB");
    CHECK(text_of("We label scans at two hospitals in Hyderabad; flag the fractures.", "deployment.region") == "IN");
    const std::string nuc = "Detect forklifts in the warehouse camera on an Intel NUC.";
    CHECK(text_of(nuc, "deployment.device") == "intel-core-i5-1135g7");
    CHECK(text_of(nuc, "deployment.device_assumed").find("line of machines") != std::string::npos);
    CHECK(text_of("Detect forklifts in the warehouse camera on an i5-1135G7 mini PC.", "deployment.device_assumed") == "");
  }

  TEST_CASE("inputs named decide, degrees are numbers, images into strings, text volumes") {
    CHECK(text_of("Sort the voice messages our clinic gets into appointment changes, prescriptions and other.", "task.id") ==
          "audio-classification");
    CHECK(text_of("Estimate the porosity of each printed part from photos of its cross-section.", "task.id") != "anomaly-detection");
    CHECK(text_of("Convert each scanned image of a sheet-music page into its ABC notation text string.", "task.id") == "image-to-text");
    CHECK(text_of("From each sonogram of the thyroid, say whether the nodule looks benign or suspicious.", "task.id") == "image-classification");
    CHECK(text_of("For each product review, highlight the sentence in the review that explains the star rating.", "task.id") !=
          "text-classification");
    CHECK(number_of("Adapt a language model to 500 MB of our support wiki pages.", "constraints.data_bytes") == doctest::Approx(5e8));
    CHECK(number_of("The model must fit in 500 MB of RAM.", "constraints.data_bytes") == 0);
  }
}
