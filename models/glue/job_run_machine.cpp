// The AWS Glue job-run lifecycle as a Boost.MSM machine (fact sheet 6.5).
//
// Follows the sheet's JobRunState graph: an optional WAITING, then STARTING, RUNNING and one
// of SUCCEEDED, FAILED, TIMEOUT or ERROR; a stop goes through STOPPING to STOPPED; a queued
// run that never starts EXPIRES. Chosen where the sheet is silent (job_run_machine.hpp lists
// each choice with its rule number):
// - The two ways a run begins are rows from a pseudo-state, Submission, which is not a wire
//   state; only the constructors fire its events, so no caller ever observes it and WAITING
//   is entered only before a run has started.
// - One lifecycle per attempt: no row leaves a terminal state, so a retry is a new run.
// An event without a row is not ignored: process_event reports it as unhandled, the state
// stays, and JobRunLifecycle::fire returns false so the caller reports the violation.
#include "models/glue/job_run_machine.hpp"

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
struct limits_reached {};

// Events, one empty type per JobRunEvent value and named after it.
struct capacity_available {};
struct resources_allocated {};
struct script_succeeded {};
struct script_failed {};
struct concurrent_runs_exceeded {};
struct job_deleted {};
struct timeout_elapsed {};
struct stop_requested {};
struct stop_completed {};

// Every state writes its own JobRunState into the machine on entry, so the mapping from MSM
// state to JobRunState lives in the state names below and state() never has to look it up.
template <JobRunState kState>
struct WireState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.state = kState;
  }
};

struct JobRunFrontEnd : msm::front::state_machine_def<JobRunFrontEnd> {
  // Events are applied one at a time by JobRunLifecycle::fire and no action raises another
  // event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  // The instant a run is submitted, before it has a state; the constructor leaves it at once.
  struct Submission : msm::front::state<> {};
  struct WAITING : WireState<JobRunState::WAITING> {};
  struct STARTING : WireState<JobRunState::STARTING> {};
  struct RUNNING : WireState<JobRunState::RUNNING> {};
  struct STOPPING : WireState<JobRunState::STOPPING> {};
  struct STOPPED : WireState<JobRunState::STOPPED> {};
  struct SUCCEEDED : WireState<JobRunState::SUCCEEDED> {};
  struct FAILED : WireState<JobRunState::FAILED> {};
  struct TIMEOUT : WireState<JobRunState::TIMEOUT> {};
  struct ERROR : WireState<JobRunState::ERROR> {};
  struct EXPIRED : WireState<JobRunState::EXPIRED> {};

  typedef Submission initial_state;

  // clang-format off
  struct transition_table : mpl::vector<
      // Start     | Event                    | Next      | Action | Guard
      Row<Submission, admitted,                 STARTING,   none,    none>,
      Row<Submission, limits_reached,           WAITING,    none,    none>,

      Row<WAITING,    capacity_available,       STARTING,   none,    none>,
      Row<WAITING,    timeout_elapsed,          EXPIRED,    none,    none>,
      Row<WAITING,    stop_requested,           STOPPING,   none,    none>,

      Row<STARTING,   resources_allocated,      RUNNING,    none,    none>,
      Row<STARTING,   concurrent_runs_exceeded, FAILED,     none,    none>,
      Row<STARTING,   job_deleted,              ERROR,      none,    none>,
      Row<STARTING,   stop_requested,           STOPPING,   none,    none>,

      Row<RUNNING,    script_succeeded,         SUCCEEDED,  none,    none>,
      Row<RUNNING,    script_failed,            FAILED,     none,    none>,
      Row<RUNNING,    timeout_elapsed,          TIMEOUT,    none,    none>,
      Row<RUNNING,    stop_requested,           STOPPING,   none,    none>,

      Row<STOPPING,   stop_completed,           STOPPED,    none,    none>
  > {};
  // clang-format on

  // An event the current state has no row for is a lifecycle violation. process_event
  // reports it as unhandled, which fire() returns; overriding this keeps MSM from asserting.
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {}

  JobRunState state = JobRunState::STARTING;
};

using JobRunBackEnd = msm::back::state_machine<JobRunFrontEnd>;

// Every job run in a simulated account holds one of these, so its size is pinned.
static_assert(sizeof(JobRunBackEnd) <= 64, "the job-run machine has grown");

