#include "fault_report.hpp"

#include <regex>

#include "sml/io/text.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

struct Sign {
  Regex pattern;
  double weight;
  bool cased = false;  // read on the text as written (CamelCase error names), not lower-cased
};

// Patterns are matched on lower-cased text: std::regex::icase would make each several times slower
// to compile, at every start-up (as in constraints.cpp).
Regex re(const char* p) { return Regex(p, Regex::ECMAScript | Regex::optimize); }

// Each sign counts once, however often it occurs.
const std::vector<Sign>& signs() {
  static const std::vector<Sign> s = {
      // An error quoted from a log or a traceback: an exception's name, "error:" with its text, an
      // HTTP or exit status, a quoted scheduler or driver message.
      {re(R"(\b[A-Z][A-Za-z]*(Error|Exception)\b)"), 1.5, true},
      {re(R"(\b(error|errno|exception|status|exit code)\s*[:=(]?\s*(\d{3}\b|[a-z_./-]+:)|\b(error|failure)\s*:)"), 1},
      {re(R"(\b(out of memory|oom|not found in \$?path|executable file not found|connection refused|timed out|permission denied|no space left|segmentation fault|segfault|core dumped|insufficient [a-z./-]+)\b)"), 1.5},
      // Something that does not work: fails, crashes, hangs, stays pending, will not boot.
      {re(R"(\b(fails?|failed|failing|crash(es|ed|ing)?|hangs?|freez(es|ing)|stuck|broken|blank|stopped (working|reporting|responding))\b)"), 1},
      {re(R"(\b(won'?t|wont|doesn'?t|does not|can'?t|cannot|cant|couldn'?t|isn'?t|is not|unable to)\s+(boot|start|run|load|work|connect|reach|find|pull|download|install|mount|compile|import|see|access|schedule)\b)"), 1},
      {re(R"(\b(stays?|remains?|always)\s+(in\s+)?(pending|crashloopbackoff|unschedulable|not ready))"), 1},
      // A command, a flag, a path or a library call: the text of a shell or a program.
      {re(R"(`[^`]+`|\$[a-z_]{3,}|(^|\s)--?[a-z][a-z-]+\b|(^|\s)/[a-z0-9._-]+/[a-z0-9._/-]+|\b(sudo|apt-get|apt|pip|kubectl|docker|helm|systemctl|nvidia-smi|exec|curl|wget)\s+[a-z-]+)"), 1},
      {re(R"(\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z]+\(\))"), 0.5},
      // Versions of the software involved: "Ubuntu 22.04", "Postgres newer than 9.3", "CUDA 12".
      {re(R"(\b(ubuntu|debian|centos|windows|macos|postgres(ql)?|mysql|python|cuda|driver|kernel|kubernetes|k8s|docker|version|v)\s*(newer than |older than |>=? ?|<=? ?)?\d+(\.\d+)+\b)"), 1},
      // Work on model files and services, not on a model's task: downloading, pulling, installing,
      // mirroring or proxying them.
      {re(R"(\b(download|downloading|pull|pulling|install|installing|upload|uploading|copy|mirror)\s+(the\s+|our\s+|a\s+)?(model|models|weights|checkpoint|blob)\b|\b(models?|weights)\s+(manually|download|registry)\b|\b(proxy|socks5|vpn|firewall|registry|mirror)\b)"), 1.5},
      // A transfer rate ("160 kbit/s", "40 MB/s") is the speed of a network or a disk.
      {re(R"(\b\d+(\.\d+)?\s*([kmg]i?)?(bits?|b|bytes?)\s*/\s*s\b|\b\d+(\.\d+)?\s*[kmg]bps\b)"), 1},
      // A question of how to fix, or that things worked before a change.
      {re(R"(\bhow (do|can|could|should) (i|we|you) (fix|solve|get rid|debug|find out why|remove)|\bany idea\b|\bworked (fine |perfectly )?(before|until)|\b(after|since) (the |a )?(upgrade|reboot|restart|update|restarting|rebooting|installing))"), 1},
  };
  return s;
}

}  // namespace

FaultReport read_fault_report(const std::string& text) {
  FaultReport r;
  const std::string lower = to_lower(text);
  for (const auto& s : signs()) {
    std::smatch m;
    if (!std::regex_search(s.cased ? text : lower, m, s.pattern)) continue;
    r.weight += s.weight;
    std::string said = m.str();
    while (!said.empty() && (said.front() == ' ' || said.front() == '\n')) said.erase(said.begin());
    r.evidence.push_back(said);
  }
  return r;
}

}  // namespace sml::describe
