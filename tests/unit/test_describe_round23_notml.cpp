// What is not ML, round 23 (#16, describe27). The learned scorer is retrained with heldout-21 and
// eleven more topics of cited public requests (home-automation rules, file renaming, spreadsheet sums,
// loan formulas, barcode inventories, API token costs, backup rotation, threshold e-mails, fields read
// by rule, A/B statistics, and learning problems asked as help requests), and each weight toward "not
// a learning problem" is clipped at 2 log-odds (train_learning_scorer.py, CLIP): no single word seen
// in a few IT requests can carry a request past the threshold alone. Weights toward ML are not
// clipped, so the scorer's outvote of the word-count rules keeps its reach (round 22's test).
// Every statement here was written for this file and is in no validation set; they are of the
// round's new topics, so they show the retrained scorer on new wording, not on new kinds of request.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "describe_text.hpp"
#include "sml/describe/learning_scorer.hpp"
#include "sml/io/data_path.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("round 23: the shipped weights toward not ML are clipped at 2, those toward ML are not") {
    const d::LearningScorer shipped = d::load_learning_scorer(sml::data_dir("catalog", "") + "/learning-scorer.tsv");
    REQUIRE(shipped.weights.size() > 1000);
    double most = -HUGE_VAL, least = HUGE_VAL;
    std::size_t at_clip = 0;
    for (const auto& [name, w] : shipped.weights) {
      most = std::max(most, w);
      least = std::min(least, w);
      if (w == 2) ++at_clip;
    }
    // The file writes four decimals: the clip is exactly 2.0000.
    CHECK(most == 2);
    CHECK(at_clip > 100);
    CHECK(least < -4);
    // The thresholds keep their order: outvote < 0 < decline < clear evidence.
    const double t = std::log(shipped.threshold / (1 - shipped.threshold));
    CHECK(shipped.ml_log_odds < 0);
    CHECK(t > 0);
    CHECK(shipped.clear_log_odds > t);
  }

  TEST_CASE("round 23: requests of the new topics are declined, learning problems asked for help are not") {
    // Main's scorer before this round declined the first, second and fourth of these and read the
    // others as tabular classification or regression.
    for (const char* it : {"Every night at 2 am copy the Postgres dump to the NAS, keep the last ten and delete the older ones.",
                           "When the garage door has been open for more than 15 minutes after sunset, send a push notification to both our phones.",
                           "Our invoices spreadsheet should show the total of column F at the bottom and colour every row red whose due date has passed.",
                           "Rename the scanned receipts in my Downloads folder to the date in their file name plus the shop name I type, and "
                           "move them into one folder per month.",
                           "Add a page to the admin panel that shows how many API tokens each customer used this month and what that costs at our "
                           "per-token price.",
                           "Given the loan amount, the yearly rate and the number of months, show the monthly instalment and a table of how much "
                           "of each payment is interest."}) {
      CAPTURE(it);
      CHECK(declined(it));
    }
    struct Ml {
      const char *text, *task;
    };
    for (const Ml& ml : {Ml{"Our support inbox gets 400 mails a day; could something learn from the 20,000 we already sorted which team "
                            "each new one should go to?",
                            "text-classification"},
                         Ml{"I have two years of hourly readings from our heat pump and the outdoor temperature; how can I forecast "
                            "tomorrow's consumption hour by hour?",
                            "time-series-forecasting"},
                         Ml{"Help: I want to find the cracked tiles in the photos our roofers take, and we have about 800 photos where "
                            "the cracks are already marked.",
                            ""},
                         Ml{"Which of our subscribers are about to cancel? We have their logins, support tickets and who cancelled last year.", ""}}) {
      CAPTURE(ml.text);
      REQUIRE_FALSE(declined(ml.text));
      if (*ml.task) CHECK(text_of(ml.text, "task.id") == ml.task);
    }
  }
}
