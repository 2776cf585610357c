// The internal data model of the AWS Glue service: configuration, workflows, triggers, jobs,
// crawlers, blueprints, workflow runs, job runs and crawls, and the service class that owns
// them. Only the service's own translation units and its tests include this header; the
// World sees the service through models::Service. The fact-sheet rules the model follows and
// the choices it makes where the sheet is silent are listed at the top of service.cpp.
//
// Who owns what:
// - Workflows, triggers, jobs, crawlers and blueprints live in maps keyed by name (names are
//   unique per account and region, and every list operation is ordered by name).
// - Job runs and crawls live in arenas keyed by id and are never moved, so a workflow run's
//   nodes, a job's run list and a crawler's crawl list hold plain pointers to them. A job run
//   started by a workflow run stays reachable from that run after its job is deleted.
// - Workflow runs belong to their workflow; deleting the workflow deletes them (rule 9.14).
//
// The files: service.cpp (construction, configuration, dispatch, errors, faults, trace),
// graph.cpp (the workflow graph and node ids), workflows.cpp (workflow operations),
// runs.cpp (the workflow-run engine and run operations), triggers.cpp (trigger operations,
// schedules, events, triggers outside workflows), jobs.cpp (jobs and job runs), crawlers.cpp
// (crawlers and crawls), blueprints.cpp (blueprints and blueprint runs), tags.cpp (tags),
// shapes.cpp (JSON views shared by several operations), invariants.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/pagination.hpp"
#include "models/common/profiles.hpp"
#include "models/common/service.hpp"
#include "models/common/throttle.hpp"
#include "models/common/validation.hpp"
#include "models/glue/blueprint_run_machine.hpp"
#include "models/glue/crawl_machine.hpp"
#include "models/glue/job_run_machine.hpp"
#include "models/glue/service.hpp"
#include "models/glue/trigger_machine.hpp"
#include "models/glue/workflow_run_machine.hpp"
#include "sim/cron.hpp"
#include "sim/ids.hpp"

namespace wfsim::models::glue {

using StringMap = std::map<std::string, std::string>;
using TagMap = std::map<std::string, std::string>;

// An instant that has not happened (yet): a run not completed.
inline constexpr sim::TimeUs kNever = INT64_MIN;

// ---------------------------------------------------------------------------------------
// Configuration (config.services["glue"] and config.profiles["glue"]; see service.cpp).

struct Quotas {  // fact sheet 8: the values are unconfirmed, so these are our defaults
  std::uint32_t workflows = 1000;
  std::uint32_t triggers = 1000;
  std::uint32_t jobs = 1000;
  std::uint32_t crawlers = 1000;
  std::uint32_t blueprints = 100;
  std::uint32_t concurrent_job_runs = 50;  // per account (forum answer in the sheet)
  std::uint32_t jobs_per_trigger = 50;     // actions naming a job, per trigger
  std::uint32_t crawlers_per_trigger = 2;  // fact sheet 6.2 (guide note)
};

struct Timings {
  sim::DurationUs job_startup_us = sim::seconds(10);      // job run STARTING -> RUNNING
  sim::DurationUs job_stop_us = sim::seconds(5);          // job run STOPPING -> STOPPED
  sim::DurationUs crawl_stop_us = sim::seconds(10);       // crawl CANCELLING -> CANCELLED
  sim::DurationUs trigger_transition_us = sim::seconds(1);  // ACTIVATING, DEACTIVATING, ...
  sim::DurationUs blueprint_creation_us = sim::seconds(5);  // blueprint CREATING/UPDATING
  sim::DurationUs blueprint_run_us = sim::seconds(30);      // blueprint run RUNNING -> end
  sim::DurationUs blueprint_rollback_us = sim::seconds(10);  // ROLLING_BACK -> FAILED
  sim::DurationUs run_retention_us = sim::hours(24 * 90);      // workflow runs (rule 9.18)
  sim::DurationUs job_run_retention_us = sim::hours(24 * 365);  // job runs (fact sheet 6.12)
};

struct ProfileBook {
  BehaviourProfile job;      // built-in default overlaid by the configured "job" member
  BehaviourProfile crawler;  // built-in default overlaid by the configured "crawler" member
  std::map<std::string, BehaviourProfile> jobs;      // by job name, over `job`
  std::map<std::string, BehaviourProfile> crawlers;  // by crawler name, over `crawler`

