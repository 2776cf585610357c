/* Glue jobs and job runs: CreateJob, GetJob, DeleteJob, StartJobRun, GetJobRun, GetJobRuns,
   BatchStopJobRun, and the job runs that triggers, workflow runs and retries launch.

   Fact-sheet rules followed: 4 (Job, JobCommand, JobRun shapes), 5 and 5.1 (job operations,
   their members and errors), 6.5 (the JobRunState graph, FAILED over the job's
   MaxConcurrentRuns at trigger or workflow start, ERROR for a deleted job, TIMEOUT with the
   precedence launch -> job -> default, WAITING when queuing is enabled with the run's value
   winning, the JobRun members a simulator fills), 6.6 (StartJobRun over MaxConcurrentRuns
   -> ConcurrentRunsExceededException), 6.12 (jr_ + 64 hex ids, 365-day job-run history),
   7, 8 (Timeout 1..<10,080, default 2,880 or 480 from Glue 5.0; concurrent job runs quota),
   9.20 (--WORKFLOW_NAME / --WORKFLOW_RUN_ID arguments), 9.22 (a retry is a new run with
   Attempt + 1 and PreviousRunId, appended to the same node's JobRuns), 9.23 (a WAITING run
   EXPIRES when its Timeout elapses before it starts), 9.25 (BatchStopJobRun error codes).

   Chosen where the sheet is silent:
   - CreateJob on an existing name is AlreadyExistsException even when the request is
     identical: CreateJob carries no client token, so a retried create cannot be told from a
     duplicate one. IdempotentParameterMismatchException is therefore never answered.
   - ExecutionProperty.MaxConcurrentRuns, NumberOfWorkers and NotifyDelayAfter must be >= 1,
     MaxRetries >= 0, MaxCapacity a number > 0. MaxCapacity excludes WorkerType and
     NumberOfWorkers, and those two come together (both as AWS documents for CreateJob).
   - Command.Name defaults to glueetl; a job without capacity members gets MaxCapacity 10
     (0.0625 for pythonshell), the AWS defaults. GlueVersion defaults to 0.9.
   - A run holds a capacity slot from STARTING until it is terminal (STOPPING included); a
     WAITING run holds none. The job's MaxConcurrentRuns counts the slots held by runs of
     that job name (a job deleted and created again shares them); the account quota
     concurrent_job_runs counts all slots. Queued runs start in arrival order when a slot
     frees; a WAITING run whose job was deleted stays WAITING until it EXPIRES.
   - A run that cannot start (deleted job: ERROR; over a limit without queuing: FAILED) is
     recorded STARTING and ends at once, without ever holding a slot. It is not retried: only
     an attempt that ran is (rule 9.22 speaks of failures of the job), since a retry at the
     same instant would meet the same full slots.
   - A stopped WAITING run goes STOPPING -> STOPPED at once: it holds nothing to release.
   - The end callbacks are called for every attempt that ends, after the retry that follows
     it, if any, has been launched, and after queued runs have been started:
     on_run_action_ended at once (the engine guards against re-entry while it launches), and
     on_standalone_action_ended in a zero-delay event, since trigger evaluation outside
     workflows may launch the same job again from inside the launch that is ending.
   - StartJobRun.JobRunId names an earlier run of the same job (else EntityNotFoundException);
     the new run has PreviousRunId = it and Attempt = its Attempt + 1.
   - GetJobRuns pages newest first, 100 per page by default; the token holds the id of the
     last run returned. BatchStopJobRun on a STOPPING run is a successful submission.
   - ErrorMessage is set on every non-success end (FAILED, TIMEOUT, ERROR, STOPPED, EXPIRED);
     StateDetail only while WAITING. DPUSeconds is not reported.
   - Job runs outside workflow runs are removed job_run_retention after CompletedOn; runs a
     workflow run launched stay as long as the workflow run points at them.
*/
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <string>

#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxTimeoutMinutes = 10079;  // Timeout must be < 10,080 (fact sheet 8)
constexpr std::size_t kDefaultPageSize = 100;
constexpr std::string_view kMachine = "job_run";

const std::initializer_list<std::string_view> kWorkerTypes = {"Standard", "G.1X", "G.2X", "G.025X",
                                                              "G.4X",     "G.8X", "Z.2X"};
const std::initializer_list<std::string_view> kExecutionClasses = {"FLEX", "STANDARD"};

bool present(const json& request, const char* name) {
  const auto found = request.find(name);
  return found != request.end() && !found->is_null();
}

