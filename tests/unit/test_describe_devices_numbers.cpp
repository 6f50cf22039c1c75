// sml-describe's device, place and number rules of round 16 (#16): a device named as the machine a
// model is trained on is not where it is served; a town with its state or province code places the
// region; a phone's camera leaves the phone a phone; a rate given per camera or stream is summed over
// them; the image or frame size stated goes into constraints.image_size_px. Every statement here was
// written for this file (none is in a validation set); each first check fails on main at d1377c5.
#include <doctest/doctest.h>

#include <string>

#include "describe_text.hpp"

namespace {

// constraints.image_size_px as "WxH", or "" when not given.
std::string image_size(const std::string& statement) {
  const sml::Doc doc = describe_statement(statement);
  const sml::Doc* v = doc.path("constraints.image_size_px");
  if (!v || !v->is_list() || v->size() != 2) return "";
  return std::to_string(static_cast<int>(*v->as_list()[0].as_number())) + "x" +
         std::to_string(static_cast<int>(*v->as_list()[1].as_number()));
}

}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("a device named for training is not the deployment device") {
    // d1377c5 gave the A100 of each as deployment.device.
    CHECK(text_of("We want to fine-tune a 7B model on our support chats using two A100s; is that enough?", "deployment.device") == "");
    CHECK(text_of("We want to fine-tune a 7B model on our support chats using two A100s; is that enough?", "training.device") ==
          "nvidia-a100-sxm4-40gb");
    CHECK(text_of("How many H100 GPUs would be needed to train a 1B model on 50B tokens of code?", "deployment.device") == "");
    CHECK(text_of("Sort incoming invoices into 6 cost centres; training on an A100 in the cloud.", "deployment.device") == "");
    // "80G memory" picks the 80 GB part (d1377c5: the 40 GB one, as the deployment device).
    CHECK(text_of("Could we train the reranker on one A100 card with 80G memory, or is it too small?", "training.device") ==
          "nvidia-a100-sxm4-80gb");
    // Its memory bounds training, not the model served.
    CHECK(number_of("Can I retrain the ranking model on one A100 80GB and get better recall?", "constraints.memory_bytes") == 0);
    // The device it is trained on and the one it is served on: the second is the deployment.
    CHECK(text_of("We fine-tune on 8 A100s and then serve the ticket classifier on a T4.", "deployment.device") == "nvidia-t4");
    // A device named with no verb of training, or for serving too, stays where it runs.
    CHECK(text_of("Classify support tickets into 8 queues on an A10 in our datacentre.", "deployment.device") == "nvidia-a10");
    CHECK(text_of("We have an A100 for training and inference of a review sentiment model.", "deployment.device") != "");
    CHECK(text_of("A ResNet trained on ImageNet, served on an A10, tags our product photos.", "deployment.device") == "nvidia-a10");
  }

  TEST_CASE("a town with its state or province code places the region") {
    // d1377c5 gave no region for either.
    CHECK(text_of("Our bakery in Mountain View, CA wants to forecast how many loaves to bake each day.", "deployment.region") == "US-CA");
    CHECK(text_of("We're a small clinic in Boise, ID and want to flag pneumonia in chest X-rays.", "deployment.region") == "US");
    CHECK(text_of("Farm co-op near Guelph, ON: count the cows in each barn camera image.", "deployment.region") == "CA-ON");
    // A reply word before a capital pair is no town.
    CHECK(text_of("Thanks, OK. Now classify the photos of our shoes into 5 styles.", "deployment.region") == "");
  }

  TEST_CASE("a town whose name is also an ordinary word is a place only when written as a name") {
    // "nice" is an adjective too: before, lower-case "would be nice" placed the task in France (FR),
    // since WordNet's only noun sense of "nice" is the city. Written as a name it still places it.
    CHECK(text_of("Classify photos of cats. Under a second would be nice.", "deployment.region") == "");
    CHECK(text_of("Classify photos of cats for our shop in Nice.", "deployment.region") == "FR");
  }

  TEST_CASE("a phone's camera leaves the phone a phone") {
    // d1377c5: device class camera.
    CHECK(text_of("Take a picture with the iPhone camera and read the meter value off it.", "deployment.device_class") == "phone");
    CHECK(text_of("Take a picture with the iPhone camera and read the meter value off it.", "deployment.device_text") == "iphone");
  }

  TEST_CASE("a rate per camera or stream is summed over them") {
    // d1377c5 read each as the one rate: 25, 15 and 10 frames a second.
    CHECK(number_of("Six 720p cameras at 25 fps each watch the loading bays; detect pallets and trucks.", "constraints.throughput_fps") == 150);
    CHECK(number_of("Spot smoke in 16 video streams, 15 fps per stream, on one server.", "constraints.throughput_fps") == 240);
    CHECK(number_of("Detect people in the 3 camera feeds, each at 10 fps, at the shop door.", "constraints.throughput_fps") == 30);
    // A rate not tied to each camera stays the total.
    CHECK(number_of("The robot has 2 cameras; segment the floor at 20 fps for the planner.", "constraints.throughput_fps") == 20);
  }

  TEST_CASE("the image or frame size stated is read") {
    // d1377c5 wrote no size at all.
    CHECK(image_size("Segment the lane markings in 1920x1080 dashcam frames at 30 fps.") == "1920x1080");
    CHECK(image_size("Classify 256×256 crops of the wafer into 9 defect kinds.") == "256x256");
    CHECK(image_size("Detect helmets on workers from our 720p site cameras.") == "1280x720");
    CHECK(image_size("Find the litter in 4K drone footage of the beach.") == "3840x2160");
    // Counts, kernels, grids and physical sizes are no image size.
    CHECK(image_size("Classify 4k images of leaves into 12 species.") == "");
    CHECK(image_size("Train an agent to reach the goal in a 10x10 grid world.") == "");
    CHECK(image_size("Detect dents on 60x40 cm steel panels from photos.") == "");
  }
}
