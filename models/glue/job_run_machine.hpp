// The lifecycle of one AWS Glue job run, which is one attempt (fact sheet 6.5, rules 9.22,
// 9.23). The Boost.MSM machine lives in job_run_machine.cpp (one translation unit per
// machine); this header shows only states, events and a small handle, so the service code
// compiles without MSM.
//
//   (submitted) -> STARTING                        started at once
//   (submitted) -> WAITING -> STARTING | EXPIRED   queued: limits reached, queuing enabled
//   STARTING -> RUNNING -> SUCCEEDED | FAILED | TIMEOUT
//   STARTING -> FAILED | ERROR                     job concurrency exceeded, job deleted
//   WAITING | STARTING | RUNNING -> STOPPING -> STOPPED
//
// Sheet rules followed: 6.5 (the JobRunState graph; FAILED when the job's MaxConcurrentRuns
// is exceeded at trigger or workflow start; ERROR when a workflow or trigger runs a deleted
// job; TIMEOUT when run time exceeds Timeout; WAITING when queued). Chosen where the sheet is
// silent ("unconfirmed" or "inferred"):
// - Rule 9.22: a retry is a new job run with Attempt + 1 and its own lifecycle; an attempt
//   never leaves its terminal state. is_retryable names the states that lead to a retry:
//   FAILED only, since 6.5 says retries happen "on failure".
// - Rule 9.23: a WAITING run EXPIRES when its Timeout elapses before it starts; the same
//   timeout_elapsed event times out a RUNNING run. The timeout clock of a started run is
//   armed when it is RUNNING, so STARTING rejects timeout_elapsed.
// - The run-time failures FAILED (concurrency) and ERROR (deleted job) leave STARTING, the
//   status every started run is recorded in, so such a run keeps the fields of a started one.
// - A WAITING run can be stopped (StopWorkflowRun must end it, 6.7); it takes the same
//   STOPPING -> STOPPED steps as a started run so every stop looks alike.
// - A STOPPING run only finishes stopping: it cannot succeed, fail or time out any more.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::glue {

// JobRunState, spelled as on the wire (fact sheet 3).
enum class JobRunState {
  STARTING, RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, WAITING, EXPIRED
};

enum class JobRunEvent {
  capacity_available,        // WAITING -> STARTING: the limit that queued the run freed up
  resources_allocated,       // STARTING -> RUNNING: workers are ready and the script starts
  script_succeeded,          // RUNNING -> SUCCEEDED
  script_failed,             // RUNNING -> FAILED: error or unknown exit code
  concurrent_runs_exceeded,  // STARTING -> FAILED: job MaxConcurrentRuns at trigger start
  job_deleted,               // STARTING -> ERROR: a workflow or trigger ran a deleted job
  timeout_elapsed,           // RUNNING -> TIMEOUT, WAITING -> EXPIRED
  stop_requested,            // WAITING | STARTING | RUNNING -> STOPPING: BatchStopJobRun
  stop_completed,            // STOPPING -> STOPPED: the run's resources are released
};

std::string_view to_string(JobRunState state);
std::string_view to_string(JobRunEvent event);
std::optional<JobRunState> job_run_state_from_string(std::string_view text);
// STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR and EXPIRED.
bool is_terminal(JobRunState state);
// True when an attempt that ended in this state is followed by a new attempt while the job's
// MaxRetries allows one (rule 9.22): FAILED only.
bool is_retryable(JobRunState state);

class JobRunLifecycle {
 public:
  // A run that starts at once (STARTING): StartJobRun or a trigger action within the limits.
  JobRunLifecycle();
  // A run queued because limits are reached and JobRunQueuingEnabled is true (WAITING).
  static JobRunLifecycle queued();

  ~JobRunLifecycle();
  JobRunLifecycle(JobRunLifecycle&&) noexcept;
  JobRunLifecycle& operator=(JobRunLifecycle&&) noexcept;

  JobRunState state() const;
  // Applies the event. Returns false, and changes nothing, when the current state has no
  // transition for it (the caller records the violation and answers with its error).
  bool fire(JobRunEvent event);

 private:
  struct Machine;
  struct QueuedTag {};
  explicit JobRunLifecycle(QueuedTag);

  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::glue
