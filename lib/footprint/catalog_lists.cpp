// `sml-estimate --list devices|regions`: one line per catalogue entry.
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/footprint/report.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/data_path.hpp"

namespace sml::footprint {

std::vector<std::string> list_devices(const std::string& hw_dir) {
  const auto catalog = hw::DeviceCatalog::load(data_dir("hw", hw_dir) + "/devices");
  std::vector<std::string> lines;
  for (const auto& d : catalog.all()) {
    std::string line = d.id + "\t" + d.name + " (" + d.device_class + (d.year ? ", " + std::to_string(d.year) : "") + ")";
    for (const char* p : {"fp32", "fp16", "bf16", "int8"})
      if (auto v = d.peak(p)) line += std::string(", ") + p + " " + format_number(*v / 1e12) + " T";
    if (d.tdp_w.value) line += ", " + format_number(*d.tdp_w.value) + " W";
    if (!d.aliases.empty()) {
      line += "; aliases:";
      for (const auto& a : d.aliases) line += " " + a;
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> list_regions(const std::string& catalog_dir) {
  const auto catalog = RegionCatalog::load(data_dir("catalog", catalog_dir) + "/regions.yaml");
  std::vector<std::string> lines;
  for (const auto& r : catalog.all()) {
    std::string line = r.id + "\t" + r.name;
    if (r.intensity) line += ", " + format_number(r.intensity->value) + " kg/kWh (" + std::to_string(r.intensity->year) + ", " + r.basis + ")";
    else line += ", no figure: " + r.null_reason;
    lines.push_back(line);
  }
  return lines;
}

}  // namespace sml::footprint
