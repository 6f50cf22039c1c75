// sml-describe's rules of round 19 (#16, the not-ML reading, devices and places): setting up a
// machine (drivers, toolkits, packages a shell cannot find), scraping, slow SQL, hosting a data set,
// constants and schema migrations of one's own code, an HTTP status a call answered with, conda
// environments and warehouse exports are no learning problems; a declined request
// reports no catalogue device; a cloud region's code names the region without its provider; a word
// before a board's name is its maker, not a place; informal board names ("raspi5").
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "../../lib/describe/fault_report.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("setting up drivers and toolkits, and what a shell says when they are missing, is no learning problem") {
    CHECK(declined("I need CUDA on the lab server for our training jobs, but apt says unable to locate package "
                   "cuda-toolkit-12 and nvcc is not there. Which driver should I install?"));
    CHECK(d::read_fault_report("bash: nvcc: command not found").weight >= 1.5);
    CHECK(declined("My tablet app shows the camera but the benchmark prints No device found when I pick the NPU, "
                   "and the SDK will not install. Which version should I use?"));
    // A learning problem that mentions what was installed is still one.
    CHECK_FALSE(declined("Detect weeds in the drone photos on a Jetson Nano at 10 fps; we installed JetPack already."));
  }

  TEST_CASE("scraping, slow SQL, hosting a data set and schema migrations are software work") {
    CHECK(declined("Add the ability to scrape the prices from the shop's product page: send a browser user agent "
                   "and parse the price out of the meta tag."));
    CHECK(declined("The query that compares orders per region this quarter with the one before scans the whole "
                   "table; would a composite index on region and created_at make it quicker?"));
    CHECK(declined("We'd like to host all of our survey recordings on a public site so researchers can fetch them "
                   "with one call. Is there a size limit?"));
    CHECK(declined("Move the default of invoice.state out of the Invoice model so that changing INVOICE_STATE_CHOICES "
                   "no longer creates a new migration."));
    CHECK(d::read_fault_report("Rename MAX_UPLOAD_BYTES in settings.").weight >= 1);
    // Predicting from data that was collected, or stored somewhere, is learning.
    CHECK_FALSE(declined("Predict the sale price of each flat from the 20,000 listings we collected last year."));
    CHECK_FALSE(declined("We store our 5,000 labelled X-rays on S3; train a model that flags pneumonia in new ones."));
  }

  TEST_CASE("an HTTP status a call answered with, environments and warehouse exports are operations work") {
    CHECK(declined("The artifact store returns 403 whenever the nightly job pushes the model weights."));
    CHECK(declined("conda cannot solve the environment with pytorch and cudatoolkit 12.1 on our login node."));
    CHECK(declined("Copy the churn scores table from BigQuery into a CSV export each Monday for the account managers."));
    // The same tools around a learning problem leave it one.
    CHECK_FALSE(declined("Train a model on our BigQuery table of 2M orders to predict which customers churn next month."));
    CHECK_FALSE(declined("Log the detector's training runs to MLflow; it should find forklifts in the warehouse camera at 20 fps."));
  }

  TEST_CASE("a declined request names no catalogue device, only its text") {
    const sml::Doc doc = describe_statement(
        "The NVIDIA driver will not install on my Jetson Nano: apt says unable to locate package nvidia-jetpack.");
    CHECK(doc.path("task")->is_null());
    CHECK(doc.path("deployment.device")->is_null());
    CHECK(doc.path("deployment.device_text")->as_string() == "jetson nano");
    // The same device in a learning problem is where the model runs.
    CHECK(text_of("Count the people in the lobby camera feed on a Jetson Nano at 15 fps.", "deployment.device") == "nvidia-jetson-nano");
  }

  TEST_CASE("a cloud region's code names the region without its provider") {
    CHECK(text_of("Serve the ticket classifier from eu-west-1, close to the call centre.", "deployment.region") == "aws:eu-west-1");
    CHECK(text_of("Our German users' photos are tagged by a model on a europe-west3 GPU node.", "deployment.region") == "gcp:europe-west3");
    CHECK(text_of("Tag the support e-mails by topic; the servers are in Frankfurt.", "deployment.region") == "DE");
  }

  TEST_CASE("a word before a board's name is its maker, not a place; informal board names") {
    // WordNet's Orange is a river of South Africa; here it makes the board.
    CHECK(text_of("Detect parcels on the conveyor with an Orange Pi 5 next to the belt.", "deployment.region") == "");
    CHECK(text_of("Count the birds at the feeder on my raspi5 at 5 fps.", "deployment.device") == "raspberry-pi-5");
    CHECK(text_of("Spot the cat on the porch camera with a raspi 4 in the hallway.", "deployment.device") == "raspberry-pi-4b");
  }
}
