// Human and CI views of an estimate/v1 document: a markdown table for pull requests, a JUnit
// report with one test case per gate, and the change against an earlier estimate (--baseline).
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "sml/io/doc.hpp"

namespace sml::footprint {

void write_markdown(std::ostream& out, const Doc& estimate);
void write_junit(std::ostream& out, const Doc& estimate);
// SVG: the costliest layers (FLOPs; by operator when the layer table was left out) and, with
// --compare, the CO2e of every device/region what-if.
void write_plot(std::ostream& out, const Doc& estimate);

// The `baseline` section: the key figures of OLD_PATH (an estimate/v1 file) next to NOW's.
Doc baseline_diff(const Doc& now, const std::string& old_path);

// `--summarize`: one row per estimate/v1 file with its key figures (expected values).
Doc summarize(const std::vector<std::string>& paths);
void write_summary_csv(std::ostream& out, const Doc& summary);
void write_summary_markdown(std::ostream& out, const Doc& summary);

}  // namespace sml::footprint
