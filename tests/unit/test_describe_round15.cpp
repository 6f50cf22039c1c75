// sml-describe's rules of round 15 (#16): a request for help with a running system says how that
// system behaved (a state that changed over time, an event that recurs, a contrast between where it
// works and where it does not, a state only a running system is in, a message or log line it
// printed, a question about the cause) and asks for a fix; a request to learn states what is wanted.
// Every statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "../../lib/describe/fault_report.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("a system whose behaviour changed over time is a report") {
    CHECK(d::read_fault_report("The nightly export ran for hours; it used to finish in ten minutes.").weight >= 1.5);
    CHECK(d::read_fault_report("After a fresh install the dashboard shows other people's photos.").weight >= 1.5);
    CHECK(d::read_fault_report("The worker restarts every 3 minutes.").weight >= 1.5);
    CHECK(declined("Our image search used to answer in 200 ms; for the last few days it takes 4 seconds and nothing has changed in the index. What could be causing this?"));
    CHECK(declined("The label printer service for the warehouse stopped printing on Monday and its memory usage started to grow. Any leads?"));
  }

  TEST_CASE("a contrast between where it works and where it does not, and a state only a system is in") {
    CHECK(d::read_fault_report("It works fine on my laptop but the staging server returns nothing.").weight >= 1);
    // A setting changed with no effect; a dot inside a setting's name ends no sentence.
    CHECK(d::read_fault_report("I set spark.sql.shuffle.partitions to 3000, but the last stage runs 10 tasks.").weight >= 1);
    CHECK(declined("The face-blur step works fine locally but on the Kubernetes cluster the pod is not responding; the log shows [ERROR] lines. Can you check the manifest?"));
    CHECK(declined("When I try to open the speech dashboard it doesn't show any transcripts. I'm on a laptop with Ubuntu and Firefox."));
    CHECK(declined("The camera doorbell always shows 'no person detected', even when I stand right in front of it. Should I wait for an update?"));
  }

  TEST_CASE("data engineering and a server's answers are reports") {
    CHECK(declined("An outer join of the orders and returns dataframes in pandas gets killed on our 16 GB box, while smaller months merge fine."));
    CHECK(declined("Since the last deploy the classifier API behind nginx answers 502 Bad Gateway and gunicorn logs [CRITICAL] WORKER TIMEOUT. What could be causing it?"));
  }

  TEST_CASE("a request to learn that mentions how a system behaves stays a learning problem") {
    // A wanted output named beside the old system's behaviour: not declined.
    CHECK_FALSE(declined("Our rule-based spam filter used to catch most junk, but spammers changed their wording. Train a classifier on our 40,000 labelled mails to flag spam."));
    CHECK_FALSE(declined("The agent's reward stopped improving after 2 million steps with PPO; how do I get it to keep learning to stack the boxes?"));
    CHECK_FALSE(declined("Detect when the conveyor motor sounds abnormal from a microphone: a bearing that starts to fail gets louder at high frequencies."));
  }
}
