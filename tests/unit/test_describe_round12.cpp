// sml-describe's rules of round 12 (#16): a request that states the rule its output follows (a
// condition on a stated value, a quoted keyword, a shared key, arithmetic on named quantities,
// fields read from JSON or XML, a lookup by a field, a trigger on a reported state) and names
// nothing to learn from is not ML, whatever words of prediction, "AI" or "smart" it uses; the same
// request with history or labelled examples, or one that sets the rule aside, is still learning, as
// is a rule over photos, video or sound. "Whenever" is a word. "When X will happen" asks for a
// forecast; transactions are records (tabular); an amortisation schedule is loan arithmetic; an
// input the text never names is not shared when the output decides between two tasks. A count
// after "history," or "learning from the" is data held; one handled every week is workload. Every
// statement here was written for this file (none is in a validation set).
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"
#include "../../lib/describe/stated_rule.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("the forms of a stated rule are read, each once, and system targets are none") {
    auto rule = d::read_stated_rule("Email the plant manager if any boiler's pressure goes above 12 bar.");
    CHECK(rule.weight == doctest::Approx(2));
    REQUIRE(rule.evidence.size() == 1);
    CHECK(rule.evidence[0].find("above 12") != std::string::npos);
    CHECK_FALSE(rule.examples);
    // A target on the system itself is no condition on the data.
    CHECK(d::read_stated_rule("Every request must be answered in under 200 ms on the CPU.").weight == 0);
    CHECK(d::read_stated_rule("Any frame should be processed at more than 25 fps.").weight == 0);
    // A quoted keyword, a shared key, arithmetic, a self-describing file, a lookup by a field.
    CHECK(d::read_stated_rule("Tag every order whose note contains \"gift\" for the packers.").weight >= 2);
    CHECK(d::read_stated_rule("Two suppliers are one when they have the same IBAN.").weight >= 2);
    CHECK(d::read_stated_rule("The price is list price minus 5% for members.").weight >= 2);
    CHECK(d::read_stated_rule("We have the photos plus their captions.").weight == 0);  // one "plus" joins, adds nothing
    CHECK(d::read_stated_rule("Quote the list price plus VAT plus shipping.").weight >= 2);
    CHECK(d::read_stated_rule("Read the shipment status from the carrier's JSON feed.").weight >= 2);
    CHECK(d::read_stated_rule("Let people find recipes by title or author.").weight >= 2);
    // A clock time alone is a weak form: no rule by itself.
    CHECK(d::read_stated_rule("Run it at 5:45 each morning.").weight < d::kStatedRule);
    // What there is to learn from, and a rule named only to be replaced.
    CHECK(d::read_stated_rule("Learn from two years of readings when to alert.").examples);
    CHECK(d::read_stated_rule("We have 8k tickets labelled by agents.").examples);
    CHECK(d::read_stated_rule("Rather than alerting at 90%, warn us earlier.").set_aside);
  }

  TEST_CASE("a request that states its rule and names nothing to learn from is declined") {
    // Words of prediction, forecasting, AI and smartness name what the script is for.
    CHECK(declined("Our smart monitoring should text the caretaker whenever the water tank level is below 20%."));
    CHECK(declined("Forecast each member's renewal fee: last year's fee plus the 3% index plus the new locker charge."));
    CHECK(declined("Use AI to route every support e-mail that mentions 'invoice' to the billing inbox."));
    CHECK(declined("Merge the two member lists: a person is the same member when they have the same membership number."));
    CHECK(declined("Parse the XML order exports from the webshop and load the totals into our accounting system."));
  }

  TEST_CASE("the same domains with something to learn from stay learning problems") {
    // History or labelled examples make the mapping something to learn, beside the same words.
    CHECK_FALSE(declined("Learn from three years of tank level readings when each water tank will run below 20%, so the caretaker gets a day's notice."));
    CHECK_FALSE(declined("Route support e-mails to billing, sales or tech; our agents have labelled 12,000 past e-mails by hand."));
    // The writer names the rule to say it is what is to be replaced.
    CHECK_FALSE(declined("Instead of flagging every payment over 5,000 EUR, we want to spot payments that look unusual for that customer."));
    // A condition over what a camera sees needs the things in it recognised first.
    CHECK_FALSE(declined("Alert the guard whenever more than 3 people stand in the loading bay, from the CCTV camera."));
    // A condition on what is still to come is the target to predict, not a stated rule.
    CHECK(d::read_stated_rule("For each customer, predict whether they will spend over 500 EUR next month.").weight == 0);
    CHECK_FALSE(declined("For each customer, predict whether they will spend over 500 EUR next month."));
  }

  TEST_CASE("whenever is a word, not a misspelt whatever") {
    const sml::Doc doc = describe_statement("Turn the fan on whenever the greenhouse door is open.");
    const sml::Doc* corrections = doc.path("corrections");
    CHECK((corrections == nullptr || corrections->is_null() || corrections->size() == 0));
  }

  TEST_CASE("when something will happen is a forecast; transactions are records; amortisation is arithmetic") {
    CHECK(text_of("From a year of database metrics, learn when each disk on our hosts will be full.", "task.id") ==
          "time-series-forecasting");
    // Without the words of alarms and alerts deciding: a ranking of card transactions learnt from labels.
    const std::string scored = text_of("Score each card transaction for how likely it is to be a false alarm, trained on 30k alerts our analysts closed.", "task.id");
    CHECK((scored == "tabular-classification" || scored == "anomaly-detection"));
    CHECK(text_of("Our fixed limits flag 500 card transactions a day, mostly false alarms; learn from the 9k alerts already closed as genuine or false alarm which new ones matter.",
                  "task.id") != "audio-classification");
    CHECK(declined("Build me a loan amortization table in Excel from the amount, the rate and the number of months."));
  }

  TEST_CASE("data held after a history or a learning verb; a weekly count is workload") {
    CHECK(number_of("We have 8 years of claims history, about 60k claims with the payout; predict the payout of new claims.",
                    "constraints.data_samples") == doctest::Approx(60000));
    CHECK(number_of("Assign each bank line to one of 25 cost centres, learning from the 15k lines our bookkeepers already booked.",
                    "constraints.data_samples") == doctest::Approx(15000));
    CHECK(number_of("Every month our team reads ~3,000 survey answers to write a summary of what people ask for; summarise them for us.",
                    "constraints.data_samples") == 0);
  }
}
