#include "sml/describe/describe.hpp"

#include <algorithm>
#include <cctype>

#include "sml/describe/constraints.hpp"
#include "sml/describe/model_segments.hpp"
#include "sml/describe/text_task.hpp"
#include "sml/footprint/regions.hpp"
#include "sml/hw/device.hpp"
#include "sml/io/data_path.hpp"
#include "sml/io/error.hpp"
#include "sml/io/text.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::describe {
namespace {

// Device names people write: ids, aliases with spaces for dashes, and names without the vendor.
KnownNames known_names(const std::string& hw_dir, const std::string& catalog_dir) {
  KnownNames k;
  const auto devices = hw::DeviceCatalog::load(data_dir("hw", hw_dir) + "/devices");
  for (const auto& d : devices.all()) {
    std::vector<std::string> names = {d.id, to_lower(d.name)};
    const auto paren = names[1].find(" (");
    if (paren != std::string::npos) names.push_back(names[1].substr(0, paren));  // "… 8380 (ice lake-sp)"
    for (const auto& a : d.aliases) names.push_back(a);
    for (const auto& full : std::vector<std::string>(names.begin() + 1, names.end())) {
      const auto space = full.find(' ');
      if (space != std::string::npos) names.push_back(full.substr(space + 1));  // without the vendor
    }
    for (auto name : std::vector<std::string>(names)) {
      std::replace(name.begin(), name.end(), '-', ' ');
      names.push_back(name);
    }
    for (const auto& n : names)
      if (n.size() >= 2 && !std::all_of(n.begin(), n.end(), ::isdigit)) k.devices.emplace_back(n, d.id);
  }
  const auto regions = footprint::RegionCatalog::load(data_dir("catalog", catalog_dir) + "/regions.yaml");
  for (const auto& r : regions.all()) {
    if (r.kind == "cloud") {
      k.regions.emplace_back(to_lower(r.id), r.id);
      continue;
    }
    std::string name = to_lower(r.name);
    const auto paren = name.find(" (");
    if (paren != std::string::npos) name = name.substr(0, paren);  // "virginia (us), egrid…" -> "virginia"
    if (r.kind != "world" && r.kind != "union") k.regions.emplace_back(name, r.id);
    if (r.id.find('-') != std::string::npos) k.regions.emplace_back(to_lower(r.id), r.id);
  }
  return k;
}

}  // namespace

Doc describe_text(const DescribeOptions& o) {
  std::string text = o.text;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }))
    throw InputError(o.source_name + ": empty problem description");
  if (text.size() > 100000) throw InputError(o.source_name + ": a problem description longer than 100,000 characters");
  const std::string catalog = data_dir("catalog", o.catalog_dir);
  auto tasks = load_taxonomy(catalog + "/tasks");
  for (auto& g : load_out_of_scope(catalog + "/out-of-scope.yaml")) tasks.push_back(std::move(g));
  const TaskClassifier classifier(tasks);
  TextClassification result = classifier.classify(text);
  auto find_task = [&](const std::string& id) -> const Task* {
    for (const auto& t : tasks)
      if (t.id == id) return &t;
    return nullptr;
  };
  // When a kind of request the catalogue does not cover fits best, say so, and give the nearest
  // real task a low confidence rather than a confident guess.
  const Task* outside = find_task(result.ranked.front().id);
  if (!outside->out_of_scope) outside = nullptr;
  std::vector<TaskGuess> ranked;
  for (const auto& g : result.ranked)
    if (!find_task(g.id)->out_of_scope) ranked.push_back(g);
  if (outside) ranked.front().confidence = std::min(ranked.front().confidence, 0.5 * kLowConfidence);
  result.ranked = ranked;
  const Task* best = find_task(result.ranked.front().id);

  Doc doc = new_document("task/v1", "sml-describe");
  Doc& in = doc["input"] = Doc::map();
  in.set("source", o.source_name);
  in.set("text", text);
  Doc& task = doc["task"] = Doc::map();
  task.set("id", best->id);
  task.set("name", best->name);
  task.set("confidence", result.ranked.front().confidence);
  Doc& alt = task["alternatives"] = Doc::list();
  for (std::size_t i = 1; i < result.ranked.size() && static_cast<int>(i) <= o.alternatives; ++i) {
    Doc a = Doc::map();
    a.set("id", result.ranked[i].id);
    a.set("confidence", result.ranked[i].confidence);
    alt.push(a);
  }
  Doc& ev = task["evidence"] = Doc::list();
  for (const auto& e : result.evidence) ev.push(e);
  if (outside)
    task.set("note", "this reads as " + outside->message + "; the nearest catalogue tasks are listed with low confidence");
  else if (result.ranked.front().confidence < kLowConfidence)
    task.set("note", "low confidence: the text fits no task in the catalogue well; the nearest are listed");
  task.set("description", best->description);

  Doc& mods = doc["modalities"] = Doc::list();
  for (const auto& m : best->modalities) mods.push(m);
  Doc& segs = doc["segments"] = Doc::list();
  Doc& roles = doc["segment_roles"] = Doc::list();
  for (const auto& s : best->segments) {
    segs.push(s.name);
    Doc r = Doc::map();
    r.set("name", s.name);
    r.set("role", s.role);
    roles.push(r);
  }
  Doc& metrics = doc["metrics"] = Doc::list();
  for (const auto& [name, meaning] : best->metrics) {
    Doc m = Doc::map();
    m.set("name", name);
    m.set("meaning", meaning);
    metrics.push(m);
  }
  if (!best->data_scale.empty()) doc.set("data_scale", best->data_scale);

  const Constraints c = parse_constraints(text);
  doc.set("constraints", c.doc());
  const Deployment d = parse_deployment(text, known_names(o.hw_dir, o.catalog_dir));
  doc.set("deployment", d.doc());
  if (!c.evidence.empty()) {
    Doc& ce = doc["constraint_evidence"] = Doc::list();
    for (const auto& e : c.evidence) ce.push(e);
  }
  return doc;
}

Doc describe_input(DescribeOptions o) {
  if (const std::string kind = document_kind(o.text); !kind.empty())
    throw InputError("expected a problem in words or an ONNX model, got " + kind + " from " + o.source_name);
  if (o.text.find('\0') != std::string::npos) {
    // A model's protobuf is full of control bytes (every field tag below 0x20 is one); text with
    // a stray NUL but nothing else unprintable is still text (issue 20), its NULs read as spaces.
    bool binary = false;
    for (std::size_t i = 0; i < o.text.size() && !binary;) {
      const auto c = static_cast<unsigned char>(o.text[i]);
      const std::size_t n = utf8_sequence(o.text, i);
      binary = (c < 0x20 && c != 0 && c != '\n' && c != '\r' && c != '\t') || n == 0;
      i += n ? n : 1;
    }
    if (binary) return describe_model_bytes(std::move(o.text), o.source_name);
    std::replace(o.text.begin(), o.text.end(), '\0', ' ');
  }
  return describe_text(o);
}

}  // namespace sml::describe
