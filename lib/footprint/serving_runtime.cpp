// Which runtime and precision serve a query on a device (issue 17): the catalogue entry a
// --runtime names or the device's usual runtime picks (fitted on this device class and processor),
// with the fallback and the basis said in words, and the precision that runtime or the device
// computes in. Split from serving.cpp, which costs the query once these are chosen.
#include "sml/footprint/serving.hpp"

#include <algorithm>

#include "sml/io/error.hpp"

namespace sml::footprint {

std::string serving_precision(const ServingPlan& plan, const Plan& base) {
  return plan.precision.empty() ? base.precision : plan.precision;
}

std::string serving_processor(const hw::Device& d) {
  const std::string& c = d.device_class;
  if (c.find("gpu") != std::string::npos || c == "apple-soc") return "gpu";
  if (c == "edge-board" && (d.sm_count.value || d.peak_clock_hz.value)) return "gpu";
  if (c.find("cpu") != std::string::npos || c == "edge-board" || c == "phone-soc") return "cpu";
  return "";  // TPUs, the Edge TPU, microcontrollers: runtimes of their own
}

namespace {
bool fitted_for(const Runtime& r, const std::string& device_class, const std::string& processor) {
  const bool class_ok = r.device_classes.empty() || device_class.empty() ||
                        std::find(r.device_classes.begin(), r.device_classes.end(), device_class) != r.device_classes.end();
  return class_ok && (r.processor.empty() || processor.empty() || r.processor == processor);
}

// The entry of ID ("id" or "id@build") whose device classes admit DEVICE_CLASS, or null. With no
// device class, an entry fitted for any device comes before class-specific ones: a CPU or phone
// asking for tflite must not get the Edge TPU's figures because that entry is listed first.
const Runtime* runtime_entry(const FootprintModel& model, const std::string& id, const std::string& device_class,
                             const std::string& processor) {
  const auto at = id.find('@');
  if (at != std::string::npos && (at + 1 == id.size() || at == 0))
    throw InputError("--runtime '" + id + "': expected NAME or NAME@BUILD with both parts given");
  const std::string base = id.substr(0, at);
  const auto matches = [&](const Runtime& r) {
    return r.id == base && (at == std::string::npos || r.build == id.substr(at + 1)) && fitted_for(r, device_class, processor);
  };
  if (device_class.empty() && processor.empty())
    for (const auto& r : model.runtimes)
      if (matches(r) && r.device_classes.empty() && r.processor.empty()) return &r;
  for (const auto& r : model.runtimes)
    if (matches(r)) return &r;
  return nullptr;
}
}  // namespace

const Runtime& find_runtime(const FootprintModel& model, const std::string& id, const std::string& device_class,
                            const std::string& processor) {
  if (const Runtime* r = runtime_entry(model, id, device_class, processor)) return *r;
  const std::string base = id.substr(0, id.find('@'));
  std::string ids, classes, builds, processors;
  for (const auto& r : model.runtimes) {
    if (r.id == base) {
      for (const auto& c : r.device_classes) classes += (classes.empty() ? "" : ", ") + c;
      if (!r.build.empty()) builds += (builds.empty() ? "" : ", ") + r.key();
      const bool build_ok = id.find('@') == std::string::npos || r.key() == id;
      if (build_ok && fitted_for(r, device_class, "") && !fitted_for(r, device_class, processor))
        processors += (processors.empty() ? "" : "; ") + r.key() + " on a " + r.processor;
    }
    if (ids.find(r.id) == std::string::npos) ids += (ids.empty() ? "" : ", ") + r.id;
  }
  if (base != id && !builds.empty() && builds.find(id) == std::string::npos)
    throw InputError("--runtime '" + id + "': no entry for that build; the catalogue has: " + builds);
  if (!processors.empty())
    throw InputError("--runtime '" + id + "': its catalogue parameters were fitted on another processor (" + processors +
                     "), not a " + processor);
  if (!classes.empty())
    throw InputError("--runtime '" + id + "': its catalogue parameters are for " + classes + " devices, not " + device_class);
  throw InputError("--runtime '" + id + "': unknown; the catalogue has: " + (ids.empty() ? "none" : ids));
}

RuntimeChoice choose_runtime(const hw::Device& d, const FootprintModel& model, const std::string& requested) {
  const std::string processor = serving_processor(d);
  if (!requested.empty()) return {&find_runtime(model, requested, d.device_class, processor), "--runtime " + requested};
  // Eager PyTorch when nothing better is known: what most models are written and first run in.
  const std::string general = "pytorch";
  const auto fitted = [&](const std::string& id) -> const Runtime* {
    const Runtime* r = runtime_entry(model, id, d.device_class, processor);
    return r && r->efficiency ? r : nullptr;
  };
  const hw::DeployRuntime& usual = d.runtime;
  if (usual.id.empty())
    return {&find_runtime(model, general), d.id + " names no usual deployment runtime (hw/devices runtime:): eager PyTorch, the general default"};
  const std::string named = "the usual runtime on " + d.id + ": " + usual.name + " (" + usual.source +
                            (usual.year ? ", " + std::to_string(usual.year) : "") + ")";
  // A device may name a runtime the catalogue does not know (Core ML): that is a fact about the
  // device, not a typo, so it falls back like an unfitted one.
  const Runtime* own = runtime_entry(model, usual.id, d.device_class, processor);
  if (own && own->efficiency) return {own, named};
  const std::string why = own ? usual.id + " has no fitted measurement (" + own->null_reason + ")"
                              : usual.id + " is not in catalog/footprint.yaml runtimes";
  if (!usual.fallback.empty())
    if (const Runtime* fb = fitted(usual.fallback))
      return {fb, named + "; " + why + ": costed with " + fb->id + "'s fitted parameters instead (" + fb->name + ")"};
  return {&find_runtime(model, general), named + "; " + why + ": costed with eager PyTorch's fitted parameters instead"};
}

namespace {
// The precision DEVICE computes in when no runtime document says more: int8 where it computes
// only in integers (microcontrollers through TFLite Micro, the Edge TPU), fp16 on GPUs that have
// a dense fp16 peak (what TensorRT, vLLM and HF serving use there), else fp32.
std::string class_precision(const hw::Device& d) {
  const bool integer_class = d.device_class == "microcontroller" || d.device_class == "edge-accelerator";
  if (integer_class && d.peak("int8")) return "int8";
  if (d.device_class.find("gpu") != std::string::npos && d.peak("fp16")) return "fp16";
  if (d.peak("fp32")) return "fp32";
  for (const char* p : {"fp16", "bf16", "int8"})
    if (d.peak(p)) return p;
  return "fp32";
}
}  // namespace

PrecisionChoice usual_precision(const hw::Device& d, const RuntimeChoice& choice) {
  std::string skipped;
  if (choice.runtime && !d.runtime.precisions.empty() && choice.runtime->id == d.runtime.id) {
    for (const auto& p : d.runtime.precisions) {
      if (auto v = d.peak(p); v && *v > 0) {
        std::string basis = "the usual precision of " + d.runtime.name + " on " + d.id + ": " + p + " (" + d.runtime.precision_source + ")";
        if (!skipped.empty()) basis += "; " + skipped + " has no peak figure for " + d.id + " (hw/devices peak_flops), so " + p;
        return PrecisionChoice{p, basis};
      }
      skipped += (skipped.empty() ? "" : ", ") + p;
    }
  }
  std::string basis = "the precision " + d.id + " computes in (" + d.device_class + ")";
  if (!skipped.empty()) basis += "; " + d.runtime.name + "'s " + skipped + " has no peak figure for " + d.id + " (hw/devices peak_flops)";
  return PrecisionChoice{class_precision(d), basis};
}

}  // namespace sml::footprint
