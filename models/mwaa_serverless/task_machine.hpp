// The lifecycle of one MWAA Serverless task instance (fact sheet 9.3, Airflow 3 semantics).
// Chosen where the sheet is silent: one task instance per attempt (the observed ids end in
// "_<attempt>"); an attempt that will be retried ends UP_FOR_RETRY and the next attempt is a
// new instance; every task of a run gets its first instance, in NONE, when the run starts.
//
//   NONE -> SCHEDULED -> QUEUED -> RUNNING -> SUCCESS | FAILED | UP_FOR_RETRY | TIMEOUT
//   NONE | SCHEDULED -> UPSTREAM_FAILED          (trigger rule can no longer be met)
//   NONE | SCHEDULED | QUEUED | RUNNING -> CANCELLED   (run stopped or timed out)
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::mwaa {

enum class TaskStatus {
  QUEUED, FAILED, SCHEDULED, RUNNING, SUCCESS, UP_FOR_RESCHEDULE, UP_FOR_RETRY,
  UPSTREAM_FAILED, REMOVED, RESTARTING, DEFERRED, NONE, CANCELLED, TIMEOUT
};

enum class TaskEvent {
  schedule,         // NONE -> SCHEDULED: upstream trigger rule met
  queue,            // SCHEDULED -> QUEUED: handed to a worker
  start,            // QUEUED -> RUNNING
  succeed,          // RUNNING -> SUCCESS
  fail,             // RUNNING -> FAILED (no retries left)
  retry,            // RUNNING -> UP_FOR_RETRY (failed or timed out, retries left)
  time_out,         // RUNNING -> TIMEOUT (execution_timeout hit, no retries left)
  upstream_failed,  // NONE | SCHEDULED -> UPSTREAM_FAILED
  cancel,           // NONE | SCHEDULED | QUEUED | RUNNING -> CANCELLED
};

std::string_view to_string(TaskStatus status);
std::string_view to_string(TaskEvent event);
std::optional<TaskStatus> task_status_from_string(std::string_view text);
// UP_FOR_RETRY is terminal because each attempt is its own instance (task_machine.cpp);
// UP_FOR_RESCHEDULE, DEFERRED and RESTARTING are Airflow's waiting states, not endings.
// Inline: every status change and every trigger decision asks it.
inline bool is_terminal(TaskStatus status) {
  switch (status) {
    case TaskStatus::SUCCESS:
    case TaskStatus::FAILED:
    case TaskStatus::UP_FOR_RETRY:
    case TaskStatus::UPSTREAM_FAILED:
    case TaskStatus::REMOVED:
    case TaskStatus::CANCELLED:
    case TaskStatus::TIMEOUT:
      return true;
    case TaskStatus::QUEUED:
    case TaskStatus::SCHEDULED:
    case TaskStatus::RUNNING:
    case TaskStatus::UP_FOR_RESCHEDULE:
    case TaskStatus::RESTARTING:
    case TaskStatus::DEFERRED:
    case TaskStatus::NONE:
      return false;
  }
  return false;
}

class TaskLifecycle {
 public:
  TaskLifecycle();
  ~TaskLifecycle();
  TaskLifecycle(TaskLifecycle&&) noexcept;
  TaskLifecycle& operator=(TaskLifecycle&&) noexcept;

  TaskStatus status() const;
  // Applies the event; false, and nothing changes, when there is no transition for it.
  bool fire(TaskEvent event);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::mwaa
