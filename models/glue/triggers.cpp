// Glue trigger operations (fact sheet 4 Trigger / TriggerUpdate / Predicate / Action, 5 and
// 5.1, 6.2, 6.11, 7, 8): CreateTrigger, UpdateTrigger, GetTrigger, GetTriggers, ListTriggers,
// BatchGetTriggers, DeleteTrigger, StartTrigger, StopTrigger; schedules; EventBridge events;
// CONDITIONAL triggers outside workflows.
//
// NotifyEvent is a simulator-only operation standing in for EventBridge delivering events
// to an EVENT trigger (AWS has no such call):
//   request  {"TriggerName"*: NameString, "Count": 1..100 (default 1)}
//   response {"Accepted": n, "PendingEvents": k, "RunId": <last run started>?,
//             "Dropped": n (only when the trigger is not ACTIVATED and drops the events)}
//   errors   EntityNotFoundException (unknown trigger), InvalidInputException (not EVENT).
//
// Sheet rules followed: 5.1 and 6.2 for every CreateTrigger check (SCHEDULED needs
// Schedule, CONDITIONAL needs Predicate, Logical required with more than one condition, each
// condition JobName+State or CrawlerName+CrawlState, each action JobName or CrawlerName,
// StartOnCreation refused for ON_DEMAND, WorkflowName must exist), 6.11 for event batches
// (BatchWindow default 900 s, the window starts at a batch's first event, a run starts on
// size or window, the batch then resets). Rules of section 9 applied here:
// - 9.9: only ACTIVATED SCHEDULED / CONDITIONAL / EVENT triggers fire on their own.
// - 9.10: StartTrigger on a workflow's ON_DEMAND start trigger starts a run like
//   StartWorkflowRun without RunProperties (and answers its errors).
// - 9.14: deleting a workflow deletes its triggers (workflows.cpp calls erase_trigger).
// - 9.21: a second start trigger in a workflow, or an EVENT trigger without WorkflowName, is
//   InvalidInputException.
// Chosen where the sheet is silent:
// - Schedule accepts cron(...) only, as Glue documents its trigger schedules; rate(...) and
//   anything sim::Schedule cannot parse is InvalidInputException.
// - Schedule is only for SCHEDULED, Predicate only for CONDITIONAL, EventBatchingCondition
//   only for EVENT triggers; each elsewhere is InvalidInputException. CONDITIONAL needs at
//   least one condition and every trigger at least one action. Action Timeout is 1..10,079
//   minutes (6.2: below 10,080). Jobs and crawlers an action names need not exist (a deleted
//   job gives an ERROR run when the trigger fires, 6.5).
// - More job actions than the jobs_per_trigger quota or crawler actions than
//   crawlers_per_trigger: ResourceNumberLimitExceededException on CreateTrigger,
//   InvalidInputException on UpdateTrigger (whose error list has no quota error).
// - Id is "tr_" + 64 hex from the service's id stream.
// - Transients last Timings::trigger_transition: CREATING -> CREATED, then with
//   StartOnCreation ACTIVATING -> ACTIVATED; UPDATING -> the origin state; DELETING -> gone.
//   During UPDATING the schedule is disarmed and a pending event batch is dropped (the
//   batching condition may change); the schedule is re-armed when it settles ACTIVATED.
// - StartTrigger on an ACTIVATING or ACTIVATED trigger succeeds and changes nothing; on one
//   in another transient state, or an ON_DEMAND trigger not CREATED, InvalidInputException
//   (its error list has no ConcurrentModificationException). StopTrigger on a DEACTIVATING or
//   DEACTIVATED trigger succeeds and changes nothing; on a CREATED one (never activated, ON_
//   DEMAND included) InvalidInputException; in a transient state
//   ConcurrentModificationException. Update- and DeleteTrigger in a transient state:
//   ConcurrentModificationException; DeleteTrigger on a DELETING trigger succeeds.
// - StartTrigger on a standalone ON_DEMAND trigger: a job action whose job already has
//   ExecutionProperty.MaxConcurrentRuns active runs (and no run queuing) gives
//   ConcurrentRunsExceededException, more active job runs in the account than the
//   concurrent_job_runs quota ResourceNumberLimitExceededException; nothing starts then.
// - GetTriggers / ListTriggers: DependentJobName selects the triggers with an action naming
//   the job, and every trigger when none has (the documented quirk), whether or not the job
//   exists; MaxResults defaults to 100; the NextToken carries the last name returned.
//   ListTriggers' Tags filter applies after the DependentJobName selection.
// - NotifyEvent with a Count that fills more than one batch starts one run per full batch;
//   the rest opens a new batch whose window starts now. RunId is the last run started.
// - CONDITIONAL triggers outside workflows (6.2 scope rule): each condition looks at the
//   newest run of its job (crawl of its crawler) that a trigger started outside any workflow
//   (a run with a TriggerName and no workflow run); it matches when that run is terminal in
//   the condition's state. A trigger fires when its predicate holds and at least one of the
//   matching runs was not among those it last fired on, so each completion fires it at most
//   once and nothing refires without a new completion. Job runs it starts get the matching
//   job runs as PredecessorRuns.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

constexpr std::int64_t kMaxTimeoutMinutes = 10079;
constexpr std::int64_t kDefaultBatchWindowSeconds = 900;
constexpr std::int64_t kMaxTriggerPage = 200;
constexpr std::int64_t kDefaultTriggerPage = 100;
constexpr std::size_t kMaxConditions = 500;

