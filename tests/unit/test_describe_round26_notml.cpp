// What is not ML, round 26 (#16, describe36): what the writer says outright that makes a request no
// learning problem, whatever its words of photos, text or prediction (not_learning_said.hpp): a
// model ruled out or put off to later, a question about the right to use something, a test of
// statistical significance, a part of an application to add, a sheet's cells formatted on a
// condition, an output the data already carry; the words of a control's quoted label are not read
// as a request. And two ML requests the rules declined: a named
// method of learning ("collaborative filtering", "Sentence-BERT") is a word of learning.
// Every statement here was written for this file and is in no validation set. On main before this
// round the reader gave each of the declined ones a task and declined the last two learning ones.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"

TEST_SUITE("describe") {
  TEST_CASE("round 26: requests whose writer says what makes them no learning problem are declined, with the reason") {
    struct NotMl {
      const char *text, *why;
    };
    for (const NotMl& n : {
             NotMl{"When someone opens a recipe, list three other recipes from the same cuisine underneath it, newest first. I want "
                   "just that ordering, nothing clever.",
                   "rules out a learned model"},
             NotMl{"Write up the twenty questions our front desk hears most with the answer to each, sorted by topic, so new staff "
                   "answer alike. Whether a chatbot could handle the simple ones can be looked at later.",
                   "puts the model off to later"},
             NotMl{"We cut out product shots with a pretrained background-removal network from a public repository. Its code is MIT "
                   "but the training images were for research only. May we use the weights commercially in our shop app?",
                   "right to use"},
             NotMl{"The mean pain score of patients on ward A is 6.2 and on ward B 5.4. My supervisor wants to know whether the gap "
                   "is statistically significant or just noise.",
                   "statistical significance"},
             NotMl{"Add a comments field to each order so staff can type a note that is saved with the order and shown in its history.",
                   "part of an application"},
             NotMl{"In our orders sheet, highlight every row orange when the delivery date is within the next seven days, and leave "
                   "finished orders white.",
                   "conditional formatting"},
             NotMl{"Each product already has a description in our catalogue database; show that description on the product card in "
                   "the app instead of the short name.",
                   "already exists"},
             // The words of a control's quoted label ('transcribe' button) name the control, not a request.
             NotMl{"When a clip I upload already has subtitles inside the file, show those subtitles and place a 'copy text' link "
                   "next to the 'transcribe' button.",
                   "already exists"}}) {
      CAPTURE(n.text);
      const sml::Doc doc = describe_statement(n.text);
      REQUIRE(doc.path("task")->is_null());
      CHECK(doc.path("task_reason")->as_string().find(n.why) != std::string::npos);
    }
  }

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