constexpr std::array<JobRunState, 10> kAllJobRunStates = {
    JobRunState::STARTING,  JobRunState::RUNNING, JobRunState::STOPPING, JobRunState::STOPPED,
    JobRunState::SUCCEEDED, JobRunState::FAILED,  JobRunState::TIMEOUT,  JobRunState::ERROR,
    JobRunState::WAITING,   JobRunState::EXPIRED,
};

}  // namespace

struct JobRunLifecycle::Machine {
  JobRunBackEnd back_end;

  template <class Event>
  bool apply(const Event& event) {
    return back_end.process_event(event) == msm::back::HANDLED_TRUE;
  }
};

JobRunLifecycle::JobRunLifecycle() : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
  machine_->apply(admitted{});
}

JobRunLifecycle::JobRunLifecycle(QueuedTag) : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
  machine_->apply(limits_reached{});
}

JobRunLifecycle JobRunLifecycle::queued() { return JobRunLifecycle(QueuedTag{}); }

JobRunLifecycle::~JobRunLifecycle() = default;
JobRunLifecycle::JobRunLifecycle(JobRunLifecycle&&) noexcept = default;
JobRunLifecycle& JobRunLifecycle::operator=(JobRunLifecycle&&) noexcept = default;

JobRunState JobRunLifecycle::state() const { return machine_->back_end.state; }

bool JobRunLifecycle::fire(JobRunEvent event) {
  switch (event) {
    case JobRunEvent::capacity_available: return machine_->apply(capacity_available{});
    case JobRunEvent::resources_allocated: return machine_->apply(resources_allocated{});
    case JobRunEvent::script_succeeded: return machine_->apply(script_succeeded{});
    case JobRunEvent::script_failed: return machine_->apply(script_failed{});
    case JobRunEvent::concurrent_runs_exceeded:
      return machine_->apply(concurrent_runs_exceeded{});
    case JobRunEvent::job_deleted: return machine_->apply(job_deleted{});
    case JobRunEvent::timeout_elapsed: return machine_->apply(timeout_elapsed{});
    case JobRunEvent::stop_requested: return machine_->apply(stop_requested{});
    case JobRunEvent::stop_completed: return machine_->apply(stop_completed{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(JobRunState state) {
  switch (state) {
    case JobRunState::STARTING: return "STARTING";
    case JobRunState::RUNNING: return "RUNNING";
    case JobRunState::STOPPING: return "STOPPING";
    case JobRunState::STOPPED: return "STOPPED";
    case JobRunState::SUCCEEDED: return "SUCCEEDED";
    case JobRunState::FAILED: return "FAILED";
    case JobRunState::TIMEOUT: return "TIMEOUT";
    case JobRunState::ERROR: return "ERROR";
    case JobRunState::WAITING: return "WAITING";
    case JobRunState::EXPIRED: return "EXPIRED";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(JobRunEvent event) {
  switch (event) {
    case JobRunEvent::capacity_available: return "capacity_available";
    case JobRunEvent::resources_allocated: return "resources_allocated";
    case JobRunEvent::script_succeeded: return "script_succeeded";
    case JobRunEvent::script_failed: return "script_failed";
    case JobRunEvent::concurrent_runs_exceeded: return "concurrent_runs_exceeded";
    case JobRunEvent::job_deleted: return "job_deleted";
    case JobRunEvent::timeout_elapsed: return "timeout_elapsed";
    case JobRunEvent::stop_requested: return "stop_requested";
    case JobRunEvent::stop_completed: return "stop_completed";
  }
  return "";
}

std::optional<JobRunState> job_run_state_from_string(std::string_view text) {
  for (JobRunState state : kAllJobRunStates) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

bool is_terminal(JobRunState state) {
  switch (state) {
    case JobRunState::STOPPED:
    case JobRunState::SUCCEEDED:
    case JobRunState::FAILED:
    case JobRunState::TIMEOUT:
    case JobRunState::ERROR:
    case JobRunState::EXPIRED:
      return true;
    case JobRunState::STARTING:
    case JobRunState::RUNNING:
    case JobRunState::STOPPING:
    case JobRunState::WAITING:
      return false;
  }
  return false;
}

bool is_retryable(JobRunState state) { return state == JobRunState::FAILED; }

}  // namespace wfsim::models::glue
