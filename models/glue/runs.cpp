// The workflow-run engine and the run operations: StartWorkflowRun, GetWorkflowRun,
// GetWorkflowRuns, GetWorkflowRunProperties, PutWorkflowRunProperties, StopWorkflowRun and
// ResumeWorkflowRun (fact sheet 5, 5.1, 6.3-6.10).
//
// Sheet rules followed: a run snapshots the graph at start (6.1), fires its start trigger,
// then each CONDITIONAL trigger of the snapshot once its predicate is met by the latest
// terminal states of the watched jobs and crawlers in this run (6.4), and is COMPLETED when
// nothing runs and nothing more can fire (6.3). Stop (6.7), resume (6.8), run properties
// (6.9) and statistics (6.10) as the sheet says. Rules 9.1-9.8, 9.11-9.13, 9.16-9.18 are
// applied where named below.
//
// Chosen where the sheet is silent:
// - A CONDITIONAL trigger of the snapshot fires only while the live trigger of that name
//   exists and is ACTIVATED (rule 9.9 read against the trigger's current state, since the
//   snapshot freezes definitions, not states); a deleted trigger no longer fires. A trigger
//   UPDATING from ACTIVATED counts as ACTIVATED here: the update leaves it so, and the run
//   keeps its snapshot of the definition, so a run must not end for want of a trigger
//   that is only being edited.
// - A predicate with no conditions never fires; "AND" is the default logical.
// - Statistics are a recount of the run's nodes, each counted by the state of its latest
//   job run or crawl; EXPIRED counts as failed. They cannot drift from the graph.
// - ResumeWorkflowRun launches each kept node with the arguments of the action of the
//   trigger that starts it in the snapshot, and no PredecessorRuns; triggers that are not
//   downstream of a selected node count as fired, so the copied part never runs again. The
//   others fire first on the nodes that run again, and on copied nodes' states only once
//   nothing runs (predicate_holds).
// - Run messages: EntityNotFoundException "Workflow <name> not found", "Workflow run <id>
//   not found in workflow <name>"; IllegalWorkflowStateException names the run's status.
// - GetWorkflowRuns MaxResults defaults to 100; the NextToken carries the sequence of the
//   last run returned, so pages stay stable while runs are added.
#include <algorithm>
#include <set>

#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

constexpr std::size_t kDefaultRunsPage = 100;

std::string not_found_message(const std::string& workflow) {
  return "Workflow " + workflow + " not found";
}

std::string run_not_found_message(const std::string& workflow, const std::string& run_id) {
  return "Workflow run " + run_id + " not found in workflow " + workflow;
}

// The state string of the latest terminal job run or crawl of a node, or empty.
std::string latest_terminal_state(const RunNode& node, NodeType type) {
  if (type == NodeType::JOB && !node.job_runs.empty()) {
    const JobRun& latest = *node.job_runs.back();
    if (is_terminal(latest.state)) return std::string(to_string(latest.state));
  }
  if (type == NodeType::CRAWLER && !node.crawls.empty()) {
    const Crawl& latest = *node.crawls.back();
    if (is_terminal(latest.state)) return std::string(to_string(latest.state));
  }
  return {};
}

// Every node reachable from `from` along the graph's edges, `from` included.
std::set<std::uint32_t> downstream_of(const Graph& graph, std::uint32_t from) {
  std::set<std::uint32_t> seen = {from};
  std::vector<std::uint32_t> pending = {from};
  while (!pending.empty()) {
    const std::uint32_t node = pending.back();
    pending.pop_back();
    for (const auto& edge : graph.edges) {
      if (edge.source == node && seen.insert(edge.destination).second) {
        pending.push_back(edge.destination);
      }
    }
  }
  return seen;
}

bool any_action_active(const WorkflowRun& run) {
  for (std::size_t i = 0; i < run.nodes.size(); ++i) {
    if (run.nodes[i].copied) continue;
    for (const JobRun* job_run : run.nodes[i].job_runs) {
      if (!is_terminal(job_run->state)) return true;
    }
    for (const Crawl* crawl : run.nodes[i].crawls) {
      if (!is_terminal(crawl->state)) return true;
    }
  }
  return false;
}