bool present(const nlohmann::json& object, std::string_view name) {
  const auto found = object.find(std::string(name));
  return found != object.end() && !found->is_null();
}

// Checks one element of a list of structures with its own validator and copies what it
// found into the parent's list under "<list>.<n>." (1-based, like AWS's member paths).
template <class Read>
void read_items(RequestValidator& parent, std::string_view list_name, const nlohmann::json& list,
                Read read) {
  for (std::size_t index = 0; index < list.size(); ++index) {
    const std::string prefix = parent.path_of(list_name) + "." + std::to_string(index + 1);
    if (!list[index].is_object()) {
      parent.fail(prefix, "Member must be an object", show_value(list[index]));
      continue;
    }
    RequestValidator item(list[index]);
    read(item, list[index]);
    if (item.ok()) continue;
    for (const auto& violation : item.violations()) {
      parent.fail(prefix + "." + violation.path, violation.message, violation.value);
    }
  }
}

std::optional<std::vector<Action>> read_actions(RequestValidator& validator, bool required) {
  const nlohmann::json* list = validator.array("Actions", CountRule{}, required);
  if (list == nullptr) return std::nullopt;
  std::vector<Action> actions;
  read_items(validator, "Actions", *list, [&](RequestValidator& item, const nlohmann::json& raw) {
    Action action;
    action.job_name = name_member(item, "JobName", false);
    action.crawler_name = name_member(item, "CrawlerName", false);
    action.arguments = string_map_member(item, "Arguments");
    action.timeout_minutes = item.integer("Timeout", IntegerRule{1, kMaxTimeoutMinutes});
    action.security_configuration = name_member(item, "SecurityConfiguration", false);
    if (auto notification = item.nested("NotificationProperty")) {
      action.notify_delay_after =
          notification->integer("NotifyDelayAfter", IntegerRule{1, INT32_MAX});
    }
    if (present(raw, "JobName") && present(raw, "CrawlerName")) {
      item.fail("CrawlerName", "Member must not be given with JobName: an action names one",
                show_value(raw.at("CrawlerName")));
    } else if (!present(raw, "JobName") && !present(raw, "CrawlerName")) {
      item.fail("JobName", "Exactly one of JobName and CrawlerName must be given");
    }
    actions.push_back(std::move(action));
  });
  return actions;
}

void read_condition(RequestValidator& item, const nlohmann::json& raw, Condition& condition) {
  condition.logical_operator = item.enumeration("LogicalOperator", {"EQUALS"}).value_or("EQUALS");
  condition.job_name = name_member(item, "JobName", false);
  condition.state =
      item.enumeration("State", {"STARTING", "RUNNING", "STOPPING", "STOPPED", "SUCCEEDED",
                                 "FAILED", "TIMEOUT", "ERROR", "WAITING", "EXPIRED"});
  condition.crawler_name = name_member(item, "CrawlerName", false);
  condition.crawl_state = item.enumeration(
      "CrawlState", {"RUNNING", "CANCELLING", "CANCELLED", "SUCCEEDED", "FAILED", "ERROR"});
  const bool job_form = present(raw, "JobName") || present(raw, "State");
  const bool crawler_form = present(raw, "CrawlerName") || present(raw, "CrawlState");
  if (job_form && crawler_form) {
    const char* crawler_member = present(raw, "CrawlerName") ? "CrawlerName" : "CrawlState";
    item.fail(crawler_member,
              "Member must not be given with JobName or State: a condition names either "
              "JobName and State or CrawlerName and CrawlState",
              show_value(raw.at(crawler_member)));
  } else if (!job_form && !crawler_form) {
    item.fail("JobName",
              "A condition names either JobName and State or CrawlerName and "
              "CrawlState");
  } else if (job_form && !(present(raw, "JobName") && present(raw, "State"))) {
    item.fail(present(raw, "JobName") ? "State" : "JobName",
              "A job condition needs both JobName and State");
  } else if (crawler_form && !(present(raw, "CrawlerName") && present(raw, "CrawlState"))) {
    item.fail(present(raw, "CrawlerName") ? "CrawlState" : "CrawlerName",
              "A crawler condition needs both CrawlerName and CrawlState");
  }
}

std::optional<Predicate> read_predicate(RequestValidator& validator, const nlohmann::json& raw) {
  auto nested = validator.nested("Predicate");
  if (!nested) return std::nullopt;
  const nlohmann::json& raw_predicate = raw.at("Predicate");
  Predicate predicate;
  predicate.logical = nested->enumeration("Logical", {"AND", "ANY"});
  const nlohmann::json* list = nested->array("Conditions", CountRule{0, kMaxConditions});
  if (list == nullptr) return predicate;
  read_items(*nested, "Conditions", *list, [&](RequestValidator& item, const nlohmann::json& raw) {
    Condition condition;
    read_condition(item, raw, condition);
    predicate.conditions.push_back(std::move(condition));
  });
  if (predicate.conditions.size() > 1 && !present(raw_predicate, "Logical")) {
    nested->fail(nested->path_of("Logical"),
                 "Member must not be null when there is more than one condition");
  }
  return predicate;
}

std::optional<EventBatching> read_event_batching(RequestValidator& validator) {
  auto nested = validator.nested("EventBatchingCondition");
  if (!nested) return std::nullopt;
  EventBatching batching;
  batching.batch_size = nested->integer("BatchSize", IntegerRule{1, 100}, true).value_or(1);
  batching.batch_window_seconds = nested->integer("BatchWindow", IntegerRule{1, 900});
  return batching;
}

