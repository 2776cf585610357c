// BM_GlueWorkflowRun: complete AWS Glue workflow runs per second, in process, through
// World::call: a StartWorkflowRun call, then the scheduler drives a five-node workflow from
// RUNNING to COMPLETED: the start trigger starts J1 and J2, a CONDITIONAL trigger with an
// AND predicate waits for both to succeed and starts J3. The trace is off, as in a long
// property or fuzzing campaign. Finished runs are retained, as the service keeps them for
// 90 days; the counter bytes_per_completed_run is the heap each one keeps.
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

void must(wfsim::World& world, const std::string& operation, const json& request) {
  auto result = world.call("glue", operation, request);
  if (!result.outcome.ok()) {
    std::fprintf(stderr, "%s: %s\n", operation.c_str(), result.outcome.error().message.c_str());
    std::abort();
  }
}

std::unique_ptr<wfsim::World> make_world() {
  wfsim::WorldOptions options;
  options.seed = 7;
  options.trace.enabled = false;
  options.config = {{"profiles", {{"glue", {{"job", {{"duration", 60}}}}}}}};
  auto created = wfsim::World::create(options);
  if (auto* error = std::get_if<std::string>(&created)) {
    std::fprintf(stderr, "world: %s\n", error->c_str());
    std::abort();
  }
  return std::move(std::get<std::unique_ptr<wfsim::World>>(created));
}

void create_five_node_workflow(wfsim::World& world) {
  for (const char* job : {"J1", "J2", "J3"}) {
    must(world, "CreateJob",
         {{"Name", job},
          {"Role", "arn:aws:iam::111122223333:role/bench"},
          {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://bench/job.py"}}},
          {"ExecutionProperty", {{"MaxConcurrentRuns", 1000}}}});
  }
  must(world, "CreateWorkflow", {{"Name", "bench"}});
  must(world, "CreateTrigger",
       {{"Name", "start"}, {"WorkflowName", "bench"}, {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "J1"}}, {{"JobName", "J2"}}}}});
  must(world, "CreateTrigger",
       {{"Name", "both-done"},
        {"WorkflowName", "bench"},
        {"Type", "CONDITIONAL"},
        {"StartOnCreation", true},
        {"Predicate",
         {{"Logical", "AND"},
          {"Conditions",
           {{{"LogicalOperator", "EQUALS"}, {"JobName", "J1"}, {"State", "SUCCEEDED"}},
            {{"LogicalOperator", "EQUALS"}, {"JobName", "J2"}, {"State", "SUCCEEDED"}}}}}},
        {"Actions", {{{"JobName", "J3"}}}}});
  world.run_until_idle();
}

void run_once(wfsim::World& world, const json& start_request) {
  must(world, "StartWorkflowRun", start_request);
  world.run_until_idle();
}

void BM_GlueWorkflowRun(benchmark::State& state) {
  auto world = make_world();
  create_five_node_workflow(*world);
  const json start_request = {{"Name", "bench"}};
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
      runs > 0 ? static_cast<double>(heap_after - heap_before) / static_cast<double>(runs) : 0.0;
}
BENCHMARK(BM_GlueWorkflowRun);

}  // namespace
