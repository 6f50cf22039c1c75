// Convolutional cores: conv-BN-activation, pooling, ResNet blocks, inverted residuals and MBConv,
// depthwise-separable convolutions.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

Value core_conv_bn_act(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  return conv_bn(b, x, channels(a, "out", c), a.integers("kernel", {3}), a.integers("stride", {1}), a.integer("groups", 1),
                 a.text("act", "relu"), static_cast<float>(a.number("eps", 1e-5)), a.flag("bn", true), a.flag("bias", false), "",
                 std::max<std::int64_t>(1, a.integer("dilation", 1)), a.integers("pad", {}));
}

Value core_max_pool(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  const auto k = a.integer("kernel", 2), s = a.integer("stride", k);
  return b.max_pool(x, {k}, {s}, pool_pads(x, k, s, a.integer("pad", 0), a.flag("ceil", false)));
}

Value core_avg_pool(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  const auto k = a.integer("kernel", 2);
  return b.avg_pool(x, {k}, {a.integer("stride", k)}, {a.integer("pad", 0)});
}

Value core_global_avg_pool(GraphBuilder& b, const Value& x, const CoreArgs&, BuildContext&) { return b.global_avg_pool(x); }

Value core_basic_block(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t out = channels(a, "out", c);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    Value y = conv_bn(b, x, out, 3, stride, 1, "relu", 1e-5f, true, false, "1");
    y = conv_bn(b, y, out, 3, 1, 1, "none", 1e-5f, true, false, "2");
    Value skip = stride != 1 || x.dim(1) != out ? conv_bn(b, x, out, 1, stride, 1, "none", 1e-5f, true, false, "downsample") : x;
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

Value core_bottleneck(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t mid = channels(a, "mid", c);
  const std::int64_t out = a.has("out") ? channels(a, "out", c) : mid * a.integer("expansion", 4);
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    // Dilated stages (segmentation backbones) keep the resolution; torchvision's first block
    // still uses the previous stage's dilation.
    const std::int64_t dilation = i == 0 ? a.integer("first_dilation", a.integer("dilation", 1)) : a.integer("dilation", 1);
    Value y = conv_bn(b, x, mid, 1, 1, 1, "relu", 1e-5f, true, false, "1");
    y = conv_bn(b, y, mid, 3, stride, 1, "relu", 1e-5f, true, false, "2", std::max<std::int64_t>(1, dilation));  // stride on the 3×3 (ResNet v1.5)
    y = conv_bn(b, y, out, 1, 1, 1, "none", 1e-5f, true, false, "3");
    Value skip = stride != 1 || x.dim(1) != out ? conv_bn(b, x, out, 1, stride, 1, "none", 1e-5f, true, false, "downsample") : x;
    x = b.activation(b.add(y, skip), "relu");
  }
  return x;
}

// MobileNetV2/V3 inverted residual and EfficientNet MBConv: expand 1×1, depthwise k×k,
// optional squeeze-excitation, project 1×1; a skip when shape allows.
Value inverted_residual(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c, const CoreArgs& defaults) {
  auto text = [&](const char* k) { return a.text(k, defaults.text(k, "")); };
  auto number = [&](const char* k) { return a.number(k, defaults.number(k, 0)); };
  auto integer = [&](const char* k) { return a.integer(k, defaults.integer(k, 0)); };
  const std::int64_t out = channels(a, "out", c);
  const std::string act = text("act");
  const float eps = static_cast<float>(number("eps"));
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t in = x.dim(1), stride = i == 0 ? a.integer("stride", 1) : 1, k = a.integer("kernel", 3);
    // The first repeat may state its expanded width; later ones expand from their own input.
    std::int64_t expanded;
    if (a.has("expanded") && i == 0) {
      expanded = channels(a, "expanded", c);
    } else {
      const double t = a.has("expanded") ? static_cast<double>(a.integer("expanded", 0)) / static_cast<double>(a.integer("in", in)) : number("expand");
      const std::int64_t div = integer("expand_divisor");
      expanded = div > 1 ? make_divisible(static_cast<double>(in) * t, div) : std::llround(static_cast<double>(in) * t);
    }
    Value y = x;
    if (expanded != in) y = conv_bn(b, y, expanded, 1, 1, 1, act, eps, true, false, "expand");
    y = conv_bn(b, y, expanded, k, stride, expanded, act, eps, true, false, "depthwise", std::max<std::int64_t>(1, a.integer("dilation", 1)));
    const double se = number("se");
    if (se > 0) {
      Scope ss(b, "se");
      const double base = static_cast<double>(text("se_from") == "input" ? in : expanded);
      const std::int64_t div = integer("se_divisor");
      const std::int64_t squeeze = div > 1 ? make_divisible(std::floor(base * se), div)
                                           : std::max<std::int64_t>(1, channel_count(base * se));
      Value g = b.global_avg_pool(y);
      {
        Scope f(b, "fc1");
        g = b.activation(b.conv(g, squeeze, {1}, {1}, {0}, 1, true), text("se_act"));
      }
      {
        Scope f(b, "fc2");
        g = b.activation(b.conv(g, expanded, {1}, {1}, {0}, 1, true), text("se_gate"));
      }
      y = b.mul(y, g);
    }
    y = conv_bn(b, y, out, 1, 1, 1, "none", eps, true, false, "project");
    x = stride == 1 && in == out ? b.add(y, x) : y;
  }
  return x;
}