// MaxCapacity (a double, which the validator has no getter for) and the WorkerType /
// NumberOfWorkers pair, which exclude each other.
void read_capacity(RequestValidator& validator, const json& request, std::optional<double>* max,
                   std::optional<std::string>* worker_type, std::optional<std::int64_t>* workers) {
  if (present(request, "MaxCapacity")) {
    const json& value = request["MaxCapacity"];
    if (!value.is_number()) {
      validator.fail(validator.path_of("MaxCapacity"), "Member must be a number",
                     show_value(value));
    } else if (value.get<double>() <= 0) {
      validator.fail(validator.path_of("MaxCapacity"), "Member must have value greater than 0",
                     show_value(value));
    } else {
      *max = value.get<double>();
    }
  }
  *worker_type = validator.enumeration("WorkerType", kWorkerTypes);
  *workers = validator.integer("NumberOfWorkers", IntegerRule{1, INT64_MAX});
  const bool has_type = present(request, "WorkerType");
  const bool has_workers = present(request, "NumberOfWorkers");
  if (present(request, "MaxCapacity") && (has_type || has_workers)) {
    validator.fail(validator.path_of("MaxCapacity"),
                   "Do not set MaxCapacity when WorkerType and NumberOfWorkers are set",
                   show_value(request["MaxCapacity"]));
  }
  if (has_type != has_workers) {
    validator.fail(validator.path_of(has_type ? "NumberOfWorkers" : "WorkerType"),
                   "WorkerType and NumberOfWorkers must be set together");
  }
}

std::optional<std::int64_t> read_notify_delay(RequestValidator& validator) {
  auto notification = validator.nested("NotificationProperty");
  if (!notification) return std::nullopt;
  return notification->integer("NotifyDelayAfter", IntegerRule{1, INT64_MAX});
}

// Command*: the command name, glueetl when absent.
std::string read_command(RequestValidator& validator) {
  auto command = validator.nested("Command", true);
  if (!command) return "glueetl";
  auto name = command->enumeration("Name", {"glueetl", "pythonshell", "gluestreaming", "glueray"});
  command->string("ScriptLocation", StringRule{0, 400000, {}, true});
  command->string("PythonVersion", StringRule{0, SIZE_MAX, "^([2-3]|3[.]9)$"});
  command->string("Runtime", StringRule{0, 64, ".*", true});
  return name.value_or("glueetl");
}

// The job members a simulator only stores and echoes, checked for their types.
void read_echoed_job_members(RequestValidator& validator) {
  validator.object("Connections");
  validator.object("CodeGenConfigurationNodes");
  validator.object("SourceControlDetails");
  read_notify_delay(validator);
  name_member(validator, "SecurityConfiguration", false);
  validator.string("LogUri", StringRule{});
  validator.string("MaintenanceWindow",
                   StringRule{0, SIZE_MAX, "^(Sun|Mon|Tue|Wed|Thu|Fri|Sat):([01]?[0-9]|2[0-3])$"});
  name_member(validator, "ProfileName", false);
  validator.integer("AllocatedCapacity", IntegerRule{0, INT64_MAX});
}

// 2,880 minutes up to Glue 4.0, 480 from 5.0 (fact sheet 8).
std::int64_t default_timeout_minutes(const std::string& glue_version) {
  std::int64_t major = 0;
  for (const char c : glue_version) {
    if (c < '0' || c > '9' || major > 1000) break;
    major = major * 10 + (c - '0');
  }
  return major >= 5 ? 480 : 2880;
}

// Validates a CreateJob request into `job` (a fresh one: on error it is dropped).
std::optional<AwsError> read_job(const json& request, Job& job, TagMap& tags) {
  RequestValidator validator(request);
  auto name = name_member(validator, "Name", true);
  validator.string("Role", StringRule{}, true);
  text_member(validator, "Description", 0, 2048, false, true);
  const std::string command = read_command(validator);
  std::optional<std::int64_t> max_concurrent;
  if (auto execution = validator.nested("ExecutionProperty")) {
    max_concurrent = execution->integer("MaxConcurrentRuns", IntegerRule{1, INT64_MAX});
  }
  auto default_arguments = string_map_member(validator, "DefaultArguments");
  auto fixed_arguments = string_map_member(validator, "NonOverridableArguments");
  auto retries = validator.integer("MaxRetries", IntegerRule{0, INT64_MAX});
  auto timeout = validator.integer("Timeout", IntegerRule{1, kMaxTimeoutMinutes});
  std::optional<double> max_capacity;
  std::optional<std::string> worker_type;
  std::optional<std::int64_t> workers;
  read_capacity(validator, request, &max_capacity, &worker_type, &workers);
  auto tag_map = tags_member(validator, "Tags");
  auto version = validator.string("GlueVersion", StringRule{1, 255, kGlueVersionPattern, true});
  auto queuing = validator.boolean("JobRunQueuingEnabled");
  validator.enumeration("JobMode", {"SCRIPT", "VISUAL", "NOTEBOOK"});
  validator.enumeration("ExecutionClass", kExecutionClasses);
  read_echoed_job_members(validator);
  if (!validator.ok()) return invalid_input(validator);

  job.name = *name;
  job.command_name = command;
  job.max_concurrent_runs = max_concurrent.value_or(1);
  job.default_arguments = default_arguments.value_or(StringMap{});
  job.non_overridable_arguments = fixed_arguments.value_or(StringMap{});
  job.max_retries = retries.value_or(0);
  job.glue_version = version.value_or("0.9");
  job.timeout_minutes = timeout.value_or(default_timeout_minutes(job.glue_version));
  job.job_run_queuing_enabled = queuing.value_or(false);
  tags = tag_map.value_or(TagMap{});
  for (const auto& [key, value] : request.items()) {
    if (key != "Name" && key != "Tags" && !value.is_null()) job.definition[key] = value;
  }
  return std::nullopt;
}

