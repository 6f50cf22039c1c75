// sml-describe's number rules of round 21 (#16): a size that is part of a board's product name
// picks the board and states no memory limit (a card's "A100 80GB" still does); the year of a named
// data set or challenge is no count, and a count may stand two describing words before its class
// noun; a generator's steps a second (tokens, it/s) are no frame rate; the length of a request and
// of its answer in tokens is read into deployment.prompt_tokens / output_tokens, which sml-estimate
// --task takes as defaults. Every statement here was written for this file (none is in a
// validation set).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "describe_text.hpp"
#include "sml/describe/constraints.hpp"
#include "sml/footprint/estimate.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("a board's size in its name is no memory limit; a card's is its memory") {
    const std::string board = "our weeding robot carries a Jetson Orin Nano 8GB; mark every pixel as crop, weed or soil";
    CHECK(text_of(board, "deployment.device") == "nvidia-jetson-orin-nano-8gb");
    CHECK(number_of(board, "constraints.memory_bytes") == 0);
    const std::string agx = "Count the pallets on the dock with the Jetson AGX Orin 64GB we bought last year.";
    CHECK(text_of(agx, "deployment.device") == "nvidia-jetson-agx-orin-64gb");
    CHECK(number_of(agx, "constraints.memory_bytes") == 0);
    // A card named with its memory: that memory is what the model must fit in.
    const std::string card = "Summarise our support calls on four A100 80GB cards.";
    CHECK(text_of(card, "deployment.device") == "nvidia-a100-sxm4-80gb");
    CHECK(number_of(card, "constraints.memory_bytes") == doctest::Approx(80e9));
    // RAM stated beside a board is still a limit.
    const std::string ram = "Spot wasps at the hive entrance on a Raspberry Pi 5 with 4 GB of RAM.";
    CHECK(number_of(ram, "constraints.memory_bytes") == doctest::Approx(4e9));
  }

  TEST_CASE("a data set's year is part of its name, no count; a count may stand two words before its class noun") {
    CHECK(number_of("Label our drone shots with the ten DOTA 2018 object categories.", "constraints.classes") == doctest::Approx(10));
    CHECK(number_of("Predict next month's churn from the KDD 2009 table of 50,000 customers we have.", "constraints.data_samples") ==
          doctest::Approx(50000));
    // Two describing words, one hyphenated.
    auto c = d::parse_constraints("tag each listing with one of 40 fine-grained product categories");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(40));
    c = d::parse_constraints("sort the clips into 12 hand-picked gesture classes");
    REQUIRE(c.classes);
    CHECK(*c.classes == doctest::Approx(12));
    // A year with no capitalised name before it is left to the other rules (nothing is blanked).
    CHECK(number_of("we have 2019 labelled x-rays of wrists to learn from", "constraints.data_samples") == doctest::Approx(2019));
  }

  TEST_CASE("steps of a generator a second are no frame rate") {
    auto c = d::parse_constraints("the sampler reaches 12 it/s and the chat model streams 40 tokens a second");
    CHECK_FALSE(c.throughput_fps);
    c = d::parse_constraints("the reader should speak at least 15 words per second");
    CHECK_FALSE(c.throughput_fps);
    // Frames and items still are.
    c = d::parse_constraints("we need 25 images per second from the sorter camera");
    REQUIRE(c.throughput_fps);
    CHECK(*c.throughput_fps == doctest::Approx(25));
  }

  TEST_CASE("the length of a request and of its answer in tokens") {
    const std::string chat = "A helpdesk assistant on one L4: prompts of ~2k tokens, answers up to 300 tokens, about 40k requests a day.";
    CHECK(number_of(chat, "deployment.prompt_tokens") == doctest::Approx(2000));
    CHECK(number_of(chat, "deployment.output_tokens") == doctest::Approx(300));
    CHECK(number_of(chat, "deployment.queries_per_day") == doctest::Approx(40000));
    const std::string joined = "Condense 1,500-token incident reports into 120-token summaries for the weekly digest.";
    CHECK(number_of(joined, "deployment.prompt_tokens") == doctest::Approx(1500));
    CHECK(number_of(joined, "deployment.output_tokens") == doctest::Approx(120));
    CHECK(number_of("A code assistant that should generate at most 256 tokens per reply.", "deployment.output_tokens") ==
          doctest::Approx(256));
    // A rate, a model's context window and tokens to train on are no request lengths.
    const std::string none = "Fine-tune a chat model on 2B tokens of our manuals; its context window of 8k tokens is plenty and "
                             "30 tokens a second is fast enough.";
    CHECK(number_of(none, "deployment.prompt_tokens") == 0);
    CHECK(number_of(none, "deployment.output_tokens") == 0);
    CHECK(number_of("Pretrain a small model on 2 billion tokens of text, then serve it.", "deployment.prompt_tokens") == 0);
  }

  TEST_CASE("sml-estimate --task takes the task's token lengths where the flags give none") {
    const auto path = std::filesystem::temp_directory_path() / "sml-round21-task.yaml";
    {
      std::ofstream f(path);
      f << "sml: task/v1\ntask: {id: text-generation}\ndeployment:\n  prompt_tokens: 1800\n  output_tokens: 250\n";
    }
    sml::footprint::ServingPlan plan;
    plan.output_tokens = 64;  // given on the command line: kept
    sml::footprint::task_token_defaults(path.string(), plan);
    REQUIRE(plan.prompt_tokens);
    CHECK(*plan.prompt_tokens == doctest::Approx(1800));
    REQUIRE(plan.output_tokens);
    CHECK(*plan.output_tokens == doctest::Approx(64));
    std::filesystem::remove(path);
  }
}
