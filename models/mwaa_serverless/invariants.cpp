// The MWAA Serverless invariants, checked after every step by properties and the fuzzer.
// They restate the fact-sheet rules the model follows (9.1 one scheduled version, 9.2 and
// 9.3 the machines, 12.4 trigger rules and retries, 12.7 quotas, 12.9 the leaf rule) and the
// model's own bookkeeping, so a bug shows as a named broken rule rather than a wrong answer.
// Catalogue (the names appear in InvariantViolation::invariant):
//   no-illegal-machine-event       no run or task machine ever rejected an event
//   workflow-index                 the ARN and name indexes hold exactly the live workflows
//   workflow-has-versions          every workflow has at least one version
//   workflow-quota                 workflows <= quota; versions per workflow <= quota
//   run-quota                      active runs per workflow and per account <= quotas
//   active-run-count               the cached active-run counters equal a recount
//   single-scheduled-version       a schedule is armed only for the latest version, only in
//                                  SCHEDULED mode, only while not deleting, and it is armed
//                                  whenever that version has a fire time left
//   deleting-workflow-winds-down   a DELETING workflow has no run that is not stopping, and
//                                  is waiting for a run to stop or for its clean-up
//   machine-matches-status         a live machine agrees with the cached status; terminal
//                                  records have dropped theirs, active ones still have one
//   active-run-has-timer           a non-terminal run always has its next timer pending
//   terminal-run-has-no-active-task  a terminal run has no unfinished instance and no timer
//   run-status-matches-tasks       STARTING/QUEUED runs have no instances; a RUNNING run
//                                  has one per task and an unfinished task; SUCCESS means
//                                  every leaf succeeded; FAILED says why
//   attempts-consecutive           a task's instances are attempts 1..n in order, all but
//                                  the newest UP_FOR_RETRY, n <= retries + 1
//   trigger-rule-respected         an instance ran only when its rule was met, ended
//                                  UPSTREAM_FAILED only when it could not be, and no task
//                                  of a RUNNING run waits for a rule that is decided
//   finished-count                 a run's finished-task counter equals a recount
//   completed-on-after-started-on  timestamps are set exactly when their status says so,
//                                  and never run backwards
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

void report(std::vector<InvariantViolation>& out, std::string invariant, std::string detail) {
  out.push_back({std::move(invariant), std::move(detail)});
}

bool finished(TaskStatus status) {
  return is_terminal(status) && status != TaskStatus::UP_FOR_RETRY;
}

// Whether an instance in `status` has a StartedAt: yes once it ran, no if it never could
// have, either for CANCELLED (it may have been cancelled before or while running).
bool start_time_fits(TaskStatus status, bool started) {
  switch (status) {
    case TaskStatus::RUNNING:
    case TaskStatus::SUCCESS:
    case TaskStatus::FAILED:
    case TaskStatus::TIMEOUT:
    case TaskStatus::UP_FOR_RETRY:
      return started;
    case TaskStatus::CANCELLED:
      return true;
    default:
      return !started;
  }
}

std::string run_name(const Run& run) { return run.workflow->name + "/" + run.id; }

}  // namespace

std::vector<std::pair<std::string, std::string>> MwaaServerless::invariant_catalogue() const {
  return {
      {"no-illegal-machine-event", "no run or task machine ever rejected an event"},
      {"workflow-index", "the ARN and name indexes hold exactly the live workflows"},
      {"workflow-has-versions", "every workflow has at least one version"},
      {"workflow-quota", "workflows <= quota; versions per workflow <= quota"},
      {"run-quota", "active runs per workflow and per account <= quotas"},
      {"active-run-count", "the cached active-run counters equal a recount"},
      {"single-scheduled-version",
       "a schedule is armed exactly when the latest, not deleting, SCHEDULED version has a "
       "fire time left"},
      {"deleting-workflow-winds-down",
       "a DELETING workflow has only stopping runs and waits for a run or its clean-up"},
      {"machine-matches-status",
       "a live machine agrees with the cached status; terminal records have none"},
      {"active-run-has-timer", "a non-terminal run always has its next timer pending"},
      {"terminal-run-has-no-active-task",
       "a terminal run has no unfinished instance and no timer"},
      {"run-status-matches-tasks",
       "run status agrees with its task instances (none before RUNNING, SUCCESS = leaves "
       "succeeded, FAILED says why)"},
      {"attempts-consecutive",
       "a task's instances are attempts 1..n, all but the newest UP_FOR_RETRY, n <= retries + 1"},
      {"trigger-rule-respected",
       "an instance ran or was UPSTREAM_FAILED only as its trigger rule decided"},
      {"finished-count", "a run's finished-task counter equals a recount"},
      {"completed-on-after-started-on",
       "timestamps are set exactly when their status says so and never run backwards"},
  };
}

