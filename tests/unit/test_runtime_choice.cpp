// The runtime a model is deployed with, per device (issue 15/17): a device names its usual runtime
// (hw/devices runtime:), sml-estimate serves under it when --runtime is not given, and a runtime
// without a fitted measurement falls back to one that has, saying so. Latencies are derived by
// hand from the device's published figures and the runtime's catalogue parameters (read here, so
// a refit of those parameters does not break the arithmetic being checked).
#include <doctest/doctest.h>

#include <algorithm>

#include <fstream>
#include <string>

#include "footprint_estimate_fixture.hpp"
#include "footprint_fixture.hpp"
#include "onnx_builder.hpp"
#include "scratch_file.hpp"
#include "serving_fixture.hpp"
#include "sml/footprint/kernels.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/model.hpp"
#include "sml/footprint/serving.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

using doctest::Approx;

namespace {

const std::string kRoot = SML_SOURCE_DATA_DIR;

// x[1,1000] · W[1000,1000] → Relu: one memory-bound layer and one a fusing runtime folds into it.
std::string matmul_relu() { return footprint_estimate_test::matmul_relu_model("1"); }

using footprint_estimate_test::num;

std::string str(const sml::Doc& d, const std::string& path) {
  const sml::Doc* v = d.path(path);
  REQUIRE_MESSAGE(v, "missing " << path);
  return v->as_string();
}

sml::footprint::EstimateOptions on(const std::string& device, const std::string& precision) {
  return serving_test::catalog_estimate(matmul_relu(), device, precision);
}

}  // namespace

