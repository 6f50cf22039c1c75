// The conditioned training utilisation (issue 17) pinned on hand-derived cases: a made-up model
// with round numbers, so that every expected value follows from
//   u = generation × kind × (active params / reference) ^ size_exponent,  band = u × spread
// and the fallbacks (another generation, another kind, another precision) by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sml/footprint/model.hpp"
#include "sml/footprint/plan.hpp"
#include "sml/footprint/utilization.hpp"
#include "sml/hw/device.hpp"
#include "sml/hw/roofline.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

// In the footprint suite, so ctest's unit.footprint shard runs these cases (a file with no suite
// is run by no shard: until 6 Dec this one ran only when the binary was called by hand).
TEST_SUITE_BEGIN("footprint");

using doctest::Approx;
using sml::footprint::FootprintModel;
using sml::footprint::UtilizationQuery;

namespace {

const std::string kModel = R"(sml: footprint-model/v1
training_flops_factor: {value: 3, source: t}
utilization:
  observations:
    - {run: a, device: "NVIDIA A100", value: 0.3, basis: run, source: t}
    - {run: b, device: "NVIDIA A100", value: 0.5, basis: run, source: t}
    - {run: c, device: "NVIDIA H100", value: 0.2, basis: run, source: t}
system_power:
  observations: [{value: 1.1, source: t}]
lifetime_years:
  observations: [{value: 5, source: t}]
training_utilization:
  derivation: d
  source: s
  size_exponent: {value: 0.1, reference_params: 10.0e+9}
  generations:
    - {match: "H100", value: 0.25, fitted_on: [h1, h2]}
    - {match: "A100", value: 0.4, fitted_on: [a1]}
  kinds:
    - {kind: dense-lm, factor: 1}
    - {kind: moe-lm, factor: 0.8, fitted_on: [m1]}
    - kind: cnn
      basis: roofline
      source: cnn-runs
      spread: {low: 0.8, high: 1.2}
      cell_spread: {low: 0.5, high: 2}
      cells:
        - {match: "V100", precisions: [fp16, bf16], value: 0.6, fitted_on: [v16]}
        - {match: "V100", precisions: [fp32], value: 0.9, fitted_on: [v32]}
        - {match: "A100", precisions: [fp16, bf16], value: 0.3, fitted_on: [a16]}
  precisions: [bf16, fp16]
  spread: {low: 0.5, high: 1.5}
  generation_spread: {low: 0.8, high: 1.25}
)";

// A profiled network of one Conv layer of 1 GFLOP: the cnn kind.
sml::cost::Profile one_conv() {
  sml::cost::Profile net;
  net.layers.resize(1);
  net.layers[0].op = "Conv";
  net.layers[0].flops = 1e9;
  return net;
}

FootprintModel model(const std::string& text = kModel) {
  return FootprintModel::parse(sml::parse_yaml(text, "test.yaml"));
}

UtilizationQuery query(const std::string& device, const std::string& kind, double active, const std::string& precision = "bf16",
                       double peak_ratio = 1) {
  UtilizationQuery q;
  q.device_name = device;
  q.kind = kind;
  q.active_params = active;
  q.precision = precision;
  q.peak_ratio = peak_ratio;
  return q;
}

// A device known only by its name (which the cells match on) and, where given, one peak.
sml::hw::Device device(const char* id, const char* name, const char* precision = nullptr, double peak = 0) {
  sml::hw::Device d;
  d.id = id;
  d.name = name;
  if (precision) d.peak_flops[precision].value = peak;
  return d;
}

}  // namespace

