#include "sml/compose/decode.hpp"

#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace sml::compose {

Composition decode_part(const Composition& c, DecodeMode::Part part, std::int64_t cache) {
  if (c.decode_input.empty())
    throw InputError(c.file + ": " + c.name + " has no decode: key (an encoder-decoder or decoder names the input of its tokens there)");
  if (cache < 0 || cache > 1'000'000) throw InputError(c.name + ": a decode step's cache of " + std::to_string(cache) + " tokens is out of range");
  if (part == DecodeMode::kAfter && c.after_scope.empty())
    throw InputError(c.file + ": " + c.name + " has no decode.after: nothing runs once after its steps");
  Composition p = c;
  p.step.part = part;
  p.step.cache = part == DecodeMode::kStep ? cache : 0;
  p.per_token = false;
  if (decoder_only(c) && part == DecodeMode::kOnce) p.input_shape[1] = prompt_length(c) - 1;  // the prefill
  return p;
}

bool decoder_only(const Composition& c) { return !c.decode_input.empty() && c.decode_input == c.input_name; }

std::int64_t prompt_length(const Composition& c) { return c.prompt_tokens ? c.prompt_tokens : c.input_shape.at(1); }

std::int64_t first_cache(const Composition& c) { return decoder_only(c) ? prompt_length(c) - 1 : 0; }

std::int64_t mean_cache(const Composition& c) { return first_cache(c) + (c.output_tokens - 1) / 2; }

Generation generation_cost(const Composition& c) {
  Generation g;
  g.output_tokens = c.output_tokens;
  const cost::Profile once = profile_composition(decode_part(c, DecodeMode::kOnce));
  const std::int64_t from = first_cache(c);
  const cost::Profile first = profile_composition(decode_part(c, DecodeMode::kStep, from));
  const cost::Profile last = c.output_tokens > 1 ? profile_composition(decode_part(c, DecodeMode::kStep, from + c.output_tokens - 1)) : first;
  g.once_params = once.params;
  g.step_params = first.params;
  g.once_macs = once.macs;
  g.once_flops = once.flops;
  g.token_macs = (first.macs + last.macs) / 2;
  g.token_flops = (first.flops + last.flops) / 2;
  const double n = static_cast<double>(c.output_tokens);
  if (!c.after_scope.empty()) {
    const cost::Profile after = profile_composition(decode_part(c, DecodeMode::kAfter));
    g.after_params = after.params;
    g.after_macs = after.macs;
    g.after_flops = after.flops;
  }
  g.request_macs = g.once_macs + n * g.token_macs + g.after_macs;
  g.request_flops = g.once_flops + n * g.token_flops + g.after_flops;
  return g;
}

}  // namespace sml::compose
