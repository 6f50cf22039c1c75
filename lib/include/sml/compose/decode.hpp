// A generation costed as a server runs it (issue 13): an encoder-decoder (T5, BART, Marian, NLLB,
// Whisper, BLIP's captioner) runs its encoder, and projects every decoder layer's cross-attention
// keys and values from the encoder's output, once per request; then one decode step per generated
// token, each a separate graph of the decoder at one token against a cache of the earlier tokens'
// self-attention keys and values and the cross keys and values (Hugging Face's past_key_values).
// A composition says which input carries the decoder's tokens and how many a request generates
// with `decode:` (sml-formats(5)).
// A decoder-only language model (GPT-2, the Llama family, Phi-2: `decode.input` is the model's own
// input) has no encoder: its once part is the prefill, the decoder over the prompt's first P − 1
// tokens writing every layer's keys and values (no head: nothing reads its logits); the prompt's
// last token is the first step's, at a cache of P − 1, whose logits give the first generated token.
// So a request of N output tokens is the prefill and N steps at caches P − 1 … P + N − 2: the work
// of a server that takes the first token from the prefill's last position (Hugging Face's
// generate(), vLLM), in N graphs of one token each.
// A text-to-speech decoder (SpeechT5) also has a part after the steps (`decode.after`): the
// post-net's convolutions and the vocoder, run once over every frame the steps produced; and
// inputs every step reads besides its frame (`decode.every_step`: the speaker x-vector).
#pragma once
#include <cstdint>

#include "sml/compose/composition.hpp"
#include "sml/cost/profile.hpp"

namespace sml::compose {

// C as the part PART of its generation: kOnce (the encoder and the cross keys and values), kStep
// (one token against a cache of CACHE tokens) or kAfter (what runs once after the steps; InputError
// when C has no `decode.after`). InputError when C has no `decode:`.
Composition decode_part(const Composition& c, DecodeMode::Part part, std::int64_t cache = 0);

// A decoder-only model: its decode input is the model's own input (no encoder).
bool decoder_only(const Composition& c);
// The prompt a decoder-only request reads: decode.prompt_tokens, else the input's length.
std::int64_t prompt_length(const Composition& c);
// The cache of a request's first step: 0, or the prefill's P − 1 tokens (decoder-only).
std::int64_t first_cache(const Composition& c);
// The cache a request's steps see on average: first_cache + the mean of 0 … output_tokens − 1, rounded down.
std::int64_t mean_cache(const Composition& c);

// What one request costs, counted from the built parts.
struct Generation {
  std::int64_t output_tokens = 0;   // the composition's decode.output_tokens
  std::int64_t once_params = 0, step_params = 0;
  double once_macs = 0, once_flops = 0;    // the encoder and every layer's cross keys and values, or the prefill
  double token_macs = 0, token_flops = 0;  // one step, averaged over the request's cache lengths
  std::int64_t after_params = 0;           // 0 with no `decode.after`
  double after_macs = 0, after_flops = 0;  // once after the steps (SpeechT5's post-net convolutions and vocoder)
  double request_macs = 0, request_flops = 0;  // once + output_tokens × token + after
};

// Builds the once part and the request's first and last steps (caches first_cache and
// first_cache + output_tokens − 1): a step's count grows linearly with its cache (attention reads
// one more key and value per cached token), so their mean is the exact mean over the request's
// steps. A sliding window (Mistral) caps the keys read and ends that line: the mean is exact only
// while the last step's cache stays within the window (every catalogue plan does: Mistral's
// 1,279 < 4,096).
Generation generation_cost(const Composition& c);

}  // namespace sml::compose