  BehaviourProfile for_job(const std::string& name) const;
  BehaviourProfile for_crawler(const std::string& name) const;
};

struct ServiceOptions {
  Quotas quotas;
  Timings timings;
  std::optional<OperationThrottle> throttle;  // none: never throttled
  ProfileBook profiles;
};

std::variant<ServiceOptions, std::string> parse_service_options(
    const nlohmann::json& service_config, const nlohmann::json& profiles);

// ---------------------------------------------------------------------------------------
// Triggers.

struct Action {
  std::optional<std::string> job_name;
  std::optional<std::string> crawler_name;
  std::optional<StringMap> arguments;
  std::optional<std::int64_t> timeout_minutes;
  std::optional<std::string> security_configuration;
  std::optional<std::int64_t> notify_delay_after;
};

struct Condition {
  std::string logical_operator = "EQUALS";
  std::optional<std::string> job_name;
  std::optional<std::string> state;  // JobRunState
  std::optional<std::string> crawler_name;
  std::optional<std::string> crawl_state;  // CrawlState
};

struct Predicate {
  std::optional<std::string> logical;  // AND | ANY; absent means AND
  std::vector<Condition> conditions;
};

struct EventBatching {
  std::int64_t batch_size = 1;
  std::optional<std::int64_t> batch_window_seconds;  // absent: 900 (fact sheet 6.11)
};

// Everything UpdateTrigger can replace, plus the fixed name, type and workflow. A workflow
// run snapshots these (fact sheet 6.1).
struct TriggerDefinition {
  std::string name;
  std::optional<std::string> workflow_name;
  TriggerType type = TriggerType::ON_DEMAND;
  std::optional<std::string> description;
  std::optional<std::string> schedule;  // "cron(...)"
  std::vector<Action> actions;
  std::optional<Predicate> predicate;
  std::optional<EventBatching> event_batching;
};

struct Trigger {
  TriggerDefinition definition;
  std::string id;
  TriggerLifecycle machine;
  TagMap tags;
  std::optional<sim::Schedule> schedule;
  sim::TimerId schedule_timer = 0;    // next fire while ACTIVATED and SCHEDULED
  sim::TimerId transition_timer = 0;  // ends a transient state
  // EVENT batching (fact sheet 6.11): events counted since the batch's first one.
  std::uint32_t pending_events = 0;
  sim::TimerId batch_timer = 0;  // the batch window

