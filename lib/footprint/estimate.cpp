#include "sml/footprint/estimate.hpp"

#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/files.hpp"

namespace sml::footprint {

Doc estimate(const EstimateOptions& options) {
  const graph::Model model = graph::load_model(options.model_path);
  Doc doc = new_document("estimate/v1", "sml-estimate");
  Doc& m = doc["model"] = Doc::map();
  m.set("file", display_name(options.model_path));
  m.set("ir_version", Doc(static_cast<long long>(model.ir_version)));
  m.set("opset", Doc(static_cast<long long>(model.opset(""))));
  if (!model.producer_name.empty())
    m.set("producer", model.producer_name + (model.producer_version.empty() ? "" : " " + model.producer_version));
  const cost::Profile profile = cost::profile_model(model, options.infer);
  doc.set("profile", cost::profile_to_doc(profile, options.layers));
  return doc;
}

}  // namespace sml::footprint
