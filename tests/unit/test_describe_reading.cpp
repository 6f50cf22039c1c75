// sml-describe's reading of a whole statement (#16): spelling fixed toward the vocabulary, words
// generalised through WordNet, input/output cues deciding between tasks, load versus data,
// objectives, languages, unknown devices, and requests that are not learning problems. Expected
// values are what the statements say, read by hand.
#include <doctest/doctest.h>

#include <algorithm>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/describe/describe.hpp"
#include "sml/describe/lexicon.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/settings.hpp"
#include "sml/describe/text_task.hpp"

using doctest::Approx;
namespace d = sml::describe;

namespace {
sml::Doc describe(const std::string& text) { return describe_statement(text); }
std::string task_id(const sml::Doc& doc) {
  const sml::Doc* id = doc.path("task.id");
  return id ? id->as_string() : "";
}
}  // namespace

TEST_SUITE("describe-reading") {
  TEST_CASE("Damerau distance: a swap of neighbours is one edit") {
    CHECK(d::typo_distance("keypionts", "keypoints") == 1);
    CHECK(d::typo_distance("wedds", "weeds") == 1);
    CHECK(d::typo_distance("fotos", "photos") == 2);
    CHECK(d::typo_distance("", "abc") == 3);
  }

  TEST_CASE("spelling: misspelt words become vocabulary words; names and correct words stay") {
    const d::Lexicon lex({"classify", "photo", "weed", "detect"});
    std::vector<d::Correction> fixes;
    CHECK(lex.correct("clasify fotos of wedds", fixes) == "classify photos of weeds");
    REQUIRE(fixes.size() == 3);
    CHECK(fixes[0].from == "clasify");
    CHECK(fixes[2].to == "weeds");
    fixes.clear();
    // "weds" is English, Huelva a name inside a sentence, RTX an acronym: none is touched.
    CHECK(lex.correct("She weds in Huelva near the RTX lab", fixes) == "She weds in Huelva near the RTX lab");
    CHECK(fixes.empty());
  }

  TEST_CASE("spelling without a dictionary: sound, irregular forms and function words") {
    const d::Lexicon lex({"apartment", "smoothing", "image", "imagen", "total", "tool", "photo"});
    std::vector<d::Correction> fixes;
    // "pp" is one p and "ph" an f; "mice" and "shown" are WordNet's irregular forms, not typos;
    // "somthing" is nearer the function word "something" than the vocabulary's "smoothing".
    CHECK(lex.correct("an appartment with fotos", fixes) == "an apartment with photos");
    CHECK(lex.correct("mice were shown", fixes) == "mice were shown");
    CHECK(lex.correct("somthing", fixes) == "something");
    // Ties: an English word over a name ("image", not "imagen"); a letter left out ("total", not "tool").
    CHECK(lex.nearest_known("imagez") == "image");
    CHECK(lex.nearest_known("totl") == "total");
    CHECK(lex.nearest_known("zzzz").empty());
  }

  TEST_CASE("generalisation: WordNet hypernyms and the curated table") {
    const d::Lexicon lex({});
    auto is = [&](const std::string& w, const std::string& kind) {
      const auto g = lex.generalise(w);
      return std::find(g.begin(), g.end(), kind) != g.end();
    };
    CHECK(is("thrush", "bird"));
    CHECK(is("sparrow", "bird"));
    CHECK(is("salmon", "fish"));
    CHECK(is("dandelion", "plant"));
    CHECK(is("burpee", "exercise"));  // not in WordNet 3.0: curated
    CHECK(is("invoice", "document"));
    CHECK(lex.generalise("process").empty());  // its legal-writ sense is rare and not used
  }

  TEST_CASE("reading: the output decides between tasks over the same input") {
    const std::vector<std::string> ids = {"image-classification", "image-segmentation", "object-detection",
                                          "translation", "text-classification"};
    auto adj = [&](const std::string& text) {
      return d::task_adjustments(d::read_statement(d::TaskClassifier::words(text)), ids);
    };
    auto pixels = adj("label every pixel of the photo as soil, crop or weed");
    CHECK(pixels["image-segmentation"] > pixels["image-classification"]);
    auto boxes = adj("put a box around every car in the photo");
    CHECK(boxes["object-detection"] > boxes["image-classification"]);
    // Two languages named, no translating: translation is penalised, routing rewarded.
    auto tickets = adj("route English and Spanish tickets into 14 queues");
    CHECK(tickets["text-classification"] > tickets["translation"] + 5);
  }

  TEST_CASE("numbers: a per-day count is load, not data; queues are classes") {
    const auto c = d::parse_constraints("about 3k tickets/day, to be routed into 14 queues");
    CHECK_FALSE(c.data_samples);
    CHECK(*c.classes == Approx(14));
    CHECK(*d::parse_deployment("about 3k tickets/day", {}).queries_per_day == Approx(3000));
    CHECK(*d::parse_constraints("results within 2 minutes per scan").latency_s == Approx(120));
    CHECK(*d::parse_constraints("a binary classifier").classes == Approx(2));
    // Data held versus what is processed: any noun counts when the text says it is held.
    CHECK(*d::parse_constraints("teachers want to know who wrote it; we have 1,378 essays to start").data_samples == Approx(1378));
    CHECK(*d::parse_constraints("predict default; 80k historical loans").data_samples == Approx(80000));
    CHECK_FALSE(d::parse_constraints("predict the page views of 145k wikipedia articles").data_samples);
    // Classes: one of a counted set, a list after a dash, "vs" lists; SKUs to forecast are not classes.
    CHECK(*d::parse_constraints("predict which of 28 subcellular locations a protein is in").classes == Approx(28));
    CHECK(*d::parse_constraints("tell which instrument plays - guitar, piano, violin, drums or voice").classes == Approx(5));
    CHECK(*d::parse_constraints("i need to know pet vs hdpe vs glass vs aluminium").classes == Approx(4));
    CHECK_FALSE(d::parse_constraints("forecast weekly demand for 20,000 skus").classes);
    CHECK(*d::parse_constraints("count pallets and cartons").classes == Approx(2));
  }

  TEST_CASE("vs lists start where a word starts: the same lists, and a long word is no list") {
    // The first item keeps its letters, digits and dashes, wherever the list sits in the sentence.
    const auto c = d::parse_constraints("we compare yolo-v8n vs ssd-300 vs rt-detr on the belt");
    REQUIRE(c.classes);
    CHECK(*c.classes == Approx(3));
    REQUIRE_FALSE(c.evidence.empty());
    CHECK(c.evidence.back() == "yolo-v8n vs ssd-300 vs rt-detr");
    CHECK(*d::parse_constraints("pet vs hdpe vs glass").classes == Approx(3));
    CHECK_FALSE(d::parse_constraints("accuracy vs speed").classes);
    // 256 KiB of one word holds no list (its search once tried every position to the word's end).
    CHECK_FALSE(d::parse_constraints(std::string(std::size_t(1) << 18, 'q')).classes);
  }

  TEST_CASE("devices: unknown ones are kept as text, never replaced by a near miss") {
    d::KnownNames names;
    names.devices = {{"jetson orin nano", "nvidia-jetson-orin-nano-8gb"}, {"a10", "nvidia-a10"}};
    const auto hailo = d::parse_deployment("detect strawberries on a Hailo-8 board", names);
    CHECK_FALSE(hailo.device);
    CHECK(*hailo.device_text == "hailo-8");
    CHECK(*hailo.device_class == "edge-board");
    const auto nano = d::parse_deployment("runs on a jetson nano", names);
    CHECK_FALSE(nano.device);
    CHECK(*nano.device_text == "jetson nano");
    CHECK(*d::parse_deployment("on a phone", names).device_class == "phone");
  }

  TEST_CASE("objectives in the writer's order of importance; languages as ISO 639-1") {
    using V = std::vector<std::string>;
    CHECK(d::parse_objectives("accuracy over speed, and nothing leaves the phone") == V{"accuracy", "latency", "privacy"});
    CHECK(d::parse_objectives("speed is less important than accuracy") == V{"accuracy", "latency"});
    CHECK(d::parse_objectives("cheapest possible, runs overnight in batches") == V{"cost", "batch"});
    // Offline is about connectivity, batch about no one waiting: a phone with no signal is still
    // waited on; a nightly job on a connected server is not.
    CHECK(d::parse_objectives("it must work offline in the field, there is no signal") == V{"offline"});
    CHECK(d::parse_objectives("score last week's claims in a nightly batch job") == V{"batch"});
    CHECK(d::parse_objectives("have the results ready by the next morning") == V{"batch"});
    // A speed word under a negation is no speed priority.
    CHECK(d::parse_objectives("it doesn't need to be real-time, accuracy matters") == V{"batch", "accuracy"});
    CHECK(d::parse_objectives("no need for real time; latency does not matter") == V{"batch"});
    // A batch size is not a batch job, and a live system stays live.
    CHECK(d::parse_objectives("we run it in batches of 32 on the GPU") == V{});
    CHECK(d::parse_objectives("answers must come in real time") == V{"latency"});
    const auto l = d::parse_languages("translate our manuals from German into English and French");
    CHECK(l.source == V{"de"});
    CHECK(l.target == V{"en", "fr"});
    CHECK(d::parse_languages("transcribe Spanish audio").source == V{"es"});
    CHECK(d::parse_languages("train on German servers").source.empty());  // a place, not a language
  }

  TEST_CASE("whole statements: the issue's cases, and a request that is not ML") {
    CHECK(task_id(describe("Precision-spraying robot: label every pixel as soil, crop or weed")) == "image-segmentation");
    CHECK(task_id(describe("flag each clause of a supplier contract as standard or risky")) == "text-classification");
    CHECK(task_id(describe("the user films themselves doing burpees and squats and the app says which exercise")) ==
          "video-classification");
    CHECK(task_id(describe("type out my dictated referral letters")) == "automatic-speech-recognition");
    CHECK(task_id(describe("compute a compact vector for every track from the audio")) == "feature-extraction");
    const auto it = describe("configure cron and nginx on our server so the logs rotate nightly");
    REQUIRE(it.find("task"));
    CHECK(it.find("task")->is_null());
    CHECK(it.find("task_reason")->as_string().find("not a learning problem") == 0);
    const auto phone = describe("classify bird songs on an iPhone 15 Pro, offline");
    CHECK(phone.path("deployment.device")->as_string() == "apple-a17-pro");
  }
}
