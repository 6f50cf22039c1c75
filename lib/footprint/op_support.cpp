#include "sml/footprint/op_support.hpp"

#include <algorithm>
#include <filesystem>

#include "sml/io/error.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {

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
      for (const auto& o : sequence(f, f.root, "poorly_mapped")) {
        PoorBlock b;
        b.block = get_string(f, o, "block");
        b.why = get_string(f, o, "why");
        for (const auto& g : sequence(f, o, "gates")) b.gates.insert(key_text(f, g));
        const std::string gate = get_string(f, o, "gate_shape");
        if (gate != "same" && gate != "pooled")
          throw InputError(where(f, o) + "gate_shape must be same or pooled, not '" + gate + "'");
        b.pooled_gate = gate == "pooled";
        t.poorly_mapped.push_back(b);
      }
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

namespace {
// "1x40x1x1" → true: every dimension after the channel is 1.
bool pooled_in_space(const std::string& shape) {
  const auto first = shape.find('x');
  if (first == std::string::npos) return false;
  const auto second = shape.find('x', first + 1);
  if (second == std::string::npos) return false;
  for (std::size_t i = second; i < shape.size(); i += 2)
    if (shape.compare(i, 2, "x1") != 0 || (i + 2 < shape.size() && shape[i + 2] != 'x')) return false;
  return true;
}
}  // namespace

OpVerdict check_ops(const cost::Profile& profile, const OpTable& table) {
  OpVerdict v;
  // Blocks: a gate op and the next counted, non-constant layer a Mul (graph order is topological
  // and torchvision/ONNX exports write x·σ(x) and SE's scale as adjacent nodes).
  const cost::LayerCost* prev = nullptr;
  for (const auto& l : profile.layers) {
    if (l.constant || table.folded.count(l.op)) continue;
    if (prev && l.op == "Mul")
      for (const auto& b : table.poorly_mapped)
        if (b.gates.count(prev->op) &&
            (b.pooled_gate ? pooled_in_space(prev->output_shape) && prev->output_shape != l.output_shape
                           : prev->output_shape == l.output_shape))
          ++v.poorly_mapped[b.block];
    prev = &l;
  }
  for (const auto& l : profile.layers) {
    const std::string key = op_key(l);
    if (table.folded.count(l.op) || table.supported.count(key)) continue;
    if (table.unsupported.count(key)) ++v.unsupported[key];
    else ++v.unknown[key];
  }
  return v;
}

}  // namespace sml::footprint

namespace sml::footprint {

namespace {
std::string counted(const std::map<std::string, int>& m, const OpTable* t) {
  std::string out;
  for (const auto& [op, n] : m) {
    if (!out.empty()) out += "; ";
    out += op + " ×" + std::to_string(n);
    if (t) out += " (" + t->unsupported.at(op) + ")";
  }
  return out;
}
}  // namespace

std::string OpSupport::unsupported_text() const { return counted(ops.unsupported, table); }
std::string OpSupport::unplaced_text() const { return counted(ops.unknown, nullptr); }

std::vector<std::string> OpSupport::poor_texts() const {
  std::vector<std::string> out;
  for (const auto& b : table->poorly_mapped)
    if (ops.poorly_mapped.count(b.block))
      out.push_back(b.block + " blocks (×" + std::to_string(ops.poorly_mapped.at(b.block)) + "): " + b.why);
  return out;
}

std::string OpSupport::reason() const {
  if (!ops.unsupported.empty())
    return "operators " + table->runtime + " does not run: " + unsupported_text() + "; " + table->consequence +
           "; no fallback cost is published, so the latency is not replaced by one [" + table->source + "]";
  std::string out;
  if (!ops.unknown.empty()) out = "ops " + table->file + " does not place: " + unplaced_text();
  for (const auto& p : poor_texts()) out += (out.empty() ? "" : "; ") + ("the vendor says " + p);
  return out;
}

OpSupport op_support(const cost::Profile& profile, const OpTable& table) {
  OpSupport s;
  s.table = &table;
  s.ops = check_ops(profile, table);
  s.latency_holds = !s.ops.unsupported.empty() ? "no"
                    : !s.ops.unknown.empty() || !s.ops.poorly_mapped.empty() ? "unknown" : "yes";
  return s;
}

Doc op_support_doc(const OpSupport& s, const std::string& device_id) {
  Doc d = Doc::map();
  d.set("device", device_id);
  d.set("table", s.table->id);
  d.set("runtime", s.table->runtime);
  d.set("source", s.table->source);
  Doc& un = d["unsupported"] = Doc::list();
  for (const auto& [op, n] : s.ops.unsupported) {
    Doc o = Doc::map();
    o.set("op", op);
    o.set("layers", static_cast<long long>(n));
    o.set("why", s.table->unsupported.at(op));
    un.push(o);
  }
  Doc& up = d["unplaced"] = Doc::list();
  for (const auto& [op, n] : s.ops.unknown) {
    Doc o = Doc::map();
    o.set("op", op);
    o.set("layers", static_cast<long long>(n));
    up.push(o);
  }
  Doc& pm = d["poorly_mapped"] = Doc::list();
  for (const auto& b : s.table->poorly_mapped)
    if (s.ops.poorly_mapped.count(b.block)) {
      Doc o = Doc::map();
      o.set("block", b.block);
      o.set("count", static_cast<long long>(s.ops.poorly_mapped.at(b.block)));
      o.set("why", b.why);
      pm.push(o);
    }
  if (!s.ops.unsupported.empty()) d.set("consequence", s.table->consequence);
  d.set("latency_holds", s.latency_holds);
  if (s.latency_holds != "yes") d.set("reason", s.reason());
  return d;
}

}  // namespace sml::footprint