std::vector<InvariantViolation> MwaaServerless::check_invariants() const {
  std::vector<InvariantViolation> out;
  if (violations_ != 0) {
    report(out, "no-illegal-machine-event",
           std::to_string(violations_) + " rejected event(s), first: " + first_violation_);
  }
  if (workflows_by_arn_.size() != workflows_.size() ||
      workflows_by_name_.size() != workflows_.size()) {
    report(out, "workflow-index", "indexes do not match the workflows");
  }
  if (workflows_.size() > options_.quotas.workflows_per_account) {
    report(out, "workflow-quota", std::to_string(workflows_.size()) + " workflows");
  }
  std::uint32_t active = 0;
  for (const auto& [sequence, workflow] : workflows_) {
    check_workflow(*workflow, out);
    for (const auto& [run_sequence, run] : workflow->runs)
      active += is_terminal(run.status) ? 0 : 1;
  }
  if (active != active_runs_) {
    report(
        out, "active-run-count",
        "account counter " + std::to_string(active_runs_) + ", recount " + std::to_string(active));
  }
  if (active_runs_ > options_.quotas.concurrent_runs_per_account) {
    report(out, "run-quota", std::to_string(active_runs_) + " active runs in the account");
  }
  return out;
}

void MwaaServerless::check_workflow(const Workflow& workflow,
                                    std::vector<InvariantViolation>& out) const {
  const auto by_arn = workflows_by_arn_.find(workflow.arn);
  const auto by_name = workflows_by_name_.find(workflow.name);
  if (by_arn == workflows_by_arn_.end() || by_arn->second != &workflow ||
      by_name == workflows_by_name_.end() || by_name->second != &workflow) {
    report(out, "workflow-index", workflow.arn + " is not indexed");
  }
  if (workflow.versions.empty()) {
    report(out, "workflow-has-versions", workflow.arn);
    return;
  }
  if (workflow.versions.size() > options_.quotas.versions_per_workflow) {
    report(out, "workflow-quota",
           workflow.arn + " has " + std::to_string(workflow.versions.size()) + " versions");
  }
  const Version& latest = *workflow.versions.back();
  const bool should_schedule = !workflow.deleting && latest.mode == TriggerMode::scheduled &&
                               latest.definition.parsed_schedule &&
                               next_fire_time(latest, context_.scheduler.now()).has_value();
  const bool armed = workflow.schedule_timer != 0;
  if (armed != should_schedule || (armed && workflow.scheduled_version != latest.id) ||
      (!armed && !workflow.scheduled_version.empty())) {
    report(out, "single-scheduled-version",
           workflow.arn + " armed=" + std::to_string(armed) + " version='" +
               workflow.scheduled_version + "' latest=" + latest.id);
  }
  std::uint32_t active = 0;
  for (const auto& [sequence, run] : workflow.runs) {
    active += is_terminal(run.status) ? 0 : 1;
    if (workflow.deleting && !is_terminal(run.status) && run.status != RunStatus::STOPPING) {
      report(out, "deleting-workflow-winds-down",
             run_name(run) + " is " + std::string(to_string(run.status)));
    }
    check_run(run, out);
  }
  if (workflow.deleting && active == 0 && workflow.cleanup_timer == 0) {
    report(out, "deleting-workflow-winds-down", workflow.arn + " waits for nothing");
  }
  if (active != workflow.active_runs) {
    report(out, "active-run-count",
           workflow.arn + " counter " + std::to_string(workflow.active_runs) + ", recount " +
               std::to_string(active));
  }
  if (active > options_.quotas.concurrent_runs_per_workflow) {
    report(out, "run-quota", workflow.arn + " has " + std::to_string(active) + " active runs");
  }
}

