// Task instances of MWAA Serverless: scheduling by trigger rule, attempts, retries and
// timeouts driven by the scheduler through the TaskLifecycle machine, and the operations
// GetTaskInstance and ListTaskInstances (fact sheet 7, 9.3, 12.4 and 12.9).
// Follows the sheet: every task gets an instance in NONE when the run starts RUNNING; a task
// runs when its Airflow 3 trigger rule is met (trigger_rules.cpp) and ends UPSTREAM_FAILED
// when the rule can no longer be met; attempts = retries + 1, each attempt a new instance
// whose AttemptNumber is the attempt, the previous one ending UP_FOR_RETRY; an attempt
// longer than execution_timeout ends TIMEOUT (or UP_FOR_RETRY while retries are left).
// Chosen where the sheet is silent: SCHEDULED -> QUEUED is immediate and QUEUED -> RUNNING
// takes timings.task_queue_delay; the profile decides the attempt's outcome and duration
// when it starts running; a profile outcome TIMEOUT runs until execution_timeout; the next
// attempt's instance appears retry_delay after the previous one ended; ListTaskInstances
// lists instances in creation order and nothing for an unknown workflow or run.
#include "models/mwaa_serverless/errors.hpp"
#include "models/mwaa_serverless/request_rules.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

AttemptEnd attempt_end(std::string_view outcome) {
  if (outcome == "SUCCESS") return AttemptEnd::success;
  if (outcome == "TIMEOUT") return AttemptEnd::timed_out;
  return AttemptEnd::failed;
}

// A task is finished once its newest instance has ended and no retry is pending.
bool finished(TaskStatus status) {
  return is_terminal(status) && status != TaskStatus::UP_FOR_RETRY;
}

void count_upstream(TaskStatus status, UpstreamCounts& counts) {
  if (!finished(status)) return;
  if (status == TaskStatus::SUCCESS) {
    ++counts.success;
  } else if (status == TaskStatus::UPSTREAM_FAILED) {
    ++counts.upstream_failed;
  } else {
    ++counts.failed;
  }
}

}  // namespace

bool MwaaServerless::fire(Run& run, std::uint32_t index, TaskEvent event) {
  TaskInstance& instance = run.instances[index];
  const TaskStatus from = instance.status;
  if (!instance.machine || !instance.machine->fire(event)) {
    record_violation("task", run, to_string(event), to_string(from));
    return false;
  }
  instance.status = instance.machine->status();
  instance.modified_us = context_.scheduler.now();
  // A terminal instance never changes again, so modified_us stays its end time.
  if (is_terminal(instance.status)) instance.machine.reset();
  trace_task(run, instance, from);
  return true;
}

void MwaaServerless::create_instance(Run& run, std::uint32_t task, std::uint8_t attempt) {
  TaskInstance& instance = run.instances.emplace_back();
  instance.task = task;
  instance.attempt = attempt;
  instance.modified_us = context_.scheduler.now();
  instance.machine.emplace();
  instance.status = instance.machine->status();
  run.instances[task].newest = static_cast<std::uint32_t>(run.instances.size() - 1);
  run.modified_us = instance.modified_us;
  trace_task(run, instance, std::nullopt);
}

void MwaaServerless::begin_tasks(Run& run) {
  const std::uint32_t task_count = static_cast<std::uint32_t>(run.version->tasks.size());
  run.instances.reserve(task_count);
  for (std::uint32_t task = 0; task < task_count; ++task) create_instance(run, task, 1);
  run.timer =
      context_.scheduler.schedule_after(options_.timings.run_timeout_us, [this, target = &run] {
        target->timer = 0;
        on_run_timeout(*target);
      });
  // Only tasks without upstream tasks and "always" tasks can be decided before anything ran.
  for (std::uint32_t task = 0; task < task_count; ++task) {
    if (decide(run, task) == TriggerDecision::run) schedule_instance(run, run.latest(task));
  }
  if (task_count == 0) complete_run(run);
}

TriggerDecision MwaaServerless::decide(const Run& run, std::uint32_t task) const {
  const CompiledTask& compiled = run.version->tasks[task];
  UpstreamCounts counts;
  counts.total = static_cast<std::uint32_t>(compiled.upstream.size());
  for (std::uint32_t upstream : compiled.upstream) {
    count_upstream(run.instances[run.latest(upstream)].status, counts);
  }
  return decide_trigger(compiled.rule, counts);
}

void MwaaServerless::schedule_instance(Run& run, std::uint32_t index) {
  if (!fire(run, index, TaskEvent::schedule) || !fire(run, index, TaskEvent::queue)) return;
  run.instances[index].timer = context_.scheduler.schedule_after(
      options_.timings.task_queue_delay_us, [target = &run, index] {
        target->instances[index].timer = 0;
        target->workflow->service->on_task_start(*target, index);
      });
}

