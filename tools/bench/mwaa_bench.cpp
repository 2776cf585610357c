// BM_MwaaRunLifecycle: complete MWAA Serverless runs per second, in process, through
// World::call: a StartWorkflowRun call, then the scheduler drives the run through STARTING,
// QUEUED, RUNNING, three tasks in a chain and SUCCESS (DESIGN.md target: >= 500 000/s).
// The trace is off, as in a long property or fuzzing campaign. The counter
// bytes_per_completed_run is the heap a finished, retained run keeps (budget: <= 1 KiB).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "models/world.hpp"
#include "tools/bench/allocation_counter.hpp"

namespace {

using nlohmann::json;

constexpr const char* kThreeTaskDefinition = R"(bench_chain:
  tasks:
    extract:
      operator: airflow.providers.standard.operators.empty.EmptyOperator
    transform:
      operator: airflow.providers.standard.operators.empty.EmptyOperator
      dependencies: [extract]
    load:
      operator: airflow.providers.standard.operators.empty.EmptyOperator
      dependencies: [transform]
)";

std::unique_ptr<wfsim::World> make_world() {
  wfsim::WorldOptions options;
  options.seed = 7;
  options.trace.enabled = false;
  options.config = {{"objects", {{"s3://bench/chain.yaml", kThreeTaskDefinition}}}};
  auto created = wfsim::World::create(options);
  if (auto* error = std::get_if<std::string>(&created)) {
    std::fprintf(stderr, "world: %s\n", error->c_str());
    std::abort();
  }
  return std::move(std::get<std::unique_ptr<wfsim::World>>(created));
}

std::string create_workflow(wfsim::World& world) {
  const json request = {
      {"Name", "bench-chain"},
      {"DefinitionS3Location", {{"Bucket", "bench"}, {"ObjectKey", "chain.yaml"}}},
      {"RoleArn", "arn:aws:iam::111122223333:role/bench"}};
  auto result = world.call("mwaa-serverless", "CreateWorkflow", request);
  if (!result.outcome.ok()) {
    std::fprintf(stderr, "CreateWorkflow: %s\n", result.outcome.error().message.c_str());
    std::abort();
  }
  return result.outcome.value()["WorkflowArn"].get<std::string>();
}

void run_once(wfsim::World& world, const json& start_request) {
  auto started = world.call("mwaa-serverless", "StartWorkflowRun", start_request);
  if (!started.outcome.ok()) {
    std::fprintf(stderr, "StartWorkflowRun: %s\n", started.outcome.error().message.c_str());
    std::abort();
  }
  world.run_until_idle();
}

void BM_MwaaRunLifecycle(benchmark::State& state) {
  auto world = make_world();
  const json start_request = {{"WorkflowArn", create_workflow(*world)}};
  run_once(*world, start_request);  // warm caches and lazily built tables
  std::int64_t runs = 0;
  const std::int64_t heap_before = wfsim::bench::live_heap_bytes();
  for (auto _ : state) {
    run_once(*world, start_request);
    ++runs;
  }
  const std::int64_t heap_after = wfsim::bench::live_heap_bytes();
  state.SetItemsProcessed(runs);
  state.counters["bytes_per_completed_run"] =
      static_cast<double>(heap_after - heap_before) / static_cast<double>(runs);
}
BENCHMARK(BM_MwaaRunLifecycle)->Unit(benchmark::kMicrosecond);

}  // namespace
