// The conditioned training utilisation of profiled CNNs (issue 17) pinned on hand-derived cases:
// a kind's cell of generation and precision, data-parallel scaling, the optimised stack and the
// reference stack's bandwidth share (the made-up model: training_utilization_fixture.hpp).
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
  auto q = query("Volta", "cnn", 0, "fp16");
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
  q.device_generation = "Hopper";
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
  CHECK_FALSE(condition_utilization(u, query("Hopper", "dense-lm", 10e9)) == std::nullopt);
  auto lm = query("Hopper", "dense-lm", 10e9);
  lm.roofline = true;
  CHECK_FALSE(condition_utilization(u, lm));
  // Through the one function: an A100 in fp16 with that profile gets the A100 cell, 0.3.
  const sml::hw::Device d = device("a", "Ampere", "fp16", 312e12);
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
  auto q = query("Volta", "cnn", 0, "fp16");
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
  q.device_generation = "Hopper";
  q.precision = "bf16";
  CHECK(condition_utilization(u, q)->range.expected == Approx(0.6));
  // Through the one function both tools call: the plan's device count is the query's.
  const sml::cost::Profile net = one_conv();
  const sml::hw::Device d = device("v", "Volta");
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
  const std::string last = "        - {match: \"Ampere\", precisions: [fp16, bf16], value: 0.3, fitted_on: [a16]}\n";
  text.replace(text.find(last), last.size(),
               last + "        - {match: \"Ampere\", precisions: [fp16, bf16], stack: optimised, value: 0.9, fitted_on: [oa]}\n"
                      "        - {match: \"Hopper\", precisions: [fp16, bf16], stack: optimised, value: 0.95, fitted_on: [oh]}\n");
  const FootprintModel m = model(text);
  const auto& u = *m.training_utilization;
  auto q = query("Ampere", "cnn", 0, "fp16");
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
  q.device_generation = "Volta";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.6));
  CHECK(c->basis.find("no fitted optimised-stack cnn run") != std::string::npos);
  // Optimised on an L4 (no cell of either stack): the median of the optimised cells {0.9, 0.95}
  // = 0.925, band × 0.8 × 0.5 = 0.37 to × 1.2 × 2 = 2.22, uncapped.
  q.device_generation = "Ada Lovelace";
  c = condition_utilization(u, q);
  REQUIRE(c);
  CHECK(c->range.expected == Approx(0.925));
  CHECK(c->range.low == Approx(0.37));
  CHECK(c->range.high == Approx(2.22));
  // The reference stack on the H100 still has no cell: the median of the reference cells, 0.6
  // (the optimised H100 cell is not taken for a stock script).
  q.device_generation = "Hopper";
  q.stack = "reference";
  CHECK(condition_utilization(u, q)->range.expected == Approx(0.6));
  // Through the one function: the plan's stack is the query's.
  const sml::cost::Profile net = one_conv();
  const sml::hw::Device d = device("h", "Hopper");
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
  auto cq = query("Volta", "cnn", 0, "fp16");
  cq.roofline = true;
  CHECK(condition_utilization(u, cq)->memory_bandwidth_share == Approx(0.5));
  CHECK(condition_utilization(*model().training_utilization, cq)->memory_bandwidth_share == Approx(1.0));
  CHECK(condition_utilization(u, query("Hopper", "dense-lm", 10e9))->memory_bandwidth_share == Approx(1.0));
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
  sml::hw::Device d = device("v", "Volta", "fp16", 100e12);
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
  const std::string last = "        - {match: \"Ampere\", precisions: [fp16, bf16], value: 0.3, fitted_on: [a16]}\n";
  own.replace(own.find(last), last.size(),
              last + "        - {match: \"Volta\", precisions: [fp16, bf16], stack: optimised, value: 0.9, fitted_on: [ov]}\n");
  const FootprintModel mo = model(own);
  ctx.model = &mo;
  t = sml::footprint::estimate_training(plan, ctx, &net, 1, nullptr);
  CHECK(t.time_s.expected == Approx(1000 * 630e-6 / 0.9));
  CHECK(t.utilization["memory_bandwidth_share"].is_null());
  // Against a share-held roofline the ideal is no bound: a reference cell may pass 1 (band uncapped);
  // without a share a cell above 1 is refused, and so is a share outside (0, 1].
  std::string above = text;
  above.replace(above.find("value: 0.9, fitted_on: [v32]"), 10, "value: 1.1");
  auto q = query("Volta", "cnn", 0, "fp32");
  q.roofline = true;
  CHECK(condition_utilization(*model(above).training_utilization, q)->range.high == Approx(1.1 * 1.2));
  std::string unshared = kModel;
  unshared.replace(unshared.find("value: 0.9, fitted_on: [v32]"), 10, "value: 1.1");
  CHECK_THROWS_AS(model(unshared), sml::InputError);
  std::string bad = text;
  bad.replace(bad.find("memory_bandwidth_share: 0.5"), 27, "memory_bandwidth_share: 1.5");
  CHECK_THROWS_AS(model(bad), sml::InputError);
}

TEST_SUITE_END();