// The members CreateTrigger and TriggerUpdate share, into `definition`.
void read_definition_body(RequestValidator& validator, const nlohmann::json& raw,
                          bool actions_required, TriggerDefinition& definition) {
  definition.description = text_member(validator, "Description", 0, 2048, false, true);
  definition.schedule = validator.string("Schedule", StringRule{});
  if (auto actions = read_actions(validator, actions_required)) {
    definition.actions = std::move(*actions);
  }
  definition.predicate = read_predicate(validator, raw);
  definition.event_batching = read_event_batching(validator);
}

// What makes a well-formed definition wrong for its type (5.1, 6.2, rule 9.21).
std::optional<std::string> definition_problem(const TriggerDefinition& definition,
                                              bool start_on_creation) {
  const TriggerType type = definition.type;
  const std::string type_name(to_string(type));
  if (type == TriggerType::SCHEDULED && !definition.schedule) {
    return "Schedule is required for a SCHEDULED trigger";
  }
  if (type != TriggerType::SCHEDULED && definition.schedule) {
    return "Schedule is only allowed for a SCHEDULED trigger, not " + type_name;
  }
  if (definition.schedule) {
    std::string error;
    if (definition.schedule->rfind("cron(", 0) != 0) {
      return "Schedule must be a cron(...) expression, got '" + *definition.schedule + "'";
    }
    if (!sim::Schedule::parse_aws(*definition.schedule, &error)) {
      return "Invalid Schedule '" + *definition.schedule + "': " + error;
    }
  }
  if (type == TriggerType::CONDITIONAL &&
      (!definition.predicate || definition.predicate->conditions.empty())) {
    return "Predicate with at least one condition is required for a CONDITIONAL trigger";
  }
  if (type != TriggerType::CONDITIONAL && definition.predicate) {
    return "Predicate is only allowed for a CONDITIONAL trigger, not " + type_name;
  }
  if (type == TriggerType::EVENT && !definition.workflow_name) {
    return "An EVENT trigger must belong to a workflow: WorkflowName is required";  // 9.21
  }
  if (type != TriggerType::EVENT && definition.event_batching) {
    return "EventBatchingCondition is only allowed for an EVENT trigger, not " + type_name;
  }
  if (type == TriggerType::ON_DEMAND && start_on_creation) {
    return "StartOnCreation is not supported for ON_DEMAND triggers";
  }
  if (definition.actions.empty()) return "Actions must name at least one job or crawler";
  return std::nullopt;
}

std::optional<std::string> action_limit_problem(const TriggerDefinition& definition,
                                                const Quotas& quotas) {
  std::size_t jobs = 0;
  std::size_t crawlers = 0;
  for (const auto& action : definition.actions) (action.job_name ? jobs : crawlers) += 1;
  if (jobs > quotas.jobs_per_trigger) {
    return "A trigger can start at most " + std::to_string(quotas.jobs_per_trigger) +
           " jobs, got " + std::to_string(jobs);
  }
  if (crawlers > quotas.crawlers_per_trigger) {
    return "A trigger can start at most " + std::to_string(quotas.crawlers_per_trigger) +
           " crawlers, got " + std::to_string(crawlers);
  }
  return std::nullopt;
}

// Applies a lifecycle event and traces the change; a refusal is a violation (callers check
// the state first, so it means a bug).
bool fire(Glue& glue, Trigger& trigger, TriggerEvent event) {
  const TriggerState from = trigger.state();
  const std::string& name = trigger.definition.name;
  if (!trigger.machine.fire(event)) {
    glue.record_violation("trigger", name, to_string(event), to_string(from));
    return false;
  }
  if (trigger.state() != from) {
    glue.trace_transition("trigger", name, to_string(from), to_string(trigger.state()));
  }
  return true;
}

void arm_schedule(Glue& glue, Trigger& trigger);

// Stops everything that makes the trigger fire by itself: its schedule and event batch.
void disarm(Glue& glue, Trigger& trigger) {
  glue.context_.scheduler.cancel(trigger.schedule_timer);
  glue.context_.scheduler.cancel(trigger.batch_timer);
  trigger.schedule_timer = 0;
  trigger.batch_timer = 0;
  trigger.pending_events = 0;
}

// Ends a transient state after Timings::trigger_transition with `completion`, then arms the
// schedule if that leaves the trigger ACTIVATED and, after creation, starts it when asked.
void end_transient_later(Glue& glue, Trigger& trigger, TriggerEvent completion,
                         bool start_after = false) {
  trigger.transition_timer = glue.context_.scheduler.schedule_after(
      glue.options_.timings.trigger_transition_us, [&glue, &trigger, completion, start_after] {
        trigger.transition_timer = 0;
        if (!fire(glue, trigger, completion)) return;
        if (start_after && fire(glue, trigger, TriggerEvent::start_requested)) {
          end_transient_later(glue, trigger, TriggerEvent::activation_completed);
          return;
        }
        arm_schedule(glue, trigger);
      });
}

void launch_actions(Glue& glue, const Trigger& trigger,
                    const std::vector<Predecessor>& predecessors) {
  const TriggerDefinition& definition = trigger.definition;
  glue.trace_note("trigger_fired", {{"trigger", definition.name}});
  for (const auto& action : definition.actions) {
    if (action.crawler_name) {
      glue.launch_crawl(*action.crawler_name, nullptr, 0, definition.name);
      continue;
    }
    glue.launch_job_run(*action.job_name,
                        JobLaunch::for_action(action, definition.name, predecessors));
  }
}

