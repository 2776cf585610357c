/* The MWAA Serverless service (fact sheet mwaa-serverless.md, API 2024-07-26): construction,
   dispatch, injected faults and the trace. The operations live in workflows.cpp, tags.cpp,
   runs.cpp and tasks.cpp, schedules in schedules.cpp, invariants in invariants.cpp.

   Configuration (config.services["mwaa-serverless"]; every member optional, unknown members
   are errors; durations are seconds or ISO-8601 strings):
     {"quotas":   {"workflows_per_account": 100, "versions_per_workflow": 50,
                   "concurrent_runs_per_workflow": 20, "concurrent_runs_per_account": 100},
      "timings":  {"queue_delay": 1,         STARTING -> QUEUED
                   "startup": 30,            QUEUED -> RUNNING (templates rendered here)
                   "task_queue_delay": 5,    task QUEUED -> RUNNING (SCHEDULED -> QUEUED is
                                             immediate)
                   "stop_delay": 5,          STOPPING -> STOPPED
                   "run_timeout": "PT24H"},  RUNNING -> TIMEOUT, counted from RUNNING
      "throttle": <models::OperationThrottle JSON, e.g. {"*": {"requests_per_second": 10,
                   "burst": 20}}>,           absent: never throttled
      "idempotency_window": "PT24H"}         how long a ClientToken is remembered

   Behaviour profiles (config.profiles["mwaa-serverless"]; each <profile> is a
   models::BehaviourProfile plus an optional "xcom" member):
     {"task": <profile>,                                  every task of every workflow
      "workflows": {"<workflow name>": {"task": <profile>,            its tasks
                                         "tasks": {"<task id>": <profile>}}}}
     <profile> = {"duration": ..., "outcome": ..., "xcom": {"<key>": "<template>"}}
   Layers overlay field by field: built-in default <- "task" <- workflow "task" <- "tasks".
   The built-in default is {"duration": {"uniform": [20, 90]}} and every attempt succeeds.
   Scripted outcomes name SUCCESS, FAILED or TIMEOUT per attempt. "xcom" templates are
   rendered like task arguments (params with OverrideParameters, ds, ts, run_id, task id) and
   shown in GetTaskInstance.Xcom of a successful instance.

   Fact-sheet rules followed: every operation and member of section 7 with the constraints of
   sections 3-4; the error shapes and HTTP statuses of section 6; versions and schedules per
   9.1; the run machine of 9.2 (run_machine.hpp) and the task machine of 9.3
   (task_machine.hpp); pagination per 9.4; response rules per 9.5; the definition, retries,
   execution_timeout, trigger rules, templates and run-time errors of section 12.

   Chosen where the sheet is silent ("unconfirmed" in the sheet, so the rule is ours):
   - TriggerMode strings: SCHEDULED, MANUAL_ONLY, DISABLED, matched case-insensitively with
     spaces/hyphens as underscores, MANUAL = MANUAL_ONLY (request_rules.cpp); absent at
     create -> SCHEDULED if the definition has a schedule, else MANUAL_ONLY; absent at update
     -> the previous version's mode if it was given explicitly, else derived again. Responses
     carry the canonical spelling. The latest version's mode is the workflow's mode. SCHEDULED
     on a definition without a schedule is accepted and fires nothing.
   - UpdateWorkflow members left out (Description, LoggingConfiguration, EngineVersion,
     NetworkConfiguration) keep the previous version's values.
   - Defaults shown by GetWorkflow: EncryptionConfiguration {"Type": "AWS_MANAGED_KEY"},
     LoggingConfiguration {"LogGroupName": "/aws/mwaa-serverless/<name-suffix>/"} (the log
     group of the sheet's run-derivation notes), EngineVersion 1. Description and
     NetworkConfiguration are omitted when never given.
   - A missing definition object or a definition that does not parse is a
     ValidationException with Reason "other" and FieldList [DefinitionS3Location]; the
     message names the S3 location or is the parser's text.
   - Idempotency (section 8, the sheet's guidance): CreateWorkflow tokens are keyed by
     (Name, token), so the same token with another name creates that workflow;
     StartWorkflowRun tokens by (WorkflowArn, token);
     the window is 24 hours by default (unconfirmed); the same token and request replay the first
   response verbatim, another request is a ConflictException. Only successes are remembered.
   - ResourceType values: Workflow, WorkflowVersion, WorkflowRun, TaskInstance; ResourceId is
     the ARN, version id, RunId or TaskInstanceId (the name at CreateWorkflow).
   - QuotaCodes (errors.hpp): workflows-per-account, versions-per-workflow,
     concurrent-runs-per-workflow, concurrent-runs-per-account, api-request-rate; ServiceCode
     airflow-serverless. Concurrent runs are non-terminal runs, STOPPING included.
   - ConflictException: a taken name at CreateWorkflow; a reused token with another request;
     UpdateWorkflow or StartWorkflowRun on a workflow being deleted; StartWorkflowRun on a
     workflow whose mode is DISABLED.
   - DeleteWorkflow without a version: the workflow turns DELETING, its schedule is removed,
     its active runs are stopped, and it is gone (404 afterwards) once they have stopped, at
     once when none is active; a second delete while DELETING succeeds. With a version: that
     version and its runs go (active ones once stopped); deleting the last remaining version
     deletes the workflow; if the latest version goes, the previous one becomes latest and
     its schedule is armed.
   - ListWorkflowVersions, ListWorkflowRuns and ListTaskInstances list nothing for an unknown
     workflow or run (they have no ResourceNotFoundException).
   - Ordering: workflows by creation, versions oldest first, runs newest first, task
     instances in creation order. NextToken carries the last sequence returned (an offset
     for task instances), so pages stay consistent while items are added.
   - Run timestamps: CreatedAt = StartedOn = the StartWorkflowRun call (or the schedule's
     fire time); CompletedOn and Duration (whole seconds from StartedOn) once terminal;
     ModifiedAt = the last run status change. ON_DEMAND logical date = creation time
     (unconfirmed); SCHEDULED logical date = fire time.
   - Templates are rendered for every task when the run leaves QUEUED; an error fails the
     run from QUEUED with the parser's text and no task instances (12.9).
   - Run-level timeout (unconfirmed): 24 hours from RUNNING by default; active task instances are
     CANCELLED and the run ends TIMEOUT with ErrorMessage "Workflow execution timed out".
   - StopWorkflowRun on a terminal or STOPPING run succeeds with its current status (the
     operation is @idempotent; unconfirmed). Stopping cancels every unfinished task instance at
   once.
   - Task instances: one per attempt, id "ex_<execution uuid>_<task id>_<attempt>", log
     stream "workflow_id=<name-suffix>/run_id=<RunId>/task_id=<task id>/attempt=<n>.log"
     (the observed forms of the sheet's notes); a task id too long for the id's 255
     characters is shortened with a hash (shapes.cpp). Xcom values that render empty are
     left out, longer ones cut to 255 characters. SCHEDULED -> QUEUED is immediate; an attempt
     lasts the profile's duration, or ends at execution_timeout when longer or when the
     profile says TIMEOUT; a retry is a new instance created retry_delay after the
     UP_FOR_RETRY one ended. ErrorMessage texts of failed, timed-out, retried, cancelled and
     upstream-failed instances are ours (shapes.cpp).
   - Scheduled runs fire at each cron time strictly after now (no catch-up), not before
     start_date nor after end_date, only for the latest version in SCHEDULED mode; over a
     run quota the fire makes no run and the trace gets "schedule_skipped".
   - Unknown operations are ValidationException with Reason "unknownOperation"; a request
     that is not a JSON object is ValidationException with Reason "cannotParse" (null counts
     as {}); unknown members are ignored.
   - Code packages (12.1): Code is read like DefinitionS3Location and snapshotted with the
     version; a missing object is a ValidationException naming Code; UpdateWorkflow without
     Code keeps the previous snapshot; GetWorkflow shows Code and CodeSnapshottedAt. A
     PythonOperator task needs a package (its python_callable is imported when the DAG is
     built): without one, Create/UpdateWorkflow is a ValidationException naming Code. An
     empty object "cannot be extracted" (it is no zip archive): the runs of its versions
     fail before their first task, with no task instances (12.9).
   - Templates: macros.ds_add and macros.ds_format work; 12.6's other macros act on Python
     objects and are an error naming them, which fails the run (definition.cpp).
   - AccessDeniedException (section 6) answers the calls the world's "deny" configuration
     names, HTTP 403, with IAM's message for the action "airflow-serverless:<Operation>".
   - Injected faults (DESIGN.md): throttle -> ThrottlingException 429 (RetryAfterSeconds from
     the fault rule, else 1); internal -> InternalServerException 500; unavailable -> 503
     ServiceUnavailableException; timeout_before/after -> OperationTimeoutException 504.
*/
#include "models/mwaa_serverless/service.hpp"

