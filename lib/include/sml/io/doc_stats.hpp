// How much work Doc's map lookups have done, for tests that show an algorithm's growth by counting
// instead of timing it (issue 20: --baseline and --summarize over a document of 300,000 keys were
// quadratic, one key lookup per key read; tests/unit/test_report_merge_round22.cpp).
#pragma once
#include <cstdint>

namespace sml {

// Keys compared by Doc's map lookups (operator[], set, find, path) in this thread so far.
std::uint64_t doc_key_comparisons();

}  // namespace sml
