// Roofline time of a profiled model on a device: each layer takes the longer of its arithmetic
// at the device's peak and its data movement at the memory bandwidth (Williams, Waterman and
// Patterson, "Roofline", CACM 2009). An ideal bound: real runs reach a fraction of it.
#pragma once
#include <string>

#include "sml/cost/profile.hpp"
#include "sml/hw/device.hpp"

namespace sml::hw {

struct RooflineTime {
  double seconds = 0;
  double compute_bound_seconds = 0;   // the part of it spent in compute-bound layers
  double peak_flops = 0;
  double bandwidth = 0;
};

// Bytes per element at PRECISION (fp32/tf32 4, fp16/bf16 2, int8 1). InputError otherwise.
double bytes_per_element(const std::string& precision);

// The peak of DEVICE at PRECISION; InputError naming the precisions it has when missing.
double peak_flops(const Device& device, const std::string& precision);

// One pass over PROFILE's layers, each doing WORK × its FLOPs and moving WORK × its elements.
// WORK is 1 for inference, 3 for a training step (forward + backward). BANDWIDTH_SHARE (0, 1] holds
// data movement to that share of the memory bandwidth: the share a software stack's memory-bound
// kernels are measured to reach (1: the datasheet figure, the ideal bound).
RooflineTime roofline(const cost::Profile& profile, const Device& device, const std::string& precision, double work,
                      double bandwidth_share = 1);
// The same with each layer's own work (cost::training_work).
RooflineTime roofline(const cost::Profile& profile, const Device& device, const std::string& precision, const std::vector<double>& work,
                      double bandwidth_share = 1);

}  // namespace sml::hw