#include "models/common/timestamps.hpp"
#include "models/mwaa_serverless/errors.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

const nlohmann::json& empty_request() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

std::int64_t whole_seconds_up(sim::DurationUs wait_us) {
  const std::int64_t seconds =
      (wait_us + sim::kMicrosecondsPerSecond - 1) / sim::kMicrosecondsPerSecond;
  return seconds < 1 ? 1 : seconds;
}

}  // namespace

std::string_view to_string(TriggerMode mode) {
  switch (mode) {
    case TriggerMode::scheduled:
      return "SCHEDULED";
    case TriggerMode::manual_only:
      return "MANUAL_ONLY";
    case TriggerMode::disabled:
      return "DISABLED";
  }
  return "";
}

std::string_view to_string(RunType type) {
  switch (type) {
    case RunType::on_demand:
      return "ON_DEMAND";
    case RunType::scheduled:
      return "SCHEDULED";
  }
  return "";
}

std::variant<std::unique_ptr<Service>, std::string> make_mwaa_serverless(
    ServiceContext context, const nlohmann::json& service_config, const nlohmann::json& profiles) {
  auto options = parse_service_options(service_config, profiles);
  if (auto* error = std::get_if<std::string>(&options)) return *error;
  return std::unique_ptr<Service>(
      new MwaaServerless(std::move(context), std::move(std::get<ServiceOptions>(options))));
}

