// libFuzzer harness: SCALE-Sim .cfg and topology CSV import, and the fold model on what they give.
#include <cstdint>
#include <string>

#include "sml/accel/scalesim_io.hpp"
#include "sml/io/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sml::accel::ArrayConfig config;
  try { config = sml::accel::parse_scalesim_cfg(text, "fuzz.cfg"); } catch (const sml::Error&) {}
  for (bool gemm : {false, true}) {
    try {
      for (const auto& layer : sml::accel::parse_topology_csv(text, "fuzz.csv", gemm)) (void)sml::accel::time_layer(layer, config);
    } catch (const sml::Error&) {
    }
  }
  return 0;
}