// The job's capacity members: as configured, else the AWS default for its command.
json job_capacity(const Job& job) {
  const json& definition = job.definition;
  if (definition.contains("WorkerType")) {
    return {{"WorkerType", definition["WorkerType"]},
            {"NumberOfWorkers", definition["NumberOfWorkers"]}};
  }
  if (definition.contains("MaxCapacity")) return {{"MaxCapacity", definition["MaxCapacity"]}};
  return {{"MaxCapacity", job.command_name == "pythonshell" ? 0.0625 : 10.0}};
}

json job_json(const Glue& glue, const Job& job) {
  json out = job.definition;
  out["Name"] = job.name;
  out["CreatedOn"] = glue.timestamp(job.created_us);
  out["LastModifiedOn"] = glue.timestamp(job.modified_us);
  out["ExecutionProperty"]["MaxConcurrentRuns"] = job.max_concurrent_runs;
  out["Command"]["Name"] = job.command_name;
  out["MaxRetries"] = job.max_retries;
  out["Timeout"] = job.timeout_minutes;
  out["GlueVersion"] = job.glue_version;
  out["JobRunQueuingEnabled"] = job.job_run_queuing_enabled;
  if (!out.contains("JobMode")) out["JobMode"] = "SCRIPT";
  out.update(job_capacity(job));
  return out;
}

std::optional<std::string> definition_text(const Job* job, const char* name) {
  if (job == nullptr || !job->definition.contains(name)) return std::nullopt;
  return job->definition[name].get<std::string>();
}

// The run's arguments: DefaultArguments, overlaid by the launch's except the job's
// NonOverridableArguments keys, then those, then the workflow keys (rule 9.20).
StringMap run_arguments(const Job* job, const JobLaunch& launch) {
  StringMap arguments;
  if (job != nullptr) arguments = job->default_arguments;
  for (const auto& [key, value] : launch.arguments.value_or(StringMap{})) {
    if (job == nullptr || job->non_overridable_arguments.count(key) == 0) arguments[key] = value;
  }
  if (job != nullptr) {
    for (const auto& [key, value] : job->non_overridable_arguments) arguments[key] = value;
  }
  if (launch.workflow_run != nullptr) {
    if (launch.workflow_run->workflow != nullptr) {
      arguments["--WORKFLOW_NAME"] = launch.workflow_run->workflow->name;
    }
    arguments["--WORKFLOW_RUN_ID"] = launch.workflow_run->id;
  }
  return arguments;
}

json run_capacity(const Job* job, const JobLaunch& launch) {
  if (launch.max_capacity) return {{"MaxCapacity", *launch.max_capacity}};
  if (launch.worker_type && launch.number_of_workers) {
    return {{"WorkerType", *launch.worker_type}, {"NumberOfWorkers", *launch.number_of_workers}};
  }
  if (job != nullptr) return job_capacity(*job);
  return {{"MaxCapacity", 10.0}};
}

// Fills a new run from its job (null when deleted) and launch, and registers it.
JobRun& new_job_run(Glue& glue, const std::string& job_name, Job* job, const JobLaunch& launch) {
  auto owned = std::make_unique<JobRun>();
  JobRun& run = *owned;
  run.id = glue.new_id("jr_");
  run.job_name = job_name;
  run.attempt = launch.attempt;
  run.previous_run_id = launch.previous_run_id;
  run.trigger_name = launch.trigger_name;
  run.predecessors = launch.predecessors;
  run.started_us = run.modified_us = glue.now();
  run.arguments = run_arguments(job, launch);
  run.timeout_minutes = launch.timeout_minutes.value_or(job ? job->timeout_minutes : 2880);
  run.capacity = run_capacity(job, launch);
  run.security_configuration = launch.security_configuration
                                   ? launch.security_configuration
                                   : definition_text(job, "SecurityConfiguration");
  run.notify_delay_after = launch.notify_delay_after;
  if (!run.notify_delay_after && job != nullptr &&
      job->definition.contains("NotificationProperty") &&
      job->definition["NotificationProperty"].contains("NotifyDelayAfter")) {
    run.notify_delay_after =
        job->definition["NotificationProperty"]["NotifyDelayAfter"].get<std::int64_t>();
  }
  run.execution_class =
      launch.execution_class ? launch.execution_class : definition_text(job, "ExecutionClass");
  if (!run.execution_class) run.execution_class = "STANDARD";  // Glue's default (service.cpp)
  run.glue_version = job != nullptr ? job->glue_version : "";
  const bool python = job != nullptr && job->command_name == "pythonshell";
  run.log_group = python ? "/aws-glue/python-jobs" : "/aws-glue/jobs";
  run.queuing_enabled = launch.queuing_enabled.value_or(job && job->job_run_queuing_enabled);
  run.workflow_run = launch.workflow_run;
  run.node = launch.node;
  run.detached = launch.detached;
  glue.job_runs_.emplace(run.id, std::move(owned));
  if (job != nullptr) job->runs.push_back(&run);
  if (run.workflow_run != nullptr && run.node < run.workflow_run->nodes.size()) {
    run.workflow_run->nodes[run.node].job_runs.push_back(&run);
  }
  return run;
}