// Starts a run of the trigger's workflow for a schedule or an event batch. The engine
// records an ERROR run over MaxConcurrentRuns (rule 9.3); any other refusal is traced.
std::optional<std::string> start_workflow_for(Glue& glue, const Trigger& trigger,
                                              Glue::StartCause cause,
                                              std::optional<Glue::EventBatch> batch) {
  const auto found = glue.workflows_.find(*trigger.definition.workflow_name);
  if (found == glue.workflows_.end()) return std::nullopt;
  auto started = glue.start_run(*found->second, cause, {}, batch);
  if (!started.ok()) {
    glue.trace_note("trigger_start_refused", {{"trigger", trigger.definition.name},
                                              {"error", started.error().code},
                                              {"message", started.error().message}});
    return std::nullopt;
  }
  return started.value()->id;
}

void fire_scheduled(Glue& glue, Trigger& trigger) {
  if (trigger.definition.workflow_name) {
    start_workflow_for(glue, trigger, Glue::StartCause::schedule, std::nullopt);
  } else {
    launch_actions(glue, trigger, {});
  }
}

void arm_schedule(Glue& glue, Trigger& trigger) {
  glue.context_.scheduler.cancel(trigger.schedule_timer);
  trigger.schedule_timer = 0;
  if (!trigger.schedule || trigger.machine.type() != TriggerType::SCHEDULED ||
      !fires_on_its_own(trigger.machine.type(), trigger.state())) {
    return;
  }
  const auto next = trigger.schedule->next_after(glue.now(), glue.now());
  if (!next) return;
  trigger.schedule_timer = glue.context_.scheduler.schedule_at(*next, [&glue, &trigger] {
    trigger.schedule_timer = 0;
    arm_schedule(glue, trigger);
    fire_scheduled(glue, trigger);
  });
}

std::int64_t batch_size_of(const Trigger& trigger) {
  return trigger.definition.event_batching ? trigger.definition.event_batching->batch_size : 1;
}

std::int64_t batch_window_of(const Trigger& trigger) {
  const auto& batching = trigger.definition.event_batching;
  return batching && batching->batch_window_seconds ? *batching->batch_window_seconds
                                                    : kDefaultBatchWindowSeconds;
}

// The window of a batch ended before it filled: start a run with what it holds (6.11).
void close_window(Glue& glue, Trigger& trigger) {
  trigger.batch_timer = 0;
  if (trigger.pending_events == 0) return;
  trigger.pending_events = 0;
  start_workflow_for(glue, trigger, Glue::StartCause::event,
                     Glue::EventBatch{0, batch_window_of(trigger)});
}

// Adds `count` events to the trigger's batches; returns the id of the last run started.
std::optional<std::string> accept_events(Glue& glue, Trigger& trigger, std::int64_t count) {
  const std::int64_t size = batch_size_of(trigger);
  std::optional<std::string> last_run;
  while (count > 0) {
    if (trigger.pending_events == 0) {
      trigger.batch_timer = glue.context_.scheduler.schedule_after(
          sim::seconds(batch_window_of(trigger)),
          [&glue, &trigger] { close_window(glue, trigger); });
    }
    const std::int64_t taken = std::min(count, size - trigger.pending_events);
    trigger.pending_events += static_cast<std::uint32_t>(taken);
    count -= taken;
    if (trigger.pending_events < size) break;
    glue.context_.scheduler.cancel(trigger.batch_timer);
    trigger.batch_timer = 0;
    trigger.pending_events = 0;
    auto run =
        start_workflow_for(glue, trigger, Glue::StartCause::event, Glue::EventBatch{size, 0});
    if (run) last_run = std::move(run);
  }
  return last_run;
}

bool watchable(JobRunState state) {
  return state == JobRunState::SUCCEEDED || state == JobRunState::STOPPED ||
         state == JobRunState::FAILED || state == JobRunState::TIMEOUT;
}

bool watchable(CrawlState state) {
  return state == CrawlState::SUCCEEDED || state == CrawlState::FAILED ||
         state == CrawlState::CANCELLED;
}

// A completion that satisfies one condition of a trigger outside workflows.
struct Completion {
  std::string id;  // job run id or our crawl id
  std::optional<Predecessor> predecessor;
};

// The newest run of the condition's job (crawl of its crawler) that a trigger started
// outside any workflow, when it has ended in the condition's state (6.2 scope rule).
std::optional<Completion> satisfying_completion(const Glue& glue, const Condition& condition) {
  if (condition.job_name) {
    const auto job = glue.jobs_.find(*condition.job_name);
    if (job == glue.jobs_.end()) return std::nullopt;
    for (auto run = job->second->runs.rbegin(); run != job->second->runs.rend(); ++run) {
      const JobRun& job_run = **run;
      if (!job_run.trigger_name || job_run.workflow_run != nullptr || job_run.detached) continue;
      if (!watchable(job_run.state) || to_string(job_run.state) != condition.state) break;
      return Completion{job_run.id, Predecessor{job_run.job_name, job_run.id}};
    }
    return std::nullopt;
  }
  const auto crawler = glue.crawlers_.find(condition.crawler_name.value_or(""));
  if (crawler == glue.crawlers_.end()) return std::nullopt;
  for (auto crawl = crawler->second->crawls.rbegin(); crawl != crawler->second->crawls.rend();
       ++crawl) {
    const Crawl& found = **crawl;
    if (!found.trigger_name || found.workflow_run != nullptr || found.detached) continue;
    if (!watchable(found.state) || to_string(found.state) != condition.crawl_state) break;
    return Completion{found.id, std::nullopt};
  }
  return std::nullopt;
}

