// What is not ML, round 26 (#16, describe36): learning problems whose words come near what makes a
// request no learning problem (a model ruled out or put off, a licence, a significance test, a part
// of an application to add, a sheet's cells, an output that exists) keep their task, and a named
// method of learning ("collaborative filtering", "Sentence-BERT") is a word of learning (main before
// round 26 declined both of those). describe36's rules that declined requests on those forms were
// removed at the round's final review: they declined ordinary ML requests (the guards below from the
// review) and moved no figure of the round's clean set, heldout-25.
// Every statement here was written for this file and is in no validation set.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"

TEST_SUITE("describe") {
  TEST_CASE("round 26: learning problems near those forms keep their task") {
    struct Ml {
      const char *text, *task;
    };
    for (const Ml& ml : {
             // A cell of a microscope image, not of a sheet, with labelled examples.
             Ml{"Highlight each cell in our microscope images whose nucleus looks abnormal; we have 3,000 images labelled by "
                "pathologists.",
                ""},
             // Transcripts exist; the summaries asked for do not.
             Ml{"We already have transcripts of 2,000 support calls; summarise each one in three sentences for the team lead.",
                "summarization"},
             // A button that does what a model does.
             Ml{"Add a button to the gallery that suggests tags for each uploaded photo.", ""},
             Ml{"Add a button to the gallery that tags each uploaded photo with the dog breed.", ""},
             Ml{"Add a 'Describe this photo' button that writes alt text for each image in the gallery.", "image-to-text"},
             Ml{"Next to each clip put a 'Transcribe' button that types out what is said in the recording.", "automatic-speech-recognition"},
             // A licence question beside a task asked for: a setting of that task (the final review of
             // round 26 found it declined).
             Ml{"Is it legal to use the YOLOv8 weights commercially? We want to detect forklifts in our warehouse video on a "
                "Jetson Orin.",
                ""},
             Ml{"We plan to fine-tune a pretrained speech model to transcribe our Dutch call recordings. May we use its weights "
                "commercially in our paid product?",
                ""},
             // A licence as a condition on the model, not a question about one.
             Ml{"Detect potholes in dashcam video from our buses; the model must have a licence that allows commercial use.", ""},
             Ml{"Predict which customers will churn from their usage logs, and tell me whether churn differs significantly between "
                "the two price plans.",
                ""},
             // A kind of model ruled out, or experience the team lacks: still a learning problem.
             Ml{"Nothing fancy: a small gradient boosting model that predicts late payments from the invoice history.", ""},
             Ml{"No need for deep learning; flag fraudulent card payments with whatever classic method works on our 2 million "
                "labelled transactions.",
                ""},
             Ml{"Without any machine learning experience on the team, we still need to sort incoming support e-mails into billing, "
                "outage and sales.",
                "text-classification"},
             // The final review's ML requests that the removed rules declined.
             Ml{"Our current spam filter is a keyword list, nothing smart. We want something that learns from the emails users "
                "mark as spam.",
                ""},
             Ml{"Transcribe our weekly meeting recordings into text, nothing fancy.", "automatic-speech-recognition"},
             Ml{"Route each incoming support ticket to billing, sales or tech; a reply-drafting model could be added later.", ""},
             Ml{"Could we use a small model in our commercial product to count cars in parking-lot photos?", ""},
             Ml{"Highlight every row where the card transaction looks unusual.", ""},
             // A named method of learning is a word of learning (main declined both as a stated rule or IT work).
             Ml{"The listings page is sorted by date only. Encode my CV once with Sentence-BERT, cache the vector, encode each job "
                "ad the same way and sort by cosine similarity.",
                "sentence-similarity"},
             Ml{"Under each article, replace the related box with 'readers of this also read', worked out by collaborative filtering "
                "on what other readers opened.",
                ""}}) {
      CAPTURE(ml.text);
      REQUIRE_FALSE(declined(ml.text));
      if (*ml.task) CHECK(task_of(ml.text) == ml.task);
    }
  }
}
