#include "sml/io/yaml_plain.hpp"

#include <yaml.h>

#include <set>
#include <utility>
#include <vector>

namespace sml {
namespace {

// parse_yaml refuses nesting deeper than this (its Guard): such text goes to it for the message.
constexpr std::size_t kMaxDepth = 64;

struct Parser {
  yaml_parser_t p;
  Parser() { yaml_parser_initialize(&p); }
  ~Parser() { yaml_parser_delete(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

struct Event {
  yaml_event_t e;
  bool live = false;
  ~Event() {
    if (live) yaml_event_delete(&e);
  }
};

// A collection being built, and for a mapping the key read but not yet given its value.
struct Open {
  YAML::Node node;
  bool is_map = false;
  std::optional<YAML::Node> key;
  std::set<std::string> keys;
};

bool is_null_text(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

}  // namespace

std::optional<YamlFile> parse_yaml_plain(const std::string& text, const std::string& name) {
  Parser parser;
  yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::vector<Open> open;
  std::optional<YAML::Node> root;
  int documents = 0;
  // Adds a finished node to its parent; false when the text leaves what this reader takes.
  auto place = [&](YAML::Node n) {
    if (open.empty()) {
      root = std::move(n);
      return true;
    }
    Open& parent = open.back();
    if (!parent.is_map) {
      parent.node.push_back(n);
      return true;
    }
    if (!parent.key) {
      if (!n.IsScalar() || !parent.keys.insert(n.Scalar()).second) return false;
      parent.key = std::move(n);
      return true;
    }
    parent.node.force_insert(*parent.key, n);
    parent.key.reset();
    return true;
  };
  for (;;) {
    Event ev;
    if (!yaml_parser_parse(&parser.p, &ev.e)) return std::nullopt;
    ev.live = true;
    switch (ev.e.type) {
      case YAML_STREAM_START_EVENT:
      case YAML_DOCUMENT_END_EVENT:
        break;
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1) return std::nullopt;
        break;
      case YAML_STREAM_END_EVENT: {
        if (!open.empty()) return std::nullopt;
        YamlFile f{name, {}};
        if (root) f.root = *root;
        return f;
      }
      case YAML_ALIAS_EVENT:
      case YAML_NO_EVENT:
        return std::nullopt;
      case YAML_SCALAR_EVENT: {
        const auto& s = ev.e.data.scalar;
        if (s.anchor || s.tag) return std::nullopt;
        const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        if (!plain && s.style != YAML_SINGLE_QUOTED_SCALAR_STYLE && s.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE) return std::nullopt;
        std::string value(reinterpret_cast<const char*>(s.value), s.length);
        YAML::Node n;
        if (plain && is_null_text(value)) {
          n = YAML::Node(YAML::NodeType::Null);
        } else {
          n = YAML::Node(std::move(value));
          n.SetTag(plain ? "?" : "!");
        }
        if (!place(n)) return std::nullopt;
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        const bool is_map = ev.e.type == YAML_MAPPING_START_EVENT;
        const auto anchor = is_map ? ev.e.data.mapping_start.anchor : ev.e.data.sequence_start.anchor;
        const auto tag = is_map ? ev.e.data.mapping_start.tag : ev.e.data.sequence_start.tag;
        if (anchor || tag || open.size() + 1 > kMaxDepth) return std::nullopt;
        const bool flow = is_map ? ev.e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                 : ev.e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        Open o;
        o.node = YAML::Node(is_map ? YAML::NodeType::Map : YAML::NodeType::Sequence);
        o.node.SetTag("?");
        o.node.SetStyle(flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block);
        o.is_map = is_map;
        open.push_back(std::move(o));
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        if (open.empty() || open.back().key) return std::nullopt;
        YAML::Node done = open.back().node;
        open.pop_back();
        if (!place(done)) return std::nullopt;
        break;
      }
    }
  }
}

}  // namespace sml