TEST_SUITE("footprint") {
  TEST_CASE("a Jetson serves under TensorRT and a Coral under the Edge TPU runtime unless --runtime says otherwise") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& trt = sml::footprint::find_runtime(model, "tensorrt");
    const auto& tflite = sml::footprint::find_runtime(model, "tflite", "edge-accelerator");
    const auto& eager = sml::footprint::find_runtime(model, "pytorch");
    // An '@' with no build (or no name) is refused, not taken as the plain entry (exit 2).
    CHECK_THROWS_AS(sml::footprint::find_runtime(model, "tensorrt@"), sml::InputError);
    CHECK_THROWS_AS(sml::footprint::find_runtime(model, "@paddle"), sml::InputError);

    // Jetson AGX Orin 64GB, fp32 (5.3 TFLOP/s, 204.8 GB/s): the MatMul moves 1000 + 1e6 + 1000
    // elements × 4 B = 4.008e6 B → 19.57 µs (its 2e6 FLOPs take 0.38 µs). TensorRT fuses the Relu:
    // one kernel. Its launch runs ahead of the GPU (kernel_overhead_overlaps): expected = the longer
    // of 19.57 µs / efficiency (27.4 µs) and the kernel overhead (30.2 µs).
    auto r = sml::footprint::estimate(on("nvidia-jetson-agx-orin-64gb", "fp32"));
    CHECK(str(r.doc, "inference.runtime") == "tensorrt");
    CHECK(str(r.doc, "inference.runtime_basis").find("usual runtime on nvidia-jetson-agx-orin-64gb: TensorRT") != std::string::npos);
    const double orin = 4.008e6 / 204.8e9;
    CHECK(num(r.doc, "inference.assumptions.kernels_per_pass") == 1);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(std::max(orin / trt.efficiency->expected, trt.kernel_overhead_s->expected)));
    // --runtime pytorch: eager, unfused — the Relu is a second kernel reading and writing 1000
    // elements (8 kB at 204.8 GB/s). Eager launches overlap too: each kernel is shorter than the
    // 95.9 µs overhead, so the pass is two overheads.
    auto o = on("nvidia-jetson-agx-orin-64gb", "fp32");
    o.serving.runtime = "pytorch";
    r = sml::footprint::estimate(o);
    CHECK(str(r.doc, "inference.runtime") == "pytorch");
    CHECK(str(r.doc, "inference.runtime_basis") == "--runtime pytorch");
    CHECK(num(r.doc, "inference.latency_s.expected") ==
          Approx(std::max(orin / eager.efficiency->expected, eager.kernel_overhead_s->expected) +
                 std::max(8000 / 204.8e9 / eager.efficiency->expected, eager.kernel_overhead_s->expected)));

    // Coral USB Accelerator, int8 (4 TOP/s, no memory bandwidth published: compute only): 2e6 ops
    // → 0.5 µs; 1 MB of int8 weights fit the 8 MB cache (nothing streamed over USB).
    r = sml::footprint::estimate(on("google-coral-usb-accelerator", "int8"));
    CHECK(str(r.doc, "inference.runtime") == "tflite");
    CHECK(str(r.doc, "inference.runtime_basis").find("Edge TPU runtime (libedgetpu)") != std::string::npos);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(0.5e-6 / tflite.efficiency->expected + tflite.kernel_overhead_s->expected));

    // A device that names no runtime (a datacenter GPU) keeps eager PyTorch, and says why.
    r = sml::footprint::estimate(on("nvidia-v100-sxm2-32gb", "fp32"));
    CHECK(str(r.doc, "inference.runtime") == "pytorch");
    CHECK(str(r.doc, "inference.runtime_basis").find("names no usual deployment runtime") != std::string::npos);
  }

  TEST_CASE("the Edge TPU has its own runtime entry and streams the int8 weights its 8 MB cache cannot hold over USB") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    // Fitted per device class: the Coral (edge-accelerator) is costed with the Edge TPU's entry, a
    // Raspberry Pi (edge-board) with TFLite on its CPU; the two no longer share one efficiency.
    const auto& edgetpu = sml::footprint::find_runtime(model, "tflite", "edge-accelerator");
    const auto& cpu = sml::footprint::find_runtime(model, "tflite", "edge-board");
    CHECK(&edgetpu != &cpu);
    CHECK(edgetpu.name.find("Edge TPU") != std::string::npos);
    REQUIRE(model.host_link_efficiency);
    const double share = model.host_link_efficiency->range.expected;

    // x[1,1000] · W[1000,8500] → Relu at int8: W is 8.5e6 parameters = 8.5 MB, 0.5 MB beyond the
    // 8 MB cache (hw device memory_bytes 8.0e6). Those 5e5 B cross USB 3.0 (500 MB/s of data) on
    // every inference: 1.0 ms at the full rate, 1.0 ms / share at the fitted share. The MatMul's
    // 1.7e7 ops take 4.25 us at 4 TOP/s; the Relu is fused: one op, one per-op overhead.
    testing::ModelBuilder b;
    b.input("x", {"1", "1000"});
    b.weight("W", {1000, 8500});
    b.node("MatMul", {"x", "W"}, {"y"});
    b.node("Relu", {"y"}, {"z"});
    b.output("z");
    const std::string path = testing::written_file("edgetpu-stream.onnx", b.bytes());
    auto o = on("google-coral-usb-accelerator", "int8");
    o.model_path = path;
    const auto r = sml::footprint::estimate(o);
    CHECK(str(r.doc, "inference.runtime_basis").find("Edge TPU runtime (libedgetpu)") != std::string::npos);
    CHECK(num(r.doc, "inference.assumptions.kernels_per_pass") == 1);
    const double compute = 1.7e7 / 4.0e12 / edgetpu.efficiency->expected + edgetpu.kernel_overhead_s->expected;
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(compute + 1.0e-3 / share));
    // At best the link runs at its full data rate: the low end still pays the whole 1.0 ms.
    CHECK(num(r.doc, "inference.latency_s.low") >= 1.0e-3);
    CHECK(num(r.doc, "inference.latency_s.low") < 1.0e-3 + compute);
    // The share comes from one model (VGG16): the range is at least serving_spread wide.
    REQUIRE(model.serving_spread);
    CHECK(num(r.doc, "inference.latency_s.high") >= Approx(num(r.doc, "inference.latency_s.expected") * model.serving_spread->high));
  }

  TEST_CASE("with no precision given, serving runs at the usual precision of the device's usual runtime") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& trt = sml::footprint::find_runtime(model, "tensorrt");
    auto unset = [](const std::string& device) {
      auto o = on(device, "fp32");
      o.precision_given = false;
      return o;
    };
    // Jetson Nano: TensorRT's usual fp16, which it has a peak for (472 GFLOP/s, 25.6 GB/s): the
    // MatMul moves (1000 + 1e6 + 1000) × 2 B = 2.004e6 B → 78.28 µs, above its 2e6 FLOPs' 4.24 µs;
    // / efficiency it outlasts the launch, which hides behind it (kernel_overhead_overlaps).
    auto r = sml::footprint::estimate(unset("nvidia-jetson-nano"));
    CHECK(str(r.doc, "inference.precision") == "fp16");
    CHECK(str(r.doc, "inference.precision_basis").find("jetson-inference") != std::string::npos);
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(std::max(2.004e6 / 25.6e9 / trt.efficiency->expected, trt.kernel_overhead_s->expected)));
    // Orin Nano: TensorRT's fp16 too, now that its dense fp16 tensor peak is in hw/devices.
    r = sml::footprint::estimate(unset("nvidia-jetson-orin-nano-8gb"));
    CHECK(str(r.doc, "inference.precision") == "fp16");
    CHECK(str(r.doc, "inference.precision_basis").find("jetson-inference") != std::string::npos);
    // A board whose runtime's precision has no peak: its class's precision (an edge board
    // computes in fp32), and the basis says which precision was skipped.
    const auto board = sml::hw::parse_device(sml::parse_yaml(
        "sml: device/v1\nid: board\nclass: edge-board\npower_w: {tdp: null, idle: null}\n"
        "peak_flops: {fp32: {value: 1.0e+12, source: s, year: 2023}, fp16: {value: null, reason: r}}\n"
        "runtime: {id: tensorrt, name: TRT, source: s, precisions: [fp16], precision_source: p}\n", "board.yaml"));
    const auto skipped = sml::footprint::usual_precision(board, {&trt, "the usual"});
    CHECK(skipped.precision == "fp32");
    CHECK(skipped.basis == "the precision board computes in (edge-board); TRT's fp16 has no peak figure for board (hw/devices peak_flops)");
    // The Edge TPU: int8. A Pi names no precision: the default fp32.
    CHECK(str(sml::footprint::estimate(unset("google-coral-usb-accelerator")).doc, "inference.precision") == "int8");
    r = sml::footprint::estimate(unset("raspberry-pi-4b"));
    CHECK(str(r.doc, "inference.precision") == "fp32");
    CHECK(str(r.doc, "inference.precision_basis").rfind("the precision raspberry-pi-4b computes in (edge-board)", 0) == 0);
    // A datacenter GPU names no runtime precision: both tools serve at what it computes in, fp16.
    r = sml::footprint::estimate(unset("nvidia-a100-sxm4-40gb"));
    CHECK(str(r.doc, "inference.precision") == "fp16");
    CHECK(str(r.doc, "inference.precision_basis").rfind("the precision nvidia-a100-sxm4-40gb computes in (datacenter-gpu)", 0) == 0);
    // Another runtime than the device's own: its precision does not follow; --serve-precision and
    // a given --precision rule.
    auto o = unset("nvidia-jetson-nano");
    o.serving.runtime = "pytorch";
    CHECK(str(sml::footprint::estimate(o).doc, "inference.precision") == "fp32");
    o = unset("nvidia-jetson-nano");
    o.serving.precision = "fp32";
    r = sml::footprint::estimate(o);
    CHECK(str(r.doc, "inference.precision") == "fp32");
    CHECK(str(r.doc, "inference.precision_basis") == "--serve-precision");
    CHECK(str(sml::footprint::estimate(on("nvidia-jetson-nano", "fp32")).doc, "inference.precision") == "fp32");
  }

  TEST_CASE("a usual runtime with no fitted measurement falls back to the one the device names, and says so") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto device = [](const std::string& runtime) {
      return sml::hw::parse_device(sml::parse_yaml(
          "sml: device/v1\nid: board\nclass: phone-soc\npeak_flops: {}\npower_w: {tdp: null, idle: null}\n" + runtime, "board.yaml"));
    };
    // Core ML is in the runtime table without a fit: the device's fallback (tflite) is costed.
    auto c = sml::footprint::choose_runtime(device("runtime: {id: coreml, name: Core ML, fallback: tflite, source: s}"), model, "");
    CHECK(c.runtime->id == "tflite");
    CHECK(c.basis.find("coreml has no fitted measurement") != std::string::npos);
    CHECK(c.basis.find("costed with tflite's fitted parameters instead") != std::string::npos);
    // No fallback named, or one that is not fitted either: eager PyTorch, said so.
    c = sml::footprint::choose_runtime(device("runtime: {id: coreml, source: s}"), model, "");
    CHECK(c.runtime->id == "pytorch");
    CHECK(c.basis.find("eager PyTorch's fitted parameters instead") != std::string::npos);
    c = sml::footprint::choose_runtime(device("runtime: {id: coreml, fallback: tgi, source: s}"), model, "");
    CHECK(c.runtime->id == "pytorch");
    // --runtime wins over the device; an unknown one is refused with the catalogue's ids.
    CHECK(sml::footprint::choose_runtime(device("runtime: {id: coreml, source: s}"), model, "tensorrt").runtime->id == "tensorrt");
    CHECK_THROWS_AS(sml::footprint::choose_runtime(device(""), model, "warp"), sml::InputError);
    // A usual runtime is a claim and carries its source.
    CHECK_THROWS_WITH_AS(device("runtime: {id: tflite}"), doctest::Contains("source"), sml::InputError);
  }

  TEST_CASE("every runtime a catalogue device names is in the runtime table, fitted or with a fitted fallback") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto catalog = sml::hw::DeviceCatalog::load(kRoot + "/hw/devices");
    int named = 0;
    for (const auto& d : catalog.all()) {
      if (d.runtime.id.empty()) continue;
      CAPTURE(d.id);
      ++named;
      const auto& own = sml::footprint::find_runtime(model, d.runtime.id, d.device_class);  // throws for an unknown id
      CHECK(!d.runtime.source.empty());
      if (!own.efficiency) {
        REQUIRE(!d.runtime.fallback.empty());
        CHECK(sml::footprint::find_runtime(model, d.runtime.fallback, d.device_class).efficiency);
      }
    }
    CHECK(named >= 10);
    CHECK(catalog.find("nvidia-jetson-orin-nano-8gb").runtime.id == "tensorrt");
    CHECK(catalog.find("raspberry-pi-5").runtime.id == "tflite");
    CHECK(catalog.find("amd-epyc-9654").runtime.id == "onnxruntime");
  }

  TEST_CASE("ONNX Runtime is fitted per execution provider: a CPU gets the CPU provider's parameters, a GPU the CUDA provider's") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& cpu = sml::footprint::find_runtime(model, "onnxruntime", "server-cpu");
    REQUIRE(cpu.efficiency);
    CHECK(cpu.fuses_elementwise);
    // Xeon Platinum 8380, fp32 (5.888 TFLOP/s, 204.8 GB/s), its usual runtime: the MatMul moves
    // 4.008e6 B → 19.57 µs (2e6 FLOPs: 0.34 µs); the Relu runs inside it, so one kernel.
    auto r = sml::footprint::estimate(on("intel-xeon-platinum-8380", "fp32"));
    CHECK(str(r.doc, "inference.runtime") == "onnxruntime");
    CHECK(str(r.doc, "inference.runtime_basis").find("usual runtime on intel-xeon-platinum-8380: ONNX Runtime") != std::string::npos);
    CHECK(num(r.doc, "inference.assumptions.kernels_per_pass") == 1);
    CHECK(num(r.doc, "inference.latency_s.expected") ==
          Approx(4.008e6 / 204.8e9 / cpu.efficiency->expected + cpu.kernel_overhead_s->expected));
    CHECK(str(r.doc, "inference.assumptions.runtime.name").find("CPU execution provider") != std::string::npos);
    // A GPU asking for onnxruntime gets the CUDA provider's own fit (transformer-deploy's RTX 3090
    // rows), never the CPU provider's figures: the same MatMul on a T4 (320 GB/s) is one kernel at
    // the CUDA entry's per-kernel cost. A device class neither entry names is refused with the
    // classes the catalogue has.
    const auto& cuda = sml::footprint::find_runtime(model, "onnxruntime", "datacenter-gpu");
    REQUIRE(cuda.efficiency);
    CHECK(&cuda != &cpu);
    CHECK(cuda.name.find("CUDA execution provider") != std::string::npos);
    CHECK(cuda.kernel_overhead_s->expected == Approx(1.792e-5));
    auto o = on("nvidia-t4", "fp32");
    o.serving.runtime = "onnxruntime";
    auto g = sml::footprint::estimate(o);
    CHECK(str(g.doc, "inference.assumptions.runtime.name").find("CUDA execution provider") != std::string::npos);
    CHECK(num(g.doc, "inference.latency_s.expected") == Approx(4.008e6 / 320e9 / 0.556 + 1.792e-5).epsilon(0.01));
    CHECK_THROWS_WITH_AS(sml::footprint::find_runtime(model, "onnxruntime", "edge-accelerator"),
                         doctest::Contains("server-cpu"), sml::InputError);
  }
  TEST_CASE("a lookup with no device class gets the general entry; a build-keyed runtime is chosen by ID@BUILD") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    // tflite is listed twice, the Edge TPU entry first: a CPU or phone (or a caller that names no
    // class) must get the general entry, never the Coral's USB round trip per op.
    const auto& general = sml::footprint::find_runtime(model, "tflite");
    CHECK(general.device_classes.empty());
    CHECK(general.name.find("Edge TPU runtime") == std::string::npos);
    CHECK(&general == &sml::footprint::find_runtime(model, "tflite", "phone-soc"));
    CHECK(&general != &sml::footprint::find_runtime(model, "tflite", "edge-accelerator"));
    // Its per-op cost is null: no CPU per-op measurement, and no source may be a Coral row.
    CHECK_FALSE(general.kernel_overhead_s);
    for (const auto& o : general.observations) CHECK(o.device.find("coral") == std::string::npos);

    // llama.cpp is fitted per build (the May 2024 snapshot's prefill ran ~50% faster per FLOP than
    // the Dec 2023 one's): the plain id gets the first-listed (newer) build, ID@BUILD its own.
    const auto& plain = sml::footprint::find_runtime(model, "llama.cpp");
    const auto& dec = sml::footprint::find_runtime(model, "llama.cpp@2023-12");
    const auto& may = sml::footprint::find_runtime(model, "llama.cpp@2024-05");
    CHECK(&plain == &may);
    CHECK(dec.build == "2023-12");
    CHECK(dec.key() == "llama.cpp@2023-12");
    REQUIRE(dec.compute_efficiency);
    REQUIRE(may.compute_efficiency);
    // May 2024, RTX 4090, LLaMA 3 8B F16 pp 512 = 9382 tokens/s (XiongjieDai): 512 / 9382 s less the
    // 3.78 ms per-pass overhead, against 2 x 8.03e9 x 512 FLOPs at 330.3 TFLOP/s.
    CHECK(may.compute_efficiency->expected == Approx((2 * 8.03e9 * 512 / 330.3e12) / (512 / 9382.0 - 3.78e-3)).epsilon(0.01));
    CHECK(may.compute_efficiency->expected > 1.5 * dec.compute_efficiency->expected);
    CHECK_THROWS_WITH_AS(sml::footprint::find_runtime(model, "llama.cpp@2022-01"), doctest::Contains("llama.cpp@2023-12"),
                         sml::InputError);
    CHECK_THROWS_WITH_AS(sml::footprint::find_runtime(model, "nosuch@1"), doctest::Contains("unknown"), sml::InputError);
  }
  TEST_CASE("llama.cpp on CPU cores is costed with its CPU entry; a Jetson, an Apple SoC or a GPU with the GPU entries") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto devices = sml::hw::DeviceCatalog::load(kRoot + "/hw/devices");
    using sml::footprint::serving_processor;
    // An edge board is a CPU unless the catalogue describes its GPU (the Jetsons' SM count or clock).
    CHECK(serving_processor(devices.find("raspberry-pi-5")) == "cpu");
    CHECK(serving_processor(devices.find("amd-ryzen-9-7950x")) == "cpu");
    CHECK(serving_processor(devices.find("qualcomm-snapdragon-8-gen-2")) == "cpu");
    CHECK(serving_processor(devices.find("nvidia-jetson-orin-nano-8gb")) == "gpu");
    CHECK(serving_processor(devices.find("nvidia-jetson-nano")) == "gpu");
    CHECK(serving_processor(devices.find("apple-m1")) == "gpu");
    CHECK(serving_processor(devices.find("nvidia-rtx-4090")) == "gpu");
    CHECK(serving_processor(devices.find("google-coral-usb-accelerator")).empty());

    const auto* pi = sml::footprint::choose_runtime(devices.find("raspberry-pi-5"), model, "llama.cpp").runtime;
    REQUIRE(pi);
    CHECK(pi->processor == "cpu");
    REQUIRE(pi->efficiency);
    REQUIRE_FALSE(pi->observations.empty());
    for (const auto& o : pi->observations) CHECK(o.device.find("nvidia") == std::string::npos);  // no GPU fit row
    const auto* jetson = sml::footprint::choose_runtime(devices.find("nvidia-jetson-orin-nano-8gb"), model, "llama.cpp").runtime;
    CHECK(jetson == &sml::footprint::find_runtime(model, "llama.cpp@2024-05"));
    CHECK(jetson->processor == "gpu");
    CHECK(sml::footprint::choose_runtime(devices.find("apple-m1"), model, "llama.cpp").runtime == jetson);
    // A build fitted on GPUs is refused on a CPU, naming what it was fitted on.
    CHECK_THROWS_WITH_AS(sml::footprint::choose_runtime(devices.find("raspberry-pi-5"), model, "llama.cpp@2023-12"),
                         doctest::Contains("on a gpu"), sml::InputError);

    // Decode on the Pi 5 by hand: 3.21e9 Q4_0 weights (4.5 bits: 1.8056e9 B) read per token at 17.07 GB/s
    // (32-bit LPDDR4X-4267) times the CPU entry's efficiency, and no per-step overhead (the GPU
    // entries add 3.78 ms); the KV cache (1,000 B a token, two tokens) is negligible.
    auto o = serving_test::catalog_params(3.21e9, "raspberry-pi-5", "int4", "llama.cpp");
    o.serving.prompt_tokens = 1;
    o.serving.output_tokens = 2;
    o.serving.kv_bytes_per_token = 1000;
    const auto r = sml::footprint::estimate(o);
    CHECK(num(r.doc, "inference.tokens_per_s.expected") ==
          Approx(17.07e9 * pi->efficiency->expected / (3.21e9 * 4.5 / 8)).epsilon(0.002));
    CHECK(str(r.doc, "inference.assumptions.runtime.name").find("CPU cores") != std::string::npos);
  }
  TEST_CASE("llama.cpp's GPU per-step overhead is counted per layer: a 22-layer model pays 22/32 of the 32-layer fit's 3.78 ms") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    // Both GPU builds were fitted per step on 32-layer LLaMA 2 7B rows (3.78 ms a step, derivation); the
    // catalogue spreads it over the kernels a layer the --params path counts (43 eager), so 32 layers still pay 3.78 ms.
    for (const char* id : {"llama.cpp@2023-12", "llama.cpp@2024-05"}) {
      const auto& rt = sml::footprint::find_runtime(model, id);
      REQUIRE(rt.kernel_overhead_s);
      CHECK(rt.kernel_overhead_s->expected * 32 * sml::footprint::kEagerKernelsPerDecoderLayer == Approx(3.78e-3).epsilon(0.001));
      CHECK(rt.kernel_overhead_s->low * 32 * sml::footprint::kEagerKernelsPerDecoderLayer == Approx(2.73e-3).epsilon(0.001));
      CHECK(rt.kernel_overhead_s->high * 32 * sml::footprint::kEagerKernelsPerDecoderLayer == Approx(4.83e-3).epsilon(0.001));
      REQUIRE(rt.query_overhead_s);
      CHECK(rt.query_overhead_s->expected == 0);
    }
    // TinyLlama 1.1B (22 layers) Q4_0-priced on an RTX 4090, decode by hand: 1.10e9 x 4.5 / 8 B of weights
    // plus the KV cache (22,528 B a token at the mean context of a 2-token generation, one token) read at
    // 1.008 TB/s x the entry's efficiency, plus 22/32 of 3.78 ms. Before the overhead was counted per layer
    // the step paid the whole 3.78 ms: 1 / (0.703 + 3.78) ms = 223 tokens/s where this gives 1 / (0.703 +
    // 2.599) ms = 303.
    const auto& may = sml::footprint::find_runtime(model, "llama.cpp@2024-05");
    REQUIRE(may.efficiency);
    auto o = serving_test::catalog_params(1.10e9, "nvidia-rtx-4090", "int4", "llama.cpp");
    o.serving.layers = 22;
    o.serving.output_tokens = 2;
    o.serving.kv_bytes_per_token = 22528;
    const auto r = sml::footprint::estimate(o);
    const double read_s = (1.10e9 * 4.5 / 8 + 22528.0 * 1) / (1.008e12 * may.efficiency->expected);
    const double step_s = read_s + 3.78e-3 * 22 / 32;
    CHECK(num(r.doc, "inference.tokens_per_s.expected") == Approx(1 / step_s).epsilon(0.002));
    CHECK(num(r.doc, "inference.tokens_per_s.expected") > 1.3 / (read_s + 3.78e-3));
  }
  TEST_CASE("a Raspberry Pi 4 costs memory-bound layers at its LPDDR4 rate times the CPU runtime's fitted share") {
    // Before this stop the Pi 4 had no bandwidth: memory time was not counted and the MatMul below
    // cost its compute time only (2e6 FLOPs / 48 GFLOP/s = 41.7 us), 33x too little.
    const auto devices = sml::hw::DeviceCatalog::load(kRoot + "/hw/devices");
    const sml::hw::Device* pi = &devices.find("raspberry-pi-4b");
    // 32-bit LPDDR4-3200: 4 bytes x 3.2e9 transfers/s = 12.8 GB/s (the product brief's memory type).
    REQUIRE(pi->memory_bandwidth_bytes_per_s.value);
    CHECK(*pi->memory_bandwidth_bytes_per_s.value == Approx(4 * 3.2e9));
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& cpu = sml::footprint::find_runtime(model, "tflite", "edge-board");
    REQUIRE(cpu.memory_bandwidth_share);
    const double share = *cpu.memory_bandwidth_share;
    CHECK(share > 0);
    CHECK(share < 1);  // a board CPU streams well below its interface's rate
    // The MatMul moves 4.008e6 B (as for the Orin above) at 12.8 GB/s x share; the Relu is fused.
    const auto r = sml::footprint::estimate(on("raspberry-pi-4b", "fp32"));
    CHECK(str(r.doc, "inference.runtime") == "tflite");
    const double memory = 4.008e6 / (12.8e9 * share);
    CHECK(memory > 2e6 / 48e9);  // memory-bound at any share above 0.0072
    CHECK(num(r.doc, "inference.assumptions.roofline_s") == Approx(memory));
    CHECK(num(r.doc, "inference.latency_s.expected") == Approx(memory / cpu.efficiency->expected));
    CHECK(num(r.doc, "inference.assumptions.runtime.memory_bandwidth_share") == Approx(share));
  }

  TEST_CASE("memory_bandwidth_share is a share: outside (0, 1] is a catalogue error") {
    const std::string bad = R"(runtimes:
  - id: cpu
    efficiency: {low: 0.5, expected: 0.5, high: 0.5}
    memory_bandwidth_share: 1.5
)";
    CHECK_THROWS_AS(sml::footprint::FootprintModel::parse(sml::parse_yaml(footprint_test::kMinimalModelHead + bad, "t.yaml")),
                    sml::InputError);
  }
}

