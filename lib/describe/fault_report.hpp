#pragma once
// Whether a request reports a fault or asks for operations work (fault_report.cpp).
#include <string>
#include <vector>

namespace sml::describe {

// A bug or operations report describes what a system does wrong and asks how to fix it: an error
// quoted from a log ("RuntimeError: CUDA error: out of memory", "Insufficient nvidia.com/gpu"), a
// command or identifier from a shell or a library (`nvidia-smi`, drop_duplicates, $PATH), a thing
// that fails, hangs, stays pending or will not boot, the versions involved, or work on files and
// services such as downloading, installing or proxying models. Such a report may name models,
// GPUs or training on every line and still ask for no model to be learnt: the fix is a change of
// configuration, code or infrastructure. A statement that also says what is to be recognised,
// predicted or generated is read as a learning problem whatever its error messages.
// A report also says how the running system behaved, which a request to learn does not: a state
// that changed over time or an event that recurs, a contrast between where it works and where it
// does not, a state only a running system is in (killed, not responding, not found), a setting
// changed to no effect, a question about the cause; each is weighed as one more sign.
struct FaultReport {
  double weight = 0;                  // the signs found, 0.5-1.5 each
  std::vector<std::string> evidence;  // the text of each sign, as read
  // The writer already has the model the report is about ("I trained an object detection model
  // ... and exported it to Core ML"): its task words then say what that model does, not what is
  // wanted, and weigh half against the signs (not_learning.cpp).
  bool own_model = false;
};

// Reads TEXT (the statement after spelling correction, case kept: error names are CamelCase).
FaultReport read_fault_report(const std::string& text);

// The weight at which the signs make a report: an error quoted and a failure, or a command and a
// failure and a version.
constexpr double kFaultReport = 2.5;

}  // namespace sml::describe
