// Segments of any graph from its structure (issue 18): blocks end where one tensor alone carries
// the computation on (a cut), stages change where a block downsamples, a neck starts where
// feature maps grow again, and what follows the last cut is the head.
#include <algorithm>
#include <map>

#include "sml/describe/graph_structure.hpp"

namespace sml::describe {
namespace {

struct Range {
  std::size_t first = 0, last = 0;  // profile layer indices, inclusive
  double macs = 0;
  int width = 1;       // most activations alive at once inside it (1: a chain)
  bool heavy = false;  // holds an op that multiplies and accumulates, counted or not (shapes unknown)
  bool down = false, up = false, embeds = false, recurrent = false, attention = false;
};

// The branch of each top-level If that holds the fewest MACs is an alternative (an input value
// chooses it), not a further stage: "If_0/else/" beside "If_0/then/".
std::vector<bool> alternatives(const cost::Profile& p, const GraphStructure& s) {
  std::map<std::string, std::map<std::string, double>> branches;  // container → branch → MACs
  auto key = [&](const std::string& scope) -> std::pair<std::string, std::string> {
    const auto a = scope.find('/');
    if (a == std::string::npos) return {"", ""};
    const auto b = scope.find('/', a + 1);
    return {scope.substr(0, a), scope.substr(0, b == std::string::npos ? scope.size() : b + 1)};
  };
  for (std::size_t i = 0; i < p.layers.size() && i < s.scope.size(); ++i) {
    const auto [container, branch] = key(s.scope[i]);
    if (!container.empty()) branches[container][branch] += p.layers[i].macs + 1e-9;  // nodes count even without MACs
  }
  std::vector<bool> alt(p.layers.size(), false);
  for (std::size_t i = 0; i < p.layers.size() && i < s.scope.size(); ++i) {
    const auto [container, branch] = key(s.scope[i]);
    if (container.empty() || branches[container].size() < 2) continue;
    const auto& b = branches[container];
    const auto best = std::max_element(b.begin(), b.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    alt[i] = best->first != branch;
  }
  return alt;
}

void add_segment(ModelSegments& r, const cost::Profile& p, const std::string& name, const std::string& role, std::size_t first,
                 std::size_t last, const std::vector<bool>& skip) {
  ModelSegment s;
  s.name = name;
  s.role = role;
  s.first = first;
  s.last = last;
  for (std::size_t i = first; i <= last && i < p.layers.size(); ++i) {
    if (skip[i]) continue;
    s.macs += p.layers[i].macs;
    s.params += p.layers[i].params;
    s.nodes += p.layers[i].constant ? 0 : 1;
  }
  s.share_macs = p.macs > 0 ? s.macs / p.macs : 0;
  r.segments.push_back(std::move(s));
}

std::string resolution(const std::vector<std::int64_t>& d) {
  if (d.size() == 4 && d[2] > 0 && d[3] > 0) return std::to_string(d[2]) + "x" + std::to_string(d[3]);
  return "";
}

}  // namespace

ModelSegments structural_segments(const cost::Profile& p, const GraphStructure& s) {
  ModelSegments r;
  r.architecture = "other";
  const std::size_t n = std::min(p.layers.size(), s.live_after.size());
  if (n == 0) return r;
  const std::vector<bool> alt = alternatives(p, s);
  // Blocks between cuts, over the nodes that run.
  std::vector<Range> blocks;
  Range cur;
  bool open = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (alt[i]) continue;
    if (!open) {
      cur = Range{};
      cur.first = i;
      open = true;
    }
    const auto& l = p.layers[i];
    cur.last = i;
    cur.macs += l.macs;
    cur.heavy = cur.heavy || l.macs > 0 || l.op == "Conv" || l.op == "ConvTranspose" || l.op == "MatMul" || l.op == "Gemm" ||
                l.op == "LSTM" || l.op == "GRU" || l.op == "RNN" || l.op == "ConvInteger" || l.op == "QLinearConv" ||
                l.op == "MatMulInteger" || l.op == "QLinearMatMul" || l.op == "Einsum";
    cur.down = cur.down || s.downsamples[i];
    cur.up = cur.up || s.upsamples[i];
    cur.embeds = cur.embeds || (l.op == "Gather" && l.params > 0);
    cur.recurrent = cur.recurrent || l.op == "LSTM" || l.op == "GRU" || l.op == "RNN";
    cur.attention = cur.attention || l.op == "Softmax";
    if (s.live_after[i] <= 1 && !l.constant) {
      blocks.push_back(cur);
      open = false;
      continue;
    }
    cur.width = std::max(cur.width, s.live_after[i]);
  }
  if (open) blocks.push_back(cur);
  // Blocks without MACs (an activation, a pooling, a reshape) belong to the block before them;
  // leading ones to the first, unless they hold an embedding table.
  std::vector<Range> merged;
  for (const auto& b : blocks) {
    if (!merged.empty() && !b.heavy && !(b.embeds && merged.back().embeds)) {
      Range& m = merged.back();
      m.last = b.last;
      m.down = m.down || b.down;
      m.up = m.up || b.up;
      m.attention = m.attention || b.attention;
      m.width = std::max(m.width, b.width);
      continue;
    }
    if (!merged.empty() && !merged.back().heavy && !merged.back().embeds) {
      Range& m = merged.back();
      m.last = b.last;
      m.macs += b.macs;
      m.heavy = m.heavy || b.heavy;
      m.down = m.down || b.down;
      m.up = m.up || b.up;
      m.recurrent = m.recurrent || b.recurrent;
      m.attention = m.attention || b.attention;
      m.width = std::max(m.width, b.width);
      continue;
    }
    merged.push_back(b);
  }
  if (merged.size() < 2) {
    add_segment(r, p, "body", "body", 0, p.layers.size() - 1, alt);
    return r;
  }
  std::size_t begin = 0, end = merged.size();  // the blocks that are neither stem nor head
  if (merged.front().embeds && !merged.front().heavy) {
    add_segment(r, p, "embeddings", "embeddings", merged.front().first, merged.front().last, alt);
    ++begin;
  }
  if (begin < end) {
    add_segment(r, p, "stem", "stem", merged[begin].first, merged[begin].last, alt);
    r.segments.back().resolution = resolution(s.dims[merged[begin].last]);
    ++begin;
  }
  // A neck: the first wide block (several tensors alive inside it: taps of several stages) that
  // grows feature maps again, as a feature pyramid does. Its part before the first upsampling is
  // still backbone. Everything after the neck, or else the last block, is the head.
  const bool several = s.outputs > 1;
  std::size_t neck_block = merged.size(), neck_first = 0, neck_last = 0;
  for (std::size_t k = begin; k < end && neck_block == merged.size(); ++k) {
    if (!merged[k].up || merged[k].width < 2 || merged[k].last - merged[k].first < 12) continue;
    std::size_t first_up = merged[k].first;
    while (first_up < merged[k].last && !(s.upsamples[first_up] && !alt[first_up])) ++first_up;
    neck_first = first_up;
    neck_last = merged[k].last;
    if (first_up > merged[k].first) {
      Range pre = merged[k];
      pre.last = first_up - 1;
      pre.up = false;
      merged.insert(merged.begin() + static_cast<std::ptrdiff_t>(k), pre);
      ++end;
      ++k;
    }
    neck_block = k;
  }
  std::size_t stages_end = end, head_first = merged.size();
  if (neck_block < merged.size()) {
    stages_end = neck_block;
    head_first = neck_block + 1;
    if (head_first >= end) {
      // No cut after the pyramid: its heads start after the merge that follows the last upsampling.
      std::size_t last_up = neck_last;
      while (last_up > neck_first && !(s.upsamples[last_up] && !alt[last_up])) --last_up;
      for (std::size_t i = last_up; i < neck_last; ++i)
        if (p.layers[i].op == "Add" || p.layers[i].op == "Concat" || p.layers[i].op == "Sum") {
          neck_last = i;
          break;
        }
    }
  } else if (begin < end) {
    stages_end = end - 1;
    head_first = end - 1;
  }
  // Stages: a block that downsamples, or works at another resolution, starts the next one.
  int stage = 0, recurrent_stage = 0;
  std::size_t stage_first = begin;
  auto close_stage = [&](std::size_t a, std::size_t b) {
    bool attention = false;
    double macs = 0, rnn = 0;
    int heavy = 0, rnn_blocks = 0;
    for (std::size_t k = a; k <= b; ++k) {
      macs += merged[k].macs;
      rnn += merged[k].recurrent ? merged[k].macs : 0;
      heavy += merged[k].heavy;
      rnn_blocks += merged[k].recurrent;
      attention = attention || merged[k].attention;
    }
    const bool recurrent = macs > 0 ? rnn * 2 >= macs && rnn > 0 : rnn_blocks * 2 >= heavy && rnn_blocks > 0;
    add_segment(r, p, recurrent ? "recurrent" + std::to_string(++recurrent_stage) : "stage" + std::to_string(++stage),
                recurrent ? "recurrent" : attention ? "attention-stage" : "backbone-stage", merged[a].first, merged[b].last, alt);
    r.segments.back().resolution = resolution(s.dims[merged[b].last]);
  };
  for (std::size_t k = begin; k < stages_end; ++k) {
    if (k == stage_first) continue;
    const std::string before = resolution(s.dims[merged[k - 1].last]), here = resolution(s.dims[merged[k].last]);
    const bool kind_change = merged[k].recurrent != merged[k - 1].recurrent;
    if (merged[k].down || kind_change || (!before.empty() && !here.empty() && before != here)) {
      close_stage(stage_first, k - 1);
      stage_first = k;
    }
  }
  if (stage_first < stages_end) close_stage(stage_first, stages_end - 1);
  if (neck_block < merged.size()) {
    add_segment(r, p, "neck", "neck", neck_first, neck_last, alt);
    r.segments.back().resolution = resolution(s.dims[neck_last]);
  }
  const std::size_t head_from = neck_block < merged.size() ? neck_last + 1 : head_first < merged.size() ? merged[head_first].first : p.layers.size();
  const std::size_t head_to = merged.empty() ? 0 : merged.back().last;
  if (head_from <= head_to) add_segment(r, p, several ? "heads" : "head", "head", head_from, head_to, alt);
  // Nodes of the branches an input value leaves out, together.
  std::size_t a = p.layers.size(), b = 0;
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    if (alt[i]) {
      a = std::min(a, i);
      b = i;
    }
  if (a <= b) {
    ModelSegments alt_only;
    std::vector<bool> keep(p.layers.size(), true);
    for (std::size_t i = 0; i < p.layers.size(); ++i) keep[i] = !alt[i];
    add_segment(alt_only, p, "alternative", "alternative-branch", a, b, keep);
    r.segments.push_back(alt_only.segments.front());
  }
  r.architecture = "structural";
  return r;
}

}  // namespace sml::describe
