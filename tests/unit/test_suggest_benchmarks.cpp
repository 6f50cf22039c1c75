// What a published figure can say in the ranking: a candidate is compared on the benchmark it
// shares with the most others (a model publishes several), a benchmark only one candidate has
// compares it with none, and a stated frame size scales the profile of a model that runs at it.
#include <doctest/doctest.h>

#include <algorithm>

#include "sml/catalog/models.hpp"
#include "sml/io/error.hpp"
#include "sml/suggest/pipeline.hpp"
#include "sml/suggest/suggest.hpp"
#include "suggest_toy.hpp"

namespace {
using sml::suggest::Candidate;
using sml::suggest::Fit;

sml::catalog::CatalogModel model(const std::string& id, std::vector<sml::catalog::Quality> quality) {
  sml::catalog::CatalogModel m;
  m.id = id;
  m.tasks = {"toy-task"};
  m.macs = 1e9;
  m.params = 1e8;
  m.quality = std::move(quality);
  m.pretrained = {"test:" + id};
  return m;
}

sml::catalog::Quality q(const std::string& metric, double value, const std::string& dataset) {
  return {metric, value, dataset, "", "test", true};
}

Candidate cand(const sml::catalog::CatalogModel& m, double co2) {
  Candidate c;
  c.model = &m;
  c.task = "toy-task";
  c.quality = m.quality.empty() ? nullptr : &m.quality.front();  // no figure: no quality, as the catalogue gives it
  c.finetune_co2 = co2;
  c.serving_co2 = 0;
  c.fits = Fit::kYes;
  return c;
}

std::vector<std::string> order(const std::vector<Candidate>& v) {
  std::vector<std::string> out;
  for (const auto& c : v) out.push_back(c.model->id);
  return out;
}

sml::Doc suggest_on_real_catalogue(const std::string& body) { return sml::suggest::suggest(real_suggest_options(body)); }

}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("ranking: a benchmark only one candidate has compares it with none, so it is not good enough by itself") {
    // CLIP-like: the cheapest, alone on its own benchmark (zero-shot ImageNet for a text task). Two
    // NLI models share MNLI, 0.5 pt apart. Before, the lone figure was "within the tolerance of the
    // best on its benchmark" (itself) and went first on cost; a model with no figure at all ranks
    // after the placed ones, and so does a lone figure now.
    const auto lone = model("lone", {q("top1", 0.63, "imagenet-zero-shot")});
    const auto nli_a = model("nli-a", {q("accuracy", 0.906, "mnli")});
    const auto nli_b = model("nli-b", {q("accuracy", 0.901, "mnli")});
    const auto none = model("none", {});
    std::vector<Candidate> v = {cand(lone, 0.1), cand(nli_b, 2), cand(nli_a, 1), cand(none, 0.05)};
    const std::string basis = sml::suggest::rank_candidates(v, {});
    CHECK(order(v) == std::vector<std::string>{"nli-a", "nli-b", "none", "lone"});
    const auto& l = v[3];
    CAPTURE(l.why);
    CHECK(l.why.find("no other candidate has a figure on top1/imagenet-zero-shot") != std::string::npos);
    CHECK_FALSE(l.comparable);
    CHECK(basis.find("quality is not compared across benchmarks") == std::string::npos);  // no second group
    // Nothing shared at all (NCF-like hit rate, DLRM-like AUC): cost alone, whichever way round.
    const auto ncf = model("ncf", {q("hr@10", 0.7, "movielens")});
    const auto dlrm = model("dlrm", {q("auc", 0.8, "criteo")});
    std::vector<Candidate> r = {cand(dlrm, 5), cand(ncf, 1)};
    CHECK(sml::suggest::rank_candidates(r, {}).empty());
    CHECK(order(r).front() == "ncf");
    r = {cand(dlrm, 0.5), cand(ncf, 1)};
    sml::suggest::rank_candidates(r, {});
    CHECK(order(r).front() == "dlrm");
  }

  TEST_CASE("benchmarks: a candidate is compared on the figure it shares with the others, not on its first one") {
    // DistilBERT-like: GLUE macro first (alone), then SQuAD F1, which two others publish. Placed on
    // SQuAD it is compared: 1.6 pt below the best, inside the 5 pt band, and the cheapest first.
    const auto distil = model("distil", {q("glue-macro", 0.77, "glue-dev"), q("f1", 0.869, "squad"), q("accuracy", 0.913, "sst2")});
    const auto base = model("base", {q("f1", 0.885, "squad")});
    const auto large = model("large", {q("accuracy", 0.866, "mnli"), q("f1", 0.909, "squad")});
    const auto tiny = model("tiny", {q("glue-relative", 0.968, "glue")});
    std::vector<Candidate> v = {cand(large, 9), cand(base, 3), cand(distil, 1), cand(tiny, 0.2)};
    sml::suggest::choose_benchmarks(v, "");
    for (const auto& c : v) CAPTURE(c.model->id + ": " + c.quality->metric + " on " + c.quality->dataset);
    CHECK(v[2].quality->dataset == "squad");
    CHECK(v[0].quality->dataset == "squad");  // large: its MNLI is alone here
    CHECK(v[3].quality->dataset == "glue");   // tiny shares nothing: its first figure
    sml::suggest::rank_candidates(v, {});
    CHECK(order(v) == std::vector<std::string>{"distil", "base", "large", "tiny"});
    CHECK(v[0].why.find("within 4 pt of the best f1 (large)") != std::string::npos);
    // A benchmark the task names places a candidate before a more common one.
    std::vector<Candidate> named = {cand(large, 9), cand(base, 3), cand(distil, 1)};
    const auto sst = model("sst-only", {q("accuracy", 0.95, "sst2")});
    named.push_back(cand(sst, 4));
    sml::suggest::choose_benchmarks(named, "SST2 sentiment sentences");
    CHECK(named[2].quality->dataset == "sst2");
    CHECK(named[0].quality->dataset == "squad");
  }

  TEST_CASE("costing: a stated frame size scales a segmentation network's profile, not a detector's or a classifier's") {
    // LR-ASPP is fully convolutional: at a stated 1280x720 frame (padded to 1280x736) it does
    // 1280·736 / 520² = 3.48x the work of its catalogue input; YOLOv5s letterboxes every frame to
    // 640 and a classifier resizes to its own input, so theirs do not move.
    const std::string seg = "task: {id: image-segmentation, confidence: 0.9}\nmodalities: [image]\ndeployment: {device: nvidia-l4}\n";
    const auto plain = suggest_on_real_catalogue(seg);
    const auto framed = suggest_on_real_catalogue(seg + "constraints: {image_size_px: [1280, 720]}\n");
    const double f0 = candidate(plain, "lraspp-mobilenet-v3-large").find("forward_flops")->as_number().value();
    const double f1 = candidate(framed, "lraspp-mobilenet-v3-large").find("forward_flops")->as_number().value();
    CHECK(f1 / f0 == doctest::Approx(1280.0 * 736 / (520 * 520)).epsilon(0.05));
    CHECK(candidate(framed, "lraspp-mobilenet-v3-large").find("forward_basis")->as_string().find("the stated 1280x720 frame") != std::string::npos);
    // Mask R-CNN is a torchvision detector: its transform resizes to 800 px whatever the frame.
    CHECK(candidate(framed, "maskrcnn-resnet50-fpn").find("forward_flops")->as_number().value() ==
          doctest::Approx(candidate(plain, "maskrcnn-resnet50-fpn").find("forward_flops")->as_number().value()));
    const std::string det = "task: {id: object-detection, confidence: 0.9}\nmodalities: [image]\ndeployment: {device: nvidia-l4}\n";
    const auto d0 = suggest_on_real_catalogue(det);
    const auto d1 = suggest_on_real_catalogue(det + "constraints: {image_size_px: [1920, 1080]}\n");
    CHECK(candidate(d1, "yolov5s").find("forward_flops")->as_number().value() == doctest::Approx(candidate(d0, "yolov5s").find("forward_flops")->as_number().value()));
    // A broken size is refused with its place.
    CHECK_THROWS_WITH_AS(suggest_on_real_catalogue(seg + "constraints: {image_size_px: [1280]}\n"),
                         doctest::Contains("image_size_px: expected [width, height]"), sml::InputError);
  }

  TEST_CASE("costing: a camera stream on a Jetson with no stated frame size is costed at the camera's default frame, assumed") {
    // jetson-inference opens a camera at 1280x720 unless told otherwise (gstCamera.h): a
    // segmentation network at 30 frames/s on an AGX Orin labels that frame (1280x736 padded),
    // 3.48x the pixels of its catalogue 520x520; the assumption is listed with its source.
    const std::string seg = "task: {id: image-segmentation, confidence: 0.9}\nmodalities: [image]\n";
    const std::string orin = "deployment: {device: nvidia-jetson-agx-orin-64gb}\n";
    const auto at = [&](const sml::Doc& d) { return candidate(d, "lraspp-mobilenet-v3-large").find("forward_flops")->as_number().value(); };
    const auto assumed_frame = [](const sml::Doc& d) -> const sml::Doc* {
      for (const auto& a : d.find("assumed")->as_list())
        if (a.find("key")->as_string() == "image_size_px") return &a;
      return nullptr;
    };
    const auto still = suggest_on_real_catalogue(seg + orin);  // no frame rate: no stream, the catalogue's input
    const auto stream = suggest_on_real_catalogue(seg + orin + "constraints: {throughput_fps: 30}\n");
    CHECK(at(stream) / at(still) == doctest::Approx(1280.0 * 736 / (520 * 520)).epsilon(0.05));
    CHECK(candidate(stream, "lraspp-mobilenet-v3-large").find("forward_basis")->as_string().find("the assumed 1280x720 frame") != std::string::npos);
    const sml::Doc* a = assumed_frame(stream);
    REQUIRE(a != nullptr);
    CHECK(a->find("why")->as_string().find("gstCamera.h") != std::string::npos);
    CHECK(assumed_frame(still) == nullptr);
    // A stated size wins, and is not listed as assumed with the camera's source.
    const auto stated = suggest_on_real_catalogue(seg + orin + "constraints: {throughput_fps: 30, image_size_px: [640, 480]}\n");
    CHECK(at(stated) / at(still) == doctest::Approx(640.0 * 480 / (520 * 520)).epsilon(0.05));
    REQUIRE(assumed_frame(stated) != nullptr);
    CHECK(assumed_frame(stated)->find("why")->as_string().find("gstCamera.h") == std::string::npos);
    // An Android phone's analyser gets CameraX's 640x480 (ImageAnalysis.java).
    const auto pixel = suggest_on_real_catalogue(seg + "deployment: {device: google-tensor-g3}\nconstraints: {throughput_fps: 30}\n");
    CHECK(at(pixel) / at(still) == doctest::Approx(640.0 * 480 / (520 * 520)).epsilon(0.05));
    REQUIRE(assumed_frame(pixel) != nullptr);
    CHECK(assumed_frame(pixel)->find("why")->as_string().find("CameraX") != std::string::npos);
    // A device with no sourced camera default keeps the catalogue's input.
    const auto l4 = suggest_on_real_catalogue(seg + "deployment: {device: nvidia-l4}\nconstraints: {throughput_fps: 30}\n");
    CHECK(at(l4) == doctest::Approx(at(still)));
    // At that frame and 30 frames/s (33 ms a frame), DeepLabV3-ResNet50 no longer fits the Orin.
    auto budgeted = real_suggest_options(seg + orin + "constraints: {throughput_fps: 30}\n");
    budgeted.latency_budget.clear();
    CHECK(candidate(sml::suggest::suggest(budgeted), "deeplabv3-resnet50").find("fits")->as_string() == "false");
  }
}