struct Statistics {
  std::int64_t total = 0, running = 0, succeeded = 0, failed = 0, timeout = 0, stopped = 0,
               errored = 0, waiting = 0;
};

void count_job_state(JobRunState state, Statistics& statistics) {
  switch (state) {
    case JobRunState::STARTING:
    case JobRunState::RUNNING:
    case JobRunState::STOPPING:
      ++statistics.running;
      break;
    case JobRunState::SUCCEEDED:
      ++statistics.succeeded;
      break;
    case JobRunState::FAILED:
    case JobRunState::EXPIRED:
      ++statistics.failed;
      break;
    case JobRunState::TIMEOUT:
      ++statistics.timeout;
      break;
    case JobRunState::STOPPED:
      ++statistics.stopped;
      break;
    case JobRunState::ERROR:
      ++statistics.errored;
      break;
    case JobRunState::WAITING:
      ++statistics.waiting;
      break;
  }
}

void count_crawl_state(CrawlState state, Statistics& statistics) {
  switch (state) {
    case CrawlState::RUNNING:
    case CrawlState::CANCELLING:
      ++statistics.running;
      break;
    case CrawlState::SUCCEEDED:
      ++statistics.succeeded;
      break;
    case CrawlState::FAILED:
      ++statistics.failed;
      break;
    case CrawlState::CANCELLED:
      ++statistics.stopped;
      break;
    case CrawlState::ERROR:
      ++statistics.errored;
      break;
  }
}

// Rule 9.12 and 6.10: every JOB and CRAWLER node counts in TotalActions, run or not.
Statistics recount(const WorkflowRun& run) {
  Statistics statistics;
  for (std::size_t i = 0; i < run.nodes.size(); ++i) {
    const NodeType type = run.graph.nodes[i].type;
    if (type == NodeType::TRIGGER) continue;
    ++statistics.total;
    const RunNode& node = run.nodes[i];
    if (type == NodeType::JOB && !node.job_runs.empty()) {
      count_job_state(node.job_runs.back()->state, statistics);
    }
    if (type == NodeType::CRAWLER && !node.crawls.empty()) {
      count_crawl_state(node.crawls.back()->state, statistics);
    }
  }
  return statistics;
}

// Rule 9.2: runs RUNNING or STOPPING count against MaxConcurrentRuns.
bool at_capacity(const Workflow& workflow) {
  return workflow.max_concurrent_runs &&
         workflow.active_runs >= static_cast<std::uint64_t>(*workflow.max_concurrent_runs);
}

std::string over_capacity_message(const Workflow& workflow) {
  return "Concurrent runs exceeded for workflow: " + workflow.name;
}

}  // namespace

Workflow* Glue::find_workflow(const std::string& name) {
  const auto found = workflows_.find(name);
  return found == workflows_.end() ? nullptr : found->second.get();
}

const Workflow* Glue::find_workflow(const std::string& name) const {
  const auto found = workflows_.find(name);
  return found == workflows_.end() ? nullptr : found->second.get();
}

// ---------------------------------------------------------------------------------------
// The engine.

Outcome<WorkflowRun*> Glue::start_run(Workflow& workflow, StartCause cause,
                                      const StringMap& run_properties,
                                      std::optional<EventBatch> batch) {
  const bool over_cap = at_capacity(workflow);
  if (over_cap && (cause == StartCause::api || cause == StartCause::start_trigger)) {
    return concurrent_runs_exceeded(over_capacity_message(workflow));
  }
  WorkflowRun& run = add_run(workflow);
  // Rule 9.1: the workflow's defaults, overlaid by the request (the request wins per key).
  run.properties = workflow.default_run_properties;
  for (const auto& [key, value] : run_properties) run.properties[key] = value;
  run.graph = build_graph(workflow.name);
  run.nodes.resize(run.graph.nodes.size());
  if (batch) run.starting_event_batch = std::make_pair(batch->batch_size, batch->batch_window);
  if (over_cap) {
    // Rule 9.3: a schedule or event start over the cap is recorded as an ERROR run.
    run.machine = WorkflowRunLifecycle::refused_over_concurrency();
    run.status = run.machine->status();
    run.error_message = over_capacity_message(workflow);
    trace_transition("workflow_run", run.id, std::nullopt, to_string(run.status));
    finish_run(run);
    return &run;
  }
  mark_running(run);
  run.launching = true;
  if (run.graph.start_trigger) fire_run_trigger(run, *run.graph.start_trigger, {});
  run.launching = false;
  on_run_action_ended(run);
  return &run;
}

