#include "sml/cost/passes.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sml/io/error.hpp"

namespace sml::cost {

const PassRun* pass_of(const std::vector<PassRun>& passes, const std::string& name) {
  const PassRun* under = nullptr;
  for (const auto& p : passes)
    if (name.compare(0, p.scope.size() + 1, p.scope + ".") == 0 && (!under || p.scope.size() > under->scope.size())) under = &p;
  return under;
}

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(ch));
      out += buf;
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

constexpr std::size_t kMaxPasses = 16;  // as many as a composition may list
constexpr std::int64_t kMaxRuns = 1'000'000;

}  // namespace

std::string passes_metadata(const std::vector<PassRun>& passes) {
  std::string t = "[";
  for (std::size_t i = 0; i < passes.size(); ++i) {
    const PassRun& p = passes[i];
    t += (i ? ", " : "") + std::string("{\"scope\": ") + json_string(p.scope) + ", \"runs\": " + std::to_string(p.runs) +
         ", \"train_runs\": " + std::to_string(p.train_runs) + ", \"frozen\": " + (p.frozen ? "true" : "false") + "}";
  }
  return t + "]";
}

std::vector<PassRun> parse_passes_metadata(const std::string& text, const std::string& where) {
  const std::string at = where + ": metadata sml.passes: ";
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(at + "not a JSON list (" + e.msg + ")");
  }
  if (!root.IsSequence()) throw InputError(at + "expected a list of {scope, runs, train_runs, frozen}");
  if (root.size() > kMaxPasses) throw InputError(at + "at most " + std::to_string(kMaxPasses) + " entries");
  std::vector<PassRun> out;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const YAML::Node e = root[i];
    const std::string entry = at + "entry " + std::to_string(i + 1) + ": ";
    if (!e.IsMap()) throw InputError(entry + "expected {scope, runs, train_runs, frozen}");
    PassRun p;
    auto count = [&](const char* key) -> std::int64_t {
      const YAML::Node v = e[key];
      if (!v || !v.IsScalar()) throw InputError(entry + "'" + key + "' missing (a whole number 0 … 1,000,000)");
      double x = 0;
      try {
        x = v.as<double>();
      } catch (const YAML::Exception&) {
        throw InputError(entry + "'" + key + "' is '" + v.Scalar() + "': expected a whole number 0 … 1,000,000");
      }
      if (!(x >= 0 && x <= static_cast<double>(kMaxRuns)) || x != std::floor(x))
        throw InputError(entry + "'" + key + "' is '" + v.Scalar() + "': expected a whole number 0 … 1,000,000");
      return static_cast<std::int64_t>(x);
    };
    for (const auto& kv : e) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (key != "scope" && key != "runs" && key != "train_runs" && key != "frozen")
        throw InputError(entry + "unknown key '" + key + "' (scope, runs, train_runs, frozen)");
    }
    if (!e["scope"] || !e["scope"].IsScalar() || e["scope"].Scalar().empty()) throw InputError(entry + "'scope' missing or empty");
    p.scope = e["scope"].Scalar();
    p.runs = count("runs");
    p.train_runs = count("train_runs");
    if (const YAML::Node f = e["frozen"]; f) {
      if (!f.IsScalar() || (f.Scalar() != "true" && f.Scalar() != "false"))
        throw InputError(entry + "'frozen' is not true or false");
      p.frozen = f.Scalar() == "true";
    }
    if (std::any_of(out.begin(), out.end(), [&](const PassRun& o) { return o.scope == p.scope; }))
      throw InputError(entry + "scope '" + p.scope + "' listed twice");
    out.push_back(std::move(p));
  }
  return out;
}

Profile per_query_profile(Profile p, const std::vector<PassRun>& passes) {
  p.passes.clear();
  if (passes.empty()) return p;
  p.macs = p.flops = p.activation_bytes = 0;
  for (auto& l : p.layers) {
    if (const PassRun* under = pass_of(passes, l.name)) {
      const double runs = static_cast<double>(under->runs);
      l.macs *= runs;
      l.flops *= runs;
      l.elements_moved *= runs;
      l.output_elements *= runs;
      l.activation_bytes *= runs;
      l.runs = runs;
    }
    p.macs += l.macs;
    p.flops += l.flops;
    p.activation_bytes += l.activation_bytes;
  }
  return p;
}

SampleFlops sample_flops(const Profile& p, const std::vector<PassRun>& passes) {
  SampleFlops s;
  for (const auto& l : p.layers) {
    const PassRun* under = pass_of(passes, l.name);
    (under && under->frozen ? s.frozen : s.trained) += l.flops * (under ? static_cast<double>(under->train_runs) : 1.0);
  }
  return s;
}

Doc passes_doc(const Profile& p) {
  struct Sum {
    std::int64_t params = 0;
    double macs = 0, flops = 0;
    bool any = false;
  };
  std::vector<Sum> sums(p.passes.size());
  Sum rest;
  for (const auto& l : p.layers) {
    const PassRun* under = pass_of(p.passes, l.name);
    Sum& s = under ? sums[static_cast<std::size_t>(under - p.passes.data())] : rest;
    s.params += l.params;
    s.macs += l.macs;
    s.flops += l.flops;
    s.any = true;
  }
  auto number = [](double v) { return std::fabs(v) < 9.0e15 && v == std::floor(v) ? Doc(static_cast<long long>(v)) : Doc(v); };
  Doc list = Doc::list();
  auto entry = [&](const Doc& scope, std::int64_t runs, std::int64_t train_runs, bool frozen, const Sum& s) {
    Doc d = Doc::map();
    d.set("scope", scope);
    d.set("runs", Doc(static_cast<long long>(runs)));
    d.set("train_runs", Doc(static_cast<long long>(train_runs)));
    d.set("frozen", frozen);
    d.set("params", Doc(static_cast<long long>(s.params)));
    d.set("macs_per_run", number(s.macs));
    d.set("flops_per_run", number(s.flops));
    list.push(d);
  };
  for (std::size_t i = 0; i < p.passes.size(); ++i)
    entry(Doc(p.passes[i].scope), p.passes[i].runs, p.passes[i].train_runs, p.passes[i].frozen, sums[i]);
  if (rest.any) entry(Doc(), 1, 1, false, rest);
  return list;
}

}  // namespace sml::cost
