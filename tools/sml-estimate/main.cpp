// sml-estimate: the footprint of a model before it is paid. Options in, one libsml call,
// the estimate/v1 document out (see man sml-estimate).
#include <iostream>

#include "sml/cost/registry.hpp"
#include "sml/footprint/estimate.hpp"
#include "sml/footprint/report.hpp"
#include "sml/io/cli.hpp"
#include "sml/io/files.hpp"
#include "sml/io/units.hpp"

namespace {

// "devices=a100,h100" or "regions=DE,FR" (several per flag, space or repeat separated).
void parse_compare(const std::string& spec, sml::footprint::EstimateOptions& o) {
  const auto eq = spec.find('=');
  const std::string key = spec.substr(0, eq);
  if (eq == std::string::npos || (key != "devices" && key != "regions"))
    throw sml::UsageError("--compare '" + spec + "': expected devices=ID,ID or regions=ID,ID");
  auto& list = key == "devices" ? o.compare_devices : o.compare_regions;
  std::string rest = spec.substr(eq + 1);
  for (std::size_t start = 0; start <= rest.size();) {
    const auto comma = rest.find(',', start);
    const std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) list.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Estimate the footprint of a model before it is paid: per-layer MACs, FLOPs and parameters of an "
               "ONNX model, and with a plan, training time, energy and CO2e, per-query latency and energy, and "
               "life-cycle totals, each as low/expected/high with its assumptions.",
               "sml-estimate"};
  app.set_version_flag("--version", sml::version_line("sml-estimate"));
  sml::footprint::EstimateOptions o;
  std::string model, output = "-", format = "yaml", list, batch, junit, gate_on = "expected", plot;
  std::vector<std::string> input_shapes, compares;
  std::vector<std::string> input_values;
  std::string params, active_params, model_kind, flops_per_token, experts, experts_per_token, attention_width, train_seq_len;
  std::string devices, pue, intensity, samples, epochs, tokens, train_flops, device_hours, qpd, years, lifetime;
  std::string max_co2, max_energy, max_time, max_latency;
  bool no_layers = false, quiet = false;
  std::vector<std::string> summarize;