void MwaaServerless::check_run(const Run& run, std::vector<InvariantViolation>& out) const {
  const std::string name = run_name(run);
  const bool terminal = is_terminal(run.status);
  if (terminal == run.machine.has_value() || (run.machine && run.machine->status() != run.status)) {
    report(out, "machine-matches-status", name);
  }
  if (!terminal && run.timer == 0) report(out, "active-run-has-timer", name);
  if (terminal && run.timer != 0) report(out, "terminal-run-has-no-active-task", name + " timer");
  if (terminal != (run.completed_us != kNever) || run.modified_us < run.created_us ||
      (terminal && run.completed_us < run.created_us)) {
    report(out, "completed-on-after-started-on", name);
  }
  const bool before_running = run.status == RunStatus::STARTING || run.status == RunStatus::QUEUED;
  if (before_running && !run.instances.empty()) {
    report(out, "run-status-matches-tasks", name + " has instances before RUNNING");
  }
  if (run.status == RunStatus::FAILED && !run.error_message) {
    report(out, "run-status-matches-tasks", name + " FAILED without ErrorMessage");
  }
  if (!run.instances.empty()) check_run_tasks(run, out);
}

void MwaaServerless::check_run_tasks(const Run& run, std::vector<InvariantViolation>& out) const {
  const std::string name = run_name(run);
  const Version& version = *run.version;
  const bool terminal = is_terminal(run.status);
  std::vector<std::uint8_t> next_attempt(version.tasks.size(), 1);
  for (std::uint32_t index = 0; index < run.instances.size(); ++index) {
    const TaskInstance& instance = run.instances[index];
    const std::string where = name + " instance " + std::to_string(index);
    const bool instance_terminal = is_terminal(instance.status);
    if (instance_terminal == instance.machine.has_value() ||
        (instance.machine && instance.machine->status() != instance.status)) {
      report(out, "machine-matches-status", where);
    }
    if (terminal && (!instance_terminal || instance.timer != 0)) {
      report(out, "terminal-run-has-no-active-task", where);
    }
    const bool newest = run.latest(instance.task) == index;
    if (instance.attempt != next_attempt[instance.task]++ ||
        (!newest && instance.status != TaskStatus::UP_FOR_RETRY) ||
        instance.attempt > version.definition.tasks[instance.task].retries + 1) {
      report(out, "attempts-consecutive", where);
    }
    // The end time is the last modification of a terminal instance (state.hpp), so only
    // the start time and the order of the two can be wrong.
    if (!start_time_fits(instance.status, instance.started_us != kNever) ||
        (instance.started_us != kNever && instance_terminal &&
         instance.ended_us() < instance.started_us)) {
      report(out, "completed-on-after-started-on", where);
    }
  }
  std::uint32_t finished_count = 0;
  bool leaves_succeeded = true;
  for (std::uint32_t task = 0; task < version.tasks.size(); ++task) {
    const TaskStatus status = run.instances[run.latest(task)].status;
    finished_count += finished(status) ? 1 : 0;
    const TriggerDecision decision = decide(run, task);
    // A CANCELLED instance may have been waiting in NONE, so it proves nothing either way.
    const bool scheduled = status != TaskStatus::NONE && status != TaskStatus::UPSTREAM_FAILED &&
                           status != TaskStatus::CANCELLED;
    if ((scheduled && decision != TriggerDecision::run) ||
        (status == TaskStatus::UPSTREAM_FAILED && decision != TriggerDecision::upstream_failed) ||
        (status == TaskStatus::NONE && run.status == RunStatus::RUNNING &&
         decision != TriggerDecision::wait)) {
      report(out, "trigger-rule-respected",
             name + " task " + version.definition.tasks[task].task_id);
    }
  }
  for (std::uint32_t leaf : version.leaves) {
    leaves_succeeded =
        leaves_succeeded && run.instances[run.latest(leaf)].status == TaskStatus::SUCCESS;
  }
  if (run.status == RunStatus::RUNNING && finished_count != run.finished_tasks) {
    report(out, "finished-count", name);
  }
  if ((run.status == RunStatus::RUNNING && finished_count == version.tasks.size()) ||
      (run.status == RunStatus::SUCCESS && !leaves_succeeded) ||
      (run.status == RunStatus::FAILED && leaves_succeeded)) {
    report(out, "run-status-matches-tasks", name + " status " + std::string(to_string(run.status)));
  }
}

}  // namespace wfsim::models::mwaa
