// The MWAA Serverless workflow-run lifecycle as a Boost.MSM machine (fact sheet 9.2).
//
// Follows the sheet: a run starts in STARTING, goes through QUEUED to RUNNING and ends in
// SUCCESS, FAILED or TIMEOUT; StopWorkflowRun takes any non-terminal run through STOPPING to
// STOPPED; SUCCESS, FAILED, TIMEOUT and STOPPED are terminal (the Airflow sensor's sets).
// Chosen where the sheet is silent (its edges are unconfirmed, so the suggested rules apply):
// - STARTING and QUEUED may go straight to FAILED, because a definition error found at run
//   time ends the run FAILED with no task instances (12.9).
// - STARTING and QUEUED may be stopped, not only RUNNING ("any non-terminal").
// - A run in STOPPING only finishes stopping: it cannot fail, time out or be stopped again,
//   since the stop has already claimed it. Those events are rejected like any other event
//   without a row.
// An event without a row is not ignored: no_transition records it, the status stays, and
// RunLifecycle::fire returns false so the caller reports the violation.
#include "models/mwaa_serverless/run_machine.hpp"

#include <array>
#include <cstddef>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/mpl/vector.hpp>

#include "models/mwaa_serverless/machine_pool.hpp"

namespace wfsim::models::mwaa {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// Events, one empty type per RunEvent value and named after it.
struct queued {};
struct started {};
struct succeeded {};
struct failed {};
struct timed_out {};
struct stop_requested {};
struct stop_completed {};

// Every state writes its own status into the machine on entry, so the mapping from MSM state
// to RunStatus lives in the state names below and status() never has to look it up.
template <RunStatus kStatus>
struct StatusState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.status = kStatus;
  }
};

struct RunFrontEnd : msm::front::state_machine_def<RunFrontEnd> {
  // Events are applied one at a time by RunLifecycle::fire and no action raises another
  // event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  struct STARTING : StatusState<RunStatus::STARTING> {};
  struct QUEUED : StatusState<RunStatus::QUEUED> {};
  struct RUNNING : StatusState<RunStatus::RUNNING> {};
  struct SUCCESS : StatusState<RunStatus::SUCCESS> {};
  struct FAILED : StatusState<RunStatus::FAILED> {};
  struct TIMEOUT : StatusState<RunStatus::TIMEOUT> {};
  struct STOPPING : StatusState<RunStatus::STOPPING> {};
  struct STOPPED : StatusState<RunStatus::STOPPED> {};

  typedef STARTING initial_state;

  // clang-format off
  struct transition_table : mpl::vector<
      // Start   | Event          | Next     | Action | Guard
      Row<STARTING, queued,         QUEUED,    none,    none>,
      Row<STARTING, failed,         FAILED,    none,    none>,
      Row<STARTING, stop_requested, STOPPING,  none,    none>,

      Row<QUEUED,   started,        RUNNING,   none,    none>,
      Row<QUEUED,   failed,         FAILED,    none,    none>,
      Row<QUEUED,   stop_requested, STOPPING,  none,    none>,

      Row<RUNNING,  succeeded,      SUCCESS,   none,    none>,
      Row<RUNNING,  failed,         FAILED,    none,    none>,
      Row<RUNNING,  timed_out,      TIMEOUT,   none,    none>,
      Row<RUNNING,  stop_requested, STOPPING,  none,    none>,

      Row<STOPPING, stop_completed, STOPPED,   none,    none>
  > {};
  // clang-format on

  // An event the current status has no row for is a lifecycle violation: remember it so
  // the handle can report it, and leave the state as it is (MSM's default would assert).
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {
    rejected = true;
  }

  RunStatus status = RunStatus::STARTING;
  bool rejected = false;
};

constexpr std::array<RunStatus, 8> kAllRunStatuses = {
    RunStatus::STARTING, RunStatus::QUEUED,   RunStatus::RUNNING,  RunStatus::SUCCESS,
    RunStatus::FAILED,   RunStatus::TIMEOUT,  RunStatus::STOPPING, RunStatus::STOPPED,
};

}  // namespace

struct RunLifecycle::Machine {
  msm::back::state_machine<RunFrontEnd> back_end;

  // Machines are made and dropped at the rate runs progress, so their storage is recycled
  // (machine_pool.hpp) instead of taken from and returned to the heap each time.
  static void* operator new(std::size_t) { return MachinePool<Machine>::allocate(); }
  static void operator delete(void* memory) { MachinePool<Machine>::release(memory); }

  template <class Event>
  bool apply(const Event& event) {
    back_end.rejected = false;
    back_end.process_event(event);
    return !back_end.rejected;
  }
};

RunLifecycle::RunLifecycle() : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
}
RunLifecycle::~RunLifecycle() = default;
RunLifecycle::RunLifecycle(RunLifecycle&&) noexcept = default;
RunLifecycle& RunLifecycle::operator=(RunLifecycle&&) noexcept = default;

RunStatus RunLifecycle::status() const { return machine_->back_end.status; }

bool RunLifecycle::fire(RunEvent event) {
  switch (event) {
    case RunEvent::queued: return machine_->apply(queued{});
    case RunEvent::started: return machine_->apply(started{});
    case RunEvent::succeeded: return machine_->apply(succeeded{});
    case RunEvent::failed: return machine_->apply(failed{});
    case RunEvent::timed_out: return machine_->apply(timed_out{});
    case RunEvent::stop_requested: return machine_->apply(stop_requested{});
    case RunEvent::stop_completed: return machine_->apply(stop_completed{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::STARTING: return "STARTING";
    case RunStatus::QUEUED: return "QUEUED";
    case RunStatus::RUNNING: return "RUNNING";
    case RunStatus::SUCCESS: return "SUCCESS";
    case RunStatus::FAILED: return "FAILED";
    case RunStatus::TIMEOUT: return "TIMEOUT";
    case RunStatus::STOPPING: return "STOPPING";
    case RunStatus::STOPPED: return "STOPPED";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(RunEvent event) {
  switch (event) {
    case RunEvent::queued: return "queued";
    case RunEvent::started: return "started";
    case RunEvent::succeeded: return "succeeded";
    case RunEvent::failed: return "failed";
    case RunEvent::timed_out: return "timed_out";
    case RunEvent::stop_requested: return "stop_requested";
    case RunEvent::stop_completed: return "stop_completed";
  }
  return "";
}

std::optional<RunStatus> run_status_from_string(std::string_view text) {
  for (RunStatus status : kAllRunStatuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

}  // namespace wfsim::models::mwaa