// The completions that satisfy the trigger's predicate now, or nullopt when it does not hold.
std::optional<std::vector<Completion>> satisfied_by(const Glue& glue, const Predicate& predicate) {
  const bool any = predicate.logical == std::string("ANY");
  std::vector<Completion> completions;
  for (const auto& condition : predicate.conditions) {
    auto completion = satisfying_completion(glue, condition);
    if (completion) {
      completions.push_back(std::move(*completion));
    } else if (!any) {
      return std::nullopt;
    }
  }
  if (completions.empty()) return std::nullopt;
  return completions;
}

nlohmann::json trigger_view(const Glue& glue, const Trigger& trigger) {
  return glue.trigger_json(trigger.definition, trigger.id, trigger.state());
}

std::string invalid_token_message() {
  return "Invalid NextToken: it is malformed or belongs to another request";
}

// Errors of where the trigger goes: its workflow must exist and have no other start
// trigger (rule 9.21).
std::optional<AwsError> placement_error(const Glue& glue, const TriggerDefinition& definition) {
  if (!definition.workflow_name) return std::nullopt;
  const std::string& workflow = *definition.workflow_name;
  if (glue.workflows_.count(workflow) == 0) {
    return entity_not_found("Workflow " + workflow + " not found");
  }
  if (!is_start_type(definition.type)) return std::nullopt;
  for (const auto& [other_name, other] : glue.triggers_) {
    if (other->definition.workflow_name == workflow && is_start_type(other->definition.type)) {
      return invalid_input("Workflow " + workflow + " already has a start trigger (" + other_name +
                           "); a workflow has exactly one");  // rule 9.21
    }
  }
  return std::nullopt;
}

nlohmann::json action_json(const Action& action) {
  nlohmann::json out = nlohmann::json::object();
  if (action.job_name) out["JobName"] = *action.job_name;
  if (action.crawler_name) out["CrawlerName"] = *action.crawler_name;
  if (action.arguments) out["Arguments"] = *action.arguments;
  if (action.timeout_minutes) out["Timeout"] = *action.timeout_minutes;
  if (action.security_configuration) {
    out["SecurityConfiguration"] = *action.security_configuration;
  }
  if (action.notify_delay_after) {
    out["NotificationProperty"] = {{"NotifyDelayAfter", *action.notify_delay_after}};
  }
  return out;
}

nlohmann::json predicate_json(const Predicate& predicate) {
  nlohmann::json conditions = nlohmann::json::array();
  for (const auto& condition : predicate.conditions) {
    nlohmann::json out = {{"LogicalOperator", condition.logical_operator}};
    if (condition.job_name) out["JobName"] = *condition.job_name;
    if (condition.state) out["State"] = *condition.state;
    if (condition.crawler_name) out["CrawlerName"] = *condition.crawler_name;
    if (condition.crawl_state) out["CrawlState"] = *condition.crawl_state;
    conditions.push_back(std::move(out));
  }
  nlohmann::json out = {{"Conditions", std::move(conditions)}};
  if (predicate.logical) out["Logical"] = *predicate.logical;
  return out;
}

}  // namespace

// Members are shown as the definition holds them: optional ones only when given.
nlohmann::json Glue::trigger_json(const TriggerDefinition& definition, std::string_view id,
                                  TriggerState state) const {
  nlohmann::json out = {{"Name", definition.name}};
  if (definition.workflow_name) out["WorkflowName"] = *definition.workflow_name;
  out["Id"] = id;
  out["Type"] = to_string(definition.type);
  out["State"] = to_string(state);
  if (definition.description) out["Description"] = *definition.description;
  if (definition.schedule) out["Schedule"] = *definition.schedule;
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& action : definition.actions) actions.push_back(action_json(action));
  out["Actions"] = std::move(actions);
  if (definition.predicate) out["Predicate"] = predicate_json(*definition.predicate);
  if (definition.event_batching) {
    nlohmann::json batching = {{"BatchSize", definition.event_batching->batch_size}};
    if (definition.event_batching->batch_window_seconds) {
      batching["BatchWindow"] = *definition.event_batching->batch_window_seconds;
    }
    out["EventBatchingCondition"] = std::move(batching);
  }
  return out;
}

Trigger* Glue::find_trigger(const std::string& name) {
  const auto found = triggers_.find(name);
  return found == triggers_.end() ? nullptr : found->second.get();
}

void Glue::erase_trigger(const std::string& name) {
  const auto found = triggers_.find(name);
  if (found == triggers_.end()) return;
  Trigger& trigger = *found->second;
  disarm(*this, trigger);
  context_.scheduler.cancel(trigger.transition_timer);
  standalone_fired_on_.erase(name);
  triggers_.erase(found);
  trace_note("trigger_deleted", {{"trigger", name}});
}