MwaaServerless::MwaaServerless(ServiceContext context, ServiceOptions options)
    : context_(std::move(context)),
      options_(std::move(options)),
      ids_(context_.streams.stream("mwaa-serverless/ids")),
      execution_ids_(context_.streams.stream("mwaa-serverless/execution-ids")),
      behaviour_rng_(context_.streams.stream("mwaa-serverless/behaviour")),
      page_tokens_(context_.streams.stream("mwaa-serverless/page-tokens").next()),
      idempotency_(options_.idempotency_window_us) {}

// Timers capture pointers into this service, so none may outlive it: a world that is reset
// keeps its scheduler and builds a new service.
MwaaServerless::~MwaaServerless() {
  auto& scheduler = context_.scheduler;
  for (auto& [sequence, workflow] : workflows_) {
    scheduler.cancel(workflow->schedule_timer);
    scheduler.cancel(workflow->cleanup_timer);
    for (auto& [run_sequence, run] : workflow->runs) {
      scheduler.cancel(run.timer);
      for (const auto& instance : run.instances) scheduler.cancel(instance.timer);
    }
  }
}

std::string_view MwaaServerless::name() const { return kServiceName; }

const std::unordered_map<std::string_view, MwaaServerless::Handler>& MwaaServerless::handlers() {
  static const std::unordered_map<std::string_view, Handler> table = {
      {"CreateWorkflow", &MwaaServerless::create_workflow},
      {"GetWorkflow", &MwaaServerless::get_workflow},
      {"UpdateWorkflow", &MwaaServerless::update_workflow},
      {"DeleteWorkflow", &MwaaServerless::delete_workflow},
      {"ListWorkflows", &MwaaServerless::list_workflows},
      {"ListWorkflowVersions", &MwaaServerless::list_workflow_versions},
      {"StartWorkflowRun", &MwaaServerless::start_workflow_run},
      {"GetWorkflowRun", &MwaaServerless::get_workflow_run},
      {"StopWorkflowRun", &MwaaServerless::stop_workflow_run},
      {"ListWorkflowRuns", &MwaaServerless::list_workflow_runs},
      {"GetTaskInstance", &MwaaServerless::get_task_instance},
      {"ListTaskInstances", &MwaaServerless::list_task_instances},
      {"TagResource", &MwaaServerless::tag_resource},
      {"UntagResource", &MwaaServerless::untag_resource},
      {"ListTagsForResource", &MwaaServerless::list_tags_for_resource},
  };
  return table;
}

std::vector<std::string> MwaaServerless::operations() const {
  return sorted_operation_names(handlers());
}

JsonOutcome MwaaServerless::call(std::string_view operation, const nlohmann::json& request) {
  return answer(operation, request, true);
}

JsonOutcome MwaaServerless::observe(std::string_view operation, const nlohmann::json& request) {
  return answer(operation, request, false);
}

JsonOutcome MwaaServerless::answer(std::string_view operation, const nlohmann::json& request,
                                   bool rate_limited) {
  // Handlers validate before they change anything, so an exception (which would be a bug)
  // leaves the state as it was; it is answered as the service's 500 instead of escaping.
  try {
    return dispatch(operation, request, rate_limited);
  } catch (const std::exception& error) {
    return internal_error("Internal error in " + std::string(operation) + ": " + error.what(),
                          std::nullopt);
  }
}