Value core_inverted_residual(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  static const CoreArgs mobilenet{"inverted_residual",
                                  {{"act", "relu6"}, {"eps", "1e-5"}, {"expand", "6"}, {"expand_divisor", "1"}, {"se", "0"},
                                   {"se_from", "expanded"}, {"se_divisor", "8"}, {"se_act", "relu"}, {"se_gate", "hardsigmoid"}},
                                  "defaults"};
  return inverted_residual(b, x, a, c, mobilenet);
}

Value core_mbconv(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  static const CoreArgs efficientnet{"mbconv",
                                     {{"act", "silu"}, {"eps", "1e-3"}, {"expand", "6"}, {"expand_divisor", "8"}, {"se", "0.25"},
                                      {"se_from", "input"}, {"se_divisor", "1"}, {"se_act", "silu"}, {"se_gate", "sigmoid"}},
                                     "defaults"};
  return inverted_residual(b, x, a, c, efficientnet);
}

Value core_ds_conv(GraphBuilder& b, const Value& x0, const CoreArgs& a, BuildContext& c) {
  const std::int64_t out = channels(a, "out", c);
  const std::string act = a.text("act", "relu");
  Value x = x0;
  for (std::int64_t i = 0, n = repeats(a, c); i < n; ++i) {
    Scope s(b, std::to_string(i));
    const std::int64_t stride = i == 0 ? a.integer("stride", 1) : 1;
    x = conv_bn(b, x, x.dim(1), a.integer("kernel", 3), stride, x.dim(1), act, 1e-5f, true, false, "depthwise");
    x = conv_bn(b, x, out, 1, 1, 1, act, 1e-5f, true, false, "pointwise");
  }
  return x;
}

}  // namespace

