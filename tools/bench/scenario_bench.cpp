// BM_ScenarioReplay: scenario steps replayed per second over the shipped library, each
// scenario parsed once and replayed from a fresh World every iteration, trace events off
// (the hash is still computed). DESIGN.md target: >= 200 000 steps/s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using wfsim::scenarios::Scenario;

std::vector<Scenario> load_library() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(WFSIM_SOURCE_DIR) / "scenarios/library")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Scenario> scenarios;
  for (const auto& file : files) {
    auto parsed = wfsim::scenarios::load_scenario_file(file.string());
    if (parsed.ok()) scenarios.push_back(std::move(*parsed.scenario));
  }
  return scenarios;
}

void BM_ScenarioReplay(benchmark::State& state) {
  const auto library = load_library();
  wfsim::scenarios::RunOptions options;
  options.trace.keep_events = false;
  std::int64_t steps = 0;
  std::int64_t failed = 0;
  for (auto _ : state) {
    for (const auto& scenario : library) {
      auto result = wfsim::scenarios::run_scenario(scenario, options);
      steps += static_cast<std::int64_t>(result.steps.size());
      failed += result.passed() ? 0 : 1;
    }
  }
  state.SetItemsProcessed(steps);
  state.counters["scenarios"] = static_cast<double>(library.size());
  state.counters["failed_replays"] = static_cast<double>(failed);
}
BENCHMARK(BM_ScenarioReplay)->Unit(benchmark::kMillisecond);

}  // namespace