  explicit Trigger(TriggerType type) : machine(type) {}
  TriggerState state() const { return machine.state(); }
};

// ---------------------------------------------------------------------------------------
// Jobs and job runs.

struct WorkflowRun;

struct Job {
  std::string name;
  // The CreateJob request members as given (minus Name and Tags), echoed by GetJob with
  // the defaults below filled in.
  nlohmann::json definition = nlohmann::json::object();
  StringMap default_arguments;
  StringMap non_overridable_arguments;
  std::int64_t max_concurrent_runs = 1;  // ExecutionProperty.MaxConcurrentRuns
  std::int64_t max_retries = 0;
  std::int64_t timeout_minutes = 2880;  // 2,880 for Glue <= 4.0, 480 from 5.0
  std::string glue_version = "0.9";
  std::string command_name = "glueetl";
  bool job_run_queuing_enabled = false;
  sim::TimeUs created_us = 0;
  sim::TimeUs modified_us = 0;
  TagMap tags;
  std::vector<struct JobRun*> runs;  // creation order, retries included
  std::int64_t runs_started = 0;     // runs that reached RUNNING: indexes scripted outcomes
};

struct Predecessor {
  std::string job_name;
  std::string run_id;
};

struct JobRun {
  std::string id;  // "jr_" + 64 hex
  std::string job_name;
  std::int64_t attempt = 0;  // 0 for the first attempt
  std::optional<std::string> previous_run_id;
  std::optional<std::string> trigger_name;
  StringMap arguments;
  std::vector<Predecessor> predecessors;
  sim::TimeUs started_us = 0;
  sim::TimeUs modified_us = 0;
  sim::TimeUs completed_us = kNever;
  sim::TimeUs running_since_us = kNever;  // entered RUNNING, for ExecutionTime
  JobRunState state = JobRunState::STARTING;  // cached from the machine
  std::optional<JobRunLifecycle> machine;     // dropped once terminal
  std::optional<std::string> error_message;
  std::optional<std::string> state_detail;  // why a run is WAITING
  std::int64_t timeout_minutes = 2880;
  nlohmann::json capacity = nlohmann::json::object();  // MaxCapacity or WorkerType+Number...
  std::optional<std::string> security_configuration;
  std::optional<std::int64_t> notify_delay_after;
  std::optional<std::string> execution_class;
  std::string glue_version;
  std::string log_group;  // "/aws-glue/jobs" or "/aws-glue/python-jobs"
  bool queuing_enabled = false;
  sim::TimerId timer = 0;  // startup, end, timeout or stop timer
  std::string planned_outcome;  // SUCCESS | FAILED | TIMEOUT, drawn when RUNNING starts
  // The workflow run that launched it (null for StartJobRun and triggers outside
  // workflows) and the index of its JOB node there.
  WorkflowRun* workflow_run = nullptr;
  std::uint32_t node = 0;
  // Launched for a workflow run that has since been deleted or expired (or a retry of such a
  // run): started by a workflow, it never counts for triggers outside workflows (6.2 scope
  // rule), although it no longer points at the run.
  bool detached = false;
};

// What launches a job run: StartJobRun, a trigger action, a retry.
struct JobLaunch {
  std::optional<std::string> trigger_name;
  std::optional<StringMap> arguments;  // over the job's DefaultArguments
  std::optional<std::int64_t> timeout_minutes;
  std::optional<std::string> security_configuration;
  std::optional<std::int64_t> notify_delay_after;
  std::optional<double> max_capacity;
  std::optional<std::string> worker_type;
  std::optional<std::int64_t> number_of_workers;
  std::optional<std::string> execution_class;
  std::optional<bool> queuing_enabled;
  std::optional<std::string> previous_run_id;  // StartJobRun.JobRunId, or the failed attempt
  std::int64_t attempt = 0;
  std::vector<Predecessor> predecessors;
  WorkflowRun* workflow_run = nullptr;
  std::uint32_t node = 0;
  bool detached = false;  // a retry of a detached run (JobRun::detached)

