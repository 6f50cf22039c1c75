// sml-accelsim: a model layer by layer on a systolic-array accelerator (see man sml-accelsim).
// Options in, one libsml call, the accelsim/v1 document out.
#include <iostream>

#include "sml/accel/accelsim.hpp"
#include "sml/io/cli.hpp"
#include "sml/io/files.hpp"
#include "sml/io/units.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Run a model layer by layer on a systolic-array DNN accelerator: per-layer cycles, utilisation and "
               "mapping efficiency, exactly as SCALE-Sim v2 counts them when memory does not stall.",
               "sml-accelsim"};
  app.set_version_flag("--version", sml::version_line("sml-accelsim"));
  sml::accel::AccelOptions o;
  std::string array, output = "-", format = "yaml", clock, dram, hwprofile, plot;
  std::vector<std::string> input_shapes;
  app.add_option("MODEL", o.input, "an ONNX model, or a SCALE-Sim topology .csv")->required();
  app.add_flag("--gemm", o.gemm, "the .csv is in GEMM format (name, M, N, K)");
  app.add_option("--accel", o.accel, "a SCALE-Sim .cfg, an accelerator/v1 .yaml, or an id of hw/accelerators (default: SCALE-Sim's 32x32)")->type_name("CONFIG");
  app.add_option("--array", array, "override the array: ROWSxCOLS (SCALE-Sim's ArrayHeight x ArrayWidth)")->type_name("RxC");
  app.add_option("--dataflow", o.dataflow, "override the dataflow: os, ws or is")->type_name("D");
  app.add_option("--clock-mhz", clock, "override the clock (for latency in seconds)")->type_name("F");
  app.add_option("--dram-gbps", dram, "override the DRAM bandwidth (GB/s)")->type_name("X");
  app.add_option("--plot", plot, "also draw the cycles of the costliest layers as SVG")->type_name("FILE.svg");
  app.add_option("--emit-hwprofile", hwprofile, "also write an hwprofile/v1 that sml-estimate --device accepts")->type_name("FILE");
  app.add_option("--input-shape", input_shapes, "NAME=1x3x224x224 for ONNX inputs (repeatable)")->type_name("NAME=DIMS");
  sml::add_output_option(app, output);
  app.add_option("--format", format, "yaml (default), json, or scalesim (its COMPUTE_REPORT.csv)")->type_name("FORMAT");
  sml::add_hw_option(app, o.hw_dir);

  return sml::run_tool(app, argc, argv, [&]() -> int {
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
    for (const auto& spec : input_shapes) sml::add_input_shape(spec, o.infer.input_shapes);
    const sml::Doc doc = sml::accel::simulate(o);
    if (!hwprofile.empty()) {
      const sml::Doc profile = sml::accel::hardware_profile(o, doc);
      sml::write_output(hwprofile, [&](std::ostream& out) { sml::write_doc(out, profile, sml::Format::kYaml); }, {o.input, o.accel});
    }
    sml::write_output(output, [&](std::ostream& out) {
      if (format == "scalesim") sml::accel::write_compute_report(out, doc);
      else sml::write_doc(out, doc, sml::parse_format(format));
    }, {o.input, o.accel});
    if (!plot.empty()) sml::write_output(plot, [&](std::ostream& out) { sml::accel::write_plot(out, doc); }, {o.input, o.accel});
    return sml::kExitOk;
  });
}
