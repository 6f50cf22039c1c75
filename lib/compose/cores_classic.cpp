// ImageNet CNN families beyond ResNet and MobileNet: EfficientNetV2's fused MBConv, RegNet's
// grouped bottleneck, DenseNet's dense blocks, SqueezeNet's fire module, ShuffleNetV2's split
// units, GoogLeNet's inception module, and a convolutional classifier head. Each follows the
// torchvision module of the same name layer for layer, so parameters match exactly.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// EfficientNetV2's fused MBConv (Tan & Le 2021): the expand 1×1 and depthwise k×k are one full
// k×k convolution; no squeeze-excitation. With expansion 1 the block is that one convolution.
Value core_fused_mbconv(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t out = channels(a, "out", c), k = a.integer("kernel", 3);
  const double t = a.number("expand", 4);
  const std::string act = a.text("act", "silu");
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t in = x.dim(1), stride = i == 0 ? a.integer("stride", 1) : 1;
    const std::int64_t expanded = make_divisible(static_cast<double>(in) * t, 8);
    Value y;
    if (expanded != in) {
      y = conv_bn(b, x, expanded, k, stride, 1, act, eps, true, false, "expand");
      y = conv_bn(b, y, out, 1, 1, 1, "none", eps, true, false, "project");
    } else {
      y = conv_bn(b, x, out, k, stride, 1, act, eps, true, false, "fused");
    }
    x = stride == 1 && in == out ? b.add(y, x) : y;
  }
  return x;
}

// RegNet's residual bottleneck (Radosavovic et al. 2020): 1×1, grouped 3×3 (groups of
// group_width channels), squeeze-excitation sized from the block input (RegNetY), 1×1, skip.
Value core_regnet_block(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t out = channels(a, "out", c), gw = a.integer("group_width", 8);
  const double se = a.number("se", 0.25), bm = a.number("bottleneck", 1);
  if (gw < 1) throw InputError(a.where + ": regnet_block group_width must be at least 1");
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t in = x.dim(1), stride = i == 0 ? a.integer("stride", 2) : 1;
    const std::int64_t wb = std::llround(static_cast<double>(out) * bm);
    if (wb % gw) throw InputError(a.where + ": regnet_block: " + std::to_string(wb) + " channels do not split into groups of " + std::to_string(gw));
    Value y = conv_bn(b, x, wb, 1, 1, 1, "relu", 1e-5f, true, false, "a");
    y = conv_bn(b, y, wb, 3, stride, wb / gw, "relu", 1e-5f, true, false, "b");
    if (se > 0) y = squeeze_excite(b, y, std::llround(se * static_cast<double>(in)), "relu");
    y = conv_bn(b, y, out, 1, 1, 1, "none", 1e-5f, true, false, "c");
    Value skip = stride != 1 || in != out ? conv_bn(b, x, out, 1, stride, 1, "none", 1e-5f, true, false, "proj") : x;
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

// BatchNorm then activation: the pre-activation order DenseNet uses (Huang et al. 2017).
Value bn_relu(GraphBuilder& b, const Value& x, const std::string& scope) {
  Scope s(b, scope);
  return b.activation(b.batch_norm(x, 1e-5f), "relu");
}

// A convolution with no bias and nothing after it (DenseNet's convolutions follow their BN-ReLU).
Value bare_conv(GraphBuilder& b, const Value& x, std::int64_t out, std::int64_t k, const std::string& scope) {
  Scope s(b, scope);
  return b.conv(x, out, {k}, {1}, {(k - 1) / 2}, 1, false);
}

Value core_bn_act(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  Scope s(b, "norm");
  return b.activation(b.batch_norm(x, static_cast<float>(a.number("eps", 1e-5))), a.text("act", "relu"));
}

// DenseNet's dense block: each layer (BN-ReLU-1×1 to bn_size·growth, BN-ReLU-3×3 to growth)
// sees the concatenation of the block input and every earlier layer's output.
Value core_dense_block(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "a feature map (N, C, H, W)");
  const std::int64_t growth = channels(a, "growth", c, 32), inner = a.integer("bn_size", 4) * growth;
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, "denselayer" + std::to_string(i + 1));
    Value y = bare_conv(b, bn_relu(b, x, "norm1"), inner, 1, "conv1");
    y = bare_conv(b, bn_relu(b, y, "norm2"), growth, 3, "conv2");
    x = b.concat({x, y}, 1);
  }
  return x;
}