TEST_CASE("training utilisation: generation, kind and size multiply; the band is the fitted spread") {
  const FootprintModel m = model();
  REQUIRE(m.training_utilization);
  const auto& u = *m.training_utilization;
  // H100, dense, at the reference size: the generation's value, band 0.25 × 0.5 to 0.25 × 1.5.
  auto c = condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  CHECK(c->range.low == Approx(0.125));
  CHECK(c->range.high == Approx(0.375));
  CHECK(c->fitted_on == std::vector<std::string>{"h1", "h2"});
  CHECK(c->source == "s");
  // H100, mixture of experts with 100e9 active: 0.25 × 0.8 × 10^0.1 = 0.2 × 1.258925 = 0.251785.
  c = condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "moe-lm", 100e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.2 * std::pow(10.0, 0.1)));
  CHECK(c->range.high == Approx(0.2 * std::pow(10.0, 0.1) * 1.5));
  CHECK(c->fitted_on == std::vector<std::string>{"h1", "h2", "m1"});
  // A100 dense at 1e9 active: 0.4 × 0.1^0.1 = 0.4 × 0.794328 = 0.317731.
  c = condition_utilization(u, query("NVIDIA A100 SXM4 80GB", "dense-lm", 1e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.4 * std::pow(0.1, 0.1)));
  // No size known: no size term.
  c = condition_utilization(u, query("NVIDIA A100 SXM4 80GB", "dense-lm", 0));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.4));
}

TEST_CASE("training utilisation: an unfitted generation is wide, an unfitted kind is not answered") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  // L4: no generation matches. Centre = median of {0.25, 0.4} = 0.325; spread 0.5 × 0.8 = 0.4 to
  // 1.5 × 1.25 = 1.875: band 0.13 to 0.609375 (4.7× wide against 3× for a fitted generation).
  auto c = condition_utilization(u, query("NVIDIA L4 24GB", "dense-lm", 10e9));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.325));
  CHECK(c->range.low == Approx(0.13));
  CHECK(c->range.high == Approx(0.609375));
  CHECK(c->fitted_on.size() == 3);
  // A CNN (or any kind the model was not fitted on): no answer, the caller falls back.
  CHECK_FALSE(condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "other", 25e6)));
}

TEST_CASE("training utilisation: a precision no fit run used reaches to the 16-bit run's FLOP/s") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  // fp8 on H100: peak twice bf16 (ratio 0.5). Expected stays 0.25; low 0.125 × 0.5 = 0.0625 (no
  // speed-up from fp8 at all); high 0.375 (the full speed-up).
  auto c = condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9, "fp8", 0.5));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  CHECK(c->range.low == Approx(0.0625));
  CHECK(c->range.high == Approx(0.375));
  // fp32 at 1/15 of the bf16 peak: high 0.375 × 15 capped at 1; low unchanged.
  c = condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9, "fp32", 15));
  REQUIRE(c);
  CHECK(c->range.low == Approx(0.125));
  CHECK(c->range.high == Approx(1.0));
  // A fitted precision ignores the ratio.
  c = condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9, "fp16", 0.5));
  REQUIRE(c);
  CHECK(c->range.low == Approx(0.125));
}

TEST_CASE("training utilisation: the one function both tools call picks the kind from what the plan knows") {
  const FootprintModel m = model();
  sml::hw::Device d = device("h", "NVIDIA H100 SXM5 80GB", "bf16", 1000e12);
  d.peak_flops["fp32"].value = 100e12;
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "bf16";
  // --params 100B --active-params 10B: moe-lm at 10e9 active: 0.25 × 0.8 = 0.2.
  sml::footprint::ParametricModel moe;
  moe.params = 100e9;
  moe.active_params = 10e9;
  moe.kind = "";
  CHECK(training_utilization(plan, ctx, &moe, nullptr).range.expected == Approx(0.2));
  // Dense at 10e9: 0.25.
  sml::footprint::ParametricModel dense;
  dense.params = 10e9;
  dense.active_params = 10e9;
  dense.kind = "";
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  // fp32: peak ratio bf16 / fp32 = 10, so high = min(1, 0.375 × 10) = 1.
  plan.precision = "fp32";
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.high == Approx(1.0));
  plan.precision = "bf16";
  // sml-suggest's CNN candidates (kind other) and a profiled ONNX network: the whole-run
  // observations on the H100 (one run, 0.2), widened to the spread of all runs {0.2, 0.3, 0.5}
  // around their median 0.3: 0.2 × 0.2 / 0.3 to 0.2 × 0.5 / 0.3.
  sml::footprint::ParametricModel cnn;
  cnn.params = 25e6;
  cnn.active_params = 25e6;
  cnn.kind = "other";
  const auto other = training_utilization(plan, ctx, &cnn, nullptr);
  CHECK(other.range.expected == Approx(0.2));
  CHECK(other.range.high == Approx(0.2 * 0.5 / 0.3));
  CHECK(other.basis.find("not conditioned on kind") != std::string::npos);
  // A profiled network that is not convolutional (a MatMul carries the FLOPs): unconditioned.
  sml::cost::Profile mlp;
  mlp.layers.resize(2);
  mlp.layers[0].op = "MatMul";
  mlp.layers[0].flops = 3e9;
  mlp.layers[1].op = "Conv";
  mlp.layers[1].flops = 1e9;
  CHECK(sml::footprint::profiled_kind(mlp) == "other");
  CHECK(training_utilization(plan, ctx, &dense, &mlp).range.expected == Approx(0.2));
  CHECK(training_utilization(plan, ctx, nullptr, nullptr).range.expected == Approx(0.2));
}