// A new run of `workflow`, stored and named; the caller fills in its graph and status.
WorkflowRun& Glue::add_run(Workflow& workflow) {
  auto run = std::make_unique<WorkflowRun>();
  run->id = new_id("wr_");
  run->workflow = &workflow;
  run->sequence = next_sequence_++;
  run->started_us = now();
  WorkflowRun& stored = *run;
  workflow.runs_by_id[run->id] = run.get();
  workflow.runs.emplace(run->sequence, std::move(run));
  return stored;
}

void Glue::mark_running(WorkflowRun& run) {
  run.machine = WorkflowRunLifecycle();
  run.status = run.machine->status();
  ++run.workflow->active_runs;
  trace_transition("workflow_run", run.id, std::nullopt, to_string(run.status));
}

void Glue::fire_run_trigger(WorkflowRun& run, std::uint32_t trigger_index,
                            const std::vector<Predecessor>& predecessors) {
  run.nodes[trigger_index].fired = true;
  const TriggerDefinition& definition = *run.graph.nodes[trigger_index].trigger;
  trace_note("trigger_fired", {{"run", run.id}, {"trigger", definition.name}});
  for (const auto& action : definition.actions) {
    launch_action(run, definition, action, predecessors);
  }
}

void Glue::launch_action(WorkflowRun& run, const TriggerDefinition& trigger,
                         const Action& action, const std::vector<Predecessor>& predecessors) {
  if (action.job_name) {
    const auto node = run.graph.find(NodeType::JOB, *action.job_name);
    if (!node) return;
    JobLaunch launch = JobLaunch::for_action(action, trigger.name, predecessors);
    launch.workflow_run = &run;
    launch.node = *node;
    launch_job_run(*action.job_name, std::move(launch));
  }
  if (action.crawler_name) {
    const auto node = run.graph.find(NodeType::CRAWLER, *action.crawler_name);
    if (!node) return;
    launch_crawl(*action.crawler_name, &run, *node, trigger.name);
  }
}

void Glue::on_run_action_ended(WorkflowRun& run) {
  if (run.launching || !run.machine || is_terminal(run.status)) return;
  if (run.status == WorkflowRunStatus::RUNNING) {
    run.launching = true;
    while (fire_satisfied_trigger(run, false)) {
    }
    // Only once nothing runs may a copied node's state fire a trigger of a resumed run.
    if (!any_action_active(run)) {
      while (fire_satisfied_trigger(run, true)) {
      }
    }
    run.launching = false;
  }
  if (any_action_active(run)) return;
  // Nothing runs, and every trigger that could fire has: RUNNING -> COMPLETED, or a
  // stopping run is STOPPED.
  const WorkflowRunStatus from = run.status;
  if (!run.machine->fire(WorkflowRunEvent::nothing_left_to_run)) {
    record_violation("workflow_run", run.id, to_string(WorkflowRunEvent::nothing_left_to_run),
                     to_string(from));
    return;
  }
  run.status = run.machine->status();
  trace_transition("workflow_run", run.id, to_string(from), to_string(run.status));
  --run.workflow->active_runs;
  finish_run(run);
}

