// sml-describe's text side: the constraint parser on every unit and phrasing it supports, and the
// task classifier on statements whose task is plain (from the taxonomy's own descriptions).
#include <doctest/doctest.h>

#include "sml/describe/constraints.hpp"
#include "sml/describe/describe.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/io/error.hpp"

using doctest::Approx;
using sml::describe::parse_constraints;

TEST_SUITE("describe") {
  TEST_CASE("latency: milliseconds always, seconds only where they are a limit") {
    CHECK(*parse_constraints("must answer in under 20 ms").latency_s == Approx(0.020));
    CHECK(*parse_constraints("p95 latency 150milliseconds").latency_s == Approx(0.150));
    CHECK(*parse_constraints("results within 2 seconds please").latency_s == Approx(2));
    CHECK(*parse_constraints("latency below 1.5 s").latency_s == Approx(1.5));
    CHECK_FALSE(parse_constraints("we have 10 seconds of audio per clip").latency_s);
    CHECK_FALSE(parse_constraints("12k labelled 5-second clips").latency_s);
  }

  TEST_CASE("throughput, accuracy, memory") {
    CHECK(*parse_constraints("at least 30 fps on the camera").throughput_fps == Approx(30));
    CHECK(*parse_constraints("process 25 frames per second").throughput_fps == Approx(25));
    CHECK(*parse_constraints("5 boards/s on the line").throughput_fps == Approx(5));
    CHECK(*parse_constraints("accuracy at least 92%").accuracy_min == Approx(0.92));
    CHECK(*parse_constraints("we need 97.5% accuracy").accuracy_min == Approx(0.975));
    CHECK(*parse_constraints("we need a top-1 of 80 percent").accuracy_min == Approx(0.80));
    CHECK_FALSE(parse_constraints("fraud is about 0.1% of transactions").accuracy_min);
    CHECK(*parse_constraints("stay within 200 MB of RAM").memory_bytes == Approx(2e8));
    CHECK(*parse_constraints("must fit in 16 GiB").memory_bytes == Approx(17179869184.0));
    CHECK(*parse_constraints("the model under 512 KiB of flash").memory_bytes == Approx(524288));
    CHECK(*parse_constraints("only 2 GB RAM on the box").memory_bytes == Approx(2e9));
    CHECK_FALSE(parse_constraints("3 GB of Norwegian clinical notes").memory_bytes);  // data, not a limit
  }

  TEST_CASE("budgets: energy and CO2e; sizes that are not limits are left alone") {
    CHECK(*parse_constraints("keep training under 500 kWh").energy_kwh_max == Approx(500));
    CHECK(*parse_constraints("a budget of 2 MWh").energy_kwh_max == Approx(2000));
    CHECK_FALSE(parse_constraints("our 2 MWh battery storage").energy_kwh_max);
    CHECK(*parse_constraints("no more than 100 kg CO2").co2e_kg_max == Approx(100));
    CHECK(*parse_constraints("at most 2 tonnes of CO2e").co2e_kg_max == Approx(2000));
    CHECK(*parse_constraints("under 800 g of carbon").co2e_kg_max == Approx(0.8));
  }

  TEST_CASE("data: samples with k/M suffixes and commas, hours, classes") {
    CHECK(*parse_constraints("We have 40k chest x-rays").data_samples == Approx(40000));
    CHECK(*parse_constraints("18,000 coded letters").data_samples == Approx(18000));
    CHECK(*parse_constraints("about 1.2M labelled images").data_samples == Approx(1.2e6));
    CHECK(*parse_constraints("3000 photos of my plants").data_samples == Approx(3000));
    CHECK_FALSE(parse_constraints("EfficientNet-B0 on the images").data_samples);  // not the 0 of B0
    CHECK_FALSE(parse_constraints("20M transactions a day").data_samples);         // a rate
    CHECK(*parse_constraints("500 hours of Dutch call-centre recordings").data_hours == Approx(500));
    CHECK(*parse_constraints("80 h of Swiss German").data_hours == Approx(80));
    CHECK_FALSE(parse_constraints("predict the next 48 h of load").data_hours);
    CHECK(*parse_constraints("350 SKUs on the shelf").classes == Approx(350));
    CHECK(*parse_constraints("with three defect types").classes == Approx(3));
    CHECK(*parse_constraints("labelled normal / pneumonia / covid").classes == Approx(3));
    CHECK(*parse_constraints("classify pump sounds as normal, cavitation or bearing damage").classes == Approx(3));
  }

  TEST_CASE("deployment: devices and regions by name, load and years") {
    sml::describe::KnownNames names;
    names.devices = {{"t4", "nvidia-t4"}, {"jetson orin nano", "nvidia-jetson-orin-nano-8gb"}, {"orin nano", "nvidia-jetson-orin-nano-8gb"}};
    names.regions = {{"germany", "DE"}, {"texas", "US-TX"}};
    auto d = sml::describe::parse_deployment("on a T4 in Germany, 2M requests a day for 3 years", names);
    CHECK(*d.device == "nvidia-t4");
    CHECK(*d.region == "DE");
    CHECK(*d.queries_per_day == Approx(2e6));
    CHECK(*d.years == Approx(3));
    CHECK(*sml::describe::parse_deployment("runs on a Jetson Orin Nano", names).device == "nvidia-jetson-orin-nano-8gb");
    CHECK_FALSE(sml::describe::parse_deployment("at4 is not a device", names).device);  // whole words only
    CHECK(*sml::describe::parse_deployment("3M queries/day", names).queries_per_day == Approx(3e6));
  }

  TEST_CASE("the classifier knows each task from its own description, and doubts nonsense") {
    const auto tasks = sml::describe::load_taxonomy(std::string(SML_SOURCE_DATA_DIR) + "/catalog/tasks");
    REQUIRE(tasks.size() == 30);
    const sml::describe::TaskClassifier c(tasks);
    int right = 0;
    for (const auto& t : tasks) {
      const auto r = c.classify(t.description);
      right += r.ranked.front().id == t.id;
    }
    CHECK(right >= 27);
    const auto noise = c.classify("qwxz plorp vrumble");
    CHECK(noise.ranked.front().confidence < sml::describe::kLowConfidence);
    const auto typo = c.classify("i want to detcet the bounding boxs of cars");
    CHECK(typo.ranked.front().id == "object-detection");
  }

  TEST_CASE("an empty description is refused") {
    sml::describe::DescribeOptions o;
    o.text = "   \n";
    o.source_name = "stdin";
    CHECK_THROWS_WITH_AS(sml::describe::describe_text(o), doctest::Contains("empty problem description"), sml::InputError);
  }
}

