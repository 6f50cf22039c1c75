// Errors that reach a user, each with the exit code every tool maps it to (DESIGN.md §4, sml.7).
#pragma once
#include <stdexcept>
#include <string>

namespace sml {

enum ExitCode : int { kExitOk = 0, kExitUsage = 1, kExitBadInput = 2, kExitOverBudget = 3, kExitInternal = 4 };

// Base of the errors a tool reports as one line on stderr and turns into its exit code.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// The command line itself is wrong (exit 1).
struct UsageError : Error {
  explicit UsageError(const std::string& message) : Error(kExitUsage, message) {}
};

// A file's contents or a given value is wrong (exit 2). The message names the file and the place.
struct InputError : Error {
  explicit InputError(const std::string& message) : Error(kExitBadInput, message) {}
};

}  // namespace sml