TEST_CASE("training utilisation: a run whose FLOPs are 6ND alone is priced with the fit made under that count") {
  // The main fit counts attention where the fit rows state their shape; training_utilization_6nd is
  // the same model fitted with 6ND alone (here H100 0.2, no size term).
  const FootprintModel m = model(kModel + R"(training_utilization_6nd:
  derivation: d6
  source: s6
  size_exponent: {value: 0, reference_params: 10.0e+9}
  generations:
    - {match: "H100", value: 0.2, fitted_on: [h1, h2]}
  kinds:
    - {kind: dense-lm, factor: 1}
  precisions: [bf16, fp16]
  spread: {low: 0.5, high: 1.5}
  generation_spread: {low: 0.8, high: 1.25}
)");
  const sml::hw::Device d = device("h", "NVIDIA H100 SXM5 80GB", "bf16", 1000e12);
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "bf16";
  plan.train_tokens = 1e9;
  sml::footprint::ParametricModel dense;
  dense.params = 10e9;
  dense.active_params = 10e9;
  // No shape: 6ND FLOPs, the 6ND fit (0.2), and the basis says how to count attention.
  const auto six = training_utilization(plan, ctx, &dense, nullptr);
  CHECK(six.range.expected == Approx(0.2));
  CHECK(six.basis.find("--train-seq-len") != std::string::npos);
  // The shape stated: attention counted, the main fit (H100 0.25 at the reference size).
  dense.layers = 32;
  dense.attention_width = 4096;
  dense.train_seq_len = 4096;
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  // A published per-token count, or published total FLOPs, are entered as they are: the main fit.
  dense.train_seq_len.reset();
  dense.flops_per_token = 2.5e10;
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  dense.flops_per_token.reset();
  plan.train_flops = 1e21;
  CHECK(training_utilization(plan, ctx, &dense, nullptr).range.expected == Approx(0.25));
  // A catalogue without the 6ND fit: the main one serves every run.
  sml::footprint::Context plain = ctx;
  const FootprintModel m1 = model();
  plain.model = &m1;
  plan.train_flops.reset();
  CHECK(training_utilization(plan, plain, &dense, nullptr).range.expected == Approx(0.25));
}