// Why a new run of `job` cannot take a slot now, or nullopt when it can.
struct CapacityLimit {
  bool account = false;  // the account quota, else the job's MaxConcurrentRuns
  std::string reason;
};

std::optional<CapacityLimit> capacity_limit(const Glue& glue, const Job& job) {
  const auto used = glue.job_capacity_by_name_.find(job.name);
  const std::int64_t job_used = used == glue.job_capacity_by_name_.end() ? 0 : used->second;
  if (job_used >= job.max_concurrent_runs) {
    return CapacityLimit{false, "Concurrent runs exceeded for job: " + job.name +
                                    " (ExecutionProperty.MaxConcurrentRuns " +
                                    std::to_string(job.max_concurrent_runs) + ")"};
  }
  const auto quota = glue.options_.quotas.concurrent_job_runs;
  if (glue.job_capacity_holders_.size() >= quota) {
    return CapacityLimit{
        true, "Concurrent job runs quota of the account reached (" + std::to_string(quota) + ")"};
  }
  return std::nullopt;
}

void occupy(Glue& glue, const JobRun& run) {
  if (glue.job_capacity_holders_.emplace(run.id, run.job_name).second) {
    ++glue.job_capacity_by_name_[run.job_name];
  }
}

void release(Glue& glue, const JobRun& run) {
  const auto holder = glue.job_capacity_holders_.find(run.id);
  if (holder == glue.job_capacity_holders_.end()) return;
  const auto used = glue.job_capacity_by_name_.find(holder->second);
  if (used != glue.job_capacity_by_name_.end() && --used->second <= 0) {
    glue.job_capacity_by_name_.erase(used);
  }
  glue.job_capacity_holders_.erase(holder);
}

void unqueue(Glue& glue, const JobRun& run) {
  auto& waiting = glue.waiting_job_runs_;
  const auto found = std::find_if(waiting.begin(), waiting.end(),
                                  [&](const auto& entry) { return entry.second == &run; });
  if (found != waiting.end()) waiting.erase(found);
}

void job_run_ended(Glue& glue, JobRun& run);

// Fires `event` on the run's machine; a rejected event is a recorded violation.
bool apply(Glue& glue, JobRun& run, JobRunEvent event) {
  if (!run.machine || !run.machine->fire(event)) {
    glue.record_violation(kMachine, run.id, to_string(event), to_string(run.state));
    return false;
  }
  const JobRunState from = run.state;
  run.state = run.machine->state();
  run.modified_us = glue.now();
  glue.trace_transition(kMachine, run.id, to_string(from), to_string(run.state));
  if (is_terminal(run.state)) job_run_ended(glue, run);
  return true;
}

void time_out(Glue& glue, JobRun& run) {
  run.timer = 0;
  const std::string minutes = std::to_string(run.timeout_minutes);
  if (run.state == JobRunState::WAITING) {
    unqueue(glue, run);
    run.error_message = "Job run expired: it waited longer than its Timeout of " + minutes +
                        " minutes without starting";
  } else {
    run.error_message = "Job run timed out after its Timeout of " + minutes + " minutes";
  }
  apply(glue, run, JobRunEvent::timeout_elapsed);
}

void finish_script(Glue& glue, JobRun& run) {
  run.timer = 0;
  if (run.planned_outcome == "FAILED") {
    run.error_message = "The job script failed (simulated failure of attempt " +
                        std::to_string(run.attempt + 1) + ")";
    apply(glue, run, JobRunEvent::script_failed);
    return;
  }
  apply(glue, run, JobRunEvent::script_succeeded);
}