// Fires the first CONDITIONAL trigger of the snapshot whose predicate now holds; false when
// none does.
bool Glue::fire_satisfied_trigger(WorkflowRun& run, bool copied_counts) {
  for (std::uint32_t i = 0; i < run.graph.nodes.size(); ++i) {
    const GraphNode& node = run.graph.nodes[i];
    if (node.type != NodeType::TRIGGER || run.nodes[i].fired) continue;
    if (node.trigger->type != TriggerType::CONDITIONAL) continue;
    const auto live = triggers_.find(node.name);
    if (live == triggers_.end() ||
        !fires_on_its_own(TriggerType::CONDITIONAL, live->second->machine.resting_state())) {
      continue;
    }
    std::vector<Predecessor> predecessors;
    if (!predicate_holds(run, *node.trigger, copied_counts, predecessors)) continue;
    fire_run_trigger(run, i, predecessors);
    return true;
  }
  return false;
}

// Rule 9.8 and 6.4: each condition is matched against the latest terminal state of the
// watched job or crawler in this run; AND needs all, ANY one. In a resumed run, unless
// `copied_counts`, one match must be on a node that ran in this run: else an ANY trigger
// that is to run again would fire on a copied node's state and start its actions before
// the resumed nodes upstream of it had ended. The caller lets copied states count once
// nothing runs, so the trigger is held back, not lost, when the resumed nodes end in
// another state. (A trigger that runs again always watches a node that does, so only ANY
// is ever held back.)
bool Glue::predicate_holds(const WorkflowRun& run, const TriggerDefinition& trigger,
                           bool copied_counts, std::vector<Predecessor>& predecessors) const {
  if (!trigger.predicate || trigger.predicate->conditions.empty()) return false;
  const bool any = trigger.predicate->logical.value_or("AND") == "ANY";
  bool all_matched = true;
  bool some_matched = false;  // on a node that ran in this run
  for (const auto& condition : trigger.predicate->conditions) {
    const bool job = condition.job_name.has_value();
    const std::string& name = job ? *condition.job_name : condition.crawler_name.value_or("");
    const std::string& wanted =
        job ? condition.state.value_or("") : condition.crawl_state.value_or("");
    const NodeType type = job ? NodeType::JOB : NodeType::CRAWLER;
    const auto node = run.graph.find(type, name);
    const bool matched = node && !wanted.empty() &&
                         latest_terminal_state(run.nodes[*node], type) == wanted;
    if (matched && job) {
      predecessors.push_back(Predecessor{name, run.nodes[*node].job_runs.back()->id});
    }
    all_matched = all_matched && matched;
    some_matched = some_matched || (matched && (copied_counts || !run.nodes[*node].copied));
  }
  return some_matched && (any || all_matched);
}

void Glue::finish_run(WorkflowRun& run) {
  run.completed_us = now();
  // Rule 9.18: a finished run is kept for the retention period after CompletedOn.
  run_expiries_.emplace(run.completed_us + options_.timings.run_retention_us,
                        std::make_pair(run.workflow->name, run.id));
}

void Glue::expire_due_runs() {
  while (!run_expiries_.empty() && run_expiries_.begin()->first <= now()) {
    const auto [workflow_name, run_id] = run_expiries_.begin()->second;
    run_expiries_.erase(run_expiries_.begin());
    if (Workflow* workflow = find_workflow(workflow_name)) expire_run(*workflow, run_id);
  }
}

void Glue::expire_run(Workflow& workflow, const std::string& id) {
  const auto found = workflow.runs_by_id.find(id);
  if (found == workflow.runs_by_id.end()) return;
  WorkflowRun& run = *found->second;
  detach_run(run);
  trace_note("run_expired", {{"workflow", workflow.name}, {"run", id}});
  const std::uint64_t sequence = run.sequence;
  workflow.runs_by_id.erase(found);
  workflow.runs.erase(sequence);
}

