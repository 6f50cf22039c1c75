// libFuzzer harness: every YAML document reader (device, hwprofile, regions, footprint model,
// compositions and the graph they build) on arbitrary text, after the shared parser with its
// depth and alias limits.
#include <cstdint>
#include <string>

#include "sml/footprint/model.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/describe/taxonomy.hpp"
#include "sml/catalog/advice.hpp"
#include "sml/catalog/models.hpp"
#include "sml/accel/accelsim.hpp"
#include "sml/compose/composition.hpp"

#include <cstdlib>
#include <fstream>
#include <unistd.h>
#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/io/yaml_plain.hpp"
#include "scratch_dir.hpp"

// Readers that take a file or a folder get the input through one scratch file per process.
namespace {
const std::string& scratch_dir() {
  static const std::string dir = make_scratch_dir("sml-fuzz");
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)sml::document_kind(text);
  // The libyaml reader of the task files (io/yaml_plain.cpp) on every input, also those yaml-cpp
  // refuses below; it must return a tree or nullopt, never crash.
  (void)sml::parse_yaml_plain(text, "fuzz.yaml");
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
  try {
    (void)sml::compose::build_composition(sml::compose::parse_composition(text, "fuzz.yaml"));
  } catch (const sml::Error&) {
  }
  {
    const std::string path = scratch_dir() + "/doc.yaml";
    std::ofstream(path, std::ios::binary) << text;
    try { (void)sml::describe::load_taxonomy(scratch_dir()); } catch (const sml::Error&) {}
    try { (void)sml::describe::load_out_of_scope(path); } catch (const sml::Error&) {}
    try { (void)sml::catalog::load_models(scratch_dir()); } catch (const sml::Error&) {}
    try { (void)sml::catalog::load_advice(path); } catch (const sml::Error&) {}
    sml::accel::AccelOptions o;
    o.accel = path;
    try { (void)sml::accel::load_config(o); } catch (const sml::Error&) {}
  }
  return 0;
}