  // The launch a trigger's action asks for (fact sheet 6.2: Arguments, Timeout,
  // SecurityConfiguration, NotificationProperty).
  static JobLaunch for_action(const Action& action, const std::string& trigger_name,
                              const std::vector<Predecessor>& predecessors) {
    JobLaunch launch;
    launch.trigger_name = trigger_name;
    launch.arguments = action.arguments;
    launch.timeout_minutes = action.timeout_minutes;
    launch.security_configuration = action.security_configuration;
    launch.notify_delay_after = action.notify_delay_after;
    launch.predecessors = predecessors;
    return launch;
  }
};

// ---------------------------------------------------------------------------------------
// Crawlers and crawls.

// Every crawl logs to this group, in a stream named after its crawler.
inline constexpr std::string_view kCrawlLogGroup = "/aws-glue/crawlers";

struct Crawl {
  std::string id;  // ours, never shown: the arena key
  std::string crawler_name;
  CrawlState state = CrawlState::RUNNING;  // cached from the machine
  std::optional<CrawlLifecycle> machine;   // dropped once terminal
  sim::TimeUs started_us = 0;
  sim::TimeUs completed_us = kNever;
  std::optional<std::string> error_message;
  sim::TimerId timer = 0;
  WorkflowRun* workflow_run = nullptr;
  std::uint32_t node = 0;
  std::optional<std::string> trigger_name;  // the trigger that started it, if any
  bool detached = false;  // launched for a workflow run since deleted (JobRun::detached)
};

struct Crawler {
  std::string name;
  nlohmann::json definition = nlohmann::json::object();  // CreateCrawler members as given
  std::optional<sim::Schedule> schedule;
  sim::TimerId schedule_timer = 0;
  sim::TimeUs created_us = 0;
  sim::TimeUs updated_us = 0;
  std::int64_t version = 1;
  TagMap tags;
  std::vector<Crawl*> crawls;  // creation order
  Crawl* current = nullptr;    // the crawl it last started
};

// ---------------------------------------------------------------------------------------
// Workflows, the graph and workflow runs.

enum class NodeType { CRAWLER, JOB, TRIGGER };
std::string_view to_string(NodeType type);

struct GraphNode {
  NodeType type = NodeType::JOB;
  std::string name;
  std::string unique_id;  // "wnode_" + 64 hex, stable per (workflow, type, name)
  // TRIGGER nodes: the definition, snapshotted when the graph is built. Held by pointer so
  // that the job and crawler nodes, most of a graph, do not each carry an empty one (a run
  // keeps its graph for as long as it is retained).
  std::shared_ptr<const TriggerDefinition> trigger;
};

struct GraphEdge {
  std::uint32_t source = 0;  // node indices
  std::uint32_t destination = 0;
};

struct Graph {
  std::vector<GraphNode> nodes;  // triggers in name order, then their jobs and crawlers
  std::vector<GraphEdge> edges;
  std::optional<std::uint32_t> start_trigger;  // the ON_DEMAND, SCHEDULED or EVENT trigger

  // The index of the node of that type and name (graph.cpp).
  std::optional<std::uint32_t> find(NodeType type, const std::string& name) const;
};

struct BlueprintDetails {
  std::string blueprint_name;
  std::string run_id;
};

// One node of a run: its place in the snapshot and what the run did there.
struct RunNode {
  std::vector<JobRun*> job_runs;  // JOB: the attempts this run launched, in order
  std::vector<Crawl*> crawls;     // CRAWLER
  // JOB/CRAWLER nodes copied from the run this one resumed: their details are the
  // original run's, shown but never re-run (fact sheet 6.8).
  bool copied = false;
  bool fired = false;  // TRIGGER: fired in this run (at most once, rule 9.8)
};

struct Workflow;

struct WorkflowRun {
  std::string id;  // "wr_" + 64 hex
  Workflow* workflow = nullptr;
  std::uint64_t sequence = 0;  // creation order across the service
  std::optional<std::string> previous_run_id;
  StringMap properties;
  sim::TimeUs started_us = 0;
  sim::TimeUs completed_us = kNever;
  WorkflowRunStatus status = WorkflowRunStatus::RUNNING;  // cached from the machine
  std::optional<WorkflowRunLifecycle> machine;            // dropped once terminal
  std::optional<std::string> error_message;
  std::optional<std::pair<std::int64_t, std::int64_t>> starting_event_batch;  // size, window
  Graph graph;                 // snapshot at run start
  std::vector<RunNode> nodes;  // parallel to graph.nodes
  sim::TimeUs stop_requested_us = kNever;  // StopWorkflowRun accepted
  // Set while the run launches actions, so an action that ends at once (a deleted job's
  // ERROR run) does not settle the run half-way through the launch.
  bool launching = false;
};

struct Workflow {
  std::string name;
  std::optional<std::string> description;
  StringMap default_run_properties;
  std::optional<std::int64_t> max_concurrent_runs;  // absent: unlimited
  sim::TimeUs created_us = 0;
  sim::TimeUs modified_us = 0;
  TagMap tags;
  std::optional<BlueprintDetails> blueprint;
  std::map<std::uint64_t, std::unique_ptr<WorkflowRun>> runs;  // by sequence
  std::unordered_map<std::string, WorkflowRun*> runs_by_id;
  std::uint32_t active_runs = 0;  // RUNNING or STOPPING (rule 9.2)
};

// ---------------------------------------------------------------------------------------
// Blueprints.

struct BlueprintDefinition {
  std::optional<std::string> description;
  std::string location;          // BlueprintLocation, s3://bucket/key
  std::string service_location;  // BlueprintServiceLocation: the service's copy
  std::optional<std::string> parameter_spec;
  nlohmann::json layout;  // the parsed layout document (blueprints.cpp)
  sim::TimeUs modified_us = 0;
};

struct BlueprintRun {
  std::string run_id;
  std::string blueprint_name;
  std::optional<std::string> workflow_name;
  BlueprintRunState state = BlueprintRunState::RUNNING;
  std::optional<BlueprintRunLifecycle> machine;
  sim::TimeUs started_us = 0;
  sim::TimeUs completed_us = kNever;
  std::optional<std::string> error_message;
  std::optional<std::string> rollback_error_message;
  std::optional<std::string> parameters;
  std::string role_arn;
  sim::TimerId timer = 0;
  std::uint64_t sequence = 0;
};

struct Blueprint {
  std::string name;
  std::string status = "CREATING";  // BlueprintStatus
  std::optional<std::string> error_message;
  sim::TimeUs created_us = 0;
  BlueprintDefinition current;                         // being created or updated, or active
  std::optional<BlueprintDefinition> last_active;      // LastActiveDefinition
  TagMap tags;
  sim::TimerId timer = 0;  // ends CREATING / UPDATING
  std::map<std::uint64_t, std::unique_ptr<BlueprintRun>> runs;  // by sequence
};

// ---------------------------------------------------------------------------------------
// The service.

class Glue final : public Service {
 public:
  Glue(ServiceContext context, ServiceOptions options);
  ~Glue() override;
  Glue(const Glue&) = delete;
  Glue& operator=(const Glue&) = delete;