void add_conv_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"conv_bn_act", "backbone", "convolution, BatchNorm, activation",
       "the basic unit of CNNs: a k×k convolution learns local patterns; BatchNorm keeps training stable; the activation adds "
       "non-linearity. Cost: H·W·k²·Cin·Cout MACs, which a stride of 2 quarters for everything after it.",
       {{"out", "output channels"}, {"kernel", "kernel size (default 3; a list for each axis, e.g. [10, 4])"}, {"stride", "stride (a number or one per axis)"}, {"groups", "channel groups (depthwise: = input channels)"},
        {"act", "relu, relu6, hardswish, hardsigmoid, sigmoid, silu, gelu, tanh, none"}, {"eps", "BatchNorm epsilon"},
        {"bn", "false: no BatchNorm (the convolution gets a bias)"}, {"bias", "convolution bias"}, {"dilation", "dilation (default 1; padding keeps the size)"},
        {"pad", "padding (default: \"same\", (k-1)/2; one number, one per axis, or begin and end per axis)"}, kScale, kDivisor},
       core_conv_bn_act},
      {"max_pool", "stem", "max pooling", "halves resolution cheaply (no parameters), keeping the strongest response per window.",
       {{"kernel", "window"}, {"stride", "step (default: the window)"}, {"pad", "padding"}, {"ceil", "round the output size up (PyTorch's ceil_mode)"}}, core_max_pool},
      {"avg_pool", "backbone", "average pooling", "downsamples by averaging; no parameters.",
       {{"kernel", "window"}, {"stride", "step (default: the window)"}, {"pad", "padding"}}, core_avg_pool},
      {"global_avg_pool", "neck", "global average pooling", "turns a feature map into one vector per channel, so the head's size does not depend on the image size.",
       {}, core_global_avg_pool},
      {"basic_block", "backbone", "ResNet basic residual block (two 3×3 convolutions and a skip)",
       "the skip connection lets gradients pass unchanged, which is what makes deep networks trainable (He et al. 2016); two 3×3 "
       "convolutions per block (ResNet-18/34).",
       {{"out", "output channels"}, kStride, kRepeat, kScale, kDivisor}, core_basic_block},
      {"bottleneck", "backbone", "ResNet bottleneck block (1×1 reduce, 3×3, 1×1 expand, skip)",
       "squeezes channels before the expensive 3×3 and expands after, so deep ResNets (50+) cost about as much as shallow wide "
       "ones. The stride sits on the 3×3 (torchvision's v1.5).",
       {{"mid", "channels of the 3×3"}, {"out", "output channels (default mid × expansion)"}, {"expansion", "default 4"}, kStride, kRepeat, kScale, kDivisor,
        {"dilation", "dilation of the 3×3 (segmentation backbones: 2, 4 instead of a stride)"}, {"first_dilation", "the first repeat's (default: dilation)"}},
       core_bottleneck},
      {"inverted_residual", "backbone", "MobileNetV2/V3 inverted residual (expand 1×1, depthwise k×k, [squeeze-excitation], project 1×1)",
       "depthwise convolution costs k² per channel instead of k²·Cin, so mobile networks spend their MACs on 1×1 convolutions; "
       "the narrow ends keep memory traffic low. Squeeze-excitation re-weights channels for a few extra parameters.",
       {{"out", "output channels"}, {"kernel", "depthwise kernel (default 3)"}, kStride, kRepeat,
        {"expand", "expansion ratio (default 6)"}, {"expanded", "expanded channels (MobileNetV3 tables), instead of expand"}, {"dilation", "depthwise dilation (dilated backbones for segmentation)"},
        {"in", "input channels the expanded figure was written for (later repeats keep the ratio)"},
        {"expand_divisor", "round expanded channels to this multiple (default 1: plain rounding)"},
        {"act", "activation (default relu6)"}, {"eps", "BatchNorm epsilon"}, {"se", "squeeze ratio (0: no squeeze-excitation)"},
        {"se_from", "expanded or input: the channels the squeeze ratio applies to"}, {"se_divisor", "round squeezed channels (default 8)"},
        {"se_act", "activation inside SE"}, {"se_gate", "SE gate (hardsigmoid or sigmoid)"}, kScale, kDivisor},
       core_inverted_residual},
      {"mbconv", "backbone", "EfficientNet MBConv (inverted residual with SiLU and squeeze-excitation)",
       "the inverted residual as EfficientNet uses it: SiLU activations and squeeze-excitation sized from the block input "
       "(Tan & Le 2019). Same keys as inverted_residual, other defaults.",
       {{"out", "output channels"}, {"kernel", "depthwise kernel"}, kStride, kRepeat, {"expand", "expansion ratio (default 6)"},
        {"expand_divisor", "default 8"}, {"act", "default silu"}, {"eps", "default 1e-3"}, {"se", "default 0.25"},
        {"se_from", "default input"}, {"se_divisor", "default 1"}, {"se_act", "default silu"}, {"se_gate", "default sigmoid"},
        {"expanded", "expanded channels"}, {"in", "input channels expanded was written for"}, kScale, kDivisor},
       core_mbconv},
      {"ds_conv", "backbone", "depthwise-separable convolution (depthwise k×k, pointwise 1×1)",
       "splits a k×k convolution into a per-channel spatial filter and a 1×1 channel mixer: about k² times fewer MACs for a small "
       "loss in accuracy (MobileNetV1, keyword spotters).",
       {{"out", "output channels"}, {"kernel", "default 3"}, kStride, kRepeat, {"act", "default relu"}, kScale, kDivisor}, core_ds_conv}
  });
}

}  // namespace sml::compose::detail
