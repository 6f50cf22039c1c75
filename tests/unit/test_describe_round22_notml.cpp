// What is not ML, round 22 (#16, describe22): the learned scorer's two new thresholds. A score far past
// every ML statement's declines a request even where its words of learning only set the scene (a
// training job's logs, a fine-tuned checkpoint that will not copy); a score below every not-ML
// statement's that the word-count rules declined outvotes those rules (a detector's question that
// happens to name a video codec). The weights file carries both (clear_log_odds, ml_log_odds).
// Every statement here was written for this file and is in no validation set.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "describe_text.hpp"
#include "scratch_file.hpp"
#include "sml/describe/learning_scorer.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "../../lib/describe/not_learning.hpp"

namespace d = sml::describe;

namespace {

// The document's learning_scorer part, as sml-describe --learning-features writes it.
sml::Doc scored(const std::string& text) {
  d::DescribeOptions o;
  o.text = text;
  o.source_name = "test";
  o.learning_features = true;
  return d::describe_text(o);
}
}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("round 22: the weights file's optional clear_log_odds and ml_log_odds lines") {
    const std::string head = "sml\tlearning-scorer/v1\nbias\t0\nthreshold\t0.9\n";  // log-odds ln 9 = 2.197
    const d::LearningScorer none = d::load_learning_scorer(testing::written_file("ls22-none.tsv", head + "cron\t1\n"));
    CHECK(std::isinf(none.clear_log_odds));
    CHECK(none.clear_log_odds > 0);
    CHECK(std::isinf(none.ml_log_odds));
    CHECK(none.ml_log_odds < 0);
    const d::LearningScorer both =
        d::load_learning_scorer(testing::written_file("ls22-both.tsv", head + "clear_log_odds\t30.5\nml_log_odds\t-12.25\ncron\t1\n"));
    CHECK(both.clear_log_odds == 30.5);
    CHECK(both.ml_log_odds == -12.25);
    CHECK(both.weights.size() == 1);
    // z = bias + the weights present; the probability is its logistic.
    CHECK(both.log_odds({"cron", "nginx"}) == 1.0);
    CHECK(both.not_learning({"cron"}) == doctest::Approx(1 / (1 + std::exp(-1.0))));
    struct Bad {
      const char* name;
      std::string text, message;
    };
    for (const Bad& b : std::vector<Bad>{
             {"ls22-clear-low.tsv", head + "clear_log_odds\t2\n", "ls22-clear-low.tsv:4: clear_log_odds must not lie below"},
             {"ls22-ml-high.tsv", head + "ml_log_odds\t2.5\n", "ls22-ml-high.tsv:4: ml_log_odds must lie below"},
             {"ls22-clear-nan.tsv", head + "clear_log_odds\tmany\n", "ls22-clear-nan.tsv:4: 'many' is not a number"},
             // After the first feature the names are features: out of byte order here.
             {"ls22-late.tsv", head + "cron\t1\nclear_log_odds\t30\n", "ls22-late.tsv:5: feature 'clear_log_odds' given twice or out of byte order"}}) {
      CAPTURE(b.name);
      CHECK_THROWS_WITH_AS(d::load_learning_scorer(testing::written_file(b.name, b.text)), doctest::Contains(b.message.c_str()), sml::InputError);
    }
  }

  TEST_CASE("round 22: a statement with clear learning evidence is declined only at or past clear_log_odds") {
    // A word of learning with an output ("trained ... classifier ... labels"): clear learning evidence.
    const d::Reading ml = d::read_statement(d::TaskClassifier::words("train a classifier that labels our invoices by supplier"));
    REQUIRE(d::clear_learning(ml));
    CHECK(d::scored_not_learning_reason(ml, 1.0, 0.9) == "");                 // no clear threshold: never
    CHECK(d::scored_not_learning_reason(ml, 1.0, 0.9, 40.0, 40.5) == "");     // below it
    const std::string said = d::scored_not_learning_reason(ml, 1.0, 0.9, 40.5, 40.5);
    CHECK(said.rfind("not a learning problem", 0) == 0);
    CHECK(said.find("log-odds 40.5") != std::string::npos);
    CHECK(d::scored_not_learning_reason(ml, 0.5, 0.9, 99.0, 40.5) == "");     // under the plain threshold: nothing
  }

  TEST_CASE("round 22: with the shipped weights, operations requests that only mention training are declined") {
    const d::LearningScorer shipped = d::load_learning_scorer(sml::data_dir("catalog", "") + "/learning-scorer.tsv");
    // The two thresholds are in the shipped file, on either side of the plain one.
    CHECK(std::isfinite(shipped.clear_log_odds));
    CHECK(std::isfinite(shipped.ml_log_odds));
    CHECK(shipped.clear_log_odds > std::log(shipped.threshold / (1 - shipped.threshold)));
    CHECK(shipped.ml_log_odds < 0);
    // Written for this file: each asks for a fix to files, servers or builds around a model.
    for (const char* ops : {"The training run I started on the cluster writes its checkpoints to /scratch, which is wiped every night; "
                            "move them to the shared NFS volume and keep the last five.",
                            "My fine-tuned Whisper checkpoint loads fine on my laptop, but on the cluster torch.load says the file is "
                            "truncated. I copied it with scp; how do I check the copy?",
                            "The MLflow UI on our shared server shows an empty experiment list since we moved the tracking database to "
                            "Postgres. Which setting did we miss?",
                            "Our Docker build for the inference image downloads 6 GB of PyTorch wheels every time; how do I cache the pip layer?"}) {
      CAPTURE(ops);
      CHECK(declined(ops));
    }
    // The first has clear learning evidence ("training run", "checkpoints"): the clear threshold declines it.
    const sml::Doc first = scored("The training run I started on the cluster writes its checkpoints to /scratch, which is wiped every "
                                  "night; move them to the shared NFS volume and keep the last five.");
    CHECK(first.path("learning_scorer.clear_learning")->as_string() == "true");
    CHECK(first.path("learning_scorer.rules_reason")->as_string() == "");
    CHECK(first.path("task_reason")->as_string().find("describe the set-up") != std::string::npos);
  }

  TEST_CASE("round 22: a detector's question that names a video codec is not declined by the word count") {
    // Written for this file. The word-count rule reads "H.264 video" as codec work (rules_reason set);
    // the scorer reads it as a request about a detector, past every not-ML statement those rules
    // declined, and outvotes the count.
    const std::string q = "An SSD MobileNet spots hard hats in the site cameras' H.264 video; how do I run it on four streams at once on one Jetson?";
    const sml::Doc doc = scored(q);
    CHECK(doc.path("learning_scorer.rules_reason")->as_string().find("software, IT") != std::string::npos);
    CHECK(doc.path("learning_scorer.rules_reason_if_learning")->as_string() == "");
    REQUIRE_FALSE(doc.path("task")->is_null());
    CHECK(doc.path("task.id")->as_string() == "object-detection");
    // Requests for a model in the same setting stay learning problems.
    for (const char* ml : {"From the vibration traces of our 40 pumps, warn us a week before a bearing fails.",
                           "Our camera feed from the loading dock is encoded as H.265 at 25 fps; the detector we trained should flag "
                           "every pallet left in the fire lane.",
                           "Read the handwritten meter numbers off the photos our field staff upload and fill them into the billing sheet.",
                           "A YOLOv8s model finds forklifts in our warehouse camera streams at 12 fps on the Jetson; how do I get it "
                           "to 30 fps without dropping to 320 pixels?"}) {
      CAPTURE(ml);
      CHECK_FALSE(declined(ml));
    }
  }

  TEST_CASE("round 22: the scorer's vote silences the word-count rules only") {
    // Written for this file: log rotation is declined by the word count; outvoted, it is not, but a
    // statement naming nothing to learn under an unsure reading is still declined by the last rule.
    const d::Reading r = d::read_statement(d::TaskClassifier::words("set up logrotate for the nginx access logs and gzip them every night"));
    d::TaskGuess best;
    best.id = "summarization";
    best.confidence = 0.9;
    const d::StatedRule no_rule{};
    const d::FaultReport no_fault{};
    CHECK(d::not_learning_reason(r, best, nullptr, no_rule, no_fault).find("software, IT") != std::string::npos);
    CHECK(d::not_learning_reason(r, best, nullptr, no_rule, no_fault, true) == "");
    // Nothing to learn and an unsure reading: still declined when outvoted.
    best.confidence = 0.01;
    const d::Reading nothing = d::read_statement(d::TaskClassifier::words("set up logrotate and gzip every night"));
    CHECK(d::not_learning_reason(nothing, best, nullptr, no_rule, no_fault, true).find("names nothing") != std::string::npos);
  }
}