  std::string_view name() const override;
  std::vector<std::string> operations() const override;
  JsonOutcome call(std::string_view operation, const nlohmann::json& request) override;
  JsonOutcome observe(std::string_view operation, const nlohmann::json& request) override;
  AwsError fault_error(const sim::FaultDecision& decision) const override;
  std::vector<InvariantViolation> check_invariants() const override;
  std::vector<std::pair<std::string, std::string>> invariant_catalogue() const override;

  // --- service.cpp: shared helpers --------------------------------------------------------
  sim::TimeUs now() const { return context_.scheduler.now(); }
  nlohmann::json timestamp(sim::TimeUs t) const;  // epoch seconds with fraction
  std::string arn(std::string_view kind, std::string_view name) const;
  std::string new_id(std::string_view prefix);  // prefix + 64 hex
  // Trace helpers: a status change of any machine, and a rejected event.
  void trace_transition(std::string_view machine, std::string_view id,
                        std::optional<std::string_view> from, std::string_view to);
  void record_violation(std::string_view machine, std::string_view id, std::string_view event,
                        std::string_view state);
  void trace_note(std::string_view kind, nlohmann::json detail);

 private:
  using Handler = JsonOutcome (Glue::*)(const nlohmann::json&);
  static const std::unordered_map<std::string_view, Handler>& handlers();
  JsonOutcome answer(std::string_view operation, const nlohmann::json& request, bool rate_limited);
  JsonOutcome dispatch(std::string_view operation, const nlohmann::json& request,
                       bool rate_limited);

  // --- graph.cpp ------------------------------------------------------------------------
 public:
  // The graph formed by the triggers that name the workflow now (fact sheet 6.1).
  Graph build_graph(const std::string& workflow_name) const;
  std::string node_id(const std::string& workflow_name, NodeType type,
                      const std::string& name) const;
  // The static graph (GetWorkflow) or a run's graph with run details (GetWorkflowRun).
  nlohmann::json static_graph_json(const Graph& graph) const;
  nlohmann::json run_graph_json(const WorkflowRun& run) const;
  nlohmann::json trigger_details_json(const GraphNode& node) const;

