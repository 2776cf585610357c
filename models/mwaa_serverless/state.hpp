// The internal data model of the MWAA Serverless service: configuration, workflows and their
// immutable versions, runs and task instances, and the service class that owns them. Only
// the service's own translation units and its tests include this header; the World sees the
// service through models::Service. The fact-sheet rules the model follows and the choices it
// makes where the sheet is silent are listed at the top of service.cpp.
//
// Memory per retained run matters (DESIGN.md budgets: <= 1 KiB per completed run), so a run
// keeps only numbers and small enums per task instance: instance ids, log streams and error
// texts are rendered when a response needs them, and a lifecycle machine is dropped as soon
// as its run or instance is terminal (the cached status stays).
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

#include "models/common/idempotency.hpp"
#include "models/common/pagination.hpp"
#include "models/common/profiles.hpp"
#include "models/common/service.hpp"
#include "models/common/throttle.hpp"
#include "models/mwaa_serverless/definition.hpp"
#include "models/mwaa_serverless/run_index.hpp"
#include "models/mwaa_serverless/run_machine.hpp"
#include "models/mwaa_serverless/service.hpp"
#include "models/mwaa_serverless/task_machine.hpp"
#include "models/mwaa_serverless/trigger_rules.hpp"
#include "sim/ids.hpp"
#include "sim/trace.hpp"

namespace wfsim::models::mwaa {

using TagMap = std::map<std::string, std::string>;

// An instant that has not happened (yet): a run not completed, a task not started.
inline constexpr sim::TimeUs kNever = INT64_MIN;

// Workflow modes of the user guide. The wire strings are unconfirmed (fact sheet 5, 9.1); the
// recognised spellings are in request_rules.cpp and the canonical ones in to_string().
enum class TriggerMode : std::uint8_t { scheduled, manual_only, disabled };
enum class RunType : std::uint8_t { on_demand, scheduled };
// How one task attempt ends, decided by its behaviour profile when it starts running.
enum class AttemptEnd : std::uint8_t { success, failed, timed_out };

std::string_view to_string(TriggerMode mode);
std::string_view to_string(RunType type);

// ---------------------------------------------------------------------------------------
// Configuration (config.services["mwaa-serverless"] and config.profiles["mwaa-serverless"]).

struct Quotas {
  std::uint32_t workflows_per_account = 100;        // fact sheet 12.7
  std::uint32_t versions_per_workflow = 50;         // fact sheet 12.7
  std::uint32_t concurrent_runs_per_workflow = 20;  // fact sheet 12.7
  std::uint32_t concurrent_runs_per_account = 100;  // fact sheet 12.7
};

struct Timings {
  sim::DurationUs queue_delay_us = sim::seconds(1);       // STARTING -> QUEUED
  sim::DurationUs startup_us = sim::seconds(30);          // QUEUED -> RUNNING
  sim::DurationUs task_queue_delay_us = sim::seconds(5);  // task QUEUED -> RUNNING
  sim::DurationUs stop_delay_us = sim::seconds(5);        // STOPPING -> STOPPED
  sim::DurationUs run_timeout_us = sim::hours(24);        // RUNNING -> TIMEOUT; unconfirmed
};

// The most characters an Xcom key or value has in GetTaskInstance (section 7).
inline constexpr std::size_t kMaxXcomText = 255;
// The most characters a run's or task instance's ErrorMessage has (GenericString, section
// 3): longer texts are cut.
inline constexpr std::size_t kMaxErrorMessage = 255;
// The most bytes a task may push as one XCom value (12.6, 12.7: "100 KB"; read as KiB,
// chosen). A successful attempt whose value renders larger fails instead (chosen: the sheet
// gives the limit, not what breaking it does).
inline constexpr std::size_t kMaxXcomValueBytes = 100 * 1024;

// A task behaviour profile: the common BehaviourProfile plus the XCom values a successful
// attempt shows in GetTaskInstance.Xcom (key -> template rendered like a task argument).
struct TaskProfile {
  BehaviourProfile behaviour;
  std::optional<std::vector<std::pair<std::string, std::string>>> xcom;