// STARTING -> RUNNING: the profile decides how the attempt ends and when.
void begin_running(Glue& glue, JobRun& run) {
  run.timer = 0;
  if (!apply(glue, run, JobRunEvent::resources_allocated)) return;
  run.running_since_us = glue.now();
  const BehaviourProfile profile = glue.options_.profiles.for_job(run.job_name);
  // Scripted outcomes count the runs of the job that started running, in order, retries
  // and resumed runs included, so ["FAILED", "SUCCEEDED"] fails the first run only.
  Job* job = glue.find_job(run.job_name);
  const std::int64_t started = job != nullptr ? ++job->runs_started : run.attempt + 1;
  run.planned_outcome = profile.outcome_for_attempt(static_cast<int>(started), glue.behaviour_rng_);
  const sim::DurationUs duration_us = profile.draw_duration(glue.behaviour_rng_, sim::minutes(1));
  const sim::DurationUs timeout_us = sim::minutes(run.timeout_minutes);
  auto& scheduler = glue.context_.scheduler;
  if (run.planned_outcome == "TIMEOUT" || duration_us >= timeout_us) {
    run.timer = scheduler.schedule_after(timeout_us, [g = &glue, r = &run] { time_out(*g, *r); });
  } else {
    run.timer =
        scheduler.schedule_after(duration_us, [g = &glue, r = &run] { finish_script(*g, *r); });
  }
}

// The run takes a slot and starts its resources (STARTING).
void admit(Glue& glue, JobRun& run) {
  occupy(glue, run);
  run.timer = glue.context_.scheduler.schedule_after(
      glue.options_.timings.job_startup_us, [g = &glue, r = &run] { begin_running(*g, *r); });
}

// Starts queued runs, in arrival order, while their job and the account have slots.
void start_waiting_runs(Glue& glue) {
  auto& waiting = glue.waiting_job_runs_;
  for (auto entry = waiting.begin(); entry != waiting.end();) {
    JobRun& run = *entry->second;
    const Job* job = glue.find_job(run.job_name);
    if (job == nullptr || capacity_limit(glue, *job)) {
      ++entry;
      continue;
    }
    entry = waiting.erase(entry);
    glue.context_.scheduler.cancel(run.timer);
    run.timer = 0;
    run.state_detail.reset();
    if (apply(glue, run, JobRunEvent::capacity_available)) admit(glue, run);
  }
}

JobLaunch retry_launch(const JobRun& run) {
  JobLaunch launch;
  launch.trigger_name = run.trigger_name;
  launch.arguments = run.arguments;
  launch.timeout_minutes = run.timeout_minutes;
  launch.security_configuration = run.security_configuration;
  launch.notify_delay_after = run.notify_delay_after;
  if (run.capacity.contains("MaxCapacity")) {
    launch.max_capacity = run.capacity["MaxCapacity"].get<double>();
  }
  if (run.capacity.contains("WorkerType")) {
    launch.worker_type = run.capacity["WorkerType"].get<std::string>();
    launch.number_of_workers = run.capacity["NumberOfWorkers"].get<std::int64_t>();
  }
  launch.execution_class = run.execution_class;
  launch.queuing_enabled = run.queuing_enabled;
  launch.previous_run_id = run.id;
  launch.attempt = run.attempt + 1;
  launch.predecessors = run.predecessors;
  launch.workflow_run = run.workflow_run;
  launch.node = run.node;
  launch.detached = run.detached;
  return launch;
}

// A terminal state: free the slot, retry on failure (rule 9.22), start queued runs, then
// tell whoever launched the run.
void job_run_ended(Glue& glue, JobRun& run) {
  release(glue, run);
  glue.context_.scheduler.cancel(run.timer);
  run.timer = 0;
  run.completed_us = glue.now();
  run.machine.reset();
  run.state_detail.reset();
  if (run.state == JobRunState::STOPPED && !run.error_message) {
    run.error_message = "Job run was stopped";
  }
  const Job* job = glue.find_job(run.job_name);
  const bool ran = run.running_since_us != kNever;
  if (ran && is_retryable(run.state) && job != nullptr && run.attempt < job->max_retries) {
    glue.launch_job_run(run.job_name, retry_launch(run));
  }
  start_waiting_runs(glue);
  if (run.workflow_run != nullptr) {
    glue.on_run_action_ended(*run.workflow_run);
    return;
  }
  // Outside workflows the trigger evaluation may launch this very job again, so it runs
  // in its own event at this instant rather than inside the launch that is ending.
  run.timer = glue.context_.scheduler.schedule_after(0, [g = &glue, r = &run] {
    r->timer = 0;
    if (r->trigger_name && !r->detached) g->on_standalone_action_ended();
    g->schedule_job_run_retention(*r);
  });
}

// A run that cannot start: recorded STARTING, it ends by `event` at once, never having
// held a slot.
void fail_at_launch(Glue& glue, JobRun& run, JobRunEvent event, std::string message) {
  run.machine.emplace();
  run.state = run.machine->state();
  glue.trace_transition(kMachine, run.id, std::nullopt, to_string(run.state));
  run.error_message = std::move(message);
  apply(glue, run, event);
}

