// A small ordered document tree that every tool builds its output in, so that YAML and JSON
// (`--format json`) print the same document (DESIGN.md §6). Keys keep insertion order.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sml {

class Doc {
 public:
  using List = std::vector<Doc>;
  using Map = std::vector<std::pair<std::string, Doc>>;

  Doc() = default;  // null
  Doc(std::nullptr_t) {}
  Doc(bool v) : value_(v) {}
  Doc(int v) : value_(static_cast<std::int64_t>(v)) {}
  Doc(long v) : value_(static_cast<std::int64_t>(v)) {}
  Doc(long long v) : value_(static_cast<std::int64_t>(v)) {}
  Doc(unsigned long v) : value_(static_cast<std::int64_t>(v)) {}
  Doc(unsigned long long v) : value_(static_cast<std::int64_t>(v)) {}
  Doc(double v) : value_(v) {}
  Doc(const char* v) : value_(std::string(v)) {}
  Doc(std::string v) : value_(std::move(v)) {}

  static Doc map() { Doc d; d.value_ = Map{}; return d; }
  static Doc list() { Doc d; d.value_ = List{}; return d; }

  // Map access: set() appends or replaces a key; operator[] creates a missing key as null.
  Doc& set(const std::string& key, Doc value);
  Doc& operator[](const std::string& key);
  const Doc* find(const std::string& key) const;
  // Appends KEY without looking for it first (set() does, which is quadratic over a whole
  // document read from a file): the caller knows the key is new.
  Doc& append_new(const std::string& key, Doc value);
  // List access.
  Doc& push(Doc value);

  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  bool is_map() const { return std::holds_alternative<Map>(value_); }
  bool is_list() const { return std::holds_alternative<List>(value_); }
  // A.B.C through nested maps; nullptr when any step is missing.
  const Doc* path(const std::string& dotted) const;
  std::optional<double> as_number() const;   // ints and doubles
  std::string as_string() const;             // strings; other scalars as printed
  const Map& as_map() const;
  const List& as_list() const;
  List& as_list();                           // to amend the items of a list in place
  std::size_t size() const;

  void write_yaml(std::ostream& out) const;
  void write_json(std::ostream& out) const;

 private:
  void write_yaml_value(std::ostream& out, int indent) const;
  bool is_flow_list() const;
  void write_json_value(std::ostream& out, int indent) const;

  std::variant<std::monostate, bool, std::int64_t, double, std::string, List, Map>
      value_;
};

// A number printed the way our documents print it: integers exactly, others with up to
// 6 significant digits (figures carry their own uncertainty elsewhere).
std::string format_number(double v);

}  // namespace sml

namespace sml {

// A new document of KIND ("estimate/v1"...) with the kind and generator lines every document
// starts with (DESIGN.md §3).
Doc new_document(const std::string& kind, const std::string& tool);

enum class Format { kYaml, kJson };
Format parse_format(const std::string& text);  // throws UsageError
void write_doc(std::ostream& out, const Doc& doc, Format format);

}  // namespace sml