void Glue::on_standalone_action_ended() {
  // Decide first, launch after: a launch can end at once (a deleted job's ERROR run) and
  // come back here, and must find the fired sets already updated.
  std::vector<std::pair<const Trigger*, std::vector<Predecessor>>> firing;
  for (const auto& [name, trigger] : triggers_) {
    const TriggerDefinition& definition = trigger->definition;
    if (definition.workflow_name || !definition.predicate ||
        definition.type != TriggerType::CONDITIONAL ||
        !fires_on_its_own(definition.type, trigger->state())) {
      continue;
    }
    const auto completions = satisfied_by(*this, *definition.predicate);
    if (!completions) continue;
    std::vector<std::string> ids;
    std::vector<Predecessor> predecessors;
    for (const auto& completion : *completions) {
      ids.push_back(completion.id);
      if (completion.predecessor) predecessors.push_back(*completion.predecessor);
    }
    std::sort(ids.begin(), ids.end());
    auto& fired_on = standalone_fired_on_[name];
    const bool fresh = std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
      return !std::binary_search(fired_on.begin(), fired_on.end(), id);
    });
    if (!fresh) continue;
    fired_on = std::move(ids);
    firing.emplace_back(trigger.get(), std::move(predecessors));
  }
  for (const auto& [trigger, predecessors] : firing) launch_actions(*this, *trigger, predecessors);
}

JsonOutcome Glue::create_trigger(const nlohmann::json& request) {
  return create_trigger_entity(request);
}

JsonOutcome Glue::create_trigger_entity(const nlohmann::json& request) {
  RequestValidator validator(request);
  TriggerDefinition definition;
  const auto name = name_member(validator, "Name", true);
  definition.workflow_name = name_member(validator, "WorkflowName", false);
  const auto type =
      validator.enumeration("Type", {"SCHEDULED", "CONDITIONAL", "ON_DEMAND", "EVENT"}, true);
  read_definition_body(validator, request, true, definition);
  const bool start_on_creation = validator.boolean("StartOnCreation").value_or(false);
  auto tags = tags_member(validator, "Tags");
  if (!validator.ok()) return invalid_input(validator);
  definition.name = *name;
  definition.type = *trigger_type_from_string(*type);
  if (auto problem = definition_problem(definition, start_on_creation)) {
    return invalid_input(*problem);
  }
  if (triggers_.count(*name) != 0) {
    return already_exists("Trigger with name " + *name + " already exists");
  }
  if (auto error = placement_error(*this, definition)) return *error;
  if (auto problem = action_limit_problem(definition, options_.quotas)) {
    return resource_number_limit(*problem);
  }
  if (triggers_.size() >= options_.quotas.triggers) {
    return resource_number_limit("Number of triggers exceeds the quota of " +
                                 std::to_string(options_.quotas.triggers));
  }
  auto trigger = std::make_unique<Trigger>(definition.type);
  trigger->id = new_id("tr_");
  // Triggers take a number from the service-wide sequence, as they always have, so that
  // the run sequences shown in page tokens stay what they were.
  ++next_sequence_;
  if (tags) trigger->tags = std::move(*tags);
  if (definition.schedule) trigger->schedule = sim::Schedule::parse_aws(*definition.schedule);
  trigger->definition = std::move(definition);
  Trigger& created = *trigger;
  triggers_.emplace(*name, std::move(trigger));
  trace_transition("trigger", *name, std::nullopt, to_string(created.state()));
  end_transient_later(*this, created, TriggerEvent::creation_completed, start_on_creation);
  return nlohmann::json{{"Name", *name}};
}

JsonOutcome Glue::update_trigger(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  auto update = validator.nested("TriggerUpdate", true);
  TriggerDefinition replacement;
  std::optional<std::string> new_name;
  if (update) {
    new_name = name_member(*update, "Name", false);
    read_definition_body(*update, request.at("TriggerUpdate"), false, replacement);
  }
  if (!validator.ok()) return invalid_input(validator);
  Trigger* trigger = find_trigger(*name);
  if (trigger == nullptr) return entity_not_found("Trigger " + *name + " not found");
  if (new_name && *new_name != *name) {
    return invalid_input("TriggerUpdate.Name must be the trigger's name " + *name +
                         "; a trigger cannot be renamed");
  }
  // TriggerUpdate replaces the whole definition but its name, type and workflow (5.1).
  replacement.name = *name;
  replacement.type = trigger->definition.type;
  replacement.workflow_name = trigger->definition.workflow_name;
  if (auto problem = definition_problem(replacement, false)) return invalid_input(*problem);
  if (auto problem = action_limit_problem(replacement, options_.quotas)) {
    return invalid_input(*problem);
  }
  const TriggerState state = trigger->state();
  if (state != TriggerState::CREATED && state != TriggerState::ACTIVATED &&
      state != TriggerState::DEACTIVATED) {
    return concurrent_modification("Trigger " + *name + " is " + std::string(to_string(state)) +
                                   "; try again later");
  }
  if (!fire(*this, *trigger, TriggerEvent::update_requested)) {
    return internal_service("Trigger " + *name + " refused the update");
  }
  disarm(*this, *trigger);
  trigger->schedule.reset();
  if (replacement.schedule) trigger->schedule = sim::Schedule::parse_aws(*replacement.schedule);
  trigger->definition = std::move(replacement);
  end_transient_later(*this, *trigger, TriggerEvent::update_completed);
  return nlohmann::json{{"Trigger", trigger_view(*this, *trigger)}};
}

JsonOutcome Glue::get_trigger(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  const Trigger* trigger = find_trigger(*name);
  if (trigger == nullptr) return entity_not_found("Trigger " + *name + " not found");
  return nlohmann::json{{"Trigger", trigger_view(*this, *trigger)}};
}