  TaskProfile overlay(const TaskProfile& over) const;
};

struct WorkflowProfiles {
  std::optional<TaskProfile> task;           // every task of the workflow
  std::map<std::string, TaskProfile> tasks;  // one task, by task id
};

struct ProfileBook {
  TaskProfile task;  // the built-in default overlaid by the configured "task" member
  std::map<std::string, WorkflowProfiles> workflows;  // by workflow name

  TaskProfile resolve(const std::string& workflow_name, const std::string& task_id) const;
};

struct ServiceOptions {
  Quotas quotas;
  Timings timings;
  std::optional<OperationThrottle> throttle;               // none: never throttled
  sim::DurationUs idempotency_window_us = sim::hours(24);  // ClientToken memory; unconfirmed
  ProfileBook profiles;
};

// Parses both configuration members; an error names the member that is wrong.
std::variant<ServiceOptions, std::string> parse_service_options(
    const nlohmann::json& service_config, const nlohmann::json& profiles);

// ---------------------------------------------------------------------------------------
// Workflows and versions.

struct CompiledTask {
  std::vector<std::uint32_t> upstream;    // indices into Version::tasks
  std::vector<std::uint32_t> downstream;  // indices into Version::tasks
  TriggerRule rule = TriggerRule::all_success;
  TaskProfile profile;  // resolved once, when the version is made
};

// The code package of a version (12.1): the S3 object of Create/UpdateWorkflow's `Code`,
// snapshotted with the version. PythonOperator imports its python_callable from it (12.4).
struct CodePackage {
  std::string bucket;
  std::string object_key;
  std::string version_id;      // as requested; empty: the latest object version
  sim::TimeUs snapshotted_us = 0;
  // The simulator's rule for 12.9's "cannot be extracted": an empty object is not a zip
  // archive. Runs of such a version fail before their first task.
  bool extractable = true;
};

struct Version {
  std::string id;              // 32 [0-9a-f]
  std::uint64_t sequence = 0;  // creation order across the service
  sim::TimeUs created_us = 0;
  std::string bucket;
  std::string object_key;
  std::string object_version;  // the S3 object version that was snapshotted
  std::string role_arn;
  std::optional<std::string> description;
  std::string log_group;
  std::optional<nlohmann::json> network;  // NetworkConfiguration as given (validated)
  std::optional<CodePackage> code;        // Code (12.1); none when never given
  // Without a code package: why a BashOperator's script cannot be loaded (workflows.cpp).
  // Runs of the version fail when they render their templates.
  std::optional<std::string> missing_script;
  std::int64_t engine_version = 1;
  TriggerMode mode = TriggerMode::manual_only;
  bool mode_explicit = false;  // given in the request, not derived from the definition
  WorkflowDefinition definition;
  std::vector<CompiledTask> tasks;                               // same order as definition.tasks
  std::map<std::string, std::uint32_t, std::less<>> task_index;  // task id -> index
  std::vector<std::uint32_t> leaves;                             // tasks without downstream
  // Some argument string contains '{'. Text without one renders unchanged, so a run of a
  // version without templates skips rendering altogether.
  bool has_templates = false;
};

// ---------------------------------------------------------------------------------------
// Runs and task instances.

struct Workflow;

struct TaskInstance {
  sim::TimeUs started_us = kNever;  // entered RUNNING
  sim::TimeUs modified_us = 0;      // the last status change; a terminal one is the end
  sim::TimerId timer = 0;                // start, end or retry timer while one is pending
  std::optional<TaskLifecycle> machine;  // dropped once terminal
  std::uint32_t task = 0;                // index into Version::tasks
  TaskStatus status = TaskStatus::NONE;
  // Kept on a task's first instance only: the index of the task's newest instance. It fills
  // what would be padding, so a run needs no separate table of them.
  std::uint32_t newest = 0;
  std::uint8_t attempt = 1;  // 1-based
  bool timed_out = false;    // the attempt ran into execution_timeout
  bool xcom_too_large = false;  // it failed for an XCom value over kMaxXcomValueBytes

