// GEMM wave quantization on a GPU (issue 17): a GEMM is computed in output tiles, one thread
// block per tile, and the blocks run on the GPU's streaming multiprocessors (SMs) in waves. When
// the tile count is not a multiple of the SM count the last wave leaves SMs idle; a small GEMM
// (batch 1, a short sequence) may not fill even one wave. NVIDIA, "Matrix Multiplication Background
// User's Guide" (DU-09799-001, Deep Learning Performance documentation, February 2023), section 2.1
// "GPU Implementation" (the tiled outer product, one thread block per output tile), section 2.3
// "Typical Tile Dimensions In cuBLAS And Performance" (256x128, 128x256, 128x128, ... 64x64) and
// section 3.2 "Wave Quantization" (tiles / SMs waves, the last one partial).
//
// Not applied to serving estimates yet: with one 128x128 tile for every GEMM, the --params prefill
// of short prompts came out about 2x too slow (BERT-large at 128 tokens on an A100 -9% -> +121%),
// because cuBLAS and TensorRT choose smaller tiles or split K for small problems (README,
// serving10). Kept, with the sourced sm_count figures, for a rule that models the tile choice. One
// that does (the guide's six tiles, split K, TensorRT keeping its fastest tactic) slows the validation
// rows' GEMMs by at most 2.3% (tests/validation/gemm_splitk_check.py, serving11): not worth applying.
#pragma once
#include <optional>

#include "sml/cost/profile.hpp"

namespace sml::footprint {

// The tile assumed for every GEMM: 128x128, the middle of the guide's cuBLAS tile sizes (section 2.3).
// cuBLAS and TensorRT pick among tile sizes (and split K) per problem; one size is an assumption,
// stated in the estimate's notes.
inline constexpr double kGemmTileRows = 128;
inline constexpr double kGemmTileCols = 128;

struct GemmWaves {
  double tiles = 0;       // output tiles: independent GEMMs x ceil(M / 128) x ceil(N / 128)
  double waves = 0;       // ceil(tiles / SMs)
  double busy_share = 1;  // tiles / (waves x SMs): the share of the SMs' slots the tiles fill
};

// The output tiles of layer L if it is a GEMM (MatMul, Gemm and their quantised or fused forms)
// with a known output shape, and the share of SM_COUNT SMs they keep busy; nullopt otherwise.
// A GEMM against a weight (L has parameters) flattens its leading dims into M (one GEMM of
// batch x tokens rows, as a Linear layer runs); a GEMM of two activations (attention's Q.K^T and
// P.V) is a batched GEMM, one per leading index, each tiled on its own.
std::optional<GemmWaves> gemm_waves(const cost::LayerCost& l, double sm_count);

// The same rule for one tile shape: a GEMM of ROWS x COLS outputs (one GEMM, not batched).
GemmWaves gemm_waves(double rows, double cols, double sm_count);

// A dense transformer layer known by its width (the --params path: N ≈ 12 · layers · d_model²):
// its weight GEMMs over ROWS token rows are QKV (d x 3d), the output projection (d x d), and the
// MLP's up (d x 4d) and down (4d x d) projections, 3 : 1 : 4 : 4 of the layer's FLOPs. Returns
// their compute time at their SM shares over the time at full occupancy (>= 1), D_MODEL rounded
// to whole 64-wide heads first (the width the path's heads default assumes).
double transformer_gemm_slowdown(double rows, double d_model, double sm_count);

}  // namespace sml::footprint
