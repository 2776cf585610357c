// A small world for the MWAA Serverless service tests: its own scheduler, trace, random
// streams and object store, the service built from a configuration, and helpers that call
// operations and check the results.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "models/common/object_store.hpp"
#include "models/common/service.hpp"
#include "models/mwaa_serverless/service.hpp"
#include "sim/random.hpp"
#include "sim/scheduler.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace wfsim::models::mwaa::testing {

using nlohmann::json;

inline constexpr sim::TimeUs kStart = 1767225600000000;  // 2026-01-01T00:00:00Z
inline constexpr const char* kRole = "arn:aws:iam::111122223333:role/mwaa-exec";
inline constexpr const char* kBucket = "defs";
inline constexpr const char* kEmpty = "airflow.providers.standard.operators.empty.EmptyOperator";
inline constexpr const char* kBash = "airflow.providers.standard.operators.bash.BashOperator";

// A definition whose tasks are EmptyOperators; `tasks` maps task id -> extra YAML lines
// (already indented by 6 spaces), `dag_lines` are extra DAG-level lines (indented by 2).
inline std::string dag_yaml(const std::string& dag_id,
                            const std::vector<std::pair<std::string, std::string>>& tasks,
                            const std::string& dag_lines = "") {
  std::string text = dag_id + ":\n" + dag_lines + "  tasks:\n";
  for (const auto& [task_id, extra] : tasks) {
    text += "    " + task_id + ":\n      operator: " + kEmpty + "\n" + extra;
  }
  return text;
}

// Three EmptyOperator tasks in a chain: a -> b -> c.
inline std::string chain_yaml(const std::string& dag_id = "chain") {
  return dag_yaml(
      dag_id, {{"a", ""}, {"b", "      dependencies: [a]\n"}, {"c", "      dependencies: [b]\n"}});
}

class MwaaWorld {
 public:
  explicit MwaaWorld(const json& service_config = nullptr, const json& profiles = nullptr,
                     std::uint64_t seed = 42, sim::TraceOptions trace_options = {})
      : scheduler(kStart), trace(trace_options), streams(seed) {
    auto made = make_mwaa_serverless(
        ServiceContext{scheduler, trace, streams, objects, "111122223333", "us-east-1"},
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

  void put(const std::string& key, const std::string& yaml) { objects.put(kBucket, key, yaml); }

  json create_request(const std::string& name, const std::string& key) {
    return {{"Name", name},
            {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", key}}},
            {"RoleArn", kRole}};
  }

  // Puts the definition under "<name>.yaml" and creates the workflow; returns its ARN.
  std::string create(const std::string& name, const std::string& yaml,
                     const json& extra = json::object()) {
    put(name + ".yaml", yaml);
    json request = create_request(name, name + ".yaml");
    request.update(extra);
    return ok("CreateWorkflow", request).value("WorkflowArn", "");
  }

  std::string start(const std::string& arn, const json& extra = json::object()) {
    json request = {{"WorkflowArn", arn}};
    request.update(extra);
    return ok("StartWorkflowRun", request).value("RunId", "");
  }

  json run(const std::string& arn, const std::string& run_id) {
    return ok("GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run_id}});
  }

  std::string run_state(const std::string& arn, const std::string& run_id) {
    return run(arn, run_id)["RunDetail"].value("RunState", "");
  }

  json task_instances(const std::string& arn, const std::string& run_id) {
    return ok("ListTaskInstances",
              {{"WorkflowArn", arn}, {"RunId", run_id}, {"MaxResults", 100}})["TaskInstances"];
  }

  json task_instance(const std::string& arn, const std::string& run_id, const std::string& id) {
    return ok("GetTaskInstance", {{"WorkflowArn", arn}, {"RunId", run_id}, {"TaskInstanceId", id}});
  }

  // Task id -> statuses of its instances in attempt order.
  std::map<std::string, std::vector<std::string>> task_statuses(const std::string& arn,
                                                                const std::string& run_id) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& summary : task_instances(arn, run_id)) {
      const json detail = task_instance(arn, run_id, summary["TaskInstanceId"]);
      out[detail.value("TaskId", "")].push_back(detail.value("Status", ""));
    }
    return out;
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

}  // namespace wfsim::models::mwaa::testing
