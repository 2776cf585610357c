// libFuzzer harness: bytes -> a structured sequence of calls, clock advances and runs to
// idle against a World, each call made by the service's request generator from a seed the
// bytes give (so coverage guidance steers which operations, shapes and faults come next).
// A crash inside a service or a broken invariant aborts, which libFuzzer reports.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <fuzzer/FuzzedDataProvider.h>

#include "properties/fuzz.hpp"
#include "tools/fuzz/campaigns.hpp"

namespace {

using namespace wfsim;
using namespace wfsim::properties;

constexpr int kMaxSteps = 64;

nlohmann::json next_step(FuzzedDataProvider& input, FuzzSession& session, GeneratedCall* call) {
  switch (input.ConsumeIntegralInRange<int>(0, 5)) {
    case 4:
      return advance_step(sim::seconds(input.ConsumeIntegralInRange<std::int64_t>(0, 3 * 86400)));
    case 5:
      return until_idle_step(input.ConsumeIntegralInRange<std::uint64_t>(1, 2000));
    default: {
      RequestGenerator& generator = session.generator();
      const std::vector<std::string> operations = generator.operations();
      const std::string& operation =
          operations[input.ConsumeIntegralInRange<std::size_t>(0, operations.size() - 1)];
      const auto shape = static_cast<RequestShape>(input.ConsumeIntegralInRange<int>(0, 2));
      sim::Rng rng(input.ConsumeIntegral<std::uint64_t>());
      *call = generator.call_for(operation, shape, rng);
      std::optional<sim::FaultDecision> fault;
      if (input.ConsumeIntegralInRange<int>(0, 7) == 0) fault = generate_fault(rng);
      return call_step(generator.service(), *call, fault);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  // true: glue, as the corpus has it.
  const FuzzCampaign& campaign = campaign_for(input.ConsumeBool() ? 0 : 1);
  FuzzSession session(campaign, input.ConsumeIntegral<std::uint16_t>());
  for (int i = 0; i < kMaxSteps && input.remaining_bytes() > 0; ++i) {
    GeneratedCall call;
    const nlohmann::json step = next_step(input, session, &call);
    const std::optional<Finding> finding =
        session.run(step, step.contains("call") ? &call : nullptr);
    if (finding) {
      std::fprintf(stderr, "wfsim finding after step %d: %s: %s\nstep: %s\n", i,
                   finding->signature.c_str(), finding->detail.c_str(), step.dump().c_str());
      std::abort();
    }
  }
  return 0;
}
