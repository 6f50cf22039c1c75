// Operator support per device (hw/operator-support): a hand-made table and profile, and the
// shipped tables on the catalogue's own models (the Edge TPU maps no LayerNormalization, Erf or
// attention MatMul; MobileNetV2's Conv/Relu6/Add/pool/Gemm graph maps whole).
#include <doctest/doctest.h>

#include <algorithm>

#include "sml/suggest/op_support.hpp"
#include "sml/suggest/suggest.hpp"

namespace {
const std::string kData = SML_TEST_DATA;
const std::string kRoot = kData + "/../..";

sml::cost::LayerCost layer(const std::string& op, std::int64_t params = 0, const std::string& shape = "1x8x4x4") {
  sml::cost::LayerCost l;
  l.op = op;
  l.params = params;
  l.output_shape = shape;
  return l;
}

const sml::Doc* candidate(const sml::Doc& d, const std::string& id) {
  for (const auto& c : d.find("candidates")->as_list())
    if (c.find("model")->as_string() == id) return &c;
  return nullptr;
}

std::string joined(const sml::Doc& c, const std::string& key) {
  std::string s;
  for (const auto& x : c.find(key)->as_list()) s += x.as_string() + "\n";
  return s;
}
}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("ops: MatMul with and without a stored weight, 2-D and 3-D Conv are told apart") {
    CHECK(sml::suggest::op_key(layer("MatMul", 64)) == "MatMul:weights");
    CHECK(sml::suggest::op_key(layer("MatMul", 0)) == "MatMul:activations");
    CHECK(sml::suggest::op_key(layer("Conv", 10, "1x8x4x4")) == "Conv");
    CHECK(sml::suggest::op_key(layer("Conv", 10, "1x8x2x4x4")) == "Conv:3d");
  }

  TEST_CASE("ops: supported, folded, unsupported and unplaced ops on a hand-made table") {
    sml::suggest::OpTable t;
    t.folded = {"Constant", "BatchNormalization"};
    t.supported = {"Conv", "Relu", "MatMul:weights"};
    t.unsupported = {{"LayerNormalization", "no such op"}, {"MatMul:activations", "BatchMatMul"}};
    sml::cost::Profile p;
    p.layers = {layer("Constant"), layer("Conv", 9), layer("BatchNormalization"), layer("Relu"), layer("MatMul", 4)};
    auto v = sml::suggest::check_ops(p, t);
    CHECK(v.unsupported.empty());
    CHECK(v.unknown.empty());
    p.layers.push_back(layer("LayerNormalization"));
    p.layers.push_back(layer("MatMul", 0));
    p.layers.push_back(layer("MatMul", 0));
    p.layers.push_back(layer("Transpose"));
    v = sml::suggest::check_ops(p, t);
    CHECK(v.unsupported.size() == 2);
    CHECK(v.unsupported["MatMul:activations"] == 2);
    CHECK(v.unsupported["LayerNormalization"] == 1);
    CHECK(v.unknown.size() == 1);
    CHECK(v.unknown.count("Transpose") == 1);
  }

  TEST_CASE("ops: the shipped tables apply by device id and by class") {
    const auto tables = sml::suggest::load_op_tables(kRoot + "/hw/operator-support");
    sml::hw::Device coral;
    coral.id = "google-coral-usb-accelerator";
    coral.device_class = "edge-accelerator";
    sml::hw::Device mcu;
    mcu.id = "some-new-mcu";
    mcu.device_class = "microcontroller";
    sml::hw::Device pi;
    pi.id = "raspberry-pi-5";
    pi.device_class = "edge-board";
    REQUIRE(sml::suggest::op_table_for(tables, coral) != nullptr);
    CHECK(sml::suggest::op_table_for(tables, coral)->id == "edgetpu-compiler");
    REQUIRE(sml::suggest::op_table_for(tables, mcu) != nullptr);
    CHECK(sml::suggest::op_table_for(tables, mcu)->id == "tflite-micro");
    CHECK(sml::suggest::op_table_for(tables, pi) == nullptr);  // a CPU runs every op
  }

  TEST_CASE("ops: on a Coral Edge TPU, Swin-T does not fit for its ops; MobileNetV2's ops all map") {
    sml::suggest::SuggestOptions o;
    o.task_path = "task.yaml";
    o.task_text = "sml: task/v1\ntask: {id: image-classification, confidence: 0.9}\nmodalities: [image]\n"
                  "deployment: {device: google-coral-usb-accelerator}\n";
    o.top = 500;
    o.catalog_dir = kRoot + "/catalog";
    o.hw_dir = kRoot + "/hw";
    o.latency_budget = "none";
    const sml::Doc d = sml::suggest::suggest(o);
    const sml::Doc* swin = candidate(d, "swin-t");
    REQUIRE(swin != nullptr);
    CHECK(swin->find("fits")->as_string() == "false");
    const std::string why = joined(*swin, "violations");
    CHECK(why.find("LayerNormalization") != std::string::npos);
    CHECK(why.find("MatMul:activations") != std::string::npos);
    CHECK(why.find("coral.ai") != std::string::npos);  // the source is named
    const sml::Doc* mnv2 = candidate(d, "mobilenet-v2");
    REQUIRE(mnv2 != nullptr);
    CHECK(joined(*mnv2, "violations").find("operators") == std::string::npos);
    CHECK(joined(*mnv2, "missing").find("operator") == std::string::npos);
    // A tree ensemble or a model without an architecture is unknown there, never a pass.
    for (const auto& c : d.find("candidates")->as_list())
      if (c.find("composition")->is_null()) CHECK(c.find("fits")->as_string() != "true");
  }
}