// DenseNet's transition: BN-ReLU-1×1 (to out, default half the channels), 2×2 average pool.
Value core_dense_transition(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = a.has("out") ? channels(a, "out", c) : x.dim(1) / 2;
  Value y = bare_conv(b, bn_relu(b, x, "norm"), out, 1, "conv");
  return b.avg_pool(y, {2}, {2}, {0});
}

// SqueezeNet's fire module (Iandola et al. 2016): a 1×1 squeeze, then 1×1 and 3×3 expands side by side.
Value core_fire(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  const std::int64_t sq = channels(a, "squeeze", c), e1 = channels(a, "expand1x1", c), e3 = channels(a, "expand3x3", c, e1);
  Value s = conv_bn(b, x, sq, 1, 1, 1, "relu", 0, false, true, "squeeze");
  return b.concat({conv_bn(b, s, e1, 1, 1, 1, "relu", 0, false, true, "expand1x1"), conv_bn(b, s, e3, 3, 1, 1, "relu", 0, false, true, "expand3x3")}, 1);
}

Value channel_shuffle(GraphBuilder& b, const Value& x, std::int64_t groups) {
  const std::int64_t B = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  return b.reshape(b.transpose(b.reshape(x, {B, groups, C / groups, H, W}), {0, 2, 1, 3, 4}), {B, C, H, W});
}

// ShuffleNetV2's unit (Ma et al. 2018): a stride-1 unit splits the channels, transforms one half
// (1×1, depthwise 3×3, 1×1) and shuffles; a stride-2 unit transforms both copies of its input.
Value core_shuffle_unit(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x0, 4, "a feature map (N, C, H, W)");
  const std::int64_t out = channels(a, "out", c), half = out / 2;
  if (out % 2) throw InputError(a.where + ": shuffle_unit out must be even, got " + std::to_string(out));
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 2) : 1, in = x.dim(1);
    auto branch2 = [&](const Value& v) {
      Scope br(b, "branch2");
      Value y = conv_bn(b, v, half, 1, 1, 1, "relu", 1e-5f, true, false, "0");
      y = conv_bn(b, y, half, 3, stride, half, "none", 1e-5f, true, false, "3");
      return conv_bn(b, y, half, 1, 1, 1, "relu", 1e-5f, true, false, "5");
    };
    if (stride > 1 || in != out) {
      Value left;
      {
        Scope br(b, "branch1");
        left = conv_bn(b, x, in, 3, stride, in, "none", 1e-5f, true, false, "0");
        left = conv_bn(b, left, half, 1, 1, 1, "relu", 1e-5f, true, false, "2");
      }
      x = b.concat({left, branch2(x)}, 1);
    } else {
      x = b.concat({b.slice(x, 1, 0, half), branch2(b.slice(x, 1, half, out))}, 1);
    }
    x = channel_shuffle(b, x, 2);
  }
  return x;
}

// GoogLeNet's inception module (Szegedy et al. 2015) as torchvision builds it: 1×1; 1×1 then
// 3×3; 1×1 then k×k (torchvision keeps 3×3 where the paper has 5×5); 3×3 max pool then 1×1.
Value core_inception(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const float eps = static_cast<float>(a.number("eps", 1e-3));
  auto cbr = [&](const Value& v, const char* key, std::int64_t k, const std::string& scope) {
    return conv_bn(b, v, channels(a, key, c), k, 1, 1, "relu", eps, true, false, scope);
  };
  const std::int64_t k3 = a.integer("b3_kernel", 3);
  Value b1 = cbr(x, "b1", 1, "branch1");
  Value b2 = cbr(cbr(x, "b2_reduce", 1, "branch2.0"), "b2", 3, "branch2.1");
  Value b3 = cbr(cbr(x, "b3_reduce", 1, "branch3.0"), "b3", k3, "branch3.1");
  Value b4 = cbr(b.max_pool(x, {3}, {1}, pool_pads(x, 3, 1, 1, true)), "b4", 1, "branch4.1");
  return b.concat({b1, b2, b3, b4}, 1);
}

// SqueezeNet's head: a 1×1 convolution to the classes, ReLU, global average pool.
Value core_conv_classifier(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  Value y = b.dropout(x, static_cast<float>(a.number("dropout", 0)));
  {
    Scope s(b, "conv");
    y = b.activation(b.conv(y, classes(a, c), {1}, {1}, {0}, 1, true), a.text("act", "relu"));
  }
  return b.flatten(b.global_avg_pool(y));
}

}  // namespace

