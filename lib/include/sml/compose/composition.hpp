// composition/v1: a model written as an input and an ordered list of cores (sml-formats(5)).
// Standard architectures are compositions too (catalog/archs/NAME.yaml), so `--arch resnet50`
// and a user's own file go through the same code.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sml/compose/builder.hpp"
#include "sml/compose/cores.hpp"
#include "sml/cost/profile.hpp"
#include "sml/io/doc.hpp"

namespace sml {
struct YamlFile;
}

namespace sml::compose {

// Each core of a composition is its CoreArgs. Besides the core's own keys, any core may set
// role (stem, backbone, neck or head; default: the core's), scope (name prefix of its nodes and
// weights; default "NN_core"), name (for later cores' from:, memory:, low:) and from (its input:
// a named earlier core; default the previous one).
// A graph input beyond the first (an encoder-decoder's decoder token ids): cores read it by
// naming it in `from:`.
struct InputSpec {
  std::string name;
  Shape shape;
  int dtype = 1;  // 1 float, 7 int64
};

// How often the layers under SCOPE run for one costed query (`passes:`): a pipeline in one graph
// (Stable Diffusion: the UNet once per sampling step, twice with classifier-free guidance; the
// VAE encoder never for text-to-image). Layers under no listed scope run once.
// scope, runs, train_runs (`train_runs:`, default: runs) and frozen (`frozen: true`: not trained,
// so a training sample runs it forward only) are what a written model carries in sml.passes.
struct Pass : cost::PassRun {
  std::string why;
};
// The passes as the cost library reads them (sml.passes).
std::vector<cost::PassRun> pass_runs(const std::vector<Pass>& passes);

struct Composition {
  std::string name;
  std::string summary;
  std::string source;        // where the architecture is published
  std::string file;          // where it was read from, for messages
  std::string input_name = "input";
  Shape input_shape;
  int input_dtype = 1;       // 1 float, 7 int64 (token ids)
  std::vector<InputSpec> more_inputs;  // `inputs:` — further graph inputs, each a `from:` for cores
  double width = 1;
  double depth = 1;
  std::int64_t num_classes = 0;
  std::string precision = "fp32";
  bool per_token = false;    // a language model costed per token (flops_per_token = FLOPs ÷ input tokens)
  bool attention_mask = false;  // a second input `attention_mask` (N, S) int64 that encoder cores read (as exports have)
  std::vector<Pass> passes;  // empty: every layer once
  // `audio_s:` seconds of audio one costed query covers (speech models), so that candidates for
  // one task are compared at the same seconds (issue 13); 0: not stated.
  double audio_s = 0;
  // `decode:` (issue 13): the input that carries the decoder's tokens, and how many tokens one
  // request generates (default: that input's stated length). STEP picks the part built (decode.hpp).
  std::string decode_input;
  std::int64_t output_tokens = 0;
  std::int64_t prompt_tokens = 0;  // decoder-only: the prompt a request's prefill reads (0: the input's length)
  // `decode.every_step:` inputs besides the decoder's tokens that every step reads (SpeechT5's
  // speaker x-vector): graph inputs of the step, not of the once part.
  std::vector<std::string> step_inputs;
  // `decode.after:` the scope of the decoder-path core from which work runs once after the steps,
  // over all they produced (SpeechT5: the post-net, whose per-frame projections run in each step
  // and whose convolutions run after; the vocoder); empty: nothing runs after the steps.
  std::string after_scope;
  DecodeMode step;
  std::vector<CoreArgs> cores;
};

Composition parse_composition(const std::string& text, const std::string& display_name);
Composition parse_composition(const YamlFile& file);  // the same, from the parsed file
Composition load_composition(const std::string& path);
// catalog/archs/NAME.yaml under CATALOG_DIR; InputError listing the known names otherwise.
Composition arch_composition(const std::string& name, const std::string& catalog_dir);
std::vector<std::string> list_archs(const std::string& catalog_dir);

// The composition as composition/v1 (what `sml.composition` metadata holds, so a model says how
// to build it again).
Doc composition_doc(const Composition& c);

struct CoreSummary {
  std::string scope;
  std::string core;
  std::string role;
  std::string output_shape;
  std::int64_t params = 0;
};

struct BuiltModel {
  GraphBuilder graph;
  std::vector<CoreSummary> cores;
};

// Builds the graph: each core in turn, under its scope, with the composition's multipliers.
BuiltModel build_composition(const Composition& c);

std::string shape_text(const Shape& s);

}  // namespace sml::compose