JsonOutcome MwaaServerless::dispatch(std::string_view operation, const nlohmann::json& request,
                                     bool rate_limited) {
  const auto& table = handlers();
  const auto handler = table.find(operation);
  if (handler == table.end()) {
    return validation_error(
        "unknownOperation", "Operation",
        "Unknown operation '" + std::string(operation) + "' for service mwaa-serverless");
  }
  if (rate_limited && options_.throttle) {
    const auto wait = options_.throttle->check(operation, context_.scheduler.now());
    if (wait) {
      return throttling(whole_seconds_up(*wait),
                        "Rate exceeded for operation " + std::string(operation));
    }
  }
  if (request.is_null()) return (this->*handler->second)(empty_request());
  if (!request.is_object()) {
    return validation_error("cannotParse", "Request",
                            "The request must be a JSON object, got " + show_value(request));
  }
  return (this->*handler->second)(request);
}

// Section 6: AccessDeniedException, HTTP 403, Message only; IAM actions are
// "airflow-serverless:<Operation>" (section 1).
AwsError MwaaServerless::access_denied(std::string_view operation,
                                       const std::string& principal) const {
  return AwsError{"AccessDeniedException",
                  access_denied_message(principal, std::string(kServiceCode) + ":" +
                                                       std::string(operation)),
                  403};
}

AwsError MwaaServerless::fault_error(const sim::FaultDecision& decision) const {
  switch (decision.kind) {
    case sim::FaultKind::throttle:
      return throttling(decision.retry_after_seconds.value_or(1), "Rate exceeded");
    case sim::FaultKind::internal:
      return internal_error("An internal error occurred. Try again later.",
                            decision.retry_after_seconds);
    case sim::FaultKind::unavailable:
      return service_unavailable("The service is unavailable. Try again later.");
    case sim::FaultKind::timeout_before:
    case sim::FaultKind::timeout_after:
      return operation_timeout("The operation timed out.");
    case sim::FaultKind::none:
    case sim::FaultKind::lost_response:
    case sim::FaultKind::duplicate:
    case sim::FaultKind::latency:
      break;
  }
  // These kinds deliver the service's own response, so they have no error of their own; a
  // caller that asks anyway gets the generic server error.
  return internal_error(
      "No error corresponds to fault kind '" + std::string(sim::to_string(decision.kind)) + "'",
      std::nullopt);
}

// Status changes are the most frequent trace events, so their members are streamed into the
// line (sorted by key, as the detail object would hold them) instead of building the object
// when events are not kept.
void MwaaServerless::record_run_transition(const Run& run, std::optional<RunStatus> from) {
  const nlohmann::json from_value = from ? nlohmann::json(to_string(*from)) : nlohmann::json();
  const auto write_members = [&](sim::TraceMemberWriter& writer) {
    writer.json_member("from", from_value);
    writer.text_member("run", run.id);
    writer.text_member("service", kServiceName);
    writer.text_member("to", to_string(run.status));
    writer.text_member("workflow", run.workflow->arn);
  };
  const auto make_detail = [&] {
    return nlohmann::json{{"service", kServiceName}, {"workflow", run.workflow->arn},
                          {"run", run.id},           {"from", from_value},
                          {"to", to_string(run.status)}};
  };
  context_.trace.record_members(context_.scheduler.now(), "transition", write_members,
                                make_detail);
}

void MwaaServerless::record_task_transition(const Run& run, const TaskInstance& instance,
                                            std::optional<TaskStatus> from) {
  const nlohmann::json from_value = from ? nlohmann::json(to_string(*from)) : nlohmann::json();
  const std::string task = task_instance_id(run, instance);
  const auto write_members = [&](sim::TraceMemberWriter& writer) {
    writer.json_member("from", from_value);
    writer.text_member("run", run.id);
    writer.text_member("service", kServiceName);
    writer.text_member("task", task);
    writer.text_member("to", to_string(instance.status));
    writer.text_member("workflow", run.workflow->arn);
  };
  const auto make_detail = [&] {
    return nlohmann::json{{"service", kServiceName}, {"workflow", run.workflow->arn},
                          {"run", run.id},           {"task", task},
                          {"from", from_value},      {"to", to_string(instance.status)}};
  };
  context_.trace.record_members(context_.scheduler.now(), "transition", write_members,
                                make_detail);
}

void MwaaServerless::record_violation(std::string_view machine, const Run& run,
                                      std::string_view event, std::string_view status) {
  ++violations_;
  // Only the first one is described; later ones are counted.
  if (first_violation_.empty()) {
    first_violation_ = std::string(machine) + " machine of run " + run.id + " rejected event '" +
                       std::string(event) + "' in status " + std::string(status);
  }
  if (!context_.trace.enabled()) return;
  context_.trace.record(context_.scheduler.now(), "violation",
                        {{"service", kServiceName},
                         {"workflow", run.workflow->arn},
                         {"run", run.id},
                         {"machine", machine},
                         {"event", event},
                         {"status", status}});
}

}  // namespace wfsim::models::mwaa