  // --- workflows.cpp --------------------------------------------------------------------
 private:
  JsonOutcome create_workflow(const nlohmann::json& request);
  JsonOutcome update_workflow(const nlohmann::json& request);
  JsonOutcome delete_workflow(const nlohmann::json& request);
  JsonOutcome get_workflow(const nlohmann::json& request);
  JsonOutcome list_workflows(const nlohmann::json& request);
  JsonOutcome batch_get_workflows(const nlohmann::json& request);
  nlohmann::json workflow_json(const Workflow& workflow, bool include_graph) const;

 public:
  // Creates a workflow as CreateWorkflow does (blueprint runs use it too).
  JsonOutcome create_workflow_entity(const nlohmann::json& request,
                                     std::optional<BlueprintDetails> blueprint);
  // Removes the workflow, its runs and the triggers that name it (rule 9.14).
  void erase_workflow(const std::string& name);

  // --- runs.cpp: the workflow-run engine ------------------------------------------------
 private:
  JsonOutcome start_workflow_run(const nlohmann::json& request);
  JsonOutcome get_workflow_run(const nlohmann::json& request);
  JsonOutcome get_workflow_runs(const nlohmann::json& request);
  JsonOutcome get_workflow_run_properties(const nlohmann::json& request);
  JsonOutcome put_workflow_run_properties(const nlohmann::json& request);
  JsonOutcome stop_workflow_run(const nlohmann::json& request);
  JsonOutcome resume_workflow_run(const nlohmann::json& request);
  Outcome<WorkflowRun*> find_run(const std::string& workflow_name, const std::string& run_id);
  void fire_run_trigger(WorkflowRun& run, std::uint32_t trigger_index,
                        const std::vector<Predecessor>& predecessors);
  void launch_action(WorkflowRun& run, const TriggerDefinition& trigger, const Action& action,
                     const std::vector<Predecessor>& predecessors);
  // `copied_counts`: whether, in a resumed run, a copied node's state may satisfy a
  // condition (runs.cpp, predicate_holds).
  bool fire_satisfied_trigger(WorkflowRun& run, bool copied_counts);
  bool predicate_holds(const WorkflowRun& run, const TriggerDefinition& trigger, bool copied_counts,
                       std::vector<Predecessor>& predecessors) const;
  void finish_run(WorkflowRun& run);
  void expire_run(Workflow& workflow, const std::string& id);

 public:
  // Rule 9.18: removes the runs whose retention has passed. Retention is kept in a queue
  // that every call consults first, not in timers, so that run_until_idle does not leap
  // 90 days ahead and remove the runs a caller is about to read.
  void expire_due_runs();
  std::multimap<sim::TimeUs, std::pair<std::string, std::string>> run_expiries_;  // workflow, run

 private:
  Outcome<std::vector<std::uint32_t>> resumable_nodes(const WorkflowRun& run,
                                                      const std::vector<std::string>& ids);
  WorkflowRun& start_resumed_run(const WorkflowRun& original,
                                 const std::vector<std::uint32_t>& kept);
  void relaunch_node(WorkflowRun& run, std::uint32_t node);
  WorkflowRun& add_run(Workflow& workflow);
  void mark_running(WorkflowRun& run);  // a new run enters RUNNING

