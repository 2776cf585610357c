// The lifecycle of one AWS Glue workflow run (fact sheet 6.3, 6.6, 6.7, 6.8). The Boost.MSM
// machine lives in workflow_run_machine.cpp (one translation unit per machine); this header
// shows only statuses, events and a small handle, so the service code compiles without MSM.
//
//   (recorded) -> RUNNING                         StartWorkflowRun, a start trigger, Resume
//   (recorded) -> ERROR                           start trigger over MaxConcurrentRuns (9.3)
//   RUNNING  -> COMPLETED                         nothing running and nothing left to fire
//   RUNNING  -> STOPPING -> STOPPED               StopWorkflowRun, then every action ended
//   COMPLETED -> COMPLETED                        ResumeWorkflowRun (the new run is another one)
//
// Sheet rules followed: 6.3 (COMPLETED, STOPPED and ERROR are terminal; a run is COMPLETED
// even when some of its nodes failed), 6.7 (only a RUNNING run can be stopped, and a stop
// never rolls back), 6.8 (only a COMPLETED run can be resumed, and resuming starts a new run
// with its own lifecycle). Chosen where the sheet is silent ("unconfirmed" or "inferred"):
// - Rule 9.3: a start trigger that fires over the workflow's MaxConcurrentRuns records a run
//   that is ERROR from the start; it is built with refused_over_concurrency() and never
//   passes through RUNNING, so no event can take a live run to ERROR.
// - Rules 9.4 and 9.5: stop_requested is rejected outside RUNNING and resume_requested
//   outside COMPLETED; the caller answers IllegalWorkflowStateException for either.
// - Rule 9.11: a workflow without a start trigger completes at once through the same
//   nothing_left_to_run event.
// - A stopping run is STOPPED once no job run or crawl of it is active, whether each action
//   ended by being stopped or by finishing on its own first (6.7 names no other condition).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::glue {

// WorkflowRunStatus, spelled as on the wire (fact sheet 3).
enum class WorkflowRunStatus { RUNNING, COMPLETED, STOPPING, STOPPED, ERROR };

enum class WorkflowRunEvent {
  // RUNNING -> COMPLETED, STOPPING -> STOPPED: no job run or crawl of the run is active and
  // no trigger of its graph snapshot can fire any more.
  nothing_left_to_run,
  stop_requested,    // RUNNING -> STOPPING: StopWorkflowRun
  resume_requested,  // COMPLETED stays COMPLETED: ResumeWorkflowRun starts a new run from it
};

std::string_view to_string(WorkflowRunStatus status);
std::string_view to_string(WorkflowRunEvent event);
std::optional<WorkflowRunStatus> workflow_run_status_from_string(std::string_view text);
// COMPLETED, STOPPED and ERROR (fact sheet 6.3 item 5).
bool is_terminal(WorkflowRunStatus status);

class WorkflowRunLifecycle {
 public:
  // A run that starts RUNNING: StartWorkflowRun, a start trigger within MaxConcurrentRuns,
  // or the new run that ResumeWorkflowRun creates.
  WorkflowRunLifecycle();
  // A run that a schedule or event start trigger could not start because the workflow had
  // MaxConcurrentRuns active runs (rule 9.3): it is recorded ERROR and launches nothing.
  static WorkflowRunLifecycle refused_over_concurrency();

  ~WorkflowRunLifecycle();
  WorkflowRunLifecycle(WorkflowRunLifecycle&&) noexcept;
  WorkflowRunLifecycle& operator=(WorkflowRunLifecycle&&) noexcept;

  WorkflowRunStatus status() const;
  // Applies the event. Returns false, and changes nothing, when the current status has no
  // transition for it (the caller records the violation and answers with its error).
  bool fire(WorkflowRunEvent event);

 private:
  struct Machine;
  struct RefusedTag {};
  explicit WorkflowRunLifecycle(RefusedTag);

  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::glue
