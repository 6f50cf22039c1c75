// sml-describe's task reading of round 25 (#16): what comes out decides, read from the verbs around
// the noun. Speech or audio that a verb makes ("generating speech", "audio generated", "turning
// text into speech") is the output, not a recording that comes in; a picture made from a prompt is
// the output; how similar photos are is read from their vectors (feature extraction), since the
// catalogue's similarity task compares texts; and speech made clearly turns a top speech-to-text
// task around (a voice cloned from recordings).
// Every statement was written for this file (none is in a validation set). Each whole-statement task
// check was run on main's sml-describe at e5febd35 and read another task there unless marked as a guard.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"

TEST_SUITE("describe") {
  TEST_CASE("speech or audio made by a verb is what comes out, not what goes in") {
    // The "-ing" form of the verb before the noun (was automatic-speech-recognition).
    const auto r = reading_of("with our small gpu generating speech takes 15 seconds per sentence");
    CHECK(output(r, "speech-out") >= 2);
    CHECK(input(r, "audio") == 0);
    CHECK(task_of("With our small GPU, generating speech takes 15 seconds per sentence. Can it stream?") == "text-to-speech");
    // A participle of making after the noun (was automatic-speech-recognition).
    CHECK(task_of("Our narrator app only manages 30 seconds of audio generated per minute of compute on the old GPU.") ==
          "text-to-speech");
    // What a verb of turning turns something into (was text-generation).
    CHECK(task_of("Turning our blog posts into speech for a podcast feed is too slow on the CPU.") == "text-to-speech");
    // Guards: speech written down, and recordings turned into text, stay speech recognition; audio
    // named as data held ("produce audio recordings") stays an input.
    CHECK(task_of("Transcribe the speech in our recorded lectures into text.") == "automatic-speech-recognition");
    CHECK(task_of("Turn the call recordings into text and flag the angry ones.") == "automatic-speech-recognition");
    CHECK(input(reading_of("our field team produce audio recordings of every bird they hear"), "audio") >= 1);
    // A rate over the audio heard ("tokens generated per second of audio") makes no audio.
    CHECK(output(reading_of("we need fewer tokens generated per second of audio"), "speech-out") == 0);
  }

  TEST_CASE("a picture made from a prompt is what comes out") {
    // Was text-generation.
    const auto r = reading_of("a single picture from a prompt takes 40 seconds in the web ui on my mac");
    CHECK(output(r, "image-out") >= 2);
    CHECK(input(r, "image") == 0);
    CHECK(task_of("A single picture from a prompt takes 40 seconds in the web UI on my Mac.") == "text-to-image");
    // Guard: a caption for a photo, from its description, is text made about a picture.
    CHECK(output(reading_of("write a caption for each photo from its description in the catalogue"), "image-out") == 0);
    CHECK(task_of("Write a caption for each photo from its description in the catalogue.") == "image-to-text");
  }

  TEST_CASE("how similar photos are is read from their vectors") {
    // Was sentence-similarity.
    CHECK(task_of("Compute a CLIP vector for each of our 80k product photos and show shoppers the visually closest ones by "
                  "cosine similarity.") == "feature-extraction");
    // Guard: texts compared stay sentence similarity.
    CHECK(task_of("Find near-duplicate support tickets by the cosine similarity of their text.") == "sentence-similarity");
  }

  TEST_CASE("speech made clearly turns a top speech-to-text task around") {
    // The recordings are the voice to copy (both were automatic-speech-recognition).
    CHECK(task_of("Recreate the voice of our retired radio host from 3 hours of old interview recordings for the station's "
                  "jingles.") == "text-to-speech");
    CHECK(task_of("Clone the voice of our retired radio host from 3 hours of old interview recordings.") == "text-to-speech");
  }
}
