#include "sml/describe/constraints.hpp"
#include "sml/io/text.hpp"

#include <cctype>

#include "constraint_readers.hpp"

namespace sml::describe {

std::string digits_for_number_words(std::string t) {
  static const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                "eighteen", "nineteen", "twenty"};
  for (int n = 20; n >= 2; --n) {
    const std::string w = words[n];
    for (std::size_t pos = t.find(w); pos != std::string::npos; pos = t.find(w, pos + 1))
      if ((pos == 0 || !std::isalpha(static_cast<unsigned char>(t[pos - 1]))) &&
          (pos + w.size() >= t.size() || !std::isalpha(static_cast<unsigned char>(t[pos + w.size()]))))
        t.replace(pos, w.size(), std::to_string(n));
  }
  return t;
}

Constraints parse_constraints(const std::string& original) {
  // An underscore inside a name joins its words as a dash does: "Walking_Upstairs" is one class of
  // the list "walking, walking_upstairs, ... or laying", not the end of a list.
  const std::string t = [&] {
    std::string v = digits_for_number_words(to_lower(original));
    for (std::size_t i = 1; i + 1 < v.size(); ++i)
      if (v[i] == '_' && std::isalpha(static_cast<unsigned char>(v[i - 1])) && std::isalpha(static_cast<unsigned char>(v[i + 1])))
        v[i] = '-';
    return v;
  }();
  Constraints c;
  // One reader per family (constraint_readers.hpp), in this order: the evidence follows it.
  read_rates(t, c);
  {
    std::string said;
    c.image_size_px = parse_image_size(t, &said);
    if (c.image_size_px) c.evidence.push_back(said);
  }
  read_accuracy(t, c);
  read_memory(t, c);
  read_budgets(t, c);
  read_data(t, c);
  read_classes(t, c);
  // One count is not both: "trained on those 3 actions" counts the kinds, no examples.
  if (c.data_samples && c.classes && *c.data_samples == *c.classes && c.evidence.size() >= 2 &&
      c.evidence[c.evidence.size() - 2].rfind(c.evidence.back(), 0) == 0) {
    c.data_samples.reset();
    c.evidence.erase(c.evidence.end() - 2);
  }
  return c;
}

Doc Constraints::doc() const {
  Doc d = Doc::map();
  auto put = [&](const char* key, const std::optional<double>& v) {
    if (v) d.set(key, *v);
  };
  put("latency_s", latency_s);
  put("throughput_fps", throughput_fps);
  put("accuracy_min", accuracy_min);
  put("memory_bytes", memory_bytes);
  put("energy_kwh_max", energy_kwh_max);
  put("co2e_kg_max", co2e_kg_max);
  put("data_samples", data_samples);
  put("data_hours", data_hours);
  put("data_bytes", data_bytes);
  put("classes", classes);
  if (image_size_px) {
    Doc& size = d["image_size_px"] = Doc::list();
    size.push(image_size_px->first);
    size.push(image_size_px->second);
  }
  return d;
}

}  // namespace sml::describe
