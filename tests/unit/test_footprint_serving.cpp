// One query's cost pinned on hand-derived cases (made-up test devices in tests/data/): serving batch,
// runtime fusion and throughput, engines beside the GPU, power boundaries, modes and caps, the
// device's clock, serving on its own device, and the pass under clock, power and L2 limits.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "onnx_builder.hpp"
#include "scratch_file.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/range.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "footprint_estimate_fixture.hpp"
#include "footprint_fixture.hpp"

using doctest::Approx;
using sml::footprint::EstimateOptions;
using namespace footprint_estimate_test;

TEST_SUITE("footprint-serving") {
  TEST_CASE("serving batch, runtime fusion and throughput, hand-derived") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serving.runtime = "fused";
    o.serve_batch = 4;
    const auto r = sml::footprint::estimate(o);
    // Batch 4: MatMul moves 4000 + 1e6 + 4000 elements × 4 B = 4.032e6 B → 4.032 ms (8e6 FLOPs take
    // 8 µs); the Relu is fused (no kernel, no memory). Efficiency 0.5, one kernel of 1 ms.
    const double latency = 4.032e-3 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.batch") == 4);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(latency));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(4 / latency));
    CHECK(num(r.doc, "inference.assumptions.kernels_per_pass") == 1);
    // Unfused (pytorch): the Relu is a second kernel that reads and writes 4000 elements.
    o.serving.runtime = "pytorch";
    const auto e = sml::footprint::estimate(o);
    CHECK(num(e.doc, "inference.assumptions.kernels_per_pass") == 2);
    CHECK(num(e.doc, "inference.latency_s.expected") == Approx((4.032e-3 + 32e-6) / 0.375 + 2 * 2e-3));
    // --serve-batch changes the inference section; so does --batch when no --serve-batch is given.
    o.serve_batch.reset();
    o.infer.batch = 2;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.batch") == 2);
  }

  TEST_CASE("a model that fixes its batch dim serves at that batch, not --serve-batch; --input-shape lifts it") {
    // The MatMul + Relu above with x fixed at 1x1000 (sml-compose writes batch 1 into its inputs).
    EstimateOptions o = base();
    o.model_path = matmul_relu_model("1");
    o.device = "test-gpu";
    o.serving.runtime = "fused";
    o.serve_batch = 4;
    // Batch 1 runs (1000 + 1e6 + 1000 elements × 4 B = 4.008e6 B → 4.008 ms at efficiency 0.5, plus
    // one 1 ms kernel): one query per pass. Before, the batch was read as 4: 4 / the batch-1 latency.
    const double one = 4.008e-3 / 0.5 + 1e-3;
    auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.batch") == 1);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(one));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(1 / one));
    bool warned = false;
    for (const auto& v : r.verdicts) warned |= v.find("--serve-batch 4 not applied: input 'x' has its dim 0 fixed at 1 by the model") != std::string::npos;
    CHECK(warned);
    // --input-shape x=4x1000 with --serve-batch 4 serves 4 a pass, as the batch-4 case above (4.032 ms
    // of memory). (An --input-shape alone sets no batch: its dim 0 may be a sequence-first length.)
    o.infer.input_shapes["x"] = {4, 1000};
    r = sml::footprint::estimate(o);
    const double four = 4.032e-3 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.batch") == 4);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(four));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(4 / four));
  }

  TEST_CASE("figures from a profile with nodes uncounted say so in their own sections; a defaulted batch does not") {
    EstimateOptions o = base();
    o.device = "test-gpu";
    o.serving.runtime = "fused";
    o.plan.train_samples = 1000;
    // The MatMul + Relu model: its symbolic batch N is defaulted to 1, which the plan's batch sets.
    o.model_path = matmul_relu_model();
    auto r = sml::footprint::estimate(o);
    REQUIRE(r.doc.find("inference"));
    CHECK_FALSE(r.doc.path("inference.coverage"));
    CHECK_FALSE(r.doc.path("training.coverage"));
    // An op no rule counts (a third-party custom op) after the MatMul: the figures leave it out.
    o.model_path = matmul_relu_model("1", "MysteryOp");
    r = sml::footprint::estimate(o);
    for (const char* key : {"inference.coverage", "training.coverage"}) {
      CAPTURE(key);
      const auto* c = r.doc.path(key);
      REQUIRE(c);
      CHECK(c->as_string().find("incomplete: 1 of 2 nodes uncounted") == 0);
    }
  }

  TEST_CASE("engines beside the GPU serve queries of their own: a pass is the GPU's, throughput counts them all") {
    // int8 4 TOP/s of which the GPU alone 1 (the AGX Orin's DLAs counted in int8, not int8_gpu);
    // memory fast enough that the MatMul is compute-bound: 2·N·1e6 OPs at batch N.
    const std::string path = testing::scratch_file("engines.yaml");
    std::ofstream(path) << R"(sml: hwprofile/v1
name: "board with two engines"
peak_flops: {int8: 4.0e+12, int8_gpu: 1.0e+12}
memory_bandwidth_bytes_per_s: 1.0e+12
power_w: {max: 100}
)";
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = path;
    o.serving.runtime = "fused";  // efficiency 0.5, 1 ms a kernel, one kernel (the Relu fused)
    o.serving.precision = "int8";
    // Batch 1: one query, on the GPU: 2e6 / 1e12 = 2 µs (memory 1.002e6 B / 1e12 = 1 µs) / 0.5 + 1 ms;
    // nothing else to keep the other engines busy, so the throughput is one query per latency.
    o.serve_batch = 1;
    auto r = sml::footprint::estimate(o);
    const double one = 2e-6 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(one));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(1 / one));
    // Batch 4: the pass is still the GPU's (8 µs of compute), but samples can go to every engine: the
    // throughput is at all 4 TOP/s (2 µs, above the 1.008 µs of memory), and so is a query's device time.
    o.serve_batch = 4;
    r = sml::footprint::estimate(o);
    const double gpu = 8e-6 / 0.5 + 1e-3, all = 2e-6 / 0.5 + 1e-3;
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(gpu));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(4 / all));
  }

  TEST_CASE("power boundaries, power modes and caps, a device without power figures") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serving.runtime = "fused";
    o.plan.pue = 1.5;
    auto r = sml::footprint::estimate(o);
    // Device power = 100 W TDP × serving fraction (0.5, 0.75, 1); system adds the host share
    // (system multiple 1, 1.5, 2 minus 1) × 100 W = 0, 50, 100 W, and the PUE.
    const double s = 4.008e-3 / 0.5 + 1e-3;  // device-seconds per query
    CHECK(num(r.doc, "inference.energy_by_boundary.device.expected") == Approx(s * 75 / 3.6e6));
    CHECK(num(r.doc, "inference.energy_by_boundary.system.expected") == Approx(s * 125 * 1.5 / 3.6e6));
    CHECK(num(r.doc, "inference.energy_kwh_per_query.high") == Approx(s * 200 * 1.5 / 3.6e6));
    CHECK(r.doc.path("inference.power_boundary")->as_string() == "system");
    o.serving.boundary = "device";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.energy_kwh_per_query.expected") == Approx(s * 75 / 3.6e6));

    // A board in its 'low' mode: 5 W budget, clock × 0.5. Compute-bound work doubles in time.
    o.device = "test-board";
    o.serving.boundary = "system";
    o.serving.power_mode = "low";
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("inference.power_mode")->as_string() == "low");
    // 2e6 FLOPs at 1e9 × 0.5 = 4 ms vs 4.008 ms of memory at 1e9 B/s: still memory-bound.
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(s));
    CHECK(num(r.doc, "inference.assumptions.power_w.expected") == Approx(std::max(2.0, 0.75 * 5)));
    CHECK(num(r.doc, "inference.energy_kwh_per_query.low") == Approx(s * 2.5 * 1.5 / 3.6e6));  // 0.5 × 5 W, above idle 2 W
    // A mode without a published clock scales the clock by the cube root of its power share.
    o.serving.power_mode = "derived";  // 1.25 W of 10 W: clock × cbrt(0.125) = 0.5; the idle floor never exceeds the budget
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.assumptions.power_w.high") == Approx(1.25));
    CHECK(r.doc.path("inference.assumptions.notes")->as_list()[0].as_string().find("× 0.5") != std::string::npos);
    o.serving.power_mode = "turbo";
    CHECK_THROWS_WITH_AS(sml::footprint::estimate(o), doctest::Contains("full, low, derived, clocked"), sml::InputError);
    // A mode that publishes clocks but no budget (MLPerf MaxQ): compute and memory at half speed,
    // so the memory-bound MatMul takes 4.008 ms / 0.5 = 8.016 ms; the budget is the 10 W rating
    // × the clock share 0.5 = 5 W, of which the serving fraction 0.75 is drawn (above the 2 W idle).
    o.serving.power_mode = "clocked";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(8.016e-3 / 0.5 + 1e-3));
    CHECK(num(r.doc, "inference.assumptions.power_w.expected") == Approx(0.75 * 10 * 0.5));
    // A per-kernel cost spent on the device (a graph-launched engine: kernel_overhead_on_device) runs
    // at the mode's clock too: the 1 ms kernel gap becomes 2 ms at half clock. The host-launched
    // runtime above keeps its 1 ms: the GPU clock does not move the host's launch cost.
    o.serving.runtime = "fused-graph";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(8.016e-3 / 0.5 + 1e-3 / 0.5));
    o.serving.power_mode = "full";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(s));
    o.serving.runtime = "fused";
    // A cap below the rating: 2.5 W of 10 W → clock × cbrt(0.25); the budget becomes 2.5 W.
    o.serving.power_mode.clear();
    o.serving.power_cap_w = 2.5;
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.assumptions.power_w.expected") == Approx(std::max(2.0, 0.75 * 2.5)));
    CHECK(r.doc.path("inference.power_mode")->as_string() == "cap");

    // No power figure at all: latency still, energy null with the reason (no "no TDP" stop).
    o.serving.power_cap_w.reset();
    o.device = "test-nopower";
    r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") > 0);
    CHECK(r.doc.path("inference.energy_kwh_per_query")->is_null());
    CHECK(r.doc.path("inference.energy_note")->as_string().find("no TDP published") != std::string::npos);
    // ...and no bandwidth: compute only, said so. 2e6 FLOPs at 1e9 = 2 ms / 0.5 + 1 ms.
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(2e-3 / 0.5 + 1e-3));
    // With a load, the serving energy is unknown with the reason, and so is the life-cycle energy:
    // never a total that quietly leaves serving out.
    o.plan.queries_per_day = 10;
    o.plan.years = 1;
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("serving.energy_kwh")->is_null());
    CHECK(r.doc.path("serving.energy_note")->as_string().find("no TDP published") != std::string::npos);
    CHECK(r.doc.path("lifecycle.energy_kwh")->is_null());
    CHECK(r.doc.path("lifecycle.co2e_kg.total")->is_null());
    CHECK(r.doc.path("lifecycle.note")->as_string().find("no TDP published") != std::string::npos);
  }

  TEST_CASE("a graph-launched runtime's per-kernel cost in GPU cycles runs at the device's clock") {
    // The MatMul of matmul_relu_model on test-gpu's figures is memory-bound: 4.008e6 B / 1e9 B/s,
    // / 0.5, plus one kernel (the Relu fused). fused-cycles counts that kernel as 4e6 GPU cycles.
    const std::string path = testing::scratch_file("clocked-gpu.yaml");
    std::ofstream(path) << R"(sml: hwprofile/v1
name: "2 GHz GPU"
peak_flops: {fp32: 1.0e+12}
memory_bandwidth_bytes_per_s: 1.0e+9
peak_clock_hz: 2.0e+9
power_w: {max: 100}
)";
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = path;
    o.serving.runtime = "fused-cycles";
    auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.5 + 4e6 / 2e9));  // 2 ms a kernel, not 1
    CHECK(num(r.doc, "inference.assumptions.runtime.kernel_overhead_cycles.expected") == Approx(4e6));
    // A device with no clock figure keeps the entry's seconds (1 ms).
    o.device = "test-gpu";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.5 + 1e-3));
    // A runtime whose per-kernel cost is the host's (no kernel_overhead_on_device) ignores the clock.
    o.device = path;
    o.serving.runtime = "fused";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.008e-3 / 0.5 + 1e-3));
  }

  TEST_CASE("a host launch that runs ahead of the GPU overlaps the kernel before it: max, not sum") {
    // fused-overlap: efficiency 0.5, 1 ms per kernel, kernel_overhead_overlaps. matmul_relu_model's
    // one kernel (the Relu fused) on test-gpu (1e9 B/s) at batch 4 moves 4.032e6 B: 8.064 ms of its
    // own, longer than the 1 ms launch, which hides behind it: 8.064 ms, where `fused` (same figures,
    // no overlap) takes 9.064 ms.
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serve_batch = 4;
    o.serving.runtime = "fused-overlap";
    auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(4.032e-3 / 0.5));
    CHECK(num(r.doc, "inference.throughput_per_s.expected") == Approx(4 / (4.032e-3 / 0.5)));
    CHECK(r.doc.path("inference.assumptions.runtime.kernel_overhead_overlaps")->as_string() == "true");
    o.serving.runtime = "fused";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.032e-3 / 0.5 + 1e-3));
    // On a device 1000x faster in bandwidth (1e12 B/s) the kernel's own time is 8.064 us: the host's
    // 1 ms launch is the longer, and the pass waits on it: 1 ms, where the sum is 1.008064 ms.
    const std::string path = testing::scratch_file("fast-gpu.yaml");
    std::ofstream(path) << R"(sml: hwprofile/v1
