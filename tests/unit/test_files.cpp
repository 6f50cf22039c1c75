#include <doctest/doctest.h>

#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "sml/io/error.hpp"
#include "sml/io/files.hpp"

namespace {
std::string temp_dir() {
  char tmpl[] = "/tmp/sml-test-XXXXXX";
  return ::mkdtemp(tmpl);
}
std::string slurp(const std::string& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
int count_entries(const std::string& dir) {
  int n = 0;
  std::string cmd = "ls -A " + dir + " | wc -l";
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f) { if (std::fscanf(f, "%d", &n) != 1) n = -1; ::pclose(f); }
  return n;
}
}  // namespace

TEST_SUITE("files") {
  TEST_CASE("write_output replaces the target only when the writer succeeds") {
    const std::string dir = temp_dir(), target = dir + "/out.yaml";
    sml::write_output(target, [](std::ostream& o) { o << "first\n"; });
    CHECK(slurp(target) == "first\n");
    CHECK_THROWS_AS(sml::write_output(target, [](std::ostream& o) {
                      o << "half";
                      throw std::runtime_error("boom");
                    }),
                    std::runtime_error);
    CHECK(slurp(target) == "first\n");   // the previous complete file stays
    CHECK(count_entries(dir) == 1);      // and no temporary file is left behind
    sml::write_output(target, [](std::ostream& o) { o << "second\n"; });
    CHECK(slurp(target) == "second\n");
  }

  TEST_CASE("an output onto an input is refused, the input untouched") {
    const std::string dir = temp_dir(), input = dir + "/model.onnx";
    std::ofstream(input) << "data";
    CHECK_THROWS_AS(sml::write_output(input, [](std::ostream& o) { o << "x"; }, {input}), sml::UsageError);
    CHECK_THROWS_AS(sml::write_output(dir + "/./model.onnx", [](std::ostream& o) { o << "x"; }, {input}), sml::UsageError);
    CHECK(slurp(input) == "data");
  }

  TEST_CASE("a missing input names the file") {
    CHECK_THROWS_WITH_AS(sml::read_input("/nonexistent/x.onnx"), doctest::Contains("/nonexistent/x.onnx"), sml::InputError);
  }

  TEST_CASE("an output into a missing folder is a clear error") {
    CHECK_THROWS_WITH_AS(sml::write_output("/nonexistent/dir/out.yaml", [](std::ostream& o) { o << "x"; }),
                         doctest::Contains("/nonexistent/dir"), sml::InputError);
  }

  TEST_CASE("the outputs of one run are committed together or not at all (issue 20)") {
    const std::string dir = temp_dir();
    std::ofstream(dir + "/a.yaml") << "old a";
    {
      sml::Outputs outputs;
      outputs.add(dir + "/a.yaml", [](std::ostream& o) { o << "new a"; });
      CHECK_THROWS_AS(outputs.add(dir + "/b.svg", [](std::ostream&) { throw sml::InputError("plot failed"); }, "--plot"),
                      sml::InputError);
    }  // never committed: a.yaml untouched, nothing left over
    CHECK(slurp(dir + "/a.yaml") == "old a");
    CHECK(count_entries(dir) == 1);
    sml::Outputs outputs;
    outputs.add(dir + "/a.yaml", [](std::ostream& o) { o << "new a"; });
    outputs.add(dir + "/b.svg", [](std::ostream& o) { o << "b"; }, "--plot");
    CHECK(slurp(dir + "/a.yaml") == "old a");  // staged, not yet in place
    outputs.commit();
    CHECK(slurp(dir + "/a.yaml") == "new a");
    CHECK(slurp(dir + "/b.svg") == "b");
    CHECK(count_entries(dir) == 2);
  }

  TEST_CASE("two outputs onto one file are refused before anything is written") {
    const std::string dir = temp_dir();
    sml::Outputs outputs;
    outputs.add(dir + "/x.yaml", [](std::ostream& o) { o << "doc"; });
    CHECK_THROWS_AS(outputs.add(dir + "/./x.yaml", [](std::ostream& o) { o << "svg"; }, "--plot"), sml::UsageError);
  }

  TEST_CASE("a symlink to a regular file is kept; the file it names is replaced") {
    const std::string dir = temp_dir();
    std::ofstream(dir + "/real.yaml") << "old";
    REQUIRE(::symlink("real.yaml", (dir + "/link.yaml").c_str()) == 0);
    sml::write_output(dir + "/link.yaml", [](std::ostream& o) { o << "new"; });
    struct stat st {};
    REQUIRE(::lstat((dir + "/link.yaml").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(slurp(dir + "/real.yaml") == "new");
  }

  TEST_CASE("a stream is read up to its cap") {
    CHECK_THROWS_WITH_AS(sml::read_input("/dev/zero", 1 << 20), doctest::Contains("from a stream"), sml::InputError);
  }

  TEST_CASE("a large stream (written in aligned blocks, O_DIRECT where allowed) reads back byte for byte, holes and all") {
    // Data at odd offsets, holes long and short, a buffer's worth and more between them, a
    // trailing hole: what the file holds must be exactly what was streamed (issue 13).
    const std::string dir = temp_dir();
    std::string expect;
    std::uint64_t state = 1;
    auto pattern = [&](std::size_t n) {
      std::string s(n, '\0');
      for (auto& c : s) c = static_cast<char>((state = state * 6364136223846793005ull + 1442695040888963407ull) >> 56);
      return s;
    };
    const std::vector<std::pair<char, std::size_t>> steps{{'d', 5},         {'z', 100000}, {'d', 9u << 20}, {'d', 3},
                                                          {'z', 70001},     {'z', 17},     {'d', 17u << 20}, {'z', 4096},
                                                          {'d', 4097},      {'z', 1u << 20}};
    std::vector<std::string> data;
    for (const auto& [kind, n] : steps) {
      data.push_back(kind == 'd' ? pattern(n) : std::string());
      expect += kind == 'd' ? data.back() : std::string(n, '\0');
    }
    sml::Outputs outputs;
    outputs.add_stream(dir + "/big.bin", [&](sml::ByteSink& sink) {
      for (std::size_t k = 0; k < steps.size(); ++k) {
        if (steps[k].first == 'd') sink.write(data[k].data(), data[k].size());
        else sink.zeros(steps[k].second);
      }
    });
    outputs.commit();
    const std::string got = slurp(dir + "/big.bin");
    CHECK(got.size() == expect.size());
    CHECK(got == expect);
    std::remove((dir + "/big.bin").c_str());
  }
}
