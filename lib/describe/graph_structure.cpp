#include "sml/describe/graph_structure.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace sml::describe {
namespace {

bool is_op(const graph::Node& n, std::initializer_list<const char*> ops) {
  return graph::is_default_domain(n.domain) &&
         std::any_of(ops.begin(), ops.end(), [&](const char* op) { return n.op_type == op; });
}

// Shape bookkeeping (Shape → Gather → Concat chains, If conditions) is not data flowing forward:
// integer or boolean vectors and scalars, and anything folded to a constant.
bool is_activation(const graph::ValueState* v) {
  if (!v || v->stored >= 0 || v->origin >= 0 || v->value) return false;
  const bool integral = v->dtype == graph::kInt64 || v->dtype == graph::kInt32 || v->dtype == graph::kBool;
  if (v->rank_known && (v->dims.empty() || (integral && v->dims.size() <= 1))) return false;
  return true;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains_any(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return s.find(w) != std::string::npos; });
}

std::int64_t spatial(const std::vector<std::int64_t>& d) {
  if (d.size() < 3) return -1;
  std::int64_t p = 1;
  for (std::size_t i = 2; i < d.size(); ++i) {
    if (d[i] < 0) return -1;
    p *= d[i];
  }
  return p;
}

}  // namespace

GraphStructure analyse_structure(const graph::Model& model, const graph::InferOptions& options) {
  GraphStructure s;
  std::map<std::string, int> producer;   // activation → the node making it (-1: a graph input)
  std::map<std::string, int> last_use;
  // A value read inside a subgraph but made outside it is not followed there: the branch's own
  // values carry its structure, and the container's outputs carry the result on.
  std::map<std::string, std::string> scope_of;
  constexpr int kGraphInput = -2;
  for (const auto& in : model.graph.inputs) producer.emplace(in.name, kGraphInput);
  for (const auto& init : model.graph.initializers) producer.erase(init.name);
  int index = 0;
  graph::infer_model(model, options, [&](const graph::NodeEvent& e) {
    const graph::Node& n = e.node;
    // Reading a tensor's shape does not depend on its values.
    if (!is_op(n, {"Shape", "Size"}))
      for (std::size_t i = 0; i < n.inputs.size(); ++i) {
        if (i >= e.inputs.size() || !producer.count(n.inputs[i]) || scope_of[n.inputs[i]] != e.scope) continue;
        int& from = producer[n.inputs[i]];
        if (from == kGraphInput) {
          // A graph input enters where it is first read: a recurrent state or a sample rate read
          // late does not tie the whole graph together.
          if (!e.inputs[i] || e.inputs[i]->stored >= 0 || !is_activation(e.inputs[i])) continue;
          from = index;
        } else if (!is_activation(e.inputs[i])) {
          continue;
        }
        last_use[n.inputs[i]] = index;
      }
    for (std::size_t i = 0; i < n.outputs.size() && i < e.outputs.size(); ++i)
      if (is_activation(e.outputs[i])) {
        producer[n.outputs[i]] = index;
        scope_of[n.outputs[i]] = e.scope;
      }
    const graph::ValueState* y = e.outputs.empty() ? nullptr : e.outputs[0];
    const graph::ValueState* x = e.inputs.empty() ? nullptr : e.inputs[0];
    s.scope.push_back(e.scope);
    s.dims.push_back(y && y->shape_known() ? y->dims : std::vector<std::int64_t>{});
    const auto strides = n.attr_ints("strides");
    const bool strided = std::any_of(strides.begin(), strides.end(), [](std::int64_t v) { return v > 1; });
    const std::int64_t in_sp = x && x->shape_known() ? spatial(x->dims) : -1, out_sp = y && y->shape_known() ? spatial(y->dims) : -1;
    const bool smaller = in_sp > 0 && out_sp > 0 && out_sp < in_sp, larger = in_sp > 0 && out_sp > 0 && out_sp > in_sp;
    s.downsamples.push_back((is_op(n, {"Conv", "ConvInteger", "QLinearConv", "MaxPool", "AveragePool"}) && strided) ||
                            (smaller && !is_op(n, {"GlobalAveragePool", "GlobalMaxPool"})));
    s.upsamples.push_back((is_op(n, {"ConvTranspose"}) && strided) || (is_op(n, {"Resize", "Upsample"}) && (larger || out_sp < 0)) ||
                          (larger && !is_op(n, {"Concat"})));
    ++index;
  });
  const int n = index;
  for (const auto& out : model.graph.outputs)
    if (producer.count(out.name) && producer[out.name] != kGraphInput) last_use[out.name] = n;
  // Outputs that hand a recurrent state or a cache back to the caller are not heads.
  for (const auto& out : model.graph.outputs)
    s.outputs += contains_any(lower(out.name), {"state", "hidden", "cache", "present", "hn", "cn"}) ? 0 : 1;
  // Activations live across the boundary after node b when made at or before b and used after it.
  std::vector<int> diff(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& [name, last] : last_use) {
    const int from = std::max(0, producer[name]);
    if (last <= from) continue;
    ++diff[static_cast<std::size_t>(from)];
    --diff[static_cast<std::size_t>(last)];
  }
  s.live_after.resize(static_cast<std::size_t>(n));
  int live = 0;
  for (int b = 0; b < n; ++b) s.live_after[static_cast<std::size_t>(b)] = live += diff[static_cast<std::size_t>(b)];
  return s;
}

