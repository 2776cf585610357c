// libFuzzer harness for the request decoders: the first two bytes choose a service and one
// of its operations, the rest is read as JSON (or, when it is not JSON, sent as a string
// member) and sent to a fresh World. Nothing a caller sends may crash a service or break an
// invariant (DESIGN.md, Errors and bad input).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "properties/fuzz.hpp"
#include "scenarios/matching.hpp"
#include "tools/fuzz/campaigns.hpp"

using namespace wfsim;
using namespace wfsim::properties;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const FuzzCampaign& campaign = campaign_for(data[0]);
  FuzzSession session(campaign, 1);
  const std::vector<std::string> operations = session.generator().operations();
  GeneratedCall call;
  call.operation = operations[data[1] % operations.size()];
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  nlohmann::json request = nlohmann::json::parse(text, nullptr, false);
  if (request.is_discarded()) request = {{"Name", text}};
  // The bytes are the request itself: nothing in them is a ${name} to fill in.
  call.request = scenarios::escape_templates(request);
  const std::optional<Finding> finding =
      session.run(call_step(session.generator().service(), call));
  if (finding) {
    std::fprintf(stderr, "wfsim finding: %s: %s\nrequest: %s\n", finding->signature.c_str(),
                 finding->detail.c_str(),
                 request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::abort();
  }
  return 0;
}