void enqueue(Glue& glue, JobRun& run, const CapacityLimit& limit) {
  run.machine = JobRunLifecycle::queued();
  run.state = run.machine->state();
  glue.trace_transition(kMachine, run.id, std::nullopt, to_string(run.state));
  run.state_detail = "Waiting for capacity: " + limit.reason;
  glue.waiting_job_runs_.emplace(glue.next_sequence_++, &run);
  run.timer = glue.context_.scheduler.schedule_after(sim::minutes(run.timeout_minutes),
                                                     [g = &glue, r = &run] { time_out(*g, *r); });
}

// StartJobRun's members other than JobName and JobRunId.
JobLaunch read_launch(RequestValidator& validator, const json& request) {
  JobLaunch launch;
  launch.queuing_enabled = validator.boolean("JobRunQueuingEnabled");
  launch.arguments = string_map_member(validator, "Arguments");
  validator.integer("AllocatedCapacity", IntegerRule{0, INT64_MAX});
  launch.timeout_minutes = validator.integer("Timeout", IntegerRule{1, kMaxTimeoutMinutes});
  read_capacity(validator, request, &launch.max_capacity, &launch.worker_type,
                &launch.number_of_workers);
  launch.security_configuration = name_member(validator, "SecurityConfiguration", false);
  launch.notify_delay_after = read_notify_delay(validator);
  launch.execution_class = validator.enumeration("ExecutionClass", kExecutionClasses);
  validator.string("ExecutionRoleSessionPolicy", StringRule{2, 2048, {}, true});
  return launch;
}

// Whole DPUs as an integer member; capacities past int64's range (MaxCapacity 1e300, or
// NumberOfWorkers near INT64_MAX) report the largest, as a cast would be undefined.
std::int64_t whole_dpus(double dpus) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (!(dpus < kTwoTo63)) return std::numeric_limits<std::int64_t>::max();
  return dpus <= 0 ? 0 : static_cast<std::int64_t>(std::floor(dpus));
}

// Deprecated, but still reported: the whole DPUs the run's capacity amounts to.
std::int64_t allocated_capacity(const json& capacity) {
  if (capacity.contains("MaxCapacity")) return whole_dpus(capacity["MaxCapacity"].get<double>());
  static const std::map<std::string, double> dpus_per_worker = {
      {"Standard", 1}, {"G.1X", 1}, {"G.2X", 2}, {"G.025X", 0.25},
      {"G.4X", 4},     {"G.8X", 8}, {"Z.2X", 2}};
  const auto found = dpus_per_worker.find(capacity.value("WorkerType", ""));
  if (found == dpus_per_worker.end()) return 0;
  return whole_dpus(found->second *
                    static_cast<double>(capacity.value("NumberOfWorkers", std::int64_t{0})));
}

bool is_success(JobRunState state) { return state == JobRunState::SUCCEEDED; }

}  // namespace

// --- operations ------------------------------------------------------------------------

JsonOutcome Glue::create_job(const json& request) { return create_job_entity(request); }

JsonOutcome Glue::create_job_entity(const json& request) {
  auto job = std::make_unique<Job>();
  TagMap tags;
  if (auto error = read_job(request, *job, tags)) return *error;
  if (jobs_.count(job->name) != 0) {
    return already_exists("Job " + job->name + " already exists.");
  }
  if (jobs_.size() >= options_.quotas.jobs) {
    return resource_number_limit("Number of jobs exceeds the account quota of " +
                                 std::to_string(options_.quotas.jobs));
  }
  job->tags = std::move(tags);
  job->created_us = job->modified_us = now();
  const std::string name = job->name;
  jobs_.emplace(name, std::move(job));
  return json{{"Name", name}};
}

JsonOutcome Glue::get_job(const json& request) {
  RequestValidator validator(request);
  auto name = name_member(validator, "JobName", true);
  if (!validator.ok()) return invalid_input(validator);
  const Job* job = find_job(*name);
  if (job == nullptr) return entity_not_found("Job " + *name + " not found.");
  return json{{"Job", job_json(*this, *job)}};
}

JsonOutcome Glue::delete_job(const json& request) {
  RequestValidator validator(request);
  auto name = name_member(validator, "JobName", true);
  if (!validator.ok()) return invalid_input(validator);
  erase_job(*name);
  return json{{"JobName", *name}};
}

JsonOutcome Glue::start_job_run(const json& request) {
  RequestValidator validator(request);
  auto job_name = name_member(validator, "JobName", true);
  auto previous_id = name_member(validator, "JobRunId", false);
  JobLaunch launch = read_launch(validator, request);
  if (!validator.ok()) return invalid_input(validator);
  Job* job = find_job(*job_name);
  if (job == nullptr) return entity_not_found("Job " + *job_name + " not found.");
  if (previous_id) {
    const auto previous = job_runs_.find(*previous_id);
    if (previous == job_runs_.end() || previous->second->job_name != *job_name) {
      return entity_not_found("Job run " + *previous_id + " of job " + *job_name + " not found.");
    }
    launch.previous_run_id = *previous_id;
    launch.attempt = previous->second->attempt + 1;
  }
  const bool queuing = launch.queuing_enabled.value_or(job->job_run_queuing_enabled);
  if (auto limit = capacity_limit(*this, *job); limit && !queuing) {
    if (limit->account) return resource_number_limit(limit->reason);
    return concurrent_runs_exceeded(limit->reason);
  }
  const JobRun& run = launch_job_run(*job_name, std::move(launch));
  return json{{"JobRunId", run.id}};
}

