/* The AWS Glue service (fact sheet glue-workflows.md, API 2017-03-31): construction,
   configuration layout, dispatch, injected faults and the trace. The operations live in
   workflows.cpp, runs.cpp, triggers.cpp, jobs.cpp, crawlers.cpp, blueprints.cpp and
   tags.cpp; the graph in graph.cpp; invariants in invariants.cpp.

   Configuration (config.services["glue"]; every member optional, unknown members are
   errors; durations are seconds or ISO-8601 strings):
     {"quotas":  {"workflows": 1000, "triggers": 1000, "jobs": 1000, "crawlers": 1000,
                  "blueprints": 100, "concurrent_job_runs": 50, "jobs_per_trigger": 50,
                  "crawlers_per_trigger": 2},
      "timings": {"job_startup": 10,          job run STARTING -> RUNNING
                  "job_stop": 5,              job run STOPPING -> STOPPED
                  "crawl_stop": 10,           crawl CANCELLING -> CANCELLED
                  "trigger_transition": 1,    ACTIVATING, DEACTIVATING, CREATING, UPDATING
                  "blueprint_creation": 5,    blueprint CREATING/UPDATING -> ACTIVE|FAILED
                  "blueprint_run": 30,        blueprint run RUNNING -> SUCCEEDED|ROLLING_BACK
                  "blueprint_rollback": 10,   ROLLING_BACK -> FAILED
                  "run_retention": "P90D",    workflow runs, from CompletedOn (rule 9.18)
                  "job_run_retention": "P365D"},  job runs outside workflow runs
      "throttle": <models::OperationThrottle JSON>}   absent: never throttled

   Behaviour profiles (config.profiles["glue"]; each <profile> is a models::BehaviourProfile):
     {"job": <profile>, "jobs": {"<job name>": <profile>},
      "crawler": <profile>, "crawlers": {"<crawler name>": <profile>}}
   Layers overlay field by field: built-in default <- "job" <- "jobs"."<name>" (crawlers
   alike). Built-in: jobs take {"uniform": [60, 300]} seconds, crawls {"uniform": [30, 120]},
   and both succeed. Scripted outcomes per attempt: SUCCEEDED (or SUCCESS), FAILED, and for
   jobs TIMEOUT (the run ends at its Timeout).

   Chosen where the sheet is silent (each rule is named again where it is applied):
   - Section 9's rules 9.1-9.25 are followed as written.
   - Validation errors are InvalidInputException with AWS's standard message, naming every
     member, rule and value; lengths count UTF-8 bytes (9.19).
   - Injected faults (DESIGN.md): throttle -> ThrottlingException (400); internal ->
     InternalServiceException (500); unavailable -> ServiceUnavailableException (503);
     timeout_before/after -> OperationTimeoutException (400).
   - Unknown operations are InvalidInputException naming the operation; a request that is
     not a JSON object is InvalidInputException; unknown members are ignored.
   - Errors the sheet lists that are never answered, because no situation in the
     simulator calls for them: ConcurrentModificationException (every call is applied
     whole before the next, so no two modifications overlap); IdempotentParameterMismatch-
     Exception for CreateTrigger (it has no idempotency token; CreateJob likewise, jobs.cpp);
     ResourceNumberLimitExceededException for StartWorkflowRun and PutWorkflowRunProperties
     (the run limit is MaxConcurrentRuns, answered as ConcurrentRunsExceededException; run
     properties have no count limit here); AlreadyExistsException for
     PutWorkflowRunProperties (the sheet's rule: properties are merged, existing keys
     overwritten; ConcurrentModificationException only for simulated races, and there are
     none).
   - A job run's ExecutionClass is the request's, else the job's, else STANDARD (Glue's
     default class), so the member the sheet lists is always filled.
*/
#include "models/glue/service.hpp"

#include "models/common/arn.hpp"
#include "models/common/timestamps.hpp"
#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

const nlohmann::json& empty_request() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

}  // namespace

std::variant<std::unique_ptr<Service>, std::string> make_glue(
    ServiceContext context, const nlohmann::json& service_config, const nlohmann::json& profiles) {
  auto options = parse_service_options(service_config, profiles);
  if (auto* error = std::get_if<std::string>(&options)) return *error;
  return std::unique_ptr<Service>(
      new Glue(std::move(context), std::move(std::get<ServiceOptions>(options))));
}

