// libFuzzer harness for the scenario parser: any bytes must give either a scenario or a list
// of errors, never a crash, and a parsed scenario's steps must describe themselves.
#include <cstdint>
#include <string_view>

#include "scenarios/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const wfsim::scenarios::ParseResult parsed = wfsim::scenarios::parse_scenario_text(text);
  if (parsed.ok()) {
    for (const wfsim::scenarios::Step& step : parsed.scenario->steps) (void)step.describe();
  }
  return 0;
}
