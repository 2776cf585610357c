// The AWS Glue blueprint-run lifecycle as a Boost.MSM machine (fact sheet 5.1
// StartBlueprintRun; blueprint_run_machine.hpp lists the choices made where the sheet is
// silent).
//
// Follows the sheet: a run is RUNNING until its workflow exists (SUCCEEDED) or creation
// fails, in which case it is ROLLING_BACK until the partial work is removed, then FAILED.
// An event without a row is not ignored: process_event reports it as unhandled, the state
// stays, and BlueprintRunLifecycle::fire returns false so the caller reports the violation.
#include "models/glue/blueprint_run_machine.hpp"

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

// Events, one empty type per BlueprintRunEvent value and named after it.
struct workflow_created {};
struct creation_failed {};
struct rollback_finished {};

// Every state writes its own BlueprintRunState into the machine on entry, so the mapping
// from MSM state to BlueprintRunState lives in the state names below and state() never has
// to look it up.
template <BlueprintRunState kState>
struct WireState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.state = kState;
  }
};

struct BlueprintRunFrontEnd : msm::front::state_machine_def<BlueprintRunFrontEnd> {
  // Events are applied one at a time by BlueprintRunLifecycle::fire and no action raises
  // another event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  struct RUNNING : WireState<BlueprintRunState::RUNNING> {};
  struct SUCCEEDED : WireState<BlueprintRunState::SUCCEEDED> {};
  struct FAILED : WireState<BlueprintRunState::FAILED> {};
  struct ROLLING_BACK : WireState<BlueprintRunState::ROLLING_BACK> {};

  typedef RUNNING initial_state;

  // clang-format off
  struct transition_table : mpl::vector<
      // Start       | Event             | Next          | Action | Guard
      Row<RUNNING,      workflow_created,  SUCCEEDED,      none,    none>,
      Row<RUNNING,      creation_failed,   ROLLING_BACK,   none,    none>,

      Row<ROLLING_BACK, rollback_finished, FAILED,         none,    none>
  > {};
  // clang-format on

  // An event the current state has no row for is a lifecycle violation. process_event
  // reports it as unhandled, which fire() returns; overriding this keeps MSM from asserting.
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {}

  BlueprintRunState state = BlueprintRunState::RUNNING;
};

using BlueprintRunBackEnd = msm::back::state_machine<BlueprintRunFrontEnd>;

// Every blueprint run in a simulated account holds one of these, so its size is pinned.
static_assert(sizeof(BlueprintRunBackEnd) <= 64, "the blueprint-run machine has grown");

constexpr std::array<BlueprintRunState, 4> kAllBlueprintRunStates = {
    BlueprintRunState::RUNNING, BlueprintRunState::SUCCEEDED, BlueprintRunState::FAILED,
    BlueprintRunState::ROLLING_BACK,
};

}  // namespace

struct BlueprintRunLifecycle::Machine {
  BlueprintRunBackEnd back_end;

  template <class Event>
  bool apply(const Event& event) {
    return back_end.process_event(event) == msm::back::HANDLED_TRUE;
  }
};

BlueprintRunLifecycle::BlueprintRunLifecycle() : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
}
BlueprintRunLifecycle::~BlueprintRunLifecycle() = default;
BlueprintRunLifecycle::BlueprintRunLifecycle(BlueprintRunLifecycle&&) noexcept = default;
BlueprintRunLifecycle& BlueprintRunLifecycle::operator=(BlueprintRunLifecycle&&) noexcept =
    default;

BlueprintRunState BlueprintRunLifecycle::state() const { return machine_->back_end.state; }

bool BlueprintRunLifecycle::fire(BlueprintRunEvent event) {
  switch (event) {
    case BlueprintRunEvent::workflow_created: return machine_->apply(workflow_created{});
    case BlueprintRunEvent::creation_failed: return machine_->apply(creation_failed{});
    case BlueprintRunEvent::rollback_finished: return machine_->apply(rollback_finished{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(BlueprintRunState state) {
  switch (state) {
    case BlueprintRunState::RUNNING: return "RUNNING";
    case BlueprintRunState::SUCCEEDED: return "SUCCEEDED";
    case BlueprintRunState::FAILED: return "FAILED";
    case BlueprintRunState::ROLLING_BACK: return "ROLLING_BACK";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(BlueprintRunEvent event) {
  switch (event) {
    case BlueprintRunEvent::workflow_created: return "workflow_created";
    case BlueprintRunEvent::creation_failed: return "creation_failed";
    case BlueprintRunEvent::rollback_finished: return "rollback_finished";
  }
  return "";
}

std::optional<BlueprintRunState> blueprint_run_state_from_string(std::string_view text) {
  for (BlueprintRunState state : kAllBlueprintRunStates) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

bool is_terminal(BlueprintRunState state) {
  switch (state) {
    case BlueprintRunState::SUCCEEDED:
    case BlueprintRunState::FAILED:
      return true;
    case BlueprintRunState::RUNNING:
    case BlueprintRunState::ROLLING_BACK:
      return false;
  }
  return false;
}

}  // namespace wfsim::models::glue