void Glue::detach_run(WorkflowRun& run) {
  for (auto& node : run.nodes) {
    for (JobRun* job_run : node.job_runs) {
      if (job_run->workflow_run != &run) continue;
      job_run->workflow_run = nullptr;
      job_run->detached = true;
      // A job run keeps its own retention (6.12: 365 days) from when it completed; one still
      // active gets it when it ends, as a standalone run does.
      if (job_run->completed_us != kNever) schedule_job_run_retention(*job_run);
    }
    for (Crawl* crawl : node.crawls) {
      if (crawl->workflow_run != &run) continue;
      crawl->workflow_run = nullptr;
      crawl->detached = true;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Views.

nlohmann::json Glue::run_statistics_json(const WorkflowRun& run) const {
  const Statistics statistics = recount(run);
  return {{"TotalActions", statistics.total},       {"TimeoutActions", statistics.timeout},
          {"FailedActions", statistics.failed},     {"StoppedActions", statistics.stopped},
          {"SucceededActions", statistics.succeeded}, {"RunningActions", statistics.running},
          {"ErroredActions", statistics.errored},   {"WaitingActions", statistics.waiting}};
}

nlohmann::json Glue::workflow_run_json(const WorkflowRun& run, bool include_graph) const {
  nlohmann::json view = {{"Name", run.workflow->name},
                         {"WorkflowRunId", run.id},
                         {"WorkflowRunProperties", run.properties},
                         {"StartedOn", timestamp(run.started_us)},
                         {"Status", to_string(run.status)},
                         {"Statistics", run_statistics_json(run)}};
  if (run.previous_run_id) view["PreviousRunId"] = *run.previous_run_id;
  if (run.completed_us != kNever) view["CompletedOn"] = timestamp(run.completed_us);
  if (run.error_message) view["ErrorMessage"] = *run.error_message;
  if (run.starting_event_batch) {
    view["StartingEventBatchCondition"] = {{"BatchSize", run.starting_event_batch->first},
                                           {"BatchWindow", run.starting_event_batch->second}};
  }
  if (include_graph) view["Graph"] = run_graph_json(run);
  return view;
}

// ---------------------------------------------------------------------------------------
// Operations.

Outcome<WorkflowRun*> Glue::find_run(const std::string& workflow_name, const std::string& run_id) {
  Workflow* workflow = find_workflow(workflow_name);
  if (workflow == nullptr) return entity_not_found(not_found_message(workflow_name));
  const auto found = workflow->runs_by_id.find(run_id);
  if (found == workflow->runs_by_id.end()) {
    return entity_not_found(run_not_found_message(workflow_name, run_id));
  }
  return found->second;
}

JsonOutcome Glue::start_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto properties = properties_member(validator, "RunProperties", false);
  if (!validator.ok()) return invalid_input(validator);
  Workflow* workflow = find_workflow(*name);
  if (workflow == nullptr) return entity_not_found(not_found_message(*name));
  auto started =
      start_run(*workflow, StartCause::api, properties.value_or(StringMap{}), std::nullopt);
  if (!started.ok()) return started.error();
  return nlohmann::json{{"RunId", started.value()->id}};
}

JsonOutcome Glue::get_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto run_id = name_member(validator, "RunId", true);
  const auto include_graph = validator.boolean("IncludeGraph");
  if (!validator.ok()) return invalid_input(validator);
  auto run = find_run(*name, *run_id);
  if (!run.ok()) return run.error();
  return nlohmann::json{{"Run", workflow_run_json(*run.value(), include_graph.value_or(false))}};
}

JsonOutcome Glue::get_workflow_runs(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto include_graph = validator.boolean("IncludeGraph");
  const auto token = validator.string("NextToken", StringRule{});
  const auto max_results = validator.integer("MaxResults", IntegerRule{1, 1000});
  if (!validator.ok()) return invalid_input(validator);
  const Workflow* workflow = find_workflow(*name);
  if (workflow == nullptr) return entity_not_found(not_found_message(*name));
  const std::string scope = "GetWorkflowRuns|" + *name;
  std::uint64_t before = UINT64_MAX;
  if (token) {
    const auto position = page_tokens_.decode(scope, *token);
    if (!position) return invalid_input("Invalid NextToken: " + show_value(*token));
    before = std::stoull(*position);
  }
  const std::size_t page = max_results ? static_cast<std::size_t>(*max_results) : kDefaultRunsPage;
  nlohmann::json runs = nlohmann::json::array();
  nlohmann::json response = nlohmann::json::object();
  // Rule 9.17: newest StartedOn first, which is the reverse of creation order.
  for (auto it = workflow->runs.rbegin(); it != workflow->runs.rend(); ++it) {
    if (it->first >= before) continue;
    if (runs.size() == page) {
      response["NextToken"] = page_tokens_.encode(scope, std::to_string(before));
      break;
    }
    runs.push_back(workflow_run_json(*it->second, include_graph.value_or(false)));
    before = it->first;
  }
  response["Runs"] = std::move(runs);
  return response;
}

JsonOutcome Glue::get_workflow_run_properties(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto run_id = name_member(validator, "RunId", true);
  if (!validator.ok()) return invalid_input(validator);
  auto run = find_run(*name, *run_id);
  if (!run.ok()) return run.error();
  return nlohmann::json{{"RunProperties", run.value()->properties}};
}

// Rule 9.16: allowed in any status. The map is merged: keys given are set, others kept.
JsonOutcome Glue::put_workflow_run_properties(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto run_id = name_member(validator, "RunId", true);
  const auto properties = properties_member(validator, "RunProperties", true);
  if (!validator.ok()) return invalid_input(validator);
  auto run = find_run(*name, *run_id);
  if (!run.ok()) return run.error();
  for (const auto& [key, value] : *properties) run.value()->properties[key] = value;
  trace_note("run_properties_put", {{"run", *run_id}, {"keys", properties->size()}});
  return nlohmann::json::object();
}

// 6.7 and rule 9.4: only a RUNNING run stops; its active job runs and crawls are stopped and
// nothing new starts; it is STOPPED once none is active.
JsonOutcome Glue::stop_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto run_id = name_member(validator, "RunId", true);
  if (!validator.ok()) return invalid_input(validator);
  auto found = find_run(*name, *run_id);
  if (!found.ok()) return found.error();
  WorkflowRun& run = *found.value();
  if (run.status != WorkflowRunStatus::RUNNING ||
      !run.machine->fire(WorkflowRunEvent::stop_requested)) {
    return illegal_workflow_state("Workflow run " + run.id + " is " +
                                  std::string(to_string(run.status)) +
                                  "; only a RUNNING run can be stopped");
  }
  run.status = run.machine->status();
  run.stop_requested_us = now();
  trace_transition("workflow_run", run.id, "RUNNING", to_string(run.status));
  run.launching = true;
  for (auto& node : run.nodes) {
    if (node.copied) continue;
    for (JobRun* job_run : node.job_runs) stop_job_run(*job_run);
    for (Crawl* crawl : node.crawls) stop_crawl(*crawl);
  }
  run.launching = false;
  on_run_action_ended(run);
  return nlohmann::json::object();
}

