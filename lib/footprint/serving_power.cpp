// The power a serving device draws (issue 17): its rating, a published power mode or a --power-cap,
// the measured serving fraction of that budget under single-stream or batched load, not below idle,
// and the host's share on top for an accelerator; with the compute and memory clock scales a mode
// or cap implies. Split from serving.cpp, which turns this power and a query's time into energy.
#include "sml/footprint/serving.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/doc.hpp"
#include "sml/io/error.hpp"

namespace sml::footprint {

ServingPower serving_power(const hw::Device& d, const FootprintModel& model, const ServingPlan& plan) {
  ServingPower p;
  p.mode = "default";
  std::optional<double> top = d.tdp_w.value;
  std::string what = top ? "TDP " + format_number(*top) + " W" : "";
  if (!plan.power_mode.empty()) {
    const hw::PowerMode* mode = nullptr;
    std::string names;
    for (const auto& m : d.power_modes) {
      if (m.name == plan.power_mode) mode = &m;
      names += (names.empty() ? "" : ", ") + m.name;
    }
    if (!mode)
      throw InputError("--power-mode '" + plan.power_mode + "': device " + d.id + " has " +
                       (names.empty() ? "no published power modes" : "the modes " + names));
    p.mode = mode->name;
    if (!mode->power_w.value && !mode->clock_ratio)
      throw InputError("--power-mode '" + mode->name + "' of " + d.id + " has no power figure (" + mode->power_w.reason + ")");
    if (mode->clock_ratio) {
      p.peak_scale = *mode->clock_ratio;
    } else if (top && *mode->power_w.value < *top) {
      // No published clock for the mode: dynamic power ~ f·V² with V roughly following f, so the
      // clock a budget allows scales as the cube root of the power (a first-order DVFS rule).
      p.peak_scale = std::cbrt(*mode->power_w.value / *top);
    }
    if (mode->memory_ratio) p.memory_scale = *mode->memory_ratio;
    if (mode->power_w.value) {
      top = mode->power_w.value;
      what = "power mode " + mode->name + " (" + format_number(*top) + " W, " + mode->power_w.source + ")";
    } else if (top) {
      // A clock setting without a budget (MLPerf's MaxQ shmoo): dynamic power at a fixed voltage
      // falls in proportion to the clock (and faster where the voltage drops with it), so the
      // rating × the clock share bounds it from above.
      top = *top * p.peak_scale;
      what += " × clock share " + format_number(p.peak_scale) + " (power mode " + mode->name +
              " sets clocks, not a budget: " + mode->power_w.reason + ")";
    }
  }
  if (plan.power_cap_w) {
    if (*plan.power_cap_w <= 0) throw InputError("--power-cap must be more than 0 W");
    if (!top || *plan.power_cap_w < *top) {
      if (top) p.peak_scale *= std::cbrt(*plan.power_cap_w / *top);
      top = *plan.power_cap_w;
      what = "power cap " + format_number(*top) + " W (--power-cap; compute clock scaled by the cube root of cap / rating)";
      if (p.mode == "default") p.mode = "cap";
    }
  }
  if (!top || *top <= 0) {
    p.null_reason = "device " + d.id + " has no power figure (" + d.tdp_w.reason + "); give --power-cap W";
    return p;
  }
  // While queries run the device draws a published fraction of its budget (never below its idle
  // power, never above the budget); the host of an accelerator adds its share on top.
  const double idle = d.idle_w.value ? std::min(*d.idle_w.value, *top) : 0.0;
  if (model.serving_power) {
    // One query at a time leaves the device idle between kernels; a batch or concurrent requests
    // keep it busy: the observations measured under the same load (basis single-stream or batched)
    // set the centre, the spread of all of them the range.
    const bool batched = plan.batch > 1 || plan.sequences() > 1;
    const Parameter load = model.serving_power_for(d.name, batched);
    const Range f = load.range * *top;
    p.device_w = Range{std::max(idle, f.low), std::max(idle, f.expected), std::max(idle, f.high)};
    p.basis = what + " × measured serving power fraction " + format_number(load.range.low) + "–" + format_number(load.range.high) +
              " (" + std::to_string(load.observations.size()) + (batched ? " batched" : " single-stream") + " observation(s)" +
              (load.meaning.find(" only") != std::string::npos ? ", " + load.meaning.substr(load.meaning.rfind("observations on")) : "") +
              "; catalog/footprint.yaml serving_power)";
  } else {
    p.device_w = Range::exact(*top);
    p.basis = what;
  }
  if (d.idle_w.value) p.basis += "; not below the published idle " + format_number(*d.idle_w.value) + " W";
  if (plan.host_accelerators && !d.hosted())
    throw InputError("--host-accelerators: device " + d.id + " is its own system (class " + d.device_class +
                     "), not an accelerator in a host");
  if (d.hosted() && d.tdp_w.value) {
    // The host's share (CPUs, memory, fans) beyond the accelerator, measured per accelerator in training runs.
    const Range node = (model.system_power_for(d.name, d.device_class == "datacenter-tpu", d.tdp_rated).range + Range::exact(-1)) * *d.tdp_w.value;
    Range host{std::max(0.0, node.low), std::max(0.0, node.expected), std::max(0.0, node.high)};
    p.basis += "; system: + host share (measured system power per accelerator − TDP";
    if (plan.host_accelerators) {
      const Range server = serving_host_share(model, *plan.host_accelerators);
      host = Range{std::max(host.low, server.low), std::max(host.expected, server.expected), std::max(host.high, server.high)};
      p.basis += ", or, where larger, one server's host " + format_number(model.serving_host_power->range.low) + "–" +
                 format_number(model.serving_host_power->range.high) + " W (" +
                 std::to_string(model.serving_host_power->observations.size()) +
                 " one-accelerator server(s), catalog/footprint.yaml serving_host_power) shared by " +
                 std::to_string(*plan.host_accelerators) + " accelerator(s), --host-accelerators";
    }
    p.basis += ")";
    p.system_w = *p.device_w + host;
  } else {
    p.system_w = p.device_w;  // a board, SoC or CPU is its own system
  }
  return p;
}

Range serving_host_share(const FootprintModel& model, std::int64_t accelerators) {
  if (accelerators < 1) throw InputError("--host-accelerators must be at least 1");
  if (!model.serving_host_power)
    throw InputError("--host-accelerators: the footprint model has no serving_host_power (catalog/footprint.yaml)");
  return model.serving_host_power->range / static_cast<double>(accelerators);
}

}  // namespace sml::footprint
