// Constraints and deployment stated in a problem description, normalised to the units of the
// task/v1 keys (DESIGN.md §6): "under 20 ms" → latency_s 0.02, "30 fps" → throughput_fps 30,
// "at least 92% accuracy" → accuracy_min 0.92, "200 MB of RAM" → memory_bytes 2e8, "40k images"
// → data_samples 40000, "500 hours of audio" → data_hours 500, "on a T4" → nvidia-t4. Only what
// the text states: nothing is inferred.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sml/io/doc.hpp"

namespace sml::describe {

struct Constraints {
  std::optional<double> latency_s, throughput_fps, accuracy_min, memory_bytes, energy_kwh_max, co2e_kg_max,
      data_samples, data_hours, classes;
  // A volume of text held ("2 GB of our legal contracts"): bytes, not a count of examples; sml-suggest
  // turns it into samples through the task's tokens per sample.
  std::optional<double> data_bytes;
  // The width and height in pixels of the images or frames that come in ("1280x720 frames",
  // "1080p cameras"): task/v1 constraints.image_size_px [width, height].
  std::optional<std::pair<double, double>> image_size_px;
  std::vector<std::string> evidence;  // the phrases they were read from
  // Which items of evidence ([from, to)) each figure was read from, noted by parse_constraints as
  // its readers run (constraints.cpp): the one record of where a figure's evidence lies.
  struct Source {
    std::optional<double> Constraints::*figure;
    std::size_t from, to;
  };
  std::vector<Source> sources;
  // Unsets FIGURE and removes the evidence it was read from (none where it has no source), keeping the
  // other items, and their sources, in order.
  void drop(std::optional<double> Constraints::*figure);
  Doc doc() const;  // only the keys that were stated
};

struct Deployment {
  std::optional<std::string> device, region;
  // A device the text names that the catalogue does not know ("a Hailo-8 board"), kept as written:
  // never replaced by the nearest known one. device_class: "phone", "laptop"... when only that is said.
  std::optional<std::string> device_text, device_class;
  // The text named a line or kind of machine ("an old Intel NUC", "an Orin Nano") that the catalogue
  // resolves to one model of it: why that model was picked, so that sml-suggest lists it as assumed.
  std::optional<std::string> device_assumed;
  // A country the text places the work in that has no grid region in the catalogue ("farms in
  // Malawi"), as written: region unknown, never replaced by a neighbour or the world average.
  std::optional<std::string> region_text;
  std::optional<double> queries_per_day, years;
  // The length of a request and of its answer in tokens, when the text gives them ("prompts of ~2k
  // tokens, answers up to 300 tokens"): what sml-estimate's --prompt-tokens/--output-tokens take.
  std::optional<double> prompt_tokens, output_tokens;
  // The input is a stream the model watches all day ("listens all day", "always on", "24/7"):
  // with no stated load, sml-suggest costs each candidate on every window of its own input.
  bool continuous = false;
  std::vector<std::string> mentions;  // the lowercase words the device and region were read from
  // Devices named as where a model is trained ("fine-tune it using one A100"), with their memory:
  // masked out of the task and the numbers like a mention, but no deployment device.
  std::vector<std::string> training_mentions;
  // The catalogue id of the first of them: task/v1 training.device, where sml-suggest costs training.
  std::optional<std::string> training_device;
  Doc doc() const;
};

// Named things the text may mention: devices (id plus names and aliases) and regions.
struct KnownNames {
  std::vector<std::pair<std::string, std::string>> devices;  // lowercase name -> device id
  std::vector<std::pair<std::string, std::string>> regions;  // lowercase name -> region id
  // Ids of boards and modules sold by their memory ("Jetson AGX Orin 64GB", "Orin Nano 8GB"): the
  // size in such a name picks the model, it states no memory limit (a card's "A100 80GB" does).
  std::set<std::string> boards;
};

Constraints parse_constraints(const std::string& text);
// lib/describe/image_size.cpp: the image or frame size LOWER (lower-case text) states, with the
// phrase it was read from in EVIDENCE; none when it states none.
std::optional<std::pair<double, double>> parse_image_size(const std::string& lower, std::string* evidence);
// Whether the place named at POS of the lowercase text is only what the data shows ("tiles covering
// Vietnam"), not where the organisation is.
bool place_is_shown(const std::string& lower, std::size_t pos);
// TEXT (any case; positions kept) with the places that are not where the system runs blanked: where
// the data came from ("records from the Cleveland clinic", "recordings from Costa Rica") and labels
// listed for scoring ("against labels ... (sport, Europe, Germany)").
std::string without_data_places(std::string text);
// "three defect types" reads as "3 defect types" (two to twenty, whole words only).
std::string digits_for_number_words(std::string text);
Deployment parse_deployment(const std::string& text, const KnownNames& names);

// lib/describe/near_names.cpp. A device named with a slip ("raspbery pi 4") or cut short after its
// model number ("arduino nano 33 ble" for "... ble sense"): the one device it can only be, or
// nothing when two fit equally (an unknown device is kept as text, never replaced by a near miss).
// MATCHED gets the text read. TEXT is lower case.
std::optional<std::string> find_name_near(const std::string& text, const std::vector<std::pair<std::string, std::string>>& names,
                                          std::vector<std::string>& matched);
// The variant of device ID (found by NAME) whose memory the text states: "A100 (80 GB each)" is
// the 80 GB A100, not the 40 GB one the bare name stands for. ID itself when none is stated.
std::string variant_by_memory(const std::string& text, const std::string& id, const std::string& name,
                              const std::vector<std::pair<std::string, std::string>>& names);

}  // namespace sml::describe
