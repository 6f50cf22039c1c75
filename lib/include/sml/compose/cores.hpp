// The block library: knowledge cores as parameterised builders of ONNX subgraphs. Each core
// knows its keys (what a composition may set), why it exists (for novices, `--list cores`) and
// how width and depth multipliers shrink or expand it.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sml/compose/builder.hpp"

namespace sml::compose {

// One core's settings as written in a composition (`{core: bottleneck, mid: 64, repeat: 3}`) or
// on the command line (`--replace-head classifier:num_classes=10`). Values are kept as text
// (lists as "a,b,c") and read through typed getters that name WHERE on error.
struct CoreArgs {
  std::string core;
  std::map<std::string, std::string> values;
  std::string where;  // "file:line" or "--replace-head"

  bool has(const std::string& key) const { return values.count(key) > 0; }
  std::string text(const std::string& key, const std::string& fallback) const;
  double number(const std::string& key, double fallback) const;
  std::int64_t integer(const std::string& key, std::int64_t fallback) const;  // >= 0
  bool flag(const std::string& key, bool fallback) const;
  std::vector<std::int64_t> integers(const std::string& key, const std::vector<std::int64_t>& fallback) const;
};

// Parses "core:key=value,key=value" (the command-line form; lists use '/': kernels=10/3/3).
CoreArgs parse_core_spec(const std::string& spec, const std::string& where);

// Which part of a generation a decoder core builds (issue 13), as a server runs it: kOnce is what
// runs once per request (the encoder, and the cross-attention keys and values every decoder layer
// projects from its output, as Hugging Face's past_key_values holds them); kStep is one new token
// against a cache of CACHE earlier tokens' self-attention keys and values and the encoder's cross
// keys and values, all graph inputs. kAfter is what runs once after the steps on all they produced
// (SpeechT5's post-net convolutions and vocoder over every mel frame; `decode.after`).
// kNone: the whole graph at its stated lengths (teacher-forced).
struct DecodeMode {
  enum Part { kNone, kOnce, kStep, kAfter } part = kNone;
  std::int64_t cache = 0;
};

// What a core sees besides its own settings.
struct BuildContext {
  double width = 1;            // channel multiplier (--width)
  double depth = 1;            // repeat multiplier (--depth)
  std::int64_t num_classes = 0;  // the composition's, for heads that are not told otherwise
  Shape input_shape;           // the model input's, for heads that return to input resolution
  std::map<std::string, Value> named;  // outputs of cores given a `name:`, for `from:`/`memory:`/`low:`
  std::vector<Value> extra_outputs;     // heads with more than one output (detection) add here
  std::vector<Value> present_outputs;   // a decode step's cache rows, outputs under their own names (present.I.decoder.key…)
  std::map<std::string, Value> tables;  // embedding tables by their core's name, for heads tied to them (GPT-2, Llama)
  Value attention_mask;                 // (N, S) int64 graph input when the composition has one; empty name: none
  bool attention_mask_used = false;     // set by the encoder cores that read it
  DecodeMode decode;                    // set for the decoder's cores when a decode part is built
  std::int64_t cache_layers = 0;        // decoder-only self-attentions given a KV cache so far: the next one is layer I of present.I.key
};

struct CoreKey {
  std::string name;
  std::string help;
};

struct CoreDef {
  std::string name;
  std::string role;     // default segment: stem, backbone, neck, head
  std::string summary;  // what it computes
  std::string why;      // why a model has it, and what it costs
  std::vector<CoreKey> keys;
  Value (*build)(GraphBuilder&, const Value&, const CoreArgs&, BuildContext&);
};

const std::vector<CoreDef>& core_library();
// The core named NAME; InputError naming WHERE and the known cores otherwise.
const CoreDef& find_core(const std::string& name, const std::string& where);
// Refuses keys the core does not declare (beside the composition-level ones every core takes).
void check_core_keys(const CoreDef& def, const CoreArgs& args);

// Channel rounding under --width (stated in sml-compose(1)): C × width rounded to the nearest
// multiple of DIVISOR (never below DIVISOR, never 10% below C × width), as torchvision's
// MobileNet/EfficientNet do; unchanged at width 1. MODE "fixed" never scales, "grow" scales only
// when width > 1 (MobileNetV2's last 1280 channels).
std::int64_t scaled_channels(std::int64_t channels, double width, std::int64_t divisor = 8, const std::string& mode = "scale");
// Repeats under --depth: ceil(N × depth), at least 1 (EfficientNet's rule).
std::int64_t scaled_repeats(std::int64_t repeats, double depth);

}  // namespace sml::compose