namespace {

// The triggers GetTriggers and ListTriggers select, in name order.
std::vector<const Trigger*> select_triggers(const Glue& glue,
                                            const std::optional<std::string>& dependent_job,
                                            const std::optional<StringMap>& tags) {
  std::vector<const Trigger*> starting;
  if (dependent_job) {
    for (const auto& [name, trigger] : glue.triggers_) {
      for (const auto& action : trigger->definition.actions) {
        if (action.job_name != dependent_job) continue;
        starting.push_back(trigger.get());
        break;
      }
    }
  }
  // The documented quirk: when no trigger can start the job, every trigger is returned.
  if (starting.empty()) {
    for (const auto& [name, trigger] : glue.triggers_) starting.push_back(trigger.get());
  }
  if (!tags) return starting;
  std::vector<const Trigger*> tagged;
  for (const Trigger* trigger : starting) {
    if (Glue::tags_match(trigger->tags, *tags)) tagged.push_back(trigger);
  }
  return tagged;
}

// Reads a GetTriggers (or, `with_tags`, ListTriggers) request and picks its page.
std::optional<AwsError> trigger_page(const Glue& glue, const nlohmann::json& request,
                                     bool with_tags, std::vector<const Trigger*>* page,
                                     std::optional<std::string>* next_token) {
  RequestValidator validator(request);
  const auto token = validator.string("NextToken", StringRule{});
  const auto dependent = name_member(validator, "DependentJobName", false);
  const auto max_results = validator.integer("MaxResults", IntegerRule{1, kMaxTriggerPage});
  const auto tags = with_tags ? tags_member(validator, "Tags") : std::nullopt;
  if (!validator.ok()) return invalid_input(validator);
  const std::string scope = std::string(with_tags ? "ListTriggers|" : "GetTriggers|") +
                            dependent.value_or("") + "|" +
                            (tags ? nlohmann::json(*tags).dump() : std::string());
  std::optional<std::string> after;
  if (token) {
    after = glue.page_tokens_.decode(scope, *token);
    if (!after) return invalid_input(invalid_token_message());
  }
  const auto selected = select_triggers(glue, dependent, tags);
  const auto size = static_cast<std::size_t>(max_results.value_or(kDefaultTriggerPage));
  auto position = selected.begin();
  if (after) {
    position = std::find_if(selected.begin(), selected.end(), [&](const Trigger* trigger) {
      return trigger->definition.name > *after;
    });
  }
  for (; position != selected.end() && page->size() < size; ++position) {
    page->push_back(*position);
  }
  if (position != selected.end()) {
    *next_token = glue.page_tokens_.encode(scope, page->back()->definition.name);
  }
  return std::nullopt;
}

// Why a standalone ON_DEMAND trigger cannot start its jobs now: a job at its
// ExecutionProperty.MaxConcurrentRuns without run queuing, or the account's concurrent job
// run quota.
std::optional<AwsError> standalone_start_error(const Glue& glue, const Trigger& trigger) {
  std::size_t active_in_account = 0;
  for (const auto& [id, run] : glue.job_runs_) {
    if (glue.job_run_active(*run)) ++active_in_account;
  }
  std::size_t launching = 0;
  std::map<std::string, std::int64_t> launched_per_job;
  for (const auto& action : trigger.definition.actions) {
    if (!action.job_name) continue;
    ++launching;
    const auto job = glue.jobs_.find(*action.job_name);
    if (job == glue.jobs_.end() || job->second->job_run_queuing_enabled) continue;
    std::int64_t active = launched_per_job[*action.job_name]++;
    for (const JobRun* run : job->second->runs) active += glue.job_run_active(*run) ? 1 : 0;
    if (active >= job->second->max_concurrent_runs) {
      return concurrent_runs_exceeded("Concurrent runs exceeded for job " + *action.job_name +
                                      ": MaxConcurrentRuns is " +
                                      std::to_string(job->second->max_concurrent_runs));
    }
  }
  if (active_in_account + launching > glue.options_.quotas.concurrent_job_runs) {
    return resource_number_limit("Number of concurrent job runs would exceed the quota of " +
                                 std::to_string(glue.options_.quotas.concurrent_job_runs));
  }
  return std::nullopt;
}

}  // namespace

JsonOutcome Glue::get_triggers(const nlohmann::json& request) {
  std::vector<const Trigger*> page;
  std::optional<std::string> next_token;
  if (auto error = trigger_page(*this, request, false, &page, &next_token)) return *error;
  nlohmann::json triggers = nlohmann::json::array();
  for (const Trigger* trigger : page) triggers.push_back(trigger_view(*this, *trigger));
  nlohmann::json response = {{"Triggers", triggers}};
  if (next_token) response["NextToken"] = *next_token;
  return response;
}

JsonOutcome Glue::list_triggers(const nlohmann::json& request) {
  std::vector<const Trigger*> page;
  std::optional<std::string> next_token;
  if (auto error = trigger_page(*this, request, true, &page, &next_token)) return *error;
  nlohmann::json names = nlohmann::json::array();
  for (const Trigger* trigger : page) names.push_back(trigger->definition.name);
  nlohmann::json response = {{"TriggerNames", names}};
  if (next_token) response["NextToken"] = *next_token;
  return response;
}