JsonOutcome Glue::resume_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto run_id = name_member(validator, "RunId", true);
  const auto node_ids = name_list_member(validator, "NodeIds", CountRule{}, true);
  if (!validator.ok()) return invalid_input(validator);
  auto found = find_run(*name, *run_id);
  if (!found.ok()) return found.error();
  WorkflowRun& original = *found.value();
  // Rule 9.5: only a COMPLETED run can be resumed.
  if (original.status != WorkflowRunStatus::COMPLETED) {
    return illegal_workflow_state("Workflow run " + original.id + " is " +
                                  std::string(to_string(original.status)) +
                                  "; only a COMPLETED run can be resumed");
  }
  auto selected = resumable_nodes(original, *node_ids);
  if (!selected.ok()) return selected.error();
  if (at_capacity(*original.workflow)) {
    return concurrent_runs_exceeded(over_capacity_message(*original.workflow));
  }
  if (!original.machine->fire(WorkflowRunEvent::resume_requested)) {
    record_violation("workflow_run", original.id,
                     to_string(WorkflowRunEvent::resume_requested), to_string(original.status));
    return illegal_workflow_state("Workflow run " + original.id + " cannot be resumed");
  }
  WorkflowRun& resumed = start_resumed_run(original, selected.value());
  nlohmann::json kept = nlohmann::json::array();
  for (std::uint32_t node : selected.value()) kept.push_back(original.graph.nodes[node].unique_id);
  return nlohmann::json{{"RunId", resumed.id}, {"NodeIds", std::move(kept)}};
}

