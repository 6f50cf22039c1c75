#include "data_table.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "sml/io/error.hpp"

namespace sml::describe {
namespace {

// Lines of a file through zlib: gzread passes an uncompressed file through unchanged, so .csv
// and .csv.gz take the same path. (zlib is Debian's zlib1g, already under libprotobuf: gzip is
// how tables are commonly shipped, and zlib is the reference reader of that format.)
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path), f_(gzopen(path.c_str(), "rb"), &gzclose) {
    if (!f_) throw InputError(path + ": cannot open");
  }
  // The next line without its end; false at the end of the file.
  bool next(std::string& line) {
    line.clear();
    char buf[8192];
    while (gzgets(f_.get(), buf, sizeof buf)) {
      line += buf;
      if (!line.empty() && line.back() == '\n') {
        line.pop_back();
        if (!line.empty() && line.back() == '\r') line.pop_back();
        ++number_;
        return true;
      }
      if (line.size() > kMaxLine) throw InputError(path_ + ":" + std::to_string(number_ + 1) + ": a line longer than 16 MiB");
    }
    int err = 0;
    const char* msg = gzerror(f_.get(), &err);
    // Z_BUF_ERROR at the end is a truncated gzip stream: refused, not read as a shorter table.
    if (err != Z_OK) throw InputError(path_ + ": " + (msg ? msg : "read error") + " (a damaged or cut gzip file?)");
    if (line.empty()) return false;
    ++number_;
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  static constexpr std::size_t kMaxLine = 16u << 20;
  std::string path_;
  std::unique_ptr<gzFile_s, int (*)(gzFile)> f_;
  std::size_t number_ = 0;
};

std::vector<std::string> split_row(const std::string& line, char sep) {
  std::vector<std::string> cells;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == sep && !quoted) { cells.push_back(cur); cur.clear(); }
    else cur += c;
  }
  cells.push_back(cur);
  return cells;
}

void add_row(Table& t, std::vector<std::string>&& cells, std::size_t line, const TableLimits& limits) {
  ++t.rows_total;
  t.widest_row = std::max(t.widest_row, cells.size());
  if (cells.size() > t.header.size()) {
    if (!t.ragged_rows) t.first_ragged_line = line;
    ++t.ragged_rows;
  }
  if (t.rows.size() < limits.keep_rows) t.rows.push_back(std::move(cells));
}

// A small JSON reader for objects of scalars: enough to take keys and values as text. Nested
// values are kept as "" (not a column a label or time can be in). Depth is bounded.
class Json {
 public:
  Json(const std::string& text, const std::string& where) : s_(text), where_(where) {}
  void ws() { while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_; }
  bool at(char c) { ws(); return i_ < s_.size() && s_[i_] == c; }
  bool done() { ws(); return i_ >= s_.size(); }
  void expect(char c) {
    if (!at(c)) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(where_ + ": not JSON: " + what + " at character " + std::to_string(i_ + 1));
  }
  std::string string() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (i_ >= s_.size()) fail("an unterminated string");
    ++i_;
    return out;
  }
  // A value as text: strings unquoted, numbers and literals as written, arrays/objects as "".
  std::string value(int depth = 0) {
    if (depth > 64) fail("nesting deeper than 64");
    ws();
    if (i_ >= s_.size()) fail("a missing value");
    if (s_[i_] == '"') return string();
    if (s_[i_] == '{' || s_[i_] == '[') {
      const char close = s_[i_] == '{' ? '}' : ']';
      const bool object = s_[i_] == '{';
      ++i_;
      if (at(close)) { ++i_; return ""; }
      for (;;) {
        if (object) { string(); expect(':'); }
        value(depth + 1);
        if (at(',')) { ++i_; continue; }
        expect(close);
        return "";
      }
    }
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '+' || s_[i_] == '.')) ++i_;
    if (i_ == start) fail("an unexpected character");
    return s_.substr(start, i_ - start);
  }
  // One object's key/value pairs, in order.
  std::vector<std::pair<std::string, std::string>> object() {
    std::vector<std::pair<std::string, std::string>> kv;
    expect('{');
    if (at('}')) { ++i_; return kv; }
    for (;;) {
      std::string k = string();
      expect(':');
      kv.emplace_back(std::move(k), value(1));
      if (at(',')) { ++i_; continue; }
      expect('}');
      return kv;
    }
  }

 private:
  const std::string& s_;
  std::string where_;
  std::size_t i_ = 0;
};

