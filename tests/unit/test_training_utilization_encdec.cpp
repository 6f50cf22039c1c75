// The conditioned training utilisation of encoder-decoders (issue 17) pinned on hand-derived
// cases: GPU cells by generation and precision, borrowing within a device class, and the shipped
// DeepLearningExamples cells (the made-up model: training_utilization_fixture.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "training_utilization_fixture.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/hw/device.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

// In the footprint suite, so ctest's unit.footprint shard runs these cases.
TEST_SUITE_BEGIN("footprint");

using doctest::Approx;
using sml::footprint::FootprintModel;
using sml::footprint::UtilizationQuery;
using namespace training_utilization_test;

namespace {

// An encoder-decoder kind on the FLOPs / peak basis, with GPU cells by generation and precision.
const std::string kEncDec = R"(    - kind: encoder-decoder
      basis: flops
      source: encdec-runs
      device_classes: [datacenter-gpu]
      borrow: precision
      spread: {low: 0.8, high: 1.5}
      cell_spread: {low: 0.9, high: 1.1}
      cells:
        - {match: "Volta", precisions: [fp32], value: 0.6, fitted_on: [v32]}
        - {match: "Volta", precisions: [fp16], value: 0.3, fitted_on: [v16]}
        - {match: "Ampere", precisions: [fp16, bf16], value: 0.25, fitted_on: [a16]}
)";

std::string with_encdec() {
  std::string t = kModel;
  t.insert(t.find("  precisions: [bf16, fp16]"), kEncDec);
  return t;
}

UtilizationQuery gpu(const std::string& device, const std::string& precision, const std::string& cls = "datacenter-gpu") {
  UtilizationQuery q = query(device, "encoder-decoder", 10e9, precision);
  q.device_class = cls;
  return q;
}

}  // namespace

