// sml-describe's rules of round 9 (#16): plural model numbers; the machine the writer has as a
// device class; every ISO 639-1 language; pages as an amount of text, not a load; a card's memory
// written with its name; "A vs B" as classes; measured items as data; documents filled in from
// records and documents of one fixed layout as no learning problem.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include "describe_text.hpp"

namespace {
std::string languages_of(const std::string& statement) {
  const sml::Doc doc = describe_statement(statement);
  std::string out;
  if (const sml::Doc* v = doc.path("languages.source"))
    for (const auto& x : v->as_list()) out += (out.empty() ? "" : ",") + x.as_string();
  return out;
}
}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("a model number with a plural s is the device, and the count before it counts cards") {
    const std::string s = "We have 6 RTX 3090s and want to train a detector for forklifts in warehouse footage.";
    CHECK(text_of(s, "deployment.device") == "nvidia-rtx-3090");
    // The 6 counts cards, not training data (the name is masked, "6" stands before spaces).
    CHECK(number_of(s, "constraints.data_samples") == 0);
    // Round 16: a device named for training is where training is costed, not the deployment device.
    CHECK(text_of("Fine-tune a speech recogniser for Welsh on two H100s.", "training.device") == "nvidia-h100-sxm5-80gb");
    CHECK(text_of("Serve a speech recogniser for Welsh on two H100s.", "deployment.device") == "nvidia-h100-sxm5-80gb");
    // Not a model number: no plural is read into a word ("pixels" is no Pixel phone).
    CHECK(text_of("Label the pixels of each drone photo as roof or not.", "deployment.device") == "");
  }

  TEST_CASE("the computer the writer has is the device class") {
    CHECK(text_of("I only have a laptop, can I train a model that spots spam in my inbox?", "deployment.device_class") == "laptop");
    CHECK(text_of("my PC should run a model that tags my music collection by genre", "deployment.device_class") == "desktop");
    CHECK(text_of("we own a gaming rig and want to caption our holiday photos", "deployment.device_class") == "desktop");
    CHECK(text_of("an app that reads shop receipts offline on iPhones", "deployment.device_class") == "phone");
    // A phone number is no phone; a camera one has is an input, not where the model runs.
    CHECK(text_of("Mask my phone numbers in the exported chat logs before sharing them.", "deployment.device_class") == "");
    CHECK(text_of("We have 12 cameras over the car park and want to count free spaces.", "deployment.device_class") == "");
  }

  TEST_CASE("languages come from the ISO 639-1 table, not only the common ones") {
    // Names from iso-codes' ISO 639-2 table (entries with an ISO 639-1 code).
    CHECK(languages_of("transcribe radio news in Hausa and Igbo") == "ha,ig");
    CHECK(languages_of("a chatbot that answers farmers in amharic") == "am");
    CHECK(languages_of("sentiment of product reviews written in Sinhala") == "si");
    // "Latin America" is a region, not Latin; "ewe" (a sheep) is left out of the table as a common word.
    CHECK(languages_of("forecast sales for our stores in Latin America") == "");
    CHECK(languages_of("count the ewe and lambs in each drone photo") == "");
  }

  TEST_CASE("pages, words and tokens per period are an amount of text, not requests") {
    CHECK(number_of("Summarise the board minutes, about 120 pages a week.", "deployment.queries_per_day") == 0);
    CHECK(number_of("Translate roughly 50,000 words a month of support articles into Italian.", "deployment.queries_per_day") == 0);
    // A count of items per period is still a load.
    CHECK(number_of("Summarise about 70 claim files a week.", "deployment.queries_per_day") == doctest::Approx(10));
  }

  TEST_CASE("a size written with a card's name is its memory") {
    // Round 16: only where the model runs; a training card's memory bounds training, not the model.
    CHECK(number_of("Run a segmentation model for road cracks on one A100 80GB.", "constraints.memory_bytes") == doctest::Approx(80e9));
    CHECK(number_of("A summariser for our minutes, on our RTX A2000 (12 GB).", "constraints.memory_bytes") == doctest::Approx(12e9));
    CHECK(number_of("Train a segmentation model for road cracks on one A100 80GB.", "constraints.memory_bytes") == 0);
    // A size of data is no memory.
    CHECK(number_of("Classify 30 GB of log lines as error or not on an RTX 4090.", "constraints.memory_bytes") == 0);
  }

  TEST_CASE("kinds set against each other with vs are the classes") {
    CHECK(number_of("Sort the customer calls into complaint vs question vs praise.", "constraints.classes") == 3);
    CHECK(number_of("classify each weld photo as good vs rework", "constraints.classes") == 2);
    // A trade-off is no class list.
    CHECK(number_of("For our churn model, accuracy vs speed: we prefer accuracy.", "constraints.classes") == 0);
  }

  TEST_CASE("items measured, tested or screened are data held") {
    CHECK(number_of("Predict the fatigue life of welded joints from the weld settings; 860 tested joints.", "constraints.data_samples") == 860);
    CHECK(number_of("Predict the melting point of salts from composition; we measured 1,150 salts.", "constraints.data_samples") == 1150);
  }
}

TEST_SUITE("describe-roles") {
  TEST_CASE("documents filled in from records, or of one fixed layout, are no learning problem") {
    CHECK(text_of("Generate a PDF certificate for every attendee on our course list.", "task.id") == "");
    CHECK(text_of("Create a payslip PDF for each employee from the payroll table at month end.", "task.id") == "");
    CHECK(text_of("Read the order number and total from the PDF confirmations our web shop sends; they all have the same layout.", "task.id") == "");
    // Generating content is still generation; extracting fields from varied scans is still learning.
    CHECK(text_of("Generate product descriptions for our 4,000 new items from their attributes.", "task.id") == "text-generation");
    CHECK(text_of("Pull supplier names and totals out of scanned invoices from hundreds of suppliers; 2,000 are annotated.", "task.id") != "");
  }
}