name: "fast-memory GPU"
peak_flops: {fp32: 1.0e+15}
memory_bandwidth_bytes_per_s: 1.0e+12
power_w: {max: 100}
)";
    o.device = path;
    o.serving.runtime = "fused-overlap";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(1e-3));
    o.serving.runtime = "fused";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(1e-3 + 4.032e-6 / 0.5));
  }

  TEST_CASE("serving on its own device: --serve-device, or --task's deployment device") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-gpu";
    o.serve_device = "test-board";
    o.plan.train_samples = 10;
    auto r = sml::footprint::estimate(o);
    CHECK(r.doc.path("training.assumptions.device")->as_string() == "test-gpu");
    CHECK(r.doc.path("inference.device")->as_string() == "test-board");
    o.serve_device.clear();
    const std::string task = testing::scratch_file("serving-task.yaml");
    {
      std::ofstream t(task);
      t << "sml: task/v1\ntask: {id: image-classification}\ndeployment: {device: test-nopower}\n";
    }
    o.task_path = task;
    r = sml::footprint::estimate(o);
    CHECK(r.doc.path("inference.device")->as_string() == "test-nopower");
    // Serving alone needs no training device.
    o.device.clear();
    o.plan.train_samples.reset();
    CHECK(sml::footprint::estimate(o).doc.path("inference.device")->as_string() == "test-nopower");
  }

  TEST_CASE("a board that cannot hold its boost clock slows tensor work by how much of the pass it fills") {
    EstimateOptions o = prefill(1e8, "test-capped");
    o.serving.runtime = "llm";
    // 2e12 GEMM FLOPs + causal attention (1.63e12) at fp16 (compute-bound: the 2e8 B of weights take
    // 0.2 s): about 3.6 s at the 1e12 peak / 0.25 = 14.5 s of tensor work + 1 ms; dense work fills
    // the pass, so the clock falls to the sustained 0.5: max(C + 1 ms, C / 0.5) = C / 0.5.
    const double c = (2e12 + prefill_attention(1e8)) / 1e12 / 0.25;
    o.serving.precision = "fp16";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c / 0.5));
    // fp32 runs on CUDA cores, outside the figure: at the rated 1e12.
    o.serving.precision = "fp32";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c + 1e-3));
    // A power mode states its own clocks (0.8 of the top mode), which replace the sustained share.
    o.serving.precision = "fp16";
    o.serving.power_mode = "half";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c / 0.8 + 1e-3));
  }

  TEST_CASE("launch gaps in a pass give the power limit room: max(C + O, C / share)") {
    EstimateOptions o = prefill(1e6, "test-capped");
    o.serving.runtime = "pytorch";
    o.serving.layers = 2;
    o.serving.precision = "fp16";
    o.serving.prompt_tokens = 1000;
    // Prefill of 1,000 tokens: 2e9 GEMM FLOPs + causal attention 2 · 2 layers · 1000² · d_model
    // (d_model = √(1e6 / (12 · 2)) = 204.1): 2.82e9 FLOPs at 1e12 / 0.375 = 7.5 ms of tensor work (C;
    // the 2e6 B of weights take 2 ms); 2 layers x 43 eager kernels x 2 ms = 172 ms of launch gaps (O).
    // C / 0.5 = 15 ms < C + O: the clock holds, so the pass costs C + O as at fp32 (one clock share for
    // all work gave 15 + 172 ms).
    const double flops = 2e9 + 2 * 2 * 1e6 * std::sqrt(1e6 / 24), c = flops / 1e12 / 0.375, gaps = 2 * 43 * 2e-3;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(c + gaps));
    // The same prefill where the runtime pays 1 ms a query and no launch gaps (llm, 0.25 of peak): C = 11.3 ms,
    // O = 1 ms, so tensor work fills the pass and the clock falls to the share: 11.3 ms / 0.5.
    o.serving.runtime = "llm";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.time_to_first_token_s.expected") == Approx(flops / 1e12 / 0.25 / 0.5));
  }

  TEST_CASE("a memory-bound pass leaves the tensor cores idle and is not slowed by the power limit") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-capped";
    o.serving.runtime = "fused";
    o.serving.precision = "fp16";
    o.serve_batch = 4;
    // The MatMul's 1e6 fp16 weights, 2e6 B at 1e9 B/s = 2 ms, outlast its 8e6 FLOPs (8 us): no
    // compute-bound time, so the boost clock holds: 2 ms / 0.5 + one 1 ms kernel.
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(2e-3 / 0.5 + 1e-3));
  }

  TEST_CASE("serving roofline: activations that fit the L2 do not cross device memory, the weights do") {
    EstimateOptions o = base();
    o.model_path = matmul_relu_model();
    o.device = "test-capped";
    o.serving.runtime = "fused";
    o.serving.precision = "fp32";
    o.serve_batch = 4;
    // Batch 4: the MatMul's 4000 + 4000 activation elements × 4 B = 32 kB fit the 100 kB L2, so only
    // its 1e6 weights × 4 B = 4 ms cross memory (8e6 FLOPs take 8 µs); efficiency 0.5, one 1 ms kernel.
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4e-3 / 0.5 + 1e-3));
    // test-gpu has no L2 figure: every byte, 4.032e6 B, crosses memory.
    o.device = "test-gpu";
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.032e-3 / 0.5 + 1e-3));
    // Batch 16: 128 kB of activations exceed the L2; all 1.032e6 elements cross memory.
    o.device = "test-capped";
    o.serve_batch = 16;
    CHECK(num(sml::footprint::estimate(o).doc, "inference.latency_s.expected") == Approx(4.128e-3 / 0.5 + 1e-3));
  }
}