void add_classic_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"fused_mbconv", "backbone", "EfficientNetV2 fused MBConv (k×k expand convolution, 1×1 project; no squeeze-excitation)",
       "early, high-resolution stages run faster on accelerators as one full convolution than as 1×1 plus depthwise, for a few "
       "more MACs (Tan & Le 2021, EfficientNetV2).",
       {{"out", "output channels"}, {"kernel", "default 3"}, kStride, kRepeat, {"expand", "expansion ratio (default 4; 1: one k×k convolution)"},
        {"act", "default silu"}, {"eps", "BatchNorm epsilon (default 1e-3)"}, kScale, kDivisor},
       core_fused_mbconv},
      {"regnet_block", "backbone", "RegNet residual bottleneck (1×1, grouped 3×3, squeeze-excitation, 1×1, skip)",
       "RegNet's design space fixes the block and searches stage widths and depths (Radosavovic et al. 2020); grouped 3×3 "
       "convolutions cost group_width/C of a full one, and SE (RegNetY) re-weights channels.",
       {{"out", "output channels"}, {"group_width", "channels per group of the 3×3 (default 8)"}, {"se", "squeeze ratio of the block input (default 0.25; 0: RegNetX)"},
        {"bottleneck", "bottleneck multiplier (default 1)"}, {"stride", "stride of the first repeat (default 2)"}, kRepeat, kScale, kDivisor},
       core_regnet_block},
      {"bn_act", "backbone", "BatchNorm and activation (no convolution)",
       "closes a pre-activation network (DenseNet's norm5) whose convolutions come after their normalisation.",
       {{"eps", "default 1e-5"}, {"act", "default relu"}}, core_bn_act},
      {"dense_block", "backbone", "DenseNet dense block (layers of BN-ReLU-1×1, BN-ReLU-3×3 over the concatenation of all earlier outputs)",
       "every layer reads all earlier features, so each adds only `growth` channels: few parameters, but the concatenated "
       "inputs make activations and memory traffic grow (Huang et al. 2017).",
       {{"growth", "channels each layer adds (default 32)"}, {"bn_size", "1×1 width as a multiple of growth (default 4)"}, {"repeat", "layers in the block"}, kScale, kDivisor},
       core_dense_block},
      {"dense_transition", "backbone", "DenseNet transition (BN-ReLU-1×1 to half the channels, 2×2 average pool)",
       "halves channels and resolution between dense blocks, which keeps the concatenations affordable.",
       {{"out", "output channels (default half the input)"}, kScale, kDivisor}, core_dense_transition},
      {"fire", "backbone", "SqueezeNet fire module (1×1 squeeze, 1×1 and 3×3 expands concatenated)",
       "squeezing channels before the 3×3 filters is how SqueezeNet reaches AlexNet accuracy with 50× fewer parameters "
       "(Iandola et al. 2016).",
       {{"squeeze", "squeeze channels"}, {"expand1x1", "1×1 expand channels"}, {"expand3x3", "3×3 expand channels (default: expand1x1)"}, kScale, kDivisor},
       core_fire},
      {"shuffle_unit", "backbone", "ShuffleNetV2 unit (channel split, 1×1-depthwise 3×3-1×1 branch, concat, channel shuffle)",
       "half the channels pass untouched and a shuffle mixes the halves, so memory access stays low, which is what ShuffleNetV2 "
       "optimises for beside MACs (Ma et al. 2018).",
       {{"out", "output channels (even)"}, {"stride", "stride of the first repeat (default 2)"}, kRepeat, kScale, kDivisor},
       core_shuffle_unit},
      {"inception", "backbone", "GoogLeNet inception module (1×1 | 1×1→3×3 | 1×1→k×k | pool→1×1, concatenated)",
       "parallel filters of several sizes see several scales at once; the 1×1 reductions before the larger filters keep the "
       "cost down (Szegedy et al. 2015).",
       {{"b1", "1×1 branch channels"}, {"b2_reduce", "1×1 before the 3×3"}, {"b2", "3×3 channels"}, {"b3_reduce", "1×1 before the k×k"},
        {"b3", "k×k channels"}, {"b3_kernel", "k (default 3, as torchvision; the paper's 5)"}, {"b4", "pool projection channels"},
        {"eps", "BatchNorm epsilon (default 1e-3)"}, kScale, kDivisor},
       core_inception},
      {"conv_classifier", "head", "convolutional classification head (1×1 convolution to the classes, ReLU, global average pool)",
       "SqueezeNet's head: no fully connected layer, so it costs Cin × classes parameters and works at any input size.",
       {{"num_classes", "classes (default: the composition's)"}, {"act", "after the convolution (default relu)"}, {"dropout", "dropout rate before it"}},
       core_conv_classifier}
  });
}

}  // namespace sml::compose::detail
