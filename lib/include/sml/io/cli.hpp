// What every tool's main does the same way: parse with CLI11, run, map errors to exit codes
// (DESIGN.md §4: 1 usage, 2 bad input, 3 over budget, 4 internal) and print one line on stderr.
#pragma once
#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "sml/io/error.hpp"
#include "sml/io/suggest.hpp"
#include "sml/io/text.hpp"

namespace sml {

inline std::string version_line(const std::string& tool) {
  return tool + " " SML_VERSION " (SustainML)";
}

// The options every tool spells the same way (DESIGN.md §4), so their names and help agree.
inline CLI::Option* add_output_option(CLI::App& app, std::string& output) {
  return app.add_option("-o,--output", output, "write the document here (atomically) instead of stdout")->type_name("FILE");
}
inline CLI::Option* add_catalog_option(CLI::App& app, std::string& dir) {
  return app.add_option("--catalog", dir, "the catalog/ data folder")->type_name("DIR");
}
inline CLI::Option* add_hw_option(CLI::App& app, std::string& dir) {
  return app.add_option("--hw", dir, "the hw/ data folder")->type_name("DIR");
}

// Refuses VALUE of FLAG unless it is one of CHOICES: "--format 'x': expected yaml, json or markdown".
inline void require_choice(const std::string& value, const std::string& flag, const std::vector<std::string>& choices) {
  std::string expected;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (value == choices[i]) return;
    expected += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  }
  throw UsageError(flag + " '" + value + "': expected " + expected);
}

// "--devise: did you mean --device?" (the closest one) for every argument that looks like a flag but names none of
// APP's options (nor a subcommand's), one line each; empty when there is none or nothing is close.
inline std::string flag_hints(CLI::App& app, int argc, char** argv) {
  std::vector<KnownId> known;
  std::vector<CLI::App*> apps{&app};
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) apps.push_back(sub);
  for (CLI::App* a : apps)
    for (const CLI::Option* opt : a->get_options()) {
      for (const auto& l : opt->get_lnames()) known.push_back({"--" + l, {}, ""});
      for (const auto& s : opt->get_snames()) known.push_back({"-" + s, {}, ""});
    }
  std::string hints;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;  // long flags: short ones are too short to guess
    arg = arg.substr(0, arg.find('='));
    bool exists = false;
    for (const auto& k : known) exists = exists || k.id == arg;
    if (exists) continue;
    const std::vector<std::string> close = close_matches(arg, known, 1);
    if (!close.empty()) hints += arg + ": did you mean " + close[0] + "?\n";
  }
  return hints;
}

// Parses ARGV into APP, then runs BODY. Returns the process exit code.
inline int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  const std::string tool = app.get_name();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);  // prints help, exit 0
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    std::cout << version_line(tool) << '\n';
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << tool << ": " << one_line(e.what()) << '\n';
    const std::string hints = flag_hints(app, argc, argv);
    for (std::size_t at = 0, nl; (nl = hints.find('\n', at)) != std::string::npos; at = nl + 1)
      std::cerr << tool << ": " << hints.substr(at, nl - at) << '\n';
    std::cerr << "(see " << tool << " --help)\n";
    return kExitUsage;  // CLI11's own codes map to 1
  }
  try {
    return body();
  } catch (const Error& e) {
    std::cerr << tool << ": " << one_line(e.what()) << '\n';  // names from files: shown, not obeyed
    return e.code();
  } catch (const std::bad_alloc&) {
    std::cerr << tool << ": out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << tool << ": internal error: " << one_line(e.what()) << '\n';
    return kExitInternal;
  }
}

}  // namespace sml
