// sml-describe on graphs the CNN and transformer patterns do not know (issue 18): segments from
// the graph's cuts, downsampling and upsampling, and the modality read from the input. The
// models are built here by hand, so every expected segment follows from how they were built.
#include <doctest/doctest.h>

#include "onnx_builder.hpp"
#include "sml/describe/graph_structure.hpp"

namespace {

using testing::ModelBuilder;

// x → stem conv (stride 2) → relu → 2 residual blocks → conv (stride 2) → 1 residual block →
// global pool → flatten → gemm. H and W symbolic, so no spatial size is known without a shape.
ModelBuilder small_resnet(const std::vector<std::string>& input = {"1", "3", "H", "W"}) {
  ModelBuilder b;
  b.input("x", input).output("y");
  auto conv = [&](const std::string& in, const std::string& out, std::int64_t cin, std::int64_t cout, std::int64_t stride) {
    b.weight(out + ".w", {cout, cin, 3, 3});
    auto* n = b.node("Conv", {in, out + ".w"}, {out}, out);
    ModelBuilder::attr(n, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
    ModelBuilder::attr(n, "strides", std::vector<std::int64_t>{stride, stride});
  };
  auto block = [&](const std::string& in, const std::string& out, std::int64_t c) {
    conv(in, out + ".a", c, c, 1);
    b.node("Relu", {out + ".a"}, {out + ".r"}, out + ".relu");
    conv(out + ".r", out + ".b", c, c, 1);
    b.node("Add", {out + ".b", in}, {out}, out + ".add");
  };
  conv("x", "stem", 3, 8, 2);
  b.node("Relu", {"stem"}, {"s"}, "stem.relu");
  block("s", "b1", 8);
  block("b1", "b2", 8);
  conv("b2", "down", 8, 16, 2);
  block("down", "b3", 16);
  b.node("GlobalAveragePool", {"b3"}, {"g"}, "pool");
  b.node("Flatten", {"g"}, {"f"}, "flatten");
  b.weight("fc.w", {10, 16}).weight("fc.b", {10});
  auto* fc = b.node("Gemm", {"f", "fc.w", "fc.b"}, {"y"}, "fc");
  ModelBuilder::attr(fc, "transB", std::int64_t{1});
  return b;
}

sml::describe::ModelSegments segment(const ModelBuilder& b, const sml::graph::InferOptions& o = {}) {
  const auto model = b.load();
  const auto profile = sml::cost::profile_model(model, o);
  return sml::describe::find_segments(profile, sml::describe::analyse_structure(model, o),
                                      sml::describe::read_modality(model, profile));
}

std::vector<std::string> names(const sml::describe::ModelSegments& m) {
  std::vector<std::string> n;
  for (const auto& s : m.segments) n.push_back(s.name);
  return n;
}

}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("cuts: one tensor carries everything on after each residual block, not inside it") {
    const auto b = small_resnet();
    const auto model = b.load();
    const auto s = sml::describe::analyse_structure(model, {});
    const auto p = sml::cost::profile_model(model, {});
    REQUIRE(s.live_after.size() == p.layers.size());
    auto live_after = [&](const std::string& name) {
      for (std::size_t i = 0; i < p.layers.size(); ++i)
        if (p.layers[i].name == name) return s.live_after[i];
      return -1;
    };
    CHECK(live_after("stem.relu") == 1);
    CHECK(live_after("b1.a") == 2);     // the block's input waits for the residual add
    CHECK(live_after("b1.relu") == 2);
    CHECK(live_after("b1.add") == 1);
    CHECK(live_after("fc") == 1);       // the graph's output, alive to the end
  }

  TEST_CASE("a graph with unknown spatial sizes: stem, a stage per downsampling, head, from its structure") {
    // Without shapes the CNN pattern sees no feature map and would leave one 'body'.
    const auto m = segment(small_resnet());
    CHECK(m.architecture == "structural");
    CHECK(names(m) == std::vector<std::string>{"stem", "stage1", "stage2", "head"});
    CHECK(m.segments[1].nodes == 8);  // the two residual blocks at the stem's resolution
    CHECK(m.segments[2].nodes == 7);  // the strided conv, the block after it, the pooling and flatten
    CHECK(m.segments[3].params == 16 * 10 + 10);
  }

  TEST_CASE("--input-shape: the same model with its shape goes the CNN way, with resolutions") {
    sml::graph::InferOptions o;
    o.input_shapes["x"] = {1, 3, 64, 64};
    const auto m = segment(small_resnet(), o);
    REQUIRE(m.segments.size() >= 3);
    CHECK(m.segments.front().role == "stem");
    CHECK(m.segments.back().role == "head");
  }

  TEST_CASE("modality from the input: images, audio samples, audio frames, tokens") {
    const auto image = small_resnet({"1", "3", "224", "224"});
    CHECK(sml::describe::read_modality(image.load(), image.profile()).kind == "image");
    // A waveform with a sample-rate input, as voice-activity detectors take it.
    ModelBuilder wave;
    wave.input("input", {"1", "N"}).input("sr", {}, onnx::TensorProto::INT64).output("y");
    wave.node("Relu", {"input"}, {"y"}, "r");
    const auto w = sml::describe::read_modality(wave.load(), wave.profile());
    CHECK(w.kind == "audio-waveform");
    CHECK(w.evidence.find("sample rate") != std::string::npos);
    // Spectrogram frames stored channels-last: 98 steps x 40 bins x 1.
    ModelBuilder frames;
    frames.input("input_1", {"1", "98", "40", "1"}).output("y");
    frames.node("Relu", {"input_1"}, {"y"}, "r");
    CHECK(sml::describe::read_modality(frames.load(), frames.profile()).kind == "audio-frames");
    ModelBuilder tokens;
    tokens.input("input_ids", {"1", "16"}, onnx::TensorProto::INT64).output("y");
    tokens.node("Cast", {"input_ids"}, {"y"}, "c");
    CHECK(sml::describe::read_modality(tokens.load(), tokens.profile()).kind == "tokens");
  }

  TEST_CASE("an audio model's stem is explained as audio, never as pixels") {
    // Waveform [1, 1, N] → strided conv (a learned filter bank) → conv → conv → gemm, with sr.
    ModelBuilder b;
    b.input("audio", {"1", "1", "N"}).input("sr", {}, onnx::TensorProto::INT64).output("y");
    std::string in = "audio";
    std::int64_t c = 1;
    for (int i = 0; i < 3; ++i) {
      const std::string out = "c" + std::to_string(i);
      b.weight(out + ".w", {16, c, 4});
      auto* n = b.node("Conv", {in, out + ".w"}, {out}, out);
      ModelBuilder::attr(n, "strides", std::vector<std::int64_t>{2});
      b.node("Relu", {out}, {out + ".r"}, out + ".relu");
      in = out + ".r";
      c = 16;
    }
    b.node("ReduceMean", {in}, {"m"}, "mean");
    b.node("Flatten", {"m"}, {"f"}, "flatten");
    b.weight("fc.w", {16, 2});
    b.node("MatMul", {"f", "fc.w"}, {"y"}, "fc");
    const auto m = segment(b);
    REQUIRE(m.segments.size() >= 3);
    CHECK(m.segments.front().role == "stem");
    CHECK(m.segments.front().explanation.find("audio samples") != std::string::npos);
    for (const auto& s : m.segments) CHECK(s.explanation.find("pixel") == std::string::npos);
  }
}