TEST_CASE("training utilisation: an encoder-decoder gets its GPU cell; a generation without one borrows its precision's") {
  const FootprintModel m = model(with_encdec());
  const auto& u = *m.training_utilization;
  // Its own cell: V100 fp16 0.3, band 0.3 × 0.8 to 0.3 × 1.5; no size term on a kind with cells.
  auto c = condition_utilization(u, gpu("Volta", "fp16"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.3));
  CHECK(c->range.low == Approx(0.24));
  CHECK(c->range.high == Approx(0.45));
  CHECK(c->source == "encdec-runs");
  CHECK(c->basis.find("peak FLOP/s") != std::string::npos);
  // A P100 in fp32 has no cell: the fp32 cells' median (V100 0.6, not the all-cells median 0.3),
  // band 0.6 × 0.8 × 0.9 = 0.432 to 0.6 × 1.5 × 1.1 = 0.99.
  c = condition_utilization(u, gpu("Pascal", "fp32"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  CHECK(c->range.low == Approx(0.432));
  CHECK(c->range.high == Approx(0.99));
  CHECK(c->fitted_on == std::vector<std::string>{"v32"});
  // tf32: no cell of that precision anywhere, so the median of all cells {0.6, 0.3, 0.25} = 0.3,
  // band 0.3 × 0.72 = 0.216 to 0.3 × 1.65 = 0.495.
  c = condition_utilization(u, gpu("Hopper", "tf32"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.3));
  CHECK(c->range.low == Approx(0.216));
  CHECK(c->range.high == Approx(0.495));
  // A TPU: the cells are GPU-only, so the generation model prices it and says why: no generation
  // matches "TPU v2", so the median of the centres {0.25, 0.4} = 0.325 at the reference size.
  c = condition_utilization(u, gpu("TPU v2", "bf16", "datacenter-tpu"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.325));
  CHECK(c->basis.rfind("no encoder-decoder cell on a datacenter-tpu", 0) == 0);
  // The plan: --params with --model-kind encoder-decoder reaches the kind through the device's class.
  sml::hw::Device d = device("p", "Pascal", "fp32", 10e12);
  d.device_class = "datacenter-gpu";
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "fp32";
  sml::footprint::ParametricModel pm;
  pm.params = 210e6;
  pm.active_params = 210e6;
  pm.kind = "encoder-decoder";
  CHECK(training_utilization(plan, ctx, &pm, nullptr).range.expected == Approx(0.6));
  // A borrow rule the reader does not know is refused.
  std::string bad = with_encdec();
  bad.replace(bad.find("borrow: precision"), 17, "borrow: nearest");
  CHECK_THROWS_AS(model(bad), sml::InputError);
}

TEST_CASE("training utilisation: the shipped encoder-decoder cells are the DeepLearningExamples throughput tables") {
  // NVIDIA DeepLearningExamples PyTorch/Translation/Transformer/README.md @d666f14, 8-GPU rows:
  // u = tokens/s / 8 × 6 × 210e6 / peak. DGX-1 FP32 59,316 tok/s at 15.7 TFLOP/s = 0.5950; DGX A100
  // mixed precision 551,599 tok/s at 312 TFLOP/s = 0.2785.
  const std::string root = SML_SOURCE_DATA_DIR;
  const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
  const auto m = FootprintModel::load(root + "/catalog/footprint.yaml");
  const auto& u = *m.training_utilization;
  const auto at = [&](const char* id, const char* precision) {
    const auto& d = catalog.find(id);
    return condition_utilization(u, gpu(d.generation, precision, d.device_class));
  };
  const auto v100 = at("v100", "fp32");
  REQUIRE(v100);
  CHECK(v100->range.expected == Approx(59316.0 / 8 * 6 * 210e6 / 15.7e12).epsilon(1e-3));
  const auto a100 = at("nvidia-a100-sxm4-40gb", "bf16");
  REQUIRE(a100);
  CHECK(a100->range.expected == Approx(551599.0 / 8 * 6 * 210e6 / 312e12).epsilon(1e-3));
  // The P100 (Pascal, fp32 on the same vector units as a V100 in fp32) borrows the V100 fp32 cell.
  const auto p100 = at("p100", "fp32");
  REQUIRE(p100);
  CHECK(p100->range.expected == Approx(v100->range.expected));
  CHECK(p100->range.high / p100->range.low < 3);
  // The TPU cell: MLPerf Training v0.6, Google tpu-v3-32 (16 chips), Transformer (big): 3 epochs of
  // 1087 steps x 512 packed examples x 256 token slots in 587.6 s (the median result file):
  // u = 427.4e6 slots x 6 x 210e6 / (587.6 s x 16 x 123e12) = 0.466.
  const auto v3 = at("tpu-v3", "bf16");
  REQUIRE(v3);
  CHECK(v3->range.expected == Approx(3.0 * 1087 * 512 * 256 * 6 * 210e6 / (587.6 * 16 * 123e12)).epsilon(2e-3));
  // The TPU v2 has no cell and borrows the TPU one (not the LLM generations' 0.315, which put
  // Patterson's 8x TPU v2 Transformer (big) +112% long); the H100 in bf16 still borrows from the
  // GPU cells alone (the A100's 0.2785), never the TPU's.
  const auto tpu = at("tpu-v2", "bf16");
  REQUIRE(tpu);
  CHECK(tpu->range.expected == Approx(v3->range.expected));
  CHECK(tpu->basis.find("cells in bf16 on a datacenter-tpu") != std::string::npos);
  CHECK(tpu->fitted_on == std::vector<std::string>{"mlperf06-google-tpuv3-32-transformer"});
  const auto h100 = at("nvidia-h100-sxm5-80gb", "bf16");
  REQUIRE(h100);
  CHECK(h100->range.expected == Approx(a100->range.expected));
}

TEST_CASE("training utilisation: cells on two device classes lend only within their class") {
  std::string t = with_encdec();
  t.replace(t.find("device_classes: [datacenter-gpu]"), 32, "device_classes: [datacenter-gpu, datacenter-tpu]");
  for (const char* m : {"{match: \"Volta\", precisions: [fp32]", "{match: \"Volta\", precisions: [fp16]", "{match: \"Ampere\", "}) {
    const std::string from = m;  // the encoder-decoder kind's cell (the CNN kind above has V100 cells too)
    const std::size_t head = from.find(", ") + 2;  // after {match: "GENERATION",
    t.replace(t.find(from, t.find("kind: encoder-decoder")), from.size(), from.substr(0, head) + "device_class: datacenter-gpu, " + from.substr(head));
  }
  const std::string last = "fitted_on: [a16]}\n";
  t.insert(t.find(last, t.find("kind: encoder-decoder")) + last.size(),
           "        - {match: \"TPU v3\", device_class: datacenter-tpu, precisions: [bf16], value: 0.45, fitted_on: [t3]}\n");
  const FootprintModel m = model(t);
  const auto& u = *m.training_utilization;
  // A TPU v2 borrows the one TPU cell (0.45), not the median of every bf16 cell {0.25, 0.45}.
  auto c = condition_utilization(u, gpu("TPU v2", "bf16", "datacenter-tpu"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.45));
  CHECK(c->fitted_on == std::vector<std::string>{"t3"});
  // An H100 in bf16 borrows the GPU bf16 cell alone (A100 0.25), and a GPU never matches a TPU cell.
  c = condition_utilization(u, gpu("Hopper", "bf16"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  c = condition_utilization(u, gpu("TPU v3", "bf16"));  // a GPU stating a TPU generation
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  // With two classes a cell must name one, and each class needs a cell.
  std::string unnamed = t;
  unnamed.replace(unnamed.find("device_class: datacenter-tpu, "), 30, "");
  CHECK_THROWS_AS(model(unnamed), sml::InputError);
  std::string three = t;
  three.replace(three.find("device_classes: [datacenter-gpu, datacenter-tpu]"), 48,
                "device_classes: [datacenter-gpu, datacenter-tpu, phone]");
  CHECK_THROWS_AS(model(three), sml::InputError);
}

TEST_SUITE_END();
