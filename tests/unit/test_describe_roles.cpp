// sml-describe's role rules and number reading of round 4 (#16): each rule checked on statements
// written for this file (none is in a validation set), with the task or figure an engineer reads
// from them by hand.
#include <doctest/doctest.h>

#include <algorithm>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/describe.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/roles.hpp"
#include "sml/describe/settings.hpp"
#include "sml/describe/text_task.hpp"

using doctest::Approx;
namespace d = sml::describe;

namespace {
sml::Doc describe(const std::string& text) { return describe_statement(text); }
std::string task_id(const std::string& text) {
  const sml::Doc doc = describe(text);
  const sml::Doc* id = doc.path("task.id");
  return id ? id->as_string() : "";
}
d::Reading roles(const std::string& text) {
  const auto ws = d::TaskClassifier::words(text);
  const auto neg = d::negated_words(text);
  d::Reading r = d::read_statement(ws, neg);
  d::read_roles(ws, neg, {}, r);
  return r;
}
d::KnownNames no_names() { return {}; }
}  // namespace

TEST_SUITE("describe-roles") {
  TEST_CASE("negation: words after no/not/don't in the same clause are negated, up to but/just or a comma") {
    // no text prompt , just more of the same style
    const auto n = d::negated_words("No text prompts, just more of the same style");
    REQUIRE(n.size() == 9);
    CHECK_FALSE(n[0]);
    CHECK(n[1]);
    CHECK(n[2]);
    CHECK_FALSE(n[3]);
    CHECK_FALSE(n[8]);
    // don t need the specie : "don" then "t" (the apostrophe splits it) and the rest negated
    const auto m = d::negated_words("we don't need the species");
    REQUIRE(m.size() == 6);
    CHECK_FALSE(m[1]);
    CHECK(m[5]);
    // A negated cue is no cue: "no photos" names no image input.
    CHECK(input(roles("classify the tickets, no photos involved"), "image") == 0);
    CHECK(input(roles("classify the photos"), "image") > 0);
  }

  TEST_CASE("images made from words are text-to-image; made like examples with no words, image generation") {
    const auto r = roles("create product pictures from a written description");
    CHECK(output(r, "image-out") >= 2.5);
    CHECK(input(r, "text") >= 1.5);
    CHECK(task_id("Create product pictures for the catalogue from a short written description of each item.") == "text-to-image");
    CHECK(task_id("Produce more tile textures in the style of our hand-made ones; nobody will type any prompts.") ==
          "image-generation");
  }

  TEST_CASE("what is given is input; who wrote a text is a label") {
    const auto r = roles("tell whether each review was written by a person or by a chatbot");
    CHECK(output(r, "label") >= 1.5);
    CHECK(output(r, "text-out") == 0);
    CHECK(task_id("Tell whether each product review was written by a person or by a chatbot.") == "text-classification");
  }

  TEST_CASE("a camera scene implies images; clips from cameras are video") {
    CHECK(input(roles("sort parcels on the conveyor"), "image") >= 1.5);
    CHECK(input(roles("crates going under the camera on the bottling line"), "image") >= 1.5);
    CHECK(task_id("Sort parcels on the conveyor into small, medium and large.") == "image-classification");
    CHECK(input(roles("label clips from the loading dock cameras"), "video") >= 1.5);
    CHECK(task_id("Classify clips from the loading-dock cameras as loading, unloading or idle.") == "video-classification");
  }

  TEST_CASE("detecting a person, animal or vehicle a camera sees asks where it is") {
    const auto r = roles("the garden camera should alert me when a fox comes in");
    CHECK(output(r, "boxes") >= 2);
    CHECK(task_id("The shed camera should alert me when a fox comes into the garden, on a Raspberry Pi 5.") == "object-detection");
    // Speaking is heard, not seen: no boxes.
    CHECK(output(roles("detect when someone is speaking into the microphone"), "boxes") < 2);
  }

  TEST_CASE("transcripts given are text in; text written from notes is generation") {
    const auto r = roles("condense the transcripts of our sales calls into three action items");
    CHECK(output(r, "transcript") == 0);
    CHECK(task_id("Condense the transcripts of our sales calls into a short summary for the CRM.") == "summarization");
    CHECK(output(roles("write cover letters from a few keywords"), "text-out") >= 2);
  }

  TEST_CASE("which entity will do something is a label, not a forecast") {
    const auto r = roles("predict which tenants will leave next month");
    CHECK(output(r, "label") >= 1.5);
    CHECK(output(r, "future") == 0);
  }

  TEST_CASE("two texts compared are similarity; similar people ground a recommendation") {
    CHECK(output(roles("check whether two product titles describe the same item, duplicate listings"), "similar") >= 3.5);
    const auto r = roles("suggest courses based on what similar learners took");
    CHECK(output(r, "similar") == 0);
    CHECK(output(r, "recommend") >= 1.5);
  }

  TEST_CASE("a label per clause; text written from an image; boxes a robot stacks are things") {
    CHECK(output(roles("for each lease clause, is it standard or unusual"), "label") >= 1.5);
    CHECK(output(roles("write a short report from each dental x-ray"), "description") >= 2);
    CHECK(output(roles("a robot arm that learns to stack boxes"), "boxes") == 0);
    CHECK(task_id("Teach a robot arm to stack boxes on a pallet by trial and error, rewarded for stable stacks.") ==
          "reinforcement-learning");
  }

  TEST_CASE("languages: named alone they are settings; a target language asks for translation") {
    CHECK(task_id("Tickets arrive in Dutch and German; send each one to one of our 6 teams.") == "text-classification");
    const auto l = d::parse_languages("Turn the German manuals into Portuguese");
    REQUIRE(l.target.size() == 1);
    CHECK(l.target[0] == "pt");
    CHECK(task_id("Turn the German service manuals into Portuguese before the launch.") == "translation");
    const auto s = d::parse_languages("Lectures come as Spanish text; show English subtitles");
    REQUIRE(s.target.size() == 1);
    CHECK(s.target[0] == "en");
    CHECK(d::is_language_name("polish"));
    CHECK_FALSE(d::is_language_name("photo"));
  }

  TEST_CASE("the clearest output decides between tasks over one input") {
    d::Reading r;
    r.outputs["boxes"] = 2;
    r.inputs["image"] = 1;
    CHECK(d::output_decides(r, {{"image-classification", 30}, {"object-detection", 20}}) == "object-detection");
    // The top task's own output read as clearly: nothing to decide.
    r.outputs["label"] = 1.5;
    CHECK(d::output_decides(r, {{"image-classification", 30}, {"object-detection", 20}}).empty());
    CHECK(task_id("Draw bounding boxes around fractures on wrist x-rays for the orthopaedic team.") == "object-detection");
  }

  TEST_CASE("loads: per week, hour and month as per day; durations and money are no load") {
    CHECK(d::parse_deployment("about 70 orders a week", no_names()).queries_per_day.value_or(0) == Approx(10));
    CHECK(d::parse_deployment("200 requests an hour", no_names()).queries_per_day.value_or(0) == Approx(4800));
    CHECK_FALSE(d::parse_deployment("about 40 hours a day of audio", no_names()).queries_per_day);
    CHECK_FALSE(d::parse_deployment("we can spend 3,000 USD a month", no_names()).queries_per_day);
    CHECK(d::parse_deployment("every morning we receive about 450 claims", no_names()).queries_per_day.value_or(0) == Approx(450));
    CHECK_FALSE(d::parse_deployment("a loan repaid over 10 years", no_names()).years);
    CHECK(d::parse_deployment("we will serve it for 3 years", no_names()).years.value_or(0) == Approx(3));
  }

  TEST_CASE("latency, frame rate, accuracy and memory as people write them") {
    CHECK_FALSE(d::parse_constraints("classify sound in 25 ms windows").latency_s);
    CHECK_FALSE(d::parse_constraints("pressure sampled every 10 ms").latency_s);
    CHECK(d::parse_constraints("a decision every 20 ms").latency_s.value_or(0) == Approx(0.02));
    CHECK(d::parse_constraints("answer in under a second").latency_s.value_or(0) == Approx(1));
    CHECK(d::parse_constraints("keep up with 12 parcels a second").throughput_fps.value_or(0) == Approx(12));
    CHECK(d::parse_constraints("it must be right at least 95% of the time").accuracy_min.value_or(0) == Approx(0.95));
    CHECK(d::parse_constraints("a laptop with 32 gb").memory_bytes.value_or(0) == Approx(32e9));
  }

  TEST_CASE("data set sizes: not sizes, ranges, handfuls, things shown, assets, forecast series or hours to make") {
    CHECK_FALSE(d::parse_constraints("write a 2-3 sentence summary of each").data_samples);
    CHECK_FALSE(d::parse_constraints("show 8 similar items to the shopper").data_samples);
    CHECK_FALSE(d::parse_constraints("decide if two reviews say the same").data_samples);
    CHECK_FALSE(d::parse_constraints("we have 40 forklifts in the depot").data_samples);
    CHECK_FALSE(d::parse_constraints("forecast weekly demand for ~12k products").data_samples);
    // What is to be translated is the workload, not examples to fine-tune on (round 17: sml-suggest
    // reads data_samples as the training set; was 20000 before).
    CHECK_FALSE(d::parse_constraints("translate 20k product listings from english").data_samples);
    CHECK(d::parse_constraints("fine-tune on our 20k translated product listings").data_samples.value_or(0) == Approx(20000));
    CHECK_FALSE(d::parse_constraints("under 2 hours of downtime").data_hours);
    CHECK_FALSE(d::parse_constraints("300 hours of narration to produce").data_hours);
    CHECK(d::parse_constraints("we have 50 hours of recordings").data_hours.value_or(0) == Approx(50));
  }

  TEST_CASE("class counts: decisions, pairs, tell X from Y, class out of N, and-lists; not languages or open lists") {
    CHECK(d::parse_constraints("accept or reject each application").classes.value_or(0) == 2);
    CHECK(d::parse_constraints("hotel reviews, good or bad, 20k of them").classes.value_or(0) == 2);
    CHECK(d::parse_constraints("tell a cracked tile from a sound one").classes.value_or(0) == 2);
    CHECK_FALSE(d::parse_constraints("tell the bird species from a photo").classes);
    CHECK(d::parse_constraints("with the fault class out of 7").classes.value_or(0) == 7);
    CHECK(d::parse_constraints("grade them into red, amber and green").classes.value_or(0) == 3);
    CHECK_FALSE(d::parse_constraints("translate into french, spanish and german").classes);
    CHECK_FALSE(d::parse_constraints("tag each word as noun, verb, adverb and so on").classes);
    CHECK_FALSE(d::parse_constraints("detect cars and draw boxes around them").classes);
  }
}