TEST_CASE("training utilisation: a profiled CNN gets its kind's cell of generation and precision") {
  const FootprintModel m = model();
  const auto& u = *m.training_utilization;
  // Conv carries 3 of 4 GFLOPs (at least half): cnn.
  sml::cost::Profile net;
  net.layers.resize(2);
  net.layers[0].op = "Conv";
  net.layers[0].flops = 3e9;
  net.layers[1].op = "Gemm";
  net.layers[1].flops = 1e9;
  CHECK(sml::footprint::profiled_kind(net) == "cnn");
  // V100 in fp16: the cell's 0.6, band 0.6 × 0.8 = 0.48 to 0.6 × 1.2 = 0.72; no size term.
  auto q = query("NVIDIA V100 SXM2 32GB", "cnn", 0, "fp16");
  q.roofline = true;
  auto c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  CHECK(c->range.low == Approx(0.48));
  CHECK(c->range.high == Approx(0.72));
  CHECK(c->fitted_on == std::vector<std::string>{"v16"});
  // The cell names the runs it was fitted on, not the LLM rows the model's own source names.
  CHECK(c->source == "cnn-runs");
  // fp32 on the V100: its own cell, 0.9, high capped at 1 (0.9 × 1.2 = 1.08).
  q.precision = "fp32";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.9));
  CHECK(c->range.high == Approx(1.0));
  // H100 (no cell): median of {0.6, 0.9, 0.3} = 0.6, band × 0.8 × 0.5 = 0.24 to × 1.2 × 2 = 1.0 (capped from 1.44).
  q.device_name = "NVIDIA H100 SXM5 80GB";
  q.precision = "bf16";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  CHECK(c->range.low == Approx(0.24));
  CHECK(c->range.high == Approx(1.0));
  CHECK(c->fitted_on.size() == 3);
  // The roofline-basis kind never answers a FLOPs / peak estimate (given by parameters).
  q.roofline = false;
  CHECK_FALSE(condition_utilization(u, q));
  // Nor does a FLOPs / peak kind answer a profiled one.
  CHECK_FALSE(condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9)) == std::nullopt);
  auto lm = query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9);
  lm.roofline = true;
  CHECK_FALSE(condition_utilization(u, lm));
  // Through the one function: an A100 in fp16 with that profile gets the A100 cell, 0.3.
  const sml::hw::Device d = device("a", "NVIDIA A100 SXM4 80GB", "fp16", 312e12);
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "fp16";
  CHECK(training_utilization(plan, ctx, nullptr, &net).range.expected == Approx(0.3));
}

TEST_CASE("training utilisation: a CNN cell's data-parallel scaling keeps a share per doubling of the devices") {
  std::string text = kModel;
  const std::string cell = "precisions: [fp16, bf16], value: 0.6, fitted_on: [v16]";
  text.replace(text.find(cell), cell.size(), cell + ", scaling_per_doubling: 0.9");
  const FootprintModel m = model(text);
  const auto& u = *m.training_utilization;
  auto q = query("NVIDIA V100 SXM2 32GB", "cnn", 0, "fp16");
  q.roofline = true;
  // One device: the cell's 0.6, as before.
  auto c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  // 8 devices, three doublings: 0.6 × 0.9³ = 0.4374; band × 0.8 = 0.34992 to × 1.2 = 0.52488.
  q.devices = 8;
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.4374));
  CHECK(c->range.low == Approx(0.34992));
  CHECK(c->range.high == Approx(0.52488));
  // 6 devices: log2 6 = 2.585 doublings, 0.6 × 0.9^2.585 = 0.6 × 0.761585 = 0.456951.
  q.devices = 6;
  CHECK(condition_utilization(u, q)->range.expected == Approx(0.6 * std::pow(0.9, std::log2(6.0))));
  // The V100 fp32 cell has no scaling term (perfect scaling): 0.9 at any count.
  q.precision = "fp32";
  q.devices = 8;
  CHECK(condition_utilization(u, q)->range.expected == Approx(0.9));
  // No cell (H100): the median of the cells' scaling {0.9, 1, 1} = 1, so 0.6 at 8 devices too.
  q.device_name = "NVIDIA H100 SXM5 80GB";
  q.precision = "bf16";
  CHECK(condition_utilization(u, q)->range.expected == Approx(0.6));
  // Through the one function both tools call: the plan's device count is the query's.
  const sml::cost::Profile net = one_conv();
  const sml::hw::Device d = device("v", "NVIDIA V100 SXM2 32GB");
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "fp16";
  plan.devices = 4;  // two doublings: 0.6 × 0.81 = 0.486
  CHECK(training_utilization(plan, ctx, nullptr, &net).range.expected == Approx(0.486));
  // A share above 1 would make more devices faster than linear: refused.
  std::string bad = kModel;
  bad.replace(bad.find(cell), cell.size(), cell + ", scaling_per_doubling: 1.2");
  CHECK_THROWS_AS(model(bad), sml::InputError);
}