// Rule 9.6: every id must name a JOB or CRAWLER node the run attempted. The result keeps
// the selected nodes that no other selected node lies upstream of, in request order.
Outcome<std::vector<std::uint32_t>> Glue::resumable_nodes(const WorkflowRun& run,
                                                          const std::vector<std::string>& ids) {
  if (ids.empty()) return invalid_input("NodeIds must name at least one node to resume");
  std::vector<std::uint32_t> selected;
  for (const auto& id : ids) {
    std::optional<std::uint32_t> index;
    for (std::uint32_t i = 0; i < run.graph.nodes.size(); ++i) {
      if (run.graph.nodes[i].unique_id == id) index = i;
    }
    if (!index) return invalid_input("Node " + id + " is not a node of workflow run " + run.id);
    const GraphNode& node = run.graph.nodes[*index];
    if (node.type == NodeType::TRIGGER) {
      return invalid_input("Node " + id +
                           " is a trigger; only JOB and CRAWLER nodes can be resumed");
    }
    if (run.nodes[*index].job_runs.empty() && run.nodes[*index].crawls.empty()) {
      return invalid_input("Node " + id + " (" + node.name + ") was not run in workflow run " +
                           run.id + "; only nodes that had a run attempt can be resumed");
    }
    if (std::find(selected.begin(), selected.end(), *index) == selected.end()) {
      selected.push_back(*index);
    }
  }
  std::vector<std::uint32_t> kept;
  for (std::uint32_t node : selected) {
    bool below_another = false;
    for (std::uint32_t other : selected) {
      if (other != node && downstream_of(run.graph, other).count(node) > 0) below_another = true;
    }
    if (!below_another) kept.push_back(node);
  }
  return kept;
}

// 6.8 and rule 9.7: a new run over the original's snapshot and current properties; the
// kept nodes and everything downstream of them run again, the rest is copied.
WorkflowRun& Glue::start_resumed_run(const WorkflowRun& original,
                                     const std::vector<std::uint32_t>& kept) {
  WorkflowRun& run = add_run(*original.workflow);
  run.previous_run_id = original.id;
  run.properties = original.properties;
  run.graph = original.graph;
  run.nodes.resize(run.graph.nodes.size());
  std::set<std::uint32_t> rerun;
  for (std::uint32_t node : kept) {
    const auto below = downstream_of(run.graph, node);
    rerun.insert(below.begin(), below.end());
  }
  for (std::uint32_t i = 0; i < run.nodes.size(); ++i) {
    if (rerun.count(i) > 0) continue;
    run.nodes[i] = original.nodes[i];
    run.nodes[i].copied = run.graph.nodes[i].type != NodeType::TRIGGER;
    run.nodes[i].fired = run.graph.nodes[i].type == NodeType::TRIGGER;
  }
  mark_running(run);
  run.launching = true;
  for (std::uint32_t node : kept) relaunch_node(run, node);
  run.launching = false;
  on_run_action_ended(run);
  return run;
}

// Launches a resumed node with the action of the snapshot trigger that starts it.
void Glue::relaunch_node(WorkflowRun& run, std::uint32_t node) {
  const GraphNode& target = run.graph.nodes[node];
  for (const auto& edge : run.graph.edges) {
    if (edge.destination != node) continue;
    const TriggerDefinition& trigger = *run.graph.nodes[edge.source].trigger;
    for (const auto& action : trigger.actions) {
      const bool same = target.type == NodeType::JOB ? action.job_name == target.name
                                                     : action.crawler_name == target.name;
      if (!same) continue;
      launch_action(run, trigger, action, {});
      return;
    }
  }
}

}  // namespace wfsim::models::glue
