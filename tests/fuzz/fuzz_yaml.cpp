// libFuzzer harness: every YAML document reader (device, hwprofile, regions, footprint model)
// on arbitrary text, after the shared parser with its depth and alias limits.
#include <cstdint>
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)sml::document_kind(text);
  sml::YamlFile file;
  try {
    file = sml::parse_yaml(text, "fuzz.yaml");
  } catch (const sml::Error&) {
    return 0;
  }
  try { (void)sml::hw::parse_device(file); } catch (const sml::Error&) {}
  try { (void)sml::hw::parse_hwprofile(file); } catch (const sml::Error&) {}
  try { (void)sml::footprint::RegionCatalog::parse(file); } catch (const sml::Error&) {}
  try { (void)sml::footprint::FootprintModel::parse(file); } catch (const sml::Error&) {}
  return 0;
}