Glue::Glue(ServiceContext context, ServiceOptions options)
    : context_(std::move(context)),
      options_(std::move(options)),
      ids_(context_.streams.stream("glue/ids")),
      behaviour_rng_(context_.streams.stream("glue/behaviour")),
      page_tokens_(context_.streams.stream("glue/page-tokens").next()),
      node_id_secret_(context_.streams.stream("glue/node-ids").next()) {}

// Timers capture pointers into this service, so none may outlive it.
Glue::~Glue() {
  auto& scheduler = context_.scheduler;
  for (auto& [name, trigger] : triggers_) {
    scheduler.cancel(trigger->schedule_timer);
    scheduler.cancel(trigger->transition_timer);
    scheduler.cancel(trigger->batch_timer);
  }
  for (auto& [name, crawler] : crawlers_) scheduler.cancel(crawler->schedule_timer);
  for (auto& [id, run] : job_runs_) scheduler.cancel(run->timer);
  for (auto& [id, crawl] : crawls_) scheduler.cancel(crawl->timer);
  for (auto& [name, blueprint] : blueprints_) {
    scheduler.cancel(blueprint->timer);
    for (auto& [sequence, run] : blueprint->runs) scheduler.cancel(run->timer);
  }
}

std::string_view Glue::name() const { return kServiceName; }

const std::unordered_map<std::string_view, Glue::Handler>& Glue::handlers() {
  static const std::unordered_map<std::string_view, Handler> table = {
      {"CreateWorkflow", &Glue::create_workflow},
      {"UpdateWorkflow", &Glue::update_workflow},
      {"DeleteWorkflow", &Glue::delete_workflow},
      {"GetWorkflow", &Glue::get_workflow},
      {"ListWorkflows", &Glue::list_workflows},
      {"BatchGetWorkflows", &Glue::batch_get_workflows},
      {"StartWorkflowRun", &Glue::start_workflow_run},
      {"GetWorkflowRun", &Glue::get_workflow_run},
      {"GetWorkflowRuns", &Glue::get_workflow_runs},
      {"GetWorkflowRunProperties", &Glue::get_workflow_run_properties},
      {"PutWorkflowRunProperties", &Glue::put_workflow_run_properties},
      {"StopWorkflowRun", &Glue::stop_workflow_run},
      {"ResumeWorkflowRun", &Glue::resume_workflow_run},
      {"CreateTrigger", &Glue::create_trigger},
      {"UpdateTrigger", &Glue::update_trigger},
      {"GetTrigger", &Glue::get_trigger},
      {"GetTriggers", &Glue::get_triggers},
      {"ListTriggers", &Glue::list_triggers},
      {"BatchGetTriggers", &Glue::batch_get_triggers},
      {"DeleteTrigger", &Glue::delete_trigger},
      {"StartTrigger", &Glue::start_trigger},
      {"StopTrigger", &Glue::stop_trigger},
      {"NotifyEvent", &Glue::notify_event},
      {"CreateJob", &Glue::create_job},
      {"GetJob", &Glue::get_job},
      {"DeleteJob", &Glue::delete_job},
      {"StartJobRun", &Glue::start_job_run},
      {"GetJobRun", &Glue::get_job_run},
      {"GetJobRuns", &Glue::get_job_runs},
      {"BatchStopJobRun", &Glue::batch_stop_job_run},
      {"CreateCrawler", &Glue::create_crawler},
      {"GetCrawler", &Glue::get_crawler},
      {"DeleteCrawler", &Glue::delete_crawler},
      {"StartCrawler", &Glue::start_crawler},
      {"StopCrawler", &Glue::stop_crawler},
      {"CreateBlueprint", &Glue::create_blueprint},
      {"UpdateBlueprint", &Glue::update_blueprint},
      {"DeleteBlueprint", &Glue::delete_blueprint},
      {"GetBlueprint", &Glue::get_blueprint},
      {"ListBlueprints", &Glue::list_blueprints},
      {"BatchGetBlueprints", &Glue::batch_get_blueprints},
      {"StartBlueprintRun", &Glue::start_blueprint_run},
      {"GetBlueprintRun", &Glue::get_blueprint_run},
      {"GetBlueprintRuns", &Glue::get_blueprint_runs},
      {"TagResource", &Glue::tag_resource},
      {"UntagResource", &Glue::untag_resource},
      {"GetTags", &Glue::get_tags},
  };
  return table;
}