  // When the instance reached a terminal status; kNever while it has not.
  sim::TimeUs ended_us() const { return is_terminal(status) ? modified_us : kNever; }
};

struct Run {
  Workflow* workflow = nullptr;
  std::shared_ptr<const Version> version;
  std::string id;  // RunId: 15 alphanumerics
  std::uint64_t sequence = 0;
  std::uint64_t uuid_high = 0;  // the execution id in task instance ids
  std::uint64_t uuid_low = 0;
  sim::TimeUs created_us = 0;  // CreatedAt / StartedOn (the start request or fire time)
  sim::TimeUs modified_us = 0;
  sim::TimeUs completed_us = kNever;
  sim::TimeUs logical_date_us = 0;  // ds/ts for templates
  nlohmann::json overrides;         // OverrideParameters as given; null when absent
  // ErrorMessage; null when there is none, as for most runs, which then keep one pointer
  // instead of an empty string.
  std::unique_ptr<const std::string> error_message;
  std::optional<RunLifecycle> machine;  // dropped once terminal
  sim::TimerId timer = 0;               // queue, start, timeout or stop timer
  // Creation order. Every task gets its first instance when the run starts RUNNING, in task
  // order, so instances[task] is the first attempt of `task`; retries follow.
  std::vector<TaskInstance> instances;
  std::uint32_t finished_tasks = 0;
  RunStatus status = RunStatus::STARTING;
  RunType type = RunType::on_demand;
  bool remove_when_done = false;  // its version was deleted while it was active

  // The index of the newest instance (latest attempt) of `task`.
  std::uint32_t latest(std::uint32_t task) const { return instances[task].newest; }
};

struct Workflow {
  MwaaServerless* service = nullptr;  // the owner, reached from timer callbacks
  std::string arn;
  std::string name;
  std::string resource_name;  // name + "-" + suffix, as in the ARN
  std::uint64_t sequence = 0;
  sim::TimeUs created_us = 0;
  std::optional<nlohmann::json> encryption;  // EncryptionConfiguration as given
  TagMap tags;
  std::vector<std::shared_ptr<const Version>> versions;  // oldest first; back() is latest
  bool deleting = false;
  sim::TimerId schedule_timer = 0;
  std::string scheduled_version;  // the version whose schedule is armed; empty when none
  sim::TimerId cleanup_timer = 0;
  std::uint32_t active_runs = 0;
  std::map<std::uint64_t, Run> runs;  // by run sequence (creation order)
  RunIndex runs_by_id;                // lookup only, never iterated

  std::shared_ptr<const Version> find_version(std::string_view id) const;
};

// ---------------------------------------------------------------------------------------
// Responses.

// Appends a member to a response object that is built in key order: keys must come in
// increasing order, so each lands at the end with one comparison. An initializer list would
// build and check a [key, value] array per member first, and operator[] would search the map
// for each. StartWorkflowRun and GetWorkflowRun, the calls clients repeat, are built so.
// The value is built in place, from whatever a json can be made of.
template <class Value>
void append_in_key_order(nlohmann::json::object_t& object, const char* key, Value&& value) {
  object.emplace_hint(object.end(), key, std::forward<Value>(value));
}

// ---------------------------------------------------------------------------------------
// The service.

struct VersionRequest;  // the members that make one version (workflows.cpp)

class MwaaServerless final : public Service {
 public:
  MwaaServerless(ServiceContext context, ServiceOptions options);
  ~MwaaServerless() override;

  std::string_view name() const override;
  std::vector<std::string> operations() const override;
  JsonOutcome call(std::string_view operation, const nlohmann::json& request) override;
  JsonOutcome observe(std::string_view operation, const nlohmann::json& request) override;
  AwsError fault_error(const sim::FaultDecision& decision) const override;
  AwsError access_denied(std::string_view operation, const std::string& principal) const override;
  std::vector<InvariantViolation> check_invariants() const override;
  std::vector<std::pair<std::string, std::string>> invariant_catalogue() const override;