  app.add_option("MODEL", model, "ONNX model file; '-' reads stdin");
  auto* g_model = "Model";
  app.add_option("--input-shape", input_shapes, "NAME=1x3x224x224: fix an input's shape (repeatable)")->type_name("NAME=DIMS")->group(g_model);
  app.add_option("--input-value", input_values, "NAME=V: fix a scalar input's value (e.g. sr=16000), so If branches on it are chosen (repeatable)")->type_name("NAME=V")->group(g_model);
  app.add_option("--batch", batch, "batch size for symbolic first dims (default 1); also the training batch")->type_name("N")->group(g_model);
  app.add_option("--params", params, "a model known by its size only: parameters (e.g. 7B)")->type_name("N")->group(g_model);
  app.add_option("--active-params", active_params, "parameters active per token (mixture of experts)")->type_name("N")->group(g_model);
  app.add_option("--model-kind", model_kind, "what a model given by --params is, for its training utilisation: dense-lm (default), moe-lm (default when --active-params is below --params) or encoder-decoder (a sequence-to-sequence transformer, e.g. for translation)")->type_name("K")->group(g_model);
  app.add_option("--experts", experts, "mixture of experts: routed experts per MoE layer (with --experts-per-token)")->type_name("N")->group(g_model);
  app.add_option("--experts-per-token", experts_per_token, "mixture of experts: experts each token is routed to")->type_name("K")->group(g_model);
  app.add_option("--flops-per-token", flops_per_token, "forward FLOPs per token, when published")->type_name("N")->group(g_model);
  app.add_option("--attention-width", attention_width, "query heads × head dim (d_model in most LLMs): with --layers and --train-seq-len, counts attention FLOPs in training")->type_name("N")->group(g_model);
  auto* g_plan = "Plan";
  app.add_option("--device", o.device, "device id or alias (--list devices), or an hwprofile/v1 file")->type_name("ID|FILE")->group(g_plan);
  app.add_option("--devices", devices, "number of devices (default 1)")->type_name("N")->group(g_plan);
  app.add_option("--region", o.region, "grid or cloud region (--list regions), e.g. DE, US-CA, aws:us-east-1")->type_name("ID")->group(g_plan);
  app.add_option("--pue", pue, "power usage effectiveness of the data centre")->type_name("X")->group(g_plan);
  app.add_option("--pue-setting", o.plan.pue_setting, "hyperscale, enterprise or unknown (default: the region's provider, else unknown)")->type_name("S")->group(g_plan);
  app.add_option("--carbon-intensity", intensity, "kg CO2e per kWh, instead of the region's")->type_name("KG_PER_KWH")->group(g_plan);
  CLI::Option* precision_opt = app.add_option("--precision", o.plan.precision, "fp32 (default), tf32, fp16, bf16, fp8 (where the device states an fp8 peak) or int8")->type_name("P")->group(g_plan);
  app.add_option("--train-samples", samples, "training samples per epoch (ONNX models)")->type_name("N")->group(g_plan);
  app.add_option("--epochs", epochs, "epochs (default 1)")->type_name("E")->group(g_plan);
  app.add_option("--train-tokens", tokens, "training tokens (models given by --params): 6·N·D")->type_name("N")->group(g_plan);
  app.add_option("--train-seq-len", train_seq_len, "tokens per training sequence (--params, with --layers and --attention-width): adds the attention scores and values, 4·layers·seq len·width forward per token, to 6·N·D")->type_name("N")->group(g_plan);
  app.add_option("--train-flops", train_flops, "total training FLOPs, when published")->type_name("N")->group(g_plan);
  app.add_option("--train-stack", o.plan.train_stack, "reference (default: the framework's stock training script) or optimised (NVIDIA's MLPerf implementation: NHWC, fused kernels, DALI); prices a profiled CNN's training")->type_name("S")->group(g_plan);
  app.add_option("--activation-recompute", o.plan.activation_recompute, "full, selective or none: whether the run recomputes each layer's forward pass in the backward (LLMs given by --params); unstated: as the fit runs of the device's generation")->type_name("S")->group(g_plan);
  app.add_option("--device-hours", device_hours, "accounting: device-hours of a run that happened")->type_name("H")->group(g_plan);
  app.add_option("--queries-per-day", qpd, "serving load")->type_name("Q")->group(g_plan);
  app.add_option("--years", years, "serving lifetime")->type_name("Y")->group(g_plan);
  app.add_option("--lifetime-years", lifetime, "hardware lifetime for embodied emissions (default: published range)")->type_name("Y")->group(g_plan);
  app.add_option("--compare", compares, "what-ifs: devices=ID,ID and/or regions=ID,ID")->type_name("SPEC")->group(g_plan);
  app.add_option("--baseline", o.baseline_path, "an earlier estimate/v1 to show the change against")->type_name("FILE")->group(g_plan);
  // Serving (issue 17): the device, runtime, batch and power setting queries run under.
  auto* g_serve = "Serving";
  std::string serve_batch, power_cap, host_accelerators, prompt_tokens, output_tokens, concurrency, kv_per_token, layers, heads, mean_tokens,
      beam_width;
  app.add_option("--serve-device", o.serve_device, "device queries run on (default: the task's deployment device, else --device)")->type_name("ID|FILE")->group(g_serve);
  app.add_option("--task", o.task_path, "a task/v1 whose deployment.device serves queries")->type_name("TASK.yaml")->group(g_serve);
  app.add_option("--serve-batch", serve_batch, "queries per forward pass when serving (default: --batch, else 1)")->type_name("N")->group(g_serve);
  app.add_option("--serve-precision", o.serving.precision, "fp32, tf32, fp16, bf16, int8 or int4 (weights) when serving (default: --precision)")->type_name("P")->group(g_serve);
  app.add_option("--runtime", o.serving.runtime, "pytorch, onnxruntime, tensorrt, tflite, x-cube-ai, tensorrt-llm, vllm, tgi, llama.cpp or transformers; ID@BUILD for one build's fit, e.g. llama.cpp@2023-12 (default: the serving device's usual runtime, hw/devices runtime:)")->type_name("NAME")->group(g_serve);
  app.add_option("--power-mode", o.serving.power_mode, "a published power mode of the serving device (e.g. Jetson nvpmodel 15w)")->type_name("NAME")->group(g_serve);
  app.add_option("--power-cap", power_cap, "power limit of the serving device in W")->type_name("W")->group(g_serve);
  app.add_option("--host-accelerators", host_accelerators, "accelerators sharing the serving device's host (a one-GPU server: 1; "
                 "default: a multi-accelerator node's per-accelerator host share)")->type_name("N")->group(g_serve);
  app.add_option("--power-boundary", o.serving.boundary, "system (default: host share and PUE included) or device (the accelerator alone)")->type_name("B")->group(g_serve);
  app.add_option("--prompt-tokens", prompt_tokens, "LLM serving (--params): prompt length per request")->type_name("N")->group(g_serve);
  app.add_option("--output-tokens", output_tokens, "LLM serving (--params, or --decoder-step): generated tokens per request")->type_name("N")->group(g_serve);
  app.add_option("--decoder-step", o.step_model_path, "one decode step (sml-compose --decode step): MODEL runs once per request "
                 "(sml-compose --decode once), this once per --output-tokens")->type_name("STEP.onnx")->group(g_serve);
  app.add_option("--after-steps", o.after_model_path, "with --decoder-step: run once after the steps (sml-compose --decode after: "
                 "SpeechT5's post-net and vocoder)")->type_name("AFTER.onnx")->group(g_serve);
  app.add_option("--concurrency", concurrency, "LLM serving: requests decoded together (default 1)")->type_name("N")->group(g_serve);
  app.add_option("--beam-width", beam_width, "LLM serving (--params): beams a request keeps in beam search, each decoded every step "
                 "(default 1: greedy or sampled)")->type_name("N")->group(g_serve);
  app.add_option("--kv-bytes-per-token", kv_per_token, "LLM serving: KV-cache bytes per token (default: derived from --params)")->type_name("BYTES")->group(g_serve);
  app.add_option("--layers", layers, "LLM/encoder serving: transformer layers (default: derived from --params)")->type_name("N")->group(g_serve);
  app.add_option("--heads", heads, "encoder serving: attention heads (default: d_model / 64)")->type_name("N")->group(g_serve);
  app.add_option("--mean-tokens", mean_tokens, "encoder serving: mean real length of the inputs when the runtime skips padding "
                 "(default: every input at --prompt-tokens)")->type_name("N")->group(g_serve);
  app.add_option("--accounting-method", o.plan.accounting_method, "system (default) or card: also print TDP × device-hours × PUE × intensity, as model cards count")->type_name("M")->group(g_serve);
  auto* g_gate = "Gates (exit 3 when exceeded)";
  app.add_option("--max-co2", max_co2, "life-cycle CO2e, e.g. 50kg")->type_name("MASS")->group(g_gate);
  app.add_option("--max-energy", max_energy, "life-cycle energy, e.g. 120kWh")->type_name("ENERGY")->group(g_gate);
  app.add_option("--max-time", max_time, "training time, e.g. 3d")->type_name("TIME")->group(g_gate);
  app.add_option("--max-latency", max_latency, "latency of one query, e.g. 20ms")->type_name("TIME")->group(g_gate);
  app.add_option("--gate-on", gate_on, "expected (default) or high")->type_name("WHICH")->group(g_gate);
  app.add_flag("--allow-partial", o.allow_partial, "let gates pass on an incomplete profile (uncounted nodes, defaulted dims, assumed If branches)")->group(g_gate);
  app.add_option("--junit", junit, "write a JUnit report, one test case per gate")->type_name("FILE")->group(g_gate);
  app.add_option("--plot", plot, "also draw the costliest layers (and --compare what-ifs) as SVG")->type_name("FILE.svg");
  auto* g_out = "Output";
  sml::add_output_option(app, output)->group(g_out);
  app.add_option("--format", format, "yaml (default), json or markdown")->type_name("FORMAT")->group(g_out);
  app.add_flag("--no-layers", no_layers, "leave out the per-layer table")->group(g_out);
  app.add_option("--summarize", summarize, "gather estimate/v1 files into one table (with --format csv or markdown)")->type_name("FILE...")->group(g_out);
  app.add_option("--list", list, "list what is known instead: ops, devices or regions")->type_name("WHAT")->group(g_out);
  sml::add_hw_option(app, o.hw_dir)->group(g_out);
  sml::add_catalog_option(app, o.catalog_dir)->group(g_out);
  app.add_flag("-q,--quiet", quiet, "no warnings or verdicts on stderr")->group(g_out);