std::vector<std::string> Glue::operations() const {
  return sorted_operation_names(handlers());
}

JsonOutcome Glue::call(std::string_view operation, const nlohmann::json& request) {
  return answer(operation, request, true);
}

JsonOutcome Glue::observe(std::string_view operation, const nlohmann::json& request) {
  return answer(operation, request, false);
}

JsonOutcome Glue::answer(std::string_view operation, const nlohmann::json& request,
                         bool rate_limited) {
  // Handlers validate before they change anything, so an exception (which would be a bug)
  // leaves the state as it was; it is answered as the service's 500 instead of escaping.
  try {
    return dispatch(operation, request, rate_limited);
  } catch (const std::exception& error) {
    return internal_service("Internal error in " + std::string(operation) + ": " + error.what());
  }
}

JsonOutcome Glue::dispatch(std::string_view operation, const nlohmann::json& request,
                           bool rate_limited) {
  const auto& table = handlers();
  const auto handler = table.find(operation);
  if (handler == table.end()) {
    return invalid_input("Unknown operation '" + std::string(operation) + "' for service glue");
  }
  if (rate_limited && options_.throttle && options_.throttle->check(operation, now())) {
    return throttling("Rate exceeded for operation " + std::string(operation));
  }
  expire_due_runs();
  expire_due_job_runs();
  if (request.is_null()) return (this->*handler->second)(empty_request());
  if (!request.is_object()) {
    return invalid_input("The request must be a JSON object, got " + show_value(request));
  }
  return (this->*handler->second)(request);
}

AwsError Glue::fault_error(const sim::FaultDecision& decision) const {
  switch (decision.kind) {
    case sim::FaultKind::throttle:
      return throttling("Rate exceeded");
    case sim::FaultKind::internal:
      return internal_service("An internal error occurred. Try again later.");
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
  return internal_service("No error corresponds to fault kind '" +
                          std::string(sim::to_string(decision.kind)) + "'");
}

nlohmann::json Glue::timestamp(sim::TimeUs t) const {
  return encode_timestamp(t, TimestampFormat::epoch_seconds);
}

std::string Glue::arn(std::string_view kind, std::string_view name) const {
  return make_arn("glue", context_.region, context_.account_id,
                  std::string(kind) + "/" + std::string(name));
}

std::string Glue::new_id(std::string_view prefix) { return std::string(prefix) + ids_.hex(64); }

void Glue::trace_transition(std::string_view machine, std::string_view id,
                            std::optional<std::string_view> from, std::string_view to) {
  if (!context_.trace.enabled()) return;
  context_.trace.record(now(), "transition",
                        {{"service", kServiceName},
                         {"machine", machine},
                         {"id", id},
                         {"from", from ? nlohmann::json(*from) : nlohmann::json()},
                         {"to", to}});
}

void Glue::record_violation(std::string_view machine, std::string_view id,
                            std::string_view event, std::string_view state) {
  ++violations_;
  const std::string detail = std::string(machine) + " machine of " + std::string(id) +
                             " rejected event '" + std::string(event) + "' in state " +
                             std::string(state);
  if (first_violation_.empty()) first_violation_ = detail;
  if (!context_.trace.enabled()) return;
  context_.trace.record(now(), "violation",
                        {{"service", kServiceName},
                         {"machine", machine},
                         {"id", id},
                         {"event", event},
                         {"state", state}});
}

void Glue::trace_note(std::string_view kind, nlohmann::json detail) {
  if (!context_.trace.enabled()) return;
  detail["service"] = kServiceName;
  context_.trace.record(now(), std::string(kind), std::move(detail));
}

std::string_view to_string(NodeType type) {
  switch (type) {
    case NodeType::CRAWLER:
      return "CRAWLER";
    case NodeType::JOB:
      return "JOB";
    case NodeType::TRIGGER:
      return "TRIGGER";
  }
  return "";
}

bool Glue::tags_match(const TagMap& tags, const StringMap& filter) {
  for (const auto& [key, value] : filter) {
    const auto found = tags.find(key);
    if (found == tags.end() || found->second != value) return false;
  }
  return true;
}

}  // namespace wfsim::models::glue
