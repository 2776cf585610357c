// A small world for the Glue service tests: its own scheduler, trace, random streams and
// object store, the service built from a configuration, and helpers that call operations
// and check the results.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "models/common/object_store.hpp"
#include "models/common/service.hpp"
#include "models/glue/service.hpp"
#include "sim/random.hpp"
#include "sim/scheduler.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace wfsim::models::glue::testing {

using nlohmann::json;

inline constexpr sim::TimeUs kStart = 1767225600000000;  // 2026-01-01T00:00:00Z
inline constexpr const char* kRole = "arn:aws:iam::111122223333:role/glue-exec";

// Profiles that make every job and crawl take exactly `seconds` and succeed.
inline json fixed_profiles(int seconds = 60) {
  return {{"job", {{"duration", seconds}}}, {"crawler", {{"duration", seconds}}}};
}

class GlueWorld {
 public:
  explicit GlueWorld(const json& service_config = nullptr, const json& profiles = fixed_profiles(),
                     std::uint64_t seed = 42, sim::TraceOptions trace_options = {})
      : scheduler(kStart), trace(trace_options), streams(seed) {
    auto made =
        make_glue(ServiceContext{scheduler, trace, streams, objects, "111122223333", "us-east-1"},
                  service_config, profiles);
    if (auto* error = std::get_if<std::string>(&made)) {
      ADD_FAILURE() << "configuration rejected: " << *error;
      return;
    }
    service = std::move(std::get<std::unique_ptr<Service>>(made));
  }

  JsonOutcome call(const std::string& operation, const json& request) {
    return service->call(operation, request);
  }

  // The response of a call that must succeed ({} after a failure, which is reported).
  json ok(const std::string& operation, const json& request) {
    auto outcome = call(operation, request);
    if (!outcome.ok()) {
      ADD_FAILURE() << operation << " failed: " << outcome.error().body().dump();
      return json::object();
    }
    return outcome.value();
  }

  // The error of a call that must fail with `code`.
  AwsError error(const std::string& operation, const json& request, const std::string& code) {
    auto outcome = call(operation, request);
    if (outcome.ok()) {
      ADD_FAILURE() << operation << " succeeded, expected " << code << ": "
                    << outcome.value().dump();
      return AwsError{};
    }
    EXPECT_EQ(outcome.error().code, code) << outcome.error().body().dump();
    return outcome.error();
  }

  void job(const std::string& name, const json& extra = json::object()) {
    json request = {
        {"Name", name},
        {"Role", kRole},
        {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://scripts/" + name + ".py"}}}};
    request.update(extra);
    ok("CreateJob", request);
  }

  void crawler(const std::string& name) {
    ok("CreateCrawler", {{"Name", name},
                         {"Role", kRole},
                         {"DatabaseName", "db"},
                         {"Targets", {{"S3Targets", {{{"Path", "s3://data/" + name}}}}}}});
  }

  void workflow(const std::string& name, const json& extra = json::object()) {
    json request = {{"Name", name}};
    request.update(extra);
    ok("CreateWorkflow", request);
  }

  // An ON_DEMAND start trigger of `workflow` that starts `jobs`.
  void start_trigger(const std::string& name, const std::string& workflow,
                     const std::vector<std::string>& jobs) {
    json actions = json::array();
    for (const auto& job : jobs) actions.push_back({{"JobName", job}});
    ok("CreateTrigger",
       {{"Name", name}, {"WorkflowName", workflow}, {"Type", "ON_DEMAND"}, {"Actions", actions}});
  }

  // An activated CONDITIONAL trigger: when `watched` ends in `state`, start `job`.
  void conditional(const std::string& name, const std::string& workflow,
                   const std::string& watched, const std::string& state, const std::string& job) {
    ok("CreateTrigger",
       {{"Name", name},
        {"WorkflowName", workflow},
        {"Type", "CONDITIONAL"},
        {"StartOnCreation", true},
        {"Predicate", {{"Conditions", {{{"LogicalOperator", "EQUALS"}, {"JobName", watched},
                                        {"State", state}}}}}},
        {"Actions", {{{"JobName", job}}}}});
  }

  std::string start(const std::string& workflow, const json& extra = json::object()) {
    json request = {{"Name", workflow}};
    request.update(extra);
    return ok("StartWorkflowRun", request).value("RunId", "");
  }

  json run(const std::string& workflow, const std::string& run_id, bool graph = true) {
    return ok("GetWorkflowRun",
              {{"Name", workflow}, {"RunId", run_id}, {"IncludeGraph", graph}})["Run"];
  }

  std::string run_status(const std::string& workflow, const std::string& run_id) {
    return run(workflow, run_id, false).value("Status", "");
  }

  void advance(sim::DurationUs d_us) { scheduler.advance(d_us); }
  void run_until_idle() { scheduler.run_until_idle(10'000'000); }

  void expect_invariants(const std::string& when = "") {
    for (const auto& violation : service->check_invariants()) {
      ADD_FAILURE() << "invariant " << violation.invariant << " broken " << when << ": "
                    << violation.detail;
    }
  }

  sim::Scheduler scheduler;
  sim::Trace trace;
  sim::RandomStreams streams;
  ObjectStore objects;
  std::unique_ptr<Service> service;
};

}  // namespace wfsim::models::glue::testing