// Cells of one object in the table's column order; a key not seen before becomes a column.
void add_object(Table& t, const std::vector<std::pair<std::string, std::string>>& kv, std::size_t line, const TableLimits& limits) {
  std::vector<std::string> cells(t.header.size());
  for (const auto& [k, v] : kv) {
    auto it = std::find(t.header.begin(), t.header.end(), k);
    if (it == t.header.end()) {
      t.header.push_back(k);
      cells.push_back(v);
    } else {
      cells[static_cast<std::size_t>(it - t.header.begin())] = v;
    }
  }
  const std::size_t header = t.header.size();
  add_row(t, std::move(cells), line, limits);
  t.widest_row = std::max(t.widest_row, header);
}

}  // namespace

Table read_delimited(const std::string& path, const TableLimits& limits) {
  LineReader in(path);
  std::string name = path;
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) name.resize(name.size() - 3);
  const char sep = name.size() > 4 && name.compare(name.size() - 4, 4, ".tsv") == 0 ? '\t' : ',';
  Table t;
  std::string line;
  if (!in.next(line)) throw InputError(path + ": empty table");
  t.header = split_row(line, sep);
  while (t.rows_total < limits.max_rows && in.next(line))
    if (!line.empty()) add_row(t, split_row(line, sep), in.number(), limits);
  return t;
}

Table read_json_objects(const std::string& path, const TableLimits& limits) {
  LineReader in(path);
  Table t;
  std::string line, first;
  while (first.find_first_not_of(" \t") == std::string::npos && in.next(first)) {}
  const std::size_t start = first.find_first_not_of(" \t");
  if (start == std::string::npos) throw InputError(path + ": no JSON objects");
  if (first[start] == '[') {
    // A JSON array: the whole text (bounded by the line reader), then its objects one by one.
    std::string text = first;
    while (in.next(line)) {
      text += '\n';
      text += line;
      if (text.size() > (512u << 20)) throw InputError(path + ": a JSON array over 512 MiB; use JSON lines");
    }
    Json j(text, path);
    j.expect('[');
    if (!j.at(']'))
      for (std::size_t n = 1;; ++n) {
        if (t.rows_total < limits.max_rows) add_object(t, j.object(), n, limits);
        else j.value();
        if (j.at(',')) { j.expect(','); continue; }
        j.expect(']');
        break;
      }
    if (!j.done()) j.fail("text after the array");
  } else {
    auto one = [&](const std::string& l) {
      if (l.find_first_not_of(" \t") == std::string::npos) return;
      Json j(l, path + ":" + std::to_string(in.number()));
      add_object(t, j.object(), in.number(), limits);
      if (!j.done()) j.fail("text after the object");
    };
    one(first);
    while (t.rows_total < limits.max_rows && in.next(line)) one(line);
  }
  if (!t.rows_total) throw InputError(path + ": no JSON objects");
  // A header grown as keys appeared: earlier rows are padded, not ragged.
  for (auto& r : t.rows) r.resize(t.header.size());
  t.ragged_rows = 0;
  t.first_ragged_line = 0;
  return t;
}

void append_table(Table& all, Table&& more, const std::string& all_name, const std::string& more_name) {
  if (more.header != all.header)
    throw InputError(more_name + ": its header differs from " + all_name + "'s; a folder of tables must share one header");
  if (more.ragged_rows && !all.ragged_rows) all.first_ragged_line = more.first_ragged_line;
  all.ragged_rows += more.ragged_rows;
  all.rows_total += more.rows_total;
  all.widest_row = std::max(all.widest_row, more.widest_row);
  for (auto& r : more.rows) all.rows.push_back(std::move(r));
  ++all.files;
}

}  // namespace sml::describe