 public:
  enum class StartCause { api, start_trigger, schedule, event };
  struct EventBatch {
    std::int64_t batch_size = 0;    // non-zero when the size was reached
    std::int64_t batch_window = 0;  // non-zero when the window expired
  };
  // Starts a run of `workflow` and fires its start trigger. Over MaxConcurrentRuns: the
  // api and start_trigger causes get ConcurrentRunsExceededException and nothing changes;
  // schedule and event record an ERROR run (rule 9.3). Returns the run.
  Outcome<WorkflowRun*> start_run(Workflow& workflow, StartCause cause,
                                  const StringMap& run_properties,
                                  std::optional<EventBatch> batch);
  // A job run or crawl that `run` launched reached a terminal state, and the retry that
  // follows it, if any, has already been launched: fire the conditional triggers that are
  // now satisfied, and complete the run when nothing more can happen.
  void on_run_action_ended(WorkflowRun& run);
  // Cancels the run's timers and clears the back-pointers its job runs and crawls hold, so
  // that the run can be destroyed (expiry, DeleteWorkflow) while they still exist; they are
  // marked detached, so triggers outside workflows never count them.
  void detach_run(WorkflowRun& run);
  nlohmann::json workflow_run_json(const WorkflowRun& run, bool include_graph) const;
  nlohmann::json run_statistics_json(const WorkflowRun& run) const;
  Workflow* find_workflow(const std::string& name);
  const Workflow* find_workflow(const std::string& name) const;

  // --- triggers.cpp ---------------------------------------------------------------------
 private:
  JsonOutcome create_trigger(const nlohmann::json& request);
  JsonOutcome update_trigger(const nlohmann::json& request);
  JsonOutcome get_trigger(const nlohmann::json& request);
  JsonOutcome get_triggers(const nlohmann::json& request);
  JsonOutcome list_triggers(const nlohmann::json& request);
  JsonOutcome batch_get_triggers(const nlohmann::json& request);
  JsonOutcome delete_trigger(const nlohmann::json& request);
  JsonOutcome start_trigger(const nlohmann::json& request);
  JsonOutcome stop_trigger(const nlohmann::json& request);
  JsonOutcome notify_event(const nlohmann::json& request);

 public:
  JsonOutcome create_trigger_entity(const nlohmann::json& request);
  nlohmann::json trigger_json(const TriggerDefinition& definition, std::string_view id,
                              TriggerState state) const;
  void erase_trigger(const std::string& name);
  Trigger* find_trigger(const std::string& name);
  // A job run or crawl started outside any workflow by a trigger ended: fire the
  // CONDITIONAL triggers outside workflows that it satisfies (fact sheet 6.2 scope rule).
  void on_standalone_action_ended();
  // By trigger name: the completions (job run ids, crawl ids) each CONDITIONAL trigger
  // outside workflows last fired on; it fires again only for a completion not among them.
  std::map<std::string, std::vector<std::string>> standalone_fired_on_;

  // --- jobs.cpp -------------------------------------------------------------------------
 private:
  JsonOutcome create_job(const nlohmann::json& request);
  JsonOutcome get_job(const nlohmann::json& request);
  JsonOutcome delete_job(const nlohmann::json& request);
  JsonOutcome start_job_run(const nlohmann::json& request);
  JsonOutcome get_job_run(const nlohmann::json& request);
  JsonOutcome get_job_runs(const nlohmann::json& request);
  JsonOutcome batch_stop_job_run(const nlohmann::json& request);

 public:
  JsonOutcome create_job_entity(const nlohmann::json& request);
  void erase_job(const std::string& name);
  Job* find_job(const std::string& name);
  // Launches a job run for a trigger action or a retry (never fails: a deleted job gives
  // an ERROR run, a job over its MaxConcurrentRuns a FAILED one, or a WAITING one when
  // queuing applies; fact sheet 6.5). Returns the new run.
  JobRun& launch_job_run(const std::string& job_name, JobLaunch launch);
  // StopWorkflowRun: WAITING/STARTING/RUNNING -> STOPPING -> STOPPED (no-op otherwise).
  void stop_job_run(JobRun& run);
  nlohmann::json job_run_json(const JobRun& run, bool include_predecessors) const;
  bool job_run_active(const JobRun& run) const { return !is_terminal(run.state); }
  // Removes job runs whose retention has passed (see expire_due_runs).
  void expire_due_job_runs();
  // Queues a finished job run's removal, job_run_retention after it completed (6.12).
  void schedule_job_run_retention(const JobRun& run);
  std::multimap<sim::TimeUs, std::string> job_run_expiries_;  // by expiry, job run id
  // Job-run capacity (jobs.cpp): the runs holding a slot (STARTING, RUNNING or STOPPING
  // after starting), id -> job name, which the account quota concurrent_job_runs counts;
  // how many of them each job name holds, which its MaxConcurrentRuns caps; and the
  // WAITING runs in arrival order (key: next_sequence_ at submission).
  std::map<std::string, std::string> job_capacity_holders_;
  std::map<std::string, std::int64_t> job_capacity_by_name_;
  std::map<std::uint64_t, JobRun*> waiting_job_runs_;