TEST_CASE("training utilisation: a CNN plan on the optimised stack gets that stack's cell, uncapped at 1") {
  // Two optimised-stack cells beside the three reference ones: A100 0.9 and H100 0.95 in 16-bit.
  std::string text = kModel;
  const std::string last = "        - {match: \"A100\", precisions: [fp16, bf16], value: 0.3, fitted_on: [a16]}\n";
  text.replace(text.find(last), last.size(),
               last + "        - {match: \"A100\", precisions: [fp16, bf16], stack: optimised, value: 0.9, fitted_on: [oa]}\n"
                      "        - {match: \"H100\", precisions: [fp16, bf16], stack: optimised, value: 0.95, fitted_on: [oh]}\n");
  const FootprintModel m = model(text);
  const auto& u = *m.training_utilization;
  auto q = query("NVIDIA A100 SXM4 80GB", "cnn", 0, "fp16");
  q.roofline = true;
  // The default (reference) stack keeps the reference cell: 0.3, as without the new cells.
  auto c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.3));
  CHECK(c->fitted_on == std::vector<std::string>{"a16"});
  // Optimised: its own cell, 0.9; band 0.72 to 1.08, not capped at 1 (fused kernels move fewer
  // bytes than the per-layer roofline counts).
  q.stack = "optimised";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.9));
  CHECK(c->range.low == Approx(0.72));
  CHECK(c->range.high == Approx(1.08));
  CHECK(c->fitted_on == std::vector<std::string>{"oa"});
  // Optimised on a V100 (no optimised cell there): the V100 reference cell, 0.6, said so.
  q.device_name = "NVIDIA V100 SXM2 32GB";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  CHECK(c->basis.find("no fitted optimised-stack cnn run") != std::string::npos);
  // Optimised on an L4 (no cell of either stack): the median of the optimised cells {0.9, 0.95}
  // = 0.925, band × 0.8 × 0.5 = 0.37 to × 1.2 × 2 = 2.22, uncapped.
  q.device_name = "NVIDIA L4 24GB";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.925));
  CHECK(c->range.low == Approx(0.37));
  CHECK(c->range.high == Approx(2.22));
  // The reference stack on the H100 still has no cell: the median of the reference cells, 0.6
  // (the optimised H100 cell is not taken for a stock script).
  q.device_name = "NVIDIA H100 SXM5 80GB";
  q.stack = "reference";
  CHECK(condition_utilization(u, q)->range.expected == Approx(0.6));
  // Through the one function: the plan's stack is the query's.
  const sml::cost::Profile net = one_conv();
  const sml::hw::Device d = device("h", "NVIDIA H100 SXM5 80GB");
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "bf16";
  plan.train_stack = "optimised";
  CHECK(training_utilization(plan, ctx, nullptr, &net).range.expected == Approx(0.95));
  // A stack the model does not know is refused with the file.
  std::string bad = text;
  bad.replace(bad.find("stack: optimised, value: 0.95"), 16, "stack: tuned");
  CHECK_THROWS_AS(model(bad), sml::InputError);
}