#include "sml/describe/model_segments.hpp"
#include "sml/graph/onnx_reader.hpp"

namespace {
sml::describe::ModelSegments segments_of(const std::string& name) {
  const auto model = sml::graph::load_model(std::string(SML_TEST_MODELS) + "/" + name + ".onnx");
  return sml::describe::find_segments(sml::cost::profile_model(model, {}));
}
}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("ResNet-50: stem, four stages at 56/28/14/7, head; parameters derived by hand") {
    const auto m = segments_of("resnet50");
    CHECK(m.architecture == "convolutional");
    REQUIRE(m.segments.size() == 6);
    CHECK(m.segments[0].role == "stem");
    // conv1: 7×7×3×64 weights + 64 folded BatchNorm biases.
    CHECK(m.segments[0].params == 7 * 7 * 3 * 64 + 64);
    const char* res[] = {"56x56", "28x28", "14x14", "7x7"};
    for (int i = 0; i < 4; ++i) {
      CAPTURE(i);
      CHECK(m.segments[1 + i].role == "backbone-stage");
      CHECK(m.segments[1 + i].resolution == res[i]);
    }
    // fc: 2048 × 1000 weights + 1000 biases.
    CHECK(m.segments[5].role == "head");
    CHECK(m.segments[5].params == 2048 * 1000 + 1000);
    double share = 0;
    for (const auto& s : m.segments) share += s.share_macs;
    CHECK(share == doctest::Approx(1.0));
  }

  TEST_CASE("ViT-B/16: embeddings, twelve identical encoder blocks, head") {
    const auto m = segments_of("vit_b_16");
    CHECK(m.architecture == "transformer");
    REQUIRE(m.segments.size() == 14);
    CHECK(m.segments[0].role == "embeddings");
    // Per block: attention in-projection 768×2304+2304, out-projection 768×768+768, two LayerNorms
    // 2×1536, MLP 768×3072+3072 and 3072×768+768.
    const std::int64_t block = 768 * 2304 + 2304 + 768 * 768 + 768 + 2 * 1536 + 768 * 3072 + 3072 + 3072 * 768 + 768;
    for (int i = 1; i <= 12; ++i) {
      CAPTURE(i);
      CHECK(m.segments[static_cast<std::size_t>(i)].role == "encoder-block");
      CHECK(m.segments[static_cast<std::size_t>(i)].params == block);
    }
    CHECK(m.segments[13].role == "head");
    CHECK(m.segments[13].params == 2 * 768 + 768 * 1000 + 1000);  // final LayerNorm + classifier
  }

  TEST_CASE("an encoder-decoder transformer: encoder and decoder blocks, parameters derived by hand") {
    // nn.Transformer(d_model 64, 4 heads, 2 + 2 layers, feed-forward 128) with a shared 1000×64
    // token embedding and a 64→1000 output layer (tests/models/make_fixtures.py).
    const auto m = segments_of("tiny_transformer_seq2seq");
    CHECK(m.architecture == "encoder-decoder transformer");
    REQUIRE(m.segments.size() == 6);
    const std::int64_t attention = 64 * 192 + 192 + 64 * 64 + 64;   // in-projection, out-projection
    const std::int64_t mlp = 64 * 128 + 128 + 128 * 64 + 64;
    const std::int64_t norm = 2 * 64;
    CHECK(m.segments[0].params == 1000 * 64);
    CHECK(m.segments[1].role == "encoder-block");
    CHECK(m.segments[1].params == attention + mlp + 2 * norm);
    CHECK(m.segments[2].params == attention + mlp + 2 * norm + norm);  // with the encoder's final norm
    CHECK(m.segments[3].role == "decoder-block");
    CHECK(m.segments[3].params == 2 * attention + mlp + 3 * norm);     // self- and cross-attention
    CHECK(m.segments[4].params == 2 * attention + mlp + 3 * norm);
    CHECK(m.segments[5].params == norm + 64 * 1000 + 1000);             // final norm + output layer
  }

  TEST_CASE("a detector has a feature-pyramid neck between backbone and heads") {
    const auto m = segments_of("fasterrcnn_mobilenet_v3_large_320_fpn");
    bool neck = false;
    std::size_t stages = 0;
    for (const auto& s : m.segments) {
      neck = neck || s.role == "neck";
      stages += s.role == "backbone-stage";
    }
    CHECK(neck);
    CHECK(stages >= 4);
    CHECK(m.segments.back().role == "head");
  }

  TEST_CASE("a segmentation model ends in a decoder back at the input resolution") {
    const auto m = segments_of("deeplabv3_mobilenet_v3_large");
    REQUIRE(!m.segments.empty());
    CHECK(m.segments.front().role == "stem");
    CHECK(m.segments.back().role == "decoder");
    CHECK(m.segments.back().resolution == "520x520");
  }
}

