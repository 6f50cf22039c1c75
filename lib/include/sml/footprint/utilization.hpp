// The utilisation a whole training run achieves, conditioned on what a plan knows (issue 17): the
// accelerator generation, the kind of model (dense or mixture-of-experts transformer LM), its
// size (active parameters) and the precision. A small multiplicative model whose fitted values live
// in catalog/footprint.yaml (training_utilization:), each sourced to the training runs that fit it
// (tests/validation/training_footprints.yaml, role: fit; refit with
// tests/validation/fit_training_utilization.py).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sml/cost/profile.hpp"
#include "sml/footprint/range.hpp"
#include "sml/io/doc.hpp"
#include "sml/io/yaml_file.hpp"

namespace sml::footprint {

struct UtilizationModel {
  struct Generation {
    std::string match;                 // matched in the device's catalogue name ("H100", "TPU v3")
    double value = 0;                  // centre for a dense LM of reference_params
    std::vector<std::string> fitted_on;
    // Activation recomputation every fit run of this generation states ("full": each layer's
    // forward pass is run again in the backward pass); empty when any of them does not say.
    std::string recompute;
  };
  // A kind fitted on its own runs (cnn): its centre per generation and precision, measured
  // against the per-layer roofline of a profiled training step rather than FLOPs / peak.
  struct Cell {
    std::string match;                 // generation, as Generation::match
    std::vector<std::string> precisions;
    double value = 0;                  // one device (a kind with scaling), else any count
    std::vector<std::string> fitted_on;
    // Data-parallel efficiency kept per doubling of the device count (1: perfect scaling):
    // utilisation at N devices = value x scaling_per_doubling ^ log2(N).
    double scaling_per_doubling = 1;
    // The training software the fit runs used: "reference" (the framework's stock training
    // script, e.g. DeepLearningExamples PyTorch) or "optimised" (NVIDIA's MLPerf implementation:
    // NHWC, fused batch-norm kernels, DALI input pipeline). The same chip and precision run at
    // very different shares of the roofline under the two (issue 17: MLPerf ResNet-50 +69..85%).
    std::string stack = "reference";
    // The device class the fit runs ran on (hw::Device::device_class), where the kind's cells span
    // more than one; empty: the kind's only class. A device borrows only from cells of its own
    // class: a TPU's share of peak says nothing of a tensor-core GPU's, and the reverse.
    std::string device_class;
  };
  struct Kind {
    std::string id;                    // dense-lm, moe-lm, cnn
    double factor = 1;
    std::vector<std::string> fitted_on;
    std::string basis;                 // "roofline" or "flops" (FLOPs / peak) for a kind with cells, else empty (FLOPs / peak)
    std::vector<Cell> cells;           // non-empty: the kind's own centres; no size term
    Range spread{1, 1, 1};             // with cells: observed / predicted over the kind's fit runs
    Range cell_spread{1, 1, 1};        // with cells: a generation or precision with no cell
    std::string source;                // with cells: where its fit runs are kept (else the model's)
    // With cells: the device classes they were fitted on (empty: any). A device of another class
    // has no cell to borrow and is priced by the generation model, saying so. With more than one
    // class every cell names its own (Cell::device_class).
    std::vector<std::string> device_classes;
    // With cells: how a device with no cell of its own borrows one. "all": the median of the
    // stack's cells; "precision": the median of the cells in the plan's precision (all when none).
    std::string borrow = "all";
    // A roofline kind: the share of the memory bandwidth that the memory-bound layers of a
    // reference-stack training step reach (stock framework kernels, one per layer), fitted on
    // throughput of many architectures (catalog/footprint.yaml says which). Without it the
    // roofline holds data movement to the full bandwidth, and a cell fitted on a mostly
    // compute-bound network (ResNet-50) prices a mostly memory-bound one (EfficientNet) too fast.
    // The optimised stack fuses those layers and keeps the full bandwidth (no share measured).
    std::optional<double> memory_bandwidth_share;
  };
  std::vector<Generation> generations;
  std::vector<Kind> kinds;
  double size_exponent = 0;            // u ∝ (active params / reference_params) ^ size_exponent
  double reference_params = 10e9;
  Range spread{1, 1, 1};               // observed / predicted over the fit rows (leave-one-out)
  // A device of no fitted generation: the centre is the median of the generation centres and the
  // band also spans their spread around it (expected 1).
  Range generation_spread{1, 1, 1};
  std::vector<std::string> precisions; // the precisions the fit rows trained in
  // A generation's own centre in a precision its LLM fit rows did not train in (FP8 on the H100),
  // fitted on runs in that precision (catalogue precision_cells): u against that precision's peak
  // = value x scaling_per_doubling ^ log2(devices), the device count held to the fitted range.
  struct PrecisionCell {
    std::string match;                 // generation, as Generation::match
    std::string precision;
    double value = 0;                  // u at one device (the fit's intercept)
    double scaling_per_doubling = 1;
    double min_devices = 1, max_devices = 1;  // the fit rows' device counts
    Range spread{1, 1, 1};             // the band around the centre
    std::vector<std::string> fitted_on;
    std::string source;
    // The fit rows' active parameters (0: not stated). Strong scaling is a loss in each device's
    // share of a step's work, which at a common number of tokens per step goes as active params /
    // devices: a run of N active params on n devices scales as the fit rows' model on
    // n x reference_params / N devices.
    double reference_params = 0;
    // Lending to a generation with no cell of its own in this precision, on a device of this class
    // (empty: never lent); the band widened by borrow_spread, the measured ratio of same-precision
    // cells of two generations (borrow_source).
    std::string borrow_device_class;
    Range borrow_spread{1, 1, 1};
    std::string borrow_source;
  };
  std::vector<PrecisionCell> precision_cells;
  // Model-FLOPs utilisation of a run that recomputes every layer's forward pass over one that does
  // not, at the same hardware utilisation (recompute: in the catalogue; 0.75 = 6ND / 8ND: the
  // backward pass runs the forward again, Korthikanti et al. 2022). 0: not in the catalogue.
  double full_recompute_ratio = 0;
  std::string recompute_source;
  std::string derivation, source;
};

// What an estimate knows about the run. KIND is dense-lm, moe-lm (FLOPs / peak basis), cnn (a
// profiled network whose convolutions carry most FLOPs: per-layer roofline basis), or anything
// else (an encoder, trees): the model answers nullopt for a kind it has no entry for (the caller
// falls back to the unconditioned whole-run observations, said so).
struct UtilizationQuery {
  // The device's architecture (hw::Device::generation, device/v1 generation; footprint/plan.cpp
  // training_generation): a catalogue generation, precision cell or kind cell applies when its
  // match equals it. Empty: none stated, so no fitted generation (the unfitted path).
  std::string device_generation;
  std::string device_class;            // hw::Device::device_class (a kind's device_classes)
  std::string kind;
  double active_params = 0;            // 0: unknown (no size term)
  std::string precision;
  // Peak FLOP/s at the fitted precision / at the plan's precision (1 when the same or unknown):
  // a precision no fit row trained in keeps the utilisation as the expected value, and the band
  // reaches to the same achieved FLOP/s as a 16-bit run.
  double peak_ratio = 1;
  // The estimate's ideal time is the per-layer roofline of a profiled step (not FLOPs / peak):
  // only a kind fitted on that basis answers.
  bool roofline = false;
  double devices = 1;                  // data-parallel device count (a cell's scaling term)
  std::string stack = "reference";     // the training software (Cell::stack); cells only
  // Activation recomputation the run uses (--activation-recompute): full, selective, none, or
  // empty when not stated. Moves the centre only against a generation whose fit runs state theirs.
  std::string recompute;
};

struct ConditionedUtilization {
  Range range;
  std::string basis;                   // the conditions applied, in words
  std::vector<std::string> fitted_on;  // the runs whose figures set it
  std::string source;                  // where those runs are published (the conditioned model)
  // The share of the memory bandwidth the roofline this utilisation was fitted against moves data
  // at (Kind::memory_bandwidth_share when the centre is a reference-stack cell, else 1): the
  // caller's roofline must use the same, or a cell fitted on one roofline is applied to another
  // (an optimised plan that borrows the reference cell takes the reference roofline with it).
  double memory_bandwidth_share = 1;
  // Unconditioned fallback: the observations themselves (what, value, source), as sources[].
  Doc observations = Doc::list();
  Doc doc() const;
};

std::optional<UtilizationModel> read_utilization_model(const YamlFile& f, const YAML::Node& n);

// The kind a profiled network is costed as: "cnn" when Conv/ConvTranspose layers carry at least
// half its forward FLOPs (the runs the cnn kind was fitted on are convolutional classifiers),
// else "other".
std::string profiled_kind(const cost::Profile& profile);

// The device count a precision cell's strong scaling is read at: the run's devices, scaled to the
// fit rows' model size (PrecisionCell::reference_params) when both sizes are known, held to the
// fitted device counts.
double precision_cell_devices(const UtilizationModel::PrecisionCell& cell, const UtilizationQuery& q);

// The conditioned utilisation; nullopt for a kind the model was not fitted on.
std::optional<ConditionedUtilization> condition_utilization(const UtilizationModel& m, const UtilizationQuery& q);

}  // namespace sml::footprint
