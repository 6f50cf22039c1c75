// What of an ONNX model runs where on the accelerator (issue 18): every node whose cost rule
// (lib/cost's registry, the one the profile uses) counts multiply-accumulates becomes one or more
// matrix products for the systolic array, with exactly the MACs the profile counts for it; every
// other node that computes or moves data becomes work for the vector unit. Whatever cannot be
// placed is listed with its reason, so the simulated share of the profile's MACs is stated, never
// implied.
//
// How each op with MACs is mapped (M×K · K×N, REPEAT times):
//   Conv, ConvInteger, QLinearConv, DeformConv  M = batch × output pixels, N = Cout/group,
//                                                K = Cin/group × kernel, once per group
//   ConvTranspose   the scatter (col2im) form: M = batch × input pixels, N = Cout/group × kernel,
//                   K = Cin/group, once per group (the MACs the profile counts; the zeros a
//                   stride-inserted direct convolution would multiply are not work)
//   MatMul, MatMulInteger, QLinearMatMul, Gemm   rows × columns of the output, K the shared dim,
//                   once per batch matrix (attention's Q·Kᵀ and scores·V included)
//   Einsum (two operands)   M: indices of the first operand only, N: of the second only,
//                   K: shared and summed, once per shared index kept in the output
//   LSTM, GRU, RNN  the input projection of all steps at once (M = steps × batch, N = gates ×
//                   hidden, K = input) and the recurrent product step by step (M = batch,
//                   N = gates × hidden, K = hidden, once per step), per direction; the gates'
//                   elementwise work goes to the vector unit
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/accel/systolic.hpp"
#include "sml/graph/infer.hpp"

namespace sml::accel {

// Work for the vector unit: OPS lane operations (the registry's non-MAC FLOPs, at least one per
// output element: moving data is work too) over ELEMENTS words read and written.
struct VectorWork {
  std::string name, op;
  double ops = 0;
  double elements = 0;
  std::size_t after_gemms = 0;  // array layers that come before it in the graph's order
};

// A node that could not be simulated: its MACs (0 when unknown) and why.
struct NotSimulated {
  std::string name, op;
  double macs = 0;
  std::string reason;
  bool array_op = false;  // an op with MACs (is_array_op)
};

struct ModelWork {
  std::vector<GemmLayer> gemms;
  std::vector<VectorWork> vectors;
  std::vector<NotSimulated> not_simulated;
  double profiled_macs = 0;          // the registry's MACs over all nodes: lib/cost's profile total
  double simulated_macs = 0;         // the MACs of GEMMS
  std::int64_t uncounted_nodes = 0;  // nodes the profile cannot count either (unknown op or shapes)
  std::int64_t mac_nodes = 0;         // nodes of ops with MACs (array ops), counted or not
  std::int64_t mapped_mac_nodes = 0;
};

// Ops whose work is multiply-accumulates (those the array runs).
bool is_array_op(const graph::Node& node);

// The array work of one node with MACS multiply-accumulates (per execution), or an empty list
// with WHY set when the node cannot be mapped with exactly those MACs.
std::vector<GemmLayer> map_to_array(const graph::NodeEvent& node, const std::string& name, double macs, std::string& why);

// Walks MODEL once and places every node.
ModelWork map_model(const graph::Model& model, const graph::InferOptions& infer);

}  // namespace sml::accel
