#include "sml/compose/decode.hpp"

#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sml::compose {

Composition decode_part(const Composition& c, DecodeMode::Part part, std::int64_t cache) {
  if (c.decode_input.empty())
    throw InputError(c.file + ": " + c.name + " has no decode: key (an encoder-decoder or decoder names the input of its tokens there)");
  if (cache < 0 || cache > 1'000'000) throw InputError(c.name + ": a decode step's cache of " + std::to_string(cache) + " tokens is out of range");
  Composition p = c;
  p.step.part = part;
  p.step.cache = part == DecodeMode::kStep ? cache : 0;
  p.per_token = false;
  return p;
}

std::int64_t mean_cache(const Composition& c) { return (c.output_tokens - 1) / 2; }

Generation generation_cost(const Composition& c) {
  Generation g;
  g.output_tokens = c.output_tokens;
  const cost::Profile once = profile_composition(decode_part(c, DecodeMode::kOnce));
  const cost::Profile first = profile_composition(decode_part(c, DecodeMode::kStep, 0));
  const cost::Profile last = c.output_tokens > 1 ? profile_composition(decode_part(c, DecodeMode::kStep, c.output_tokens - 1)) : first;
  g.once_params = once.params;
  g.step_params = first.params;
  g.once_macs = once.macs;
  g.once_flops = once.flops;
  g.token_macs = (first.macs + last.macs) / 2;
  g.token_flops = (first.flops + last.flops) / 2;
  const double n = static_cast<double>(c.output_tokens);
  g.request_macs = g.once_macs + n * g.token_macs;
  g.request_flops = g.once_flops + n * g.token_flops;
  return g;
}

}  // namespace sml::compose
