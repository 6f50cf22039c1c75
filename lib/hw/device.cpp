#include "sml/hw/device.hpp"

#include <algorithm>

#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"
#include "sml/io/suggest.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::hw {

namespace {
// power_modes: {name: {value: W|null, clock_ratio, memory_ratio, source|reason}}: the settings a
// device runs under (Jetson nvpmodel modes, MLPerf MaxQ clocks). device/v1 and hwprofile/v1 read it
// alike, so a measured board's profile can state the clocks its measurement ran at.
std::vector<PowerMode> read_power_modes(const YamlFile& f, const YAML::Node& r) {
  std::vector<PowerMode> modes;
  if (const YAML::Node node = r["power_modes"]; !node || node.IsNull()) return modes;
  for (const auto& kv : mapping(f, r, "power_modes")) {
    PowerMode m;
    m.name = key_text(f, kv.first);
    m.power_w = read_figure(f, r["power_modes"], m.name);
    if (auto c = opt_number(f, kv.second, "clock_ratio")) {
      if (*c <= 0 || *c > 1) throw InputError(where(f, kv.second) + "clock_ratio must be in (0, 1]");
      m.clock_ratio = *c;
    }
    if (auto c = opt_number(f, kv.second, "memory_ratio")) {
      if (*c <= 0 || *c > 1) throw InputError(where(f, kv.second) + "memory_ratio must be in (0, 1]");
      m.memory_ratio = *c;
    }
    modes.push_back(std::move(m));
  }
  return modes;
}

// generation: {value: NAME, source: DOCUMENT, year: Y}: the architecture, a claim with its source.
// Optional in the format (a device without one gets no generation's fitted training utilisation);
// every accelerator file shipped in hw/devices states one (tests/unit checks it).
void read_generation(const YamlFile& f, const YAML::Node& r, Device& d) {
  const YAML::Node g = r["generation"];
  if (!g || g.IsNull()) return;
  if (!g.IsMap()) throw InputError(where(f, g) + "'generation': expected {value, source, year}");
  const YAML::Node v = g["value"];
  if (!v || !v.IsScalar() || v.Scalar().empty())
    throw InputError(where(f, g) + "'generation': value must name the architecture (e.g. Hopper, TPU v4)");
  d.generation = v.Scalar();
  d.generation_source = get_string(f, g, "source");
  if (d.generation_source.empty()) throw InputError(where(f, g) + "'generation': empty source");
  if (auto y = opt_integer(f, g, "year", 1900, 2100)) d.generation_year = static_cast<int>(*y);
}

}  // namespace

Device parse_device(const YamlFile& f) {
  return guarded(f, [&] {
    const YAML::Node& r = f.root;
    require_kind(f, "device/v1");
    Device d;
    d.file = f.name;
    d.id = get_string(f, r, "id");
    d.name = opt_string(f, r, "name").value_or(d.id);
    d.device_class = get_string(f, r, "class");
    if (auto y = opt_integer(f, r, "year", 1900, 2100)) d.year = static_cast<int>(*y);
    for (const auto& alias : sequence(f, r, "aliases")) d.aliases.push_back(key_text(f, alias));
    read_generation(f, r, d);
    for (const auto& kv : mapping(f, r, "peak_flops")) d.peak_flops[key_text(f, kv.first)] = read_figure(f, r["peak_flops"], key_text(f, kv.first));
    d.memory_bytes = read_figure(f, r, "memory_bytes");
    d.memory_bandwidth_bytes_per_s = read_figure(f, r, "memory_bandwidth_bytes_per_s");
    d.memory_bandwidth_measured_bytes_per_s = read_figure(f, r, "memory_bandwidth_measured_bytes_per_s");
    d.host_link_bytes_per_s = read_figure(f, r, "host_link_bytes_per_s");
    d.l2_cache_bytes = read_figure(f, r, "l2_cache_bytes");
    d.sm_count = read_figure(f, r, "sm_count");
    d.peak_clock_hz = read_figure(f, r, "peak_clock_hz");
    const YAML::Node power = mapping(f, r, "power_w");
    d.tdp_w = read_figure(f, power, "tdp");
    if (const auto basis = opt_string(f, power, "tdp_basis")) {
      if (*basis != "rated" && *basis != "measured-max")
        throw InputError(where(f, power["tdp_basis"]) + "tdp_basis must be rated or measured-max");
      d.tdp_rated = *basis == "rated";
    }
    d.idle_w = read_figure(f, power, "idle");
    d.sustained_tensor_clock_ratio = read_figure(f, power, "sustained_tensor_clock_ratio");
    if (const auto& s = d.sustained_tensor_clock_ratio.value; s && (*s <= 0 || *s > 1))
      throw InputError(where(f, power["sustained_tensor_clock_ratio"]) + "sustained_tensor_clock_ratio must be in (0, 1]");
    d.single_stream_clock_ratio = read_figure(f, power, "single_stream_clock_ratio");
    if (const auto& s = d.single_stream_clock_ratio.value; s && (*s <= 0 || *s > 1))
      throw InputError(where(f, power["single_stream_clock_ratio"]) + "single_stream_clock_ratio must be in (0, 1]");
    d.power_modes = read_power_modes(f, r);
    if (const YAML::Node rt = r["runtime"]; rt && !rt.IsNull()) {
      if (!rt.IsMap()) throw InputError(where(f, rt) + "runtime: expected {id, name, source, year}");
      d.runtime.id = get_string(f, rt, "id");
      d.runtime.name = opt_string(f, rt, "name").value_or(d.runtime.id);
      d.runtime.fallback = opt_string(f, rt, "fallback").value_or("");
      d.runtime.source = get_string(f, rt, "source");  // a usual runtime is a claim: it carries its document
      for (const auto& p : sequence(f, rt, "precisions")) {
        const std::string name = key_text(f, p);
        static const char* const kKnown[] = {"fp32", "tf32", "fp16", "bf16", "int8"};
        if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return name == k; }))
          throw InputError(where(f, p) + "runtime.precisions: unknown precision '" + name + "' (fp32, tf32, fp16, bf16, int8)");
        d.runtime.precisions.push_back(name);
      }
      if (!d.runtime.precisions.empty()) d.runtime.precision_source = get_string(f, rt, "precision_source");  // a claim with its document
      if (auto y = opt_integer(f, rt, "year", 1900, 2100)) d.runtime.year = static_cast<int>(*y);
    }
    if (const YAML::Node e = r["embodied_co2e_kg"]; e && e.IsMap()) {
      d.embodied_co2e_kg = read_figure(f, r, "embodied_co2e_kg");
      d.embodied_method = opt_string(f, e, "method").value_or("");
    }
    return d;
  });
}