JsonOutcome Glue::batch_get_triggers(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto names = name_list_member(validator, "TriggerNames", CountRule{}, true);
  if (!validator.ok()) return invalid_input(validator);
  nlohmann::json found = nlohmann::json::array();
  nlohmann::json missing = nlohmann::json::array();
  for (const auto& name : *names) {
    const Trigger* trigger = find_trigger(name);
    if (trigger == nullptr) {
      missing.push_back(name);
    } else {
      found.push_back(trigger_view(*this, *trigger));
    }
  }
  return nlohmann::json{{"Triggers", found}, {"TriggersNotFound", missing}};
}

JsonOutcome Glue::delete_trigger(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  const nlohmann::json response = {{"Name", *name}};
  Trigger* trigger = find_trigger(*name);
  if (trigger == nullptr || trigger->state() == TriggerState::DELETING) return response;
  const TriggerState state = trigger->state();
  if (state != TriggerState::CREATED && state != TriggerState::ACTIVATED &&
      state != TriggerState::DEACTIVATED) {
    return concurrent_modification("Trigger " + *name + " is " + std::string(to_string(state)) +
                                   "; try again later");
  }
  if (!fire(*this, *trigger, TriggerEvent::delete_requested)) {
    return internal_service("Trigger " + *name + " refused the deletion");
  }
  disarm(*this, *trigger);
  trigger->transition_timer = context_.scheduler.schedule_after(
      options_.timings.trigger_transition_us, [this, deleted = *name] {
        Trigger* gone = find_trigger(deleted);
        if (gone != nullptr) gone->transition_timer = 0;
        erase_trigger(deleted);
      });
  return response;
}

JsonOutcome Glue::start_trigger(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  Trigger* trigger = find_trigger(*name);
  if (trigger == nullptr) return entity_not_found("Trigger " + *name + " not found");
  const nlohmann::json response = {{"Name", *name}};
  const TriggerState state = trigger->state();
  if (trigger->machine.type() != TriggerType::ON_DEMAND) {
    if (state == TriggerState::ACTIVATING || state == TriggerState::ACTIVATED) return response;
    if (state != TriggerState::CREATED && state != TriggerState::DEACTIVATED) {
      return invalid_input("Trigger " + *name + " is " + std::string(to_string(state)) +
                           " and cannot be started now");
    }
    if (!fire(*this, *trigger, TriggerEvent::start_requested)) {
      return internal_service("Trigger " + *name + " refused to start");
    }
    end_transient_later(*this, *trigger, TriggerEvent::activation_completed);
    return response;
  }
  if (state != TriggerState::CREATED) {
    return invalid_input("Trigger " + *name + " is " + std::string(to_string(state)) +
                         " and cannot be started now");
  }
  if (trigger->definition.workflow_name) {
    // Rule 9.10: the workflow's start trigger starts a run as StartWorkflowRun does.
    const auto workflow = workflows_.find(*trigger->definition.workflow_name);
    if (workflow == workflows_.end()) {
      return entity_not_found("Workflow " + *trigger->definition.workflow_name + " not found");
    }
    auto started = start_run(*workflow->second, StartCause::start_trigger, {}, std::nullopt);
    if (!started.ok()) return started.error();
    fire(*this, *trigger, TriggerEvent::start_requested);
    return response;
  }
  if (auto error = standalone_start_error(*this, *trigger)) return *error;
  fire(*this, *trigger, TriggerEvent::start_requested);
  launch_actions(*this, *trigger, {});
  return response;
}

JsonOutcome Glue::stop_trigger(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  Trigger* trigger = find_trigger(*name);
  if (trigger == nullptr) return entity_not_found("Trigger " + *name + " not found");
  const nlohmann::json response = {{"Name", *name}};
  const TriggerState state = trigger->state();
  if (state == TriggerState::DEACTIVATING || state == TriggerState::DEACTIVATED) return response;
  if (state == TriggerState::CREATED) {
    return invalid_input("Trigger " + *name + " is not activated");
  }
  if (state != TriggerState::ACTIVATED) {
    return concurrent_modification("Trigger " + *name + " is " + std::string(to_string(state)) +
                                   "; try again later");
  }
  if (!fire(*this, *trigger, TriggerEvent::stop_requested)) {
    return internal_service("Trigger " + *name + " refused to stop");
  }
  disarm(*this, *trigger);
  end_transient_later(*this, *trigger, TriggerEvent::deactivation_completed);
  return response;
}

JsonOutcome Glue::notify_event(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "TriggerName", true);
  const std::int64_t count = validator.integer("Count", IntegerRule{1, 100}).value_or(1);
  if (!validator.ok()) return invalid_input(validator);
  Trigger* trigger = find_trigger(*name);
  if (trigger == nullptr) return entity_not_found("Trigger " + *name + " not found");
  if (trigger->machine.type() != TriggerType::EVENT) {
    return invalid_input("Trigger " + *name + " is " +
                         std::string(to_string(trigger->machine.type())) +
                         ", not an EVENT trigger");
  }
  if (!fires_on_its_own(TriggerType::EVENT, trigger->state())) {
    // Rule 9.9: a trigger that is not ACTIVATED does not listen; the events are lost.
    return nlohmann::json{
        {"Accepted", 0}, {"Dropped", count}, {"PendingEvents", trigger->pending_events}};
  }
  const auto run = accept_events(*this, *trigger, count);
  nlohmann::json response = {{"Accepted", count}, {"PendingEvents", trigger->pending_events}};
  if (run) response["RunId"] = *run;
  return response;
}

}  // namespace wfsim::models::glue
