// What every tool's main does the same way: parse with CLI11, run, map errors to exit codes
// (DESIGN.md §4: 1 usage, 2 bad input, 3 over budget, 4 internal) and print one line on stderr.
#pragma once
#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include "sml/io/error.hpp"

namespace sml {

inline std::string version_line(const std::string& tool) {
  return tool + " " SML_VERSION " (SustainML)";
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
    std::cerr << tool << ": " << e.what() << "\n(see " << tool << " --help)\n";
    return kExitUsage;  // CLI11's own codes map to 1
  }
  try {
    return body();
  } catch (const Error& e) {
    std::cerr << tool << ": " << e.what() << '\n';
    return e.code();
  } catch (const std::bad_alloc&) {
    std::cerr << tool << ": out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << tool << ": internal error: " << e.what() << '\n';
    return kExitInternal;
  }
}

}  // namespace sml