TEST_CASE("training utilisation: a reference-stack CNN step moves its bytes at the kind's measured share of the bandwidth") {
  // The cnn kind with memory_bandwidth_share 0.5 (the made-up model's cells otherwise).
  std::string text = kModel;
  const std::string at = "      spread: {low: 0.8, high: 1.2}\n      cell_spread";
  text.replace(text.find(at), at.size(), "      memory_bandwidth_share: 0.5\n" + at);
  const FootprintModel m = model(text);
  const auto& u = *m.training_utilization;
  auto cq = query("NVIDIA V100 SXM2 32GB", "cnn", 0, "fp16");
  cq.roofline = true;
  CHECK(condition_utilization(u, cq)->memory_bandwidth_share == Approx(0.5));
  CHECK(condition_utilization(*model().training_utilization, cq)->memory_bandwidth_share == Approx(1.0));
  CHECK(condition_utilization(u, query("NVIDIA H100 SXM5 80GB", "dense-lm", 10e9))->memory_bandwidth_share == Approx(1.0));
  // By hand: a device of 100 TFLOP/s fp16 and 1 TB/s; a step of a Conv (1 GFLOP, 1 M elements) and
  // a BatchNormalization (0 FLOPs, 100 M elements), work 3. Conv: 3e9 / 1e14 = 30 us compute,
  // 3e6 x 2 B / 1e12 = 6 us memory -> 30 us. Batch norm: 3e8 x 2 B / 1e12 = 600 us at the full
  // bandwidth, 1200 us at half of it. Step 630 us -> 1230 us; compute-bound part 30 us either way.
  sml::cost::Profile net;
  net.layers.resize(2);
  net.layers[0].op = "Conv";
  net.layers[0].flops = 1e9;
  net.layers[0].elements_moved = 1e6;
  net.layers[1].op = "BatchNormalization";
  net.layers[1].elements_moved = 1e8;
  sml::hw::Device d = device("v", "NVIDIA V100 SXM2 32GB", "fp16", 100e12);
  d.memory_bandwidth_bytes_per_s.value = 1e12;
  d.tdp_w.value = 300;
  d.device_class = "datacenter-gpu";
  const auto full = sml::hw::roofline(net, d, "fp16", 3);
  const auto half = sml::hw::roofline(net, d, "fp16", 3, 0.5);
  CHECK(full.seconds == Approx(630e-6));
  CHECK(half.seconds == Approx(1230e-6));
  CHECK(half.compute_bound_seconds == Approx(30e-6));
  CHECK_THROWS_AS(sml::hw::roofline(net, d, "fp16", 3, 0), sml::InputError);
  // Through the estimate: 1000 samples at batch 1 = 1000 steps; V100 fp16 cell 0.6, one device.
  // Time = 1000 x 1230 us / 0.6 = 2.05 s with the share (1.05 s at the full bandwidth). An
  // optimised plan with no optimised cell borrows the reference cell and, with it, the roofline that
  // cell was fitted against (the share); with an optimised cell of its own, the full bandwidth.
  sml::footprint::Context ctx;
  ctx.device = &d;
  ctx.model = &m;
  sml::footprint::Plan plan;
  plan.precision = "fp16";
  plan.train_samples = 1000;
  plan.epochs = 1;
  auto t = sml::footprint::estimate_training(plan, ctx, &net, 1, nullptr);
  CHECK(t.time_s.expected == Approx(1000 * 1230e-6 / 0.6));
  CHECK(*t.utilization["memory_bandwidth_share"].as_number() == Approx(0.5));
  plan.train_stack = "optimised";
  t = sml::footprint::estimate_training(plan, ctx, &net, 1, nullptr);
  CHECK(t.time_s.expected == Approx(1000 * 1230e-6 / 0.6));
  std::string own = text;
  const std::string last = "        - {match: \"A100\", precisions: [fp16, bf16], value: 0.3, fitted_on: [a16]}\n";
  own.replace(own.find(last), last.size(),
              last + "        - {match: \"V100\", precisions: [fp16, bf16], stack: optimised, value: 0.9, fitted_on: [ov]}\n");
  const FootprintModel mo = model(own);
  ctx.model = &mo;
  t = sml::footprint::estimate_training(plan, ctx, &net, 1, nullptr);
  CHECK(t.time_s.expected == Approx(1000 * 630e-6 / 0.9));
  CHECK(t.utilization["memory_bandwidth_share"].is_null());
  // Against a share-held roofline the ideal is no bound: a reference cell may pass 1 (band uncapped);
  // without a share a cell above 1 is refused, and so is a share outside (0, 1].
  std::string above = text;
  above.replace(above.find("value: 0.9, fitted_on: [v32]"), 10, "value: 1.1");
  auto q = query("NVIDIA V100 SXM2 32GB", "cnn", 0, "fp32");
  q.roofline = true;
  CHECK(condition_utilization(*model(above).training_utilization, q)->range.high == Approx(1.1 * 1.2));
  std::string unshared = kModel;
  unshared.replace(unshared.find("value: 0.9, fitted_on: [v32]"), 10, "value: 1.1");
  CHECK_THROWS_AS(model(unshared), sml::InputError);
  std::string bad = text;
  bad.replace(bad.find("memory_bandwidth_share: 0.5"), 27, "memory_bandwidth_share: 1.5");
  CHECK_THROWS_AS(model(bad), sml::InputError);
}

