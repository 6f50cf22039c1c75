#include "sml/hw/roofline.hpp"

#include <algorithm>

#include "sml/io/error.hpp"

namespace sml::hw {

double bytes_per_element(const std::string& p) {
  if (p == "fp32" || p == "tf32") return 4;
  if (p == "fp16" || p == "bf16") return 2;
  if (p == "int8" || p == "fp8") return 1;
  throw InputError("--precision '" + p + "': expected fp32, tf32, fp16, bf16, fp8 or int8");
}

double peak_flops(const Device& device, const std::string& precision) {
  bytes_per_element(precision);  // validates the name
  if (auto v = device.peak(precision); v && *v > 0) return *v;
  std::string have;
  for (const auto& [p, fig] : device.peak_flops)
    if (fig.value) have += (have.empty() ? "" : ", ") + p;
  auto it = device.peak_flops.find(precision);
  const std::string why = it != device.peak_flops.end() && !it->second.reason.empty() ? " (" + it->second.reason + ")" : "";
  throw InputError(device.file + ": device " + device.id + " has no " + precision + " peak" + why +
                   "; it has: " + (have.empty() ? "none" : have) + " (--precision)");
}

RooflineTime roofline(const cost::Profile& profile, const Device& device, const std::string& precision, double work,
                      double bandwidth_share) {
  return roofline(profile, device, precision, std::vector<double>(profile.layers.size(), work), bandwidth_share);
}

RooflineTime roofline(const cost::Profile& profile, const Device& device, const std::string& precision, const std::vector<double>& work,
                      double bandwidth_share) {
  if (!(bandwidth_share > 0 && bandwidth_share <= 1)) throw InputError("roofline: bandwidth share outside (0, 1]");
  RooflineTime r;
  r.peak_flops = peak_flops(device, precision);
  if (!device.memory_bandwidth_bytes_per_s.value || *device.memory_bandwidth_bytes_per_s.value <= 0)
    throw InputError(device.file + ": device " + device.id + " has no memory bandwidth (" +
                     device.memory_bandwidth_bytes_per_s.reason + ")");
  r.bandwidth = *device.memory_bandwidth_bytes_per_s.value * bandwidth_share;
  const double bpe = bytes_per_element(precision);
  for (std::size_t i = 0; i < profile.layers.size(); ++i) {
    const auto& layer = profile.layers[i];
    const double compute = work.at(i) * layer.flops / r.peak_flops;
    const double memory = work.at(i) * layer.elements_moved * bpe / r.bandwidth;
    r.seconds += std::max(compute, memory);
    if (compute >= memory) r.compute_bound_seconds += compute;
  }
  return r;
}

}  // namespace sml::hw
