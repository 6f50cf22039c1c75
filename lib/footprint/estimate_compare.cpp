// --compare: the same plan on other devices and in other regions, sorted by CO2e.
#include <algorithm>
#include <cmath>

#include "estimate_parts.hpp"

namespace sml::footprint::detail {

void add_compare(Doc& doc, Data& data, const Loaded& loaded, const hw::Device* train, const std::string& serve_id) {
  const EstimateOptions& o = data.options;
  const std::vector<std::string> devs = o.compare_devices.empty() ? std::vector<std::string>{serve_id} : o.compare_devices;
  const std::vector<std::string> regs = o.compare_regions.empty() ? std::vector<std::string>{o.region} : o.compare_regions;
  struct Row { std::string device, region; Sections s; Lifecycle l; };
  std::vector<Row> rows;
  for (const auto& dv : devs)
    for (const auto& rg : regs) {
      const hw::Device& what_if = data.device(dv);
      Row r{dv, rg, compute(data, loaded, train ? &what_if : nullptr, what_if, rg), {}};
      r.l = lifecycle(r.s);
      rows.push_back(std::move(r));
    }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    const double x = a.l.total ? a.l.total->expected : INFINITY, y = b.l.total ? b.l.total->expected : INFINITY;
    return x < y;
  });
  Doc& cmp = doc["compare"] = Doc::list();
  for (const auto& r : rows) {
    Doc d = Doc::map();
    d.set("device", r.s.ctx.device->id);
    d.set("region", r.region.empty() ? Doc() : Doc(r.region));
    if (r.s.training) d.set("training_time_s", r.s.training->time_s.expected);
    if (r.s.inference) d.set("latency_s", r.s.inference->latency_s.expected);
    if (r.l.energy_kwh) d.set("energy_kwh", r.l.energy_kwh->expected);
    d.set("co2e_kg", r.l.total ? Doc(r.l.total->expected) : Doc());
    cmp.push(d);
  }
}

}  // namespace sml::footprint::detail
