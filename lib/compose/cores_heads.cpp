// Head cores: classification, regression, per-token, pooler, CTC, SSDlite detection, FCN and
// LR-ASPP segmentation.
#include "cores_common.hpp"

#include <algorithm>
#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

Value pooled_features(GraphBuilder& b, const Value& x, const CoreArgs& a) {
  const std::string pool = a.text("pool", x.rank() == 4 ? "avg" : x.rank() == 3 ? "cls" : "none");
  if (pool == "avg") return b.flatten(b.global_avg_pool(x));
  if (pool == "cls") {
    need_rank(a, x, 3, "a sequence (N, S, D) for pool: cls");
    return token_zero(b, x);
  }
  if (pool == "mean") {
    need_rank(a, x, 3, "a sequence (N, S, D) for pool: mean");
    return b.flatten(b.global_avg_pool(b.transpose(x, {0, 2, 1})));
  }
  if (pool == "none") return x.rank() == 2 ? x : b.flatten(x);
  throw InputError(a.where + ": " + a.core + " pool '" + pool + "': expected avg, cls, mean or none");
}

Value core_classifier(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  Value y = pooled_features(b, x, a);
  if (a.flag("norm", false)) {  // LayerNorm on the pooled features (MaxViT)
    Scope s(b, "norm");
    y = b.layer_norm(y, static_cast<float>(a.number("eps", 1e-5)));
  }
  const std::vector<std::int64_t> hidden = a.integers("hidden", {});  // VGG and AlexNet have two
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    if (hidden[i] <= 0) continue;
    Scope s(b, i == 0 ? std::string("hidden") : "hidden" + std::to_string(i + 1));
    y = b.activation(b.linear(y, scaled_channels(hidden[i], c.width, a.integer("divisor", 8), a.text("scale", "scale"))), a.text("hidden_act", "relu"));
    if (i + 1 < hidden.size()) y = b.dropout(y, static_cast<float>(a.number("dropout", 0)));
  }
  y = b.dropout(y, static_cast<float>(a.number("dropout", 0)));  // right before the last linear layer
  Scope s(b, "fc");
  return b.linear(y, classes(a, c), a.flag("bias", true));
}

Value core_regression_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  Value y = pooled_features(b, x, a);
  if (a.integer("hidden", 0) > 0) {
    Scope s(b, "hidden");
    y = b.activation(b.linear(y, channels(a, "hidden", c)), a.text("hidden_act", "relu"));
  }
  Scope s(b, "fc");
  return b.linear(y, std::max<std::int64_t>(1, a.integer("outputs", 1)));
}

Value core_token_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N, S, D)");
  if (a.has("tie")) {  // the output projection is the embedding table, transposed: no weights of its own
    auto it = c.tables.find(a.text("tie", ""));
    if (it == c.tables.end()) throw InputError(a.where + ": token_head tie '" + a.text("tie", "") + "': no earlier token_embed has that name");
    if (it->second.dim(1) != x.dim(2))
      throw InputError(a.where + ": token_head tie: the table is " + std::to_string(it->second.dim(1)) + " wide, the sequence " + std::to_string(x.dim(2)));
    // Gemm with transB reads the table as it is stored: a Transpose of it would be a second copy
    // of the largest tensor for the roofline to move at every pass (and every decode step).
    const Value& table = it->second;
    const Value rows = b.reshape(x, {x.dim(0) * x.dim(1), x.dim(2)});
    return b.reshape(b.node("Gemm", {rows, table}, {rows.dim(0), table.dim(0)}, {Attr::integer("transB", 1)}), {x.dim(0), x.dim(1), table.dim(0)});
  }
  Scope s(b, "fc");
  return b.linear(x, classes(a, c), a.flag("bias", true));
}

Value core_pooler(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext&) {
  need_rank(a, x, 3, "a sequence (N, S, D)");
  Scope s(b, "dense");
  return b.activation(b.linear(token_zero(b, x), x.dim(2)), "tanh");
}

Value core_ctc_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 3, "a sequence (N, T, F)");
  Scope s(b, "fc");
  return b.log_softmax(b.linear(x, classes(a, c, "vocab") + 1), -1);  // +1: the CTC blank
}

Value core_ssdlite_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t anchors = a.integer("anchors", 6), n = classes(a, c), B = x.dim(0), cells = x.dim(2) * x.dim(3);
  auto branch = [&](const char* name, std::int64_t per_anchor) {
    Scope s(b, name);
    Value y = conv_bn(b, x, x.dim(1), 3, 1, x.dim(1), "relu6", 1e-3f, true, false, "depthwise");
    {
      Scope p(b, "pointwise");
      y = b.conv(y, anchors * per_anchor, {1}, {1}, {0}, 1, true);
    }
    // (N, A·K, H, W) → (N, H·W·A, K): one row per anchor box.
    return b.reshape(b.transpose(b.reshape(y, {B, anchors, per_anchor, cells}), {0, 3, 1, 2}), {B, cells * anchors, per_anchor});
  };
  Value boxes = branch("regression", 4);
  c.extra_outputs.push_back(boxes);
  return branch("classification", n);
}

Value to_input_resolution(GraphBuilder& b, const Value& y, const BuildContext& c) {
  if (c.input_shape.size() != 4) return y;
  return b.resize_to(y, c.input_shape[2], c.input_shape[3]);
}