void MwaaServerless::on_task_start(Run& run, std::uint32_t index) {
  if (!fire(run, index, TaskEvent::start)) return;
  TaskInstance& instance = run.instances[index];
  instance.started_us = instance.modified_us;
  const BehaviourProfile& profile = run.version->tasks[instance.task].profile.behaviour;
  const sim::DurationUs timeout_us =
      run.version->definition.tasks[instance.task].execution_timeout_us;
  AttemptEnd end = attempt_end(profile.outcome_view_for_attempt(instance.attempt, behaviour_rng_));
  sim::DurationUs duration_us = profile.draw_duration(behaviour_rng_, 0);
  if (end == AttemptEnd::timed_out || duration_us > timeout_us) {
    end = AttemptEnd::timed_out;
    duration_us = timeout_us;
  }
  // Most tasks push no XCom: the test of the profile keeps them from paying for the call.
  if (end == AttemptEnd::success && run.version->tasks[instance.task].profile.xcom &&
      oversized_xcom(run, instance)) {
    end = AttemptEnd::failed;
    instance.xcom_too_large = true;
  }
  instance.timer = context_.scheduler.schedule_after(duration_us, [target = &run, index, end] {
    target->instances[index].timer = 0;
    target->workflow->service->on_task_end(*target, index, end);
  });
}

void MwaaServerless::on_task_end(Run& run, std::uint32_t index, AttemptEnd end) {
  TaskInstance& instance = run.instances[index];
  const std::uint32_t task = instance.task;
  if (end == AttemptEnd::success) {
    if (fire(run, index, TaskEvent::succeed)) task_finished(run, task);
    return;
  }
  instance.timed_out = end == AttemptEnd::timed_out;
  const TaskDefinition& definition = run.version->definition.tasks[task];
  if (instance.attempt <= definition.retries) {
    if (!fire(run, index, TaskEvent::retry)) return;
    instance.timer =
        context_.scheduler.schedule_after(definition.retry_delay_us, [target = &run, index] {
          target->instances[index].timer = 0;
          target->workflow->service->on_retry_due(*target, index);
        });
    return;
  }
  const TaskEvent event = end == AttemptEnd::timed_out ? TaskEvent::time_out : TaskEvent::fail;
  if (fire(run, index, event)) task_finished(run, task);
}

// The trigger rule was met for the first attempt and upstream tasks never change once
// finished, so the next attempt is scheduled at once.
void MwaaServerless::on_retry_due(Run& run, std::uint32_t previous_index) {
  // Copied first: creating the next instance may move the instances of the run.
  const std::uint32_t task = run.instances[previous_index].task;
  const auto attempt = static_cast<std::uint8_t>(run.instances[previous_index].attempt + 1);
  create_instance(run, task, attempt);
  schedule_instance(run, run.latest(task));
}

// Settles the downstream tasks of a finished task, transitively through UPSTREAM_FAILED,
// and completes the run once every task is finished.
void MwaaServerless::task_finished(Run& run, std::uint32_t task) {
  std::vector<std::uint32_t>& pending = finished_scratch_;
  pending.assign(1, task);
  while (!pending.empty()) {
    const std::uint32_t done = pending.back();
    pending.pop_back();
    ++run.finished_tasks;
    for (std::uint32_t downstream : run.version->tasks[done].downstream) {
      const std::uint32_t index = run.latest(downstream);
      if (run.instances[index].status != TaskStatus::NONE) continue;
      const TriggerDecision decision = decide(run, downstream);
      if (decision == TriggerDecision::run) {
        schedule_instance(run, index);
      } else if (decision == TriggerDecision::upstream_failed &&
                 fire(run, index, TaskEvent::upstream_failed)) {
        pending.push_back(downstream);
      }
    }
  }
  if (run.finished_tasks == run.version->tasks.size()) complete_run(run);
}

JsonOutcome MwaaServerless::get_task_instance(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto instance_id = read_id(validator, request, "TaskInstanceId");
  const auto run_id = read_id(validator, request, "RunId");
  if (!validator.ok()) return validation_error(validator);
  const Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  const Run* run = workflow->runs_by_id.find(*run_id);
  if (run == nullptr) {
    return not_found(kWorkflowRunType, *run_id, "Workflow " + *arn + " has no run " + *run_id);
  }
  const TaskInstance* instance = find_instance(*run, *instance_id);
  if (instance == nullptr) {
    return not_found(kTaskInstanceType, *instance_id,
                     "Run " + *run_id + " has no task instance " + *instance_id);
  }
  return task_instance_detail(*run, *instance);
}

JsonOutcome MwaaServerless::list_task_instances(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto run_id = read_id(validator, request, "RunId");
  const PageInput page = read_page(validator);
  if (!validator.ok()) return validation_error(validator);
  const std::string scope = "ListTaskInstances|" + *arn + "|" + *run_id;
  std::optional<std::uint64_t> position;
  if (auto error = read_position(page.next_token, scope, &position)) return *error;
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json response = nlohmann::json::object();
  const Run* run = nullptr;
  if (const Workflow* workflow = find_workflow(*arn)) {
    run = workflow->runs_by_id.find(*run_id);
  }
  if (run != nullptr) {
    // Instances are never removed from a run, so the position is an offset.
    for (std::size_t index = position.value_or(0); index < run->instances.size(); ++index) {
      if (items.size() == page.max_results) {
        response["NextToken"] = next_token(scope, index);
        break;
      }
      items.push_back(task_instance_summary(*run, run->instances[index]));
    }
  }
  response["TaskInstances"] = std::move(items);
  return response;
}

}  // namespace wfsim::models::mwaa
