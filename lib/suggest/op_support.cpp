#include "sml/suggest/op_support.hpp"

#include <algorithm>
#include <filesystem>

#include "sml/io/yaml_file.hpp"

namespace sml::suggest {

std::vector<OpTable> load_op_tables(const std::string& dir) {
  std::vector<OpTable> tables;
  if (!std::filesystem::is_directory(dir)) return tables;
  for (const auto& path : yaml_files(dir, "operator-support")) {
    const YamlFile f = load_yaml(path);
    tables.push_back(guarded(f, [&] {
      require_kind(f, "operator-support/v1");
      OpTable t;
      t.file = path;
      t.id = get_string(f, f.root, "id");
      t.runtime = get_string(f, f.root, "runtime");
      t.source = get_string(f, f.root, "source");
      t.consequence = opt_string(f, f.root, "consequence").value_or("");
      for (const auto& d : sequence(f, f.root, "devices")) t.devices.push_back(key_text(f, d));
      for (const auto& d : sequence(f, f.root, "device_classes")) t.device_classes.push_back(key_text(f, d));
      for (const auto& o : sequence(f, f.root, "folded")) t.folded.insert(key_text(f, o));
      for (const auto& o : sequence(f, f.root, "supported")) t.supported.insert(get_string(f, o, "onnx"));
      for (const auto& o : sequence(f, f.root, "unsupported")) t.unsupported[get_string(f, o, "onnx")] = get_string(f, o, "why");
      return t;
    }));
  }
  return tables;
}

const OpTable* op_table_for(const std::vector<OpTable>& tables, const hw::Device& device) {
  for (const auto& t : tables)
    if (std::count(t.devices.begin(), t.devices.end(), device.id)) return &t;
  for (const auto& t : tables)
    if (std::count(t.device_classes.begin(), t.device_classes.end(), device.device_class)) return &t;
  return nullptr;
}

std::string op_key(const cost::LayerCost& l) {
  if (l.op == "MatMul") return l.params > 0 ? "MatMul:weights" : "MatMul:activations";
  if (l.op == "Conv" && std::count(l.output_shape.begin(), l.output_shape.end(), 'x') == 4) return "Conv:3d";
  return l.op;
}

OpVerdict check_ops(const cost::Profile& profile, const OpTable& table) {
  OpVerdict v;
  for (const auto& l : profile.layers) {
    const std::string key = op_key(l);
    if (table.folded.count(l.op) || table.supported.count(key)) continue;
    if (table.unsupported.count(key)) ++v.unsupported[key];
    else ++v.unknown[key];
  }
  return v;
}

}  // namespace sml::suggest
