// BM_CheckClientSeeds: how many cases (seeds) check_client runs per second on the example
// clients of properties/examples: the correct "start exactly once, then wait for the end"
// client, each case a fresh world, its setup, a swarm of injected faults, the routine and
// the six ready properties. Nothing fails, so no shrinking is measured.
#include <benchmark/benchmark.h>

#include "properties/check_client.hpp"
#include "properties/examples/clients.hpp"

namespace {

using wfsim::properties::CheckOptions;
using wfsim::properties::CheckSpec;
using wfsim::properties::examples::Bug;

void run_check(benchmark::State& state, const CheckSpec& spec) {
  CheckOptions options;
  options.cases = 200;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    options.seed = seed++;
    const auto report = wfsim::properties::check_client(spec, options);
    if (!report.passed()) state.SkipWithError("a correct example client failed");
  }
  state.counters["seeds_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * options.cases), benchmark::Counter::kIsRate);
}

void BM_CheckClientSeeds_Mwaa(benchmark::State& state) {
  run_check(state, wfsim::properties::examples::mwaa_start_once_spec(Bug::none, false));
}
BENCHMARK(BM_CheckClientSeeds_Mwaa)->Unit(benchmark::kMillisecond);

void BM_CheckClientSeeds_Glue(benchmark::State& state) {
  run_check(state, wfsim::properties::examples::glue_start_once_spec(Bug::none, false));
}
BENCHMARK(BM_CheckClientSeeds_Glue)->Unit(benchmark::kMillisecond);

}  // namespace