JsonOutcome Glue::get_job_run(const json& request) {
  RequestValidator validator(request);
  auto job_name = name_member(validator, "JobName", true);
  auto run_id = name_member(validator, "RunId", true);
  auto predecessors = validator.boolean("PredecessorsIncluded");
  if (!validator.ok()) return invalid_input(validator);
  const Job* job = find_job(*job_name);
  if (job == nullptr) return entity_not_found("Job " + *job_name + " not found.");
  const auto found = job_runs_.find(*run_id);
  if (found == job_runs_.end() ||
      std::find(job->runs.begin(), job->runs.end(), found->second.get()) == job->runs.end()) {
    return entity_not_found("Job run " + *run_id + " of job " + *job_name + " not found.");
  }
  return json{{"JobRun", job_run_json(*found->second, predecessors.value_or(false))}};
}

JsonOutcome Glue::get_job_runs(const json& request) {
  RequestValidator validator(request);
  auto job_name = name_member(validator, "JobName", true);
  auto token = validator.string("NextToken", StringRule{});
  auto max_results = validator.integer("MaxResults", IntegerRule{1, 200});
  if (!validator.ok()) return invalid_input(validator);
  const Job* job = find_job(*job_name);
  if (job == nullptr) return entity_not_found("Job " + *job_name + " not found.");
  const std::string scope = "GetJobRuns|" + *job_name;
  // Newest first: walk the creation-ordered list backwards. A token names the last run
  // handed out; when that run has expired the listing ends (runs expire oldest first,
  // give or take their durations).
  auto next = job->runs.rbegin();
  if (token) {
    const auto last_id = page_tokens_.decode(scope, *token);
    if (!last_id) {
      return invalid_input("Invalid NextToken: it is malformed or belongs to another request");
    }
    next = std::find_if(job->runs.rbegin(), job->runs.rend(),
                        [&](const JobRun* run) { return run->id == *last_id; });
    if (next != job->runs.rend()) ++next;
  }
  const std::size_t size = max_results ? static_cast<std::size_t>(*max_results) : kDefaultPageSize;
  json runs = json::array();
  for (; next != job->runs.rend() && runs.size() < size; ++next) {
    runs.push_back(job_run_json(**next, true));
  }
  json out = {{"JobRuns", std::move(runs)}};
  if (next != job->runs.rend()) {
    out["NextToken"] = page_tokens_.encode(scope, (*std::prev(next))->id);
  }
  return out;
}

JsonOutcome Glue::batch_stop_job_run(const json& request) {
  RequestValidator validator(request);
  auto job_name = name_member(validator, "JobName", true);
  auto run_ids = name_list_member(validator, "JobRunIds", CountRule{1, 25}, true);
  if (!validator.ok()) return invalid_input(validator);
  const Job* job = find_job(*job_name);
  json submitted = json::array();
  json errors = json::array();
  for (const auto& id : *run_ids) {
    const auto found = job_runs_.find(id);
    JobRun* run = found == job_runs_.end() ? nullptr : found->second.get();
    const bool of_job = job != nullptr && run != nullptr &&
                        std::find(job->runs.begin(), job->runs.end(), run) != job->runs.end();
    json entry = {{"JobName", *job_name}, {"JobRunId", id}};
    if (!of_job) {
      entry["ErrorDetail"] = {
          {"ErrorCode", "EntityNotFoundException"},
          {"ErrorMessage", "Job run " + id + " of job " + *job_name + " not found."}};
      errors.push_back(std::move(entry));
    } else if (is_terminal(run->state)) {
      entry["ErrorDetail"] = {{"ErrorCode", "InvalidInputException"},
                              {"ErrorMessage", "Job run " + id + " is already " +
                                                   std::string(to_string(run->state)) + "."}};
      errors.push_back(std::move(entry));
    } else {
      stop_job_run(*run);
      submitted.push_back(std::move(entry));
    }
  }
  return json{{"SuccessfulSubmissions", std::move(submitted)}, {"Errors", std::move(errors)}};
}

// --- entities ----------------------------------------------------------------------------

void Glue::erase_job(const std::string& name) { jobs_.erase(name); }

Job* Glue::find_job(const std::string& name) {
  const auto found = jobs_.find(name);
  return found == jobs_.end() ? nullptr : found->second.get();
}

