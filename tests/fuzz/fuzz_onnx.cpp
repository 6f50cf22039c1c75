// libFuzzer harness: the ONNX loader and the profiler on arbitrary bytes. Clear errors
// (sml::Error) are the expected outcome for bad input; anything else is a finding.
#include <cstdint>
#include <string>

#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto model = sml::graph::parse_model(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", "");
    sml::graph::InferOptions options;
    options.batch = 2;
    (void)sml::cost::profile_model(model, options);
  } catch (const sml::Error&) {
  }
  return 0;
}
