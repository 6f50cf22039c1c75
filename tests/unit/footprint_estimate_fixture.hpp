// The estimate() helpers of the footprint tests (test_footprint.cpp, test_footprint_serving.cpp,
// test_footprint_serving_transformers.cpp): options over the made-up test devices and parameters
// of tests/data/, a parametric model, a prefill, a small ONNX model, and a figure read from a result.
#pragma once
#include <cmath>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "onnx_builder.hpp"
#include "scratch_file.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/io/doc.hpp"

namespace footprint_estimate_test {

using sml::footprint::EstimateOptions;

inline const std::string kData = std::string(SML_TEST_DATA);

inline EstimateOptions base() {
  EstimateOptions o;
  o.hw_dir = kData + "/hw";
  o.catalog_dir = kData + "/catalog";
  o.layers = false;
  return o;
}

// A dense model of `params` parameters with nothing else stated (every optional field empty).
inline sml::footprint::ParametricModel dense_model(double params) {
  sml::footprint::ParametricModel m;
  m.params = m.active_params = params;
  return m;
}

// A prefill of 10,000 prompt tokens and one output token by a dense model of `params` parameters
// given by count (no ONNX model), 1,000 B of KV cache a token, on `device`.
inline EstimateOptions prefill(double params, const std::string& device) {
  EstimateOptions o = base();
  o.model_path.clear();
  o.parametric = dense_model(params);
  o.device = device;
  o.serving.prompt_tokens = 10000;
  o.serving.output_tokens = 1;
  o.serving.kv_bytes_per_token = 1000;
  return o;
}

// The causal attention of prefill(params, …)'s 1e4-token prompt, 2 · layers · 1e4² · d_model FLOPs
// (token i attends to the i before it), where no --layers is given: layers = ∛(N / (12 · 128²)), so
// that N = 12 · layers · d_model² with d_model = 128 · layers.
inline double prefill_attention(double params) {
  const double layers = std::cbrt(params / (12 * 128.0 * 128));
  return 2 * layers * 1e8 * (128 * layers);
}

inline double num(const sml::Doc& d, const std::string& path) {
  const sml::Doc* v = d.path(path);
  REQUIRE_MESSAGE(v, "missing " << path);
  return *v->as_number();
}

// x[N,1000] · W[1000,1000] → Relu: a memory-bound layer and an elementwise one.
// x[BATCH,1000] · W[1000,1000] → SECOND (Relu; an op no rule counts for a coverage gap). BATCH "N"
// is symbolic; "1" fixes it, as sml-compose writes its inputs.
inline std::string matmul_relu_model(const std::string& batch = "N", const std::string& second = "Relu") {
  testing::ModelBuilder b;
  b.input("x", {batch, "1000"});
  b.weight("W", {1000, 1000});
  b.node("MatMul", {"x", "W"}, {"y"});
  b.node(second, {"y"}, {"z"});
  b.output("z");
  const std::string path = testing::scratch_file("serving-test-" + batch + "-" + second + ".onnx");
  std::ofstream out(path, std::ios::binary);
  out << b.bytes();
  return path;
}

}  // namespace footprint_estimate_test