 private:
  using Handler = JsonOutcome (MwaaServerless::*)(const nlohmann::json&);
  static const std::unordered_map<std::string_view, Handler>& handlers();
  JsonOutcome answer(std::string_view operation, const nlohmann::json& request, bool rate_limited);
  JsonOutcome dispatch(std::string_view operation, const nlohmann::json& request,
                       bool rate_limited);

  // Operations (workflows.cpp, tags.cpp, runs.cpp, tasks.cpp).
  JsonOutcome create_workflow(const nlohmann::json& request);
  JsonOutcome get_workflow(const nlohmann::json& request);
  JsonOutcome update_workflow(const nlohmann::json& request);
  JsonOutcome delete_workflow(const nlohmann::json& request);
  JsonOutcome list_workflows(const nlohmann::json& request);
  JsonOutcome list_workflow_versions(const nlohmann::json& request);
  JsonOutcome start_workflow_run(const nlohmann::json& request);
  JsonOutcome get_workflow_run(const nlohmann::json& request);
  JsonOutcome stop_workflow_run(const nlohmann::json& request);
  JsonOutcome list_workflow_runs(const nlohmann::json& request);
  JsonOutcome get_task_instance(const nlohmann::json& request);
  JsonOutcome list_task_instances(const nlohmann::json& request);
  JsonOutcome tag_resource(const nlohmann::json& request);
  JsonOutcome untag_resource(const nlohmann::json& request);
  JsonOutcome list_tags_for_resource(const nlohmann::json& request);

  // Workflows and versions (workflows.cpp).
  Outcome<std::shared_ptr<Version>> build_version(const VersionRequest& request,
                                                  const std::string& workflow_name);
  Workflow& add_workflow(const std::string& name, const std::optional<nlohmann::json>& encryption,
                         TagMap tags, std::shared_ptr<Version> version);
  std::string new_version_id(const Workflow* workflow);
  // A ClientToken seen before: the first response again, or a ConflictException.
  std::optional<JsonOutcome> idempotent_answer(const std::string& key, std::uint64_t fingerprint,
                                               std::string_view resource_type,
                                               const std::string& resource_id,
                                               const std::string& token);
  Workflow* find_workflow(const std::string& arn) const;
  void delete_whole_workflow(Workflow& workflow);
  void delete_one_version(Workflow& workflow, const std::string& version_id);
  void remove_workflow(Workflow& workflow);
  void request_cleanup(Workflow& workflow);
  void clean_up(Workflow& workflow);

  // Schedules (schedules.cpp).
  void arm_schedule(Workflow& workflow);
  void disarm_schedule(Workflow& workflow);
  std::optional<sim::TimeUs> next_fire_time(const Version& version, sim::TimeUs after_us) const;
  void on_schedule_fire(Workflow& workflow, sim::TimeUs fire_us);

  // Runs (runs.cpp).
  std::optional<AwsError> check_run_quota(const Workflow& workflow) const;
  Run& create_run(Workflow& workflow, std::shared_ptr<const Version> version, RunType type,
                  nlohmann::json overrides, sim::TimeUs logical_date_us);
  void on_run_queued(Run& run);
  void on_run_startup(Run& run);
  void begin_tasks(Run& run);
  void on_run_timeout(Run& run);
  void stop_run(Run& run);
  void on_stop_completed(Run& run);
  void finish_run(Run& run, RunEvent event, std::string error_message);
  void complete_run(Run& run);
  void cancel_active_work(Run& run);
  bool fire(Run& run, RunEvent event);
  TemplateContext template_context(const Run& run, const std::string& task_id) const;

