// sml-describe's task reading of round 23 (#16): languages attach only to a task with text or speech
// in or out; a picture changed into another picture is image-to-image (image generation); the verbs
// that make a picture or a voice are read in all their forms ("generating one picture"); vectors that
// exist already are given, not asked for; a unit of text said missing and restored is a blank to
// fill; speech given back or a text read out is speech wanted; a match to the closest one held is
// similarity; kinds told apart are a label; "exercise" generalises only the workout's sense; the
// "-d" form of a cue ending in "e" counts where it is wanted done; a prompt is an input and a quoted
// prompt's words are its content.
// Every statement was written for this file (none is in a validation set). Each whole-statement task
// check was run on main's sml-describe at 6066791 and read another task there unless marked as a guard.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "describe_text.hpp"
#include "sml/describe/lexicon.hpp"
#include "sml/describe/reading.hpp"
#include "sml/describe/text_task.hpp"

namespace d = sml::describe;

TEST_SUITE("describe") {
  TEST_CASE("languages attach only to a task with text or speech in or out") {
    // A video task: the adjective names where the writer is, not a language the model reads.
    const std::string farm = "Our Norwegian salmon farm wants to count the fish that swim past the camera in the underwater video.";
    CHECK(task_of(farm) != "");
    CHECK(describe_statement(farm).path("languages") == nullptr);
    // Guards: a text task and a speech task keep theirs.
    const sml::Doc mails = describe_statement("Sort our Norwegian customer emails into billing, delivery and other.");
    CHECK(mails.path("task.id")->as_string() == "text-classification");
    REQUIRE(mails.path("languages.source") != nullptr);
    CHECK(mails.path("languages.source")->as_list().front().as_string() == "no");
    CHECK(describe_statement("Transcribe the Norwegian voicemails our clinic receives overnight.").path("languages.source") != nullptr);
  }

  TEST_CASE("a picture changed into another picture is image-to-image") {
    CHECK(output(reading_of("turn each of our product photos into a pencil sketch version"), "image-out") >= 2);
    CHECK(task_of("Turn each of our product photos into a pencil-sketch version for the printed catalogue.") == "image-generation");
    CHECK(task_of("Convert the summer pictures from our trail cameras into winter scenes with snow.") == "image-generation");
    // Guards: a picture turned into text, or into classes, is no picture out.
    CHECK(output(reading_of("convert the scanned receipts into text we can search"), "image-out") == 0);
    CHECK(output(reading_of("turn the shelf photos into a count of bottles per brand"), "image-out") == 0);
  }

  TEST_CASE("a verb of making is read in all its forms") {
    // "Generating" (not only "generate") makes the picture the output, not an input.
    const d::Reading r = reading_of("generating a single picture from my prompt is far too slow");
    CHECK(output(r, "image-out") >= 1);
    CHECK((r.inputs.count("image") ? r.inputs.at("image") : 0.0) == 0);
    // Guard: a past participle describes a picture held ("given a rendered image"), which stays an input.
    const d::Reading held = reading_of("given a rendered image recover the prompt behind it");
    CHECK((held.inputs.count("image") ? held.inputs.at("image") : 0.0) >= 1);
  }

  TEST_CASE("a prompt is what goes in, and a quoted prompt's words are its content") {
    const d::Reading r = reading_of("making a texture from a prompt is slow");
    CHECK((r.inputs.count("text") ? r.inputs.at("text") : 0.0) >= 1.5);
    CHECK(task_of("Generating one picture from a prompt like 'a photograph of a red fox in snow' takes four minutes "
                  "on my laptop. Is there a faster setting?") == "text-to-image");
  }

  TEST_CASE("vectors that exist already are given, not asked for") {
    CHECK(output(reading_of("a small head on the audio embeddings our pipeline already computes"), "vector") == 0);
    CHECK(output(reading_of("train a classifier on our precomputed embeddings of each clip"), "vector") == 0);
    CHECK(task_of("On the audio embeddings our doorbell's pipeline already computes, tell a dog's bark apart from a "
                  "knock at the door.") == "audio-classification");
    // Guard: vectors asked for stay the output.
    CHECK(output(reading_of("compute an embedding for every track so we can find the ones already in the playlist"), "vector") >= 2);
  }

  TEST_CASE("a unit of text said missing and restored is a blank to fill") {
    const d::Reading r = reading_of("restore the letters that are lost where the parchment is torn in our typed copies");
    CHECK(output(r, "fill") >= 2.5);
    CHECK(output(r, "image-out") == 0);  // "restore" of a picture is taken back: no picture is named
    CHECK(task_of("In our typed copies of old parish registers, fill in the characters that are unreadable, from the "
                  "words around them.") == "fill-mask");
    // Guard: missing parts of a photo stay a picture to make.
    CHECK(task_of("Fill in the missing parts of old family photos where the print is torn.") == "image-generation");
  }

  TEST_CASE("speech given back, or a text read out, is speech wanted") {
    CHECK(output(reading_of("it gives back 30 seconds of speech for a whole page"), "speech-out") >= 1);
    CHECK(output(reading_of("get each article read out"), "speech-out") >= 1.5);
    CHECK(task_of("When I paste a long article in, it returns only 30 seconds of speech and the audio stops; how do I "
                  "get the whole article read out?") == "text-to-speech");
    // Guards: audio recordings produced are data held; reading out a photographed meter is reading a picture.
    CHECK(output(reading_of("our call centre produces audio recordings every day"), "speech-out") == 0);
    CHECK(output(reading_of("read out the meter value in each photo"), "speech-out") == 0);
  }

  TEST_CASE("the -d form of a cue ending in e is read where it is wanted done") {
    CHECK(output(reading_of("we need every ticket routed to the right team"), "label") >= 1);
    CHECK(output(reading_of("i want the whole chapter narrated"), "speech-out") >= 2);
    // Guards: a participle that describes what is held or where is no output.
    CHECK(output(reading_of("our farm located near the river"), "boxes") == 0);
    CHECK(output(reading_of("from the transcribed text of each book"), "transcript") == 0);
  }

  TEST_CASE("a match to the closest one held is similarity") {
    CHECK(output(reading_of("match each new support question to the nearest one in our archive"), "similar") >= 2);
    // Guard (main already read this one so, from its task words).
    CHECK(task_of("We match every new forum question to the closest one already answered in our archive, but the "
                  "matches are poor for networking questions.") == "sentence-similarity");
  }

  TEST_CASE("kinds told apart are a label") {
    CHECK(output(reading_of("tell a blackbird's song apart from a thrush's"), "label") >= 1.5);
    CHECK(output(reading_of("distinguish wheezes from crackles"), "label") >= 1);
  }

  TEST_CASE("exercise generalises only the workout's sense") {
    const d::Lexicon lex({});
    auto is = [&](const std::string& w, const std::string& kind) {
      const auto g = lex.generalise(w);
      return std::find(g.begin(), g.end(), kind) != g.end();
    };
    // Recycling is a use ({use, usage, ..., exercise}), not a workout.
    CHECK_FALSE(is("recycling", "exercise"));
    CHECK_FALSE(is("employment", "exercise"));
    // Guards: workouts still are, and the waste sorter stays an image classifier.
    CHECK(is("calisthenics", "exercise"));
    CHECK(is("burpee", "exercise"));
    CHECK(task_of("a camera that sorts each item of waste into glass, paper, metal or plastic for our recycling line") ==
          "image-classification");
  }
}
