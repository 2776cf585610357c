// The AWS Glue workflow-run lifecycle as a Boost.MSM machine (fact sheet 6.3, 6.7, 6.8).
//
// Follows the sheet: a run is RUNNING until nothing is left to run (COMPLETED), or until
// StopWorkflowRun takes it through STOPPING to STOPPED; a run refused by MaxConcurrentRuns is
// ERROR from the start. ResumeWorkflowRun is accepted only on a COMPLETED run and leaves it
// COMPLETED, because the resumed work runs as a new run (6.8).
// Chosen where the sheet is silent (see workflow_run_machine.hpp for the rule numbers):
// - The two ways a run begins are rows from a pseudo-state, Admission, which is not a wire
//   status; only the constructors fire its events, so no caller ever observes it and no
//   public event can move a live run to ERROR.
// - A STOPPING run only finishes stopping: a second stop is rejected (rule 9.4).
// An event without a row is not ignored: process_event reports it as unhandled, the status
// stays, and WorkflowRunLifecycle::fire returns false so the caller reports the violation.
#include "models/glue/workflow_run_machine.hpp"

#include <array>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/mpl/vector.hpp>

namespace wfsim::models::glue {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// How a run begins; fired only by the constructors.
struct admitted {};
struct concurrent_runs_exceeded {};

// Events, one empty type per WorkflowRunEvent value and named after it.
struct nothing_left_to_run {};
struct stop_requested {};
struct resume_requested {};

// Every state writes its own status into the machine on entry, so the mapping from MSM state
// to WorkflowRunStatus lives in the state names below and status() never has to look it up.
template <WorkflowRunStatus kStatus>
struct StatusState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.status = kStatus;
  }
};

struct WorkflowRunFrontEnd : msm::front::state_machine_def<WorkflowRunFrontEnd> {
  // Events are applied one at a time by WorkflowRunLifecycle::fire and no action raises
  // another event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  // The instant a run is recorded, before it has a status; the constructor leaves it at once.
  struct Admission : msm::front::state<> {};
  struct RUNNING : StatusState<WorkflowRunStatus::RUNNING> {};
  struct COMPLETED : StatusState<WorkflowRunStatus::COMPLETED> {};
  struct STOPPING : StatusState<WorkflowRunStatus::STOPPING> {};
  struct STOPPED : StatusState<WorkflowRunStatus::STOPPED> {};
  struct ERROR : StatusState<WorkflowRunStatus::ERROR> {};

  typedef Admission initial_state;

  // A row whose Next is `none` is an internal transition: accepted, status unchanged.
  // clang-format off
  struct transition_table : mpl::vector<
      // Start    | Event                    | Next       | Action | Guard
      Row<Admission, admitted,                 RUNNING,     none,    none>,
      Row<Admission, concurrent_runs_exceeded, ERROR,       none,    none>,

      Row<RUNNING,   nothing_left_to_run,      COMPLETED,   none,    none>,
      Row<RUNNING,   stop_requested,           STOPPING,    none,    none>,

      Row<STOPPING,  nothing_left_to_run,      STOPPED,     none,    none>,

      Row<COMPLETED, resume_requested,         none,        none,    none>
  > {};
  // clang-format on

  // An event the current status has no row for is a lifecycle violation. process_event
  // reports it as unhandled, which fire() returns; overriding this keeps MSM from asserting.
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {}

  WorkflowRunStatus status = WorkflowRunStatus::RUNNING;
};

using WorkflowRunBackEnd = msm::back::state_machine<WorkflowRunFrontEnd>;

// Every run in a simulated account holds one of these, so its size is pinned.
static_assert(sizeof(WorkflowRunBackEnd) <= 64, "the workflow-run machine has grown");

constexpr std::array<WorkflowRunStatus, 5> kAllWorkflowRunStatuses = {
    WorkflowRunStatus::RUNNING, WorkflowRunStatus::COMPLETED, WorkflowRunStatus::STOPPING,
    WorkflowRunStatus::STOPPED, WorkflowRunStatus::ERROR,
};

}  // namespace

struct WorkflowRunLifecycle::Machine {
  WorkflowRunBackEnd back_end;

  template <class Event>
  bool apply(const Event& event) {
    return back_end.process_event(event) == msm::back::HANDLED_TRUE;
  }
};

WorkflowRunLifecycle::WorkflowRunLifecycle() : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
  machine_->apply(admitted{});
}

WorkflowRunLifecycle::WorkflowRunLifecycle(RefusedTag) : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
  machine_->apply(concurrent_runs_exceeded{});
}

WorkflowRunLifecycle WorkflowRunLifecycle::refused_over_concurrency() {
  return WorkflowRunLifecycle(RefusedTag{});
}

WorkflowRunLifecycle::~WorkflowRunLifecycle() = default;
WorkflowRunLifecycle::WorkflowRunLifecycle(WorkflowRunLifecycle&&) noexcept = default;
WorkflowRunLifecycle& WorkflowRunLifecycle::operator=(WorkflowRunLifecycle&&) noexcept = default;

WorkflowRunStatus WorkflowRunLifecycle::status() const { return machine_->back_end.status; }

bool WorkflowRunLifecycle::fire(WorkflowRunEvent event) {
  switch (event) {
    case WorkflowRunEvent::nothing_left_to_run: return machine_->apply(nothing_left_to_run{});
    case WorkflowRunEvent::stop_requested: return machine_->apply(stop_requested{});
    case WorkflowRunEvent::resume_requested: return machine_->apply(resume_requested{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(WorkflowRunStatus status) {
  switch (status) {
    case WorkflowRunStatus::RUNNING: return "RUNNING";
    case WorkflowRunStatus::COMPLETED: return "COMPLETED";
    case WorkflowRunStatus::STOPPING: return "STOPPING";
    case WorkflowRunStatus::STOPPED: return "STOPPED";
    case WorkflowRunStatus::ERROR: return "ERROR";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(WorkflowRunEvent event) {
  switch (event) {
    case WorkflowRunEvent::nothing_left_to_run: return "nothing_left_to_run";
    case WorkflowRunEvent::stop_requested: return "stop_requested";
    case WorkflowRunEvent::resume_requested: return "resume_requested";
  }
  return "";
}

std::optional<WorkflowRunStatus> workflow_run_status_from_string(std::string_view text) {
  for (WorkflowRunStatus status : kAllWorkflowRunStatuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

bool is_terminal(WorkflowRunStatus status) {
  switch (status) {
    case WorkflowRunStatus::COMPLETED:
    case WorkflowRunStatus::STOPPED:
    case WorkflowRunStatus::ERROR:
      return true;
    case WorkflowRunStatus::RUNNING:
    case WorkflowRunStatus::STOPPING:
      return false;
  }
  return false;
}

}  // namespace wfsim::models::glue