  // Tasks (tasks.cpp).
  void create_instance(Run& run, std::uint32_t task, std::uint8_t attempt);
  void evaluate_downstream(Run& run, std::uint32_t finished_task);
  TriggerDecision decide(const Run& run, std::uint32_t task) const;
  void schedule_instance(Run& run, std::uint32_t index);
  void on_task_start(Run& run, std::uint32_t index);
  void on_task_end(Run& run, std::uint32_t index, AttemptEnd end);
  void on_retry_due(Run& run, std::uint32_t previous_index);
  void task_finished(Run& run, std::uint32_t task);
  bool fire(Run& run, std::uint32_t index, TaskEvent event);
  nlohmann::json task_instance_detail(const Run& run, const TaskInstance& instance) const;
  // The first XCom value of the instance's task that renders past kMaxXcomValueBytes, as
  // (key, bytes); nullopt when every one fits or the task pushes none.
  std::optional<std::pair<std::string, std::size_t>> oversized_xcom(
      const Run& run, const TaskInstance& instance) const;

  // Shapes and helpers (shapes.cpp).
  std::string task_instance_id(const Run& run, const TaskInstance& instance) const;
  const TaskInstance* find_instance(const Run& run, std::string_view id) const;
  nlohmann::json workflow_summary(const Workflow& workflow) const;
  nlohmann::json workflow_detail(const Workflow& workflow, const Version& version) const;
  // The position a NextToken carries for `scope`: nullopt without a token, an error for a
  // token that is forged, edited or from another list.
  std::optional<AwsError> read_position(const std::optional<std::string>& token,
                                        const std::string& scope,
                                        std::optional<std::uint64_t>* position) const;
  std::string next_token(const std::string& scope, std::uint64_t position) const;
  nlohmann::json version_summary(const Workflow& workflow, const Version& version) const;
  nlohmann::json run_summary(const Run& run) const;
  nlohmann::json run_detail(const Run& run) const;
  nlohmann::json task_instance_summary(const Run& run, const TaskInstance& instance) const;
  std::string task_error_message(const Run& run, const TaskInstance& instance) const;

  // Trace (service.cpp). Every status change calls these and the trace is often off (long
  // property runs, benchmarks), so that check is made here, inline.
  void trace_run(const Run& run, std::optional<RunStatus> from) {
    if (context_.trace.enabled()) record_run_transition(run, from);
  }
  void trace_task(const Run& run, const TaskInstance& instance, std::optional<TaskStatus> from) {
    if (context_.trace.enabled()) record_task_transition(run, instance, from);
  }
  void record_run_transition(const Run& run, std::optional<RunStatus> from);
  void record_task_transition(const Run& run, const TaskInstance& instance,
                              std::optional<TaskStatus> from);
  void record_violation(std::string_view machine, const Run& run, std::string_view event,
                        std::string_view status);

  // Invariants (invariants.cpp).
  void check_workflow(const Workflow& workflow, std::vector<InvariantViolation>& out) const;
  void check_run(const Run& run, std::vector<InvariantViolation>& out) const;
  void check_run_tasks(const Run& run, std::vector<InvariantViolation>& out) const;

  ServiceContext context_;
  ServiceOptions options_;
  sim::IdGenerator ids_;    // ARN suffixes, version ids, run ids, revision ids
  sim::Rng execution_ids_;  // the execution uuid inside task instance ids
  sim::Rng behaviour_rng_;  // task durations and outcomes
  PageTokenCodec page_tokens_;
  IdempotencyStore idempotency_;
  std::map<std::uint64_t, std::unique_ptr<Workflow>> workflows_;  // by creation sequence
  std::unordered_map<std::string, Workflow*> workflows_by_arn_;   // lookup only
  std::unordered_map<std::string, Workflow*> workflows_by_name_;  // lookup only
  std::uint64_t next_sequence_ = 1;              // workflows, versions and runs share one counter
  std::uint32_t active_runs_ = 0;                // non-terminal runs in the account
  std::uint64_t violations_ = 0;                 // illegal machine events seen
  std::string first_violation_;                  // what the first one was, for check_invariants
  std::vector<std::uint32_t> finished_scratch_;  // task_finished's work list, kept allocated
};

}  // namespace wfsim::models::mwaa
