// Multimodal cores (issue 13): a second graph input, so one composition can hold two towers
// (CLIP's image and text encoders), and CLIP's similarity head that joins them. The model is
// costed for one of each input: every tower runs once, then the projections and the product.
#include "cores_common.hpp"

#include <cmath>

#include "sml/io/error.hpp"

namespace sml::compose::detail {
namespace {

// Starts a new branch from a new graph input; what came before stays reachable through `name:`.
Value core_graph_input(GraphBuilder& b, const Value&, const CoreArgs& a, BuildContext&) {
  const std::string name = a.text("input", "");
  if (name.empty()) throw InputError(a.where + ": graph_input needs 'input' (the new input's name)");
  const auto shape = a.integers("shape", {});
  if (shape.empty() || shape.size() > 5) throw InputError(a.where + ": graph_input needs 'shape', 1 to 5 dims");
  for (auto d : shape)
    if (d < 1) throw InputError(a.where + ": graph_input shape: dims must be at least 1");
  const std::string dtype = a.text("dtype", "float32");
  if (dtype != "float32" && dtype != "int64") throw InputError(a.where + ": graph_input dtype '" + dtype + "': expected float32 or int64");
  for (const auto& in : b.inputs())
    if (in.name == name) throw InputError(a.where + ": graph_input '" + name + "': the model already has an input of that name");
  return b.input(name, shape, dtype == "int64" ? 7 : 1);
}

Value projection(GraphBuilder& b, const char* scope, const Value& x, std::int64_t out) {  // bias-free, as CLIP's
  Scope s(b, scope);
  return b.linear(x, out, false);
}

Value l2_normalised(GraphBuilder& b, const Value& x) {  // x / ‖x‖ over the last axis = x / sqrt(mean(x²)) / sqrt(D)
  const Value inv = b.unary("Reciprocal", b.unary("Sqrt", b.reduce_mean(b.mul(x, x), -1)));
  return b.mul(b.mul(x, inv), b.scalar(static_cast<float>(1 / std::sqrt(static_cast<double>(x.dim(-1))))));
}

// CLIP (Radford et al. 2021, figure 3): the image tower's class token and the text tower's last
// token, each projected to the joint width without bias, L2-normalised, and their cosine
// similarities scaled by a learned temperature: (images × texts) logits.
Value core_clip_head(GraphBuilder& b, const Value& text, const CoreArgs& a, BuildContext& c) {
  need_rank(a, text, 3, "the text tower's sequence (N, S, D)");
  const Value image = resolve(c, a, "image");
  if (image.rank() != 3) throw InputError(a.where + ": clip_head image: expects the image tower's sequence (N, tokens, D)");
  const std::int64_t dim = a.integer("dim", 512);
  if (dim < 1) throw InputError(a.where + ": clip_head dim must be at least 1");
  // The text feature sits at the end-of-text token; its place depends on the ids, not the cost:
  // the last position stands for it.
  const Value t = b.flatten(b.gather(text, b.ints({text.dim(1) - 1}), 1));
  const Value img = l2_normalised(b, projection(b, "visual_projection", token_zero(b, image), dim));
  const Value txt = l2_normalised(b, projection(b, "text_projection", t, dim));
  // Scaled by the temperature (logit_scale: one learned number, a [1] tensor lib/cost counts).
  Value scale;
  {
    Scope s(b, "logit_scale");
    scale = b.unary("Exp", b.weight("weight", {1}, Fill::kZeros));
  }
  return b.mul(b.matmul(img, b.transpose(txt, {1, 0})), scale);
}

}  // namespace

void add_multimodal_cores(std::vector<CoreDef>& lib) {
  lib.insert(lib.end(), {
      {"graph_input", "stem", "a further model input, starting a new branch (a second tower)",
       "multimodal models read more than one input (CLIP: an image and a text); the branch before stays available to later "
       "cores by its name.",
       {{"input", "the input's name (e.g. input_ids)"}, {"shape", "its dims, e.g. [1, 77]"}, {"dtype", "float32 (default) or int64"}},
       core_graph_input},
      {"clip_head", "head", "CLIP similarity head: both towers' features projected to a joint width, normalised, scaled cosine similarities",
       "contrastive image-text models compare the two towers in one space; the head is tiny, the towers are the cost.",
       {{"image", "name of the image tower's last core"}, {"dim", "joint embedding width (default 512)"}}, core_clip_head},
  });
}

}  // namespace sml::compose::detail
