// libFuzzer harness: the unit parser (quantities, counts, dims) on arbitrary text. Text that is not
// a number (UsageError) and an impossible value (InputError) are both refusals: any sml::Error.
#include <cstdint>
#include <string>

#include "sml/io/error.hpp"
#include "sml/io/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (auto q : {sml::Quantity::kCount, sml::Quantity::kMass, sml::Quantity::kEnergy, sml::Quantity::kTime,
                 sml::Quantity::kBytes, sml::Quantity::kPower, sml::Quantity::kRate}) {
    try { (void)sml::parse_quantity(text, q, "--x"); } catch (const sml::Error&) {}
    try { (void)sml::parse_quantity_with_unit(text, q, "--x"); } catch (const sml::Error&) {}
  }
  try { (void)sml::parse_count(text, "--n"); } catch (const sml::Error&) {}
  try { (void)sml::parse_dims(text, "--input-shape"); } catch (const sml::Error&) {}
  return 0;
}
