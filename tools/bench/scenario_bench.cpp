// Scenario replay, in steps per second (DESIGN.md target: a recorded scenario replays at
// >= 200 000 steps/s). Trace events are off, as in a long campaign; the trace hash is still
// computed.
//
// BM_ScenarioReplay: the shipped library, each scenario parsed once and replayed from a fresh
// World every iteration. Its scenarios are short and each creates workflows, so it weighs
// world construction and definition parsing as much as replay.
//
// BM_RecordedScenarioReplay: one long recorded scenario, the shape a client's polling loop
// leaves behind: a workflow is created and run, then GetWorkflowRun is called once a second
// over the run and long after it, every call expecting the full response it got when the
// scenario was recorded.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/recorder.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using wfsim::scenarios::Scenario;

std::vector<Scenario> load_library() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(WFSIM_SOURCE_DIR) / "scenarios/library")) {
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

wfsim::scenarios::RunOptions hash_only_options() {
  wfsim::scenarios::RunOptions options;
  options.trace.keep_events = false;
  return options;
}

// Replays `scenarios` once per iteration and reports steps per second.
void replay(benchmark::State& state, const std::vector<Scenario>& scenarios) {
  const wfsim::scenarios::RunOptions options = hash_only_options();
  std::int64_t steps = 0;
  std::int64_t failed = 0;
  for (auto _ : state) {
    for (const auto& scenario : scenarios) {
      auto result = wfsim::scenarios::run_scenario(scenario, options);
      steps += static_cast<std::int64_t>(result.steps.size());
      failed += result.passed() ? 0 : 1;
    }
  }
  state.SetItemsProcessed(steps);
  state.counters["scenarios"] = static_cast<double>(scenarios.size());
  state.counters["failed_replays"] = static_cast<double>(failed);
}

void BM_ScenarioReplay(benchmark::State& state) { replay(state, load_library()); }
BENCHMARK(BM_ScenarioReplay)->Unit(benchmark::kMillisecond);

constexpr const char* kPollingDefinition =
    "orders:\n"
    "  tasks:\n"
    "    extract:\n"
    "      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
    "    transform:\n"
    "      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
    "      dependencies: [extract]\n"
    "    load:\n"
    "      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
    "      dependencies: [transform]\n";

json polling_call(const char* operation, json request) {
  return {{"call", std::string("mwaa-serverless:") + operation}, {"request", std::move(request)}};
}

// The source of the recording: create, start, then `rounds` of {advance 1 s, GetWorkflowRun}.
json polling_source(int rounds) {
  json create =
      polling_call("CreateWorkflow",
                   {{"Name", "orders"},
                    {"DefinitionS3Location", {{"Bucket", "defs"}, {"ObjectKey", "orders.yaml"}}},
                    {"RoleArn", "arn:aws:iam::111122223333:role/mwaa-exec"}});
  create["save"] = {{"arn", "/WorkflowArn"}};
  json start = polling_call("StartWorkflowRun", {{"WorkflowArn", "${arn}"}});
  start["save"] = {{"run", "/RunId"}};
  json steps = json::array({create, start});
  const json poll =
      polling_call("GetWorkflowRun", {{"WorkflowArn", "${arn}"}, {"RunId", "${run}"}});
  for (int round = 0; round < rounds; ++round) {
    steps.push_back({{"advance", 1}});
    steps.push_back(poll);
  }
  return {{"wfsim", 1},
          {"name", "bench-polling"},
          {"seed", 42},
          {"start", "2026-01-01T00:00:00Z"},
          {"config", {{"objects", {{"s3://defs/orders.yaml", kPollingDefinition}}}}},
          {"steps", std::move(steps)}};
}

// Records the polling scenario and parses the recording back, as a replay from file would.
Scenario recorded_polling_scenario(int rounds) {
  auto source = wfsim::scenarios::parse_scenario(polling_source(rounds));
  if (!source.ok()) {
    std::fprintf(stderr, "bench-polling does not parse: %s\n", source.errors.front().c_str());
    std::abort();
  }
  const auto recording = wfsim::scenarios::record_scenario(*source.scenario, hash_only_options());
  auto recorded = wfsim::scenarios::parse_scenario_text(recording.text());
  if (!recording.run.passed() || !recorded.ok()) {
    std::fprintf(stderr, "bench-polling does not record cleanly\n");
    std::abort();
  }
  return std::move(*recorded.scenario);
}

void BM_RecordedScenarioReplay(benchmark::State& state) {
  replay(state, {recorded_polling_scenario(static_cast<int>(state.range(0)))});
}
BENCHMARK(BM_RecordedScenarioReplay)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