#include <fstream>
#include <sys/stat.h>

#include "sml/describe/data_profile.hpp"

namespace {
std::string put(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
std::string le(std::uint32_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
std::string be(std::uint32_t v, int n) {
  std::string s;
  for (int i = n - 1; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
}  // namespace

TEST_SUITE("describe") {
  TEST_CASE("--data: class folders under split folders, image sizes from PNG, GIF, BMP and JPEG headers") {
    char tmpl[] = "/tmp/sml-data-XXXXXX";
    const std::string root = ::mkdtemp(tmpl);
    for (const char* d : {"/train", "/train/ok", "/train/scratch", "/train/dent", "/test", "/test/ok"})
      ::mkdir((root + d).c_str(), 0755);
    put(root + "/train/ok/a.png", std::string("\x89PNG\r\n\x1a\n", 8) + be(13, 4) + "IHDR" + be(640, 4) + be(480, 4) + std::string(5, '\0'));
    put(root + "/train/scratch/b.gif", "GIF89a" + le(320, 2) + le(200, 2) + std::string(10, '\0'));
    put(root + "/train/dent/c.bmp", "BM" + std::string(16, '\0') + le(1024, 4) + le(768, 4) + std::string(8, '\0'));
    // JPEG: SOI, an APP0 segment of 16 bytes, then SOF0 with height 300 and width 400.
    put(root + "/test/ok/d.jpg", std::string("\xFF\xD8\xFF\xE0", 4) + be(16, 2) + std::string(14, '\0') +
                                     std::string("\xFF\xC0", 2) + be(17, 2) + "\x08" + be(300, 2) + be(400, 2) + std::string(12, '\0'));
    put(root + "/notes.csvx", "ignored");
    const auto d = sml::describe::profile_data(root);
    CHECK(d.find("modality")->as_string() == "image");
    CHECK(*d.find("samples")->as_number() == 4);
    CHECK(*d.find("classes")->as_number() == 3);  // ok, scratch, dent (split folders train/test skipped)
    CHECK(*d.path("image.width.min")->as_number() == 320);
    CHECK(*d.path("image.width.max")->as_number() == 1024);
    CHECK(*d.path("image.height.min")->as_number() == 200);
    CHECK(*d.path("image.headers_read")->as_number() == 4);
    CHECK(d.find("suggested_tasks")->as_list().front().as_string() == "image-classification");
  }

  TEST_CASE("--data: audio durations from WAV headers; a labelled CSV; JSON lines") {
    char tmpl[] = "/tmp/sml-data-XXXXXX";
    const std::string root = ::mkdtemp(tmpl);
    ::mkdir((root + "/audio").c_str(), 0755);
    // 16 kHz mono 16-bit: byte rate 32000; 64000 data bytes = 2 s.
    const std::string fmt = le(1, 2) + le(1, 2) + le(16000, 4) + le(32000, 4) + le(2, 2) + le(16, 2);
    put(root + "/audio/a.wav", "RIFF" + le(36 + 64000, 4) + "WAVE" + "fmt " + le(16, 4) + fmt + "data" + le(64000, 4));
    const auto a = sml::describe::profile_data(root + "/audio");
    CHECK(a.find("modality")->as_string() == "audio");
    CHECK(*a.path("audio.duration_s.max")->as_number() == doctest::Approx(2.0));
    CHECK(a.find("classes")->is_null());
    const auto t = sml::describe::profile_data(put(root + "/churn.csv", "age,plan,Churn\n34,basic,no\n51,pro,yes\n29,basic,no\n"));
    CHECK(t.find("modality")->as_string() == "tabular");
    CHECK(*t.find("samples")->as_number() == 3);
    CHECK(*t.find("classes")->as_number() == 2);
    CHECK(t.path("table.label_column")->as_string() == "Churn");
    CHECK(t.find("suggested_tasks")->as_list().front().as_string() == "tabular-classification");
    const auto j = sml::describe::profile_data(put(root + "/x.jsonl", "{\"text\": \"hello\", \"label\": 1}\n{\"text\": \"bye\", \"label\": 0}\n"));
    CHECK(j.find("modality")->as_string() == "text");
    CHECK(*j.find("samples")->as_number() == 2);
    CHECK_THROWS_AS(sml::describe::profile_data(root + "/missing"), sml::InputError);
    CHECK_THROWS_AS(sml::describe::profile_data(put(root + "/x.bin", "??")), sml::InputError);
  }
}