// tensorrt@paddle (catalog/footprint.yaml, fitted by tests/validation/fit_launch_overlap.py on NVIDIA
// DeepLearningExamples' Paddle-TRT ResNet-50 tables, PaddlePaddle/Classification/RN50v1.5/README.md):
// both parameters by hand from the published rows, so a change to the kernel count or the roofline
// that would move the fit shows here.
TEST_SUITE("footprint") {
  TEST_CASE("tensorrt@paddle: overhead = batch-1 latency / 56 kernels, efficiency = batch-256 roofline / latency") {
    const auto model = sml::footprint::FootprintModel::load(kRoot + "/catalog/footprint.yaml");
    const auto& paddle = sml::footprint::find_runtime(model, "tensorrt@paddle");
    REQUIRE(paddle.kernel_overhead_s);
    REQUIRE(paddle.efficiency);
    const std::string resnet50 = std::string(SML_TEST_MODELS) + "/resnet50.onnx";
    auto at = [&](const std::string& device, const std::string& precision, std::int64_t batch) {
      auto o = serving_test::catalog_estimate(resnet50, device, precision);
      o.serving.runtime = "tensorrt@paddle";
      o.serve_batch = batch;
      return sml::footprint::estimate(o);
    };
    // Batch 1: ResNet-50 with BN folded and every elementwise op fused is 56 kernels, each shorter
    // than the overhead (the A100's int8 roofline for the whole pass is far below 0.70 ms), so the
    // pass is 56 × the overhead. Lowest row: A100 80GB INT8 0.70 ms → 12.5 µs; highest: A10 TF32
    // 1.66 ms → 29.64 µs (the band is their range).
    auto b1 = at("nvidia-a100-sxm4-80gb", "int8", 1);
    CHECK(num(b1.doc, "inference.assumptions.kernels_per_pass") == 56);
    CHECK(num(b1.doc, "inference.assumptions.roofline_s") < 0.70e-3 / 2);
    CHECK(paddle.kernel_overhead_s->low == Approx(0.70e-3 / 56).epsilon(0.01));
    CHECK(paddle.kernel_overhead_s->high == Approx(1.66e-3 / 56).epsilon(0.01));
    // Every kernel at the overhead: the expected pass is 56 × the expected overhead (15.0 µs, the
    // median of the six batch-1 rows: (13.93 + 16.07) / 2) = 0.84 ms.
    CHECK(paddle.kernel_overhead_s->expected == Approx((0.78e-3 / 56 + 0.90e-3 / 56) / 2).epsilon(0.01));
    CHECK(num(b1.doc, "inference.latency_s.expected") == Approx(56 * paddle.kernel_overhead_s->expected));
    // Batch 256: the kernels outlast the overhead, so the efficiency carries the pass. The fitted
    // band holds the two rows that set its ends: A100 80GB FP16, 14.74 ms (0.5895, the high end),
    // and A10 INT8, 26.67 ms (0.472, the low end).
    auto a100 = at("nvidia-a100-sxm4-80gb", "fp16", 256);
    auto a10 = at("nvidia-a10", "int8", 256);
    CHECK(num(a100.doc, "inference.latency_s.low") <= 14.74e-3);
    CHECK(num(a100.doc, "inference.latency_s.high") >= 14.74e-3);
    CHECK(num(a10.doc, "inference.latency_s.low") <= 26.67e-3);
    CHECK(num(a10.doc, "inference.latency_s.high") >= 26.67e-3);
    // Not overhead-bound: at the overhead alone the A100 pass would be 56 × 15 µs = 0.84 ms.
    CHECK(num(a100.doc, "inference.latency_s.expected") > 10 * 56 * paddle.kernel_overhead_s->expected);
  }
}
