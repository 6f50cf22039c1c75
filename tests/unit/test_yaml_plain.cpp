// parse_yaml_plain (libyaml) against yaml-cpp's own YAML::Load, the reference it stands in for:
// on every catalogue and hardware file it accepts, the trees must be the same node for node
// (type, tag, style, scalar text, map order), and the task files must all be accepted (else the
// fast path is never taken). What it must leave to yaml-cpp, it must refuse.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "sml/describe/taxonomy.hpp"
#include "sml/io/files.hpp"
#include "sml/io/yaml_plain.hpp"

namespace {
namespace fs = std::filesystem;
const std::string kSource = SML_SOURCE_DATA_DIR;

std::string differs(const YAML::Node& a, const YAML::Node& b, const std::string& at) {
  if (a.Type() != b.Type()) return at + ": type";
  if (a.Tag() != b.Tag()) return at + ": tag '" + a.Tag() + "' vs '" + b.Tag() + "'";
  if (a.IsScalar()) return a.Scalar() == b.Scalar() ? "" : at + ": '" + a.Scalar() + "' vs '" + b.Scalar() + "'";
  if (a.IsNull() || !a.IsDefined()) return "";
  if (a.Style() != b.Style()) return at + ": style";
  if (a.size() != b.size()) return at + ": size";
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (auto d = differs(a[i], b[i], at + "/" + std::to_string(i)); !d.empty()) return d;
    return "";
  }
  auto ia = a.begin();
  auto ib = b.begin();
  for (; ia != a.end(); ++ia, ++ib) {
    if (auto d = differs(ia->first, ib->first, at + "/key"); !d.empty()) return d;
    if (auto d = differs(ia->second, ib->second, at + "/" + ia->first.as<std::string>("?")); !d.empty()) return d;
  }
  return "";
}

std::string same_as_yaml_cpp(const std::string& text) {
  const auto plain = sml::parse_yaml_plain(text, "t.yaml");
  if (!plain) return "refused";
  return differs(plain->root, YAML::Load(text), "");
}
}  // namespace

TEST_SUITE("files") {
  TEST_CASE("parse_yaml_plain builds yaml-cpp's tree for every catalogue and hardware file it takes") {
    int taken = 0, tasks = 0, tasks_taken = 0;
    for (const char* top : {"catalog", "hw"})
      for (const auto& e : fs::recursive_directory_iterator(kSource + "/" + top)) {
        if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
        const std::string text = sml::read_input(e.path().string());
        const bool task = e.path().parent_path().filename() == "tasks";
        tasks += task;
        const auto plain = sml::parse_yaml_plain(text, e.path().string());
        if (!plain) continue;
        ++taken;
        tasks_taken += task;
        INFO(e.path().string());
        CHECK(differs(plain->root, YAML::Load(text), "") == "");
      }
    CHECK(tasks == static_cast<int>(sml::describe::load_taxonomy(kSource + "/catalog/tasks").size()));
    CHECK(tasks_taken == tasks);
    CHECK(taken > 100);
  }

  TEST_CASE("parse_yaml_plain: nulls, quoting and styles as yaml-cpp reads them") {
    CHECK(same_as_yaml_cpp("a: ~\nb:\nc: null\nd: \"null\"\ne: 'x y'\nf: [1, two, \"3\"]\ng: {h: i}\n- \n") == "refused");
    CHECK(same_as_yaml_cpp("a: ~\nb:\nc: null\nd: \"null\"\ne: 'x y'\nf: [1, two, \"3\"]\ng: {h: i, j: NULL}\n") == "");
    CHECK(same_as_yaml_cpp("sml: x\nlist:\n  - a\n  - {name: b, role: \"c, d\"}\n  -\n  - 'it''s'\n") == "");
    CHECK(same_as_yaml_cpp("# comment\nk: \"tab\\tand \\u00e9\" # trailing\nlong: a plain\n  scalar on two lines\n") == "");
  }

  TEST_CASE("parse_yaml_plain leaves to yaml-cpp what it does not build the same way") {
    CHECK(same_as_yaml_cpp("a: &x 1\nb: *x\n") == "refused");         // anchors and aliases
    CHECK(same_as_yaml_cpp("a: 1\na: 2\n") == "refused");              // a repeated key
    CHECK(same_as_yaml_cpp("a: |\n  text\n") == "refused");            // block scalars
    CHECK(same_as_yaml_cpp("a: !!str 1\n") == "refused");              // explicit tags
    CHECK(same_as_yaml_cpp("a: 1\n---\nb: 2\n") == "refused");         // a second document
    CHECK(same_as_yaml_cpp("{[a]: 1}\n") == "refused");                // a key that is not a scalar
    CHECK(same_as_yaml_cpp("a: [1, 2\n") == "refused");                // a syntax error
    CHECK(same_as_yaml_cpp(std::string(70, '[') + std::string(70, ']')) == "refused");  // nesting past 64
  }
}
