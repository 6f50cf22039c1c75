#include "sml/describe/model_segments.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sml/describe/graph_structure.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/files.hpp"

namespace sml::describe {
namespace {

std::vector<long long> dims_of(const std::string& shape) {
  std::vector<long long> d;
  std::size_t start = 0;
  while (start <= shape.size()) {
    auto x = shape.find('x', start);
    const std::string part = shape.substr(start, x == std::string::npos ? std::string::npos : x - start);
    d.push_back(part.empty() || part == "?" ? -1 : std::atoll(part.c_str()));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  return d;
}

// Spatial size H×W of a 4-D output (N, C, H, W); -1 when not a feature map.
long long spatial(const cost::LayerCost& l) {
  // Only the ops that make feature maps say where the resolution is: other 4-D tensors may be
  // permuted (ConvNeXt's channels-last LayerNorm) or weights.
  static const char* map_ops[] = {"Conv", "ConvTranspose", "QLinearConv", "ConvInteger", "MaxPool", "AveragePool",
                                  "Resize", "Upsample", "GlobalAveragePool", "GlobalMaxPool"};
  if (l.constant || std::none_of(std::begin(map_ops), std::end(map_ops), [&](const char* op) { return l.op == op; }))
    return -1;
  const auto d = dims_of(l.output_shape);
  if (d.size() != 4 || d[2] < 0 || d[3] < 0) return -1;
  // 1×1 maps are pooled summaries (squeeze-and-excitation, global context), not a resolution.
  return d[2] * d[3] > 1 ? d[2] * d[3] : -1;
}

std::string pct(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * share);
  return buf;
}

std::string human(double v) {
  char buf[32];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.2f G", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2f M", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1f k", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

void add(std::vector<ModelSegment>& out, const cost::Profile& p, std::string name, std::string role, std::size_t first,
         std::size_t last) {
  if (first > last || last >= p.layers.size()) return;
  ModelSegment s;
  s.name = std::move(name);
  s.role = std::move(role);
  s.first = first;
  s.last = last;
  for (std::size_t i = first; i <= last; ++i) {
    s.macs += p.layers[i].macs;
    s.params += p.layers[i].params;
    s.nodes += p.layers[i].constant ? 0 : 1;  // computing nodes; weights and shape constants aside
  }
  s.share_macs = p.macs > 0 ? s.macs / p.macs : 0;
  out.push_back(std::move(s));
}

// Why a segment costs what it costs, in words.
std::string explain(const ModelSegment& s, const cost::Profile& p, const std::string& modality) {
  const std::string cost = " It holds " + human(static_cast<double>(s.params)) + " parameters (" +
                           pct(p.params > 0 ? static_cast<double>(s.params) / static_cast<double>(p.params) : 0) +
                           ")" + (p.macs > 0 ? " and does " + pct(s.share_macs) + " of the multiply-accumulates."
                                            : "; its multiply-accumulates are unknown until the input's shape is given (--input-shape).");
  if (s.role == "stem" && modality == "audio-waveform")
    return "The stem turns raw audio samples into a first set of features: a bank of filters (often a short-time "
           "Fourier transform written as a convolution) slides over the signal, so later layers work on frames "
           "rather than single samples." + cost;
  if (s.role == "stem" && modality == "audio-frames")
    return "The stem turns the audio frames (spectrogram-like features over time) into a first set of learned "
           "features, usually shortening the time axis so later layers work on fewer steps." + cost;
  if (s.role == "stem" && (modality == "sequence" || modality == "features" || modality == "tokens"))
    return "The stem projects the input into the width the rest of the model works at: the first learned "
           "transformation of each input vector." + cost;
  if (s.role == "stem" && s.resolution.empty())
    return "The stem turns raw pixels into a first set of feature maps and shrinks the image so that later layers "
           "work on fewer positions. Few parameters, but it runs at full resolution." + cost;
  if (s.role == "stem")
    return "The stem turns raw pixels into a first set of feature maps and shrinks the image (here to " + s.resolution +
           ") so that later layers work on fewer positions. Few parameters, but it runs at full resolution." + cost;
  if (s.role == "backbone-stage" && s.resolution.empty())
    return std::string("A stage: a stack of blocks between two places where the ") +
           (modality == "image" ? "feature maps shrink" : "resolution in time or space shrinks") +
           ". Each stage sees a wider context than the one before; deeper stages trade resolution for more channels." + cost;
  if (s.role == "recurrent")
    return "A recurrent stage (LSTM, GRU or RNN): it reads the sequence step by step and carries a state from one "
           "step to the next, so it remembers what came before; its matrix products run once per step." + cost;
  if (s.role == "attention-stage")
    return "A stage with attention: every position can look at every other, so its cost grows with the square of "
           "the sequence length; small matrix products transform each position." + cost;
  if (s.role == "alternative-branch")
    return "The other branch of a choice the model makes on an input value (for example a second sample rate): "
           "only one branch runs per input, so its cost is counted here but is not added to a run's." + cost;
  if (s.role == "neck" && s.resolution.empty())
    return "The neck mixes coarse, meaningful features from deep layers back into finer resolutions, so that both "
           "small and large structures can be found by the head that follows." + cost;
  if (s.role == "decoder" && s.resolution.empty())
    return "The decoder brings coarse features back up to a finer resolution so that every position of the input "
           "gets an answer, as segmentation, text detection and depth models need." + cost;

  if (s.role == "backbone-stage")
    return "A backbone stage: a stack of blocks that all work at " + s.resolution +
           " positions. Each stage sees a wider context than the one before; deeper stages trade resolution for "
           "more channels, so their weights grow while the work per layer stays similar." + cost;
  if (s.role == "decoder-block")
    return "A decoder block: self-attention over what has been generated so far, cross-attention that lets each "
           "output position read the encoder's result, then an MLP. It runs once per output position when "
           "generating, which is why long outputs cost more than long inputs." + cost;
  if (s.role == "neck")
    return "The neck (a feature pyramid) mixes the backbone's coarse, meaningful features back into finer "
           "resolutions (here up to " + s.resolution + ") so that both small and large objects can be found; the "
           "detection heads then run on every level." + cost;
  if (s.role == "decoder")
    return "The decoder brings coarse features back up to a finer resolution (" + s.resolution +
           ") so that every pixel gets an answer, as segmentation and depth models need." + cost;
  if (s.role == "head")
    return "The head turns the final features into the model's outputs (class scores, boxes or masks). Its size "
           "grows with the number of outputs; replacing it is how a pretrained model is reused for a new task." + cost;
  if (s.role == "embeddings")
    return "The embeddings turn the input (tokens, or image patches) into vectors, and add where each one is. A "
           "token table holds many parameters (vocabulary × width) but needs almost no arithmetic; a patch "
           "projection is one matrix product per patch." + cost;
  if (s.role == "encoder-block")
    return "A transformer block: self-attention lets every position look at every other (its cost grows with the "
           "square of the sequence length), then a small MLP transforms each position on its own. The blocks "
           "repeat, and together hold most of a transformer's parameters and work." + cost;
  return "Layers that do not fall into a recognised segment." + cost;
}

bool is(const cost::LayerCost& l, const char* op) { return l.op == op; }

ModelSegments transformer(const cost::Profile& p) {
  ModelSegments r;
  r.architecture = "transformer";
  std::vector<std::size_t> norms;
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    if (is(p.layers[i], "LayerNormalization")) norms.push_back(i);
  std::size_t softmax = 0;
  for (const auto& l : p.layers) softmax += is(l, "Softmax");
  // Two norms per block (before attention and before the MLP, or after each in post-norm models);
  // a final norm, when there is one, starts the head.
  const std::size_t blocks = softmax;
  // Post-norm (BERT): token embeddings (a Gather that reads a weight table) are normalised before
  // the first block, and each block ends with its second norm. Pre-norm (ViT, GPT): each block
  // starts with a norm, and a final norm starts the head.
  const bool post_norm = norms.size() == 2 * blocks + 1 &&
                         std::any_of(p.layers.begin(), p.layers.begin() + static_cast<std::ptrdiff_t>(norms[0]),
                                     [](const cost::LayerCost& l) { return l.op == "Gather" && l.params > 0; });
  // Encoder-decoder (T5, nn.Transformer): encoder blocks hold one attention and two norms, decoder
  // blocks two attentions (self and cross) and three norms, each stack ends with a norm. With E
  // encoder and D decoder blocks: softmax = E + 2D and norms = 2E + 3D + 2.
  for (std::size_t d = 1; 2 * d < blocks; ++d) {
    const std::size_t e = blocks - 2 * d;
    if (norms.size() != 2 * e + 3 * d + 2) continue;
    // Check the pattern too: inside each decoder block one norm separates self- from cross-attention
    // (a ViT with 12 blocks and 25 norms fits the counts, not the pattern).
    std::vector<std::size_t> softmaxes;
    for (std::size_t i = 0; i < p.layers.size(); ++i)
      if (is(p.layers[i], "Softmax")) softmaxes.push_back(i);
    auto norms_between = [&](std::size_t a, std::size_t b) {
      return std::count_if(norms.begin(), norms.end(), [&](std::size_t x) { return x > a && x < b; });
    };
    bool pattern = true;
    for (std::size_t k = 0; k < d; ++k) {
      const std::size_t self = softmaxes[e + 2 * k], cross = softmaxes[e + 2 * k + 1];
      pattern = pattern && norms_between(self, cross) == 1;
    }
    if (!pattern) continue;
    r.architecture = "encoder-decoder transformer";
    // Which norms close each block; post-norm models put them after the sublayers.
    std::vector<std::size_t> ends;
    std::size_t n = 0;
    for (std::size_t b = 0; b < e; ++b) ends.push_back(norms[n += 2, n - 1]);
    const std::size_t encoder_norm = norms[n++];
    for (std::size_t b = 0; b < d; ++b) ends.push_back(norms[n += 3, n - 1]);
    const std::size_t final_norm = norms[n];
    // The embeddings end before the first matrix product (the first block's attention).
    std::size_t first = 0;
    while (first < p.layers.size() && !is(p.layers[first], "MatMul") && !is(p.layers[first], "Gemm")) ++first;
    add(r.segments, p, "embeddings", "embeddings", 0, first > 0 ? first - 1 : 0);
    std::size_t start = first;
    for (std::size_t b = 0; b < e + d; ++b) {
      const bool encoder = b < e;
      std::size_t end = ends[b];
      if (b + 1 == e) end = encoder_norm;  // the encoder's final norm closes its last block
      add(r.segments, p, (encoder ? "encoder" : "decoder") + std::to_string(encoder ? b + 1 : b - e + 1),
          encoder ? "encoder-block" : "decoder-block", start, end);
      start = end + 1;
    }
    add(r.segments, p, "head", "head", final_norm, p.layers.size() - 1);
    return r;
  }
  std::vector<std::size_t> bounds;  // first layer of each block
  if (post_norm) {
    // BERT-style: the embeddings end with a norm; each block ends with its second norm.
    for (std::size_t b = 0; b < blocks; ++b) bounds.push_back(norms[2 * b] + 1);
    add(r.segments, p, "embeddings", "embeddings", 0, bounds[0] - 1);
    for (std::size_t b = 0; b < blocks; ++b)
      add(r.segments, p, "block" + std::to_string(b + 1), "encoder-block", bounds[b], norms[2 * b + 2]);
    add(r.segments, p, "head", "head", norms.back() + 1, p.layers.size() - 1);
  } else {
    for (std::size_t b = 0; b < blocks && 2 * b < norms.size(); ++b) bounds.push_back(norms[2 * b]);
    add(r.segments, p, "embeddings", "embeddings", 0, bounds[0] - 1);
    for (std::size_t b = 0; b < bounds.size(); ++b) {
      const std::size_t end = b + 1 < bounds.size() ? bounds[b + 1] - 1
                              : (norms.size() > 2 * blocks ? norms[2 * blocks] - 1 : p.layers.size() - 1);
      add(r.segments, p, "block" + std::to_string(b + 1), "encoder-block", bounds[b], end);
    }
    if (norms.size() > 2 * blocks) add(r.segments, p, "head", "head", norms[2 * blocks], p.layers.size() - 1);
  }
  return r;
}

ModelSegments convolutional(const cost::Profile& p, long long input_spatial) {
  ModelSegments r;
  r.architecture = "convolutional";
  // The convolutional part ends at the last 4-D feature map larger than 1×1.
  std::size_t last_map = 0;
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    if (spatial(p.layers[i]) > 1) last_map = i;
  std::size_t head_start = last_map + 1;
  // Stem: up to the first layer at a quarter of the input's side or less (ResNet's max-pool).
  std::size_t stem_end = 0;
  for (std::size_t i = 0; i <= last_map; ++i) {
    const long long s = spatial(p.layers[i]);
    stem_end = i;
    if (s > 0 && input_spatial > 0 && s * 16 <= input_spatial) break;
  }
  // In a detector (non-maximum suppression, RoI pooling) the upsampling path is a feature-pyramid
  // neck feeding the heads; in a segmentation or depth model it is a decoder back to the image.
  const bool detector = std::any_of(p.layers.begin(), p.layers.end(), [](const cost::LayerCost& l) {
    return l.op == "NonMaxSuppression" || l.op == "RoiAlign" || l.op == "MaxRoiPool";
  });
  // A layer with a larger map than the one before starts the decoder; in a detector the first
  // feature-map resize starts the neck, even where pyramid levels share a resolution. (The
  // pyramid's lateral 1×1 convolutions just before it stay in the last stage: nothing in the
  // graph tells them apart from backbone layers.)
  std::size_t decoder_start = head_start;
  long long smallest = -1;
  for (std::size_t i = stem_end + 1; i <= last_map; ++i) {
    const long long s = spatial(p.layers[i]);
    if (s <= 0) continue;
    const bool upsampling = is(p.layers[i], "Resize") || is(p.layers[i], "ConvTranspose") || is(p.layers[i], "Upsample");
    if (upsampling && ((smallest > 0 && s > smallest) || (detector && smallest > 0))) {
      decoder_start = i;
      break;
    }
    if (smallest < 0 || s < smallest) smallest = s;
  }
  // The resolution a range of layers works at: that of its first feature map.
  auto resolution_of = [&](std::size_t i, std::size_t last) {
    for (; i <= last && i < p.layers.size(); ++i)
      if (spatial(p.layers[i]) > 0) {
        const auto d = dims_of(p.layers[i].output_shape);
        return std::to_string(d[2]) + "x" + std::to_string(d[3]);
      }
    return std::string("?");
  };
  add(r.segments, p, "stem", "stem", 0, stem_end);
  if (!r.segments.empty()) r.segments.back().resolution = resolution_of(stem_end, stem_end);
  // Stages: runs of layers at one resolution (layers without a map join the current run).
  std::size_t begin = stem_end + 1;
  long long current = -1;
  int stage = 0;
  for (std::size_t i = stem_end + 1; i < decoder_start; ++i) {
    const long long s = spatial(p.layers[i]);
    if (s <= 0) continue;
    if (current < 0) current = s;
    if (s < current) {
      add(r.segments, p, "stage" + std::to_string(++stage), "backbone-stage", begin, i - 1);
      r.segments.back().resolution = resolution_of(begin, i - 1);
      begin = i;
      current = s;
    }
  }
  if (begin < decoder_start) {
    add(r.segments, p, "stage" + std::to_string(++stage), "backbone-stage", begin, decoder_start - 1);
    r.segments.back().resolution = resolution_of(begin, decoder_start - 1);
  }
  if (decoder_start < head_start && detector) {
    // The neck ends with the last upsampling merge (the Add after the last Resize).
    std::size_t neck_end = decoder_start;
    for (std::size_t i = decoder_start; i <= last_map; ++i)
      if (is(p.layers[i], "Resize") || is(p.layers[i], "Upsample"))
        for (std::size_t j = i + 1; j <= last_map; ++j)
          if (is(p.layers[j], "Add")) { neck_end = j; break; }
    add(r.segments, p, "neck", "neck", decoder_start, neck_end);
    r.segments.back().resolution = resolution_of(decoder_start, neck_end);
    std::string finest = r.segments.back().resolution;
    for (std::size_t i = decoder_start; i <= neck_end; ++i)
      if (spatial(p.layers[i]) > 0) {
        const auto d = dims_of(p.layers[i].output_shape);
        finest = std::to_string(d[2]) + "x" + std::to_string(d[3]);
      }
    r.segments.back().resolution = finest;
    add(r.segments, p, "head", "head", neck_end + 1, p.layers.size() - 1);
    return r;
  }
  if (decoder_start < head_start) {
    add(r.segments, p, "decoder", "decoder", decoder_start, last_map);
    r.segments.back().resolution = resolution_of(last_map, last_map);
  }
  if (head_start < p.layers.size()) add(r.segments, p, "head", "head", head_start, p.layers.size() - 1);
  return r;
}

}  // namespace

ModelSegments find_segments(const cost::Profile& p) {
  ModelSegments r;
  if (p.layers.empty()) return r;
  std::size_t softmax = 0, norms = 0, maps = 0;
  for (const auto& l : p.layers) {
    softmax += is(l, "Softmax");
    norms += is(l, "LayerNormalization");
    maps += spatial(l) > 1;
  }
  long long input_spatial = -1;
  if (!p.inputs.empty()) {
    const auto d = dims_of(p.inputs.front().second);
    if (d.size() == 4 && d[2] > 0 && d[3] > 0) input_spatial = d[2] * d[3];
  }
  if (softmax >= 2 && norms >= 2 * softmax) r = transformer(p);
  else if (maps > 0) r = convolutional(p, input_spatial);
  if (r.segments.empty()) {
    r.architecture = "other";
    add(r.segments, p, "body", "body", 0, p.layers.size() - 1);
  }
  for (auto& s : r.segments) s.explanation = explain(s, p, "image");
  return r;
}

ModelSegments find_segments(const cost::Profile& p, const GraphStructure& structure, const Modality& modality) {
  ModelSegments r = find_segments(p);
  // The patterns above know CNNs and transformers by their resolutions and norms; anything they
  // leave in one piece, or in fewer than three, is cut by its structure instead.
  if (r.architecture == "other" || r.segments.size() < 3) {
    ModelSegments s = structural_segments(p, structure);
    if (s.segments.size() > r.segments.size()) r = std::move(s);
  }
  for (auto& s : r.segments) s.explanation = explain(s, p, modality.kind);
  return r;
}

Doc modelinfo_doc(const std::string& model_file, const cost::Profile& p, const ModelSegments& m, const Modality* modality) {
  Doc doc = new_document("modelinfo/v1", "sml-describe");
  doc.set("model", display_name(model_file));
  doc.set("architecture", m.architecture);
  if (modality) {
    doc.set("modality", modality->kind);
    doc.set("modality_evidence", modality->evidence);
  }
  Doc& total = doc["total"] = Doc::map();
  total.set("params", Doc(static_cast<long long>(p.params)));
  total.set("macs", p.macs);
  total.set("nodes", Doc(static_cast<long long>(p.nodes)));
  doc.set("coverage", cost::coverage_to_doc(p));  // as sml-estimate's profile.coverage: what the MACs leave out
  Doc& segs = doc["segments"] = Doc::list();
  for (const auto& s : m.segments) {
    Doc d = Doc::map();
    d.set("name", s.name);
    d.set("role", s.role);
    d.set("nodes", Doc(static_cast<long long>(s.nodes)));
    d.set("params", Doc(static_cast<long long>(s.params)));
    d.set("macs", s.macs);
    d.set("share_macs", std::round(s.share_macs * 1e4) / 1e4);
    if (!s.resolution.empty()) d.set("resolution", s.resolution);
    d.set("first_layer", p.layers[s.first].name);
    d.set("last_layer", p.layers[s.last].name);
    d.set("explanation", s.explanation);
    segs.push(d);
  }
  return doc;
}

namespace {
Doc describe_loaded(const graph::Model& model, const std::string& name, const graph::InferOptions& options) {
  const cost::Profile profile = cost::profile_model(model, options);
  const Modality modality = read_modality(model, profile);
  return modelinfo_doc(name, profile, find_segments(profile, analyse_structure(model, options), modality), &modality);
}
}  // namespace

Doc describe_model(const std::string& model_file, const graph::InferOptions& options) {
  return describe_loaded(graph::load_model(model_file), model_file, options);
}

Doc describe_model_bytes(std::string bytes, const std::string& name, const graph::InferOptions& options) {
  return describe_loaded(graph::parse_model(std::move(bytes), name, ""), name, options);
}

}  // namespace sml::describe
