// Inception v3's modules (Szegedy et al. 2016, "Rethinking the Inception Architecture"), layer for
// layer as torchvision's InceptionA…E and InceptionAux: factorised 7×7 (1×7 then 7×1) and 3×3
// (1×3 beside 3×1) convolutions, grid reductions that pool and convolve side by side.
#include "cores_common.hpp"

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// torchvision's BasicConv2d: convolution without bias, BatchNorm (eps 1e-3), ReLU. PAD < 0: "same".
struct Convs {
  GraphBuilder& b;
  const CoreArgs& a;
  const BuildContext& c;
  Value operator()(const Value& x, std::int64_t out, std::int64_t kh, std::int64_t kw, const std::string& scope,
                   std::int64_t stride = 1, std::int64_t pad = -1) const {
    std::vector<std::int64_t> pads;
    if (pad >= 0) pads = {pad, pad};
    return conv_bn(b, x, scaled_channels(out, c.width, a.integer("divisor", 8), a.text("scale", "scale")), {kh, kw}, {stride, stride}, 1,
                   "relu", 1e-3f, true, false, scope, 1, pads);
  }
};

Value avg3(GraphBuilder& b, const Value& x) { return b.avg_pool(x, {3}, {1}, {1}); }
Value max3s2(GraphBuilder& b, const Value& x) { return b.max_pool(x, {3}, {2}, {0}); }

Value block_a(const Convs& cv, GraphBuilder& b, const Value& x, std::int64_t pool_features) {
  Value b1 = cv(x, 64, 1, 1, "branch1x1");
  Value b5 = cv(cv(x, 48, 1, 1, "branch5x5_1"), 64, 5, 5, "branch5x5_2");
  Value b3 = cv(cv(cv(x, 64, 1, 1, "branch3x3dbl_1"), 96, 3, 3, "branch3x3dbl_2"), 96, 3, 3, "branch3x3dbl_3");
  Value bp = cv(avg3(b, x), pool_features, 1, 1, "branch_pool");
  return b.concat({b1, b5, b3, bp}, 1);
}

Value block_b(const Convs& cv, GraphBuilder& b, const Value& x) {
  Value b3 = cv(x, 384, 3, 3, "branch3x3", 2, 0);
  Value bd = cv(cv(cv(x, 64, 1, 1, "branch3x3dbl_1"), 96, 3, 3, "branch3x3dbl_2"), 96, 3, 3, "branch3x3dbl_3", 2, 0);
  return b.concat({b3, bd, max3s2(b, x)}, 1);
}

Value block_c(const Convs& cv, GraphBuilder& b, const Value& x, std::int64_t c7) {
  Value b1 = cv(x, 192, 1, 1, "branch1x1");
  Value b7 = cv(cv(cv(x, c7, 1, 1, "branch7x7_1"), c7, 1, 7, "branch7x7_2"), 192, 7, 1, "branch7x7_3");
  Value bd = cv(x, c7, 1, 1, "branch7x7dbl_1");
  bd = cv(cv(bd, c7, 7, 1, "branch7x7dbl_2"), c7, 1, 7, "branch7x7dbl_3");
  bd = cv(cv(bd, c7, 7, 1, "branch7x7dbl_4"), 192, 1, 7, "branch7x7dbl_5");
  Value bp = cv(avg3(b, x), 192, 1, 1, "branch_pool");
  return b.concat({b1, b7, bd, bp}, 1);
}

Value block_d(const Convs& cv, GraphBuilder& b, const Value& x) {
  Value b3 = cv(cv(x, 192, 1, 1, "branch3x3_1"), 320, 3, 3, "branch3x3_2", 2, 0);
  Value b7 = cv(cv(x, 192, 1, 1, "branch7x7x3_1"), 192, 1, 7, "branch7x7x3_2");
  b7 = cv(cv(b7, 192, 7, 1, "branch7x7x3_3"), 192, 3, 3, "branch7x7x3_4", 2, 0);
  return b.concat({b3, b7, max3s2(b, x)}, 1);
}

Value block_e(const Convs& cv, GraphBuilder& b, const Value& x) {
  Value b1 = cv(x, 320, 1, 1, "branch1x1");
  Value b3 = cv(x, 384, 1, 1, "branch3x3_1");
  b3 = b.concat({cv(b3, 384, 1, 3, "branch3x3_2a"), cv(b3, 384, 3, 1, "branch3x3_2b")}, 1);
  Value bd = cv(cv(x, 448, 1, 1, "branch3x3dbl_1"), 384, 3, 3, "branch3x3dbl_2");
  bd = b.concat({cv(bd, 384, 1, 3, "branch3x3dbl_3a"), cv(bd, 384, 3, 1, "branch3x3dbl_3b")}, 1);
  Value bp = cv(avg3(b, x), 192, 1, 1, "branch_pool");
  return b.concat({b1, b3, bd, bp}, 1);
}

Value core_inception_v3(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const Convs cv{b, a, c};
  const std::string block = a.text("block", "");
  if (block == "a") return block_a(cv, b, x, a.integer("pool_features", 64));
  if (block == "b") return block_b(cv, b, x);
  if (block == "c") return block_c(cv, b, x, a.integer("c7", 128));
  if (block == "d") return block_d(cv, b, x);
  if (block == "e") return block_e(cv, b, x);
  throw InputError(a.where + ": inception_v3 block '" + block + "': expected a, b, c, d or e");
}

// The auxiliary classifier torchvision's Inception3 keeps (its weights are in the pretrained
// state and in its documented num_params): 5×5/3 average pool, 1×1 to 128, 5×5 to 768, linear.
// Its scores are an extra graph output; the main path passes through unchanged.
Value core_inception_aux(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const Convs cv{b, a, c};
  Value y = b.avg_pool(x, {5}, {3}, {0});
  y = cv(cv(y, 128, 1, 1, "conv0"), 768, 5, 5, "conv1", 1, 0);
  y = b.flatten(b.global_avg_pool(y));
  Scope s(b, "fc");
  c.extra_outputs.push_back(b.linear(y, classes(a, c)));
  return x;
}

}  // namespace

void add_inception_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"inception_v3", "backbone", "Inception v3 module: a (35×35), b (grid reduction), c (17×17, factorised 7×7), d (grid reduction), e (8×8, split 3×3)",
       "factorising an n×n convolution into 1×n and n×1 costs 2/n of it, and reducing the grid with parallel pooling and "
       "strided convolutions avoids a representational bottleneck (Szegedy et al. 2016).",
       {{"block", "a, b, c, d or e (torchvision's InceptionA…E)"}, {"pool_features", "a: pool branch channels (default 64)"},
        {"c7", "c: channels inside the factorised 7×7 branches (default 128)"}, kScale, kDivisor},
       core_inception_v3},
      {"inception_aux", "head", "Inception v3 auxiliary classifier (an extra output; the main path passes through)",
       "a second classifier on intermediate features that helps training; inference ignores its output, but its weights are "
       "part of the released model.",
       {{"num_classes", "classes (default: the composition's)"}, kScale, kDivisor}, core_inception_aux}
  });
}

}  // namespace sml::compose::detail
