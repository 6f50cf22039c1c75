#include "sml/io/yaml_file.hpp"

#include <cmath>
#include <algorithm>
#include <dirent.h>
#include <regex>
#include <sstream>
#include <sys/stat.h>

#include <yaml-cpp/eventhandler.h>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"
#include "sml/io/text.hpp"

namespace sml {
namespace {

// A first pass over the parser's events: refuses aliases (how YAML bombs expand) and nesting
// deeper than 64, throwing from inside the parser before its recursion goes deeper.
struct Guard : YAML::EventHandler {
  std::string name;
  int depth = 0;
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    throw InputError(name + ":" + std::to_string(m.line + 1) + ": YAML aliases (*name) are not accepted");
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void open(const YAML::Mark& m) {
    if (++depth > 64) throw InputError(name + ":" + std::to_string(m.line + 1) + ": nested deeper than 64 levels");
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { open(m); }
  void OnSequenceEnd() override { --depth; }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { open(m); }
  void OnMapEnd() override { --depth; }
};

// Whether TEXT, read without parsing, surely has no alias and nests no deeper than 64, so that the
// Guard's second full parse can be skipped (it is half of reading a file; sml-describe reads 31 at
// each start). An alias or anchor starts a node: '*' or '&' after a space, a line start or a flow
// or block indicator. Block nesting needs a column per level or two ("- - x", a sequence at its
// key's indentation), flow nesting a bracket each. Anything else takes the full Guard.
bool surely_shallow_and_plain(const std::string& text) {
  std::size_t brackets = 0, deepest = 0, column = 0;
  bool leading = true;
  char prev = '\n';
  for (char c : text) {
    if ((c == '*' || c == '&') && (prev == ' ' || prev == '\t' || prev == '\n' || prev == '\r' || prev == '[' ||
                                   prev == '{' || prev == ',' || prev == ':' || prev == '-' || prev == '?'))
      return false;
    if (c == '[' || c == '{') ++brackets;
    if (c == '\n') {
      column = 0, leading = true;
    } else {
      if (leading && c != ' ' && c != '-' && c != '?' && c != '\t') leading = false, deepest = std::max(deepest, column);
      ++column;
    }
    prev = c;
  }
  return 2 * deepest + 2 + brackets <= 64;
}

}  // namespace

YamlFile parse_yaml(const std::string& text, const std::string& name) {
  YamlFile f{name, {}};
  try {
    if (!surely_shallow_and_plain(text)) {
      std::istringstream in(text);
      YAML::Parser parser(in);
      Guard guard;
      guard.name = name;
      // The first document only, as YAML::Load reads (yaml-cpp 0.7 can report documents forever
      // on some malformed input: found by fuzzing, tests/malformed/yaml-endless-documents.yaml).
      parser.HandleNextDocument(guard);
    }
    f.root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return f;
}

YamlFile load_yaml(const std::string& path) { return parse_yaml(read_input(path), display_name(path)); }

std::string where(const YamlFile& f, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return f.name + ": ";
  return f.name + ":" + std::to_string(m.line + 1) + ": ";
}

const YAML::Node require(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) throw InputError(where(f, map) + "expected a mapping with '" + key + "'");
  const YAML::Node v = map[key];
  if (!v) throw InputError(where(f, map) + "missing '" + key + "'");
  return v;
}

std::optional<std::string> opt_string(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return std::nullopt;
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return std::nullopt;
  if (!v.IsScalar()) throw InputError(where(f, v) + "'" + key + "': expected a string");
  return v.Scalar();
}

std::string get_string(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  require(f, map, key);
  auto s = opt_string(f, map, key);
  if (!s) throw InputError(where(f, map) + "'" + key + "' is null; expected a string");
  return *s;
}

std::optional<double> opt_number(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return std::nullopt;
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return std::nullopt;
  double d = 0;
  if (!v.IsScalar() || !YAML::convert<double>::decode(v, d) || !std::isfinite(d))
    throw InputError(where(f, v) + "'" + key + "': expected a number, got '" + (v.IsScalar() ? v.Scalar() : "a collection") + "'");
  return d;
}

std::optional<double> opt_nonnegative(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  const auto v = opt_number(f, map, key);
  if (v && *v < 0) throw InputError(where(f, map[key]) + "'" + key + "': expected a number >= 0, got " + map[key].Scalar());
  return v;
}

double get_number(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  require(f, map, key);
  auto d = opt_number(f, map, key);
  if (!d) throw InputError(where(f, map) + "'" + key + "' is null; expected a number");
  return *d;
}

void require_kind(const YamlFile& f, const std::string& kind) {
  const std::string got = get_string(f, f.root, "sml");
  if (got != kind) throw InputError(where(f, f.root) + "expected 'sml: " + kind + "', got '" + got + "'");
}

Figure read_figure(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  Figure fig;
  const YAML::Node n = map.IsMap() ? map[key] : YAML::Node();
  if (!n || n.IsNull()) {
    fig.reason = "not given";
    return fig;
  }
  if (!n.IsMap()) throw InputError(where(f, n) + "'" + key + "': expected {value, source, year} or {value: null, reason}");
  fig.value = opt_number(f, n, "value");
  if (fig.value) {
    fig.source = get_string(f, n, "source");
    if (auto y = opt_integer(f, n, "year", 1900, 2100)) fig.year = static_cast<int>(*y);
    if (*fig.value < 0) throw InputError(where(f, n) + "'" + key + "': negative value");
  } else {
    fig.reason = opt_string(f, n, "reason").value_or("no value given");
  }
  return fig;
}

YAML::Node sequence(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) throw InputError(where(f, map) + "expected a mapping with '" + key + "'");
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return YAML::Node(YAML::NodeType::Sequence);
  if (!v.IsSequence()) throw InputError(where(f, v) + "'" + key + "': expected a list");
  return v;
}

YAML::Node mapping(const YamlFile& f, const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) throw InputError(where(f, map) + "expected a mapping with '" + key + "'");
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return YAML::Node(YAML::NodeType::Map);
  if (!v.IsMap()) throw InputError(where(f, v) + "'" + key + "': expected a mapping");
  return v;
}

