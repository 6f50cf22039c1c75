// Helpers shared by the decode-step suites (test_decode.cpp: encoder-decoders; test_decode_lm.cpp:
// decoder-only LMs): profile one part of a composition's decode request, and catch a refusal's text.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "sml/compose/decode.hpp"
#include "sml/compose/derive.hpp"
#include "sml/io/error.hpp"

namespace decode_test {
namespace sc = sml::compose;

inline const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";

// One token against a cache of CACHE tokens.
inline sml::cost::Profile step(const sc::Composition& c, std::int64_t cache) {
  return sc::profile_composition(sc::decode_part(c, sc::DecodeMode::kStep, cache));
}
// What runs once per request: the encoder (+ cross K/V), or a decoder-only LM's prefill.
inline sml::cost::Profile once(const sc::Composition& c) { return sc::profile_composition(sc::decode_part(c, sc::DecodeMode::kOnce)); }

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const sml::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace decode_test