  // --- crawlers.cpp ---------------------------------------------------------------------
 private:
  JsonOutcome create_crawler(const nlohmann::json& request);
  JsonOutcome get_crawler(const nlohmann::json& request);
  JsonOutcome delete_crawler(const nlohmann::json& request);
  JsonOutcome start_crawler(const nlohmann::json& request);
  JsonOutcome stop_crawler(const nlohmann::json& request);

 public:
  JsonOutcome create_crawler_entity(const nlohmann::json& request);
  void erase_crawler(const std::string& name);
  Crawler* find_crawler(const std::string& name);
  // Launches a crawl for a trigger action (a missing or busy crawler gives an ERROR crawl).
  Crawl& launch_crawl(const std::string& crawler_name, WorkflowRun* run, std::uint32_t node,
                      std::optional<std::string> trigger_name);
  // StopWorkflowRun: RUNNING -> CANCELLING -> CANCELLED (no-op otherwise).
  void stop_crawl(Crawl& crawl);
  nlohmann::json crawl_json(const Crawl& crawl) const;

  // --- blueprints.cpp -------------------------------------------------------------------
 private:
  JsonOutcome create_blueprint(const nlohmann::json& request);
  JsonOutcome update_blueprint(const nlohmann::json& request);
  JsonOutcome delete_blueprint(const nlohmann::json& request);
  JsonOutcome get_blueprint(const nlohmann::json& request);
  JsonOutcome list_blueprints(const nlohmann::json& request);
  JsonOutcome batch_get_blueprints(const nlohmann::json& request);
  JsonOutcome start_blueprint_run(const nlohmann::json& request);
  JsonOutcome get_blueprint_run(const nlohmann::json& request);
  JsonOutcome get_blueprint_runs(const nlohmann::json& request);

  // --- tags.cpp -------------------------------------------------------------------------
  JsonOutcome tag_resource(const nlohmann::json& request);
  JsonOutcome untag_resource(const nlohmann::json& request);
  JsonOutcome get_tags(const nlohmann::json& request);

 public:
  // The tag map of the resource the ARN names, or null when there is none.
  TagMap* tags_of_arn(const std::string& arn);
  // Whether `tags` has every key/value of `filter` (ListTriggers, ListBlueprints).
  static bool tags_match(const TagMap& tags, const StringMap& filter);

  // --- state (public to the operation files, which are this class's own code) -------------
  ServiceContext context_;
  ServiceOptions options_;
  sim::IdGenerator ids_;
  sim::Rng behaviour_rng_;  // job and crawl durations and outcomes
  PageTokenCodec page_tokens_;
  std::uint64_t node_id_secret_ = 0;  // keys node UniqueIds to the seed
  std::uint64_t next_sequence_ = 1;

  std::map<std::string, std::unique_ptr<Workflow>, std::less<>> workflows_;
  std::map<std::string, std::unique_ptr<Trigger>, std::less<>> triggers_;
  std::map<std::string, std::unique_ptr<Job>, std::less<>> jobs_;
  std::map<std::string, std::unique_ptr<Crawler>, std::less<>> crawlers_;
  std::map<std::string, std::unique_ptr<Blueprint>, std::less<>> blueprints_;
  std::unordered_map<std::string, std::unique_ptr<JobRun>> job_runs_;  // by id
  std::unordered_map<std::string, std::unique_ptr<Crawl>> crawls_;     // by id
  std::uint64_t violations_ = 0;
  std::string first_violation_;
};

}  // namespace wfsim::models::glue