  return sml::run_tool(app, argc, argv, [&]() -> int {
    o.precision_given = precision_opt->count() > 0;
    using sml::Quantity;
    if (!list.empty()) {
      sml::require_choice(list, "--list", {"ops", "devices", "regions"});
      std::vector<std::string> lines;
      if (list == "ops")
        for (const auto& rule : sml::cost::all_rules()) lines.push_back(rule.op + "\t" + rule.counts);
      else if (list == "devices") lines = sml::footprint::list_devices(o.hw_dir);
      else lines = sml::footprint::list_regions(o.catalog_dir);
      for (const auto& l : lines) std::cout << l << '\n';
      return sml::kExitOk;
    }
    if (!summarize.empty()) {
      sml::require_choice(format, "--format", {"yaml", "json", "csv", "markdown"});
      const sml::Doc summary = sml::footprint::summarize(summarize);
      sml::write_output(output, [&](std::ostream& out) {
        if (format == "csv") sml::footprint::write_summary_csv(out, summary);
        else if (format == "markdown") sml::footprint::write_summary_markdown(out, summary);
        else sml::write_doc(out, summary, sml::parse_format(format));
      }, summarize);
      return sml::kExitOk;
    }
    sml::require_choice(format, "--format", {"yaml", "json", "markdown"});
    sml::require_choice(gate_on, "--gate-on", {"expected", "high"});
    o.gate_on_high = gate_on == "high";
    o.layers = !no_layers && format != "markdown";
    if (model.empty() && params.empty()) model = "-";
    o.model_path = model;
    for (const auto& spec : input_shapes) sml::add_input_shape(spec, o.infer.input_shapes);
    for (const auto& spec : input_values) sml::add_input_value(spec, o.infer.input_values);
    if (!batch.empty()) o.infer.batch = sml::parse_count(batch, "--batch");
    if (params.empty() && !model_kind.empty()) throw sml::UsageError("--model-kind describes a model given by --params");
    if (params.empty() && !experts.empty()) throw sml::UsageError("--experts describes a model given by --params");
    if (!params.empty()) {
      if (!model.empty()) throw sml::UsageError("give either an ONNX model or --params, not both");
      sml::footprint::ParametricModel pm;
      pm.params = sml::parse_quantity(params, Quantity::kCount, "--params");
      pm.active_params = active_params.empty() ? pm.params : sml::parse_quantity(active_params, Quantity::kCount, "--active-params");
      if (experts.empty() != experts_per_token.empty())
        throw sml::UsageError("--experts and --experts-per-token go together");
      if (!experts.empty()) {
        pm.experts = static_cast<double>(sml::parse_count(experts, "--experts"));
        pm.experts_per_token = static_cast<double>(sml::parse_count(experts_per_token, "--experts-per-token"));
        if (*pm.experts_per_token < 1 || *pm.experts_per_token > *pm.experts)
          throw sml::InputError("--experts-per-token '" + experts_per_token + "': between 1 and --experts (" + experts + ")");
        if (pm.active_params >= pm.params)
          throw sml::UsageError("--experts needs --active-params below --params (the weights outside the active experts)");
      }
      if (!model_kind.empty()) {
        if (model_kind != "dense-lm" && model_kind != "moe-lm" && model_kind != "encoder-decoder")
          throw sml::UsageError("--model-kind '" + model_kind + "': dense-lm, moe-lm or encoder-decoder");
        pm.kind = model_kind;
      }
      if (!flops_per_token.empty()) pm.flops_per_token = sml::parse_quantity(flops_per_token, Quantity::kCount, "--flops-per-token");
      o.parametric = pm;
    }
    auto count = [](const std::string& v, const char* flag) -> std::optional<double> {
      if (v.empty()) return std::nullopt;
      const double x = sml::parse_quantity(v, Quantity::kCount, flag);
      if (x <= 0) throw sml::InputError(std::string(flag) + " '" + v + "': must be more than 0");
      return x;
    };
    if (!devices.empty()) o.plan.devices = sml::parse_count(devices, "--devices");
    o.plan.pue = count(pue, "--pue");
    if (o.plan.pue && *o.plan.pue < 1) throw sml::InputError("--pue '" + pue + "': a PUE is at least 1");
    if (!intensity.empty()) o.plan.carbon_intensity = sml::parse_quantity(intensity, Quantity::kCount, "--carbon-intensity");
    o.plan.train_samples = count(samples, "--train-samples");
    o.plan.epochs = count(epochs, "--epochs");
    o.plan.train_tokens = count(tokens, "--train-tokens");
    o.plan.train_flops = count(train_flops, "--train-flops");
    if (!device_hours.empty()) {
      // The flag's own unit is hours: a bare number is hours, "3d" or "90min" are converted.
      const bool bare = device_hours.find_first_not_of("0123456789.eE+-") == std::string::npos;
      const double v = sml::parse_quantity(device_hours, Quantity::kTime, "--device-hours");
      o.plan.device_hours = bare ? v : v / 3600;
      if (*o.plan.device_hours <= 0) throw sml::InputError("--device-hours must be more than 0");
    }
    o.plan.queries_per_day = count(qpd, "--queries-per-day");
    o.plan.years = count(years, "--years");
    o.plan.lifetime_years = count(lifetime, "--lifetime-years");
    for (const auto& c : compares) parse_compare(c, o);
    sml::require_choice(o.serving.boundary, "--power-boundary", {"device", "system"});
    sml::require_choice(o.plan.accounting_method, "--accounting-method", {"system", "card"});
    sml::require_choice(o.plan.train_stack, "--train-stack", {"reference", "optimised"});
    if (!o.plan.activation_recompute.empty())
      sml::require_choice(o.plan.activation_recompute, "--activation-recompute", {"full", "selective", "none"});
    if (!serve_batch.empty()) o.serve_batch = sml::parse_count(serve_batch, "--serve-batch");
    if (!concurrency.empty()) o.serving.concurrency = sml::parse_count(concurrency, "--concurrency");
    if (!beam_width.empty()) o.serving.beam_width = sml::parse_count(beam_width, "--beam-width");
    if (!host_accelerators.empty()) o.serving.host_accelerators = sml::parse_count(host_accelerators, "--host-accelerators");
    if (!power_cap.empty()) {
      std::string w = power_cap;
      if (!w.empty() && (w.back() == 'W' || w.back() == 'w')) w.pop_back();  // "30W" as well as "30"
      o.serving.power_cap_w = count(w, "--power-cap");
    }
    o.serving.prompt_tokens = count(prompt_tokens, "--prompt-tokens");
    o.serving.output_tokens = count(output_tokens, "--output-tokens");
    o.serving.kv_bytes_per_token = count(kv_per_token, "--kv-bytes-per-token");
    o.serving.layers = count(layers, "--layers");
    o.serving.heads = count(heads, "--heads");
    o.serving.mean_tokens = count(mean_tokens, "--mean-tokens");
    // Attention FLOPs in training need the three figures stated; none is derived from --params.
    if (!train_seq_len.empty() || !attention_width.empty()) {
      if (!o.parametric) throw sml::UsageError("--train-seq-len and --attention-width go with --params");
      if (train_seq_len.empty() || attention_width.empty() || !o.serving.layers)
        throw sml::UsageError("--train-seq-len, --attention-width and --layers go together (attention FLOPs need all three)");
      if (o.parametric->flops_per_token)
        throw sml::UsageError("give --flops-per-token (a published count) or --train-seq-len, not both");
      o.parametric->layers = o.serving.layers;
      o.parametric->attention_width = count(attention_width, "--attention-width");
      o.parametric->train_seq_len = count(train_seq_len, "--train-seq-len");
    }
    if (!max_co2.empty()) o.gates.push_back({"co2", sml::parse_quantity_with_unit(max_co2, Quantity::kMass, "--max-co2")});
    if (!max_energy.empty()) o.gates.push_back({"energy", sml::parse_quantity_with_unit(max_energy, Quantity::kEnergy, "--max-energy")});
    if (!max_time.empty()) o.gates.push_back({"time", sml::parse_quantity_with_unit(max_time, Quantity::kTime, "--max-time")});
    if (!max_latency.empty()) o.gates.push_back({"latency", sml::parse_quantity_with_unit(max_latency, Quantity::kTime, "--max-latency")});

    const auto result = sml::footprint::estimate(o);
    if (!quiet) {
      if (const auto* warnings = result.doc.path("profile.warnings"))
        for (const auto& w : warnings->as_list()) std::cerr << "sml-estimate: warning: " << sml::one_line(w.as_string()) << '\n';
      for (const auto& v : result.verdicts) std::cerr << "sml-estimate: " << v << '\n';
    }
    const std::vector<std::string> inputs = {model, o.baseline_path, o.step_model_path};
    sml::Outputs outputs(inputs);  // all or none (DESIGN.md §4)
    outputs.add(output, [&](std::ostream& out) {
      if (format == "markdown") sml::footprint::write_markdown(out, result.doc);
      else sml::write_doc(out, result.doc, sml::parse_format(format));
    });
    if (!junit.empty()) outputs.add(junit, [&](std::ostream& out) { sml::footprint::write_junit(out, result.doc); }, "--junit");
    if (!plot.empty()) outputs.add(plot, [&](std::ostream& out) { sml::footprint::write_plot(out, result.doc); }, "--plot");
    outputs.commit();
    return result.over_budget ? sml::kExitOverBudget : sml::kExitOk;
  });
}
