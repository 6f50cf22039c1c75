// The knowledge-core catalogue (catalog/models/**/*.yaml, model/v1): reusable pretrained models
// with their tasks, size, work, published quality, where the weights live, and what they are
// made of. Every figure carries its source; a missing one is null with a reason.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sml/cost/trees.hpp"

namespace sml {
struct YamlFile;
}

namespace sml::catalog {

struct Quality {
  std::string metric;
  double value = 0;
  std::string dataset;
  std::string scale;       // "" for fractions in [0, 1]; otherwise the published scale
  std::string source;
  bool higher_is_better = true;
};

struct SegmentRef {
  std::string name;        // stem, backbone, encoder, head…
  std::string core;        // the reusable core it is
};

// The natural languages a model handles (`languages:` in the entry, ISO 639-1): the codes it
// reads and writes, translation directions "en-de", or only a count where the codes are not
// listed; absent when the catalogue does not say.
struct Languages {
  bool stated = false;
  std::vector<std::string> codes, pairs;
  std::optional<double> count;
  bool many_to_many = false;   // translates between any two of its languages
  std::string source;
};

struct CatalogModel {
  std::string id, name, family, file;
  std::map<std::string, std::string> family_scale;
  std::vector<std::string> tasks;
  // input.reads: the kinds of input every query must supply, the first the one it is about
  // (CLIP: [image, text], an image and its candidate labels); empty where the entry does not say,
  // and then the home task's first modality stands for it.
  std::vector<std::string> reads;
  std::optional<double> params, macs, flops_per_token;
  std::string params_source, macs_source;
  std::vector<Quality> quality;
  std::vector<std::string> pretrained;   // "where:id"
  std::optional<double> training_device_hours;
  std::string training_device, training_cost_source;
  // convergence: how many times the usual epochs this architecture needs to converge (DETR's set
  // prediction: 10-20x Faster R-CNN's), with its source; 1 where the catalogue says nothing.
  double convergence_epochs_factor = 1;
  std::string convergence_source;
  std::vector<SegmentRef> segments;
  std::string arch;                      // sml-compose architecture name, when buildable
  std::string arch_reason;               // why there is none (composition: {arch: null, reason})
  std::string arch_where;                // "file:line" of composition.arch, for messages
  std::optional<double> num_classes;
  // With an architecture, params, macs (and flops_per_token for decoders) are the figures derived
  // from the built graph (catalog/derived.yaml); the entry's own typed-in figures stay here as the
  // published ones that the derived ones are checked against.
  bool derived = false;
  std::string derived_input;             // what the derived figures are costed at
  std::optional<double> audio_s;         // a speech model: the seconds of audio one query covers (audio_s)
  std::optional<double> published_params, published_macs;
  // An architecture with `decode:` (issue 13): a request served as the encoder once, then one decode
  // step per generated token (catalog/derived.yaml generation): tokens, MACs per token, per request.
  std::optional<double> output_tokens, token_macs, request_macs;
  bool published_params_exact = false, published_macs_exact = false;  // given to the unit, not rounded
  // params.size_class: why the published figure is a size class ("1.5 billion"), not a count to
  // check the derived one against (printed by the catalogue test instead of checked).
  std::string published_params_size_class;
  // A model that is not a network (tree ensembles) carries its own cost model instead of MACs
  // (`cost_model:` in the entry); `params` then holds its stored node values, at most.
  std::optional<cost::TreeEnsemble> cost_model;
  // macs.measured_with: why the published MACs were measured at another data-dependent setting
  // (regions an R-CNN kept on the measured image) than the derived count states; not checked.
  std::string published_macs_measured_with;
  Languages languages;
};

// Reads every *.yaml under DIR (one level of area folders). InputError (file:line) for a
// malformed entry or a duplicate id.
// When DIR/../derived.yaml (derived/v1) exists, entries with an architecture take their costs from it.
std::vector<CatalogModel> load_models(const std::string& dir);
// One entry, from its parsed file (what load_models reads for each file).
CatalogModel parse_model(const YamlFile& file);

}  // namespace sml::catalog