bool Device::hosted() const {
  return device_class == "datacenter-gpu" || device_class == "datacenter-tpu" || device_class == "desktop-gpu";
}

std::optional<double> Device::peak(const std::string& precision) const {
  auto it = peak_flops.find(precision);
  if (it == peak_flops.end()) return std::nullopt;
  return it->second.value;
}

DeviceCatalog DeviceCatalog::load(const std::string& dir) {
  DeviceCatalog c;
  for (const auto& path : yaml_files(dir, "the device catalogue")) {
    const YamlFile f = load_yaml(path);
    Device dev = parse_device(f);
    const std::size_t index = c.devices_.size();
    for (const auto& name : std::vector<std::string>{dev.id}) {
      if (!c.by_name_.emplace(name, index).second)
        throw InputError(path + ": device id '" + name + "' is also defined in " + c.devices_[c.by_name_[name]].file);
    }
    for (const auto& alias : dev.aliases) {
      auto [it, fresh] = c.by_name_.emplace(alias, index);
      if (!fresh && it->second != index)
        throw InputError(path + ": alias '" + alias + "' also names " + c.devices_[it->second].id);
    }
    c.devices_.push_back(std::move(dev));
  }
  return c;
}

const Device& DeviceCatalog::find(const std::string& id) const {
  auto it = by_name_.find(id);
  if (it != by_name_.end()) return devices_[it->second];
  std::vector<KnownId> known;
  for (const auto& d : devices_) known.push_back({d.id, d.aliases, ""});
  throw InputError(unknown_id_message("device", id, known, "sml-estimate --list devices"));
}

Device load_hwprofile(const std::string& path) { return parse_hwprofile(load_yaml(path)); }

Device parse_hwprofile(const YamlFile& f) {
  return guarded(f, [&] {
    require_kind(f, "hwprofile/v1");
    Device d;
    d.file = f.name;
    d.id = get_string(f, f.root, "name");
    d.name = d.id;
    // A profile may say what kind of device it is (server-cpu, desktop-gpu…), so runtimes fitted
    // per kind of device (catalog/footprint.yaml device_classes) apply to it.
    d.device_class = opt_string(f, f.root, "class").value_or("accelerator-model");
    const std::string source = opt_string(f, f.root, "source").value_or(f.name);
    auto fig = [&](const YAML::Node& map, const std::string& key) {
      const std::optional<double> v = opt_nonnegative(f, map, key);
      Figure x;
      x.value = v;
      x.source = source;
      if (!v) x.reason = "not in the profile";
      return x;
    };
    const YAML::Node peaks = mapping(f, f.root, "peak_flops");
    for (const auto& kv : peaks) d.peak_flops[key_text(f, kv.first)] = fig(peaks, key_text(f, kv.first));
    d.memory_bandwidth_bytes_per_s = fig(f.root, "memory_bandwidth_bytes_per_s");
    d.memory_bandwidth_measured_bytes_per_s = fig(f.root, "memory_bandwidth_measured_bytes_per_s");
    d.memory_bytes = fig(f.root, "memory_bytes");
    d.sm_count = fig(f.root, "sm_count");
    d.peak_clock_hz = fig(f.root, "peak_clock_hz");
    const YAML::Node power = mapping(f, f.root, "power_w");
    d.tdp_w = fig(power, "max");
    d.idle_w = fig(power, "idle");
    d.embodied_co2e_kg = fig(f.root, "embodied_co2e_kg");
    d.power_modes = read_power_modes(f, f.root);
    // Not used by the estimate yet, but a mistyped or negative value is still a broken profile.
    (void)fig(power, "typical");
    (void)fig(f.root, "energy_per_mac_j");
    (void)fig(f.root, "energy_per_dram_byte_j");
    return d;
  });
}

}  // namespace sml::hw