TEST_CASE("training utilisation: a malformed model is refused with the file") {
  const auto bad = [](const std::string& from, const std::string& to) {
    std::string t = kModel;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK_THROWS_AS(model(bad("value: 0.25, fitted_on: [h1, h2]", "value: 1.5, fitted_on: [h1]")), sml::InputError);
  CHECK_THROWS_AS(model(bad("value: 0.25, fitted_on: [h1, h2]", "value: 0.25, fitted_on: []")), sml::InputError);
  CHECK_THROWS_AS(model(bad("spread: {low: 0.5, high: 1.5}", "spread: {low: 1.5, high: 0.5}")), sml::InputError);
  CHECK_THROWS_AS(model(bad("value: 0.1, reference_params", "value: 3, reference_params")), sml::InputError);
  CHECK_THROWS_AS(model(bad("basis: roofline", "basis: peak")), sml::InputError);
  CHECK_THROWS_AS(model(bad("precisions: [fp32], value: 0.9", "precisions: [], value: 0.9")), sml::InputError);
  CHECK_THROWS_AS(model(bad("precisions: [fp32], value: 0.9", "precisions: [fp32], value: 1.9")), sml::InputError);
}

TEST_CASE("training utilisation: the shipped P100 and TPU v2 have no fitted generation and say so") {
  // Both entered hw/devices for the held-out Patterson / Strubell rows; no fit row ran on either.
  // Their names must match no generation or CNN cell of the shipped model (a substring slip such
  // as a cell matching "100" would price a P100 as a V100 or A100, looking fitted): they take the
  // median of the generations' centres, with the band widened by the generations' spread.
  const std::string root = SML_SOURCE_DATA_DIR;
  const auto catalog = sml::hw::DeviceCatalog::load(root + "/hw/devices");
  const auto m = FootprintModel::load(root + "/catalog/footprint.yaml");
  REQUIRE(m.training_utilization);
  const auto& u = *m.training_utilization;
  std::vector<double> centres;
  for (const auto& g : u.generations) centres.push_back(g.value);
  const double median = sml::footprint::Range::of(centres).expected;
  const auto fitted = condition_utilization(u, query(catalog.find("v100").name, "dense-lm", 0));
  REQUIRE(fitted);
  const auto cnn = std::find_if(u.kinds.begin(), u.kinds.end(), [](const auto& k) { return k.id == "cnn"; });
  REQUIRE(cnn != u.kinds.end());
  for (const char* id : {"p100", "tpu-v2"}) {
    CAPTURE(id);
    const auto& d = catalog.find(id);
    const auto c = condition_utilization(u, query(d.name, "dense-lm", 0));
    REQUIRE(c);
    CHECK(c->basis.rfind("no fitted run on this device's generation", 0) == 0);
    CHECK(c->range.expected == Approx(median));
    CHECK(c->range.high / c->range.low > fitted->range.high / fitted->range.low);
    for (const auto& cell : cnn->cells) CHECK(d.name.find(cell.match) == std::string::npos);
  }
  // The sourced peaks (NVIDIA Tesla P100 datasheet, NVLink column; TPU v2: 180 TFLOPS per 4 chips).
  CHECK(*catalog.find("p100").peak("fp32") == Approx(10.6e12));
  CHECK(*catalog.find("tpu-v2").peak("bf16") == Approx(45e12));
}

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
        - {match: "V100", precisions: [fp32], value: 0.6, fitted_on: [v32]}
        - {match: "V100", precisions: [fp16], value: 0.3, fitted_on: [v16]}
        - {match: "A100", precisions: [fp16, bf16], value: 0.25, fitted_on: [a16]}
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
  auto c = condition_utilization(u, gpu("NVIDIA V100 SXM2", "fp16"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.3));
  CHECK(c->range.low == Approx(0.24));
  CHECK(c->range.high == Approx(0.45));
  CHECK(c->source == "encdec-runs");
  CHECK(c->basis.find("peak FLOP/s") != std::string::npos);
  // A P100 in fp32 has no cell: the fp32 cells' median (V100 0.6, not the all-cells median 0.3),
  // band 0.6 × 0.8 × 0.9 = 0.432 to 0.6 × 1.5 × 1.1 = 0.99.
  c = condition_utilization(u, gpu("NVIDIA Tesla P100 SXM2", "fp32"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  CHECK(c->range.low == Approx(0.432));
  CHECK(c->range.high == Approx(0.99));
  CHECK(c->fitted_on == std::vector<std::string>{"v32"});
  // tf32: no cell of that precision anywhere, so the median of all cells {0.6, 0.3, 0.25} = 0.3,
  // band 0.3 × 0.72 = 0.216 to 0.3 × 1.65 = 0.495.
  c = condition_utilization(u, gpu("NVIDIA H100 SXM5", "tf32"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.3));
  CHECK(c->range.low == Approx(0.216));
  CHECK(c->range.high == Approx(0.495));
  // A TPU: the cells are GPU-only, so the generation model prices it and says why: no generation
  // matches "TPU v2", so the median of the centres {0.25, 0.4} = 0.325 at the reference size.
  c = condition_utilization(u, gpu("Google TPU v2", "bf16", "datacenter-tpu"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.325));
  CHECK(c->basis.rfind("no encoder-decoder cell on a datacenter-tpu", 0) == 0);
  // The plan: --params with --model-kind encoder-decoder reaches the kind through the device's class.
  sml::hw::Device d = device("p", "NVIDIA Tesla P100 SXM2", "fp32", 10e12);
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
    return condition_utilization(u, gpu(d.name, precision, d.device_class));
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
  for (const char* m : {"{match: \"V100\", precisions: [fp32]", "{match: \"V100\", precisions: [fp16]", "{match: \"A100\", "}) {
    const std::string from = m;  // the encoder-decoder kind's cell (the CNN kind above has V100 cells too)
    t.replace(t.find(from, t.find("kind: encoder-decoder")), from.size(), from.substr(0, 16) + "device_class: datacenter-gpu, " + from.substr(16));
  }
  const std::string last = "fitted_on: [a16]}\n";
  t.insert(t.find(last, t.find("kind: encoder-decoder")) + last.size(),
           "        - {match: \"TPU v3\", device_class: datacenter-tpu, precisions: [bf16], value: 0.45, fitted_on: [t3]}\n");
  const FootprintModel m = model(t);
  const auto& u = *m.training_utilization;
  // A TPU v2 borrows the one TPU cell (0.45), not the median of every bf16 cell {0.25, 0.45}.
  auto c = condition_utilization(u, gpu("Google TPU v2", "bf16", "datacenter-tpu"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.45));
  CHECK(c->fitted_on == std::vector<std::string>{"t3"});
  // An H100 in bf16 borrows the GPU bf16 cell alone (A100 0.25), and a GPU never matches a TPU cell.
  c = condition_utilization(u, gpu("NVIDIA H100 SXM5", "bf16"));
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.25));
  c = condition_utilization(u, gpu("NVIDIA TPU v3 lookalike", "bf16"));
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
