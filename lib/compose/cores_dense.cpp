// Dense-prediction cores: DeepLabV3's atrous spatial pyramid pooling head (segmentation).
// The FCN and LR-ASPP heads are in cores_heads.cpp; dilated backbones are the bottleneck and
// inverted_residual cores with a `dilation` key.
#include "cores_common.hpp"

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// Chen et al. 2017 (arXiv:1706.05587) as torchvision.models.segmentation.deeplabv3.DeepLabHead:
// ASPP (a 1×1 branch, one 3×3 branch per atrous rate, an image-pooling branch; each conv-BN-ReLU
// to OUT channels), concatenated and projected 1×1 with dropout, then 3×3 conv-BN-ReLU, a 1×1
// classifier with bias, and bilinear upsampling to the input.
Value core_deeplabv3_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = channels(a, "out", c, 256), n = classes(a, c);
  const auto rates = a.integers("rates", {12, 24, 36});
  std::vector<Value> branches;
  {
    Scope s(b, "aspp");
    branches.push_back(conv_bn(b, x, out, 1, 1, 1, "relu", 1e-5f, true, false, "0"));
    for (std::size_t i = 0; i < rates.size(); ++i) {
      if (rates[i] < 1) throw InputError(a.where + ": deeplabv3_head rates: expected whole numbers of at least 1");
      branches.push_back(conv_bn(b, x, out, 3, 1, 1, "relu", 1e-5f, true, false, std::to_string(i + 1), rates[i]));
    }
    Value pooled = b.global_avg_pool(x);
    pooled = conv_bn(b, pooled, out, 1, 1, 1, "relu", 1e-5f, true, false, "pooling");
    branches.push_back(b.resize_to(pooled, x.dim(2), x.dim(3)));
    Value y = conv_bn(b, b.concat(branches, 1), out, 1, 1, 1, "relu", 1e-5f, true, false, "project");
    branches = {b.dropout(y, static_cast<float>(a.number("dropout", 0.5)))};
  }
  Value y = conv_bn(b, branches[0], out, 3, 1, 1, "relu", 1e-5f, true, false, "conv");
  {
    Scope s(b, "classifier");
    y = b.conv(y, n, {1}, {1}, {0}, 1, true);
  }
  if (c.input_shape.size() == 4) y = b.resize_to(y, c.input_shape[2], c.input_shape[3]);
  return y;
}

}  // namespace

void add_dense_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"deeplabv3_head", "head",
       "DeepLabV3 head: atrous spatial pyramid pooling (1×1, dilated 3×3 per rate, image pooling), 1×1 projection, 3×3, 1×1 "
       "classifier, upsample to the input",
       "sees context at several scales without losing resolution: dilated convolutions widen the field of view for the same "
       "parameters (Chen et al. 2017). Costly: every branch runs at the backbone's output stride (8 or 16), with 2048 input "
       "channels on ResNets.",
       {{"num_classes", "classes per pixel"}, {"out", "ASPP channels (default 256)"}, {"rates", "atrous rates (default [12, 24, 36])"},
        {"dropout", "after the projection (default 0.5)"}, kScale, kDivisor},
       core_deeplabv3_head},
  });
}

}  // namespace sml::compose::detail