Modality read_modality(const graph::Model& model, const cost::Profile& profile) {
  Modality m{"features", "", ""};
  std::set<std::string> stored;
  for (const auto& t : model.graph.initializers) stored.insert(t.name);
  bool audio_clue = false;
  std::string clue;
  for (const auto& in : model.graph.inputs) {
    const std::string l = lower(in.name);
    if (!stored.count(in.name) && (l == "sr" || contains_any(l, {"sample_rate", "samplerate"}))) {
      audio_clue = true;
      clue = "an input named '" + in.name + "' (a sample rate)";
    }
  }
  for (const auto& node : model.graph.nodes)
    if (!audio_clue && (is_op(node, {"STFT", "DFT", "MelWeightMatrix"}) || contains_any(lower(node.name), {"stft", "melspec", "spectrogram"}))) {
      audio_clue = true;
      clue = "a " + (node.name.empty() ? node.op_type : "'" + node.name + "'") + " node (a spectrum of audio samples)";
    }
  // The main input: the first that is not a weight and not a recurrent state or a scalar.
  const graph::ValueInfo* main = nullptr;
  for (const auto& in : model.graph.inputs) {
    if (stored.count(in.name) || (in.has_shape && in.dims.size() <= 1)) continue;
    if (contains_any(lower(in.name), {"state", "hidden", "cache", "past", "mask", "position", "token_type"}) && main) continue;
    if (!main || contains_any(lower(main->name), {"state", "hidden", "cache"})) main = &in;
  }
  if (!main) return m;
  m.input = main->name;
  std::vector<std::int64_t> d;
  for (const auto& p : profile.inputs)
    if (p.first == main->name) {
      std::size_t start = 0;
      while (start <= p.second.size()) {
        const auto x = p.second.find('x', start);
        const std::string part = p.second.substr(start, x == std::string::npos ? std::string::npos : x - start);
        d.push_back(part.empty() || !std::isdigit(static_cast<unsigned char>(part[0])) ? -1 : std::stoll(part));
        if (x == std::string::npos) break;
        start = x + 1;
      }
    }
  if (d.empty()) d.assign(main->dims.size(), -1);
  const std::string name = lower(main->name);
  const bool integral = main->elem_type == graph::kInt64 || main->elem_type == graph::kInt32;
  const bool audio_name = contains_any(name, {"audio", "wav", "pcm", "speech", "waveform", "signal"});
  const bool frames_name = contains_any(name, {"mel", "spec", "fbank", "feat", "mfcc"});
  const std::string shape = "[" + [&] {
    std::string s;
    for (auto v : d) s += (s.empty() ? "" : ", ") + (v < 0 ? std::string("?") : std::to_string(v));
    return s;
  }() + "]";
  const std::string what = "input '" + main->name + "' " + shape;
  if (integral && d.size() == 2) {
    m.kind = "tokens";
    m.evidence = what + " holds integers: token ids";
  } else if (d.size() == 4 && frames_name) {
    m.kind = "audio-frames";
    m.evidence = what + ": its name says spectrogram frames";
  } else if (d.size() == 4 && d[3] == 1 && d[1] > 0 && d[2] > 0 && d[1] != d[2]) {
    m.kind = "audio-frames";
    m.evidence = what + ": one channel last and a non-square time x frequency plane, as spectrogram frames are stored";
  } else if (d.size() == 4) {
    m.kind = "image";
    m.evidence = what + ": batch, channels, height, width";
  } else if ((d.size() == 2 || (d.size() == 3 && d[1] == 1)) && !frames_name && (audio_clue || audio_name)) {
    m.kind = "audio-waveform";
    m.evidence = what + ": audio samples" + (clue.empty() ? " (its name)" : ", with " + clue);
  } else if (d.size() == 3 && (frames_name || audio_clue || audio_name)) {
    m.kind = "audio-frames";
    m.evidence = what + ": frames of audio features" + (clue.empty() ? "" : ", and " + clue);
  } else if (d.size() == 3) {
    m.kind = "sequence";
    m.evidence = what + ": a sequence of feature vectors";
  } else {
    m.evidence = what + ": one feature vector per sample";
  }
  return m;
}

}  // namespace sml::describe
