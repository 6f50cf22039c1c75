// Loads and profiles every model.onnx under a folder (Debian's libonnx-testdata: ONNX's own
// operator test models), and reports how many get full shapes and counts. Exit 1 when a model
// throws anything but a clear InputError, or when a model not listed in --expect is not fully
// counted (a regression); models listed there are the known misses, printed with their reason.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: sml-conformance DIR [--expect FILE] [--write-expect FILE]\n";
    return 2;
  }
  const fs::path root = argv[1];
  std::string expect_file, write_file;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--expect") expect_file = argv[i + 1];
    if (std::string(argv[i]) == "--write-expect") write_file = argv[i + 1];
  }
  if (!fs::exists(root)) {
    std::cerr << root << " does not exist (apt-get install libonnx-testdata)\n";
    return 1;
  }
  std::map<std::string, std::string> expected;
  if (!expect_file.empty()) {
    std::ifstream in(expect_file);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      expected[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
    }
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().filename() == "model.onnx") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  int ok = 0, mismatched = 0, shapes_only = 0, partial = 0, refused = 0, crashed = 0, regressions = 0, fixed = 0;
  std::ostringstream misses;
  for (const auto& f : files) {
    const std::string rel = fs::relative(f, root).parent_path().string();
    std::string status;
    try {
      const auto model = sml::graph::load_model(f.string());
      // Our own rules only: the shapes the file declares are the reference, not a fallback.
      sml::graph::InferOptions options;
      options.use_declared_shapes = false;
      const auto p = sml::cost::profile_model(model, options);
      bool all_shapes = true;
      for (const auto& l : p.layers) all_shapes = all_shapes && l.output_shape.find('?') == std::string::npos;
      std::string wrong;
      for (std::size_t i = 0; i < p.outputs.size() && i < model.graph.outputs.size(); ++i) {
        const auto& declared = model.graph.outputs[i];
        if (!declared.has_shape || p.outputs[i].second.find('?') != std::string::npos) continue;
        std::string want;
        bool complete = true;
        for (std::size_t k = 0; k < declared.dims.size(); ++k) {
          complete = complete && declared.dims[k].known();
          want += (k ? "x" : "") + std::to_string(declared.dims[k].value);
        }
        if (complete && want != p.outputs[i].second)
          wrong += (wrong.empty() ? "" : ",") + declared.name + "=" + p.outputs[i].second + " (declared " + want + ")";
      }
      if (!wrong.empty()) {
        status = "wrong-shape:" + wrong;
        ++mismatched;
      } else if (p.uncounted.empty() && all_shapes) {
        ++ok;
      } else {
        std::string ops;
        for (const auto& u : p.uncounted) ops += (ops.empty() ? "" : ",") + u.op + (u.domain.empty() ? "" : "@" + u.domain);
        status = p.uncounted.empty() ? "shapes-partial" : "uncounted:" + ops;
        ++(p.uncounted.empty() ? shapes_only : partial);
      }
    } catch (const sml::Error& e) {
      status = std::string("refused: ") + e.what();
      ++refused;
    } catch (const std::exception& e) {
      std::cout << "CRASH " << rel << ": " << e.what() << '\n';
      ++crashed;
      continue;
    }
    if (status.empty()) {
      if (expected.count(rel)) ++fixed;
      continue;
    }
    // Messages carry the absolute path; keep the recorded reason independent of it.
    const auto cut = status.find(f.string());
    if (cut != std::string::npos) status.replace(cut, f.string().size(), "model.onnx");
    misses << rel << '\t' << status << '\n';
    if (!expect_file.empty() && !expected.count(rel)) {
      std::cout << "REGRESSION " << rel << ": " << status << '\n';
      ++regressions;
    }
  }
  if (!write_file.empty()) {
    std::ofstream out(write_file);
    out << "# Known misses of sml-conformance on libonnx-testdata: path<TAB>why. Regenerate with\n"
           "#   build/tests/sml-conformance /usr/share/libonnx-testdata/data --write-expect tests/conformance/expected.txt\n"
        << misses.str();
  }
  const int total = static_cast<int>(files.size());
  std::cout << "libonnx-testdata: " << total << " models; " << ok << " with full shapes and counts, " << shapes_only
            << " counted with some shapes unknown, " << partial << " with uncounted ops, " << refused
            << " refused with a message, " << crashed << " crashed; " << mismatched
            << " with an output shape other than the declared one\n";
  if (fixed) std::cout << fixed << " models listed as known misses now pass: regenerate the list\n";
  const int failed = crashed + regressions;
  std::cout << (total - failed) << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}
