// sml-accelsim: a model layer by layer on a systolic-array accelerator, a design-space sweep over
// accelerators, or the merge of a sweep's shards (see man sml-accelsim). Options in, one libsml
// call, the accelsim/v1 or accelsweep/v1 document out.
#include <unistd.h>

#include <iostream>

#include "sml/accel/accelsim.hpp"
#include "sml/accel/fold_sim.hpp"
#include "sml/accel/sweep.hpp"
#include "sml/io/cli.hpp"
#include "sml/io/files.hpp"
#include "sml/io/units.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Run a model layer by layer on a systolic-array DNN accelerator: per-layer cycles (SCALE-Sim v2's, "
               "exactly, when memory does not stall), memory stalls, SRAM/DRAM traffic and energy; sweep accelerator "
               "designs for the latency/energy/area Pareto front, in shards a Slurm array can split.",
               "sml-accelsim"};
  app.set_version_flag("--version", sml::version_line("sml-accelsim"));
  sml::accel::AccelOptions o;
  std::string array, output = "-", format = "yaml", clock, dram, bandwidth, latency, lanes, hwprofile, plot, shard = "0/1";
  std::vector<std::string> input_shapes, input_values, sweeps, shards;
  bool no_stalls = false, quiet = false, systemc = false;
  app.add_option("MODEL", o.input, "an ONNX model, or a SCALE-Sim topology .csv");
  app.add_flag("--gemm", o.gemm, "the .csv is in GEMM format (name, M, N, K)");
  app.add_option("--accel", o.accel, "a SCALE-Sim .cfg, an accelerator/v1 .yaml, or an id of hw/accelerators (default: SCALE-Sim's 32x32)")->type_name("CONFIG");
  app.add_option("--array", array, "override the array: ROWSxCOLS (SCALE-Sim's ArrayHeight x ArrayWidth)")->type_name("RxC");
  app.add_option("--dataflow", o.dataflow, "override the dataflow: os, ws or is")->type_name("D");
  app.add_option("--clock-mhz", clock, "override the clock (for latency in seconds)")->type_name("F");
  app.add_option("--dram-gbps", dram, "override the DRAM bandwidth (GB/s)")->type_name("X");
  app.add_option("--bandwidth", bandwidth, "override the DRAM bandwidth in words per cycle (SCALE-Sim's Bandwidth)")->type_name("W");
  app.add_option("--vector-lanes", lanes, "override the vector unit's operations per cycle (default: one per 64 MACs, as NVDLA)")->type_name("N");
  app.add_flag("--systemc", systemc, "also run the SystemC model (DRAM, double-buffered SRAM, PE array, controller) fold by fold");
  app.add_flag("--pe-level", o.pe_level, "also run every layer PE by PE, cycle by cycle (small layers only), and say whether both models agree");
  app.add_option("--dram-latency", latency, "cycles each fold's fetch waits before its words flow (default 0)")->type_name("CYCLES");
  app.add_flag("--no-stalls", no_stalls, "time without memory stalls whatever the bandwidth (SCALE-Sim's CALC)");
  app.add_option("--sweep", sweeps, "sweep an axis: array=16x16,32x32 dataflow=os,ws sram=64,256 (KiB) bandwidth=8,64 (repeatable)")->type_name("AXIS=V,…");
  app.add_option("--shard", shard, "run the I-th of N shares of the sweep's points (I from 0, as Slurm array ids)")->type_name("I/N");
  app.add_option("--plot", plot, "also draw the cycles of the costliest layers (with --sweep: energy against cycles, the Pareto front) as SVG")->type_name("FILE.svg");
  app.add_option("--emit-hwprofile", hwprofile, "also write an hwprofile/v1 that sml-estimate --device accepts")->type_name("FILE");
  app.add_option("--input-shape", input_shapes, "NAME=1x3x224x224 for ONNX inputs (repeatable)")->type_name("NAME=DIMS");
  app.add_option("--input-value", input_values, "NAME=V: fix a scalar ONNX input's value (e.g. sr=16000), so If branches on it are chosen (repeatable)")->type_name("NAME=V");
  app.add_flag("-q,--quiet", quiet, "no progress on stderr");
  sml::add_output_option(app, output);
  app.add_option("--format", format, "yaml (default), json, or scalesim (its COMPUTE_REPORT.csv)")->type_name("FORMAT");
  sml::add_hw_option(app, o.hw_dir);
  CLI::App* merge = app.add_subcommand("merge", "join the shards of one sweep into one accelsweep/v1 document");
  merge->add_option("SHARDS", shards, "accelsweep/v1 files from --shard runs")->required();
  sml::add_output_option(*merge, output);
  std::string merge_plot;
  merge->add_option("--plot", merge_plot, "also draw energy against cycles with the Pareto front as SVG")->type_name("FILE.svg");

  return sml::run_tool(app, argc, argv, [&]() -> int {
    if (merge->parsed()) {
      const sml::Doc doc = sml::accel::merge_sweeps(shards);
      sml::Outputs outputs(shards);
      outputs.add(output, [&](std::ostream& out) { sml::write_doc(out, doc, sml::Format::kYaml); });
      if (!merge_plot.empty()) outputs.add(merge_plot, [&](std::ostream& out) { sml::accel::write_sweep_plot(out, doc); }, "--plot");
      outputs.commit();
      return sml::kExitOk;
    }
    if (o.input.empty()) throw sml::UsageError("MODEL is required (an ONNX model or a SCALE-Sim topology .csv)");
    sml::require_choice(format, "--format", {"yaml", "json", "scalesim"});
    if (!array.empty()) {
      const auto dims = sml::parse_dims(array, "--array");
      if (dims.size() != 2 || dims[0] < 1 || dims[1] < 1 || dims[0] > 65536 || dims[1] > 65536)
        throw sml::UsageError("--array '" + array + "': expected ROWSxCOLS, e.g. 32x32");
      o.rows = dims[0];
      o.cols = dims[1];
    }
    if (!dram.empty()) o.dram_gbps = sml::parse_quantity(dram, sml::Quantity::kCount, "--dram-gbps");
    if (!clock.empty()) o.clock_mhz = sml::parse_quantity(clock, sml::Quantity::kCount, "--clock-mhz");
    if (!bandwidth.empty()) o.bandwidth_words = sml::parse_quantity(bandwidth, sml::Quantity::kCount, "--bandwidth");
    if (!latency.empty()) o.dram_latency_cycles = sml::parse_quantity(latency, sml::Quantity::kCount, "--dram-latency");
    if (!lanes.empty()) o.vector_lanes = sml::parse_quantity(lanes, sml::Quantity::kCount, "--vector-lanes");
    o.stalls = !no_stalls;
    for (const auto& spec : input_shapes) sml::add_input_shape(spec, o.infer.input_shapes);
    for (const auto& spec : input_values) sml::add_input_value(spec, o.infer.input_values);
    if (!sweeps.empty()) {
      if (format == "scalesim" || !hwprofile.empty())
        throw sml::UsageError("--sweep writes an accelsweep/v1 document (yaml or json); --emit-hwprofile and scalesim apply to one run");
      const auto axes = sml::accel::parse_sweep(sweeps);
      // One process runs one SystemC simulation (DESIGN.md §2): a sweep is the closed form. Said,
      // not silently dropped.
      if (systemc)
        std::cerr << "sml-accelsim: warning: --systemc is for one design; the sweep uses the closed form for every point\n";
      const bool bar = !quiet && ::isatty(2);  // progress only on a terminal (DESIGN.md §4)
      const sml::Doc doc = sml::accel::run_sweep(o, axes, sml::accel::parse_shard(shard), [&](std::size_t done, std::size_t total) {
        if (!bar) return;
        const int width = 30, filled = static_cast<int>(width * done / std::max<std::size_t>(1, total));
        std::cerr << "\rsml-accelsim: [" << std::string(static_cast<std::size_t>(filled), '#') << std::string(static_cast<std::size_t>(width - filled), ' ')
                  << "] " << done << "/" << total << (done == total ? "\n" : "") << std::flush;
      });
      sml::Outputs outputs({o.input, o.accel});
      outputs.add(output, [&](std::ostream& out) { sml::write_doc(out, doc, sml::parse_format(format)); });
      if (!plot.empty()) outputs.add(plot, [&](std::ostream& out) { sml::accel::write_sweep_plot(out, doc); }, "--plot");
      outputs.commit();
      return sml::kExitOk;
    }
    if (shard != "0/1") throw sml::UsageError("--shard splits a --sweep");
    sml::Doc doc = sml::accel::simulate(o);
    if (const sml::Doc* warnings = doc.find("warnings"); warnings && !quiet)
      for (const auto& w : warnings->as_list()) std::cerr << "sml-accelsim: warning: " << w.as_string() << '\n';
    if (systemc) sml::accel::add_systemc_results(doc);
    sml::Outputs outputs({o.input, o.accel});  // all or none (DESIGN.md §4)
    if (!hwprofile.empty()) {
      const sml::Doc profile = sml::accel::hardware_profile(o, doc);
      outputs.add(hwprofile, [&](std::ostream& out) { sml::write_doc(out, profile, sml::Format::kYaml); }, "--emit-hwprofile");
    }
    outputs.add(output, [&](std::ostream& out) {
      if (format == "scalesim") sml::accel::write_compute_report(out, doc);
      else sml::write_doc(out, doc, sml::parse_format(format));
    });
    if (!plot.empty()) outputs.add(plot, [&](std::ostream& out) { sml::accel::write_plot(out, doc); }, "--plot");
    outputs.commit();
    return sml::kExitOk;
  });
}
