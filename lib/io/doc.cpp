#include "sml/io/doc.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <cstdlib>
#include "sml/io/doc_stats.hpp"
#include "sml/io/text.hpp"

namespace sml {

namespace {
thread_local std::uint64_t key_comparisons = 0;  // doc_key_comparisons()
}  // namespace

std::uint64_t doc_key_comparisons() { return key_comparisons; }

std::string format_number(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  if (v == std::floor(v) && std::fabs(v) < 9.007e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

Doc& Doc::set(const std::string& key, Doc value) {
  Doc& slot = (*this)[key];
  slot = std::move(value);
  return slot;
}

Doc& Doc::operator[](const std::string& key) {
  if (is_null()) value_ = Map{};
  auto* m = std::get_if<Map>(&value_);
  if (!m) throw std::logic_error("Doc: key access on a non-map");
  for (auto& kv : *m) {
    ++key_comparisons;
    if (kv.first == key) return kv.second;
  }
  m->emplace_back(key, Doc());
  return m->back().second;
}

Doc& Doc::append_new(const std::string& key, Doc value) {
  if (is_null()) value_ = Map{};
  auto* m = std::get_if<Map>(&value_);
  if (!m) throw std::logic_error("Doc: key access on a non-map");
  m->emplace_back(key, std::move(value));
  return m->back().second;
}

const Doc* Doc::find(const std::string& key) const {
  if (auto* m = std::get_if<Map>(&value_))
    for (auto& kv : *m) {
      ++key_comparisons;
      if (kv.first == key) return &kv.second;
    }
  return nullptr;
}

Doc& Doc::push(Doc value) {
  if (is_null()) value_ = List{};
  auto* l = std::get_if<List>(&value_);
  if (!l) throw std::logic_error("Doc: push on a non-list");
  l->push_back(std::move(value));
  return l->back();
}

const Doc* Doc::path(const std::string& dotted) const {
  const Doc* d = this;
  std::size_t start = 0;
  while (d && start <= dotted.size()) {
    const auto dot = dotted.find('.', start);
    d = d->find(dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return d;
}

std::optional<double> Doc::as_number() const {
  if (auto* i = std::get_if<std::int64_t>(&value_)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&value_)) return *d;
  return std::nullopt;
}

std::string Doc::as_string() const {
  if (auto* s = std::get_if<std::string>(&value_)) return *s;
  if (auto n = as_number()) return format_number(*n);
  if (auto* b = std::get_if<bool>(&value_)) return *b ? "true" : "false";
  return "";
}

const Doc::Map& Doc::as_map() const { return std::get<Map>(value_); }
const Doc::List& Doc::as_list() const { return std::get<List>(value_); }
Doc::List& Doc::as_list() { return std::get<List>(value_); }
std::size_t Doc::size() const {
  if (is_map()) return as_map().size();
  if (is_list()) return as_list().size();
  return 0;
}

namespace {

// YAML plain scalars that would be read back as something else need quotes.
bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  static const char* special[] = {"null", "Null", "NULL", "~", "true", "True", "TRUE", "false",
                                  "False", "FALSE", "yes", "no", "on", "off", "Yes", "No", "On", "Off"};
  for (const char* w : special)
    if (s == w) return true;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (end && *end == '\0') return true;  // looks like a number
  if (s.front() == ' ' || s.back() == ' ') return true;
  if (std::string("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string::npos) return true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c < 0x80) continue;
    const std::size_t n = utf8_sequence(s, i);  // not UTF-8, or a C1 control: escaped in quotes
    if (n == 0 || (c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0)) return true;
    i += n - 1;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  return false;
}

// Text from files may hold bytes that are not UTF-8: they become U+FFFD, and DEL and the C1
// controls are escaped, so strict JSON and YAML parsers accept the document.
void write_json_string(std::ostream& out, const std::string& text) {
  const std::string s = utf8_clean(text);
  out << '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x7f || (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c == 0x7f ? 0x7fu : static_cast<unsigned>(static_cast<unsigned char>(s[++i])));
      out << buf;
      continue;
    }
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\t': out << "\\t"; break;
      case '\r': out << "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out << buf;
        } else {
          out << c;
        }
    }
  }
  out << '"';
}

bool is_scalar(const Doc& d) { return !d.is_map() && !d.is_list(); }

}  // namespace

// Flow style for short lists of numbers (shapes); block style for anything else.
bool Doc::is_flow_list() const {
  const auto* l = std::get_if<List>(&value_);
  if (!l || l->size() > 16) return false;
  for (auto& v : *l)
    if (!std::holds_alternative<std::int64_t>(v.value_) && !std::holds_alternative<double>(v.value_) &&
        !std::holds_alternative<std::monostate>(v.value_))
      return false;
  return true;
}

void Doc::write_yaml(std::ostream& out) const {
  if (is_scalar(*this)) {
    write_yaml_value(out, 0);
    out << '\n';
    return;
  }
  write_yaml_value(out, 0);
}

// Block style for maps and lists; empty containers and lists of scalars print in flow style,
// which keeps shapes such as [1, 3, 224, 224] on one line.
void Doc::write_yaml_value(std::ostream& out, int indent) const {
  const std::string pad(indent, ' ');
  if (auto* m = std::get_if<Map>(&value_)) {
    if (m->empty()) { out << "{}\n"; return; }
    for (auto& [k, v] : *m) {
      out << pad;
      if (needs_quotes(k)) write_json_string(out, k);
      else out << k;
      out << ":";
      if (v.is_map() && v.size() > 0) {
        out << '\n';
        v.write_yaml_value(out, indent + 2);
      } else if (v.is_list() && v.size() > 0 && !v.is_flow_list()) {
        out << '\n';
        v.write_yaml_value(out, indent);
      } else {
        out << ' ';
        v.write_yaml_value(out, indent + 2);
      }
    }
    return;
  }
  if (auto* l = std::get_if<List>(&value_)) {
    if (is_flow_list()) {
      out << '[';
      for (std::size_t i = 0; i < l->size(); ++i) {
        if (i) out << ", ";
        std::ostringstream tmp;
        (*l)[i].write_json_value(tmp, 0);  // flow scalars: JSON spelling is valid YAML
        out << tmp.str();
      }
      out << "]\n";
      return;
    }
    for (auto& v : *l) {
      out << pad << "- ";
      if (v.is_list() && v.size() > 0) {
        out << '\n';
        v.write_yaml_value(out, indent + 2);
      } else if (v.is_map() && v.size() > 0) {
        // First key on the dash line, the rest indented under it.
        std::ostringstream tmp;
        v.write_yaml_value(tmp, indent + 2);
        out << tmp.str().substr(indent + 2);
      } else {
        v.write_yaml_value(out, indent + 2);
      }
    }
    return;
  }
  if (std::holds_alternative<std::monostate>(value_)) out << "null\n";
  else if (auto* b = std::get_if<bool>(&value_)) out << (*b ? "true" : "false") << '\n';
  else if (auto* i = std::get_if<std::int64_t>(&value_)) out << *i << '\n';
  else if (auto* d = std::get_if<double>(&value_)) out << format_number(*d) << '\n';
  else {
    const auto& s = std::get<std::string>(value_);
    if (needs_quotes(s)) write_json_string(out, s);  // a JSON string is a valid YAML string
    else out << s;
    out << '\n';
  }
}

void Doc::write_json(std::ostream& out) const {
  write_json_value(out, 0);
  out << '\n';
}

void Doc::write_json_value(std::ostream& out, int indent) const {
  const std::string pad(indent + 2, ' ');
  if (auto* m = std::get_if<Map>(&value_)) {
    if (m->empty()) { out << "{}"; return; }
    out << "{\n";
    for (std::size_t i = 0; i < m->size(); ++i) {
      out << pad;
      write_json_string(out, (*m)[i].first);
      out << ": ";
      (*m)[i].second.write_json_value(out, indent + 2);
      out << (i + 1 < m->size() ? ",\n" : "\n");
    }
    out << std::string(indent, ' ') << '}';
    return;
  }
  if (auto* l = std::get_if<List>(&value_)) {
    if (l->empty()) { out << "[]"; return; }
    bool scalars = true;
    for (auto& v : *l) scalars = scalars && is_scalar(v);
    out << '[';
    for (std::size_t i = 0; i < l->size(); ++i) {
      if (!scalars) out << '\n' << pad;
      (*l)[i].write_json_value(out, indent + 2);
      if (i + 1 < l->size()) out << (scalars ? ", " : ",");
    }
    if (!scalars) out << '\n' << std::string(indent, ' ');
    out << ']';
    return;
  }
  if (std::holds_alternative<std::monostate>(value_)) out << "null";
  else if (auto* b = std::get_if<bool>(&value_)) out << (*b ? "true" : "false");
  else if (auto* i = std::get_if<std::int64_t>(&value_)) out << *i;
  else if (auto* d = std::get_if<double>(&value_)) {
    if (std::isfinite(*d)) out << format_number(*d);
    else out << "null";  // JSON has no NaN/Inf
  } else {
    write_json_string(out, std::get<std::string>(value_));
  }
}

}  // namespace sml

#include "sml/io/error.hpp"

namespace sml {

Doc new_document(const std::string& kind, const std::string& tool) {
  Doc d = Doc::map();
  d.set("sml", kind);
  d.set("generator", tool + " " + SML_VERSION);
  return d;
}

Format parse_format(const std::string& text) {
  if (text == "yaml") return Format::kYaml;
  if (text == "json") return Format::kJson;
  throw UsageError("--format '" + text + "': expected yaml or json");
}

void write_doc(std::ostream& out, const Doc& doc, Format format) {
  if (format == Format::kJson) doc.write_json(out);
  else doc.write_yaml(out);
}

}  // namespace sml
