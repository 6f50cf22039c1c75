#include "sml/footprint/regions.hpp"

#include <algorithm>
#include <cctype>

#include "sml/io/error.hpp"
#include "sml/io/suggest.hpp"
#include "sml/io/yaml_file.hpp"
#include "sml/io/text.hpp"

namespace sml::footprint {
namespace {

SourcedValue sourced(const YamlFile& f, const YAML::Node& n, const std::string& value_key) {
  SourcedValue v;
  v.value = get_number(f, n, value_key);
  v.source = get_string(f, n, "source");
  if (auto y = opt_integer(f, n, "year", 1900, 2100)) v.year = static_cast<int>(*y);
  return v;
}

}  // namespace

RegionCatalog RegionCatalog::load(const std::string& path) { return parse(load_yaml(path)); }

RegionCatalog RegionCatalog::parse(const YamlFile& f) {
  return guarded(f, [&] {
    require_kind(f, "regions/v1");
    RegionCatalog c;
    std::map<std::string, SourcedValue> providers;  // cloud providers' fleet PUE
    if (const YAML::Node p = f.root["pue"]; p && p.IsMap())
      for (const auto& kv : p) {
        const std::string key = key_text(f, kv.first);
        if (key == "providers") {
          if (!kv.second.IsMap()) throw InputError(where(f, kv.second) + "pue.providers: expected a mapping");
          for (const auto& pv : kv.second) providers[key_text(f, pv.first)] = sourced(f, pv.second, "value");
        } else {
          c.pue_[key] = sourced(f, kv.second, "value");
        }
      }
    require(f, f.root, "regions");
    for (const auto& n : sequence(f, f.root, "regions")) {
      Region r;
      r.id = get_string(f, n, "id");
      r.name = opt_string(f, n, "name").value_or(r.id);
      r.kind = opt_string(f, n, "kind").value_or("");
      r.grid = opt_string(f, n, "grid").value_or("");
      r.basis = opt_string(f, n, "basis").value_or("");
      if (auto k = opt_number(f, n, "kg_per_kwh")) {
        if (*k < 0 || *k > 2) throw InputError(where(f, n) + "kg_per_kwh " + std::to_string(*k) + " is outside [0, 2]");
        SourcedValue v;
        v.value = *k;
        v.source = get_string(f, n, "source");
        if (auto y = opt_integer(f, n, "year", 1900, 2100)) v.year = static_cast<int>(*y);
        r.intensity = v;
      } else {
        r.null_reason = opt_string(f, n, "reason").value_or("no figure in the catalogue");
      }
      if (const YAML::Node p = n["pue"]; p && p.IsMap() && p["value"] && !p["value"].IsNull()) r.pue = sourced(f, p, "value");
      else if (auto provider = opt_string(f, n, "provider"); provider && providers.count(*provider)) r.pue = providers[*provider];
      for (const auto& existing : c.regions_)
        if (existing.id == r.id) throw InputError(where(f, n) + "region '" + r.id + "' is listed twice");
      c.regions_.push_back(std::move(r));
    }
    return c;
  });
}

const Region& RegionCatalog::find(const std::string& id) const {
  for (const auto& r : regions_)
    if (r.id == id || (r.id.find(':') == std::string::npos && to_upper(r.id) == to_upper(id))) return r;
  // Names count too, shown beside the id: "Germany" → DE (Germany).
  std::vector<KnownId> known;
  for (const auto& r : regions_) known.push_back({r.id, {r.name}, r.name == r.id ? "" : r.id + " (" + r.name + ")"});
  throw InputError(unknown_id_message("region", id, known, "sml-estimate --list regions"));
}

const SourcedValue& RegionCatalog::pue(const std::string& setting) const {
  auto it = pue_.find(setting);
  if (it == pue_.end()) {
    std::string known;
    for (const auto& [k, v] : pue_) known += (known.empty() ? "" : ", ") + k;
    throw InputError("--pue-setting '" + setting + "': expected one of " + known);
  }
  return it->second;
}

}  // namespace sml::footprint
