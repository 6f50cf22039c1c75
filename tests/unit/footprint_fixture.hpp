// The smallest footprint model the parser accepts (one observation per required figure, all with a
// placeholder source), shared by the suites that append their own runtimes or serving-power rows.
#pragma once
#include <string>

namespace footprint_test {
inline const std::string kMinimalModelHead = R"(sml: footprint-model/v1
training_flops_factor: {value: 3, source: t}
utilization:
  observations: [{value: 0.4, source: t}]
system_power:
  observations: [{value: 1.1, source: t}]
lifetime_years:
  observations: [{value: 5, source: t}]
)";
}  // namespace footprint_test
