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

// Each parser reads the input once and every reader is given its tree, as the tools give each
// reader the file they parsed: reading the same text again per reader (seven yaml-cpp parses and
// three libyaml ones an input, each reader from the scratch file) was most of an execution's time
// (issue 20; tests/fuzz/run.sh's speed notes). The task taxonomy's readers take a folder or a path
// (lib/describe): they get the input through one scratch file per process, only when its
// `sml:` kind (in either parser's tree) is theirs. Otherwise both of their readings stop at the
// kind check by construction (libyaml's tree, then yaml-cpp's, the one parsed here).
namespace {
const std::string& scratch_dir() {
  static const std::string dir = make_scratch_dir("sml-fuzz");
  return dir;
}

std::string kind_of(const sml::YamlFile& f) {
  const YAML::Node& root = f.root;
  if (!root.IsMap()) return "";
  const YAML::Node kind = root["sml"];
  return kind && kind.IsScalar() ? kind.Scalar() : "";
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)sml::document_kind(text);
  // The libyaml reader of the task files (io/yaml_plain.cpp) on every input, also those yaml-cpp
  // refuses below; it must return a tree or nullopt, never crash.
  const auto plain = sml::parse_yaml_plain(text, "fuzz.yaml");
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
    (void)sml::compose::build_composition(sml::compose::parse_composition(file));
  } catch (const sml::Error&) {
  }
  try { (void)sml::catalog::parse_model(file); } catch (const sml::Error&) {}
  try { (void)sml::catalog::parse_advice(file); } catch (const sml::Error&) {}
  try { (void)sml::accel::parse_accelerator(file); } catch (const sml::Error&) {}
  const std::string kind = kind_of(file), plain_kind = plain ? kind_of(*plain) : "";
  const bool taxonomy = kind == "task/v1-taxonomy" || plain_kind == "task/v1-taxonomy";
  const bool out_of_scope = kind == "task/v1-out-of-scope" || plain_kind == "task/v1-out-of-scope";
  if (taxonomy || out_of_scope) {
    const std::string path = scratch_dir() + "/doc.yaml";
    std::ofstream(path, std::ios::binary) << text;
    if (taxonomy) try { (void)sml::describe::load_taxonomy(scratch_dir()); } catch (const sml::Error&) {}
    if (out_of_scope) try { (void)sml::describe::load_out_of_scope(path); } catch (const sml::Error&) {}
  }
  return 0;
}