JobRun& Glue::launch_job_run(const std::string& job_name, JobLaunch launch) {
  Job* job = find_job(job_name);
  JobRun& run = new_job_run(*this, job_name, job, launch);
  if (job == nullptr) {
    fail_at_launch(*this, run, JobRunEvent::job_deleted,
                   "Entity Not Found: job " + job_name + " does not exist");
    return run;
  }
  const auto limit = capacity_limit(*this, *job);
  if (!limit) {
    run.machine.emplace();
    run.state = run.machine->state();
    trace_transition(kMachine, run.id, std::nullopt, to_string(run.state));
    admit(*this, run);
  } else if (run.queuing_enabled) {
    enqueue(*this, run, *limit);
  } else {
    fail_at_launch(*this, run, JobRunEvent::concurrent_runs_exceeded, limit->reason);
  }
  return run;
}

void Glue::stop_job_run(JobRun& run) {
  const bool stoppable = run.state == JobRunState::WAITING || run.state == JobRunState::STARTING ||
                         run.state == JobRunState::RUNNING;
  if (!stoppable) return;
  context_.scheduler.cancel(run.timer);
  run.timer = 0;
  unqueue(*this, run);
  run.state_detail.reset();
  const bool waiting = run.state == JobRunState::WAITING;
  if (!apply(*this, run, JobRunEvent::stop_requested)) return;
  // A queued run holds no resources to release, so it is STOPPED at once.
  if (waiting) {
    apply(*this, run, JobRunEvent::stop_completed);
    return;
  }
  run.timer = context_.scheduler.schedule_after(options_.timings.job_stop_us, [this, r = &run] {
    r->timer = 0;
    apply(*this, *r, JobRunEvent::stop_completed);
  });
}

json Glue::job_run_json(const JobRun& run, bool include_predecessors) const {
  const auto job = jobs_.find(run.job_name);
  json out = {{"Id", run.id},
              {"Attempt", run.attempt},
              {"JobName", run.job_name},
              {"JobMode",
               job == jobs_.end() ? "SCRIPT" : job->second->definition.value("JobMode", "SCRIPT")},
              {"JobRunQueuingEnabled", run.queuing_enabled},
              {"StartedOn", timestamp(run.started_us)},
              {"LastModifiedOn", timestamp(run.modified_us)},
              {"JobRunState", to_string(run.state)},
              {"Arguments", run.arguments},
              {"AllocatedCapacity", allocated_capacity(run.capacity)},
              {"Timeout", run.timeout_minutes},
              {"LogGroupName", run.log_group}};
  if (run.previous_run_id) out["PreviousRunId"] = *run.previous_run_id;
  if (run.trigger_name) out["TriggerName"] = *run.trigger_name;
  if (run.completed_us != kNever) out["CompletedOn"] = timestamp(run.completed_us);
  if (run.error_message && !is_success(run.state)) out["ErrorMessage"] = *run.error_message;
  if (run.state_detail && run.state == JobRunState::WAITING) out["StateDetail"] = *run.state_detail;
  if (include_predecessors) {
    json predecessors = json::array();
    for (const auto& p : run.predecessors) {
      predecessors.push_back({{"JobName", p.job_name}, {"RunId", p.run_id}});
    }
    out["PredecessorRuns"] = std::move(predecessors);
  }
  std::int64_t execution_seconds = 0;
  if (run.running_since_us != kNever) {
    const sim::TimeUs end_us = run.completed_us != kNever ? run.completed_us : now();
    execution_seconds = (end_us - run.running_since_us) / sim::kMicrosecondsPerSecond;
  }
  out["ExecutionTime"] = execution_seconds;
  out.update(run.capacity);
  if (run.security_configuration) out["SecurityConfiguration"] = *run.security_configuration;
  if (run.notify_delay_after) {
    out["NotificationProperty"] = {{"NotifyDelayAfter", *run.notify_delay_after}};
  }
  if (!run.glue_version.empty()) out["GlueVersion"] = run.glue_version;
  if (run.execution_class) out["ExecutionClass"] = *run.execution_class;
  return out;
}

}  // namespace wfsim::models::glue

namespace wfsim::models::glue {

// Retention is a queue the service consults at every call, not a timer, so that
// run_until_idle does not leap a year ahead to remove the run (see expire_due_runs). A run
// detached from an expired workflow run may be queued long after it completed.
void Glue::schedule_job_run_retention(const JobRun& run) {
  job_run_expiries_.emplace(
      std::max(now(), run.completed_us + options_.timings.job_run_retention_us), run.id);
}

void Glue::expire_due_job_runs() {
  while (!job_run_expiries_.empty() && job_run_expiries_.begin()->first <= now()) {
    const std::string id = job_run_expiries_.begin()->second;
    job_run_expiries_.erase(job_run_expiries_.begin());
    const auto found = job_runs_.find(id);
    if (found == job_runs_.end()) continue;
    if (Job* job = find_job(found->second->job_name)) {
      auto& runs = job->runs;
      runs.erase(std::remove(runs.begin(), runs.end(), found->second.get()), runs.end());
    }
    job_runs_.erase(found);
  }
}

}  // namespace wfsim::models::glue
