#include "properties/examples/clients.hpp"

#include <algorithm>

#include "properties/client_properties.hpp"

namespace wfsim::properties::examples {
namespace {

using nlohmann::json;

constexpr sim::DurationUs kPollInterval = sim::seconds(30);
constexpr sim::DurationUs kGiveUpAfter = sim::hours(24);
constexpr sim::DurationUs kMaxBackoff = sim::seconds(60);

// The client's own backoff: 1 s, 2 s, 4 s ... up to a minute, never less than the
// service's RetryAfterSeconds.
sim::DurationUs backoff(int failures, const models::AwsError& error) {
  sim::DurationUs wait = std::min(kMaxBackoff, sim::seconds(1) << std::min(failures, 10));
  if (const auto after = retry_after_seconds(error)) wait = std::max(wait, sim::seconds(*after));
  return wait;
}

bool is_timeout(const models::AwsError& error) {
  return error.code == "OperationTimeoutException" || is_transport_error(error);
}

// Polls a run until it ends; `status_of` reads the status from a get response.
template <class StatusOf>
RoutineResult wait_for_end(Client& client, const std::string& operation, const json& request,
                           const ServiceFacts& facts, StatusOf status_of) {
  for (;;) {
    client.sleep(kPollInterval);
    const ClientOutcome got = call_until_answered(client, operation, request);
    if (!got.ok()) return {got.error()};
    if (facts.is_terminal(status_of(got.value()))) return {};
  }
}

// ---- MWAA Serverless ----

// The start; `token` empty: leave ClientToken out (the client then fills a new one per call).
ClientOutcome mwaa_start(Client& client, const std::string& arn, const std::string& token) {
  json request = {{"WorkflowArn", arn}};
  if (!token.empty()) request["ClientToken"] = token;
  return client.call("StartWorkflowRun", request);
}

json mwaa_setup(Client& client, bool busy) {
  const ClientOutcome created =
      client.call("CreateWorkflow",
                  {{"Name", "nightly"},
                   {"DefinitionS3Location", {{"Bucket", "defs"}, {"ObjectKey", "nightly.yaml"}}},
                   {"RoleArn", "arn:aws:iam::111122223333:role/mwaa-exec"}});
  const std::string arn = created.value().at("WorkflowArn").get<std::string>();
  // An earlier run that holds the only slot for a few minutes.
  if (busy) client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
  return {{"WorkflowArn", arn}};
}

json mwaa_config(bool busy) {
  const std::string three_tasks =
      "nightly:\n  tasks:\n"
      "    extract:\n      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
      "    transform:\n      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
      "      dependencies: [extract]\n"
      "    load:\n      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
      "      dependencies: [transform]\n";
  json config = {
      {"objects", {{"s3://defs/nightly.yaml", three_tasks}}},
      {"profiles", {{"mwaa-serverless", {{"task", {{"duration", {{"uniform", {20, 120}}}}}}}}}}};
  if (busy)
    config["services"] = {{"mwaa-serverless", {{"quotas", {{"concurrent_runs_per_workflow", 1}}}}}};
  return config;
}

// ---- Glue ----

json glue_config() {
  return {{"profiles", {{"glue", {{"job", {{"duration", {{"uniform", {20, 120}}}}}}}}}}};
}

json glue_setup(Client& client, bool busy) {
  for (const char* job : {"extract", "transform", "load"}) {
    client.call(
        "CreateJob",
        {{"Name", job},
         {"Role", "arn:aws:iam::111122223333:role/glue-etl"},
         {"Command",
          {{"Name", "glueetl"}, {"ScriptLocation", std::string("s3://scripts/") + job + ".py"}}}});
  }
  json workflow = {{"Name", "nightly"}};
  if (busy) workflow["MaxConcurrentRuns"] = 1;
  client.call("CreateWorkflow", workflow);
  client.call("CreateTrigger", {{"Name", "nightly-start"},
                                {"WorkflowName", "nightly"},
                                {"Type", "ON_DEMAND"},
                                {"Actions", {{{"JobName", "extract"}}}}});
  for (const auto& [after, next] :
       {std::pair{"extract", "transform"}, std::pair{"transform", "load"}}) {
    client.call(
        "CreateTrigger",
        {{"Name", std::string("after-") + after},
         {"WorkflowName", "nightly"},
         {"Type", "CONDITIONAL"},
         {"StartOnCreation", true},
         {"Predicate",
          {{"Conditions",
            {{{"LogicalOperator", "EQUALS"}, {"JobName", after}, {"State", "SUCCEEDED"}}}}}},
         {"Actions", {{{"JobName", next}}}}});
  }
  // An earlier run that holds the only slot for a few minutes.
  if (busy) client.call("StartWorkflowRun", {{"Name", "nightly"}});
  return {{"Name", "nightly"}};
}

// The run this client started, found by the marker it put in the run's properties.
std::optional<std::string> glue_find_marked_run(Client& client, const std::string& name,
                                                const std::string& marker) {
  const ClientOutcome runs = call_until_answered(client, "GetWorkflowRuns", {{"Name", name}});
  if (!runs.ok()) return std::nullopt;
  for (const json& run : runs.value().value("Runs", json::array())) {
    const json properties = run.value("WorkflowRunProperties", json::object());
    if (properties.value("client_request", "") == marker) return run.value("WorkflowRunId", "");
  }
  return std::nullopt;
}

CheckSpec start_once_spec(const std::string& service, Bug bug, bool busy, RetryPolicy retry) {
  static const char* const kBugNames[] = {"correct", "retry-without-token",
                                          "timeout-means-not-started", "spin-on-capacity",
                                          "start-through-sdk-retries"};
  CheckSpec spec;
  spec.service = service;
  spec.name = service + "-" + kBugNames[static_cast<int>(bug)] + (busy ? "-busy" : "") +
              (retry.enabled ? "-sdk-retries" : "");
  spec.retry = retry;
  spec.properties = start_once_and_wait_properties();
  if (busy) spec.properties.push_back(active_runs_at_most(1));
  return spec;
}

}  // namespace

ClientOutcome call_until_answered(Client& client, const std::string& operation,
                                  const json& request) {
  const sim::TimeUs deadline = client.now() + kGiveUpAfter;
  for (int failures = 0;; ++failures) {
    ClientOutcome outcome = client.call(operation, request);
    if (outcome.ok()) return outcome;
    // A timed-out read is safe to repeat even where the SDK would not (Glue's
    // OperationTimeoutException is a 400, outside the standard mode's list).
    const bool worth_retrying = is_retryable_error(outcome.error()) || is_timeout(outcome.error());
    if (!worth_retrying || client.now() >= deadline) return outcome;
    client.sleep(backoff(failures, outcome.error()));
  }
}

RoutineResult mwaa_start_once_and_wait(Client& client, const json& setup, Bug bug) {
  const std::string arn = setup.at("WorkflowArn").get<std::string>();
  // One token for every attempt of this logical start: the service then makes one run.
  const std::string token = bug == Bug::retry_start_without_token ? "" : client.new_token();
  client.note_logical_start();
  std::string run_id;
  for (int failures = 0; run_id.empty(); ++failures) {
    const ClientOutcome started = mwaa_start(client, arn, token);
    if (started.ok()) {
      run_id = started.value().at("RunId").get<std::string>();
      break;
    }
    const models::AwsError& error = started.error();
    if (bug == Bug::timeout_means_not_started && is_timeout(error)) return {error};
    if (bug == Bug::spin_on_capacity && is_capacity_refusal(error)) continue;
    if (!is_retryable_error(error) && !is_capacity_refusal(error)) return {error};
    client.sleep(backoff(failures, error));
  }
  return wait_for_end(client, "GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run_id}},
                      mwaa_serverless_facts(), [](const json& response) {
                        return response.value("RunDetail", json::object()).value("RunState", "");
                      });
}

RoutineResult glue_start_once_and_wait(Client& client, const json& setup, Bug bug) {
  const std::string name = setup.at("Name").get<std::string>();
  // Glue's StartWorkflowRun has no idempotency token: the client marks its run instead and,
  // after any failure that may hide a start, looks for the mark before starting again.
  const std::string marker = client.new_token();
  client.note_logical_start();
  std::string run_id;
  for (int failures = 0; run_id.empty(); ++failures) {
    // Never through SDK retries: a retried lost start would make a second run.
    const json request = {{"Name", name}, {"RunProperties", {{"client_request", marker}}}};
    const ClientOutcome started = bug == Bug::start_through_sdk_retries
                                      ? client.call("StartWorkflowRun", request)
                                      : client.call_once("StartWorkflowRun", request);
    if (started.ok()) {
      run_id = started.value().at("RunId").get<std::string>();
      break;
    }
    const models::AwsError& error = started.error();
    if (error.code == "InvalidInputException" || error.code == "EntityNotFoundException")
      return {error};
    if (bug == Bug::timeout_means_not_started && is_timeout(error)) return {error};
    if (bug == Bug::spin_on_capacity && is_capacity_refusal(error)) continue;
    client.sleep(backoff(failures, error));
    if (bug == Bug::retry_start_without_token) continue;
    // A timeout, a lost response or a refusal may all hide a run this client started.
    if (auto found = glue_find_marked_run(client, name, marker)) run_id = *found;
  }
  return wait_for_end(client, "GetWorkflowRun", {{"Name", name}, {"RunId", run_id}}, glue_facts(),
                      [](const json& response) {
                        return response.value("Run", json::object()).value("Status", "");
                      });
}

CheckSpec mwaa_start_once_spec(Bug bug, bool busy, RetryPolicy retry) {
  CheckSpec spec = start_once_spec("mwaa-serverless", bug, busy, retry);
  spec.config = mwaa_config(busy);
  spec.setup = [busy](Client& client) { return mwaa_setup(client, busy); };
  spec.routine = [bug](Client& client, const json& setup) {
    return mwaa_start_once_and_wait(client, setup, bug);
  };
  return spec;
}

CheckSpec glue_start_once_spec(Bug bug, bool busy, RetryPolicy retry) {
  CheckSpec spec = start_once_spec("glue", bug, busy, retry);
  spec.config = glue_config();
  spec.setup = [busy](Client& client) { return glue_setup(client, busy); };
  spec.routine = [bug](Client& client, const json& setup) {
    return glue_start_once_and_wait(client, setup, bug);
  };
  return spec;
}

}  // namespace wfsim::properties::examples