Value core_fcn_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  Value y = conv_bn(b, x, std::max<std::int64_t>(1, x.dim(1) / 4), 3, 1, 1, "relu", 1e-5f, true, false, "0");
  y = b.dropout(y, static_cast<float>(a.number("dropout", 0.1)));
  {
    Scope s(b, "classifier");
    y = b.conv(y, classes(a, c), {1}, {1}, {0}, 1, true);
  }
  y = to_input_resolution(b, y, c);
  if (a.flag("aux", false)) c.extra_outputs.push_back(y);  // torchvision's aux_classifier: a second output
  return y;
}

Value core_lraspp_head(GraphBuilder& b, const Value& x, const CoreArgs& a, BuildContext& c) {
  need_rank(a, x, 4, "a feature map (N, C, H, W)");
  const std::int64_t inter = channels(a, "inter", c, 128), n = classes(a, c);
  Value y = conv_bn(b, x, inter, 1, 1, 1, "relu", 1e-5f, true, false, "cbr");
  Value gate;
  {
    Scope s(b, "scale");
    gate = b.activation(b.conv(b.global_avg_pool(x), inter, {1}, {1}, {0}, 1, false), "sigmoid");
  }
  y = b.mul(y, gate);
  // LR-ASPP's second branch: a higher-resolution feature from the backbone. As torchvision, the
  // gated features are upsampled to it before their classifier.
  const bool has_low = a.has("low");
  const Value low = has_low ? resolve(c, a, "low") : Value{};
  if (has_low) y = b.resize_to(y, low.dim(2), low.dim(3));
  Value out;
  {
    Scope s(b, "high_classifier");
    out = b.conv(y, n, {1}, {1}, {0}, 1, true);
  }
  if (has_low) {
    Scope s(b, "low_classifier");
    out = b.add(out, b.conv(low, n, {1}, {1}, {0}, 1, true));
  }
  return to_input_resolution(b, out, c);
}

}  // namespace

void add_head_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"classifier", "head", "classification head: pool, optional hidden layer, linear to num_classes",
       "maps features to class scores; its size is features × classes, small beside the backbone, which is why swapping it is "
       "the cheapest way to reuse a pretrained model.",
       {{"num_classes", "classes (default: the composition's)"}, {"pool", "avg (feature maps), cls (token 0), mean (over tokens) or none"},
        {"hidden", "hidden width (0: none; a list for several hidden layers, e.g. [4096, 4096])"}, {"hidden_act", "hidden activation (default relu)"}, {"dropout", "dropout rate before the last linear layer and after each hidden one"},
        {"norm", "LayerNorm on the pooled features (default false)"}, {"eps", "its epsilon (default 1e-5)"}, {"bias", "bias of the last linear layer (default true)"},
        kScale, kDivisor},
       core_classifier},
      {"regression_head", "head", "regression head: pool, optional hidden layer, linear to outputs",
       "predicts numbers instead of classes (depth, age, a forecast).",
       {{"outputs", "values predicted (default 1)"}, {"pool", "avg, cls, mean or none"}, {"hidden", "hidden width"},
        {"hidden_act", "hidden activation"}, kScale, kDivisor},
       core_regression_head},
      {"token_head", "head", "per-token linear layer (token classification, or a language model's next-token scores)",
       "scores every position: one label per token (named entities) or, over the vocabulary, the next token. A language "
       "model's vocabulary makes it one of its largest layers (D × vocabulary parameters).",
       {{"num_classes", "labels or vocabulary size (default: the composition's)"}, {"bias", "default true"},
        {"tie", "name of a token_embed core whose table, transposed, is the projection (GPT-2, tied LMs: no weights of its own)"}},
       core_token_head},
      {"pooler", "head", "BERT pooler (dense + tanh on the first token)", "summarises a sequence in its first token for sentence-level tasks.",
       {}, core_pooler},
      {"ctc_head", "head", "CTC head (linear to vocabulary + blank, log-softmax)",
       "lets a speech model emit characters without aligned labels: the blank symbol absorbs frames between characters.",
       {{"vocab", "output symbols, blank excluded"}}, core_ctc_head},
      {"ssdlite_head", "head", "SSDlite-style detection head on one feature map (depthwise-separable box and class predictors)",
       "predicts, for every cell and anchor, 4 box offsets and class scores; depthwise-separable predictors keep it mobile-sized "
       "(Sandler et al. 2018). One feature map only: ssd_head predicts on several (SSD, SSDlite320).",
       {{"num_classes", "classes incl. background"}, {"anchors", "anchors per cell (default 6)"}}, core_ssdlite_head},
      {"fcn_head", "head", "FCN segmentation head (3×3 conv-BN-ReLU, 1×1 classifier, upsample to the input)",
       "labels every pixel; upsampling back to input size makes the output as large as the image, which is what segmentation costs.",
       {{"num_classes", "classes"}, {"dropout", "default 0.1"},
        {"aux", "true: an auxiliary head (torchvision's aux_classifier), a second output; place it before the main head, which reads from:"}},
       core_fcn_head},
      {"lraspp_head", "head", "LR-ASPP segmentation head (MobileNetV3): pooled gate on a 1×1 branch, optional low-level branch",
       "a light segmentation head: a global gate instead of atrous pyramids (Howard et al. 2019).",
       {{"num_classes", "classes"}, {"inter", "channels of the 1×1 branch (default 128)"}, {"low", "name of an earlier, higher-resolution core"}, kScale, kDivisor},
       core_lraspp_head}
  });
}

}  // namespace sml::compose::detail