std::string key_text(const YamlFile& f, const YAML::Node& key) {
  if (!key.IsScalar()) throw InputError(where(f, key) + "a key that is not a plain name");
  return key.Scalar();
}

void throw_malformed(const YamlFile& f, const YAML::Exception& e) {
  throw InputError(f.name + (e.mark.line >= 0 ? ":" + std::to_string(e.mark.line + 1) : std::string()) +
                   ": not the expected structure (" + e.msg + ")");
}

std::vector<std::string> yaml_files(const std::string& dir, const std::string& what, int depth) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) throw InputError(dir + ": cannot open " + what);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) names.push_back(e->d_name);
  ::closedir(d);
  std::sort(names.begin(), names.end());
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (n.empty() || n[0] == '.') continue;
    const std::string path = dir + "/" + n;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode) && depth > 0) {
      const auto sub = yaml_files(path, what, depth - 1);
      out.insert(out.end(), sub.begin(), sub.end());
    } else if (S_ISREG(st.st_mode) && n.size() > 5 && ends_with(n, ".yaml")) {
      out.push_back(path);
    }
  }
  return out;
}

std::optional<long long> opt_integer(const YamlFile& f, const YAML::Node& map, const std::string& key, long long min,
                                     long long max) {
  auto v = opt_number(f, map, key);
  if (!v) return std::nullopt;
  if (*v != std::floor(*v) || *v < static_cast<double>(min) || *v > static_cast<double>(max))
    throw InputError(where(f, map[key]) + "'" + key + "': expected a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max));
  return static_cast<long long>(*v);
}

std::string document_kind(const std::string& text) {
  // A document in JSON (--format json) is YAML too: its kind is its first key's, when that is "sml".
  const auto open = text.find_first_not_of(" \t\r\n");
  if (open != std::string::npos && text[open] == '{') {
    static const std::regex first_key(R"re(^\s*\{\s*"sml"\s*:\s*"([^"\\]*)")re");
    std::smatch m;
    const std::string head = text.substr(0, 256);
    return std::regex_search(head, m, first_key) ? m[1].str() : "";
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#' || line.compare(first, 3, "---") == 0) continue;
    if (line.compare(0, 4, "sml:") != 0) return "";
    std::string kind = line.substr(4);
    kind.erase(0, kind.find_first_not_of(" \t"));
    const auto hash = kind.find(" #");
    if (hash != std::string::npos) kind.erase(hash);
    kind.erase(kind.find_last_not_of(" \t\r\"'") + 1);
    if (!kind.empty() && (kind.front() == '"' || kind.front() == '\'')) kind.erase(0, 1);
    return kind;
  }
  return "";
}

std::string what_it_is(const std::string& text) {
  const std::string kind = document_kind(text);
  if (!kind.empty()) return kind;
  if (text.find('\0') != std::string::npos) return "binary data (an ONNX model?)";
  return "text that is not an sml document (no 'sml: KIND' line)";
}

}  // namespace sml
