// Design-space exploration (issue 7): one workload on every combination of array shape,
// dataflow, buffer size and bandwidth; the Pareto front over latency, energy and two area proxies
// (PEs, SRAM KiB), none of them weighted against another. `--shard I/N` runs every N-th point from
// the I-th, so a Slurm array or make -j splits a sweep; merge joins the shards into one result.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sml/accel/accelsim.hpp"
#include "sml/io/doc.hpp"

namespace sml::accel {

struct SweepAxes {
  std::vector<std::pair<std::int64_t, std::int64_t>> arrays;  // rows × cols
  std::vector<std::string> dataflows;
  std::vector<double> sram_kib;   // each of the three buffers
  std::vector<double> bandwidths; // words per cycle
};

// "array=16x16,32x32", "dataflow=os,ws", "sram=64,256" (KiB per buffer), "bandwidth=8,64"
// (words per cycle); repeatable. Axes not given keep the base configuration's value.
SweepAxes parse_sweep(const std::vector<std::string>& specs);

struct Shard {
  int index = 0, count = 1;  // 0-based, as Slurm array ids are (DESIGN.md §4)
};
Shard parse_shard(const std::string& spec);  // "I/N"

// accelsweep/v1: the points of SHARD, each with its cycles, stalls, latency, energy and whether it
// is on the front of the points in this document. PROGRESS is called after each point.
Doc run_sweep(const AccelOptions& options, const SweepAxes& axes, const Shard& shard,
              const std::function<void(std::size_t done, std::size_t total)>& progress);

// Joins shards of one sweep (same input, base configuration and axes) into one accelsweep/v1 with
// the front recomputed over all points. InputError naming the file on a mismatch, a point given
// twice, or points missing.
Doc merge_sweeps(const std::vector<std::string>& paths);

// SVG: every design point's energy against its cycles (log axes), the Pareto front marked.
void write_sweep_plot(std::ostream& out, const Doc& sweep);

}  // namespace sml::accel
